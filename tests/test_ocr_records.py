"""What a table read by OCR carries downstream, whichever engine read it: the reader path on the
table, ``ocr`` and ``confidence`` on its cells, the ``ocr`` flag on its records, and failed
checks that name the suspect cells (issue 19). The grid of a pasted table stands in for an
OCR'd page: the reader is wrapped to give its cells a page and a confidence, as the OCR reader
does."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from extractor import pipeline
from extractor.model import Document, Grid
from extractor.pipeline import parse

#: A 功能分类 table whose 20103 row was misread: 170 where the page prints 180 (80 + 100 and
#: 201 = 120 + 180). The misread cell is the one OCR was least sure of.
TABLE = (
    "一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t300\t200\t100\n"
    "201\t一般公共服务支出\t300\t200\t100\n"
    "20101\t人大事务\t120\t80\t40\n"
    "2010101\t行政运行\t120\t80\t40\n"
    "20103\t政府办公厅（室）及相关机构事务\t170\t120\t60\n"
    "2010301\t行政运行\t180\t120\t60\n"
)
MISREAD = "170"
LOW, HIGH = 0.41, 0.97


def as_ocr_page(grid: Grid) -> Grid:
    """``grid`` as if OCR had read it from page 1: every cell sure but the misread one."""
    cells = tuple(
        replace(c, page=1, confidence=LOW if c.text == MISREAD else HIGH - c.col / 100) for c in grid.cells
    )
    return replace(grid, cells=cells, pages=(1,))


@pytest.fixture
def reads_as_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document parsed reads as if OCR had read it (``as_ocr_page``)."""
    real_read = pipeline.read

    def read_as_scan(path: Path, fmt: str, **options: object) -> Document:
        document = real_read(path, fmt, **options)  # type: ignore[arg-type]
        return replace(document, grids=tuple(as_ocr_page(g) for g in document.grids))

    monkeypatch.setattr(pipeline, "read", read_as_scan)


@pytest.fixture
def scanned(tmp_path: Path, reads_as_scan: None) -> Path:
    path = tmp_path / "scan.txt"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_a_table_read_by_ocr_says_so_on_the_table_its_cells_and_its_records(scanned: Path) -> None:
    result = parse(scanned)
    (table,) = result.tables
    assert (table.reader, table.ocr_pages) == ("ocr", (1,))
    document = json.loads(result.to_json())
    shown = document["tables"][0]
    assert (shown["reader"], shown["ocr_pages"]) == ("ocr", [1])
    misread = next(c for c in shown["grid"]["cells"] if c["text"] == MISREAD)
    assert (misread["ocr"], misread["confidence"]) == (True, LOW)
    frames = result.to_frames()
    assert set(frames["funds"]["ocr"]) == {1} and len(frames["funds"]) == 18


def test_a_failed_check_on_an_ocr_table_names_the_least_sure_cells_first(scanned: Path) -> None:
    warnings = [w for w in parse(scanned).warnings if w.code.endswith("check_failed")]
    assert {w.code for w in warnings} == {"ocr_check_failed"}
    code_sum = next(w.message for w in warnings if w.message.startswith("code_sum: 201 "))
    assert code_sum.startswith("code_sum: 201 一般公共服务支出 [合计] prints 300 but its parts add up to 290")
    # The check's own numbers only (201's total, 20101's and 20103's), the misread first.
    suspects = code_sum.split("the least sure of its numbers: ")[1]
    assert suspects == "row 6 col 3 '170' (0.41), row 3 col 3 '300' (0.95), row 4 col 3 '120' (0.95)"


def test_a_table_read_from_the_text_is_not_flagged(tmp_path: Path) -> None:
    path = tmp_path / "printed.txt"
    path.write_text(TABLE, encoding="utf-8")
    result = parse(path)
    (table,) = result.tables
    assert (table.reader, table.ocr_pages) == ("text", ())
    assert set(result.to_frames()["funds"]["ocr"]) == {0}
    assert "ocr" not in json.dumps(json.loads(result.to_json())["tables"][0]["grid"])
    assert {w.code for w in result.warnings if "check" in w.code} == {"check_failed"}


#: The seed's indicator header as a one-bit photocopy of it reads: 一级指标 as 圾指标, 三级指标 as
#: 二圾指标, 全年指标值 as 全球指标情; and a second header whose 三级 reads 二级指标 exactly.
MISREAD_HEADERS = (
    "部门整体绩效目标表\n"
    "圾指标\t二级指标\t二圾指标\t+年指标值\t全球指标情\n"
    "决策\t计划制定\t中长期规划制定健全性\t健全\t健全\n"
    "级指标\t级指标\t二级指标\t半年指标值\t全年指标值\n"
    "过程\t预算执行\t结转结余率\t≤10%\t≤5%\n"
)


def test_header_cells_ocr_misread_are_known_by_their_likeness_and_their_order(
    tmp_path: Path, reads_as_scan: None
) -> None:
    path = tmp_path / "scan.txt"
    path.write_text(MISREAD_HEADERS, encoding="utf-8")
    (table,) = parse(path).tables
    read = [(i.level1, i.level2, i.level3, i.target_label, i.target.raw) for i in table.indicators]
    assert read == [
        ("决策", "计划制定", "中长期规划制定健全性", "+年指标值", "健全"),
        ("决策", "计划制定", "中长期规划制定健全性", "全球指标情", "健全"),
        ("过程", "预算执行", "结转结余率", "半年指标值", "≤10%"),
        ("过程", "预算执行", "结转结余率", "全年指标值", "≤5%"),
    ]


def test_header_cells_of_a_text_layer_are_never_renamed(tmp_path: Path) -> None:
    path = tmp_path / "printed.txt"
    path.write_text(MISREAD_HEADERS, encoding="utf-8")
    (table,) = parse(path).tables
    assert not any(i.level1 for i in table.indicators)


def test_a_misread_target_header_is_known_by_its_ending(tmp_path: Path, reads_as_scan: None) -> None:
    # A 120 dpi scan of 广州's table read 实施周期指标值 as 实施周期折标值: its column was lost.
    path = tmp_path / "scan.txt"
    path.write_text(
        "部门整体绩效目标表\n一级指标\t二级指标\t三级指标\t实施周期折标值\t年度指标值\n"
        "产出指标\t数量指标\t柴油车用油品抽检数量\t200个\t200个\n",
        encoding="utf-8",
    )
    (table,) = parse(path).tables
    assert [(i.target_label, i.target.raw) for i in table.indicators] == [
        ("实施周期折标值", "200个"),
        ("年度指标值", "200个"),
    ]
