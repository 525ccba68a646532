"""CI gate: the pipeline scores at least the recorded figures on every case it can read.

The thresholds in golden/eval_thresholds.json are the figures the project has reached; they
are raised with ``python -m extractor.evaluate --raise-thresholds golden/eval_thresholds.json``
and never lowered. Groups whose documents are absent (../shared) are skipped, not passed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractor.evaluate import Case, CaseScore, Tally, group_figures, load_cases, score_case
from extractor.scan_cases import simulate_scans
from tests.conftest import SHARED_ABSENT
from tests.goldens import converter_missing

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = json.loads((ROOT / "golden" / "eval_thresholds.json").read_text(encoding="utf-8"))


def guarded(case: Case) -> bool:
    """Whether a threshold guards the case's figures: a case none guards is measured by ``make eval``
    alone (the simulated scans of golden/scans, until their figures are recorded)."""
    return f"{case.set}/{case.format}" in THRESHOLDS or f"{case.set}/region:{case.region}" in THRESHOLDS


@pytest.fixture(scope="module")
def figures() -> dict[str, dict[str, dict[str, float]]]:
    guarded_cases = [c for c in load_cases(ROOT / "golden", ROOT) if guarded(c)]
    # A guarded scan made at evaluation time is made here too (a fresh clone has none in out/);
    # one whose source is absent (../shared) stays absent and its group is skipped.
    simulate_scans(
        [c.simulate for c in guarded_cases if c.simulate is not None and not c.document.exists()], ROOT
    )
    cases = [c for c in guarded_cases if c.document.exists() and not converter_missing(c.document)]
    return group_figures([score_case(c) for c in cases])


@pytest.mark.parametrize("group", sorted(THRESHOLDS))
def test_figures_do_not_fall_below_the_recorded_thresholds(
    group: str, figures: dict[str, dict[str, dict[str, float]]]
) -> None:
    if group not in figures:
        pytest.skip(f"no document of {group} is present here: {SHARED_ABSENT}")
    failures = [
        f"{group} {dataset} {measure}: {figures[group].get(dataset, {}).get(measure, 0.0):.3f} < {floor:.3f}"
        for dataset, measures in THRESHOLDS[group].items()
        for measure, floor in measures.items()
        if figures[group].get(dataset, {}).get(measure, 0.0) < floor
    ]
    assert not failures, "\n".join(failures)


def test_scans_are_figured_by_how_they_were_scanned_as_well() -> None:
    """A one-bit photocopy and a colour scan of one format are rows of their own (scan:mode);
    a document that is no scan is in no such row."""

    def scored(name: str, case_set: str, scan_mode: str, tp: int, fn: int) -> CaseScore:
        case = Case(name, case_set, ROOT / name, "pdf", None, ROOT, scan_mode=scan_mode)
        return CaseScore(case, None, tallies={("funds", "income_summary"): Tally(tp=tp, fn=fn)})

    figures = group_figures(
        [
            scored("a", "scans", "bilevel", 1, 3),
            scored("b", "scans", "colour", 3, 1),
            scored("c", "scans", "colour", 4, 0),
            scored("d", "generated", "", 2, 0),
        ]
    )

    assert {name: f["funds"]["recall"] for name, f in figures.items()} == {
        "scans/pdf": 8 / 12,
        "scans/scan:bilevel": 0.25,
        "scans/scan:colour": 7 / 8,
        "generated/pdf": 1.0,
    }


def test_indicator_keys_include_what_a_row_prints_besides_its_targets() -> None:
    from extractor.evaluate import KEYS

    assert KEYS["indicators"][-5:] == ("weight", "score", "remark", "reasons", "likelihood")


def test_a_truth_file_without_a_key_column_reads_it_as_empty(tmp_path: Path) -> None:
    from extractor.evaluate import KEYS, _truth_rows

    old = tmp_path / "indicators.csv"
    old.write_text(
        "page,table_kind,level1,level2,level3,key_work,project,target_label,target_raw,op,value,value_max,unit,kind\n"
        "1,performance_self_evaluation,产出指标,数量指标,场次,,,年度指标值,≥12场,≥,12,,场,quantitative\n",
        encoding="utf-8",
    )
    (row,) = _truth_rows(old, KEYS["indicators"], None)
    levels = ("performance_self_evaluation", "产出指标", "数量指标", "场次")
    assert row == (*levels, "年度指标值", "≥", "12", "场", "", "", "", "", "")


def half_width_truth(tmp_path: Path, case: str, name: str) -> Path:
    """A copy of a golden case's truth whose file ``name`` prints its full-width brackets half width."""
    truth = tmp_path / "truth"
    shutil.copytree(ROOT / "golden" / case, truth)
    printed = (truth / name).read_text(encoding="utf-8")
    assert "（" in printed
    (truth / name).write_text(printed.replace("（", "(").replace("）", ")"), encoding="utf-8")
    return truth


@pytest.mark.parametrize(("case_set", "fields_matched"), [("scans", True), ("seed", False)])
def test_a_scan_is_scored_with_punctuation_widths_folded(
    tmp_path: Path, case_set: str, fields_matched: bool
) -> None:
    """A truth that prints (一) where the document prints （一）: the same record for a scan, which
    cannot show the width, another record for any other document."""
    truth = half_width_truth(tmp_path, "seed/truth", "fields.csv")
    case = Case("seed", case_set, ROOT / "samples" / "seed" / "seed.txt", "txt", None, truth)
    fields_tally = score_case(case).tallies[("fields", "department_performance_targets")]
    assert fields_tally.tp > 0
    assert (fields_tally.fp == fields_tally.fn == 0) is fields_matched


@pytest.mark.parametrize(("case_set", "cells_matched"), [("scans", True), ("generated", False)])
def test_a_scans_cells_are_scored_with_punctuation_widths_folded(
    tmp_path: Path, case_set: str, cells_matched: bool
) -> None:
    """The grid's cells are folded as the records are: a scan read ≥13459.00（平方米） for a page
    printing ≥13459.00(平方米) and counted the cell wrong while its record counted right."""
    truth = half_width_truth(tmp_path, "generated/project_service_reportlab", "grid.json")
    document = ROOT / "samples" / "generated" / "project_service_reportlab.pdf"
    case = Case("project_service", case_set, document, "pdf", None, truth)
    cells_tally = score_case(case).tallies[("cells", "")]
    assert cells_tally.tp > 0
    assert (cells_tally.fp == cells_tally.fn == 0) is cells_matched
