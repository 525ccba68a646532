"""A page title's strokes told from a table's rulings.

A page's title is set at 18–24 pt; its strokes are longer than the longest stroke in a table's
cells (``ScanSettings.max_stroke``), cross each other, and two characters' strokes may join
(算表's bottom strokes, 46 pt): taken for rulings, they made a table of their own above the
real one (预 | 算表), which took the title from the real table's caption, and they were painted
out of the text. A table's rulings meet its frame, a ruling longer than two large characters,
or stand taller than a line of them; a title's strokes meet only each other.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Boxes = npt.NDArray[np.int64]


def heading_strokes(boxes: Boxes, vertical: npt.NDArray[np.bool_], reach: int, largest: int) -> list[int]:
    """Which of the ruling pieces (``boxes``: x0, y0, x1, y1 on the page, in pixels) are a
    heading's strokes: the pieces of a group that meet only each other (within ``reach``), none
    longer than ``largest`` and all within a line that high."""
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
        if lengths[members].max() <= largest and height <= largest:
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
