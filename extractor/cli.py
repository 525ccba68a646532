"""The ``extractor`` command. User errors end as one clean line and exit 1, never a traceback."""

from __future__ import annotations

import functools
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from extractor import __version__
from extractor.errors import MissingDependency
from extractor.export import dumps, write_csvs, write_text_atomic
from extractor.harvest.batch import (
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT_S,
    BatchError,
    BatchReport,
    Outcome,
    run_batch,
)
from extractor.harvest.catalog import (
    EXPORT_FORMATS,
    Catalog,
    CatalogError,
    CatalogLocation,
    export_catalog,
    is_database_url,
)
from extractor.limits import DEFAULT_LIMITS, LIMIT_OPTIONS, Limits
from extractor.look.inspect import inspect_result
from extractor.look.report import parse_and_inspect, write_inspection, write_report
from extractor.names import printable, safe_file_name
from extractor.pipeline import parse
from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND, PDF_BACKENDS
from extractor.records import ParseResult

F = TypeVar("F", bound=Callable[..., Any])

_LIMIT_HELP = {
    "max_file_mb": "Largest file read, in MB.",
    "max_unzipped_mb": "Largest .docx / .xlsx package unzipped, in MB (zip bombs).",
    "max_pages": "Most pages of a PDF.",
    "max_cells": "Most table cells in a document (and cells stored in a workbook).",
}


def _limit_options(command: F) -> F:
    """The per-file limits (``extractor.limits``) as options, handed to the command as ``limits``;
    a file beyond one ends with the error too_large, naming the option."""

    @functools.wraps(command)
    def with_limits(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in LIMIT_OPTIONS}
        return command(*args, limits=Limits(**values), **kwargs)

    decorated: Callable[..., Any] = with_limits
    for name, option in reversed(LIMIT_OPTIONS.items()):
        decorated = click.option(
            option,
            name,
            type=click.IntRange(min=1),
            default=getattr(DEFAULT_LIMITS, name),
            show_default=True,
            help=_LIMIT_HELP[name],
        )(decorated)
    return cast(F, decorated)


@click.group()
@click.version_option(__version__, prog_name="extractor")
def main() -> None:
    """Structured data from Chinese budget and performance-target tables."""


def _pdf_backend_option(command: F) -> F:
    """``--pdf-backend``: the library that reads PDF pages (both give the same tables)."""
    return click.option(
        "--pdf-backend",
        type=click.Choice(PDF_BACKENDS),
        default=DEFAULT_PDF_BACKEND,
        show_default=True,
        help="Library that reads PDF pages: pdfium (fast) or pdfplumber (pdfminer, the reference); "
        "both give the same tables.",
    )(command)


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--to",
    "output_formats",
    type=click.Choice(["json", "csv"]),
    multiple=True,
    default=("json",),
    show_default=True,
    help="json: one result per file (CONTRACT §1); csv: indicators/funds/fields/cells.csv. "
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
@_pdf_backend_option
@_limit_options
def parse_command(
    files: tuple[Path, ...],
    output_formats: tuple[str, ...],
    out: Path | None,
    summary: bool,
    pdf_backend: str,
    limits: Limits,
) -> None:
    """Parse FILES (PDF, .docx, .xlsx, .xls, HTML or pasted text) into tables and records.

    With one file and no --out the JSON goes to standard output. The exit status is 1
    when any file ended with an error; the other files are still written.
    """
    if "csv" in output_formats and out is None:
        raise click.UsageError("--to csv writes several files: give the folder with --out DIR")
    if len(files) > 1 and out is None and not summary:
        raise click.UsageError("several files give several JSON results: give a folder with --out DIR")
    results = [parse(path, limits=limits, pdf_backend=pdf_backend) for path in files]
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


def _catalog_folder_option(help_text: str, *, required: bool) -> Callable[[F], F]:
    """``--out DIR``: the folder a command keeps its catalog in (batch and crawl share it)."""
    return click.option(
        "--out",
        "out_dir",
        required=required,
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


def _catalog_url_option(f: F) -> F:
    """``--catalog URL``: a PostgreSQL database instead of the folder's catalog.sqlite."""
    return click.option(
        "--catalog",
        "catalog_url",
        metavar="postgresql://…",
        callback=_check_database_url,
        help="Write the catalog into this PostgreSQL database (pip install 'extractor[postgres]') "
        "instead of OUT/catalog.sqlite. Keep the password out of the URL: libpq reads "
        "PGPASSWORD and ~/.pgpass.",
    )(f)


def _check_database_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not is_database_url(value):
        raise click.BadParameter("expected a postgresql:// URL")
    return value


@main.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@_catalog_folder_option("Folder of the catalog (catalog.sqlite), created if missing.", required=False)
@_catalog_url_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Files parsed at the same time, one process each.  [default: one per core]",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds one file may take; then its worker is stopped and the file gets the error timeout.",
)
@click.option(
    "--max-memory",
    type=click.IntRange(min=64),
    default=DEFAULT_MAX_MEMORY_MB,
    show_default=True,
    help="Megabytes of address space per worker; a file needing more gets the error too_large.",
)
@click.option("--force", is_flag=True, help="Parse again the files the catalog already holds.")
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Parse again the files the catalog holds with an error (a timeout on a busy night …).",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="Parse on this running Dask cluster instead of local workers (pip install 'extractor[dask]').",
)
@click.option(
    "--dask-local",
    type=click.IntRange(min=1),
    metavar="N",
    help="Parse on a Dask cluster of N worker processes started for the run on 127.0.0.1.",
)
@_pdf_backend_option
@_limit_options
def batch_command(
    inputs: tuple[str, ...],
    out_dir: Path | None,
    catalog_url: str | None,
    workers: int | None,
    timeout: float,
    max_memory: int,
    force: bool,
    retry_failed: bool,
    scheduler: str | None,
    dask_local: int | None,
    pdf_backend: str,
    limits: Limits,
) -> None:
    """Parse many files into one catalog (OUT/catalog.sqlite, or --catalog), in parallel and resumably.

    INPUTS are files, folders (searched recursively for .pdf .doc .docx .rtf .xls .xlsx
    .xlsm .html .htm .txt .tsv) and lists of paths, one a line (@list.txt or a .lst file;
    URLs in a list end with the error unsupported_source for now).

    A file the catalog already holds for this extractor version (same sha256) is skipped,
    so a stopped batch started again goes on where it was; --retry-failed parses again the
    files that failed (a timeout on a busy night), --force everything.
    Each file is parsed in a worker process with a time and memory limit; a file that
    exceeds them, or fails in any way, gets a coded error in the catalog and the batch goes
    on. Per-file errors do not change the exit status: it is 1 only for a usage error or a
    catalog that cannot be written. Progress goes to standard error: a progress line on a
    terminal, otherwise one JSON line per file (file, status, error, seconds); a summary
    follows at the end. `extractor export OUT --to csv` writes the datasets.

    With --scheduler or --dask-local the files are parsed on Dask instead (the cluster's
    workers, --timeout per file; --max-memory is the local pool's, Dask workers keep their
    own memory limit); this process still writes the catalog.
    """
    # Imported here so that the batch command's Dask option stays one local block.
    from extractor.harvest.distributed import DaskRunner

    catalog_at = catalog_url or out_dir
    if catalog_at is None or (out_dir is not None and catalog_url is not None):
        raise click.UsageError("give --out DIR (a SQLite catalog in it) or --catalog URL (PostgreSQL)")
    if scheduler is not None and dask_local is not None:
        raise click.UsageError("give --scheduler or --dask-local, not both")
    if workers is not None and (scheduler is not None or dask_local is not None):
        raise click.UsageError("--workers is for the local pool; a Dask cluster has its own workers")
    # Workers and Dask tasks import ``parse`` by name; the options travel with it.
    parse_file = functools.partial(parse, limits=limits, pdf_backend=pdf_backend)
    on_dask = scheduler is not None or dask_local is not None
    run_jobs = None
    if on_dask:
        try:
            run_jobs = DaskRunner(
                scheduler=scheduler, local_workers=dask_local, timeout=timeout, parse_file=parse_file
            )
        except MissingDependency as exc:
            raise click.ClickException(exc.message) from exc
    elif out_dir is not None:
        # Local workers also write the inspection pages of their files, for the report; a
        # Dask worker may be on another machine, so then this process writes them.
        parse_file = functools.partial(
            parse_and_inspect, out_dir=out_dir, limits=limits, pdf_backend=pdf_backend
        )
    progress = _TerminalProgress() if sys.stderr.isatty() else _json_progress

    def on_outcome(outcome: Outcome, position: int, total: int) -> None:
        # Results from Dask come here with their grids: their inspection pages are written
        # now, as the report keeps no result.
        if on_dask and out_dir is not None and outcome.result is not None:
            write_inspection(outcome.result, out_dir)
        progress(outcome, position, total)

    try:
        report = run_batch(
            inputs,
            catalog_at,
            workers=workers,
            timeout=timeout,
            max_memory_mb=max_memory,
            force=force,
            retry_failed=retry_failed,
            keep_results=False,
            on_outcome=on_outcome,
            run_jobs=run_jobs,
            parse_file=parse_file,
        )
    except BatchError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if isinstance(progress, _TerminalProgress):
            progress.clear()
    click.echo(batch_summary(report), err=True)
    if out_dir is not None:
        _write_report(catalog_at, out_dir)


class _TerminalProgress:
    """``[12/57] name`` rewritten in place on one line."""

    def __init__(self) -> None:
        self._width = 0

    def __call__(self, outcome: Outcome, position: int, total: int) -> None:
        line = f"[{position}/{total}] {printable(Path(outcome.origin).name)}"
        if outcome.error_code:
            line += f": {outcome.error_code}"
        sys.stderr.write("\r" + line + " " * max(0, self._width - _width(line)))
        sys.stderr.flush()
        self._width = _width(line)

    def clear(self) -> None:
        if self._width:
            sys.stderr.write("\r" + " " * self._width + "\r")
            sys.stderr.flush()


def _json_progress(outcome: Outcome, position: int, total: int) -> None:
    """One JSON line per file, for logs: file, status, error code, seconds."""
    record = {
        "file": outcome.origin,
        "status": outcome.status,
        "error": outcome.error_code,
        "seconds": round(outcome.seconds, 3),
        "position": position,
        "total": total,
    }
    sys.stderr.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stderr.flush()


@main.command("crawl")
@click.argument("seeds", nargs=-1, required=True)
@_catalog_folder_option(
    "Folder of the downloads (files/), crawl state and catalog, created if missing.", required=True
)
@_catalog_url_option
@click.option(
    "--allow-host", "allow_hosts", multiple=True, help="A host to follow links to besides the seeds' hosts."
)
@click.option(
    "--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Links to follow from a seed."
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between requests to one host.",
)
@click.option(
    "--timeout",
    "request_timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds to wait for an answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0, max=10),
    default=2,
    show_default=True,
    help="Tries again on 5xx and timeouts.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=100 * 1024 * 1024,
    show_default=True,
    help="Largest document downloaded; a larger one is abandoned as too_large.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), help="Files parsed at the same time.  [default: one per core]"
)
def crawl_command(
    seeds: tuple[str, ...],
    out_dir: Path,
    catalog_url: str | None,
    allow_hosts: tuple[str, ...],
    depth: int,
    delay: float,
    request_timeout: float,
    retries: int,
    max_bytes: int,
    workers: int | None,
) -> None:
    """Download the documents listing pages link to, then parse them into OUT/catalog.sqlite
    (or the --catalog database).

    SEEDS are listing-page URLs or files of them (one a line). Links to .pdf .doc .docx .xls
    .xlsx .html .htm on the seeds' hosts (and --allow-host ones) are followed, robots.txt
    honoured; each listing page is kept and parsed as a document too. Documents go to
    OUT/files/ by sha256, each with a JSON sidecar naming its URL; ETag/Last-Modified are kept
    in OUT/crawl_state.json so that a second crawl downloads only what changed. One JSON line
    per URL goes to standard error (url, status, message), then the batch's progress and summary.
    """
    try:
        from extractor.harvest.crawl import CrawlError, CrawlSettings, Fetch, crawl
    except MissingDependency as exc:
        raise click.ClickException(exc.message) from exc

    def on_fetch(fetch: Fetch) -> None:
        record = {"url": fetch.url, "status": fetch.status, "message": fetch.message or None}
        sys.stderr.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stderr.flush()

    settings = CrawlSettings(
        allow_hosts=frozenset(h.lower() for h in allow_hosts),
        depth=depth,
        delay=delay,
        timeout=request_timeout,
        retries=retries,
        max_bytes=max_bytes,
    )
    try:
        report = crawl(
            seeds,
            out_dir,
            settings,
            catalog_at=catalog_url,
            on_fetch=on_fetch,
            on_outcome=_json_progress,
            workers=workers,
            # As in batch: the workers write the inspection pages; the report keeps no results.
            parse_file=functools.partial(
                parse_and_inspect, out_dir=out_dir, limits=DEFAULT_LIMITS, pdf_backend=DEFAULT_PDF_BACKEND
            ),
            keep_results=False,
        )
    except (CrawlError, BatchError) as exc:
        raise click.ClickException(str(exc)) from exc
    failures = ", ".join(f"{code} x{n}" for code, n in sorted(report.failures().items())) or "none"
    click.echo(
        f"{len(report.fetches)} URLs: {report.count('downloaded')} downloaded, "
        f"{report.count('unchanged')} unchanged; failed: {failures}",
        err=True,
    )
    if report.batch is not None:
        click.echo(batch_summary(report.batch), err=True)
        _write_report(catalog_url or out_dir, out_dir)


def _write_report(catalog_at: CatalogLocation, out_dir: Path) -> None:
    """OUT/report.html over the whole catalog, its path printed."""
    try:
        path = write_report(catalog_at, out_dir)
    except CatalogError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"report: {path}", err=True)


@main.command("inspect")
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
@_pdf_backend_option
@_limit_options
def inspect_command(
    file: Path, out_dir: Path, pages: tuple[int, ...], pdf_backend: str, limits: Limits
) -> None:
    """See what the pipeline saw in FILE: OUT/index.html with every table as rebuilt (real
    spans, what each row was read as, the records beside the raw text, the warnings), and for a
    PDF each page as OUT/page-N.png with the table and cell boxes drawn on it."""
    result = parse(file, limits=limits, pdf_backend=pdf_backend)
    inspection = inspect_result(result, out_dir, pdf_path=file, pages=pages or None)
    click.echo(
        f"wrote {inspection.html}"
        + (f" and {len(inspection.images)} page images" if inspection.images else ""),
        err=True,
    )
    if result.error:
        sys.exit(1)


@main.command("report")
@click.argument("location", metavar="DIR|URL")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write report.html into.  [default: DIR; needed for a URL]",
)
@click.option(
    "--inspect",
    "inspect_again",
    is_flag=True,
    help="Parse every document the catalog names again (where its file still exists) to write "
    "its inspection page, with page images for PDFs.",
)
def report_command(location: str, out_dir: Path | None, inspect_again: bool) -> None:
    """Write one static HTML page for the catalog of a batch (DIR/catalog.sqlite or a
    postgresql:// URL): documents with status and error codes, tables by kind, failed
    self-checks, the slowest files, each linked to its inspection page."""
    catalog_at: CatalogLocation = location if is_database_url(location) else Path(location)
    if out_dir is None:
        if is_database_url(location):
            raise click.UsageError("a PostgreSQL catalog needs --out DIR for its report")
        out_dir = Path(location)
    if inspect_again:
        try:
            with Catalog.open(catalog_at, create=False) as catalog:
                origins = [str(o) for (o,) in catalog.select("SELECT origin FROM documents ORDER BY id")]
        except CatalogError as exc:
            raise click.ClickException(exc.message) from exc
        existing = [Path(o) for o in origins if Path(o).is_file()]
        for path in existing:
            write_inspection(parse(path), out_dir, images=True)
    _write_report(catalog_at, out_dir)


@main.command("export")
@click.argument("location", metavar="DIR|URL")
@click.option(
    "--to",
    "to",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="csv or parquet: one file per table (documents, indicators, funds, fields, cells); "
    "xlsx: one workbook with a sheet per table.",
)
@click.option(
    "--out",
    "dest",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into.  [default: DIR/export; needed for a URL]",
)
def export_command(location: str, to: str, dest: Path | None) -> None:
    """Write the catalog of a batch (DIR/catalog.sqlite, or a postgresql:// URL) as flat datasets."""
    try:
        written = export_catalog(location if is_database_url(location) else Path(location), to, dest)
    except (CatalogError, MissingDependency) as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"wrote {', '.join(p.name for p in written)} to {written[0].parent}", err=True)


def batch_summary(report: BatchReport) -> str:
    """Files done / skipped / failed, tables by kind, records and errors by code, wall time."""
    files = len(report.outcomes)
    rate = f", {files / report.seconds:.1f} files/s" if report.seconds > 0 else ""
    lines = [
        f"{files} files: {report.count('done')} done, {report.count('skipped')} skipped "
        f"(already in the catalog), {report.count('failed')} failed; {report.seconds:.1f} s{rate}"
    ]
    kinds = report.tables_by_kind
    rows: list[tuple[str, ...]] = [("table kind", "tables")]
    rows.extend((kind, str(n)) for kind, n in sorted(kinds.items()))
    rows.append((f"total: {report.parsed} files parsed", str(sum(kinds.values()))))
    lines.append(_aligned(rows))
    records = ", ".join(
        f"{name} {report.records[name]}" for name in ("indicators", "funds", "fields", "cells")
    )
    lines.append(f"records: {records}")
    errors = report.errors_by_code()
    lines.append("errors: " + (", ".join(f"{code} x{n}" for code, n in sorted(errors.items())) or "none"))
    return "\n".join(lines)


def _write_json(results: list[ParseResult], out: Path | None, *, single_file: bool) -> None:
    """To standard output, to the file ``out`` (one input), or one ``<name>.json`` per input in ``out``."""
    if out is None:
        sys.stdout.write(dumps(results[0]))
    elif single_file and out.suffix == ".json":
        write_text_atomic(out, dumps(results[0]))
    else:
        for result in results:
            write_text_atomic(out / f"{safe_file_name(Path(result.source.path).name)}.json", dumps(result))


def tables_summary(result: ParseResult) -> str:
    """One file's tables, a line each: kind and why, pages, grid rows, records, self-checks."""
    source = result.source
    head = f"{printable(Path(source.path).name)} ({source.format or '?'}, {source.pages or '-'} pages)"
    if result.error:
        return f"{head}: error {result.error.code}: {printable(result.error.message)}"
    header = ("table", "kind", "confidence", "matched", "pages", "rows", "records", "checks")
    rows: list[tuple[str, ...]] = [header]
    for t in result.tables:
        records = len(t.indicators) + len(t.funds) + len(t.fields) + len(t.cells)
        rows.append(
            (
                t.id,
                t.kind,
                f"{t.kind_confidence:.1f}",
                "+".join(t.kind_words) or "-",
                _page_range(t.pages),
                str(t.grid.n_rows),
                str(records),
                f"{t.checks_held}/{t.checks_total}" if t.checks_total else "-",
            )
        )
    warnings = ", ".join(
        f"{code} x{count}" for code, count in Counter(w.code for w in result.warnings).items()
    )
    return f"{head}\n{_aligned(rows)}\nwarnings: {warnings or 'none'}"


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
    return _aligned(rows)


def _aligned(rows: Sequence[tuple[str, ...]]) -> str:
    """Rows as columns padded to their widest cell."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
