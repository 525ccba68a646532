"""Cell text as every later step sees it (CONTRACT §4).

Each reader hands over text as its format stores it: a PDF's text layer with radical code points
where a font mapped its glyphs oddly and spaces where the layout spread a heading across a cell,
pasted web text with ``<p>`` and ``&nbsp;``, Word text with full-width digits. ``normalise`` turns
all of them into one form, so that a header word or a target is compared once, in one spelling.
"""

from __future__ import annotations

import difflib
import functools
import html
import re
import unicodedata

from extractor.normalise.vocabulary import RADICAL_FOLDS

#: Chinese punctuation NFKC would turn into ASCII; running text keeps it as printed. ``．`` is
#: kept because it closes an enumeration (``4．2025年预算``), which as ``4.2025`` reads as a number.
_KEPT_AS_PRINTED = "（），：；！？．…"
#: Circled numbers ①–㊿ mark list items; NFKC would make ``①开展`` into ``1开展``.
_CIRCLED_NUMBERS = "\u2460-\u2473\u24ea\u3251-\u325f\u32b1-\u32bf"
_FOLDABLE_RUN = re.compile(f"[^{_KEPT_AS_PRINTED}{_CIRCLED_NUMBERS}]+")
#: Invisible characters that only break word matching: soft hyphen, zero-width space and
#: joiners, word joiner, byte-order mark; and the C0 controls but tab and the line breaks (a NUL
#: or an escape in a cell is damage, never content, and a NUL cannot be stored in PostgreSQL).
_INVISIBLE = dict.fromkeys(
    [*map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), *range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F]
)
_RADICALS = str.maketrans(RADICAL_FOLDS)

#: Han ideographs, CJK radicals, symbols and punctuation, kana, enclosed CJK, compatibility
#: ideographs and forms, full-width forms, and circled numbers (①, set full width in the CJK
#: font: ``小计③ = ①+②`` prints the spaces of glyph runs drawn apart): the characters between
#: which a layout's spaces mean nothing.
_CJK = f"\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff{_CIRCLED_NUMBERS}"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}])\\s+|\\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")

#: Tags that end a block in pasted HTML; their boundary becomes a line break.
_BLOCK_TAG = re.compile(r"</?(?:p|br|div|li)\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)

#: A line ending in one of these closes a sentence, so the break after it is a paragraph's end.
_SENTENCE_END = "。！？；!?;"
#: Numerals of Chinese list markers: （一） 一、 （十二）.
_HAN_NUMERAL = "[一二三四五六七八九十百零〇]+"
_ENUMERATION = re.compile(
    f"[（(](?:{_HAN_NUMERAL}|\\d{{1,2}})[）)]"  # （一） (一) （1） (1)
    f"|{_HAN_NUMERAL}、"  # 一、
    r"|\d{1,2}(?:[、．]|\.(?=\D))"  # 1、 1． 1. but not 1.5
    f"|[{_CIRCLED_NUMBERS}]"  # ①
)
#: A number the layout wrapped: ``4,100,00`` + ``0.00``, ``13459.`` + ``00``, ``137760`` + ``.00``.
_NUMBER_END = re.compile(r"\d[.,]?$")
_NUMBER_START = re.compile(r"[.,]?\d")
#: Distinct texts whose normal form is remembered: the steps after the readers (split, reconstruct,
#: reading amounts) normalise the same texts again and again (the real corpus makes 46,633 calls on
#: 1,316 distinct texts: empty cells, 0.00, 合计, codes and headers repeated on every page).
_NORMALISED_TEXTS = 1 << 16


@functools.lru_cache(maxsize=_NORMALISED_TEXTS)
def normalise(text: str) -> str:
    """The text in the one form the pipeline compares and exports.

    1. Markup and characters: ``<p>``, ``</p>``, ``<br>`` (and ``<div>``, ``<li>``) become line
       breaks, other tags are dropped, entities are unescaped, and characters are folded
       (``fold_characters``); repeated until nothing changes, since pasted text is often
       escaped twice (``&amp;nbsp;``).
    2. White space inside each line: a run with a CJK character on either side is removed
       (``单 位 名 称`` → ``单位名称``, ``≥1 次`` → ``≥1次``, ``③ = ①`` → ``③=①``), any other
       run becomes one space (``PPP 2025``); the line is stripped.
    3. Line breaks: a break is kept, as one ``\\n``, where it separates paragraphs: the line
       before ends a sentence (``。！？；!?;``) or the next line starts with a list marker
       (``（一）`` ``(一)`` ``一、`` ``1.`` ``1、`` ``1．`` ``（1）`` ``①``). Every other break is the
       layout wrapping a cell and is joined: with nothing where either side is CJK or both
       sides are part of a number, with one space between other characters (Latin words).
       Empty lines are dropped.

    The rule for breaks looks only at the characters on either side of each break, so it
    keeps the breaks it kept before and ``normalise`` is idempotent. An empty line or a
    ``</p>`` alone therefore does not keep a break: paragraphs are recognised by their
    punctuation and markers.
    """
    decoded = _fold_and_decode(text)
    lines = (collapse_spaces(line) for line in decoded.splitlines())
    return join_lines([line for line in lines if line])


def fold_characters(text: str) -> str:
    """Compatibility characters folded as NFKC does, Chinese punctuation kept as printed.

    Radicals from ``RADICAL_FOLDS`` (which NFKC leaves alone or folds to a variant) are mapped
    first; NFKC then folds Kangxi radicals (⽬ → 目), full-width digits, letters and signs
    (１ → 1, ％ → %, ＝ → =, ＞ → >) and odd spaces (NBSP, ideographic space) to a plain
    space. The punctuation of ``_KEPT_AS_PRINTED`` and circled numbers stay as printed; other
    Chinese punctuation (。、“”《》【】) has no compatibility form and is untouched anyway.
    Invisible characters are removed.
    """
    text = text.translate(_INVISIBLE).translate(_RADICALS)
    return _FOLDABLE_RUN.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)


def markup_to_text(text: str) -> str:
    """Plain text from text that carries HTML: block boundaries as line breaks, entities unescaped.

    Only a ``<`` followed by a Latin letter (or ``/`` and a letter) opens a tag, so ``<5%``
    and ``<=1`` survive.
    """
    text = _BLOCK_TAG.sub("\n", text)
    text = _ANY_TAG.sub("", text)
    return html.unescape(text)


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Han character, CJK punctuation, a full-width form or a circled number."""
    return _CJK_CHAR.fullmatch(char) is not None


def collapse_spaces(line: str) -> str:
    """One line with layout spaces removed next to CJK and other runs made one space."""
    line = _SPACE_BY_CJK.sub("", line)
    return _SPACES.sub(" ", line).strip()


def join_lines(lines: list[str]) -> str:
    """Non-empty, collapsed lines joined into paragraphs by the rule ``normalise`` documents."""
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and not _breaks_paragraph(paragraphs[-1], line):
            paragraphs[-1] += _joiner(paragraphs[-1], line) + line
        else:
            paragraphs.append(line)
    return "\n".join(paragraphs)


def _fold_and_decode(text: str) -> str:
    """Markup converted and characters folded until neither changes the text any more.

    Folding can reveal markup (``＜p＞``) and unescaping can reveal characters to fold or a
    second layer of escapes, so one pass of each is not always enough.
    """
    while True:
        decoded = fold_characters(markup_to_text(text))
        if decoded == text:
            return decoded
        text = decoded


def _breaks_paragraph(before: str, line: str) -> bool:
    return before[-1] in _SENTENCE_END or _ENUMERATION.match(line) is not None


def join_wrapped(head: str, tail: str) -> str:
    """Join a line to the one it wrapped onto, by the same rule as a cell's own line breaks."""
    if not head or not tail:
        return head or tail
    return head + _joiner(head, tail) + tail


def _joiner(before: str, line: str) -> str:
    """What replaces a wrapped line's break: nothing inside Chinese text or a number, else a space."""
    if is_cjk(before[-1]) or is_cjk(line[0]):
        return ""
    if _NUMBER_END.search(before) and _NUMBER_START.match(line):
        return ""
    return " "


def bare_label(text: str) -> str:
    """A label without the colon a form prints after it (年度资金总额： → 年度资金总额)."""
    return text.rstrip().rstrip(":：").rstrip()


def finishes_repeated_label(above: str, below: str) -> bool:
    """Whether ``below`` ends a repetition of the label ``above`` begins with, cut by a page
    break: 绩效指标绩效 above 指标 (a tall merged label printed twice). A new label under an old
    one (效益指标 under 产出指标) finishes nothing."""
    return len(below) < len(above) and any(
        above.startswith(above[-length:] + below) for length in range(1, len(above))
    )


_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")


def without_brackets(text: str) -> str:
    """The text without what it says in brackets (年度(/项目)指标值, 西安市审计局（汇总）)."""
    return _BRACKETED.sub("", text)


def resemblance(text: str, other: str) -> float:
    """How alike two texts are, 0 to 1 (difflib's ratio: twice the characters they share in
    order over both lengths): a word OCR misread by one character still resembles it (一#指标 is
    0.75 一级指标), so that what a scan's text is meant to say can be told from its layout."""
    return difflib.SequenceMatcher(None, text, other).ratio()
