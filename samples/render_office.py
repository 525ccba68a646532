"""Tables as office documents: Word (python-docx), Excel (openpyxl; legacy .xls with xlwt), and
Word converted by LibreOffice (printed to PDF, saved as Word 97 .doc).

Word tables carry real merges (``gridSpan``/``vMerge``); the top header rows may be marked
"repeat as header row" (``w:tblHeader``); a table may lack its outer borders. Excel sheets
put the caption in rows above the table, merge ranges for spans, and store amounts as
numbers with a number format that prints them as the publisher did (``#,##0.00``); every
other text, ``=100%`` included, is stored as text, never as a formula.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from copy import copy
from pathlib import Path

from render import FIXED_TIME, Look, Sheet, pin_zip_timestamps, printed_lines, set_run_font, split_caption
from seed_layout import Cell, SampleError

try:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt
    from docx.table import Table as DocxTable
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet
    from xlwt import Workbook as XlsWorkbook
    from xlwt import XFStyle, easyxf
except ImportError as exc:  # the generators are dev extras, not runtime dependencies
    raise SystemExit(
        f"error: {exc.name} is missing; install the dev extras: .venv/bin/pip install -e '.[dev]' openpyxl"
    ) from exc

SOFFICE_TIMEOUT_S = 180
#: Minimum row height of a Word table, in units of the body font size.
ROW_HEIGHT_EM = 2.0
AUTHOR = "示例市财政局"
_DOCX_ALIGN = {
    "key": WD_ALIGN_PARAGRAPH.CENTER,
    "header": WD_ALIGN_PARAGRAPH.CENTER,
    "text": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "value": WD_ALIGN_PARAGRAPH.CENTER,
    "amount": WD_ALIGN_PARAGRAPH.RIGHT,
}

# ---------------------------------------------------------------------------- Word


def _no_outer_borders(table: DocxTable) -> None:
    """Table borders inside only: the outer frame is missing, as in some publishers' tables."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        inside = edge.startswith("inside")
        element.set(qn("w:val"), "single" if inside else "nil")
        if inside:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def _mark_header_rows(table: DocxTable, count: int) -> None:
    """``w:tblHeader`` on the first ``count`` rows: Word repeats them on every page."""
    for row in table.rows[:count]:
        tr_pr = row._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        tr_pr.append(header)


def _fill_cell(table: DocxTable, anchor: Cell, look: Look) -> None:
    cell = table.cell(anchor.row, anchor.col)
    if anchor.rowspan > 1 or anchor.colspan > 1:
        cell = cell.merge(table.cell(anchor.last_row, anchor.last_col))
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = printed_lines(anchor, look, gap="\u3000")
    bold = anchor.role == "header"
    if anchor.role == "text":  # paragraphs of their own
        for i, text in enumerate(lines):
            para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            para.alignment = _DOCX_ALIGN["text"]
            para.paragraph_format.first_line_indent = Pt(2 * look.font_pt)
            set_run_font(para.add_run(text), look.font_pt, bold=bold)
        return
    para = cell.paragraphs[0]  # one paragraph, wrapped lines as manual breaks (Shift+Enter)
    para.alignment = _DOCX_ALIGN[anchor.role]
    for i, text in enumerate(lines):
        run = para.add_run(text)
        set_run_font(run, look.font_pt, bold=bold)
        if i < len(lines) - 1:
            run.add_break()


def sheets_to_docx(sheets: Sequence[Sheet], look: Look, path: Path) -> None:
    """A Word document: each sheet's caption as paragraphs, then its table; one sheet a page."""
    doc = Document()
    section = doc.sections[0]
    long_cm, short_cm = 29.7, 21.0
    if look.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(long_cm), Cm(short_cm)
    else:
        section.page_width, section.page_height = Cm(short_cm), Cm(long_cm)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(2.0)
    text_cm = (long_cm if look.landscape else short_cm) - 3.6

    normal = doc.styles["Normal"]
    normal.font.name = "WenQuanYi Micro Hei"
    normal.font.size = Pt(look.font_pt)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "WenQuanYi Micro Hei")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    for index, sheet in enumerate(sheets):
        if index:  # each table on a page of its own
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        title, *rest = sheet.caption
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(6)
        set_run_font(para.add_run(title), 16.0, bold=True)
        for line in rest:
            left, right = split_caption(line)
            para = doc.add_paragraph()
            para.paragraph_format.space_after = Pt(3)
            para.paragraph_format.tab_stops.add_tab_stop(Cm(text_cm), WD_TAB_ALIGNMENT.RIGHT)
            set_run_font(para.add_run(f"{left}\t{right}" if right else left), 10.0)

        table = doc.add_table(rows=sheet.n_rows, cols=sheet.n_cols)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        scale = text_cm / sum(sheet.widths)
        for col, weight in zip(table.columns, sheet.widths, strict=True):
            col.width = Cm(weight * scale)
        for row in table.rows:
            # Publishers' forms have rows taller than one line of text, not Word's tight default.
            row.height, row.height_rule = Pt(look.font_pt * ROW_HEIGHT_EM), WD_ROW_HEIGHT_RULE.AT_LEAST
            for cell, weight in zip(row.cells, sheet.widths, strict=True):
                cell.width = Cm(weight * scale)
        for anchor in sheet.cells:
            _fill_cell(table, anchor, look)
        if look.repeat_header and sheet.heads and sheet.heads[0][0] == 0:
            _mark_header_rows(table, sheet.heads[0][1])
        if not look.outer_border:
            _no_outer_borders(table)

    props = doc.core_properties
    props.title = sheets[0].caption[0]
    props.author = props.last_modified_by = AUTHOR
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    doc.save(str(path))
    pin_zip_timestamps(path)


def docx_to_pdf(docx_path: Path, pdf_path: Path) -> None:
    """Print the document with LibreOffice in a throw-away profile, within a time limit."""
    libreoffice_convert(docx_path, pdf_path, "pdf")


def docx_to_doc(docx_path: Path, doc_path: Path) -> None:
    """Save the document as legacy Word 97-2003 (.doc, an OLE compound file) with LibreOffice.

    Word ends every document with a paragraph; python-docx lets one end with a table, and
    LibreOffice (7.4) saves such a table to Word 97 so that it cannot read it back: the cells
    run together as plain paragraphs. So a copy with an empty final paragraph is converted.
    """
    document = Document(str(docx_path))
    body = document.element.body
    blocks = [child for child in body if child.tag != qn("w:sectPr")]
    if not blocks or blocks[-1].tag != qn("w:tbl"):
        libreoffice_convert(docx_path, doc_path, "doc:MS Word 97")
        return
    document.add_paragraph()
    with tempfile.TemporaryDirectory(prefix="docx_to_doc_") as tmp:
        copy_path = Path(tmp) / docx_path.name
        document.save(str(copy_path))
        libreoffice_convert(copy_path, doc_path, "doc:MS Word 97")


def libreoffice_convert(source: Path, target: Path, convert_to: str) -> None:
    """Convert ``source`` with ``soffice --convert-to convert_to`` into ``target``.

    A private profile keeps the run away from any user's LibreOffice settings and lets two runs
    go side by side; the time limit stops a hung conversion. ``convert_to`` is an extension,
    optionally with a filter name (``doc:MS Word 97``); the produced file is named after it.
    """
    soffice = shutil.which("soffice") or ("/usr/bin/soffice" if Path("/usr/bin/soffice").exists() else None)
    if soffice is None:
        raise SampleError("LibreOffice (soffice) not found; install it or pass --skip-libreoffice")
    with tempfile.TemporaryDirectory(prefix="seed_samples_lo_") as tmp:
        profile, outdir = Path(tmp) / "profile", Path(tmp) / "out"
        outdir.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            convert_to,
            "--outdir",
            str(outdir),
            str(source),
        ]
        # A session of its own, so a hung soffice.bin (a child of the soffice
        # launcher) can be stopped together with the launcher.
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            out, err = proc.communicate(timeout=SOFFICE_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise SampleError(f"LibreOffice did not finish within {SOFFICE_TIMEOUT_S}s") from exc
        produced = outdir / f"{source.stem}.{convert_to.partition(':')[0]}"
        if proc.returncode != 0 or not produced.is_file():
            raise SampleError(
                f"LibreOffice failed (exit {proc.returncode}): {err.decode(errors='replace').strip()}"
                f" {out.decode(errors='replace').strip()}"
            )
        shutil.move(str(produced), target)


# ---------------------------------------------------------------------------- Excel


def number_of(text: str) -> tuple[float | int, str] | None:
    """The number an amount cell stores and the format that prints it back as ``text``.

    ``4,100,000.00`` → (4100000.0, ``#,##0.00``); ``61000`` → (61000, ``0``). Anything that
    is not a plain amount (``-``, ``≥95%``, words) is stored as text.
    """
    digits = text.replace(",", "")
    whole, dot, decimals = digits.partition(".")
    if not whole.isdigit() or (dot and not decimals.isdigit()):
        return None
    grouping = "#,##0" if "," in text or int(whole) < 1000 else "0"
    if dot:
        return float(digits), f"{grouping}.{'0' * len(decimals)}"
    return int(whole), grouping


def sheets_to_xlsx(sheets: Sequence[Sheet], look: Look, path: Path) -> None:
    """A workbook with one worksheet per sheet: caption rows, then the table with merged ranges."""
    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin", color="000000")
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        title, *rest = sheet.caption
        ws.cell(row=1, column=1, value=title).font = Font(name="宋体", size=16, bold=True)
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=sheet.n_cols)
        for offset, line in enumerate(rest, start=2):
            left, right = split_caption(line)
            ws.cell(row=offset, column=1, value=left)
            if right:
                ws.cell(row=offset, column=sheet.n_cols, value=right).alignment = Alignment(
                    horizontal="right"
                )
        top = len(sheet.caption) + 1
        for r in range(sheet.n_rows):
            for c in range(sheet.n_cols):
                ws.cell(row=top + r, column=c + 1).border = Border(
                    left=thin, right=thin, top=thin, bottom=thin
                )
        for anchor in sheet.cells:
            _put_xlsx_cell(ws, anchor, top, look)
        scale = (150 if look.landscape else 100) / sum(sheet.widths)
        for c, weight in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = round(weight * scale, 1)
        ws.page_setup.orientation = "landscape" if look.landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if look.repeat_header and sheet.heads and sheet.heads[0][0] == 0:
            ws.print_title_rows = f"{top}:{top + sheet.heads[0][1] - 1}"
    book.properties.creator = book.properties.lastModifiedBy = AUTHOR
    book.properties.title = sheets[0].caption[0]
    book.properties.created = book.properties.modified = FIXED_TIME
    book.save(str(path))
    pin_zip_timestamps(path)


def _put_xlsx_cell(ws: Worksheet, anchor: Cell, top: int, look: Look) -> None:
    row, col = top + anchor.row, anchor.col + 1
    target = ws.cell(row=row, column=col)
    lines = printed_lines(anchor, look, gap=" ")
    text = "\n".join(lines)
    number = number_of(text) if anchor.role == "amount" else None
    if number is not None:
        target.value, target.number_format = number
    elif text:
        target.value = text
        target.data_type = "s"  # text as typed: ``=100%`` is a target, not a formula
    target.font = Font(name="宋体", size=10, bold=anchor.role == "header")
    horizontal = {"text": "left", "amount": "right"}.get(anchor.role, "center")
    target.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
    if anchor.rowspan > 1 or anchor.colspan > 1:
        ws.merge_cells(
            start_row=row, start_column=col, end_row=row + anchor.rowspan - 1, end_column=anchor.last_col + 1
        )
        if look.covered_borders:  # merging replaced the covered cells, format and all
            for r in range(row, row + anchor.rowspan):
                for c in range(col, anchor.last_col + 2):
                    ws.cell(row=r, column=c)._style = copy(target._style)  # no public style copy


def sheets_to_xls(sheets: Sequence[Sheet], look: Look, path: Path) -> None:
    """A BIFF8 workbook (Excel 97-2003) laid out like ``sheets_to_xlsx``, written by xlwt.

    Spans are written with ``write_merge``, which gives every covered position the anchor's
    style, so the borders of a merged range are drawn all round. xlwt stores numbers as
    binary floats (an RK or NUMBER record), text in the shared string table, and no time
    stamp, so the file is the same from run to run.
    """
    book = XlsWorkbook(encoding="utf-8")
    styles: dict[tuple[str, str], XFStyle] = {}
    for sheet in sheets:
        ws = book.add_sheet(sheet.name)
        title, *rest = sheet.caption
        title_style = easyxf(f"{_xls_font(16, bold=True)}; align: horiz center")
        ws.write_merge(0, 0, 0, sheet.n_cols - 1, title, title_style)
        for offset, line in enumerate(rest, start=1):
            left, right = split_caption(line)
            ws.write(offset, 0, left, easyxf(_xls_font(10)))
            if right:
                ws.write(offset, sheet.n_cols - 1, right, easyxf(f"{_xls_font(10)}; align: horiz right"))
        top = len(sheet.caption)
        for anchor in sheet.cells:
            text = "\n".join(printed_lines(anchor, look, gap=" "))
            number = number_of(text) if anchor.role == "amount" else None
            value: object = text if number is None else number[0]
            key = (anchor.role, "General" if number is None else number[1])
            if key not in styles:
                styles[key] = _xls_style(*key)
            row, col = top + anchor.row, anchor.col
            if anchor.rowspan > 1 or anchor.colspan > 1:
                ws.write_merge(row, top + anchor.last_row, col, anchor.last_col, value, styles[key])
            else:
                ws.write(row, col, value, styles[key])
        scale = (150 if look.landscape else 100) / sum(sheet.widths)
        for c, weight in enumerate(sheet.widths):
            ws.col(c).width = round(weight * scale * 256)  # in 1/256 of a character
        ws.portrait = not look.landscape
        ws.paper_size_code = 9  # A4
        ws.fit_num_pages, ws.fit_width_to_pages, ws.fit_height_to_pages = 0, 1, 0
    book.save(str(path))


_XLS_ALIGN = {"text": "left", "amount": "right"}


def _xls_font(size_pt: int, *, bold: bool = False) -> str:
    """An ``easyxf`` font clause; xlwt counts the height in twentieths of a point."""
    return f"font: name 宋体, height {size_pt * 20}{', bold on' if bold else ''}"


def _xls_style(role: str, number_format: str) -> XFStyle:
    """Font, alignment and thin borders all round for one kind of table cell."""
    horizontal = _XLS_ALIGN.get(role, "center")
    return easyxf(
        f"{_xls_font(10, bold=role == 'header')}; align: horiz {horizontal}, vert center, wrap on; "
        "borders: left thin, right thin, top thin, bottom thin",
        num_format_str=number_format,
    )
