"""How much one file may ask of the pipeline, checked before the expensive steps.

A nightly job meets files made to hurt: a .docx that unzips to gigabytes, a workbook of a
million styled empty cells, a PDF of ten thousand pages. Each limit is checked as early and
as cheaply as its measure allows, and exceeding one ends that file with ``too_large`` and a
message naming the limit and the option that raises it:

``max_file_mb``      the file's size, before anything reads it;
``max_unzipped_mb``  a .docx / .xlsx package's parts unzipped, from the zip directory, before
                     any part is inflated (a member cannot inflate past its declared size: the
                     zip reader stops there and checks the CRC);
``max_pages``        a PDF's page count, from its page tree;
``max_cells``        an .xlsx's stored cells, counted in the sheets' XML before the workbook is
                     loaded, and every document's grid cells as the reader builds them (a merged
                     cell by the area it covers), before layout;
``max_page_objects`` what one PDF page draws (paths and their segments, characters, images,
                     a form's content each time it is drawn), estimated from the page's content
                     before PDFium loads it and counted while either backend reads it.

Time per file and memory per worker are the batch's (``--timeout``, ``--max-memory``): only a
separate process can be stopped safely. XML parts with a DTD (``<!DOCTYPE``), which Office
never writes and entity attacks need, are refused as ``corrupt`` here too.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import CorruptDocument, TooLarge
from extractor.model import Grid
from extractor.names import utf8_text

_MB = 1 << 20
# The prolog of an Office part is a line; whatever pads it past this is refused with it.
_XML_PROLOG_BYTES = 1 << 16
_XML_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")
# A worksheet cell, with or without a namespace prefix (<c r="A1">, <x:c r="A1"/>); not <col>.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
# A merged range (<mergeCell ref="A1:C2"/>), whose every position openpyxl creates a cell for.
_MERGE_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?"
)
_CHUNK = 1 << 20
# A content type the package states for its parts ([Content_Types].xml), and its attributes.
_CONTENT_TYPE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(Default|Override)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Parts of these types are web pages Word imports (altChunk), never parsed as XML.
_HTML_TYPES = frozenset({b"text/html", b"application/xhtml+xml"})


@dataclass(frozen=True)
class Limits:
    """The limits for one file; the defaults fit every real disclosure document seen so far
    with a wide margin (the largest real PDF has 98 pages, the largest workbook 30,000 cells,
    the densest PDF page draws 13,000 objects, segments and characters)."""

    max_file_mb: int = 200
    max_unzipped_mb: int = 256
    max_pages: int = 2_000
    max_cells: int = 1_000_000
    max_page_objects: int = 300_000


DEFAULT_LIMITS = Limits()
#: The option of ``extractor parse`` / ``batch`` that raises each limit.
LIMIT_OPTIONS = {
    "max_file_mb": "--max-file-mb",
    "max_unzipped_mb": "--max-unzipped-mb",
    "max_pages": "--max-pages",
    "max_cells": "--max-cells",
    "max_page_objects": "--max-page-objects",
}
_UNITS = {"max_file_mb": "MB", "max_unzipped_mb": "MB", "max_pages": "pages", "max_cells": "cells"}


def _exceeded(path: Path, finding: str, limit_name: str, limits: Limits) -> TooLarge:
    """``too_large`` naming the file, what was found, the limit and the option raising it."""
    value, unit = getattr(limits, limit_name), _UNITS[limit_name]
    return TooLarge(
        f"{utf8_text(path.name)} {finding}, more than the limit of {value:,} {unit} "
        f"(raise it with {LIMIT_OPTIONS[limit_name]})"
    )


def check_before_reading(path: Path, fmt: str, limits: Limits) -> None:
    """The checks that cost next to nothing: size, package, page count, stored cells."""
    size = path.stat().st_size
    if size > limits.max_file_mb * _MB:
        raise _exceeded(path, f"is {size / _MB:,.0f} MB", "max_file_mb", limits)
    if fmt in ("docx", "xlsx"):
        _check_package(path, fmt, limits)
    elif fmt == "pdf":
        _check_pages(path, limits)


def check_grids(path: Path, grids: Sequence[Grid], limits: Limits) -> None:
    """The cells a reader produced, before layout turns each of them into records."""
    cells = sum(len(g.cells) for g in grids)
    if cells > limits.max_cells:
        raise _exceeded(path, f"holds {cells:,} table cells", "max_cells", limits)


def _check_package(path: Path, fmt: str, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            unzipped = sum(m.file_size for m in members)
            if unzipped > limits.max_unzipped_mb * _MB:
                raise _exceeded(path, f"unzips to {unzipped / _MB:,.0f} MB", "max_unzipped_mb", limits)
            html = _html_parts(package)
            for member in members:
                if member.filename not in html:
                    _refuse_dtd(path, package, member)
            if fmt == "xlsx":
                _check_stored_cells(path, package, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
        raise CorruptDocument(
            f"{utf8_text(path.name)} is a damaged zip package ({type(exc).__name__}: {exc}); "
            "open it in its program and save it again"
        ) from exc


def _refuse_dtd(path: Path, package: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """A DTD can only stand in the prolog, before the root element: look there, comments aside."""
    with package.open(member) as part:
        head = part.read(_XML_PROLOG_BYTES)
    prolog = _ROOT_ELEMENT.split(_XML_COMMENT.sub(b"", head), maxsplit=1)[0]
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        raise CorruptDocument(
            f"{utf8_text(path.name)}: the part {member.filename} declares a DTD (<!DOCTYPE>), which Office "
            "never writes and XML entity attacks use; the file is refused"
        )


def _html_parts(package: zipfile.ZipFile) -> frozenset[str]:
    """The parts the package declares to be web pages, by name or by extension: any other part may
    be parsed as XML whatever its name (a document part can be called ``document.bin``)."""
    try:
        declared = package.read("[Content_Types].xml")
    except KeyError:
        return frozenset()
    by_extension: dict[str, bytes] = {}
    by_name: dict[str, bytes] = {}
    for kind, attributes in _CONTENT_TYPE.findall(declared):
        values = {name: double or single for name, double, single in _ATTRIBUTE.findall(attributes)}
        content_type = values.get(b"ContentType", b"").strip().lower()
        if kind == b"Default":
            by_extension[values.get(b"Extension", b"").decode("latin-1").lower()] = content_type
        else:
            by_name[values.get(b"PartName", b"").decode("latin-1").lstrip("/").lower()] = content_type
    return frozenset(
        name
        for name in package.namelist()
        if by_name.get(name.lower(), by_extension.get(name.rpartition(".")[2].lower())) in _HTML_TYPES
    )


def _check_stored_cells(path: Path, package: zipfile.ZipFile, limits: Limits) -> None:
    """Count the cells a workbook stores, streaming (a sheet's XML is never held whole): the cell
    elements, and each merged range by the area it covers. Every part is looked at, as openpyxl
    reads a worksheet from wherever the workbook's relationships point, whatever its name."""
    cells = 0
    for member in package.infolist():
        with package.open(member) as sheet:
            carry = b""
            while chunk := sheet.read(_CHUNK):
                block = carry + chunk
                # Count up to the last ">": a tag cut by the chunk boundary goes whole to the next.
                cut = block.rfind(b">") + 1
                cells += _stored_cells(block[:cut])
                carry = block[cut:]
            cells += _stored_cells(carry)
        if cells > limits.max_cells:
            raise _exceeded(
                path,
                f"stores {cells:,} cells (a merged range counted by the area it covers, and maybe more)",
                "max_cells",
                limits,
            )


def _stored_cells(xml: bytes) -> int:
    """The cell elements of some worksheet XML, and the positions its merged ranges cover."""
    cells = sum(1 for _ in _CELL_TAG.finditer(xml))
    for first_col, first_row, last_col, last_row in _MERGE_TAG.findall(xml):
        rows = abs(int(last_row or first_row) - int(first_row)) + 1
        cols = abs(_column_number(last_col or first_col) - _column_number(first_col)) + 1
        cells += rows * cols
    return cells


def _column_number(letters: bytes) -> int:
    """A column's number from its letters (A is 1, XFD 16384)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_pages(path: Path, limits: Limits) -> None:
    """The page count from the page tree (pypdfium2 reads it without interpreting any page)."""
    import pypdfium2

    from extractor.readers.pdf_pdfium import PDFIUM_LOCK

    with PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError:
            return  # damaged or encrypted: the reader names the problem
        try:
            pages = len(document)
        finally:
            document.close()
    if pages > limits.max_pages:
        raise _exceeded(path, f"has {pages:,} pages", "max_pages", limits)
