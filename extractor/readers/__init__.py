"""Format readers: one module per format family, each with ``read(path) -> Document``.

The format is told from the file's first bytes, so a mislabelled download still reaches
the right reader; the extension only breaks ties between text formats.
"""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

from extractor.errors import CorruptDocument, UnsupportedFormat
from extractor.model import Document

#: Reader module for each detected format.
READERS = {
    "pdf": "extractor.readers.pdf",
    "docx": "extractor.readers.word",
    "html": "extractor.readers.web",
    "txt": "extractor.readers.pasted",
    "xlsx": "extractor.readers.sheet",
}
_SNIFF_BYTES = 4096


def detect_format(path: Path) -> str:
    """The format of ``path`` by content: pdf, docx, xlsx, html or txt."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head:
        raise CorruptDocument(f"{path.name} is empty")
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormat(
            f"{path.name} is an OLE file (legacy .doc/.xls); those are not read yet: "
            "save it as .docx/.xlsx and retry"
        )
    lowered = head.lower()
    if any(tag in lowered for tag in (b"<html", b"<table", b"<!doctype html", b"<body")):
        return "html"
    if b"\x00" in head:
        raise UnsupportedFormat(f"{path.name} is a binary file of no format this tool reads")
    return "txt"


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise CorruptDocument(f"{path.name} looks like a zip package but cannot be opened: {exc}") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise UnsupportedFormat(
        f"{path.name} is a zip package that is neither a Word document (.docx) nor an Excel workbook (.xlsx)"
    )


def read(path: Path, fmt: str) -> Document:
    """Read ``path`` with the reader for ``fmt``."""
    module = importlib.import_module(READERS[fmt])
    document: Document = module.read(path)
    return document
