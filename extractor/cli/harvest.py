"""The commands over many files: ``batch``, ``crawl``, and ``report`` and ``export`` of the catalog
they write."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from extractor.cli.columns import aligned, display_width
from extractor.cli.options import (
    catalog_folder_option,
    catalog_url_option,
    limit_options,
    ocr_option,
    pdf_backend_option,
    worker_limit_options,
)
from extractor.errors import MissingDependency
from extractor.harvest.batch import BatchReport, Outcome, run_batch
from extractor.harvest.catalog import CatalogError, CatalogLocation, is_database_url
from extractor.harvest.catalog_export import EXPORT_FORMATS, export_catalog
from extractor.harvest.inputs import BatchError, InputFilter
from extractor.limits import DEFAULT_LIMITS, Limits
from extractor.look.report import (
    Reinspection,
    inspect_catalog,
    parse_and_inspect,
    write_inspection,
    write_report,
)
from extractor.names import printable
from extractor.pipeline import parse
from extractor.readers.ocr import DEFAULT_OCR
from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@catalog_folder_option("Folder of the catalog (catalog.sqlite), created if missing.", required=False)
@catalog_url_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Files parsed at the same time, one process each.  [default: one per core]",
)
@worker_limit_options
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
@click.option(
    "--include",
    multiple=True,
    metavar="GLOB",
    help="Take only the files of a folder matching GLOB (name or path under the folder; repeatable).",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Leave out the files of a folder matching GLOB (e.g. 'MANIFEST*'; repeatable).",
)
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Take a folder's links to files outside it too (by default they are left out, said in the "
    "summary; links to folders are never followed).",
)
@pdf_backend_option
@ocr_option
@limit_options
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
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    follow_symlinks: bool,
    pdf_backend: str,
    ocr: str,
    limits: Limits,
) -> None:
    """Parse many files into one catalog (OUT/catalog.sqlite, or --catalog), in parallel and resumably.

    INPUTS are files, folders (searched recursively for .pdf .doc .docx .rtf .xls .xlsx
    .xlsm .html .htm .txt .tsv, and scans: .png .jpg .jpeg .tif .tiff, read by OCR; filtered by
    --include and --exclude; a .txt or .tsv only when
    it holds tab-separated rows of figures, so a MANIFEST.tsv or a log is left out, said in the
    summary) and lists of paths, one a line (@list.txt or a .lst file; URLs in a list end with
    the error unsupported_source for now).

    A file the catalog already holds for this extractor version (same sha256) is skipped,
    so a stopped batch started again goes on where it was; --retry-failed parses again the
    files that failed (a timeout on a busy night), --force everything.
    Each file is parsed in a worker process with a time and memory limit; a file that
    exceeds them, or fails in any way, gets a coded error in the catalog and the batch goes
    on. Exit status: 0 even when files failed (their errors are in the catalog and the
    summary), 1 when the catalog cannot be written or a list of paths read, 2 for a usage
    error. Progress goes to standard error: a progress line on a
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
    parse_file = functools.partial(parse, limits=limits, pdf_backend=pdf_backend, ocr=ocr)
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
            parse_and_inspect, out_dir=out_dir, limits=limits, pdf_backend=pdf_backend, ocr=ocr
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
            taken=InputFilter(include=include, exclude=exclude, follow_links=follow_symlinks),
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
        sys.stderr.write("\r" + line + " " * max(0, self._width - display_width(line)))
        sys.stderr.flush()
        self._width = display_width(line)

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


@click.command("crawl")
@click.argument("seeds", nargs=-1, required=True)
@catalog_folder_option(
    "Folder of the downloads (files/), crawl state and catalog, created if missing.", required=True
)
@catalog_url_option
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="HOST[:PORT]|URL",
    help="Also follow links and redirects to this host: HOST (http and https on their default ports), "
    "HOST:PORT (that port only, http or https) or SCHEME://HOST:PORT (that origin only); repeatable.",
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
    default=60.0,
    show_default=True,
    help="Seconds one request may take in all (connecting, the answer, the whole body; robots.txt "
    "too); then it is dropped as timeout.",
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
    help="Largest document downloaded, counted once inflated; a larger one is abandoned as too_large.",
)
@click.option(
    "--max-urls",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Most URLs one crawl fetches or records (seeds and bad links included); the summary says "
    "how many links were left.",
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
    max_urls: int,
    workers: int | None,
) -> None:
    """Download the documents listing pages link to, then parse them into OUT/catalog.sqlite
    (or the --catalog database).

    SEEDS are listing-page URLs or files of them (one a line). Links to .pdf .doc .docx .xls
    .xlsx .html .htm on the seeds' origins (scheme, host and port; http:80 and https:443 of a
    host count as one) and on --allow-host ones are followed, to --depth links from a seed;
    redirects only within them, checked at every hop (robots.txt's too); robots.txt honoured.
    A page is searched for links when its Content-Type or content says HTML, whatever its name;
    each is kept and parsed as a document too. Every request ends within --timeout and every
    body at --max-bytes; a malformed link is recorded as bad_url and the crawl goes on; at most
    --max-urls URLs in all. Documents go to OUT/files/ by sha256, each with a JSON sidecar
    naming its URL; ETag/Last-Modified are kept in OUT/crawl_state.json so that a second crawl
    downloads only what changed. One JSON line per URL goes to standard error (url, status,
    message), then the batch's progress and summary.

    Exit status: 0 whatever became of each URL and file (the summary says), 1 for seeds or
    --allow-host values that cannot be used or a catalog that cannot be written, 2 for a usage
    error.
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
        allow_hosts=frozenset(allow_hosts),
        depth=depth,
        delay=delay,
        timeout=request_timeout,
        retries=retries,
        max_bytes=max_bytes,
        max_urls=max_urls,
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
                parse_and_inspect,
                out_dir=out_dir,
                limits=DEFAULT_LIMITS,
                pdf_backend=DEFAULT_PDF_BACKEND,
                ocr=DEFAULT_OCR,
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
    if report.not_followed:
        click.echo(
            f"stopped at --max-urls {max_urls}: {report.not_followed} more links not followed "
            "(raise --max-urls to follow them)",
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


@click.command("report")
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
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Documents inspected at the same time with --inspect, one process each.  [default: one per core]",
)
@worker_limit_options
def report_command(
    location: str,
    out_dir: Path | None,
    inspect_again: bool,
    workers: int | None,
    timeout: float,
    max_memory: int,
) -> None:
    """Write one static HTML page for the catalog of a batch (DIR/catalog.sqlite or a
    postgresql:// URL): documents with status and error codes, tables by kind, failed
    self-checks, the slowest files, each linked to its inspection page.

    With --inspect every document is parsed again in worker processes, as in batch (the same
    time and memory limit per file: --timeout, --max-memory), to write its inspection page with
    page images. Progress
    goes to standard error as batch's does, then a summary with one line per document that
    failed (file: code: message); a failed document never stops the others.

    Exit status: 0 when the page is written, also when documents failed, 1 when the catalog
    cannot be read, 2 for a usage error."""
    catalog_at: CatalogLocation = location if is_database_url(location) else Path(location)
    if out_dir is None:
        if is_database_url(location):
            raise click.UsageError("a PostgreSQL catalog needs --out DIR for its report")
        out_dir = Path(location)
    if workers is not None and not inspect_again:
        raise click.UsageError("--workers is for --inspect")
    if inspect_again:
        progress = _TerminalProgress() if sys.stderr.isatty() else _json_progress
        try:
            done = inspect_catalog(
                catalog_at,
                out_dir,
                workers=workers,
                timeout=timeout,
                max_memory_mb=max_memory,
                on_outcome=progress,
            )
        except CatalogError as exc:
            raise click.ClickException(exc.message) from exc
        finally:
            if isinstance(progress, _TerminalProgress):
                progress.clear()
        click.echo(inspection_summary(done), err=True)
    _write_report(catalog_at, out_dir)


def inspection_summary(done: Reinspection) -> str:
    """Documents inspected, done and failed, wall time; a line per failure and per file left out."""
    errors = [(o.origin, o.result.error) for o in done.outcomes if o.result and o.result.error]
    lines = [
        f"{len(done.outcomes)} documents inspected: {len(done.outcomes) - len(errors)} done, "
        f"{len(errors)} failed; {done.seconds:.1f} s"
    ]
    lines.extend(f"{printable(origin)}: {e.code}: {printable(e.message)}" for origin, e in errors)
    lines.extend(f"left out: {printable(origin)}: {why}" for origin, why in done.left_out)
    return "\n".join(lines)


@click.command("export")
@click.argument("location", metavar="DIR|URL")
@click.option(
    "--to",
    "to",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="csv or parquet: one file per table (documents, origins, tables, warnings, indicators, "
    "indicators_wide, funds, fields, cells); "
    "xlsx: one workbook with a sheet per table.",
)
@click.option(
    "--out",
    "dest",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into.  [default: DIR/export; needed for a URL]",
)
def export_command(location: str, to: str, dest: Path | None) -> None:
    """Write the catalog of a batch (DIR/catalog.sqlite, or a postgresql:// URL) as flat datasets.

    Exit status: 0 when every file is written, 1 when the catalog cannot be read or a file
    written, 2 for a usage error."""
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
    lines.append(aligned(rows))
    records = ", ".join(
        f"{name} {report.records[name]}" for name in ("indicators", "funds", "fields", "cells")
    )
    lines.append(f"records: {records}")
    errors = report.errors_by_code()
    lines.append("errors: " + (", ".join(f"{code} x{n}" for code, n in sorted(errors.items())) or "none"))
    lines.extend(f"left out: {printable(origin)}: {why}" for origin, why in report.left_out)
    return "\n".join(lines)
