"""Pages of real documents rendered at 200 dpi, stored as JPEG in an image-only PDF (as
``bench/inputs.py`` makes its scans) and read by OCR, give the money records their text layer
gives: what OCR reads is checked against what the publisher printed, on documents the reading
was not written for as well as those it was. Brackets, commas, colons and semicolons are compared
folded to one width, as ``make eval`` scores a scan (``scan_cases.width_folded``): a scan cannot show
whether a publisher's font set （ or ( (one of these pages prints 打印设备（20万以下) with one of
each)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractor.evaluate import Key, predicted_keys
from extractor.pipeline import parse
from extractor.records import ParseResult
from extractor.scan_cases import width_folded
from tests.conftest import SHARED_ABSENT

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def money(result: ParseResult, page: int | None = None) -> Counter[Key]:
    """The money records (on ``page``) as evaluation scores a scan's, punctuation widths folded."""
    keys = predicted_keys(result, None if page is None else frozenset({page}))["funds"]
    return Counter(map(width_folded, keys))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=SHARED_ABSENT)
@pytest.mark.parametrize(
    ("document", "page"),
    [
        # 财政拨款收支总表: amounts printed up to the ruling, the next panel's labels just after.
        ("jiangsu/budget_tables_js_party_office_2018.pdf", 6),
        # 政府采购: a tight two-line cell (省委办公厅承办的会议 / 费) beside 会议费.
        ("jiangsu/budget_tables_js_party_office_2018.pdf", 14),
        # 财政拨款基本支出预算表: a 22 pt title whose strokes made a table of their own.
        ("jiangsu/budget_tables_js_cppcc_2018.pdf", 6),
        ("jiangsu/budget_tables_js_cppcc_2017.pdf", 9),
        # 上海 final accounts: a header box running into the next cell's (本年收入合计！), a label's
        # box reaching back over its ruling into the amount before it (9746.50）).
        ("real/final_dept_sh_planning_2024.pdf", 8),
        ("real/final_dept_sh_planning_2024.pdf", 12),
        # 收入支出预算总表, 收入预算总表: every 收入 header read 收人; a number read with spaces.
        ("real/budget_dept_sh_justice_2026.pdf", 10),
        ("real/budget_dept_sh_justice_2026.pdf", 11),
        # 三公 table: 车's stem stands on the line of the ruling between the columns below it.
        ("real/final_dept_sh_putuo_finance_2024.pdf", 18),
        # Another producer, another province (pages not written for): 上海 unit budget, 收支总表
        # and 财政拨款收支总表.
        ("real/budget_unit_sh_municipal_finance_2025.pdf", 7),
        ("real/budget_unit_sh_municipal_finance_2025.pdf", 12),
        # 收入总表: the 一 that starts 一般行政管理事务, faint on the detector's reduced copy.
        ("real/budget_unit_sh_municipal_finance_2025.pdf", 8),
        # 三公 table: lone 0s set against the ruling after them, which the detector misses.
        ("real/budget_unit_sh_welfare_home_2024.pdf", 15),
    ],
)
def test_a_rendered_page_reads_as_its_text_layer(tmp_path: Path, document: str, page: int) -> None:
    source = CORPUS / document
    with pdfium.PdfDocument(source) as pdf:
        image = pdf[page - 1].render(scale=200 / 72).to_pil().convert("RGB")
    scan = tmp_path / "page.pdf"
    image.save(scan, format="PDF", resolution=200, quality=80)

    read = parse(source, pages=[page])
    scanned = parse(scan)

    assert read.error is None and scanned.error is None
    expected = money(read, page)
    assert expected, "the page holds money records"
    assert money(scanned) == expected
