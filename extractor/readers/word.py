"""Tables of Word documents (.docx).

python-docx opens the package; the tables are then read straight from the WordprocessingML,
because python-docx's ``table.cell(r, c)`` re-lays the whole table on each call and
``row.cells`` is slow on tall merges. The XML states a table as rows of ``w:tc`` cells:

- ``w:gridBefore`` / ``w:gridAfter`` (in ``w:trPr``): grid columns a row leaves empty
  before its first cell and after its last, so rows may start late;
- ``w:gridSpan``: how many grid columns a cell covers (a horizontal merge);
- ``w:vMerge``: ``restart`` opens a vertical merge, a bare ``w:vMerge`` continues the one
  above in the same grid columns. Continuing cells are placeholders: Word prints only the
  first cell of the merge, so here it becomes one anchor with a rowspan and the
  placeholders vanish;
- ``w:hMerge``: the legacy (Word 97) horizontal merge, ``continue`` cells joining the cell
  on their left.

A cell holds paragraphs and possibly whole tables; a nested table becomes a grid of its own
and its text stays out of the cell that holds it.
"""

from __future__ import annotations

import io
import itertools
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree
from lxml.etree import _Element as XmlElement

from extractor.errors import CorruptDocument
from extractor.model import Document, Grid, Issue
from extractor.readers.budget import Budget
from extractor.readers.files import file_bytes
from extractor.readers.placement import Entry, Gap, SourceCell, caption_from, place, text_lines

FORMAT = "docx"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}t"
_VAL = f"{_W}val"
#: Elements that only wrap blocks, rows or cells (content controls, custom XML): look inside.
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"})
#: Elements of a paragraph whose runs are printed. Deleted text, field codes, drawings and
#: text boxes are left out: they are not part of the paragraph's printed line.
_RUN_HOLDERS = _WRAPPERS | {
    f"{_W}r",
    f"{_W}hyperlink",
    f"{_W}ins",
    f"{_W}moveTo",
    f"{_W}smartTag",
    f"{_W}fldSimple",
    f"{_W}dir",
    f"{_W}bdo",
}
#: Run elements that print as one character.
_RUN_MARKS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
#: What python-docx and the zip and XML layers beneath it raise for a file that is no .docx.
_NOT_A_DOCX = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,  # a zip version or compression method the zip reader does not know
    EOFError,
    KeyError,
    ValueError,
    etree.LxmlError,
)


def read(path: Path, *, cells: Budget | None = None) -> Document:
    """Every table of the Word document at ``path``, nested ones included; ``cells`` bounds the table
    cells it may hold."""
    return read_bytes(file_bytes(path), str(path), cells=cells)


def read_bytes(data: bytes, origin: str, *, cells: Budget | None = None) -> Document:
    """Every table of a .docx given as bytes; ``origin`` names it in messages."""
    grids = tuple(_container_grids(_body(data, origin), itertools.count(1), None, cells))
    issues = () if grids else (Issue("no_tables", f"{origin}: the document has no table"),)
    return Document(format=FORMAT, grids=grids, warnings=issues)


def _body(data: bytes, origin: str) -> XmlElement:
    """The ``w:body`` element of the main document part."""
    try:
        return docx.Document(io.BytesIO(data)).element.body
    except _NOT_A_DOCX as exc:
        if _out_of_memory(exc):
            # A document of millions of elements (40 million empty paragraphs deflate to 350 KB): its
            # size, not damage, which the pipeline reports as too_large like any MemoryError.
            raise MemoryError(f"{origin}: the XML parser ran out of memory") from exc
        raise CorruptDocument(
            f"{origin} is not a valid .docx ({type(exc).__name__}: {exc}); "
            "if it is a legacy .doc or damaged, open it in Word or LibreOffice and save it as .docx"
        ) from exc


def _out_of_memory(exc: Exception) -> bool:
    """libxml2 reports running out of memory as a syntax error ("unknown error", ERR_NO_MEMORY)."""
    return isinstance(exc, etree.XMLSyntaxError) and exc.code == etree.ErrorTypes.ERR_NO_MEMORY


def _blocks(container: XmlElement) -> Iterator[XmlElement]:
    """Paragraphs and tables of a body or cell in reading order, through content controls."""
    for child in container:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _children(element: XmlElement, tag: str) -> Iterator[XmlElement]:
    """Child elements with ``tag``, through content controls that wrap rows or cells."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _paragraph_text(element: XmlElement) -> str:
    """The printed text of a paragraph (or of a run holder inside one)."""
    parts: list[str] = []
    for child in element:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag in _RUN_MARKS:
            parts.append(_RUN_MARKS[child.tag])
        elif child.tag in _RUN_HOLDERS:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _container_grids(
    container: XmlElement, numbers: Iterator[int], parent: int | None, cells: Budget | None
) -> Iterator[Grid]:
    """Grids of the tables in a body or cell in document order, each followed by its nested ones.

    Tables are numbered in that same order across the document, nested ones included; a
    table's caption is the text since the previous table of the same body or cell.
    """
    lines: list[str] = []
    for block in _blocks(container):
        if block.tag == _P:
            lines.extend(text_lines([_paragraph_text(block)]))
        else:
            yield from _table_grids(block, next(numbers), parent, caption_from(lines), numbers, cells)
            lines = []


def _table_grids(
    tbl: XmlElement,
    number: int,
    parent: int | None,
    caption: tuple[str, ...],
    numbers: Iterator[int],
    cells: Budget | None,
) -> Iterator[Grid]:
    """The grid of one ``w:tbl``, then the grids of the tables nested in its cells."""
    rows = [_row_layout(tr) for tr in _children(tbl, _TR)]
    rowspans = _rowspans(rows)
    nested: list[Grid] = []
    entries: list[list[Entry]] = []
    for r, row in enumerate(rows):
        row_entries: list[Entry] = [Gap(row.before)] if row.before else []
        for cell in row.cells:
            rowspan = rowspans.get((r, cell.col))
            if rowspan is not None:
                row_entries.append(SourceCell(_cell_text(cell.tc), rowspan=rowspan, colspan=cell.span))
                nested.extend(_container_grids(cell.tc, numbers, number, cells))
        if row.after:
            row_entries.append(Gap(row.after))
        entries.append(row_entries)
    origin = f"table {number}" if parent is None else f"table {number} (nested in table {parent})"
    yield place([entries], origin=origin, caption=caption, cells=cells)
    yield from nested


@dataclass(frozen=True)
class _LaidCell:
    """A ``w:tc`` and the grid columns it covers; ``continues`` if it is a vMerge placeholder."""

    tc: XmlElement
    col: int
    span: int
    continues: bool


@dataclass(frozen=True)
class _RowLayout:
    """A row's cells and the grid columns it leaves empty before and after them."""

    before: int
    cells: tuple[_LaidCell, ...]
    after: int


def _row_layout(tr: XmlElement) -> _RowLayout:
    """Where each cell of a row sits on the table grid, legacy hMerge cells folded in."""
    before = max(_int_val(tr.find(f"{_W}trPr/{_W}gridBefore"), 0), 0)
    after = max(_int_val(tr.find(f"{_W}trPr/{_W}gridAfter"), 0), 0)
    cells: list[_LaidCell] = []
    col = before
    for tc in _children(tr, _TC):
        span = max(_int_val(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1), 1)
        h_merge = tc.find(f"{_W}tcPr/{_W}hMerge")
        if h_merge is not None and h_merge.get(_VAL) != "restart" and cells:
            last = cells[-1]
            cells[-1] = _LaidCell(last.tc, last.col, last.span + span, last.continues)
        else:
            v_merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            continues = v_merge is not None and v_merge.get(_VAL) != "restart"
            cells.append(_LaidCell(tc, col, span, continues))
        col += span
    return _RowLayout(before, tuple(cells), after)


def _int_val(element: XmlElement | None, default: int) -> int:
    """The integer ``w:val`` of a property element; Word reads a missing or bad one as the default."""
    value = None if element is None else element.get(_VAL)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _rowspans(rows: Iterable[_RowLayout]) -> dict[tuple[int, int], int]:
    """The rowspan of every anchor cell, keyed by its (row, col); merged placeholders have none.

    A continuing cell joins the cell above only when both cover the same grid columns;
    otherwise Word cannot draw the merge and the cell stands alone.
    """
    rowspans: dict[tuple[int, int], int] = {}
    above: dict[int, tuple[tuple[int, int], int]] = {}  # col -> (anchor, span) in the row above
    for r, row in enumerate(rows):
        here: dict[int, tuple[tuple[int, int], int]] = {}
        for cell in row.cells:
            anchor, span = above.get(cell.col, ((r, cell.col), 0))
            if not (cell.continues and span == cell.span):
                anchor = (r, cell.col)
            rowspans[anchor] = rowspans.get(anchor, 0) + 1
            here[cell.col] = (anchor, cell.span)
        above = here
    return rowspans


def _cell_text(tc: XmlElement) -> str:
    """The cell's paragraphs, one per line; the text of nested tables is theirs, not the cell's."""
    return "\n".join(text_lines(_paragraph_text(block) for block in _blocks(tc) if block.tag == _P))
