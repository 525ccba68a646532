"""Whether the pdfium and pdfplumber backends give the same result on every PDF we have.

Run ``python -m bench.compare_backends [PDF ...]``: each file is parsed with both backends and
the JSON results compared; the first differing lines of every file that differs are printed,
and the exit status is 1 when any does. Without arguments it takes every PDF under samples/
and the real corpus (``../shared/corpus/real``, where present).

Everything must be equal except a cell's ``bbox``, which may differ by one in its last printed
digit (0.01 pt): pdfium computes in 32-bit floats (a rectangle's far side is x + width in
single precision), pdfminer in doubles, and a ruling's position is the mean of the segments
snapped to it, so a mean on a rounding boundary can print either way. The differing boxes
are counted and reported.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extractor.export import dumps
from extractor.pipeline import parse

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def default_pdfs() -> list[Path]:
    pdfs = sorted((ROOT / "samples").rglob("*.pdf"))
    return pdfs + (sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else [])


#: How far a box side may move between backends: one unit of the last printed digit.
BBOX_TOLERANCE = 0.0101


def compare(path: Path) -> tuple[list[str], int]:
    """The unified diff of the two backends' results on ``path`` (empty when they agree, boxes
    aside) and how many cell boxes moved within ``BBOX_TOLERANCE``."""
    reference = json.loads(dumps(parse(path, pdf_backend="pdfplumber")))
    candidate = json.loads(dumps(parse(path, pdf_backend="pdfium")))
    moved = align_boxes(reference, candidate)
    lines = list(
        difflib.unified_diff(
            json.dumps(reference, ensure_ascii=False, indent=1).splitlines(),
            json.dumps(candidate, ensure_ascii=False, indent=1).splitlines(),
            "pdfplumber",
            "pdfium",
            lineterm="",
            n=1,
        )
    )
    return lines, moved


def align_boxes(reference: object, candidate: object) -> int:
    """Give ``candidate`` the reference's boxes where they are within tolerance; count them."""
    moved = 0
    if isinstance(reference, dict) and isinstance(candidate, dict):
        for key, value in reference.items():
            other = candidate.get(key)
            if key == "bbox" and isinstance(value, list) and isinstance(other, list) and value != other:
                if len(value) == len(other) and all(
                    abs(a - b) <= BBOX_TOLERANCE for a, b in zip(value, other, strict=True)
                ):
                    candidate[key] = value
                    moved += 1
            else:
                moved += align_boxes(value, other)
    elif isinstance(reference, list) and isinstance(candidate, list):
        moved += sum(align_boxes(a, b) for a, b in zip(reference, candidate, strict=False))
    return moved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lines", type=int, default=40, help="diff lines shown per differing file")
    args = parser.parse_args()
    pdfs = args.pdfs or default_pdfs()
    differing = 0
    total_moved = 0
    with ProcessPoolExecutor(args.workers) as pool:
        for path, (lines, moved) in zip(pdfs, pool.map(compare, pdfs), strict=True):
            note = f" ({moved} boxes off by 0.01)" if moved else ""
            print(f"{'same' if not lines else 'DIFFERS'}  {path.name}{note}")
            total_moved += moved
            if lines:
                differing += 1
                print("\n".join(lines[: args.lines]))
    print(
        f"{len(pdfs) - differing}/{len(pdfs)} PDFs give the same result with both backends; "
        f"{total_moved} cell boxes differ by 0.01 pt"
    )
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
