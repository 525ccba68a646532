"""One measured thing, run in its own process so that its peak memory is its own.

``python -m bench.measure KIND [--backend B] [--workers N] [--page-limit N] FILE ...`` runs KIND over the
files and prints one JSON object: ``pages`` (or ``rows``), ``seconds`` of the timed loop,
``startup_seconds`` (imports, and for ``ours`` a warm-up parse of the seed text that loads
jieba's dictionary) and ``peak_rss_mb`` of
this process (for ``batch``, of the largest process it started). Kinds:

``ours``       the whole pipeline: parse (read, reconstruct, normalise) and write the CSVs;
``bare``       pdfplumber's own ``extract_tables()`` on every page, nothing else;
``camelot``    camelot's lattice flavour on every page (when camelot is installed);
``floor``      pypdfium2 reading every character with its box: no table can be read faster;
``batch``      ``extractor batch`` over the files with ``--workers N``, timed from outside;
``rows``       the pipeline on a generated table; ``rows`` is the table's body rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=["ours", "bare", "camelot", "floor", "batch", "rows"])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--backend", default="pdfium")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rows", type=int, default=0, help="body rows of a generated table (kind rows)")
    parser.add_argument("--page-limit", type=int, default=0, help="read at most this many pages per file")
    args = parser.parse_args()
    started = time.perf_counter()
    measured = MEASURES[args.kind](args, started)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    measured["peak_rss_mb"] = round(max(own, children) / 1024, 1)
    print(json.dumps(measured))


Measured = dict[str, float]


#: A small file parsed before the timed loop, so that start-up (imports, jieba's dictionary)
#: is counted apart from the steady rate.
WARM_UP = Path(__file__).resolve().parent.parent / "samples" / "seed" / "seed.txt"


def measure_ours(args: argparse.Namespace, started: float) -> Measured:
    from extractor.export import write_csvs
    from extractor.pipeline import parse

    parse(WARM_UP, pdf_backend=args.backend)
    startup = time.perf_counter() - started
    pages = 0
    begin = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        for path in args.files:
            result = parse(path, pdf_backend=args.backend)
            if result.error is not None:
                raise SystemExit(f"{path}: {result.error}")
            pages += result.source.pages or 0
            write_csvs([result], Path(out))
    return {"pages": pages, "seconds": time.perf_counter() - begin, "startup_seconds": startup}


def measure_rows(args: argparse.Namespace, started: float) -> Measured:
    measured = measure_ours(args, started)
    return {"rows": args.rows * len(args.files), **{k: v for k, v in measured.items() if k != "pages"}}


def measure_bare(args: argparse.Namespace, started: float) -> Measured:
    import pdfplumber

    startup = time.perf_counter() - started
    pages = 0
    begin = time.perf_counter()
    for path in args.files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages[: args.page_limit or None]:
                page.extract_tables()
                page.close()
                pages += 1
    return {"pages": pages, "seconds": time.perf_counter() - begin, "startup_seconds": startup}


def measure_camelot(args: argparse.Namespace, started: float) -> Measured:
    import pypdfium2 as pdfium
    from camelot.io import read_pdf

    startup = time.perf_counter() - started
    pages = 0
    begin = time.perf_counter()
    for path in args.files:
        count = len(pdfium.PdfDocument(path))
        count = min(count, args.page_limit) if args.page_limit else count
        read_pdf(str(path), pages=f"1-{count}", flavor="lattice")
        pages += count
    return {"pages": pages, "seconds": time.perf_counter() - begin, "startup_seconds": startup}


def measure_floor(args: argparse.Namespace, started: float) -> Measured:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    startup = time.perf_counter() - started
    pages = 0
    box = pdfium_c.FS_RECTF()
    begin = time.perf_counter()
    for path in args.files:
        document = pdfium.PdfDocument(path)
        for index in range(len(document)):
            page = document[index]
            text_page = page.get_textpage()
            raw = text_page.raw
            for char in range(pdfium_c.FPDFText_CountChars(raw)):
                pdfium_c.FPDFText_GetUnicode(raw, char)
                pdfium_c.FPDFText_GetLooseCharBox(raw, char, box)
            text_page.close()
            page.close()
            pages += 1
        document.close()
    return {"pages": pages, "seconds": time.perf_counter() - begin, "startup_seconds": startup}


def measure_batch(args: argparse.Namespace, started: float) -> Measured:
    """The batch command as a user runs it, start-up and catalog writes included."""
    import pypdfium2 as pdfium

    pages = sum(len(pdfium.PdfDocument(path)) for path in args.files)
    extractor = Path(sys.executable).parent / "extractor"
    with tempfile.TemporaryDirectory() as out:
        command = [
            str(extractor),
            "batch",
            *map(str, args.files),
            "--out",
            out,
            "--workers",
            str(args.workers),
        ]
        command += ["--pdf-backend", args.backend]
        begin = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - begin
    return {"pages": pages, "seconds": seconds, "startup_seconds": 0.0}


MEASURES = {
    "ours": measure_ours,
    "rows": measure_rows,
    "bare": measure_bare,
    "camelot": measure_camelot,
    "floor": measure_floor,
    "batch": measure_batch,
}

if __name__ == "__main__":
    main()
