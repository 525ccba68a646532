"""The pdfplumber backend of the PDF reader: pdfminer interprets each page, in pure Python.

It is the reference the goldens were made with, and stays selectable (``--pdf-backend
pdfplumber``); :mod:`extractor.readers.pdf_pdfium` gives the same tables several times faster.
It also reads again, one at a time, the pages from which the fast backend lost text
(``opened`` and ``read_page``, used by ``pdf_backends.read_pages``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from pdfminer.layout import LTPage
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream, resolve1, resolve_all
from pdfminer.psexceptions import PSException
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
from pdfplumber.utils.geometry import curve_to_edges, line_to_edge, rect_to_edges

from extractor.errors import CorruptDocument, EncryptedDocument, ExtractorError
from extractor.model import Issue
from extractor.readers.budget import Budget
from extractor.readers.pdf_page import (
    DEFAULT_MEDIABOX,
    Char,
    Line,
    PageGeometry,
    WantsChars,
    default_box_issue,
    is_white,
    usable_box,
)

#: Page boxes pdfplumber reads besides the media box; one that is no rectangle is left out.
_OTHER_BOXES = ("CropBox", "TrimBox", "BleedBox", "ArtBox")


class _PDF(PDF):
    """pdfplumber's PDF, its pages built from page dictionaries made readable first.

    pdfminer and pdfplumber take a page's boxes and /Rotate as the file writes them, and fail on
    a page without a MediaBox, with a string, names or three numbers for one, or with a /Rotate
    that is no number (a TypeError or IndexError, which would be reported as a bug of ours).
    PDFium reads such a page as US Letter, unturned: so does this backend, with a
    ``page_box_defaulted`` warning for the box. ``budget`` bounds what each page may draw.
    """

    page_issues: dict[int, tuple[Issue, ...]]
    budget: Budget | None = None

    @property
    def pages(self) -> list[Page]:
        if not hasattr(self, "_built"):
            self.page_issues = {}
            self._built: list[Page] = []
            doctop = 0.0
            for number, page_obj in enumerate(_page_objects(self), start=1):
                if page_obj.box_defaulted:
                    self.page_issues[number] = (default_box_issue(number),)
                page = _Page(self, page_obj, page_number=number, initial_doctop=doctop)
                self._built.append(page)
                doctop += float(page.height)
        return self._built


class _Page(Page):
    """pdfplumber's page, laid out by a device that counts what it builds against the page's budget.

    pdfminer interprets a page as it lays it out, a form each time it is drawn, so the count
    stops a page that draws millions of objects before they are built.
    """

    @property
    def layout(self) -> LTPage:
        if not hasattr(self, "_layout"):
            budget = self.pdf.budget if isinstance(self.pdf, _PDF) else None
            device = _CountingDevice(
                None if budget is None else budget.fresh(f"page {self.page_number}"),
                self.pdf.rsrcmgr,
                pageno=self.page_number,
                laparams=self.pdf.laparams,
            )
            try:
                PDFPageInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
            except ExtractorError:
                raise
            except Exception as exc:  # as pdfplumber's own layout: any failure of pdfminer's
                raise PdfminerException(exc) from exc
            self._layout: LTPage = device.get_result()
        return self._layout


class _CountingDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device, spending ``budget`` on each character, path (and its segments), image
    and form it builds."""

    def __init__(self, budget: Budget | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self._spend(1)
        return float(super().render_char(*args, **kwargs))

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        path = kwargs.get("path", args[-1] if args else ())
        self._spend(1 + len(path))
        super().paint_path(*args, **kwargs)

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        self._spend(1)
        super().render_image(*args, **kwargs)

    def begin_figure(self, *args: Any, **kwargs: Any) -> None:
        self._spend(1)
        super().begin_figure(*args, **kwargs)

    def _spend(self, amount: int) -> None:
        if self.budget is not None:
            self.budget.spend(amount)


class _ReadablePage(PDFPage):
    """A page whose attributes are put right, in place, before pdfminer reads them."""

    def __init__(self, doc: PDFDocument, pageid: object, attrs: object, label: str | None = None) -> None:
        self.box_defaulted = isinstance(attrs, dict) and _made_readable(attrs)
        super().__init__(doc, pageid, attrs, label)


def _page_objects(pdf: PDF) -> Iterator[_ReadablePage]:
    """The PDF's pages as pdfminer finds them; a page tree it cannot walk is damage, as pdfplumber
    reports it."""
    pages = _ReadablePage.create_pages(pdf.doc)
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except Exception as exc:  # any failure of pdfminer's, as pdfplumber wraps it
            raise PdfminerException(exc) from exc
        assert isinstance(page, _ReadablePage)
        yield page


def _made_readable(attrs: dict[str, Any]) -> bool:
    """Leave out the boxes that are no rectangle and a /Rotate that is no number, and write the
    media box lower left corner first (pdfminer would move the page by its first corner, PDFium
    orders them); whether the media box had to be taken to be US Letter."""
    for name in _OTHER_BOXES:
        if name in attrs and usable_box(resolve_all(attrs[name])) is None:
            del attrs[name]
    if not isinstance(resolve_all(attrs.get("Rotate", 0)), int):
        attrs["Rotate"] = 0
    stated = resolve_all(attrs.get("MediaBox"))
    box = usable_box(stated)
    if box is None:
        attrs["MediaBox"] = list(DEFAULT_MEDIABOX)
        return True
    if list(box) != [float(v) for v in stated]:
        attrs["MediaBox"] = list(box)
    return False


def read_pages(path: Path, wants_chars: WantsChars, objects: Budget | None = None) -> Iterator[PageGeometry]:
    """Every page of the PDF at ``path``, ``objects`` bounding what each may draw; pdfminer's errors
    become the extractor's."""
    with opened(path, objects) as pdf, pdfminer_errors(path):
        for page in pdf.pages:
            yield _read_and_close(page, wants_chars)


@contextmanager
def opened(path: Path, objects: Budget | None = None) -> Iterator[_PDF]:
    """The PDF at ``path`` open for ``read_page``, ``objects`` bounding what each page may draw;
    pdfminer's errors become the extractor's."""
    with pdfminer_errors(path):
        pdf = _PDF.open(path)
    assert isinstance(pdf, _PDF)
    pdf.budget = objects
    try:
        yield pdf
    finally:
        pdf.close()


def read_page(path: Path, pdf: PDF, number: int, wants_chars: WantsChars) -> PageGeometry:
    """Page ``number`` (from 1) of ``pdf``, the PDF at ``path`` ``opened``."""
    with pdfminer_errors(path):
        if not 1 <= number <= len(pdf.pages):
            raise CorruptDocument(f"{path.name}: pdfminer finds no page {number} in the PDF.")
        return _read_and_close(pdf.pages[number - 1], wants_chars)


def pages_naming_patterns(path: Path, pdf: PDF) -> frozenset[int]:
    """The pages (from 1) of ``pdf`` whose resources, or those of a form they draw, name a pattern."""
    with pdfminer_errors(path):
        return frozenset(
            page.page_number for page in pdf.pages if _names_pattern(page.page_obj.resources, set())
        )


def _names_pattern(resources: object, seen: set[int]) -> bool:
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return False
    if resolve1(resources.get("Pattern")):
        return True
    xobjects = resolve1(resources.get("XObject"))
    if not isinstance(xobjects, dict):
        return False
    for xobject in xobjects.values():
        stream = resolve1(xobject)
        if isinstance(stream, PDFStream) and id(stream) not in seen:
            seen.add(id(stream))
            if _names_pattern(stream.attrs.get("Resources"), seen):
                return True
    return False


def _read_and_close(page: Page, wants_chars: WantsChars) -> PageGeometry:
    try:
        geometry = page_to_geometry(page, wants_chars)
        issues = page.pdf.page_issues.get(page.page_number, ()) if isinstance(page.pdf, _PDF) else ()
        return replace(geometry, issues=issues) if issues else geometry
    finally:
        # Parsed objects are cached per page; a long report would otherwise keep every page's
        # characters and edges in memory at once.
        page.close()


@contextmanager
def pdfminer_errors(path: Path) -> Iterator[None]:
    """pdfminer's and pdfplumber's exceptions raised within, as the extractor's."""
    try:
        yield
    except PdfminerException as exc:
        raise pdfminer_error_to_extractor_error(path, exc) from exc
    except (PSException, MalformedPDFException) as exc:
        raise CorruptDocument(f"{path.name}: the PDF is damaged and cannot be read ({exc}).") from exc


def pdfminer_error_to_extractor_error(path: Path, exc: PdfminerException) -> Exception:
    """pdfplumber wraps every parser failure in one class; tell a password from damage."""
    cause = exc.args[0] if exc.args else exc
    if isinstance(cause, ExtractorError):  # a budget spent inside pdfplumber's own calls
        return cause
    if isinstance(cause, PDFEncryptionError):
        return EncryptedDocument(
            f"{path.name}: the PDF is encrypted and needs a password; save an unprotected copy and read that."
        )
    return CorruptDocument(f"{path.name}: the PDF is damaged and cannot be read ({cause}).")


def page_to_geometry(page: Page, wants_chars: WantsChars) -> PageGeometry:
    """pdfminer parses the whole page at once, so skipping the characters saves only their copy."""
    upright = [c for c in page.chars if c["upright"] and c["text"]]
    geometry = PageGeometry(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        lines=page_to_lines(page),
        chars=(),
        has_text=bool(upright),
        has_images=bool(page.images),
        shows_text=bool(page.chars),
    )
    if not wants_chars(geometry):
        return geometry
    chars = tuple(
        Char(
            text=c["text"],
            x0=float(c["x0"]),
            x1=float(c["x1"]),
            top=float(c["top"]),
            bottom=float(c["bottom"]),
            size=float(c["size"]),
        )
        for c in upright
    )
    return replace(geometry, chars=chars)


def page_to_lines(page: Page) -> tuple[Line, ...]:
    """The segments of the page's visible paths, in ``page.edges``'s order (lines, rectangles, curves).

    Visibility is the path's: pdfplumber copies a line's or a rectangle's paint into its edges,
    but not a curve's (a polygon other than a rectangle), whose edges would all look unpainted.
    """
    edges = (
        *(line_to_edge(line) for line in page.lines if is_visible(line)),
        *(edge for rect in page.rects if is_visible(rect) for edge in rect_to_edges(rect)),
        *(edge for curve in page.curves if is_visible(curve) for edge in curve_to_edges(curve)),
    )
    return tuple(line for edge in edges if (line := edge_to_line(edge)) is not None)


def is_visible(path: dict[str, Any]) -> bool:
    """Whether a path leaves a mark: stroked or filled in a colour other than white."""
    return (bool(path.get("stroke")) and not _is_white_colour(path.get("stroking_color"))) or (
        bool(path.get("fill")) and not _is_white_colour(path.get("non_stroking_color"))
    )


def _is_white_colour(colour: object) -> bool:
    """pdfminer gives a colour as a number, a tuple of components, or a pattern's name (not white)."""
    if isinstance(colour, int | float):
        return is_white((float(colour),))
    if isinstance(colour, tuple | list) and all(isinstance(v, int | float) for v in colour):
        return is_white(tuple(float(v) for v in colour))
    return False


def edge_to_line(edge: dict[str, Any]) -> Line | None:
    """pdfplumber's edge as a segment; a diagonal piece of a polygon rules nothing.

    pdfplumber calls a lone diagonal line "v" and measures it from its leftmost x; that
    reading is kept, since the goldens were made with it.
    """
    if edge["orientation"] == "v":
        return Line(vertical=True, at=float(edge["x0"]), start=float(edge["top"]), end=float(edge["bottom"]))
    if edge["orientation"] == "h":
        return Line(vertical=False, at=float(edge["top"]), start=float(edge["x0"]), end=float(edge["x1"]))
    return None
