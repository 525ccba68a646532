"""Indicator blocks to records: merged 一级/二级 labels filled down, one record per target column.

Merged labels arrive two ways: as a real span (HTML, Word, PDF), where the covering
cell gives every row its text, or as empty cells (pasted text), where the row above
does. Both end in the same fill-down: a level keeps its last value until a higher
level starts a new group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.layout.regions import (
    KEY_WORK,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    NATURE,
    PROJECT,
    TARGET,
    UNIT,
    IndicatorHeader,
)
from extractor.model import Grid, Issue
from extractor.normalise.values import combine_split_target, parse_target
from extractor.records import IndicatorRecord, Target

#: Hierarchy levels in order; a new value at one level clears the levels after it.
_FILLED_LEVELS = (LEVEL1, LEVEL2, KEY_WORK, PROJECT)


@dataclass
class _FillState:
    """The last label seen at each level, carried down through merged cells."""

    values: dict[str, str] = field(default_factory=dict)
    header: IndicatorHeader | None = None


def rows_to_indicators(
    grid: Grid, rows: tuple[tuple[int, IndicatorHeader], ...], table_id: str
) -> tuple[list[IndicatorRecord], list[Issue]]:
    """Records for the indicator body rows of one grid, in row order."""
    records: list[IndicatorRecord] = []
    issues: list[Issue] = []
    state = _FillState()
    previous_header_row = -1
    for row, header in rows:
        if header.row > previous_header_row and header.row < row:
            # A new block under its own header starts a new hierarchy.
            state = _FillState()
            previous_header_row = header.row
        labels = _levels(grid, row, header, state)
        level3 = _joined(grid, row, header, LEVEL3)
        targets = _targets(grid, row, header)
        page = _row_page(grid, row)
        if not level3 and not any(raw for _, raw in targets):
            issues.append(
                Issue(
                    code="empty_indicator_row",
                    message=f"row {row + 1} ({' / '.join(v for v in labels.values() if v)}) "
                    "names no indicator and no target; skipped",
                    page=page,
                    table=table_id,
                    row=row,
                )
            )
            continue
        for label, raw in targets:
            if not raw:
                continue
            records.append(
                IndicatorRecord(
                    level1=labels[LEVEL1],
                    level2=labels[LEVEL2],
                    level3=level3,
                    key_work=labels[KEY_WORK],
                    project=labels[PROJECT],
                    target_label=label,
                    target=_target(grid, row, header, raw),
                    page=page,
                )
            )
    return records, issues


def _levels(grid: Grid, row: int, header: IndicatorHeader, state: _FillState) -> dict[str, str]:
    """Each hierarchy level's label for ``row``: its own or merged cell, else filled down."""
    labels: dict[str, str] = {}
    new_group = False
    for level in _FILLED_LEVELS:
        columns = [c for c, r in header.roles.items() if r.role == level]
        if not columns:
            labels[level] = ""
            continue
        cell = grid.covering(row, columns[0])
        starts_here = cell is not None and cell.row == row and bool(cell.text)
        if starts_here and cell is not None:
            value = cell.text
            new_group = True
        elif cell is not None and cell.row < row:
            value = cell.text
        else:
            value = "" if new_group else state.values.get(level, "")
        labels[level] = value
        state.values[level] = value
    return labels


def _joined(grid: Grid, row: int, header: IndicatorHeader, role: str) -> str:
    """The text of the distinct cells under ``role`` columns in ``row``."""
    texts: list[str] = []
    for col in sorted(c for c, r in header.roles.items() if r.role == role):
        text = grid.text_at(row, col)
        if text and text not in texts:
            texts.append(text)
    return "".join(texts)


def _targets(grid: Grid, row: int, header: IndicatorHeader) -> list[tuple[str, str]]:
    """(label, cell text) for every target header, in column order.

    A header cell spanning two columns names one target, read where the header starts.
    """
    return [
        (role.label, grid.text_at(row, col))
        for col, role in sorted(header.roles.items())
        if role.role == TARGET and role.header_col == col
    ]


def _target(grid: Grid, row: int, header: IndicatorHeader, raw: str) -> Target:
    nature = _joined(grid, row, header, NATURE)
    unit = _joined(grid, row, header, UNIT)
    if nature or unit:
        return combine_split_target(nature, raw, unit)
    return parse_target(raw)


def _row_page(grid: Grid, row: int) -> int | None:
    pages = [c.page for c in grid.row_cells(row) if c.row == row and c.page is not None]
    return pages[0] if pages else None
