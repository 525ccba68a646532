"""Table kinds named by title words (jieba), and the budget self-checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.model import Grid
from extractor.normalise.checks import table_checks
from extractor.normalise.classify import classify
from extractor.records import FundRecord, Table, TableMeta

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("2025年部门财务收支预算总表", "budget_summary"),
        ("收入支出决算总表", "budget_summary"),
        ("部门收支总表", "budget_summary"),
        ("4．2025年部门财政拨款收支预算总表", "fiscal_appropriation_summary"),
        ("财政拨款收入支出决算总表", "fiscal_appropriation_summary"),
        ("2025年部门收入预算总表", "income_summary"),
        ("收入决算表", "income_summary"),
        ("2025年部门支出预算总表", "expenditure_summary"),
        ("2025年部门一般公共预算支出功能分类预算表", "general_budget_expenditure"),
        ("一般公共预算财政拨款支出决算表", "general_budget_expenditure"),
        ("2025年部门一般公共预算基本支出部门预算经济分类预算表", "basic_expenditure"),
        ("政府性基金预算财政拨款收入支出决算表", "government_fund_expenditure"),
        ("国有资本经营预算财政拨款收入支出决算表", "state_capital_expenditure"),
        ("2025年部门“三公”经费和机关运行经费预算表", "three_public_expenses"),
        ("财政拨款“三公”经费支出决算表", "three_public_expenses"),
        ("江北新区部门整体预算绩效目标表", "department_performance_targets"),
        ("财政项目支出绩效目标填报表", "project_performance_targets"),
        ("项目支出绩效自评表", "performance_self_evaluation"),
        ("目录", "generic"),
        # Jiangsu's and the central template's names, with the labels that number them.
        ("公开05表：财政拨款支出预算表", "fiscal_appropriation_expenditure"),
        ("表五财政拨款支出预算表", "fiscal_appropriation_expenditure"),
        ("公开12表：政府采购支出预算表", "government_procurement"),
        ("2018年政府采购预算表", "government_procurement"),
        ("公开11表：一般公共预算机关运行经费支出预算表", "operating_expenses"),
        ("公开09表：一般公共预算“三公”经费、会议费、培训费支出预算表", "three_public_expenses"),
        ("2019年度会议费、培训费预算表", "meeting_training_expenses"),
        ("公开表一 部门预算收支总表", "budget_summary"),
        ("一、2017年度江苏省高级人民法院部门收支预算总表", "budget_summary"),
        ("公开08表：一般公共预算基本支出预算表", "basic_expenditure"),
        ("236中央高校捐赠配比专项绩效目标表", "project_performance_targets"),
        # 重庆's titles: 总体情况表 for 总表.
        ("2026年部门收支总体情况表", "budget_summary"),
        ("2026年部门收入总体情况表", "income_summary"),
        ("2026年部门支出总体情况表", "expenditure_summary"),
        ("2026年财政拨款收支总体情况表", "fiscal_appropriation_summary"),
    ],
)
def test_titles_name_their_kind(title: str, kind: str) -> None:
    named = classify(title, has_indicators=False, field_keys=set())
    assert named.name == kind
    assert (named.confidence == 1.0) == (kind != "generic")
    assert all(word in title for word in named.words)


def test_an_untitled_indicator_table_is_guessed_with_less_confidence() -> None:
    named = classify("", has_indicators=True, field_keys={"项目名称", "主管部门"})
    assert (named.name, named.words) == ("project_performance_targets", ("项目名称",))
    assert 0 < named.confidence < 1


def _fund(code: str, item: str, amount: float, column: tuple[str, ...] = ("合计",)) -> FundRecord:
    return FundRecord(
        direction="", code=code, path=(item,), column=column, amount=amount, amount_unit="元", raw=str(amount)
    )


def _table(funds: list[FundRecord]) -> Table:
    return Table(
        id="t1",
        kind="expenditure_summary",
        title="",
        pages=(3,),
        meta=TableMeta(),
        grid=Grid(n_rows=0, n_cols=0, cells=()),
        funds=tuple(funds),
    )


def test_code_sums_and_total_rows() -> None:
    checks = table_checks(
        _table(
            [
                _fund("201", "一般公共服务支出", 300),
                _fund("20105", "统计信息事务", 100),
                _fund("20106", "财政事务", 201),
                _fund("", "合计", 300),
            ]
        )
    )
    assert [(c.rule, c.holds) for c in checks] == [("code_sum", False), ("total_row", True)]
    assert (checks[0].expected, checks[0].actual) == (300, 301)


def test_a_total_column_counts_a_nested_sibling_by_its_parts() -> None:
    row = [
        _fund("", "合计", 37.91, ("“三公”经费", "合计")),
        _fund("", "合计", 1.35, ("“三公”经费", "公务接待费")),
        _fund("", "合计", 15, ("“三公”经费", "公务用车", "购置费")),
        _fund("", "合计", 21.56, ("“三公”经费", "公务用车", "运行费")),
    ]
    [check] = [c for c in table_checks(_table(row)) if c.rule == "total_column"]
    assert check.holds


def test_summary_lists_every_table_with_its_kind_and_checks() -> None:
    sample = ROOT / "samples" / "generated" / "expenditure_street_html_utf8.html"
    result = CliRunner().invoke(main, ["parse", str(sample), "--summary"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "expenditure_street_html_utf8.html (html, - pages)"
    assert lines[1].split() == [
        "table",
        "kind",
        "confidence",
        "matched",
        "where",
        "rows",
        "records",
        "checks",
    ]
    assert lines[2].split()[:4] == ["t1", "expenditure_summary", "1.0", "支出+总表"]
    assert lines[2].split()[-1] == "168/168"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (
            "项目 收入预算 功能分类科目编码 功能分类科目名称 合计 财政拨款收入 事业收入 类 款 项",
            "income_summary",
        ),
        ("项目 支出预算 功能分类科目编码 功能分类科目名称 合计 基本支出 项目支出", "expenditure_summary"),
        (
            "项目 一般公共预算支出 功能分类科目编码 功能分类科目名称 合计 基本支出",
            "general_budget_expenditure",
        ),
        ("本年收入 本年支出 项目 预算数 项目 预算数", "budget_summary"),
        ("财政拨款收入 财政拨款支出 项目 预算数 项目 合计 一般公共预算", "fiscal_appropriation_summary"),
        ("“三公”经费预算数 合计 因公出国(境)费 公务接待费 公务用车购置及运行费", "three_public_expenses"),
        ("项目 部门预算经济分类科目编码 经济分类科目名称 合计 人员经费 公用经费", "basic_expenditure"),
        ("采购品目大类 专项名称 经济科目 采购物品名称 采购组织形式 总计", "government_procurement"),
        ("序号 姓名 职务", "generic"),
    ],
)
def test_an_untitled_table_is_named_by_its_header_rows(header: str, kind: str) -> None:
    named = classify("", header_text=header, has_indicators=False, field_keys=set())
    assert named.name == kind
    assert named.confidence == (0.0 if kind == "generic" else 0.6)
