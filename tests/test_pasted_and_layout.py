"""Pasted text and the layout reconstructor, checked against the seed as a careful reader counts it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extractor.model import Grid
from extractor.pipeline import parse
from extractor.readers import detect_format
from extractor.readers.pasted import read_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "seed" / "seed.txt"


def _row(grid: Grid, row: int) -> list[str]:
    return [grid.text_at(row, c) for c in range(grid.n_cols)]


def test_rows_that_lost_their_merged_cells_are_moved_back() -> None:
    text = (
        "一级指标\t二级指标\t三级指标\t半年指标值\t全年指标值\n"
        "决策\t预算编制\t预算编制科学性\t科学\t科学\n"
        "预算编制规范性\t\t规范\t规范\t\n"
        "\t\t绩效指标明确性\t明确\t明确\n"
    )
    document = read_text(text)
    grid = document.grids[0]
    assert _row(grid, 2) == ["", "", "预算编制规范性", "规范", "规范"]
    assert _row(grid, 3) == ["", "", "绩效指标明确性", "明确", "明确"]
    assert [w.code for w in document.warnings] == ["row_realigned"]


def test_rows_starting_further_right_are_left_alone() -> None:
    # Judged against the whole money block of the seed: 社保基金 starts left of the
    # 财政拨款 child above it but keeps its own leading empty cells, so it stays put.
    grid = read_text(SEED.read_text(encoding="utf-8")).grids[0]
    row = next(r for r in range(grid.n_rows) if "社保基金" in _row(grid, r))
    assert _row(grid, row) == ["", "", "社保基金", "", "0", "", ""]
    support = next(r for r in range(grid.n_rows) if "支出" in _row(grid, r))
    assert _row(grid, support)[:5] == ["", "支出", "", "", "半年计划执行数"]


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_excel_unicode_text_is_read_as_pasted_text(tmp_path: Path, encoding: str, bom: bytes) -> None:
    """Excel's "Unicode text" export: UTF-16 with a byte order mark, tab-separated, CRLF lines."""
    path = tmp_path / "export.txt"
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(bom + text.encode(encoding))
    assert detect_format(path) == "txt"
    result = parse(path)
    assert result.error is None
    seed = parse(SEED)
    assert [t.grid.as_rows() for t in result.tables] == [t.grid.as_rows() for t in seed.tables]
    assert [t.records() for t in result.tables] == [t.records() for t in seed.tables]


def test_caption_lines_above_the_table_are_kept_without_markdown() -> None:
    document = read_text("## 某某绩效目标表\n\n2025年度\n\n单位名称\t某单位\n")
    assert document.grids[0].caption == ("某某绩效目标表", "2025年度")


def test_seed_indicators_as_counted_by_hand() -> None:
    table = parse(SEED).tables[0]
    assert table.kind == "department_performance_targets"
    assert table.title == "江北新区部门整体预算绩效目标表"
    assert (table.meta.year, table.meta.amount_unit) == (2025, "万元")
    assert table.meta.unit_name == "南京江北新区产业技术研创园管理办公室（本级）"
    indicators = {(r.level1, r.level2, r.level3) for r in table.indicators}
    assert len(indicators) == 41
    assert len(table.indicators) == 82
    by_level1 = Counter(level1 for level1, _, _ in indicators)
    assert by_level1 == {"决策": 6, "过程": 25, "履职": 6, "效益指标": 3, "满意度指标": 1}
    assert ("过程", "机构建设", "纪检监察工作有效性") in indicators
    assert ("过程", "人员管理", "在职人员控制率") in indicators
    river = [r for r in table.indicators if r.level3 == "河道水质监测报告"]
    assert [(r.key_work, r.target_label, r.target.op, r.target.value, r.target.unit) for r in river] == [
        ("履行环境保护属地管理责任", "半年指标值", "≥", 1, "次"),
        ("履行环境保护属地管理责任", "全年指标值", "≥", 3, "次"),
    ]


def test_seed_money_tree() -> None:
    funds = parse(SEED).tables[0].funds
    income = {" / ".join(f.path): f.amount for f in funds if f.direction == "收入"}
    assert income == {
        "资金总额": 137760,
        "财政拨款": 61000,
        "财政拨款 / 一般公共预算资金": 61000,
        "财政拨款 / 政府性基金": 0,
        "财政拨款 / 财政专户管理资金": 0,
        "财政拨款 / 国有资本金": 0,
        "社保基金": 0,
        "上年结转资金": 0,
        "其他资金": 0,
    }
    spending = [f for f in funds if f.direction == "支出"]
    assert len(spending) == 14
    assert {f.column for f in spending} == {("半年计划执行数",)}
    projects = sum(f.amount or 0 for f in spending if f.item not in ("项目支出", "基本支出"))
    assert round(projects, 2) == 70823.39  # the projects add up to 项目支出


def test_seed_fields_keep_paragraphs_without_markup() -> None:
    fields = {f.key: f.value for f in parse(SEED).tables[0].fields}
    assert list(fields) == ["单位名称", "单位主要职能", "机构设置及人员配置", "中长期目标", "年度目标"]
    duties = fields["单位主要职能"].split("\n")
    assert len(duties) == 12
    assert duties[0].startswith("（一）在职能部门指导下") and duties[-1].startswith("（十二）")
    assert all("<p>" not in v and "</p>" not in v for v in fields.values())


def test_seed_quantitative_targets_as_counted_by_hand() -> None:
    indicators = parse(SEED).tables[0].indicators
    quantitative = [r for r in indicators if r.target.kind == "quantitative"]
    assert len(quantitative) == 44
    assert Counter(r.level1 for r in quantitative) == {"过程": 26, "履职": 10, "效益指标": 6, "满意度指标": 2}


def test_nature_and_unit_columns_are_known_by_their_headers_endings(tmp_path: Path) -> None:
    # 北京's project tables head them 绩效指标性质 | 本年绩效指标值 | 绩效度量单位.
    path = tmp_path / "beijing.txt"
    path.write_text(
        "项目支出绩效目标表\n一级指标\t二级指标\t三级指标\t绩效指标性质\t本年绩效指标值\t绩效度量单位\n"
        "产出指标\t数量指标\t编辑、印刷《北京审计》期数\t=\t4\t期\n"
        "成本指标\t经济成本指标\t成本控制率\t≤\t100\t%\n",
        encoding="utf-8",
    )
    (table,) = parse(path).tables
    assert [(i.target_label, i.target.op, i.target.value, i.target.unit) for i in table.indicators] == [
        ("本年绩效指标值", "=", 4.0, "期"),
        ("本年绩效指标值", "≤", 100.0, "%"),
    ]
