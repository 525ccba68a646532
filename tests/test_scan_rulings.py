"""The rulings of a one-bit photocopy: thin lines printed as dashes, with stretches missing.

A bilevel copy (one bit a pixel, 150–200 dpi) breaks a thin ruling into dashes of 5–15 pixels,
3–6 apart, a row up or down now and then, and drops stretches of it: no run is as long as a
ruling, and the grid lost its rows (``extractor/readers/scan_dashes.py``). Such dashes are taken
for a ruling only between rulings across them, so the strokes of text in rows (一一一, 三, a
column of 1s under one another) and an underline stay text. Pages are drawn here with numpy, at
200 dpi, ink 0 on paper 255.
"""

from __future__ import annotations

import numpy as np
import pytest

from extractor.readers.pdf_page import Line
from extractor.readers.scan_lines import ink_to_rulings

DPI = 200
PAPER = 255
ROWS = (200, 260, 320, 380, 440)
COLUMNS = (150, 500, 850, 1200)


def points(px: float) -> float:
    return px * 72 / DPI


def dashed_line(
    page: np.ndarray, rng: np.random.Generator, *, at: int, start: int, end: int, vertical: bool
) -> None:
    """A 1–2 pixel line as a bilevel copy prints it: dashes of 5–15 pixels 3–6 apart, each on
    its row or the next, and one stretch of 20 pixels missing."""
    line = np.full((2, end - start), PAPER, dtype=np.uint8)
    x = 0
    while x < end - start:
        length, row = int(rng.integers(5, 16)), int(rng.integers(0, 2))
        line[row : row + int(rng.integers(1, 3)), x : x + length] = 0
        x += length + int(rng.integers(3, 7))
    missing = int(rng.integers(60, end - start - 80))
    line[:, missing : missing + 20] = PAPER
    if vertical:
        page[start:end, at : at + 2] = np.minimum(page[start:end, at : at + 2], line.T)
    else:
        page[at : at + 2, start:end] = np.minimum(page[at : at + 2, start:end], line)


def solid_table(page: np.ndarray) -> None:
    for y in ROWS:
        page[y : y + 2, COLUMNS[0] : COLUMNS[-1] + 2] = 0
    for x in COLUMNS:
        page[ROWS[0] : ROWS[-1] + 2, x : x + 2] = 0


def found(page: np.ndarray, *, vertical: bool) -> list[Line]:
    return sorted((r for r in ink_to_rulings(page, DPI).lines if r.vertical == vertical), key=lambda r: r.at)


@pytest.mark.parametrize("seed", range(15))
def test_a_table_ruled_in_dashes_gives_its_rulings_end_to_end(seed: int) -> None:
    """Every ruling dashed, each with a bit lost somewhere. (Of the first 40 seeds, 16 and 33
    lose a corner: both rulings that meet there lost their bit next to it, and neither confirms
    the other.)"""
    rng = np.random.default_rng(seed)
    page = np.full((700, 1400), PAPER, dtype=np.uint8)
    for y in ROWS:
        dashed_line(page, rng, at=y, start=COLUMNS[0], end=COLUMNS[-1] + 2, vertical=False)
    for x in COLUMNS:
        dashed_line(page, rng, at=x, start=ROWS[0], end=ROWS[-1] + 2, vertical=True)

    for vertical, drawn, span in ((False, ROWS, COLUMNS), (True, COLUMNS, ROWS)):
        lines = found(page, vertical=vertical)
        assert [line.at for line in lines] == pytest.approx([points(at + 1) for at in drawn], abs=1.0)
        for line in lines:  # one line each, from the first ruling across to the last
            assert line.start == pytest.approx(points(span[0]), abs=3.0)
            assert line.end == pytest.approx(points(span[-1] + 2), abs=3.0)


def test_a_ruling_broken_short_of_the_border_reaches_it() -> None:
    """A copy's ruling broken 15 pixels before the last stretch of 35 (shorter than a ruling):
    the rulings across at both ends carry it over the break."""
    page = np.full((700, 1400), PAPER, dtype=np.uint8)
    solid_table(page)
    page[320:322, COLUMNS[0] : COLUMNS[-1] + 2] = PAPER
    page[320:322, COLUMNS[0] : 1150] = 0
    page[320:322, 1165:1200] = 0

    middle = next(line for line in found(page, vertical=False) if abs(line.at - points(321)) < 1)

    assert middle.start == pytest.approx(points(COLUMNS[0]), abs=1.0)
    assert middle.end == pytest.approx(points(COLUMNS[-1] + 2), abs=1.0)


def test_a_ruling_that_stops_at_a_merged_cell_does_not_go_on_through_its_text() -> None:
    """The merged cell's text sits on the rows of the ruling that stops at it: 一 is thin ink on
    them, the characters after it (般公共预算) are not."""
    page = np.full((700, 1400), PAPER, dtype=np.uint8)
    solid_table(page)
    page[320:322, 502:1202] = PAPER  # columns 2–3 of rows 2–3 are one merged cell
    page[260:442, 850:852] = PAPER
    page[320:322, 600:628] = 0  # 一
    for x in range(634, 1000, 32):  # 般公共预算…: strokes across the ruling's rows
        for dx in (0, 9, 18):
            page[306:334, x + dx : x + dx + 2] = 0
        page[306:308, x : x + 20] = page[332:334, x : x + 20] = 0

    (middle,) = (line for line in found(page, vertical=False) if abs(line.at - points(321)) < 1)

    assert middle.end == pytest.approx(points(502), abs=1.0)


def test_strokes_of_text_in_rows_are_no_rulings() -> None:
    """Text in a table's cells: its strokes are thin, and strokes of the next character share
    their rows, but a row of text stops a cell's padding short of the rulings either side; an
    underline meets no ruling across it."""
    page = np.full((700, 1400), PAPER, dtype=np.uint8)
    solid_table(page)
    # 一一一 (strokes 30 pixels long, 6 apart), 12 pixels in from the cell's rulings.
    for x in range(COLUMNS[0] + 12, COLUMNS[1] - 12 - 30, 36):
        page[229:232, x : x + 30] = 0
    # 三三三 across the next cell, each stroke of each character on the same rows.
    for x in range(COLUMNS[1] + 14, COLUMNS[2] - 14 - 30, 36):
        for y in (268, 278, 288):
            page[y : y + 2, x : x + 28] = 0
    # A heading above the table, underlined by a dashed rule.
    for x in range(300, 1000, 14):
        page[150:152, x : x + 10] = 0

    for vertical, drawn in ((False, ROWS), (True, COLUMNS)):
        assert [line.at for line in found(page, vertical=vertical)] == pytest.approx(
            [points(at + 1) for at in drawn], abs=1.0
        )
    assert (ink_to_rulings(page, DPI).text_ink[229:232, COLUMNS[0] + 12 : COLUMNS[0] + 42] == 0).all()


def test_a_column_of_1s_row_under_row_is_no_ruling() -> None:
    """Rows as high as their text: the stems of 1 under 1 run down a column 3 pixels short of
    the ruling between them, whose edge a copy's blur lifts beside each stem."""
    rows = tuple(range(200, 351, 30))
    page = np.full((700, 1400), PAPER, dtype=np.uint8)
    for y in rows:
        page[y : y + 3, 150:1202] = 0
    for x in COLUMNS:
        page[rows[0] : rows[-1] + 3, x : x + 2] = 0
    for y in rows[:-1]:
        page[y + 6 : y + 27, 1000:1004] = 0
        page[y + 6 : y + 9, 996:1000] = 0  # the 1's flag
        page[y + 3, 999:1005] = page[y - 1, 999:1005] = 0

    assert [line.at for line in found(page, vertical=True)] == pytest.approx(
        [points(x + 1) for x in COLUMNS], abs=1.0
    )


# --- a large character's strokes -------------------------------------------------------------

#: A table ruled solid at 200 dpi, its rows 64 pixels high: text of 14–16 pt (40–44 pixels)
#: fills most of a row, and its longest strokes are longer than a ruling's shortest run.
TALL_ROWS = (200, 264, 328, 392)


def large_character_table() -> np.ndarray:
    page = np.full((700, 1400), PAPER, dtype=np.uint8)
    for y in TALL_ROWS:
        page[y : y + 2, COLUMNS[0] : COLUMNS[-1] + 2] = 0
    for x in COLUMNS:
        page[TALL_ROWS[0] : TALL_ROWS[-1] + 2, x : x + 2] = 0
    return page


def test_a_large_character_s_crossing_strokes_are_no_rulings() -> None:
    """十 (in 计) and 上 at 16 pt: strokes of 40–44 pixels that cross or meet each other within
    the character, 10 pixels in from the cell's rulings. Taken for rulings that meet one across,
    they were painted out of the text (上年结转 read -年结转, 小计 小)."""
    page = large_character_table()
    page[222:224, 170:212] = page[211:255, 190:192] = 0  # 十
    page[211:253, 240:242] = page[230:232, 242:262] = page[251:253, 222:266] = 0  # 上

    for vertical, drawn in ((False, TALL_ROWS), (True, COLUMNS)):
        assert [line.at for line in found(page, vertical=vertical)] == pytest.approx(
            [points(at + 1) for at in drawn], abs=1.0
        )
    text = ink_to_rulings(page, DPI).text_ink
    assert (text[222:224, 170:212] == 0).all() and (text[211:255, 190:192] == 0).all()
    assert (text[211:253, 240:242] == 0).all() and (text[251:253, 222:266] == 0).all()


def test_a_stroke_crossed_by_another_is_not_carried_to_the_rulings_of_its_row() -> None:
    """The 亍 of 行: a stem of 44 pixels 10 short of the row's rulings, crossed by a stroke of 40.
    A ruling that crosses one across goes on over a break to the next (a bit a copy lost), but
    strokes that cross within a character's size are a character's."""
    page = large_character_table()
    page[341:385, 620:623] = page[352:354, 600:640] = 0

    assert [line.at for line in found(page, vertical=True)] == pytest.approx(
        [points(x + 1) for x in COLUMNS], abs=1.0
    )
    assert (ink_to_rulings(page, DPI).text_ink[341:385, 620:623] == 0).all()


def test_a_stroke_that_touches_a_cell_s_side_stays_text() -> None:
    """其 set against the cell's side: its strokes run from the ruling, but end in the cell."""
    page = large_character_table()
    page[284:286, 852:892] = page[300:302, 852:892] = 0
    page[272:318, 862:864] = page[272:318, 882:884] = 0

    for vertical, drawn in ((False, TALL_ROWS), (True, COLUMNS)):
        assert [line.at for line in found(page, vertical=vertical)] == pytest.approx(
            [points(at + 1) for at in drawn], abs=1.0
        )
    assert (ink_to_rulings(page, DPI).text_ink[284:286, 856:892] == 0).all()


def test_a_stem_that_reaches_both_rulings_of_its_row_but_is_crossed_is_text() -> None:
    """计 filling its row: the stem of its 十 stops 4 pixels short of the ruling above and on the
    one below, as a cell's side would; its crossbar (30 pixels, shorter than a ruling's run)
    crosses it, as no ruling's text crosses a cell's side."""
    page = large_character_table()
    page[268:330, 700:703] = 0
    page[290:292, 686:716] = 0

    assert [line.at for line in found(page, vertical=True)] == pytest.approx(
        [points(x + 1) for x in COLUMNS], abs=1.0
    )
    assert (ink_to_rulings(page, DPI).text_ink[270:326, 700:703] == 0).all()


def test_a_title_s_strokes_above_the_table_are_no_rulings() -> None:
    """A 22 pt title over the table (js_cppcc_2018's 财政拨款基本支出预算表 at 200 dpi): strokes of
    70–140 pixels, longer than any in a table's cells, crossing each other, two characters'
    bottom strokes joined into one. They made a table of their own (预 | 算表) that took the
    title from the real table's caption; they are text, and stay in the text ink."""
    page = large_character_table()
    title = (
        (slice(92, 96), slice(600, 705)),  # 预's top stroke, on into 算's
        (slice(97, 101), slice(703, 830)),  # 算's and 表's, joined
        (slice(108, 112), slice(870, 1010)),  # 基本's (js_cppcc_2017), 50 pt
        (slice(138, 142), slice(690, 762)),
        (slice(92, 137), slice(706, 710)),  # stems
        (slice(86, 157), slice(520, 524)),
        (slice(88, 158), slice(767, 771)),
    )
    for rows, columns in title:
        page[rows, columns] = 0

    for vertical, drawn in ((False, TALL_ROWS), (True, COLUMNS)):
        assert [line.at for line in found(page, vertical=vertical)] == pytest.approx(
            [points(at + 1) for at in drawn], abs=1.0
        )
    text = ink_to_rulings(page, DPI).text_ink
    assert all((text[rows, columns] == 0).all() for rows, columns in title)


def test_a_stem_standing_on_a_ruling_s_line_is_not_carried_into_the_ruling() -> None:
    """final_dept_sh_putuo_finance_2024's 三公 table at 200 dpi: 公务用车运行费 heads the two
    columns below it, and 车's stem stands on the line of the ruling between them, a pixel or
    two from the rulings above and below: carried on through it, the ruling cut the header in two
    (公务用三 | 三运行费, the stem painted out of 车). A stretch between two rulings across that
    ink crosses is a character's stroke; a cell's side is crossed by nothing."""
    page = np.full((700, 1400), PAPER, dtype=np.uint8)
    solid_table(page)
    page[ROWS[0] + 2 : ROWS[1], COLUMNS[2] : COLUMNS[2] + 2] = PAPER  # columns 1–2 headed by one cell
    page[ROWS[0] + 5 : ROWS[1] - 3, COLUMNS[2] : COLUMNS[2] + 2] = 0  # 车's stem
    for y in (212, 228, 244):  # and its strokes across it
        page[y : y + 2, COLUMNS[2] - 18 : COLUMNS[2] + 20] = 0

    (wall,) = (line for line in found(page, vertical=True) if abs(line.at - points(COLUMNS[2] + 1)) < 1)

    assert wall.start == pytest.approx(points(ROWS[1] + 1), abs=1.0)
    assert wall.end == pytest.approx(points(ROWS[-1] + 1), abs=1.0)
    assert (
        ink_to_rulings(page, DPI).text_ink[ROWS[0] + 8 : ROWS[1] - 6, COLUMNS[2] : COLUMNS[2] + 2] == 0
    ).all()


def test_a_ruling_running_on_past_the_last_ruling_across_by_a_stroke_ends_at_it() -> None:
    """A stem standing on a ruling's line below the table's last ruling across (a note's first
    character under a column's side) is no part of it; a ruling's own overshoot at a corner
    neither."""
    page = np.full((700, 1400), PAPER, dtype=np.uint8)
    solid_table(page)
    page[ROWS[-1] + 5 : ROWS[-1] + 45, COLUMNS[1] : COLUMNS[1] + 2] = 0  # a stem below the table
    page[ROWS[-1] + 20 : ROWS[-1] + 22, COLUMNS[1] - 15 : COLUMNS[1] + 15] = 0

    (wall,) = (line for line in found(page, vertical=True) if abs(line.at - points(COLUMNS[1] + 1)) < 1)

    assert wall.end == pytest.approx(points(ROWS[-1] + 1), abs=1.0)
