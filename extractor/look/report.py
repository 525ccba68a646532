"""One static HTML page for a run: what the catalog holds, and links to each document's inspection.

``report.html`` lists the documents with their status and error code, counts tables by
kind and errors by code, lists the failed self-checks and the slowest files, and links each
document to its page under ``inspect/`` (``extractor.look.inspect``). It is built from the
catalog alone, so it describes every run that wrote into it; the inspection pages come from
the workers of the batch that parsed them (``parse_and_inspect``) or from parsing the
documents again, with page images, in the batch's worker pool (``inspect_catalog``, for
``extractor report --inspect``).
"""

from __future__ import annotations

import functools
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import UnsupportedSource
from extractor.export import write_text_atomic
from extractor.harvest.batch import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_S, Job, Outcome, local_pool
from extractor.harvest.catalog import Catalog, CatalogLocation
from extractor.harvest.inputs import Item
from extractor.limits import Limits
from extractor.look.html_pages import bullet_list, esc, page, table
from extractor.look.inspect import INDEX_NAME, PAGED_FORMATS, inspect_result, inspection_folder_name
from extractor.names import utf8_text
from extractor.pipeline import parse
from extractor.readers.files import file_sha256
from extractor.records import ParseResult

log = logging.getLogger(__name__)

REPORT_NAME = "report.html"
INSPECT_DIR = "inspect"
SLOWEST = 10


@dataclass(frozen=True)
class DocumentRow:
    origin: str
    file_name: str
    sha256: str
    format: str
    pages: int | None
    status: str
    error_code: str
    error_message: str
    warnings: int
    tables: int
    seconds: float


def write_inspection(result: ParseResult, out_dir: Path, *, images: bool = False) -> None:
    """The inspection page of one result under ``out_dir/inspect/``; page images only with
    ``images`` (they need the PDF rendered again)."""
    name = inspection_folder_name(Path(result.source.path).name, result.source.sha256)
    pdf = Path(result.source.path) if images and result.source.format in PAGED_FORMATS else None
    inspect_result(
        result, out_dir / INSPECT_DIR / name, pdf_path=pdf if pdf is not None and pdf.is_file() else None
    )


def parse_and_inspect(
    path: Path, *, out_dir: Path, limits: Limits, pdf_backend: str, ocr: str
) -> ParseResult:
    """``parse``, then the result's inspection page, in the batch worker that parsed the file:
    the parent, which alone writes the catalog, then has only ``report.html`` left to write.
    The result goes back without its grids, which the catalog does not keep and which are
    most of what the parent would otherwise unpickle. A page that cannot be written costs the
    page, never the result."""
    result = parse(path, limits=limits, pdf_backend=pdf_backend, ocr=ocr)
    try:
        write_inspection(result, out_dir)
    except OSError as exc:
        log.warning("cannot write the inspection page of %s: %s", utf8_text(path), exc)
    return result.without_grids()


def inspect_with_images(path: Path, *, out_dir: Path) -> ParseResult:
    """``parse``, then the inspection page with its page images, in a worker of
    ``inspect_catalog``. Only the source and error go back: the parent reports progress."""
    result = parse(path)
    write_inspection(result, out_dir, images=True)
    return ParseResult(source=result.source, error=result.error)


@dataclass(frozen=True)
class Reinspection:
    """What ``inspect_catalog`` did: each document's outcome, in the order they finished, the
    origins left out with why (the file is gone, or is no regular file now), and the wall time."""

    outcomes: tuple[Outcome, ...]
    left_out: tuple[tuple[str, str], ...]
    seconds: float


def inspect_catalog(
    location: CatalogLocation,
    out_dir: Path,
    *,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
    on_outcome: Callable[[Outcome, int, int], None] | None = None,
) -> Reinspection:
    """Parse again every document the catalog at ``location`` names whose file still exists
    and write its inspection page with page images under ``out_dir/inspect/``, in the batch's
    pool of worker processes (one per core unless ``workers``, ``timeout`` and ``max_memory_mb``
    per file as in a batch); ``on_outcome(outcome, position, total)`` as each finishes. A document that
    fails, in its parse or its pages, gets its error in its outcome; the others go on. Files of
    the same name and content would write one folder: the first is inspected. Raises
    ``CatalogError`` when the catalog cannot be read."""
    started = time.monotonic()
    with Catalog.open(location, create=False) as catalog:
        origins = [str(o) for (o,) in catalog.select("SELECT origin FROM documents ORDER BY id")]
    jobs: dict[str, Job] = {}
    left_out: list[tuple[str, str]] = []
    for origin in dict.fromkeys(origins):
        path = Path(origin)
        try:
            sha256, size = file_sha256(path), path.stat().st_size
        except OSError as exc:  # moved, deleted, or never a file (a URL)
            left_out.append((origin, exc.strerror or str(exc)))
            continue
        except UnsupportedSource:  # a device, a pipe, a socket (or a folder) there now
            left_out.append((origin, "not a regular file"))
            continue
        job = Job(item=Item(origin=origin, path=path), path=path, sha256=sha256, size=size)
        jobs.setdefault(inspection_folder_name(path.name, sha256), job)
    outcomes: list[Outcome] = []

    def record(job: Job, result: ParseResult, seconds: float) -> None:
        status = "failed" if result.error else "done"
        outcomes.append(Outcome(origin=job.item.origin, status=status, result=result, seconds=seconds))
        if on_outcome is not None:
            on_outcome(outcomes[-1], len(outcomes), len(jobs))

    inspect_file = functools.partial(inspect_with_images, out_dir=out_dir)
    run = local_pool(
        inspect_file, workers=workers, jobs=len(jobs), timeout=timeout, max_memory_mb=max_memory_mb
    )
    run(list(jobs.values()), record)
    return Reinspection(
        outcomes=tuple(outcomes), left_out=tuple(left_out), seconds=time.monotonic() - started
    )


def write_report(location: CatalogLocation, out_dir: Path) -> Path:
    """``out_dir/report.html`` from the catalog at ``location``; returns its path."""
    with Catalog.open(location, create=False) as catalog:
        documents = [
            DocumentRow(*row)  # type: ignore[arg-type]
            for row in catalog.select(
                "SELECT origin, file_name, coalesce(sha256, ''), coalesce(format, ''), pages, status, "
                "coalesce(error_code, ''), coalesce(error_message, ''), warnings, tables, seconds "
                "FROM documents ORDER BY id"
            )
        ]
        kinds = catalog.select(
            "SELECT kind, count(*) FROM doc_tables GROUP BY kind ORDER BY count(*) DESC, kind"
        )
        checks = catalog.select(
            "SELECT d.file_name, coalesce(d.sha256, ''), w.table_id, w.page, w.message FROM warnings AS w "
            "JOIN documents AS d ON d.id = w.document_id WHERE w.code = 'check_failed' ORDER BY d.id, w.seq"
        )
    body = [
        "<h1>extractor run report</h1>",
        _summary(documents, kinds),
        "<h2>Failed self-checks</h2>",
        table(
            ("document", "table", "page", "what"),
            ((_link(out_dir, str(n), str(s), str(n)), t, p or "", m) for n, s, t, p, m in checks),
            raw=(0,),
        )
        if checks
        else "<p>none</p>",
        "<h2>Slowest files</h2>",
        _documents_table(out_dir, sorted(documents, key=lambda d: -d.seconds)[:SLOWEST]),
        "<h2>Documents</h2>",
        _documents_table(out_dir, documents),
    ]
    target = out_dir / REPORT_NAME
    write_text_atomic(target, page("extractor run report", "\n".join(body)))
    return target


def _summary(documents: list[DocumentRow], kinds: Sequence[Sequence[object]]) -> str:
    errors = Counter(d.error_code for d in documents if d.status == "error")
    ok = sum(1 for d in documents if d.status == "ok")
    lines = [
        f'<p>{len(documents)} documents: <span class="ok">{ok} ok</span>, '
        f'<span class="error">{len(documents) - ok} with an error</span>; '
        f"{sum(d.tables for d in documents)} tables, {sum(d.warnings for d in documents)} warnings.</p>",
        "<h2>Tables by kind</h2>",
        table(("kind", "tables"), kinds, numeric=(1,)),
        "<h2>Errors by code</h2>",
        bullet_list((f"<b>{esc(code)}</b> × {n}" for code, n in errors.most_common())) or "<p>none</p>",
    ]
    return "\n".join(lines)


def _documents_table(out_dir: Path, documents: list[DocumentRow]) -> str:
    return table(
        ("document", "format", "pages", "status", "error", "tables", "warnings", "seconds", "origin"),
        (
            (
                _link(out_dir, d.file_name, d.sha256, d.file_name),
                d.format,
                d.pages or "",
                d.status,
                f"{d.error_code}: {d.error_message}" if d.error_code else "",
                d.tables,
                d.warnings,
                f"{d.seconds:.2f}",
                d.origin,
            )
            for d in documents
        ),
        numeric=(2, 5, 6, 7),
        raw=(0,),
    )


def _link(out_dir: Path, file_name: str, sha256: str, text: str) -> str:
    """A link to the document's inspection page where one was written, else the plain name."""
    relative = f"{INSPECT_DIR}/{inspection_folder_name(file_name, sha256)}/{INDEX_NAME}"
    if (out_dir / relative).is_file():
        return f'<a href="{esc(relative)}">{esc(text)}</a>'
    return esc(text)
