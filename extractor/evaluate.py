"""Score the pipeline against the truth files under ``golden/`` (``make eval``).

Each case names a document and holds its true records (golden/README.md). The pipeline's
records are matched to them as multisets on the keys that matter to a user, giving
precision and recall per format and per table kind, for indicators, money, fields and
grid cells; budget tables add self-checks that need no truth, and for each amount read wrong
whether a self-check could see it and flagged it. Simulated scans (set ``scans``) are scored
against the truth of the document they were made from. The figures are printed as one table
and written as JSON so runs can be compared over time.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.export import format_value, fund_row, indicator_row
from extractor.normalise.checks import TOLERANCE, Check, table_checks
from extractor.pipeline import parse
from extractor.records import ParseResult
from extractor.scan_cases import SCANS, simulate_scans, width_folded

#: Key fields of each dataset: what must be right for a record to count.
KEYS: dict[str, tuple[str, ...]] = {
    "indicators": (
        "table_kind",
        "level1",
        "level2",
        "level3",
        "target_label",
        "op",
        "value",
        "unit",
        "weight",
        "score",
        "remark",
        "reasons",
        "likelihood",
    ),
    "funds": ("table_kind", "direction", "code", "path", "column", "amount"),
    "fields": ("table_kind", "key", "value"),
}
DATASETS = (*KEYS, "cells")
#: How many differing records a case shows per dataset in the worst-cases list.
EXAMPLES = 3

Key = tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str
    set: str
    document: Path
    format: str
    pages: frozenset[int] | None
    truth: Path
    #: Where a real document was published (shanghai, jiangsu, central …), so that figures show
    #: how the pipeline reads each publisher's family and not only the one it was built on.
    region: str = ""
    #: A scan made when the evaluation runs (its document is under out/): the case.json whose
    #: ``scan`` block samples/make_scans.py writes it from.
    simulate: Path | None = None
    #: How a scan case was scanned (colour, grey, bilevel): a one-bit photocopy reads worse than
    #: a grey scan of the same page, and its figures are shown apart as well.
    scan_mode: str = ""


@dataclass
class Tally:
    """Matched, extra and missing records; merged across cases by addition."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class WrongAmounts:
    """Money records in a true record's place (kind, direction, code, path, column) with another
    amount: a misread digit. ``visible``: the error changes the sum of a self-check the amount
    enters; ``flagged``: such a check fails, so the reader is told where to look."""

    wrong: int = 0
    visible: int = 0
    flagged: int = 0

    def add(self, other: WrongAmounts) -> None:
        self.wrong += other.wrong
        self.visible += other.visible
        self.flagged += other.flagged


@dataclass
class CaseScore:
    case: Case
    error: str | None
    #: (dataset, table kind) → tally.
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    missing: dict[str, list[Key]] = field(default_factory=dict)
    extra: dict[str, list[Key]] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    amounts: WrongAmounts = field(default_factory=WrongAmounts)

    def total(self) -> Tally:
        total = Tally()
        for tally in self.tallies.values():
            total.add(tally)
        return total


def load_cases(golden: Path, root: Path) -> list[Case]:
    """Every case under ``golden``/*/*/case.json, in name order.

    A case.json may name one ``document`` or several ``documents`` (renderings of the
    same table sharing one truth); each document is scored as a case of its own. One that
    names a ``truth`` (a case folder under ``golden``, as a scan does) is scored against that
    case's files, on its pages and in its region unless it states its own.
    """
    cases = []
    out = (root / "out").resolve()
    for spec in sorted(golden.glob("*/*/case.json")):
        meta = json.loads(spec.read_text(encoding="utf-8"))
        truth = golden / meta["truth"] if "truth" in meta else spec.parent
        inherited = json.loads((truth / "case.json").read_text(encoding="utf-8")) if "truth" in meta else {}
        pages = meta.get("pages", inherited.get("pages"))
        documents = meta.get("documents") or [meta["document"]]
        for document in documents:
            path = (root / document).resolve()
            cases.append(
                Case(
                    name=spec.parent.name if len(documents) == 1 else Path(document).name,
                    set=spec.parent.parent.name,
                    document=path,
                    format=meta.get("format") or path.suffix.lstrip("."),
                    pages=frozenset(pages) if pages else None,
                    truth=truth,
                    region=meta.get("region", inherited.get("region", "")),
                    simulate=spec if "scan" in meta and path.is_relative_to(out) else None,
                    scan_mode=meta["scan"].get("mode", "colour") if "scan" in meta else "",
                )
            )
    return cases


def score_case(case: Case) -> CaseScore:
    """Parse the case's document and match its records to the truth."""
    result = parse(case.document)
    score = CaseScore(
        case=case, error=f"{result.error.code}: {result.error.message}" if result.error else None
    )
    fold = width_folded if case.set == SCANS else _as_printed
    predicted = predicted_keys(result, case.pages)
    for dataset, keys in KEYS.items():
        truth = _truth_rows(case.truth / f"{dataset}.csv", keys, case.pages)
        _match(score, dataset, [fold(key) for key in truth], [fold(key) for key in predicted[dataset]])
    grid_truth = case.truth / "grid.json"
    if grid_truth.exists():
        _match_grids(score, json.loads(grid_truth.read_text(encoding="utf-8")), result, fold)
    checks = {t.id: table_checks(t) for t in result.tables}
    score.checks = [c for t in result.tables if _on_pages(t.pages, case.pages) for c in checks[t.id]]
    score.amounts = wrong_amounts(
        result, checks, case.pages, score.missing["funds"], score.extra["funds"], fold
    )
    return score


def _as_printed(key: Key) -> Key:
    return key


def wrong_amounts(
    result: ParseResult,
    checks: dict[str, list[Check]],
    pages: frozenset[int] | None,
    missing: Sequence[Key],
    extra: Sequence[Key],
    fold: Callable[[Key], Key],
) -> WrongAmounts:
    """Pair each extra money record with a missing one in the same place (all keys but the
    amount, the last): the paired records are wrong amounts. A check can see one only where the
    error changes its sum: a 0 read as empty (both add nothing) is wrong but invisible. ``fold``
    is how the keys were compared (``width_folded`` for a scan)."""
    truths: dict[Key, list[str]] = {}
    for key in missing:
        truths.setdefault(key[:-1], []).append(key[-1])
    replaced: dict[Key, list[str]] = {}
    for key in extra:
        if truths.get(key[:-1]):
            replaced.setdefault(key, []).append(truths[key[:-1]].pop())
    tally = WrongAmounts()
    for table in result.tables:
        for fund in table.funds:
            key = fold(_key(fund_row(fund, table.kind), KEYS["funds"]))
            if not replaced.get(key) or not _on_pages([fund.page], pages):
                continue
            true = replaced[key].pop()
            error = abs((float(true) if true else 0.0) - (fund.amount or 0.0))
            seen = [
                c
                for c in checks[table.id]
                if fund.position is not None and fund.position in c.positions and error > TOLERANCE
            ]
            tally.add(WrongAmounts(1, int(bool(seen)), int(any(not c.passes for c in seen))))
    return tally


def _on_pages(pages: Iterable[int | None], wanted: frozenset[int] | None) -> bool:
    return wanted is None or any(p in wanted for p in pages if p is not None)


def predicted_keys(result: ParseResult, pages: frozenset[int] | None = None) -> dict[str, list[Key]]:
    """A result's records on ``pages`` (all of them for None) as the keys they are scored by, per
    dataset (``KEYS``): what a record must agree on to be the same one."""
    rows: dict[str, list[Key]] = {name: [] for name in KEYS}
    for table in result.tables:
        kind = table.kind
        for ind in table.indicators:
            if _on_pages([ind.page], pages):
                rows["indicators"].append(
                    _key({"table_kind": kind, **indicator_row(ind)}, KEYS["indicators"])
                )
        for fund in table.funds:
            if _on_pages([fund.page], pages):
                rows["funds"].append(_key(fund_row(fund, kind), KEYS["funds"]))
        for item in table.fields:
            if _on_pages([item.page], pages):
                rows["fields"].append(
                    _key({"table_kind": kind, "key": item.key, "value": item.value}, KEYS["fields"])
                )
    return rows


def _key(row: dict[str, Any], keys: tuple[str, ...]) -> Key:
    return tuple(format_value(row[k]) for k in keys)


def _truth_rows(path: Path, keys: tuple[str, ...], pages: frozenset[int] | None) -> list[Key]:
    """The truth's records as keys; a column the file lacks (a truth written before the column
    existed, such as ``weight`` in an older hand-read case) reads as empty."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        tuple(row.get(k) or "" for k in keys)
        for row in rows
        if pages is None or not row.get("page") or int(row["page"]) in pages
    ]


def _match(score: CaseScore, dataset: str, truth: list[Key], predicted: list[Key]) -> None:
    """Multiset matching, tallied per table kind (the first key field)."""
    expected, found = Counter(truth), Counter(predicted)
    for key in expected | found:
        kind = key[0] if dataset != "cells" else ""
        tally = score.tallies.setdefault((dataset, kind), Tally())
        matched = min(expected[key], found[key])
        tally.tp += matched
        tally.fn += expected[key] - matched
        tally.fp += found[key] - matched
    score.missing[dataset] = sorted((expected - found).elements())
    score.extra[dataset] = sorted((found - expected).elements())


def _match_grids(
    score: CaseScore, truth_tables: list[dict[str, Any]], result: ParseResult, fold: Callable[[Key], Key]
) -> None:
    """Each true grid is matched to the predicted grid sharing most anchor cells, their texts
    ``fold``-ed as the records' are."""
    predicted = [
        Counter((c.row, c.col, c.rowspan, c.colspan, c.text) for c in t.grid.cells if c.text)
        for t in result.tables
    ]
    truth_cells: list[Key] = []
    found_cells: list[Key] = []
    used: set[int] = set()
    for index, table in enumerate(truth_tables):
        expected = Counter(tuple(cell) for cell in table["cells"] if cell[4])
        best = max(
            (i for i in range(len(predicted)) if i not in used),
            key=lambda i: sum((expected & predicted[i]).values()),
            default=None,
        )
        truth_cells += [(str(index), *map(str, key)) for key in expected.elements()]
        if best is not None:
            used.add(best)
            found_cells += [(str(index), *map(str, key)) for key in predicted[best].elements()]
    for i, cells in enumerate(predicted):
        if i not in used:
            found_cells += [(f"extra{i}", *map(str, key)) for key in cells.elements()]
    _match(score, "cells", [fold(key) for key in truth_cells], [fold(key) for key in found_cells])


# --- report ------------------------------------------------------------------------------


#: The groupings of the report: by format and kind in every set, by region for real documents,
#: by scan mode (``scan``) for scans.
GROUPINGS = ("format", "kind", "region", "scan")


def aggregate(scores: Sequence[CaseScore], by: str) -> dict[tuple[str, str], dict[str, Tally]]:
    """Tallies per (set, format), (set, kind), (set, region) or (set, scan mode), per dataset."""
    table: dict[tuple[str, str], dict[str, Tally]] = {}
    for score in scores:
        for (dataset, kind), tally in score.tallies.items():
            case = score.case
            group = {"format": case.format, "kind": kind, "region": case.region, "scan": case.scan_mode}[by]
            if (by == "kind" and dataset == "cells") or (by in ("region", "scan") and not group):
                continue
            row = table.setdefault((case.set, group), {d: Tally() for d in DATASETS})
            row[dataset].add(tally)
    return table


def _ratio(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def render_report(scores: Sequence[CaseScore]) -> str:
    lines = []
    for by in GROUPINGS:
        lines.append(f"{'set':<10}{by:<34}" + "".join(f"{d + ' P/R':>18}" for d in DATASETS))
        for (case_set, group), tallies in sorted(aggregate(scores, by).items()):
            cells = "".join(
                f"{_ratio(t.precision) + '/' + _ratio(t.recall):>18}" for t in (tallies[d] for d in DATASETS)
            )
            lines.append(f"{case_set:<10}{group:<34}{cells}")
        lines.append("")
    lines.append("self-checks (budget arithmetic that holds, to the printed precision):")
    for score in scores:
        if score.checks:
            held = sum(c.passes for c in score.checks)
            where = f" ({score.case.region})" if score.case.region else ""
            lines.append(f"  {score.case.set}/{score.case.name}{where}: {held}/{len(score.checks)}")
    lines.append("")
    lines.append(
        "wrong amounts (a true record's place, another amount): flagged by a failed check / visible / all:"
    )
    by_set: dict[str, WrongAmounts] = {}
    for score in scores:
        by_set.setdefault(score.case.set, WrongAmounts()).add(score.amounts)
        if _reports_amounts(score):
            found = score.amounts
            lines.append(
                f"  {score.case.set}/{score.case.name}: {found.flagged}/{found.visible}/{found.wrong}"
            )
    for case_set, found in sorted(by_set.items()):
        if found.wrong or case_set == SCANS:
            lines.append(f"  {case_set} (all): {found.flagged}/{found.visible}/{found.wrong}")
    lines.append("")
    lines.append("worst cases:")
    for score in worst(scores, 10):
        total = score.total()
        lines.append(
            f"  {score.case.set}/{score.case.name}: P {_ratio(total.precision)} R {_ratio(total.recall)}"
            + (f"  error {score.error}" if score.error else "")
        )
        for dataset in DATASETS:
            for label, keys in (
                ("missing", score.missing.get(dataset, [])),
                ("extra", score.extra.get(dataset, [])),
            ):
                for key in keys[:EXAMPLES]:
                    lines.append(f"      {dataset} {label}: {' | '.join(key)}")
                if len(keys) > EXAMPLES:
                    lines.append(f"      {dataset} {label}: … {len(keys) - EXAMPLES} more")
    return "\n".join(lines)


def _reports_amounts(score: CaseScore) -> bool:
    """Wrong amounts are listed for every scan (where OCR misreads them) and any case that has one."""
    return bool(score.amounts.wrong) or score.case.set == SCANS


def _f1(score: CaseScore) -> float:
    total = score.total()
    p, r = total.precision or 0.0, total.recall or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def worst(scores: Sequence[CaseScore], count: int) -> list[CaseScore]:
    imperfect = [s for s in scores if _f1(s) < 1.0 or s.error]
    return sorted(imperfect, key=_f1)[:count]


def figures(scores: Sequence[CaseScore]) -> dict[str, Any]:
    """The figures as JSON: per (set, format) and (set, kind), per dataset."""
    out: dict[str, Any] = {}
    for by in GROUPINGS:
        out[f"by_{by}"] = {
            f"{case_set}/{group}": {
                d: {"precision": t.precision, "recall": t.recall, "tp": t.tp, "fp": t.fp, "fn": t.fn}
                for d, t in tallies.items()
            }
            for (case_set, group), tallies in sorted(aggregate(scores, by).items())
        }
    out["self_checks"] = {
        f"{s.case.set}/{s.case.name}": {"held": sum(c.passes for c in s.checks), "total": len(s.checks)}
        for s in scores
        if s.checks
    }
    out["wrong_amounts"] = {
        f"{s.case.set}/{s.case.name}": {
            "wrong": s.amounts.wrong,
            "visible": s.amounts.visible,
            "flagged": s.amounts.flagged,
        }
        for s in scores
        if _reports_amounts(s)
    }
    out["cases"] = {
        f"{s.case.set}/{s.case.name}": {
            "precision": s.total().precision,
            "recall": s.total().recall,
            "error": s.error,
        }
        for s in scores
    }
    return out


def group_figures(scores: Sequence[CaseScore]) -> dict[str, dict[str, dict[str, float]]]:
    """Precision and recall per "set/format" (and "set/region:name" for real documents,
    "set/scan:mode" for scans) and dataset, for records that exist."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for by in ("format", "region", "scan"):
        for (case_set, group), tallies in aggregate(scores, by).items():
            name = f"{case_set}/{group}" if by == "format" else f"{case_set}/{by}:{group}"
            for dataset, tally in tallies.items():
                if tally.precision is not None and tally.recall is not None:
                    out.setdefault(name, {})[dataset] = {"precision": tally.precision, "recall": tally.recall}
    return out


def raise_thresholds(path: Path, scores: Sequence[CaseScore]) -> dict[str, Any]:
    """Thresholds never go down: each becomes the better of its old value and today's figure."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    new: dict[str, Any] = {}
    for group, datasets in sorted({**old, **group_figures(scores)}.items()):
        current = group_figures(scores).get(group, {})
        new[group] = {}
        for dataset in sorted(set(datasets) | set(old.get(group, {}))):
            before = old.get(group, {}).get(dataset, {})
            now = current.get(dataset, {})
            new[group][dataset] = {
                measure: max(before.get(measure, 0.0), _floor(now.get(measure, 0.0)))
                for measure in ("precision", "recall")
            }
    path.write_text(json.dumps(new, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return new


def _floor(value: float) -> float:
    """Three decimals, rounded down, so a threshold never exceeds the figure it came from."""
    return int(value * 1000) / 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golden", type=Path, default=Path("golden"), help="the folder of truth files")
    parser.add_argument("--set", action="append", help="only these sets (seed, generated, real, scans)")
    parser.add_argument(
        "--json", type=Path, default=Path("out/eval/figures.json"), help="where the figures go"
    )
    parser.add_argument(
        "--raise-thresholds",
        type=Path,
        metavar="FILE",
        help="raise the recorded CI thresholds in FILE to today's figures (never lowers them)",
    )
    args = parser.parse_args(argv)
    root = Path.cwd()
    cases = [c for c in load_cases(args.golden, root) if not args.set or c.set in args.set]
    simulate_scans([c.simulate for c in cases if c.simulate is not None], root)
    available = [c for c in cases if c.document.exists()]
    for case in cases:
        if case not in available:
            print(f"skipped {case.set}/{case.name}: {case.document} is not present", file=sys.stderr)
    scores = []
    for number, case in enumerate(available, start=1):
        print(f"[{number}/{len(available)}] {case.set}/{case.name}", file=sys.stderr)
        scores.append(score_case(case))
    print(render_report(scores))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures(scores), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}")
    if args.raise_thresholds:
        raise_thresholds(args.raise_thresholds, scores)
        print(f"thresholds raised in {args.raise_thresholds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
