"""What the PDF reader needs of a page, whichever library read it.

The grid and text steps (``pdf``, ``pdf_rulings``) consume only :class:`PageGeometry`: the
page's upright characters with their boxes and sizes, and the straight segments its paths
draw. Two backends produce it: ``pdfium`` (:mod:`extractor.readers.pdf_pdfium`, the default,
several times faster) and ``pdfplumber`` (:mod:`extractor.readers.pdf_plumber`, pdfminer's
interpreter); both give the same tables on every golden and real document.

A page is read in two steps so that a page without a table costs little: its segments and
whether it holds text come first, and its characters only when ``wants_chars`` says the
segments could rule a table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PDF_BACKENDS = ("pdfium", "pdfplumber")
DEFAULT_PDF_BACKEND = "pdfium"


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
    whether the page holds any upright character all the same.
    """

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    chars: tuple[Char, ...]
    has_text: bool
    has_images: bool


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


def read_pages(
    path: Path, wants_chars: WantsChars, *, backend: str = DEFAULT_PDF_BACKEND
) -> Iterator[PageGeometry]:
    """The pages of the PDF at ``path`` in order, read by ``backend`` (one of ``PDF_BACKENDS``).

    Raises ``EncryptedDocument`` or ``CorruptDocument`` (while iterating) when the file cannot
    be read. A backend's library is imported only when it is asked for.
    """
    if backend == "pdfium":
        from extractor.readers.pdf_pdfium import read_pages as pdfium_pages

        return pdfium_pages(path, wants_chars)
    if backend == "pdfplumber":
        from extractor.readers.pdf_plumber import read_pages as pdfplumber_pages

        return pdfplumber_pages(path, wants_chars)
    raise ValueError(f"unknown PDF backend {backend!r}; choose one of {', '.join(PDF_BACKENDS)}")
