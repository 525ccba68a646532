"""The .xls reader: workbooks written here twice, with xlwt and with openpyxl, must give the
.xls and the .xlsx reader the same grids; and the real 2026 unit-budget template (.xls, WPS)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

import openpyxl
import pytest
import xlrd
from openpyxl.styles import Border, Side
from openpyxl.utils import column_index_from_string, range_boundaries

from extractor.errors import CorruptDocument, EncryptedDocument, UnsupportedFormat
from extractor.model import Document, Grid
from extractor.pipeline import parse
from extractor.readers import detect_format, legacy_sheet, sheet
from tests.conftest import SHARED_ABSENT

REAL_TEMPLATE = Path(__file__).resolve().parents[2] / "shared/corpus/real/template_budget_unit_sh_2026.xls"

needs_xlwt = pytest.mark.skipif(
    find_spec("xlwt") is None, reason="xlwt writes the test workbooks: pip install -e '.[dev]'"
)
needs_template = pytest.mark.skipif(not REAL_TEMPLATE.exists(), reason=SHARED_ABSENT)

Anchor = tuple[int, int, int, int, str]
Value = str | int | float | bool | dt.datetime | dt.time | None


def anchors(grid: Grid) -> set[Anchor]:
    return {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells}


def codes(document: Document) -> list[str]:
    return [issue.code for issue in document.warnings]


# --- one workbook, written in both formats -----------------------------------------------------


@dataclass
class Spec:
    """A worksheet stated once: ``rows`` from A1 on (None leaves a cell unwritten), A1 ranges
    to merge and to rule on all four sides (``boxed``) or underline, cell number formats."""

    title: str
    rows: list[list[Value]]
    merges: list[str] = field(default_factory=list)
    boxed: list[str] = field(default_factory=list)
    underlined: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[str] = field(default_factory=list)
    hidden: bool = False


def positions(cells: str) -> list[tuple[int, int]]:
    """(row, column) from 1 of every cell of an A1 range."""
    left, top, right, bottom = range_boundaries(cells)
    assert left is not None and top is not None and right is not None and bottom is not None
    return [(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)]


def write_xlsx(specs: Sequence[Spec], path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    thin = Side(style="thin")
    for spec in specs:
        ws = workbook.create_sheet(spec.title)
        for r, values in enumerate(spec.rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for name, number_format in spec.formats.items():
            ws[name].number_format = number_format
        for cells in spec.boxed:
            for r, c in positions(cells):
                ws.cell(row=r, column=c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
        for cells in spec.underlined:
            for r, c in positions(cells):
                ws.cell(row=r, column=c).border = Border(bottom=thin)
        for cells in spec.merges:
            ws.merge_cells(cells)
        for row in spec.hidden_rows:
            ws.row_dimensions[row].hidden = True
        for col in spec.hidden_cols:
            ws.column_dimensions[col].hidden = True
        if spec.hidden:
            ws.sheet_state = "hidden"
    workbook.save(path)
    return path


def write_xls(specs: Sequence[Spec], path: Path) -> Path:
    """The same workbook through xlwt, which writes each cell once with its whole style.

    xlwt writes a merge with the style of its top-left cell in all its cells; openpyxl too
    gives the cells of a merge their first cell's borders.
    """
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for spec in specs:
        ws = workbook.add_sheet(spec.title)
        values = {
            (r, c): value
            for r, row in enumerate(spec.rows, start=1)
            for c, value in enumerate(row, start=1)
            if value is not None
        }
        borders: dict[tuple[int, int], str] = {}
        for cells in spec.underlined:
            borders.update(dict.fromkeys(positions(cells), "borders: bottom thin"))
        for cells in spec.boxed:
            borders.update(
                dict.fromkeys(positions(cells), "borders: left thin, right thin, top thin, bottom thin")
            )
        formats = {positions(name)[0]: fmt for name, fmt in spec.formats.items()}
        styles = {
            position: xlwt.easyxf(borders.get(position, ""), num_format_str=formats.get(position, "General"))
            for position in set(values) | set(borders) | set(formats)
        }
        plain = xlwt.easyxf("")
        merged: set[tuple[int, int]] = set()
        for cells in spec.merges:
            left, top, right, bottom = range_boundaries(cells)
            assert left is not None and top is not None and right is not None and bottom is not None
            anchor = values.get((top, left))
            ws.write_merge(top - 1, bottom - 1, left - 1, right - 1, anchor, styles.get((top, left), plain))
            merged.update(positions(cells))
        for (r, c), cell_style in sorted(styles.items()):
            if (r, c) not in merged:
                ws.write(r - 1, c - 1, values.get((r, c)), cell_style)
        for row in spec.hidden_rows:
            ws.row(row - 1).hidden = True
        for col in spec.hidden_cols:
            ws.col(column_index_from_string(col) - 1).hidden = True
        if spec.hidden:
            ws.visibility = 1
    workbook.save(str(path))
    return path


def both(specs: Sequence[Spec], tmp_path: Path) -> tuple[Document, Document]:
    """What the .xls and the .xlsx reader make of the same workbook."""
    xls = legacy_sheet.read(write_xls(specs, tmp_path / "book.xls"))
    xlsx = sheet.read(write_xlsx(specs, tmp_path / "book.xlsx"))
    return xls, xlsx


def three_public() -> Spec:
    """A 三公经费表 without 机关运行经费: its top header is one boxed merged cell over every column."""
    return Spec(
        "三公经费表",
        [
            ["2025年“三公”经费预算表"],
            ["编制部门：XX局", None, None, None, "单位：元"],
            ["“三公”经费预算数"],
            ["合计", "因公出国(境)费", "公务用车购置及运行费", None, "公务接待费"],
            [None, None, "购置费", "运行费", None],
            [125600, 0, "-", 98000, 27600],
        ],
        merges=["A1:E1", "A3:E3", "A4:A5", "B4:B5", "C4:D4", "E4:E5"],
        boxed=["A3:E6"],
    )


SCENARIOS: dict[str, tuple[list[Spec], list[str]]] = {
    "merged ranges": (
        [
            Spec(
                "收入表",
                [["项目", "收入预算", None], [None, "合计", "财政拨款"], ["教育支出", 100, 60]],
                merges=["A1:A2", "B1:C1"],
            )
        ],
        ["sheet 收入表 A1:C3"],
    ),
    "two tables with captions": (
        [
            Spec(
                "总表",
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
                merges=["A1:C1"],
            )
        ],
        ["sheet 总表 A3:B4", "sheet 总表 B9:C10"],
    ),
    "ruled empty rows hold a template together": (
        [
            Spec(
                "表",
                [["项目", "预算数"], ["一、财政拨款收入"], [], [], [], [], ["合计"]],
                boxed=["A1:B9"],
            )
        ],
        ["sheet 表 A1:B7"],
    ),
    "boxed merged header": ([three_public()], ["sheet 三公经费表 A3:E6"]),
    "unboxed header stays a caption": (
        [
            Spec(
                "表",
                [
                    [],
                    [],
                    ["“三公”经费预算数"],
                    ["合计", "因公出国(境)费", "公务用车购置及运行费", "公务接待费", "其他"],
                    [1, 2, 3, 4, 5],
                ],
                merges=["A3:E3"],
                boxed=["A4:E5"],
            )
        ],
        ["sheet 表 A4:E5"],
    ),
    "underlined title": (
        [
            Spec(
                "表",
                [["2025年部门支出预算总表"], ["项目", "预算数"], ["基本支出", 12]],
                merges=["A1:B1"],
                underlined=["A1"],
                boxed=["A2:B3"],
            )
        ],
        ["sheet 表 A2:B3"],
    ),
    "hidden rows and columns": (
        [
            Spec(
                "支出表",
                [
                    ["项目", "内部备注", "预算数"],
                    ["基本支出", "x", 10],
                    ["已撤销", "y", 99],
                    ["项目支出", "z", 20],
                    ["合计 30"],
                ],
                merges=["A5:C5"],
                hidden_rows=[3],
                hidden_cols=["B", "D"],
            )
        ],
        ["sheet 支出表 A1:C5"],
    ),
    "cover, notes, prose, hidden and empty sheets": (
        [
            Spec("封面", [[], [], ["上海市XX区2026年区级部门预算"], ["预算主管部门", "XX局"]]),
            Spec("填报说明", [["项目", "说明"], ["一", "二"]]),
            Spec(
                "部门主要职能",
                [["XX（部门）主要职能"], [], ["    XX是……。\n    主要职能包括：\n    1. ……"]],
                merges=["A3:A17"],
            ),
            Spec("代码表", [["编码", "名称"], ["205", "教育支出"]], hidden=True),
            Spec("Sheet3", []),
            Spec("部门支出总表", [["项目", "预算数"], ["教育支出", 5]]),
        ],
        ["sheet 部门支出总表 A1:B2"],
    ),
    "number formats": (
        [
            Spec(
                "值",
                [
                    ["值"] * 10,
                    [
                        4100000.0,
                        35319.260000000002,
                        0.95,
                        0.9512,
                        dt.datetime(2023, 1, 1),
                        True,
                        2,
                        "02",
                        -1234.5,
                        dt.time(8, 15),
                    ],
                ],
                formats={
                    "A2": "#,##0.00",
                    "B2": "#,##0.00_ ",
                    "C2": "0%",
                    "D2": "0.00%",
                    "E2": "yyyy-mm-dd",
                    "G2": "00",
                    "H2": "@",
                    "I2": '"¥"#,##0.00;[Red]-"¥"#,##0.00',
                    "J2": "hh:mm",
                },
            )
        ],
        ["sheet 值 A1:J2"],
    ),
    "no table at all": ([Spec("表", [])], []),
}


@needs_xlwt
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_the_xls_reader_gives_what_the_xlsx_reader_gives(tmp_path: Path, name: str) -> None:
    specs, origins = SCENARIOS[name]
    xls, xlsx = both(specs, tmp_path)
    assert [grid.origin for grid in xls.grids] == origins
    assert (xls.format, xlsx.format) == ("xls", "xlsx")
    assert xls.grids == xlsx.grids
    assert [(i.code, i.message.replace(".xlsx", ".xls")) for i in xlsx.warnings] == [
        (i.code, i.message) for i in xls.warnings
    ]


@needs_xlwt
def test_merged_ranges_become_spans_on_the_anchor(tmp_path: Path) -> None:
    specs, _ = SCENARIOS["merged ranges"]
    document = legacy_sheet.read(write_xls(specs, tmp_path / "book.xls"))
    assert (document.pages, document.warnings) == (None, ())
    assert anchors(document.grids[0]) == {
        (0, 0, 2, 1, "项目"),
        (0, 1, 1, 2, "收入预算"),
        (1, 1, 1, 1, "合计"),
        (1, 2, 1, 1, "财政拨款"),
        (2, 0, 1, 1, "教育支出"),
        (2, 1, 1, 1, "100"),
        (2, 2, 1, 1, "60"),
    }


@needs_xlwt
def test_what_the_shared_steps_make_of_an_xls(tmp_path: Path) -> None:
    """Spot checks that the comparison above compares something."""
    xls, _ = both(SCENARIOS["boxed merged header"][0], tmp_path)
    grid = xls.grids[0]
    assert grid.caption == ("2025年“三公”经费预算表", "编制部门：XX局 单位：元")
    assert (0, 0, 1, 5, "“三公”经费预算数") in anchors(grid)
    hidden, _ = both(SCENARIOS["hidden rows and columns"][0], tmp_path)
    assert hidden.grids[0].as_rows()[-1] == ["合计 30", "合计 30"]
    assert codes(hidden) == ["hidden_cells_skipped"]
    assert "1 hidden row(s) and 1 hidden column(s)" in hidden.warnings[0].message
    values, _ = both(SCENARIOS["number formats"][0], tmp_path)
    assert values.grids[0].as_rows()[1] == [
        "4100000",
        "35319.26",
        "95%",
        "95.12%",
        "2023-01-01",
        "TRUE",
        "02",
        "02",
        "-1234.5",
        "08:15:00",
    ]
    skipped, _ = both(SCENARIOS["cover, notes, prose, hidden and empty sheets"][0], tmp_path)
    assert codes(skipped) == ["sheet_skipped"] * 4


@pytest.mark.parametrize(
    ("ctype", "value", "number_format", "datemode", "text"),
    [
        (xlrd.XL_CELL_ERROR, 7, "General", 0, "#DIV/0!"),
        (xlrd.XL_CELL_ERROR, 99, "General", 0, "#ERR99"),
        (xlrd.XL_CELL_BOOLEAN, 0, "General", 0, "FALSE"),
        (xlrd.XL_CELL_DATE, 1.0, "yyyy-mm-dd", 1, "1904-01-02"),
        (xlrd.XL_CELL_DATE, 45292.5, "yyyy-mm-dd hh:mm", 0, "2024-01-01 12:00:00"),
        (xlrd.XL_CELL_DATE, 0.75, "hh:mm", 0, "18:00:00"),
        (xlrd.XL_CELL_DATE, 3e6, "yyyy-mm-dd", 0, "3000000"),  # past the year 9999: the number
        (xlrd.XL_CELL_NUMBER, 35319.260000000002, "#,##0.00", 0, "35319.26"),
        (xlrd.XL_CELL_TEXT, "行一\r\n行二", "General", 0, "行一\n行二"),
        (xlrd.XL_CELL_BLANK, "", "General", 0, ""),
    ],
)
def test_cell_to_text(ctype: int, value: object, number_format: str, datemode: int, text: str) -> None:
    assert legacy_sheet.cell_to_text(ctype, value, number_format, datemode) == text


# --- detection and errors ----------------------------------------------------------------------


def renamed_stream(data: bytes, name: str) -> bytes:
    """The OLE file ``data`` with its ``Workbook`` stream renamed, as a .doc or an encrypted
    .xlsx looks to detection: a directory entry is a 64-byte UTF-16 name and its byte length."""
    entry = data.find("Workbook".encode("utf-16-le") + b"\x00\x00")
    assert entry > 0 and entry % 128 == 0
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    out = bytearray(data)
    out[entry : entry + 64] = encoded.ljust(64, b"\x00")
    out[entry + 64 : entry + 66] = len(encoded).to_bytes(2, "little")
    return bytes(out)


@pytest.fixture
def small_xls(tmp_path: Path) -> bytes:
    if find_spec("xlwt") is None:
        pytest.skip("xlwt writes the test workbooks: pip install -e '.[dev]'")
    specs, _ = SCENARIOS["merged ranges"]
    return write_xls(specs, tmp_path / "small.xls").read_bytes()


def test_an_xls_is_detected_by_content_and_read_by_the_pipeline(tmp_path: Path, small_xls: bytes) -> None:
    downloaded = tmp_path / "downloaded.bin"
    downloaded.write_bytes(small_xls)
    assert detect_format(downloaded) == "xls"
    named = tmp_path / "budget.xls"
    named.write_bytes(small_xls)
    result = parse(named)
    assert (result.error, result.source.format, len(result.tables)) == (None, "xls", 1)
    assert "format_mismatch" not in [issue.code for issue in result.warnings]
    mislabelled = tmp_path / "budget.xlsx"
    mislabelled.write_bytes(small_xls)
    result = parse(mislabelled)
    assert (result.error, len(result.tables)) == (None, 1)
    assert "format_mismatch" in [issue.code for issue in result.warnings]


@pytest.mark.parametrize(
    ("stream", "error", "says"),
    [
        ("EncryptedPackage", EncryptedDocument, "password"),
        ("Contents", UnsupportedFormat, r"neither an Excel workbook \(\.xls\)"),
    ],
)
def test_other_ole_files_are_refused_by_what_they_hold(
    tmp_path: Path, small_xls: bytes, stream: str, error: type[Exception], says: str
) -> None:
    path = tmp_path / "file.doc"
    path.write_bytes(renamed_stream(small_xls, stream))
    with pytest.raises(error, match=says):
        detect_format(path)
    result = parse(path)
    assert result.error is not None and result.error.code == error.code  # type: ignore[attr-defined]


def test_an_ole_file_with_a_word_stream_is_a_doc(tmp_path: Path, small_xls: bytes) -> None:
    """A WordDocument stream means legacy Word; this one is a workbook renamed, so conversion fails."""
    path = tmp_path / "file.doc"
    path.write_bytes(renamed_stream(small_xls, "WordDocument"))
    assert detect_format(path) == "doc"
    result = parse(path)
    assert result.error is not None
    assert result.error.code == ("corrupt" if shutil.which("soffice") else "converter_missing")


def test_a_stream_is_found_whatever_its_case(tmp_path: Path, small_xls: bytes) -> None:
    path = tmp_path / "book.xls"
    path.write_bytes(renamed_stream(small_xls, "WORKBOOK"))
    assert detect_format(path) == "xls"


def test_an_encrypted_workbook_says_so(small_xls: bytes) -> None:
    """A FILEPASS record in the workbook globals marks an encrypted .xls."""
    write_access = small_xls.find(b"\x5c\x00\x70\x00")  # WRITEACCESS, 112 bytes, which xlwt writes
    assert write_access > 0
    data = small_xls[:write_access] + b"\x2f\x00" + small_xls[write_access + 2 :]
    with pytest.raises(EncryptedDocument, match="password") as caught:
        legacy_sheet.read_bytes(data, "t.xls")
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize("cut", [600, 2048, -100])
def test_a_truncated_xls_is_corrupt(tmp_path: Path, small_xls: bytes, cut: int) -> None:
    path = tmp_path / "t.xls"
    path.write_bytes(small_xls[:cut])
    result = parse(path)
    assert result.error is not None and result.error.code == "corrupt", result.error


@pytest.mark.parametrize(
    "data",
    [b"\xd0\xcf\x11\xe0", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, b"\xd0\xcf\x11\xe0junk"],
)
def test_a_broken_ole_container_is_corrupt(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "t.xls"
    path.write_bytes(data)
    with pytest.raises(CorruptDocument, match="OLE") as caught:
        detect_format(path)
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize("data", [b"", b"not a workbook", b"PK\x03\x04 a zip"])
def test_invalid_bytes_are_corrupt(data: bytes) -> None:
    with pytest.raises(CorruptDocument, match=r"not a valid \.xls") as caught:
        legacy_sheet.read_bytes(data, "t.xls")
    assert caught.value.__cause__ is not None


# --- the real template -------------------------------------------------------------------------

FUNCTION_SHEETS = [
    "单位收入总表",
    "单位支出总表",
    "单位一般公共预算拨款表",
    "单位政府性基金拨款表",
    "单位国有资本经营预算拨款表",
]
EXPECTED_WORDS: dict[str, set[str]] = {
    **{name: {"功能分类科目编码", "类", "款", "项", "功能分类科目名称", "合计"} for name in FUNCTION_SHEETS},
    "单位收支总表": {"本年收入", "本年支出", "项目", "预算数", "基本支出", "项目支出"},
    "单位财政拨款收支总表": {"财政拨款收入", "财政拨款支出", "一般公共预算", "国有资本经营预算"},
    "单位一般公共预算拨款基本支出明细表": {"经济分类科目编码", "类", "款", "人员经费", "公用经费"},
    "单位“三公”经费和机关运行费预算表": {
        "“三公”经费预算数",
        "因公出国(境)费",
        "公务接待费",
        "购置费",
        "机关运行经费预算数",
    },
}


@needs_template
def test_real_unit_budget_template() -> None:
    assert detect_format(REAL_TEMPLATE) == "xls"
    document = legacy_sheet.read(REAL_TEMPLATE)
    by_sheet = {grid.origin.split(" ")[1]: grid for grid in document.grids}
    assert sorted(by_sheet) == sorted(EXPECTED_WORDS)
    for name, words in EXPECTED_WORDS.items():
        grid = by_sheet[name]
        header = {text for row in grid.as_rows()[:4] for text in row}
        assert words <= header, (name, words - header)
        assert grid.caption[0].startswith("2026年"), grid.caption
        assert grid.caption[-1].startswith("编制单位：") and "单位" in grid.caption[-1]
        assert grid.n_cols <= 9  # 单位收支总表 states 256 columns
    expenditure = by_sheet["单位支出总表"]
    assert expenditure.origin == "sheet 单位支出总表 A6:G20"
    assert expenditure.covering(1, 2) is expenditure.covering(1, 0)  # 功能分类科目编码 over 类/款/项
    assert expenditure.as_rows()[5][:4] == ["205", "02", "05", "高等教育"]
    assert expenditure.as_rows()[-1][0] == "合计"
    assert codes(document) == ["sheet_skipped"] * 7
    skipped = " ".join(issue.message for issue in document.warnings)
    for name in ("封面", "目录", "单位职能", "名词解释", "单位编制说明", "其他相关情况说明"):
        assert f"sheet {name}:" in skipped, name


@needs_template
def test_real_unit_budget_template_through_the_pipeline() -> None:
    result = parse(REAL_TEMPLATE)
    assert (result.error, result.source.format) == (None, "xls")
    assert [(table.kind, table.kind_confidence) for table in result.tables] == [
        ("budget_summary", 1.0),
        ("income_summary", 1.0),
        ("expenditure_summary", 1.0),
        ("fiscal_appropriation_summary", 1.0),
        ("general_budget_expenditure", 1.0),
        ("government_fund_expenditure", 1.0),
        ("state_capital_expenditure", 1.0),
        ("basic_expenditure", 1.0),
        ("three_public_expenses", 1.0),
    ]
    assert all(table.checks_held == table.checks_total for table in result.tables)
