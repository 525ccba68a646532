"""Cut a grid that holds several tables into one grid per table, as a pure step after the readers.

Publishers put the next table right under the last one: a Word document with every table of
the set in one table object, an Excel sheet without a blank row between them, a PDF whose two
tables share a ruling. The sign is a title printed inside the grid below a table's body: a row
whose only text, across most of the width, names a table (…表, 公开02表) or numbers it. That
row and the caption lines under it (部门：X 单位：万元) become the caption of the table that
follows; a row that merges into the rows around it never cuts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from extractor.model import Cell, Grid
from extractor.normalise import vocabulary as vocab
from extractor.normalise.classify import names_a_table
from extractor.normalise.text import normalise
from extractor.normalise.values import is_amount

#: A label numbering a table (公开02表, 表二), which a title row may print alone.
_TABLE_NUMBER = re.compile("^(?:" + "|".join(vocab.TABLE_NUMBER_LABELS[:3]) + ")")
#: A caption line under a title: the owner, the unit, the year.
_CAPTION_LINE = re.compile(r"(部门|单位|编制|填报)\s*[:：]|^[（(]?\s*20\d\d\s*年")


def split_grids(grids: Iterable[Grid]) -> list[Grid]:
    """Every grid, each table inside one cut out as a grid of its own, in reading order."""
    return [part for grid in grids for part in grid_to_tables(grid)]


def grid_to_tables(grid: Grid) -> list[Grid]:
    """``grid`` cut before each title row that follows a body (a row printing an amount)."""
    cuts: list[tuple[int, int]] = []  # (title row, first row after its caption)
    row, seen_body = 0, False
    while row < grid.n_rows:
        if seen_body and is_title_row(grid, row) and _cuts_cleanly(grid, row):
            end = row + 1
            while end < grid.n_rows and _is_caption_row(grid, end):
                end += 1
            cuts.append((row, end))
            row, seen_body = end, False
            continue
        seen_body = seen_body or any(is_amount(c.text) for c in _own(grid, row))
        row += 1
    if not cuts:
        return [grid]
    parts: list[Grid] = []
    start, caption = 0, grid.caption
    for title, body in cuts:
        parts.append(_rows(grid, start, title, caption, notes=()))
        caption = tuple(_only_text(grid, r) for r in range(title, body))
        start = body
    parts.append(_rows(grid, start, grid.n_rows, caption, notes=grid.notes))
    return parts


def _own(grid: Grid, row: int) -> list[Cell]:
    return [c for c in grid.row_cells(row) if c.row == row and normalise(c.text)]


def _only_text(grid: Grid, row: int) -> str:
    return normalise(_own(grid, row)[0].text)


def is_title_row(grid: Grid, row: int) -> bool:
    """Whether ``row`` prints a table's title (or the label numbering it) and nothing else."""
    text = _lone_text(grid, row)
    return text is not None and (names_a_table(text) or bool(_TABLE_NUMBER.search(text)))


def _is_caption_row(grid: Grid, row: int) -> bool:
    text = _lone_text(grid, row)
    return text is not None and bool(_CAPTION_LINE.search(text))


def _lone_text(grid: Grid, row: int) -> str | None:
    """The one text ``row`` prints across most of the width, normalised; None for any other row."""
    own = _own(grid, row)
    return normalise(own[0].text) if len(own) == 1 and own[0].colspan * 2 > grid.n_cols else None


def _cuts_cleanly(grid: Grid, row: int) -> bool:
    """No cell runs from the rows above into ``row``."""
    return all(c.row >= row or c.last_row < row for c in grid.cells)


def _rows(grid: Grid, first: int, end: int, caption: tuple[str, ...], notes: tuple[str, ...]) -> Grid:
    cells = tuple(replace(c, row=c.row - first) for c in grid.cells if first <= c.row < end)
    pages = tuple(dict.fromkeys(c.page for c in cells if c.page is not None)) or grid.pages
    sheet = None if grid.sheet is None else replace(grid.sheet, rows=grid.sheet.rows[first:end])
    return replace(
        grid, n_rows=end - first, cells=cells, caption=caption, notes=notes, pages=pages, sheet=sheet
    )
