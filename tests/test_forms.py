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
