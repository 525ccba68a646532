"""The commands about single documents: ``parse`` (JSON, CSV, a summary of the tables found) and
``inspect`` (the HTML of what the pipeline saw)."""

from __future__ import annotations

import functools
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from extractor.cli.columns import aligned
from extractor.cli.options import limit_options, ocr_option, pdf_backend_option, worker_limit_options
from extractor.export import dumps, write_csvs, write_text_atomic
from extractor.harvest.guarded import parse_in_workers
from extractor.limits import Limits
from extractor.look.inspect import INDEX_NAME, inspect_result, pages_beyond, parse_and_inspect_file
from extractor.names import printable, safe_file_name
from extractor.pipeline import parse
from extractor.records import ParseResult


@click.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--to",
    "output_formats",
    type=click.Choice(["json", "csv"]),
    multiple=True,
    default=("json",),
    show_default=True,
    help="json: one result per file (docs/contract.md §1); csv: indicators, indicators_wide, funds, "
    "fields, cells.csv. "
    "Give it twice for both.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="JSON of one input: a file; otherwise the folder to write into.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Print each file's tables (kind, confidence, pages, rows, records, self-checks) "
    "instead of JSON on standard output.",
)
@worker_limit_options
@pdf_backend_option
@ocr_option
@limit_options
def parse_command(
    files: tuple[Path, ...],
    output_formats: tuple[str, ...],
    out: Path | None,
    summary: bool,
    timeout: float,
    max_memory: int,
    pdf_backend: str,
    ocr: str,
    limits: Limits,
) -> None:
    """Parse FILES (PDF, .docx, .doc, .rtf, .xlsx, .xls, HTML, pasted text, or scans: PDF pages
    without text and .png/.jpg/.tif images, read by OCR) into tables and records.

    With one file and no --out the JSON goes to standard output. Each file that cannot be read
    gets one line on standard error (`file: code: message`); the other files are still
    written. A folder is refused: `extractor batch` parses folders.

    Exit status: 0 when every file was read, 1 when any ended with an error, 2 for a usage
    error (a folder, --to csv without --out).
    """
    folders = [printable(str(path)) for path in files if path.is_dir()]
    if folders:
        raise click.UsageError(
            f"{folders[0]} is a folder: `extractor batch {folders[0]} --out DIR` parses every document in it"
        )
    if "csv" in output_formats and out is None:
        raise click.UsageError("--to csv writes several files: give the folder with --out DIR")
    if len(files) > 1 and out is None and not summary:
        raise click.UsageError("several files give several JSON results: give a folder with --out DIR")
    parse_file = functools.partial(parse, limits=limits, pdf_backend=pdf_backend, ocr=ocr)
    results = parse_in_workers(files, parse_file, timeout=timeout, max_memory_mb=max_memory)
    _report_errors(results)
    if summary:
        click.echo("\n\n".join(tables_summary(r) for r in results))
        if out is None:
            sys.exit(1 if any(r.error for r in results) else 0)
    if "json" in output_formats:
        _write_json(results, out, single_file=len(files) == 1 and "csv" not in output_formats)
    if "csv" in output_formats:
        assert out is not None
        written = write_csvs(results, out)
        click.echo(f"wrote {', '.join(p.name for p in written)} to {out}", err=True)
    if len(files) > 1 or out is not None:
        click.echo(summary_table(results), err=True)
    if any(r.error for r in results):
        sys.exit(1)


@click.command("inspect")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into.",
)
@click.option(
    "--page", "pages", type=click.IntRange(min=1), multiple=True, help="Only this page of a PDF (repeatable)."
)
@worker_limit_options
@pdf_backend_option
@ocr_option
@limit_options
def inspect_command(
    file: Path,
    out_dir: Path,
    pages: tuple[int, ...],
    timeout: float,
    max_memory: int,
    pdf_backend: str,
    ocr: str,
    limits: Limits,
) -> None:
    """See what the pipeline saw in FILE: OUT/index.html with every table as rebuilt (real
    spans, what each row was read as, the records beside the raw text, the warnings), and for a
    PDF each page as OUT/page-N.png with the table and cell boxes drawn on it.

    Exit status: 0 when the pages are written, 1 when FILE cannot be read (the error on
    standard error, and on the page), 2 for a --page beyond the document's last page or another
    usage error."""
    started = time.time()
    inspect_file = functools.partial(
        parse_and_inspect_file, out_dir=out_dir, pages=pages, limits=limits, pdf_backend=pdf_backend, ocr=ocr
    )
    [result] = parse_in_workers([file], inspect_file, timeout=timeout, max_memory_mb=max_memory)
    _report_errors([result])
    beyond = pages_beyond(result, pages)
    if beyond:
        click.echo(f"{printable(str(file))}: has {result.source.pages} pages, no page {beyond[0]}", err=True)
        sys.exit(2)
    index = out_dir / INDEX_NAME
    if not index.is_file() or index.stat().st_mtime < started:  # the worker was stopped first
        inspect_result(result, out_dir)
    images = [p for p in out_dir.glob("page-*.png") if p.stat().st_mtime >= started]
    click.echo(
        f"wrote {out_dir / INDEX_NAME}" + (f" and {len(images)} page images" if images else ""), err=True
    )
    if result.error:
        sys.exit(1)


def _report_errors(results: Sequence[ParseResult]) -> None:
    """One line on standard error per file that could not be read, whatever else is written."""
    for result in results:
        if result.error is not None:
            click.echo(
                f"{printable(result.source.path)}: {result.error.code}: {printable(result.error.message)}",
                err=True,
            )


def _write_json(results: list[ParseResult], out: Path | None, *, single_file: bool) -> None:
    """To standard output, to the file ``out`` (one input), or one ``<name>.json`` per input in ``out``."""
    if out is None:
        sys.stdout.write(dumps(results[0]))
    elif single_file and out.suffix == ".json":
        write_text_atomic(out, dumps(results[0]))
    else:
        names = distinct_names([Path(result.source.path) for result in results])
        for result, name in zip(results, names, strict=True):
            write_text_atomic(out / f"{safe_file_name(name)}.json", dumps(result))


def distinct_names(paths: Sequence[Path]) -> list[str]:
    """A name per path, its file name unless another path has the same: then as many of its
    folders as tell them apart, joined with ``_`` (a/report.pdf, b/report.pdf → a_report.pdf,
    b_report.pdf), so that no output overwrites another; the same path twice is numbered."""
    depths = [1] * len(paths)
    while True:
        names = ["_".join(path.parts[-depth:]) for path, depth in zip(paths, depths, strict=True)]
        clashing = [i for i, name in enumerate(names) if names.count(name) > 1]
        longer = [i for i in clashing if depths[i] < len(paths[i].parts)]
        if not longer:
            return [f"{name}_{i + 1}" if i in clashing else name for i, name in enumerate(names)]
        for i in longer:
            depths[i] += 1


def tables_summary(result: ParseResult) -> str:
    """One file's tables, a line each: kind and why, where (pages, or a workbook's sheet and
    range), grid rows, records, self-checks."""
    source = result.source
    head = f"{printable(Path(source.path).name)} ({source.format or '?'}, {source.pages or '-'} pages)"
    if result.error:
        return f"{head}: error {result.error.code}: {printable(result.error.message)}"
    header = ("table", "kind", "confidence", "matched", "where", "rows", "records", "checks")
    rows: list[tuple[str, ...]] = [header]
    for t in result.tables:
        records = len(t.indicators) + len(t.funds) + len(t.fields) + len(t.cells)
        rows.append(
            (
                t.id,
                t.kind,
                f"{t.kind_confidence:.1f}",
                "+".join(t.kind_words) or "-",
                printable(f"{t.sheet}!{t.cell_range}") if t.sheet else _page_range(t.pages),
                str(t.grid.n_rows),
                str(records),
                f"{t.checks_held}/{t.checks_total}" if t.checks_total else "-",
            )
        )
    warnings = ", ".join(
        f"{code} x{count}" for code, count in Counter(w.code for w in result.warnings).items()
    )
    return f"{head}\n{aligned(rows)}\nwarnings: {warnings or 'none'}"


def _page_range(pages: Sequence[int]) -> str:
    if not pages:
        return "-"
    return str(pages[0]) if len(pages) == 1 else f"{pages[0]}-{pages[-1]}"


def summary_table(results: Sequence[ParseResult]) -> str:
    """A plain-text table: one line per file with its counts, errors and warnings."""
    header = ("file", "format", "tables", "indicators", "funds", "fields", "warnings", "status")
    rows: list[tuple[str, ...]] = [header]
    for r in results:
        rows.append(
            (
                printable(Path(r.source.path).name),
                r.source.format or "?",
                str(len(r.tables)),
                str(sum(len(t.indicators) for t in r.tables)),
                str(sum(len(t.funds) for t in r.tables)),
                str(sum(len(t.fields) for t in r.tables)),
                str(len(r.warnings)),
                f"error: {r.error.code}" if r.error else "ok",
            )
        )
    errors = sum(1 for r in results if r.error)
    rows.append(
        (
            f"total: {len(results)} files",
            "",
            *(str(sum(int(row[i]) for row in rows[1:])) for i in range(2, 7)),
            f"{errors} error(s)" if errors else "all ok",
        )
    )
    return aligned(rows)
