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
``rows``       the pipeline on a generated table; ``rows`` is the table's body rows;
``stitch``     the stitching step alone: split and stitch the grids read from the files (the reading
               counted as start-up); over one table on every page of a generated PDF its time
               should grow as the pages do, not as their square;
``ocr``        the reader on image-only PDFs, every page read by OCR (the engine loaded and one
               page read before the timed loop); ``cpu_seconds`` too, the process's own;
``report``     ``extractor report CATALOG --inspect --workers N`` (FILE is a batch's folder),
               timed from outside: every document parsed again, its inspection page and page images;
``report_before``  the same work as ``report --inspect`` did it before issue 17, in this process:
               one document after the other, every page rendered in RGB and written at PNG
               ``optimize`` (timed without this process's start-up, which flatters it a little).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extractor.records import Table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=sorted(MEASURES))
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


def measure_stitch(args: argparse.Namespace, started: float) -> Measured:
    from extractor.layout.split import split_grids
    from extractor.layout.stitch import stitch_pages
    from extractor.readers import read

    documents = [read(path, "pdf", pdf_backend=args.backend) for path in args.files]
    stitch_pages(split_grids(documents[0].grids[:2]))  # what the first call loads, untimed
    startup = time.perf_counter() - started
    begin = time.perf_counter()
    for document in documents:
        stitch_pages(split_grids(document.grids))
    pages = sum(document.pages or 0 for document in documents)
    return {"pages": pages, "seconds": time.perf_counter() - begin, "startup_seconds": startup}


def measure_ocr(args: argparse.Namespace, started: float) -> Measured:
    from extractor.readers import read
    from extractor.readers.ocr import read_pdf_pages

    next(iter(read_pdf_pages(args.files[0], [1])))  # the engine's models loaded, untimed
    startup = time.perf_counter() - started
    pages = 0
    cpu, begin = time.process_time(), time.perf_counter()
    for path in args.files:
        pages += read(path, "pdf").pages or 0
    return {
        "pages": pages,
        "seconds": time.perf_counter() - begin,
        "cpu_seconds": time.process_time() - cpu,
        "startup_seconds": startup,
    }


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


def catalog_pages(catalog: Path) -> int:
    """The pages of the documents in a batch's catalog."""
    import sqlite3

    with sqlite3.connect(catalog / "catalog.sqlite") as connection:
        (pages,) = connection.execute("SELECT coalesce(sum(pages), 0) FROM documents").fetchone()
    return int(pages)


def measure_report(args: argparse.Namespace, started: float) -> Measured:
    """``report --inspect`` as a user runs it, start-up and workers included; written elsewhere
    than the catalog's folder, which several measurements share."""
    (catalog,) = args.files
    extractor = Path(sys.executable).parent / "extractor"
    with tempfile.TemporaryDirectory() as out:
        command = [str(extractor), "report", str(catalog), "--inspect", "--out", out]
        command += ["--workers", str(args.workers)]
        begin = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - begin
    return {"pages": catalog_pages(catalog), "seconds": seconds, "startup_seconds": 0.0}


def measure_report_before(args: argparse.Namespace, started: float) -> Measured:
    from extractor.harvest.catalog import Catalog
    from extractor.look.inspect import inspect_result, inspection_folder_name
    from extractor.look.report import INSPECT_DIR, write_report
    from extractor.pipeline import parse

    (catalog,) = args.files
    parse(WARM_UP)
    startup = time.perf_counter() - started
    with Catalog.open(catalog, create=False) as opened:
        origins = [Path(str(o)) for (o,) in opened.select("SELECT origin FROM documents ORDER BY id")]
    begin = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        for path in origins:
            result = parse(path)
            folder = Path(out) / INSPECT_DIR / inspection_folder_name(path.name, result.source.sha256)
            inspect_result(result, folder)
            if result.source.format == "pdf" and result.error is None:
                pages_before(path, result.tables, folder)
        write_report(catalog, Path(out))
    seconds = time.perf_counter() - begin
    return {"pages": catalog_pages(catalog), "seconds": seconds, "startup_seconds": startup}


def pages_before(pdf: Path, tables: Sequence[Table], folder: Path) -> None:
    """The page images as ``extractor.look.overlay`` wrote them before issue 17: every page
    rendered in RGB, header rows and every span shaded on a layer composited over it, the cell
    and table outlines drawn, saved at ``optimize``."""
    import pypdfium2
    from PIL import Image, ImageDraw

    from extractor.layout.reconstruct import row_roles

    scale = 2.0
    cells: dict[int, list[tuple[tuple[float, ...], bool, bool]]] = {}
    for table in tables:
        roles = row_roles(table)
        for cell in table.grid.cells:
            if cell.page is not None and cell.bbox is not None:
                box = tuple(v * scale for v in (cell.bbox.x0, cell.bbox.top, cell.bbox.x1, cell.bbox.bottom))
                merged = cell.rowspan > 1 or cell.colspan > 1
                cells.setdefault(cell.page, []).append((box, roles[cell.row] == "header", merged))
    document = pypdfium2.PdfDocument(str(pdf))
    for number in range(1, len(document) + 1):
        page = document[number - 1]
        image = page.render(scale=scale).to_pil().convert("RGBA")
        page.close()
        shading = Image.new("RGBA", image.size, (0, 0, 0, 0))
        shade = ImageDraw.Draw(shading)
        drawn = cells.get(number, [])
        for box, header, merged in drawn:
            if header:
                shade.rectangle(box, fill=(60, 120, 255, 50))
            if merged:
                shade.rectangle(box, fill=(255, 205, 40, 70))
        image = Image.alpha_composite(image, shading)
        draw = ImageDraw.Draw(image)
        for box, _, _ in drawn:
            draw.rectangle(box, outline=(30, 90, 220, 255), width=1)
        if drawn:
            outline = tuple(f(b[0][i] for b in drawn) for i, f in enumerate((min, min, max, max)))
            draw.rectangle(outline, outline=(220, 30, 30, 255), width=3)
        image.convert("RGB").save(folder / f"page-{number}.png", optimize=True)
    document.close()


MEASURES = {
    "ours": measure_ours,
    "rows": measure_rows,
    "stitch": measure_stitch,
    "ocr": measure_ocr,
    "bare": measure_bare,
    "camelot": measure_camelot,
    "floor": measure_floor,
    "batch": measure_batch,
    "report": measure_report,
    "report_before": measure_report_before,
}

if __name__ == "__main__":
    main()
