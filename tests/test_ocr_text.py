"""What a line read by OCR is cleaned of before it becomes characters: marks read around a number."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

from extractor.normalise.checks import table_checks
from extractor.pipeline import parse
from extractor.readers import ocr, ocr_engine
from extractor.readers.ocr_text import (
    characters_kept,
    income_restored,
    keeps_missed,
    may_read_as_value,
    number_without_stray_marks,
    operator_lookalike,
    reconciled,
    rereads_wider,
    restores_repeats,
    spaces_in_numbers,
    two_as_greater,
)

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
    assert reading[number_without_stray_marks(reading)] == kept


@pytest.mark.skipif(not ocr_engine.available(), reason="the OCR extra is not installed")
def test_a_code_read_with_a_speck_beside_it_keeps_its_tree() -> None:
    """The committed photocopy of the 一般公共预算支出表 read 205 as ``205,``: the code column lost
    its first code, every 20501… row its parent, and the totals their parts."""
    result = parse(SAMPLES / "general_education_scan.png")
    (table,) = result.tables
    assert {"205", "20501", "2050101", "208", "221"} <= {f.code for f in table.funds}
    checks = table_checks(table)
    assert [c.subject for c in checks if not c.holds] == []
    assert sum(c.rule == "code_sum" for c in checks) >= 10


@pytest.mark.skipif(not ocr_engine.available(), reason="the OCR extra is not installed")
def test_the_operators_of_target_values_are_read() -> None:
    """The committed 150 dpi photo of a 项目支出绩效目标表: read in the detector's boxes, its
    ≥300天 came out as 2300天 and its ≤410万元 as S410万元; read again fitted to their ink, every
    target's operator, value and unit is the printed one (the truth is the digital table's)."""
    truth_file = (
        SAMPLES.parent.parent / "golden" / "generated" / "project_service_reportlab" / "indicators.csv"
    )
    with truth_file.open(encoding="utf-8") as rows:
        truth = sorted(
            (row["level3"], row["target_label"], row["op"], float(row["value"] or "nan"), row["unit"])
            for row in csv.DictReader(rows)
        )
    (table,) = parse(SAMPLES / "project_service_scan.jpg").tables
    read = sorted(
        (
            i.level3,
            i.target_label,
            i.target.op,
            float("nan") if i.target.value is None else i.target.value,
            i.target.unit,
        )
        for i in table.indicators
    )
    assert [r[:3] + r[4:] for r in read] == [t[:3] + t[4:] for t in truth]
    assert [r[3] for r in read if r[3] == r[3]] == [t[3] for t in truth if t[3] == t[3]]


@pytest.mark.parametrize(
    ("reading", "kept"),
    [
        ("S0%", "≤0%"),
        ("s100%", "≤100%"),
        ("S410万元", "≤410万元"),
        ("Sub", "Sub"),
        ("S1", "≤1"),
        ("S", "S"),
        ("5S0", "5S0"),
        ("SS0%", "SS0%"),
    ],
)
def test_a_lookalike_before_a_target_value_is_its_operator(reading: str, kept: str) -> None:
    assert operator_lookalike(reading) == kept


@pytest.mark.parametrize(
    ("detected", "fitted", "kept"),
    [
        ("1%", "21%", (True, "≥1%")),
        ("2300天", "300天", (False, "≥300天")),
        (">1次", "1次", (False, "≥1次")),
        ("22份", "≥2份", (True, "≥2份")),
        ("≥60条", "260条", (True, "≥60条")),  # one reading's 2 already read as ≥ (two_as_greater)
        (">100%", "≥100%", (True, "≥100%")),
        ("≥60条", "560条", (True, "560条")),  # a 5 is no ≥ read otherwise
        ("21%", "21%", (True, "21%")),
        ("12次", "2次", (True, "2次")),
    ],
)
def test_two_readings_of_a_value_that_disagree_on_a_leading_2_read_it_as_greater_or_equal(
    detected: str, fitted: str, kept: tuple[bool, str]
) -> None:
    assert reconciled(detected, fitted) == kept


@pytest.mark.parametrize(
    ("reading", "printed"),
    [
        # Clean 200 dpi renders of final_dept_sh_planning_2024 and perf_target_proj_sh_wanli_2023.
        ("9746. 50", "9746.50"),
        ("10,403. 11", "10,403.11"),
        ("1, 973.86", "1,973.86"),
        ("=100. 00 (%)", "=100.00(%)"),
        ("≥80.00 （%）", "≥80.00（%）"),
        # Left as read: two numbers side by side, words, a number before words.
        ("100 200", "100 200"),
        ("PC 服务器", "PC 服务器"),
        ("合计 100", "合计 100"),
        ("2 人", "2 人"),
    ],
)
def test_spaces_read_inside_a_number_are_dropped(reading: str, printed: str) -> None:
    spaces = spaces_in_numbers(reading)
    assert "".join(c for i, c in enumerate(reading) if i not in spaces) == printed


@pytest.mark.parametrize(
    ("cell", "restored"),
    [
        # budget_dept_sh_justice_2026 rendered at 200 dpi: every 收入 header read 收人.
        ("本年收人", "本年收入"),
        ("财政拨款收人", "财政拨款收入"),
        ("本年收人合计", "本年收入合计"),
        ("收人", "收入"),
        # A 150 dpi scan of 重庆's budget: its title named no kind.
        ("2026年部门收人总体情况表", "2026年部门收入总体情况表"),
        ("收人预算总表", "收入预算总表"),
        # Left as read: 收人 inside a cell's text, and what is no misreading.
        ("接收人员培训", "接收人员培训"),
        ("接收人员情况表", "接收人员情况表"),
        ("征收人", "征收人"),
        ("个人", "个人"),
        ("收入", "收入"),
    ],
)
def test_a_cell_ending_in_a_misread_income_is_restored(cell: str, restored: str) -> None:
    assert income_restored(cell) == restored


def test_a_reading_keeps_its_characters_without_stray_marks_or_spaces_in_numbers() -> None:
    """Both rules at once, by index, so that each kept character keeps its place and confidence."""
    assert characters_kept("205,") == [0, 1, 2]
    assert characters_kept("=100. 00 (%)") == [0, 1, 2, 3, 4, 6, 7, 9, 10, 11]
    assert characters_kept("行政运行") == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("reading", "confidence", "kept"),
    [
        ("0", 0.98, True),  # the lone 0 the detector missed in a 三公 table
        ("21,955.35", 0.95, True),
        ("-3.5%", 0.96, True),
        ("2", 0.92, False),  # JPEG speckle beside a cell's text (the project_service scan)
        ("1", 0.43, False),  # a ruling's stub
        ("区", 0.91, False),  # a seal's remains
        ("0.", 0.96, False),  # no amount, and not read surely enough for anything
        ("6.4", 0.85, False),
        # The 入 of a letter-spaced 收    入 (a 150 dpi scan of 深圳's 收支总表); anything so sure.
        ("入", 0.999, True),
        ("入", 0.981, True),  # the same in 长沙's
        ("政", 0.954, False),  # a seal's remains
        (" ", 0.999, False),
    ],
)
def test_ink_the_detector_missed_is_kept_where_it_reads_surely(
    reading: str, confidence: float, kept: bool
) -> None:
    assert keeps_missed(reading, confidence) is kept


@pytest.mark.parametrize(
    ("reading", "confidences", "read_again"),
    [
        ("=100%", (1.0, 1.0, 1.0, 1.0, 1.0), True),
        # The colour seed scan: a blurred % read as %6, the 6 unsure.
        ("=100%6", (1.0, 1.0, 1.0, 1.0, 0.92, 0.59), True),
        ("≤0%6", (0.86, 1.0, 0.71, 0.82), True),
        ("=100%6", (1.0, 1.0, 1.0, 1.0, 0.99, 0.97), False),  # read surely: as printed
        ("一般性支出", (0.9, 0.9, 0.9, 0.9, 0.5), False),  # no value with or without its end
    ],
)
def test_a_value_but_for_an_unsure_last_character_is_read_again(
    reading: str, confidences: tuple[float, ...], read_again: bool
) -> None:
    assert may_read_as_value(reading, confidences) is read_again


@pytest.mark.parametrize(
    ("first", "confidence", "wider", "rereads", "restores"),
    [
        ("99.77", 0.88, "9999.77", True, True),  # 9999.77 in a squeezed crop (a 福建 scan)
        ("800.55", 0.81, "8800.55", True, True),
        ("999.77", 0.96, "9999.77", True, True),  # in a box tall for its digits
        ("9999.77", 0.98, "9999.77", False, False),  # read surely: not read again
        ("00.00", 0.55, "1000.00", True, False),  # a lost 1 is no repeat: no guess
        ("88050", 0.60, "8800.55", True, False),  # its dot read as 0: more than repeats
        ("一般性支出情", 0.80, "一般性支出情况", False, False),  # words are not numbers
    ],
)
def test_an_unsure_number_is_read_wider_for_the_repeated_digits_it_lost(
    first: str, confidence: float, wider: str, rereads: bool, restores: bool
) -> None:
    assert rereads_wider(first, confidence) is rereads
    assert restores_repeats(first, wider) is restores


@pytest.mark.skipif(not ocr_engine.available(), reason="the OCR extra is not installed")
def test_a_number_in_a_tall_box_read_wider_gets_its_repeated_digits_back() -> None:
    # 9999.77 in 11 pt Helvetica rendered at 200 dpi, cropped in a box 2.8 times the digits'
    # height (as the detector pads a line in a tall cell): the recogniser runs two 9s together.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(100.0, 30.0))
    canvas.setFont("Helvetica", 11)
    canvas.drawString(6.0, 10.0, "9999.77")
    canvas.save()
    scale = 200 / 72
    page = pdfium.PdfDocument(buffer.getvalue())[0].render(scale=scale).to_pil().convert("L")
    box = page.crop((round(3 * scale), round(4 * scale), round(50 * scale), round(26 * scale)))
    crop = np.ascontiguousarray(np.repeat(np.asarray(box)[:, :, None], 3, axis=2))
    first = ocr_engine.recognise_crops([crop])[0]
    # PP-OCRv6 tiny reads it whole at once (PP-OCRv4, the recogniser before it, read 999.77 at
    # 0.96); the reading again wider is given that earlier reading, and still restores it.
    assert first[0] == "9999.77"
    chosen = {0: (("999.77", 0.96, first[2]), False, crop)}

    ocr._read_numbers_wider(chosen)

    assert chosen[0][0][0] == "9999.77"
    assert chosen[0][2].shape[1] > crop.shape[1]  # the wider crop, whose columns place the characters


@pytest.mark.parametrize(
    ("reading", "greater_odds", "kept"),
    [
        ("260条", 0.32, "≥60条"),  # ≥60条 on a simulated scan
        ("21%", 0.069, "≥1%"),
        ("24份", 0.026, "≥4份"),
        ("2025年度", 0.0, "2025年度"),  # a 2 printed: the recogniser saw no ≥ there
        ("205,", 0.0, "205,"),
        ("2050101", 0.3, "2050101"),  # a code, no target value: never an operator
        ("260条", 0.01, "260条"),
        ("560条", 0.3, "560条"),
        ("2次", 0.3, "2次"),  # ≥2次 read as 2次: the 2 is the value, whatever ≥ the column held
    ],
)
def test_a_target_values_leading_2_the_recogniser_also_saw_as_greater_is_greater(
    reading: str, greater_odds: float, kept: str
) -> None:
    assert two_as_greater(reading, greater_odds) == kept


def test_the_engines_decoding_gives_each_reading_the_odds_of_greater_at_its_first_character() -> None:
    characters = ["blank", "2", "6", "0", "条", "≥"]

    class Decoding:  # RapidOCR's CTC decoding: the likeliest character of each column, blanks out
        character = characters

        def __call__(self, columns: np.ndarray) -> list[tuple[str, float, list[int]]]:
            chosen = columns.argmax(axis=2)
            return [("".join(characters[k] for k in row if k), 0.9, [len(row)]) for row in chosen]

    def columns(*read: tuple[int, float]) -> np.ndarray:
        """Columns choosing each character ``k`` with belief ``p``, ≥ holding the rest."""
        beliefs = np.zeros((6, len(characters)))
        beliefs[:, 0] = 1.0  # blank columns around the characters
        for row, (k, p) in enumerate(read, start=1):
            beliefs[row] = 0.0
            beliefs[row, k], beliefs[row, 5] = p, 1.0 - p
        return beliefs

    decode = ocr_engine.TableDecoding(Decoding(), lambda character: character)
    value, sure, code = (
        columns((1, 0.68), (2, 1.0), (3, 1.0), (4, 1.0)),
        columns((1, 0.99), (2, 1.0), (4, 1.0)),
        columns((1, 0.7), (3, 1.0), (2, 1.0)),
    )
    assert [reading[0] for reading in decode(np.stack([value, sure]))] == ["≥60条", "26条"]
    assert decode(np.stack([code]))[0][0] == "206"
    assert decode.character == characters  # what RapidOCR asks of its decoding is still there
