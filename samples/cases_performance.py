"""Performance tables as logical tables: 部门整体绩效目标表, 项目支出绩效目标表, 绩效自评表.

Each is a form: key-value rows (单位名称 …, or pairs 项目名称 | X | 项目性质 | Y), a money
block, goal texts, then indicator blocks. An indicator block heads its columns in one row
(一级指标 | 二级指标 | [重点工作 | 对应项目] | 三级指标 | target columns | other columns) and
merges each run of equal 一级指标, 二级指标 and 重点工作 labels, the way publishers do; the
三级指标 column takes the spare width. Targets may be split over 指标性质 | 指标值 | 度量单位.

Besides its targets a row may print a weight (分值), a score (得分), a remark (偏差原因分析及改进措施,
原因说明), a likelihood (完成目标可能性) and ticks (✔) under a grouped header such as 偏差原因分析
(a two-row header then: the group over its sub-headers, every other header merged down both
rows); these are repeated on each target record of the row (``IndicatorTruth``). A self-evaluation
may end with the rows 总分 and 自评等级.
"""

from __future__ import annotations

import re
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
#: What a column beside the targets means for the row's records, by its header's text.
EXTRA_MEANINGS = {
    "分值": "weight",
    "权重": "weight",
    "指标分值": "weight",
    "得分": "score",
    "自评得分": "score",
    "偏差原因分析及改进措施": "remark",
    "原因说明": "remark",
    "备注": "remark",
    "完成目标可能性": "likelihood",
}
#: The mark of a ticked column (偏差原因分析's 经费保障 …).
TICK = "✔"
#: A number with a compound unit (``≤800元/生·年``, ``≤35万元/公里``): the truth's unit is the
#: whole compound, written here when the value parser does not give it.
_COMPOUND = re.compile(r"(?P<op>[≤≥<>=]?)(?P<value>\d+(?:\.\d+)?)(?P<unit>[^\d/]+/[^\d/]+)")


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
    ticks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    indicators: tuple[Indicator, ...]
    target_labels: tuple[str, ...]
    key_work: bool = False
    split: bool = False
    extra_headers: tuple[str, ...] = ()
    level3_header: str = "三级指标"
    #: A grouped header over tick columns (偏差原因分析 over 经费保障 | 制度保障 …), after the targets.
    tick_group: str = ""
    tick_headers: tuple[str, ...] = ()
    #: False: 二级指标 printed on every row instead of merged over a run.
    merge_level2: bool = True
    #: True: the 三级指标 header spans the name column and the (single) target column, which
    #: prints no header of its own; the records keep ``target_labels[0]``.
    level3_holds_target: bool = False


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
    #: Score columns after the amounts: (header, field key, total's cell, parts' cell).
    scores: tuple[tuple[str, str, str, str], ...] = ()


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
    #: A key merged down over a row of heads and a row of texts (年度总体目标 | 预期目标 |
    #: 实际完成情况): one field per head.
    stacked_goal: tuple[str, tuple[tuple[str, tuple[str, ...]], ...]] | None = None
    blocks: tuple[Block, ...] = ()
    outer_label: str = ""
    #: Closing rows: ``总分 | 分值's total | 得分's total`` and ``自评等级 | grade``.
    total_score: tuple[str, str] | None = None
    grade: str = ""


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
    target = parse_target(raw)
    compound = _COMPOUND.fullmatch(raw)
    if compound and target.unit != compound["unit"]:
        number = float(compound["value"])
        return Target(raw, compound["op"] or "=", number, None, compound["unit"], "quantitative")
    return target


def _meanings(block: Block) -> list[str]:
    meanings = []
    for header in block.extra_headers:
        meaning = EXTRA_MEANINGS.get(text_of(header))
        if meaning is None:
            raise ValueError(f"a column {header!r} beside the targets with no meaning for the records")
        meanings.append(meaning)
    return meanings


def indicator_block(b: GridBuilder, block: Block, first_col: int) -> dict[str, int]:
    """Header rows and indicator rows of one block, from column ``first_col`` to the right edge.

    Returns the column of each extra by its meaning (``weight``, ``score`` …).
    """
    per_target = 3 if block.split else 1
    ticks = len(block.tick_headers)
    fixed = 2 + (2 if block.key_work else 0) + per_target * len(block.target_labels)
    fixed += ticks + len(block.extra_headers)
    level3_span = b.n_cols - first_col - fixed
    heads: list[tuple[str, int]] = [("一级指标", 1), ("二级指标", 1)]
    if block.key_work:
        heads += [("重点工作", 1), ("对应项目", 1)]
    labels = block.target_labels
    if block.level3_holds_target:
        if len(labels) != 1 or block.split:
            raise ValueError("a 三级指标 header over the target column needs one unsplit target column")
        heads.append((block.level3_header, level3_span + 1))
        labels_printed: tuple[str, ...] = ()
    else:
        heads.append((block.level3_header, level3_span))
        labels_printed = labels
    for label in labels_printed:
        heads += [(SPLIT_HEADERS[0], 1), (label, 1), (SPLIT_HEADERS[1], 1)] if block.split else [(label, 1)]
    if ticks:
        heads.append((block.tick_group, ticks))
    heads += [(h, 1) for h in block.extra_headers]
    head_rows = 2 if ticks else 1
    b.header(head_rows)
    col = first_col
    for text, span in heads:
        grouped = bool(ticks) and text == block.tick_group
        b.put(col, text, colspan=span, rowspan=1 if grouped else head_rows, role="header")
        if grouped:
            for i, sub in enumerate(block.tick_headers):
                b.put(col + i, sub, role="header", row=b.row + 1)
        col += span
    for _ in range(head_rows):
        b.end_row()

    rows = block.indicators
    start = b.row
    merged: list[tuple[int, list[tuple[str, ...]]]] = [
        (first_col, [(i.level1,) for i in rows]),
        (
            first_col + 1,
            [(i.level1, i.level2) if block.merge_level2 else (str(n), i.level2) for n, i in enumerate(rows)],
        ),
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
    meanings = _meanings(block)
    extras_at = level3_col + level3_span + per_target * len(labels) + ticks
    for indicator in rows:
        unknown = set(indicator.ticks) - set(block.tick_headers)
        if unknown or len(indicator.extras) != len(meanings):
            raise ValueError(f"{indicator.level3}: ticks {sorted(unknown)} or extras {indicator.extras}")
        extra = dict(zip(meanings, (text_of(e) for e in indicator.extras), strict=True))
        b.put(level3_col, indicator.level3, colspan=level3_span)
        col = level3_col + level3_span
        for label, raw in zip(labels, indicator.targets, strict=True):
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
                    weight=extra.get("weight", ""),
                    score=extra.get("score", ""),
                    remark=extra.get("remark", ""),
                    reasons=tuple(text_of(h) for h in block.tick_headers if h in indicator.ticks),
                    likelihood=extra.get("likelihood", ""),
                )
            )
        for header in block.tick_headers:
            b.put(col, TICK if header in indicator.ticks else "")
            col += 1
        for text in indicator.extras:
            b.put(col, text)
            col += 1
        b.end_row()
    return {meaning: extras_at + i for i, meaning in enumerate(meanings)}


def stacked_goal(b: GridBuilder, key: str, heads: Sequence[tuple[str, Sequence[str]]], key_cols: int) -> None:
    """``key`` merged down over a row of heads and a row of their texts; one field per head."""
    room = b.n_cols - key_cols
    spans = [room // len(heads) + (1 if i < room % len(heads) else 0) for i in range(len(heads))]
    b.put(0, key, rowspan=2, colspan=key_cols, role="key")
    col = key_cols
    for (head, _), span in zip(heads, spans, strict=True):
        b.put(col, head, colspan=span, role="header")
        col += span
    b.end_row()
    col = key_cols
    for (head, text), span in zip(heads, spans, strict=True):
        b.put(col, text, colspan=span, role="text" if len("".join(text)) > 40 else "value")
        b.field(head, text)
        col += span
    b.end_row()


def closing_rows(b: GridBuilder, spec: FormSpec, columns: dict[str, int]) -> None:
    """``总分 | Σ分值 | Σ得分`` (fields 总分值 and 总分) and ``自评等级 | grade``, labels spanning
    every column left of 分值."""
    weight_col = columns.get("weight")
    if weight_col is None or columns.get("score") != weight_col + 1:
        raise ValueError("closing rows need a 分值 column followed by 得分")
    if spec.total_score:
        weight, score = spec.total_score
        b.put(0, "总分", colspan=weight_col, role="key")
        b.put(weight_col, weight)
        b.put(weight_col + 1, score)
        if weight_col + 2 < b.n_cols:
            b.put(weight_col + 2, "", colspan=b.n_cols - weight_col - 2)
        b.field("总分值", weight)
        b.field("总分", score)
        b.end_row()
    if spec.grade:
        b.put(0, "自评等级", colspan=weight_col, role="key")
        b.put(weight_col, spec.grade, colspan=b.n_cols - weight_col)
        b.field("自评等级", spec.grade)
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
        headed_money(b, money.label, money.columns, money.total, money.scores)
    if spec.stacked_goal:
        stacked_goal(b, *spec.stacked_goal, key_cols=spec.goal_key_cols)
    for key, value in spec.goals:
        b.key_value(key, value, key_cols=spec.goal_key_cols)
    start = b.row
    first_col = 1 if spec.outer_label else 0
    columns: dict[str, int] = {}
    for block in spec.blocks:
        columns = indicator_block(b, block, first_col)
    if spec.outer_label:
        b.put(0, spec.outer_label, rowspan=b.row - start, role="key", row=start)
    if spec.total_score or spec.grade:
        closing_rows(b, spec, columns)
    return b.table(spec.name, spec.caption, spec.widths)
