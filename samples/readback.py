"""Read written samples back and check they hold the planned table, cell by cell.

A sample is only worth its place if the file says what we meant: every anchor cell's text and
span, the caption above the table, and the format's own promises -- borders on every table
cell, amounts stored as numbers whose text is the printed amount, targets such as ``=100%``
stored as text, not formulas. Each check reads the file with a library other than the
project's readers (openpyxl, xlrd, python-docx after a LibreOffice round trip, the standard
HTML parser), so a reader bug cannot hide a sample bug, and fails with a ``SampleError``
naming the first cells that differ.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from render import Sheet
from render_office import libreoffice_convert
from seed_layout import SampleError

try:
    import xlrd
    from docx import Document
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
except ImportError as exc:  # the generators are dev extras, not runtime dependencies
    raise SystemExit(
        f"error: {exc.name} is missing; install the dev extras: .venv/bin/pip install -e '.[dev]'"
    ) from exc

Span = tuple[int, int, str]
"""(rowspan, colspan, text) of an anchor cell; the text's paragraphs joined by newlines."""
Cells = dict[tuple[int, int], Span]
_SHOWN = 5  # differences listed in a failure message


def planned_cells(sheet: Sheet) -> Cells:
    return {(c.row, c.col): (c.rowspan, c.colspan, "\n".join(c.paragraphs)) for c in sheet.cells}


def compare(name: str, found: Cells, sheet: Sheet) -> None:
    """Fail unless ``found`` has exactly the sheet's anchors, spans and texts."""
    planned = planned_cells(sheet)
    wrong = [
        f"({r}, {c}): planned {planned.get((r, c))!r}, found {found.get((r, c))!r}"
        for r, c in sorted(planned.keys() | found.keys())
        if planned.get((r, c)) != found.get((r, c))
    ]
    if wrong:
        raise SampleError(f"{name}: {len(wrong)} cells differ from the layout: " + "; ".join(wrong[:_SHOWN]))


def _expect(name: str, what: str, found: object, wanted: object) -> None:
    if found != wanted:
        raise SampleError(f"{name}: {what} is {found!r}, expected {wanted!r}")


def _number_text(value: float) -> str:
    """A stored number as the seed prints it: integers without ``.0``, else the shortest repr."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _amount_cells(sheet: Sheet) -> set[tuple[int, int]]:
    return {(c.row, c.col) for c in sheet.cells if c.role == "amount" and c.paragraphs}


# ---------------------------------------------------------------------------- Excel


def check_xlsx(path: Path, sheet: Sheet) -> None:
    """Caption rows unbordered above the table; merges, thin borders, numbers and text as planned."""
    ws = load_workbook(path).worksheets[0]
    top = len(sheet.caption) + 1
    caption = tuple(ws.cell(row=r, column=1).value for r in range(1, top))
    _expect(path.name, "the caption", caption, sheet.caption)
    borders = _xlsx_borders(path)
    for r in range(1, top + sheet.n_rows):
        for c in range(1, sheet.n_cols + 1):
            coordinate = f"{get_column_letter(c)}{r}"
            wanted = ["thin"] * 4 if r >= top else [None] * 4
            _expect(path.name, f"the borders of {coordinate}", borders.get(coordinate, [None] * 4), wanted)
    spans = {
        (m.min_row - top, m.min_col - 1): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
        for m in ws.merged_cells.ranges
        if m.min_row >= top
    }
    found: Cells = {}
    amounts = _amount_cells(sheet)
    for r, c in _anchors(sheet, spans):
        cell = ws.cell(row=top + r, column=c + 1)
        value = cell.value
        if (r, c) in amounts:
            _expect(path.name, f"the type of amount {cell.coordinate}", type(value) in (int, float), True)
        elif value is not None:
            _expect(path.name, f"the data type of {cell.coordinate} ({value!r})", cell.data_type, "s")
        text = "" if value is None else value if isinstance(value, str) else _number_text(value)
        found[(r, c)] = (*spans.get((r, c), (1, 1)), text)
    compare(path.name, found, sheet)


_SML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _xlsx_borders(path: Path) -> dict[str, list[str | None]]:
    """Each written cell's border styles (left, right, top, bottom), read from the XML itself:
    openpyxl rebuilds the cells inside a merged range on loading and keeps only its outline."""
    with zipfile.ZipFile(path) as book:
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
        cells = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml")).iter(f"{_SML}c")
        xfs = [int(xf.get("borderId", "0")) for xf in styles.iterfind(f"{_SML}cellXfs/{_SML}xf")]
        boxes = [[_side(box, side) for side in _SIDES] for box in styles.iterfind(f"{_SML}borders/*")]
        return {cell.get("r", ""): boxes[xfs[int(cell.get("s", "0"))]] for cell in cells}


_SIDES = ("left", "right", "top", "bottom")


def _side(box: ElementTree.Element, name: str) -> str | None:
    side = box.find(f"{_SML}{name}")
    return None if side is None else side.get("style")


def _anchors(sheet: Sheet, spans: dict[tuple[int, int], tuple[int, int]]) -> list[tuple[int, int]]:
    """Grid positions not covered by a merged range (other than as its first cell)."""
    covered = {
        (r, c)
        for (r0, c0), (rs, cs) in spans.items()
        for r in range(r0, r0 + rs)
        for c in range(c0, c0 + cs)
        if (r, c) != (r0, c0)
    }
    return [(r, c) for r in range(sheet.n_rows) for c in range(sheet.n_cols) if (r, c) not in covered]


def check_xls(path: Path, sheet: Sheet) -> None:
    """The same promises for the BIFF8 workbook, read with xlrd (formatting included)."""
    book = xlrd.open_workbook(str(path), formatting_info=True)
    ws = book.sheet_by_index(0)
    top = len(sheet.caption)
    _expect(path.name, "the caption", tuple(ws.cell_value(r, 0) for r in range(top)), sheet.caption)
    thin = 1  # xlrd's code for a thin line
    for r in range(top + sheet.n_rows):
        for c in range(sheet.n_cols):
            border = book.xf_list[ws.cell_xf_index(r, c)].border
            sides = [border.left_line_style, border.right_line_style, border.top_line_style]
            sides.append(border.bottom_line_style)
            _expect(path.name, f"the borders of ({r}, {c})", sides, [thin if r >= top else 0] * 4)
    spans = {(r0 - top, c0): (r1 - r0, c1 - c0) for r0, r1, c0, c1 in ws.merged_cells if r0 >= top}
    found: Cells = {}
    amounts = _amount_cells(sheet)
    for r, c in _anchors(sheet, spans):
        cell = ws.cell(top + r, c)
        if (r, c) in amounts:
            _expect(path.name, f"the type of amount ({top + r}, {c})", cell.ctype, xlrd.XL_CELL_NUMBER)
            text = _number_text(cell.value)
        else:
            is_text = cell.ctype in (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_BLANK)
            _expect(path.name, f"the type of ({top + r}, {c}) being text", is_text, True)
            text = cell.value
        found[(r, c)] = (*spans.get((r, c), (1, 1)), text)
    compare(path.name, found, sheet)


# ---------------------------------------------------------------------------- Word


def check_doc(path: Path, sheet: Sheet) -> None:
    """Open the .doc with LibreOffice again, save it as .docx, and read that with python-docx."""
    with tempfile.TemporaryDirectory(prefix="seed_readback_") as tmp:
        docx_path = Path(tmp) / f"{path.stem}.docx"
        libreoffice_convert(path, docx_path, "docx:MS Word 2007 XML")
        check_docx(docx_path, sheet, name=path.name)


def check_docx(path: Path, sheet: Sheet, *, name: str) -> None:
    """The caption as the paragraphs before the one table; anchors found by shared ``w:tc``."""
    doc = Document(str(path))
    _expect(name, "the number of tables", len(doc.tables), 1)
    captions = tuple(p.text for p in doc.paragraphs if p.text.strip())
    _expect(name, "the paragraphs outside the table", captions, sheet.caption)
    table = doc.tables[0]
    _expect(name, "the table's size", (len(table.rows), len(table.columns)), (sheet.n_rows, sheet.n_cols))
    # python-docx gives one w:tc for every position of a merge. The elements themselves are
    # the keys: an id() of an lxml proxy may be reused once the proxy is gone.
    extent: dict[object, list[int]] = {}  # w:tc -> [first row, first col, last row, last col]
    texts: dict[object, str] = {}
    for r in range(sheet.n_rows):
        for c in range(sheet.n_cols):
            cell = table.cell(r, c)
            key = cell._tc
            if key not in extent:
                extent[key] = [r, c, r, c]
                texts[key] = "\n".join(p.text for p in cell.paragraphs if p.text)
            box = extent[key]
            box[2], box[3] = max(box[2], r), max(box[3], c)
    found = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1, texts[k]) for k, (r0, c0, r1, c1) in extent.items()}
    compare(name, found, sheet)


# ---------------------------------------------------------------------------- HTML


class _TableParser(HTMLParser):
    """Paragraphs outside tables, and each table's rows of (rowspan, colspan, paragraphs).

    Text is read as a browser shows it: runs of white space collapse to one space, and a
    paragraph holding nothing but no-break spaces (Word's ``<o:p>&nbsp;</o:p>``) is empty.
    Rows declared ``height=0`` (Word's column-fixing row) are kept apart in ``zero_rows``.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outside: list[str] = []
        self.rows: list[list[tuple[int, int, list[str]]]] = []
        self.zero_rows: list[list[tuple[int, int, list[str]]]] = []
        self._row: list[tuple[int, int, list[str]]] | None = None
        self._cell: list[str] | None = None
        self._para: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "tr":
            self._row = []
            (self.zero_rows if values.get("height") == "0" else self.rows).append(self._row)
        elif tag == "td" and self._row is not None:
            self._cell = []
            self._row.append((int(values.get("rowspan") or 1), int(values.get("colspan") or 1), self._cell))
        elif tag == "p":
            self._para = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._para is not None:
            text = re.sub(r"[ \t\r\n\f]+", " ", "".join(self._para)).strip(" ")
            if text.strip("\xa0"):
                (self._cell if self._cell is not None else self.outside).append(text)
            self._para = None
        elif tag == "td":
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._para is not None:
            self._para.append(data)


def check_word_html(path: Path, sheet: Sheet, *, encoding: str) -> None:
    """The page's paragraphs before the table are the caption; the table's spans and texts
    are the layout; the column-fixing row is empty."""
    parser = _TableParser()
    parser.feed(path.read_bytes().decode(encoding))
    parser.close()
    _expect(path.name, "the paragraphs outside the table", tuple(parser.outside), sheet.caption)
    _expect(path.name, "the number of rows", len(parser.rows), sheet.n_rows)
    for row in parser.zero_rows:
        _expect(path.name, "a height=0 row", [p for _, _, p in row], [[] for _ in row])
    taken: set[tuple[int, int]] = set()
    found: Cells = {}
    for r, row in enumerate(parser.rows):
        c = 0
        for rowspan, colspan, paragraphs in row:
            while (r, c) in taken:
                c += 1
            found[(r, c)] = (rowspan, colspan, "\n".join(paragraphs))
            taken |= {(r + i, c + j) for i in range(rowspan) for j in range(colspan)}
            c += colspan
    compare(path.name, found, sheet)
