"""Logical tables and their truth, built together so they cannot disagree.

A builder places the anchor cells of a table (``GridBuilder``) and, for every cell that
carries a record, writes the record the table means at the same time: an indicator target,
a money amount with its tree path and column header path, a key-value field. Records keep
the grid row they come from; a producer that paginates later says which page that row is
on. Texts are normalised as CONTRACT §4 says (``extractor.normalise.text.normalise``); targets and
amounts are read by the value parser the project unit-tests (``extractor.normalise.values``).

The money conventions are golden/README.md's ("Money records of the standard budget
tables"); the rule for ``其中：`` rows of a money panel is ``LATER_ROWS_UNDER_TOTAL``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from render import Sheet
from seed_layout import Cell, Role, SampleError

from extractor.normalise.text import normalise
from extractor.records import Target

#: In a money panel (``项目资金总额 | 4,100,000.00`` / ``其中：财政资金`` / ``其他资金``) the
#: ``其中：`` row is a child of the panel's total, and so are the rows after it: they are
#: its siblings (path ``项目资金总额 / 其他资金``).
LATER_ROWS_UNDER_TOTAL = True
#: What a money panel prints before its first part.
AMONG_THEM = "其中："


@dataclass(frozen=True)
class IndicatorTruth:
    row: int
    level1: str
    level2: str
    level3: str
    key_work: str
    project: str
    target_label: str
    target: Target
    #: What the row prints besides its targets, repeated on each of its records: the
    #: 分值/权重 and 得分 cells as printed, the remark (偏差原因分析及改进措施, 原因说明), the
    #: sub-headers of the ticked columns of a grouped header, the likelihood (完成目标可能性).
    weight: str = ""
    score: str = ""
    remark: str = ""
    reasons: tuple[str, ...] = ()
    likelihood: str = ""


@dataclass(frozen=True)
class FundTruth:
    row: int
    direction: str
    code: str
    path: tuple[str, ...]
    column: tuple[str, ...]
    raw: str
    amount_unit: str


@dataclass(frozen=True)
class FieldTruth:
    row: int
    key: str
    value: str


@dataclass(frozen=True)
class TruthTable:
    """One logical table: its kind, the sheet to print and the records it holds."""

    kind: str
    sheet: Sheet
    indicators: tuple[IndicatorTruth, ...] = ()
    funds: tuple[FundTruth, ...] = ()
    fields: tuple[FieldTruth, ...] = ()


@dataclass(frozen=True)
class Item:
    """A money item: its name, the amounts it prints (one per value column), its parts.

    ``label`` is what the table prints when it differs from the name (``一、财政拨款收入``,
    ``其中：财政资金``); the truth keeps ``name``.
    """

    name: str
    amounts: tuple[str, ...]
    children: tuple[Item, ...] = ()
    label: str = ""

    @property
    def printed(self) -> str:
        return self.label or self.name


MoneyLine = tuple[str, tuple[str, ...], tuple[str, ...]]
"""A printed money row: its label, the item's path, its amounts."""


def text_of(lines: str | Sequence[str]) -> str:
    """The normalised text of a cell given as printed lines."""
    return normalise(lines if isinstance(lines, str) else "\n".join(lines))


def field_key(lines: str | Sequence[str]) -> str:
    """A field's key: the label's text without the colon a form may print after it (``项目名称：``)."""
    return text_of(lines).rstrip("：:")


@dataclass
class GridBuilder:
    """Collects anchor cells and records row by row for a table ``n_cols`` wide."""

    n_cols: int
    kind: str
    amount_unit: str = ""
    row: int = 0
    cells: list[Cell] = field(default_factory=list)
    heads: list[tuple[int, int]] = field(default_factory=list)
    indicators: list[IndicatorTruth] = field(default_factory=list)
    funds: list[FundTruth] = field(default_factory=list)
    fields: list[FieldTruth] = field(default_factory=list)

    def put(
        self,
        col: int,
        text: str | Sequence[str],
        *,
        rowspan: int = 1,
        colspan: int = 1,
        role: Role = "value",
        row: int | None = None,
    ) -> None:
        """An anchor cell at ``col`` of the current row (or ``row``); a str may hold ``\\n`` breaks."""
        lines = text.split("\n") if isinstance(text, str) else list(text)
        paragraphs = tuple(line for line in lines if line)
        self.cells.append(Cell(self.row if row is None else row, col, paragraphs, rowspan, colspan, role))

    def end_row(self) -> None:
        self.row += 1

    def header(self, rows: int = 1) -> None:
        """Mark the ``rows`` rows starting at the current one as a column-header group."""
        self.heads.append((self.row, self.row + rows))

    def fund(self, direction: str, code: str, path: Sequence[str], column: Sequence[str], raw: str) -> None:
        self.funds.append(
            FundTruth(
                row=self.row,
                direction=direction,
                code=code,
                path=tuple(text_of(p) for p in path),
                column=tuple(text_of(c) for c in column if text_of(c)),
                raw=text_of(raw),
                amount_unit=self.amount_unit,
            )
        )

    def field(self, key: str | Sequence[str], value: str | Sequence[str]) -> None:
        """A field record of the current row; its key without a printed trailing colon."""
        self.fields.append(FieldTruth(self.row, field_key(key), text_of(value)))

    def key_value(self, key: str, value: Sequence[str], *, key_cols: int = 1) -> None:
        """A row ``key | value`` with the value over the rest of the row."""
        role: Role = "text" if len(value) > 1 or len(value[0]) > 40 else "value"
        self.put(0, key, colspan=key_cols, role="key")
        self.put(key_cols, value, colspan=self.n_cols - key_cols, role=role)
        self.field(key, value)
        self.end_row()

    def key_value_pairs(self, pairs: Sequence[tuple[str, str, str, str]]) -> None:
        """Rows ``key | value | key | value``; the values take the spare columns."""
        spare = self.n_cols - 4
        first_value = 1 + (spare + 1) // 2
        for key1, value1, key2, value2 in pairs:
            self.put(0, key1, role="key")
            self.put(1, value1, colspan=first_value)
            self.put(1 + first_value, key2, role="key")
            self.put(2 + first_value, value2, colspan=self.n_cols - 2 - first_value)
            self.field(key1, value1)
            self.field(key2, value2)
            self.end_row()

    def table(self, name: str, caption: Sequence[str], widths: Sequence[float]) -> TruthTable:
        sheet = Sheet(
            name=name,
            caption=tuple(caption),
            n_rows=self.row,
            n_cols=self.n_cols,
            cells=tuple(self.cells),
            heads=tuple(self.heads),
            widths=tuple(widths),
        )
        sheet.check_tiling()
        return TruthTable(self.kind, sheet, tuple(self.indicators), tuple(self.funds), tuple(self.fields))


def direction_tree(
    b: GridBuilder, direction: str, columns: Sequence[str], items: Sequence[Item], *, first_col: int
) -> int:
    """The rows of one direction of a 部门整体资金 block; returns how many were placed.

    Layout: a header row (empty item cell, then the value headers), then one row per item.
    An item with parts takes the first item column over its rows and prints ``小计`` (its
    own total) beside it, then its parts; others take both item columns.
    """
    values_at = b.n_cols - len(columns)
    start = b.row
    b.put(first_col, "", colspan=values_at - first_col, role="header")
    for i, column in enumerate(columns):
        b.put(values_at + i, column, role="header")
    b.end_row()
    for item in items:
        if item.children:
            b.put(first_col, item.printed, rowspan=1 + len(item.children), role="key")
            _money_row(b, direction, "小计", (item.name,), item.amounts, columns, first_col + 1)
            for child in item.children:
                _money_row(
                    b,
                    direction,
                    child.printed,
                    (item.name, child.name),
                    child.amounts,
                    columns,
                    first_col + 1,
                )
        else:
            _money_row(b, direction, item.printed, (item.name,), item.amounts, columns, first_col)
    return b.row - start


def _money_row(
    b: GridBuilder,
    direction: str,
    label: str,
    path: tuple[str, ...],
    amounts: Sequence[str],
    columns: Sequence[str],
    label_col: int,
) -> None:
    values_at = b.n_cols - len(columns)
    if len(amounts) != len(columns):
        raise SampleError(f"{path}: {len(amounts)} amounts for {len(columns)} value columns")
    b.put(label_col, label, colspan=values_at - label_col)
    for i, (column, raw) in enumerate(zip(columns, amounts, strict=True)):
        b.put(values_at + i, raw, role="amount")
        b.fund(direction, "", path, (column,) if column else (), raw)
    b.end_row()


def department_money(
    b: GridBuilder, label: str, columns: Sequence[str], income: Sequence[Item], expenditure: Sequence[Item]
) -> None:
    """A 部门整体资金 block: label over 收入 and 支出, each a tree of items (see direction_tree)."""
    start = b.row
    for direction, items in (("收入", income), ("支出", expenditure)):
        first = b.row
        placed = direction_tree(b, direction, columns, items, first_col=2)
        b.put(1, direction, rowspan=placed, role="key", row=first)
    b.put(0, label, rowspan=b.row - start, role="key", row=start)


def panel_rows(total: Item) -> list[MoneyLine]:
    """(printed label, path, amounts) of a money panel: its total, ``其中：`` part, later parts."""
    rows: list[MoneyLine] = [(total.printed, (total.name,), total.amounts)]
    for i, part in enumerate(total.children):
        label = part.label or (AMONG_THEM + part.name if i == 0 else part.name)
        path = (total.name, part.name) if i == 0 or LATER_ROWS_UNDER_TOTAL else (part.name,)
        rows.append((label, path, part.amounts))
    return rows


def panel_money(b: GridBuilder, label: str, left: Item, right: Item) -> None:
    """Two money panels side by side without headers (``项目资金总额 | 4,100,000.00 | 年度资金申请总额 | …``).

    The shorter panel's ``其中：`` row is merged down so both panels end on the same row.
    Records have no column and no direction.
    """
    spare = b.n_cols - 5
    spans = (1 + (spare + 1) // 2, 1 + spare // 2)
    firsts = (1, 2 + spans[0])
    sides = (panel_rows(left), panel_rows(right))
    height = max(len(s) for s in sides)
    start = b.row
    for rows, col, span in zip(sides, firsts, spans, strict=True):
        r = start
        for i, (text, path, (raw,)) in enumerate(rows):
            rowspan = 1 + height - len(rows) if i == 1 else 1
            b.put(col, text, colspan=span, rowspan=rowspan, role="key", row=r)
            b.put(col + span, raw, rowspan=rowspan, role="amount", row=r)
            b.row = r
            b.fund("", "", path, (), raw)
            r += rowspan
    b.row = start + height
    b.put(0, label, rowspan=height, role="key", row=start)


def headed_money(
    b: GridBuilder,
    label: str,
    columns: Sequence[str],
    total: Item,
    scores: Sequence[tuple[str, str, str, str]] = (),
) -> None:
    """A money block with value headers and no 收入/支出: total, ``其中：`` part, later parts.

    ``scores`` are columns after the amounts that score the budget's execution (national
    自评表: ``分值 | 执行率 | 得分``), each ``(header, field key, total's cell, parts' cell)``:
    no money records; the total row's cells are fields (``预算执行率`` = ``97.74%``).
    """
    values_at = b.n_cols - len(columns) - len(scores)
    start = b.row
    b.put(1, "", colspan=values_at - 1, role="header")
    for i, column in enumerate((*columns, *(s[0] for s in scores))):
        b.put(values_at + i, column, role="header")
    b.end_row()
    for n, (text, path, amounts) in enumerate(panel_rows(total)):
        b.put(1, text, colspan=values_at - 1)
        for i, (column, raw) in enumerate(zip(columns, amounts, strict=True)):
            b.put(values_at + i, raw, role="amount")
            b.fund("", "", path, (column,), raw)
        for i, (_, key, total_cell, part_cell) in enumerate(scores):
            b.put(values_at + len(columns) + i, part_cell if n else total_cell)
            if n == 0:
                b.field(key, total_cell)
        b.end_row()
    b.put(0, label, rowspan=b.row - start, role="key", row=start)
