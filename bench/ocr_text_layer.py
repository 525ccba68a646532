"""OCR measured against the publisher's own text: digital PDFs rendered as scans and read back.

``python -m bench.ocr_text_layer [PDF ...]`` renders every page of each PDF (default: every PDF
of ``../shared/corpus``) at 200 dpi, stores them as JPEG in an image-only PDF under
``out/bench/inputs/text_layer/`` (as ``bench.inputs.scanned_pdf`` does), parses both and prints,
per document, the money records and indicators its text layer gives, those OCR gives, and how
many of them match, by the keys ``make eval`` scores records by, with the punctuation widths a
scan cannot show folded as it folds them for scans (``scan_cases.width_folded``; the contract keeps
them as printed). ``--diff`` writes what differs beside each rendering. About 1.3 s of OCR a
page: the 17 corpus PDFs take some 8 minutes.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from bench.inputs import image_pdf
from extractor.evaluate import Key, predicted_keys
from extractor.pipeline import parse
from extractor.scan_cases import width_folded

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "out" / "bench" / "inputs" / "text_layer"


def records(path: Path) -> dict[str, Counter[Key]]:
    """A document's money records and indicators as evaluation scores them, widths folded."""
    keys = predicted_keys(parse(path))
    return {
        name: Counter(map(width_folded, keys[dataset]))
        for name, dataset in (("money", "funds"), ("indicators", "indicators"))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--diff", action="store_true", help="write what differs beside each rendering")
    args = parser.parse_args()
    import pypdfium2 as pdfium

    for source in args.pdfs or sorted(CORPUS.glob("*/*.pdf")):
        scan = OUT / source.name
        if not scan.exists():
            with pdfium.PdfDocument(source) as document:
                count = len(document)
            image_pdf([(source, n) for n in range(1, count + 1)], scan, 200)
        printed, read = records(source), records(scan)
        for name in printed:
            truth, found = printed[name], read[name]
            if not truth and not found:
                continue
            matched = sum((truth & found).values())
            counts = (
                f"text layer {sum(truth.values()):4d}  OCR {sum(found.values()):4d}  matched {matched:4d}"
            )
            print(f"{source.name:48s} {name:10s} {counts}", flush=True)
            if args.diff:
                lines = [
                    "missing:",
                    *map(str, (truth - found).elements()),
                    "extra:",
                    *map(str, (found - truth).elements()),
                ]
                scan.with_suffix(f".{name}.diff").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
