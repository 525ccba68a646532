"""What OCR gets right on a scanned table beyond its structure: the amounts, to the last lone 0.

A budget table is full of cells holding a lone ``0`` (a fund with nothing in that column). The
recogniser reads one right but is unsure of it (O, o and 0 look alike): before it was kept at
any confidence a digit alone, such cells came out empty, a wrong amount no self-check can see (an
empty cell and a 0 add the same). The scans are made as in tests/test_ocr.py.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from extractor.readers import read
from extractor.readers.scan_lines import ink_to_rulings
from tests.test_ocr import (
    DPI,
    FONT,
    FONT_PATH,
    Box,
    anchors,
    expected,
    render,
    scan,
    table_pdf,
)

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="the CJK test font is not installed")


@pytest.fixture(scope="module", autouse=True)
def cjk_font() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))


#: Amounts of a fund table in which most columns are empty of money: lone zeros.
ZEROS = (
    ("201", "一般公共服务支出", "1,525,200.00", "0", "1,525,200.00"),
    ("20101", "人大事务", "85,000.00", "0", "85,000.00"),
    ("2010101", "行政运行", "0", "0", "0"),
    ("205", "教育支出", "0", "0", "0"),
    ("208", "社会保障和就业支出", "71,887.00", "71,887.00", "0"),
)


def test_lone_zero_cells_of_a_scanned_table_read_as_0(tmp_path: Path) -> None:
    header = [Box(0, 0, "科目编码"), Box(0, 1, "科目名称"), Box(0, 2, "合计"), Box(0, 3, "基本支出")]
    header.append(Box(0, 4, "项目支出"))
    body = [Box(1 + r, c, text) for r, row in enumerate(ZEROS) for c, text in enumerate(row)]
    boxes = [*header, *body]
    path = tmp_path / "zeros.jpg"
    scan(render(table_pdf([(boxes, 1 + len(ZEROS), ("2025年一般公共预算支出表",))]))).save(
        path, format="JPEG", quality=90, dpi=(DPI, DPI)
    )

    (grid,) = read(path, "image").grids

    assert anchors(grid) == expected(boxes)
    zeros = [c for c in grid.cells if c.text == "0"]
    assert len(zeros) == sum(row.count("0") for row in ZEROS)
    # Kept though the engine is unsure: the confidence says so, for the self-checks to name it.
    assert all(c.confidence is not None and c.confidence < 1.0 for c in zeros)


# --- a photocopy's rulings ------------------------------------------------------------------

PAPER = 255


def staircase(page: np.ndarray, *, row: int, start: int, end: int, dashes: tuple[int, ...]) -> None:
    """A 1-pixel ruling as a one-bit copy prints it askew: dashes of the given lengths in turn,
    3 pixels apart, every other one a row lower."""
    x, step = start, 0
    while x < end:
        length = dashes[step % len(dashes)]
        page[row + step % 2, x : min(x + length, end)] = 0
        x, step = x + length + 3, step + 1


def horizontal(page: np.ndarray) -> list[tuple[float, float, float]]:
    rulings = ink_to_rulings(page, DPI)
    return sorted((round(r.at), round(r.start), round(r.end)) for r in rulings.lines if not r.vertical)


def test_a_ruling_copied_as_a_staircase_of_dashes_is_one_ruling() -> None:
    page = np.full((800, 1200), PAPER, dtype=np.uint8)
    # Runs of 40 pixels (a ruling's length at 200 dpi is 36) among runs of 25: the opening
    # keeps the long ones only, 34 pixels apart, too far for the closing to join them.
    staircase(page, row=400, start=100, end=1100, dashes=(40, 25, 25))

    ((at, start, end),) = horizontal(page)

    assert at == round(400.5 * 72 / DPI)
    assert start == round(100 * 72 / DPI) and abs(end - 1100 * 72 / DPI) <= 1


def test_a_shallow_staircase_with_long_breaks_is_one_ruling() -> None:
    """Copied less than a degree askew, a ruling's steps are a hundred pixels long and its breaks
    as long as a character; a ruling that stops at a merged cell and goes on past it is two."""
    page = np.full((800, 1400), PAPER, dtype=np.uint8)
    x, step = 100, 0
    while x < 1100:
        page[400 + step % 2, x : min(x + 110, 1100)] = 0
        x, step = x + 110 + 20, step + 1
    page[600, 100:500] = 0
    page[600, 620:1100] = 0  # past a merged cell 120 pixels wide

    found = horizontal(page)

    assert [(start, end) for _, start, end in found] == [
        (round(100 * 72 / DPI), round(1100 * 72 / DPI)),
        (round(100 * 72 / DPI), round(500 * 72 / DPI)),
        (round(620 * 72 / DPI), round(1100 * 72 / DPI)),
    ]


def test_a_ruling_is_not_carried_on_into_the_print_beside_it() -> None:
    page = np.full((800, 1200), PAPER, dtype=np.uint8)
    page[400, 100:600] = 0
    # Digits in the next cell, set on the ruling's rows 3 pixels past its end (a merged cell).
    for x in range(603, 800, 15):
        page[390:411, x : x + 12] = 0

    ((_, start, end),) = horizontal(page)

    assert start == round(100 * 72 / DPI) and end == round(600 * 72 / DPI)


def test_a_seal_ring_printed_black_is_no_ruling() -> None:
    """A photocopy prints a red seal black: its ring, about 3 pt wide, runs as long as a ruling
    where it turns along the page's axes, but it is thicker than any ruling, however blurred."""
    page = np.full((1000, 1400), PAPER, dtype=np.uint8)
    for y in (200, 300, 400, 500):
        page[y : y + 3, 200:1200] = 0
    for x in (200, 700, 1200):
        page[200:503, x : x + 3] = 0
    # A seal (1.65 in across at 200 dpi) centred a little inside the table's top left corner.
    cv2.circle(page, (250, 250), 160, 0, thickness=9)

    rulings = ink_to_rulings(page, DPI).lines

    for vertical, drawn in ((True, (200, 700, 1200)), (False, (200, 300, 400, 500))):
        found = sorted(r.at * DPI / 72 for r in rulings if r.vertical == vertical)
        assert found == pytest.approx([at + 1.5 for at in drawn], abs=1.0)


def test_a_heading_s_long_strokes_are_left_for_ocr_to_read() -> None:
    """A 16 pt heading's vertical strokes are longer than a ruling needs to be; painted over
    with the rulings, 拨 lost its 扌 and was read 泼. A ruling meets another; a stroke none."""
    page = np.full((1000, 1400), PAPER, dtype=np.uint8)
    for y in (300, 400, 500):
        page[y : y + 3, 200:1200] = 0
    for x in (200, 700, 1200):
        page[300:503, x : x + 3] = 0
    page[150:195, 600:604] = 0  # a heading's stroke, 45 pixels long, above the table
    page[150:154, 640:700] = 0  # and one across

    rulings = ink_to_rulings(page, DPI)

    assert (rulings.text_ink[150:195, 600:604] == 0).all()
    assert (rulings.text_ink[150:154, 640:700] == 0).all()
    assert (rulings.text_ink[300:503, 700:703] == PAPER).all()
    assert (rulings.text_ink[400:403, 200:1200] == PAPER).all()
