"""The table the stitcher grows page by page, kept so that each part joined costs its own size.

Joining a part to the table above used to make a new ``Grid`` of the whole table so far, which
the next part then read again: which cell covers each position, every row's text, where its
cells cross from one row into the next, its column rulings, its extent on its last page. Each
was a pass over the grown table for every page, so a table of *n* pages cost *n*². A
``Chain`` keeps each of those views up to date as cells come in. Only re-placing the
table onto finer column rulings rebuilds them, and that happens at most once per column, as
each re-placement adds columns. The ``Grid`` is made once, when nothing more joins the chain.
Most tables are never joined: a chain keeps no views until a second part joins it, and asks
its one grid what it must know before (a position, the rulings, the extent on a page), and a
chain of one part gives back the reader's grid itself.

Every view answers exactly as the same question asked of the joined ``Grid`` would: the last
cell in order wins a position two cells claim, as ``Grid.covering`` has it, and a ruling is the
mean of its positions rounded once, as ``statistics.fmean`` rounds it.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from extractor.model import BBox, Cell, Grid

Position = tuple[int, int]
RowTexts = tuple[str, ...]


def normalised(text: str) -> str:
    """``text`` without white space: the break and the wrapping put it in different places."""
    return "".join(text.split())


@dataclass(frozen=True)
class Extent:
    """Where one grid stands on one of its pages."""

    left: float
    right: float
    top: float
    bottom: float


def page_extent(grid: Grid, page: int) -> Extent | None:
    """Where ``grid``'s cells stand on ``page``."""
    boxes = [c.bbox for c in grid.cells if c.bbox is not None and c.page == page]
    if not boxes:
        return None
    return Extent(
        left=min(b.x0 for b in boxes),
        right=max(b.x1 for b in boxes),
        top=min(b.top for b in boxes),
        bottom=max(b.bottom for b in boxes),
    )


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


@dataclass
class Ruling:
    """The x positions cells' edges give one column boundary, and their exact sum so far.

    ``statistics.fmean`` is the sum of all positions rounded once (``math.fsum``), divided by
    their count; a float sum kept as cells come would round at every step and could differ in
    the last bit. The exact sum (``Fraction``) takes in only what came since it was last asked
    for: a float is an integer over a power of two, so over the largest of their denominators
    the new positions add up as integers. A position that is not finite has no exact value:
    the ruling is then ``fmean`` of all.
    """

    positions: list[float] = field(default_factory=list)
    total: Fraction = field(default_factory=Fraction)
    summed: int = 0

    def mean(self) -> float:
        added = self.positions[self.summed :]
        if not all(map(math.isfinite, added)):
            return statistics.fmean(self.positions)
        ratios = [float(x).as_integer_ratio() for x in added]
        denominator = max((d for _, d in ratios), default=1)
        self.total += Fraction(sum(n * (denominator // d) for n, d in ratios), denominator)
        self.summed = len(self.positions)
        return float(self.total) / len(self.positions)


@dataclass
class Chain:
    """A table joined from one part per page, built up as ``first`` is followed by more parts."""

    first: Grid
    n_rows: int = 0
    n_cols: int = 0
    #: The anchor cells, in the joined grid's order; a grown anchor replaces its old self.
    cells: list[Cell] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    parts: int = 1
    spans_known: bool = True
    notes: tuple[str, ...] = ()
    #: The index in ``cells`` of the cell covering each position.
    cover: dict[Position, int] = field(default_factory=dict)
    #: The indexes in ``cells`` of the anchors at each position (one, but for a faulty grid).
    anchors: dict[Position, list[int]] = field(default_factory=dict)
    #: Each row's texts, as ``row_texts`` reads them, and the rows printing each, in order.
    texts: list[RowTexts] = field(default_factory=list)
    rows_by_texts: dict[RowTexts, list[int]] = field(default_factory=dict)
    #: For each boundary b between rows b - 1 and b, how many cells cross it (row < b ≤ last row).
    crossings: Counter[int] = field(default_factory=Counter)
    rulings: list[Ruling] = field(default_factory=list)
    #: Cells with a box whose edges the rulings have yet to take in: only when asked for, as a
    #: cell past the last column fails there, never for a table that nothing joins.
    unruled: list[Cell] = field(default_factory=list)
    #: For each page, the outer left, right, top and bottom of its cells' boxes.
    extents: dict[int, list[float]] = field(default_factory=dict)
    #: Whether the views above are kept: from when a second part joins ``first``.
    built: bool = False

    def __post_init__(self) -> None:
        grid = self.first
        self.n_rows, self.n_cols = grid.n_rows, grid.n_cols
        self.pages, self.spans_known, self.notes = list(grid.pages), grid.spans_known, grid.notes

    def build(self) -> None:
        """The views made from ``first``, when a second part joins it."""
        if self.built:
            return
        self.built = True
        self.rulings = [Ruling() for _ in range(self.n_cols + 1)]
        for cell in self.first.cells:
            self.take(cell)
        self.read_rows(range(self.n_rows))

    # --- what the stitcher asks of the table above a part ---------------------------------

    @property
    def caption(self) -> tuple[str, ...]:
        return self.first.caption

    def covering(self, row: int, col: int) -> Cell | None:
        """The anchor cell whose area includes (row, col), or None for a hole."""
        if not self.built:
            return self.first.covering(row, col)
        index = self.cover.get((row, col))
        return None if index is None else self.cells[index]

    def text_at(self, row: int, col: int) -> str:
        cell = self.covering(row, col)
        return cell.text if cell is not None else ""

    # Asked only while a part joins, once ``place_columns`` has built the views.

    def row_texts(self, row: int) -> RowTexts:
        return self.texts[row]

    def rows_printing(self, texts: RowTexts) -> Sequence[int]:
        """The rows whose texts are ``texts``, top to bottom."""
        return self.rows_by_texts.get(texts, ())

    def is_band(self, start: int, count: int) -> bool:
        """Whether rows ``start`` .. ``start + count - 1`` hold every cell that touches them
        whole: no cell crosses the boundary above them or the one below."""
        return not self.crossings[start] and not self.crossings[start + count]

    def column_rulings(self) -> list[float] | None:
        """The x position of each column boundary, from the cells' boxes."""
        if not self.built:
            return column_rulings(self.first)
        self.take_edges()
        if not all(ruling.positions for ruling in self.rulings):
            return None
        return [ruling.mean() for ruling in self.rulings]

    def take_edges(self) -> None:
        """The edges of the cells that came since last asked, in the rulings."""
        for cell in self.unruled:
            assert cell.bbox is not None
            self.rulings[cell.col].positions.append(cell.bbox.x0)
            self.rulings[cell.col + cell.colspan].positions.append(cell.bbox.x1)
        self.unruled.clear()

    def extent(self, page: int) -> Extent | None:
        """Where the table's cells stand on ``page``."""
        if not self.built:
            return page_extent(self.first, page)
        found = self.extents.get(page)
        return None if found is None else Extent(*found)

    # --- joining --------------------------------------------------------------------------

    def place_columns(self, columns: Sequence[int], n_cols: int) -> None:
        """The table re-indexed onto the finer column boundaries of the table joined to it: the
        first step of every join, which builds the views if none joined the table before."""
        self.build()
        if n_cols == self.n_cols and all(at == index for index, at in enumerate(columns)):
            return  # the joined table has the table's own columns, as in most joins
        self.cells = [
            replace(c, col=columns[c.col], colspan=columns[c.col + c.colspan] - columns[c.col])
            for c in self.cells
        ]
        self.take_edges()  # of the cells placed as they were
        rulings = [Ruling() for _ in range(n_cols + 1)]
        for index, ruling in enumerate(self.rulings):
            rulings[columns[index]] = ruling
        self.rulings, self.n_cols = rulings, n_cols
        self.rebuild()

    def add_part(
        self, part: Grid, rest: Grid, offset: int, grown: dict[Position, Cell], absorbed: set[Position]
    ) -> None:
        """``rest`` (``part`` placed on the table's columns, its repeated header dropped) laid
        from row ``offset`` on: the table's last row for a row cut by the break, else the row
        under it. ``grown`` replace the anchors at their positions; the cells of ``rest`` at
        ``absorbed`` are not laid, the grown anchors took them in."""
        changed: set[int] = set()
        for position, cell in grown.items():
            for index in self.anchors.get(position, ()):
                changed.update(self.grow(index, cell))
        for cell in rest.cells:
            if (cell.row, cell.col) not in absorbed:
                self.take(replace(cell, row=cell.row + offset))
        self.n_rows = offset + rest.n_rows
        self.pages.extend(part.pages)
        self.parts += 1
        self.spans_known = self.spans_known and part.spans_known
        self.notes = part.notes
        self.read_rows(sorted(changed.union(range(offset, self.n_rows))))

    # --- keeping the views ----------------------------------------------------------------

    def take(self, cell: Cell) -> None:
        """``cell`` added after every other, in every view but the rows' texts."""
        self.cells.append(cell)
        self.place(len(self.cells) - 1, cell)
        if cell.bbox is not None:
            self.unruled.append(cell)
            if cell.page is not None:
                self.widen(cell.page, cell.bbox)

    def place(self, index: int, cell: Cell) -> None:
        """The cell at ``index`` entered as an anchor, over its positions and across its rows."""
        self.anchors.setdefault((cell.row, cell.col), []).append(index)
        for row in range(cell.row, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                self.cover[(row, col)] = index
        self.crossings.update(range(cell.row + 1, cell.last_row + 1))

    def widen(self, page: int, box: BBox) -> None:
        """The extent on ``page`` widened to take in ``box``."""
        found = self.extents.get(page)
        if found is None:
            self.extents[page] = [box.x0, box.x1, box.top, box.bottom]
        else:
            found[:] = [
                min(found[0], box.x0),
                max(found[1], box.x1),
                min(found[2], box.top),
                max(found[3], box.bottom),
            ]

    def grow(self, index: int, cell: Cell) -> range:
        """The anchor at ``index`` replaced by ``cell``, the same anchor running over more rows;
        the rows whose text that changes (none when the text stays)."""
        old = self.cells[index]
        self.cells[index] = cell
        if cell.rowspan < old.rowspan:
            self.rebuild()  # only a faulty part (a cell of no rows) shrinks it: positions go back
            return range(self.n_rows)
        for row in range(old.row + old.rowspan, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                if self.cover.get((row, col), -1) < index:  # a later cell keeps what it covers
                    self.cover[(row, col)] = index
        self.crossings.update(range(old.last_row + 1, cell.last_row + 1))
        return range(old.row, old.row + old.rowspan) if cell.text != old.text else range(0)

    def rebuild(self) -> None:
        """The positions, anchors, crossings and rows' texts read again from every cell."""
        self.cover, self.anchors, self.crossings = {}, {}, Counter()
        for index, cell in enumerate(self.cells):
            self.place(index, cell)
        self.texts, self.rows_by_texts = [], {}
        self.read_rows(range(self.n_rows))

    def read_rows(self, rows: Iterable[int]) -> None:
        """The texts of ``rows`` (ascending, none past the row after the last read) read again
        from the positions; the row after the last read is added."""
        for row in rows:
            texts = tuple(normalised(self.text_at(row, col)) for col in range(self.n_cols))
            if row < len(self.texts):
                if self.texts[row] == texts:
                    continue
                listed = self.rows_by_texts[self.texts[row]]
                del listed[bisect_left(listed, row)]
                self.texts[row] = texts
            else:
                self.texts.append(texts)
            insort(self.rows_by_texts.setdefault(texts, []), row)

    def grid(self) -> Grid:
        """The joined table (the reader's grid itself when nothing joined it)."""
        if self.parts == 1:
            return self.first
        return Grid(
            n_rows=self.n_rows,
            n_cols=self.n_cols,
            cells=tuple(self.cells),
            origin=f"pages {self.pages[0]}-{self.pages[-1]}",
            caption=self.first.caption,
            pages=tuple(self.pages),
            spans_known=self.spans_known,
            notes=self.notes,
        )
