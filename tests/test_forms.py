"""Performance forms read by their structure: a money block under any label, and the key-value rows
that close an indicator block (宁德 2024's 部门整体绩效自评表 in small)."""

from __future__ import annotations

from extractor.layout.reconstruct import grid_to_table
from extractor.readers.placement import SourceCell, place
from extractor.records import Table

Row = list[SourceCell | str]


def form(*rows: Row, caption: tuple[str, ...] = ("部门整体绩效自评表",)) -> Table:
    """The table read from ``rows``, stated as HTML would (plain strings are 1×1 cells)."""
    cells = [[c if isinstance(c, SourceCell) else SourceCell(c) for c in row] for row in rows]
    table, _ = grid_to_table(place([cells], caption=caption), "t1")
    return table


def span(text: str, *, rows: int = 1, cols: int = 1) -> SourceCell:
    return SourceCell(text, rowspan=rows, colspan=cols)


def funds_of(table: Table) -> set[tuple[str, str, str, str]]:
    return {(" / ".join(f.path), " / ".join(f.column), f.raw, f.amount_unit) for f in table.funds}


MONEY_BLOCK: list[Row] = [
    [
        span("财政资金安排和使用情况", rows=7),
        span("", rows=2),
        span("预算安排", cols=2),
        span("拨付情况", cols=2),
        span("分值", rows=2),
        span("得分", rows=2),
    ],
    ["年初预算安排金额①", "小计③ = ①+②", "年度拨付金额④", "支出实现率(%) ⑤=④/③"],
    ["合计", "100.00", "120.00", "90.00", "75.00", "10", "7"],
    ["财政资金小计", "100.00", "120.00", "90.00", "75.00", "", ""],
    ["①中央财政资金", "0.00", "0.00", "0.00", "0.00", "", ""],
    ["②地方财政资金", "100.00", "120.00", "90.00", "75.00", "", ""],
    ["其他资金小计", "-", "-", "-", "-", "", ""],
]


def test_a_money_block_is_known_by_its_structure_whatever_its_label() -> None:
    """An outer label merged down over rows that head value columns and rows that print amounts
    under them is a money block: each value column is named by its header path, the items form a
    tree by their names, and the columns of percentages and scores give no money but fields."""
    table = form(*MONEY_BLOCK)

    budget, subtotal, paid = (
        "预算安排 / 年初预算安排金额①",
        "预算安排 / 小计③=①+②",
        "拨付情况 / 年度拨付金额④",
    )
    expected = set()
    for path, amounts in [
        ("合计", ("100.00", "120.00", "90.00")),
        ("合计 / 财政资金小计", ("100.00", "120.00", "90.00")),
        ("合计 / 财政资金小计 / 中央财政资金", ("0.00", "0.00", "0.00")),
        ("合计 / 财政资金小计 / 地方财政资金", ("100.00", "120.00", "90.00")),
        ("合计 / 其他资金小计", ("-", "-", "-")),
    ]:
        expected |= {
            (path, column, raw, "") for column, raw in zip((budget, subtotal, paid), amounts, strict=True)
        }
    assert funds_of(table) == expected
    # The rate and the score are what the total row prints beside its money (issue 15): fields.
    assert {(f.key, f.value) for f in table.fields} == {
        ("支出实现率(%)⑤=④/③", "75.00"),
        ("预算执行分值", "10"),
        ("预算执行得分", "7"),
    }


def test_a_heading_over_texts_is_no_money_block() -> None:
    """年度总体目标 over 预期目标 | 目标实际完成情况 and their texts prints no amount: fields, keyed by
    the labels over the texts as the existing truths key them (项目绩效目标 over 项目总目标 |
    年度总体目标 in 万里 2023 gives 项目总目标 and 年度总体目标)."""
    table = form(
        [span("年度总体目标", rows=2), span("预期目标", cols=2), span("目标实际完成情况", cols=2)],
        [
            span("按照年度工作计划，有序开展各项工作。", cols=2),
            span("已按年度工作计划完成各项工作。", cols=2),
        ],
    )

    assert table.funds == ()
    assert {(f.key, f.value) for f in table.fields} == {
        ("预期目标", "按照年度工作计划，有序开展各项工作。"),
        ("目标实际完成情况", "已按年度工作计划完成各项工作。"),
    }


def test_items_without_a_leading_total_stand_on_their_own() -> None:
    """A list of tasks closed by its total: no item is a part of another. A unit stated by the
    column's header (预算金额（万元）) is the amounts' unit; a score column gives no money."""
    table = form(
        [span("年度主要任务", rows=4), "任务名称", "预算金额（万元）", "执行率分值（10分）"],
        ["机关运转", "3354.42", "10"],
        ["审计事务", "285.87", "9"],
        ["金额合计", "3640.29", ""],
        caption=("部门整体支出绩效目标表",),
    )

    assert funds_of(table) == {
        ("机关运转", "预算金额（万元）", "3354.42", "万元"),
        ("审计事务", "预算金额（万元）", "285.87", "万元"),
        ("金额合计", "预算金额（万元）", "3640.29", "万元"),
    }


INDICATOR_BLOCK: list[Row] = [
    [
        span("绩效指标", rows=4),
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
    ],
    ["产出指标", "数量指标", "市政府常务会议场次", "≥30次", "20", "2", "1.33"],
    # The levels merged across, a target printed: an indicator.
    [span("满意度指标", cols=2), "座席满意率", "≥95%", "99.14", "10", "10"],
    ["效益指标", "社会效益指标", "热线服务小时数", "=24小时", "24", "30", "30"],
    [span("总分值、评价总分(S)", cols=6), span("92.33", cols=2)],
    [span("评价等级", cols=2), span("优（S≧90）", cols=6)],
]


def test_rows_reading_across_the_levels_without_a_target_are_fields() -> None:
    """A self-evaluation closes its indicator block with a total score and a grade, each printed
    in cells spanning the 一级/二级/三级 columns with no target of their own: key-value rows."""
    table = form(*INDICATOR_BLOCK)

    assert [(r.level1, r.level3, r.target_label, r.target.raw) for r in table.indicators] == [
        ("产出指标", "市政府常务会议场次", "年度指标值", "≥30次"),
        ("产出指标", "市政府常务会议场次", "实际完成值", "20"),
        ("满意度指标", "座席满意率", "年度指标值", "≥95%"),
        ("满意度指标", "座席满意率", "实际完成值", "99.14"),
        ("效益指标", "热线服务小时数", "年度指标值", "=24小时"),
        ("效益指标", "热线服务小时数", "实际完成值", "24"),
    ]
    assert [(f.key, f.value) for f in table.fields] == [
        ("总分值、评价总分(S)", "92.33"),
        ("评价等级", "优（S≧90）"),
    ]


def test_item_amount_pairs_under_any_label_stating_a_unit_are_money() -> None:
    """西安 2026's 资金金额(万元): pairs of item and amount, a score header merged beside them."""
    table = form(
        ["项目名称", span("购买审计服务", cols=3)],
        [span("资金金额(万元)", rows=3), "实施期资金总额：", "350.00", span("执行率分值（10分）", rows=3)],
        ["其中：财政拨款", "350.00"],
        ["其他资金", ""],
        caption=("部门专项业务经费绩效目标表",),
    )
    assert funds_of(table) == {
        ("实施期资金总额", "", "350.00", "万元"),
        ("实施期资金总额 / 财政拨款", "", "350.00", "万元"),
        ("实施期资金总额 / 其他资金", "", "", "万元"),
    }
    assert [(f.key, f.value) for f in table.fields] == [("项目名称", "购买审计服务")]


def test_pairs_of_counts_are_no_money() -> None:
    table = form(
        ["单位名称", span("示例局", cols=3)],
        [span("人员情况", rows=2), "编制数", "18"],
        ["实有人数", "16"],
        caption=("部门整体绩效目标表",),
    )
    assert table.funds == ()
