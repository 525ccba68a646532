"""What one hostile file may cost each reader: a file past a limit ends ``too_large`` (never
``corrupt`` or ``internal_error``), found as early as its measure allows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.goldens import ROOT

sys.path.insert(0, str(ROOT / "samples"))
from make_bad_inputs import _docx_empty_paragraphs

#: The batch's default memory limit per worker (``--max-memory``).
WORKER_MEMORY_MB = 2048


def parse_in_a_worker(path: Path, memory_mb: int = WORKER_MEMORY_MB) -> str:
    """The error code ``parse`` gives ``path`` in a process held to ``memory_mb`` of address space,
    as a batch worker is."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({memory_mb << 20}, {memory_mb << 20}))\n"
        "from extractor.pipeline import parse\n"
        "result = parse(sys.argv[1])\n"
        "print(result.error.code if result.error else 'ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120, cwd=path.parent
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_docx_whose_xml_exhausts_memory_is_too_large_not_corrupt(tmp_path: Path) -> None:
    """libxml2 says "unknown error" when it runs out of memory: that is the file's size, not damage."""
    path = tmp_path / "paragraphs.docx"
    path.write_bytes(_docx_empty_paragraphs())
    assert path.stat().st_size < 400_000
    assert parse_in_a_worker(path) == "too_large"
