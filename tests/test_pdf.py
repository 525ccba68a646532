"""The PDF reader and the page stitcher, on small ruled tables drawn with reportlab.

Tables are drawn box by box on a canvas, so each test states exactly which rulings exist: a
merged cell is a box whose inner rulings are simply not drawn, as in a real export.
"""

from __future__ import annotations

import importlib
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pdfplumber.table import edges_to_intersections
from pdfplumber.table import intersections_to_cells as pdfplumbers_cells
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from extractor.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from extractor.layout.stitch import stitch_pages
from extractor.model import BBox, Cell, Grid, grid_from_rows
from extractor.readers.pdf import chars_to_runs, read
from extractor.readers.pdf_backends import read_pages
from extractor.readers.pdf_page import PDF_BACKENDS, Char
from extractor.readers.pdf_rulings import (
    DEFAULT_SETTINGS,
    Line,
    intersections_to_cells,
    line_to_edge,
    page_to_lines,
    table_to_cut_ends,
    table_to_open_borders,
)

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "samples" / "seed"
REAL_DIR = ROOT / "samples" / "real"
FONT_PATH = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
FONT = "CJK"
SIZE = 10.0
PAD = 3.0
PAGE_HEIGHT = 842.0

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="the CJK test font is not installed")


@pytest.fixture(scope="module", autouse=True)
def cjk_font() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))


@pytest.fixture(params=PDF_BACKENDS)
def pdf_backend(request: pytest.FixtureRequest) -> str:
    """Every reading test runs with each backend: both must give the same grids."""
    backend: str = request.param
    return backend


@dataclass(frozen=True)
class Drawn:
    """A box to draw: its grid position and the lines of text printed in it, top to bottom."""

    row: int
    col: int
    lines: tuple[str, ...] = ()
    rowspan: int = 1
    colspan: int = 1


def draw_text(canvas: Canvas, x: float, top: float, text: str) -> None:
    """Text whose line box starts at ``top`` (points from the page top).

    The CJK test font has no Latin glyphs, so ASCII runs are set in Helvetica, as a real
    document's mixed fonts would be.
    """
    line = canvas.beginText(x, PAGE_HEIGHT - top - SIZE * 0.88)
    for ascii_run, run in itertools.groupby(text, key=str.isascii):
        line.setFont("Helvetica" if ascii_run else FONT, SIZE)
        line.textOut("".join(run))
    canvas.drawText(line)


def draw_table(
    canvas: Canvas,
    *,
    left: float,
    top: float,
    widths: Sequence[float],
    heights: Sequence[float],
    boxes: Sequence[Drawn],
    border: bool = True,
) -> None:
    """Each box with its own four borders, so an inner ruling exists only between two boxes.

    Without ``border`` the sides lying on the table's outer edge are left out: only the inner
    rulings are drawn, running on to the edges, as some publishers print their tables.
    """
    xs = [left + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [top + sum(heights[:i]) for i in range(len(heights) + 1)]
    for box in boxes:
        x0, x1 = xs[box.col], xs[box.col + box.colspan]
        y0, y1 = ys[box.row], ys[box.row + box.rowspan]
        if border:
            canvas.rect(x0, PAGE_HEIGHT - y1, x1 - x0, y1 - y0)
        else:
            inner_sides = [
                (x0, y0, x1, y0) if y0 != ys[0] else None,
                (x0, y1, x1, y1) if y1 != ys[-1] else None,
                (x0, y0, x0, y1) if x0 != xs[0] else None,
                (x1, y0, x1, y1) if x1 != xs[-1] else None,
            ]
            for a, b, c, d in filter(None, inner_sides):
                canvas.line(a, PAGE_HEIGHT - b, c, PAGE_HEIGHT - d)
        for i, line in enumerate(box.lines):
            draw_text(canvas, x0 + PAD, y0 + PAD + i * SIZE * 1.3, line)


def cjk_width(n_chars: int) -> float:
    """A column exactly ``n_chars`` CJK characters wide inside its padding."""
    return n_chars * SIZE + 2 * PAD


Anchor = tuple[int, int, int, int, str]
"""(row, col, rowspan, colspan, text)"""


def anchors(grid: Grid) -> list[Anchor]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells)


# --- reading one page ---------------------------------------------------------------------


def test_spans_text_and_caption(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "spans.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_text(canvas, 200, 40, "江北新区部门整体预算绩效目标表")
    draw_text(canvas, 250, 60, "2025年度")
    draw_text(canvas, 60, 80, "编制单位：某局")
    draw_text(canvas, 400, 80, "单位：万元")
    draw_table(
        canvas,
        left=60,
        top=100,
        widths=[60, 80, 80],
        heights=[20, 20, 20, 20],
        boxes=[
            Drawn(0, 0, ("一级指标",)),
            Drawn(0, 1, ("指标值",), colspan=2),
            Drawn(1, 0, ("产出指标",), rowspan=2),
            Drawn(1, 1, ("数量",)),
            Drawn(1, 2, ("不少于2份",)),
            Drawn(2, 1, ("质量",)),
            Drawn(2, 2, ("100%",)),
            Drawn(3, 0, ("效益指标",)),
            Drawn(3, 1, ("Total amount",)),
            Drawn(3, 2, ()),
        ],
    )
    canvas.save()

    document = read(path, backend=pdf_backend)

    assert (document.format, document.pages, document.warnings) == ("pdf", 1, ())
    (grid,) = document.grids
    assert (grid.n_rows, grid.n_cols, grid.pages, grid.origin) == (4, 3, (1,), "page 1")
    assert grid.caption == ("江北新区部门整体预算绩效目标表", "2025年度", "编制单位：某局 单位：万元")
    assert anchors(grid) == [
        (0, 0, 1, 1, "一级指标"),
        (0, 1, 1, 2, "指标值"),
        (1, 0, 2, 1, "产出指标"),
        (1, 1, 1, 1, "数量"),
        (1, 2, 1, 1, "不少于2份"),
        (2, 1, 1, 1, "质量"),
        (2, 2, 1, 1, "100%"),
        (3, 0, 1, 1, "效益指标"),
        (3, 1, 1, 1, "Total amount"),
        (3, 2, 1, 1, ""),
    ]
    merged = next(c for c in grid.cells if c.rowspan == 2)
    assert merged.page == 1
    assert merged.bbox == pytest.approx(BBox(60, 120, 120, 160))
    # Where its text stands: the label is printed PAD points from the cell's left edge.
    assert merged.text_box is not None
    assert merged.text_box.x0 == pytest.approx(60 + PAD)
    assert next(c for c in grid.cells if c.text == "").text_box is None


def test_paragraphs_wrapped_lines_and_word_spaces(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "text.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_table(
        canvas,
        left=60,
        top=100,
        widths=[60, cjk_width(10)],
        heights=[60, 30, 20, 30],
        boxes=[
            Drawn(0, 0, ("单位职能",)),
            Drawn(0, 1, ("第一段文字。", "第二段开始一二三四", "结束。")),
            Drawn(1, 0, ("年度目标",)),
            Drawn(1, 1, ("一二三四五六七八九十", "十一十二")),
            Drawn(2, 0, ("Amount",)),
            Drawn(2, 1),
            Drawn(3, 0),
            Drawn(3, 1),
        ],
    )
    # Latin words set apart by position only, without a space character between them.
    draw_text(canvas, 120 + PAD, 190 + PAD, "total")
    draw_text(canvas, 120 + PAD + 30, 190 + PAD, "budget")
    # A centred header wrapped onto a short second line: short on both sides, not a paragraph end.
    draw_text(canvas, 120 + (cjk_width(10) - 6 * SIZE) / 2, 210 + PAD, "对附属单位补")
    draw_text(canvas, 120 + (cjk_width(10) - SIZE) / 2, 210 + PAD + SIZE * 1.3, "助")
    canvas.save()

    (grid,) = read(path, backend=pdf_backend).grids

    assert grid.caption == ()
    assert [grid.text_at(r, 1) for r in range(4)] == [
        "第一段文字。\n第二段开始一二三四结束。",
        "一二三四五六七八九十十一十二",
        "total budget",
        "对附属单位补助",
    ]


def test_a_clipped_label_keeps_the_characters_overflowing_its_cell(tmp_path: Path, pdf_backend: str) -> None:
    """A spreadsheet prints a label too long for its cell on one line and clips it at the cell's
    right ruling; the text layer holds the whole label, its last characters standing in the next
    column, under that cell's own text or in an empty cell. A run of text that crosses its cell's
    right ruling without a gap overflows that cell; the next cell's text, printed over it, starts
    a run of its own, even where the two interleave."""
    path = tmp_path / "clipped.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_table(
        canvas,
        left=60,
        top=100,
        widths=[cjk_width(3), cjk_width(6), cjk_width(4)],
        heights=[20, 20, 20],
        boxes=[
            # Seven characters in a cell three wide: four stand under the next cell's text.
            Drawn(0, 0, ("一般性支出情况",)),
            Drawn(0, 1, ("三公经费",)),
            Drawn(0, 2, ("合计",)),
            # Into an empty cell.
            Drawn(1, 0, ("服务对象满意度",)),
            Drawn(1, 1),
            Drawn(1, 2, ("合计",)),
            # A label that fits, beside text one padding from the ruling on either side.
            Drawn(2, 0, ("产出指",)),
            Drawn(2, 1, ("数量指标",)),
            Drawn(2, 2, ("合计",)),
        ],
    )
    canvas.save()

    (grid,) = read(path, backend=pdf_backend).grids

    assert grid.as_rows() == [
        ["一般性支出情况", "三公经费", "合计"],
        ["服务对象满意度", "", "合计"],
        ["产出指", "数量指标", "合计"],
    ]


def test_runs_chain_the_characters_that_follow_one_another() -> None:
    """A character continues the run whose last character it follows without a gap or overlap:
    kerned punctuation stays in its run, a character printed over another starts a run of its
    own, and text printed twice a hair apart (fake bold) makes two runs side by side."""

    def char(text: str, x0: float) -> Char:
        return Char(text, x0, x0 + SIZE, 100.0, 100.0 + SIZE, SIZE)

    chars = [char("费", 0), char("、", 9.5), char("况", 19.5), char("三", 25), char("公", 35)]
    chars += [char("合", 60), char("合", 60.3), char("计", 70), char("计", 70.3)]

    runs = chars_to_runs(chars, DEFAULT_SETTINGS)

    assert sorted("".join(c.text for c in run) for run in runs) == ["三公", "合计", "合计", "费、况"]


def test_two_tables_on_one_page(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "two.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_text(canvas, 60, 60, "表一 收入")
    draw_table(
        canvas,
        left=60,
        top=80,
        widths=[80, 80],
        heights=[20, 20],
        boxes=[
            Drawn(0, 0, ("项目",)),
            Drawn(0, 1, ("金额",)),
            Drawn(1, 0, ("财政拨款",)),
            Drawn(1, 1, ("100",)),
        ],
    )
    draw_text(canvas, 60, 160, "表二 支出")
    draw_text(canvas, 60, 180, "单位：元")
    draw_table(
        canvas,
        left=60,
        top=200,
        widths=[80, 80, 80],
        heights=[20, 20],
        boxes=[
            Drawn(0, 0, ("科目",)),
            Drawn(0, 1, ("基本",)),
            Drawn(0, 2, ("项目",)),
            Drawn(1, 0, ("合计",)),
            Drawn(1, 1, ("1",)),
            Drawn(1, 2, ("2",)),
        ],
    )
    canvas.save()

    first, second = read(path, backend=pdf_backend).grids

    assert (first.caption, first.n_cols, first.as_rows()) == (
        ("表一 收入",),
        2,
        [["项目", "金额"], ["财政拨款", "100"]],
    )
    assert (second.caption, second.n_cols, second.pages) == (("表二 支出", "单位：元"), 3, (1,))
    assert second.as_rows() == [["科目", "基本", "项目"], ["合计", "1", "2"]]


OPEN_BOXES = (
    Drawn(0, 0, ("项目",)),
    Drawn(0, 1, ("金额",), colspan=2),
    Drawn(1, 0, ("收入",), rowspan=2),
    Drawn(1, 1, ("财政拨款",)),
    Drawn(1, 2, ("100",)),
    Drawn(2, 1, ("其他",)),
    Drawn(2, 2, ("0",)),
    Drawn(3, 0, ("合计",)),
    Drawn(3, 1, ("100",), colspan=2),
)
OPEN_ANCHORS = [
    (0, 0, 1, 1, "项目"),
    (0, 1, 1, 2, "金额"),
    (1, 0, 2, 1, "收入"),
    (1, 1, 1, 1, "财政拨款"),
    (1, 2, 1, 1, "100"),
    (2, 1, 1, 1, "其他"),
    (2, 2, 1, 1, "0"),
    (3, 0, 1, 1, "合计"),
    (3, 1, 1, 2, "100"),
]


def test_table_without_outer_border(tmp_path: Path, pdf_backend: str) -> None:
    """Only inner rulings: the outer rows and columns close no box until the border is put back."""
    path = tmp_path / "open.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_text(canvas, 60, 80, "单位：元")
    draw_table(
        canvas, left=60, top=100, widths=[70, 80, 80], heights=[20] * 4, boxes=OPEN_BOXES, border=False
    )
    canvas.save()

    (grid,) = read(path, backend=pdf_backend).grids

    assert (grid.n_rows, grid.n_cols, grid.caption) == (4, 3, ("单位：元",))
    assert anchors(grid) == OPEN_ANCHORS
    corner = next(c for c in grid.cells if c.text == "合计")
    assert corner.bbox == pytest.approx(BBox(60, 160, 130, 180))


def test_a_table_drawn_in_a_form_xobject(tmp_path: Path, pdf_backend: str) -> None:
    """Rulings and text inside a form XObject, placed scaled and moved, are read where they show."""
    path = tmp_path / "form.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    canvas.beginForm("table")
    draw_table(canvas, left=60, top=100, widths=[70, 80, 80], heights=[20] * 4, boxes=OPEN_BOXES)
    canvas.endForm()
    canvas.translate(30, -200)
    canvas.scale(0.9, 0.9)
    canvas.doForm("table")
    canvas.save()

    (grid,) = read(path, backend=pdf_backend).grids

    assert anchors(grid) == OPEN_ANCHORS
    # x: 60 · 0.9 + 30; y: the drawn top 842 − 100 = 742, · 0.9 − 200 = 467.8 from the bottom.
    first = grid.cells[0].bbox
    assert first is not None
    assert (first.x0, first.top, first.x1, first.bottom) == pytest.approx((84.0, 374.2, 147.0, 392.2))


@pytest.mark.parametrize("colour", ["gray", "rgb", "cmyk"])
def test_white_cell_backgrounds_rule_nothing(tmp_path: Path, pdf_backend: str, colour: str) -> None:
    """Word and Excel paint each cell's background, and each line of text, as a white filled
    rectangle; its sides are invisible and must not split the merged cells it lies in."""
    path = tmp_path / "backgrounds.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    set_white = {
        "gray": lambda: canvas.setFillGray(1),
        "rgb": lambda: canvas.setFillColorRGB(1, 1, 1),
        "cmyk": lambda: canvas.setFillColorCMYK(0, 0, 0, 0),
    }[colour]
    set_white()
    for x, top, width in [(63, 103, 64), (63, 123, 30), (63, 140, 30), (133, 103, 74), (133, 163, 150)]:
        canvas.rect(x, PAGE_HEIGHT - top - 12, width, 12, stroke=0, fill=1)
    canvas.setFillGray(0)
    draw_table(canvas, left=60, top=100, widths=[70, 80, 80], heights=[20] * 4, boxes=OPEN_BOXES)
    canvas.save()

    (grid,) = read(path, backend=pdf_backend).grids

    assert anchors(grid) == OPEN_ANCHORS


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_page_turned_by_rotate_is_read_as_drawn(tmp_path: Path, rotation: int) -> None:
    """A landscape table is often drawn upright and shown turned (/Rotate): pdfium reads it as
    drawn, in its own coordinates. (pdfminer turns the page first: at 90° and 270° its
    characters are no longer upright and the pdfplumber backend finds no text, at 180° it reads
    the table mirrored.)"""
    path = tmp_path / "turned.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    canvas.setPageRotation(rotation)
    draw_table(canvas, left=60, top=100, widths=[70, 80, 80], heights=[20] * 4, boxes=OPEN_BOXES)
    canvas.save()

    (grid,) = read(path, backend="pdfium").grids

    assert anchors(grid) == OPEN_ANCHORS


def test_a_space_shown_on_its_own_is_kept(tmp_path: Path, pdf_backend: str) -> None:
    """WPS places every character as a text object of its own, a space too, and a space may
    overlap the character before it: the gap it leaves is narrower than a space, yet pdfminer
    reads the space (PDFium leaves an object without ink out of its text page)."""
    path = tmp_path / "own_space.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_table(canvas, left=60, top=100, widths=[120, 60], heights=[20, 20], boxes=SPACE_BOXES)
    canvas.setFont("Helvetica", SIZE)
    baseline = PAGE_HEIGHT - 134
    canvas.drawString(70, baseline, "(%)")  # ends at 85.55
    canvas.drawString(85.0, baseline, " ")
    canvas.drawString(86.8, baseline, "7")
    canvas.save()

    (grid,) = read(path, backend=pdf_backend).grids

    assert anchors(grid) == [
        (0, 0, 1, 1, "率"),
        (0, 1, 1, 1, "合计"),
        (1, 0, 1, 1, "(%) 7"),
        (1, 1, 1, 1, "100"),
    ]


SPACE_BOXES = (Drawn(0, 0, ("率",)), Drawn(0, 1, ("合计",)), Drawn(1, 0), Drawn(1, 1, ("100",)))


def test_rulings_filled_as_mitred_polygons(tmp_path: Path, pdf_backend: str) -> None:
    """Some publishers fill each border as a thin four-sided polygon with mitred ends (a trapezoid,
    not a rectangle: pdfminer calls it a curve); its level and upright sides rule the table."""
    path = tmp_path / "mitred.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    xs, ys, width = (60.0, 160.0, 260.0), (100.0, 120.0, 140.0), 0.5
    for y in ys:
        trapezoid = [(xs[0], y), (xs[-1], y), (xs[-1] - width, y + width), (xs[0] + width, y + width)]
        draw_polygon(canvas, trapezoid)
    for x in xs:
        trapezoid = [(x, ys[0]), (x, ys[-1]), (x + width, ys[-1] - width), (x + width, ys[0] + width)]
        draw_polygon(canvas, trapezoid)
    for row, (label, amount) in enumerate([("项目", "金额"), ("合计", "100")]):
        draw_text(canvas, xs[0] + PAD, ys[row] + PAD, label)
        draw_text(canvas, xs[1] + PAD, ys[row] + PAD, amount)
    canvas.save()

    (grid,) = read(path, backend=pdf_backend).grids

    assert anchors(grid) == [
        (0, 0, 1, 1, "项目"),
        (0, 1, 1, 1, "金额"),
        (1, 0, 1, 1, "合计"),
        (1, 1, 1, 1, "100"),
    ]


def draw_polygon(canvas: Canvas, points: Sequence[tuple[float, float]]) -> None:
    """A closed polygon filled black, its points measured from the page top."""
    polygon = canvas.beginPath()
    polygon.moveTo(points[0][0], PAGE_HEIGHT - points[0][1])
    for x, top in points[1:]:
        polygon.lineTo(x, PAGE_HEIGHT - top)
    polygon.close()
    canvas.drawPath(polygon, stroke=0, fill=1)


#: For each /Rotate of a 595 × 842 page, the matrix from the shown page's coordinates back into
#: user space (the inverse of pdfminer's page matrix), as PScript5 draws a landscape page.
TURNED_BACK = {
    90: (0, 1, -1, 0, 595, 0),
    180: (-1, 0, 0, -1, 595, PAGE_HEIGHT),
    270: (0, -1, 1, 0, 0, PAGE_HEIGHT),
}


@pytest.mark.parametrize("rotation", sorted(TURNED_BACK))
def test_a_page_drawn_turned_and_shown_upright_is_read_as_shown(
    tmp_path: Path, pdf_backend: str, rotation: int
) -> None:
    """PScript5 (through Acrobat Distiller) prints a landscape page as a portrait one whose content
    is drawn turned and shown upright by /Rotate: its characters are upright only once the page
    is turned, and both backends read it as shown, boxes in the shown page's coordinates."""
    path = tmp_path / "pscript.pdf"
    shown = (PAGE_HEIGHT, 595) if rotation in (90, 270) else (595, PAGE_HEIGHT)
    canvas = Canvas(str(path), pagesize=shown)  # reportlab writes the media box unturned: 595 × 842
    canvas.setPageRotation(rotation)
    canvas.transform(*TURNED_BACK[rotation])
    canvas.translate(0, shown[1] - PAGE_HEIGHT)  # draw_table measures from an 842 pt top
    draw_text(canvas, 60, 80, "单位：元")
    draw_table(canvas, left=60, top=100, widths=[70, 80, 80], heights=[20] * 4, boxes=OPEN_BOXES)
    canvas.save()

    document = read(path, backend=pdf_backend)

    (grid,) = document.grids
    assert (anchors(grid), grid.caption, document.warnings) == (OPEN_ANCHORS, ("单位：元",), ())
    corner = next(c for c in grid.cells if c.text == "合计")
    assert corner.bbox == pytest.approx(BBox(60, 160, 130, 180))


def test_borders_are_put_back_per_table(tmp_path: Path, pdf_backend: str) -> None:
    """An open table beside a closed one: each gets the borders its own rulings call for."""
    path = tmp_path / "open_and_closed.pdf"
    canvas = Canvas(str(path), pagesize=(842, 595))
    draw_table(
        canvas, left=60, top=100, widths=[70, 80, 80], heights=[20] * 4, boxes=OPEN_BOXES, border=False
    )
    draw_table(
        canvas,
        left=360,
        top=100,
        widths=[80, 80],
        heights=[20, 20],
        boxes=[Drawn(0, 0, ("科目",)), Drawn(0, 1, ("基本",)), Drawn(1, 0, ("合计",)), Drawn(1, 1, ("1",))],
    )
    canvas.save()

    open_table, closed_table = read(path, backend=pdf_backend).grids

    assert anchors(open_table) == OPEN_ANCHORS
    assert closed_table.as_rows() == [["科目", "基本"], ["合计", "1"]]
    assert {c.bbox.x1 for c in open_table.cells if c.bbox is not None} == {130, 210, 290}


def across(y: float, x0: float, x1: float) -> Line:
    return Line(vertical=False, at=y, start=x0, end=x1)


def down(x: float, y0: float, y1: float) -> Line:
    return Line(vertical=True, at=x, start=y0, end=y1)


def test_only_open_sides_get_a_border() -> None:
    """Rulings that stop at the outermost crossing ruling, or overshoot it by a line cap, close
    the side; rulings that run on past it leave it open, and the border goes where they end."""
    closed = [across(100, 59, 201), across(120, 60, 200), across(140, 60, 200.5)]
    closed += [down(60, 100, 140), down(130, 99, 141), down(200, 100, 140)]
    right_open = [across(100, 60, 260), across(120, 60, 260), down(60, 100, 120), down(200, 100, 120)]
    rows_only = [across(100, 60, 200), across(120, 60, 200)]

    assert table_to_open_borders(closed, DEFAULT_SETTINGS) == []
    assert table_to_open_borders(right_open, DEFAULT_SETTINGS) == [down(260, 100, 120)]
    assert table_to_open_borders(rows_only, DEFAULT_SETTINGS) == []


def test_paragraphs_indented_on_their_first_line(tmp_path: Path, pdf_backend: str) -> None:
    """A paragraph filling its last line still ends where the next line starts indented."""
    path = tmp_path / "indented.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_table(
        canvas,
        left=60,
        top=100,
        widths=[60, cjk_width(10)],
        heights=[50],
        boxes=[Drawn(0, 0, ("职能",)), Drawn(0, 1)],
    )
    left, step = 120 + PAD, SIZE * 1.3
    draw_text(canvas, left + 2 * SIZE, 100 + PAD, "（一）甲乙丙丁戊")
    draw_text(canvas, left, 100 + PAD + step, "己庚辛壬癸子丑寅卯辰")
    draw_text(canvas, left + 2 * SIZE, 100 + PAD + 2 * step, "（二）短句。")
    canvas.save()

    (grid,) = read(path, backend=pdf_backend).grids

    assert grid.text_at(0, 1) == "（一）甲乙丙丁戊己庚辛壬癸子丑寅卯辰\n（二）短句。"


# --- tables continued on the next page ------------------------------------------------------

HEADER = (Drawn(0, 0, ("一级指标",)), Drawn(0, 1, ("三级指标",)), Drawn(0, 2, ("指标值",)))
WIDTHS = (70.0, cjk_width(8), 70.0)


def draw_page_one(canvas: Canvas, body: Sequence[Drawn], n_rows: int, *, border: bool = True) -> None:
    """A titled table that runs down to the bottom margin of the first page."""
    draw_text(canvas, 150, 40, "部门整体预算绩效目标表")
    height = (780 - 70) / n_rows
    draw_table(
        canvas,
        left=60,
        top=70,
        widths=WIDTHS,
        heights=[height] * n_rows,
        boxes=[*HEADER, *body],
        border=border,
    )
    canvas.showPage()


def test_continued_table_with_repeated_header(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "continued.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    body = [Drawn(r, c, (f"甲{r}{c}",)) for r in range(1, 30) for c in range(3)]
    draw_page_one(canvas, body, 30)
    draw_table(
        canvas,
        left=60,
        top=50,
        widths=WIDTHS,
        heights=[20, 20],
        boxes=[*HEADER, Drawn(1, 0, ("乙0",)), Drawn(1, 1, ("乙1",)), Drawn(1, 2, ("乙2",))],
    )
    canvas.save()
    document = read(path, backend=pdf_backend)

    grids, issues = stitch_pages(document.grids)

    (grid,) = grids
    assert (grid.n_rows, grid.n_cols, grid.pages, grid.caption) == (
        31,
        3,
        (1, 2),
        ("部门整体预算绩效目标表",),
    )
    assert grid.as_rows()[0] == ["一级指标", "三级指标", "指标值"]
    assert grid.as_rows()[29:] == [["甲290", "甲291", "甲292"], ["乙0", "乙1", "乙2"]]
    last = next(c for c in grid.cells if c.text == "乙0")
    assert (last.row, last.col, last.page) == (30, 0, 2)
    assert [(i.code, i.page) for i in issues] == [("table_stitched", 2)]
    assert "page 1" in issues[0].message and "page 2" in issues[0].message


def test_label_merged_across_the_break(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "merged_label.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    body = [Drawn(r, c, (f"甲{r}{c}",)) for r in range(1, 8) for c in range(3)]
    label = [Drawn(8, 0, ("产出指标",), rowspan=2), Drawn(8, 1, ("数量",)), Drawn(8, 2, ("1",))]
    draw_page_one(canvas, [*body, *label, Drawn(9, 1, ("质量",)), Drawn(9, 2, ("2",))], 10)
    draw_table(
        canvas,
        left=60,
        top=50,
        widths=WIDTHS,
        heights=[20, 20, 20],
        boxes=[
            Drawn(0, 0, (), rowspan=2),
            Drawn(0, 1, ("时效",)),
            Drawn(0, 2, ("3",)),
            Drawn(1, 1, ("成本",)),
            Drawn(1, 2, ("4",)),
            Drawn(2, 0, ("效益指标",)),
            Drawn(2, 1, ("社会",)),
            Drawn(2, 2, ("5",)),
        ],
    )
    canvas.save()

    (grid,), _ = stitch_pages(read(path, backend=pdf_backend).grids)

    assert grid.n_rows == 13
    assert [a for a in anchors(grid) if a[0] >= 8] == [
        (8, 0, 4, 1, "产出指标"),
        (8, 1, 1, 1, "数量"),
        (8, 2, 1, 1, "1"),
        (9, 1, 1, 1, "质量"),
        (9, 2, 1, 1, "2"),
        (10, 1, 1, 1, "时效"),
        (10, 2, 1, 1, "3"),
        (11, 1, 1, 1, "成本"),
        (11, 2, 1, 1, "4"),
        (12, 0, 1, 1, "效益指标"),
        (12, 1, 1, 1, "社会"),
        (12, 2, 1, 1, "5"),
    ]
    merged = grid.covering(11, 0)
    assert merged is not None and (merged.text, merged.row, merged.rowspan, merged.page) == (
        "产出指标",
        8,
        4,
        1,
    )
    assert grid.as_rows()[12] == ["效益指标", "社会", "5"]


def test_row_cut_by_the_break(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "split_row.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    body = [Drawn(r, c, (f"甲{r}{c}",)) for r in range(1, 9) for c in range(3)]
    draw_page_one(
        canvas,
        [
            *body,
            Drawn(9, 0, ("效益指标",)),
            Drawn(9, 1, ("服务对象满意度", "达到")),
            Drawn(9, 2, ("不低于",)),
        ],
        10,
    )
    draw_table(
        canvas,
        left=60,
        top=50,
        widths=WIDTHS,
        heights=[20, 20],
        boxes=[
            Drawn(0, 0, ()),
            Drawn(0, 1, ("百分之九十",)),
            Drawn(0, 2, ("90%",)),
            Drawn(1, 0, ("满意度指标",)),
            Drawn(1, 1, ("投诉",)),
            Drawn(1, 2, ("0",)),
        ],
    )
    canvas.save()

    (grid,), _ = stitch_pages(read(path, backend=pdf_backend).grids)

    assert grid.n_rows == 11
    assert grid.as_rows()[9:] == [
        ["效益指标", "服务对象满意度达到百分之九十", "不低于90%"],
        ["满意度指标", "投诉", "0"],
    ]
    cut = grid.covering(9, 1)
    assert cut is not None and (cut.page, cut.rowspan) == (1, 1)


def test_open_table_whose_label_column_is_blank_on_the_next_page(tmp_path: Path, pdf_backend: str) -> None:
    """Without an outer border, the cut label's column holds neither text nor ruling on page 2."""
    path = tmp_path / "open_continued.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    body = [Drawn(r, c, (f"甲{r}{c}",)) for r in range(1, 8) for c in range(3)]
    label = [Drawn(8, 0, ("产出指标",), rowspan=2), Drawn(8, 1, ("数量",)), Drawn(8, 2, ("1",))]
    draw_page_one(canvas, [*body, *label, Drawn(9, 1, ("质量",)), Drawn(9, 2, ("2",))], 10, border=False)
    draw_table(
        canvas,
        left=60,
        top=50,
        widths=WIDTHS,
        heights=[20, 20],
        boxes=[Drawn(0, 1, ("时效",)), Drawn(0, 2, ("3",)), Drawn(1, 1, ("成本",)), Drawn(1, 2, ("4",))],
        border=False,
    )
    canvas.save()
    first, second = read(path, backend=pdf_backend).grids
    assert (first.n_rows, first.n_cols, second.n_rows, second.n_cols) == (10, 3, 2, 2)

    (grid,), issues = stitch_pages([first, second])

    assert (grid.n_rows, grid.n_cols, grid.pages) == (12, 3, (1, 2))
    assert [a for a in anchors(grid) if a[0] >= 8] == [
        (8, 0, 4, 1, "产出指标"),
        (8, 1, 1, 1, "数量"),
        (8, 2, 1, 1, "1"),
        (9, 1, 1, 1, "质量"),
        (9, 2, 1, 1, "2"),
        (10, 1, 1, 1, "时效"),
        (10, 2, 1, 1, "3"),
        (11, 1, 1, 1, "成本"),
        (11, 2, 1, 1, "4"),
    ]
    assert [i.code for i in issues] == ["table_stitched"]


def draw_open_label(canvas: Canvas, *, left: float, top: float, bottom: float, text: str = "") -> None:
    """The left side of a label cell of the first column, and its text: the rulings of its other
    sides are those of the boxes drawn around it, so the side facing the page break has none."""
    canvas.line(left, PAGE_HEIGHT - top, left, PAGE_HEIGHT - bottom)
    if text:
        draw_text(canvas, left + PAD, top + PAD, text)


def test_a_label_merged_across_the_break_is_open_at_the_edge(tmp_path: Path, pdf_backend: str) -> None:
    """The publisher leaves a cell merged across the page break without its bottom rule on the
    first page and without its top rule on the next, though its other rulings reach the edge:
    it closes at the table's edge, and the stitched table reads the label on both pages."""
    path = tmp_path / "open_label.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    body = [Drawn(r, c, (f"甲{r}{c}",)) for r in range(1, 9) for c in range(3)]
    # draw_page_one's rows are 71 points high: the label takes the last one.
    draw_open_label(canvas, left=60, top=709, bottom=780, text="效益指标")
    draw_page_one(canvas, [*body, Drawn(9, 1, ("社会",)), Drawn(9, 2, ("5",))], 10)
    draw_table(
        canvas,
        left=60,
        top=50,
        widths=WIDTHS,
        heights=[20, 20],
        boxes=[
            Drawn(0, 1, ("公平",)),
            Drawn(0, 2, ("6",)),
            Drawn(1, 0, ("满意度指标",)),
            Drawn(1, 1, ("满意度",)),
            Drawn(1, 2, ("7",)),
        ],
    )
    draw_open_label(canvas, left=60, top=50, bottom=70)
    canvas.save()
    first, second = read(path, backend=pdf_backend).grids

    label = first.covering(9, 0)
    assert label is not None and (label.text, label.rowspan) == ("效益指标", 1)
    assert label.bbox == pytest.approx(BBox(60, 709, 130, 780))
    assert anchors(second)[0] == (0, 0, 1, 1, "")

    (grid,), _ = stitch_pages([first, second])

    assert grid.as_rows()[9:] == [
        ["效益指标", "社会", "5"],
        ["效益指标", "公平", "6"],
        ["满意度指标", "满意度", "7"],
    ]


def test_only_the_edge_under_an_open_cell_is_drawn_on() -> None:
    """The first and last rulings are drawn on between neighbouring vertical rulings that reach
    them, where no piece of them is drawn; a closed table and the inner rulings get nothing."""
    closed = [across(100, 60, 200), across(120, 60, 200), across(140, 60, 200)]
    closed += [down(60, 100, 140), down(130, 100, 140), down(200, 100, 140)]
    open_ends = [across(100, 130, 200), across(120, 60, 200), across(140.5, 60, 130.2), across(140, 169, 200)]
    open_ends += [down(60, 100, 140), down(130, 100, 140), down(170, 120, 140.4), down(200, 99, 141)]

    assert table_to_cut_ends(closed, DEFAULT_SETTINGS) == []
    assert table_to_cut_ends(open_ends, DEFAULT_SETTINGS) == [across(100, 60, 130), across(140.5, 130, 170)]
    assert table_to_cut_ends(open_ends[1:], DEFAULT_SETTINGS) == [across(140.5, 130, 170)]


def test_a_real_label_merged_across_the_break(pdf_backend: str) -> None:
    """国家信访局 2024 决算, p. 30: 效益指标 / 社会效益指标 run on to p. 31 with no rule under them."""
    path = REAL_DIR / "final_dept_central_gjxfj_2024.pdf"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in samples/real")
    grids = [g for g in read(path, backend=pdf_backend).grids if g.pages == (30,)]
    grid = next(g for g in grids if any(c.text.startswith("信访工作质量") for c in g.cells))
    last = grid.n_rows - 1
    row = {c.col: c for c in grid.cells if c.row == last}
    assert (row[1].text, row[2].text, row[3].text) == ("效益指标", "社会效益指标", "信访工作质量")
    assert [c.bbox.bottom if c.bbox else None for c in row.values()] == pytest.approx([727.49] * len(row))


# --- the seed renderings -------------------------------------------------------------------


@pytest.fixture
def seed_layout(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """``samples/seed_layout.py``, the logical grid every rendering of the seed must give back."""
    monkeypatch.syspath_prepend(str(ROOT / "samples"))
    return importlib.import_module("seed_layout")


@pytest.mark.parametrize("name", ["seed_word_libreoffice.pdf", "seed_reportlab.pdf"])
def test_seed_renderings_give_the_logical_grid(name: str, seed_layout: ModuleType, pdf_backend: str) -> None:
    """Both renderings cut the table over two pages, each differently (see samples/README.md)."""
    path = SEED_DIR / name
    if not path.is_file():
        pytest.skip(f"{name} has not been rendered")
    layout = seed_layout.seed_to_layout(seed_layout.read_seed(SEED_DIR / "seed.txt"))
    expected = sorted((c.row, c.col, c.rowspan, c.colspan, "\n".join(c.paragraphs)) for c in layout.cells)

    grids, issues = stitch_pages(read(path, backend=pdf_backend).grids)

    (grid,) = grids
    assert (grid.caption, grid.pages) == ((layout.title, layout.year), (1, 2))
    assert (grid.n_rows, grid.n_cols) == (layout.n_rows, seed_layout.N_COLS)
    assert anchors(grid) == expected
    assert [i.code for i in issues] == ["table_stitched"]


# --- stitching decisions on hand-made grids -------------------------------------------------


def laid_out(
    page: int,
    cells: Sequence[Anchor],
    *,
    top: float,
    xs: Sequence[float] = (0, 50, 100),
    caption: tuple[str, ...] = (),
) -> Grid:
    """A grid on ``page`` whose rows are 20 points high from ``top``, boxes on rulings ``xs``."""
    return Grid(
        n_rows=max(r + rs for r, _, rs, _, _ in cells),
        n_cols=len(xs) - 1,
        cells=tuple(
            Cell(
                row=r,
                col=c,
                rowspan=rs,
                colspan=cs,
                text=text,
                page=page,
                bbox=BBox(xs[c], top + 20 * r, xs[c + cs], top + 20 * (r + rs)),
            )
            for r, c, rs, cs, text in cells
        ),
        origin=f"page {page}",
        caption=caption,
        pages=(page,),
    )


def part(page: int, rows: Sequence[Sequence[str]], *, top: float, **kwargs: Any) -> Grid:
    """A span-free grid, one row of texts per row."""
    cells = [(r, c, 1, 1, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return laid_out(page, cells, top=top, **kwargs)


def test_a_titled_table_on_the_next_page_is_not_a_continuation() -> None:
    first = part(1, [["a", "b"]] * 36, top=60)
    second = part(2, [["c", "d"]], top=60, caption=("另一张表",))

    grids, issues = stitch_pages([first, second])

    assert (len(grids), issues) == (2, [])


def test_a_caption_printed_again_on_every_page_continues_the_table() -> None:
    """深圳 repeats 表 3 / 支出总表 / its unit line over each page of a table; another project's form
    under the same generic title (绩效目标表) is another table."""
    caption = ("表 3", "支出总表", "部门名称：某局 单位：万元")
    first = part(1, [["a", "b"]] * 36, top=60, caption=("二、表格部分", *caption))
    again = part(2, [["c", "d"]], top=60, caption=caption)
    (joined,), issues = stitch_pages([first, again])
    assert joined.pages == (1, 2) and [i.code for i in issues] == ["table_stitched"]

    form = part(1, [["a", "b"]] * 36, top=60, caption=("（一）甲专项", "绩效目标表"))
    other = part(2, [["c", "d"]], top=60, caption=("（二）乙专项", "绩效目标表"))
    assert len(stitch_pages([form, other])[0]) == 2


def test_a_table_ending_above_the_bottom_margin_is_complete() -> None:
    """Page 1 shows where tables printed in this area end; page 2's table stops well above."""
    long = part(1, [["a", "b"]] * 36, top=60)
    short = part(2, [["c", "d"]] * 10, top=40)
    new = part(3, [["e", "f"]], top=40)

    grids, issues = stitch_pages([long, short, new])

    assert [g.pages for g in grids] == [(1, 2), (3,)]
    assert [i.page for i in issues] == [2]


@pytest.mark.parametrize(("first_row_height", "joined"), [(130.0, True), (20.0, False)])
def test_a_form_block_that_did_not_fit_continues_on_the_next_page(
    first_row_height: float, joined: bool
) -> None:
    """A form ends 120 points above the margin because its next row, a goal text Word would not
    break, moved whole to the next page; that block is ruled its own way on the same column grid
    (0 | 20 | 40 | 80 | 100 against 0 | 40 | 80 | 100). A short next row leaves the gap unexplained."""
    long = part(1, [["a", "b", "c"]] * 36, top=60, xs=(0, 40, 80, 100))
    form = part(2, [["d", "e", "f"]] * 30, top=60, xs=(0, 40, 80, 100), caption=("项目绩效目标表",))
    xs = (0, 20, 40, 80, 100)
    goal = Cell(row=0, col=0, text="年度目标", page=3, bbox=BBox(0, 40, 20, 40 + first_row_height))
    text = Cell(
        row=0, col=1, colspan=3, text="目标文字", page=3, bbox=BBox(20, 40, 100, 40 + first_row_height)
    )
    below = 40 + first_row_height
    indicators = tuple(
        Cell(row=1, col=c, text=t, page=3, bbox=BBox(xs[c], below, xs[c + 1], below + 20))
        for c, t in enumerate(["一级指标", "二级指标", "三级指标", "指标值"])
    )
    continued = Grid(n_rows=2, n_cols=4, cells=(goal, text, *indicators), pages=(3,))

    grids, _ = stitch_pages([long, form, continued])

    assert [g.pages for g in grids] == ([(1,), (2, 3)] if joined else [(1,), (2,), (3,)])
    if joined:
        assert grids[1].n_cols == 4
        assert grids[1].text_at(30, 1) == "目标文字"


def test_columns_must_agree() -> None:
    first = part(1, [["a", "b"]] * 36, top=60)
    other = part(2, [["c", "d"]], top=40, xs=(0, 70, 100))
    coarser = part(2, [["merged"]], top=40, xs=(0, 100))
    finer = part(2, [["x", "y", "z"]], top=40, xs=(0, 20, 50, 100))

    assert len(stitch_pages([first, other])[0]) == 2
    (joined,), _ = stitch_pages([first, coarser])
    assert anchors(joined)[-1] == (36, 0, 1, 2, "merged")
    (joined,), _ = stitch_pages([first, finer])
    assert joined.n_cols == 3
    assert anchors(joined)[:2] == [(0, 0, 1, 2, "a"), (0, 2, 1, 1, "b")]
    assert anchors(joined)[-3:] == [(36, 0, 1, 1, "x"), (36, 1, 1, 1, "y"), (36, 2, 1, 1, "z")]


def test_block_header_repeated_and_label_restarted() -> None:
    """The break falls in the second block: its header and its cut label are printed again."""
    block_header = [(3, 0, 1, 1, "一级指标"), (3, 1, 1, 1, "重点工作")]
    first = laid_out(
        1,
        [
            (0, 0, 1, 1, "一级指标"),
            (0, 1, 1, 1, "三级指标"),
            (1, 0, 2, 1, "产出"),
            (1, 1, 1, 1, "a"),
            (2, 1, 1, 1, "b"),
            *block_header,
            (4, 0, 32, 1, "过程"),
            *[(r, 1, 1, 1, f"c{r}") for r in range(4, 36)],
        ],
        top=60,
    )
    second = laid_out(
        2,
        [
            *[(r - 3, c, rs, cs, text) for r, c, rs, cs, text in block_header],
            (1, 0, 2, 1, "过程"),
            (1, 1, 1, 1, "e"),
            (2, 1, 1, 1, "f"),
            (3, 0, 1, 1, "效益"),
            (3, 1, 1, 1, "g"),
        ],
        top=40,
    )

    (grid,), _ = stitch_pages([first, second])

    assert grid.n_rows == 39
    assert [a for a in anchors(grid) if a[0] >= 35 or a[2] > 2] == [
        (4, 0, 34, 1, "过程"),
        (35, 1, 1, 1, "c35"),
        (36, 1, 1, 1, "e"),
        (37, 1, 1, 1, "f"),
        (38, 0, 1, 1, "效益"),
        (38, 1, 1, 1, "g"),
    ]


XS3 = (0, 50, 100, 150)


def test_a_part_without_the_outer_column_of_a_cut_label() -> None:
    """The part stands on all but the first ruling: that column is the cut label's, undrawn."""
    body = [(r, c, 1, 1, f"a{r}{c}") for r in range(34) for c in range(3)]
    cut = [
        (34, 0, 2, 1, "过程"),
        (34, 1, 1, 1, "b"),
        (34, 2, 1, 1, "1"),
        (35, 1, 1, 1, "c"),
        (35, 2, 1, 1, "2"),
    ]
    single = [(34, 0, 1, 1, "过程"), (34, 1, 1, 1, "b"), (34, 2, 1, 1, "1")]
    rest = part(2, [["d", "3"], ["e", "4"]], top=40, xs=XS3[1:])

    (grid,), _ = stitch_pages([laid_out(1, [*body, *cut], top=60, xs=XS3), rest])

    assert (grid.n_rows, grid.n_cols) == (38, 3)
    assert [a for a in anchors(grid) if a[1] == 0 and a[0] >= 34] == [(34, 0, 4, 1, "过程")]
    assert grid.as_rows()[36:] == [["过程", "d", "3"], ["过程", "e", "4"]]
    # A label that does not run on into the break leaves no column to stand for.
    grids, _ = stitch_pages([laid_out(1, [*body, *single], top=60, xs=XS3), rest])
    assert len(grids) == 2


def test_a_sub_label_printed_again_inside_a_restarted_label() -> None:
    """效益指标 is printed again merged over two rows; 社会效益 beside it again over one row."""
    body = [(r, c, 1, 1, f"a{r}{c}") for r in range(34) for c in range(3)]
    first = laid_out(
        1,
        [
            *body,
            (34, 0, 2, 1, "效益指标"),
            (34, 1, 1, 1, "经济效益"),
            (34, 2, 1, 1, "x"),
            (35, 1, 1, 1, "社会效益"),
            (35, 2, 1, 1, "y"),
        ],
        top=60,
        xs=XS3,
    )
    second = laid_out(
        2,
        [
            (0, 0, 2, 1, "效益指标"),
            (0, 1, 1, 1, "社会效益"),
            (0, 2, 1, 1, "z"),
            (1, 1, 1, 1, "可持续影响"),
            (1, 2, 1, 1, "w"),
        ],
        top=40,
        xs=XS3,
    )

    (grid,), _ = stitch_pages([first, second])

    assert [a for a in anchors(grid) if a[0] >= 34] == [
        (34, 0, 4, 1, "效益指标"),
        (34, 1, 1, 1, "经济效益"),
        (34, 2, 1, 1, "x"),
        (35, 1, 2, 1, "社会效益"),
        (35, 2, 1, 1, "y"),
        (36, 2, 1, 1, "z"),
        (37, 1, 1, 1, "可持续影响"),
        (37, 2, 1, 1, "w"),
    ]


def test_grids_without_pages_pass_through() -> None:
    rows = [["a", "b"]]
    grids = [grid_from_rows(rows, origin="table 1"), grid_from_rows(rows, origin="table 2")]

    assert stitch_pages(grids) == (grids, [])


# --- errors -------------------------------------------------------------------------------


def test_encrypted_pdf(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "locked.pdf"
    canvas = Canvas(str(path), encrypt="secret")
    draw_text(canvas, 60, 60, "机密")
    canvas.save()

    with pytest.raises(EncryptedDocument):
        read(path, backend=pdf_backend)


def test_damaged_pdf(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.4\nnot a pdf body")

    with pytest.raises(CorruptDocument) as caught:
        read(path, backend=pdf_backend)
    assert caught.value.__cause__ is not None


def draw_image(canvas: Canvas) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "gray").save(buffer, format="PNG")
    canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 60, 600, 100, 100)


def test_scanned_page_is_reported(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "half_scanned.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_text(canvas, 60, 60, "正文")
    canvas.showPage()
    draw_image(canvas)
    canvas.save()

    document = read(path, backend=pdf_backend)

    assert [(i.code, i.page) for i in document.warnings] == [("no_text_layer", 2), ("no_tables", None)]


def test_blank_page_is_reported_not_skipped(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "blank_page.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_text(canvas, 60, 60, "正文")
    canvas.showPage()
    canvas.rect(60, 600, 100, 20)  # shapes only, as a spilled empty table row
    canvas.showPage()
    canvas.save()

    document = read(path, backend=pdf_backend)

    assert [(i.code, i.page) for i in document.warnings] == [("blank_page", 2), ("no_tables", None)]


def test_a_page_of_turned_text_only_is_blank_to_both_backends(tmp_path: Path, pdf_backend: str) -> None:
    """A page whose only text is turned (a stamp, a note in the margin) holds no table text. It
    shows text all the same, so pdfium has pdfminer read it again; pdfminer finds no upright
    character either, and nothing is said about the second reading."""
    path = tmp_path / "stamp.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_text(canvas, 60, 60, "正文")
    canvas.showPage()
    canvas.translate(300, 400)
    canvas.rotate(90)
    canvas.setFont(FONT, SIZE)
    canvas.drawString(0, 0, "已审核")
    canvas.save()

    document = read(path, backend=pdf_backend)

    assert [(i.code, i.page) for i in document.warnings] == [("blank_page", 2), ("no_tables", None)]


def pdf_of_objects(objects: Sequence[bytes]) -> bytes:
    """A PDF file of these objects (numbered from 1, the first the catalog) with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


def test_boxes_filled_with_a_gradient_rule_alike_in_both_backends(tmp_path: Path, pdf_backend: str) -> None:
    """Two boxes filled with a shading pattern (a gradient, as on Word's cover pages): pdfminer
    sees a pattern and rules them; PDFium reports the pattern's colour as white, which rules
    nothing, so the pdfium backend has pdfminer read the page and finds the same table."""
    content = (
        b"/Pattern cs /P0 scn 100 600 100 40 re f 200 600 100 40 re f 0 g "
        b"BT /F1 12 Tf 110 615 Td (Total) Tj ET BT /F1 12 Tf 210 615 Td (100) Tj ET"
    )
    gradient = (
        b"<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [100 0 300 0] "
        b"/Function << /FunctionType 2 /Domain [0 1] /C0 [0.2 0.4 0.8] /C1 [0.9 0.9 1] /N 1 >> >>"
    )
    path = tmp_path / "gradient.pdf"
    path.write_bytes(
        pdf_of_objects(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> /Pattern << /P0 6 0 R >> >> >>",
                b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                b"<< /PatternType 2 /Shading %s >>" % gradient,
            ]
        )
    )

    document = read(path, backend=pdf_backend)

    (grid,) = document.grids
    assert anchors(grid) == [(0, 0, 1, 1, "Total"), (0, 1, 1, 1, "100")]
    assert grid.cells[0].bbox == BBox(100, 202, 200, 242)
    assert document.warnings == ()


def test_scan_without_any_text(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "scan.pdf"
    canvas = Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    draw_image(canvas)
    canvas.save()

    with pytest.raises(NoTextLayer):
        read(path, backend=pdf_backend)


# --- the grid builder ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["seed_word_libreoffice.pdf", "seed_reportlab.pdf"])
def test_cells_from_crossings_are_pdfplumbers(name: str) -> None:
    """Our faster ``intersections_to_cells`` finds pdfplumber's boxes, in pdfplumber's order."""
    path = SEED_DIR / name
    if not path.is_file():
        pytest.skip(f"{name} has not been rendered")
    pages = list(read_pages(path, lambda page: False))
    for page in pages:
        edges = [line_to_edge(line) for line in page_to_lines(page.lines, DEFAULT_SETTINGS)]
        crossings = edges_to_intersections(edges, 3, 3)
        assert crossings
        assert intersections_to_cells(crossings) == pdfplumbers_cells(crossings)
