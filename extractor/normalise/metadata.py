"""Whose tables a document holds, for which year and stage: read once, carried to every table.

A 决算 prints its department's name and year once, on the cover; a budget's captions name it
on every table (编制部门：X); a form names it in a field (单位名称, 主管部门). Each table takes
what it states itself and the document's reading for the rest, so that every record of a harvest
says whose it is (``TableMeta.org``, ``year``, ``stage``, ``scope``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from extractor.normalise import vocabulary as vocab
from extractor.normalise.text import without_brackets
from extractor.records import Table

_Value = TypeVar("_Value", str, int)

BUDGET, FINAL, PERFORMANCE = "budget", "final", "performance"
DEPARTMENT, UNIT = "department", "unit"

_YEAR = re.compile(r"(20\d\d)\s*年")
_BARE_YEAR = re.compile(r"(20\d\d)")
#: A budget code printed before a name ([292]国家信访局).
_CODE_PREFIX = re.compile(r"^\s*[\[【(（]\s*\d+\s*[\]】)）]\s*")
#: A line naming the owner: 预算主管部门：X, 编制单位：X, 部门：X, 单位名称：X (not 单位：万元).
_OWNER = re.compile(
    r"(?:预算主管部门|主管部门|编制部门|编制单位|部门名称|单位名称|部门)\s*[:：]\s*(.*?)\s*"
    r"(?=(?:金额)?单位\s*[:：]|$)"
)
#: A cover's title: the owner's name, then its year and the document (…局2024年度部门决算).
_COVER = re.compile(r"^(?P<before>.*?)(?:20\d\d\s*)?年度?(?P<after>.*?)(?:部门|单位)?(?:预算|决算)")


@dataclass(frozen=True)
class DocumentMeta:
    org: str = ""
    year: int | None = None
    stage: str = ""
    scope: str = ""


def with_document_meta(tables: Sequence[Table], preamble: Sequence[str]) -> tuple[Table, ...]:
    """``tables`` with ``org``, ``year``, ``stage`` and ``scope`` set: each table's own, else
    the document's (its preamble first, then what most of its tables state)."""
    own = [_table_meta(table) for table in tables]
    document = DocumentMeta(
        org=_org_of(preamble) or _most_common(m.org for m in own) or "",
        year=first_year(preamble, alone=True) or _most_common(m.year for m in own),
        stage=stage_of(" ".join(preamble))
        or _most_common(m.stage for m in own if m.stage != PERFORMANCE)
        or "",
        scope=scope_of(" ".join(preamble)) or _most_common(m.scope for m in own) or "",
    )
    return tuple(
        replace(
            table,
            meta=replace(
                table.meta,
                org=meta.org or document.org,
                year=meta.year or document.year,
                stage=meta.stage or document.stage,
                scope=meta.scope or document.scope,
            ),
        )
        for table, meta in zip(tables, own, strict=True)
    )


def stage_of(text: str) -> str:
    """决算 → final, else 预算 → budget (a 决算 table names 一般公共预算 funds too); else ""."""
    return FINAL if "决算" in text else BUDGET if "预算" in text else ""


def scope_of(title: str) -> str:
    """部门 → department (部门预算, 部门收支总表), 单位 → unit (单位预算, 预算单位收支总表)."""
    bare = re.sub(r"单位\s*[:：]", "", title)  # 单位：万元 states a unit of money
    found = [
        (bare.find(word), scope) for word, scope in (("部门", DEPARTMENT), ("单位", UNIT)) if word in bare
    ]
    return min(found)[1] if found else ""


def _table_meta(table: Table) -> DocumentMeta:
    caption = [*table.grid.caption, table.title]
    stage = PERFORMANCE if "performance" in table.kind else stage_of(" ".join(caption))
    fields = {f.key: _CODE_PREFIX.sub("", f.value) for f in table.fields}
    org = next((fields[k] for k in vocab.ORG_FIELD_KEYS if fields.get(k)), "")
    return DocumentMeta(
        org=_owner_of(caption) or org or table.meta.unit_name,
        year=table.meta.year,
        stage=stage,
        scope=scope_of(table.title),
    )


def _owner_of(lines: Iterable[str]) -> str:
    for line in lines:
        match = _OWNER.search(line)
        if match and match.group(1) and not match.group(1).startswith(vocab.AMOUNT_UNITS):
            return match.group(1)
    return ""


def _org_of(preamble: Sequence[str]) -> str:
    """The owner a cover names: on an owner line, or before the year of its title."""
    owner = _owner_of(preamble)
    if owner:
        return owner
    joined = ""
    for line in preamble:
        joined += line.replace(" ", "")
        match = _COVER.match(joined)
        if match is None:
            continue
        for candidate in (match["before"], match["after"]):
            name = without_brackets(candidate).strip()
            if name.endswith(vocab.ORG_ENDINGS):
                return name
        return ""
    return ""


def first_year(lines: Iterable[str], *, alone: bool = False) -> int | None:
    """The first year the lines print with 年 (2024年度), or with ``alone`` also a year alone on
    its line (a cover's 年度部门决算 over 2024)."""
    for line in lines:
        compact = line.replace(" ", "")
        match = _YEAR.search(compact) or (_BARE_YEAR.fullmatch(compact) if alone else None)
        if match:
            return int(match.group(1))
    return None


def _most_common(values: Iterable[_Value | None]) -> _Value | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None
