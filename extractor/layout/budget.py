"""The standard budget disclosure tables to money records (golden/README.md, "Money records").

Two shapes cover the nine tables. Code tables (收入总表, 支出总表, 功能/经济分类表, 三公)
carry a multi-row column header over value columns and, per body row, a 类/款/项 code
and a name; a row's path is the names of its code's ancestors printed in the same table.
Panel tables (收支总表, 财政拨款收支总表) set a 收入 panel beside a 支出 panel, each a
list of enumerated items (一、… 1. …) with their own value columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.model import Grid, Issue
from extractor.records import FundRecord
from extractor.values import is_amount, parse_amount

TOTAL_LABELS = ("合计", "总计")
#: Kinds read as panel tables; every other budget kind is a code table.
PANEL_KINDS = ("budget_summary", "fiscal_appropriation_summary")
#: A 类/款/项 code printed whole ("2010507", "201 05 07") or one part per column ("05").
_CODE = re.compile(r"^\d{2,3}(?:\s*\d{2}){0,2}$")
#: Enumerators of panel items, outermost first: 一、 （一） 1. （1）.
_ENUMERATORS = (
    re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^[（(][一二三四五六七八九十]+[）)]"),
    re.compile(r"^\d+\s*[、.．](?!\d)"),
    re.compile(r"^[（(]\d+[）)]"),
)
#: A body row saying the table is empty on purpose.
_EMPTY_TABLE = re.compile(r"(本|我)(部门|单位).{0,12}无|空表|无此类|没有.{0,10}(收支|支出|收入)")


@dataclass(frozen=True)
class Columns:
    """Roles of a table's (or panel's) columns, found from its body."""

    code: tuple[int, ...]
    label: int | None
    values: tuple[int, ...]


@dataclass(frozen=True)
class _Item:
    """Where a body row sits: its direction (panels), code and path."""

    direction: str
    code: str
    path: tuple[str, ...]


def budget_to_funds(
    grid: Grid, kind: str, *, first_row: int, amount_unit: str, table_id: str
) -> tuple[list[FundRecord], list[Issue]]:
    """Money records of one budget table whose header starts at ``first_row``."""
    body_start = find_body_start(grid, first_row)
    issues = [
        Issue(code="empty_table", message=f"the table says it is empty: {text}", table=table_id)
        for text in [*_empty_notes(grid, body_start), *(n for n in grid.notes if _EMPTY_TABLE.search(n))]
    ]
    if issues:
        return [], issues
    panels = _panels(grid, first_row, body_start) if kind in PANEL_KINDS else []
    if panels:
        records = [
            record
            for direction, span in panels
            for record in _panel_records(grid, direction, span, first_row, body_start, amount_unit)
        ]
    else:
        columns = _columns(grid, range(grid.n_cols), first_row, body_start)
        records = _code_records(grid, columns, first_row, body_start, amount_unit)
    return records, issues


def find_body_start(grid: Grid, first_row: int) -> int:
    """The first row printing an amount or a code: everything above it is header.

    A table without either (an empty 政府性基金 table, a blank template) starts its body at
    its first enumerated item (一、财政拨款收入), blank row or 合计 row, whichever comes first.
    """
    for row in range(first_row, grid.n_rows):
        for cell in grid.row_cells(row):
            if cell.row == row and cell.text and (_is_number(cell.text) or _CODE.match(cell.text)):
                return row
    for row in range(first_row + 1, grid.n_rows):
        own = [c for c in grid.row_cells(row) if c.row == row and c.text]
        if not own:
            return row
        # A row label stands in the first column; 合计 further right heads a column.
        label = own[0].text if own[0].col == 0 else ""
        if label in TOTAL_LABELS or _EMPTY_TABLE.search(label) or any(p.match(label) for p in _ENUMERATORS):
            return row
    return grid.n_rows


def _is_number(text: str) -> bool:
    return is_amount(text) and parse_amount(text) is not None


def _empty_notes(grid: Grid, body_start: int) -> list[str]:
    return [
        cell.text
        for row in range(body_start if body_start < grid.n_rows else 0, grid.n_rows)
        for cell in grid.row_cells(row)
        if cell.row == row and _EMPTY_TABLE.search(cell.text)
    ]


def header_path(grid: Grid, col: int, first_row: int, body_start: int) -> tuple[str, ...]:
    """The header texts above ``col`` from the top down, each merged header cell once."""
    path: list[str] = []
    previous = None
    for row in range(first_row, body_start):
        cell = grid.covering(row, col)
        if cell is None or cell is previous:
            continue
        previous = cell
        if cell.text:
            path.append(cell.text)
    return tuple(path)


def _columns(grid: Grid, span: range, first_row: int, body_start: int) -> Columns:
    """Code, label and value columns of ``span``, judged by what their body cells hold."""
    code: list[int] = []
    values: list[int] = []
    label: int | None = None
    for col in span:
        texts = [
            c.text
            for row in range(body_start, grid.n_rows)
            if (c := grid.covering(row, col)) is not None and c.text and c.col == col
        ]
        path = header_path(grid, col, first_row, body_start)
        if _is_code_column(texts, path):
            code.append(col)
        elif _is_value_column(texts, path):
            values.append(col)
        elif label is None and texts:
            label = col
    return Columns(code=tuple(code), label=label, values=tuple(values))


def _is_code_column(texts: list[str], path: tuple[str, ...]) -> bool:
    """Headed 类/款/项 or …编码, and mostly codes (the 合计 row may run across it)."""
    headed = bool(path) and (path[-1] in ("类", "款", "项") or "编码" in path[-1])
    return headed and sum(bool(_CODE.match(t)) for t in texts) * 2 > len(texts)


def _is_value_column(texts: list[str], path: tuple[str, ...]) -> bool:
    """Mostly amounts; or, in an empty table, a column whose header names no row label."""
    if texts:
        return sum(is_amount(t) for t in texts) * 2 > len(texts)
    return bool(path) and not _is_label_header(path[-1])


def _is_label_header(header: str) -> bool:
    return header.endswith(("名称", "项目", "编码")) or header in ("类", "款", "项")


def _code_records(
    grid: Grid, columns: Columns, first_row: int, body_start: int, amount_unit: str
) -> list[FundRecord]:
    names: dict[str, str] = {}
    last_code = ""
    records: list[FundRecord] = []
    column_paths = {col: header_path(grid, col, first_row, body_start) for col in columns.values}
    for row in range(body_start, grid.n_rows):
        code = _row_code(grid, row, columns.code, last_code)
        label = grid.text_at(row, columns.label) if columns.label is not None else ""
        if columns.code and not code and label == "" and any(grid.text_at(row, c) for c in columns.code):
            label = grid.text_at(row, columns.code[0])  # 合计 printed across the code columns
        cells = [grid.covering(row, col) for col in columns.values]
        if not code and not label and not any(c is not None and c.text for c in cells):
            continue
        if _EMPTY_TABLE.search(label):
            continue
        if code:
            last_code = code
            names[code] = label
        item = _Item(direction="", code=code, path=_code_path(code, label, names))
        records += _row_records(grid, row, item, column_paths, amount_unit)
    return records


def _row_code(grid: Grid, row: int, code_columns: tuple[int, ...], last_code: str) -> str:
    """The row's code as digits; a part left blank under a printed child inherits from the row above."""
    parts = [re.sub(r"\s", "", grid.text_at(row, col)) for col in code_columns]
    if not any(parts) or not all(p.isdigit() for p in parts if p):
        return ""
    if len(parts) == 1:
        return parts[0]
    first = next(i for i, p in enumerate(parts) if p)
    inherited = _split_code(last_code)[:first] if first else []
    return "".join(inherited) + "".join(p for p in parts[first:] if p)


def _split_code(code: str) -> list[str]:
    return [code[:3], code[3:5], code[5:7]] if code else []


def _code_path(code: str, label: str, names: dict[str, str]) -> tuple[str, ...]:
    ancestors = [names[code[:n]] for n in (3, 5) if len(code) > n and code[:n] in names]
    return (*ancestors, label) if label else tuple(ancestors)


def _panels(grid: Grid, first_row: int, body_start: int) -> list[tuple[str, range]]:
    """The 收入 and 支出 panels: top header cells naming a direction and spanning columns."""
    panels = []
    for cell in grid.row_cells(first_row):
        if cell.row != first_row or body_start <= first_row:
            continue
        direction = "收入" if "收入" in cell.text else "支出" if "支出" in cell.text else ""
        if direction and cell.colspan > 1:
            panels.append((direction, range(cell.col, cell.col + cell.colspan)))
    directions = {d for d, _ in panels}
    return panels if directions == {"收入", "支出"} else []


def _panel_records(
    grid: Grid, direction: str, span: range, first_row: int, body_start: int, amount_unit: str
) -> list[FundRecord]:
    columns = _columns(grid, span, first_row, body_start)
    column_paths = {col: header_path(grid, col, first_row, body_start) for col in columns.values}
    levels: list[re.Pattern[str]] = []
    open_path: list[str] = []
    records: list[FundRecord] = []
    for row in range(body_start, grid.n_rows):
        label = grid.text_at(row, columns.label) if columns.label is not None else ""
        cells = [grid.covering(row, col) for col in columns.values]
        if not label and not any(c is not None and c.text for c in cells):
            continue
        name, depth = _strip_enumerator(label, levels)
        open_path = [*open_path[:depth], name]
        item = _Item(direction=direction, code="", path=tuple(open_path))
        records += _row_records(grid, row, item, column_paths, amount_unit)
    return records


def _row_records(
    grid: Grid, row: int, item: _Item, column_paths: dict[int, tuple[str, ...]], amount_unit: str
) -> list[FundRecord]:
    """One record per value column of ``row``, empty cells included (amount None)."""
    records = []
    for col, path in column_paths.items():
        cell = grid.covering(row, col)
        raw = cell.text if cell is not None else ""
        records.append(
            FundRecord(
                direction=item.direction,
                code=item.code,
                path=item.path,
                column=path,
                amount=parse_amount(raw),
                amount_unit=amount_unit,
                raw=raw,
                page=_page(grid, row, col),
            )
        )
    return records


def _strip_enumerator(label: str, levels: list[re.Pattern[str]]) -> tuple[str, int]:
    """The item's name without its enumerator, and its depth by enumerator style.

    Depth follows the order in which styles first appear in the panel (一、 then 1.), and
    an item without an enumerator (收入总计) stands at the top.
    """
    for pattern in _ENUMERATORS:
        match = pattern.match(label)
        if match:
            if pattern not in levels:
                levels.append(pattern)
            return label[match.end() :].strip(), levels.index(pattern)
    return label, 0


def _page(grid: Grid, row: int, col: int) -> int | None:
    cell = grid.covering(row, col)
    if cell is not None and cell.page is not None:
        return cell.page
    pages = [c.page for c in grid.row_cells(row) if c.page is not None]
    return pages[0] if pages else None
