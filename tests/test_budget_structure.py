"""Budget tables read and checked from their structure, whatever their title says.

Each grid is written as rows of text where ``<`` is a position covered by the cell to its left
and ``^`` one covered by the cell above, so a merged cell is drawn the way it prints.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from extractor.layout.reconstruct import grid_to_table
from extractor.model import BBox, Cell, Grid
from extractor.normalise.checks import table_checks
from extractor.pipeline import parse
from extractor.records import Table


def grid(rows: list[list[str]], caption: tuple[str, ...] = ()) -> Grid:
    """A grid whose merges are drawn with ``<`` (covered from the left) and ``^`` (from above)."""
    anchors: dict[tuple[int, int], list[int]] = {}
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == "<":
                owner[(r, c)] = owner[(r, c - 1)]
                anchor = anchors[owner[(r, c)]]
                anchor[1] = max(anchor[1], c - owner[(r, c)][1] + 1)
            elif text == "^":
                owner[(r, c)] = owner[(r - 1, c)]
                anchor = anchors[owner[(r, c)]]
                anchor[0] = max(anchor[0], r - owner[(r, c)][0] + 1)
            else:
                owner[(r, c)] = (r, c)
                anchors[(r, c)] = [1, 1]
    cells = tuple(
        Cell(row=r, col=c, text=rows[r][c], rowspan=rowspan, colspan=colspan)
        for (r, c), (rowspan, colspan) in anchors.items()
    )
    return Grid(n_rows=len(rows), n_cols=len(rows[0]), cells=cells, caption=caption, pages=(1,))


def read(rows: list[list[str]], caption: tuple[str, ...] = ()) -> Table:
    table, _ = grid_to_table(grid(rows, caption), "t1")
    return table


def amounts(table: Table) -> list[tuple[str, str, str, float | None]]:
    return [(f.direction, " / ".join(f.path), " / ".join(f.column), f.amount) for f in table.funds]


#: The Jiangsu 收支预算总表: 收入 | 支出·功能分类 | 支出·支出用途, the closing rows of the 支出
#: side printed once across both of its panels.
THREE_PANELS = [
    ["收入", "<", "支出", "<", "<", "<"],
    ["项目名称", "金额", "功能分类", "<", "支出用途", "<"],
    ["^", "^", "功能科目名称", "金额", "项目名称", "金额"],
    ["一、财政拨款", "100.50", "一、一般公共服务支出", "80.00", "一、基本支出", "60.00"],
    ["1.一般公共预算", "100.50", "二、外交支出", "", "二、项目支出", "50.50"],
    ["2.政府性基金预算", "", "三、社会保障和就业支出", "30.50", "", ""],
    ["二、其他资金", "10.00", "", "", "", ""],
    ["当年收入小计", "110.50", "当年支出小计", "<", "<", "110.50"],
    ["上年结转资金", "5.00", "结转下年资金", "<", "<", "5.00"],
    ["收入合计", "115.50", "支出合计", "<", "<", "115.50"],
]


def test_side_by_side_panels_each_read_their_own_items() -> None:
    table = read(THREE_PANELS, caption=("收支预算总表", "部门：某局 单位：万元"))
    assert table.kind == "budget_summary"
    assert amounts(table) == [
        ("收入", "财政拨款", "收入 / 金额", 100.5),
        ("收入", "财政拨款 / 一般公共预算", "收入 / 金额", 100.5),
        ("收入", "财政拨款 / 政府性基金预算", "收入 / 金额", None),
        ("收入", "其他资金", "收入 / 金额", 10.0),
        ("收入", "当年收入小计", "收入 / 金额", 110.5),
        ("收入", "上年结转资金", "收入 / 金额", 5.0),
        ("收入", "收入合计", "收入 / 金额", 115.5),
        ("支出", "一般公共服务支出", "支出 / 功能分类 / 金额", 80.0),
        ("支出", "外交支出", "支出 / 功能分类 / 金额", None),
        ("支出", "社会保障和就业支出", "支出 / 功能分类 / 金额", 30.5),
        ("支出", "当年支出小计", "支出 / 金额", 110.5),
        ("支出", "结转下年资金", "支出 / 金额", 5.0),
        ("支出", "支出合计", "支出 / 金额", 115.5),
        ("支出", "基本支出", "支出 / 支出用途 / 金额", 60.0),
        ("支出", "项目支出", "支出 / 支出用途 / 金额", 50.5),
    ]
    checks = {(c.rule, c.subject): c.holds for c in table_checks(table)}
    assert checks == {
        ("item_sum", "财政拨款 [收入 / 金额]"): True,
        ("list_total", "当年收入小计 [收入 / 金额]"): True,
        ("list_total", "收入合计 [收入 / 金额]"): True,
        # Both 支出 panels add up to the 小计 printed once across them, and on to 支出合计.
        ("list_total", "当年支出小计 [支出 / 功能分类 / 金额]"): True,
        ("list_total", "支出合计 [支出 / 功能分类 / 金额]"): True,
        ("list_total", "当年支出小计 [支出 / 支出用途 / 金额]"): True,
        ("list_total", "支出合计 [支出 / 支出用途 / 金额]"): True,
        ("balance", "收入合计 = 支出合计"): True,
    }


def test_a_misread_amount_fails_the_panel_checks() -> None:
    rows = [list(row) for row in THREE_PANELS]
    rows[4][5] = "5.05"  # 项目支出 misread
    failed = [c.subject for c in table_checks(read(rows)) if not c.passes]
    # 支出合计 is the printed 小计 plus 结转, which still holds.
    assert failed == ["当年支出小计 [支出 / 支出用途 / 金额]"]


#: A 功能科目代码 table (公开05表): 7-digit codes in one column, a 合计 row, no 编码 in the header.
CODE_TABLE = [
    ["功能科目代码", "功能科目名称", "金额"],
    ["", "合计", "1,000.00"],
    ["201", "一般公共服务支出", "700.00"],
    ["20102", "政协事务", "700.00"],
    ["2010201", "行政运行", "400.00"],
    ["2010202", "一般行政管理事务", "300.00"],
    ["221", "住房保障支出", "300.00"],
    ["22102", "住房改革支出", "300.00"],
    ["2210201", "住房公积金", "300.00"],
]


@pytest.mark.parametrize("header", ["功能科目代码", "科目", ""])
def test_a_code_column_is_known_by_its_codes_whatever_its_header(header: str) -> None:
    rows = [[header, *CODE_TABLE[0][1:]], *CODE_TABLE[1:]]
    table = read(rows, caption=("某某表",))
    assert table.kind == "generic"  # the title names nothing; the structure still reads
    assert [(f.code, " / ".join(f.path), f.amount) for f in table.funds][:4] == [
        ("", "合计", 1000.0),
        ("201", "一般公共服务支出", 700.0),
        ("20102", "一般公共服务支出 / 政协事务", 700.0),
        ("2010201", "一般公共服务支出 / 政协事务 / 行政运行", 400.0),
    ]
    checks = table_checks(table)
    assert {c.rule for c in checks} == {"code_sum", "total_row"}
    assert all(c.holds for c in checks)


def test_whole_numbers_without_a_code_tree_are_amounts() -> None:
    rows = [["项目", "人数", "金额"], ["甲", "201", "300"], ["乙", "202", "400"], ["合计", "403", "700"]]
    table = read(rows, caption=("某某表",))
    assert [(f.item, f.column, f.amount) for f in table.funds][:2] == [
        ("甲", ("人数",), 201.0),
        ("甲", ("金额",), 300.0),
    ]
    assert all(c.holds for c in table_checks(table))


def test_row_numbers_column_numbers_and_remarks_are_neither_items_nor_amounts() -> None:
    rows = [
        ["项目", "行次", "决算数", "备注"],
        ["栏次", "", "1", ""],
        ["一、财政拨款收入", "1", "90.00", "含追加"],
        ["二、其他收入", "2", "10.00", ""],
        ["本年收入合计", "3", "100.00", ""],
    ]
    table = read(rows, caption=("收入决算表",))
    assert [(f.item, f.column, f.amount) for f in table.funds] == [
        ("财政拨款收入", ("决算数",), 90.0),
        ("其他收入", ("决算数",), 10.0),
        ("本年收入合计", ("决算数",), 100.0),
    ]


def test_a_tree_across_label_columns_with_subtotals_and_a_leading_total() -> None:
    """The Jiangsu 收入预算总表: groups merged down the first column, 小计 for each group."""
    rows = [
        ["项目名称", "<", "金额"],
        ["收入总计", "<", "90.00"],
        ["一般公共预算资金", "小计", "80.00"],
        ["^", "公共财政拨款(补助)资金", "80.00"],
        ["^", "专项收入", ""],
        ["其他资金", "小计", "10.00"],
        ["^", "事业收入", "4.00"],
        ["^", "其他收入", "6.00"],
        ["上年结转和结余资金", "小计", ""],
        ["^", "其中：动用上年结转和结余资金", ""],
    ]
    table = read(rows, caption=("收入预算总表",))
    assert [(" / ".join(f.path), f.amount) for f in table.funds] == [
        ("收入总计", 90.0),
        ("一般公共预算资金", 80.0),
        ("一般公共预算资金 / 公共财政拨款(补助)资金", 80.0),
        ("一般公共预算资金 / 专项收入", None),
        ("其他资金", 10.0),
        ("其他资金 / 事业收入", 4.0),
        ("其他资金 / 其他收入", 6.0),
        ("上年结转和结余资金", None),
        ("上年结转和结余资金 / 动用上年结转和结余资金", None),
    ]
    checks = {(c.rule, c.subject): c.holds for c in table_checks(table)}
    assert checks == {
        ("item_sum", "一般公共预算资金 [金额]"): True,
        ("item_sum", "其他资金 [金额]"): True,
        ("list_total", "收入总计 [金额]"): True,
    }


def test_a_numbering_that_starts_again_lists_the_parts_of_the_item_above() -> None:
    rows = [
        ["项目", "决算数"],
        ["一、一般公共预算财政拨款", "90.00"],
        ["二、政府性基金预算财政拨款", ""],
        ["本年收入合计", "90.00"],
        ["年初财政拨款结转和结余", "5.00"],
        ["一、一般公共预算财政拨款", "5.00"],
        ["二、政府性基金预算财政拨款", ""],
        ["总计", "95.00"],
    ]
    table = read(rows, caption=("财政拨款收入决算表",))
    assert [" / ".join(f.path) for f in table.funds][4:6] == [
        "年初财政拨款结转和结余 / 一般公共预算财政拨款",
        "年初财政拨款结转和结余 / 政府性基金预算财政拨款",
    ]
    assert all(c.holds for c in table_checks(table))


def test_an_attribute_column_describes_its_item_without_nesting() -> None:
    """政府采购预算表: the hierarchy runs over four columns, filled down; 采购组织形式 describes."""
    rows = [
        ["采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计"],
        ["合计", "", "", "", "", "40.00"],
        ["一、货物A", "", "", "", "", "40.00"],
        ["", "办公设备购置费", "办公设备购置", "", "", "40.00"],
        ["", "", "", "台式计算机", "分散自行组织", "18.00"],
        ["", "", "", "复印机", "分散自行组织", "7.00"],
        ["", "", "", "家具用具", "分散自行组织", "15.00"],
    ]
    table = read(rows, caption=("2018年政府采购预算表",))
    assert table.kind == "government_procurement"
    assert [(" / ".join(f.path), f.amount) for f in table.funds] == [
        ("合计", 40.0),
        ("货物A", 40.0),
        ("货物A / 办公设备购置费 / 办公设备购置", 40.0),
        ("货物A / 办公设备购置费 / 办公设备购置 / 台式计算机", 18.0),
        ("货物A / 办公设备购置费 / 办公设备购置 / 复印机", 7.0),
        ("货物A / 办公设备购置费 / 办公设备购置 / 家具用具", 15.0),
    ]
    assert [c.rule for c in table_checks(table)] == ["item_sum", "list_total"]
    assert all(c.holds for c in table_checks(table))


def test_a_rounding_slip_is_not_a_failure() -> None:
    rows = [
        ["科目编码", "科目名称", "决算数"],
        ["", "合计", "10.23"],
        ["302", "商品和服务支出", "10.23"],
        ["30201", "办公费", "3.41"],
        ["30202", "印刷费", "3.41"],
        ["30205", "水费", "3.40"],
    ]
    table = read(rows, caption=("一般公共预算财政拨款基本支出决算表", "单位：万元"))
    verdicts = {c.subject: (c.holds, c.rounding) for c in table_checks(table)}
    assert verdicts["302 商品和服务支出 [决算数]"] == (False, True)
    # A slip in whole yuan is the publisher's (or our) error, not rounding.
    rows = [[*row[:2], text.replace(".", "")] for row, text in zip(rows, [r[2] for r in rows], strict=True)]
    rows[0][2] = "决算数"
    table = read(rows, caption=("一般公共预算财政拨款基本支出决算表", "单位：元"))
    verdicts = {c.subject: (c.holds, c.rounding) for c in table_checks(table)}
    assert verdicts["302 商品和服务支出 [决算数]"] == (False, False)


def write_rows(path: Path, title: str, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([title])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_split_code_columns_stored_as_numbers_are_codes(tmp_path: Path) -> None:
    """类 | 款 | 项 as numbers (205 | 1 | 1) is 2050101; those columns are never amounts."""
    path = write_rows(
        tmp_path / "split.xlsx",
        "一般公共预算支出表",
        [
            ["类", "款", "项", "科目名称", "合计"],
            [None, None, None, "合计", 300],
            [205, None, None, "教育支出", 300],
            [205, 1, None, "教育管理事务", 300],
            [205, 1, 1, "行政运行", 200],
            [205, 1, 2, "一般行政管理事务", 100],
        ],
    )
    result = parse(path)
    (table,) = result.tables
    assert [(f.code, f.item, f.column, f.amount) for f in table.funds] == [
        ("", "合计", ("合计",), 300.0),
        ("205", "教育支出", ("合计",), 300.0),
        ("20501", "教育管理事务", ("合计",), 300.0),
        ("2050101", "行政运行", ("合计",), 200.0),
        ("2050102", "一般行政管理事务", ("合计",), 100.0),
    ]
    assert table.checks_total == table.checks_held == 3


def test_a_total_nothing_checks_is_reported(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "unchecked.xlsx",
        "某某情况表",
        [["项目", "金额"], ["合计", 300]],
    )
    result = parse(path)
    assert [w.code for w in result.warnings] == ["unchecked_total"]


def test_two_tables_in_one_grid_stay_two(tmp_path: Path) -> None:
    """A title printed inside a grid, under a body, starts the next table (Word and HTML
    publishers put a whole set of tables into one table object)."""
    path = tmp_path / "two.html"
    path.write_text(
        """<html><head><meta charset="utf-8"></head><body>
        <p>公开03表：支出预算总表</p><p>单位：万元</p>
        <table>
        <tr><td>合计</td><td>基本支出</td><td>项目支出</td></tr>
        <tr><td>30.00</td><td>20.00</td><td>10.00</td></tr>
        <tr><td colspan="3">公开04表：财政拨款收支预算总表</td></tr>
        <tr><td colspan="3">部门：某局 单位：万元</td></tr>
        <tr><td>收入</td><td colspan="2">支出</td></tr>
        <tr><td>一、一般公共预算 30.00</td><td>一、基本支出</td><td>20.00</td></tr>
        </table></body></html>""",
        encoding="utf-8",
    )
    result = parse(path)
    assert [(t.kind, t.title) for t in result.tables] == [
        ("expenditure_summary", "公开03表：支出预算总表"),
        ("fiscal_appropriation_summary", "公开04表：财政拨款收支预算总表"),
    ]
    first, second = result.tables
    assert first.grid.n_rows == 2 and second.grid.n_rows == 2
    assert second.meta.amount_unit == "万元"
    assert first.checks_held == first.checks_total == 1


def test_a_caption_line_spread_over_cells_is_no_header() -> None:
    """部门： | 江苏省人民检察院 | 单位：万元 drawn inside the grid: a caption, not a column header."""
    rows = [
        ["部门：", "某局", "", "单位：万元"],
        ["项目名称", "金额", "项目名称", "金额"],
        ["一、财政拨款", "10.00", "一、基本支出", "10.00"],
        ["收入合计", "10.00", "支出合计", "10.00"],
    ]
    table = read(rows, caption=("收支预算总表",))
    assert table.meta.amount_unit == "万元"
    assert {f.column for f in table.funds} == {("金额",)}
    assert [c.rule for c in table_checks(table)] == ["list_total", "list_total"]


def test_a_column_ending_in_total_totals_its_siblings_but_not_its_parts() -> None:
    """收入合计 beside its parts, 事业收入 split into 金额 and 其中：教育收费 (a part of 金额)."""
    rows = [
        ["科目编码", "科目名称", "收入合计", "财政拨款收入", "事业收入", "<"],
        ["^", "^", "^", "^", "金额", "其中：教育收费"],
        ["2050202", "小学教育", "9,645.51", "8,201.15", "1,444.86", "500.00"],
    ]
    (check,) = [c for c in table_checks(read(rows, caption=("收入预算表",))) if c.rule == "total_column"]
    assert (check.expected, check.actual) == (9645.51, pytest.approx(9646.01))


def test_a_row_numbering_the_columns_under_any_label_is_header() -> None:
    """杭州's template numbers its columns under a ``**`` label: 1, 2, 3 … is no body row."""
    rows = [
        ["项目", "合计", "基本支出", "项目支出"],
        ["**", "1", "2", "3"],
        ["合计", "30.00", "20.00", "10.00"],
    ]
    table = read(rows, caption=("支出预算总表",))
    assert [(f.item, f.column, f.amount) for f in table.funds] == [
        ("合计", ("合计",), 30.0),
        ("合计", ("基本支出",), 20.0),
        ("合计", ("项目支出",), 10.0),
    ]


def indented(labels: list[tuple[str, float, float]], amounts: list[str]) -> Grid:
    """A 项目 | 预算数 grid whose labels stand ``left`` points from the cell's left edge and end
    ``right`` points short of its right edge, as a PDF's first line of text does."""
    cells: list[Cell] = [Cell(row=0, col=0, text="项目"), Cell(row=0, col=1, text="预算数")]
    for row, ((text, left, right), amount) in enumerate(zip(labels, amounts, strict=True), start=1):
        top = 20.0 * row
        box = BBox(0, top, 200, top + 20)
        cells.append(
            Cell(row=row, col=0, text=text, bbox=box, text_box=BBox(left, top + 5, 200 - right, top + 15))
        )
        cells.append(Cell(row=row, col=1, text=amount))
    return Grid(n_rows=len(labels) + 1, n_cols=2, cells=tuple(cells), caption=("支出预算表",), pages=(1,))


def test_labels_nest_by_their_indentation_where_nothing_else_says_how() -> None:
    """杭州's 收支总表 prints 类, 款, 项 names without codes, each a step further right."""
    table, _ = grid_to_table(
        indented(
            [
                ("科学技术支出", 5, 120),
                ("技术研究与开发", 15, 100),
                ("科技成果转化与扩散", 25, 80),
                ("社会保障和就业支出", 5, 100),
                ("行政事业单位养老支出", 15, 80),
                ("本年支出合计", 60, 60),
            ],
            ["28.00", "28.00", "28.00", "396.67", "396.67", "424.67"],
        ),
        "t1",
    )
    assert [" / ".join(f.path) for f in table.funds] == [
        "科学技术支出",
        "科学技术支出 / 技术研究与开发",
        "科学技术支出 / 技术研究与开发 / 科技成果转化与扩散",
        "社会保障和就业支出",
        "社会保障和就业支出 / 行政事业单位养老支出",
        "本年支出合计",
    ]
    assert all(c.holds for c in table_checks(table))


def test_centred_labels_do_not_nest_by_their_position() -> None:
    labels = [("一般公共服务支出", 60, 60), ("外交支出", 80, 80), ("教育支出", 80, 80), ("合计", 90, 90)]
    table, _ = grid_to_table(indented(labels, ["1.00", "2.00", "3.00", "6.00"]), "t1")
    assert [f.path for f in table.funds] == [("一般公共服务支出",), ("外交支出",), ("教育支出",), ("合计",)]


def test_a_sub_column_naming_its_group_total_counts_for_the_group() -> None:
    """北京: 项目支出 is split into 项目支出总数 and 扣除基建项目后预算数 (a part of it, not more)."""
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出", "<"],
        ["^", "^", "^", "^", "项目支出总数", "扣除基建项目后预算数"],
        ["2010805", "审计管理", "486.51", "", "486.51", "486.51"],
    ]
    (check,) = [
        c for c in table_checks(read(rows, caption=("一般公共预算支出表",))) if c.rule == "total_column"
    ]
    assert check.holds


def test_row_numbers_go_on_in_the_second_panel_and_a_label_is_no_title() -> None:
    """国家信访局's 决算 numbers the 支出 panel's rows on from the 收入 panel's (行次 32, 33 …), and
    prints its number label (公开01表) under its title."""
    rows = [
        ["收入", "<", "<", "支出", "<", "<"],
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["栏次", "", "1", "栏次", "", "2"],
        ["一、财政拨款收入", "1", "90.00", "一、一般公共服务支出", "32", "60.00"],
        ["二、其他收入", "2", "10.00", "二、教育支出", "33", "40.00"],
        ["本年收入合计", "3", "100.00", "本年支出合计", "34", "100.00"],
    ]
    table = read(rows, caption=("收入支出决算总表", "公开01表", "部门：某局 金额单位：万元"))
    assert (table.kind, table.title) == ("budget_summary", "收入支出决算总表")
    assert {f.column for f in table.funds} == {("收入", "金额"), ("支出", "金额")}
    assert len(table.funds) == 6
    assert all(c.holds for c in table_checks(table))


def test_a_numbering_row_under_split_code_columns_is_no_part_of_their_headers() -> None:
    """长沙: 类 | 款 | 项 | 功能科目 over ** | ** | ** | ** | 1 | 2 | 3; a 款 row prints its part only."""
    rows = [
        ["科目编码", "<", "<", "功能科目", "总计", "基本支出", "项目支出"],
        ["类", "款", "项", "^", "^", "^", "^"],
        ["**", "**", "**", "**", "1", "2", "3"],
        ["", "", "", "合计", "1,935.36", "1,517.95", "417.41"],
        ["201", "", "", "一般公共服务支出", "1,935.36", "1,517.95", "417.41"],
        ["", "40", "", "信访事务", "1,935.36", "1,517.95", "417.41"],
        ["201", "40", "01", "行政运行", "1,517.95", "1,517.95", ""],
        ["201", "40", "04", "信访业务", "417.41", "", "417.41"],
    ]
    table = read(rows, caption=("2026年一般公共预算支出情况表",))
    assert sorted({f.code for f in table.funds}) == ["", "201", "20140", "2014001", "2014004"]
    assert {f.column for f in table.funds} == {("总计",), ("基本支出",), ("项目支出",)}
    assert all(c.holds for c in table_checks(table))


@pytest.mark.parametrize(
    ("rows", "paths"),
    [
        (  # 深圳's 财政拨款收支总表: 财政拨款 / 1.一般公共预算拨款 / 2.政府性基金预算拨款
            [
                ["项目", "预算数"],
                ["财政拨款", "90.00"],
                ["1.一般公共预算拨款", "90.00"],
                ["2.政府性基金预算拨款", "0.00"],
                ["本年收入合计", "90.00"],
            ],
            ["财政拨款", "财政拨款 / 一般公共预算拨款", "财政拨款 / 政府性基金预算拨款"],
        ),
        (  # a scan read 一、一般公共预算资金 as 、一般公共预算资金: its numeral lost, still numbered
            [
                ["项目", "预算数"],
                ["、一般公共预算资金", "90.00"],
                ["1.财政拨款", "90.00"],
                ["二、政府性基金预算资金", "0.00"],
                ["本年收入合计", "90.00"],
            ],
            ["一般公共预算资金", "一般公共预算资金 / 财政拨款", "政府性基金预算资金"],
        ),
    ],
)
def test_a_numbering_lists_the_parts_of_the_item_it_stands_under(
    rows: list[list[str]], paths: list[str]
) -> None:
    table = read(rows, caption=("财政拨款收支总表",))
    assert [" / ".join(f.path) for f in table.funds][:3] == paths
    assert all(c.holds for c in table_checks(table))


def test_a_memo_column_beside_the_shares_is_none_of_them() -> None:
    """深圳's 支出总表 prints how much of each row is procured beside the shares of 支出总计."""
    rows = [
        ["科目编码", "科目名称", "支出总计", "基本支出", "项目支出", "2026年政府采购项目", "<"],
        ["^", "^", "^", "^", "^", "小计", "其中：预留中小企业"],
        ["2010505", "专项统计业务", "701.80", "0.00", "701.80", "86.28", "86.28"],
    ]
    (check,) = [c for c in table_checks(read(rows, caption=("支出总表",))) if c.rule == "total_column"]
    assert check.holds


def test_prose_above_a_frame_is_no_title() -> None:
    """A sentence printed above a table (…和政府采购等情况，推动…) names no kind."""
    table = read(
        [["甲", "乙"], ["丙", "丁"]], caption=("和政府采购等情况，推动深入整治“内卷式”竞争，树立和践行正确",)
    )
    assert (table.title, table.kind) == ("", "generic")


def test_panels_whose_amounts_share_a_header_are_told_apart_by_their_item_headers() -> None:
    """西安's 收支总表 sets three 支出 panels side by side, each 项目 | 预算数 under one 支出."""
    rows = [
        ["收入", "<", "支出", "<", "<", "<"],
        ["项目", "预算数", "支出功能分类科目", "预算数", "支出经济分类科目", "预算数"],
        ["一、财政拨款", "10.00", "1、一般公共服务支出", "10.00", "1、工资福利支出", "10.00"],
        ["本年收入合计", "10.00", "本年支出合计", "10.00", "本年支出合计", "10.00"],
    ]
    table = read(rows, caption=("部门综合预算收支总表",))
    assert sorted({" / ".join(f.column) for f in table.funds}) == [
        "支出 / 支出功能分类科目 / 预算数",
        "支出 / 支出经济分类科目 / 预算数",
        "收入 / 预算数",
    ]
    assert all(c.holds for c in table_checks(table))


def test_an_empty_part_column_headed_like_an_item_opens_no_panel() -> None:
    """西安's 收入总表: 一般公共预算拨款 split into 小计 | 其中：专项资金列入部门预算项目 (empty)."""
    rows = [
        ["单位编码", "单位名称", "合计", "一般公共预算拨款", "<", "其他收入"],
        ["^", "^", "^", "小计", "其中：专项资金列入部门预算项目", "^"],
        ["117", "某局", "30.00", "20.00", "", "10.00"],
    ]
    table = read(rows, caption=("部门综合预算收入总表",))
    assert {f.path for f in table.funds} == {("某局",)}
    assert all(c.holds for c in table_checks(table))


def test_numbers_under_a_code_header_identify_and_are_never_amounts() -> None:
    """西安 lists its units by 单位编码 (117, 117001): numbers, but no amounts to add up."""
    rows = [
        ["单位编码", "单位（项目）名称", "项目金额"],
        ["合计", "合计", "8,490,507.50"],
        ["117001", "西安市审计局", "8,490,507.50"],
    ]
    table = read(rows, caption=("部门综合预算专项业务经费支出表",))
    assert {f.column for f in table.funds} == {("项目金额",)}


def test_a_blank_middle_code_part_is_the_row_above_s() -> None:
    """212 | | 02 under 212 | 01 | 01 is 2120102 (the 款 lost under a seal on a scan, or not
    printed), and 财级 | 01 | 04 (the seal's text read in the 类 cell) 2120104; under another 类
    the parts are read as printed."""
    rows = [
        ["类", "款", "项", "科目名称", "合计"],
        ["212", "", "", "城乡社区支出", "30.00"],
        ["212", "01", "", "城乡社区管理事务", "30.00"],
        ["212", "01", "01", "行政运行", "10.00"],
        ["212", "", "02", "一般行政管理事务", "20.00"],
        ["财级", "01", "04", "城管执法", "0.00"],
        ["213", "", "02", "农业农村", "5.00"],
    ]
    table = read(rows, caption=("一般公共预算支出表",))
    assert [f.code for f in table.funds] == ["212", "21201", "2120101", "2120102", "2120104", "21302"]
