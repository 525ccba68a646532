"""Detected text boxes fitted to their line's ink before they are read.

The detector finds text lines on a reduced copy of the page (``ocr.DETECT_DPI``), where a thin
stroke at a line's end fades: the box of ``一、财政拨款`` starts at the 、 and the recogniser
reads ``、财政拨款``; ``一般公共预算`` loses its 一. A box is therefore widened leftwards over
the ink that begins its line, as far as a gap wider than a space between words, a vertical
ruling (a cell's wall) or the next box, so that what the detector missed is read. Not
rightwards: no line was seen to lose its end, and a smudge after a header (类 and a speck read
as ``类“``) cost a table every record.

The detector also pads a box past its text: one that reaches over a ruling by that padding stops
at the ruling (``off_walls``), one that runs into the next box of its line ends where that starts
(``cut_at_next``); a target value is read again in a box fitted to its ink (``fit_rows_to_ink``);
lines a second reading of the detector's map finds are kept where the first found nothing
and they do not start a line it found (``unclaimed``); and ink of a character's size that no box
reaches, in a table's column, gets a box of its own (``missed_ink``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from extractor.readers.pdf_page import Line

#: A gap of paper wider than this (in the line's heights) ends the line: wider than the space
#: between characters, narrower than the padding between two cells' texts.
END_GAP = 0.45
#: The band of the box the ink is looked for in (shares of its height from the top and bottom):
#: its middle, so that the lines above and below do not count.
BAND = 0.2
#: Ink beside a box is a stroke, not speckle (a seal's remains, JPEG noise), where it covers at
#: least this share of the line's height squared (a 一 at 10 pt covers a tenth, the part of one a
#: box cut less) …
MIN_INK = 0.02
#: … or runs across at least this share of the line's height (a thin 一 in a tall box covers
#: little but runs long: 22 pixels in a 40-pixel box, 11 columns).
MIN_STROKE = 0.25
#: Paper left before the first and after the last ink taken in (in line heights), as the
#: detector leaves it.
MARGIN = 0.1
#: Paper left above and below a line's ink (in the ink's heights) when its box is fitted to it.
ROW_MARGIN = 0.15
#: A box reaching over a ruling by less than this share of its height reaches over it only by
#: the detector's padding (``off_walls``).
OVERHANG = 0.5
#: Ink no box covers is read where it is a character's size (in points: a 6 pt digit's ink is
#: about 4 pt high; speckle is smaller, a seal's remains mostly larger; a ruling's stub of that
#: size is read, and dropped as no number read surely: ``ocr_text.keeps_missed``) …
MISSED_INK_HEIGHT = (4.0, 24.0)
#: … with the ink beside it on its row (the point and digits of ``0.00``) as far as a gap of
#: this share of its height, and read in a box padded by this share of its height, as the
#: detector pads its own.
MISSED_GAP = 0.6
MISSED_PAD = 0.3
#: A line found only where the detector's map is read without dilation is added where boxes
#: found with it cover less than this share of its box (``unclaimed``).
CLAIMED = 0.3

Box = tuple[float, float, float, float]


def boxes_of(quads: Sequence[npt.NDArray[np.float32]]) -> list[Box]:
    """Each quad's upright bounding box (x0, top, x1, bottom) in pixels."""
    return [
        (float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max()))
        for q in quads
    ]


def grow_to_ink(
    boxes: Sequence[Box], binary: npt.NDArray[np.uint8], walls: Sequence[Line], scale: float
) -> list[Box]:
    """``boxes`` widened over the ink of their line before them (``binary``: 255 where the page
    has ink, rulings painted out); ``walls`` are the page's vertical rulings in points, ``scale``
    points per pixel. A box with no ink before it is returned as it was."""
    if not boxes:
        return []
    array = np.asarray(boxes, dtype=np.float64)
    grown = []
    for index, box in enumerate(boxes):
        x0, top, x1, bottom = box
        height = bottom - top
        band_top, band_bottom = round(top + BAND * height), round(bottom - BAND * height)
        if band_bottom <= band_top:
            grown.append(box)
            continue
        centre = (x0 + x1) / 2
        stop = _left_stop(array, index, centre, band_top, band_bottom)
        for at in _walls_across(walls, (top + bottom) / 2, scale):
            if at < centre:
                stop = max(stop, at + 1)
        grown.append((_reach(binary[band_top:band_bottom], x0, stop, height), top, x1, bottom))
    return grown


def off_walls(boxes: Sequence[Box], walls: Sequence[Line], scale: float) -> list[Box]:
    """``boxes`` whose edge reaches over a vertical ruling by less than ``OVERHANG`` of their
    height brought back to it (``walls`` in points, ``scale`` points per pixel).

    The detector pads a box, and a cell's text set close to its ruling gets a box that reaches
    into the cell before: the recogniser reads the end of that cell's text (the 0 of 9746.50)
    as a mark of this one (）一、一般公共服务支出), and places it in that cell (9746.50）). A
    box that holds the texts of two cells reaches far over the ruling between them, and is read
    whole (``ocr_chars.line_to_chars`` cuts it there)."""
    fitted = []
    for x0, top, x1, bottom in boxes:
        reach = OVERHANG * (bottom - top)
        for at in _walls_across(walls, (top + bottom) / 2, scale):
            if x0 < at < min(x0 + reach, x1):
                x0 = at + 1
            elif max(x1 - reach, x0) < at < x1:
                x1 = at - 1
        fitted.append((x0, top, x1, bottom))
    return fitted


def cut_at_next(boxes: Sequence[Box]) -> list[Box]:
    """``boxes`` each ended where the next box of its line starts, where it ran into it.

    The detector's box of a cell's text may run on over the ruling into the next cell, whose
    text starts just after it and has a box of its own: the recogniser then reads the next
    text's first stroke as a mark of this one (本年收入合计！ beside 财政拨款收入). A box keeps
    at least its first half."""
    array = np.asarray(boxes, dtype=np.float64)
    cut = []
    for index, box in enumerate(boxes):
        x0, top, x1, bottom = box
        beside = _beside(array, index, top + BAND * (bottom - top), bottom - BAND * (bottom - top))
        starts = array[beside & (array[:, 0] > (x0 + x1) / 2) & (array[:, 0] < x1), 0]
        cut.append((x0, top, float(starts.min()), bottom) if starts.size else box)
    return cut


def _beside(
    array: npt.NDArray[np.float64], index: int, band_top: float, band_bottom: float
) -> npt.NDArray[np.bool_]:
    """The boxes (rows of ``array``) other than ``index`` whose band overlaps ``band_top`` to
    ``band_bottom``: those on the same line."""
    beside = (array[:, 1] < band_bottom) & (array[:, 3] > band_top)
    beside[index] = False
    return beside


def _left_stop(
    array: npt.NDArray[np.float64], index: int, centre: float, band_top: int, band_bottom: int
) -> float:
    """How far left a box may grow: to the nearest box before it whose band overlaps its own (a
    box the detector made overlapping this one stops it where it is)."""
    lefts = array[
        _beside(array, index, band_top, band_bottom) & ((array[:, 0] + array[:, 2]) / 2 < centre), 2
    ]
    return float(lefts.max()) + 1 if lefts.size else 0.0


def _reach(band: npt.NDArray[np.uint8], edge: float, stop: float, height: float) -> float:
    """The new left edge of a box whose edge is ``edge``, no further left than ``stop``: the
    leftmost ink column before a gap wider than ``END_GAP`` line heights, less ``MARGIN``."""
    start, end = int(edge) - 1, int(stop)
    if start <= end:
        return edge
    counts = np.count_nonzero(band[:, end : start + 1], axis=0)[::-1]
    gap_limit = max(2, round(END_GAP * height))
    last_ink, gap, ink, inked = -1, 0, 0, 0
    for offset, count in enumerate(counts):
        if count:
            last_ink, gap, ink, inked = offset, 0, ink + int(count), inked + 1
        else:
            gap += 1
            if gap > gap_limit:
                break
    if last_ink < 0 or (ink < MIN_INK * height * height and inked < MIN_STROKE * height):
        return edge
    return float(max(start - last_ink - MARGIN * height, stop))


def fit_rows_to_ink(box: Box, binary: npt.NDArray[np.uint8]) -> Box:
    """A line's box with its top and bottom brought in to its ink, leaving ``ROW_MARGIN`` of its
    ink's height above and below (``ocr._read_lines`` reads a target value so). Only ever
    shrinks; a box on its side (text set vertically) is left as it is."""
    x0, top, x1, bottom = box
    if bottom - top >= x1 - x0:
        return box
    rows = np.flatnonzero(
        binary[max(round(top), 0) : round(bottom) + 1, max(round(x0), 0) : round(x1) + 1].any(axis=1)
    )
    if rows.size == 0:
        return box
    first, last = max(round(top), 0) + int(rows[0]), max(round(top), 0) + int(rows[-1])
    margin = max(1.0, ROW_MARGIN * (last - first + 1))
    return x0, max(top, first - margin), x1, min(bottom, last + margin)


def unclaimed(found: Sequence[Box], others: Sequence[Box]) -> list[int]:
    """Which of ``others`` are lines the first reading of the detector's map lost: those the
    ``found`` boxes cover less than ``CLAIMED`` of (not the same lines outlined a little
    differently), and that do not lead a found box's line.

    A found box whose line starts with a faint stroke (the 一 of 一般行政管理事务) is widened
    over it (``grow_to_ink``); the undilated map outlines that stroke alone, and as a box of its
    own it would stop the widening and be read apart (a dash, too unsure to keep), leaving the
    line to read the stroke's end as ``-般行政管理事务``."""
    if not others:
        return []
    if not found:
        return list(range(len(others)))
    a, b = np.asarray(others, dtype=np.float64), np.asarray(found, dtype=np.float64)
    wide = np.clip(
        np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None
    )
    high = np.clip(
        np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None
    )
    area = np.maximum((a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1]), 1e-6)
    lost = (wide * high).sum(axis=1) < CLAIMED * area
    middle, height = (a[:, 1] + a[:, 3]) / 2, b[:, 3] - b[:, 1]
    on_line = (middle[:, None] > b[None, :, 1] + BAND * height) & (
        middle[:, None] < b[None, :, 3] - BAND * height
    )
    leading = (a[:, None, 2] >= b[None, :, 0] - END_GAP * height) & (
        (a[:, None, 0] + a[:, None, 2]) / 2 < b[None, :, 0]
    )
    return [int(i) for i in np.flatnonzero(lost & ~(on_line & leading).any(axis=1))]


def missed_ink(
    binary: npt.NDArray[np.uint8], boxes: Sequence[Box], walls: Sequence[Line], scale: float
) -> list[Box]:
    """Boxes around the ink of a character's size that no box reaches and that stands between
    two vertical rulings (in a table's column), with the smaller ink beside it on its row
    (``binary``: 255 where the page has ink, rulings painted out; ``walls`` in points, ``scale``
    points per pixel).

    The detector misses a lone character set tight against a ruling (a 0 in a 三公 table, its
    cell's only text), and an empty cell holds no record; what no box covers in a table is read
    as well (outside one, a seal's remains are ink no box covers too)."""
    from extractor.readers.scan_dashes import components

    count, _, stats = components(binary)
    if count <= 1:
        return []
    x, y, w, h = (stats[1:, k].astype(np.float64) for k in range(4))
    if boxes:  # ink a box reaches at all is its line's (a stroke of a character it cuts)
        b = np.asarray(boxes, dtype=np.float64)
        covered = (
            (x[:, None] < b[None, :, 2])
            & (x[:, None] + w[:, None] > b[None, :, 0])
            & (y[:, None] < b[None, :, 3])
            & (y[:, None] + h[:, None] > b[None, :, 1])
        ).any(axis=1)
    else:
        covered = np.zeros(count - 1, dtype=bool)
    low, high = (size / scale for size in MISSED_INK_HEIGHT)
    sized = ~covered & (h >= low) & (h <= high)
    found = []
    for seed in np.flatnonzero(sized):
        x0, top, x1, bottom = x[seed], y[seed], x[seed] + w[seed], y[seed] + h[seed]
        grew = True
        while grew:
            gap = MISSED_GAP * (bottom - top)
            near = ~covered & (y < bottom) & (y + h > top) & (x < x1 + gap) & (x + w > x0 - gap) & (h <= high)
            new = (
                float(x[near].min()),
                min(top, float(y[near].min())),
                float((x + w)[near].max()),
                max(bottom, float((y + h)[near].max())),
            )
            grew = new != (x0, top, x1, bottom)
            x0, top, x1, bottom = new
        pad = MISSED_PAD * (bottom - top)
        box = (x0 - pad, top - pad, x1 + pad, bottom + pad)
        if box not in found and _walled(box, walls, scale):
            found.append(box)
    return found


def _walled(box: Box, walls: Sequence[Line], scale: float) -> bool:
    """Whether vertical rulings (in points) stand left and right of ``box``'s centre across its
    middle row (its padding may reach over the ruling its ink is set against)."""
    x0, top, x1, bottom = box
    centre, across = (x0 + x1) / 2, _walls_across(walls, (top + bottom) / 2, scale)
    return any(at < centre for at in across) and any(at > centre for at in across)


def _walls_across(walls: Sequence[Line], row: float, scale: float) -> list[float]:
    """Where the vertical rulings ``walls`` (in points) that cross the pixel row ``row`` stand,
    in pixels (``scale`` points per pixel), in the order given."""
    return [wall.at / scale for wall in walls if wall.start <= row * scale <= wall.end]
