"""Golden outputs of the bundled samples: render, compare with a readable diff, regenerate.

Goldens change only through ``make golden`` (``python -m tests.goldens --update``), and the
resulting diff is reviewed like code. A missing golden is a failure, never created on the fly.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import tempfile
from pathlib import Path

from extractor.export import dumps, write_csvs
from extractor.pipeline import parse
from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "golden"
#: Sample files that have goldens: every rendering of the seed.
SAMPLE_GLOB = "seed/seed*"
CSV_NAMES = ("indicators.csv", "funds.csv", "fields.csv")


#: Formats read through LibreOffice: without it their samples cannot be read here.
CONVERTED_SUFFIXES = (".doc", ".rtf")


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.glob(SAMPLE_GLOB) if p.is_file())


def converter_missing(path: Path) -> bool:
    """Whether ``path`` needs LibreOffice and this machine has none (``make test`` installs it)."""
    return path.suffix in CONVERTED_SUFFIXES and shutil.which("soffice") is None


def golden_dir(sample: Path) -> Path:
    return GOLDEN / sample.relative_to(SAMPLES).parent / sample.name


def render(sample: Path, *, pdf_backend: str = DEFAULT_PDF_BACKEND) -> dict[str, str]:
    """Every golden file's expected text for ``sample``, keyed by file name."""
    result = parse(sample.relative_to(ROOT), pdf_backend=pdf_backend)
    outputs = {"result.json": dumps(result)}
    with tempfile.TemporaryDirectory() as tmp:
        write_csvs([result], Path(tmp))
        for name in CSV_NAMES:
            outputs[name] = (Path(tmp) / name).read_text(encoding="utf-8")
    return outputs


def diff(expected: str, actual: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"golden/{name}",
            tofile=f"actual/{name}",
        )
    )


def update() -> None:
    import os

    os.chdir(ROOT)
    for sample in sample_files():
        target = golden_dir(sample)
        target.mkdir(parents=True, exist_ok=True)
        for name, text in render(sample).items():
            (target / name).write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite every golden file")
    if parser.parse_args().update:
        update()
    else:
        parser.print_help()
