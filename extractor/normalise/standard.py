"""Canonical values beside the printed ones, so that tables of different publishers, stages and
units compare: amounts in 元, a code's level (类 / 款 / 项), a value column's standard name."""

from __future__ import annotations

import re

from extractor.normalise import vocabulary as vocab

#: 元 per unit of each amount unit.
YUAN_PER_UNIT = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
#: The level a classification code's length gives (201 类, 20105 款, 2010507 项).
CODE_LEVELS = {3: "类", 5: "款", 7: "项"}
_IGNORED_IN_NAMES = re.compile(r"^其中\s*[:：]|[()（）\s]")


def amount_in_yuan(amount: float | None, unit: str) -> float | None:
    """The amount in 元, or None when it or its unit is unknown."""
    factor = YUAN_PER_UNIT.get(unit)
    if amount is None or factor is None:
        return None
    return round(amount * factor, 2)


def code_level(code: str) -> str:
    return CODE_LEVELS.get(len(code), "") if code.isdigit() else ""


def standard_column(column: tuple[str, ...]) -> str:
    """The canonical name of a value column (``vocabulary.STANDARD_COLUMNS``) from its header's
    last line, or "" when it is none of them; brackets and a leading 其中： do not count."""
    if not column:
        return ""
    return _STANDARD.get(_IGNORED_IN_NAMES.sub("", column[-1]), "")


_STANDARD = {
    _IGNORED_IN_NAMES.sub("", printed): canonical
    for canonical, printed_names in vocab.STANDARD_COLUMNS
    for printed in (canonical, *printed_names)
}
