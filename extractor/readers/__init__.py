"""Format readers: one module per format family, each with ``read(path) -> Document``.

The format is told from the file's first bytes, and an OLE container's (legacy Office) from
the streams it holds, so a mislabelled download still reaches the right reader; the
extension only breaks ties between text formats. Legacy Word (.doc) and RTF are read by
converting them to .docx with LibreOffice (:mod:`extractor.readers.converted`); Word's
"save as web page" is HTML and goes to the HTML reader like any page.

Readers may import the root model and :mod:`extractor.normalise`; never the layout, the
harvest, the inspection pages or the CLI.
"""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

from extractor.errors import CorruptDocument, EncryptedDocument, UnsupportedFormat
from extractor.limits import DEFAULT_LIMITS, LIMIT_OPTIONS, Limits
from extractor.model import Document
from extractor.readers.budget import Budget
from extractor.readers.files import begins_as_html, bom_encoding, file_bytes
from extractor.readers.ocr import DEFAULT_OCR
from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND

#: Reader module for each detected format.
READERS = {
    "pdf": "extractor.readers.pdf",
    "docx": "extractor.readers.word",
    "html": "extractor.readers.web",
    "txt": "extractor.readers.pasted",
    "xlsx": "extractor.readers.sheet",
    "xls": "extractor.readers.legacy_sheet",
    "doc": "extractor.readers.converted",
    "rtf": "extractor.readers.converted",
    "image": "extractor.readers.image",
}
#: Formats whose reader converts them first and is told which format it converts.
_CONVERTED = frozenset({"doc", "rtf"})
_SNIFF_BYTES = 4096


#: The signatures of the image files read by OCR: PNG, JPEG, TIFF (little- and big-endian, and
#: BigTIFF).
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")

#: Tags that make text an HTML page wherever they stand in its first bytes.
_HTML_ANYWHERE = (b"<html", b"<table", b"<!doctype html", b"<body")


def detect_format(path: Path) -> str:
    """The format of ``path`` by content: pdf, docx, xlsx, xls, doc, rtf, html, txt or image (a
    PNG, JPEG or TIFF scan)."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head:
        raise CorruptDocument(f"{path.name} is empty")
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _ole_format(path)
    if head.startswith(_IMAGE_SIGNATURES):
        return "image"
    encoding = bom_encoding(head)
    if encoding is not None:
        # Text that states its encoding is told by its characters (UTF-16 is half zero bytes).
        head = head.decode(encoding, errors="replace").encode("utf-8")
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    lowered = head.lower()
    if begins_as_html(head) or any(tag in lowered for tag in _HTML_ANYWHERE):
        return "html"
    if b"\x00" in head:
        raise UnsupportedFormat(f"{path.name} is a binary file of no format this tool reads")
    return "txt"


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    # NotImplementedError: a zip version or compression method the zip reader does not know.
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"{path.name} looks like a zip package but cannot be opened: {exc}") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise UnsupportedFormat(
        f"{path.name} is a zip package that is neither a Word document (.docx) nor an Excel workbook (.xlsx)"
    )


def _ole_format(path: Path) -> str:
    """The format of an OLE container (legacy Office file) by the streams it holds."""
    # xlrd, which reads the container, is imported only when an OLE file turns up.
    from extractor.readers.legacy_sheet import ole_stream_names

    names = ole_stream_names(file_bytes(path), path.name)
    if names & {"workbook", "book"}:
        return "xls"
    if "worddocument" in names:
        return "doc"
    if "encryptedpackage" in names:
        raise EncryptedDocument(
            f"{path.name} is a password-protected Office file: open it, remove the password and save it again"
        )
    raise UnsupportedFormat(
        f"{path.name} is an OLE file (legacy Office format) that is neither an Excel workbook (.xls) "
        "nor a document this tool reads"
    )


def read(
    path: Path,
    fmt: str,
    *,
    pdf_backend: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    ocr: str = DEFAULT_OCR,
) -> Document:
    """Read ``path`` with the reader for ``fmt``; ``pdf_backend`` picks the PDF reader's library
    (``pdf_page.PDF_BACKENDS``, its default when None), ``ocr`` which pages of a PDF are read by
    OCR (``ocr.OCR_MODES``; an image is read by OCR unless it is ``off``). The reader spends the
    budgets ``limits`` set on what it can measure only while reading (``readers.budget``)."""
    module = importlib.import_module(READERS[fmt])
    cells = Budget(
        path.name,
        "table cells (a merged cell counted by the area it covers)",
        limits.max_cells,
        LIMIT_OPTIONS["max_cells"],
    )
    document: Document
    if fmt in _CONVERTED:
        document = module.read(path, fmt, cells=cells)
    elif fmt == "pdf":
        objects = Budget(
            path.name,
            "objects, path segments and characters",
            limits.max_page_objects,
            LIMIT_OPTIONS["max_page_objects"],
        )
        document = module.read(
            path, backend=pdf_backend or DEFAULT_PDF_BACKEND, cells=cells, objects=objects, ocr=ocr
        )
    elif fmt == "image":
        document = module.read(path, cells=cells, ocr=ocr, max_pages=limits.max_pages)
    else:
        document = module.read(path, cells=cells)
    return document
