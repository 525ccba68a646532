"""``extractor batch`` on Dask: the same catalog as the local pool, a coded error for a file that
hangs, and a clean message when Dask is not installed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.harvest.batch import run_batch
from extractor.harvest.distributed import DaskRunner
from extractor.pipeline import parse
from extractor.records import ParseResult
from tests.test_batch import SEED, _catalog_contents

pytest.importorskip("distributed")


def hanging_parse(path: Path) -> ParseResult:
    """A stand-in for ``parse`` (Dask workers import it by name) that never ends on ``hangs.txt``."""
    if path.stem == "hangs":
        time.sleep(3600)
    return parse(path)


def test_dask_gives_the_catalog_the_local_pool_gives(tmp_path: Path) -> None:
    files = sorted(str(p) for p in SEED.iterdir())
    run_batch(files, tmp_path / "local", workers=2)
    result = CliRunner().invoke(main, ["batch", *files, "--out", str(tmp_path / "dask"), "--dask-local", "2"])
    assert result.exit_code == 0, result.output
    assert f"{len(files)} files: {len(files)} done" in result.stderr
    assert _catalog_contents(tmp_path / "dask") == _catalog_contents(tmp_path / "local")
    # The report's inspection pages are written by this process, not on the Dask workers.
    assert len(list((tmp_path / "dask" / "inspect").glob("*/index.html"))) == len(files)
    assert (tmp_path / "dask" / "report.html").is_file()


def test_a_file_that_hangs_on_dask_times_out_alone(tmp_path: Path) -> None:
    (tmp_path / "hangs.txt").write_text("hangs\t1\n合计\t1\n", encoding="utf-8")  # a pasted table
    (tmp_path / "seed.txt").write_bytes((SEED / "seed.txt").read_bytes())
    # The hang lasts an hour; 6 s leaves a good file's first parse on a loaded machine room.
    runner = DaskRunner(local_workers=2, timeout=6.0, parse_file=hanging_parse)
    report = run_batch([str(tmp_path)], tmp_path / "out", run_jobs=runner)
    codes = {Path(o.origin).name: o.error_code for o in report.outcomes}
    assert codes == {"hangs.txt": "timeout", "seed.txt": None}


def test_without_dask_the_options_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    for option in (["--dask-local", "2"], ["--scheduler", "tcp://127.0.0.1:8786"]):
        result = CliRunner().invoke(main, ["batch", str(SEED / "seed.txt"), "--out", str(tmp_path), *option])
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [
            "Error: running the batch on Dask needs dask.distributed: pip install 'extractor[dask]'"
        ]
