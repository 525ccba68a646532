"""The scan simulator (``samples/make_scans.py``) and the scan cases of ``make eval`` (golden/scans).

The simulator must make what it says: the same bytes from the same seed, pages with no text
layer, a page skewed by the angle drawn for it, a red seal over a corner of the table; and the
eval must score a scan against the truth of the document it was made from, and count the
amounts read wrong that the self-checks flag.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from extractor.evaluate import load_cases, score_case
from tests.goldens import ROOT

sys.path.insert(0, str(ROOT / "samples"))
from make_scans import (
    ScanSpec,
    committed_specs,
    draw_placement,
    draw_scanner,
    load_spec,
    make_scan,
    render_page,
    scan_page,
    table_box,
)

ONE_PAGE = ROOT / "samples" / "generated" / "general_education_reportlab.pdf"
THREE_PAGES = ROOT / "samples" / "generated" / "income_street_reportlab.pdf"
#: What the committed scans may weigh together: the repository holds a few, not a corpus.
COMMITTED_BYTES = 600_000


def _spec(
    form: str, *, source: Path = ONE_PAGE, pages: tuple[int, ...] | None = (1,), **changes: object
) -> ScanSpec:
    spec = ScanSpec(
        case=Path("test"),
        source=source,
        form=form,
        pages=pages,
        seed=7,
        dpi=150,
        quality=None,
        mode="colour",
        document=Path("unused"),
    )
    return replace(spec, **changes)


@pytest.mark.parametrize("form", ["png", "jpg", "pdf"])
def test_a_seed_makes_the_same_bytes_every_time_and_another_seed_other_bytes(form: str) -> None:
    first, again = make_scan(_spec(form)), make_scan(_spec(form))
    assert first == again
    assert make_scan(_spec(form, seed=8)) != first


def _text_chars(pdf: bytes) -> list[int]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().count_chars() for i in range(len(document))]
    finally:
        document.close()


def test_an_image_pdf_has_no_text_layer_only_one_image_a_page() -> None:
    pdf = make_scan(_spec("pdf", mode="bilevel", source=THREE_PAGES, pages=(1, 3)))
    assert _text_chars(pdf) == [0, 0]
    document = pdfium.PdfDocument(pdf)
    try:
        kinds = [[o.type for o in document[i].get_objects()] for i in range(len(document))]
    finally:
        document.close()
    assert kinds == [[pdfium.raw.FPDF_PAGEOBJ_IMAGE]] * 2


def test_a_mixed_pdf_replaces_only_the_scanned_page() -> None:
    pdf = make_scan(_spec("mixed", source=THREE_PAGES, pages=(2,), mode="grey"))
    chars = _text_chars(pdf)
    assert len(chars) == 3
    assert chars[1] == 0 and chars[0] > 100 and chars[2] > 100
    original = pdfium.PdfDocument(THREE_PAGES)
    mixed = pdfium.PdfDocument(pdf)
    try:
        for number in range(3):
            assert mixed[number].get_size() == pytest.approx(original[number].get_size(), abs=1.0)
    finally:
        mixed.close()
        original.close()


def _skew_of(image: Image.Image) -> float:
    """The turn (degrees, counter-clockwise) that, undone, lines the table's rulings up with the
    rows best: the most uneven profile of ink per row (ink as darkness below the paper's grey, so
    that resampling a thin line keeps its weight)."""
    grey = image.convert("L")
    grey = grey.resize((grey.width // 2, grey.height // 2))
    paper = int(np.median(np.asarray(grey)))
    best, best_spread = 0.0, -1.0
    for tenth in range(-30, 31):
        angle = tenth / 10
        turned = grey.rotate(-angle, resample=Image.Resampling.BILINEAR, fillcolor=paper)
        profile = (paper - np.asarray(turned, dtype=np.float64)).clip(0).sum(axis=1)
        if profile.var() > best_spread:
            best, best_spread = angle, float(profile.var())
    return best


def test_the_page_is_skewed_by_the_angle_drawn_and_a_red_seal_covers_a_table_corner() -> None:
    rng = np.random.default_rng(3)
    scanner = draw_scanner(rng, dpi=150)
    placement = draw_placement(rng)
    clean = render_page(ONE_PAGE, 1, scanner.dpi)
    scan = scan_page(clean, scanner, placement, rng)
    assert 0.5 <= abs(placement.skew) <= 2.0
    assert _skew_of(clean) == 0.0
    assert _skew_of(scan) == pytest.approx(placement.skew, abs=0.15)

    pixels = np.asarray(scan, dtype=np.int16)
    red = (pixels[:, :, 0] - pixels[:, :, 1] > 60) & (pixels[:, :, 0] - pixels[:, :, 2] > 60)
    assert np.asarray(clean, dtype=np.int16).std(axis=2).max() < 30  # the page itself has no colour
    ys, xs = np.nonzero(red)
    assert xs.size > 2000
    left, top, right, bottom = table_box(clean)
    corner = (
        left if placement.corner.endswith("left") else right,
        top if placement.corner.startswith("top") else bottom,
    )
    seal = 1.65 * scanner.dpi
    assert abs(xs.mean() - corner[0]) < seal / 2 and abs(ys.mean() - corner[1]) < seal / 2


def test_a_bilevel_scan_is_one_bit_and_a_grey_one_grey() -> None:
    assert Image.open(io.BytesIO(make_scan(_spec("png", mode="bilevel")))).mode == "1"
    assert Image.open(io.BytesIO(make_scan(_spec("jpg", mode="grey")))).mode == "L"


def test_the_table_box_ignores_a_rule_above_the_title() -> None:
    """西南大学 draws a rule across the head of each page, far above the table."""
    page = render_page(ROOT / "samples" / "real" / "budget_dept_central_swu_2024.pdf", 9, 72)
    _, top, _, bottom = table_box(page)
    assert top > page.height * 0.2 and bottom - top < page.height * 0.2


def test_the_committed_scans_exist_stay_small_and_are_what_their_cases_say() -> None:
    specs = committed_specs()
    assert {s.form for s in specs} == {"png", "jpg", "pdf", "mixed"}
    assert sum(s.document.stat().st_size for s in specs) < COMMITTED_BYTES
    for spec in specs:
        data = spec.document.read_bytes()
        if spec.form == "png":
            assert data.startswith(b"\x89PNG")
        elif spec.form == "jpg":
            assert data.startswith(b"\xff\xd8")
        else:
            chars = _text_chars(data)
            scanned = spec.pages or tuple(range(1, len(chars) + 1))
            assert all((chars[n - 1] == 0) == (n in scanned) for n in range(1, len(chars) + 1)), spec.case


# --- the eval's scan cases ----------------------------------------------------------------


def test_scan_cases_are_scored_against_the_truth_of_their_source() -> None:
    cases = {c.name: c for c in load_cases(ROOT / "golden", ROOT) if c.set == "scans"}
    for name, case in cases.items():
        spec = load_spec(ROOT / "golden" / "scans" / name / "case.json")
        truth = json.loads((case.truth / "case.json").read_text(encoding="utf-8"))
        sources = truth.get("documents") or [truth["document"]]
        assert spec.source in {(ROOT / s).resolve() for s in sources}, name
        assert case.pages == (frozenset(truth["pages"]) if truth.get("pages") else None), name
        assert case.region == truth.get("region", ""), name
        committed = case.document.is_relative_to(ROOT / "samples" / "scans")
        assert (case.simulate is None) == committed, name
    wanli = cases["wanli_2023_perf_p31-33_mixed"]
    assert wanli.pages == {31, 32, 33} and wanli.region == "shanghai"
    assert wanli.document.is_relative_to(ROOT / "out")


def test_a_misread_amount_is_counted_and_flagged_by_the_check_it_breaks(tmp_path: Path) -> None:
    """A pasted table stands in for an OCR'd one: it prints 政协事务 250 where the truth says 200,
    so the 类 201 no longer adds up and neither does the row's 合计; and it leaves a 0 of 办公厅
    empty, wrong too but invisible to any sum."""
    document = tmp_path / "misread.txt"
    document.write_text(
        "2025年支出预算总表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "201\t一般公共服务支出\t300\t100\t200\n20101\t人大事务\t100\t50\t50\n"
        "20102\t政协事务\t250\t50\t150\n20103\t政府办公厅\t0\t0\t\n合计\t\t300\t100\t200\n",
        encoding="utf-8",
    )
    truth = tmp_path / "golden" / "generated" / "table"
    truth.mkdir(parents=True)
    (truth / "case.json").write_text(json.dumps({"document": "unused.txt", "pages": None}), encoding="utf-8")
    rows = ["page,table_kind,direction,code,path,item,column,amount,amount_unit,raw"]
    for code, path, amounts in (
        ("201", "一般公共服务支出", (300, 100, 200)),
        ("20101", "一般公共服务支出 / 人大事务", (100, 50, 50)),
        ("20102", "一般公共服务支出 / 政协事务", (200, 50, 150)),
        ("20103", "一般公共服务支出 / 政府办公厅", (0, 0, 0)),
        ("", "合计", (300, 100, 200)),
    ):
        for column, amount in zip(("合计", "基本支出", "项目支出"), amounts, strict=True):
            item = path.split(" / ")[-1]
            rows.append(f",expenditure_summary,,{code},{path},{item},{column},{amount},万元,{amount}")
    (truth / "funds.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    scan = tmp_path / "golden" / "scans" / "table_scan"
    scan.mkdir(parents=True)
    (scan / "case.json").write_text(
        json.dumps({"document": str(document), "truth": "generated/table", "format": "txt"}), encoding="utf-8"
    )
    (case,) = [c for c in load_cases(tmp_path / "golden", tmp_path) if c.set == "scans"]
    assert case.truth == truth and case.simulate is None
    score = score_case(case)
    assert (score.amounts.wrong, score.amounts.visible, score.amounts.flagged) == (2, 1, 1)
    funds = score.tallies[("funds", "expenditure_summary")]
    assert (funds.tp, funds.fp, funds.fn) == (13, 2, 2)
