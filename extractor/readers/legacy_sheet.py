"""Tables of legacy Excel workbooks (.xls, BIFF5/BIFF8 in an OLE container), read with xlrd.

Budget templates are still handed out as .xls. Such a workbook gives the same grids the
.xlsx reader gives for the same content: this module only turns what an xlrd sheet states
into a :class:`~extractor.readers.sheet.StatedSheet`; cutting a sheet into tables, captions,
the boxed header rule, hidden rows and columns and skipped sheets are the shared steps of
:mod:`extractor.readers.sheet`.

What differs in the format:

* Positions count from 0 and a merge is a half-open range ``(rlo, rhi, clo, chi)``.
* Borders, number formats, hidden rows and columns are only read with
  ``formatting_info=True``. A cell that holds nothing but formatting (a ruled empty cell
  of a template) is stated by a BLANK record; a position with no record at all is EMPTY
  and takes no border of its own, as in the .xlsx reader, whatever its row or column
  default format says.
* A date is a number whose format xlrd recognises as a date; it becomes an ISO date.
  An error cell holds a code, shown as Excel shows it (``#DIV/0!``).
* Formulas hold the value Excel cached when it saved the file, as in .xlsx.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from functools import partial
from pathlib import Path
from typing import Any

import xlrd
from xlrd.compdoc import CompDoc, CompDocError

from extractor.errors import CorruptDocument, EncryptedDocument
from extractor.model import Document
from extractor.readers.budget import Budget
from extractor.readers.files import file_bytes
from extractor.readers.workbook import Area, StatedSheet, sheet_grids, value_to_text, workbook_document

FORMAT = "xls"

#: What xlrd raises on a damaged file: its own errors, and those of its record parsing.
_NOT_A_WORKBOOK = (
    xlrd.XLRDError,
    CompDocError,
    struct.error,
    AssertionError,  # xlrd checks the OLE container with assert statements
    EOFError,
    zipfile.BadZipFile,  # xlrd opens bytes starting "PK" as a zip to name the format it refuses
    IndexError,
    KeyError,
    ValueError,  # UnicodeDecodeError included
    TypeError,
    AttributeError,
    ZeroDivisionError,
    OverflowError,
    RecursionError,  # a cyclic OLE directory tree
)
#: xlrd's visibility of a sheet shown in Excel (1 is hidden, 2 "very hidden").
_VISIBLE = 0
#: The rows and columns of an .xls sheet (BIFF8; BIFF5 has fewer rows). A merge record holds
#: 16-bit positions, so a file can state a merge reaching column 65536: it is cut at the sheet's
#: edge, as Excel cuts it, or a three-row table would be 65536 columns wide.
_ROWS, _COLUMNS = 65_536, 256


def ole_stream_names(data: bytes, origin: str) -> frozenset[str]:
    """The names, case-folded, of what the root directory of an OLE container holds.

    Legacy Office files are OLE containers (a file system in a file) told apart by their
    streams: ``Workbook`` (BIFF8) or ``Book`` (BIFF5) for Excel, ``WordDocument`` for Word,
    ``EncryptedPackage`` for a password-protected .xlsx or .docx. Names compare without case.
    """
    try:
        container = CompDoc(data, logfile=io.StringIO())
        return frozenset(str(container.dirlist[i].name).casefold() for i in container.dirlist[0].children)
    except _NOT_A_WORKBOOK as exc:
        raise CorruptDocument(
            f"{origin} is an OLE file (legacy Office format) whose directory cannot be read "
            f"({type(exc).__name__}: {exc}); it is damaged or truncated"
        ) from exc


def read(path: Path, *, cells: Budget | None = None) -> Document:
    """Every table of the workbook at ``path``; ``cells`` bounds the table cells it may hold."""
    return read_bytes(file_bytes(path), str(path), cells=cells)


def read_bytes(data: bytes, origin: str, *, cells: Budget | None = None) -> Document:
    """Every table of a .xls workbook given as bytes; ``origin`` names it in messages."""
    book = _open(data, origin)
    return workbook_document(
        FORMAT,
        origin,
        (
            sheet_grids(
                str(sh.name), sh.visibility == _VISIBLE, partial(xlrd_sheet_to_stated, book, sh), cells
            )
            for sh in book.sheets()
        ),
    )


def _open(data: bytes, origin: str) -> Any:
    """The workbook with its formatting (merges, borders, hidden rows) and cached values."""
    try:
        # xlrd prints its warnings about odd records to ``logfile``; none concerns content.
        # Ragged rows end at their last stated cell instead of being padded to the widest.
        return xlrd.open_workbook(
            file_contents=data, formatting_info=True, ragged_rows=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise EncryptedDocument(
                f"{origin}: the workbook is protected by a password; "
                "open it in Excel, remove the password and save it again"
            ) from exc
        raise _corrupt(origin, exc) from exc
    except _NOT_A_WORKBOOK as exc:
        raise _corrupt(origin, exc) from exc


def _corrupt(origin: str, exc: BaseException) -> CorruptDocument:
    return CorruptDocument(
        f"{origin} is not a valid .xls ({type(exc).__name__}: {exc}); "
        "if it is damaged, open it in Excel or LibreOffice and save it as .xlsx"
    )


def xlrd_sheet_to_stated(book: Any, sheet: Any) -> StatedSheet:
    """What an xlrd sheet states, in the sheet's row and column numbers from 1."""
    texts: dict[tuple[int, int], str] = {}
    left_ruled: set[tuple[int, int]] = set()
    right_ruled: set[tuple[int, int]] = set()
    for row in range(sheet.nrows):
        for col, ctype in enumerate(sheet.row_types(row)):
            if ctype == xlrd.XL_CELL_EMPTY:
                continue
            xf = _format(book, sheet.cell_xf_index(row, col))
            text = cell_to_text(ctype, sheet.cell_value(row, col), _number_format(book, xf), book.datemode)
            if text:
                texts[(row + 1, col + 1)] = text
            if xf is not None and xf.border.left_line_style:
                left_ruled.add((row + 1, col + 1))
            if xf is not None and xf.border.right_line_style:
                right_ruled.add((row + 1, col + 1))
    return StatedSheet(
        name=str(sheet.name),
        texts=texts,
        merges=tuple(
            Area(rlo + 1, clo + 1, min(rhi, _ROWS), min(chi, _COLUMNS))
            for rlo, rhi, clo, chi in sheet.merged_cells
            if rlo < min(rhi, _ROWS) and clo < min(chi, _COLUMNS)
        ),
        left_ruled=frozenset(left_ruled),
        right_ruled=frozenset(right_ruled),
        hidden_rows=frozenset(r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden),
        hidden_cols=frozenset(c + 1 for c, info in sheet.colinfo_map.items() if info.hidden),
    )


def _format(book: Any, index: int) -> Any:
    """The cell format (XF record) at ``index``, or None when a damaged file has no such record."""
    return book.xf_list[index] if 0 <= index < len(book.xf_list) else None


def _number_format(book: Any, xf: Any) -> str:
    entry = None if xf is None else book.format_map.get(xf.format_key)
    return str(entry.format_str) if entry is not None else "General"


def cell_to_text(ctype: int, value: object, number_format: str, datemode: int) -> str:
    """The text of an xlrd cell, by the rules of ``value_to_text`` for .xlsx values.

    xlrd gives every number as a float, a boolean as 0 or 1, an error as its code and a
    date as the number of days since the workbook's epoch (1900 or 1904, ``datemode``).
    """
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return value_to_text(bool(value))
    if ctype == xlrd.XL_CELL_ERROR:
        # as openpyxl reads the error cells of an .xlsx: the text Excel shows
        return str(xlrd.error_text_from_code.get(value, f"#ERR{value}"))
    if ctype == xlrd.XL_CELL_DATE and isinstance(value, float):
        moment = _date(value, datemode)
        if moment is not None:
            return value_to_text(moment)
    return value_to_text(value, number_format)


def _date(value: float, datemode: int) -> dt.datetime | dt.time | None:
    """The date or time of a date cell (a time alone below 1 day), None when it has none."""
    try:
        moment: dt.datetime = xlrd.xldate_as_datetime(value, datemode)
    except (OverflowError, ValueError):
        return None
    return moment.time() if 0 <= value < 1 else moment
