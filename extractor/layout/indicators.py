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
    LIKELIHOOD,
    NATURE,
    PROJECT,
    REMARK,
    SCORE,
    TARGET,
    UNIT,
    WEIGHT,
    IndicatorHeader,
)
from extractor.model import Grid, Issue
from extractor.normalise import vocabulary as vocab
from extractor.normalise.text import bare_label
from extractor.normalise.values import combine_split_target, parse_number, parse_target
from extractor.records import IndicatorRecord, Target

#: The target label of a value printed beside the indicator's name under one spanning
#: 三级指标 header, in a table with no target column of its own.
UNNAMED_TARGET_LABEL = "指标值"

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
        level3, targets = _name_and_targets(grid, row, header)
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
        assessment = _assessment(grid, row, header)
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
                    weight=assessment.weight,
                    score=assessment.score,
                    remark=assessment.remark,
                    reasons=assessment.reasons,
                    likelihood=assessment.likelihood,
                )
            )
    return records, issues


def _name_and_targets(grid: Grid, row: int, header: IndicatorHeader) -> tuple[str, list[tuple[str, str]]]:
    """The 三级指标 name and the (label, text) of each target.

    A table with no target column that prints the name and the value side by side under one
    spanning 三级指标 header has its value in the last of those cells, not glued to the name.
    """
    targets = _targets(grid, row, header)
    if any(role.role == TARGET for role in header.roles.values()):
        return _joined(grid, row, header, LEVEL3), targets
    cells = _distinct_cells(grid, row, header, LEVEL3)
    if len(cells) < 2:
        return "".join(cells), targets
    return "".join(cells[:-1]), [(UNNAMED_TARGET_LABEL, cells[-1])]


@dataclass(frozen=True)
class _Assessment:
    weight: float | None
    score: float | None
    remark: str
    reasons: tuple[str, ...]
    likelihood: str


def _assessment(grid: Grid, row: int, header: IndicatorHeader) -> _Assessment:
    """What the row prints about its indicator besides the targets: weight, score, remark,
    and the ticked columns of a group (the reasons for a deviation, the likelihood)."""
    texts: dict[str, list[str]] = {WEIGHT: [], SCORE: [], REMARK: [], LIKELIHOOD: []}
    reasons: list[str] = []
    likelihood: list[str] = []
    for col, role in sorted(header.roles.items()):
        if role.role not in texts or role.header_col != col:
            continue
        text = grid.text_at(row, col)
        if not text:
            continue
        if role.sub_label:
            if _ticked(text):
                (likelihood if role.role == LIKELIHOOD else reasons).append(role.sub_label)
            elif role.role == REMARK:
                texts[REMARK].append(text)
            continue
        if text not in texts[role.role]:
            texts[role.role].append(text)
    return _Assessment(
        weight=_number(texts[WEIGHT]),
        score=_number(texts[SCORE]),
        remark="\n".join(texts[REMARK]),
        reasons=tuple(reasons),
        likelihood="、".join([*texts[LIKELIHOOD], *likelihood]),
    )


def _ticked(text: str) -> bool:
    return text.strip() in vocab.CHECK_MARKS


def _number(texts: list[str]) -> float | None:
    return parse_number(texts[0]) if texts else None


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
            value = bare_label(cell.text)
            new_group = True
        elif cell is not None and cell.row < row:
            value = bare_label(cell.text)
        else:
            value = "" if new_group else state.values.get(level, "")
        labels[level] = value
        state.values[level] = value
    return labels


def _joined(grid: Grid, row: int, header: IndicatorHeader, role: str) -> str:
    """The text of the distinct cells under ``role`` columns in ``row``."""
    return "".join(_distinct_cells(grid, row, header, role))


def _distinct_cells(grid: Grid, row: int, header: IndicatorHeader, role: str) -> list[str]:
    texts: list[str] = []
    for col in sorted(c for c, r in header.roles.items() if r.role == role):
        text = grid.text_at(row, col)
        if text and text not in texts:
            texts.append(text)
    return texts


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
