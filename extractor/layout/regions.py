"""Split one form-like grid into its regions: title lines, fields, money blocks, indicator blocks.

Performance-target tables are forms: a few key-value rows, a 部门整体资金 / 项目资金 money
tree, long goal texts, then one or more indicator blocks, each under its own header row
(一级指标 | 二级指标 | … | 指标值). This step only says which rows belong to what; the
sibling modules turn each region into records.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from extractor.model import Cell, Grid
from extractor.normalise import vocabulary as vocab
from extractor.normalise.text import bare_label, resemblance, without_brackets
from extractor.normalise.values import is_amount, is_rate

#: Column roles of an indicator header.
LEVEL1, LEVEL2, LEVEL3, KEY_WORK, PROJECT, TARGET, NATURE, UNIT = (
    "level1",
    "level2",
    "level3",
    "key_work",
    "project",
    "target",
    "nature",
    "unit",
)
WEIGHT, SCORE, REMARK, LIKELIHOOD = "weight", "score", "remark", "likelihood"
_ASSESSMENT_ROLES = (WEIGHT, SCORE, REMARK, LIKELIHOOD)
_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (LEVEL1, vocab.LEVEL1_HEADERS),
    (LEVEL2, vocab.LEVEL2_HEADERS),
    (LEVEL3, vocab.LEVEL3_HEADERS),
    (KEY_WORK, vocab.KEY_WORK_HEADERS),
    (PROJECT, vocab.PROJECT_HEADERS),
    (TARGET, vocab.TARGET_HEADERS),
    (NATURE, vocab.TARGET_NATURE_HEADERS),
    (UNIT, vocab.TARGET_UNIT_HEADERS),
    (WEIGHT, vocab.WEIGHT_HEADERS),
    (SCORE, vocab.SCORE_HEADERS),
    (LIKELIHOOD, vocab.LIKELIHOOD_HEADERS),
    (REMARK, vocab.NOTE_HEADERS),
)


_LEVELS = (LEVEL1, LEVEL2, LEVEL3)
_WORDS_OF = dict(_ROLE_WORDS)
_OTHER_ROLES = tuple(role for role, _ in _ROLE_WORDS if role not in _LEVELS)
#: Roles known by a header's ending too, tried in this order (``role_of``; a misread one by
#: likeness, ``_with_misread_roles``: 实施周期折标值 is a misread 实施周期指标值).
_ENDINGS_OF = {
    TARGET: vocab.TARGET_HEADER_ENDINGS,
    NATURE: vocab.TARGET_NATURE_ENDINGS,
    UNIT: vocab.TARGET_UNIT_ENDINGS,
    WEIGHT: vocab.WEIGHT_HEADERS,
}
#: How much (``resemblance``) an OCR'd cell of a header row that names no role must resemble a
#: hierarchy level's header word to be taken for a level (圾指标 0.57, 二级批标 0.75; 全球指标情,
#: a misread 全年指标值, 0.44), and another column's word or ending to be taken for its column
#: (全球指标情 0.6 to 全年指标值, 实施周期折标值's last three 0.67 to the ending 指标值).
MISREAD_LEVEL_LIKENESS = 0.5
MISREAD_HEADER_LIKENESS = 0.6


#: Text that captions a table: its title (…表), its year (2023年度) or its owner and unit.
_CAPTION_LIKE = re.compile(r"表$|表[（(]|20\d\d\s*年|单位\s*[:：]|编制")
#: The caption line stating the amount unit (单位：万元, 金额单位：元).
CAPTION_UNIT = re.compile(r"单位\s*[:：]\s*(" + "|".join(vocab.AMOUNT_UNITS) + ")")
#: The amount unit a label states in brackets (部门整体资金（万元）, 资金金额(万元)).
AMOUNT_UNIT_IN_LABEL = re.compile(r"[（(]\s*(" + "|".join(vocab.AMOUNT_UNITS) + r")\s*[)）]")


@dataclass(frozen=True)
class ColumnRole:
    """What an indicator-table column holds; ``label`` is the header as printed and
    ``header_col`` the first column of the header cell, shared by all columns it spans."""

    role: str
    label: str
    header_col: int
    #: The header printed under ``label`` in a second header row, when ``label`` groups
    #: several columns (偏差原因分析 over 经费保障 | 制度保障 …).
    sub_label: str = ""


@dataclass(frozen=True)
class IndicatorHeader:
    row: int
    roles: dict[int, ColumnRole]
    #: The last header row: a header whose cells are merged down over a second row of
    #: sub-headers ends there.
    last_row: int = -1

    @property
    def rows(self) -> range:
        return range(self.row, max(self.row, self.last_row) + 1)

    def fits(self, columns: list[int]) -> bool:
        """Whether every column a row uses has a role under this header."""
        return all(c in self.roles for c in columns)


@dataclass(frozen=True)
class Regions:
    title_rows: tuple[int, ...]
    field_rows: tuple[int, ...]
    #: Each money block as (first row, last row).
    money_blocks: tuple[tuple[int, int], ...]
    headers: tuple[IndicatorHeader, ...]
    #: Body rows of the indicator blocks, each with the header it is read under.
    indicator_rows: tuple[tuple[int, IndicatorHeader], ...]
    #: Key-value rows closing an indicator block (总分 | 100 | 95.8, 自评等级 | 优), each with the
    #: header whose columns say what its values are.
    closing_rows: tuple[tuple[int, IndicatorHeader], ...] = ()


def role_of(text: str) -> str | None:
    """The indicator-column role a header text names, if any.

    Publishers annotate headers in brackets (年度(/项目)指标值, 指标值（定量）), so the
    bracketed part is dropped first; a target, nature, unit or weight header is then also known
    by its ending (本年绩效指标值, 绩效度量单位).
    """
    bare = without_brackets(text)
    for role, words in _ROLE_WORDS:
        if bare in words:
            return role
    for role, endings in _ENDINGS_OF.items():
        if bare.endswith(endings):
            return role
    if any(word in bare for word in vocab.REMARK_HEADER_WORDS):
        return REMARK
    return None


def own_cells(grid: Grid, row: int) -> list[Cell]:
    """Cells anchored in ``row`` with text: what the row itself prints."""
    return [c for c in grid.row_cells(row) if c.row == row and c.text]


def used_columns(grid: Grid, row: int) -> list[int]:
    return [col for cell in own_cells(grid, row) for col in range(cell.col, cell.col + cell.colspan)]


def grid_to_regions(grid: Grid) -> Regions:
    """Assign every row of ``grid`` to the region it belongs to."""
    headers = _find_headers(grid)
    header_rows = {row for h in headers for row in h.rows}
    title_rows: list[int] = []
    field_rows: list[int] = []
    money_blocks: list[tuple[int, int]] = []
    indicator_rows: list[tuple[int, IndicatorHeader]] = []
    closing_rows: list[tuple[int, IndicatorHeader]] = []
    row = 0
    while row < grid.n_rows:
        cells = own_cells(grid, row)
        if row in header_rows or (not cells and not _covered_from_above(grid, row)):
            row += 1
            continue
        if grid.is_anchor(row, 0) and (
            _is_money_label(grid.text_at(row, 0))
            or leads_amount_rows(grid, row)
            or leads_amount_pairs(grid, row)
        ):
            last = _money_block_end(grid, row)
            money_blocks.append((row, last))
            row = last + 1
            continue
        header = _header_for(headers, row, used_columns(grid, row))
        if header is not None and not reads_across_levels(grid, row, header):
            indicator_rows.append((row, header))
        elif header is not None and cells:
            closing_rows.append((row, header))
        elif _is_title_row(grid, row, cells, seen_body=bool(field_rows or money_blocks)):
            title_rows.append(row)
        elif cells:
            field_rows.append(row)
        row += 1
    return Regions(
        title_rows=tuple(title_rows),
        field_rows=tuple(field_rows),
        money_blocks=tuple(money_blocks),
        headers=headers,
        indicator_rows=tuple(indicator_rows),
        closing_rows=tuple(closing_rows),
    )


def _find_headers(grid: Grid) -> tuple[IndicatorHeader, ...]:
    """Header rows: rows naming at least one hierarchy level and one more indicator column."""
    headers: list[IndicatorHeader] = []
    for row in range(grid.n_rows):
        if headers and row <= headers[-1].last_row:
            continue
        roles: dict[int, ColumnRole] = {}
        named_cells = [(cell, role_of(cell.text)) for cell in grid.row_cells(row) if cell.row == row]
        if _is_header_row({role for _, role in named_cells if role}):
            named_cells = _with_misread_roles(named_cells)
        for cell, role in named_cells:
            if role is None:
                continue
            for col in range(cell.col, cell.col + cell.colspan):
                roles[col] = ColumnRole(role=role, label=cell.text, header_col=cell.col)
        if _is_header_row({r.role for r in roles.values()}):
            last_row = max(cell.last_row for cell, role in named_cells if role is not None)
            sub_rows = range(row + 1, last_row + 1)
            roles.update(_read_sub_headers(grid, sub_rows, [cell for cell, role in named_cells if role]))
            headers.append(IndicatorHeader(row=row, roles=roles, last_row=last_row))
    return tuple(headers)


def _is_header_row(roles: set[str]) -> bool:
    return len(roles) >= 2 and bool(roles & set(_LEVELS))


def _with_misread_roles(named_cells: list[tuple[Cell, str | None]]) -> list[tuple[Cell, str | None]]:
    """A header row's cells with roles for those OCR misread (一#指标, 二圾指标, 全球指标情).

    The row is a header by the words it prints right; a scan's header cell naming no role is
    read by what it resembles and where it stands. Hierarchy levels stand left of the targets
    and ascend from the left: three level-like cells there are 一级, 二级 and 三级 in that order
    (a 三 read as 二 makes an exact 二级指标 the third), fewer take the level they resemble most
    where the order stays ascending. A cell right of the levels takes the role whose header word
    it resembles most (``MISREAD_HEADER_LIKENESS``), if no other role's word does as much.
    Text from a document's own text layer is never renamed: it prints what it means.
    """
    ocr_cells = [cell for cell, role in named_cells if role is None and cell.confidence is not None]
    if not ocr_cells:
        return named_cells
    roles = {id(cell): role for cell, role in named_cells}
    targets = [cell.col for cell, role in named_cells if role is not None and role not in _LEVELS]
    first_target = min(targets, default=math.inf)
    misread = {id(cell) for cell in ocr_cells}
    level_like = sorted(
        (
            cell
            for cell, role in named_cells
            if cell.last_col < first_target
            and (role in _LEVELS or (id(cell) in misread and _looks_like_level(cell.text)))
        ),
        key=lambda cell: cell.col,
    )
    if len(level_like) == len(_LEVELS):
        roles.update({id(cell): level for cell, level in zip(level_like, _LEVELS, strict=True)})
    else:
        guessed = {
            id(cell): _most_like(cell.text, _LEVELS) if roles[id(cell)] is None else roles[id(cell)]
            for cell in level_like
        }
        order = [_LEVELS.index(guessed[id(cell)]) for cell in level_like if guessed[id(cell)]]
        if len(order) == len(level_like) and order == sorted(set(order)):
            roles.update(guessed)
    for cell in ocr_cells:
        if cell.col > max((c.last_col for c in level_like), default=-1) and roles[id(cell)] is None:
            role = _most_like(cell.text, _OTHER_ROLES)
            if role is not None and _likeness(cell.text, role) >= MISREAD_HEADER_LIKENESS:
                roles[id(cell)] = role
    return [(cell, roles[id(cell)]) for cell, _ in named_cells]


def _looks_like_level(text: str) -> bool:
    """Whether a misread header resembles a level's (an outer 绩效指标 resembles one as much)."""
    return without_brackets(text) not in vocab.OUTER_INDICATOR_LABELS and any(
        _likeness(text, level) >= MISREAD_LEVEL_LIKENESS for level in _LEVELS
    )


def _likeness(text: str, role: str) -> float:
    """How much ``text`` resembles the closest header word of ``role`` (``resemblance``), or, for
    a role also known by how its headers end, its last characters that ending."""
    bare = without_brackets(text)
    ratios = [resemblance(bare, word) for word in _WORDS_OF[role]]
    ratios += [resemblance(bare[-len(ending) :], ending) for ending in _ENDINGS_OF.get(role, ())]
    return max(ratios, default=0.0)


def _most_like(text: str, roles: tuple[str, ...]) -> str | None:
    """The role of ``roles`` whose header words ``text`` resembles most, or None when two tie."""
    scored = sorted(((_likeness(text, role), role) for role in roles), reverse=True)
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _read_sub_headers(grid: Grid, rows: range, named: list[Cell]) -> dict[int, ColumnRole]:
    """The columns of a two-row header's groups, named by the sub-headers printed under them.

    The header cells of a two-row header are merged down over both rows but for the groups
    (偏差原因分析 over 经费保障 | 制度保障 | …, 完成目标可能性 over 确定能 | 有可能 …): each column
    keeps its group's role, told apart by its own sub-header. Nothing is read from rows that
    hold anything else (其中： over 财政资金 | 其他资金, a group of no indicator column); they are
    header rows all the same, under the header cells merged down over them.
    """
    groups = {col: cell for cell in named if cell.colspan > 1 for col in range(cell.col, cell.last_col + 1)}
    sub_cells = [c for row in rows for c in grid.row_cells(row) if c.row == row and c.text]
    if not sub_cells or not all(c.col in groups and c.last_col in groups for c in sub_cells):
        return {}
    columns: dict[int, ColumnRole] = {}
    for cell in sub_cells:
        group = groups[cell.col]
        group_role = role_of(group.text) or ""
        own = role_of(cell.text)
        for col in range(cell.col, cell.last_col + 1):
            columns[col] = (
                ColumnRole(role=own, label=cell.text, header_col=cell.col)
                if own is not None and own != group_role
                else ColumnRole(role=group_role, label=group.text, header_col=cell.col, sub_label=cell.text)
            )
    return columns


def _header_for(headers: tuple[IndicatorHeader, ...], row: int, columns: list[int]) -> IndicatorHeader | None:
    """The header a body row is read under: the one above it, or else the nearest that fits.

    A pasted table may print a few rows in the next block's column structure before
    that block's header (the seed's 机构建设 rows); those are read under the header whose
    columns they fit.
    """
    above = [h for h in headers if h.row < row]
    if not above:
        return None
    if above[-1].fits(columns):
        return above[-1]
    below = [h for h in headers if h.row > row]
    for header in [*below, *reversed(above[:-1])]:
        if header.fits(columns):
            return header
    return above[-1]


def reads_across_levels(grid: Grid, row: int, header: IndicatorHeader) -> bool:
    """Whether ``row``, under an indicator header, is a key-value row instead of an indicator.

    A self-evaluation closes its indicator block with rows such as ``总分值、评价总分(S) | 92.33``
    and ``评价等级 | 优（S≧90）``, whose cells span the 一级/二级/三级 columns instead of filling
    them one by one, and which print no target: every target column is empty or covered by the
    same wide cell. An indicator whose levels are merged across (满意度指标 over 一级 and 二级)
    still prints its target.
    """
    levels = {col for col, r in header.roles.items() if r.role in (LEVEL1, LEVEL2, LEVEL3)}

    def level_headers(cell: Cell) -> set[int]:
        return {
            header.roles[col].header_col for col in range(cell.col, cell.col + cell.colspan) if col in levels
        }

    if not any(len(level_headers(cell)) >= 2 for cell in own_cells(grid, row)):
        return False
    for col, role in header.roles.items():
        if role.role != TARGET:
            continue
        cell = grid.covering(row, col)
        if cell is not None and cell.text and not level_headers(cell):
            return False
    return True


def leads_amount_rows(grid: Grid, first: int) -> bool:
    """Whether the label anchored at (``first``, 0) leads a money block, told by the block's
    structure whatever the label says (财政资金安排和使用情况, 资金使用情况 …).

    The label is merged down over the block's rows. The first of them print no amount and head
    the value columns (预算安排 | 拨付情况 over 年初部门预算安排金额① | 年中调整金额② …); every
    later one prints an item's label left of the first column holding an amount and nothing but
    amounts, rates or blanks from there on (合计 | 9209.55 | 790.22 … | 88.75%). A goal text under its heading
    (年度总体目标 over 预期目标 | 目标实际完成情况) prints no amount, and an indicator block has
    a header row of its own.
    """
    label = _block_label(grid, first)
    if label is None:
        return False
    rows = range(first, label.last_row + 1)
    inner = [[c for c in own_cells(grid, row) if c.col > label.last_col] for row in rows]
    header = list(itertools.takewhile(lambda cells: not any(is_amount(c.text) for c in cells), inner))
    body = [cells for cells in inner[len(header) :] if cells]
    if not body:
        return False
    first_value_col = min(c.col for cells in body for c in cells if is_amount(c.text))
    if not any(c.col >= first_value_col for cells in header for c in cells):
        return False
    for cells in body:
        labels = [c for c in cells if c.col < first_value_col]
        values = [c for c in cells if c.col >= first_value_col]
        if not labels or any(is_amount(c.text) for c in labels):
            return False
        if not all(is_amount(c.text) or is_rate(c.text) for c in values):
            return False
    return True


def leads_amount_pairs(grid: Grid, first: int) -> bool:
    """Whether the label anchored at (``first``, 0) leads a money block of (item, amount) pairs,
    told by its structure whatever the label says (资金金额(万元) over 实施期资金总额： | 350.00 /
    其中：财政拨款 | 350.00 / 其他资金 | ).

    The label is merged down over the block's rows, and every row prints items each followed by
    an amount or a blank, at least one amount in all; the label states an amount unit or an item
    names a total (…总额), for counts are printed in pairs too (编制数 | 18). A cell merged down
    over the whole block beside the pairs (执行率分值（10分）) annotates it and is left out.
    """
    label = _block_label(grid, first)
    if label is None:
        return False
    pairs = [pair_cells(grid, row, label) for row in range(first, label.last_row + 1)]
    items = [c.text for cells in pairs for c in cells[::2]]
    amounts = [c.text for cells in pairs for c in cells[1::2]]
    if not amounts or not all(is_amount(text) for text in amounts) or any(is_amount(text) for text in items):
        return False
    states_money = bool(AMOUNT_UNIT_IN_LABEL.search(label.text))
    return states_money or any(bare_label(text).endswith(vocab.TOTAL_ENDINGS) for text in items)


def _block_label(grid: Grid, first: int) -> Cell | None:
    """The label at (``first``, 0) when it could lead a money block: merged down over rows none
    of which heads indicator columns."""
    label = grid.covering(first, 0)
    if label is None or label.rowspan < 2 or not label.text:
        return None
    if any(role_of_row(grid, row) for row in range(first, label.last_row + 1)):
        return None
    return label


def pair_cells(grid: Grid, row: int, label: Cell) -> list[Cell]:
    """The cells of a money block's row right of its label, but for one merged over the block."""
    return [c for c in own_cells(grid, row) if c.col > label.last_col and c.rowspan < label.rowspan]


def _is_money_label(text: str) -> bool:
    return any(text.startswith(label) for label in vocab.MONEY_BLOCK_LABELS)


def _money_block_end(grid: Grid, first: int) -> int:
    """The last row of the money block: the label's span, or the rows under an empty first column."""
    label = grid.covering(first, 0)
    assert label is not None
    last = label.last_row
    while last + 1 < grid.n_rows:
        below = grid.covering(last + 1, 0)
        if below is not label and below is not None and below.text:
            break
        if role_of_row(grid, last + 1):
            break
        last += 1
    return last


def role_of_row(grid: Grid, row: int) -> bool:
    """Whether ``row`` names indicator columns (a header row); the assessment columns (分值,
    得分, 备注) are printed beside money too, and do not count."""
    return sum(1 for c in grid.row_cells(row) if role_of(c.text) not in (None, *_ASSESSMENT_ROLES)) >= 2


def _covered_from_above(grid: Grid, row: int) -> bool:
    return any(c.row < row for c in grid.row_cells(row))


def _is_title_row(grid: Grid, row: int, cells: list[Cell], *, seen_body: bool) -> bool:
    """A lone caption-like cell across most of the width before any field: a title or a
    year / unit line printed inside the table. A lone header (“三公”经费预算数 over every
    value column) is not one. The caption line that states the owner and the amount unit is
    one even spread over several cells (部门： | 江苏省人民检察院 | 单位：万元)."""
    if seen_body or not cells:
        return False
    if len(cells) > 1:
        return bool(CAPTION_UNIT.search("".join(c.text for c in cells))) and not any(
            is_amount(c.text) for c in cells
        )
    wide = cells[0].colspan * 2 > grid.n_cols or grid.n_cols == 1
    return wide and bool(_CAPTION_LIKE.search(cells[0].text))
