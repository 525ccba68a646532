"""The one cell-grid model every reader produces and every later step consumes.

A grid stores only anchor cells: the top-left cell of a merge carries the text and
its ``rowspan``/``colspan``; the positions it covers hold nothing of their own.
Views such as "which cell covers (r, c)" are derived on demand, never stored beside
the anchors, so spans exist in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class BBox:
    """A box in PDF points, origin top-left as pdfplumber reports it."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Cell:
    """An anchor cell: the text of a (possibly merged) cell and the area it covers."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None
    bbox: BBox | None = None
    #: Where the first line of the text stands inside ``bbox`` (PDF): how far a label is indented
    #: tells how deep it nests where a publisher prints no code or number. Not in the JSON.
    text_box: BBox | None = None
    #: How sure OCR was of the text, 0 to 1 (its least sure character); None where the text was
    #: not recognised from an image but read from the document (every format but a scan).
    confidence: float | None = None

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class SheetPlace:
    """Where a workbook table stands, so that a record can be traced to its cells: the sheet's
    name and the sheet's row and column numbers (from 1) of each grid row and column (hidden
    ones are not in the grid, so the numbers can skip)."""

    name: str
    rows: tuple[int, ...]
    cols: tuple[int, ...]

    @property
    def cell_range(self) -> str:
        """The table's A1 range on its sheet, from its first cell to its last (A3:H40)."""
        if not self.rows or not self.cols:
            return ""
        return f"{column_letters(self.cols[0])}{self.rows[0]}:{column_letters(self.cols[-1])}{self.rows[-1]}"


def column_letters(number: int) -> str:
    """A spreadsheet column's letters from its number (1 → A, 27 → AA)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Grid:
    """One table as a reader found it.

    ``origin`` says where the table came from in format terms ("page 3",
    "table 2", "sheet 收支总表"); ``caption`` holds the text lines printed just
    above the table (title, year, 单位：万元 …), nearest line last, and ``notes`` the
    lines just below it (注：本部门无政府性基金预算，故本表为空表), nearest first.
    ``spans_known`` is False for sources that cannot state merges (pasted
    text), which lets the layout step repair rows that lost their merged cells. ``sheet``
    places a workbook table on its sheet.
    """

    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]
    origin: str = ""
    caption: tuple[str, ...] = ()
    pages: tuple[int, ...] = ()
    spans_known: bool = True
    notes: tuple[str, ...] = ()
    sheet: SheetPlace | None = None

    @cached_property
    def _cover(self) -> dict[tuple[int, int], Cell]:
        cover: dict[tuple[int, int], Cell] = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    cover[(r, c)] = cell
        return cover

    def covering(self, row: int, col: int) -> Cell | None:
        """The anchor cell whose area includes (row, col), or None for a hole."""
        return self._cover.get((row, col))

    def row_cells(self, row: int) -> list[Cell]:
        """Distinct cells touching ``row``, left to right (anchors from above included)."""
        seen: list[Cell] = []
        cover = self._cover  # ``covering`` for every column, without a call per column
        for col in range(self.n_cols):
            cell = cover.get((row, col))
            if cell is not None and (not seen or seen[-1] is not cell):
                seen.append(cell)
        return seen

    def text_at(self, row: int, col: int) -> str:
        cell = self.covering(row, col)
        return cell.text if cell is not None else ""

    def is_anchor(self, row: int, col: int) -> bool:
        cell = self.covering(row, col)
        return cell is not None and cell.row == row and cell.col == col

    def as_rows(self) -> list[list[str]]:
        """Text of every position, merged cells repeated: a derived, lossy view for display."""
        return [[self.text_at(r, c) for c in range(self.n_cols)] for r in range(self.n_rows)]


@dataclass(frozen=True)
class Issue:
    """A recoverable oddity, carried in the result under a stable code.

    ``row`` is the grid row (0-based) of the table it concerns, where it concerns one row:
    ``extractor inspect`` shows it beside that row. It is not in the JSON (CONTRACT §1),
    whose message names the row as printed.
    """

    code: str
    message: str
    page: int | None = None
    table: str | None = None
    row: int | None = None


@dataclass(frozen=True)
class Document:
    """What a reader returns: the grids of one file and what it noticed on the way."""

    format: str
    grids: tuple[Grid, ...]
    pages: int | None = None
    warnings: tuple[Issue, ...] = field(default_factory=tuple)
    #: The text that opens the document outside any table (a PDF's cover page): where a
    #: document names its publisher, year and stage once for all its tables.
    preamble: tuple[str, ...] = ()


def grid_from_rows(
    rows: list[list[str]],
    *,
    origin: str = "",
    caption: tuple[str, ...] = (),
    spans_known: bool = False,
) -> Grid:
    """A span-free grid from plain rows; short rows are padded with empty cells."""
    n_cols = max((len(r) for r in rows), default=0)
    cells = tuple(
        Cell(row=r, col=c, text=row[c] if c < len(row) else "")
        for r, row in enumerate(rows)
        for c in range(n_cols)
    )
    return Grid(
        n_rows=len(rows),
        n_cols=n_cols,
        cells=cells,
        origin=origin,
        caption=caption,
        spans_known=spans_known,
    )
