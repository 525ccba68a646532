"""Money blocks of performance tables (部门整体资金 / 项目资金) to fund records.

The block is a small tree printed across columns: the block label, then 收入 / 支出,
then items whose column gives their depth (财政拨款 at depth 0, 一般公共预算资金 under
it at depth 1). A ``小计`` beside an item is that item's own total. The row that names a
direction also names its value columns (全年预算数 …); every amount is filed under the
value column it sits in, or the nearest one to its left when the publisher's merges
pushed it a column over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor import vocabulary as vocab
from extractor.model import Cell, Grid, Issue
from extractor.records import FundRecord
from extractor.values import is_amount, parse_amount

#: "其中：" introduces the parts of the total above; the marker is not part of the name.
_PART_MARKER = re.compile(r"^其中\s*[:：]\s*")
_UNIT_IN_LABEL = re.compile(r"[（(]\s*(" + "|".join(vocab.AMOUNT_UNITS) + r")\s*[)）]")


@dataclass
class _Tree:
    """Walking state: current direction, its value columns, and the open item path."""

    direction: str = ""
    value_columns: list[tuple[int, str]] = field(default_factory=list)
    path: list[str] = field(default_factory=list)


def block_to_funds(
    grid: Grid, first: int, last: int, *, amount_unit: str, table_id: str
) -> tuple[list[FundRecord], list[Issue]]:
    """Fund records of the money block spanning rows ``first``..``last``.

    A block that names 收入 / 支出 is a tree under value-column headers (the seed's
    部门整体资金); one that names neither is a set of side-by-side panels of
    (label, amount) pairs (项目资金总额 | 4,100,000.00 | 年度资金申请总额 | …).
    """
    label = grid.covering(first, 0)
    assert label is not None
    unit = label_amount_unit(label.text) or amount_unit
    rows = [
        [c for c in grid.row_cells(row) if c.row == row and c.text and c.col > label.last_col]
        for row in range(first, last + 1)
    ]
    if not any(c.text in vocab.DIRECTIONS for cells in rows for c in cells):
        return _panel_funds(rows, unit), []
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
                tree.value_columns = [(c.col, c.text) for c in headers]
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
                    column=(column,) if column else (),
                    amount=parse_amount(cell.text) if cell else None,
                    amount_unit=unit,
                    raw=cell.text if cell else "",
                    page=(cell or labels[0]).page,
                )
            )
    return records, issues


def _panel_funds(rows: list[list[Cell]], unit: str) -> list[FundRecord]:
    """Money without 收入/支出: panels of items, each panel's first label its total and every
    later label one of its parts (其中：X). Under a header row (年初预算数 | 全年预算数 | …)
    each item has one amount per header; without one, a label pairs with the amount right
    of it (项目资金总额 | 4,100,000.00 | 年度资金申请总额 | 4,100,000.00)."""
    header = next((cells for cells in rows if cells and all(_is_money_header(c.text) for c in cells)), [])
    tree = _Tree(value_columns=[(c.col, c.text) for c in header])
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
            name = _PART_MARKER.sub("", cell.text)
            total = totals.setdefault(cell.col, name)
            for column, amount in _amounts_by_column(tree, amounts):
                records.append(
                    FundRecord(
                        direction="",
                        code="",
                        path=(name,) if total == name else (total, name),
                        column=(column,) if column else (),
                        amount=parse_amount(amount.text) if amount else None,
                        amount_unit=unit,
                        raw=amount.text if amount else "",
                        page=cell.page,
                    )
                )
            if header:
                break
    return records


def _is_money_header(text: str) -> bool:
    return text in vocab.MONEY_COLUMN_HEADERS or text.endswith(vocab.MONEY_COLUMN_ENDINGS)


def label_amount_unit(text: str) -> str:
    """The unit a label states in parentheses: 部门整体资金（万元） → 万元."""
    match = _UNIT_IN_LABEL.search(text)
    return match.group(1) if match else ""


def _item_path(tree: _Tree, labels: list[Cell], base_col: int) -> list[str]:
    """The item's path: parents from the open path by depth, then its own label.

    A 小计 / 合计 beside a label marks that label's own total, so the label is the item.
    """
    names = [c for c in labels if c.text not in vocab.SUBTOTAL_LABELS]
    own = names[0] if names else labels[0]
    depth = max(own.col - base_col, 0)
    tree.path = [*tree.path[:depth], own.text]
    return list(tree.path)


def _amounts_by_column(tree: _Tree, amounts: list[Cell]) -> list[tuple[str, Cell | None]]:
    """Pair each value column with its amount cell; a row without amounts still yields its items."""
    if not tree.value_columns:
        return [("", cell) for cell in amounts] or [("", None)]
    filed: dict[str, Cell] = {}
    for cell in amounts:
        left = [name for col, name in tree.value_columns if col <= cell.col]
        name = left[-1] if left else tree.value_columns[0][1]
        filed.setdefault(name, cell)
    return [(name, filed.get(name)) for _, name in tree.value_columns]
