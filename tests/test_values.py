"""Targets and amounts read from cell text (CONTRACT §4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.normalise.text import normalise
from extractor.normalise.values import (
    combine_split_target,
    is_amount,
    is_rate,
    parse_amount,
    parse_number,
    parse_target,
)
from extractor.normalise.vocabulary import UNITS
from extractor.records import Target


def _quantity(op: str, value: float, unit: str, value_max: float | None = None) -> tuple[object, ...]:
    return (op, value, value_max, unit, "quantitative")


def _fields(target: Target) -> tuple[object, ...]:
    return (target.op, target.value, target.value_max, target.unit, target.kind)


QUALITATIVE = ("", None, None, "", "qualitative")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # operators, as symbols and words
        ("≥1%", _quantity("≥", 1, "%")),
        (">=1%", _quantity("≥", 1, "%")),
        ("≧1%", _quantity("≥", 1, "%")),
        ("＞＝1%", _quantity("≥", 1, "%")),
        ("不低于1%", _quantity("≥", 1, "%")),
        ("大于等于1%", _quantity("≥", 1, "%")),
        ("大于或等于1%", _quantity("≥", 1, "%")),
        ("不少于3次", _quantity("≥", 3, "次")),
        ("至少3次", _quantity("≥", 3, "次")),
        ("≤0%", _quantity("≤", 0, "%")),
        ("<=5%", _quantity("≤", 5, "%")),
        ("≦5%", _quantity("≤", 5, "%")),
        ("不高于5%", _quantity("≤", 5, "%")),
        ("不超过5天", _quantity("≤", 5, "天")),
        (">6.00(次)", _quantity(">", 6, "次")),
        ("＞150家", _quantity(">", 150, "家")),
        ("<5%", _quantity("<", 5, "%")),
        ("=100%", _quantity("=", 100, "%")),
        ("＝100%", _quantity("=", 100, "%")),
        ("等于100%", _quantity("=", 100, "%")),
        # no operator means =
        ("100%", _quantity("=", 100, "%")),
        ("１００％", _quantity("=", 100, "%")),
        ("12", _quantity("=", 12, "")),
        # units
        ("≥2份", _quantity("≥", 2, "份")),
        ("≥1次", _quantity("≥", 1, "次")),
        ("≥3个月", _quantity("≥", 3, "个月")),
        ("≥5万人次", _quantity("≥", 5, "万人次")),
        ("≤30万元", _quantity("≤", 30, "万元")),
        ("≥95分", _quantity("≥", 95, "分")),
        ("≥2‰", _quantity("≥", 2, "‰")),
        ("≥100m²", _quantity("≥", 100, "m2")),
        # unit in brackets, half- and full-width
        ("≥13459.00(平方米)", _quantity("≥", 13459, "平方米")),
        ("=100.00(%)", _quantity("=", 100, "%")),
        ("≥80.00(%)", _quantity("≥", 80, "%")),
        ("=5.00(万人次)", _quantity("=", 5, "万人次")),
        ("≥100.00(人数)", _quantity("≥", 100, "人数")),
        ("≥100.00（人数）", _quantity("≥", 100, "人数")),
        ("≥1（次）", _quantity("≥", 1, "次")),
        # thousands separators, decimals, full-width digits, spaces, negatives
        ("≥13,459.5平方米", _quantity("≥", 13459.5, "平方米")),
        ("≥1,000,000元", _quantity("≥", 1_000_000, "元")),
        ("≥１，０００元", _quantity("≥", 1000, "元")),
        ("≥99．5%", _quantity("≥", 99.5, "%")),
        ("≥ 1 %", _quantity("≥", 1, "%")),
        ("≥-5%", _quantity("≥", -5, "%")),
        ("-5%", _quantity("=", -5, "%")),
        # ranges
        ("90%-100%", _quantity("range", 90, "%", 100)),
        ("90-100%", _quantity("range", 90, "%", 100)),
        ("90%～100%", _quantity("range", 90, "%", 100)),
        ("90%~100%", _quantity("range", 90, "%", 100)),
        ("90%至100%", _quantity("range", 90, "%", 100)),
        ("90%—100%", _quantity("range", 90, "%", 100)),
        ("90%-100", _quantity("range", 90, "%", 100)),
        ("3-5天", _quantity("range", 3, "天", 5)),
        ("90.00(%)-100.00(%)", _quantity("range", 90, "%", 100)),
        # qualitative
        ("健全", QUALITATIVE),
        ("及时", QUALITATIVE),
        ("有效", QUALITATIVE),
        ("合规", QUALITATIVE),
        ("开展至少1次团体心理治疗", QUALITATIVE),
        ("100%完成", QUALITATIVE),
        ("2023-12-31", QUALITATIVE),
        ("90次-100%", QUALITATIVE),
        ("≥", QUALITATIVE),
        ("", QUALITATIVE),
    ],
)
def test_parse_target(raw: str, expected: tuple[object, ...]) -> None:
    assert _fields(parse_target(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("≥ 1 %", "≥ 1 %"),
        ("１００％", "100%"),
        ("90%～100%", "90%~100%"),
        ("健 全", "健全"),
        ("<p>及时</p>", "及时"),
    ],
)
def test_target_raw_is_the_normalised_text(raw: str, expected: str) -> None:
    assert parse_target(raw).raw == expected


@pytest.mark.parametrize(
    ("nature", "value", "unit", "expected", "raw"),
    [
        ("≥", "95", "%", _quantity("≥", 95, "%"), "≥95%"),
        ("大于等于", "95", "%", _quantity("≥", 95, "%"), "大于等于95%"),
        ("≤", "10", "天", _quantity("≤", 10, "天"), "≤10天"),
        ("=", "100", "%", _quantity("=", 100, "%"), "=100%"),
        ("定量", "100", "%", _quantity("=", 100, "%"), "100%"),
        ("定量", "≥90", "%", _quantity("≥", 90, "%"), "≥90%"),
        ("", "≥90", "%", _quantity("≥", 90, "%"), "≥90%"),
        ("≥", "95%", "", _quantity("≥", 95, "%"), "≥95%"),
        ("≥", "100", "人数", _quantity("≥", 100, "人数"), "≥100人数"),
        ("", "90-100", "%", _quantity("range", 90, "%", 100), "90-100%"),
        ("≥", "90-100", "%", _quantity("range", 90, "%", 100), "≥90-100%"),
        ("定性", "健全", "", QUALITATIVE, "健全"),
        ("定性", "及时", "%", QUALITATIVE, "及时"),
        ("≥", "有效", "", QUALITATIVE, "有效"),
        ("≥", "", "%", QUALITATIVE, ""),
    ],
)
def test_combine_split_target(
    nature: str, value: str, unit: str, expected: tuple[object, ...], raw: str
) -> None:
    target = combine_split_target(nature, value, unit)
    assert _fields(target) == expected
    assert target.raw == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("137760", 137760.0),
        ("70823.39", 70823.39),
        ("4,100,000.00", 4_100_000.0),
        ("0.00", 0.0),
        ("0", 0.0),
        ("１２３", 123.0),
        ("１，２３４．５", 1234.5),
        ("-12.5", -12.5),
        ("−12.5", -12.5),
        (" 61000 ", 61000.0),
        ("-", None),
        ("—", None),
        ("－", None),
        ("--", None),
        ("——", None),
        ("", None),
        ("  ", None),
        ("（12.5）", None),
        ("(12.5)", None),
        ("12.5%", None),
        ("合计", None),
        ("2010507 专项普查活动", None),
    ],
)
def test_parse_amount(raw: str, expected: float | None) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("137760", True),
        ("4,100,000.00", True),
        ("-12.5", True),
        ("-", True),
        ("—", True),
        ("－", True),
        ("", False),
        ("收入", False),
        ("全年预算数", False),
        ("（12.5）", False),
        ("2025年", False),
    ],
)
def test_is_amount(text: str, expected: bool) -> None:
    assert is_amount(text) is expected


@given(st.text())
def test_parse_target_never_raises(text: str) -> None:
    target = parse_target(text)
    assert target.kind in ("quantitative", "qualitative")
    assert (target.value is None) == (target.kind == "qualitative")


@given(st.text())
def test_parse_amount_never_raises(text: str) -> None:
    amount = parse_amount(text)
    assert amount is None or is_amount(text)


_OPERATORS = st.sampled_from(["=", "≥", "≤", ">", "<"])
_CENTS = st.integers(min_value=0, max_value=10**11)
_UNITS = st.sampled_from(["", *UNITS])


def _printed(cents: int, thousands: bool) -> str:
    return f"{cents / 100:,.2f}" if thousands else f"{cents / 100:.2f}"


@given(_OPERATORS, _CENTS, _UNITS, st.booleans(), st.booleans())
def test_printed_target_parses_back(op: str, cents: int, unit: str, thousands: bool, bracketed: bool) -> None:
    printed_unit = f"({unit})" if bracketed and unit else unit
    target = parse_target(f"{op}{_printed(cents, thousands)}{printed_unit}")
    assert _fields(target) == _quantity(op, cents / 100, normalise(unit))


@given(_CENTS, _CENTS, _UNITS, st.sampled_from(["-", "～", "至"]))
def test_printed_range_parses_back(low: int, high: int, unit: str, separator: str) -> None:
    target = parse_target(f"{_printed(low, False)}{unit}{separator}{_printed(high, False)}{unit}")
    assert _fields(target) == _quantity("range", low / 100, normalise(unit), high / 100)


@pytest.mark.parametrize(
    ("raw", "op", "value", "unit"),
    [
        ("补贴对象生活改善度不低于80%", "≥", 80, "%"),
        ("可控性100%", "=", 100, "%"),
        ("党员群众满意度不少于80%", "≥", 80, "%"),
        ("完成3次", "=", 3, "次"),
    ],
)
def test_a_target_stated_after_its_indicator_is_quantitative(
    raw: str, op: str, value: float, unit: str
) -> None:
    target = parse_target(raw)
    assert (target.op, target.value, target.unit, target.kind) == (op, value, unit, "quantitative")
    assert target.raw == raw


@pytest.mark.parametrize("raw", ["开展至少1次团体心理治疗", "2023年底前完成", "及时率", "提升居民满意度"])
def test_a_number_inside_a_sentence_stays_qualitative(raw: str) -> None:
    assert parse_target(raw).kind == "qualitative"


@pytest.mark.parametrize(
    ("raw", "op", "value", "unit"),
    [
        ("≤800元/生·年", "≤", 800.0, "元/生·年"),
        ("≤1200元/人·月", "≤", 1200.0, "元/人·月"),
        ("≤35万元/公里", "≤", 35.0, "万元/公里"),
        ("≤25微克/立方米", "≤", 25.0, "微克/立方米"),
        ("2次/年", "=", 2.0, "次/年"),
    ],
)
def test_a_rate_unit_is_read_whole(raw: str, op: str, value: float, unit: str) -> None:
    target = parse_target(raw)
    assert (target.op, target.value, target.unit, target.kind) == (op, value, unit, "quantitative")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("10", 10.0), ("9.8", 9.8), ("9.5分", 9.5), ("20%", 20.0), ("—", None), ("", None), ("优", None)],
)
def test_parse_number_reads_weights_and_scores(raw: str, expected: float | None) -> None:
    assert parse_number(raw) == expected


def test_a_rate_is_a_percentage_and_no_amount() -> None:
    assert is_rate("97.74%") and is_rate("0.0%") and not is_rate("97.74") and not is_rate("--")
    assert not is_amount("97.74%")
