"""Name a table's kind (CONTRACT §3) from its title, falling back on what its body holds.

Titles vary in wording and numbering (4．2025年部门财政拨款收支预算总表, 收入支出决算总表,
部门收入总表), so a title is cut into words with jieba, taught the field's own words, and
a kind is named when the title holds every word of one of its signatures
(``vocabulary.KIND_SIGNATURES``). The words that decided are kept, so a user can see why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.normalise import vocabulary as vocab
from extractor.normalise.segmenter import segmenter

#: Confidence of a kind named by the title's own words.
TITLE_CONFIDENCE = 1.0
#: Confidence of a kind guessed from an untitled table's header rows, or its indicator blocks and fields.
CONTENT_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Kind:
    """A table's kind, how sure we are, and the words that named it."""

    name: str
    confidence: float
    words: tuple[str, ...]


GENERIC = Kind(name="generic", confidence=0.0, words=())


#: A title is a line; words past this many characters of a longer text (a paragraph merged over
#: a table's top row) name no table, and jieba's HMM takes time quadratic in a run of characters
#: it does not know (400 KB of them: 83 s).
LONGEST_TITLE = 1_000


def title_words(title: str) -> frozenset[str]:
    """The words of a title as the field reads them."""
    words: list[str] = segmenter().lcut(title[:LONGEST_TITLE])
    return frozenset(words)


_TABLE_NUMBER = re.compile(r"^\s*(?:" + "|".join(vocab.TABLE_NUMBER_LABELS) + r")\s*[:：.、]?\s*")


def names_a_table(line: str) -> bool:
    """Whether a caption line names a table: …表, or …表（2018年） with a note after it."""
    return line.endswith("表") or "表（" in line or "表(" in line


def without_table_number(title: str) -> str:
    """The title without the label that numbers it in its set (公开05表：财政拨款支出预算表)."""
    return _TABLE_NUMBER.sub("", title, count=1)


def classify(title: str, *, header_text: str = "", has_indicators: bool, field_keys: set[str]) -> Kind:
    """The kind named by the title; else by the header rows; else a performance kind when the
    body has indicator blocks.

    An untitled indicator table with a 项目名称 field is a project table, one with a
    单位名称 / 部门名称 field a department table; anything else stays ``generic``.
    """
    named = _by_signature(without_table_number(title), vocab.KIND_SIGNATURES, TITLE_CONFIDENCE)
    if named is None and header_text:
        named = _by_signature(header_text, vocab.HEADER_SIGNATURES, CONTENT_CONFIDENCE)
    if named is not None:
        return named
    if has_indicators:
        if "项目名称" in field_keys:
            return Kind("project_performance_targets", CONTENT_CONFIDENCE, ("项目名称",))
        keys = sorted(field_keys & {"单位名称", "部门名称"})
        if keys:
            return Kind("department_performance_targets", CONTENT_CONFIDENCE, tuple(keys))
    return GENERIC


def names_more_precisely(title: str, than: str) -> bool:
    """Whether ``title`` names a more specific kind than ``than`` does (kinds are tried most
    specific first): 一般公共预算“三公”经费、会议费、培训费支出预算表 than 支出预算表."""
    ranks = {kind: rank for rank, (kind, _) in enumerate(vocab.KIND_SIGNATURES)}
    named = _by_signature(without_table_number(title), vocab.KIND_SIGNATURES, TITLE_CONFIDENCE)
    other = _by_signature(without_table_number(than), vocab.KIND_SIGNATURES, TITLE_CONFIDENCE)
    if named is None:
        return False
    return other is None or ranks[named.name] < ranks[other.name]


def _by_signature(
    text: str, signatures: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...], confidence: float
) -> Kind | None:
    words = title_words(text) if text else frozenset()
    for kind, alternatives in signatures:
        for signature in alternatives:
            if words.issuperset(signature):
                return Kind(name=kind, confidence=confidence, words=signature)
    return None
