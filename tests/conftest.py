"""A private PostgreSQL server for the catalog tests, started once per test run; and no skip
goes unnoticed in CI.

With ``EXTRACTOR_NO_SKIPS=1`` (set by ``.ci/run``) the run fails when any test skipped for a
reason other than the shared corpus being absent (``SHARED_ABSENT``): a missing font, browser,
database or library is something ``make`` must install, and a skipped test there would count a
feature as tested that was not.

Where ``EXTRACTOR_TEST_POSTGRES_URL`` names a server, that one is used. Otherwise the
server's own programs (``initdb``, ``pg_ctl``: Debian's postgresql package, which the
Makefile installs) start a throwaway cluster in a temporary folder, listening only on a
Unix socket there, with fsync off; it is stopped and deleted at the end. Each test gets a
database of its own. Without PostgreSQL the tests that need it skip.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

INITDB_OPTIONS = "-A trust -U extractor -E UTF8 --locale=C --no-sync"
# Only a Unix socket in the test folder (no TCP port to collide with), and no fsync: the
# data is thrown away.
SERVER_OPTIONS = "-c listen_addresses='' -c fsync=off -c full_page_writes=off -p 5432"
SERVER_USER = "postgres"  # the account Debian's package makes; the server refuses to run as root
#: The words a skip's reason holds when the shared corpus (never part of the repository) is not
#: beside the project: the one skip CI accepts.
SHARED_ABSENT = "../shared is not beside the project"
_SKIPPED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and isinstance(report.longrepr, tuple) and SHARED_ABSENT not in report.longrepr[2]:
        _SKIPPED.append(f"{report.nodeid}: {report.longrepr[2]}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("EXTRACTOR_NO_SKIPS") == "1" and _SKIPPED:
        lines = "\n".join(f"  {line}" for line in _SKIPPED)
        print(f"\n{len(_SKIPPED)} test(s) skipped, which EXTRACTOR_NO_SKIPS=1 forbids:\n{lines}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _server_programs() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, or Debian's newest /usr/lib/postgresql/N/bin."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


def _unavailable(reason: str) -> None:
    pytest.skip(f"no PostgreSQL: {reason}")


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SERVER_USER, "--", *command]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a running server's ``postgres`` database, as a superuser."""
    given = os.environ.get("EXTRACTOR_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    if importlib.util.find_spec("psycopg") is None:
        _unavailable("psycopg is not installed (pip install 'extractor[postgres]')")
    programs = _server_programs()
    if programs is None:
        _unavailable("initdb was not found (apt-get install postgresql)")
    assert programs is not None
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(SERVER_USER)
        except KeyError:
            _unavailable(f"running as root and there is no {SERVER_USER} account to run the server as")
    folder = Path(tempfile.mkdtemp(prefix="extractor-pg-"))
    if os.geteuid() == 0:
        os.chown(folder, account.pw_uid, account.pw_gid)
    data, log = folder / "data", folder / "server.log"
    initdb = [str(programs / "initdb"), "-D", str(data), *INITDB_OPTIONS.split()]
    server_options = f"-k {folder} {SERVER_OPTIONS}"
    start = [str(programs / "pg_ctl"), "-D", str(data), "-o", server_options, "-l", str(log), "-w", "start"]
    try:
        subprocess.run(_as_server_user(initdb), check=True, capture_output=True, timeout=120)
        subprocess.run(_as_server_user(start), check=True, capture_output=True, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"the test server did not start: {detail.decode(errors='replace')[-500:]}")
    try:
        yield f"postgresql://extractor@/postgres?host={folder}&port=5432"
    finally:
        subprocess.run(
            _as_server_user([str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new empty database on the test server, dropped after the test."""
    import psycopg

    name = f"catalog_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(postgres_server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_at(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a test's catalog lives: a folder (SQLite), then a PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "catalog"
    url: str = request.getfixturevalue("postgres_url")
    return url
