"""The logical layout of the seed 部门整体预算绩效目标表, checked against the seed.

The seed (``../shared/seed/000_7d771747d48d5f69.txt``, relative to the project
root) is the table as a web page gave it when copied as tab-separated text:
merged cells left empty, ``<p>`` markup kept inside cells, some rows that lost
their leading merged cells. This module holds the one reading of it we render:
a 7-column grid of anchor cells with explicit row and column spans.

Long texts are taken from the seed; short ones are written below in
pipe-separated tables that read like the printed form, and the spans of the
indicator blocks follow from runs of equal labels (一级指标, 二级指标,
重点工作), the way a publisher merges them. ``check_layout`` then compares the
grid with the seed in both directions -- every text placed occurs in the seed,
every text of the seed is placed -- so a typo or a dropped cell stops the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Literal

N_COLS = 7

Role = Literal["key", "header", "text", "value", "amount"]
"""What a cell is, which decides how each producer styles it.

key: a row label (单位名称, 收入, 决策 ...); header: a column heading
(一级指标, 全年预算数 ...); text: long prose in ``<p>`` paragraphs; value: a short
entry (健全, =100%); amount: money in 万元.
"""


class SampleError(Exception):
    """A sample cannot be produced; the message says what to do next."""


@dataclass(frozen=True)
class Cell:
    """An anchor cell of the logical grid; the positions it covers hold nothing."""

    row: int
    col: int
    paragraphs: tuple[str, ...]
    rowspan: int = 1
    colspan: int = 1
    role: Role = "value"

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class Layout:
    """The table to render: title and year printed above it, then the grid.

    ``header_rows`` are the rows that head an indicator block; a producer that
    cuts the table repeats the nearest one above the cut.
    """

    title: str
    year: str
    n_rows: int
    cells: tuple[Cell, ...]
    header_rows: tuple[int, ...]

    def rows(self) -> Iterator[list[Cell]]:
        """Anchor cells grouped by the row they start in, in column order."""
        by_row: dict[int, list[Cell]] = {r: [] for r in range(self.n_rows)}
        for cell in self.cells:
            by_row[cell.row].append(cell)
        for r in range(self.n_rows):
            yield sorted(by_row[r], key=lambda c: c.col)


# ---------------------------------------------------------------------------- seed


@dataclass(frozen=True)
class Seed:
    """The seed text split into lines of tab-separated fields."""

    raw: bytes
    lines: tuple[tuple[str, ...], ...]

    @property
    def title(self) -> str:
        """The ``## `` heading line (the page's table title)."""
        for line in self.lines:
            if line and line[0].startswith("## "):
                return line[0][3:].strip()
        raise SampleError("the seed has no '## ' title line; is this the right seed file?")

    @property
    def year(self) -> str:
        """The lone ``NNNN年度`` line under the title."""
        for line in self.lines:
            if len(line) == 1 and re.fullmatch(r"\d{4}年度", line[0].strip()):
                return line[0].strip()
        raise SampleError("the seed has no 'NNNN年度' line under its title")

    def value_of(self, key: str) -> str:
        """The first non-empty field after ``key`` on the line that starts with it."""
        for line in self.lines:
            fields = [f for f in line if f.strip()]
            if fields and fields[0] == key and len(fields) > 1:
                return fields[1]
        raise SampleError(f"the seed has no line starting with {key!r} followed by a value")

    def texts(self) -> set[str]:
        """Every non-empty text of the seed, ``<p>`` fields split into paragraphs."""
        return {p for line in self.lines for field in line for p in paragraphs_of(field)}


def paragraphs_of(field: str) -> tuple[str, ...]:
    """Split a cell's ``<p>…</p> <p>…</p>`` markup into its paragraphs."""
    found = re.findall(r"<p>(.*?)</p>", field, flags=re.S)
    if found:
        return tuple(p.strip() for p in found)
    text = field.strip().removeprefix("## ").strip()
    return (text,) if text else ()


def read_seed(path: Path) -> Seed:
    """Read the seed file, failing with a hint when it is missing."""
    if not path.is_file():
        raise SampleError(
            f"seed file not found: {path} (expected at ../shared/seed/ relative to the project root)"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SampleError(f"seed file {path} is not UTF-8: {exc}") from exc
    return Seed(raw=raw, lines=tuple(tuple(line.split("\t")) for line in text.split("\n")))


# ---------------------------------------------------------------------- the tables

FIELD_KEYS = ("单位名称", "单位主要职能", "机构设置及人员配置")
GOAL_KEYS = ("中长期目标", "年度目标")

# 部门整体资金（万元）: item | amount. Under 收入, 财政拨款 groups its own sub-rows.
INCOME_BEFORE = "资金总额|137760"
FISCAL_GRANT = """
小计|61000
一般公共预算资金|61000
政府性基金|0
财政专户管理资金|0
国有资本金|0
"""
INCOME_AFTER = """
社保基金|0
上年结转资金|0
其他资金|0
"""
EXPENDITURE = """
项目支出|70823.39
基本支出|2065
芯片之城科创基地PPP项目2025|0
招商相关费用2025|163
市政基础设施项目（2025）|11000
科技创新产业扶持（2025）|16000
规划设计项目2025|80
安全环保项目2025|223
城市维护管理（2025）|1800
企业服务项目2025|110
土地收储项目（2025）|35319.26
科创项目（2025）|4828
综合保障类（2025）|834.13
人才项目（2025）|466
"""

# Block A: 一级指标 | 二级指标 | 三级指标 (c2-c4) | 半年指标值 | 全年指标值.
BLOCK_A = """
决策|计划制定|中长期规划制定健全性|健全|健全
决策|计划制定|工作计划制定健全性|健全|健全
决策|目标设定|绩效目标合理性|合理|合理
决策|目标设定|绩效指标明确性|明确|明确
决策|预算编制|预算编制科学性|科学|科学
决策|预算编制|预算编制规范性|规范|规范
过程|预算执行|预算调整率|=0%|=0%
过程|预算执行|支付进度符合率|=100%|=100%
过程|预算执行|预算执行率|=100%|=100%
过程|预算执行|结转结余率|=0%|=0%
过程|预算执行|公用经费控制率|≤100%|≤100%
过程|预算执行|“三公经费”变动率|≤0%|≤0%
过程|预算执行|政府采购执行率|=100%|=100%
过程|预算执行|非税收入预算完成率|≥100%|≥100%
过程|预算管理|预算管理制度健全性|健全|健全
过程|预算管理|资金使用合规性|合规|合规
过程|预算管理|绩效管理覆盖率|=100%|=100%
过程|预算管理|基础信息完善性|完善|完善
过程|预算管理|预决算信息公开度|公开|公开
过程|资产管理|非税收入管理合规性|合规|合规
过程|资产管理|资产管理制度健全性|健全|健全
过程|资产管理|资产管理规范性|规范|规范
过程|项目管理|固定资产利用率|=100%|=100%
过程|项目管理|项目管理制度健全性|健全|健全
过程|人员管理|项目管理制度执行规范性|规范|规范
过程|人员管理|人员管理制度健全性|健全|健全
过程|人员管理|人员管理制度执行有效性|有效|有效
过程|人员管理|在职人员控制率|=100%|=100%
过程|机构建设|组织建设工作及时完成率|=100%|=100%
过程|机构建设|业务学习与培训及时完成率|=100%|=100%
过程|机构建设|纪检监察工作有效性|有效|有效
"""

# Block B: 一级指标 | 二级指标 | 重点工作 | 对应项目 | 三级指标 | 半年指标值 | 全年指标值.
# 对应项目 is empty throughout and merged like its 重点工作.
BLOCK_B = """
履职|经济发展|产业发展扶持||规上服务业参与核算行业营业收入增速|≥1%|≥1%
履职|经济发展|产业发展扶持||受益企业政策符合度|=100%|=100%
履职|经济发展|产业发展扶持||产业扶持资金兑现及时性|及时|及时
履职|安全环保|履行环境保护属地管理责任||河道水质监测报告|≥1次|≥3次
履职|安全环保|履行环境保护属地管理责任||环境保护相关培训|≥1次|≥2次
履职|安全环保|承担新区管委会所规定的安全生产职责||安全生产检查报告|≥2份|≥4份
"""

# Block C: 一级指标 | 二级指标 | (empty, c2-c3) | 三级指标 | 半年指标值 | 全年指标值.
BLOCK_C = """
效益指标|经济效益||工业总产值增速|≥1%|≥1%
效益指标|社会效益||人才发展绩效|=100%|=100%
效益指标|生态效益||安全生产水平|=100%|=100%
效益指标|可持续影响||||
满意度指标|服务对象满意度||园区满意度|=100%|=100%
"""


def _records(table: str, width: int) -> list[tuple[str, ...]]:
    """The rows of a pipe-separated table above, each checked to have ``width`` fields."""
    rows = [tuple(line.split("|")) for line in table.strip().splitlines()]
    bad = [row for row in rows if len(row) != width]
    if bad:
        raise SampleError(f"table rows without {width} fields: {bad}")
    return rows


def _runs(rows: Sequence[tuple[str, ...]], depth: int) -> list[int]:
    """Lengths of the runs of rows sharing their first ``depth`` fields.

    A publisher merges a label cell over exactly such a run, so this is the
    rowspan of each 一级指标 (depth 1), 二级指标 (depth 2), 重点工作 (depth 3).
    """
    return [len(list(group)) for _, group in groupby(rows, key=lambda row: row[:depth])]


class _GridBuilder:
    """Collects anchor cells row by row."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.header_rows: list[int] = []
        self.row = 0

    def put(
        self,
        col: int,
        text: str | tuple[str, ...],
        *,
        rowspan: int = 1,
        colspan: int = 1,
        role: Role = "value",
    ) -> None:
        paragraphs = (text,) if isinstance(text, str) else text
        self.cells.append(Cell(self.row, col, tuple(p for p in paragraphs if p), rowspan, colspan, role))

    def put_spanned(
        self, col: int, rows: Sequence[tuple[str, ...]], depth: int, role: Role, field: int | None = None
    ) -> None:
        """Put one cell per run of ``depth`` equal leading fields, starting at this row.

        The cell shows field ``field`` of the run's first row (by default the
        last field of the run key, i.e. the label being merged).
        """
        start, offset = self.row, 0
        for length in _runs(rows, depth):
            self.row = start + offset
            self.put(col, rows[offset][depth - 1 if field is None else field], rowspan=length, role=role)
            offset += length
        self.row = start

    def end_row(self) -> None:
        self.row += 1

    def money_rows(self, table: str, first_col: int = 2) -> None:
        for item, amount in _records(table, 2):
            self.put(first_col, item, colspan=4 - first_col)
            self.put(4, amount, colspan=3, role="amount")
            self.end_row()

    def header(self, heads: Sequence[tuple[int, int, str]]) -> None:
        """A column-heading row of (col, colspan, text)."""
        self.header_rows.append(self.row)
        for col, colspan, text in heads:
            self.put(col, text, colspan=colspan, role="header")
        self.end_row()


def seed_to_layout(seed: Seed) -> Layout:
    """Lay the seed out as the 7-column grid described in the module docstring."""
    b = _GridBuilder()
    for key in FIELD_KEYS:
        value = paragraphs_of(seed.value_of(key))
        b.put(0, key, role="key")
        b.put(1, value, colspan=6, role="text" if len(value) > 1 else "value")
        b.end_row()

    n_grant = len(_records(FISCAL_GRANT, 2))
    # Each part has a heading row (全年预算数 / 半年计划执行数); 支出 also ends with
    # the orphan 全年预算数 line.
    income_rows = 1 + len(_records(INCOME_BEFORE, 2)) + n_grant + len(_records(INCOME_AFTER, 2))
    expenditure_rows = len(_records(EXPENDITURE, 2)) + 2
    b.put(0, "部门整体资金（万元）", rowspan=income_rows + expenditure_rows, role="key")
    b.put(1, "收入", rowspan=income_rows, role="key")
    b.put(2, "", colspan=2, role="header")
    b.put(4, "全年预算数", colspan=3, role="header")
    b.end_row()
    b.money_rows(INCOME_BEFORE)
    b.put(2, "财政拨款", rowspan=n_grant)
    b.money_rows(FISCAL_GRANT, first_col=3)
    b.money_rows(INCOME_AFTER)
    b.put(1, "支出", rowspan=expenditure_rows, role="key")
    b.put(2, "", colspan=2, role="header")
    b.put(4, "半年计划执行数", colspan=3, role="header")
    b.end_row()
    b.money_rows(EXPENDITURE)
    # The seed ends the money block with this orphan line; keep it as printed.
    b.put(2, "全年预算数", colspan=2, role="header")
    b.put(4, "", colspan=3, role="amount")
    b.end_row()

    for key in GOAL_KEYS:
        b.put(0, key, colspan=2, role="key")
        b.put(2, paragraphs_of(seed.value_of(key)), colspan=5, role="text")
        b.end_row()

    heads = ("一级指标", "二级指标", "三级指标", "半年指标值", "全年指标值")
    b.header([(0, 1, heads[0]), (1, 1, heads[1]), (2, 3, heads[2]), (5, 1, heads[3]), (6, 1, heads[4])])
    rows = _records(BLOCK_A, 5)
    b.put_spanned(0, rows, 1, "key")
    b.put_spanned(1, rows, 2, "key")
    for _, _, name, half, full in rows:
        b.put(2, name, colspan=3)
        b.put(5, half)
        b.put(6, full)
        b.end_row()

    b.header(
        [(0, 1, heads[0]), (1, 1, heads[1]), (2, 1, "重点工作"), (3, 1, "对应项目")]
        + [(col, 1, text) for col, text in zip((4, 5, 6), heads[2:], strict=True)]
    )
    rows = _records(BLOCK_B, 7)
    b.put_spanned(0, rows, 1, "key")
    b.put_spanned(1, rows, 2, "key")
    b.put_spanned(2, rows, 3, "key")
    b.put_spanned(3, rows, 3, "value", field=3)  # 对应项目: empty, merged like 重点工作
    for *_, name, half, full in rows:
        b.put(4, name)
        b.put(5, half)
        b.put(6, full)
        b.end_row()

    b.header(
        [(0, 1, heads[0]), (1, 1, heads[1]), (2, 2, ""), (4, 1, heads[2]), (5, 1, heads[3]), (6, 1, heads[4])]
    )
    rows = _records(BLOCK_C, 6)
    b.put_spanned(0, rows, 1, "key")
    for _, level2, blank, name, half, full in rows:
        b.put(1, level2, role="key")
        b.put(2, blank, colspan=2)
        b.put(4, name)
        b.put(5, half)
        b.put(6, full)
        b.end_row()

    return Layout(seed.title, seed.year, b.row, tuple(b.cells), tuple(b.header_rows))


def check_layout(layout: Layout, seed: Seed) -> None:
    """Fail unless the grid is tiled exactly once and uses exactly the seed's texts."""
    covered: dict[tuple[int, int], Cell] = {}
    for cell in layout.cells:
        for r in range(cell.row, cell.last_row + 1):
            for c in range(cell.col, cell.last_col + 1):
                if not (0 <= r < layout.n_rows and 0 <= c < N_COLS):
                    raise SampleError(f"cell {cell} reaches outside the {layout.n_rows}x{N_COLS} grid")
                if (r, c) in covered:
                    raise SampleError(f"cells overlap at ({r}, {c}): {covered[(r, c)]} and {cell}")
                covered[(r, c)] = cell
    holes = [(r, c) for r in range(layout.n_rows) for c in range(N_COLS) if (r, c) not in covered]
    if holes:
        raise SampleError(f"grid positions covered by no cell: {holes[:10]}")

    seed_texts = seed.texts()
    used = {p for cell in layout.cells for p in cell.paragraphs} | {layout.title, layout.year}
    invented = sorted(used - seed_texts)
    if invented:
        raise SampleError(f"layout texts not found in the seed (typo?): {invented}")
    dropped = sorted(seed_texts - used)
    if dropped:
        raise SampleError(f"seed texts the layout does not place: {dropped}")
