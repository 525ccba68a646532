"""``make bench``: the pipeline's speed and memory beside its peers and the floor, in one run.

Every measured thing runs in its own process (``bench.measure``), one after the other, so
that peak memory is each one's own and the ratios compare runs made minutes apart on the
same machine; the whole plan runs three times (``--repeat``) and each row keeps its fastest
run, so that a passing load on a shared machine costs less (identical runs of the batch
differed by a tenth on the development machine); ``report --inspect`` runs in the first
round only (``ONE_ROUND``). The table goes to standard output and,
with the machine and every number, to ``out/bench/results.json`` so that runs can be
compared. Timings are wall-clock; on a shared machine read the ratios rather than the
absolute figures."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bench.inputs import (
    ROWS,
    batch_catalog,
    concatenated_pdf,
    distinct_copies,
    long_table_pdf,
    merged_docx,
    merged_html,
    scanned_pdf,
    scanned_table_pdf,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
OUT = ROOT / "out" / "bench"
LONG_PAGES = 500
#: Pages camelot reads of each corpus file: at a few pages a second the whole corpus would
#: take minutes, and its rate is clear from fewer.
CAMELOT_PAGES_PER_FILE = 3
#: Copies of the corpus the batch runs over: enough files that start-up is a small part. Each
#: worker process pays about 0.7 s once (imports, jieba's dictionary, its first file); over
#: three copies (900 pages, 8 s with one worker) that was a tenth of the run and two workers
#: measured 1.68-1.83x one; over eight (2,400 pages, 21 s), closer to a nightly run's length,
#: 1.91-1.92x.
BATCH_COPIES = 8
#: Peak memory the pipeline must stay under on the long PDF (the issue's target).
RSS_TARGET_MB = 400
#: Measured in the first round only: ``report --inspect`` the way it was done before issue 17
#: takes about 50 s over the corpus, three rounds of it would add minutes to the bench. Its
#: rows run one after the other in the same round, so their ratio compares like with like.
ONE_ROUND = ("report", "report_before")
#: Pages of the generated one-table PDFs the stitcher joins: four times the pages should take
#: four times as long (it took about 20 times as long before the stitcher kept its table's state).
STITCH_PAGES = (100, 400)
#: Corpus pages the OCR rows read as scans, and the rate OCR must reach on one core (issue 19).
OCR_PAGES = 12
OCR_TARGET_PAGES_PER_SECOND = 1.0


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    name: str
    input: str
    units: int
    unit: str
    seconds: float
    startup_seconds: float
    peak_rss_mb: float
    #: The machine's one-minute load average when the measurement started: other work on a
    #: shared machine slows everything, and parallel runs most.
    load_before: float
    #: How many runs the row is the fastest of.
    runs: int = 1

    @property
    def rate(self) -> float:
        return self.units / self.seconds if self.seconds else 0.0


def measure(kind: str, files: list[Path], *options: str) -> dict[str, float] | None:
    """Run ``bench.measure`` in a fresh process; None when it could not run (camelot missing)."""
    command = [sys.executable, "-m", "bench.measure", kind, *options, *map(str, files)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        print(
            f"  {kind} {' '.join(options)} did not run: {done.stderr.strip().splitlines()[-1:]}",
            file=sys.stderr,
        )
        return None
    measured: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return measured


def row(name: str, input_name: str, measured: dict[str, float] | None, unit: str, load: float) -> Row | None:
    if measured is None:
        return None
    return Row(
        name=name,
        input=input_name,
        units=int(measured.get(unit, 0)),
        unit=unit,
        seconds=round(measured["seconds"], 3),
        startup_seconds=round(measured["startup_seconds"], 3),
        peak_rss_mb=measured["peak_rss_mb"],
        load_before=round(load, 2),
    )


def run(include_pdfplumber_long: bool, repeat: int) -> tuple[list[Row], dict[str, float]]:
    """Every measurement ``repeat`` times, in rounds over the whole plan so that a passing load
    on the machine falls on different measurements; each row keeps its fastest run."""
    corpus = sorted(CORPUS.glob("*.pdf"))
    if not corpus:
        raise SystemExit(f"no PDFs in {CORPUS}: the benchmark reads the real corpus")
    long_pdf = concatenated_pdf(corpus, LONG_PAGES, OUT / "inputs" / f"corpus_{LONG_PAGES}.pdf")
    docx = merged_docx(OUT / "inputs" / f"merged_{ROWS}.docx")
    page = merged_html(OUT / "inputs" / f"merged_{ROWS}.html")
    copies = distinct_copies(corpus, BATCH_COPIES, OUT / "inputs" / "batch")
    long_tables = {n: long_table_pdf(OUT / "inputs" / f"long_table_{n}.pdf", n) for n in STITCH_PAGES}
    catalog = batch_catalog(corpus, OUT / "inputs" / "catalog")
    scans = scanned_pdf(corpus, OCR_PAGES, OUT / "inputs" / f"scanned_{OCR_PAGES}.pdf")
    table_scans = scanned_table_pdf(corpus, OCR_PAGES, OUT / "inputs" / f"scanned_tables_{OCR_PAGES}.pdf")
    corpus_name = f"real corpus ({len(corpus)} PDFs)"
    copies_name = f"corpus x{BATCH_COPIES} ({len(copies)} PDFs)"
    long_name = f"{LONG_PAGES}-page PDF"
    plan: list[tuple[str, str, str, list[Path], tuple[str, ...], str]] = [
        ("ours", "ours, pdfium backend (default)", corpus_name, corpus, ("--backend", "pdfium"), "pages"),
        ("ours", "ours, pdfplumber backend", corpus_name, corpus, ("--backend", "pdfplumber"), "pages"),
        ("bare", "bare pdfplumber extract_tables()", corpus_name, corpus, (), "pages"),
        (
            "camelot",
            f"camelot lattice (first {CAMELOT_PAGES_PER_FILE} pages of each)",
            corpus_name,
            corpus,
            ("--page-limit", str(CAMELOT_PAGES_PER_FILE)),
            "pages",
        ),
        ("floor", "floor: pypdfium2 chars + boxes", corpus_name, corpus, (), "pages"),
        ("ours", "ours, pdfium backend (default)", long_name, [long_pdf], ("--backend", "pdfium"), "pages"),
        ("bare", "bare pdfplumber extract_tables()", long_name, [long_pdf], (), "pages"),
        ("floor", "floor: pypdfium2 chars + boxes", long_name, [long_pdf], (), "pages"),
        ("batch", "extractor batch, 1 worker", copies_name, copies, ("--workers", "1"), "pages"),
        ("batch", "extractor batch, 2 workers", copies_name, copies, ("--workers", "2"), "pages"),
        ("report_before", "report --inspect, before (1 process)", corpus_name, [catalog], (), "pages"),
        ("report", "report --inspect, 1 worker", corpus_name, [catalog], ("--workers", "1"), "pages"),
        ("report", "report --inspect, 2 workers", corpus_name, [catalog], ("--workers", "2"), "pages"),
        ("rows", f".docx, {ROWS}-row merged table", docx.name, [docx], ("--rows", str(ROWS)), "rows"),
        ("rows", f"HTML, {ROWS}-row merged table", page.name, [page], ("--rows", str(ROWS)), "rows"),
        *(
            ("stitch", "stitching one table", stitch_input(n), [long_tables[n]], (), "pages")
            for n in STITCH_PAGES
        ),
        ("ocr", "OCR, one thread", f"{OCR_PAGES} corpus pages scanned (200 dpi JPEG)", [scans], (), "pages"),
        ("ocr", "OCR, one thread", f"{OCR_PAGES} corpus table pages scanned", [table_scans], (), "pages"),
    ]
    if include_pdfplumber_long:
        plan.insert(
            6,
            ("ours", "ours, pdfplumber backend", long_name, [long_pdf], ("--backend", "pdfplumber"), "pages"),
        )
    runs: dict[int, list[Row]] = {}
    for round_number in range(1, repeat + 1):
        for index, (kind, name, input_name, files, options, unit) in enumerate(plan):
            if round_number > 1 and kind in ONE_ROUND:
                continue
            load = os.getloadavg()[0]
            print(
                f"round {round_number}/{repeat}: {name} on {input_name} (load {load:.1f}) ...",
                file=sys.stderr,
                flush=True,
            )
            found = row(name, input_name, measure(kind, files, *options), unit, load)
            if found is not None:
                runs.setdefault(index, []).append(found)
    rows = [
        replace(min(found, key=lambda r: r.seconds), runs=len(found)) for _, found in sorted(runs.items())
    ]
    return rows, ratios(rows, corpus_name, long_name, copies_name)


def stitch_input(pages: int) -> str:
    return f"{pages}-page ruled table"


def ratios(rows: list[Row], corpus_name: str, long_name: str, copies_name: str) -> dict[str, float]:
    def rate(name: str, input_name: str) -> float:
        return next((r.rate for r in rows if r.name == name and r.input == input_name), 0.0)

    def stitch_seconds(pages: int) -> float:
        return next((r.seconds for r in rows if r.input == stitch_input(pages)), 0.0)

    ours = "ours, pdfium backend (default)"
    found = {
        "ours / bare pdfplumber (corpus)": rate(ours, corpus_name)
        / rate("bare pdfplumber extract_tables()", corpus_name),
        "ours / floor (corpus)": rate(ours, corpus_name)
        / rate("floor: pypdfium2 chars + boxes", corpus_name),
        f"ours / bare pdfplumber ({long_name})": rate(ours, long_name)
        / rate("bare pdfplumber extract_tables()", long_name),
        f"ours / floor ({long_name})": rate(ours, long_name)
        / rate("floor: pypdfium2 chars + boxes", long_name),
        "batch 2 workers / 1 worker": rate("extractor batch, 2 workers", copies_name)
        / rate("extractor batch, 1 worker", copies_name),
        "report --inspect 1 worker / before": rate("report --inspect, 1 worker", corpus_name)
        / rate("report --inspect, before (1 process)", corpus_name),
        "report --inspect 2 workers / before": rate("report --inspect, 2 workers", corpus_name)
        / rate("report --inspect, before (1 process)", corpus_name),
        f"stitching time {STITCH_PAGES[-1]} / {STITCH_PAGES[0]} pages (linear: "
        f"{STITCH_PAGES[-1] / STITCH_PAGES[0]:.0f})": stitch_seconds(STITCH_PAGES[-1])
        / stitch_seconds(STITCH_PAGES[0]),
    }
    return {k: round(v, 2) for k, v in found.items()}


def table(rows: list[Row], found: dict[str, float]) -> str:
    lines = [
        "| measured | input | pages / rows | seconds | per second | start-up s | peak RSS MB | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.input} | {r.units} {r.unit} | {r.seconds:.2f} | {r.rate:.1f} | "
            f"{r.startup_seconds:.2f} | {r.peak_rss_mb:.0f} | {r.load_before:.1f} |"
        )
    lines.append("")
    lines.append("| ratio | value |")
    lines.append("|---|---:|")
    lines.extend(f"| {name} | {value:.2f} |" for name, value in found.items())
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--with-pdfplumber-long",
        action="store_true",
        help=f"also run the pdfplumber backend over the {LONG_PAGES}-page PDF (about half a minute more)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds over the whole plan; the fastest run counts"
    )
    args = parser.parse_args()
    begin = time.time()
    rows, found = run(args.with_pdfplumber_long, args.repeat)
    long_rss = next(
        (
            r.peak_rss_mb
            for r in rows
            if r.name == "ours, pdfium backend (default)" and r.input.startswith(str(LONG_PAGES))
        ),
        None,
    )
    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(begin)),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "rows": [{**asdict(r), "per_second": round(r.rate, 2)} for r in rows],
        "ratios": found,
        "peak_rss_mb_long_pdf": long_rss,
        "rss_target_mb": RSS_TARGET_MB,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(table(rows, found))
    print(f"\nresults in {(OUT / 'results.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
