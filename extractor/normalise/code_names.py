"""A 科目 code's name read alike in every table of a document that OCR read.

A budget document prints the same 功能分类 codes in several tables (its 收入总表, 支出总表,
财政拨款支出表, 一般公共预算支出表 …), each time with the code's name, and the records of a code
carry the names of its 类 and 款 in their paths. OCR misreads a name now and then (城乡社区支出 as
城社区支出, surely), and then every record under that code in that table carries the misread.
Where the tables of a document read a code's name one way more often than all other ways together,
a table of OCR'd pages that read it otherwise, and alike (``NAME_LIKENESS``), takes that reading,
and a warning (``ocr_name_agreed``) says so. A printed table is never changed; its readings count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from extractor.model import Issue
from extractor.normalise.standard import CODE_LEVELS, code_level
from extractor.normalise.text import resemblance
from extractor.records import FundRecord, Table

#: How alike a table's reading must be to the document's to be taken for a misread of it (one
#: character lost of six, 城社区支出 for 城乡社区支出, is 0.91; 行政运行 and 机关服务 are 0).
NAME_LIKENESS = 0.6


def agree_code_names(tables: list[Table]) -> tuple[list[Table], list[Issue]]:
    """The tables with each OCR'd table's misread code names replaced by the document's, and a
    warning for each name replaced."""
    readings = _readings(tables)
    agreed: dict[str, str] = {}
    for code, names in readings.items():
        counts = Counter(names.values())
        name, count = counts.most_common(1)[0]
        if count * 2 > len(names) and len(counts) > 1:
            agreed[code] = name
    result: list[Table] = []
    issues: list[Issue] = []
    for table in tables:
        if not table.ocr_pages:
            result.append(table)
            continue
        misread = {
            code: name
            for code, name in agreed.items()
            if (read := readings[code].get(table.id)) is not None
            and read != name
            and resemblance(read, name) >= NAME_LIKENESS
        }
        if not misread:
            result.append(table)
            continue
        funds = tuple(_renamed(record, misread) for record in table.funds)
        result.append(replace(table, funds=funds))
        issues.extend(
            Issue(
                code="ocr_name_agreed",
                message=(
                    f"code {code} read by OCR as {readings[code][table.id]}, named {name} as "
                    f"{sum(n == name for n in readings[code].values())} of the document's "
                    f"{len(readings[code])} tables read it"
                ),
                page=table.pages[0] if table.pages else None,
                table=table.id,
            )
            for code, name in sorted(misread.items())
        )
    return result, issues


def _readings(tables: list[Table]) -> dict[str, dict[str, str]]:
    """Each code's name as each table reads it (the name most of its records give), from the
    records whose path names every level of their code."""
    votes: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for table in tables:
        for record in table.funds:
            for code, name in _levels(record):
                if name:
                    votes[code][table.id][name] += 1
    return {
        code: {table: counts.most_common(1)[0][0] for table, counts in by_table.items()}
        for code, by_table in votes.items()
    }


def _levels(record: FundRecord) -> list[tuple[str, str]]:
    """(code, name) of each level of the record's code, where its path has one name a level."""
    levels = [n for n in CODE_LEVELS if n <= len(record.code)]  # a 类, 款 and 项 code's digits
    if not code_level(record.code) or len(record.path) != len(levels):
        return []
    return [(record.code[:n], name) for n, name in zip(levels, record.path, strict=True)]


def _renamed(record: FundRecord, names: dict[str, str]) -> FundRecord:
    """The record with the names of its code's levels that are in ``names`` replaced."""
    levels = _levels(record)
    if not levels or not any(code in names for code, _ in levels):
        return record
    path = tuple(names.get(code, name) for code, name in levels)
    return replace(record, path=path)
