"""Which library reads a PDF's pages, and when the reference reads a page again.

Two backends turn pages into :class:`~extractor.readers.pdf_page.PageGeometry`: ``pdfium``
(:mod:`extractor.readers.pdf_pdfium`, the default, several times faster) and ``pdfplumber``
(:mod:`extractor.readers.pdf_plumber`, pdfminer's interpreter, the reference); a backend's
library is imported only when it is asked for.

A fast backend's gap costs speed, never data: a page whose content shows text (text objects,
in any direction) but from which it collected no upright character, or none when they were
wanted, is read again by pdfminer (``with_second_reading``). When pdfminer finds text there,
its reading of the page replaces the fast one and the page carries a ``backend_fallback``
warning; when it finds none either (a page of rotated text only, a stamp), the fast reading
stands and nothing is said. A page that may paint with a pattern is read by pdfminer too, and
silently: PDFium cannot tell a pattern's colour from white (``pdf_pdfium``).
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.errors import CorruptDocument, EncryptedDocument
from extractor.model import Issue
from extractor.readers.budget import Budget
from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND, PDF_BACKENDS, PageGeometry, WantsChars

if TYPE_CHECKING:
    from pdfplumber.pdf import PDF


def read_pages(
    path: Path, wants_chars: WantsChars, *, backend: str = DEFAULT_PDF_BACKEND, objects: Budget | None = None
) -> Iterator[PageGeometry]:
    """The pages of the PDF at ``path`` in order, read by ``backend`` (one of ``PDF_BACKENDS``),
    ``objects`` bounding what each page may draw.

    Raises ``EncryptedDocument`` or ``CorruptDocument`` (while iterating) when the file cannot
    be read, ``TooLarge`` for a page that draws too much. A backend's library is imported only
    when it is asked for.
    """
    if backend == "pdfium":
        from extractor.readers.pdf_pdfium import read_pages as pdfium_pages

        return with_second_reading(path, pdfium_pages(path, wants_chars, objects), wants_chars, objects)
    if backend == "pdfplumber":
        from extractor.readers.pdf_plumber import read_pages as pdfplumber_pages

        return pdfplumber_pages(path, wants_chars, objects)
    raise ValueError(f"unknown PDF backend {backend!r}; choose one of {', '.join(PDF_BACKENDS)}")


def with_second_reading(
    path: Path, pages: Iterator[PageGeometry], wants_chars: WantsChars, objects: Budget | None = None
) -> Iterator[PageGeometry]:
    """``pages`` as the pdfium backend read them, with pdfminer's reading of the pages it may have
    read wrongly: those it lost text from (warned) and those that paint with a pattern (silently:
    PDFium reports a shading pattern's colour as white, so the sides of a gradient would be
    taken for a white cell background's; ``pdf_pdfium``).
    """
    with _Reference(path, objects) as reference:
        for page in pages:
            if page.number in reference.patterned:
                yield reference.read_again(page, wants_chars, reason=None)
                continue
            reason = lost_text(page, wants_chars)
            yield page if reason is None else reference.read_again(page, wants_chars, reason=reason)


class _Reference:
    """The PDF as pdfminer reads it, parsed only when a page needs it (most PDFs never do)."""

    def __init__(self, path: Path, objects: Budget | None) -> None:
        self.path = path
        self.objects = objects
        self._stack = ExitStack()

    def __enter__(self) -> _Reference:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    @cached_property
    def pdf(self) -> PDF:
        from extractor.readers import pdf_plumber

        return self._stack.enter_context(pdf_plumber.opened(self.path, self.objects))

    @cached_property
    def patterned(self) -> frozenset[int]:
        """The pages whose resources, or a form's, name a pattern (none when pdfminer cannot tell)."""
        from extractor.readers import pdf_plumber

        if not may_paint_patterns(self.path):
            return frozenset()
        try:
            return pdf_plumber.pages_naming_patterns(self.path, self.pdf)
        except (CorruptDocument, EncryptedDocument):
            return frozenset()

    def read_again(self, page: PageGeometry, wants_chars: WantsChars, *, reason: str | None) -> PageGeometry:
        """pdfminer's reading of ``page``; with a ``reason`` (the first reading may have lost text),
        kept and warned only when it found text the first did not."""
        from extractor.readers import pdf_plumber

        try:
            again = pdf_plumber.read_page(self.path, self.pdf, page.number, wants_chars)
        except (CorruptDocument, EncryptedDocument) as exc:
            why = reason or "it paints with a pattern, whose colour pdfium does not report"
            message = f"page {page.number}: {why}; pdfminer could not read it again ({exc.message})"
            return replace(page, issues=(*page.issues, fallback_issue(page.number, message)))
        if reason is None:
            return again
        if (again.has_text and not page.has_text) or (prints(again) and not prints(page)):
            message = f"page {page.number}: {reason}; it was read again with pdfminer"
            return replace(again, issues=(*again.issues, fallback_issue(page.number, message)))
        return page


def may_paint_patterns(path: Path) -> bool:
    """Whether any page of the PDF could paint with a pattern, told from its bytes without parsing.

    A pattern is named in a resource dictionary under ``/Pattern``; such a dictionary is either
    written as it is, or compressed in an object stream (``/ObjStm``).
    """
    with path.open("rb") as file:
        if not os.fstat(file.fileno()).st_size:
            return False
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(b"/Pattern") >= 0 or data.find(b"/ObjStm") >= 0


def lost_text(page: PageGeometry, wants_chars: WantsChars) -> str | None:
    """Why the fast reading of ``page`` may have lost text, or None when it cannot have."""
    if not page.shows_text:
        return None
    if not page.has_text:
        return "the fast reader found no upright character although the page shows text"
    if not prints(page) and wants_chars(page):
        return "the fast reader collected no character although the page shows text"
    return None


def prints(page: PageGeometry) -> bool:
    """Whether any character collected from the page is more than a space."""
    return any(not char.text.isspace() for char in page.chars)


def fallback_issue(page_number: int, message: str) -> Issue:
    return Issue(code="backend_fallback", message=message, page=page_number)
