"""The page images of ``inspect`` and ``report --inspect``: the legend under a page with tables,
shading only for spans that hide a boundary (merged header cells, spans in the body), a page
without a table in grey and without the legend."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from PIL import Image

from extractor.look.overlay import (
    BODY_SPAN_FILL,
    CELL_OUTLINE,
    DEFAULT_SCALE,
    HEADER_MERGE_FILL,
    LEGEND_POINTS,
    TABLE_OUTLINE,
    cells_by_page,
    hides_a_boundary,
    render_pages,
)
from extractor.model import Cell, Grid
from extractor.pipeline import parse
from tests.goldens import ROOT

SEED = ROOT / "samples" / "seed"
#: A budget PDF whose first table has merged header cells (收入 and 支出 over 项目 | 预算数).
BUDGET = ROOT / "samples" / "real" / "budget_dept_central_swu_2021.pdf"


def test_a_span_is_shaded_only_where_it_hides_a_boundary() -> None:
    cells = (
        Cell(0, 0, "title", colspan=3),  # row 1 splits its columns: shaded
        Cell(1, 0, "a"),
        Cell(1, 1, "b"),
        Cell(1, 2, "c"),
        Cell(2, 0, "d", colspan=2),  # the a | b edge above it: shaded
        Cell(2, 2, "e"),
        Cell(3, 0, "f", colspan=2),  # the rows above and below span the same columns: not
        Cell(3, 2, "g"),
        Cell(4, 0, "h", colspan=2),
        Cell(4, 2, "i"),
        Cell(5, 0, "j", rowspan=2),  # its neighbour spans the same rows: not
        Cell(5, 1, "k", rowspan=2),  # the l | m edge beside it: shaded
        Cell(5, 2, "l"),
        Cell(6, 2, "m"),
    )
    grid = Grid(n_rows=7, n_cols=3, cells=cells)
    shaded = {c.text for c in cells if hides_a_boundary(grid, c)}
    assert shaded == {"title", "d", "h", "k"}  # h: the j | k edge below it


def test_header_merges_and_body_spans_are_told_apart() -> None:
    form = parse(SEED / "seed_reportlab.pdf")
    (table,) = form.tables
    drawn = {d.bbox: d.shade for page in cells_by_page(form.tables).values() for d in page}
    by_text = {c.text: drawn[c.bbox] for c in table.grid.cells if c.bbox is not None}
    assert by_text["决策"] == "body"  # 一级指标 merged down six rows
    assert by_text["计划制定"] == "body"  # 二级指标 merged down two
    assert by_text["中长期规划制定健全性"] == ""  # three grid columns no neighbour separates
    assert by_text["三级指标"] == by_text["一级指标"] == ""  # header cells, merged with nothing
    spans = [c for c in table.grid.cells if c.bbox is not None and (c.rowspan > 1 or c.colspan > 1)]
    shaded = [c for c in spans if drawn[c.bbox]]
    assert len(shaded) < len(spans) / 2  # every span was shaded before
    budget = parse(BUDGET)
    first = budget.tables[0]
    shades = {d.bbox: d.shade for page in cells_by_page([first]).values() for d in page}
    header = {c.text: shades[c.bbox] for c in first.grid.cells if c.row == 0 and c.bbox is not None}
    assert header == {"收入": "header", "支出": "header"}
    assert {shades[c.bbox] for c in first.grid.cells if c.row > 0 and c.bbox is not None} == {""}


def over_white(fill: tuple[int, int, int, int]) -> tuple[int, ...]:
    alpha = fill[3] / 255
    return tuple(round(255 * (1 - alpha) + channel * alpha) for channel in fill[:3])


def test_a_page_with_tables_has_the_legend_and_one_without_is_grey(tmp_path: Path) -> None:
    sample = SEED / "seed_reportlab.pdf"
    (page,) = render_pages(sample, parse(sample).tables, tmp_path / "form", pages=[1])
    document = pypdfium2.PdfDocument(str(sample))
    width, height = (round(v * DEFAULT_SCALE) for v in document[0].get_size())
    with Image.open(page) as image:
        strip_height = round(LEGEND_POINTS * DEFAULT_SCALE)
        assert image.size == (width, height + strip_height)
        strip = image.convert("RGB").crop((0, height + 1, width, height + strip_height))
    colours = {colour for _, colour in strip.getcolors(maxcolors=width * strip_height) or []}
    legend = {TABLE_OUTLINE[:3], CELL_OUTLINE[:3], over_white(HEADER_MERGE_FILL), over_white(BODY_SPAN_FILL)}
    assert legend <= colours
    blank = pypdfium2.PdfDocument.new()
    blank.new_page(595, 842)
    blank.save(str(tmp_path / "blank.pdf"))
    (empty,) = render_pages(tmp_path / "blank.pdf", [], tmp_path / "blank")
    with Image.open(empty) as image:
        assert image.size == (round(595 * DEFAULT_SCALE), round(842 * DEFAULT_SCALE))  # no legend
        assert all(r == g == b for _, (r, g, b) in image.convert("RGB").getcolors() or [])
