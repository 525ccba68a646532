"""Performance tables as logical tables: 部门整体绩效目标表, 项目支出绩效目标表, 绩效自评表.

Each is a form: key-value rows (单位名称 …, or pairs 项目名称 | X | 项目性质 | Y), a money
block, goal texts, then indicator blocks. An indicator block heads its columns in one row
(一级指标 | 二级指标 | [重点工作 | 对应项目] | 三级指标 | target columns | other columns) and
merges each run of equal 一级指标, 二级指标 and 重点工作 labels, the way publishers do; the
三级指标 column takes the spare width. Targets may be split over 指标性质 | 指标值 | 度量单位.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from cases_model import (
    GridBuilder,
    IndicatorTruth,
    Item,
    TruthTable,
    department_money,
    headed_money,
    panel_money,
    text_of,
)

from extractor.normalise.values import combine_split_target, parse_target
from extractor.records import Target

SPLIT_HEADERS = ("指标性质", "度量单位")


@dataclass(frozen=True)
class Indicator:
    """One 三级指标 row: its levels, one target per target column, other cells (分值 …).

    In a block whose targets are split, each target is ``nature|value|unit`` (``≥|95|%``).
    """

    level1: str
    level2: str
    level3: str
    targets: tuple[str, ...]
    key_work: str = ""
    project: str = ""
    extras: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    indicators: tuple[Indicator, ...]
    target_labels: tuple[str, ...]
    key_work: bool = False
    split: bool = False
    extra_headers: tuple[str, ...] = ()
    level3_header: str = "三级指标"


@dataclass(frozen=True)
class PanelMoney:
    """Two money panels side by side without value headers (项目资金总额 | 年度资金申请总额)."""

    label: str
    left: Item
    right: Item


@dataclass(frozen=True)
class HeadedMoney:
    """A money block under value headers (| 年初预算数 | 全年预算数 | 全年执行数)."""

    label: str
    columns: tuple[str, ...]
    total: Item


@dataclass(frozen=True)
class DepartmentMoney:
    """A 部门整体资金 block: 收入 and 支出 trees under value headers."""

    label: str
    columns: tuple[str, ...]
    income: tuple[Item, ...]
    expenditure: tuple[Item, ...]


Money = PanelMoney | HeadedMoney | DepartmentMoney


@dataclass(frozen=True)
class FormSpec:
    """A performance table: what it holds, top to bottom, and how wide it is printed."""

    kind: str
    name: str
    caption: tuple[str, ...]
    amount_unit: str
    widths: tuple[float, ...]
    fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    pairs: tuple[tuple[str, str, str, str], ...] = ()
    money: Money | None = None
    goals: tuple[tuple[str, tuple[str, ...]], ...] = ()
    goal_key_cols: int = 1
    blocks: tuple[Block, ...] = ()
    outer_label: str = ""


def _runs(keys: Sequence[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(first index, length) of each run of equal keys: the rows a label is merged over."""
    runs, start = [], 0
    for _, group in groupby(keys):
        length = len(list(group))
        runs.append((start, length))
        start += length
    return runs


def _target(raw: str, split: bool) -> Target:
    if split:
        nature, value, unit = raw.split("|")
        return combine_split_target(nature, value, unit)
    return parse_target(raw)


def indicator_block(b: GridBuilder, block: Block, first_col: int) -> None:
    """Header row and indicator rows of one block, from column ``first_col`` to the right edge."""
    per_target = 3 if block.split else 1
    fixed = (
        2 + (2 if block.key_work else 0) + per_target * len(block.target_labels) + len(block.extra_headers)
    )
    level3_span = b.n_cols - first_col - fixed
    heads: list[tuple[str, int]] = [("一级指标", 1), ("二级指标", 1)]
    if block.key_work:
        heads += [("重点工作", 1), ("对应项目", 1)]
    heads.append((block.level3_header, level3_span))
    for label in block.target_labels:
        heads += [(SPLIT_HEADERS[0], 1), (label, 1), (SPLIT_HEADERS[1], 1)] if block.split else [(label, 1)]
    heads += [(h, 1) for h in block.extra_headers]
    b.header()
    col = first_col
    for text, span in heads:
        b.put(col, text, colspan=span, role="header")
        col += span
    b.end_row()

    rows = block.indicators
    start = b.row
    merged: list[tuple[int, list[tuple[str, ...]]]] = [
        (first_col, [(i.level1,) for i in rows]),
        (first_col + 1, [(i.level1, i.level2) for i in rows]),
    ]
    if block.key_work:
        work: list[tuple[str, ...]] = [(i.level1, i.level2, i.key_work) for i in rows]
        merged += [(first_col + 2, work), (first_col + 3, work)]
    for col, keys in merged:
        for first, length in _runs(keys):
            indicator = rows[first]
            text = indicator.project if col == first_col + 3 else keys[first][-1]
            b.put(col, text, rowspan=length, role="key", row=start + first)
    level3_col = first_col + (4 if block.key_work else 2)
    for indicator in rows:
        b.put(level3_col, indicator.level3, colspan=level3_span)
        col = level3_col + level3_span
        for label, raw in zip(block.target_labels, indicator.targets, strict=True):
            cells = raw.split("|") if block.split else [raw]
            for text in cells:
                b.put(col, text)
                col += 1
            b.indicators.append(
                IndicatorTruth(
                    row=b.row,
                    level1=text_of(indicator.level1),
                    level2=text_of(indicator.level2),
                    level3=text_of(indicator.level3),
                    key_work=text_of(indicator.key_work),
                    project=text_of(indicator.project),
                    target_label=text_of(label),
                    target=_target(raw, block.split),
                )
            )
        for text in indicator.extras:
            b.put(col, text)
            col += 1
        b.end_row()


def form_table(spec: FormSpec) -> TruthTable:
    """Lay a performance table out top to bottom and collect its truth."""
    b = GridBuilder(n_cols=len(spec.widths), kind=spec.kind, amount_unit=spec.amount_unit)
    for key, value in spec.fields:
        b.key_value(key, value)
    b.key_value_pairs(spec.pairs)
    money = spec.money
    if isinstance(money, DepartmentMoney):
        department_money(b, money.label, money.columns, money.income, money.expenditure)
    elif isinstance(money, PanelMoney):
        panel_money(b, money.label, money.left, money.right)
    elif isinstance(money, HeadedMoney):
        headed_money(b, money.label, money.columns, money.total)
    for key, value in spec.goals:
        b.key_value(key, value, key_cols=spec.goal_key_cols)
    start = b.row
    first_col = 1 if spec.outer_label else 0
    for block in spec.blocks:
        indicator_block(b, block, first_col)
    if spec.outer_label:
        b.put(0, spec.outer_label, rowspan=b.row - start, role="key", row=start)
    return b.table(spec.name, spec.caption, spec.widths)
