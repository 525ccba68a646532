"""The stitcher over many pages (issue 18: 800 pages of one table took 40 s).

The table being joined is a ``stitch_chain.Chain`` that keeps what the stitcher asks of it up to
date as parts come in, instead of a new ``Grid`` read again for every page. These tests hold it
to the ``Grid`` it becomes: every question the stitcher asks gets the same answer from both. A
long table comes back whole, and the work done grows with the pages, not with their square.
Grids are made by hand, as a PDF reader gives them (one per page, boxes on the page).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType
from typing import Any

from extractor.layout.stitch import column_maps, stitch_pages
from extractor.layout.stitch_chain import Chain, column_rulings, page_extent
from extractor.layout.stitch_join import is_band, join_part, row_texts
from extractor.model import BBox, Cell, Grid

Anchor = tuple[int, int, int, int, str]
"""(row, col, rowspan, colspan, text)"""

#: The long table's column rulings, where its rows start on a page, each row's height.
XS = (50.0, 130.0, 200.0, 450.0, 540.0)
TOP, HEIGHT = 60.0, 18.0
HEADER = ("类别", "科目编码", "项目名称", "金额（万元）")
TITLE = ("2025年部门项目支出预算明细表",)
#: Rows of a page, its repeated header included; rows the first column's labels merge, cycled.
ROWS_A_PAGE = 20
BLOCKS = (5, 7, 6, 9, 4)
#: Every this many pages the page's last row is cut by the break.
SPLIT_EVERY = 3


def body_row(index: int) -> tuple[str, str, str]:
    return f"2{index:05d}", f"项目支出第{index}项公共服务保障经费", f"{1000 + 7 * index:,}.00"


def long_table(pages: int) -> tuple[list[Grid], list[Anchor]]:
    """The grids a reader gives of one ruled table over ``pages`` pages, and the anchors of the
    table they make. Every page repeats the header; the first column's labels are merged over
    blocks that run on across page breaks (an empty box at the next page's top); every
    ``SPLIT_EVERY``-th page's last row is cut, its name's second half and its amount on the next
    page under an empty code."""
    body = ROWS_A_PAGE - 1
    cut = [page % SPLIT_EVERY == SPLIT_EVERY - 1 and page < pages - 1 for page in range(pages)]
    count = pages * body - sum(cut)
    blocks = [block for block in range(count) for _ in range(BLOCKS[block % len(BLOCKS)])][:count]
    expected: list[Anchor] = [(0, col, 1, 1, text) for col, text in enumerate(HEADER)]
    for index in range(count):
        expected += [(1 + index, col + 1, 1, 1, text) for col, text in enumerate(body_row(index))]
        if index == 0 or blocks[index] != blocks[index - 1]:
            size = blocks.count(blocks[index])
            expected.append((1 + index, 0, size, 1, f"第{blocks[index]}类"))
    grids: list[Grid] = []
    index, rest = 0, ""
    for page in range(pages):
        rows: list[tuple[int, tuple[str, str, str], bool]] = []  # (body row, texts, goes on)
        while len(rows) < body and index < count:
            code, name, amount = body_row(index)
            if rest:
                rows.append((index, ("", rest, amount), True))
                rest = ""
            elif cut[page] and len(rows) == body - 1:
                rows.append((index, (code, name[: len(name) // 2], ""), False))
                rest = name[len(name) // 2 :]
                break
            else:
                rows.append((index, (code, name, amount), False))
            index += 1
        grids.append(page_grid(page + 1, rows, blocks))
    return grids, expected


def page_grid(page: int, rows: list[tuple[int, tuple[str, str, str], bool]], blocks: list[int]) -> Grid:
    """One page of the long table: header, rows, and the first column's boxes, one a block."""
    cells = [(0, col, 1, text) for col, text in enumerate(HEADER)]
    for row, (_, texts, _) in enumerate(rows, start=1):
        cells += [(row, col + 1, 1, text) for col, text in enumerate(texts)]
    row = 1
    while row <= len(rows):
        index, _, goes_on = rows[row - 1]
        span = 1
        while row + span <= len(rows) and blocks[rows[row + span - 1][0]] == blocks[index]:
            span += 1
        starts = not goes_on and (index == 0 or blocks[index - 1] != blocks[index])
        cells.append((row, 0, span, f"第{blocks[index]}类" if starts else ""))
        row += span
    return Grid(
        n_rows=1 + len(rows),
        n_cols=len(HEADER),
        cells=tuple(
            Cell(
                row=r,
                col=c,
                rowspan=rs,
                text=text,
                page=page,
                bbox=BBox(XS[c], TOP + HEIGHT * r, XS[c + 1], TOP + HEIGHT * (r + rs)),
            )
            for r, c, rs, text in cells
        ),
        origin=f"page {page}",
        caption=TITLE if page == 1 else (),
        pages=(page,),
    )


def anchors(grid: Grid) -> list[Anchor]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells)


def test_a_long_table_comes_back_whole() -> None:
    parts, expected = long_table(12)

    (grid,), issues = stitch_pages(parts)

    assert anchors(grid) == sorted(expected)
    assert (grid.n_rows, grid.pages, grid.caption, grid.origin) == (
        1 + max(a[0] for a in expected),
        tuple(range(1, 13)),
        TITLE,
        "pages 1-12",
    )
    assert [i.page for i in issues] == list(range(2, 13))
    cut = grid.covering(ROWS_A_PAGE - 1 + 2 * (ROWS_A_PAGE - 1), 2)  # page 3's last row
    assert cut is not None and (cut.page, cut.text) == (3, "项目支出第56项公共服务保障经费")


def test_a_table_of_one_part_is_the_readers_grid() -> None:
    parts, _ = long_table(2)
    other = Grid(n_rows=1, n_cols=1, cells=(Cell(0, 0, "注"),))

    grids, issues = stitch_pages([parts[0], other])

    assert grids[0] is parts[0] and grids[1] is other and issues == []


# --- the chain answers as the grid it becomes -------------------------------------------------

#: Texts the random parts print: few and often repeated, so rows repeat the header above, labels
#: are printed again after a break and first rows look cut.
TEXTS = ("", "", "", "一级指标", "产出指标", "数量", "甲", "乙", "1", "90%", "合计", "一、收入", "（一）项目")


def random_part(rng: random.Random, page: int, xs: Sequence[float]) -> Grid:
    """A part on rulings ``xs``, its cells merged at random over rows and columns."""
    n_rows, n_cols = rng.randint(1, 8), len(xs) - 1
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for row in range(n_rows):
        for col in range(n_cols):
            if (row, col) in taken:
                continue
            rowspan = rng.choice((1, 1, 1, 2, 3)) if row else 1
            colspan = rng.choice((1, 1, 1, 1, 2))
            while any(
                (r, c) in taken or r >= n_rows or c >= n_cols
                for r in range(row, row + rowspan)
                for c in range(col, col + colspan)
            ):
                rowspan, colspan = (rowspan, colspan - 1) if colspan > 1 else (rowspan - 1, colspan)
            taken.update((r, c) for r in range(row, row + rowspan) for c in range(col, col + colspan))
            box = BBox(
                xs[col] + rng.choice((0.0, 0.4)),
                TOP + 20 * row,
                xs[col + colspan],
                TOP + 20 * (row + rowspan),
            )
            cells.append(Cell(row, col, rng.choice(TEXTS), rowspan, colspan, page=page, bbox=box))
    return Grid(n_rows=n_rows, n_cols=n_cols, cells=tuple(cells), pages=(page,))


def assert_answers_as_grid(chain: Chain) -> None:
    """Every view of ``chain`` against the same question asked of the grid it makes."""
    grid = chain.grid()
    positions = [(r, c) for r in range(grid.n_rows) for c in range(grid.n_cols)]
    assert [chain.covering(r, c) for r, c in positions] == [grid.covering(r, c) for r, c in positions]
    texts = [row_texts(grid, r) for r in range(grid.n_rows)]
    assert [chain.row_texts(r) for r in range(grid.n_rows)] == texts
    for printed in set(texts):
        assert list(chain.rows_printing(printed)) == [r for r, t in enumerate(texts) if t == printed]
    bands = [(s, n) for s in range(grid.n_rows) for n in range(1, grid.n_rows - s + 1)]
    assert [chain.is_band(s, n) for s, n in bands] == [is_band(grid, s, n) for s, n in bands]
    assert chain.column_rulings() == column_rulings(grid)
    assert [chain.extent(p) for p in grid.pages] == [page_extent(grid, p) for p in grid.pages]


def test_a_chain_answers_as_the_grid_it_becomes() -> None:
    """Random parts on rulings drawn from one set (some finer, some coarser, some interleaved,
    so that the chain is re-placed onto finer columns), joined one after the other."""
    rng = random.Random(18)
    rulings = (50.0, 110.0, 170.0, 240.0, 300.0, 380.0)
    joins = 0
    for _ in range(150):
        chain = Chain(random_part(rng, 1, (rulings[0], *rng.sample(rulings[1:-1], 2), rulings[-1])))
        chain.build()  # as a second part's joining does
        assert_answers_as_grid(chain)
        for page in range(2, 7):
            inner = sorted(rng.sample(rulings[1:-1], rng.randint(0, 4)))
            part = random_part(rng, page, (rulings[0], *inner, rulings[-1]))
            columns = column_maps(chain, part, 3.0) or column_maps(chain, part, 3.0, interleaved=True)
            if columns is not None:
                join_part(chain, part, columns)
                joins += 1
                assert_answers_as_grid(chain)
    assert joins > 300


# --- the work grows with the pages ------------------------------------------------------------


@contextmanager
def lines_run() -> Iterator[list[int]]:
    """Counts the lines of Python run inside, in any module: a measure of work that does not
    depend on the machine or its load, as a time would."""
    counted = [0]

    def count(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            counted[0] += 1
        return count

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: count)
    try:
        yield counted
    finally:
        sys.settrace(previous)


def stitching_work(pages: int) -> int:
    parts, _ = long_table(pages)
    with lines_run() as counted:
        stitch_pages(parts)
    return counted[0]


def test_stitching_work_grows_as_the_pages_do() -> None:
    """Ten pages more cost as much at the end of a long table as at its start. Before the chain,
    each page passed over the whole table joined so far: pages 30-40 cost 2.3 times pages 10-20."""
    work = {pages: stitching_work(pages) for pages in (10, 20, 30, 40)}

    assert work[40] - work[30] <= 1.05 * (work[20] - work[10])


def scanned(grid: Grid, misread: dict[str, str]) -> Grid:
    """``grid`` as OCR reads it: every cell with a confidence, the texts in ``misread`` misread."""
    return replace(
        grid,
        cells=tuple(replace(c, text=misread.get(c.text, c.text), confidence=0.9) for c in grid.cells),
    )


def test_a_scans_repeated_header_misread_is_dropped_as_a_repeat() -> None:
    # 国有资本经营预算拔款收入 for 拨款 on a 150 dpi scan of 重庆's 收入总体情况表: kept as a body
    # row, the header in mid-table cost half its columns' records.
    parts, expected = long_table(3)
    parts[1] = scanned(parts[1], {"科目编码": "料目编码", "金额（万元）": "金额（万无）"})
    (grid,), _ = stitch_pages(parts)
    assert grid.n_rows == 1 + max(a[0] for a in expected)
    assert [c.text for c in grid.cells if c.row == 0] == list(HEADER)


def test_a_misread_repeat_is_only_dropped_from_a_scan() -> None:
    parts, expected = long_table(2)
    parts[1] = replace(
        parts[1],
        cells=tuple(replace(c, text="料目编码" if c.text == "科目编码" else c.text) for c in parts[1].cells),
    )
    (grid,), _ = stitch_pages(parts)
    assert grid.n_rows == 2 + max(a[0] for a in expected)  # the header printed so stays a row


def text_rows(page: int, rows: Sequence[tuple[str, str]]) -> Grid:
    return Grid(
        n_rows=len(rows),
        n_cols=2,
        cells=tuple(
            Cell(
                row=r,
                col=c,
                text=text,
                page=page,
                bbox=BBox(XS[c], TOP + HEIGHT * r, XS[c + 1], TOP + HEIGHT * (r + 1)),
            )
            for r, texts in enumerate(rows)
            for c, text in enumerate(texts)
        ),
        pages=(page,),
    )


def test_a_scanned_body_row_resembling_one_above_is_kept() -> None:
    first = text_rows(1, [("三级指标", "指标值"), ("居民满意度", "高"), ("办结及时率", "高")])
    second = scanned(text_rows(2, [("村民满意度", "高"), ("宣传覆盖面", "广")]), {})
    (grid,), _ = stitch_pages([first, second])
    assert [grid.text_at(row, 0) for row in range(grid.n_rows)] == [
        "三级指标",
        "居民满意度",
        "办结及时率",
        "村民满意度",
        "宣传覆盖面",
    ]
