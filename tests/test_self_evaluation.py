"""Self-evaluation and monitoring tables in full (issue 15): weights, scores, remarks and ticked
reasons on the indicators, the money block's rates and scores, the closing 总分 row, the wide view
and the self-checks; small forms stated as HTML would, and the 国家信访局 2024 final accounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.export import to_frames
from extractor.normalise.checks import table_checks
from extractor.pipeline import parse
from extractor.records import ParseResult, Source, Table
from tests.test_forms import Row, form, funds_of, span

ROOT = Path(__file__).resolve().parent.parent
GJXFJ_2024 = ROOT / "samples" / "real" / "final_dept_central_gjxfj_2024.pdf"

NATIONAL: list[Row] = [
    ["项目名称：", span("示例项目", cols=8)],
    [
        span("项目资金（万元）", rows=5),
        "",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
        "",
    ],
    ["年度资金总额：", "800.00", "820.00", "801.50", "10", "97.74%", "9.8", ""],
    ["其中：当年财政拨款", "800.00", "820.00", "801.50", "—", "—", "—", ""],
    ["上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—", ""],
    ["其他资金", "0.00", "0.00", "0.00", "—", "—", "—", ""],
    [
        span("绩效指标", rows=4),
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    [span("产出指标", rows=2), "数量指标", "培训人数", "≥300人", "366人", "40", "40", ""],
    ["成本指标", "生均成本", "≤800元/生·年", "820元/生·年", "20", "16", "建材涨价"],
    ["效益指标", "社会效益指标", "培训合格率", "≥98%", "100%", "30", "30", ""],
    [span("总分", cols=6), "100", "95.8", ""],
    [span("自评等级", cols=2), span("优", cols=7)],
]


def national() -> Table:
    return form(*NATIONAL, caption=("项目支出绩效自评表",))


def test_indicators_carry_weight_score_and_remark() -> None:
    table = national()
    cost = [r for r in table.indicators if r.level3 == "生均成本"]
    assert [(r.target_label, r.target.op, r.target.value, r.target.unit) for r in cost] == [
        ("年度指标值", "≤", 800.0, "元/生·年"),
        ("实际完成值", "=", 820.0, "元/生·年"),
    ]
    assert {(r.weight, r.score, r.remark) for r in cost} == {(20.0, 16.0, "建材涨价")}
    assert [r.level1 for r in table.indicators[::2]] == ["产出指标", "产出指标", "效益指标"]


def test_the_money_block_gives_every_column_and_its_rates_become_fields() -> None:
    table = national()
    total, grant, carried, other = (
        "年度资金总额",
        "年度资金总额 / 当年财政拨款",
        "年度资金总额 / 上年结转资金",
        "年度资金总额 / 其他资金",
    )
    columns = ("年初预算数", "全年预算数", "全年执行数")
    rows = {total: ("800.00", "820.00", "801.50"), grant: ("800.00", "820.00", "801.50")}
    rows |= {carried: ("0.00",) * 3, other: ("0.00",) * 3}
    assert funds_of(table) == {
        (path, column, raw, "万元")
        for path, raws in rows.items()
        for column, raw in zip(columns, raws, strict=True)
    }
    fields = {f.key: f.value for f in table.fields}
    assert fields["项目名称"] == "示例项目"
    assert (fields["预算执行分值"], fields["预算执行率"], fields["预算执行得分"]) == ("10", "97.74%", "9.8")
    assert (fields["总分值"], fields["总分"], fields["自评等级"]) == ("100", "95.8", "优")


def test_the_self_checks_hold_and_catch_a_misread_score() -> None:
    table = national()
    assert {c.rule: c.passes for c in table_checks(table) if c.rule != "item_sum"} == {
        "weight_sum": True,
        "score_sum": True,
        "execution_rate": True,
    }
    misread = [list(row) for row in NATIONAL]
    misread[8][5] = "61"  # 16 read as 61
    checks = {c.rule: c for c in table_checks(form(*misread, caption=("项目支出绩效自评表",)))}
    assert not checks["score_sum"].passes
    assert checks["score_sum"].expected == 95.8
    assert checks["score_sum"].actual == pytest.approx(140.8)


def test_a_weight_of_90_leaves_the_budget_execution_its_10() -> None:
    targets = form(
        ["一级指标", "二级指标", "三级指标", "指标值", "分值"],
        ["产出指标", "数量指标", "培训人数", "≥300人", "50"],
        ["效益指标", "社会效益指标", "合格率", "≥98%", "40"],
        caption=("项目支出绩效目标表",),
    )
    (check,) = [c for c in table_checks(targets) if c.rule == "weight_sum"]
    assert check.passes and check.expected == 100
    unbalanced = form(
        ["一级指标", "二级指标", "三级指标", "指标值", "分值"],
        ["产出指标", "数量指标", "培训人数", "≥300人", "50"],
        ["效益指标", "社会效益指标", "合格率", "≥98%", "30"],
        caption=("项目支出绩效目标表",),
    )
    assert [c.passes for c in table_checks(unbalanced) if c.rule == "weight_sum"] == [False]


def test_a_monitoring_table_reads_its_ticks_as_reasons_and_likelihood() -> None:
    reasons = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
    head = ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行数", "全年预计执行数"]
    table = form(
        [
            *(span(h, rows=2) for h in head),
            span("偏差原因分析", cols=5),
            span("原因说明", rows=2),
            span("完成目标可能性", rows=2),
        ],
        list(reasons),
        [
            "产出指标",
            "数量指标",
            "服务人次",
            "≥1000人次",
            "420人次",
            "900人次",
            "✔",
            "",
            "√",
            "",
            "",
            "人手不足",
            "有可能",
        ],
        ["产出指标", "质量指标", "合格率", "≥95%", "96%", "96%", "", "", "", "", "", "", "确定能"],
        caption=("2024年度项目支出绩效运行监控表",),
    )
    assert table.kind == "performance_monitoring"
    served = [r for r in table.indicators if r.level3 == "服务人次"]
    assert [r.target_label for r in served] == ["年度指标值", "1-7月执行数", "全年预计执行数"]
    assert {(r.reasons, r.remark, r.likelihood) for r in served} == {
        (("经费保障", "人员保障"), "人手不足", "有可能")
    }
    wide = to_frames(_result(table))["indicators_wide"]
    columns = wide[["level3", "target_raw", "actual_label", "actual_raw", "reasons"]]
    assert columns.astype(object).where(columns.notna(), None).values.tolist() == [
        ["服务人次", "≥1000人次", "全年预计执行数", "900人次", "经费保障、人员保障"],
        ["合格率", "≥95%", "全年预计执行数", "96%", None],  # empty is null
    ]


def test_the_wide_view_answers_which_indicators_lost_points() -> None:
    wide = to_frames(_result(national()))["indicators_wide"]
    lost = wide[wide.score < wide.weight]
    assert lost[["level3", "target_raw", "actual_raw", "weight", "score", "remark"]].values.tolist() == [
        ["生均成本", "≤800元/生·年", "820元/生·年", 20.0, 16.0, "建材涨价"]
    ]


def test_the_national_template_of_a_real_final_account() -> None:
    """国家信访局 2024 决算, p.30-31: 信访干部培训专项项目绩效自评表, read from the page by eye."""
    result = parse(GJXFJ_2024)
    (table,) = [t for t in result.tables if t.pages == (30, 31)]
    assert table.kind == "performance_self_evaluation"
    fields = {f.key: f.value for f in table.fields}
    assert (fields["预算执行率"], fields["总分值"], fields["总分"]) == ("100.00%", "100", "98")
    assert {(" / ".join(f.path), " / ".join(f.column), f.raw) for f in table.funds if not f.path[1:]} == {
        ("年度资金总额", "年初预算数", "180.61"),
        ("年度资金总额", "全年预算数", "180.03"),
        ("年度资金总额", "全年执行数", "180.03"),
    }
    quality = [r for r in table.indicators if r.level3 == "信访工作质量"]
    assert {(r.level1, r.level2, r.weight, r.score) for r in quality} == {
        ("效益指标", "社会效益指标", 10.0, 9.0)
    }
    assert quality[0].remark.startswith("工作质量提升情况缺少有效数据支撑")
    assert (table.checks_held, table.checks_total) == (6, 6)


def _result(table: Table) -> ParseResult:
    return ParseResult(source=Source(path="form.html", sha256="", format="html", pages=None), tables=(table,))
