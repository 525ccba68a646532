"""How much content each page of a PDF draws, told from the file before any interpreter runs it.

PDFium builds every object of a page when it loads it, forms included, each time a form is
drawn: a page can draw form F12, which draws F11 four times, and so on down to F0 and one
line, 4^12 = 16.7 million lines from a file of 4 KB; loading it took 23 GB and minutes. A page
can only be counted once it is loaded, so before loading one the pdfium backend measures the
content the page would run through: its content streams decompressed, plus each form's
content every time a ``Do`` draws it (each form measured once, then multiplied). Every object,
path segment and character takes at least one byte of content, so a page within the measure
is within the objects it may draw; real pages draw 30–40 bytes of content per object, far
below the measure allowed (``BYTES_PER_OBJECT`` times ``max_page_objects``).

The file's structure is read with pdfminer, which parses objects lazily and interprets
nothing. Where its cross-references are damaged, pdfminer finds the objects by scanning the
file, as PDFium does. Left uncounted: the content of Type 3 glyphs and of patterns, which
PDFium runs only when it draws or measures them, not when it loads the page, and a file whose
structure pdfminer cannot read at all.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

from pdfminer.pdfdocument import PDFDocument, PDFNoValidXRef
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psparser import LIT

from extractor.errors import TooLarge
from extractor.readers.budget import Budget

#: Bytes of content a page may run through per object the limit allows it to draw.
BYTES_PER_OBJECT = 64
#: A form drawn, ``/Name Do``, comments allowed between the two as between any tokens.
_DRAWN = re.compile(rb"/([^\s/\[\]()<>{}%]*)(?:\s|%[^\r\n]*)*Do(?![^\s/\[\]()<>{}%])")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_CHUNK = 1 << 16
_FORM = LIT("Form")


def check_content(path: Path, pages: int, objects: Budget) -> None:
    """``TooLarge`` for a page that draws more content than ``objects`` allows a page (its limit
    times ``BYTES_PER_OBJECT``), among the ``pages`` pages PDFium found.

    The pages are found through the page tree, and, when that does not give as many pages as
    PDFium found (damaged cross-references, a page tree pdfminer walks otherwise), by scanning
    the file for its objects as well; a page found either way is measured.
    """
    cap = objects.limit * BYTES_PER_OBJECT
    with path.open("rb") as file:
        for document_type in (PDFDocument, _ScannedDocument):
            try:
                found = list(_Drawing.create_pages(document_type(PDFParser(file))))
                measure = _Measure(cap)
                for number, page in enumerate(found, start=1):
                    if measure.page(page) > cap:
                        raise TooLarge(
                            f"{objects.name} page {number} draws more than {cap >> 20:,} MB of content "
                            f"(its forms counted each time they are drawn), more than a page within the "
                            f"limit of {objects.limit:,} {objects.measure} may draw (raise it with "
                            f"{objects.option})"
                        )
            except TooLarge:
                raise
            except Exception:  # pdfminer fails in many ways on a damaged file, as pdfplumber knows
                continue
            if len(found) == pages:
                return


class _ScannedDocument(PDFDocument):
    """The document with its cross-references rebuilt by scanning the file for objects."""

    def find_xref(self, parser: PDFParser) -> int:
        raise PDFNoValidXRef("the cross-references are rebuilt by scanning")


class _Drawing(PDFPage):
    """A page as far as what it draws: its content streams and resources. (pdfminer's own page
    reads its boxes too, and fails on one that is no rectangle, which PDFium reads.)"""

    def __init__(self, doc: PDFDocument, pageid: object, attrs: object, label: str | None = None) -> None:
        self.attrs = _dict(attrs)
        self.resources = resolve1(self.attrs.get("Resources", {}))
        contents = resolve1(self.attrs.get("Contents"))
        self.contents = contents if isinstance(contents, list) else [contents]


class _Measure:
    """The content drawn by each stream, each form measured once for all the times it is drawn.

    A form draws with its own resources, else with those of what draws it; a name its resources
    hold no XObjects for is looked up in the page's, as PDFium looks it up.
    """

    def __init__(self, cap: int) -> None:
        self.cap = cap
        #: By (stream, the resources it is drawn with, its page's).
        self.drawn: dict[tuple[int, int, int], int] = {}

    def page(self, page: PDFPage) -> int:
        resources = _dict(page.resources)
        total = 0
        for stream in page.contents:
            total += self.stream(resolve1(stream), resources, resources)
            if total > self.cap:
                return self.cap + 1
        return total

    def stream(self, stream: object, resources: dict[str, Any], page: dict[str, Any]) -> int:
        if not isinstance(stream, PDFStream):
            return 0
        key = (id(stream), id(resources), id(page))
        if key in self.drawn:
            return self.drawn[key]
        self.drawn[key] = 0  # a form drawing itself: PDFium stops the cycle there
        data = _decoded(stream, self.cap)
        total = len(data)
        xobjects = _dict(resources.get("XObject")) or _dict(page.get("XObject"))
        for name in _DRAWN.findall(data) if xobjects and total <= self.cap else ():
            total += self._form(xobjects, name, resources, page)
            if total > self.cap:
                break
        self.drawn[key] = min(total, self.cap + 1)
        return self.drawn[key]

    def _form(
        self, xobjects: dict[str, Any], name: bytes, resources: dict[str, Any], page: dict[str, Any]
    ) -> int:
        """What drawing the XObject ``name`` costs; a name that cannot be matched costs as much as the
        largest form it could be."""
        found = xobjects.get(_name(name))
        candidates = [found] if found is not None else list(xobjects.values())
        return max((self._xobject(resolve1(x), resources, page) for x in candidates), default=0)

    def _xobject(self, xobject: object, resources: dict[str, Any], page: dict[str, Any]) -> int:
        if not isinstance(xobject, PDFStream) or resolve1(xobject.get("Subtype")) is not _FORM:
            return 1  # an image: one object
        return 1 + self.stream(xobject, _dict(xobject.get("Resources")) or resources, page)


def _name(written: bytes) -> str:
    """A name as pdfminer keys dictionaries by it: ``#xx`` escapes undone."""
    return _ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), written).decode("latin-1")


def _dict(value: object) -> dict[str, Any]:
    resolved = resolve1(value)
    return resolved if isinstance(resolved, dict) else {}


def _decoded(stream: PDFStream, cap: int) -> bytes:
    """The stream's content, decompressed no further than ``cap + 1`` bytes when it is deflated
    (as content streams are); other filters are pdfminer's, whose output is bounded. A stream
    pdfminer cannot decode (a filter it does not know) draws nothing, for PDFium either; it must
    not end the measure of the streams beside it."""
    try:
        filters = stream.get_filters()
        raw = stream.get_rawdata()
        deflated = all(f in LITERALS_FLATE_DECODE for f, _ in filters)
        if raw is None or stream.decipher is not None or not deflated:
            return stream.get_data()[: cap + 1]
    except Exception:  # pdfminer fails in many ways on a damaged stream
        return b""
    data = raw
    for _ in filters:
        data = _inflated(data, cap + 1)
    return data


def _inflated(data: bytes, most: int) -> bytes:
    """``data`` inflated up to ``most`` bytes; damaged data as far as it inflates."""
    inflater = zlib.decompressobj()
    out: list[bytes] = []
    size = 0
    for start in range(0, len(data), _CHUNK):
        try:
            piece = inflater.decompress(data[start : start + _CHUNK], most - size)
        except zlib.error:
            break
        out.append(piece)
        size += len(piece)
        if size >= most or inflater.unconsumed_tail:
            break
    return b"".join(out)
