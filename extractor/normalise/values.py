"""Targets and amounts read from cell text (CONTRACT §4).

A target cell is quantitative only when the whole cell is a comparison: an optional operator,
a number and an optional unit (``≥1%``, ``不低于1%``, ``=100.00(%)``, ``≥2份``), or a range of two
numbers (``90%-100%``). Anything else, even a sentence holding a number
(``开展至少1次团体心理治疗``), is qualitative: its text is the target.
"""

from __future__ import annotations

import re

from extractor.normalise import vocabulary as vocab
from extractor.normalise.text import normalise
from extractor.records import Target

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"
RANGE = "range"
#: The operator of a number printed without one (``100%``).
DEFAULT_OP = "="
#: The 指标性质 word saying the 指标值 column holds a qualitative target (its opposite, 定量, is
#: no operator and leaves the value column to speak for itself).
QUALITATIVE_NATURE = "定性"

_OPS = dict(vocab.OPERATOR_WORDS)
_OP = "|".join(re.escape(word) for word in sorted(_OPS, key=len, reverse=True))
#: Digits with optional thousands separators and decimals; full-width ``，`` and ``．`` are kept
#: as printed by ``normalise`` and read here like ``,`` and ``.``.
_NUMBER = r"[0-9]{1,3}(?:[,，][0-9]{3})+(?:[.．][0-9]+)?|[0-9]+(?:[.．][0-9]+)?"
_BARE_UNIT = "|".join(re.escape(unit) for unit in sorted(vocab.UNITS, key=len, reverse=True))
#: Inside parentheses any word is a unit (``≥100.00(人数)``): the brackets delimit it.
_BRACKETED_UNIT = r"[(（](?:[%‰]|[^\W\d_][\w/]*)[)）]"
#: A rate's unit: a unit per one or more others (元/生·年, 元/人·月, 万元/公里, 微克/立方米).
_COMPOUND_UNIT = r"[^\W\d_]{1,3}/[^\W\d_]{1,4}(?:[·・•][^\W\d_]{1,3})*"
_UNIT = f"{_COMPOUND_UNIT}|{_BARE_UNIT}|{_BRACKETED_UNIT}"
#: Range separators: hyphen, tilde (``～`` folds to ``~``), wave dash, dashes, 至, 到.
_RANGE_SEPARATOR = "[-~〜—–―至到]"

_SINGLE = re.compile(f"(?P<op>{_OP})?(?P<sign>[-−])?(?P<number>{_NUMBER})(?P<unit>{_UNIT})?")
_RANGE = re.compile(
    f"(?P<low>{_NUMBER})(?P<low_unit>{_UNIT})?{_RANGE_SEPARATOR}(?P<high>{_NUMBER})(?P<high_unit>{_UNIT})?"
)
#: A target stated after a restatement of the indicator: 补贴对象生活改善度不低于80%, 可控性100%.
#: The unit is required and the restatement holds no digits, so a number inside a sentence
#: (开展至少1次团体心理治疗) or a malformed range (90次-100%) stays text.
_STATED = re.compile(f"(?P<subject>[^0-9]*?[^\\W\\d_])(?P<target>(?:{_OP})?(?:{_NUMBER})(?:{_UNIT}))")
_AMOUNT = re.compile(f"(?P<sign>[-−])?(?P<number>{_NUMBER})")
#: Cells that print an empty amount: hyphens and dashes of any kind and length.
_EMPTY_AMOUNT = re.compile("[-—–―─]+")
_RATE = re.compile(f"[-−]?(?:{_NUMBER})%")
_SCORE = re.compile(f"(?P<sign>[-−])?(?P<number>{_NUMBER})[%分]?")
_WHITE_SPACE = re.compile(r"\s+")


def parse_target(raw: str) -> Target:
    """The target a cell states: operator, number(s) and unit, or its text if qualitative.

    ``raw`` is normalised first and kept as ``Target.raw``. White space inside the cell is
    ignored (``≥ 1 %``). Operator words come from ``vocabulary.OPERATOR_WORDS`` and bare units
    from ``vocabulary.UNITS``; a unit in brackets may be any word. A number with no operator
    means ``=``. A cell that restates its indicator and ends with the target
    (``补贴对象生活改善度不低于80%``) gives that target; a number inside a sentence does not.
    """
    text = normalise(raw)
    compact = _WHITE_SPACE.sub("", text)
    stated = _STATED.fullmatch(compact)
    return (
        _quantity(text, compact)
        or (_quantity(text, stated["target"]) if stated else None)
        or _qualitative(text)
    )


def combine_split_target(nature: str, value: str, unit: str) -> Target:
    """One target from a row that splits it over 指标性质 | 指标值 | 度量单位 columns.

    ``nature`` is an operator (``≥``, ``大于等于``), ``定量`` or empty (the value column then
    carries its own operator, if any) or ``定性`` (the value column holds the qualitative
    target). The unit column wins over a unit printed in the value column. A value that is
    not a number stays qualitative with its own text: operator and unit mean nothing without one.
    """
    nature, value, unit = normalise(nature), normalise(value), normalise(unit)
    if nature == QUALITATIVE_NATURE:
        return _qualitative(value)
    op_word = nature if nature in _OPS else ""
    raw = f"{op_word}{value}{unit}"
    target = parse_target(value)
    if target.kind == QUALITATIVE:
        return target
    # The operator column compares a single value; a range in the value column stays a range.
    op = _OPS[op_word] if op_word and target.op != RANGE else target.op
    return Target(
        raw=raw,
        op=op,
        value=target.value,
        value_max=target.value_max,
        unit=unit or target.unit,
        kind=QUANTITATIVE,
    )


def parse_amount(raw: str) -> float | None:
    """The amount a money cell prints, or None for an empty cell, a dash or anything else.

    Thousands separators and full-width digits are read and ``-12.5`` is negative. An amount
    in brackets (``（12.5）``, the accounting negative) is not a form budget tables use, so it
    is not read as one; nor is a percentage.
    """
    match = _AMOUNT.fullmatch(_WHITE_SPACE.sub("", normalise(raw)))
    if match is None:
        return None
    return _signed(match["sign"], match["number"])


def parse_number(raw: str) -> float | None:
    """A score, weight or rate as a number: ``10``, ``9.5分``, ``20%`` → 10, 9.5, 20; None for
    an empty cell, a dash or text."""
    compact = _WHITE_SPACE.sub("", normalise(raw))
    match = _SCORE.fullmatch(compact)
    return _signed(match["sign"], match["number"]) if match else None


def heads_scores_or_rates(header: str, *, rate_ending: bool = False) -> bool:
    """Whether a value column's header heads scores (分值, 得分) or percentages (…(%)), and with
    ``rate_ending`` also rates (执行率, 增长率): columns of no money."""
    if any(word in header for word in (*vocab.SCORE_WORDS, *vocab.PERCENT_SIGNS)):
        return True
    return rate_ending and header.endswith(vocab.RATE_ENDING)


def is_rate(text: str) -> bool:
    """Whether the whole cell is a percentage (97.74%): a rate printed beside amounts."""
    compact = _WHITE_SPACE.sub("", normalise(text))
    return _RATE.fullmatch(compact) is not None


def is_amount(text: str) -> bool:
    """Whether the whole cell is a number or a dash printed for an empty amount.

    A blank cell says nothing either way and is not an amount.
    """
    compact = _WHITE_SPACE.sub("", normalise(text))
    return _AMOUNT.fullmatch(compact) is not None or _EMPTY_AMOUNT.fullmatch(compact) is not None


def _quantity(text: str, compact: str) -> Target | None:
    """The quantitative target ``compact`` (``text`` without white space) states, if it is one."""
    single = _SINGLE.fullmatch(compact)
    if single is not None:
        return Target(
            raw=text,
            op=_OPS[single["op"]] if single["op"] else DEFAULT_OP,
            value=_signed(single["sign"], single["number"]),
            value_max=None,
            unit=_unit(single["unit"]),
            kind=QUANTITATIVE,
        )
    span = _RANGE.fullmatch(compact)
    if span is None:
        return None
    low_unit, high_unit = _unit(span["low_unit"]), _unit(span["high_unit"])
    if low_unit and high_unit and low_unit != high_unit:
        return None
    return Target(
        raw=text,
        op=RANGE,
        value=_number(span["low"]),
        value_max=_number(span["high"]),
        unit=low_unit or high_unit,
        kind=QUANTITATIVE,
    )


def _qualitative(text: str) -> Target:
    return Target(raw=text, op="", value=None, value_max=None, unit="", kind=QUALITATIVE)


def _unit(printed: str | None) -> str:
    """The unit without the brackets it may be printed in: ``(平方米)`` → ``平方米``."""
    return (printed or "").strip("()（）")


def _signed(sign: str | None, number: str) -> float:
    return -_number(number) if sign else _number(number)


def _number(printed: str) -> float:
    return float(printed.replace(",", "").replace("，", "").replace("．", "."))
