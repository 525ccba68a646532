"""Characters' strokes told from a table's rulings, where the ruling finder took them for ones.

*A page title's strokes* (``heading_strokes``). A title is set at 18–24 pt; its strokes are
longer than the longest stroke in a table's cells (``ScanSettings.max_stroke``), cross each
other, and two characters' strokes may join (算表's bottom strokes, 46 pt; 基本's, 50 pt): taken
for rulings, they made a table of their own above the real one (预 | 算表), which took the title
from the real table's caption, and they were painted out of the text. A title's strokes meet
only each other, none longer than three large characters' and all within a line two of them
high; a table's rulings meet its frame, which is longer or taller (no table of figures fits in
72 by 48 pt).

*A stroke a ruling runs on into* (``overshoots``). A cell's text set over the ruling of the
cells below it (公务用车运行费 over 公务用车运行费's 预算数 | 决算数) may stand a character's stem
on that ruling's line, a few pixels above the ruling across: the ruling was carried on through
it, 车 lost its stem (read 三) and the header was cut in two at it. A table's ruling ends at a
ruling across it; one that runs on past the last it crosses by no more than a stroke runs into
a character.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from extractor.readers.pdf_page import Line
from extractor.readers.scan_dashes import Mask

Boxes = npt.NDArray[np.int64]
Image = npt.NDArray[np.uint8]

#: A heading's strokes: none longer than this many ``max_stroke`` (three large characters'
#: strokes joined), the group no higher than ``HIGHEST`` of them (a line of large print).
LONGEST = 3
HIGHEST = 2


def heading_strokes(boxes: Boxes, vertical: Mask, reach: int, stroke: int) -> list[int]:
    """Which of the ruling pieces (``boxes``: x0, y0, x1, y1 on the page, in pixels) are a
    heading's strokes: the pieces of a group that meet only each other (within ``reach``), none
    longer than ``LONGEST`` strokes (``stroke``: ``max_stroke`` in pixels), the group no higher
    than ``HIGHEST``."""
    if len(boxes) == 0:
        return []
    grown = boxes + np.array([-reach, -reach, reach, reach])
    meet = (
        (grown[:, None, 0] <= grown[None, :, 2])
        & (grown[None, :, 0] <= grown[:, None, 2])
        & (grown[:, None, 1] <= grown[None, :, 3])
        & (grown[None, :, 1] <= grown[:, None, 3])
    )
    group = groups(meet)
    lengths = np.where(vertical, boxes[:, 3] - boxes[:, 1], boxes[:, 2] - boxes[:, 0])
    strokes: list[int] = []
    for label in np.unique(group):
        members = np.flatnonzero(group == label)
        height = boxes[members, 3].max() - boxes[members, 1].min()
        if lengths[members].max() <= LONGEST * stroke and height <= HIGHEST * stroke:
            strokes += [int(i) for i in members]
    return strokes


def groups(meet: Mask) -> npt.NDArray[np.int64]:
    """The group of each item, given which items meet which (``meet``, square and symmetric):
    items meeting, directly or through others, share one."""
    group = np.full(len(meet), -1, dtype=np.int64)
    for start in range(len(meet)):
        if group[start] >= 0:
            continue
        group[start] = start
        todo = [start]
        while todo:
            for other in np.flatnonzero(meet[todo.pop()] & (group < 0)):
                group[other] = start
                todo.append(int(other))
    return group


@dataclass(frozen=True)
class StrokeSizes:
    """How near a ruling across counts as crossing (``tolerance``), how long a character's stroke
    is at most (``stroke``), half a ruling's thickness (``thickness``), in points; how far ink
    must reach either side of a ruling to cross it (``reach``, pixels)."""

    tolerance: float
    stroke: float
    thickness: float
    reach: int


@dataclass(frozen=True)
class Trimmed:
    """A ruling as the table has it, and the stretches of it that were a character's strokes."""

    line: Line
    strokes: tuple[tuple[float, float], ...]


def overshoots(lines: Sequence[Line], binary: Image, scale: float, sizes: StrokeSizes) -> list[Trimmed]:
    """``lines`` (rulings, in points; ``binary``: the page's ink, ``scale`` points per pixel) each
    without the stroke it ran on into at either end: the stretch past the last ruling it crosses,
    or, where it ends at a ruling across, the stretch from that to the one before, where that
    stretch is a character's stem (``_stem``). A line left with nothing stays as it was."""
    trimmed = []
    for line in lines:
        crossings = sorted(
            other.at
            for other in lines
            if other.vertical != line.vertical
            and other.start - sizes.tolerance <= line.at <= other.end + sizes.tolerance
            and line.start - sizes.tolerance <= other.at <= line.end + sizes.tolerance
        )
        start, end, strokes = line.start, line.end, []
        if crossings:
            first = (
                crossings[1]
                if crossings[0] - start <= sizes.tolerance and len(crossings) > 1
                else crossings[0]
            )
            if first > start and _stem(binary, line, start, first, scale, sizes):
                strokes.append((start, first - sizes.tolerance))
                start = first
            last = (
                crossings[-2]
                if end - crossings[-1] <= sizes.tolerance and len(crossings) > 1
                else crossings[-1]
            )
            if last < end and _stem(binary, line, last, end, scale, sizes):
                strokes.append((last + sizes.tolerance, end))
                end = last
        if start >= end:
            start, end, strokes = line.start, line.end, []
        same = (start, end) == (line.start, line.end)
        trimmed.append(Trimmed(line if same else replace(line, start=start, end=end), tuple(strokes)))
    return trimmed


def _stem(binary: Image, line: Line, start: float, end: float, scale: float, sizes: StrokeSizes) -> bool:
    """Whether the stretch of ``line`` from ``start`` to ``end`` (points) is a character's stem:
    no longer than a stroke, parted from the ruling by paper somewhere along it (the ruling
    finder bridged a gap to take it in: a ruling runs on unbroken), and crossed by ink reaching
    ``sizes.reach`` pixels either side of it (a character's strokes cross its stem; nothing
    crosses a cell's side)."""
    if end - start > sizes.stroke:
        return False
    at = round(line.at / scale)
    parted = _band(binary, line, start + sizes.thickness, end - sizes.thickness, scale)
    frame = binary.T if line.vertical else binary
    along = slice(round((start + sizes.tolerance) / scale), round((end - sizes.tolerance) / scale))
    clear = np.zeros(frame[:1, along].shape[1], dtype=bool)
    return (
        bool(parted.size)
        and not parted.any(axis=1).all()
        and crossed(frame, along, at, 1, sizes.reach, clear)
    )


def _band(binary: Image, line: Line, start: float, end: float, scale: float) -> Image:
    """The pixels of ``line`` from ``start`` to ``end`` (points) and a pixel either side of it, a
    row for each pixel along it."""
    at = round(line.at / scale)
    along = slice(round(start / scale), round(end / scale))
    across = slice(max(0, at - 1), at + 2)
    return binary[along, across] if line.vertical else binary[across, along].T


def crossed(frame: Image, inside: slice, y: int, h: int, clear: int, ruled: Mask) -> bool:
    """Whether ink crosses the line on rows ``y`` to ``y + h`` somewhere in columns ``inside``,
    running ``clear`` pixels beyond it on both sides, where no ruling across does (``ruled``)."""
    band = frame[max(0, y - clear) : y + h + clear, inside]
    return bool((band.all(axis=0) & ~ruled).any())
