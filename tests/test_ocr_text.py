"""What a line read by OCR is cleaned of before it becomes characters: marks read around a number."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.normalise.checks import table_checks
from extractor.pipeline import parse
from extractor.readers import ocr
from extractor.readers.ocr import _number_without_stray_marks

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "scans"


@pytest.mark.parametrize(
    ("reading", "kept"),
    [
        ("205,", "205"),
        ("205、", "205"),
        (",205", "205"),
        ("2050101'", "2050101"),
        ("1,525.00.", "1,525.00"),
        ("0.", "0"),
        # Left as read: a decimal's leading point, text, a mark alone, a number that is none.
        (".5", ".5"),
        ("行政,", "行政,"),
        ("、", "、"),
        ("12,3.4.5,", "12,3.4.5,"),
        ("205", "205"),
    ],
)
def test_stray_marks_around_a_number_are_dropped(reading: str, kept: str) -> None:
    assert reading[_number_without_stray_marks(reading)] == kept


@pytest.mark.skipif(not ocr.available(), reason="the OCR extra is not installed")
def test_a_code_read_with_a_speck_beside_it_keeps_its_tree() -> None:
    """The committed photocopy of the 一般公共预算支出表 read 205 as ``205,``: the code column lost
    its first code, every 20501… row its parent, and the totals their parts."""
    result = parse(SAMPLES / "general_education_scan.png")
    (table,) = result.tables
    assert {"205", "20501", "2050101", "208", "221"} <= {f.code for f in table.funds}
    checks = table_checks(table)
    assert [c.subject for c in checks if not c.holds] == []
    assert sum(c.rule == "code_sum" for c in checks) >= 10
