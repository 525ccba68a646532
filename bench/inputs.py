"""The benchmark's inputs, made in ``out/bench/inputs/`` and never committed.

* a 500-page PDF: the real corpus's pages concatenated (pypdf) in order, round and round;
* copies of the corpus for the batch, each made a distinct file by a comment after its end
  (a batch skips a file whose sha256 it has seen), so that the batch has enough files to keep
  two workers busy past their start-up;
* a batch's catalog of the corpus, made afresh each run, for ``report --inspect`` to inspect again;
* a .docx and an HTML page each holding one table of ``ROWS`` body rows whose first two
  columns are merged down in blocks (vMerge / rowspan), as budget tables are: python-docx's
  ``table.cell(r, c)`` re-lays the whole table on every call, so a reader built on it would
  take quadratic time here; the .docx is written through the XML for the same reason;
* image-only PDFs of corpus pages rendered at 200 dpi and stored as JPEG (``scanned_pdf``: the
  pages after the cover, mostly tables of contents; ``scanned_table_pdf``: budget table pages), as
  a scanner writes one: every page is read by OCR;
* a ruled table of ``LONG_TABLE_ROWS`` rows a page over many pages (``long_table_pdf``), its
  header repeated on every page, labels merged across page breaks and rows cut by them: one
  table for the stitcher to join, whose work should grow with the pages, not their square.
"""

from __future__ import annotations

import html
import itertools
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROWS = 2000
#: Rows a page of the long table has, its repeated header included; its four columns' widths.
LONG_TABLE_ROWS, LONG_TABLE_WIDTHS = 40, (80.0, 70.0, 250.0, 90.0)
#: Where the long table stands on an A4 page, in points from the top; each row's height.
LONG_TABLE_LEFT, LONG_TABLE_TOP, LONG_TABLE_ROW_HEIGHT = 50.0, 64.0, 18.0
LONG_TABLE_HEADER = ("类别", "科目编码", "项目名称", "金额（万元）")
#: Body rows in each block that the first column's label is merged over (cycled): their sums
#: are not multiples of a page's 39 body rows, so blocks run across page breaks.
LONG_TABLE_BLOCKS = (5, 7, 6, 9, 4)
#: Every this many pages, the page's last row is cut by the break and goes on at the next's top.
LONG_TABLE_SPLIT_EVERY = 3
#: Rows merged in the first (类) and second (款) columns.
OUTER_BLOCK, INNER_BLOCK = 20, 4
HEADER = ("科目编码", "科目名称", "项目", "金额")


def concatenated_pdf(sources: list[Path], pages: int, target: Path) -> Path:
    """``pages`` pages taken from ``sources`` in order, starting over until there are enough."""
    from pypdf import PdfReader, PdfWriter

    if target.exists():
        return target
    writer = PdfWriter()
    readers = [PdfReader(path) for path in sources]
    while len(writer.pages) < pages:
        for reader in readers:
            for page in reader.pages:
                if len(writer.pages) == pages:
                    break
                writer.add_page(page)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with partial.open("wb") as handle:
        writer.write(handle)
    partial.replace(target)
    return target


def scanned_pdf(sources: list[Path], pages: int, target: Path, dpi: int = 200) -> Path:
    """``pages`` corpus pages as an image-only PDF: the second and third page of each source in
    turn (the first is often a cover), each rendered at ``dpi`` and stored as a JPEG image. Most
    are tables of contents: a few long lines a page."""
    if target.exists():
        return target
    chosen = [(path, index + 1) for index in (1, 2) for path in sources]
    return image_pdf(chosen[:pages], target, dpi)


#: A page is a budget table page when the tables its text layer gives hold this many filled cells.
TABLE_PAGE_CELLS = 50


def scanned_table_pdf(sources: list[Path], pages: int, target: Path, dpi: int = 200) -> Path:
    """``pages`` corpus pages holding budget tables as an image-only PDF, made as ``scanned_pdf``'s:
    of each source in turn, the first page whose tables (read from its text layer) hold at least
    ``TABLE_PAGE_CELLS`` filled cells. What a scan of a budget table costs OCR: a hundred short
    cells and more, where a table of contents is a few long lines."""
    from extractor.readers import read

    if target.exists():
        return target
    chosen: list[tuple[Path, int]] = []
    for path in sources:
        if len(chosen) == pages:
            break
        cells: dict[int, int] = {}
        for grid in read(path, "pdf").grids:
            if len(grid.pages) == 1:
                filled = sum(1 for cell in grid.cells if cell.text.strip())
                cells[grid.pages[0]] = cells.get(grid.pages[0], 0) + filled
        tables = [number for number, filled in sorted(cells.items()) if filled >= TABLE_PAGE_CELLS]
        if tables:
            chosen.append((path, tables[0]))
    return image_pdf(chosen, target, dpi)


def image_pdf(pages: list[tuple[Path, int]], target: Path, dpi: int) -> Path:
    """The pages (source, page number) rendered at ``dpi``, each stored as a JPEG image in one PDF."""
    import pypdfium2 as pdfium

    images = []
    for path, number in pages:
        document = pdfium.PdfDocument(path)
        if number <= len(document):
            images.append(document[number - 1].render(scale=dpi / 72).to_pil().convert("RGB"))
        document.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    images[0].save(partial, format="PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=80)
    partial.replace(target)
    return target


def distinct_copies(sources: list[Path], copies: int, folder: Path) -> list[Path]:
    """``copies`` copies of each source, each with a different trailing PDF comment."""
    made: list[Path] = []
    for copy in range(1, copies + 1):
        for source in sources:
            target = folder / f"{source.stem}_copy{copy}{source.suffix}"
            if not target.exists():
                folder.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes() + f"\n% copy {copy}\n".encode("ascii"))
            made.append(target)
    return made


def batch_catalog(sources: list[Path], folder: Path) -> Path:
    """``folder`` holding a fresh catalog of ``sources`` made by ``extractor batch``."""
    shutil.rmtree(folder, ignore_errors=True)
    extractor = Path(sys.executable).parent / "extractor"
    command = [str(extractor), "batch", *map(str, sources), "--out", str(folder)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return folder


def body_row(index: int) -> tuple[str, str, str, str]:
    outer, inner = index // OUTER_BLOCK, index // INNER_BLOCK
    return (
        f"2{outer:02d}",
        f"2{outer:02d}{inner % 100:02d} 事务{inner}",
        f"项目{index}",
        f"{1000 + index * 7:,}",
    )


def merged_docx(target: Path, rows: int = ROWS) -> Path:
    """One table of ``rows`` body rows, columns 1 and 2 merged down in blocks by w:vMerge."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.table import _Cell

    if target.exists():
        return target
    document = Document()
    document.add_paragraph("2025年部门支出预算明细表")
    table = document.add_table(rows=rows + 1, cols=len(HEADER))
    for r, row in enumerate(table.rows):
        values = HEADER if r == 0 else body_row(r - 1)
        for c, tc in enumerate(row._tr.tc_lst):
            block = OUTER_BLOCK if c == 0 else INNER_BLOCK if c == 1 else 0
            if r > 0 and block:
                merge = OxmlElement("w:vMerge")
                starts = (r - 1) % block == 0
                if starts:
                    merge.set(qn("w:val"), "restart")
                tc.get_or_add_tcPr().append(merge)
                if not starts:
                    continue
            _Cell(tc, table).text = values[c]
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


def merged_html(target: Path, rows: int = ROWS) -> Path:
    """The same table as an HTML page, merges as rowspan."""
    if target.exists():
        return target
    lines = [
        "<html><head><meta charset='utf-8'></head><body>",
        "<p>2025年部门支出预算明细表</p>",
        "<table border='1'>",
    ]
    lines.append("<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>")
    for index in range(rows):
        values = body_row(index)
        cells = []
        for c, value in enumerate(values):
            block = OUTER_BLOCK if c == 0 else INNER_BLOCK if c == 1 else 0
            if block and index % block:
                continue
            span = f" rowspan='{min(block, rows - index)}'" if block else ""
            cells.append(f"<td{span}>{html.escape(value)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table></body></html>")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def long_table_pdf(target: Path, pages: int) -> Path:
    """One ruled table over ``pages`` A4 pages, drawn with reportlab in the CJK test font.

    Each page repeats the header row; the title stands above the first page only. The first
    column's labels are merged over blocks of rows that run on across page breaks (the box
    goes on, empty, at the next page's top), and every ``LONG_TABLE_SPLIT_EVERY``-th page's
    last row is cut: its name's first half and no amount there, the rest at the next page's top
    under an empty code."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    if target.exists():
        return target
    pdfmetrics.registerFont(TTFont("CJK", str(CJK_FONT)))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    canvas = Canvas(str(partial), pagesize=(595.0, 842.0))
    cuts = sum(cut_at_bottom(page, pages) for page in range(pages))
    pieces = long_table_rows(pages * (LONG_TABLE_ROWS - 1) - cuts)
    labels = block_labels(len(pieces))
    index, rest = 0, ""
    for page in range(pages):
        if page == 0:
            long_table_text(canvas, 200.0, 30.0, "2025年部门项目支出预算明细表")
        rows: list[tuple[str, str, str, str]] = [LONG_TABLE_HEADER]
        blocks: list[str] = []
        while len(rows) < LONG_TABLE_ROWS and index < len(pieces):
            code, name, amount = pieces[index]
            label, offset = labels[index]
            shown = "" if len(rows) == 1 and (offset or rest) else label
            blocks.append(label)
            if rest:
                rows.append((shown, "", rest, amount))
                rest = ""
            elif cut_at_bottom(page, pages) and len(rows) == LONG_TABLE_ROWS - 1:
                rows.append((shown, code, name[: len(name) // 2], ""))
                rest = name[len(name) // 2 :]
                break
            else:
                rows.append((shown, code, name, amount))
            index += 1
        long_table_page(canvas, rows, blocks)
        canvas.showPage()
    canvas.save()
    partial.replace(target)
    return target


CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


def cut_at_bottom(page: int, pages: int) -> bool:
    """Whether the last row of ``page`` (from 0) is cut by the break."""
    return page % LONG_TABLE_SPLIT_EVERY == LONG_TABLE_SPLIT_EVERY - 1 and page < pages - 1


def long_table_rows(count: int) -> list[tuple[str, str, str]]:
    """Code, name and amount of each of the long table's body rows."""
    return [
        (f"2{index:07d}", f"项目支出第{index}项公共服务保障经费", f"{1000 + index * 7:,}.00")
        for index in range(count)
    ]


def block_labels(count: int) -> list[tuple[str, int]]:
    """For each body row, the label of its block and how many rows from the block's start it is."""
    labels: list[tuple[str, int]] = []
    block = 0
    while len(labels) < count:
        size = LONG_TABLE_BLOCKS[block % len(LONG_TABLE_BLOCKS)]
        labels.extend((f"第{block}类", offset) for offset in range(size))
        block += 1
    return labels[:count]


def long_table_page(canvas: Any, rows: list[tuple[str, str, str, str]], blocks: list[str]) -> None:
    """The rows of one page, each cell its own box but the first column's, one box a block of
    body rows (``blocks`` names each row's) with its label's text, if any, at the top."""
    xs = [LONG_TABLE_LEFT + sum(LONG_TABLE_WIDTHS[:i]) for i in range(len(LONG_TABLE_WIDTHS) + 1)]
    height = LONG_TABLE_ROW_HEIGHT

    def box(row: int, col: int, text: str, rowspan: int = 1) -> None:
        top = LONG_TABLE_TOP + row * height
        canvas.rect(xs[col], 842.0 - top - rowspan * height, xs[col + 1] - xs[col], rowspan * height)
        if text:
            long_table_text(canvas, xs[col] + 3.0, top + 4.0, text)

    for row, values in enumerate(rows):
        for col in range(1 if row else 0, len(values)):
            box(row, col, values[col])
    row = 1
    while row < len(rows):
        span = 1
        while row + span < len(rows) and blocks[row + span - 1] == blocks[row - 1]:
            span += 1
        box(row, 0, rows[row][0], span)
        row += span


def long_table_text(canvas: Any, x: float, top: float, text: str) -> None:
    """Text whose line starts ``top`` points below the page's top; the CJK font has no Latin
    glyphs, so ASCII runs are set in Helvetica, as a real document's mixed fonts would be."""
    line = canvas.beginText(x, 842.0 - top - 9.0)
    for ascii_run, run in itertools.groupby(text, key=str.isascii):
        line.setFont("Helvetica" if ascii_run else "CJK", 9.0)
        line.textOut("".join(run))
    canvas.drawText(line)
