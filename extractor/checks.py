"""Self-checks of budget tables that need no golden: the arithmetic every publisher keeps.

A 类 row equals the sum of its 款 rows and a 款 the sum of its 项 rows; the 合计 row equals
the sum of the 类 rows; a 合计 column equals the sum of its sibling columns; 收入总计
equals 支出总计. Real publishers keep these, so a failed check usually means a misread.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from extractor.records import FundRecord, Table

#: Amounts closer than this are equal (printed values have at most two decimals).
TOLERANCE = 0.005
TOTAL_LABELS = ("合计", "总计")
SUBTOTAL_LABELS = ("小计", "合计")


@dataclass(frozen=True)
class Check:
    """One arithmetic check: ``expected`` is the printed total, ``actual`` the computed sum."""

    table: str
    rule: str
    subject: str
    expected: float
    actual: float

    @property
    def holds(self) -> bool:
        return abs(self.expected - self.actual) <= TOLERANCE


def table_checks(table: Table) -> list[Check]:
    """Every check that applies to one table's fund records."""
    return [
        *_code_tree_checks(table),
        *_total_row_checks(table),
        *_total_column_checks(table),
        *_balance_checks(table),
    ]


def _amount(record: FundRecord) -> float:
    return record.amount or 0.0


def _code_tree_checks(table: Table) -> list[Check]:
    by_column: dict[str, dict[str, FundRecord]] = defaultdict(dict)
    for record in table.funds:
        if record.code:
            by_column[" / ".join(record.column)][record.code] = record
    checks = []
    for column, by_code in by_column.items():
        for code, parent in by_code.items():
            children = [
                r for c, r in by_code.items() if c != code and c.startswith(code) and len(c) == len(code) + 2
            ]
            if children:
                checks.append(
                    Check(
                        table=table.id,
                        rule="code_sum",
                        subject=f"{code} {parent.item} [{column}]",
                        expected=_amount(parent),
                        actual=sum(_amount(r) for r in children),
                    )
                )
    return checks


def _total_row_checks(table: Table) -> list[Check]:
    """The 合计 row against the sum of the top-level codes, column by column."""
    top_length = min((len(r.code) for r in table.funds if r.code), default=0)
    if not top_length:
        return []
    checks = []
    columns = {r.column for r in table.funds}
    for column in columns:
        totals = [r for r in table.funds if r.column == column and not r.code and r.item in TOTAL_LABELS]
        tops = [r for r in table.funds if r.column == column and len(r.code) == top_length]
        for total in totals:
            checks.append(
                Check(
                    table=table.id,
                    rule="total_row",
                    subject=f"{total.item} [{' / '.join(column)}]",
                    expected=_amount(total),
                    actual=sum(_amount(r) for r in tops),
                )
            )
    return checks


def _total_column_checks(table: Table) -> list[Check]:
    """A column headed 合计 against the sum of the columns beside it under the same parent header.

    A sibling that has sub-columns of its own (公务用车购置及运行费 → 小计 / 购置费 / 运行费)
    counts by its 小计.
    """
    rows: dict[tuple[str, str, tuple[str, ...]], dict[tuple[str, ...], FundRecord]] = defaultdict(dict)
    for record in table.funds:
        rows[(record.direction, record.code, record.path)][record.column] = record
    checks = []
    for (_, code, path), by_column in rows.items():
        for column, total in by_column.items():
            if not column or column[-1] not in TOTAL_LABELS:
                continue
            parent = column[:-1]
            parts = [
                part
                for name in _child_names(by_column, parent)
                if name not in TOTAL_LABELS
                and (part := _column_amount(by_column, (*parent, name))) is not None
            ]
            if parts:
                checks.append(
                    Check(
                        table=table.id,
                        rule="total_column",
                        subject=f"{code or ' / '.join(path)} [{' / '.join(column)}]",
                        expected=_amount(total),
                        actual=sum(parts),
                    )
                )
    return checks


def _child_names(by_column: dict[tuple[str, ...], FundRecord], parent: tuple[str, ...]) -> list[str]:
    """The distinct header texts directly under ``parent``, left to right."""
    depth = len(parent)
    return list(dict.fromkeys(c[depth] for c in by_column if len(c) > depth and c[:depth] == parent))


def _column_amount(by_column: dict[tuple[str, ...], FundRecord], column: tuple[str, ...]) -> float | None:
    """A header's amount: its own column, else its 小计, else the sum of its sub-columns."""
    if column in by_column:
        return _amount(by_column[column])
    for label in SUBTOTAL_LABELS:
        if (*column, label) in by_column:
            return _amount(by_column[(*column, label)])
    parts = [_column_amount(by_column, (*column, name)) for name in _child_names(by_column, column)]
    known = [p for p in parts if p is not None]
    return sum(known) if known else None


def _balance_checks(table: Table) -> list[Check]:
    """收入总计 against 支出总计 in panel tables, for each pair of first value columns."""
    income = [r for r in table.funds if r.direction == "收入" and r.item.endswith("总计")]
    spending = [r for r in table.funds if r.direction == "支出" and r.item.endswith("总计")]
    if not income or not spending:
        return []
    return [
        Check(
            table=table.id,
            rule="balance",
            subject="收入总计 = 支出总计",
            expected=_amount(income[0]),
            actual=_amount(spending[0]),
        )
    ]
