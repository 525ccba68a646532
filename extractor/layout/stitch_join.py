"""Lay a part continued from the page before under the table it continues, as a page break cut it.

Once ``stitch`` has found that a grid goes on a table of the page before, joining them undoes
what the page break did:

* a header repeated at the top of the new page (Word's "repeat header row", Excel's print
  titles) is dropped;
* a row cut by the break shows up as a first row whose label columns are empty: its texts are
  appended to the cells above instead of starting a row of their own;
* a vertically merged label cut by the break shows up as an empty cell at the top of the new
  page: it is merged into the anchor above, whose rowspan grows; a label printed again there
  (the same text) is merged the same way when it or the label it stands in is merged;
* in a table without an outer border, a merged label in the outermost column that the break
  cut leaves that column blank on the new page: no ruling and no text mark it, so the part
  lacks the column altogether; it is read as the label's continuation.

Each cell keeps the page and bbox it was read from; a cell merged across the break keeps those
of its first part. The table above is a ``Chain``, which answers what is asked of it (a row's
texts, a position's cell) without a pass over all its rows, so each part costs its own size.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractor.layout.stitch_chain import Chain, RowTexts, normalised
from extractor.model import Cell, Grid
from extractor.normalise import vocabulary as vocab
from extractor.normalise.text import finishes_repeated_label, join_wrapped, resemblance
from extractor.normalise.values import is_amount

#: How much a cell of a scanned row must resemble the cell above it for the row to repeat a
#: header with OCR's misreadings (``misread_repeat``): a character misread in four (科目编码 as
#: 料目编码) is 0.75, in twelve 0.92.
MISREAD_REPEAT = 0.75
#: Enumerators of list items (一、 （一） 1. （1））.
ENUMERATORS = tuple(re.compile(pattern) for pattern in vocab.ENUMERATORS)


@dataclass(frozen=True)
class ColumnMaps:
    """Both parts' column boundaries as indexes into the finer of the two sets of rulings."""

    above: tuple[int, ...]
    part: tuple[int, ...]
    n_cols: int


@dataclass(frozen=True)
class Growth:
    """An anchor of the table above that runs on into the continuation part."""

    anchor: Cell
    grown: Cell
    #: The cell of the part (its own coordinates) that the grown anchor now covers.
    absorbed: Cell


def join_part(above: Chain, part: Grid, columns: ColumnMaps) -> None:
    """``part`` laid under ``above``: repeated header dropped, cut rows and labels merged."""
    above.place_columns(columns.above, columns.n_cols)
    placed = with_undrawn_columns(above, place_columns(part, columns.part, columns.n_cols), columns.part)
    rest = drop_rows(placed, repeated_header_rows(above, placed))
    split = is_split_row(above, rest)
    growths = grow_into_part(above, rest, split)
    above.add_part(
        part,
        rest,
        offset=above.n_rows - 1 if split else above.n_rows,
        grown={(g.anchor.row, g.anchor.col): g.grown for g in growths},
        absorbed={(g.absorbed.row, g.absorbed.col) for g in growths},
    )


def place_columns(grid: Grid, columns: Sequence[int], n_cols: int) -> Grid:
    """``grid`` re-indexed onto the finer column boundaries of the joined table."""
    if n_cols == grid.n_cols and all(at == index for index, at in enumerate(columns)):
        return grid  # the joined table has the grid's own columns, as in most joins
    cells = tuple(
        replace(c, col=columns[c.col], colspan=columns[c.col + c.colspan] - columns[c.col])
        for c in grid.cells
    )
    return replace(grid, n_cols=n_cols, cells=cells)


def with_undrawn_columns(above: Chain, part: Grid, columns: Sequence[int]) -> Grid:
    """``part`` with the outer columns it lacks filled in: under each label of ``above`` that
    runs into them, one empty cell as tall as the part, which the label then absorbs."""
    row = above.n_rows - 1
    labels = {
        cell.col: cell
        for col in [*range(columns[0]), *range(columns[-1], part.n_cols)]
        if (cell := above.covering(row, col)) is not None
    }
    page = part.pages[0] if part.pages else None
    filled = tuple(
        Cell(row=0, col=label.col, text="", rowspan=part.n_rows, colspan=label.colspan, page=page)
        for label in labels.values()
    )
    return replace(part, cells=(*filled, *part.cells)) if filled else part


def repeated_header_rows(above: Chain, part: Grid) -> int:
    """How many leading rows of ``part`` repeat a header of ``above`` word for word (on a scan,
    with OCR's misreadings: ``misread_repeat``).

    The header repeated is the table's own or, in a table of several blocks, the header of the
    block the break fell in, so the nearest matching run of rows above wins. Only a run that no
    merged cell enters or leaves counts, as header rows stand on their own; the count never
    cuts through a cell of ``part`` and never takes every row of it. A run can only start at a
    row printing what ``part``'s first row prints, which ``above`` looks up.
    """
    first = row_texts(part, 0)
    if part.n_rows < 2 or not any(first):
        return 0
    scanned = any(c.confidence is not None for c in part.cells)
    starts = above.rows_printing(first)
    if not starts and scanned:
        starts = _header_rows_resembling(above, first)
    for start in reversed(starts):
        count = 0
        limit = min(above.n_rows - start, part.n_rows - 1)
        while (
            count < limit
            and any(row_texts(part, count))
            and (
                above.row_texts(start + count) == row_texts(part, count)
                or (scanned and misread_repeat(above.row_texts(start + count), row_texts(part, count)))
            )
        ):
            count += 1
        while count and not (above.is_band(start, count) and is_band(part, 0, count)):
            count -= 1
        if count:
            return count
    return 0


def misread_repeat(above: RowTexts, texts: RowTexts) -> bool:
    """Whether a scanned row reads as a repeat of the row ``above`` with OCR's misreadings: each
    cell the same, or resembling it (``MISREAD_REPEAT``) with the same digits. A header
    repeated on a scan's next page (国有资本经营预算拔款收入 for 拨款) is then dropped as its
    printed twin would be; a body row is not taken for another (their codes or amounts differ)."""
    return len(above) == len(texts) and all(
        a == b or (bool(a) and bool(b) and _digits(a) == _digits(b) and resemblance(a, b) >= MISREAD_REPEAT)
        for a, b in zip(above, texts, strict=True)
    )


def _header_rows_resembling(above: Chain, texts: RowTexts) -> list[int]:
    """The rows of ``above``'s header (before its first row printing a figure; its first row
    where none does) that a scanned row ``texts`` may repeat misread: only a header, so that a
    body row (村民满意度 | 高) is never taken for a repeat of another (居民满意度 | 高). Only the
    header's rows are read, so a long table costs no more."""
    header: list[int] = []
    for row in range(above.n_rows):
        if any(_digits(text) for text in above.row_texts(row)):
            break
        header.append(row)
    else:
        header = header[:1]
    return [row for row in header if misread_repeat(above.row_texts(row), texts)]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def is_band(grid: Grid, start: int, count: int) -> bool:
    """Whether rows ``start`` .. ``start + count - 1`` hold every cell that touches them whole."""
    end = start + count - 1
    return all(
        c.row >= start and c.last_row <= end for c in grid.cells if c.row <= end and c.last_row >= start
    )


def row_texts(grid: Grid, row: int) -> tuple[str, ...]:
    return tuple(normalised(grid.text_at(row, c)) for c in range(grid.n_cols))


def drop_rows(grid: Grid, count: int) -> Grid:
    cells = tuple(replace(c, row=c.row - count) for c in grid.cells if c.row >= count)
    return replace(grid, n_rows=grid.n_rows - count, cells=cells)


def first_row_cells(grid: Grid) -> list[Cell]:
    return sorted((c for c in grid.cells if c.row == 0), key=lambda c: c.col)


def aligned_above(above: Chain, cell: Cell) -> Cell | None:
    """The cell of ``above``'s last row that ``cell`` continues: same columns, ending at the break."""
    target = above.covering(above.n_rows - 1, cell.col)
    if target is None or target.col != cell.col or target.colspan != cell.colspan:
        return None
    return target if target.last_row == above.n_rows - 1 else None


def continued_columns(above: Chain, part: Grid) -> int:
    """How many columns, from the left, of ``part``'s first row continue the cell above them.

    A continuing cell stands exactly under a cell that ends at the break and is either empty,
    repeats that cell's text (a label the publisher printed again after the break) or finishes
    the label that cell began to print again (绩效指标绩效 | 指标).
    """
    for cell in first_row_cells(part):
        target = aligned_above(above, cell)
        text, above_text = normalised(cell.text), normalised(target.text) if target else ""
        if target is None or (text not in ("", above_text) and not finishes_repeated_label(above_text, text)):
            return cell.col
    return part.n_cols


def is_restarted_label(target: Cell, cell: Cell, outer: Cell | None) -> bool:
    """A vertically merged label printed again below the break: same text, merged on one side,
    or standing inside ``outer``, the restarted label of the column to its left (the group
    went on, so a sub-label of it printed again with the same text is the same sub-label)."""
    if normalised(cell.text) != normalised(target.text):
        return False
    nested = outer is not None and outer.last_col + 1 == cell.col and outer.last_row >= cell.last_row
    return target.rowspan > 1 or cell.rowspan > 1 or nested


def is_split_row(above: Chain, part: Grid) -> bool:
    """Whether ``part``'s first row is the rest of ``above``'s last row.

    The sign is a label column: the last row above has its own (one-row, non-empty) label
    there, and the first row below leaves that column empty for one row only. A column left
    empty for several rows is a merged label running on over new rows instead. Every cell of
    the first row must also stand exactly under a cell of the last row above.
    """
    first = first_row_cells(part)
    if not first or any(aligned_above(above, c) is None for c in first):
        return False
    if any(is_amount(c.text) and is_amount(aligned_text(above, c)) for c in first if normalised(c.text)):
        return False  # a cell's wrapped text never goes on from one number to another
    if continues_numbered_label(above, part, first):
        return True
    continued = continued_columns(above, part)
    last = above.n_rows - 1
    for cell in first:
        target = aligned_above(above, cell)
        if (
            cell.col < continued
            and target is not None
            and not normalised(cell.text)
            and cell.rowspan == 1
            and target.row == last
            and normalised(target.text)
        ):
            return True
    return False


def aligned_text(above: Chain, cell: Cell) -> str:
    target = aligned_above(above, cell)
    return normalised(target.text) if target is not None else ""


def continues_numbered_label(above: Chain, part: Grid, first: list[Cell]) -> bool:
    """Whether ``part``'s first row only finishes item names cut by the break: in a column of
    numbered items (十七、国土海洋气象等支 above, 十八、住房保障支出 after), an unnumbered text
    with no amount anywhere in the row (出) is the end of the name above it."""
    printed = [c for c in first if normalised(c.text)]
    if not printed or any(is_amount(c.text) for c in printed):
        return False
    for cell in printed:
        after = part.covering(cell.last_row + 1, cell.col)
        if (
            starts_numbered(cell.text)
            or not starts_numbered(aligned_text(above, cell))
            or (after is not None and not starts_numbered(after.text))
        ):
            return False
    return True


def starts_numbered(text: str) -> bool:
    return any(pattern.match(normalised(text)) for pattern in ENUMERATORS)


def grow_into_part(above: Chain, part: Grid, split: bool) -> list[Growth]:
    """The cells of ``above`` that grow into ``part``, each with the cell of ``part`` it absorbs.

    For a split row every first-row cell joins the cell above it. Otherwise only the leading
    cells that continue a non-empty label do (the merged label cut by the break), when they
    are empty or restart that label.
    """
    continued = continued_columns(above, part)
    extra_rows = 0 if split else 1
    growths: list[Growth] = []
    outer: Cell | None = None
    for cell in first_row_cells(part):
        target = aligned_above(above, cell)
        if target is None:
            continue
        restarted = is_restarted_label(target, cell, outer)
        outer = cell if restarted else None
        if split:
            text = target.text if restarted else join_wrapped(target.text, cell.text)
        elif cell.col < continued and normalised(target.text) and (restarted or not normalised(cell.text)):
            text = target.text
        else:
            continue
        grown = replace(target, text=text, rowspan=target.rowspan + cell.rowspan - 1 + extra_rows)
        growths.append(Growth(anchor=target, grown=grown, absorbed=cell))
    return growths
