"""A page title's strokes told from a table's rulings.

A page's title is set at 18–24 pt; its strokes are longer than the longest stroke in a table's
cells (``ScanSettings.max_stroke``), cross each other, and two characters' strokes may join
(算表's bottom strokes, 46 pt; 基本's, 50 pt): taken for rulings, they made a table of their
own above the real one (预 | 算表), which took the title from the real table's caption, and
they were painted out of the text. A title's strokes meet only each other, none longer than
three large characters' and all within a line two of them high; a table's rulings meet its
frame, which is longer or taller (no table of figures fits in 72 by 48 pt).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Boxes = npt.NDArray[np.int64]

#: A heading's strokes: none longer than this many ``max_stroke`` (three large characters'
#: strokes joined), the group no higher than ``HIGHEST`` of them (a line of large print).
LONGEST = 3
HIGHEST = 2


def heading_strokes(boxes: Boxes, vertical: npt.NDArray[np.bool_], reach: int, stroke: int) -> list[int]:
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


def groups(meet: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
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
