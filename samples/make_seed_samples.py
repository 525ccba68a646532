"""Render the seed 部门整体预算绩效目标表 faithfully in the formats publishers use.

The logical table (a 7-column grid with explicit spans, checked against the
seed) comes from ``seed_layout.py`` beside this script; here it is written the
way different producers write it, so every reader can be tested against the
same truth. Into ``samples/seed/``:

* ``seed.txt`` -- the seed itself, byte for byte;
* ``seed_portal_gbk.html`` -- a government-portal page encoded as GBK with a
  layout table around the content, ``rowspan``/``colspan``, ``<p>`` paragraphs,
  ``<span>`` and ``&nbsp;`` inside cells;
* ``seed_word.docx`` -- a Word table with real merges (``gridSpan`` and
  ``vMerge``) written by python-docx;
* ``seed_word_libreoffice.pdf`` -- that document printed by LibreOffice;
* ``seed_reportlab.pdf`` -- a second PDF producer that draws rules and text
  itself, with the table cut over two pages
  inside the first indicator block (header row repeated, spans ended at the cut);
* ``seed_workbook.xlsx`` -- an Excel workbook (openpyxl): caption rows above the
  table, merged ranges, thin borders, amounts stored as numbers, targets as text;
* ``seed_workbook.xls`` -- the same as a legacy Excel 97-2003 workbook (xlwt);
* ``seed_word97.doc`` -- the Word document saved as Word 97-2003 by LibreOffice;
* ``seed_word_export.html`` -- the document as Word's "Save as Web Page" writes it
  (``render_word_html.py``).

Every new rendering is read back (``readback.py``: openpyxl, xlrd, the HTML
parser, python-docx after a LibreOffice round trip for the .doc) and must hold
the layout's anchors, spans and texts exactly.

Run from anywhere::

    .venv/bin/python samples/make_seed_samples.py

The output is deterministic except for the LibreOffice PDF and .doc, whose
producer stamps the conversion time into the file: ``--skip-libreoffice`` keeps
both as they are, ``--skip-libreoffice pdf`` keeps only the PDF.
"""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from readback import check_doc, check_word_html, check_xls, check_xlsx
from render import (
    CJK_FONT_DOCX,
    FIXED_TIME,
    RL_FONT_CJK,
    Look,
    Sheet,
    markup,
    pin_zip_timestamps,
    register_fonts,
    set_run_font,
)
from render_office import docx_to_doc, docx_to_pdf, sheets_to_xls, sheets_to_xlsx
from render_word_html import sheets_to_word_html
from seed_layout import N_COLS, Cell, Layout, Role, SampleError, check_layout, read_seed, seed_to_layout

try:
    from docx import Document
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
except ImportError as exc:  # the generators are dev extras, not runtime dependencies
    raise SystemExit(
        f"error: {exc.name} is missing; install the dev extras: .venv/bin/pip install -e '.[dev]'"
    ) from exc

SCRIPT_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = SCRIPT_DIR.parent
SEED_PATH = PROJECT_ROOT.parent / "shared" / "seed" / "000_7d771747d48d5f69.txt"
OUT_DIR = SCRIPT_DIR / "seed"
AUTHOR = "南京江北新区产业技术研创园管理办公室"
LIBREOFFICE_OUTPUTS = {"pdf": "seed_word_libreoffice.pdf", "doc": "seed_word97.doc"}


# ---------------------------------------------------------------------------- HTML

_HTML_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
<meta charset="gb2312">
<title>{title}_南京江北新区管理委员会</title>
<style type="text/css">
body {{ margin:0; font-family:"宋体"; font-size:12px; }}
.nav a {{ color:#fff; text-decoration:none; margin:0 12px; }}
</style>
</head>
<body>
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td height="90" bgcolor="#1d5fa8" style="color:#fff;font-size:28px;padding-left:20px;">\
南京江北新区管理委员会</td></tr>
<tr><td class="nav" height="36" bgcolor="#164b86">\
<a href="/">首页</a>|<a href="/zwgk/">政务公开</a>|<a href="/zwgk/czyjs/">财政预决算</a>|\
<a href="/hdjl/">互动交流</a></td></tr>
<tr><td style="padding:8px 0;">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> \
&gt; 财政预决算</td></tr>
<tr><td valign="top" style="padding:10px 20px;">
<div class="article">
"""

_HTML_TAIL = """</div>
</td></tr>
<tr><td height="60" align="center" bgcolor="#eeeeee">主办：南京江北新区管理委员会&nbsp;&nbsp;\
<a href="#">网站地图</a>&nbsp;|&nbsp;<a href="#">联系我们</a></td></tr>
</table>
</body>
</html>
"""

_TD_STYLE = "border:1px solid #000000;"


def _html_cell(cell: Cell) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    align = "left" if cell.role == "text" else "center"
    esc = [html.escape(p, quote=False) for p in cell.paragraphs]
    if not esc:
        body = "&nbsp;"
    elif cell.role == "text":
        body = "".join(f'<p style="text-indent:2em;margin:0;line-height:150%;">{p}</p>' for p in esc)
    elif cell.role == "amount":
        body = f"<span style=\"font-family:'Times New Roman';\">{esc[0]}</span>"
    elif cell.role == "header":
        body = f"<span><b>{esc[0]}</b></span>"
    elif cell.role == "key" and cell.col == 0 and cell.colspan == 1 and cell.rowspan == 1:
        body = f"&nbsp;{esc[0]}&nbsp;"
    else:
        body = "<br>".join(esc)
    return f'<td{attrs} align="{align}" valign="middle" style="{_TD_STYLE}">{body}</td>'


def layout_to_html(layout: Layout) -> str:
    """A portal page: layout table, heading, year paragraph, bordered data table."""
    parts = [_HTML_HEAD.format(title=html.escape(layout.title))]
    parts.append(
        f'<h2 style="text-align:center;font-size:20px;">{html.escape(layout.title)}</h2>\n'
        f'<p style="text-align:center;">{html.escape(layout.year)}</p>\n'
    )
    parts.append(
        '<table border="1" cellspacing="0" cellpadding="4" bordercolor="#000000" width="100%" '
        'style="border-collapse:collapse;font-size:12px;">\n<tbody>\n'
    )
    for row in layout.rows():
        parts.append("<tr>" + "".join(_html_cell(c) for c in row) + "</tr>\n")
    parts.append("</tbody>\n</table>\n")
    parts.append(_HTML_TAIL)
    return "".join(parts)


# ---------------------------------------------------------------------------- Word

DOCX_COL_CM = (2.2, 2.0, 2.6, 2.4, 3.6, 2.1, 2.1)


def layout_to_docx(layout: Layout, path: Path) -> None:
    """A Word document: title and year paragraphs, then one table with real merges."""
    body_pt = 8.0
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(2.0)

    normal = doc.styles["Normal"]
    normal.font.name = CJK_FONT_DOCX
    normal.font.size = Pt(body_pt)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT_DOCX)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    for text, size, bold in ((layout.title, 16.0, True), (layout.year, 10.0, False)):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(6)
        set_run_font(para.add_run(text), size, bold=bold)

    table = doc.add_table(rows=layout.n_rows, cols=N_COLS)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width_cm in zip(table.columns, DOCX_COL_CM, strict=True):
        col.width = Cm(width_cm)
    for row in table.rows:
        for cell, width_cm in zip(row.cells, DOCX_COL_CM, strict=True):
            cell.width = Cm(width_cm)

    for anchor in layout.cells:
        cell = table.cell(anchor.row, anchor.col)
        if anchor.rowspan > 1 or anchor.colspan > 1:
            cell = cell.merge(table.cell(anchor.last_row, anchor.col + anchor.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for i, text in enumerate(anchor.paragraphs):
            para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            if anchor.role == "text":
                para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                para.paragraph_format.first_line_indent = Pt(2 * body_pt)
            else:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_run_font(para.add_run(text), body_pt, bold=anchor.role == "header")

    props = doc.core_properties
    props.title = layout.title
    props.author = props.last_modified_by = AUTHOR
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    doc.save(str(path))
    pin_zip_timestamps(path)


# ----------------------------------------------------------------------- reportlab

RL_BODY_PT = 6.0
RL_LEADING_PT = 7.6
RL_COL_PT = (56.0, 50.0, 80.0, 62.0, 127.0, 70.0, 70.0)
RL_MARGIN_PT = 34.0
REPEAT_TEXT_AFTER_CUT = True
"""At the page cut a merged cell becomes two; the part on page 2 repeats the text,
as publishers do when they cut a table by hand and re-head it."""


def _cut_layout(layout: Layout, cut: int) -> tuple[list[Cell], list[Cell], int]:
    """Split the grid before row ``cut``: rows above, and the rest under a repeated header.

    Returns (page-1 cells, page-2 cells, page-2 row count). Spans crossing the
    cut end there; their remainder starts page 2 (below the repeated header).
    """
    header_row = max(r for r in layout.header_rows if r < cut)
    first: list[Cell] = []
    second = [replace(c, row=0) for c in layout.cells if c.row == header_row]
    for cell in layout.cells:
        if cell.last_row < cut:
            first.append(cell)
        elif cell.row >= cut:
            second.append(replace(cell, row=cell.row - cut + 1))
        else:
            first.append(replace(cell, rowspan=cut - cell.row))
            rest = replace(cell, row=1, rowspan=cell.last_row - cut + 1)
            second.append(rest if REPEAT_TEXT_AFTER_CUT else replace(rest, paragraphs=()))
    return first, second, layout.n_rows - cut + 1


def _rl_table(cells: Sequence[Cell], n_rows: int, droid_chars: set[int]) -> Table:

    base = ParagraphStyle(
        "cell", fontName=RL_FONT_CJK, fontSize=RL_BODY_PT, leading=RL_LEADING_PT, wordWrap="CJK"
    )
    styles: dict[Role, ParagraphStyle] = {
        "key": ParagraphStyle("key", base, alignment=TA_CENTER),
        "header": ParagraphStyle("header", base, alignment=TA_CENTER),
        "text": ParagraphStyle("text", base, alignment=TA_JUSTIFY, firstLineIndent=2 * RL_BODY_PT),
        "value": ParagraphStyle("value", base, alignment=TA_CENTER),
        "amount": ParagraphStyle("amount", base, alignment=TA_RIGHT),
    }
    data: list[list[object]] = [["" for _ in range(N_COLS)] for _ in range(n_rows)]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        # Positions covered by a column span still hold "" and are measured in the
        # table's own font (10 pt by default), which would make every such row tall.
        ("FONTNAME", (0, 0), (-1, -1), RL_FONT_CJK),
        ("FONTSIZE", (0, 0), (-1, -1), RL_BODY_PT),
        ("LEADING", (0, 0), (-1, -1), RL_LEADING_PT),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
    ]
    for cell in cells:
        data[cell.row][cell.col] = [
            Paragraph(markup(t, droid_chars), styles[cell.role]) for t in cell.paragraphs
        ]
        if cell.rowspan > 1 or cell.colspan > 1:
            end = (cell.col + cell.colspan - 1, cell.last_row)
            commands.append(("SPAN", (cell.col, cell.row), end))
    return Table(data, colWidths=list(RL_COL_PT), style=TableStyle(commands))


def layout_to_reportlab(layout: Layout, path: Path) -> int:
    """Draw the table on A4 over two pages; return the grid row where page 2 starts."""
    droid_chars = register_fonts()
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=RL_MARGIN_PT,
        rightMargin=RL_MARGIN_PT,
        topMargin=RL_MARGIN_PT,
        bottomMargin=RL_MARGIN_PT,
        title=layout.title,
        author=AUTHOR,
        creator="reportlab",
        invariant=1,
    )
    title_style = ParagraphStyle("title", fontName=RL_FONT_CJK, fontSize=14, leading=18, alignment=TA_CENTER)
    year_style = ParagraphStyle("year", fontName=RL_FONT_CJK, fontSize=8, leading=10, alignment=TA_CENTER)
    title = Paragraph(markup(layout.title, droid_chars), title_style)
    year = Paragraph(markup(layout.year, droid_chars), year_style)
    gap = 4.0

    # Measure the whole table once, then cut it where page 1 is full.
    full = _rl_table(layout.cells, layout.n_rows, droid_chars)
    frame_w, frame_h = doc.width - 12, doc.height - 12  # Frame padding is 6 pt a side.
    full.wrap(frame_w, 1e6)  # huge height: measure every row
    heights: list[float] = list(full._rowHeights)  # measured heights; no public accessor
    room = frame_h - title.wrap(frame_w, frame_h)[1] - year.wrap(frame_w, frame_h)[1] - gap - 1
    cut, used = 0, 0.0
    while cut < layout.n_rows and used + heights[cut] <= room:
        used += heights[cut]
        cut += 1
    first_block = layout.header_rows[0]
    if not first_block + 1 < cut < layout.header_rows[1]:
        raise SampleError(
            f"page 1 ends before row {cut}, not inside the first indicator block "
            f"(rows {first_block + 1}-{layout.header_rows[1] - 1}); adjust RL_BODY_PT or RL_COL_PT"
        )
    first, second, n_second = _cut_layout(layout, cut)
    pages: list[int] = []

    def count_page(canvas: object, _doc: object) -> None:
        pages.append(1)

    doc.build(
        [
            title,
            year,
            Spacer(1, gap),
            _rl_table(first, cut, droid_chars),
            PageBreak(),
            _rl_table(second, n_second, droid_chars),
        ],
        onFirstPage=count_page,
        onLaterPages=count_page,
    )
    if len(pages) != 2:
        raise SampleError(f"the reportlab PDF has {len(pages)} pages, expected 2; adjust RL_BODY_PT")
    return cut


# --------------------------------------------------------------------- workbooks, Word HTML

SEED_LOOK = Look(font_pt=8.0, repeat_header=False, covered_borders=True)
"""The seed's print: 8 pt like the Word table, portrait, every cell of the workbooks bordered;
no header row repeats (the seed's column headers head blocks in the middle of the table)."""


def layout_to_sheet(layout: Layout) -> Sheet:
    """The layout as the shared renderers take it: title and year as caption lines."""
    return Sheet(
        name="绩效目标表",
        caption=(layout.title, layout.year),
        n_rows=layout.n_rows,
        n_cols=N_COLS,
        cells=layout.cells,
        heads=tuple((row, row + 1) for row in layout.header_rows),
        widths=DOCX_COL_CM,
    )


# ---------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--skip-libreoffice",
        nargs="*",
        choices=sorted(LIBREOFFICE_OUTPUTS),
        metavar="OUTPUT",
        help="keep the LibreOffice outputs as they are: all of them, or only those named (pdf, doc)",
    )
    args = parser.parse_args(argv)
    skipped = set(LIBREOFFICE_OUTPUTS) if args.skip_libreoffice == [] else set(args.skip_libreoffice or ())
    try:
        seed = read_seed(SEED_PATH)
        layout = seed_to_layout(seed)
        check_layout(layout, seed)
        sheet = layout_to_sheet(layout)
        sheet.check_tiling()
        OUT_DIR.mkdir(parents=True, exist_ok=True)

        (OUT_DIR / "seed.txt").write_bytes(seed.raw)
        (OUT_DIR / "seed_portal_gbk.html").write_bytes(layout_to_html(layout).encode("gbk"))
        docx_path = OUT_DIR / "seed_word.docx"
        layout_to_docx(layout, docx_path)
        if "pdf" not in skipped:
            docx_to_pdf(docx_path, OUT_DIR / LIBREOFFICE_OUTPUTS["pdf"])
        if "doc" not in skipped:
            docx_to_doc(docx_path, OUT_DIR / LIBREOFFICE_OUTPUTS["doc"])
            check_doc(OUT_DIR / LIBREOFFICE_OUTPUTS["doc"], sheet)
        cut = layout_to_reportlab(layout, OUT_DIR / "seed_reportlab.pdf")

        sheets_to_xlsx([sheet], SEED_LOOK, OUT_DIR / "seed_workbook.xlsx")
        check_xlsx(OUT_DIR / "seed_workbook.xlsx", sheet)
        sheets_to_xls([sheet], SEED_LOOK, OUT_DIR / "seed_workbook.xls")
        check_xls(OUT_DIR / "seed_workbook.xls", sheet)
        html_path = OUT_DIR / "seed_word_export.html"
        html_path.write_bytes(
            sheets_to_word_html([sheet], SEED_LOOK, stem=html_path.stem, author=AUTHOR, pages=2)
        )
        check_word_html(html_path, sheet, encoding="gbk")
    except SampleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {layout.n_rows}-row table samples to {OUT_DIR}; reportlab page 2 starts at grid row {cut}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
