"""The README's recipe answers three analyst questions from a batch export alone (issue 16): it is
run here, as printed, on real documents of ../shared/corpus/real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.harvest.batch import run_batch
from extractor.harvest.catalog_export import export_catalog
from tests.conftest import SHARED_ABSENT

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
DOCUMENTS = (
    "budget_dept_sh_putuo_finance_2025.pdf",
    "final_dept_sh_putuo_finance_2024.pdf",
    "perf_target_proj_sh_wanli_2023.pdf",
)


def _recipe() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### One dataset from many documents") :]
    match = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert match is not None
    return match.group(1)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=SHARED_ABSENT)
def test_the_readme_recipe_answers_the_three_questions(tmp_path: Path) -> None:
    run_batch([str(CORPUS / name) for name in DOCUMENTS], tmp_path / "harvest", workers=1)
    export_catalog(tmp_path / "harvest", "csv", tmp_path / "export")
    names: dict[str, object] = {"folder": tmp_path / "export"}
    exec(_recipe(), names)  # the block as the README prints it

    by_class = names["by_class"]
    # 上海市普陀区财政局 2025 预算, 201 一般公共服务支出 (合计 of its 一般公共预算支出功能分类预算表, 元)
    assert by_class[("上海市普陀区财政局", 2025, "budget", "department", "201", "一般公共服务支出")] > 0
    assert (
        by_class[("上海市普陀区财政局", 2024, "final", "department", "201", "一般公共服务支出")] == 21066600.0
    )

    satisfaction = names["satisfaction"]
    assert len(satisfaction) >= 5 and satisfaction["project_name"].notna().all()
    assert set(satisfaction["org"]) == {"上海市普陀区人民政府万里街道办事处"}

    table = names["final_vs_budget"]
    # 2010601 行政运行: 2024 决算 1511.89 万元, 2025 预算 16231840.80 元 — both now in 元
    assert table.loc[("2010601", "行政运行"), ("final", 2024)] == 15118900.0
    assert table.loc[("2010601", "行政运行"), ("budget", 2025)] == 16231840.8
