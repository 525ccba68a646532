"""The rulings a one-bit copy breaks into dashes: found in the thin ink, kept where they run from
a ruling across them to another.

A bilevel photocopy (one bit a pixel, 150–200 dpi) prints a thin ruling as dashes of 5–30
pixels, 3–6 apart, and drops stretches of it; the opening of ``scan_lines`` keeps only runs as
long as a ruling, so such a ruling is found in pieces or not at all, and the grid loses rows.

``dashed``        candidates: the ink with no run across the line longer than a ruling is
                  thick, closed along the line across a dash's gap and opened by a ruling's
                  length; a row of text makes such runs too (the strokes of 二三工 on one row);
``confirmed``     of the candidates and the rulings already found, those that reach a ruling
                  across them at both ends, each carried over its breaks up to them (a table's
                  ruling runs from a ruling across it to another; a stroke or an underline meets
                  none); first against the candidates across, then against what that
                  confirmed, so that candidates made of text do not confirm one another, then
                  again with what is confirmed kept until nothing changes.

Everything is worked out for horizontal lines; vertical ones are the transposed page's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]
Labels = npt.NDArray[np.integer[Any]]

#: Lines are confirmed against the candidates across them, then against what that confirmed
#: (candidates made of text confirm no more); from there on what is confirmed stays, and a
#: ruling confirmed in one pass may confirm one across it in the next, until nothing changes,
#: at most this many passes in all.
_PASSES = 6


@dataclass(frozen=True)
class DashSizes:
    """The sizes of ``scan_lines.ScanSettings`` these steps use, in pixels of the page."""

    length: int  #: a ruling's shortest run
    close: int  #: the longest gap between dashes closed before opening
    thickest: int  #: the thickest ruling
    reach: int  #: how far short of a ruling across a line may stop
    clear: int  #: paper beside a line's ink
    max_gap: int  #: the longest break carried over to a ruling across
    share: float  #: the thin ink a line, and a stretch it is carried over, must cover
    stroke: int  #: the longest stroke of a character


@dataclass(frozen=True)
class _Line:
    """A line (a candidate joined with what the opening found), placed by its bounding box."""

    x: int
    y: int
    w: int
    h: int
    #: The dashes to add: its pixels in the columns the opening found nothing in.
    dashes: Mask
    #: ``thin_run`` of its rows, the page's width long.
    thin: Mask


def components(mask: Image) -> tuple[int, Labels, npt.NDArray[np.int32]]:
    """The 8-connected pieces of ``mask``: their count, labels and ``cv2.CC_STAT_*`` stats.

    Labelled in 16 bits where the pieces are few enough (counted first, without stats, 5 ms):
    OpenCV 5 takes a third of the time for the same labels and stats so (9 against 27 ms on a
    200 dpi page), and a page is labelled a dozen times."""
    count = cv2.connectedComponents(mask, connectivity=8)[0]
    depth = cv2.CV_16U if count < np.iinfo(np.uint16).max else cv2.CV_32S
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=depth)
    return int(count), np.asarray(labels), np.asarray(stats, dtype=np.int32)


def transposed(image: Image) -> Image:
    """``image`` transposed into a new array: OpenCV's copy, a tenth of numpy's time."""
    return np.asarray(cv2.transpose(image), dtype=np.uint8)


def thin_run(binary: Image, y: int, h: int, clear: int) -> Mask:
    """The columns with ink on rows ``y`` to ``y + h`` (or a pixel either side) and paper
    ``clear`` pixels above and below: a line's ink, not a character's."""
    top, bottom = max(0, y - 1), y + h + 1
    thin: Mask = np.asarray(binary[top:bottom].any(axis=0), dtype=bool)
    thin &= ~binary[max(0, top - clear) : top].any(axis=0)
    thin &= ~binary[bottom : bottom + clear].any(axis=0)
    return thin


def rulings_with_dashes(solid: tuple[Image, Image], binary: Image, sizes: DashSizes) -> tuple[Image, Image]:
    """The horizontal and vertical rulings ``solid`` (what the opening found) with the dashed
    ones of ``binary`` that ``confirmed`` keeps."""
    pages = (binary, transposed(binary))
    rulings = (solid[0], transposed(solid[1]))
    candidates = tuple(dashed(page, sizes) for page in pages)
    lines = [_lines(rulings[v], candidates[v], pages[v], sizes) for v in (0, 1)]
    found = [np.asarray(cv2.bitwise_or(rulings[v], candidates[v]), dtype=np.uint8) for v in (0, 1)]
    for done in range(_PASSES):
        # ``found`` across the page is the transposed of the other direction's.
        again = [confirmed(lines[v], rulings[v], found[1 - v].T, sizes) for v in (0, 1)]
        if done >= 2:  # past the candidates' pass and its check: what is confirmed stays
            again = [np.maximum(now, before) for now, before in zip(again, found, strict=True)]
        if all(np.array_equal(now, before) for now, before in zip(again, found, strict=True)):
            break
        found = again
    return found[0], transposed(found[1])


def dashed(binary: Image, sizes: DashSizes) -> Image:
    """Horizontal candidate rulings out of dashes: the ink in no vertical run longer than a
    ruling is thick, a pixel above and below added to join a staircase's steps, closed across
    ``close`` and opened by ``length``.

    The ink just beside a vertical run is left out too: a copy's blur lifts a ruling's edge
    beside a stroke that stops short of it, and in rows as high as their text the stems of 1
    under 1 would be joined across the ruling between them into a vertical line.
    """
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (1, sizes.thickest + 1))
    runs = cv2.dilate(cv2.morphologyEx(binary, cv2.MORPH_OPEN, across), np.ones((1, 3), dtype=np.uint8))
    thin = cv2.subtract(binary, runs)
    side = np.ones((3, 1), dtype=np.uint8)
    gap = cv2.getStructuringElement(cv2.MORPH_RECT, (sizes.close, 1))
    closed = cv2.morphologyEx(cv2.dilate(thin, side), cv2.MORPH_CLOSE, gap)
    along = cv2.getStructuringElement(cv2.MORPH_RECT, (sizes.length, 1))
    return np.asarray(cv2.morphologyEx(closed, cv2.MORPH_OPEN, along), dtype=np.uint8)


def _lines(solid: Image, candidates: Image, binary: Image, sizes: DashSizes) -> list[_Line]:
    """The lines of ``solid`` and ``candidates`` that may be a ruling: as thin as one, and thin
    ink over ``share`` of their length (a seal's ring and characters have ink beside the line's
    rows)."""
    count, labels, stats = components(np.asarray(cv2.bitwise_or(solid, candidates), dtype=np.uint8))
    lines = []
    for label in range(1, count):
        x, y = int(stats[label, cv2.CC_STAT_LEFT]), int(stats[label, cv2.CC_STAT_TOP])
        w, h = int(stats[label, cv2.CC_STAT_WIDTH]), int(stats[label, cv2.CC_STAT_HEIGHT])
        if h > sizes.thickest + 2:
            continue
        thin = thin_run(binary, y, h, sizes.clear)
        if thin[x : x + w].mean() < sizes.share:
            continue
        dashes = labels[y : y + h, x : x + w] == label
        dashes[:, solid[y : y + h, x : x + w].any(axis=0)] = False
        lines.append(_Line(x=x, y=y, w=w, h=h, dashes=dashes, thin=thin))
    return lines


def confirmed(lines: list[_Line], solid: Image, across: Image, sizes: DashSizes) -> Image:
    """``solid`` with those ``lines`` that reach a ruling ``across`` at both ends
    (``_end_reached``), their dashes and the breaks up to those rulings filled in; a line that
    does not keeps what the opening found of it, no more."""
    found = solid.copy()
    for line in lines:
        # The columns where a ruling across comes within ``reach`` of this line's rows.
        met = np.asarray(across[max(0, line.y - sizes.reach) : line.y + line.h + sizes.reach].any(axis=0))
        # A line that crosses a ruling is a table's, not a row of text (which stops short of
        # the rulings on both sides): where it ends short of one, the break is a copy's. But a
        # large character's strokes cross each other (十, the 亍 of 行) within its size: a
        # line no longer than a stroke is carried over no break to the rulings of its row.
        crosses = line.w > sizes.stroke and bool(
            met[line.x + sizes.reach + 1 : line.x + line.w - sizes.reach - 1].any()
        )
        first = _end_reached(met, line.thin, line.x, -1, sizes, crosses=crosses)
        last = _end_reached(met, line.thin, line.x + line.w - 1, 1, sizes, crosses=crosses)
        if first is None or last is None:
            continue
        rows = found[line.y : line.y + line.h]
        rows[:, line.x : line.x + line.w][line.dashes] = 255
        rows[:, first : line.x] = rows[:, line.x + line.w : last + 1] = 255
    return found


def _end_reached(
    met: Mask, thin: Mask, end: int, step: int, sizes: DashSizes, *, crosses: bool
) -> int | None:
    """How far a line ending at ``end`` goes on (in direction ``step``) from ruling across to
    ruling across, or None when it reaches none.

    It reaches one where it ends within ``reach`` of it, and goes on to the next where the
    stretch up to it is thin ink covering ``share`` with no break over ``max_gap`` (a copy's
    dashes, its missing bits). A line that ``crosses`` a ruling is a table's: the stretch to
    the first, where it ends short of one, need be covered so beside its longest break only (a
    lost bit may be most of it), and may be that break alone. Past a ruling reached, a stretch
    need be covered so beside its longest break between ink: a ruling that ends at a merged cell
    meets paper past it, or the cell's text, which stops short of the rulings at both ends and
    whose strokes, even thin and on the line's rows, mostly cover little of it. A row of text
    (一一一, a dash ―― in a cell) ends a padding of paper short of the rulings either side.
    """
    reached: int | None = 0 if met[max(0, end - sizes.reach) : end + sizes.reach + 1].any() else None
    ahead, ink = (met[end:], thin[end:]) if step > 0 else (met[end::-1], thin[end::-1])
    start = 0
    for crossing in np.flatnonzero(ahead[1:] & ~ahead[:-1]) + 1:
        if crossing <= sizes.reach:
            continue
        stretch = ink[start:crossing]
        gap = _longest_gap(stretch)
        cover = float(stretch.mean())
        if crosses and reached is None:
            # A table's ruling ending short of one: one break (a bit the copy lost) is passed over.
            beside = len(stretch) - gap
            cover = float(stretch.sum()) / beside if beside else 1.0
        elif reached is not None and stretch.any():
            # Past a ruling: one break between its dashes (a bit the copy lost) is passed over,
            # not the paper at the stretch's ends (a merged cell's text stops short of them).
            inked = np.flatnonzero(stretch)
            inner = _longest_gap(stretch[inked[0] : inked[-1] + 1])
            cover = float(stretch.sum()) / (len(stretch) - inner)
        if gap > sizes.max_gap or cover < sizes.share:
            break
        reached = start = int(crossing)
    return None if reached is None else end + step * reached


def _longest_gap(ink: Mask) -> int:
    """The longest run of False in ``ink``."""
    edges = np.flatnonzero(np.diff(np.concatenate(([True], ink, [True])).astype(np.int8)))
    return int(np.max(edges[1::2] - edges[::2])) if edges.size else 0
