"""What each column of a budget table holds, and how the columns group into panels.

Judged from what the body prints, whatever the title or the header's wording: a column of
类/款/项 codes (``201``, ``20102``, ``2010201``, or ``201 | 02 | 01`` split over 类 | 款 | 项
columns), a column of amounts, a column of item labels. A table is a row of *panels*, each a
code column (if any), its label columns and the value columns right of them, so that the
收入 | 支出·功能分类 | 支出·支出用途 groups printed side by side each read their own items:
an amount belongs to the item in its own panel's label column, never to a neighbour's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.model import Cell, Grid
from extractor.normalise import vocabulary as vocab
from extractor.normalise.values import heads_scores_or_rates, is_amount, parse_amount

#: A 类/款/项 code printed whole (``2010507``, ``201 05 07``) or one part of a split code (``05``).
CODE = re.compile(r"^\d{2,3}(?:\s*\d{2}){0,2}$")
#: Headers of the parts of a code split over columns; 款 and 项 may be printed without their zero.
CODE_PART_HEADERS = ("类", "款", "项")
_SPLIT_PART = re.compile(r"^\d{1,2}$")
#: Header words of a column of codes (功能科目代码, 科目编码, 功能分类科目编码).
_CODE_HEADER_WORDS = ("编码", "代码")
#: Endings of a header naming a label column in a table whose body is still empty.
_LABEL_HEADER_ENDINGS = ("名称", "项目", "编码", "代码", "科目")

_WORD = re.compile(r"[^\W_]")

CODE_ROLE, LABEL_ROLE, VALUE_ROLE = "code", "label", "value"


@dataclass(frozen=True)
class Panel:
    """One item list with its own value columns: the whole table, or a group printed beside others.

    ``labels`` are the columns whose texts nest, outermost first (a group merged down the first
    column, its items in the second); ``attributes`` are text columns that describe an item
    without nesting under it (采购组织形式); ``direction`` is 收入 or 支出 where the header says
    so in a table of panels, else empty.
    """

    code: tuple[int, ...]
    labels: tuple[int, ...]
    attributes: tuple[int, ...]
    values: tuple[int, ...]
    direction: str = ""

    @property
    def first_col(self) -> int:
        return min((*self.code, *self.labels, *self.attributes, *self.values))

    @property
    def last_col(self) -> int:
        return max((*self.code, *self.labels, *self.attributes, *self.values))


def header_path(grid: Grid, col: int, first_row: int, body_start: int) -> tuple[str, ...]:
    """The header texts above ``col`` from the top down, each merged header cell once; a row
    numbering the columns (栏次 | 1 | 2, ** | 1 | 2) adds nothing."""
    path: list[str] = []
    previous = None
    for row in range(first_row, body_start):
        cell = grid.covering(row, col)
        if cell is None or cell is previous:
            continue
        previous = cell
        if cell.text and not _numbering_row(grid, row):
            path.append(cell.text)
    return tuple(path)


def _numbering_row(grid: Grid, row: int) -> bool:
    return numbers_columns([c for c in grid.row_cells(row) if c.row == row and c.text])


def numbers_columns(cells: list[Cell]) -> bool:
    """Whether a row's own cells number the value columns (栏次 | 1 | 2 …, ** | 1 | 2 …): labelled
    so, or printing the numbers 1, 2, 3 … in order and no other number."""
    if any(c.text in vocab.COLUMN_NUMBER_LABELS for c in cells):
        return True
    numbers = [n for c in cells if (n := parse_amount(c.text)) is not None]
    if not numbers or numbers != [float(n) for n in range(1, len(numbers) + 1)]:
        return False
    # A single column numbered 1 is told from a body row by its labels: marks, no words (**).
    return len(numbers) >= 2 or all(
        parse_amount(c.text) is not None or not _WORD.search(c.text) for c in cells
    )


def body_texts(grid: Grid, col: int, body_start: int) -> list[str]:
    """The texts the body prints in ``col``: cells anchored in it, once per row they cover."""
    return [
        c.text
        for row in range(body_start, grid.n_rows)
        if (c := grid.covering(row, col)) is not None and c.text and c.col == col
    ]


def column_role(texts: list[str], path: tuple[str, ...]) -> str:
    """``code``, ``value``, ``label`` or ``""`` (nothing to read: empty, or a row number)."""
    header = path[-1] if path else ""
    if header in vocab.ROW_NUMBER_HEADERS or header in vocab.NOTE_HEADERS or _is_row_numbering(texts):
        return ""
    if heads_scores_or_rates(header, rate_ending=True):
        return ""  # scores (分值, 得分) and rates (得分率, 增长率(%)) are no money
    if is_code_column(texts, header):
        return CODE_ROLE
    if texts and header.endswith(_CODE_HEADER_WORDS):
        return LABEL_ROLE  # numbers that identify (单位编码 117001), never amounts
    if texts:
        return VALUE_ROLE if sum(is_amount(t) for t in texts) * 2 > len(texts) else LABEL_ROLE
    if not header:
        return ""
    labelled = header.endswith(_LABEL_HEADER_ENDINGS) and not header.startswith("其中")
    return LABEL_ROLE if labelled or header in CODE_PART_HEADERS else VALUE_ROLE


def is_code_column(texts: list[str], header: str) -> bool:
    """Mostly codes (the 合计 row may run across the column), told from a column of whole numbers
    by its header (类/款/项, …编码, …代码) or by the codes themselves: a code tree prints parents
    whose digits begin their children's (201 ⊂ 20102), in lengths 3, 5 and 7."""
    if header in CODE_PART_HEADERS[1:] and texts and all(_SPLIT_PART.match(t) for t in texts if is_amount(t)):
        return sum(bool(_SPLIT_PART.match(t)) for t in texts) * 2 > len(texts)
    codes = [re.sub(r"\s", "", t) for t in texts if CODE.match(t)]
    if not codes or len(codes) * 2 <= len(texts):
        return False
    if header in CODE_PART_HEADERS or any(word in header for word in _CODE_HEADER_WORDS):
        return True
    distinct = set(codes)
    nested = any(a != b and b.startswith(a) for a in distinct for b in distinct)
    return nested and {len(c) for c in distinct} <= {3, 5, 7}


def _is_row_numbering(texts: list[str]) -> bool:
    """1, 2, 3 … (or 32, 33, 34 … in a second panel) down the column: the row numbers of a
    final-accounts table, not amounts."""
    if len(texts) < 3:
        return False
    first = parse_amount(texts[0])
    # Told by the first text that breaks the count: a column of amounts or labels breaks it at once.
    return (
        first is not None
        and first == int(first)
        and all(parse_amount(text) == first + n for n, text in enumerate(texts))
    )


def grid_to_panels(grid: Grid, first_row: int, body_start: int) -> list[Panel]:
    """The table's panels, left to right: a code or label column after an amount column opens
    the next one. Panels are given their direction when the header names both 收入 and 支出."""
    groups: list[dict[str, list[int]]] = []
    current: dict[str, list[int]] = {CODE_ROLE: [], LABEL_ROLE: [], VALUE_ROLE: []}
    for col in range(grid.n_cols):
        texts = body_texts(grid, col, body_start)
        role = column_role(texts, header_path(grid, col, first_row, body_start))
        if not role or (role == LABEL_ROLE and not texts and current[VALUE_ROLE]):
            continue  # an empty column headed like a label opens no panel of its own
        if role in (CODE_ROLE, LABEL_ROLE) and current[VALUE_ROLE]:
            groups.append(current)
            current = {CODE_ROLE: [], LABEL_ROLE: [], VALUE_ROLE: []}
        current[role].append(col)
    groups.append(current)
    panels = [_panel(grid, group, body_start) for group in groups if group[VALUE_ROLE]]
    directions = [_direction(grid, p, first_row, body_start) for p in panels]
    if {"收入", "支出"} <= set(directions):
        panels = [
            Panel(p.code, p.labels, p.attributes, p.values, direction)
            for p, direction in zip(panels, directions, strict=True)
        ]
    return panels


def _panel(grid: Grid, group: dict[str, list[int]], body_start: int) -> Panel:
    labels = group[LABEL_ROLE]
    described = len(labels) > 1 and _is_attribute(grid, labels[-2], labels[-1], body_start)
    attributes = [labels[-1]] if described else []
    return Panel(
        code=tuple(group[CODE_ROLE]),
        labels=tuple(c for c in labels if c not in attributes),
        attributes=tuple(attributes),
        values=tuple(group[VALUE_ROLE]),
    )


def _is_attribute(grid: Grid, item_col: int, col: int, body_start: int) -> bool:
    """Whether ``col`` describes the item printed beside it rather than nesting under it: it
    prints only on rows whose item is printed there too, and repeats a few words
    (分散自行组织, 政府集中采购) where a column of items names each one anew."""
    rows = [row for row in range(body_start, grid.n_rows) if _own_text(grid, row, col)]
    if len(rows) < 3 or not all(_own_text(grid, row, item_col) for row in rows):
        return False
    distinct = {_own_text(grid, row, col) for row in rows}
    return len(distinct) * 3 <= len(rows)


def _own_text(grid: Grid, row: int, col: int) -> str:
    cell = grid.covering(row, col)
    return cell.text if cell is not None and cell.row == row and cell.col == col else ""


def _direction(grid: Grid, panel: Panel, first_row: int, body_start: int) -> str:
    """收入 or 支出 as the panel's header cells say, the outermost that names one of them."""
    for row in range(first_row, body_start):
        for col in range(panel.first_col, panel.last_col + 1):
            cell = grid.covering(row, col)
            text = cell.text if cell is not None else ""
            if ("收入" in text) != ("支出" in text):
                return "收入" if "收入" in text else "支出"
    return ""
