"""The standard budget disclosure tables to money records (golden/README.md, "Money records").

Every budget table is read the same way, whatever its title: a multi-row column header over
one or more panels (``budget_columns``), each panel a list of items with their amounts. An
item's path comes from what the table prints: the names of its code's ancestors in a code
table (类/款/项); in a list without codes, the labels it nests under, by column (a group
merged down the first column, its items in the second) and by enumerator (一、… then 1. …).

A label cell that runs across panels (当年支出小计 printed once under 功能分类 and 支出用途)
is the total of all of them: its amount is filed under the header the spanned panels share.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

from extractor.layout.budget_columns import CODE, Panel, grid_to_panels, header_path, numbers_columns
from extractor.model import Cell, Grid, Issue
from extractor.normalise import vocabulary as vocab
from extractor.normalise.values import is_amount, parse_amount
from extractor.records import FundRecord

TOTAL_LABELS = vocab.TOTAL_LABELS
ENUMERATORS = tuple(re.compile(pattern) for pattern in vocab.ENUMERATORS)
#: The first number of an enumeration: 一、 （一） 1. （1）.
_FIRST_NUMBER = re.compile(r"^[（(]?(一|1)\s*[）)、.．]")
#: A label that closes a list (本年收入合计, 当年支出小计, 收入总计).
_LIST_TOTAL = re.compile("(" + "|".join(vocab.LIST_TOTAL_ENDINGS) + ")$")
#: "其中：" introduces a part of the item above; the marker is not part of the name.
_PART_MARKER = re.compile(r"^其中\s*[:：]\s*")
#: A body row saying the table is empty on purpose.
_EMPTY_TABLE = re.compile(r"(本|我)(部门|单位).{0,12}无|空表|表为空|无此类|没有.{0,10}(收支|支出|收入)")


@dataclass(frozen=True)
class _Item:
    """Where a body row sits: its direction (panels), code and path."""

    direction: str
    code: str
    path: tuple[str, ...]


@dataclass
class _LabelColumn:
    """The labels open in one label column of a panel, nested by their enumerators.

    ``styles`` are the enumerator styles in the order they first appeared (一、 then 1.);
    ``nest`` is the depth at which a numbering restarted under an unnumbered item stands (年初结转
    和结余 followed by 一、… 二、… again), and ``numbered`` whether the last label had a number.
    """

    open: list[str] = field(default_factory=list)
    #: How far each open label is indented in its cell (None where unknown), beside ``open``.
    indents: list[float | None] = field(default_factory=list)
    styles: list[re.Pattern[str]] = field(default_factory=list)
    nest: int = 0
    numbered: bool = False


@dataclass
class _ListState:
    """What a walk down a panel keeps: its label columns and the names of the codes seen."""

    columns: list[_LabelColumn]
    #: Per label column, the least difference of indentation that means another level, or None
    #: where the column's labels are not set flush left with indents (centred, or not a PDF).
    indent_steps: list[float | None] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    last_code: str = ""


def budget_to_funds(
    grid: Grid, *, first_row: int, amount_unit: str, table_id: str
) -> tuple[list[FundRecord], list[Issue]]:
    """Money records of one budget table whose header starts at ``first_row``."""
    body_start = find_body_start(grid, first_row)
    issues = [
        Issue(code="empty_table", message=f"the table says it is empty: {text}", table=table_id)
        for text in [*_empty_notes(grid, body_start), *(n for n in grid.notes if _EMPTY_TABLE.search(n))]
    ]
    if issues:
        return [], issues
    panels = grid_to_panels(grid, first_row, body_start)
    value_paths = _value_paths(grid, panels, first_row, body_start)
    records = [
        record
        for panel in panels
        for record in _panel_records(grid, panel, panels, value_paths, first_row, body_start, amount_unit)
    ]
    return records, issues


def has_budget_structure(grid: Grid, first_row: int) -> bool:
    """Whether an untitled or unnamed table reads as a budget table all the same: under its header,
    amount columns beside a column of 类/款/项 codes or a total row (合计, 总计, …小计)."""
    body_start = find_body_start(grid, first_row)
    panels = grid_to_panels(grid, first_row, body_start)
    if any(p.code for p in panels):
        return True
    rows = range(body_start, grid.n_rows)
    labels = {grid.text_at(row, col) for p in panels for col in p.labels for row in rows}
    return any(label.endswith((*TOTAL_LABELS, "小计")) for label in labels)


def find_body_start(grid: Grid, first_row: int) -> int:
    """The first row printing an amount or a code: everything above it is header.

    A table without either (an empty 政府性基金 table, a blank template) starts its body at
    its first enumerated item (一、财政拨款收入), blank row or 合计 row, whichever comes first.
    """
    for row in range(first_row, grid.n_rows):
        own = [c for c in grid.row_cells(row) if c.row == row and c.text]
        if numbers_columns(own):
            continue
        if any(_is_number(c.text) or CODE.match(c.text) for c in own):
            return row
    for row in range(first_row + 1, grid.n_rows):
        own = [c for c in grid.row_cells(row) if c.row == row and c.text]
        if not own:
            return row
        # A row label stands in the first column; 合计 further right heads a column.
        label = own[0].text if own[0].col == 0 else ""
        if label in TOTAL_LABELS or _EMPTY_TABLE.search(label) or any(p.match(label) for p in ENUMERATORS):
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


def _value_paths(
    grid: Grid, panels: list[Panel], first_row: int, body_start: int
) -> dict[int, tuple[str, ...]]:
    """Each value column's header path. Panels side by side whose amounts would share a path (支出 /
    预算数 under 功能分类科目, under 部门预算经济分类科目 and under 政府预算经济分类科目) are told apart
    by the header of their item column, put before the amount's own header."""
    paths = {col: header_path(grid, col, first_row, body_start) for p in panels for col in p.values}
    item_headers = [
        header_path(grid, p.labels[0], first_row, body_start)[-1:] if p.labels else () for p in panels
    ]
    sharing: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for index, panel in enumerate(panels):
        for col in panel.values:
            sharing.setdefault((panel.direction, paths[col]), []).append(index)
    for (_, path), indexes in sharing.items():
        headers = [item_headers[i] for i in indexes]
        if len(set(indexes)) < 2 or not path or not all(headers) or len(set(headers)) < len(set(indexes)):
            continue
        for index in set(indexes):
            for col in panels[index].values:
                if paths[col] == path:
                    paths[col] = (*path[:-1], *item_headers[index], path[-1])
    return paths


def _panel_records(
    grid: Grid,
    panel: Panel,
    panels: list[Panel],
    value_paths: dict[int, tuple[str, ...]],
    first_row: int,
    body_start: int,
    amount_unit: str,
) -> list[FundRecord]:
    state = _ListState(
        columns=[_LabelColumn() for _ in panel.labels],
        indent_steps=[_indent_step(grid, col, body_start) for col in panel.labels],
    )
    own_paths = {col: value_paths[col] for col in panel.values}
    records: list[FundRecord] = []
    for row in range(body_start, grid.n_rows):
        label_cells = _label_cells(grid, row, panel)
        if label_cells is None:
            continue  # a label of the panel to the left runs across this one: that panel reads it
        spanned = _spanned_panels(label_cells, panel, panels)
        column_paths = (
            _shared_paths(grid, spanned, label_cells, first_row, body_start)
            if len(spanned) > 1
            else {c: path for c, path in own_paths.items() if _reads_own(grid, row, c, panel, label_cells)}
        )
        code = _row_code(grid, row, panel.code, state.last_code)
        texts = [c.text for c in label_cells if c.row == row]
        if panel.code and not code and not texts:
            texts = [_code_column_text(grid, row, panel)]  # 合计 printed across the code columns
        amounts = [grid.covering(row, col) for col in column_paths]
        if not code and not any(texts) and not any(c is not None and c.text for c in amounts):
            continue
        if any(_EMPTY_TABLE.search(t) for t in texts):
            continue
        if panel.code:
            label = texts[-1] if texts else ""
            if code:
                state.last_code = code
                state.names[code] = label
            path = _code_path(code, label, state.names)
        else:
            path = _list_path(grid, row, panel, state)
        item = _Item(direction=panel.direction, code=code, path=path)
        records += _row_records(grid, row, item, column_paths, amount_unit)
    return records


def _label_cells(grid: Grid, row: int, panel: Panel) -> list[Cell] | None:
    """The distinct cells over the panel's label columns in ``row``, outermost first; None when
    one of them is anchored left of the panel (a label of another panel running across)."""
    cells: list[Cell] = []
    for col in panel.labels:
        cell = grid.covering(row, col)
        if cell is None or (cells and cell is cells[-1]):
            continue
        if cell.col < panel.first_col:
            return None
        if cell.text:
            cells.append(cell)
    return cells


def _reads_own(grid: Grid, row: int, col: int, panel: Panel, label_cells: list[Cell]) -> bool:
    """Whether the panel's value column ``col`` holds an amount of its own in ``row``: not under
    one of the row's labels, nor under a label of a panel to the left running across it."""
    cell = grid.covering(row, col)
    return not _covers(label_cells, col) and (cell is None or cell.col >= panel.first_col)


def _covers(cells: list[Cell], col: int) -> bool:
    return any(c.col <= col <= c.last_col for c in cells)


def _spanned_panels(label_cells: list[Cell], panel: Panel, panels: list[Panel]) -> list[Panel]:
    """The panels a row's label runs into, its own first."""
    reach = max((c.last_col for c in label_cells), default=panel.first_col)
    return [p for p in panels if p is panel or (p.first_col > panel.first_col and p.first_col <= reach)]


def _shared_paths(
    grid: Grid, spanned: list[Panel], label_cells: list[Cell], first_row: int, body_start: int
) -> dict[int, tuple[str, ...]]:
    """The value columns a cross-panel label's amounts stand in, each filed under the header the
    spanned panels share (``支出``) and the column's own last header (``金额``)."""
    paths = {
        col: header_path(grid, col, first_row, body_start)
        for p in spanned
        for col in p.values
        if not _covers(label_cells, col)
    }
    shared = _common_prefix([header_path(grid, p.values[0], first_row, body_start) for p in spanned])
    return {col: (*shared, path[-1]) if path else shared for col, path in paths.items()}


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    prefix = paths[0]
    for path in paths[1:]:
        length = 0
        while length < min(len(prefix), len(path)) and prefix[length] == path[length]:
            length += 1
        prefix = prefix[:length]
    return prefix


def _code_column_text(grid: Grid, row: int, panel: Panel) -> str:
    return next((t for col in panel.code if (t := grid.text_at(row, col))), "")


def _row_code(grid: Grid, row: int, code_columns: tuple[int, ...], last_code: str) -> str:
    """The row's code as digits; a part left blank under a printed child inherits from the row above.

    Split over 类 | 款 | 项 columns, 款 and 项 are two digits each: a workbook that stores them as
    numbers prints ``205 | 1 | 1`` for 2050101. A 款 left blank between a printed 类 and 项
    (``212 | | 02``: not printed, or lost under a seal on a scan) is the row above's where its 类
    is the same: a 项 has a 款. A part that is no number beside parts that are is read as blank
    (a seal's text OCR read in the 类 cell of ``财级 | 01 | 01``).
    """
    parts = [re.sub(r"\s", "", grid.text_at(row, col)) for col in code_columns]
    if len(parts) == 1:
        return parts[0] if parts[0].isdigit() else ""
    parts = [p if p.isdigit() else "" for p in parts]
    if not any(parts):
        return ""
    above = _split_code(last_code)
    first = next(i for i, p in enumerate(parts) if p)
    last = max(i for i, p in enumerate(parts) if p)
    code: list[str] = above[:first]
    for i in range(first, last + 1):
        if parts[i]:
            code.append(parts[i] if i == 0 else parts[i].zfill(2))
        elif i < len(above) and above[:i] == code:
            code.append(above[i])
    return "".join(code)


def _split_code(code: str) -> list[str]:
    return [code[:3], code[3:5], code[5:7]] if code else []


def _code_path(code: str, label: str, names: dict[str, str]) -> tuple[str, ...]:
    ancestors = [names[code[:n]] for n in (3, 5) if len(code) > n and code[:n] in names]
    return (*ancestors, label) if label else tuple(ancestors)


def _list_path(grid: Grid, row: int, panel: Panel, state: _ListState) -> tuple[str, ...]:
    """The row's item under the labels it nests in: the panel's label columns left to right,
    each column's labels nested by their enumerators. A label printed in a column closes what was
    open right of it; a blank column keeps the label open above (filled down). A ``小计`` (or
    ``合计``) printed under a group is the group's own total, not a child of it, and a ``其中：X``
    below it is a part of the group."""
    printed = -1
    for depth, col in enumerate(panel.labels):
        cell = grid.covering(row, col)
        if cell is None or cell.col != col or not cell.text:
            continue
        if cell.row == row:
            state.columns[depth + 1 :] = [_LabelColumn() for _ in panel.labels[depth + 1 :]]
            column = state.columns[depth]
            indent = _indent(cell) if state.indent_steps[depth] is not None else None
            name, level = _strip_enumerator(cell.text, column, indent, state.indent_steps[depth] or 0.0)
            if any(c.open for c in state.columns[:depth]) and name in vocab.SUBTOTAL_LABELS:
                column.open, column.indents = [], []
            else:
                column.open = [*column.open[:level], name]
                column.indents = [*column.indents[:level], indent]
        printed = depth
    if printed < 0:
        return ()
    return tuple(name for column in state.columns[: printed + 1] for name in column.open)


def _strip_enumerator(label: str, column: _LabelColumn, indent: float | None, step: float) -> tuple[str, int]:
    """The item's name without its enumerator, and its depth in its column.

    Depth follows the order in which enumerator styles first appear in the column (一、 then
    1.); ``其中：X`` is a part of the item above it. A numbering that starts (1.) or starts again
    (一、) right under an unnumbered item (财政拨款, 年初财政拨款结转和结余) lists that item's parts,
    unless that item is a total. An item without a
    number stands at the top, unless its column indents its labels (``indent``, known where the
    column sets them flush left): then an item indented deeper than the one above is its part,
    and one indented as deep as an open item is that item's sibling (科学技术支出 / 技术研究与开发 /
    科技成果转化与扩散, each a step further right). A total (收入总计) always stands at the top.
    """
    part = _PART_MARKER.match(label)
    if part is not None:
        return label[part.end() :].strip(), len(column.open)
    for pattern in ENUMERATORS:
        match = pattern.match(label)
        if match:
            if (
                _FIRST_NUMBER.search(match.group())
                and not column.numbered
                and column.open
                and not _LIST_TOTAL.search(column.open[-1])
            ):
                column.nest = len(column.open)
            if pattern not in column.styles:
                column.styles.append(pattern)
            column.numbered = True
            return label[match.end() :].strip(), column.nest + column.styles.index(pattern)
    column.numbered, column.nest = False, 0
    if indent is None or _LIST_TOTAL.search(label):
        return label, 0
    return label, _depth_by_indent(column, indent, step)


def _depth_by_indent(column: _LabelColumn, indent: float, step: float) -> int:
    """The depth of a label indented by ``indent``: beside the deepest open label indented as far,
    or under the deepest open label indented less."""
    for depth in range(len(column.open) - 1, -1, -1):
        other = column.indents[depth] if depth < len(column.indents) else None
        if other is None:
            continue
        if abs(indent - other) <= step:
            return depth
        if other < indent - step:
            return depth + 1
    return 0


def _indent(cell: Cell) -> float | None:
    if cell.text_box is None or cell.bbox is None:
        return None
    return cell.text_box.x0 - cell.bbox.x0


def _indent_step(grid: Grid, col: int, body_start: int) -> float | None:
    """The least indentation that marks a level in a label column, or None where indentation
    says nothing: fewer than three labels with their text's position, labels centred (short of
    both edges alike), or all indented alike."""
    cells = {
        id(c): c
        for row in range(body_start, grid.n_rows)
        if (c := grid.covering(row, col)) is not None
        and c.col == col
        and c.text
        and c.text_box is not None
        and c.bbox is not None
        and not _LIST_TOTAL.search(c.text)
    }.values()
    boxes = [(c.text_box, c.bbox) for c in cells if c.text_box is not None and c.bbox is not None]
    if len(boxes) < 3:
        return None
    step = 0.6 * statistics.median(text.bottom - text.top for text, _ in boxes)
    lefts = [text.x0 - box.x0 for text, box in boxes]
    centred = sum(abs((box.x1 - text.x1) - (text.x0 - box.x0)) <= step for text, box in boxes) * 2 > len(
        boxes
    )
    levels = sorted(lefts)
    stepped = any(b - a > step for a, b in itertools.pairwise(levels))
    return step if stepped and not centred else None


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
                position=(cell.row, cell.col) if cell is not None else None,
            )
        )
    return records


def _page(grid: Grid, row: int, col: int) -> int | None:
    cell = grid.covering(row, col)
    if cell is not None and cell.page is not None:
        return cell.page
    pages = [c.page for c in grid.row_cells(row) if c.page is not None]
    return pages[0] if pages else None
