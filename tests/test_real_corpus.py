"""Spot checks on real published documents from ../shared/corpus (skipped where that folder is absent).

``real/`` holds the Shanghai documents the pipeline was first built on, ``jiangsu/`` another
province's budgets (other producers: Word 2007, Excel 2010, Acrobat Distiller); every test of a
whole folder runs on both, with the same thresholds.
"""

from __future__ import annotations

import csv
import functools
import json
from pathlib import Path

import pytest

from extractor.export import format_value, fund_row
from extractor.normalise.checks import has_total
from extractor.normalise.values import is_amount
from extractor.pipeline import parse
from extractor.readers.pdf_page import PDF_BACKENDS
from extractor.records import ParseResult

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
CORPUS = SHARED / "real"
WANLI_2023 = CORPUS / "perf_target_proj_sh_wanli_2023.pdf"
#: The folders of the shared corpus and how many documents each holds.
FOLDERS = {"real": 14, "jiangsu": 5}

pytestmark = pytest.mark.skipif(not WANLI_2023.exists(), reason="../shared/corpus/real is not present")


@functools.cache
def parsed(path: Path, pdf_backend: str) -> ParseResult:
    """Each corpus file is parsed once per backend for the whole module."""
    return parse(path, pdf_backend=pdf_backend)


@pytest.fixture(params=PDF_BACKENDS)
def pdf_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend


def test_wanli_project_table_page_31(pdf_backend: str) -> None:
    result = parsed(WANLI_2023, pdf_backend)
    assert result.error is None
    table = next(t for t in result.tables if t.pages == (31,))
    assert table.kind == "project_performance_targets"
    assert table.title == "财政项目支出绩效目标填报表"
    assert table.meta.year == 2023
    rows = [
        (r.level1, r.level2, r.level3, r.target_label, r.target.op, r.target.value, r.target.unit)
        for r in table.indicators
    ]
    assert rows == [
        ("产出指标", "数量指标", "规划建筑面积", "年度(/项目)指标值", "≥", 13459, "平方米"),
        ("产出指标", "质量指标", "完工及时率", "年度(/项目)指标值", "", None, ""),
        ("产出指标", "成本指标", "预算内经费", "年度(/项目)指标值", "", None, ""),
        ("效益指标", "社会效益指标", "完善社区基础设施建设", "年度(/项目)指标值", "", None, ""),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "年度(/项目)指标值", "", None, ""),
    ]
    fields = {f.key: f.value for f in table.fields}
    assert fields["项目名称"] == "新建万里街道社区公共服务中心"
    assert fields["主管部门"] == "上海市普陀区人民政府万里街道办事处"


def corpus_documents(folder: str, suffixes: tuple[str, ...] = (".pdf", ".xls", ".xlsx")) -> list[Path]:
    if not (SHARED / folder).is_dir():
        pytest.skip(f"../shared/corpus/{folder} is not present")
    return sorted(p for p in (SHARED / folder).iterdir() if p.suffix in suffixes)


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_corpus_file_parses_without_error(folder: str, pdf_backend: str) -> None:
    documents = corpus_documents(folder)
    assert len(documents) == FOLDERS[folder]
    for document in documents:
        result = parsed(document, pdf_backend)
        assert result.error is None, f"{document.name}: {result.error}"
        assert result.tables, f"{document.name}: no tables"


@pytest.mark.parametrize("folder", FOLDERS)
def test_budget_tables_of_every_corpus_file_mostly_add_up(folder: str, pdf_backend: str) -> None:
    """Real publishers keep their arithmetic: at least 96 % of the checks hold in every file.

    The few that fail are the documents' own slips (golden/real/README.md, README "Accuracy").
    """
    for pdf in corpus_documents(folder, (".pdf",)):
        tables = parsed(pdf, pdf_backend).tables
        held = sum(t.checks_held for t in tables)
        total = sum(t.checks_total for t in tables)
        if not any(f.amount is not None for t in tables for f in t.funds):
            # A blank template prints no amounts: a check of nothing against nothing says
            # nothing, so none runs (it counted 23 such checks as held before).
            assert total == 0, pdf.name
            continue
        assert total, f"{pdf.name}: no budget checks ran"
        assert held / total >= 0.96, f"{pdf.name}: only {held}/{total} checks hold"


#: Every check that fails on the shared corpus, each a slip of the publisher confirmed on the page
#: (golden/real/README.md, "Slips of the publishers"): anything else failing is a misread.
KNOWN_SLIPS = {
    (
        "budget_dept_sh_wanli_2025.pdf",
        "code_sum: 212 城乡社区支出 [收入预算 / 合计] prints 154369326 but its parts add up to 154369327",
    ),
    (
        "budget_dept_sh_wanli_2025.pdf",
        "code_sum: 21201 城乡社区管理事务 [收入预算 / 合计] prints 94995790 but its parts add up to 94995789",
    ),
    (
        "budget_dept_sh_wanli_2025.pdf",
        "code_sum: 212 城乡社区支出 [收入预算 / 财政拨款收入] "
        "prints 154369326 but its parts add up to 154369327",
    ),
    (
        "budget_dept_sh_wanli_2025.pdf",
        "code_sum: 21201 城乡社区管理事务 [收入预算 / 财政拨款收入] "
        "prints 94995790 but its parts add up to 94995789",
    ),
    (
        "budget_dept_sh_wanli_2025.pdf",
        "code_sum: 212 城乡社区支出 [支出预算 / 合计] prints 154369326 but its parts add up to 154369327",
    ),
    (
        "budget_dept_sh_wanli_2025.pdf",
        "code_sum: 21201 城乡社区管理事务 [支出预算 / 合计] prints 94995790 but its parts add up to 94995789",
    ),
    (
        "budget_dept_sh_wanli_2025.pdf",
        "code_sum: 212 城乡社区支出 [一般公共预算支出 / 合计] "
        "prints 154369326 but its parts add up to 154369327",
    ),
    (
        "budget_dept_sh_wanli_2025.pdf",
        "code_sum: 21201 城乡社区管理事务 [一般公共预算支出 / 合计] "
        "prints 94995790 but its parts add up to 94995789",
    ),
    (
        "budget_dept_sh_wanli_2025.pdf",
        "total_column: 21201 [支出预算 / 合计] prints 94995790 but its parts add up to 94995789",
    ),
    (
        "budget_dept_sh_wanli_2025.pdf",
        "total_column: 21201 [一般公共预算支出 / 合计] prints 94995790 but its parts add up to 94995789",
    ),
    (
        "budget_unit_sh_municipal_finance_2025.pdf",
        "code_sum: 302 商品和服务支出 [一般公共预算基本支出 / 合计] "
        "prints 24840779 but its parts add up to 24840778",
    ),
    (
        "budget_unit_sh_municipal_finance_2025.pdf",
        "code_sum: 302 商品和服务支出 [一般公共预算基本支出 / 公用经费] "
        "prints 24840779 but its parts add up to 24840778",
    ),
    (
        "perf_target_proj_sh_wanli_2023.pdf",
        "item_sum: 年度资金申请总额 [] prints 10903043 but its parts add up to 11419043",
    ),
}


def test_every_failed_check_is_a_known_slip_of_the_publisher(pdf_backend: str) -> None:
    failed = {
        (document.name, warning.message)
        for folder in FOLDERS
        for document in corpus_documents(folder)
        for warning in parsed(document, pdf_backend).warnings
        if warning.code == "check_failed"
    }
    assert failed == KNOWN_SLIPS


def test_every_jiangsu_table_is_named_and_every_printed_total_checked(pdf_backend: str) -> None:
    """Jiangsu names its tables its own way (公开05表：财政拨款支出预算表, 表十二 政府采购预算表),
    prints several on a page and puts the title after the body in the text layer: every table
    that prints amounts still gets a kind, and every table printing a total gets checks that run."""
    for document in corpus_documents("jiangsu"):
        result = parsed(document, pdf_backend)
        assert not [w for w in result.warnings if w.code in ("unchecked_total", "backend_fallback")]
        for table in result.tables:
            # Only a frame around prose (the cover page) may stay generic: no amount in it.
            prints_amounts = any(is_amount(c.text) for c in table.grid.cells if c.text)
            assert table.kind != "generic" or not prints_amounts, f"{document.name} {table.id} {table.title}"
            if has_total(table):
                assert table.checks_total, f"{document.name} {table.id} {table.title}: no check ran"


def test_jiangsu_summary_tables_give_each_printed_item_once_in_its_own_panel(pdf_backend: str) -> None:
    """收支预算总表 (收入 | 支出·功能分类 | 支出·支出用途 side by side) against the values read by
    hand from the page, for every Jiangsu file that has a case under golden/real/."""
    cases = sorted(p for p in (ROOT / "golden" / "real").glob("*_js_*") if (p / "case.json").exists())
    assert len(cases) >= 3
    for case in cases:
        meta = json.loads((case / "case.json").read_text(encoding="utf-8"))
        with (case / "funds.csv").open(encoding="utf-8", newline="") as handle:
            truth = [
                (row["direction"], row["path"], row["column"], row["amount"])
                for row in csv.DictReader(handle)
                if row["table_kind"] == "budget_summary"
            ]
        result = parsed((ROOT / meta["document"]).resolve(), pdf_backend)
        found = [
            (row["direction"], row["path"], row["column"], format_value(row["amount"]))
            for table in result.tables
            if table.kind == "budget_summary"
            for fund in table.funds
            for row in [fund_row(fund, table.kind)]
        ]
        assert sorted(found) == sorted(truth), case.name


def test_a_failed_check_prints_both_amounts_as_the_document_does(pdf_backend: str) -> None:
    """The publisher's slip in 市财政局 2025 (golden/real/README.md): whole yuan, no exponent."""
    result = parsed(CORPUS / "budget_unit_sh_municipal_finance_2025.pdf", pdf_backend)
    messages = [w.message for w in result.warnings if w.code == "check_failed"]
    assert messages == [
        f"code_sum: 302 商品和服务支出 [一般公共预算基本支出 / {column}] prints 24840779 "
        "but its parts add up to 24840778"
        for column in ("合计", "公用经费")
    ]


@pytest.mark.parametrize("name", ["template_budget_dept_sh_2026.xlsx", "template_budget_unit_sh_2026.xls"])
def test_blank_templates_give_every_sheet_its_header_paths(name: str) -> None:
    """The templates hold no amounts; every body row still yields its value columns' header paths."""
    tables = {t.kind: t for t in parse(CORPUS / name).tables}
    expected = {
        "income_summary": [
            "收入预算 / 合计",
            "收入预算 / 财政拨款收入",
            "收入预算 / 事业收入",
            "收入预算 / 事业单位经营收入",
            "收入预算 / 其他收入",
        ],
        "expenditure_summary": ["支出预算 / 合计", "支出预算 / 基本支出", "支出预算 / 项目支出"],
        "fiscal_appropriation_summary": [
            "财政拨款收入 / 预算数",
            "财政拨款支出 / 合计",
            "财政拨款支出 / 一般公共预算",
            "财政拨款支出 / 政府性基金预算",
            "财政拨款支出 / 国有资本经营预算",
        ],
        "basic_expenditure": [
            "一般公共预算基本支出 / 合计",
            "一般公共预算基本支出 / 人员经费",
            "一般公共预算基本支出 / 公用经费",
        ],
    }
    for kind, columns in expected.items():
        assert list(dict.fromkeys(" / ".join(f.column) for f in tables[kind].funds)) == columns, kind
    summary = [" / ".join(f.column) for f in tables["budget_summary"].funds]
    assert summary[0] == "本年收入 / 预算数"
    assert any(c.startswith("本年支出 / 预算数") for c in summary)
    assert len(tables) == 9
