"""Detected text boxes fitted to their line's ink before they are read.

The detector finds text lines on a reduced copy of the page (``ocr.DETECT_DPI``), where a thin
stroke at a line's end fades: the box of ``一、财政拨款`` starts at the 、 and the recogniser
reads ``、财政拨款``; ``一般公共预算`` loses its 一. A box is therefore widened over the ink
that continues its line on either side, as far as a gap wider than a space between words, a
vertical ruling (a cell's wall) or the next box, so that what the detector missed is read.
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
    """``boxes`` widened over the ink of their line beside them (``binary``: 255 where the page
    has ink, rulings painted out); ``walls`` are the page's vertical rulings in points, ``scale``
    points per pixel. A box with no ink beside it is returned as it was."""
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
        middle = (top + bottom) / 2
        left_stop, right_stop = _stops(array, index, x0, x1, band_top, band_bottom, binary.shape[1])
        centre = (x0 + x1) / 2
        for wall in walls:
            if wall.start <= middle * scale <= wall.end:
                at = wall.at / scale
                if at < centre:
                    left_stop = max(left_stop, at + 1)
                else:
                    right_stop = min(right_stop, at - 1)
        band = binary[band_top:band_bottom]
        new_x0 = _reach(band, x0, left_stop, height, step=-1)
        new_x1 = _reach(band, x1, right_stop, height, step=1)
        grown.append((new_x0, top, new_x1, bottom))
    return grown


def _stops(
    array: npt.NDArray[np.float64],
    index: int,
    x0: float,
    x1: float,
    band_top: int,
    band_bottom: int,
    width: int,
) -> tuple[float, float]:
    """How far left and right a box may grow: to the nearest other box its band overlaps, on
    the side of its centre (a box the detector made overlapping this one stops it where it is)."""
    beside = (array[:, 1] < band_bottom) & (array[:, 3] > band_top)
    beside[index] = False
    centres = (array[:, 0] + array[:, 2]) / 2
    centre = (x0 + x1) / 2
    lefts = array[beside & (centres < centre), 2]
    rights = array[beside & (centres >= centre), 0]
    left_stop = float(lefts.max()) + 1 if lefts.size else 0.0
    return left_stop, float(rights.min()) - 1 if rights.size else width - 1.0


def _reach(band: npt.NDArray[np.uint8], edge: float, stop: float, height: float, *, step: int) -> float:
    """The new edge of a box beyond ``edge`` towards ``stop`` (``step`` -1: leftwards): the
    outermost ink column before a gap wider than ``END_GAP`` line heights, plus ``MARGIN``."""
    start = int(edge) + step
    end = int(stop)
    if (end - start) * step <= 0:
        return edge
    low, high = (end, start) if step < 0 else (start, end)
    counts = np.count_nonzero(band[:, low : high + 1], axis=0)
    if step < 0:
        counts = counts[::-1]
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
    outer = start + step * last_ink + step * MARGIN * height
    return float(max(outer, stop) if step < 0 else min(outer, stop))


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
