"""What the PDF reader needs of a page, whichever library read it.

The grid and text steps (``pdf``, ``pdf_rulings``) consume only :class:`PageGeometry`: the
page's upright characters with their boxes and sizes, and the straight segments its paths
draw. Two backends produce it: ``pdfium`` (:mod:`extractor.readers.pdf_pdfium`, the default,
several times faster) and ``pdfplumber`` (:mod:`extractor.readers.pdf_plumber`, pdfminer's
interpreter); both give the same tables on every golden and real document.

A page is read in two steps so that a page without a table costs little: its segments and
whether it holds text come first, and its characters only when ``wants_chars`` says the
segments could rule a table.


Which backend reads a file, and when pdfminer reads a page again, is
:mod:`extractor.readers.pdf_backends`; this module holds only the types both backends share.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from extractor.model import Issue

PDF_BACKENDS = ("pdfium", "pdfplumber")
DEFAULT_PDF_BACKEND = "pdfium"
#: The media box of a page that states no usable one: US Letter, which PDFium and pdfminer assume.
DEFAULT_MEDIABOX = (0.0, 0.0, 612.0, 792.0)

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Char:
    """One printed character; boxes in points, origin top-left, as pdfplumber reports them.

    ``top`` and ``bottom`` come from the font's descent and size (pdfminer's box), not from
    the glyph's ink, so that every character of a line shares them whatever its shape.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    #: How sure the OCR engine was of this character, 0 to 1; None for a character the page's
    #: text layer holds (no guess was made).
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """A straight ruling: at x = ``at`` from y = ``start`` to ``end`` if ``vertical``, else at
    y = ``at`` from x = ``start`` to ``end``."""

    vertical: bool
    at: float
    start: float
    end: float


@dataclass(frozen=True)
class PageGeometry:
    """One page as the reader sees it.

    ``lines`` are the horizontal and vertical segments of every path drawn on the page (lines,
    rectangle sides, polygon sides), as drawn: snapping and joining are the reader's steps.
    ``chars`` are the upright characters (rotated text, such as stamps and watermarks, is not
    table text), empty when the page was not worth reading them for; ``has_text`` says
    whether the page holds any upright character all the same, ``shows_text`` whether its
    content shows any text at all, upright or not (the backend's own evidence, against which
    its reading is checked). ``issues`` are warnings about how the page was read.
    """

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    chars: tuple[Char, ...]
    has_text: bool
    has_images: bool
    shows_text: bool
    issues: tuple[Issue, ...] = ()


def is_white(components: tuple[float, ...]) -> bool:
    """Whether a colour, as the PDF states it (gray, RGB or CMYK components from 0 to 1), is white.

    Word and Excel paint every cell's background as a white filled rectangle; its sides rule
    nothing a reader can see, yet they would split rows and columns where no line is drawn.
    """
    if len(components) == 4:
        return all(v == 0 for v in components)
    return bool(components) and all(v == 1 for v in components)


WantsChars = Callable[[PageGeometry], bool]
"""Asked with a page's geometry before its characters are read (``chars`` still empty)."""


def usable_box(values: object) -> Box | None:
    """A page box as PDF allows it to be written (any two opposite corners), lower left corner
    first; None for anything else a file may hold there: nothing, a string, fewer than four
    numbers, a box without area."""
    if not isinstance(values, list | tuple) or len(values) != 4:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values):
        return None
    x0, x1 = sorted((float(values[0]), float(values[2])))
    y0, y1 = sorted((float(values[1]), float(values[3])))
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def default_box_issue(page_number: int) -> Issue:
    return Issue(
        code="page_box_defaulted",
        message=f"page {page_number} states no usable MediaBox; it was read as US Letter (612 × 792 pt)",
        page=page_number,
    )
