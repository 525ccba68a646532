"""Workbook sheets to tables, whatever the file format: the steps .xlsx and .xls share.

Each format reader (``sheet`` for .xlsx, ``legacy_sheet`` for .xls) states what a worksheet
holds as a ``StatedSheet`` (texts, merges, borders, hidden rows and columns); everything
after that is here, so both give the same grids for the same workbook.

A worksheet is not a table. One sheet may hold a title, a line such as "编制部门：XX
单位：元", a table, a blank row and a second table; another holds a cover page or
paragraphs of explanation in one tall merged cell. So each sheet is cut into blocks at
runs of blank rows, the rows of text at the top of a block become the caption of the
table below them, and the rest of the block is the table.

A row holding one text is not always a caption line: the top header row of a table can
be a single merged cell too, such as "“三公”经费预算数" over every value column of a 三公经费
table without a 机关运行经费 column. Width does not tell them apart (titles are often
merged over exactly the table's columns), the cell borders do. The *boxed header rule*:
a row of one text is the table's top header row when its cell is ruled on both sides like
the table's cells, stands directly on the table's first row and lies within the table's
columns. A title or "编制部门：…" line has no side borders (at most a line under it), so it
stays a caption however it is merged.

Quirks of real workbooks handled here:

* The used range Excel records is inflated by formatting: templates report 253–256
  columns for a four-column table. Only cells holding text count.
* Templates leave empty rows for the figures, drawn with cell borders, between the last
  sample row and 合计. A row whose cells carry vertical borders is part of a table even
  when empty, so such rows do not cut the table in two; empty rows at its end are trimmed.
* Formulas are read as the values Excel cached when it last saved the file; a workbook
  written by a program that never calculated it has none, and those cells read as empty.
* Numbers are stored as binary floats (35319.26 is 35319.260000000002) and shown through
  a number format. Their text here is the value as Excel shows it at full precision:
  15 significant digits, no thousands separators, a percentage as a percentage.
* Hidden rows, columns and sheets are not printed and are skipped, with a warning when
  that drops content.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from extractor.model import Cell, Document, Grid, Issue, SheetPlace, column_letters
from extractor.readers.budget import Budget
from extractor.readers.placement import caption_from, text_lines

#: Sheets that are no table whatever they hold: 封面 (cover), 目录 (contents) and
#: notes such as 说明, 填报说明, 编制说明, 其他相关情况说明 (matched without spaces).
_NOT_TABLE_SHEET = re.compile(r"^(?:封面|封皮|目录)$|说明$")
#: Labels printed side by side above a table ("编制部门：XX", "单位：元") carry a colon.
_COLONS = ("：", ":")
#: Excel shows numbers with 15 significant digits; further digits are binary noise.
_SIGNIFICANT_DIGITS = 15
#: Parts of a number format that print literally: quoted text, escaped characters,
#: and bracketed colours, conditions and locales.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
#: A format made of zeros only ("00", "000") pads codes such as 款 02 with leading zeros.
_ZERO_PADDING = re.compile(r"0{2,}")


@dataclass(frozen=True)
class Area:
    """A rectangle of positions, bounds included."""

    top: int
    left: int
    bottom: int
    right: int

    def overlaps(self, other: Area) -> bool:
        return (
            self.top <= other.bottom
            and other.top <= self.bottom
            and self.left <= other.right
            and other.left <= self.right
        )

    def clip(self, other: Area) -> Area:
        """The part of this rectangle inside ``other`` (which it must overlap)."""
        return Area(
            max(self.top, other.top),
            max(self.left, other.left),
            min(self.bottom, other.bottom),
            min(self.right, other.right),
        )


@dataclass(frozen=True)
class Sheet:
    """What a worksheet shows, hidden rows and columns taken out.

    Positions count visible rows and columns from 0; ``rows`` and ``cols`` give the sheet's
    row and column number (from 1) of each, for A1 references. ``texts`` holds the non-empty
    text of cells and of merges, the latter at their top-left visible position; ``merges``
    are the merged areas with a visible part; ``rules`` are the vertical borders drawn, as
    (row, line) where line ``c`` runs along the left side of column ``c`` (so a border on
    the right of column ``c`` is line ``c + 1``, whichever of the two cells states it).
    """

    name: str
    texts: Mapping[tuple[int, int], str]
    merges: tuple[Area, ...]
    rules: frozenset[tuple[int, int]]
    rows: tuple[int, ...]
    cols: tuple[int, ...]

    @property
    def ruled_rows(self) -> frozenset[int]:
        """The rows whose cells carry vertical borders."""
        return frozenset(row for row, _ in self.rules)

    def boxed(self, area: Area) -> bool:
        """Whether ``area`` is ruled on both sides of its top row, as a table's cells are."""
        return (area.top, area.left) in self.rules and (area.top, area.right + 1) in self.rules

    def row_texts(self, row: int) -> list[tuple[int, str]]:
        """(column, text) of the texts starting in ``row``, left to right."""
        return sorted((c, text) for (r, c), text in self.texts.items() if r == row)

    def merge_at(self, row: int, col: int) -> Area | None:
        """The merged area whose top-left position is (row, col), if any."""
        return next((m for m in self.merges if (m.top, m.left) == (row, col)), None)

    def a1(self, area: Area) -> str:
        """The sheet's A1 reference of ``area``."""
        first = f"{column_letters(self.cols[area.left])}{self.rows[area.top]}"
        last = f"{column_letters(self.cols[area.right])}{self.rows[area.bottom]}"
        return first if first == last else f"{first}:{last}"


@dataclass(frozen=True)
class TextLine:
    """A row printing text rather than table cells: what it says and where its texts stand."""

    lines: tuple[str, ...]
    areas: tuple[Area, ...]

    @property
    def top(self) -> int:
        return self.areas[0].top

    @property
    def bottom(self) -> int:
        return max(area.bottom for area in self.areas)


@dataclass(frozen=True)
class TableRows:
    """The rows of one table on a sheet and the caption printed above it."""

    top: int
    bottom: int
    caption: tuple[str, ...]


# --- values ------------------------------------------------------------------------------------


def value_to_text(value: object, number_format: str = "General") -> str:
    """The text of a cell value: numbers plain and exact, dates ISO, booleans TRUE/FALSE.

    Number formats are not applied, because they hide digits and add separators; only a
    percentage keeps its scale (0.95 as ``95%``) and a code format of zeros its width.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _number_text(value, number_format)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else ""


def _number_text(value: int | float, number_format: str) -> str:
    shown = _FORMAT_LITERALS.sub("", number_format)
    if "%" in shown:
        return f"{_plain(_exact(value) * 100)}%"
    if isinstance(value, float) and not value.is_integer():
        return _plain(_exact(value))
    whole = int(value)
    if _ZERO_PADDING.fullmatch(shown) and whole >= 0:
        return str(whole).zfill(len(shown))
    return str(whole)


def _exact(value: int | float) -> Decimal:
    """The decimal Excel shows for ``value``: 15 significant digits, noise dropped."""
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(format(value, f".{_SIGNIFICANT_DIGITS}g"))


def _plain(number: Decimal) -> str:
    """``number`` in positional notation without trailing zeros (4.1E+6 is 4100000)."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# --- worksheets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatedSheet:
    """What a worksheet states, whatever the file format, hidden parts still in.

    Positions are the sheet's own row and column numbers, from 1. ``texts`` holds the
    non-empty text of the cells (a merge's text is its top-left cell's); ``left_ruled``
    and ``right_ruled`` are the cells with a border drawn on that side; ``hidden_rows``
    and ``hidden_cols`` may name positions beyond the content.
    """

    name: str
    texts: Mapping[tuple[int, int], str]
    merges: tuple[Area, ...]
    left_ruled: frozenset[tuple[int, int]]
    right_ruled: frozenset[tuple[int, int]]
    hidden_rows: frozenset[int]
    hidden_cols: frozenset[int]


def stated_to_sheet(stated: StatedSheet) -> tuple[Sheet, Issue | None]:
    """What a worksheet shows, and a warning if hidden rows or columns held content."""
    raw = stated.texts
    with_text = [m for m in stated.merges if (m.top, m.left) in raw]
    n_rows = max([r for r, _ in raw] + [m.bottom for m in with_text], default=0)
    n_cols = max([c for _, c in raw] + [m.right for m in with_text], default=0)
    rows = tuple(r for r in range(1, n_rows + 1) if r not in stated.hidden_rows)
    cols = tuple(c for c in range(1, n_cols + 1) if c not in stated.hidden_cols)

    merges: list[Area] = []
    texts: dict[tuple[int, int], str] = {}
    shown: set[tuple[int, int]] = set()
    for area in stated.merges:
        visible = _visible(area, rows, cols)
        if visible is None:
            continue
        merges.append(visible)
        if (area.top, area.left) in raw:
            texts[(visible.top, visible.left)] = raw[(area.top, area.left)]
            shown.add((area.top, area.left))
    row_index = {r: i for i, r in enumerate(rows)}
    col_index = {c: i for i, c in enumerate(cols)}
    for (row, col), text in raw.items():
        if row in row_index and col in col_index and (row, col) not in shown:
            texts[(row_index[row], col_index[col])] = text
            shown.add((row, col))
    rules = {
        (row_index[row], col_index[col] + offset)
        for ruled, offset in ((stated.left_ruled, 0), (stated.right_ruled, 1))
        for row, col in ruled
        if row in row_index and col in col_index
    }
    sheet = Sheet(stated.name, texts, tuple(merges), frozenset(rules), rows, cols)
    return sheet, _hidden_issue(
        stated.name, [position for position in raw if position not in shown], rows, cols
    )


def _visible(area: Area, rows: Sequence[int], cols: Sequence[int]) -> Area | None:
    """``area`` in visible positions, or None when all of it is hidden."""
    top, bottom = bisect_left(rows, area.top), bisect_right(rows, area.bottom) - 1
    left, right = bisect_left(cols, area.left), bisect_right(cols, area.right) - 1
    if top > bottom or left > right:
        return None
    return Area(top, left, bottom, right)


def _hidden_issue(
    name: str, dropped: Sequence[tuple[int, int]], rows: Sequence[int], cols: Sequence[int]
) -> Issue | None:
    if not dropped:
        return None
    shown_rows, shown_cols = set(rows), set(cols)
    n_rows = len({r for r, _ in dropped if r not in shown_rows})
    n_cols = len({c for _, c in dropped if c not in shown_cols})
    return Issue(
        "hidden_cells_skipped",
        f"sheet {name.strip()}: {n_rows} hidden row(s) and {n_cols} hidden column(s) "
        "holding content were skipped; unhide them in Excel if they belong to the table",
    )


# --- tables ------------------------------------------------------------------------------------


def sheet_to_blocks(sheet: Sheet) -> list[tuple[int, int]]:
    """(first, last) rows of each run of rows that are not blank.

    A row is blank when it holds no text, lies in no merge with text and carries no
    vertical border.
    """
    taken = _text_rows(sheet) | sheet.ruled_rows
    blocks: list[tuple[int, int]] = []
    for row in sorted(taken):
        if blocks and blocks[-1][1] == row - 1:
            blocks[-1] = (blocks[-1][0], row)
        else:
            blocks.append((row, row))
    return blocks


def _text_rows(sheet: Sheet) -> set[int]:
    """Rows holding text or lying in a merge with text."""
    rows = {r for r, _ in sheet.texts}
    for merge in sheet.merges:
        if (merge.top, merge.left) in sheet.texts:
            rows.update(range(merge.top, merge.bottom + 1))
    return rows


def blocks_to_tables(sheet: Sheet, blocks: Iterable[tuple[int, int]]) -> list[TableRows]:
    """The tables of a sheet's blocks, each captioned by the text lines above it.

    The caption collects the lines since the previous table, whichever blocks they stand
    in, so a title, a blank row and "编制部门： 单位：元" all reach the table below them.
    Text lines right above a table that pass the boxed header rule (see ``heads_table``)
    are its top header rows instead. Lines after the last table belong to no table.
    """
    text_rows = _text_rows(sheet)
    tables: list[TableRows] = []
    lines: list[str] = []
    for first, last in blocks:
        above: list[TextLine] = []
        row = first
        while row <= last:
            if row not in text_rows:
                row += 1
                continue
            line = _text_line(sheet, row)
            if line is None:
                break
            above.append(line)
            row = line.bottom + 1
        if row > last:
            lines.extend(text for line in above for text in line.lines)
            continue
        bottom = max(r for r in range(row, last + 1) if r in text_rows)
        while above and heads_table(sheet, above[-1], row, bottom):
            row = above.pop().top
        lines.extend(text for line in above for text in line.lines)
        tables.append(TableRows(row, bottom, caption_from(lines)))
        lines = []
    return tables


def heads_table(sheet: Sheet, line: TextLine, top: int, bottom: int) -> bool:
    """The boxed header rule: whether ``line`` is the top header row of the table in rows ``top``–``bottom``.

    It is when it holds one text that is no label ("编制部门：XX", "单位：元" stay in the
    caption, where the unit is looked for) and that text's cell or merge

    * is boxed: ruled on its left and its right side, as the table's cells are, where a
      title or 编制单位 line carries no side borders;
    * stands on the table: its last row is the one right above ``top``;
    * lies within the table: it reaches no column the table's own texts do not, where a
      title is often merged wider than the table or set off to one side.
    """
    if len(line.areas) != 1:
        return False
    area = line.areas[0]
    if any(colon in sheet.texts[(area.top, area.left)] for colon in _COLONS):
        return False
    left, right = _columns(sheet, top, bottom)
    return sheet.boxed(area) and area.bottom + 1 == top and left <= area.left and area.right <= right


def _text_line(sheet: Sheet, row: int) -> TextLine | None:
    """What ``row`` prints, if it is a line of text rather than a table row.

    It is when it holds one text, or only labels with a colon ("编制部门：XX", "单位：元");
    a text merged down over the rows below takes them too, provided they hold nothing else.
    """
    anchors = sheet.row_texts(row)
    if not anchors or any(m.top < row <= m.bottom for m in sheet.merges if (m.top, m.left) in sheet.texts):
        return None
    if len(anchors) > 1 and not all(any(colon in text for colon in _COLONS) for _, text in anchors):
        return None
    areas = tuple(sheet.merge_at(row, col) or Area(row, col, row, col) for col, _ in anchors)
    last = max(area.bottom for area in areas)
    if any(row < r <= last for r, _ in sheet.texts):
        return None
    if len(anchors) == 1:
        return TextLine(tuple(text_lines([anchors[0][1]])), areas)
    return TextLine((" ".join(text_lines(text for _, text in anchors)),), areas)


def _columns(sheet: Sheet, top: int, bottom: int) -> tuple[int, int]:
    """The first and last column reached by the texts starting in rows ``top``–``bottom``."""
    starts = [(r, c) for r, c in sheet.texts if top <= r <= bottom]
    reaches = [m.right for m in sheet.merges if (m.top, m.left) in sheet.texts and top <= m.top <= bottom]
    return min(c for _, c in starts), max([c for _, c in starts] + reaches)


def table_to_grid(sheet: Sheet, table: TableRows, cells: Budget | None = None) -> Grid:
    """The grid of one table: its columns are those its texts reach, merges clipped to it.

    Every position of the table is a cell or lies in a merge, so ``cells`` is spent by its area
    before any is built.
    """
    left, right = _columns(sheet, table.top, table.bottom)
    area = Area(table.top, left, table.bottom, right)
    if cells is not None:
        cells.spend((area.bottom - area.top + 1) * (area.right - area.left + 1), where=f"sheet {sheet.name}")
    spans = [m.clip(area) for m in sheet.merges if m.overlaps(area)]
    anchored = {(m.top, m.left): m for m in spans}
    inside = {(r, c) for m in spans for r in range(m.top, m.bottom + 1) for c in range(m.left, m.right + 1)}
    placed: list[Cell] = []
    for row in range(area.top, area.bottom + 1):
        for col in range(area.left, area.right + 1):
            merge = anchored.get((row, col))
            if merge is None and (row, col) in inside:
                continue
            placed.append(
                Cell(
                    row=row - area.top,
                    col=col - area.left,
                    text=sheet.texts.get((row, col), ""),
                    rowspan=1 if merge is None else merge.bottom - merge.top + 1,
                    colspan=1 if merge is None else merge.right - merge.left + 1,
                )
            )
    return Grid(
        n_rows=area.bottom - area.top + 1,
        n_cols=area.right - area.left + 1,
        cells=tuple(placed),
        origin=f"sheet {sheet.name.strip()} {sheet.a1(area)}",
        caption=table.caption,
        sheet=SheetPlace(
            name=sheet.name.strip(),
            rows=sheet.rows[area.top : area.bottom + 1],
            cols=sheet.cols[area.left : area.right + 1],
        ),
    )


def sheet_to_grids(sheet: Sheet, cells: Budget | None = None) -> list[Grid]:
    """Every table of a sheet, top to bottom."""
    return [table_to_grid(sheet, table, cells) for table in blocks_to_tables(sheet, sheet_to_blocks(sheet))]


# --- workbooks ---------------------------------------------------------------------------------


def sheet_grids(
    name: str, shown: bool, stated: Callable[[], StatedSheet], cells: Budget | None = None
) -> tuple[list[Grid], list[Issue]]:
    """The tables of one sheet of any workbook format, and what was skipped on the way.

    ``shown`` is False for a sheet hidden in the workbook; ``stated`` reads the sheet, and
    is only called for a sheet that may hold tables; ``cells`` is the workbook's cell budget.
    """
    if _NOT_TABLE_SHEET.search(re.sub(r"\s+", "", name)):
        return [], [Issue("sheet_skipped", f"sheet {name.strip()}: a cover, contents or notes sheet")]
    if not shown:
        return [], [Issue("sheet_skipped", f"sheet {name.strip()}: hidden in the workbook")]
    sheet, hidden = stated_to_sheet(stated())
    issues = [hidden] if hidden is not None else []
    grids = sheet_to_grids(sheet, cells)
    if not grids and sheet.texts:
        issues.append(Issue("sheet_skipped", f"sheet {name.strip()}: holds text but no table"))
    return grids, issues


def workbook_document(fmt: str, origin: str, sheets: Iterable[tuple[list[Grid], list[Issue]]]) -> Document:
    """The document of a workbook from what ``sheet_grids`` gave for each of its sheets."""
    grids: list[Grid] = []
    issues: list[Issue] = []
    for found, noticed in sheets:
        grids.extend(found)
        issues.extend(noticed)
    if not grids:
        issues.append(Issue("no_tables", f"{origin}: no sheet of the workbook holds a table"))
    return Document(format=fmt, grids=tuple(grids), warnings=tuple(issues))
