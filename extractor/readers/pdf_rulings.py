"""The geometry half of the PDF reader: from a page's ruling lines to cell boxes on a grid.

``may_rule_a_table``   whether the page's segments could close a box at all (else its
                       characters are never read);
``page_to_lines``      the page's segments (``pdf_page.Line``, from either backend), snapped and
                       joined as pdfplumber's "lines" table finder does;
``lines_to_tables``    the rulings grouped by table: rulings that cross or touch belong together;
``table_to_open_borders`` the outer borders a table leaves undrawn: some publishers rule only
                       the inside of a table, with the horizontal rulings running on to its left
                       and right edges and the vertical ones to its top and bottom, so that the
                       outermost rows and columns would close no box; the border is drawn back
                       where the rulings end;
``table_to_cut_ends``  the stretches of a table's first and last rulings left undrawn where a
                       page break cuts a merged cell: the rulings either side of it reach the
                       edge, the edge is drawn back between them;
``lines_to_boxes``     pdfplumber's chain (intersections → cells → tables): the boxes closed on
                       all four sides, grouped into tables; the last two steps are our own
                       ``intersections_to_cells`` and ``cells_to_groups``, pdfplumber's
                       without their cost;
``boxes_to_rulings``   the distinct x and y positions those boxes start and end at;
``boxes_to_slots``     each box placed on the rulings: a box that runs past an inner ruling
                       because that ruling is missing inside it *is* a merged cell, so its
                       rowspan/colspan is the number of rulings it crosses plus one.

The reader's settings live here too, since both halves (``pdf`` reads the text) share them.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pdfplumber.table import edges_to_intersections, merge_edges
from pdfplumber.utils.geometry import filter_edges

from extractor.readers.pdf_page import Line

T = TypeVar("T")

Box = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in points, origin top-left, as pdfplumber reports boxes."""


@dataclass(frozen=True)
class PdfSettings:
    """Tolerances of the PDF reader, in PDF points unless the name says otherwise."""

    #: Parallel rulings closer than this are one ruling (double borders, anti-aliasing offsets).
    snap_tolerance: float = 3.0
    #: Collinear ruling pieces with a gap smaller than this are one ruling (dashed or tiled borders).
    join_tolerance: float = 3.0
    #: Rulings shorter than this are ignored (tick marks, underline stubs).
    edge_min_length: float = 3.0
    #: How far a ruling may stop short of another and still meet it at a corner.
    intersection_tolerance: float = 3.0
    #: Rulings of a table that reach at least this far past its outermost crossing ruling on one
    #: side mean that side's border is not drawn (a line cap or a snapped end overshoots by far
    #: less; the narrowest column or row is far wider).
    open_border_overhang: float = 6.0
    #: Box edges closer than this lie on the same grid ruling.
    ruling_tolerance: float = 2.0
    #: Characters whose ``top`` differs by less than this share a text line.
    line_tolerance: float = 3.0
    #: Two characters of a line stand in one run of text (``pdf.chars_to_runs``) when the gap
    #: between them is at most this many font sizes (a glyph's side bearing and letter spacing
    #: leave a few hundredths; two cells' texts stand at least their paddings apart) …
    run_gap: float = 0.1
    #: … and the second does not reach back over the first by more than this many font sizes
    #: (kerned punctuation such as 、 and ” overlaps by a tenth; a clipped character and the
    #: next cell's text printed over it overlap by most of a character).
    run_overlap: float = 0.25
    #: A gap wider than this many font sizes between two Latin characters is a word space.
    word_gap: float = 0.2
    #: A line ending more than this many font sizes short of the cell's right edge ends a paragraph.
    paragraph_gap: float = 2.0
    #: A line whose left and right margins in its cell differ by less than this many font sizes
    #: is centred.
    centred_tolerance: float = 1.0
    #: A cell whose first line starts at least this many font sizes right of its leftmost line
    #: indents its paragraphs' first lines (首行缩进).
    paragraph_indent: float = 1.0
    #: A later line starting within this many font sizes of such a first line's start is indented
    #: the same way, so it opens a paragraph.
    indent_tolerance: float = 0.5
    #: In a caption, a gap wider than this many font sizes separates two fields even between CJK text.
    caption_field_gap: float = 2.0
    #: At most this many caption lines are kept, the ones nearest the table.
    caption_max_lines: int = 4
    #: At most this many lines below a table are kept as its notes, the ones nearest the table.
    notes_max_lines: int = 2


DEFAULT_SETTINGS = PdfSettings()


@dataclass(frozen=True)
class Slot:
    """A cell box placed on its table's rulings, before its text is read."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box


@dataclass(frozen=True)
class Rulings:
    """The sorted distinct x and y positions of a table's box edges."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]


def may_rule_a_table(drawn: Sequence[Line]) -> bool:
    """Whether a page's segments could close a single box: a vertical and a horizontal one at
    least as long as pdfplumber's shortest edge. Pages of prose fail this without any work."""
    return any(line.vertical and line.end - line.start >= 1 for line in drawn) and any(
        not line.vertical and line.end - line.start >= 1 for line in drawn
    )


def page_to_boxes(drawn: Sequence[Line], settings: PdfSettings) -> list[list[Box]]:
    """Closed boxes grouped by table, tables ordered top to bottom then left to right."""
    lines = page_to_lines(drawn, settings)
    borders: list[Line] = []
    for table in lines_to_tables(lines, settings):
        open_borders = table_to_open_borders(table, settings)
        borders += [*open_borders, *table_to_cut_ends([*table, *open_borders], settings)]
    groups = lines_to_boxes([*lines, *borders], settings)
    return sorted(groups, key=lambda boxes: (min(b[1] for b in boxes), min(b[0] for b in boxes)))


def page_to_lines(drawn: Sequence[Line], settings: PdfSettings) -> list[Line]:
    """The page's rulings as pdfplumber's "lines" strategy sees them: snapped, joined, long enough."""
    edges = merge_edges(
        filter_edges([line_to_edge(line) for line in drawn]),
        snap_x_tolerance=settings.snap_tolerance,
        snap_y_tolerance=settings.snap_tolerance,
        join_x_tolerance=settings.join_tolerance,
        join_y_tolerance=settings.join_tolerance,
    )
    return [edge_to_line(e) for e in filter_edges(edges, min_length=settings.edge_min_length)]


def edge_to_line(edge: dict[str, Any]) -> Line:
    if edge["orientation"] == "v":
        return Line(vertical=True, at=float(edge["x0"]), start=float(edge["top"]), end=float(edge["bottom"]))
    return Line(vertical=False, at=float(edge["top"]), start=float(edge["x0"]), end=float(edge["x1"]))


def line_to_edge(line: Line) -> dict[str, Any]:
    """The edge object pdfplumber's table chain expects for ``line``."""
    if line.vertical:
        x0, top, x1, bottom = line.at, line.start, line.at, line.end
    else:
        x0, top, x1, bottom = line.start, line.at, line.end, line.at
    return {
        "object_type": "line",
        "orientation": "v" if line.vertical else "h",
        "x0": x0,
        "top": top,
        "x1": x1,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def lines_cross(vertical: Line, horizontal: Line, tolerance: float) -> bool:
    """Whether two rulings meet, either allowed to stop ``tolerance`` short of the other."""
    return (
        vertical.start - tolerance <= horizontal.at <= vertical.end + tolerance
        and horizontal.start - tolerance <= vertical.at <= horizontal.end + tolerance
    )


def lines_to_tables(lines: Sequence[Line], settings: PdfSettings) -> list[list[Line]]:
    """The rulings grouped by the table they draw: rulings that meet are in one group."""
    down = [i for i, line in enumerate(lines) if line.vertical]
    across = [i for i, line in enumerate(lines) if not line.vertical]
    crossings = (
        (i, j)
        for i in down
        for j in across
        if lines_cross(lines[i], lines[j], settings.intersection_tolerance)
    )
    return connected_groups(lines, crossings)


def connected_groups(items: Sequence[T], links: Iterable[tuple[int, int]]) -> list[list[T]]:
    """``items`` grouped by ``links`` (pairs of their indices; linked directly or through others
    is one group): each group in the items' order, the groups in the order of their first item."""
    leader = list(range(len(items)))

    def group_of(index: int) -> int:
        while leader[index] != index:
            leader[index] = leader[leader[index]]
            index = leader[index]
        return index

    for one, other in links:
        leader[group_of(one)] = group_of(other)
    groups: dict[int, list[T]] = {}
    for index, item in enumerate(items):
        groups.setdefault(group_of(index), []).append(item)
    return list(groups.values())


def table_to_open_borders(lines: Sequence[Line], settings: PdfSettings) -> list[Line]:
    """The outer borders of one table that are not drawn, each placed where its rulings end.

    A side is open when the rulings running towards it reach ``open_border_overhang`` beyond
    the outermost ruling crossing them: the horizontal rulings past the leftmost or rightmost
    vertical one, the vertical rulings past the topmost or bottommost horizontal one. A table
    whose rulings all stop at its outermost ones is closed and gets nothing; neither does a
    table without rulings in both directions (rules between rows only), whose columns no line
    marks.
    """
    across = [line for line in lines if not line.vertical]
    down = [line for line in lines if line.vertical]
    if not across or not down:
        return []
    left, right = min(h.start for h in across), max(h.end for h in across)
    top, bottom = min(v.start for v in down), max(v.end for v in down)
    first_col, last_col = min(v.at for v in down), max(v.at for v in down)
    first_row, last_row = min(h.at for h in across), max(h.at for h in across)
    x0, x1 = min(left, first_col), max(right, last_col)
    y0, y1 = min(top, first_row), max(bottom, last_row)
    overhang = settings.open_border_overhang
    borders: list[Line] = []
    if first_col - left >= overhang:
        borders.append(Line(vertical=True, at=left, start=y0, end=y1))
    if right - last_col >= overhang:
        borders.append(Line(vertical=True, at=right, start=y0, end=y1))
    if first_row - top >= overhang:
        borders.append(Line(vertical=False, at=top, start=x0, end=x1))
    if bottom - last_row >= overhang:
        borders.append(Line(vertical=False, at=bottom, start=x0, end=x1))
    return borders


def table_to_cut_ends(lines: Sequence[Line], settings: PdfSettings) -> list[Line]:
    """The stretches of a table's topmost and bottommost rulings that a page break leaves out.

    A cell merged down across a page break (一级指标 效益指标 running on to the next page) is
    printed with its left and right rulings reaching the table's last ruling but no ruling
    under it, as the cell goes on. It would close no box and its text would be lost; so the
    last ruling is drawn on between any two neighbouring vertical rulings that reach it where
    no drawn piece of it already runs. The first ruling is treated alike, for the rest of such
    a cell at the top of the next page (a top border drawn across gets nothing). Vertical
    rulings that run on past the edge are ``table_to_open_borders``' case: ``lines`` are to
    hold its borders already.
    """
    across = [line for line in lines if not line.vertical]
    down = [line for line in lines if line.vertical]
    if not across or not down:
        return []
    tolerance = settings.intersection_tolerance
    cut: list[Line] = []
    for edge in sorted({min(h.at for h in across), max(h.at for h in across)}):
        drawn = [h for h in across if abs(h.at - edge) <= settings.snap_tolerance]
        reaching = sorted({v.at for v in down if v.start - tolerance <= edge <= v.end + tolerance})
        for x0, x1 in itertools.pairwise(reaching):
            if not any(h.start - tolerance <= x0 and x1 <= h.end + tolerance for h in drawn):
                cut.append(Line(vertical=False, at=edge, start=x0, end=x1))
    return cut


def lines_to_boxes(lines: Sequence[Line], settings: PdfSettings) -> list[list[Box]]:
    """pdfplumber's chain from rulings to the boxes closed on all four sides, grouped by table."""
    tolerance = settings.intersection_tolerance
    intersections = edges_to_intersections([line_to_edge(line) for line in lines], tolerance, tolerance)
    return [
        [(float(x0), float(t), float(x1), float(b)) for x0, t, x1, b in table]
        for table in cells_to_groups(intersections_to_cells(intersections))
    ]


def cells_to_groups(cells: Sequence[Box]) -> list[list[Box]]:
    """pdfplumber's ``cells_to_tables``: boxes sharing a corner, directly or through others, are one
    table, tables ordered by their top left box, a lone box no table.

    pdfplumber grows one table at a time, scanning the remaining boxes again after each one it
    adds and removing each from a list: quadratic, so a few KB of staggered rectangles (a
    hundred thousand boxes) took minutes. Here each corner names the boxes at it once and the
    tables are the groups those corners join. A table's boxes keep their order among ``cells``
    (the later steps place them by position, whatever their order).
    """
    at_corner: dict[Point, int] = {}

    def shared_corners() -> Iterator[tuple[int, int]]:
        for index, (x0, top, x1, bottom) in enumerate(cells):
            for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
                yield at_corner.setdefault(corner, index), index

    groups = connected_groups(cells, shared_corners())
    tables = sorted(groups, key=lambda table: min((box[1], box[0]) for box in table))
    return [table for table in tables if len(table) > 1]


Point = tuple[float, float]
EdgeBox = tuple[float, float, float, float]


def intersections_to_cells(intersections: dict[Point, dict[str, list[dict[str, Any]]]]) -> list[Box]:
    """pdfplumber's ``intersections_to_cells``, the same boxes in the same order, without its cost.

    For every crossing, top to bottom within left to right, the smallest box whose four
    corners are crossings joined by a common ruling. pdfplumber rebuilds the sets of rulings
    through each crossing and scans every later crossing for each one, which made it a sixth
    of the whole pipeline's time; here the sets and the crossings on each x and each y are
    built once. The search itself is pdfplumber's, so the boxes are identical.
    """
    down = {p: frozenset(_edge_box(e) for e in found["v"]) for p, found in intersections.items()}
    across = {p: frozenset(_edge_box(e) for e in found["h"]) for p, found in intersections.items()}

    def connects(p1: Point, p2: Point) -> bool:
        return (p1[0] == p2[0] and not down[p1].isdisjoint(down[p2])) or (
            p1[1] == p2[1] and not across[p1].isdisjoint(across[p2])
        )

    points = sorted(intersections)
    same_x: dict[float, list[Point]] = {}
    same_y: dict[float, list[Point]] = {}
    # Where each point stands on its column and on its row, both kept in (x, y) order.
    place: dict[Point, tuple[int, int]] = {}
    for point in points:
        column = same_x.setdefault(point[0], [])
        row = same_y.setdefault(point[1], [])
        place[point] = (len(column), len(row))
        column.append(point)
        row.append(point)
    cells: list[Box] = []
    for point in points:
        # The points after this one on its column are below it, on its row right of it.
        in_column, in_row = place[point]
        below = same_x[point[0]][in_column + 1 :]
        right = same_y[point[1]][in_row + 1 :]
        cell = _smallest_cell(point, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(
    point: Point,
    below: list[Point],
    right: list[Point],
    intersections: dict[Point, Any],
    connects: Callable[[Point, Point], bool],
) -> Box | None:
    for below_point in below:
        if not connects(point, below_point):
            continue
        for right_point in right:
            if not connects(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if corner in intersections and connects(corner, right_point) and connects(corner, below_point):
                return (point[0], point[1], corner[0], corner[1])
    return None


def _edge_box(edge: dict[str, Any]) -> EdgeBox:
    return (edge["x0"], edge["top"], edge["x1"], edge["bottom"])


def boxes_to_rulings(boxes: Sequence[Box], tolerance: float) -> Rulings:
    xs = snap_positions([v for b in boxes for v in (b[0], b[2])], tolerance)
    ys = snap_positions([v for b in boxes for v in (b[1], b[3])], tolerance)
    return Rulings(xs=xs, ys=ys)


def snap_positions(values: Sequence[float], tolerance: float) -> tuple[float, ...]:
    """Distinct positions: sorted values closer than ``tolerance`` to their neighbour are one."""
    clusters: list[list[float]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][-1] <= tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return tuple(statistics.fmean(cluster) for cluster in clusters)


def nearest_index(positions: Sequence[float], value: float) -> int:
    i = bisect.bisect_left(positions, value)
    if i == len(positions) or (i > 0 and value - positions[i - 1] < positions[i] - value):
        return i - 1
    return i


def boxes_to_slots(boxes: Sequence[Box], rulings: Rulings) -> list[Slot]:
    """Place boxes on the rulings; the rulings a box crosses give its span.

    A box that would cover a position already taken by an earlier box is dropped: the table
    finder reports the smallest closed box per corner, so an overlap can only be a frame drawn
    around cells that are already there.
    """
    taken: set[tuple[int, int]] = set()
    slots: list[Slot] = []
    for box in sorted(boxes, key=lambda b: (b[1], b[0], b[3], b[2])):
        col, last_col = nearest_index(rulings.xs, box[0]), nearest_index(rulings.xs, box[2])
        row, last_row = nearest_index(rulings.ys, box[1]), nearest_index(rulings.ys, box[3])
        area = {(r, c) for r in range(row, last_row) for c in range(col, last_col)}
        if not area or area & taken:
            continue
        taken |= area
        slots.append(Slot(row=row, col=col, rowspan=last_row - row, colspan=last_col - col, box=box))
    return slots
