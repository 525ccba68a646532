"""Join tables that a page break cut in two, as a pure step after the readers.

A long table printed over several pages reaches a reader as one grid per page. The grid on
page *p + 1* continues the one on page *p* when it is the first table there and nothing is
printed above it, the one on page *p* is the last there and runs down to the bottom margin,
and both stand on the same column rulings. Joining them undoes what the page break did:

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
of its first part.

Grids carry no page size, so "the bottom margin" is read off the tables themselves: the lowest
ruling of any table printed in the same area (same outer left and right edges), since tables
laid out alike on pages alike end at the same margin. "Nothing printed above" is an empty
caption, or one that prints the table's title again; WPS centres a short last page vertically,
so a position threshold would miss it.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractor.layout.split import is_title_row
from extractor.model import Cell, Grid, Issue
from extractor.normalise import vocabulary as vocab
from extractor.normalise.classify import names_a_table
from extractor.normalise.text import finishes_repeated_label, join_wrapped
from extractor.normalise.values import is_amount

#: Enumerators of list items (一、 （一） 1. （1））.
ENUMERATORS = tuple(re.compile(pattern) for pattern in vocab.ENUMERATORS)


@dataclass(frozen=True)
class StitchSettings:
    """Tolerances of the stitching step, in PDF points."""

    #: Column rulings of the two parts closer than this are the same ruling.
    column_tolerance: float = 3.0
    #: A table whose last ruling is within this of the lowest ruling printed in the same area
    #: runs to the bottom margin; the gap is the row that did not fit any more.
    bottom_tolerance: float = 48.0


DEFAULT_SETTINGS = StitchSettings()


@dataclass(frozen=True)
class Extent:
    """Where one grid stands on one of its pages."""

    left: float
    right: float
    top: float
    bottom: float


@dataclass(frozen=True)
class ColumnMaps:
    """Both parts' column boundaries as indexes into the finer of the two sets of rulings."""

    above: tuple[int, ...]
    part: tuple[int, ...]
    n_cols: int


@dataclass(frozen=True)
class Growth:
    """An anchor of the grid above that runs on into the continuation part."""

    anchor: Cell
    grown: Cell
    #: The cell of the part (its own coordinates) that the grown anchor now covers.
    absorbed: Cell


def stitch_pages(
    grids: Sequence[Grid], *, settings: StitchSettings = DEFAULT_SETTINGS
) -> tuple[list[Grid], list[Issue]]:
    """Grids in reading order with every table continued across pages joined into one."""
    extents = [e for g in grids for page in g.pages if (e := page_extent(g, page)) is not None]
    stitched: list[Grid] = []
    issues: list[Issue] = []
    for grid in grids:
        above = stitched[-1] if stitched else None
        columns = None
        if (
            above is not None
            and follows_on_next_page(above, grid)
            and (not grid.caption or repeats_title(above, grid))
            and not opens_with_title(grid)
            and ends_at_bottom(above, extents, settings, first_row_height(grid))
        ):
            columns = column_maps(above, grid, settings.column_tolerance)
            if columns is None and starts_at_top(grid, extents, settings):
                columns = column_maps(above, grid, settings.column_tolerance, interleaved=True)
        if above is not None and columns is not None:
            stitched[-1] = join_parts(above, grid, columns)
            issues.append(stitched_issue(above, grid))
        else:
            stitched.append(grid)
    return stitched, issues


def stitched_issue(above: Grid, part: Grid) -> Issue:
    return Issue(
        code="table_stitched",
        message=(
            f"the table on page {above.pages[-1]} continues on page {part.pages[0]}; "
            "the parts were joined into one table"
        ),
        page=part.pages[0],
    )


# --- when two grids are one table ---------------------------------------------------------


def page_extent(grid: Grid, page: int) -> Extent | None:
    boxes = [c.bbox for c in grid.cells if c.bbox is not None and c.page == page]
    if not boxes:
        return None
    return Extent(
        left=min(b.x0 for b in boxes),
        right=max(b.x1 for b in boxes),
        top=min(b.top for b in boxes),
        bottom=max(b.bottom for b in boxes),
    )


def follows_on_next_page(above: Grid, part: Grid) -> bool:
    """Grids arrive in reading order, so the one just before ``part`` is the last on its page."""
    return bool(above.pages and part.pages and part.pages[0] == above.pages[-1] + 1)


def ends_at_bottom(
    grid: Grid, extents: Sequence[Extent], settings: StitchSettings, next_row: float = 0.0
) -> bool:
    """Whether ``grid`` reaches as low on its last page as any table printed in its area, but for
    the row that did not fit any more: ``bottom_tolerance``, or ``next_row``, the height of the
    next part's first row, where that is taller (a goal text of five lines that Word would not
    break across the pages moves whole to the next one)."""
    own = page_extent(grid, grid.pages[-1])
    if own is None:
        return False
    lowest = max((e.bottom for e in same_area(extents, own, settings)), default=own.bottom)
    return lowest - own.bottom <= max(settings.bottom_tolerance, next_row + settings.column_tolerance)


def same_area(extents: Sequence[Extent], own: Extent, settings: StitchSettings) -> list[Extent]:
    """The extents of tables printed in ``own``'s area: the same outer left and right edges."""
    tolerance = settings.column_tolerance
    return [
        e for e in extents if abs(e.left - own.left) <= tolerance and abs(e.right - own.right) <= tolerance
    ]


def first_row_height(grid: Grid) -> float:
    """How tall the grid's first row is on the page (0 where the cells carry no boxes)."""
    heights = [c.bbox.bottom - c.bbox.top for c in grid.cells if c.row == 0 and c.rowspan == 1 and c.bbox]
    return max(heights, default=0.0)


def starts_at_top(part: Grid, extents: Sequence[Extent], settings: StitchSettings) -> bool:
    """Whether ``part`` begins as high on its first page as any table printed in its area: nothing
    stands above it, so the page break is all that parts it from the table before."""
    own = page_extent(part, part.pages[0])
    if own is None:
        return False
    highest = min((e.top for e in same_area(extents, own, settings)), default=own.top)
    return own.top - highest <= settings.bottom_tolerance


def repeats_title(above: Grid, part: Grid) -> bool:
    """Whether ``part``'s caption prints ``above``'s title again, and nothing ``above``'s caption
    does not (深圳 repeats 表 3 / 支出总表 / 部门名称 … on every page of a table): a continuation,
    not a table of its own. A generic title (绩效目标表) under another project's name is not."""
    printed = {normalised(line) for line in above.caption}
    return bool(caption_title(part.caption)) and all(normalised(line) in printed for line in part.caption)


def caption_title(caption: Sequence[str]) -> str:
    """The caption's last line naming a table (…表, 表（…）), white space removed; "" for none."""
    named = [line for line in map(normalised, caption) if names_a_table(line)]
    return named[-1] if named else ""


def opens_with_title(part: Grid) -> bool:
    """A table whose title is printed inside its grid (its first row) starts anew."""
    return part.n_rows > 0 and is_title_row(part, 0)


def column_rulings(grid: Grid) -> list[float] | None:
    """The x position of each of the grid's column boundaries, from its cells' boxes."""
    found: list[list[float]] = [[] for _ in range(grid.n_cols + 1)]
    for cell in grid.cells:
        if cell.bbox is not None:
            found[cell.col].append(cell.bbox.x0)
            found[cell.col + cell.colspan].append(cell.bbox.x1)
    if not all(found):
        return None
    return [statistics.fmean(xs) for xs in found]


def column_maps(above: Grid, part: Grid, tolerance: float, *, interleaved: bool = False) -> ColumnMaps | None:
    """How the columns of two parts line up, or None when they belong to different tables.

    The parts must share their outer edges and one's column rulings must be a subset of the
    other's: a page whose rows all merge across a ruling does not draw it (LibreOffice prints
    the text-block rows of a 部门整体绩效目标表 on 5 rulings and its indicator rows on 7). A
    ruling on each side that the other lacks means another table, unless ``interleaved``: a form
    whose next block begins at the top of the next page rules that block its own way (a goal
    text over two columns, indicators over six) on the same underlying column grid, so the two
    share most of their inner rulings, and the parts stand on the union of both. The
    part may lack outer columns of ``above`` only where a merged label of ``above`` runs into
    the break (``cut_labels_outside``): in a table without an outer border nothing draws them.
    """
    upper, lower = column_rulings(above), column_rulings(part)
    if upper is None or lower is None:
        return None
    if interleaved:
        if not shares_most_rulings(upper, lower, tolerance):
            return None
        finer = merged_rulings([*upper, *lower], tolerance)
    else:
        finer = upper if len(upper) >= len(lower) else lower
    upper_map, lower_map = rulings_onto(upper, finer, tolerance), rulings_onto(lower, finer, tolerance)
    if upper_map is None or lower_map is None or not spans_all(upper_map, finer):
        return None
    if not spans_all(lower_map, finer) and not cut_labels_outside(above, lower_map[0], lower_map[-1]):
        return None
    return ColumnMaps(above=upper_map, part=lower_map, n_cols=len(finer) - 1)


def shares_most_rulings(upper: Sequence[float], lower: Sequence[float], tolerance: float) -> bool:
    """Whether at least half the inner rulings of the part with fewer stand in the other too."""
    fewer, more = sorted((upper[1:-1], lower[1:-1]), key=len)
    shared = sum(any(abs(x - y) <= tolerance for y in more) for x in fewer)
    return bool(fewer) and shared * 2 >= len(fewer)


def merged_rulings(rulings: Sequence[float], tolerance: float) -> list[float]:
    """The rulings in order, those closer than ``tolerance`` taken as one."""
    merged: list[float] = []
    for x in sorted(rulings):
        if not merged or x - merged[-1] > tolerance:
            merged.append(x)
    return merged


def rulings_onto(
    rulings: Sequence[float], finer: Sequence[float], tolerance: float
) -> tuple[int, ...] | None:
    """The index in ``finer`` of each ruling, in order, or None if one is missing there."""
    indexes: list[int] = []
    for x in rulings:
        index = min(range(len(finer)), key=lambda i: abs(finer[i] - x))
        if abs(finer[index] - x) > tolerance or (indexes and index <= indexes[-1]):
            return None
        indexes.append(index)
    return tuple(indexes)


def spans_all(indexes: Sequence[int], finer: Sequence[float]) -> bool:
    """Whether rulings mapped to ``indexes`` keep both outer edges of ``finer``."""
    return indexes[0] == 0 and indexes[-1] == len(finer) - 1


def cut_labels_outside(above: Grid, first: int, last: int) -> bool:
    """Whether every column of ``above`` left of ``first`` and from ``last`` on holds, in its
    last row, a merged label (several rows, some text) that runs into the break and stays
    outside the columns ``first`` .. ``last``."""
    row = above.n_rows - 1
    for col in [*range(first), *range(last, above.n_cols)]:
        cell = above.covering(row, col)
        if (
            cell is None
            or cell.rowspan == 1
            or not normalised(cell.text)
            or (cell.col < last and cell.last_col >= first)
        ):
            return False
    return True


# --- joining ------------------------------------------------------------------------------


def join_parts(above: Grid, part: Grid, columns: ColumnMaps) -> Grid:
    """``part`` laid under ``above``: repeated header dropped, cut rows and labels merged."""
    above = place_columns(above, columns.above, columns.n_cols)
    placed = with_undrawn_columns(above, place_columns(part, columns.part, columns.n_cols), columns.part)
    rest = drop_rows(placed, repeated_header_rows(above, placed))
    split = is_split_row(above, rest)
    offset = above.n_rows - 1 if split else above.n_rows
    growths = grow_into_part(above, rest, split)
    grown = {(g.anchor.row, g.anchor.col): g.grown for g in growths}
    absorbed = {(g.absorbed.row, g.absorbed.col) for g in growths}
    cells = [grown.get((c.row, c.col), c) for c in above.cells]
    cells += [replace(c, row=c.row + offset) for c in rest.cells if (c.row, c.col) not in absorbed]
    return Grid(
        n_rows=offset + rest.n_rows,
        n_cols=columns.n_cols,
        cells=tuple(cells),
        origin=f"pages {above.pages[0]}-{part.pages[-1]}",
        caption=above.caption,
        pages=(*above.pages, *part.pages),
        spans_known=above.spans_known and part.spans_known,
        notes=part.notes,
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


def with_undrawn_columns(above: Grid, part: Grid, columns: Sequence[int]) -> Grid:
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


def normalised(text: str) -> str:
    return "".join(text.split())


def repeated_header_rows(above: Grid, part: Grid) -> int:
    """How many leading rows of ``part`` repeat a header of ``above`` word for word.

    The header repeated is the table's own or, in a table of several blocks, the header of the
    block the break fell in, so the nearest matching run of rows above wins. Only a run that no
    merged cell enters or leaves counts, as header rows stand on their own; the count never
    cuts through a cell of ``part`` and never takes every row of it.
    """
    for start in range(above.n_rows - 1, -1, -1):
        count = 0
        limit = min(above.n_rows - start, part.n_rows - 1)
        while (
            count < limit
            and any(row_texts(part, count))
            and row_texts(above, start + count) == row_texts(part, count)
        ):
            count += 1
        while count and not (is_band(above, start, count) and is_band(part, 0, count)):
            count -= 1
        if count:
            return count
    return 0


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


def aligned_above(above: Grid, cell: Cell) -> Cell | None:
    """The cell of ``above``'s last row that ``cell`` continues: same columns, ending at the break."""
    target = above.covering(above.n_rows - 1, cell.col)
    if target is None or target.col != cell.col or target.colspan != cell.colspan:
        return None
    return target if target.last_row == above.n_rows - 1 else None


def continued_columns(above: Grid, part: Grid) -> int:
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


def is_split_row(above: Grid, part: Grid) -> bool:
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


def aligned_text(above: Grid, cell: Cell) -> str:
    target = aligned_above(above, cell)
    return normalised(target.text) if target is not None else ""


def continues_numbered_label(above: Grid, part: Grid, first: list[Cell]) -> bool:
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


def grow_into_part(above: Grid, part: Grid, split: bool) -> list[Growth]:
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
