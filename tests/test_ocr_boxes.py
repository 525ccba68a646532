"""Detected text boxes widened over the ink the detector missed beside them (readers/ocr_boxes)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from extractor.readers.ocr_boxes import cut_at_next, grow_to_ink, missed_ink, off_walls, unclaimed
from extractor.readers.pdf_page import Line

HEIGHT = 30  # a text line's box at 200 dpi, pixels


def page_with_stroke(left: int, right: int, *, thickness: int = 3) -> npt.NDArray[np.uint8]:
    """A blank binary page with a horizontal stroke (a 一) in the middle of a text line at 100–130."""
    binary = np.zeros((300, 600), dtype=np.uint8)
    binary[114 : 114 + thickness, left:right] = 255
    return binary


def test_a_stroke_before_the_box_is_taken_in() -> None:
    binary = page_with_stroke(180, 205)
    binary[105:125, 210:300] = 255  # the box's own characters
    (grown,) = grow_to_ink([(210.0, 100.0, 300.0, 130.0)], binary, [], 72 / 200)
    assert grown[0] < 180 and grown[0] >= 180 - 0.1 * HEIGHT - 1
    assert grown[1:] == (100.0, 300.0, 130.0)


def test_a_stroke_at_the_page_edge_is_taken_in() -> None:
    """Growing left up to column 0 (the slice that once read the page from its right end)."""
    binary = page_with_stroke(0, 20)
    (grown,) = grow_to_ink([(24.0, 100.0, 120.0, 130.0)], binary, [], 72 / 200)
    assert grown[0] == 0.0


def test_speckle_and_far_ink_are_left_out() -> None:
    binary = page_with_stroke(60, 90)  # beyond a gap wider than a space
    binary[115:117, 205:207] = 255  # a speck beside the box
    box = (210.0, 100.0, 300.0, 130.0)
    assert grow_to_ink([box], binary, [], 72 / 200) == [box]


def test_a_wall_or_another_box_stops_it() -> None:
    binary = page_with_stroke(150, 205)
    box = (210.0, 100.0, 300.0, 130.0)
    wall = Line(vertical=True, at=190 * 72 / 200, start=0.0, end=300 * 72 / 200)
    (walled,) = grow_to_ink([box], binary, [wall], 72 / 200)
    assert 190 < walled[0] < 210
    neighbour = (140.0, 102.0, 196.0, 128.0)
    stopped = grow_to_ink([box, neighbour], binary, [], 72 / 200)
    assert 196 < stopped[0][0] < 210
    # A box the detector made overlapping this one does not let it grow over the other's text.
    overlapping = (150.0, 100.0, 215.0, 130.0)
    assert grow_to_ink([box, overlapping], binary, [], 72 / 200)[0] == box


def test_a_thin_stroke_in_a_tall_box_is_taken_in() -> None:
    """A 一 two pixels thick in a 40-pixel box covers little ink (22 pixels, under the share of
    the box's area speckle is told by) but runs long: it is a stroke (a clean render of a Jiangsu
    收支总表 read 、财政拨款 for 一、财政拨款)."""
    binary = np.zeros((300, 600), dtype=np.uint8)
    binary[117:119, 189:200] = 255
    binary[105:135, 204:300] = 255
    (grown,) = grow_to_ink([(204.0, 100.0, 300.0, 140.0)], binary, [], 72 / 200)
    assert grown[0] < 189


def test_ink_after_a_box_is_left_out() -> None:
    """A speck after a header (类 and a smudge read as 类“, and the table lost its code column)."""
    binary = np.zeros((300, 600), dtype=np.uint8)
    binary[105:125, 210:300] = 255
    binary[116:118, 304:330] = 255
    box = (210.0, 100.0, 300.0, 130.0)
    assert grow_to_ink([box], binary, [], 72 / 200) == [box]


def test_a_line_the_first_outline_lost_is_unclaimed() -> None:
    """Boxes from the undilated map: the same line outlined a little differently is claimed; a
    line nothing covers (or a box's corner only) is not. Positions from js_party_office_2018's
    政府采购 page: 费 was found, 省委办公厅承办的会议 above it and 会议费 beside them lost."""
    found = [(1080.0, 2130.0, 1112.0, 2166.0), (2282.0, 2114.0, 2370.0, 2150.0)]
    others = [
        (1082.0, 2132.0, 1108.0, 2162.0),  # 费 again
        (1322.0, 2106.0, 1428.0, 2150.0),  # 会议费
        (1078.0, 2090.0, 1342.0, 2136.0),  # 省委办公厅承办的会议, overlapping 费's top
        (2280.0, 2112.0, 2368.0, 2148.0),  # the amount again
    ]
    assert unclaimed(found, others) == [1, 2]


def test_a_stroke_that_starts_a_found_line_is_left_to_widen_it() -> None:
    """budget_unit_sh_municipal_finance_2025's 收入总表 at 200 dpi, detected at 100: the line
    一般行政管理事务 was found without its 一, which the undilated map outlined alone. As a box of
    its own it stopped the line's widening and was read apart (a dash, too unsure to keep), the
    line ``-般行政管理事务``; left out, the line is widened over it. The same stroke further from
    the line than a gap between words is a line of its own."""
    found = [(203.0, 384.0, 329.0, 407.0)]
    stroke = (196.0, 390.0, 204.0, 398.0)
    assert unclaimed(found, [stroke]) == []
    apart = (170.0, 390.0, 178.0, 398.0)  # 25 pixels before the line, 23 high: over END_GAP
    assert unclaimed(found, [apart]) == [0]


def test_a_box_reaching_over_a_ruling_by_its_padding_stops_at_it() -> None:
    """final_dept_sh_planning_2024's 财政拨款收入支出决算总表 at 200 dpi: the box of
    一、一般公共服务支出 began 16 pixels before the ruling, over the 0 of 9746.50 (read
    ）一、一般公共服务支出, and 9746.50） in the amount's cell). A box holding two cells' texts
    reaches far over the ruling between them and is left whole."""
    wall = Line(vertical=True, at=1026 * 72 / 200, start=100.0, end=500.0)
    boxes = [
        (1010.0, 516.0, 1332.0, 550.0),  # starts 16 pixels before the wall
        (900.0, 516.0, 1040.0, 550.0),  # ends 14 pixels after it
        (870.0, 516.0, 1200.0, 550.0),  # two cells' texts
    ]
    assert off_walls(boxes, [wall], 72 / 200) == [
        (1027.0, 516.0, 1332.0, 550.0),
        (900.0, 516.0, 1025.0, 550.0),
        (870.0, 516.0, 1200.0, 550.0),
    ]


def test_a_box_running_into_the_next_box_of_its_line_ends_where_it_starts() -> None:
    """The same document's 收入决算表: 本年收入合计's box ran 28 pixels past its ruling into the
    box of 财政拨款收入 and read its first stroke as ！. A box starting inside another's first
    half, or on another line, cuts nothing."""
    boxes = [
        (868.0, 436.0, 1092.0, 470.0),  # 本年收入合计
        (1078.0, 436.0, 1658.0, 470.0),  # 财政拨款收入…
        (900.0, 480.0, 1000.0, 514.0),  # the line below
    ]
    assert cut_at_next(boxes) == [(868.0, 436.0, 1078.0, 470.0), boxes[1], boxes[2]]


def test_ink_no_box_covers_is_boxed_where_it_is_a_character() -> None:
    """A 200 dpi page: a line the detector found, a 0.00 it missed (four pieces: 0 . 0 0, one
    box for all), a speck and a seal's remains (no character: too small, too large)."""
    scale = 72 / 200
    binary = np.zeros((400, 800), dtype=np.uint8)
    binary[100:124, 100:300] = 255  # the found line's ink
    found = [(95.0, 95.0, 305.0, 129.0)]
    for x0 in (500, 530, 546):  # 0 . 0 0: digits 24 pixels high (8.6 pt), the point 4
        binary[200:224, x0 : x0 + 12] = 255
    binary[220:224, 516:520] = 255
    binary[300:303, 100:103] = 255  # a speck
    binary[250:380, 650:780] = 255  # 47 pt of seal
    walls = [Line(at=x * scale, start=0.0, end=400 * scale, vertical=True) for x in (60, 480, 600)]
    (box,) = missed_ink(binary, found, walls, scale)
    pad = 0.3 * 24
    assert box == (500 - pad, 200 - pad, 558 + pad, 224 + pad)
    assert missed_ink(binary, [*found, box], walls, scale) == []
    assert missed_ink(binary, found, walls[:2], scale) == []  # no ruling after it: no table's
