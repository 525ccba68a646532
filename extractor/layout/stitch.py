"""Join tables that a page break cut in two, as a pure step after the readers.

A long table printed over several pages reaches a reader as one grid per page. The grid on
page *p + 1* continues the one on page *p* when it is the first table there and nothing is
printed above it, the one on page *p* is the last there and runs down to the bottom margin,
and both stand on the same column rulings. This module tells when; ``stitch_join`` joins
them, undoing what the page break did (a repeated header, a row or a merged label cut in two),
into a ``stitch_chain.Chain`` that grows page by page.

Grids carry no page size, so "the bottom margin" is read off the tables themselves: the lowest
ruling of any table printed in the same area (same outer left and right edges), since tables
laid out alike on pages alike end at the same margin. "Nothing printed above" is an empty
caption, or one that prints the table's title again; WPS centres a short last page vertically,
so a position threshold would miss it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from extractor.layout.split import is_title_row
from extractor.layout.stitch_chain import Chain, Extent, column_rulings, normalised, page_extent
from extractor.layout.stitch_join import ColumnMaps, join_part
from extractor.model import Grid, Issue
from extractor.normalise.classify import names_a_table


@dataclass(frozen=True)
class StitchSettings:
    """Tolerances of the stitching step, in PDF points."""

    #: Column rulings of the two parts closer than this are the same ruling.
    column_tolerance: float = 3.0
    #: A table whose last ruling is within this of the lowest ruling printed in the same area
    #: runs to the bottom margin; the gap is the row that did not fit any more.
    bottom_tolerance: float = 48.0


DEFAULT_SETTINGS = StitchSettings()


def stitch_pages(
    grids: Sequence[Grid], *, settings: StitchSettings = DEFAULT_SETTINGS
) -> tuple[list[Grid], list[Issue]]:
    """Grids in reading order with every table continued across pages joined into one."""
    extents = printed_areas(e for g in grids for page in g.pages if (e := page_extent(g, page)) is not None)
    chains: list[Chain] = []
    issues: list[Issue] = []
    for grid in grids:
        above = chains[-1] if chains else None
        columns = None
        if (
            above is not None
            and follows_on_next_page(above, grid)
            and (not grid.caption or repeats_title(above, grid))
            and not opens_with_title(grid)
            and ends_at_bottom(above.extent(above.pages[-1]), extents, settings, first_row_height(grid))
        ):
            columns = column_maps(above, grid, settings.column_tolerance)
            if columns is None and starts_at_top(grid, extents, settings):
                columns = column_maps(above, grid, settings.column_tolerance, interleaved=True)
        if above is not None and columns is not None:
            issues.append(stitched_issue(above, grid))
            join_part(above, grid, columns)
        else:
            chains.append(Chain(grid))
    return [chain.grid() for chain in chains], issues


def stitched_issue(above: Chain, part: Grid) -> Issue:
    return Issue(
        code="table_stitched",
        message=(
            f"the table on page {above.pages[-1]} continues on page {part.pages[0]}; "
            "the parts were joined into one table"
        ),
        page=part.pages[0],
    )


# --- when two grids are one table ---------------------------------------------------------


def follows_on_next_page(above: Chain, part: Grid) -> bool:
    """Grids arrive in reading order, so the one just before ``part`` is the last on its page."""
    return bool(above.pages and part.pages and part.pages[0] == above.pages[-1] + 1)


def ends_at_bottom(
    own: Extent | None, extents: Sequence[Extent], settings: StitchSettings, next_row: float = 0.0
) -> bool:
    """Whether a table standing at ``own`` on its last page reaches as low as any table printed
    in its area, but for the row that did not fit any more: ``bottom_tolerance``, or
    ``next_row``, the height of the next part's first row, where that is taller (a goal text of
    five lines that Word would not break across the pages moves whole to the next one)."""
    if own is None:
        return False
    lowest = max((e.bottom for e in same_area(extents, own, settings)), default=own.bottom)
    return lowest - own.bottom <= max(settings.bottom_tolerance, next_row + settings.column_tolerance)


def printed_areas(extents: Iterable[Extent]) -> list[Extent]:
    """``extents`` taken together by their outer left and right edges: for each pair of edges,
    the highest top and the lowest bottom of the tables printed between them: ``same_area``
    then looks at each pair once, where it looked at every page's table for every page."""
    found: dict[tuple[float, float], Extent] = {}
    for e in extents:
        seen = found.get((e.left, e.right))
        found[(e.left, e.right)] = (
            e if seen is None else replace(seen, top=min(seen.top, e.top), bottom=max(seen.bottom, e.bottom))
        )
    return list(found.values())


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


def repeats_title(above: Chain, part: Grid) -> bool:
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


def column_maps(
    above: Chain, part: Grid, tolerance: float, *, interleaved: bool = False
) -> ColumnMaps | None:
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
    upper, lower = above.column_rulings(), column_rulings(part)
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


def cut_labels_outside(above: Chain, first: int, last: int) -> bool:
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
