"""The benchmark's inputs, made in ``out/bench/inputs/`` and never committed.

* a 500-page PDF: the real corpus's pages concatenated (pypdf) in order, round and round;
* copies of the corpus for the batch, each made a distinct file by a comment after its end
  (a batch skips a file whose sha256 it has seen), so that the batch has enough files to keep
  two workers busy past their start-up;
* a batch's catalog of the corpus, made afresh each run, for ``report --inspect`` to inspect again;
* a .docx and an HTML page each holding one table of ``ROWS`` body rows whose first two
  columns are merged down in blocks (vMerge / rowspan), as budget tables are: python-docx's
  ``table.cell(r, c)`` re-lays the whole table on every call, so a reader built on it would
  take quadratic time here; the .docx is written through the XML for the same reason.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from pathlib import Path

ROWS = 2000
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
