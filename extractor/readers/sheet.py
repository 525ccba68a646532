"""Tables of Excel workbooks (.xlsx, .xlsm) read with openpyxl.

This module only says what an openpyxl worksheet states (texts, merges, borders, hidden
rows and columns); cutting sheets into tables is ``workbook``'s, shared with .xls.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from functools import partial
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from extractor.errors import CorruptDocument
from extractor.model import Document
from extractor.readers.budget import Budget
from extractor.readers.files import file_bytes
from extractor.readers.workbook import Area, StatedSheet, sheet_grids, value_to_text, workbook_document

FORMAT = "xlsx"

#: Excel's last column (XFD): hidden column ranges are cut there.
_MAX_COLUMN = 16_384
_NOT_A_WORKBOOK = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,  # a zip version or compression method the zip reader does not know
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,  # malformed XML: ElementTree's and lxml's parse errors derive from it
)


def worksheet_to_stated(worksheet: Any) -> StatedSheet:
    """What an openpyxl worksheet states."""
    texts: dict[tuple[int, int], str] = {}
    left_ruled: set[tuple[int, int]] = set()
    right_ruled: set[tuple[int, int]] = set()
    # ``_cells`` holds only the cells the file states; iter_rows would create every
    # position of the inflated used range (256 columns and more).
    for position, cell in worksheet._cells.items():
        text = value_to_text(cell.value, str(cell.number_format))
        if text:
            texts[position] = text
        if _drawn(cell.border.left):
            left_ruled.add(position)
        if _drawn(cell.border.right):
            right_ruled.add(position)
    hidden_cols = {
        c
        for dim in worksheet.column_dimensions.values()
        if dim.hidden and dim.min is not None
        for c in range(dim.min, min(dim.max or dim.min, _MAX_COLUMN) + 1)
    }
    return StatedSheet(
        name=str(worksheet.title),
        texts=texts,
        merges=tuple(
            Area(area.min_row, area.min_col, area.max_row, area.max_col)
            for area in worksheet.merged_cells.ranges
        ),
        left_ruled=frozenset(left_ruled),
        right_ruled=frozenset(right_ruled),
        hidden_rows=frozenset(r for r, dim in worksheet.row_dimensions.items() if dim.hidden),
        hidden_cols=frozenset(hidden_cols),
    )


def _drawn(side: Any) -> bool:
    """Whether a border side is drawn. openpyxl leaves a side None, not an empty Side, when
    it copies the borders of a merge's first cell to its edges and that cell states no such side.
    """
    return side is not None and side.style is not None


def read(path: Path, *, cells: Budget | None = None) -> Document:
    """Every table of the workbook at ``path``; ``cells`` bounds the table cells it may hold."""
    return read_bytes(file_bytes(path), str(path), cells=cells)


def read_bytes(data: bytes, origin: str, *, cells: Budget | None = None) -> Document:
    """Every table of a workbook given as bytes; ``origin`` names it in messages."""
    return workbook_document(
        FORMAT,
        origin,
        (
            sheet_grids(str(ws.title), ws.sheet_state == "visible", partial(worksheet_to_stated, ws), cells)
            for ws in _open(data, origin).worksheets
        ),
    )


def _open(data: bytes, origin: str) -> Any:
    """The workbook with merged ranges (not read-only) and formulas as their cached values."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (data validation, extensions, default
            # styles); none of them holds table content.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except _NOT_A_WORKBOOK as exc:
        raise CorruptDocument(
            f"{origin} is not a valid .xlsx ({type(exc).__name__}: {exc}); "
            "if it is damaged, open it in Excel or LibreOffice and save it as .xlsx again"
        ) from exc
