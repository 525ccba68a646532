"""Money blocks of performance tables (部门整体资金 / 项目资金) to fund records.

A block that names 收入 / 支出 is a small tree printed across columns: the block label, then
收入 / 支出, then items whose column gives their depth (财政拨款 at depth 0, 一般公共预算资金
under it at depth 1). A ``小计`` beside an item is that item's own total. The row that names a
direction also names its value columns (全年预算数 …); every amount is filed under the
value column it sits in, or the nearest one to its left when the publisher's merges
pushed it a column over.

A block that names neither opens with header rows over its value columns (one or several:
预算安排 over 年初部门预算安排金额① | 年中调整金额② …) and lists one item a row under them, or
prints side-by-side panels of (label, amount) pairs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractor.layout.regions import AMOUNT_UNIT_IN_LABEL, leads_amount_rows, pair_cells
from extractor.model import Cell, Grid, Issue
from extractor.normalise import vocabulary as vocab
from extractor.normalise.text import bare_label
from extractor.normalise.values import heads_scores_or_rates, is_amount, is_rate, parse_amount
from extractor.records import FieldRecord, FundRecord

#: "其中：" introduces the parts of the total above; the marker is not part of the name.
_PART_MARKER = re.compile(r"^其中\s*[:：]\s*")
#: Enumerators of a block's items, outermost first (一、 … ①).
_ENUMERATORS = tuple(re.compile(pattern) for pattern in (*vocab.ENUMERATORS, vocab.CIRCLED_ENUMERATOR))

#: A value column: the grid column it starts at and its header path from the top header row down.
ValueColumn = tuple[int, tuple[str, ...]]


@dataclass
class _Tree:
    """Walking state: current direction, its value columns, and the open item path."""

    direction: str = ""
    value_columns: list[ValueColumn] = field(default_factory=list)
    path: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MoneyBlock:
    """What a money block yields: its amounts, and the rates and scores printed beside them
    (执行率 | 分值 | 得分 of a self-evaluation) as fields."""

    funds: list[FundRecord]
    fields: list[FieldRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def block_to_funds(grid: Grid, first: int, last: int, *, amount_unit: str, table_id: str) -> MoneyBlock:
    """Fund records of the money block spanning rows ``first``..``last``.

    A block that names 收入 / 支出 is a tree under value-column headers (the seed's
    部门整体资金); one that names neither is a list of items under header rows
    (``leads_amount_rows``: 财政资金安排和使用情况, 项目资金 | 年初预算数 | 全年预算数 …) or a
    set of side-by-side panels of (label, amount) pairs (项目资金总额 | 4,100,000.00 |
    年度资金申请总额 | …).
    """
    label = grid.covering(first, 0)
    assert label is not None
    unit = label_amount_unit(label.text) or amount_unit
    rows = [
        [c for c in grid.row_cells(row) if c.row == row and c.text and c.col > label.last_col]
        for row in range(first, last + 1)
    ]
    if not any(c.text in vocab.DIRECTIONS for cells in rows for c in cells):
        if leads_amount_rows(grid, first):
            return _headed_funds(grid, first, rows, label_amount_unit(label.text), amount_unit)
        return MoneyBlock(
            _panel_funds([pair_cells(grid, row, label) for row in range(first, last + 1)], unit)
        )
    tree = _Tree()
    records: list[FundRecord] = []
    issues: list[Issue] = []
    base_col = 1
    for row, cells in enumerate(rows, start=first):
        direction = next((c for c in cells if c.text in vocab.DIRECTIONS), None)
        if direction is not None:
            tree.direction = direction.text
            tree.path = []
            headers = [c for c in cells if c is not direction and not is_amount(c.text)]
            if headers:
                tree.value_columns = [(c.col, (c.text,)) for c in headers]
            base_col = direction.col + direction.colspan
            continue
        labels = [c for c in cells if not is_amount(c.text)]
        amounts = [c for c in cells if is_amount(c.text)]
        if not labels:
            continue
        if not amounts and all(c.text in vocab.MONEY_COLUMN_HEADERS for c in labels):
            issues.append(
                Issue(
                    code="orphan_money_header",
                    message=f"row {row + 1}: '{labels[0].text}' stands alone below the "
                    f"{tree.direction} items with no amounts; ignored",
                    page=labels[0].page,
                    table=table_id,
                    row=row,
                )
            )
            continue
        path = _item_path(tree, labels, base_col)
        for column, cell in _amounts_by_column(tree, amounts):
            records.append(
                FundRecord(
                    direction=tree.direction,
                    code="",
                    path=tuple(path),
                    column=column,
                    amount=parse_amount(cell.text) if cell else None,
                    amount_unit=unit,
                    raw=cell.text if cell else "",
                    page=(cell or labels[0]).page,
                    position=(cell.row, cell.col) if cell else None,
                )
            )
    return MoneyBlock(records, issues=issues)


def _panel_funds(rows: list[list[Cell]], unit: str) -> list[FundRecord]:
    """Money without 收入/支出: panels of items, each panel's first label its total and every
    later label one of its parts (其中：X). Under a header row (年初预算数 | 全年预算数 | …)
    each item has one amount per header; without one, a label pairs with the amount right
    of it (项目资金总额 | 4,100,000.00 | 年度资金申请总额 | 4,100,000.00)."""
    header = next((cells for cells in rows if cells and all(_is_money_header(c.text) for c in cells)), [])
    tree = _Tree(value_columns=[(c.col, (c.text,)) for c in header])
    totals: dict[int, str] = {}
    records: list[FundRecord] = []
    for cells in rows:
        if cells is header:
            continue
        for index, cell in enumerate(cells):
            if is_amount(cell.text):
                continue
            if header:
                amounts = [c for c in cells[index + 1 :] if is_amount(c.text)]
            else:
                following = cells[index + 1 : index + 2]
                amounts = [c for c in following if is_amount(c.text)]
            name = bare_label(_PART_MARKER.sub("", cell.text))
            total = totals.setdefault(cell.col, name)
            for column, amount in _amounts_by_column(tree, amounts):
                records.append(
                    FundRecord(
                        direction="",
                        code="",
                        path=(name,) if total == name else (total, name),
                        column=column,
                        amount=parse_amount(amount.text) if amount else None,
                        amount_unit=unit,
                        raw=amount.text if amount else "",
                        page=cell.page,
                        position=(amount.row, amount.col) if amount else None,
                    )
                )
            if header:
                break
    return records


def _is_money_header(text: str) -> bool:
    return text in vocab.MONEY_COLUMN_HEADERS or text.endswith(vocab.MONEY_COLUMN_ENDINGS)


def label_amount_unit(text: str) -> str:
    """The unit a label states in parentheses: 部门整体资金（万元） → 万元."""
    match = AMOUNT_UNIT_IN_LABEL.search(text)
    return match.group(1) if match else ""


def _item_path(tree: _Tree, labels: list[Cell], base_col: int) -> list[str]:
    """The item's path: parents from the open path by depth, then its own label.

    A 小计 / 合计 beside a label marks that label's own total, so the label is the item.
    """
    names = [c for c in labels if c.text not in vocab.SUBTOTAL_LABELS]
    own = names[0] if names else labels[0]
    depth = max(own.col - base_col, 0)
    tree.path = [*tree.path[:depth], bare_label(own.text)]
    return list(tree.path)


def _amounts_by_column(tree: _Tree, amounts: list[Cell]) -> list[tuple[tuple[str, ...], Cell | None]]:
    """Pair each value column with its amount cell; a row without amounts still yields its items."""
    if not tree.value_columns:
        return [((), cell) for cell in amounts] or [((), None)]
    filed: dict[tuple[str, ...], Cell] = {}
    for cell in amounts:
        left = [name for col, name in tree.value_columns if col <= cell.col]
        name = left[-1] if left else tree.value_columns[0][1]
        filed.setdefault(name, cell)
    return [(name, filed.get(name)) for _, name in tree.value_columns]


def _headed_funds(
    grid: Grid, first: int, rows: list[list[Cell]], block_unit: str, caption_unit: str
) -> MoneyBlock:
    """Money under header rows: one item a row, one record per (item, value column).

    The leading rows that print no amount head the value columns, each column's ``column``
    being the path of header cells over it from the top row down (预算安排 / 小计③=①+②). The
    columns of rates and scores among them (执行率, 支出实现率(%), 分值, 得分) hold no money: the
    first value each prints (the total's, the parts print dashes) is a field (``_rate_key``).
    Each later row names an item left of the value columns; the items form a tree by their
    names (``_ItemTree``). The amount unit is the one the block's label states, else the one
    its column's header states (预算金额（万元）), else the caption's.
    """
    header = list(itertools.takewhile(lambda cells: not any(is_amount(c.text) for c in cells), rows))
    body = [cells for cells in rows[len(header) :] if cells]
    value_col = min(c.col for cells in body for c in cells if is_amount(c.text))
    header_rows = range(first, first + len(header))
    tree = _Tree(value_columns=_header_paths(grid, header_rows, value_col))
    items = _ItemTree()
    records: list[FundRecord] = []
    rates: dict[str, FieldRecord] = {}
    for cells in body:
        labels = [c for c in cells if c.col < value_col]
        if not labels:
            continue
        path = items.path_of(labels[0].text)
        amounts = [c for c in cells if c.col >= value_col]
        for column, cell in _amounts_by_column(tree, amounts):
            if not _holds_money(column):
                if cell is not None and (parse_amount(cell.text) is not None or is_rate(cell.text)):
                    key = _rate_key(column[-1])
                    rates.setdefault(key, FieldRecord(key=key, value=cell.text, page=labels[0].page))
                continue
            unit = block_unit or next(filter(None, map(label_amount_unit, column)), caption_unit)
            records.append(
                FundRecord(
                    direction="",
                    code="",
                    path=path,
                    column=column,
                    amount=parse_amount(cell.text) if cell else None,
                    amount_unit=unit,
                    raw=cell.text if cell else "",
                    page=labels[0].page,
                    position=(cell.row, cell.col) if cell else None,
                )
            )
    return MoneyBlock(records, fields=list(rates.values()))


def _rate_key(header: str) -> str:
    """The field a rate or score column of a money block gives: 执行率 → 预算执行率, a weight
    (分值, 权重) → 预算执行分值, a score (得分, 自评得分) → 预算执行得分; any other rate
    (支出实现率(%)⑤=④/③) keeps its header."""
    if header.endswith("执行率"):
        return vocab.EXECUTION_RATE_FIELD
    if header in vocab.WEIGHT_HEADERS:
        return vocab.EXECUTION_WEIGHT_FIELD
    return vocab.EXECUTION_SCORE_FIELD if header in vocab.SCORE_HEADERS else header


def _header_paths(grid: Grid, header_rows: Sequence[int], first_col: int) -> list[ValueColumn]:
    """The value columns from ``first_col`` on under ``header_rows``: one for each run of grid
    columns under the same header cells, with their texts from the top row down (a cell merged
    down over several header rows counts once)."""
    columns: list[ValueColumn] = []
    above: tuple[Cell | None, ...] = ()
    for col in range(first_col, grid.n_cols):
        covering = tuple(grid.covering(row, col) for row in header_rows)
        if covering == above:
            continue
        above = covering
        path: list[str] = []
        for index, cell in enumerate(covering):
            if cell is not None and cell.text and cell not in covering[:index]:
                path.append(cell.text)
        if path:
            columns.append((col, tuple(path)))
    return columns


def _holds_money(column: tuple[str, ...]) -> bool:
    """Whether a value column's amounts are money: not percentages (支出实现率(%)), rates
    (执行率) or scores (分值)."""
    return not any(heads_scores_or_rates(header) for header in column[:-1]) and not heads_scores_or_rates(
        column[-1], rate_ending=True
    )


@dataclass
class _ItemTree:
    """The items of a headed money block as a tree by their names.

    A first item named as a total (合计, 年度资金总额) is the block's total and every later item
    is a part of it; otherwise (a list of tasks closed by 金额合计) each item stands on its own.
    Below that, an enumerated item (①中央财政资金) is a part of the nearest item above it that
    is less deeply numbered (财政资金小计), enumerator styles nesting in the order they first
    appear. The marker ``其中：`` and enumerators are dropped from names, as in the panels of a
    budget table.
    """

    total: tuple[str, ...] | None = None
    open: list[tuple[int, str]] = field(default_factory=list)
    styles: list[re.Pattern[str]] = field(default_factory=list)

    def path_of(self, label: str) -> tuple[str, ...]:
        name, depth = self._name_and_depth(label)
        if self.total is None:
            self.total = (name,) if name.endswith(vocab.TOTAL_ENDINGS) else ()
            if self.total:
                return self.total
        self.open = [(d, n) for d, n in self.open if d < depth] + [(depth, name)]
        return (*self.total, *(n for _, n in self.open))

    def _name_and_depth(self, label: str) -> tuple[str, int]:
        label = bare_label(_PART_MARKER.sub("", label))
        for pattern in _ENUMERATORS:
            match = pattern.match(label)
            if match:
                if pattern not in self.styles:
                    self.styles.append(pattern)
                return label[match.end() :].strip(), 1 + self.styles.index(pattern)
        return label, 0
