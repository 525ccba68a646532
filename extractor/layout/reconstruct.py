"""One grid to one table: normalise its text, find its regions, read each into records."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.layout.budget import budget_to_funds, find_body_start, has_budget_structure
from extractor.layout.fields import closing_rows_to_fields, rows_to_fields
from extractor.layout.indicators import rows_to_indicators
from extractor.layout.money import block_to_funds, label_amount_unit
from extractor.layout.regions import CAPTION_UNIT, Regions, grid_to_regions, own_cells
from extractor.model import Grid, Issue
from extractor.normalise import vocabulary as vocab
from extractor.normalise.classify import classify, names_a_table, names_more_precisely, without_table_number
from extractor.normalise.metadata import first_year
from extractor.normalise.text import normalise
from extractor.records import BodyCell, FieldRecord, FundRecord, IndicatorRecord, Table, TableMeta

#: Every kind that is a standard budget disclosure table (CONTRACT §3).
BUDGET_KINDS = frozenset(kind for kind, _ in vocab.KIND_SIGNATURES if "performance" not in kind)
_CAPTION_OWNER = re.compile(r"编制(?:部门|单位)\s*[:：]\s*(.*?)\s*(?=(?:金额)?单位\s*[:：]|$)")
#: Punctuation inside a sentence: a caption line holding it is prose, not a title.
_PROSE = re.compile(r"[，。；！？]")
#: A caption line that is a field of its own (部门：X, 单位：万元, 编制单位：X).
_CAPTION_FIELD = re.compile(r"(部门|单位|编制|填报|日期)\s*[:：]")
#: A line holding only the year (2023年度, （2023年度）).
_YEAR_ONLY = re.compile(r"[（(]?\s*20\d\d\s*年度?\s*[)）]?")


def normalise_grid(grid: Grid) -> Grid:
    """The same grid with every text normalised (CONTRACT §4) and the caption cleaned."""
    # Most texts are normal already (an amount, an empty cell): their cells are kept as they are.
    cells = tuple(c if (text := normalise(c.text)) == c.text else replace(c, text=text) for c in grid.cells)
    caption = tuple(t for t in (normalise(line) for line in grid.caption) if t)
    return replace(grid, cells=cells, caption=caption)


def grid_to_table(raw_grid: Grid, table_id: str) -> tuple[Table, list[Issue]]:
    """Reconstruct one table: title, kind, meta and the records its kind has."""
    grid = normalise_grid(raw_grid)
    regions = grid_to_regions(grid)
    title_lines = [*grid.caption, *(" ".join(c.text for c in own_cells(grid, r)) for r in regions.title_rows)]
    title = _title(title_lines)
    fields = rows_to_fields(grid, regions.field_rows)
    named = classify(
        title,
        header_text=_header_text(grid, regions),
        has_indicators=bool(regions.headers),
        field_keys={f.key for f in fields},
    )
    kind = named.name
    amount_unit = _amount_unit(grid, regions, title_lines)
    issues: list[Issue] = []
    funds: list[FundRecord] = []
    indicators: list[IndicatorRecord] = []
    cells: tuple[BodyCell, ...] = ()
    first_row = max(regions.title_rows, default=-1) + 1
    if kind in BUDGET_KINDS or (kind == "generic" and has_budget_structure(grid, first_row)):
        funds, issues = budget_to_funds(grid, first_row=first_row, amount_unit=amount_unit, table_id=table_id)
        fields = []
    else:
        for first, last in regions.money_blocks:
            block = block_to_funds(grid, first, last, amount_unit=amount_unit, table_id=table_id)
            funds.extend(block.funds)
            fields.extend(block.fields)
            issues.extend(block.issues)
        indicators, indicator_issues = rows_to_indicators(grid, regions.indicator_rows, table_id)
        issues.extend(indicator_issues)
    fields.extend(closing_rows_to_fields(grid, regions.closing_rows))
    if kind == "generic":
        # Rows of a table that is not a form are data, not key-value pairs: only rows led
        # by a known field key (单位名称 …) stay fields; the body goes out as cells.
        cells = tuple(grid_to_body_cells(grid))
        fields = [f for f in fields if f.key in vocab.FIELD_KEYS]
    table = Table(
        id=table_id,
        kind=kind,
        kind_confidence=named.confidence,
        kind_words=named.words,
        title=title,
        pages=grid.pages,
        meta=TableMeta(
            year=first_year(title_lines),
            unit_name=_unit_name(fields) or _caption_unit_name(title_lines),
            amount_unit=amount_unit,
        ),
        grid=grid,
        indicators=tuple(indicators),
        funds=tuple(funds),
        fields=tuple(fields),
        cells=cells,
        sheet="" if grid.sheet is None else grid.sheet.name,
        cell_range="" if grid.sheet is None else grid.sheet.cell_range,
    )
    return table, issues


def row_roles(table: Table) -> list[str]:
    """What each row of a reconstructed table was read as, for people inspecting it: ``title``,
    ``header``, ``field``, ``money``, ``indicator``, ``body`` (a budget table's rows under its
    header), or ``""`` for a row nothing was read from. The same steps as ``grid_to_table``."""
    grid = table.grid
    regions = grid_to_regions(grid)
    roles = [""] * grid.n_rows
    for row in regions.title_rows:
        roles[row] = "title"
    if table.kind in BUDGET_KINDS:
        first_row = max(regions.title_rows, default=-1) + 1
        body = find_body_start(grid, first_row)
        roles[first_row:body] = ["header"] * (body - first_row)
        roles[body:] = ["body"] * (grid.n_rows - body)
        return roles
    for row in regions.field_rows:
        roles[row] = "field"
    for first, last in regions.money_blocks:
        roles[first : last + 1] = ["money"] * (last + 1 - first)
    for header in regions.headers:
        roles[header.row : header.rows.stop] = ["header"] * len(header.rows)
    for row, _ in regions.closing_rows:
        roles[row] = "field"
    for row, _ in regions.indicator_rows:
        roles[row] = "indicator"
    if table.kind == "generic" and grid.n_rows:
        roles = ["header"] + ["body"] * (grid.n_rows - 1)
    return roles


#: How many rows under the title are read as header text for naming an untitled table.
HEADER_ROWS_FOR_KIND = 3


def _header_text(grid: Grid, regions: Regions) -> str:
    """The rows under the title, and the header rows of the indicator blocks."""
    first_row = max(regions.title_rows, default=-1) + 1
    rows = [
        *range(first_row, min(first_row + HEADER_ROWS_FOR_KIND, grid.n_rows)),
        *(row for header in regions.headers for row in header.rows),
    ]
    return " ".join(c.text for r in rows for c in own_cells(grid, r))


def grid_to_body_cells(grid: Grid) -> list[BodyCell]:
    """Generic tables: the first row heads the columns, the first column heads the rows."""
    body: list[BodyCell] = []
    for row in range(1, grid.n_rows):
        row_head = grid.text_at(row, 0)
        for cell in own_cells(grid, row):
            if cell.col == 0:
                continue
            column_head = grid.text_at(0, cell.col)
            body.append(
                BodyCell(
                    row_path=(row_head,) if row_head else (),
                    column_path=(column_head,) if column_head else (),
                    text=cell.text,
                    page=cell.page,
                )
            )
    return body


def _title(lines: list[str]) -> str:
    """The caption line that names a table (…表; a label that only numbers it, 公开01表, when no
    line names it), else the first line that is no sentence (prose above a frame is no title).

    A long title wraps (公开09表：一般公共预算“三公”经费、会议费、培训费 / 支出预算表): the line
    before it belongs to it when that line is not complete in itself (a title or label of its
    own, a sentence, a caption field such as 部门：X) and the two name the table more precisely
    than its last line alone does.
    """
    named = [i for i, line in enumerate(lines) if names_a_table(line) and without_table_number(line)]
    named = named or [i for i, line in enumerate(lines) if names_a_table(line)]
    if not named:
        return next((line for line in lines if not _PROSE.search(line)), "")
    last = named[-1]
    if last and _continues_into_next(lines[last - 1]):
        joined = lines[last - 1] + lines[last]
        if names_more_precisely(joined, than=lines[last]):
            return joined
    return lines[last]


def _continues_into_next(line: str) -> bool:
    return not (
        names_a_table(line)
        or line.endswith(("。", "！", "？", "；", "：", ":", "，", "）", ")"))
        or _CAPTION_FIELD.search(line)
        or _YEAR_ONLY.fullmatch(line)
        or not without_table_number(line)
    )


def _unit_name(fields: list[FieldRecord]) -> str:
    for key in vocab.UNIT_NAME_KEYS:
        for f in fields:
            if f.key == key and f.value:
                return f.value
    return ""


def _caption_unit_name(lines: list[str]) -> str:
    """编制部门：X / 编制单位：X in a caption; the unit line may follow without a space."""
    for line in lines:
        match = _CAPTION_OWNER.search(line)
        if match and match.group(1).strip():
            return match.group(1).strip()
    return ""


def _amount_unit(grid: Grid, regions: Regions, lines: list[str]) -> str:
    for line in lines:
        match = CAPTION_UNIT.search(line)
        if match:
            return match.group(1)
    for first, _ in regions.money_blocks:
        unit = label_amount_unit(grid.text_at(first, 0))
        if unit:
            return unit
    return ""
