"""The ruling lines of a scanned page: from a page image to the segments the vector path draws.

A scan has no paths, only pixels; the table's rulings are found in them the way a person sees
them, as long thin runs of ink (OpenCV morphology), and handed to the same grid steps
(``pdf_rulings``) as a vector page's segments, in PDF points (pixels × 72 / dpi).

``image_to_ink``    a grey image of the page's ink: a pixel is as dark as its lightest colour
                    channel, so a red or blue seal stamped over a table vanishes (red ink is
                    bright in the red channel) while black print stays black, even under it;
``ink_to_binary``   ink against the local background (adaptive threshold): a grey or uneven
                    paper, blur and JPEG noise leave the background white;
``binary_to_skew``  the page's small rotation, from the long lines: every run of ink longer
                    than a character, fitted by a straight line, votes by its length;
``rotate``          the image turned by that angle about its centre (the corners it brings in
                    repeat the paper's edge: white corners on grey paper would be lines);
``ink_to_rulings``  the horizontal and vertical rulings: an opening with a kernel longer than
                    a table text's strokes keeps only lines, each connected piece of the mask
                    one segment, a short piece only where it runs from a ruling across to
                    another (a large character's strokes are as long; ``pieces_to_grid``); and
                    the ink without them, for OCR.

Kernels are lengths on paper (points) turned into pixels by the image's dpi, with a floor
relative to the image's size, so that a table is seen alike at 150 and at 300 dpi.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from extractor.readers.pdf_page import Line
from extractor.readers.scan_dashes import (
    DashSizes,
    Labels,
    Mask,
    components,
    rulings_with_dashes,
    thin_run,
    transposed,
)
from extractor.readers.scan_strokes import StrokeSizes, crossed, heading_strokes, overshoots

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class ScanSettings:
    """Sizes of the ruling finder, in points on paper unless the name says otherwise."""

    #: A run of ink at least this long is a ruling, not a character's stroke: longer than the
    #: stroke of any table text (a 12 pt character's is under 12 pt), shorter than a row is high.
    min_ruling: float = 13.0
    #: The window of the adaptive threshold: wider than a ruling is thick and a stroke, so that
    #: the local background is the paper's.
    threshold_window: float = 9.0
    #: How much darker than its surroundings (0–255) a pixel must be to be ink.
    threshold_offset: int = 12
    #: Only runs of ink at least this long vote on the skew, (longer runs fit the angle better).
    skew_min_length: float = 72.0
    #: Rotations smaller than this (degrees) are left alone: turning the image blurs it slightly.
    skew_min_angle: float = 0.05
    #: Rotations larger than this (degrees) are not a skewed scan's: nothing is turned.
    skew_max_angle: float = 5.0
    #: A pixel whose colour channels differ by more than this (0–255) is coloured ink …
    colour_spread: int = 40
    #: … and where its lightest channel is within this much of the paper's grey, no print is
    #: under it.
    colour_lift: int = 70
    #: A ruling is no thicker than this (a blurred 1.5 pt border at 150 dpi is 5 pixels, 2.4 pt):
    #: a seal's ring that a photocopy printed black (3–4 pt wide) runs as long as a ruling where
    #: it turns along the page's axes, and is thicker.
    max_thickness: float = 2.5
    #: Gaps shorter than this along a ruling are closed before segments are read (a broken or
    #: dotted line, JPEG blocks eating a thin line).
    bridge: float = 2.0
    #: A ruling found goes on along its rows across gaps of ink up to this long (``_grown``):
    #: a photocopied line's breaks, narrower than the space between two characters.
    dash_gap: float = 2.0
    #: … when its dashes cover at least this share of the stretch they add.
    dash_cover: float = 0.75
    #: Longer gaps (up to ``max_step_gap``) are crossed where they are at most this share of the
    #: dashes either side: a staircase's breaks grow with its steps (``_dashes_around``).
    step_gap: float = 0.25
    max_step_gap: float = 10.0
    #: A bilevel copy's dashed ruling (``scan_dashes``): thin ink closed along the line across
    #: gaps up to this long (2.5 pt, 7 pixels at 200 dpi: a copy's breaks are 3–6), then opened,
    #: and kept only between rulings across it, reached over stretches of thin ink covering at
    #: least this share.
    dash_close: float = 2.5
    dash_share: float = 0.5
    #: No character's stroke in a table is longer than this (a 16 pt character's are under 16 pt):
    #: a shorter piece of ruling is a table's only where it runs from a ruling across to another
    #: (``pieces_to_grid``).
    max_stroke: float = 24.0


DEFAULT_SCAN_SETTINGS = ScanSettings()


def image_to_ink(image: Image, settings: ScanSettings = DEFAULT_SCAN_SETTINGS) -> Image:
    """A grey image of the print: each pixel as light as its lightest channel, a seal's ink paper.

    Black print is dark in every channel, a coloured seal (红章) light in its own colour's
    channel only: its red channel is about as light as the paper. A pixel whose channels differ
    by more than ``colour_spread`` and whose lightest channel is within ``colour_lift`` of the
    paper is a seal's (or a highlighter's) ink over paper, and becomes paper, so that neither
    the seal's ring nor its text is taken for rulings or words. Print under a seal stays as
    dark as it was, and so does the blurred edge of print a seal crosses, coloured but dark.
    """
    if image.ndim == 2:
        return image
    # OpenCV's per-channel max and min: the same pixels as numpy's reductions over the last axis,
    # in a twentieth of the time (172 -> 6 ms on a 200 dpi page).
    first, second, third = cv2.split(np.ascontiguousarray(image[:, :, :3]))
    top = cv2.max(cv2.max(first, second), third)
    coloured = cv2.subtract(top, cv2.min(cv2.min(first, second), third)) > settings.colour_spread
    if coloured.any():
        sample = top[::4, ::4][~coloured[::4, ::4]]
        paper = int(np.percentile(sample, 90)) if sample.size else 255
        top[coloured & (top > paper - settings.colour_lift)] = paper
    return np.asarray(top, dtype=np.uint8)


def pixels(points: float, dpi: float) -> int:
    return max(1, round(points * dpi / 72.0))


def ink_to_binary(ink: Image, dpi: float, settings: ScanSettings = DEFAULT_SCAN_SETTINGS) -> Image:
    """255 where there is ink, 0 on the paper."""
    window = pixels(settings.threshold_window, dpi) | 1
    return np.asarray(
        cv2.adaptiveThreshold(
            ink,
            255,
            cv2.ADAPTIVE_THRESH_MEAN_C,
            cv2.THRESH_BINARY_INV,
            max(window, 3),
            settings.threshold_offset,
        ),
        dtype=np.uint8,
    )


def ruling_length(binary: Image, dpi: float, settings: ScanSettings) -> int:
    """The opening kernel's length in pixels: ``min_ruling`` on paper, and at least a fiftieth of
    the image's shorter side (an image whose dpi says too little about its print)."""
    return max(pixels(settings.min_ruling, dpi), int(min(binary.shape[:2])) // 50, 3)


def binary_to_skew(binary: Image, dpi: float, settings: ScanSettings = DEFAULT_SCAN_SETTINGS) -> float:
    """The angle in degrees (counter-clockwise on the image) by which the page's long lines lean.

    Horizontal lines vote with their own angle, vertical ones with theirs turned by 90°: a table
    scanned askew turns both alike. Each run is fitted by least squares over its pixels, and the
    median of the votes weighted by length is taken, so that one curved or stray line counts
    little. Lines are found by an opening with a short kernel (a long one would break a skewed
    line into steps); a skew of a few degrees keeps a short piece of line within its thickness.
    """
    length = ruling_length(binary, dpi, settings)
    votes: list[tuple[float, float]] = []
    for vertical in (False, True):
        mask = _opened(binary, length, vertical=vertical)
        if vertical:
            # Transposed, a vertical line leaning left at the top slopes the other way.
            runs = _run_angles(transposed(mask), pixels(settings.skew_min_length, dpi))
            votes += [(-angle, weight) for angle, weight in runs]
        else:
            votes += _run_angles(mask, pixels(settings.skew_min_length, dpi))
    if not votes:
        return 0.0
    votes.sort()
    half, total = 0.0, sum(w for _, w in votes) / 2
    for angle, weight in votes:
        half += weight
        if half >= total:
            return angle
    return votes[-1][0]


def _run_angles(mask: Image, min_length: int) -> list[tuple[float, float]]:
    """(angle in degrees, length) of each connected run in a mask of horizontal runs."""
    count, labels, stats = components(mask)
    angles: list[tuple[float, float]] = []
    for label in range(1, count):
        width = int(stats[label, cv2.CC_STAT_WIDTH])
        if width < min_length:
            continue
        x, y, h = (
            int(stats[label, cv2.CC_STAT_LEFT]),
            int(stats[label, cv2.CC_STAT_TOP]),
            int(stats[label, cv2.CC_STAT_HEIGHT]),
        )
        ys, xs = np.nonzero(labels[y : y + h, x : x + width] == label)
        if len(xs) < 2 or np.ptp(xs) == 0:
            continue
        slope = float(np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0])
        # Image rows grow downwards: a line rising to the right has a negative slope.
        angles.append((-math.degrees(math.atan(slope)), float(width)))
    return angles


def rotate(image: Image, angle: float) -> Image:
    """``image`` turned by ``angle`` degrees (counter-clockwise) about its centre, same size,
    what comes in at the corners the paper's edge repeated."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return np.asarray(
        cv2.warpAffine(
            image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        ),
        dtype=np.uint8,
    )


def deskew(ink: Image, dpi: float, settings: ScanSettings = DEFAULT_SCAN_SETTINGS) -> tuple[Image, float]:
    """``ink`` (``image_to_ink``) turned upright, and the angle it leaned by (0 when it was not
    turned)."""
    angle = binary_to_skew(ink_to_binary(ink, dpi, settings), dpi, settings)
    if not settings.skew_min_angle <= abs(angle) <= settings.skew_max_angle:
        return ink, 0.0
    return rotate(ink, -angle), angle


def _opened(binary: Image, length: int, *, vertical: bool) -> Image:
    shape = (1, length) if vertical else (length, 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape)
    return np.asarray(cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel), dtype=np.uint8)


def _grown(binary: Image, length: int, dpi: float, settings: ScanSettings, *, vertical: bool) -> Image:
    """The rulings of ``binary`` (runs of at least ``length``: ``_opened``), each carried on along
    its own rows of ink across gaps of at most ``dash_gap``.

    A thin line thresholded while askew (a photocopy, a bilevel scan) is a staircase: dashes a
    pixel apart across the line, broken every few dozen pixels where the line straddled two
    rows and neither came out dark. The opening keeps only the stretches that happen to be as
    long as a ruling; from each, the ruling goes on while there is ink within a pixel of its
    rows and paper a point beyond them (a line's ink, not a character's), gap after short gap.
    A ruling it crosses is such a gap; print in the ruling's rows (a number in the next cell,
    where the ruling ends at a merged cell) is a long one, and so are a seal's speckles.
    (Stretches shorter than ``length`` grown the same way find more of a photocopy's rulings,
    but also, on clean scans, rulings out of dashes and the strokes of ``一``: ``scan_dashes``
    takes such dashes only between rulings across them.)
    """
    opened = _opened(binary, length, vertical=vertical)
    if vertical:
        opened, binary = transposed(opened), transposed(binary)
    count, _, stats = components(opened)
    gap, thickest = pixels(settings.dash_gap, dpi), pixels(settings.max_thickness, dpi)
    clear, step_gap = pixels(1.0, dpi), pixels(settings.max_step_gap, dpi)
    grown = opened.copy()
    for label in range(1, count):
        x, y = int(stats[label, cv2.CC_STAT_LEFT]), int(stats[label, cv2.CC_STAT_TOP])
        w, h = int(stats[label, cv2.CC_STAT_WIDTH]), int(stats[label, cv2.CC_STAT_HEIGHT])
        if h > thickest:
            continue
        # Ink on the ruling's rows with paper just off them: a line's, not a character's.
        thin = thin_run(binary, y, h, clear)
        thin[x : x + w] = True
        first, last = _dashes_around(np.flatnonzero(thin), x, gap, step_gap, settings.step_gap)
        # A side's part is the ruling's when ink covers most of it (a seal's remains past a
        # table's corner do not).
        if first >= x or thin[first:x].mean() < settings.dash_cover:
            first = x
        if last < x + w or thin[x + w : last + 1].mean() < settings.dash_cover:
            last = x + w - 1
        grown[y : y + h, first:x] = 255
        grown[y : y + h, x + w : last + 1] = 255
    return transposed(grown) if vertical else grown


def _dashes_around(ink: npt.NDArray[np.intp], at: int, gap: int, cap: int, share: float) -> tuple[int, int]:
    """The first and last of the positions ``ink`` (sorted) in the dashes around ``at``: runs
    whose gaps are at most ``gap``, joined across a longer gap (up to ``cap``) where it is at
    most ``share`` of the dashes either side. A shallow staircase (a ruling copied less than a
    degree askew) has steps of a hundred pixels and breaks as long as a character between them;
    a ruling that stops at a merged cell and goes on past it leaves a gap of the cell's width.
    """
    breaks = np.flatnonzero(np.diff(ink) > gap + 1)
    starts = [int(ink[0]), *(int(ink[b + 1]) for b in breaks)]
    ends = [*(int(ink[b]) for b in breaks), int(ink[-1])]
    k = max(0, int(np.searchsorted(starts, at, side="right")) - 1)
    left = right = k

    def joins(a: int, b: int) -> bool:
        space = starts[b] - ends[a] - 1
        return space <= cap and space <= share * min(ends[a] - starts[a] + 1, ends[b] - starts[b] + 1)

    while left > 0 and joins(left - 1, left):
        left -= 1
    while right < len(starts) - 1 and joins(right, right + 1):
        right += 1
    return starts[left], ends[right]


def binary_to_masks(
    binary: Image, dpi: float, settings: ScanSettings = DEFAULT_SCAN_SETTINGS
) -> tuple[Image, Image]:
    """The horizontal and the vertical rulings' pixels of an upright page: runs as long as a
    ruling (``_grown``) and a copy's dashed ones (``scan_dashes``), small gaps bridged."""
    length = ruling_length(binary, dpi, settings)
    bridge = pixels(settings.bridge, dpi) + 1
    solid = (
        _grown(binary, length, dpi, settings, vertical=False),
        _grown(binary, length, dpi, settings, vertical=True),
    )
    sizes = DashSizes(
        length=length,
        close=pixels(settings.dash_close, dpi),
        thickest=pixels(settings.max_thickness, dpi),
        reach=pixels(settings.bridge, dpi),
        clear=pixels(1.0, dpi),
        max_gap=pixels(settings.max_step_gap, dpi),
        share=settings.dash_share,
        stroke=pixels(settings.max_stroke, dpi),
    )
    across, down = rulings_with_dashes(solid, binary, sizes)
    masks = []
    for vertical, found in ((False, across), (True, down)):
        shape = (1, bridge) if vertical else (bridge, 1)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape)
        masks.append(np.asarray(cv2.morphologyEx(found, cv2.MORPH_CLOSE, kernel), dtype=np.uint8))
    return masks[0], masks[1]


@dataclass(frozen=True)
class Pieces:
    """The connected pieces of one direction's ruling mask, in the frame where they run along the
    rows (a vertical mask's is the transposed page): ``scan_dashes.components``."""

    labels: Labels
    stats: npt.NDArray[np.int32]


def mask_to_pieces(mask: Image, *, vertical: bool) -> Pieces:
    """The pieces of a ruling mask, labelled once for ``pieces_to_grid``, ``pieces_to_lines`` and
    ``_meeting`` alike."""
    _, labels, stats = components(transposed(mask) if vertical else mask)
    return Pieces(labels=labels, stats=stats)


def pieces_to_grid(
    pieces: tuple[Pieces, Pieces], binary: Image, dpi: float, settings: ScanSettings = DEFAULT_SCAN_SETTINGS
) -> tuple[Mask, Mask]:
    """Which pieces, horizontal and vertical, are a table's rulings and not a character's strokes.

    A large character (14–16 pt) has strokes as long as a short ruling, crossing each other or
    meeting at a corner (十 in 计, 上): taken for rulings that meet one across, they were painted
    out of the text (上年结转 read -年结转, 小计 小). A piece longer than ``max_stroke`` is a
    ruling; a shorter one only where both its ends reach a ruling across (a cell's side between
    the rows' rulings), checked again against what that adds until nothing changes. A stroke
    ends in paper or at another stroke; one that touches a ruling (其 set close to the cell's
    side) meets it at one end only. A character that fills its row may reach the rulings at both
    ends with a stem, but its strokes cross the stem (``scan_strokes.crossed``); no ruling's cross a cell's
    side. Last, pieces that meet only each other within a large character's size are a
    heading's strokes (``scan_strokes``), however long each is.
    """
    stroke, reach = pixels(settings.max_stroke, dpi), pixels(settings.bridge, dpi)
    frames = (binary, binary.T)
    keep = [np.asarray(p.stats[:, cv2.CC_STAT_WIDTH] > stroke) for p in pieces]
    for found in keep:
        found[0] = False
    changed = True
    while changed:
        changed = False
        for v in (0, 1):
            # The other direction's frame is this one's transposed: its rows are these columns.
            other, across = pieces[1 - v].labels, keep[1 - v]
            for label in np.flatnonzero(~keep[v])[1:]:
                x, y, w, h = (int(n) for n in pieces[v].stats[label, :4])
                rows = slice(max(0, y - reach), y + h + reach)
                ends = (
                    other[max(0, x - reach) : x + reach + 1, rows],
                    other[max(0, x + w - 1 - reach) : x + w + reach, rows],
                )
                if not all(across[end].any() for end in ends):
                    continue
                inside = slice(x + reach + 1, max(x + reach + 1, x + w - reach - 1))
                ruled = np.asarray(across[other[inside, rows]].any(axis=1))
                if not crossed(frames[v], inside, y, h, pixels(1.0, dpi), ruled):
                    keep[v][label] = changed = True
    for v, label in _headings((pieces[0], pieces[1]), (keep[0], keep[1]), reach, stroke):
        keep[v][label] = False
    return keep[0], keep[1]


def _headings(
    pieces: tuple[Pieces, Pieces], keep: tuple[Mask, Mask], reach: int, stroke: int
) -> list[tuple[int, int]]:
    """The kept pieces (direction, label) that are a heading's strokes (``scan_strokes``)."""
    kept = [(v, int(label)) for v in (0, 1) for label in np.flatnonzero(keep[v])]
    # Each piece's box on the page (x0, y0, x1, y1): a vertical piece's frame is the transposed page.
    boxes = np.empty((len(kept), 4), dtype=np.int64)
    for i, (v, label) in enumerate(kept):
        x, y, w, h = (int(n) for n in pieces[v].stats[label, :4])
        boxes[i] = (x, y, x + w, y + h) if v == 0 else (y, x, y + h, x + w)
    vertical = np.array([v == 1 for v, _ in kept], dtype=bool)
    return [kept[i] for i in heading_strokes(boxes, vertical, reach, stroke)]


def pieces_to_lines(
    pieces: Pieces, keep: Mask, dpi: float, *, vertical: bool, settings: ScanSettings = DEFAULT_SCAN_SETTINGS
) -> list[Line]:
    """One segment per connected piece of a ruling mask that ``keep`` says is a ruling, in points.

    A piece is placed at the rows (columns, for a vertical one) where it runs longest: a ruling
    through a blot of ink (a seal printed black, its solid star) joins the blot in the mask,
    and the blot's middle is not the ruling's. A piece that runs as long over more rows than a
    ruling is thick (``max_thickness``) is a blot itself, no ruling.
    """
    scale = 72.0 / dpi
    thickest = pixels(settings.max_thickness, dpi)
    lines = []
    for label in np.flatnonzero(keep):
        x, y, w, h = (int(n) for n in pieces.stats[label, :4])
        if h <= 2:
            at = y + h / 2
        else:
            runs = (pieces.labels[y : y + h, x : x + w] == label).sum(axis=1)
            longest = np.flatnonzero(runs >= 0.5 * runs.max())
            if len(longest) > thickest:
                continue
            at = y + float(np.average(longest, weights=runs[longest])) + 0.5
        lines.append(Line(vertical=vertical, at=at * scale, start=x * scale, end=(x + w) * scale))
    return lines


def _meeting(
    masks: tuple[Image, Image], pieces: tuple[Pieces, Pieces], keep: tuple[Mask, Mask], reach: int
) -> Image:
    """The pixels of the rulings ``keep`` says are a table's that touch one across or come within
    ``reach`` pixels of one (a photocopy's ruling may stop short of the one it meets), on the
    page. Pieces are taken out of the masks one by one, in their boxes: looking every pixel's
    label up costs more than the few pieces that go."""
    frames = [masks[0].copy(), transposed(masks[1])]
    for v in (0, 1):
        for label in np.flatnonzero(~keep[v])[1:]:
            _erase(frames[v], pieces[v], int(label))
    window = np.ones((2 * reach + 1, 2 * reach + 1), dtype=np.uint8)
    # Near the other direction's rulings, in this direction's frame (its transposed).
    near = [cv2.dilate(transposed(frames[1 - v]), window) for v in (0, 1)]
    for v in (0, 1):
        for label in np.flatnonzero(keep[v]):
            x, y, w, h = (int(n) for n in pieces[v].stats[label, :4])
            if not near[v][y : y + h, x : x + w][pieces[v].labels[y : y + h, x : x + w] == label].any():
                _erase(frames[v], pieces[v], int(label))
    return np.asarray(cv2.bitwise_or(frames[0], transposed(frames[1])), dtype=np.uint8)


def _erase(frame: Image, pieces: Pieces, label: int) -> None:
    x, y, w, h = (int(n) for n in pieces.stats[label, :4])
    frame[y : y + h, x : x + w][pieces.labels[y : y + h, x : x + w] == label] = 0


def _unruled(ruled: Mask, line: Line, start: float, end: float, scale: float, thickness: int) -> None:
    """Clear ``ruled`` along ``line`` from ``start`` to ``end`` (points), ``thickness`` pixels either
    side of it."""
    along = slice(max(0, int(start / scale)), int(end / scale) + 2)
    across = slice(max(0, int(line.at / scale) - thickness), int(line.at / scale) + thickness + 1)
    if line.vertical:
        ruled[along, across] = False
    else:
        ruled[across, along] = False


@dataclass(frozen=True)
class ScanRulings:
    """The rulings of an upright page, and its ink with them painted over with paper (what OCR
    reads: a detector that sees a ruling beside a number takes it into the number's line, and the
    recogniser reads it as 1 or 丨)."""

    lines: tuple[Line, ...]
    text_ink: Image


def ink_to_rulings(ink: Image, dpi: float, settings: ScanSettings = DEFAULT_SCAN_SETTINGS) -> ScanRulings:
    """The rulings of an upright page's ink (``deskew`` it first), horizontal ones first."""
    binary = ink_to_binary(ink, dpi, settings)
    across, down = binary_to_masks(binary, dpi, settings)
    pieces = (mask_to_pieces(across, vertical=False), mask_to_pieces(down, vertical=True))
    grid = pieces_to_grid(pieces, binary, dpi, settings)
    found = (
        *pieces_to_lines(pieces[0], grid[0], dpi, vertical=False, settings=settings),
        *pieces_to_lines(pieces[1], grid[1], dpi, vertical=True, settings=settings),
    )
    scale = 72.0 / dpi
    sizes = StrokeSizes(
        tolerance=settings.bridge,
        stroke=settings.max_stroke,
        thickness=settings.max_thickness / 2,
        reach=pixels(2.0, dpi),
    )
    trimmed = overshoots(found, binary, scale, sizes)
    lines = tuple(t.line for t in trimmed)
    # Only rulings that meet a ruling across them are painted over: a heading's strokes (a 16 pt
    # character's are longer than ``min_ruling``) meet none and must stay for OCR to read, and a
    # large character's in a cell are no rulings (``pieces_to_grid``). The ruling's blurred edges
    # go too, a pixel either side.
    reach = pixels(settings.bridge, dpi)
    ruled = cv2.dilate(_meeting((across, down), pieces, grid, reach), np.ones((3, 3), dtype=np.uint8)) > 0
    # The strokes rulings ran on into are text: not painted over.
    thickness = pixels(settings.max_thickness, dpi)
    for t in trimmed:
        for start, end in t.strokes:
            _unruled(ruled, t.line, start, end, scale, thickness)
    text_ink = ink.copy()
    text_ink[ruled] = int(np.percentile(ink[::4, ::4], 90))
    return ScanRulings(lines=lines, text_ink=text_ink)
