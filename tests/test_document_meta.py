"""Whose table, which year, which stage (issue 16): every table of the real corpus says it, the
决算 documents too, whose name and year stand only on the cover. Expected values read from each
document's cover page and captions (pdftotext), not from our output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.normalise.metadata import scope_of, stage_of
from extractor.pipeline import parse
from tests.conftest import SHARED_ABSENT

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SAMPLES = ROOT / "samples" / "real"

B, F, P = "budget", "final", "performance"
#: What a caption line says (编制单位：X, 单位：元, 部门：X), never a column's header.
_CAPTION = re.compile(r"编制(?:部门|单位)|^(?:金额)?单位\s*[:：]|^部门\s*[:：]")
D, U = "department", "unit"
#: file → (org, year, scope) of every table; stage budget or final by the file, performance
#: for its target tables.
SHARED_FILES = {
    "budget_dept_sh_commerce_2025.pdf": ("上海市普陀区商务委员会", 2025, B, D),
    "budget_dept_sh_justice_2026.pdf": ("上海市普陀区司法局", 2026, B, D),
    "budget_dept_sh_putuo_finance_2025.pdf": ("上海市普陀区财政局", 2025, B, D),
    "budget_dept_sh_wanli_2025.pdf": ("上海市普陀区人民政府万里街道办事处", 2025, B, D),
    "budget_unit_sh_commerce_2025.pdf": ("上海市普陀区商务委员会", 2025, B, U),
    "budget_unit_sh_municipal_finance_2025.pdf": ("上海市财政局", 2025, B, U),
    "budget_unit_sh_welfare_home_2024.pdf": ("上海市普陀区社会福利院", 2024, B, U),
    "final_dept_sh_planning_2024.pdf": ("上海市普陀区规划和自然资源局", 2024, F, D),
    "final_dept_sh_putuo_finance_2024.pdf": ("上海市普陀区财政局", 2024, F, D),
    "final_dept_sh_social_work_2024.pdf": ("中共上海市普陀区委社会工作部", 2024, F, D),
    "perf_target_proj_sh_wanli_2023.pdf": ("上海市普陀区人民政府万里街道办事处", 2023, B, D),
    # The templates print no owner (编制部门： left blank; 上海市XX局 on the 决算 template's cover).
    "template_budget_dept_sh_2026.xlsx": ("", 2026, B, D),
    "template_budget_unit_sh_2026.xls": ("", 2026, B, U),
    "template_final_dept_sh_2024.pdf": ("上海市XX局", 2024, F, D),
}
SAMPLE_FILES = {
    "final_dept_central_gjxfj_2024.pdf": ("国家信访局", 2024, F, D),
    "budget_dept_zhejiang_hangzhou_meteo_2026.pdf": ("杭州市气象局", 2026, B, D),
    "budget_dept_hunan_changsha_xinfang_2026.pdf": ("长沙市信访局", 2026, B, D),
}


def _check(path: Path, org: str, year: int, stage: str, scope: str) -> None:
    result = parse(path)
    assert result.tables
    for table in result.tables:
        expected_stage = P if "performance" in table.kind else stage
        got = (table.meta.year, table.meta.stage, table.meta.scope)
        assert got == (year, expected_stage, scope), (table.id, table.title)
        if expected_stage != P:  # a form names its own 主管部门 / 单位名称
            assert table.meta.org == org, (table.id, table.title)
        captions = [f.column[0] for f in table.funds if f.column and _CAPTION.search(f.column[0])]
        assert not captions, (table.id, captions[:1])  # a caption row inside the grid heads nothing
        if table.funds:  # every table with money says in which unit (单位：元 / 万元 on each page)
            assert table.meta.amount_unit in ("元", "万元"), (table.id, table.title)
            assert {f.amount_unit for f in table.funds} == {table.meta.amount_unit}, (table.id, table.title)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=SHARED_ABSENT)
@pytest.mark.parametrize("name", sorted(SHARED_FILES))
def test_every_table_of_the_real_corpus_says_whose_and_when(name: str) -> None:
    _check(CORPUS / name, *SHARED_FILES[name])


@pytest.mark.parametrize("name", sorted(SAMPLE_FILES))
def test_other_publishers_say_it_too(name: str) -> None:
    _check(SAMPLES / name, *SAMPLE_FILES[name])


def test_the_stage_and_scope_words() -> None:
    assert stage_of("一般公共预算财政拨款支出决算表") == F  # names a fund, is a 决算
    assert stage_of("2025年预算单位收入预算总表") == B and stage_of("收入支出总表") == ""
    assert scope_of("2025年预算单位财务收支预算总表") == U and scope_of("部门收支总表") == D
    assert scope_of("收入决算表 单位：万元") == ""


@pytest.mark.skipif(not CORPUS.is_dir(), reason=SHARED_ABSENT)
def test_every_flat_record_carries_its_tables_metadata() -> None:
    """A 决算's amounts say whose and when in the CSV itself: no join against the catalog."""
    from extractor.export import to_frames

    funds = to_frames(parse(CORPUS / "final_dept_sh_putuo_finance_2024.pdf"))["funds"]
    assert len(funds) > 100
    assert set(funds["org"]) == {"上海市普陀区财政局"}
    assert set(funds["year"]) == {2024} and set(funds["stage"]) == {F} and set(funds["scope"]) == {D}
    assert "收入支出决算总表" in set(funds["table_title"])
