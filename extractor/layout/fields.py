"""Key-value rows of form-like tables (单位名称, 年度目标, 项目名称 | … | 主管部门 | …) to fields."""

from __future__ import annotations

from extractor.layout.regions import SCORE, WEIGHT, IndicatorHeader, own_cells
from extractor.model import Cell, Grid
from extractor.normalise import vocabulary as vocab
from extractor.normalise.text import bare_label
from extractor.records import FieldRecord


def rows_to_fields(grid: Grid, rows: tuple[int, ...]) -> list[FieldRecord]:
    """One field per key in each row; a row of alternating known keys and values gives several."""
    fields: list[FieldRecord] = []
    row_set = set(rows)
    skip: set[int] = set()
    for row in rows:
        if row in skip:
            continue
        cells = own_cells(grid, row)
        below = own_cells(grid, row + 1) if row + 1 in row_set else []
        stacked = _stacked_pairs(cells, below)
        if stacked:
            skip.add(row + 1)
            fields.extend(FieldRecord(key=bare_label(k.text), value=v.text, page=k.page) for k, v in stacked)
            continue
        if len(cells) < 2:
            continue
        for key, values in _pairs(cells):
            fields.append(
                FieldRecord(
                    key=bare_label(key.text),
                    value="\n".join(v.text for v in values),
                    page=key.page,
                )
            )
    return fields


def closing_rows_to_fields(grid: Grid, rows: tuple[tuple[int, IndicatorHeader], ...]) -> list[FieldRecord]:
    """Fields of the rows closing an indicator block, named by the columns their values sit in.

    ``总分 | 100 | 95.8`` under 分值 | 得分 gives ``总分`` = 95.8 (the score) and ``总分值`` = 100
    (the weight it was scored out of), whatever the row's label (总分, 合计, 评价总分), so that
    every table names its total score alike. A row with no value under exactly one of those
    columns (自评等级 | 优, or 总分值、评价总分 | 92.33 across both) is an ordinary key-value row.
    """
    fields: list[FieldRecord] = []
    for row, header in rows:
        scored = [(role, c) for c in own_cells(grid, row)[1:] if (role := _scored_role(c, header))]
        if not scored:
            fields.extend(rows_to_fields(grid, (row,)))
            continue
        for role, cell in scored:
            key = vocab.TOTAL_SCORE if role == SCORE else vocab.TOTAL_WEIGHT
            fields.append(FieldRecord(key=key, value=cell.text, page=cell.page))
    return fields


def _scored_role(cell: Cell, header: IndicatorHeader) -> str:
    """SCORE or WEIGHT when every column ``cell`` spans is one of them, else ""."""
    roles = {header.roles[c].role if c in header.roles else "" for c in range(cell.col, cell.last_col + 1)}
    return roles.pop() if len(roles) == 1 and roles <= {SCORE, WEIGHT} else ""


#: A key is a short label; longer texts are values.
KEY_MAX_CHARS = 10


def _stacked_pairs(cells: list[Cell], below: list[Cell]) -> list[tuple[Cell, Cell]]:
    """Keys printed over their values (项目总目标 | 年度总体目标 above two long texts).

    A label merged down over both rows (项目绩效目标) only groups them and is left out.
    """
    keys = [c for c in cells if c.rowspan == 1]
    if not keys or not all(_key_like(c.text) for c in keys):
        return []
    values = [c for c in below if c.row == keys[0].row + 1]
    if [(c.col, c.colspan) for c in values] != [(c.col, c.colspan) for c in keys]:
        return []
    if any(_key_like(v.text) for v in values):
        return []
    return list(zip(keys, values, strict=True))


def _pairs(cells: list[Cell]) -> list[tuple[Cell, list[Cell]]]:
    """Split a row into (key, value cells).

    A row of short labels alternating with values (项目名称 | X | 项目性质 | Y) pairs them
    up; otherwise every known key after the first starts a new pair.
    """
    if len(cells) >= 4 and len(cells) % 2 == 0 and all(_key_like(c.text) for c in cells[::2]):
        return [(key, [value]) for key, value in zip(cells[::2], cells[1::2], strict=True)]
    pairs: list[tuple[Cell, list[Cell]]] = [(cells[0], [])]
    for cell in cells[1:]:
        if cell.text in vocab.FIELD_KEYS and pairs[-1][1]:
            pairs.append((cell, []))
        else:
            pairs[-1][1].append(cell)
    return [(key, values) for key, values in pairs if values]


def _key_like(text: str) -> bool:
    return text in vocab.FIELD_KEYS or (len(text) <= KEY_MAX_CHARS and not any(ch.isdigit() for ch in text))
