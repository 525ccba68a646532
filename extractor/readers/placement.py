"""Placing stated cells into a grid, and the text rules the cell-table readers share.

HTML and Word state a table as rows of cells, each with a rowspan and a colspan, but not
the column a cell starts in: that follows from the cells above that reach down into the
row. The HTML table model settles it with an occupancy matrix (each cell goes to the next
column of its row that no earlier cell has taken), and both readers place their cells
with that one rule, so a merge means the same thing whichever format stated it.

Spans are reported as stated; nothing here guesses merges from empty cells, which is the
layout step's job. Only what cannot be drawn is repaired, the way browsers repair it:
a rowspan reaching past its row group stops at the group's last row, rowspan 0 means "to
the end of the row group", a colspan that would run into a cell reaching down from above
stops short of it, and spans above the HTML limits are capped. What a cell covers is spent
from the document's cell budget before it is taken, merged cells by their area: a page of a
few hundred kilobytes can state spans that cover billions of positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractor.model import Cell, Grid
from extractor.readers.budget import Budget

#: The HTML standard's limits: browsers cap larger values to these.
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534

#: How many text lines above a table are kept as its caption (title, year, 单位：万元 …).
CAPTION_LINES = 4


@dataclass(frozen=True)
class SourceCell:
    """A cell as its format states it; ``rowspan`` 0 means "to the end of the row group"."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Gap:
    """Grid columns a row leaves empty on purpose, as Word's ``w:gridBefore`` states."""

    width: int


Entry = SourceCell | Gap
#: Rows that belong together (an HTML thead/tbody/tfoot; a whole Word table): rowspans stop at its end.
RowGroup = Sequence[Sequence[Entry]]


def place(
    groups: Sequence[RowGroup],
    *,
    origin: str = "",
    caption: tuple[str, ...] = (),
    cells: Budget | None = None,
) -> Grid:
    """Lay the rows of ``groups`` out into a grid of anchor cells, top to bottom.

    Positions no cell reaches stay holes: a short row is not padded, so the grid says
    exactly what the source said. ``cells`` is spent by the area each cell covers.
    """
    taken: set[tuple[int, int]] = set()
    placed: list[Cell] = []
    n_cols = 0
    row = 0
    for group in groups:
        group_end = row + len(group)
        for entries in group:
            col = 0
            for entry in entries:
                while (row, col) in taken:
                    col += 1
                if isinstance(entry, Gap):
                    col += min(max(entry.width, 0), MAX_COLSPAN)
                else:
                    cell = _anchor(entry, row, col, group_end, taken)
                    if cells is not None:
                        cells.spend(cell.rowspan * cell.colspan, where=origin)
                    taken.update(_positions(cell))
                    placed.append(cell)
                    col += cell.colspan
                n_cols = max(n_cols, col)
            row += 1
    return Grid(n_rows=row, n_cols=n_cols, cells=tuple(placed), origin=origin, caption=caption)


def _anchor(entry: SourceCell, row: int, col: int, group_end: int, taken: set[tuple[int, int]]) -> Cell:
    """The cell ``entry`` becomes at (row, col), its spans made drawable."""
    rows_left = group_end - row
    rowspan = rows_left if entry.rowspan == 0 else min(max(entry.rowspan, 1), MAX_ROWSPAN, rows_left)
    wanted = min(max(entry.colspan, 1), MAX_COLSPAN)
    colspan = 1
    # Every cell placed so far starts in this row or above and covers whole rows, so a
    # position free in this row is free in all the rows below that the cell will cover.
    while colspan < wanted and (row, col + colspan) not in taken:
        colspan += 1
    return Cell(row=row, col=col, text=entry.text, rowspan=rowspan, colspan=colspan)


def _positions(cell: Cell) -> Iterable[tuple[int, int]]:
    return (
        (r, c)
        for r in range(cell.row, cell.row + cell.rowspan)
        for c in range(cell.col, cell.col + cell.colspan)
    )


def text_lines(texts: Iterable[str]) -> list[str]:
    """The printed lines of some text: split at line breaks, each stripped, empty ones dropped.

    Publishers pad cells with spaces, ``&nbsp;`` and empty paragraphs to shape the layout;
    none of that is content.
    """
    return [stripped for text in texts for line in text.split("\n") if (stripped := line.strip())]


def caption_from(lines: Sequence[str]) -> tuple[str, ...]:
    """The caption of a table from the lines printed since the previous table, nearest last."""
    return tuple(lines[-CAPTION_LINES:])
