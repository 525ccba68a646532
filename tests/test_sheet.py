"""The Excel reader: workbooks built here with openpyxl, and the real 2026 department template."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Border, Side
from openpyxl.worksheet.worksheet import Worksheet

from extractor.errors import CorruptDocument
from extractor.model import Document, Grid
from extractor.pipeline import parse
from extractor.readers import detect_format, sheet, workbook
from tests.conftest import SHARED_ABSENT

REAL_TEMPLATE = Path(__file__).resolve().parents[2] / "shared/corpus/real/template_budget_dept_sh_2026.xlsx"

Anchor = tuple[int, int, int, int, str]
Value = str | int | float | bool | dt.datetime | None


def anchors(grid: Grid) -> set[Anchor]:
    return {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells}


def codes(document: Document) -> list[str]:
    return [issue.code for issue in document.warnings]


def fill(ws: Worksheet, top: int, rows: list[list[Value]]) -> None:
    """Write ``rows`` from row ``top`` on, column A first; None leaves a cell unwritten."""
    for r, values in enumerate(rows, start=top):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)


def save(workbook: openpyxl.Workbook, tmp_path: Path, name: str = "book.xlsx") -> Path:
    path = tmp_path / name
    workbook.save(path)
    return path


def one_sheet(title: str = "表") -> tuple[openpyxl.Workbook, Worksheet]:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert isinstance(ws, Worksheet)
    ws.title = title
    return workbook, ws


def only_grid(document: Document) -> Grid:
    assert len(document.grids) == 1, [g.origin for g in document.grids]
    return document.grids[0]


# --- structure -------------------------------------------------------------------------------


def test_merged_ranges_become_spans_on_the_anchor(tmp_path: Path) -> None:
    workbook, ws = one_sheet("收入表")
    fill(ws, 1, [["项目", "收入预算", None], [None, "合计", "财政拨款"], ["教育支出", 100, 60]])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    document = sheet.read(save(workbook, tmp_path))
    grid = only_grid(document)
    assert (document.format, document.pages, document.warnings) == ("xlsx", None, ())
    assert (grid.n_rows, grid.n_cols, grid.origin, grid.caption) == (3, 3, "sheet 收入表 A1:C3", ())
    assert anchors(grid) == {
        (0, 0, 2, 1, "项目"),
        (0, 1, 1, 2, "收入预算"),
        (1, 1, 1, 1, "合计"),
        (1, 2, 1, 1, "财政拨款"),
        (2, 0, 1, 1, "教育支出"),
        (2, 1, 1, 1, "100"),
        (2, 2, 1, 1, "60"),
    }
    assert all(cell.page is None and cell.bbox is None for cell in grid.cells)


def test_two_tables_on_one_sheet_each_with_its_caption(tmp_path: Path) -> None:
    workbook, ws = one_sheet("总表")
    fill(
        ws,
        1,
        [
            ["2025年部门收入预算总表"],
            ["编制部门：XX局", None, "单位：元"],
            ["项目", "预算数", None],
            ["财政拨款收入", 4100000, None],
            [],
            [],
            ["2025年部门支出预算总表"],
            [None, "单位：元"],
            [None, "项目", "预算数"],
            [None, "基本支出", 35319.26],
        ],
    )
    ws.merge_cells("A1:C1")
    grids = sheet.read(save(workbook, tmp_path)).grids
    assert [(g.origin, g.caption) for g in grids] == [
        ("sheet 总表 A3:B4", ("2025年部门收入预算总表", "编制部门：XX局 单位：元")),
        ("sheet 总表 B9:C10", ("2025年部门支出预算总表", "单位：元")),
    ]
    assert [g.as_rows() for g in grids] == [
        [["项目", "预算数"], ["财政拨款收入", "4100000"]],
        [["项目", "预算数"], ["基本支出", "35319.26"]],
    ]


def test_caption_keeps_the_nearest_four_lines(tmp_path: Path) -> None:
    workbook, ws = one_sheet()
    fill(ws, 1, [["第一行"], ["第二行\n第三行"], [], ["第四行"], ["第五行"], ["项目", "金额"], ["甲", 1]])
    grid = only_grid(sheet.read(save(workbook, tmp_path)))
    assert grid.caption == ("第二行", "第三行", "第四行", "第五行")
    assert grid.n_rows == 2


def test_bordered_empty_rows_hold_a_template_together(tmp_path: Path) -> None:
    """Templates leave ruled empty rows for the figures between the sample rows and 合计."""
    workbook, ws = one_sheet()
    fill(ws, 1, [["项目", "预算数"], ["一、财政拨款收入", None]])
    fill(ws, 7, [["合计", None]])
    ruled = Border(left=Side(style="thin"), right=Side(style="thin"))
    for row in range(1, 10):
        for col in (1, 2):
            ws.cell(row=row, column=col).border = ruled
    grid = only_grid(sheet.read(save(workbook, tmp_path)))
    assert grid.origin == "sheet 表 A1:B7"  # rows 8-9 are ruled but empty: trimmed
    assert grid.as_rows()[2:6] == [["", ""]] * 4


def box(ws: Worksheet, cells: str) -> None:
    """Rule every cell of the range ``cells`` on all four sides, as tables are drawn."""
    thin = Side(style="thin")
    for row in ws[cells]:
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def three_public_sheet() -> tuple[openpyxl.Workbook, Worksheet]:
    """A 三公经费表 without 机关运行经费: its top header is one merged cell over every column."""
    workbook, ws = one_sheet("三公经费表")
    fill(
        ws,
        1,
        [
            ["2025年“三公”经费预算表"],
            ["编制部门：XX局", None, None, None, "单位：元"],
            ["“三公”经费预算数"],
            ["合计", "因公出国(境)费", "公务用车购置及运行费", None, "公务接待费"],
            [None, None, "购置费", "运行费", None],
            [125600, 0, "-", 98000, 27600],
        ],
    )
    for cells in ("A1:E1", "A3:E3", "A4:A5", "B4:B5", "C4:D4", "E4:E5"):
        ws.merge_cells(cells)
    box(ws, "A3:E6")
    return workbook, ws


def test_a_boxed_merged_header_over_the_table_is_no_caption(tmp_path: Path) -> None:
    """The title is merged over the same columns; only the borders tell the two apart."""
    workbook, _ = three_public_sheet()
    grid = only_grid(sheet.read(save(workbook, tmp_path)))
    assert (grid.origin, grid.caption) == (
        "sheet 三公经费表 A3:E6",
        ("2025年“三公”经费预算表", "编制部门：XX局 单位：元"),
    )
    assert (0, 0, 1, 5, "“三公”经费预算数") in anchors(grid)
    assert grid.as_rows()[1][:3] == ["合计", "因公出国(境)费", "公务用车购置及运行费"]


@pytest.mark.parametrize(
    ("why", "header", "ruled"),
    [
        ("not boxed: no side borders", "A3:E3", "A4:E5"),
        ("merged wider than the table", "A3:F3", "A3:F5"),
        ("detached from the table by a ruled empty row", "A2:E2", "A2:E5"),
    ],
)
def test_a_text_line_that_fails_the_boxed_header_rule_stays_a_caption(
    tmp_path: Path, why: str, header: str, ruled: str
) -> None:
    workbook, ws = one_sheet()
    ws[header.split(":")[0]] = "“三公”经费预算数"
    ws.merge_cells(header)
    fill(ws, 4, [["合计", "因公出国(境)费", "公务用车购置及运行费", "公务接待费", "其他"], [1, 2, 3, 4, 5]])
    box(ws, ruled)
    grid = only_grid(sheet.read(save(workbook, tmp_path)))
    assert (grid.caption, grid.n_rows, grid.n_cols) == (("“三公”经费预算数",), 2, 5), why


def test_an_underlined_merged_title_stays_a_caption(tmp_path: Path) -> None:
    """openpyxl gives the edges of such a merge no left and right side at all (None)."""
    workbook, ws = one_sheet()
    fill(ws, 1, [["2025年部门支出预算总表"], ["项目", "预算数"], ["基本支出", 12]])
    ws.merge_cells("A1:B1")
    ws["A1"].border = Border(bottom=Side(style="thin"))
    box(ws, "A2:B3")
    grid = only_grid(sheet.read(save(workbook, tmp_path)))
    assert (grid.caption, grid.origin) == (("2025年部门支出预算总表",), "sheet 表 A2:B3")


def test_trailing_formatted_columns_are_trimmed(tmp_path: Path) -> None:
    workbook, ws = one_sheet()
    fill(ws, 1, [["项目", "预算数"], ["支出", 12]])
    ws.cell(row=1, column=256).border = Border(bottom=Side(style="thin"))
    ws.cell(row=40, column=3).value = "   "
    path = save(workbook, tmp_path)
    reloaded = openpyxl.load_workbook(path).active
    assert reloaded is not None and reloaded.max_column == 256  # the inflated used range real files have
    grid = only_grid(sheet.read(path))
    assert (grid.n_rows, grid.n_cols, grid.origin) == (2, 2, "sheet 表 A1:B2")


# --- values ------------------------------------------------------------------------------------


def test_number_formats_give_plain_values(tmp_path: Path) -> None:
    workbook, ws = one_sheet()
    values: list[tuple[Value, str]] = [
        (4100000.0, "#,##0.00"),
        (35319.260000000002, "#,##0.00_ "),
        (0.95, "0%"),
        (0.9512, "0.00%"),
        (dt.datetime(2023, 1, 1), "yyyy-mm-dd"),
        (True, "General"),
        (2, "00"),
        ("02", "@"),
        (-1234.5, '"¥"#,##0.00;[Red]-"¥"#,##0.00'),
    ]
    ws.append(["值"] * len(values))
    for col, (value, number_format) in enumerate(values, start=1):
        cell = ws.cell(row=2, column=col, value=value)
        cell.number_format = number_format
    grid = only_grid(sheet.read(save(workbook, tmp_path)))
    assert grid.as_rows()[1] == [
        "4100000",
        "35319.26",
        "95%",
        "95.12%",
        "2023-01-01",
        "TRUE",
        "02",
        "02",
        "-1234.5",
    ]


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (None, "General", ""),
        ("  ", "General", ""),
        ("行一\r\n行二", "General", "行一\n行二"),
        (0.1 + 0.2, "General", "0.3"),
        (1e20, "General", "100000000000000000000"),
        (1e-7, "General", "0.0000001"),
        (-0.0, "General", "0"),
        (1.5, '0.0"%"', "1.5"),  # a quoted percent sign is text, not a percentage
        (False, "General", "FALSE"),
        (dt.datetime(2024, 3, 5, 14, 30), "yyyy-mm-dd hh:mm", "2024-03-05 14:30:00"),
        (dt.date(2024, 3, 5), "yyyy-mm-dd", "2024-03-05"),
        (dt.time(8, 15), "hh:mm", "08:15:00"),
    ],
)
def test_value_to_text(value: object, number_format: str, text: str) -> None:
    assert workbook.value_to_text(value, number_format) == text


# --- what is skipped ---------------------------------------------------------------------------


def test_hidden_rows_and_columns_are_skipped_with_one_warning(tmp_path: Path) -> None:
    workbook, ws = one_sheet("支出表")
    fill(
        ws,
        1,
        [
            ["项目", "内部备注", "预算数"],
            ["基本支出", "x", 10, None],
            ["已撤销", "y", 99, None],
            ["项目支出", "z", 20, None],
        ],
    )
    ws.merge_cells("A5:C5")
    ws["A5"] = "合计 30"
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["B"].hidden = True
    ws.column_dimensions["D"].hidden = True  # hidden but empty: nothing is lost
    document = sheet.read(save(workbook, tmp_path))
    grid = only_grid(document)
    assert grid.as_rows() == [
        ["项目", "预算数"],
        ["基本支出", "10"],
        ["项目支出", "20"],
        ["合计 30", "合计 30"],
    ]
    assert (3, 0, 1, 2, "合计 30") in anchors(grid)  # A5:C5 less the hidden column B
    assert grid.origin == "sheet 支出表 A1:C5"
    assert codes(document) == ["hidden_cells_skipped"]
    assert "支出表" in document.warnings[0].message
    assert "1 hidden row(s) and 1 hidden column(s)" in document.warnings[0].message


def test_cover_notes_prose_hidden_and_empty_sheets_are_not_tables(tmp_path: Path) -> None:
    workbook, cover = one_sheet("封面")
    fill(cover, 3, [["上海市XX区2026年区级部门预算"], ["预算主管部门", "XX局"]])
    notes = workbook.create_sheet("填报说明")
    fill(notes, 1, [["项目", "说明"], ["一", "二"]])
    prose = workbook.create_sheet("部门主要职能")
    fill(prose, 1, [["XX（部门）主要职能"], [], ["    XX是……。\n    主要职能包括：\n    1. ……"]])
    prose.merge_cells("A3:A17")
    hidden = workbook.create_sheet("代码表")
    fill(hidden, 1, [["编码", "名称"], ["205", "教育支出"]])
    hidden.sheet_state = "hidden"
    workbook.create_sheet("Sheet3")
    table = workbook.create_sheet("部门支出总表")
    fill(table, 1, [["项目", "预算数"], ["教育支出", 5]])
    document = sheet.read(save(workbook, tmp_path))
    assert [g.origin for g in document.grids] == ["sheet 部门支出总表 A1:B2"]
    assert codes(document) == ["sheet_skipped"] * 4
    skipped = [issue.message for issue in document.warnings]
    for name in ("封面", "填报说明", "部门主要职能", "代码表"):
        assert any(name in message for message in skipped), name


def test_a_workbook_without_tables_says_so(tmp_path: Path) -> None:
    workbook, _ = one_sheet()
    document = sheet.read(save(workbook, tmp_path))
    assert (document.grids, codes(document)) == ((), ["no_tables"])


# --- detection and errors ----------------------------------------------------------------------


def test_a_workbook_is_detected_by_content(tmp_path: Path) -> None:
    workbook, ws = one_sheet()
    fill(ws, 1, [["项目", "预算数"]])
    assert detect_format(save(workbook, tmp_path, "downloaded.bin")) == "xlsx"


def test_the_pipeline_reads_workbooks(tmp_path: Path) -> None:
    workbook, ws = one_sheet()
    fill(ws, 1, [["2025年部门支出预算总表"], ["项目", "预算数"], ["基本支出", 35319.26]])
    result = parse(save(workbook, tmp_path, "budget.xlsm"))
    assert (result.error, result.source.format, len(result.tables)) == (None, "xlsx", 1)
    assert "format_mismatch" not in [issue.code for issue in result.warnings]


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04 truncated"])
def test_invalid_bytes_are_corrupt(data: bytes) -> None:
    with pytest.raises(CorruptDocument, match=r"not a valid \.xlsx") as caught:
        sheet.read_bytes(data, "t.xlsx")
    assert caught.value.__cause__ is not None


def test_a_zip_without_workbook_parts_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(CorruptDocument) as caught:
        sheet.read(path)
    assert caught.value.__cause__ is not None


# --- the real template -------------------------------------------------------------------------


@pytest.mark.skipif(not REAL_TEMPLATE.exists(), reason=SHARED_ABSENT)
def test_real_department_budget_template() -> None:
    document = sheet.read(REAL_TEMPLATE)
    by_sheet = {grid.origin.split(" ")[1]: grid for grid in document.grids}
    function_sheets = [
        "部门收入总表",
        "部门支出总表",
        "部门一般公共预算拨款表",
        "部门政府性基金拨款表",
        "部门国有资本经营预算拨款表",
    ]
    expected_words = {
        **{
            name: {"功能分类科目编码", "类", "款", "项", "功能分类科目名称", "合计"}
            for name in function_sheets
        },
        "部门收支总表": {"本年收入", "本年支出", "项目", "预算数"},
        "部门财政拨款收支总表": {"财政拨款收入", "财政拨款支出", "一般公共预算", "国有资本经营预算"},
        "部门一般公共预算拨款基本支出明细表": {
            "部门预算经济分类科目编码",
            "类",
            "款",
            "人员经费",
            "公用经费",
        },
        "部门“三公”经费和机关运行费预算表": {"“三公”经费预算数", "因公出国(境)费", "公务接待费", "购置费"},
    }
    assert sorted(by_sheet) == sorted(expected_words)
    for name, words in expected_words.items():
        grid = by_sheet[name]
        header = {text for row in grid.as_rows()[:3] for text in row}
        assert words <= header, (name, words - header)
        assert grid.caption[0].startswith("2026年部门"), grid.caption
        assert grid.caption[-1].startswith("编制部门：") and "单位" in grid.caption[-1]
        assert grid.n_cols <= 9  # the inflated used range (up to 256 columns) is trimmed
    expenditure = by_sheet["部门支出总表"]
    assert expenditure.origin == "sheet 部门支出总表 A6:G20"
    assert expenditure.covering(1, 2) is expenditure.covering(1, 0)  # 功能分类科目编码 over 类/款/项
    assert expenditure.as_rows()[3][:4] == ["205", "", "", "教育支出"]
    assert expenditure.as_rows()[-1][0] == "合计"
    assert codes(document) == ["sheet_skipped"] * 8
    skipped = " ".join(issue.message for issue in document.warnings)
    assert "封面" in skipped and "目录" in skipped and "名词解释" in skipped
