"""Self-checks of budget tables that need no golden: the arithmetic every publisher keeps.

The checks follow from a table's structure, whatever its title: a 类 row equals the sum of its
款 rows and a 款 the sum of its 项 rows; the 合计 row equals the sum of the 类 rows; a 合计 (or
小计) column equals the sum of its sibling columns; an item equals the sum of the items nested
under it; a list's 小计 equals its items, and each later 合计 / 总计 the total before it plus
the rows between (小计 + 上年结转 = 合计); 收入 and 支出 end on the same total. A performance
table's weights (分值) add up to its 总分值 (or 100), its scores (得分) to its 总分, and its money
block's 执行率 is 全年执行数 over 全年预算数. Real publishers keep these, so a failed check
usually means a misread.

A sum off by no more than its parts' rounding in the last printed digit (万元 with two
decimals) is a rounding slip, not a failure: it holds to the printed precision.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from extractor.normalise import vocabulary as vocab
from extractor.normalise.values import parse_number
from extractor.records import FieldRecord, FundRecord, IndicatorRecord, Table

#: Amounts closer than this are equal (printed values have at most two decimals).
TOLERANCE = 0.005
TOTAL_LABELS = vocab.TOTAL_LABELS
#: A sub-column that is its group's own amount.
_GROUP_TOTAL = re.compile(r"(小计|合计|总计|总数|总额)$")
#: Column headers that total their siblings.
TOTAL_COLUMN_LABELS = ("合计", "总计", "小计")
#: Row labels that close a list: 本年收入合计, 当年支出小计, 收入总计, 总计.
_LIST_TOTAL = re.compile("(" + "|".join(vocab.LIST_TOTAL_ENDINGS) + ")$")
#: Totals that end a panel (收入合计, 支出总计), not a subtotal within it.
_GRAND_TOTAL = re.compile(r"(合计|总计)$")
_PART = re.compile(r"^其中\s*[:：]?")
_DECIMALS = re.compile(r"[.．](\d+)\s*$")


@dataclass(frozen=True)
class Check:
    """One arithmetic check: ``expected`` is the printed total, ``actual`` the computed sum, and
    ``slack`` how far the printed parts' rounding may carry the sum (0 for whole amounts)."""

    table: str
    rule: str
    subject: str
    expected: float
    actual: float
    slack: float = 0.0
    #: The grid positions (row, col) of the printed total and parts, where the records say.
    positions: tuple[tuple[int, int], ...] = ()

    @property
    def holds(self) -> bool:
        return abs(self.expected - self.actual) <= TOLERANCE

    @property
    def rounding(self) -> bool:
        """Off only by the rounding of the last printed digit: held to the printed precision."""
        return not self.holds and abs(self.expected - self.actual) <= self.slack + TOLERANCE

    @property
    def passes(self) -> bool:
        return self.holds or self.rounding


def table_checks(table: Table) -> list[Check]:
    """Every check that applies to one table's fund records; a check whose total and parts are
    all empty checks nothing and is left out."""
    return [
        *_code_tree_checks(table),
        *_total_row_checks(table),
        *_total_column_checks(table),
        *_label_tree_checks(table),
        *_list_total_checks(table),
        *_balance_checks(table),
        *_score_checks(table),
    ]


def has_total(table: Table) -> bool:
    """Whether the table prints a total (a 合计 / 总计 / 小计 row or column) that checks could test."""
    return any(
        record.amount is not None
        and (_LIST_TOTAL.search(record.item) or (record.column and record.column[-1] in TOTAL_COLUMN_LABELS))
        for record in table.funds
    )


def _amount(record: FundRecord) -> float:
    return record.amount or 0.0


def _check(
    table: Table, rule: str, subject: str, total: FundRecord, parts: Sequence[FundRecord]
) -> list[Check]:
    """The check that ``total`` is the sum of ``parts``, unless all of them are empty."""
    if total.amount is None and all(p.amount is None for p in parts):
        return []
    places = max((decimals(r.raw) for r in (total, *parts)), default=0)
    slack = 0.5 * 10**-places * (len(parts) + 1) if places else 0.0
    actual = sum(_amount(r) for r in parts)
    positions = tuple(r.position for r in (total, *parts) if r.position is not None)
    return [
        Check(
            table.id, rule, subject, expected=_amount(total), actual=actual, slack=slack, positions=positions
        )
    ]


def decimals(raw: str) -> int:
    """How many decimals ``raw`` prints: the precision a sum of it is held to."""
    match = _DECIMALS.search(raw)
    return len(match.group(1)) if match else 0


def _code_tree_checks(table: Table) -> list[Check]:
    by_column: dict[str, dict[str, FundRecord]] = defaultdict(dict)
    for record in table.funds:
        if record.code:
            by_column[" / ".join(record.column)][record.code] = record
    checks = []
    for column, by_code in by_column.items():
        # A child's code is its parent's and two more digits.
        by_parent: dict[str, list[FundRecord]] = defaultdict(list)
        for code, record in by_code.items():
            by_parent[code[:-2]].append(record)
        for code, parent in by_code.items():
            children = by_parent.get(code, [])
            if children:
                checks += _check(table, "code_sum", f"{code} {parent.item} [{column}]", parent, children)
    return checks


def _total_row_checks(table: Table) -> list[Check]:
    """The 合计 row against the sum of the top-level codes, column by column."""
    top_length = min((len(r.code) for r in table.funds if r.code), default=0)
    if not top_length:
        return []
    checks = []
    columns = dict.fromkeys(r.column for r in table.funds)  # in printed order, not a set's
    for column in columns:
        totals = [r for r in table.funds if r.column == column and not r.code and r.item in TOTAL_LABELS]
        tops = [r for r in table.funds if r.column == column and len(r.code) == top_length]
        for total in totals:
            checks += _check(table, "total_row", f"{total.item} [{' / '.join(column)}]", total, tops)
    return checks


def _total_column_checks(table: Table) -> list[Check]:
    """A column headed 合计 (or 小计) against the sum of the columns beside it under the same parent
    header. A sibling that has sub-columns of its own (公务用车购置及运行费 → 小计 / 购置费 / 运行费)
    counts by its 小计, else by the sum of its sub-columns."""
    rows: dict[tuple[str, str, tuple[str, ...]], dict[tuple[str, ...], FundRecord]] = defaultdict(dict)
    for record in table.funds:
        rows[(record.direction, record.code, record.path)][record.column] = record
    checks = []
    for (_, code, path), by_column in rows.items():
        for column, total in by_column.items():
            if not column or not column[-1].endswith(TOTAL_COLUMN_LABELS):
                continue
            parent = column[:-1]
            parts = [
                part
                for name in _child_names(by_column, parent)
                if not name.endswith(TOTAL_COLUMN_LABELS)
                for part in _column_parts(by_column, (*parent, name))
            ]
            if parts:
                subject = f"{code or ' / '.join(path)} [{' / '.join(column)}]"
                checks += _check(table, "total_column", subject, total, parts)
    return checks


def _child_names(by_column: dict[tuple[str, ...], FundRecord], parent: tuple[str, ...]) -> list[str]:
    """The distinct header texts directly under ``parent``, left to right; a ``其中`` column is a part
    of the column before it, and a memo column (2026年政府采购项目) the same money counted another
    way: neither is one more share of the total."""
    depth = len(parent)
    names = [c[depth] for c in by_column if len(c) > depth and c[:depth] == parent]
    return [
        name
        for name in dict.fromkeys(names)
        if not _PART.match(name) and not any(word in name for word in vocab.MEMO_COLUMN_WORDS)
    ]


def _column_parts(by_column: dict[tuple[str, ...], FundRecord], column: tuple[str, ...]) -> list[FundRecord]:
    """What a header adds to its parent's total: its own column, else the sub-column that totals it
    (小计, 合计, or 项目支出总数 beside 扣除基建项目后预算数), else its sub-columns."""
    if column in by_column:
        return [by_column[column]]
    for name in _child_names(by_column, column):
        if _GROUP_TOTAL.search(name) and (*column, name) in by_column:
            return [by_column[(*column, name)]]
    return [
        part for name in _child_names(by_column, column) for part in _column_parts(by_column, (*column, name))
    ]


def _label_tree_checks(table: Table) -> list[Check]:
    """An item without a code against the items nested directly under it (the nearest longer
    paths it begins), where it has two or more: a single ``其中`` part need not be all of it."""
    checks = []
    for column, records in _uncoded_by_column(table).items():
        paths = {r.path: r for r in records if r.path}
        for path, parent in paths.items():
            below = [p for p in paths if len(p) > len(path) and p[: len(path)] == path]
            nearest = [p for p in below if not any(len(q) < len(p) and p[: len(q)] == q for q in below)]
            children = [paths[p] for p in nearest]
            if len(children) >= 2:
                subject = f"{' / '.join(path)} [{' / '.join(column[1:])}]"
                checks += _check(table, "item_sum", subject, parent, children)
    return checks


def _uncoded_by_column(table: Table) -> dict[tuple[str, ...], list[FundRecord]]:
    by_column: dict[tuple[str, ...], list[FundRecord]] = defaultdict(list)
    for record in table.funds:
        if not record.code:
            by_column[(record.direction, *record.column)].append(record)
    return by_column


def _list_streams(table: Table) -> dict[tuple[str, ...], list[FundRecord]]:
    """The top-level items of each panel column, in printed order (direction first in the key).

    A total printed once across several panels (当年支出小计 under 功能分类 and 支出用途, filed
    under ``支出 / 金额``) closes each of the panels' columns it stands for: those with the same
    outer header and the same last header (``支出 / 功能分类 / 金额``).
    """
    streams = {
        key: [r for r in records if len(r.path) == 1] for key, records in _uncoded_by_column(table).items()
    }
    streams = {key: records for key, records in streams.items() if records}
    for key, records in list(streams.items()):
        wider = [
            k for k in streams if len(k) > len(key) and k[: len(key) - 1] == key[:-1] and k[-1] == key[-1]
        ]
        for other in wider:
            streams[other] = [*streams[other], *records]
        if wider:
            del streams[key]
    return streams


def _list_total_checks(table: Table) -> list[Check]:
    """Totals of the lists in panels: the first total printed after items is their sum, each later
    total the total before it plus the rows between (本年收入合计 + 年初结转和结余 = 收入总计); a
    total printed first (收入总计 above its groups) is the sum of all that follow it."""
    checks: list[Check] = []
    for key, records in _list_streams(table).items():
        column = " / ".join(key[1:])
        if _LIST_TOTAL.search(records[0].item):
            rest = records[1:]
            following = rest[: next((i for i, r in enumerate(rest) if _LIST_TOTAL.search(r.item)), len(rest))]
            if following:
                checks += _check(table, "list_total", f"{records[0].item} [{column}]", records[0], following)
            continue
        previous: FundRecord | None = None
        items: list[FundRecord] = []
        for record in records:
            if not _LIST_TOTAL.search(record.item):
                items.append(record)
                continue
            parts = [previous, *items] if previous is not None else items
            if parts:
                checks += _check(table, "list_total", f"{record.item} [{column}]", record, parts)
            previous, items = record, []
    return checks


def _balance_checks(table: Table) -> list[Check]:
    """The last total of the 收入 panel against the last total of the 支出 panel (收入合计 = 支出合计),
    in the first column of each."""
    streams = _list_streams(table)
    totals: dict[str, FundRecord] = {}
    for direction in ("收入", "支出"):
        keys = [key for key in streams if key[0] == direction]
        if keys:
            ends = [r for r in streams[keys[0]] if _GRAND_TOTAL.search(r.item)]
            if ends:
                totals[direction] = ends[-1]
    if len(totals) < 2:
        return []
    income, spending = totals["收入"], totals["支出"]
    return _check(table, "balance", f"{income.item} = {spending.item}", income, [spending])


# --- performance tables: weights, scores and the execution rate -------------------------------

#: What the weights of a self-evaluation add up to when no total is printed.
FULL_MARKS = 100.0
#: The marks the national rules give a self-evaluation's 预算执行率, out of ``FULL_MARKS``.
BUDGET_EXECUTION_MARKS = 10.0


def _score_checks(table: Table) -> list[Check]:
    """The checks of weights, scores and the execution rate that apply to ``table``."""
    fields = {f.key: f for f in table.fields}
    indicators = list(_one_record_per_indicator(table.indicators))
    return [
        *_sum_check(
            table,
            "weight_sum",
            [r.weight for r in indicators],
            fields,
            vocab.EXECUTION_WEIGHT_FIELD,
            vocab.TOTAL_WEIGHT,
        ),
        *_sum_check(
            table,
            "score_sum",
            [r.score for r in indicators],
            fields,
            vocab.EXECUTION_SCORE_FIELD,
            vocab.TOTAL_SCORE,
        ),
        *_rate_check(table, fields),
    ]


def _one_record_per_indicator(records: tuple[IndicatorRecord, ...]) -> Iterator[IndicatorRecord]:
    """The first record of each indicator: its others repeat its weight and score."""
    previous: tuple[str, ...] | None = None
    for record in records:
        identity = (record.level1, record.level2, record.level3, record.key_work, record.project)
        if identity != previous:
            yield record
        previous = identity


def _sum_check(
    table: Table,
    rule: str,
    values: list[float | None],
    fields: dict[str, FieldRecord],
    block_key: str,
    total_key: str,
) -> list[Check]:
    """Σ of the indicators' ``values`` and the money block's against the printed total.

    Without a printed total only the weights are checked, against full marks; a table that
    prints no weight or score at all has nothing to check.
    """
    printed = [v for v in values if v is not None]
    if not printed:
        return []
    total_field = fields.get(total_key)
    total = parse_number(total_field.value) if total_field else None
    if total is None:
        if rule != "weight_sum":
            return []
        total = FULL_MARKS
    parts = [*printed]
    block = fields.get(block_key)
    if block is not None and (block_value := parse_number(block.value)) is not None:
        parts.append(block_value)
    elif total_field is None and abs(FULL_MARKS - BUDGET_EXECUTION_MARKS - sum(parts)) <= TOLERANCE:
        # A target table weighs its indicators to 90: the other 10 are the 预算执行率's, scored
        # only in the self-evaluation (the national scoring rules).
        parts.append(BUDGET_EXECUTION_MARKS)
    places = decimals(total_field.value) if total_field else 0
    slack = 0.5 * 10**-places * (len(parts) + 1) if places else 0.0
    subject = total_key if total_field else f"{total_key} (not printed: full marks)"
    return [Check(table.id, rule, subject, expected=total, actual=sum(parts), slack=slack)]


def _rate_check(table: Table, fields: dict[str, FieldRecord]) -> list[Check]:
    """预算执行率 = 全年执行数 / 全年预算数 of the block's total, to the rate's printed precision."""
    rate_field = fields.get(vocab.EXECUTION_RATE_FIELD)
    rate = parse_number(rate_field.value) if rate_field else None
    if rate_field is None or rate is None or not table.funds:
        return []
    total = table.funds[0].path
    spent = _total_amount(table.funds, total, vocab.EXECUTED_COLUMN_ENDINGS)
    budget = _total_amount(table.funds, total, vocab.BUDGET_COLUMN_ENDINGS)
    if spent is None or not budget:
        return []
    slack = 0.5 * 10 ** -decimals(rate_field.value.rstrip("%"))
    return [
        Check(
            table.id,
            "execution_rate",
            vocab.EXECUTION_RATE_FIELD,
            expected=rate,
            actual=100 * spent / budget,
            slack=slack,
        )
    ]


def _total_amount(
    funds: tuple[FundRecord, ...], path: tuple[str, ...], endings: tuple[str, ...]
) -> float | None:
    """The amount of the item at ``path`` in the last column whose header ends so."""
    amounts = [r.amount for r in funds if r.path == path and r.column and r.column[-1].endswith(endings)]
    return amounts[-1] if amounts else None
