"""Tables drawn as PDF by reportlab, cut over pages the way a publisher cuts them, and PDFs checked.

reportlab draws the rulings and the text itself with subset-embedded CJK fonts (see
``render.register_fonts``). A table longer than a page is cut where the page is full: the
header group that heads the cut rows is printed again on the new page when the look asks for
it, and a merged cell cut by the break restarts on the new page with its text or empty.

``locate_rows`` reads any PDF back (pdfplumber, not the extractor) to find the page each grid
row starts on: it is how the truth of a LibreOffice PDF gets its pages, and for reportlab it
must agree with the plan the drawing followed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from render import RL_FONT_CJK, Look, Sheet, markup, printed_lines, register_fonts, split_caption
from seed_layout import Cell, Role, SampleError

try:
    import pdfplumber
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        Flowable,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )
except ImportError as exc:  # the generators are dev extras, not runtime dependencies
    raise SystemExit(
        f"error: {exc.name} is missing; install the dev extras: .venv/bin/pip install -e '.[dev]'"
    ) from exc

MARGIN_PT = 34.0
FRAME_PADDING_PT = 6.0  # SimpleDocTemplate's frame pads each side
CAPTION_GAP_PT = 4.0
#: The narrower of the two producers' text widths (portrait, landscape), to guess what fits a line.
LINE_PT = (490.0, 740.0)
_WHITE_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PrintedPdf:
    """What a PDF producer did: its page count and the page each grid row starts on, per sheet."""

    pages: int
    row_pages: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class _Part:
    """Rows ``start``..``stop`` - 1 of a sheet on one page, under ``head`` rows repeated above."""

    start: int
    stop: int
    head: tuple[int, int] | None


class _Drawer:
    """Cell flowables and table styles for one document."""

    def __init__(self, look: Look) -> None:
        self.look = look
        self.droid_chars = register_fonts(radical_glyphs=look.radicals)
        size, leading = look.font_pt, look.font_pt * 1.3
        base = ParagraphStyle("cell", fontName=RL_FONT_CJK, fontSize=size, leading=leading, wordWrap="CJK")
        self.styles: dict[Role, ParagraphStyle] = {
            "key": ParagraphStyle("key", base, alignment=TA_CENTER),
            "header": ParagraphStyle("header", base, alignment=TA_CENTER),
            "text": ParagraphStyle("text", base, alignment=TA_JUSTIFY, firstLineIndent=2 * size),
            "value": ParagraphStyle("value", base, alignment=TA_CENTER),
            "amount": ParagraphStyle("amount", base, alignment=TA_RIGHT),
        }

    def paragraph(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(markup(text, self.droid_chars), style)

    def table(self, cells: Sequence[Cell], n_rows: int, col_widths: Sequence[float]) -> Table:
        look = self.look
        data: list[list[object]] = [["" for _ in col_widths] for _ in range(n_rows)]
        rule = "GRID" if look.outer_border else "INNERGRID"
        commands: list[tuple[object, ...]] = [
            (rule, (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            # Positions covered by a span still hold "" and are measured in the table's own
            # font (10 pt by default), which would make every such row tall.
            ("FONTNAME", (0, 0), (-1, -1), RL_FONT_CJK),
            ("FONTSIZE", (0, 0), (-1, -1), look.font_pt),
            ("LEADING", (0, 0), (-1, -1), look.font_pt * 1.3),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        for cell in cells:
            lines = printed_lines(cell, look, gap=" ", radicals=look.radicals)
            style = self.styles[cell.role]
            if cell.role == "text":
                data[cell.row][cell.col] = [self.paragraph(t, style) for t in lines]
            elif lines:  # wrapped lines of one paragraph: a forced break each
                text = "<br/>".join(markup(t, self.droid_chars) for t in lines)
                data[cell.row][cell.col] = [Paragraph(text, style)]
            if cell.rowspan > 1 or cell.colspan > 1:
                commands.append(("SPAN", (cell.col, cell.row), (cell.last_col, cell.last_row)))
        return Table(data, colWidths=list(col_widths), style=TableStyle(commands))

    def caption(self, sheet: Sheet, width: float) -> list[Flowable]:
        look = self.look
        radicals = look.radicals
        title_style = ParagraphStyle(
            "title", fontName=RL_FONT_CJK, fontSize=14, leading=18, alignment=TA_CENTER, spaceAfter=4
        )
        line_style = ParagraphStyle("line", fontName=RL_FONT_CJK, fontSize=8, leading=11, alignment=TA_LEFT)
        right_style = ParagraphStyle("right", line_style, alignment=TA_RIGHT)
        title, *rest = (
            printed_lines(Cell(0, 0, (line,)), look, gap=" ", radicals=radicals)[0] for line in sheet.caption
        )
        flow: list[Flowable] = [self.paragraph(title, title_style)]
        for line in rest:
            left, right = split_caption(line)
            if not right:
                flow.append(self.paragraph(left, line_style))
                continue
            row = [[self.paragraph(left, line_style), self.paragraph(right, right_style)]]
            pair = Table(row, colWidths=[width / 2, width / 2])
            pair.setStyle(
                TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
            )
            flow.append(pair)
        flow.append(Spacer(1, CAPTION_GAP_PT))
        return flow


def _part_cells(sheet: Sheet, part: _Part, look: Look) -> tuple[list[Cell], int]:
    """The cells of one page's table and its row count: repeated header, then the rows cut out.

    A span crossing the part's edges is clipped; the piece that starts the part repeats the
    text of the cell it was cut from, or is empty, as the look says.
    """
    cells: list[Cell] = []
    offset = 0
    if part.head is not None:
        first, stop = part.head
        for cell in sheet.cells:
            if first <= cell.row < stop:
                cells.append(
                    replace(cell, row=cell.row - first, rowspan=min(cell.last_row, stop - 1) - cell.row + 1)
                )
        offset = stop - first
    for cell in sheet.cells:
        if cell.last_row < part.start or cell.row >= part.stop:
            continue
        top = max(cell.row, part.start)
        piece = replace(
            cell, row=top - part.start + offset, rowspan=min(cell.last_row, part.stop - 1) - top + 1
        )
        if cell.row < part.start and not look.cut_span_text:
            piece = replace(piece, paragraphs=())
        cells.append(piece)
    return cells, part.stop - part.start + offset


def _measure(drawer: _Drawer, sheet: Sheet, part: _Part, widths: Sequence[float]) -> float:
    cells, n_rows = _part_cells(sheet, part, drawer.look)
    return float(drawer.table(cells, n_rows, widths).wrap(sum(widths), 1e7)[1])


def _plan(
    drawer: _Drawer, sheet: Sheet, widths: Sequence[float], first_room: float, room: float
) -> list[_Part]:
    """Cut the sheet where each page is full, never right after or inside a header group."""
    full = drawer.table(sheet.cells, sheet.n_rows, widths)
    full.wrap(sum(widths), 1e7)  # huge height: measure every row
    heights: list[float] = list(full._rowHeights)  # measured heights; no public accessor
    parts: list[_Part] = []
    start, available = 0, first_room
    while start < sheet.n_rows:
        head = None
        if parts and drawer.look.repeat_header:
            head = sheet.head_for(start)
            if any(h[0] == start for h in sheet.heads):
                head = None  # the page starts with a header of its own
        stop, used = start, sum(heights[head[0] : head[1]]) if head else 0.0
        while stop < sheet.n_rows and used + heights[stop] <= available:
            used += heights[stop]
            stop += 1
        for first, end in sheet.heads:  # a header is never left alone at a page's foot
            if first < stop <= end and first > start and stop < sheet.n_rows:
                stop = first
        stop = max(stop, start + 1)
        while stop > start + 1 and _measure(drawer, sheet, _Part(start, stop, head), widths) > available:
            stop -= 1
        parts.append(_Part(start, stop, head))
        start, available = stop, room
    return parts


def sheets_to_reportlab(sheets: Sequence[Sheet], look: Look, path: Path) -> PrintedPdf:
    """Draw every sheet, each from a new page, cut over as many pages as it needs."""
    drawer = _Drawer(look)
    pagesize = landscape(A4) if look.landscape else A4
    doc = SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=MARGIN_PT,
        rightMargin=MARGIN_PT,
        topMargin=MARGIN_PT,
        bottomMargin=MARGIN_PT,
        title=sheets[0].caption[0],
        author="示例市财政局",
        creator="reportlab",
        invariant=1,
    )
    frame_w, frame_h = doc.width - 2 * FRAME_PADDING_PT, doc.height - 2 * FRAME_PADDING_PT
    story: list[Flowable] = []
    row_pages: list[tuple[int, ...]] = []
    page = 0
    for index, sheet in enumerate(sheets):
        widths = [w * frame_w / sum(sheet.widths) for w in sheet.widths]
        caption = drawer.caption(sheet, frame_w)
        caption_h = sum(f.wrap(frame_w, frame_h)[1] + f.getSpaceAfter() for f in caption)
        parts = _plan(drawer, sheet, widths, frame_h - caption_h - 2, frame_h - 2)
        if index:
            story.append(PageBreak())
        story.extend(caption)
        pages_of_rows = [0] * sheet.n_rows
        for number, part in enumerate(parts):
            if number:
                story.append(PageBreak())
            page += 1
            cells, n_rows = _part_cells(sheet, part, look)
            story.append(drawer.table(cells, n_rows, widths))
            for row in range(part.start, part.stop):
                pages_of_rows[row] = page
        row_pages.append(tuple(pages_of_rows))

    drawn: list[int] = []

    def count_page(canvas: object, _doc: object) -> None:
        drawn.append(1)

    doc.build(story, onFirstPage=count_page, onLaterPages=count_page)
    if len(drawn) != page:
        raise SampleError(f"{path.name}: reportlab drew {len(drawn)} pages, the plan has {page}")
    return PrintedPdf(pages=page, row_pages=tuple(row_pages))


# ------------------------------------------------------------------------ reading back


def pdf_page_count(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def _marker(sheet: Sheet, row: int, look: Look, *, radicals: bool) -> str:
    """A piece of text that starts on row ``row``'s first printed line, as long as possible.

    Only cells of one row qualify: a merged label is printed in the middle of its span,
    among later rows. The prefix is cut to what fits on one line of its column.
    """
    best = ""
    for cell in sheet.cells:
        if cell.row != row or cell.rowspan != 1 or not cell.paragraphs:
            continue
        text = _WHITE_SPACE.sub("", printed_lines(cell, look, gap=" ", radicals=radicals)[0])
        share = sum(sheet.widths[cell.col : cell.last_col + 1]) / sum(sheet.widths)
        fits = max(2, int(0.75 * share * (LINE_PT[1] if look.landscape else LINE_PT[0]) / look.font_pt))
        if len(text[:fits]) > len(best):
            best = text[:fits]
    return best


def locate_rows(path: Path, sheets: Sequence[Sheet], look: Look, *, radicals: bool) -> list[list[int | None]]:
    """The page each grid row starts on, found by reading the rows' text in order.

    Rows are searched one after the other from where the previous row was found, so a
    text printed many times (健全, 0) is found at the right place. A row with no text of
    its own gets None.
    """
    with pdfplumber.open(path) as pdf:
        texts = [_WHITE_SPACE.sub("", page.extract_text() or "") for page in pdf.pages]
    found: list[list[int | None]] = []
    page, offset = 0, 0
    for sheet in sheets:
        pages: list[int | None] = []
        for row in range(sheet.n_rows):
            marker = _marker(sheet, row, look, radicals=radicals)
            if not marker:
                pages.append(None)
                continue
            at = -1
            while page < len(texts):
                at = texts[page].find(marker, offset)
                if at >= 0:
                    break
                page, offset = page + 1, 0
            if at < 0:
                raise SampleError(f"{path.name}: row {row} of {sheet.name} ({marker!r}) not found in order")
            offset = at + len(marker)
            pages.append(page + 1)
        found.append(pages)
    return found
