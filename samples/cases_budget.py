"""Budget disclosure tables as logical tables: panel tables, 类/款/项 code tables, the 三公 table.

The money conventions are golden/README.md's "Money records of the standard budget tables":
one record per (body row, value column), empty and ``-`` cells included; a code table's
``code`` as digits and ``path`` the names of the code ancestors the table prints; a panel's
items without their enumerators under ``direction`` 收入 / 支出; the 三公 row without a label.
A value column's path runs from the top header row down, the row-label header (项目, 科目编码)
not included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from cases_model import GridBuilder, Item, MoneyLine, TruthTable

CHINESE_NUMERALS = "一二三四五六七八九十"
#: Digits of each level of a code: 类 201, 款 201 05, 项 201 05 07.
SEGMENTS = (3, 2, 2)
CodeStyle = Literal["split", "joined", "spaced"]


@dataclass(frozen=True)
class AmountStyle:
    """How a publisher prints amounts: grouping, decimals, the unit's scale, zeros."""

    thousands: bool = True
    decimals: int = 0
    scale: int = 1
    zero: str = "0"

    def format(self, yuan: int) -> str:
        if yuan == 0:
            return self.zero
        value = (Decimal(yuan) / self.scale).quantize(Decimal(1).scaleb(-self.decimals), ROUND_HALF_UP)
        return f"{value:,.{self.decimals}f}" if self.thousands else f"{value:.{self.decimals}f}"


def enumerated(index: int, child: bool = False) -> str:
    """``一、`` for a top item, ``1. `` for a part (index from 0)."""
    if child:
        return f"{index + 1}. "
    if index < 10:
        return CHINESE_NUMERALS[index] + "、"
    return "十" + CHINESE_NUMERALS[index - 10] + "、"


# ---------------------------------------------------------------------------- panels


@dataclass(frozen=True)
class Panel:
    """One side of a 收支总表: its heading, value headers, items (with parts) and total."""

    title: str
    headers: tuple[str, ...]
    direction: str
    items: tuple[Item, ...]
    totals: tuple[Item, ...]


def _panel_lines(panel: Panel) -> list[MoneyLine]:
    lines: list[MoneyLine] = []
    for item in panel.items:
        lines.append((item.printed, (item.name,), item.amounts))
        lines += [(c.printed, (item.name, c.name), c.amounts) for c in item.children]
    return lines


def panel_table(
    kind: str,
    name: str,
    caption: Sequence[str],
    unit: str,
    panels: tuple[Panel, Panel],
    widths: Sequence[float],
    *,
    filler: int = 0,
) -> TruthTable:
    """Two panels side by side: a heading row, a ``项目 | values`` row, the items, the totals.

    ``filler`` blank rows stand between the items and the totals, as on printed forms.
    """
    n_cols = sum(1 + len(p.headers) for p in panels)
    b = GridBuilder(n_cols=n_cols, kind=kind, amount_unit=unit)
    firsts = (0, 1 + len(panels[0].headers))
    b.header(2)
    for panel, first in zip(panels, firsts, strict=True):
        b.put(first, panel.title, colspan=1 + len(panel.headers), role="header")
    b.end_row()
    for panel, first in zip(panels, firsts, strict=True):
        b.put(first, "项目", role="header")
        for i, header in enumerate(panel.headers):
            b.put(first + 1 + i, header, role="header")
    b.end_row()
    sides = [_panel_lines(p) for p in panels]
    height = max(len(s) for s in sides) + filler
    for r in range(height):
        for panel, first, lines in zip(panels, firsts, sides, strict=True):
            _panel_line(b, panel, first, lines[r] if r < len(lines) else None)
        b.end_row()
    for r in range(max(len(p.totals) for p in panels)):
        for panel, first in zip(panels, firsts, strict=True):
            total = panel.totals[r] if r < len(panel.totals) else None
            _panel_line(b, panel, first, (total.printed, (total.name,), total.amounts) if total else None)
        b.end_row()
    return b.table(name, caption, widths)


def _panel_line(b: GridBuilder, panel: Panel, first: int, line: MoneyLine | None) -> None:
    if line is None:
        b.put(first, "")
        for i in range(len(panel.headers)):
            b.put(first + 1 + i, "", role="amount")
        return
    label, path, amounts = line
    b.put(first, label)
    for i, (header, raw) in enumerate(zip(panel.headers, amounts, strict=True)):
        b.put(first + 1 + i, raw, role="amount")
        b.fund(panel.direction, "", path, (panel.title, header), raw)


# ------------------------------------------------------------------------ code tables


@dataclass(frozen=True)
class CodeRow:
    code: str
    name: str
    amounts: tuple[str, ...]


@dataclass(frozen=True)
class CodeTableSpec:
    """A 类/款/项 table: header words, rows, the 合计 row, and how codes are printed.

    ``split`` prints a code over one column per level (``201 | 05 | 07``); ``joined`` in one
    column as digits (``2010507``) with names indented by level; ``spaced`` in one column
    with spaces (``201 05 07``). ``group`` heads all value columns (收入预算), or is empty.
    """

    kind: str
    name: str
    caption: tuple[str, ...]
    unit: str
    group: str
    headers: tuple[str, ...]
    rows: tuple[CodeRow, ...]
    total: tuple[str, ...]
    levels: tuple[str, ...] = ("类", "款", "项")
    code_header: str = "功能分类科目编码"
    name_header: str = "功能分类科目名称"
    code_style: CodeStyle = "split"
    total_first: bool = False


def _segments(code: str) -> list[str]:
    out, at = [], 0
    for width in SEGMENTS:
        out.append(code[at : at + width])
        at += width
    return out


def code_table(spec: CodeTableSpec, widths: Sequence[float]) -> TruthTable:
    """Header rows (项目 over the code and name columns, the group over the values), rows, 合计."""
    split = spec.code_style == "split"
    label_cols = len(spec.levels) + 1 if split else 2
    m = len(spec.headers)
    b = GridBuilder(n_cols=label_cols + m, kind=spec.kind, amount_unit=spec.unit)
    head_rows = (2 if split else 1) + (1 if spec.group else 0)
    b.header(head_rows)
    if spec.group:
        b.put(0, "项目", colspan=label_cols, role="header")
        b.put(label_cols, spec.group, colspan=m, role="header")
        b.end_row()
    below = head_rows - b.row  # rows the code header spans down to the last header row
    if split:
        b.put(0, spec.code_header, colspan=len(spec.levels), role="header")
        b.put(len(spec.levels), spec.name_header, rowspan=below, role="header")
    else:
        b.put(0, spec.code_header, role="header")
        b.put(1, spec.name_header, role="header")
    for i, header in enumerate(spec.headers):
        b.put(label_cols + i, header, rowspan=below, role="header")
    b.end_row()
    if split:
        for i, level in enumerate(spec.levels):
            b.put(i, level, role="header")
        b.end_row()
    column_paths: list[tuple[str, ...]] = [(spec.group, h) if spec.group else (h,) for h in spec.headers]
    if spec.total_first:
        _total_row(b, spec, label_cols, column_paths)
    names = {row.code: row.name for row in spec.rows}
    for row in spec.rows:
        segments = _segments(row.code)
        if split:
            for i in range(len(spec.levels)):
                b.put(i, segments[i] if i < len(segments) and segments[i] else "")
            b.put(len(spec.levels), row.name)
        else:
            joined = " ".join(s for s in segments if s) if spec.code_style == "spaced" else row.code
            depth = sum(1 for s in segments if s) - 1
            b.put(0, joined)
            b.put(1, "\u3000" * (2 * depth) + row.name)
        path = [names[row.code[:n]] for n in (3, 5) if len(row.code) > n and row.code[:n] in names]
        for i, (raw, column) in enumerate(zip(row.amounts, column_paths, strict=True)):
            b.put(label_cols + i, raw, role="amount")
            b.fund("", row.code, (*path, row.name), column, raw)
        b.end_row()
    if not spec.total_first:
        _total_row(b, spec, label_cols, column_paths)
    return b.table(spec.name, spec.caption, widths)


def _total_row(b: GridBuilder, spec: CodeTableSpec, label_cols: int, columns: list[tuple[str, ...]]) -> None:
    b.put(0, "合计", colspan=label_cols, role="key")
    for i, (raw, column) in enumerate(zip(spec.total, columns, strict=True)):
        b.put(label_cols + i, raw, role="amount")
        b.fund("", "", ("合计",), column, raw)
    b.end_row()


# ------------------------------------------------------------------------------ 三公


@dataclass(frozen=True)
class ThreePublicSpec:
    """The 三公经费 table: a three-level header over one row of amounts with no label."""

    name: str
    caption: tuple[str, ...]
    unit: str
    total: str
    abroad: str
    car: tuple[str, str, str]  # 小计, 购置费, 运行费
    reception: str
    operating: str | None  # 机关运行经费, when the table has that column
    reception_before_car: bool = False
    group: str = "“三公”经费预算数"
    operating_header: str = "机关运行经费\n预算数"


def three_public_table(spec: ThreePublicSpec, widths: Sequence[float]) -> TruthTable:
    n_cols = 6 + (1 if spec.operating is not None else 0)
    b = GridBuilder(n_cols=n_cols, kind="three_public_expenses", amount_unit=spec.unit)
    b.header(3)
    b.put(0, spec.group, colspan=6, role="header")
    if spec.operating is not None:
        b.put(6, spec.operating_header, rowspan=3, role="header")
    b.end_row()
    car_head, car_parts = "公务用车购置及运行费", ("小计", "购置费", "运行费")
    order: list[tuple[str, tuple[str, ...]]] = [("合计", (spec.total,)), ("因公出国(境)费", (spec.abroad,))]
    car_and_reception = [(car_head, spec.car), ("公务接待费", (spec.reception,))]
    order += car_and_reception[::-1] if spec.reception_before_car else car_and_reception
    col = 0
    columns: list[tuple[tuple[str, ...], str]] = []
    for head, amounts in order:
        if head == car_head:
            b.put(col, head, colspan=3, role="header")
            for i, part in enumerate(car_parts):
                b.put(col + i, part, role="header", row=b.row + 1)
                columns.append(((spec.group, head, part), amounts[i]))
            col += 3
        else:
            b.put(col, head, rowspan=2, role="header")
            columns.append(((spec.group, head), amounts[0]))
            col += 1
    b.end_row()
    b.end_row()
    if spec.operating is not None:
        columns.append(((spec.operating_header,), spec.operating))
    for i, (column, raw) in enumerate(columns):
        b.put(i, raw, role="amount")
        b.fund("", "", (), column, raw)
    b.end_row()
    return b.table(spec.name, spec.caption, widths)
