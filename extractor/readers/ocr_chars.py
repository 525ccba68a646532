"""A recognised line's characters placed on the page, where the recogniser saw them.

``ocr._read_lines`` turns the page's text lines into ``TextLine`` readings; ``line_to_chars``
makes each a run of ``pdf_page.Char`` in points, as a digital page's text layer gives them, so
that the text step joins, splits and spaces them alike. Where each character was seen and how
surely come from the engine's account of its reading (``character_centres``,
``character_confidences``).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from extractor.normalise.text import is_cjk
from extractor.readers.pdf_page import Char, Line

#: A text line's box is this many times the height of its characters' font size: the detector
#: pads what it finds (measured on 10 pt print).
BOX_TO_FONT = 1.3


@dataclass(frozen=True)
class TextLine:
    """A detected text line: its box on the page image (pixels) and how it was read."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    #: The centre of each character along the line, from its start, in the line box's pixels;
    #: None where the engine placed no character.
    centres: tuple[float, ...] | None
    confidences: tuple[float, ...]
    #: Text set one character under the other (a narrow merged cell's 项 目 支 出).
    vertical: bool


def char_width(text: str) -> float:
    """A character's width in font sizes: CJK characters (and full-width forms) are square, Latin
    letters, digits and their punctuation about half as wide."""
    return 1.0 if is_cjk(text) or "\uff00" <= text <= "\uffef" or "\u3000" <= text <= "\u303f" else 0.5


def line_to_chars(line: TextLine, scale: float, rulings: Sequence[Line] = ()) -> list[Char]:
    """The characters of a recognised line, in points (``scale``: points per pixel).

    Each character stands at the centre the engine saw it at, or, where it gave none, at its
    share of the line by width (``char_width``). The characters of a run without a space touch,
    so that the text step reads no word space into a number (``1,234.56``) where the engine saw
    none; a run is cut where the line crosses a vertical ruling, so that text of two cells the
    detector took for one line is two runs, one in each cell.
    """
    if line.vertical:
        return _vertical_chars(line, scale)
    top, bottom = line.top * scale, line.bottom * scale
    size = (bottom - top) / BOX_TO_FONT
    widths = [char_width(c) * size for c in line.text]
    x0 = line.x0 * scale
    if line.centres is not None:
        centres = [x0 + c * scale for c in line.centres]
    else:
        total = sum(widths)
        room = (line.x1 - line.x0) * scale
        centres, at = [], x0
        for w in widths:
            centres.append(at + w / 2 * room / total)
            at += w * room / total
    middle = (top + bottom) / 2
    walls = sorted(r.at for r in rulings if r.start <= middle <= r.end)
    edges = [(c - w / 2, c + w / 2) for c, w in zip(centres, widths, strict=True)]
    for i in range(len(edges) - 1):
        here, there = line.text[i], line.text[i + 1]
        if here.isspace() or there.isspace() or _wall_between(walls, centres[i], centres[i + 1]):
            continue
        meet = (centres[i] * widths[i + 1] + centres[i + 1] * widths[i]) / (widths[i] + widths[i + 1])
        edges[i] = (edges[i][0], meet)
        edges[i + 1] = (meet, edges[i + 1][1])
    return [
        Char(text=t, x0=a, x1=max(b, a), top=top, bottom=bottom, size=size, confidence=conf)
        for t, (a, b), conf in zip(line.text, edges, line.confidences, strict=True)
    ]


def _wall_between(walls: Sequence[float], left: float, right: float) -> bool:
    index = bisect.bisect_right(walls, left)
    return index < len(walls) and walls[index] < right


def _vertical_chars(line: TextLine, scale: float) -> list[Char]:
    """Text set one character under the other: each character a line of its own, top to bottom."""
    x0, x1 = line.x0 * scale, line.x1 * scale
    size = (x1 - x0) / BOX_TO_FONT
    top = line.top * scale
    if line.centres is not None:
        centres = [top + c * scale for c in line.centres]
    else:
        step = (line.bottom - line.top) * scale / max(len(line.text), 1)
        centres = [top + (i + 0.5) * step for i in range(len(line.text))]
    return [
        Char(text=t, x0=x0, x1=x1, top=c - size / 2, bottom=c + size / 2, size=size, confidence=conf)
        for t, c, conf in zip(line.text, centres, line.confidences, strict=True)
        if not t.isspace()
    ]


def character_centres(text: str, info: Any, width: int, stretch: float) -> tuple[float, ...] | None:
    """Each character's centre along the line, in the page's pixels from the line box's start
    (``width``: the crop's, ``stretch``: page pixels per pixel of the crop).

    The recogniser reads a line as a sequence of columns and says which column each character
    was taken from (CTC); ``info`` is RapidOCR's account of it: the number of columns the text
    spans, the characters' columns grouped by word, the words' scripts, the confidences.
    """
    try:
        columns, words = float(info[0]), info[2]
        positions = [int(col) for word in words for col in word]
    except (TypeError, ValueError, IndexError):
        return None
    if len(positions) != len(text) or columns <= 0:
        return None
    step = width / columns
    return tuple((col + 0.5) * step * stretch for col in positions)


def character_confidences(text: str, info: Any, score: float) -> tuple[float, ...]:
    """The engine's confidence in each character; the line's where it gives none per character."""
    try:
        values = [float(v) for v in info[4]]
    except (TypeError, ValueError, IndexError):
        values = []
    return tuple(values) if len(values) == len(text) else (score,) * len(text)
