"""Under ``.ci/run`` (``EXTRACTOR_NO_SKIPS=1``) a skipped test fails the run, unless it skipped
because the shared corpus is absent: a fresh machine must install what the tests need."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SHARED_ABSENT

ROOT = Path(__file__).resolve().parent.parent


def _run(tmp_path: Path, reason: str, *, no_skips: bool) -> subprocess.CompletedProcess[str]:
    test = tmp_path / "test_skipping.py"
    test.write_text(f"import pytest\n\ndef test_it():\n    pytest.skip({reason!r})\n", encoding="utf-8")
    env = {**os.environ, "EXTRACTOR_NO_SKIPS": "1" if no_skips else "0"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "tests.conftest",
        "-p",
        "no:cacheprovider",
        str(test),
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_skip_fails_the_run_under_ci(tmp_path: Path) -> None:
    failed = _run(tmp_path, "the CJK test font is not installed", no_skips=True)
    assert failed.returncode == 1, failed.stdout
    assert "1 test(s) skipped, which EXTRACTOR_NO_SKIPS=1 forbids" in failed.stdout
    assert "test_it: Skipped: the CJK test font is not installed" in failed.stdout
    assert _run(tmp_path, "the CJK test font is not installed", no_skips=False).returncode == 0


def test_the_absent_shared_corpus_may_skip(tmp_path: Path) -> None:
    assert _run(tmp_path, f"no document: {SHARED_ABSENT}", no_skips=True).returncode == 0
