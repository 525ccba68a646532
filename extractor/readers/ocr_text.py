"""What a line's reading is cleaned of, and which readings are kept, before it becomes characters.

The recogniser reads what it sees as some text: a lone 0 as a round glyph, a speck beside a
number as a mark (``205,``), noise as letters. A table cell's reading is held to what a table
prints: these rules know what that is, not how the page was read (``ocr``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Lines the engine is less sure of than this are noise it took for text (a seal's remains,
#: speckle), as RapidOCR itself drops them.
MIN_LINE_CONFIDENCE = 0.5
#: … but a reading of digits alone is kept down to this: the recogniser is unsure of a lone 0
#: (0.24–0.6 on simulated scans, where O, o and 〇 look the same), while what it makes of noise
#: reads as punctuation or letters. The cell keeps the low confidence, so a check that fails
#: names it first.
MIN_DIGITS_CONFIDENCE = 0.2
#: Ink the detector did not outline (``ocr_boxes.missed_ink``) is kept only where the engine
#: reads it surely as a number: a lone 7 it missed reads at 0.999; the stub of a ruling reads
#: as a 1 at 0.2–0.7, a seal's remains as characters (区 at 0.91, which split a row's label),
#: JPEG speckle on the project_service scan as a 2 at 0.92.
MISSED_INK_CONFIDENCE = 0.95
#: … or as anything at all where it is surer than this: a header set letter-spaced (收    入 over
#: a 收支总表's income side, in 北京's and 深圳's budgets) is lone characters, and the detector
#: outlines one or none (入 missed, read at 0.999: the panel's 收入 and its direction lost; in
#: 长沙 信访局's at 0.981, its 收支总表's and 财政拨款收支总表's 18 income records lost at 0.99). On
#: 16 scan cases and seven 150 dpi budgets no seal's remains or ruling's stub read so surely (the
#: surest, 政 at 0.95 and 区 at 0.91, are a seal's); what 0.97-0.99 adds on five of them (长沙,
#: 北京, 西安, 烟台, 深圳) is all print (≥, %, 入, 费支出, the ends of a long target's lines).
MISSED_TEXT_CONFIDENCE = 0.97
_AMOUNT = re.compile(r"^-?\d[\d,]*(?:\.\d+)?%?$")
#: What the recogniser makes of a lone 0 set small in its box, read in a batch padded to a wide
#: crop's width: a round glyph alone, which a table prints as nothing but the digit.
ROUND_GLYPHS = frozenset("。oO〇○")


def lone_zero(text: str) -> str:
    """A line that reads as one round glyph alone is the digit 0 (its low confidence kept)."""
    return "0" if text.strip() in ROUND_GLYPHS else text


def least_confidence(text: str) -> float:
    """How sure the engine must be of a line's reading to keep it (digits alone: less sure)."""
    return MIN_DIGITS_CONFIDENCE if text.strip().isdigit() else MIN_LINE_CONFIDENCE


#: A number read less surely than this is read again wider (``ocr._read_numbers_wider``): the
#: recogniser gives each character a column or two of the crop, and where the crop is narrow for
#: its height (a box tall for its text) it runs repeated digits together: 9999.77 read as 99.77 at
#: 0.88 on a 福建 scan, as 999.77 at 0.96 in a box 2.8 times the digits' height. About one number
#: in twenty-five is read again on the bench's table pages.
SURE_NUMBER_CONFIDENCE = 0.97
#: How much wider such a number is read again: about three columns a digit instead of two.
WIDER_READING = 1.5


def rereads_wider(text: str, confidence: float) -> bool:
    """Whether a line's reading is a number the recogniser may have run repeated digits together in."""
    return confidence < SURE_NUMBER_CONFIDENCE and _AMOUNT.match(text.strip()) is not None


def restores_repeats(first: str, wider: str) -> bool:
    """Whether the wider reading of a number is the first with repeated characters it lost: longer,
    a number too, and the same once each run of one character is counted once."""
    return (
        len(wider.strip()) > len(first.strip())
        and _AMOUNT.match(wider.strip()) is not None
        and _runs(wider.strip()) == _runs(first.strip())
    )


def _runs(text: str) -> str:
    """The text with each run of one character written once (``9999.77`` → ``9.7``)."""
    return re.sub(r"(.)\1+", r"\1", text)


def keeps_missed(text: str, confidence: float) -> bool:
    """Whether a reading of ink the detector missed is kept: a number read surely, anything
    read surer still."""
    if confidence >= MISSED_TEXT_CONFIDENCE:
        return bool(text.strip())
    return confidence >= MISSED_INK_CONFIDENCE and _AMOUNT.match(text.strip()) is not None


#: Marks a number in a table cell neither begins nor ends with, but that a speck beside it, a
#: JPEG block or a seal's remains are read as (``205,`` for the code 205, whose parent-child
#: tree the comma broke).
STRAY_MARKS = ",.，。、'`‘’·"


def number_without_stray_marks(text: str) -> slice:
    """The part of a line's reading to keep: a number without the stray marks read around it
    (a leading ``.`` stays: it may begin a decimal), or all of it."""
    stripped = text.strip()
    if stripped != text or not stripped or not any(c in STRAY_MARKS for c in (stripped[0], stripped[-1])):
        return slice(None)
    start = len(text) - len(text.lstrip(STRAY_MARKS.replace(".", "")))
    end = len(text.rstrip(STRAY_MARKS))
    number = text[start:end]
    if not number or not re.fullmatch(r"\d(?:[\d,]*\d)?(?:\.\d+)?", number):
        return slice(None)
    return slice(start, end)


#: Spaces the recogniser reads inside a number, where the print has none: after its point or
#: thousands comma, before the digits that go on (``9746. 50``, ``1, 973.86``), and after its
#: last digit before a unit in brackets or per cent (``100.00 (%)`` for 100.00(%)). Between two
#: digits a space stays: two numbers may stand side by side.
_NUMBER_GOES_ON = re.compile(r"(?<=\d)[.,]( +)(?=\d)|(?<=\d)( +)(?=[(（%])")


def spaces_in_numbers(text: str) -> list[int]:
    """Where the recogniser read spaces inside a number: the wide advance of a table font's
    points and commas reads as a word space, which a table never prints there."""
    spans = [m.span(g) for m in _NUMBER_GOES_ON.finditer(text) for g in (1, 2) if m.start(g) >= 0]
    return [i for start, end in spans for i in range(start, end)]


def characters_kept(text: str) -> list[int]:
    """Which characters of a line's reading to keep (their indices): all but the stray marks
    read around a number and the spaces read inside one."""
    window = range(len(text))[number_without_stray_marks(text)]
    spaces = {window.start + i for i in spaces_in_numbers(text[window.start : window.stop])}
    return [i for i in window if i not in spaces]


#: 收入 read as 收人 (入 and 人 differ by where a stroke starts): every 收入 header of a table
#: set in some fonts (本年收人, 财政拨款收人), and a title (重庆's 部门收人总体情况表, which
#: then names no kind). No cell of a table of figures ends in 收人, nor does a title of one put
#: it a few characters before its closing 表, but for a 接收人 or 征收人; so a text ending so, or
#: so before the 合计 of a total, or a table's name so, is 收入.
_INCOME_MISREAD = re.compile(r"(?<![接征])收人(?=(?:合计|总计|小计)?$|\S{0,6}表$)")


def income_restored(text: str) -> str:
    """A recognised cell's or caption line's text ending in 收人 (or 收人合计), or naming a table
    of 收人 (收人总体情况表), with 收入 there."""
    return _INCOME_MISREAD.sub("收入", text)


#: A performance target's value as read: an operator or a word or two, a number, a unit
#: (``≥300天``, ``=100%``, ``S410万元`` for ≤410万元), not a bare amount.
_VALUE = re.compile(r"^\D{0,3}\d[\d,.]*\D{1,4}$|^\D{1,3}\d[\d,.]*$")


def reads_as_value(text: str) -> bool:
    """Whether a reading is a target value with its operator or unit: such a line is read again
    fitted to its ink (``ocr._read_lines``), where a ≥ or ≤ set small before it is seen."""
    return _VALUE.match(text.strip()) is not None


#: A last character read less surely than this may be no character at all: the recogniser
#: reads a blurred % now and then as %6, its 6 at 0.59 to 0.82 on the colour seed scan. Such a
#: line is only read again (the fitted reading is kept as any value's is), so the bar is loose.
UNSURE_LAST = 0.9


def may_read_as_value(text: str, confidences: Sequence[float]) -> bool:
    """Whether a reading is a target value (``reads_as_value``), or one but for its last
    character, read unsurely: such a line is read again fitted to its ink as well."""
    if reads_as_value(text):
        return True
    return len(text) > 1 and confidences[-1] < UNSURE_LAST and reads_as_value(text[:-1])


#: What the recogniser reads a ≤ before a number as, where no target value begins with it.
LOOKALIKE_OPERATORS = {"S": "≤", "s": "≤"}


def operator_lookalike(text: str) -> str:
    """A target value whose first character only looks like an operator read as that operator
    (``S0%`` for ≤0%; same length: the characters' places and confidences stay)."""
    if len(text) > 1 and text[0] in LOOKALIKE_OPERATORS and text[1].isdigit() and reads_as_value(text):
        return LOOKALIKE_OPERATORS[text[0]] + text[1:]
    return text


#: The recogniser reads a ≥ before a target value as 2 (≥60条 as 260条, ≥1% as 21%), though it
#: gives ≥ part of its belief in that column: 0.01–0.32 for the eight such ≥ of the simulated
#: scans, never more than 0.003 for a 2 printed there (2025年度, 205, and the codes 2050101…).
GREATER_ODDS = 0.02


def two_as_greater(text: str, greater_odds: float) -> str:
    """A target value's leading 2 read as ≥ where the recogniser gave ≥ at least ``GREATER_ODDS``
    in its column, and a number follows (same length: the characters' places and confidences
    stay). A 2 alone before the unit is the value: ≥2次 may be read 2次, its ≥ seen in the 2."""
    greater = "≥" + text[1:]
    if text[:1] == "2" and greater_odds >= GREATER_ODDS and reads_as_value(text) and reads_as_value(greater):
        return greater
    return text


#: What the recogniser reads a ≥ set small before a number as, where it sees a character there.
GREATER_LOOKALIKES = "2>"


def reconciled(detected: str, fitted: str) -> tuple[bool, str]:
    """A target value's reading from its two boxes (``ocr._read_values_fitted``): whether the
    fitted box's is kept, and the text. Where one reading has a 2 or > before the other's whole
    text, the two saw a character there and disagree on it: the ≥ the recogniser reads both
    ways (``1%`` and ``21%`` for ≥1%), read as ≥, in the longer reading's place. Otherwise the
    fitted box's reading, which sees an operator more often."""
    for longer, shorter, take_fitted in ((fitted, detected, True), (detected, fitted, False)):
        if len(longer) > 1 and longer[0] in GREATER_LOOKALIKES and longer[1:] == shorter:
            return take_fitted, "≥" + shorter
    firsts = {detected[:1], fitted[:1]}
    if detected[1:] == fitted[1:] and "≥" in firsts and firsts <= {"≥", *GREATER_LOOKALIKES}:
        return True, "≥" + fitted[1:]  # the other reading's 2 or > is the same ≥
    return True, fitted
