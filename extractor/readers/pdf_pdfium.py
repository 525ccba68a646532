"""The pdfium backend of the PDF reader: PDFium (C++) parses each page, Python only collects.

It must hand the grid and text steps what pdfminer would, so that both backends give the
same tables:

* a character's box is pdfminer's: from its origin across its advance, and from the font's
  descent up by the font size (``char_bottom``), not the glyph's ink;
* pdfium generates spaces of its own, without a position, where it guesses words end: those
  are skipped; and it leaves out of its text page every text object without ink, a space
  shown on its own, as WPS and reportlab write many: those spaces are put back from the
  objects themselves, where pdfminer has them (``inkless_spaces``). (They used to be guessed
  from the gap between two neighbours on a line, which missed a space overlapping the
  character before it and filled a jump between columns with one space as wide as the jump.)
* pdfium keeps coordinates and matrices as 32-bit floats, pdfminer as the decimals the file
  writes; each of pdfium's numbers is read back as the shortest decimal that gives the same
  32-bit float, which is the file's own number, so that ruling positions match pdfminer's
  (only what pdfium computes itself, a rectangle's far side x + width, keeps a single-precision
  error of about 1e-5 pt, which can move a printed ``bbox`` by 0.01);
* the segments are pdfminer's reading of each subpath: a lone segment is a line (a diagonal
  one, as pdfplumber has it, a vertical line at its left end), a closed axis-aligned
  four-corner loop a rectangle with four sides, anything else a polyline whose axis-aligned
  pieces count (Bézier curves by their end points; ``pdf_paths``), and form XObjects are
  entered with their matrices;
* a path painted white rules nothing (``is_white``), but PDFium reports a colour it cannot
  reduce to RGB, a shading pattern's (a gradient), as white too, and offers no way to tell the
  two apart: a page that may paint with a pattern is read by pdfminer instead
  (``pdf_backends.with_second_reading``), which sees a pattern for what it is.

Coordinates are pdfplumber's: pdfminer turns the page by its /Rotate and moves the media box's
lower left corner to the origin, and pdfplumber flips that to an origin at the top left
(``page_frame``). PScript5 through Acrobat Distiller prints a landscape page as a portrait one
whose content is drawn turned by 90° and shown upright by ``/Rotate 90``: every character is
upright only once the page is turned. Read as drawn, such a page holds no upright character: 13
of the 15 pages of a Jiangsu budget came out as ``blank_page`` (issue 13). PDFium keeps
characters where the content draws them (its /Rotate is a display matter) and measures a
character's loose box along the page's x axis only (its width is the matrix's ``a`` times the
advance), which is zero for a character turned by 90°; so a turned page is turned in memory
before its text is read (``turn_upright``: every object transformed by pdfminer's page matrix,
/Rotate cleared), and PDFium then measures upright characters exactly as on any other page. One
departure is kept: a page whose text stands upright only as drawn (a landscape table drawn
upright and shown turned, where pdfminer finds no upright text at 90° and 270°, and at 180°
takes the upside-down text for upright, as its test ``a·d > 0`` allows, and reads it mirrored)
is read as drawn.
"""

from __future__ import annotations

import ctypes
import functools
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.errors import CorruptDocument, EncryptedDocument
from extractor.readers.budget import Budget
from extractor.readers.pdf_content import check_content
from extractor.readers.pdf_fonts import FontDescents, char_bottom
from extractor.readers.pdf_page import (
    DEFAULT_MEDIABOX,
    Char,
    Line,
    PageGeometry,
    WantsChars,
    is_white,
    usable_box,
)
from extractor.readers.pdf_paths import Point, Subpath, path_to_lines

Matrix = tuple[float, float, float, float, float, float]
"""(a, b, c, d, e, f): x' = a·x + c·y + e, y' = b·x + d·y + f, as PDF writes matrices."""

_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: PDFium is not thread-safe: every use of pypdfium2 in a process holds this lock.
PDFIUM_LOCK = threading.Lock()
#: Distinct numbers remembered by ``file_number`` (a table repeats its few positions on every page).
_FILE_NUMBER_CACHE = 100_000
#: The only characters pdfium generates: spaces and line breaks (asking costs a call per character).
_GENERATED_CODES = frozenset({0x20, 0x0D, 0x0A})
#: pdfium's marker for a character whose hyphen it took as a line-end hyphenation.
_HYPHEN_MARK = 0x2
#: PDFium's text page leaves out a text object whose box (its glyphs' ink) is narrower than this.
_INKLESS_WIDTH = 0.01
#: ``FPDFText_GetTextObject`` answering addresses, numbers to key a cache by (``FontDescents``).
_text_object_address = ctypes.cast(
    pdfium_c.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
)


def read_pages(path: Path, wants_chars: WantsChars, objects: Budget | None = None) -> Iterator[PageGeometry]:
    """Every page of the PDF at ``path``, each page's memory released before the next.

    PDFium is not thread-safe: a process reads one PDF at a time through it (a Dask worker
    may run several tasks in threads; the local batch runs one file per process anyway).
    ``objects`` bounds what each page may draw: PDFium builds a whole page when it loads it, so
    the content a page draws is measured before (``pdf_content``), its objects counted after.
    """
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise pdfium_error_to_extractor_error(path, exc) from exc
        try:
            if objects is not None:
                check_content(path, len(document), objects)
            for index in range(len(document)):
                try:
                    page = document[index]
                except pdfium.PdfiumError as exc:
                    raise CorruptDocument(
                        f"{path.name}: page {index + 1} of the PDF is damaged and cannot be read ({exc})."
                    ) from exc
                try:
                    budget = objects.fresh(f"page {index + 1}") if objects is not None else None
                    yield page_to_geometry(page, index + 1, wants_chars, budget)
                finally:
                    page.close()
        finally:
            document.close()


def pdfium_error_to_extractor_error(path: Path, exc: pdfium.PdfiumError) -> Exception:
    """pdfium reports why a document did not open by a code; tell a password from damage."""
    if getattr(exc, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return EncryptedDocument(
            f"{path.name}: the PDF is encrypted and needs a password; save an unprotected copy and read that."
        )
    return CorruptDocument(f"{path.name}: the PDF is damaged and cannot be read ({exc}).")


@dataclass(frozen=True)
class Frame:
    """Where pdfplumber puts a page's points, whatever the file's own coordinates.

    pdfminer maps user space into its device space by ``matrix`` (the page's /Rotate and the
    media box's corner moved to the origin, ``PDFPageInterpreter.process_page``); pdfplumber
    then flips device space to a top-left origin and adds the media box's corner back
    (``Page.process_object``): x = X + ``x_shift``, top = (``height`` − Y) + ``top_shift``.
    """

    matrix: Matrix
    width: float
    height: float
    x_shift: float
    top_shift: float

    @property
    def turned(self) -> bool:
        """Whether the page is shown turned: its text must be turned upright before it is read."""
        a, b, c, d, _, _ = self.matrix
        return (a, b, c, d) != (1.0, 0.0, 0.0, 1.0)

    def point(self, x: float, y: float) -> Point:
        """A device-space point (after ``matrix``) in pdfplumber's page coordinates."""
        return x + self.x_shift, (self.height - y) + self.top_shift


def page_frame(mediabox: tuple[float, float, float, float], rotation: int) -> Frame:
    """pdfminer's page matrix and pdfplumber's box for a page turned by ``rotation`` degrees."""
    x0, y0, x1, y1 = mediabox
    matrix: Matrix
    if rotation == 90:
        matrix = (0.0, -1.0, 1.0, 0.0, -y0, x1)
    elif rotation == 180:
        matrix = (-1.0, 0.0, 0.0, -1.0, x1, y1)
    elif rotation == 270:
        matrix = (0.0, 1.0, -1.0, 0.0, y1, -x0)
    else:
        matrix = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
    # pdfplumber's media box: turned with the page, then flipped (``_normalize_box``, ``_invert_box``).
    left, bottom, right, top = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
    height = top - bottom
    return Frame(matrix=matrix, width=right - left, height=height, x_shift=left, top_shift=height - top)


@dataclass
class _PageObjects:
    """What a walk over the page's objects (into form XObjects) collects; ``budget`` counts the
    objects and path segments walked."""

    lines: list[Line]
    budget: Budget | None = None
    #: Every text object with the matrix its own is composed with (forms, the frame).
    texts: list[tuple[ctypes.c_void_p, Matrix]] = field(default_factory=list)
    #: Any text object at all, upright or not: evidence that the page shows text.
    shows_text: bool = False
    #: A text object whose characters pdfminer calls upright in the frame walked.
    has_text: bool = False
    #: A text object whose characters stand upright there, not upside down (which pdfminer's
    #: test allows): the frame a page is read in.
    stands_upright: bool = False
    has_images: bool = False


def page_to_geometry(
    page: pdfium.PdfPage, number: int, wants_chars: WantsChars, objects: Budget | None = None
) -> PageGeometry:
    # The page's own box; else the one PDFium uses, which it inherits from the page tree (pypdfium2's
    # get_mediabox does not) or, where none is usable, takes to be US Letter, as pdfminer does.
    box = usable_box(page.get_mediabox(fallback_ok=False)) or usable_box(page.get_bbox()) or DEFAULT_MEDIABOX
    x0, y0, x1, y1 = (file_number(v) for v in box)
    mediabox = (x0, y0, x1, y1)
    rotation = page.get_rotation()
    frame = page_frame(mediabox, rotation)
    found = _walk(page, frame, objects)
    if rotation and found.shows_text and not found.stands_upright:
        drawn = page_frame(mediabox, 0)
        as_drawn = _walk(page, drawn)
        if as_drawn.stands_upright:
            frame, found = drawn, as_drawn
    geometry = PageGeometry(
        number=number,
        width=frame.width,
        height=frame.height,
        lines=tuple(found.lines),
        chars=(),
        has_text=found.has_text,
        has_images=found.has_images,
        shows_text=found.shows_text,
    )
    if not wants_chars(geometry):
        return geometry
    return replace(geometry, chars=page_chars(page, frame, found.texts, objects))


def _walk(page: pdfium.PdfPage, frame: Frame, objects: Budget | None = None) -> _PageObjects:
    found = _PageObjects(lines=[], budget=objects)
    raw, matrix = page.raw, frame.matrix
    for index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        _collect(pdfium_c.FPDFPage_GetObject(raw, index), matrix, found, frame)
    return found


def _collect(obj: ctypes.c_void_p, outer: Matrix, found: _PageObjects, frame: Frame) -> None:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if found.budget is not None:
        path = kind == pdfium_c.FPDF_PAGEOBJ_PATH
        found.budget.spend(1 + (max(pdfium_c.FPDFPath_CountSegments(obj), 0) if path else 0))
    if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
        if not _is_visible(obj):
            return
        matrix = _multiply(_object_matrix(obj), outer)
        found.lines.extend(path_to_lines(_path_points(obj, matrix, frame)))
    elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
        found.shows_text = True
        found.texts.append((obj, outer))
        if not found.stands_upright:
            a, b, c, d, _, _ = _multiply(_object_matrix(obj), outer)
            # pdfminer's test for upright characters, in its device space (the page turned by its
            # /Rotate); rotated text is not table text.
            upright = a * d > 0 and b * c <= 0
            found.has_text = found.has_text or upright
            found.stands_upright = upright and a > 0
    elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
        found.has_images = True
    elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        matrix = _multiply(_object_matrix(obj), outer)
        for index in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            _collect(pdfium_c.FPDFFormObj_GetObject(obj, index), matrix, found, frame)


def _is_visible(path: ctypes.c_void_p) -> bool:
    """Whether a path leaves a mark: stroked or filled in a colour other than white (pdfium
    reports colours as 8-bit RGB whatever the colour space)."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(path, fill_mode, stroke):
        return True
    return bool(stroke.value and _marks(path, pdfium_c.FPDFPageObj_GetStrokeColor)) or (
        fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE and _marks(path, pdfium_c.FPDFPageObj_GetFillColor)
    )


def _marks(path: ctypes.c_void_p, get_colour: Callable[..., int]) -> bool:
    """Whether the path's stroke or fill colour (``get_colour``) shows: not white, not transparent,
    or not known."""
    red, green, blue, alpha = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not get_colour(path, red, green, blue, alpha):
        return True
    return bool(alpha.value) and not is_white((red.value / 255, green.value / 255, blue.value / 255))


def _object_matrix(obj: ctypes.c_void_p) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (
        file_number(m.a),
        file_number(m.b),
        file_number(m.c),
        file_number(m.d),
        file_number(m.e),
        file_number(m.f),
    )


@functools.lru_cache(maxsize=_FILE_NUMBER_CACHE)
def file_number(value: float) -> float:
    """The shortest decimal that is the 32-bit float ``value``: the number the file wrote."""
    single = struct.Struct("f")
    for digits in range(1, 10):
        decimal = float(f"{value:.{digits}g}")
        if single.unpack(single.pack(decimal))[0] == value:
            return decimal
    return value


def _multiply(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` applied first, then ``outer``."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _path_points(obj: ctypes.c_void_p, matrix: Matrix, frame: Frame) -> list[Subpath]:
    """The path's subpaths as pdfminer sees them: one point per operator, a Bézier curve by its end."""
    a, b, c, d, e, f = matrix
    x_shift, height, top_shift = frame.x_shift, frame.height, frame.top_shift
    subpaths: list[Subpath] = []
    shape: list[str] = []
    points: list[Point] = []
    pending_curve = 0
    x, y = ctypes.c_float(), ctypes.c_float()
    # Local names: this loop runs once per segment of every path drawn.
    get_segment, get_kind = pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetType
    get_point, get_close = pdfium_c.FPDFPathSegment_GetPoint, pdfium_c.FPDFPathSegment_GetClose
    move_to, bezier_to = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = get_segment(obj, index)
        kind = get_kind(segment)
        get_point(segment, x, y)
        if kind == move_to:
            if shape:
                subpaths.append(("".join(shape), points))
            shape, points, pending_curve = ["m"], [], 0
        elif kind == bezier_to:
            # pdfium stores a curve as its two control points and its end point.
            pending_curve += 1
            if pending_curve < 3:
                continue
            pending_curve = 0
            shape.append("c")
        else:
            shape.append("l")
        px, py = file_number(x.value), file_number(y.value)
        # frame.point, inlined: this runs for every point of every path.
        points.append((a * px + c * py + e + x_shift, (height - (b * px + d * py + f)) + top_shift))
        if get_close(segment) and points:
            shape.append("h")
            points.append(points[0])
    if shape:
        subpaths.append(("".join(shape), points))
    return subpaths


# --- characters ---------------------------------------------------------------------------


def page_chars(
    page: pdfium.PdfPage,
    frame: Frame,
    texts: list[tuple[ctypes.c_void_p, Matrix]],
    objects: Budget | None = None,
) -> tuple[Char, ...]:
    """The page's upright characters in content order, with pdfminer's boxes, then the spaces of
    its ``texts`` (text objects) that PDFium's text page leaves out.

    PDFium's text page is in user space, or in pdfminer's device space once a turned page has
    been turned upright; either is a translation away from pdfplumber's coordinates.
    """
    spaces = inkless_spaces(texts, frame)
    if frame.turned:
        turn_upright(page, frame)
        x_shift, top = frame.point(0.0, 0.0)
    else:
        x_shift, top = frame.point(frame.matrix[4], frame.matrix[5])
    text_page = page.get_textpage()
    try:
        if objects is not None:
            objects.spend(pdfium_c.FPDFText_CountChars(text_page.raw))
        return _text_page_chars(text_page.raw, x_shift, top) + spaces
    finally:
        text_page.close()


def inkless_spaces(texts: list[tuple[ctypes.c_void_p, Matrix]], frame: Frame) -> tuple[Char, ...]:
    """A space for each upright text object without ink, with pdfminer's box for it.

    PDFium's text page skips a text object whose box is narrower than 0.01 pt
    (``CPDF_TextPage::ProcessTextObject``), and a box is the glyphs' ink: an object showing
    only a space is skipped, where pdfminer reads its space. WPS places every character as an
    object of its own, so its spaces are such objects, and one may overlap the character
    before it, leaving a gap narrower than a space (资金结余率(%) ⑦). The object's own
    characters are out of reach (its text is read through the text page), so it gives one
    space, as wide as the font's space, from its origin.
    """
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    size, advance, descent = (ctypes.c_float() for _ in range(3))
    spaces: list[Char] = []
    get_bounds = pdfium_c.FPDFPageObj_GetBounds  # called for every text object of the page
    for obj, outer in texts:
        get_bounds(obj, left, bottom, right, top)
        if abs(right.value - left.value) >= _INKLESS_WIDTH:
            continue
        a, b, c, d, e, f = _multiply(_object_matrix(obj), outer)
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        if not (a * d > 0 and b * c <= 0) or not font or not pdfium_c.FPDFTextObj_GetFontSize(obj, size):
            continue
        if not pdfium_c.FPDFFont_GetGlyphWidth(font, 0x20, size.value, advance):
            advance.value = 0.0
        if not pdfium_c.FPDFFont_GetDescent(font, size.value, descent):
            descent.value = 0.0
        x0, char_bottom = frame.point(e, f + d * descent.value)
        x1, _ = frame.point(e + a * advance.value, f)
        char_size = size.value * abs(d)
        spaces.append(
            Char(text=" ", x0=x0, x1=x1, top=char_bottom - char_size, bottom=char_bottom, size=char_size)
        )
    return tuple(spaces)


def turn_upright(page: pdfium.PdfPage, frame: Frame) -> None:
    """Draw the page in memory as it is shown: every object moved into pdfminer's device space by
    the frame's matrix, the /Rotate cleared and the media box turned with it.

    Only the top-level objects need it (a form's content follows its form's matrix). The page is
    changed in memory only and closed right after its characters are read; PDFium then orders and
    measures its characters as on any upright page.
    """
    a, b, c, d, e, f = frame.matrix
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        pdfium_c.FPDFPageObj_Transform(pdfium_c.FPDFPage_GetObject(page.raw, index), a, b, c, d, e, f)
    pdfium_c.FPDFPage_SetRotation(page.raw, 0)
    pdfium_c.FPDFPage_SetMediaBox(page.raw, 0.0, 0.0, frame.width, frame.height)


def _text_page_chars(text_page: ctypes.c_void_p, x_shift: float, page_top: float) -> tuple[Char, ...]:
    count = pdfium_c.FPDFText_CountChars(text_page)
    box = pdfium_c.FS_RECTF()
    m = pdfium_c.FS_MATRIX()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    descents = FontDescents()
    chars: list[Char] = []
    # Local names: this loop runs once per character of the page.
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    get_matrix, get_box = pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_GetLooseCharBox
    get_font_size, get_origin = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetCharOrigin
    object_address, descent_of = _text_object_address, descents.of
    for index in range(count):
        code = get_unicode(text_page, index)
        if code in _GENERATED_CODES and is_generated(text_page, index):
            continue
        get_matrix(text_page, index, m)
        d = m.d
        if not (m.a * d > 0 and m.b * m.c <= 0):
            continue
        if code == _HYPHEN_MARK:
            code = 0x2D
        elif 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            # A glyph without a Unicode mapping comes back as its raw code, which need not be
            # a character at all; it could not be written as UTF-8.
            code = 0xFFFD
        get_box(text_page, index, box)
        get_origin(text_page, index, origin_x, origin_y)
        font_size = get_font_size(text_page, index)
        size = font_size * abs(d)
        descent = descent_of(object_address(text_page, index)) * font_size
        bottom = page_top - char_bottom(origin_y.value, d, descent, font_size)
        chars.append(
            Char(
                text=chr(code),
                x0=box.left + x_shift,
                x1=box.right + x_shift,
                top=bottom - size,
                bottom=bottom,
                size=size,
            )
        )
    return tuple(chars)
