"""Many files into one catalog: parallel workers, a time and memory limit per file, resumable.

Each file is parsed in a worker process, never in the parent, so that a file that hangs or
exhausts memory costs only that file: the parent kills the worker at the file's deadline,
gives the file the error ``timeout`` (or ``too_large`` / ``internal_error`` when the worker
died), starts a fresh worker and goes on. Results come back over a pipe to the one parent,
which alone writes the catalog, one transaction per document. A file whose sha256 is in the
catalog for this extractor version is skipped, so a batch killed at any moment and started
again picks up where it stopped.

Workers are long-lived (a spawned Python with the pipeline imported and jieba's dictionary
loaded is worth keeping), one file in flight each; a worker reports ``started`` when it takes
a file, and only then does that file's clock run, so start-up time never counts against it.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import math
import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from extractor import __version__
from extractor.errors import MissingDependency, UnsupportedSource
from extractor.harvest.catalog import Catalog, CatalogError, CatalogLocation, Published
from extractor.harvest.inputs import TAKE_ALL, BatchError, InputFilter, Item, collect_inputs
from extractor.names import utf8_text
from extractor.pipeline import OUT_OF_MEMORY, parse
from extractor.readers.files import file_sha256
from extractor.records import ErrorInfo, ParseResult, Source

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MAX_MEMORY_MB = 2048
#: How long a new worker may take to start (import the pipeline) before its first file's clock
#: runs anyway; guards against a worker that never comes up.
STARTUP_GRACE_S = 60.0
#: How long after the parent's deadline a worker ends itself, should the parent not stop it.
WORKER_DEADLINE_MARGIN_S = 30.0
_PR_SET_PDEATHSIG = 1

ParseFile = Callable[[Path], ParseResult]


@dataclass(frozen=True)
class Outcome:
    """What became of one input: ``done`` (parsed), ``failed`` (a coded error) or ``skipped``.

    ``result`` is None for a skipped file: it was parsed by an earlier run and is in the catalog.
    """

    origin: str
    status: str
    result: ParseResult | None
    seconds: float

    @property
    def error_code(self) -> str | None:
        return self.result.error.code if self.result and self.result.error else None


@dataclass
class BatchReport:
    """Every input's outcome, in the order they finished, and the wall time of the run.

    The tables and records of the run are counted as outcomes arrive. With ``keep_results``
    False an outcome keeps only its result's source and error, so that a run over ten
    thousand files does not hold ten thousand results in memory (the catalog has them).
    """

    outcomes: list[Outcome] = field(default_factory=list)
    #: Files a folder held that were left out, with why (``--exclude``, a text file holding no table).
    left_out: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    keep_results: bool = True
    parsed: int = 0
    tables_by_kind: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        result = outcome.result
        if result is not None:
            self.parsed += 1
            self.tables_by_kind.update(t.kind for t in result.tables)
            for table in result.tables:
                self.records.update(
                    indicators=len(table.indicators),
                    funds=len(table.funds),
                    fields=len(table.fields),
                    cells=len(table.cells),
                )
            if not self.keep_results:
                outcome = replace(outcome, result=ParseResult(source=result.source, error=result.error))
        self.outcomes.append(outcome)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def errors_by_code(self) -> Counter[str]:
        return Counter(o.error_code for o in self.outcomes if o.error_code)

    def results(self) -> list[ParseResult]:
        """The results of the files parsed in this run (not those skipped); without their
        tables unless the report keeps results."""
        return [o.result for o in self.outcomes if o.result is not None]


@dataclass(frozen=True)
class Job:
    """A file to parse, hashed by the parent (the catalog's key for skipping it next time)."""

    item: Item
    path: Path
    sha256: str
    size: int = 0  # bytes: the pool starts with the largest files


#: Called by whatever parses the jobs, in the parent, once per job with its result and seconds.
RecordJob = Callable[[Job, ParseResult, float], None]
#: Parses every job and hands each result to ``RecordJob`` as it finishes: the local pool of
#: worker processes, or ``extractor.harvest.distributed.DaskRunner``.
RunJobs = Callable[[Sequence[Job], RecordJob], None]


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: Job | None = None
    sent_at: float = 0.0
    started_at: float | None = None


def run_batch(
    inputs: Sequence[str],
    catalog_at: CatalogLocation,
    *,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
    force: bool = False,
    retry_failed: bool = False,
    keep_results: bool = True,
    on_outcome: Callable[[Outcome, int, int], None] | None = None,
    parse_file: ParseFile = parse,
    run_jobs: RunJobs | None = None,
    published: Mapping[str, Published] | None = None,
    taken: InputFilter = TAKE_ALL,
) -> BatchReport:
    """Parse every input into the catalog at ``catalog_at`` (a folder or a PostgreSQL URL); one
    file's failure never stops the batch.

    A file the catalog holds for this version is skipped, also when it failed; ``retry_failed``
    parses failed ones again, ``force`` every one.
    ``on_outcome(outcome, position, total)`` is called in the parent as each input finishes,
    with the whole result even when the report does not keep it (``keep_results``).
    ``parse_file`` must be a module-level function (workers import it by name); it is
    ``extractor.parse`` except in tests, which give one that hangs or crashes. ``published``
    gives, per input, the URL it was crawled from and the listing page that linked it; ``taken``
    says which files of a folder to take (the others are listed in ``BatchReport.left_out``).
    Raises ``BatchError`` when a list of paths cannot be read or the catalog cannot be written.
    """
    started = time.monotonic()
    left_out: list[tuple[str, str]] = []
    items = collect_inputs(inputs, taken, left_out)
    report = BatchReport(keep_results=keep_results, left_out=left_out)
    total = len(items)

    def finish(outcome: Outcome) -> None:
        report.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome, len(report.outcomes), total)

    try:
        catalog = Catalog.open(catalog_at)
    except (CatalogError, MissingDependency) as exc:
        raise BatchError(f"cannot open the catalog: {exc.message}") from exc
    with catalog:

        def record(item: Item, result: ParseResult, seconds: float) -> None:
            try:
                catalog.record(
                    result,
                    origin=item.origin,
                    version=__version__,
                    seconds=seconds,
                    published=(published or {}).get(item.origin, ("", "")),
                )
            except CatalogError as exc:
                raise BatchError(f"cannot write the catalog: {exc.message}") from exc
            status = "failed" if result.error else "done"
            finish(Outcome(origin=item.origin, status=status, result=result, seconds=seconds))

        def add_origin(item: Item, sha256: str) -> None:
            """The catalog holds this content already: name this origin too, parse nothing."""
            try:
                catalog.add_origin(sha256, item.origin, (published or {}).get(item.origin, ("", "")))
            except CatalogError as exc:
                raise BatchError(f"cannot write the catalog: {exc.message}") from exc
            finish(Outcome(origin=item.origin, status="skipped", result=None, seconds=0.0))

        jobs: list[Job] = []
        # A file with the bytes of one already queued is parsed once; its origin is added to
        # that document's once it is recorded.
        same_content: list[Job] = []
        queued: set[str] = set()
        for item in items:
            prepared = _prepare(item, catalog, force=force, retry_failed=retry_failed)
            if isinstance(prepared, Job):
                (same_content if prepared.sha256 in queued else jobs).append(prepared)
                queued.add(prepared.sha256)
            elif isinstance(prepared, str):
                add_origin(item, prepared)
            else:
                record(item, prepared, 0.0)
        if run_jobs is None:
            run_jobs = local_pool(
                parse_file, workers=workers, jobs=len(jobs), timeout=timeout, max_memory_mb=max_memory_mb
            )
        run_jobs(jobs, lambda job, result, seconds: record(job.item, result, seconds))
        for job in same_content:
            add_origin(job.item, job.sha256)
    report.seconds = time.monotonic() - started
    return report


def _prepare(item: Item, catalog: Catalog, *, force: bool, retry_failed: bool) -> Job | ParseResult | str:
    """A job for the workers; a result straight away (a URL, a file that cannot be read); or,
    when the catalog holds the file's content for this extractor version already, its sha256."""
    if item.path is None:
        error = ErrorInfo(
            code="unsupported_source",
            message=f"{item.origin}: URLs are not fetched yet; download the file and give its path",
        )
        return ParseResult(source=Source(path=item.origin, sha256="", format="", pages=None), error=error)
    try:
        sha256, size = file_sha256(item.path), item.path.stat().st_size
    except (OSError, UnsupportedSource) as exc:
        if isinstance(exc, UnsupportedSource):
            error = ErrorInfo(code=exc.code, message=utf8_text(exc.message))
        else:
            error = ErrorInfo(code="not_found", message=f"{utf8_text(item.path)}: {exc.strerror or exc}")
        return ParseResult(
            source=Source(path=utf8_text(item.path), sha256="", format="", pages=None), error=error
        )
    if not force and catalog.is_done(sha256, __version__, failed_too=not retry_failed):
        return sha256
    return Job(item=item, path=item.path, sha256=sha256, size=size)


def local_pool(
    parse_file: ParseFile,
    *,
    workers: int | None,
    jobs: int,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
) -> RunJobs:
    """The pool of local worker processes as ``RunJobs``: ``workers`` of them (one per core when
    None), never more than there are ``jobs``. ``extractor report --inspect`` runs its
    inspections in it too, with the batch's limits and its replacing of a worker that died."""
    size = max(1, min(workers or os.cpu_count() or 1, jobs or 1))
    return _Pool(size, parse_file, timeout=timeout, max_memory_mb=max_memory_mb).run


class _Pool:
    """Up to ``size`` workers, one file in flight each; a worker past its file's deadline is killed."""

    def __init__(self, size: int, parse_file: ParseFile, *, timeout: float, max_memory_mb: int) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._size = size
        self._parse_file = parse_file
        self._timeout = timeout
        self._max_memory_mb = max_memory_mb
        self._workers: list[_Worker] = []

    def run(self, jobs: Sequence[Job], record: RecordJob) -> None:
        # Largest files first, so that the last file a worker takes is a small one and the
        # other workers do not wait long for it at the end (the pop takes from the end).
        pending = sorted(jobs, key=lambda job: job.size)
        try:
            while pending or any(w.job for w in self._workers):
                while pending and len(self._busy()) < self._size:
                    self._assign(pending.pop())
                busy = self._busy()
                ready = wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy],
                    timeout=max(0.0, min(self._deadline(w) for w in busy) - time.monotonic()),
                )
                for worker in busy:
                    outcome = self._collect(worker, ready)
                    if outcome is not None:
                        assert worker.job is not None
                        job, worker.job = worker.job, None
                        record(job, *outcome)
        finally:
            for worker in self._workers:
                self._stop(worker)

    def _busy(self) -> list[_Worker]:
        return [w for w in self._workers if w.job is not None]

    def _assign(self, job: Job) -> None:
        for idle in [w for w in self._workers if w.job is None and not w.process.is_alive()]:
            self._retire(idle)  # died between files (killed from outside): not this file's fault
        worker = next((w for w in self._workers if w.job is None), None) or self._start()
        worker.conn.send(str(job.path))
        worker.job, worker.sent_at, worker.started_at = job, time.monotonic(), None

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(child_end, self._parse_file, self._max_memory_mb, self._timeout, os.getpid()),
            name="extractor-batch-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process=process, conn=parent_end)
        self._workers.append(worker)
        return worker

    def _deadline(self, worker: _Worker) -> float:
        if worker.started_at is None:
            return worker.sent_at + STARTUP_GRACE_S + self._timeout
        return worker.started_at + self._timeout

    def _collect(self, worker: _Worker, ready: Sequence[object]) -> tuple[ParseResult, float] | None:
        """The finished file's result and seconds, or None while it is still being parsed."""
        assert worker.job is not None
        job = worker.job
        while worker.conn in ready or worker.process.sentinel in ready:
            try:
                if not worker.conn.poll():
                    break
                message = worker.conn.recv()
            except (EOFError, OSError):
                break
            if message[0] == "started":
                worker.started_at = time.monotonic()
            else:
                result, seconds = with_sha256(message[1], job), message[2]
                if message[0] == "exit":  # the worker's state is suspect (MemoryError): replace it
                    self._retire(worker)
                return result, seconds
        now = time.monotonic()
        seconds = now - (worker.started_at or worker.sent_at)
        if not worker.process.is_alive() or worker.process.sentinel in ready:
            worker.process.join(timeout=5)
            self._retire(worker)
            return _died(job, worker.process.exitcode, self._timeout), seconds
        if now >= self._deadline(worker):
            self._retire(worker)
            return timed_out(job, self._timeout), seconds
        return None

    def _retire(self, worker: _Worker) -> None:
        self._stop(worker)
        self._workers.remove(worker)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        if worker.process.is_alive():
            if worker.job is None:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
                worker.process.join(timeout=1)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=5)
        worker.conn.close()


def _died(job: Job, exitcode: int | None, timeout: float) -> ParseResult:
    """A worker that ended without a result: past its own deadline, killed from outside (the
    kernel's OOM killer) or crashed."""
    if exitcode == -signal.SIGALRM:
        return timed_out(job, timeout)
    if exitcode == -signal.SIGKILL:
        error = ErrorInfo(
            code="too_large",
            message="the worker parsing this file was killed, most likely for running out of memory "
            "(raise the limit with --max-memory)",
        )
    else:
        error = ErrorInfo(
            code="internal_error",
            message=f"the worker parsing this file crashed (exit code {exitcode}); "
            "a bug in extractor or a library: please report it with the file",
        )
    return failed_result(job, error)


def timed_out(job: Job, timeout: float) -> ParseResult:
    error = ErrorInfo(
        code="timeout",
        message=f"not parsed within {timeout:g} s; the worker was stopped (raise the limit with --timeout)",
    )
    return failed_result(job, error)


def failed_result(job: Job, error: ErrorInfo) -> ParseResult:
    return ParseResult(
        source=Source(path=utf8_text(job.path), sha256=job.sha256, format="", pages=None), error=error
    )


def with_sha256(result: ParseResult, job: Job) -> ParseResult:
    """The parent hashed the file already; a result that failed before hashing gets that hash."""
    if result.source.sha256:
        return result
    return replace(result, source=replace(result.source, sha256=job.sha256))


# --- the worker ---------------------------------------------------------------------------


def _worker_main(
    conn: Connection, parse_file: ParseFile, max_memory_mb: int, timeout: float, parent: int
) -> None:
    """Parse the paths the parent sends, one at a time, until it sends None or goes away.

    The worker dies with its parent (``_die_with_parent``) and holds a deadline of its own, a
    margin past the parent's (``signal.alarm``: the kernel ends the process whatever the code
    is doing), so that no worker parses on when nobody is left to stop it."""
    _die_with_parent(parent)
    # Ctrl-C reaches the whole process group; the parent decides what stops, not the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit = max_memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(
        resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard)
    )
    too_large = ErrorInfo(
        code="too_large",
        message=f"parsing this file needed more than {max_memory_mb} MB of memory "
        "(raise the limit with --max-memory)",
    )
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        started = time.monotonic()
        try:
            conn.send(("started",))
            signal.alarm(math.ceil(timeout + WORKER_DEADLINE_MARGIN_S))
            result, exhausted = parse_one(parse_file, Path(path), too_large)
            signal.alarm(0)
            conn.send(("exit" if exhausted else "result", result, time.monotonic() - started))
        except OSError:  # the parent is gone (killed): nobody is waiting for this result
            return
        if exhausted:
            return


def _die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies, ``kill -9`` included (Linux's
    PR_SET_PDEATHSIG; elsewhere the worker's own deadline still ends it)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def parse_one(parse_file: ParseFile, path: Path, too_large: ErrorInfo) -> tuple[ParseResult, bool]:
    """One file's result, and whether it ran out of memory (then the worker is replaced).

    ``parse`` turns a MemoryError into ``too_large`` (``OUT_OF_MEMORY``); the worker's message,
    naming its --max-memory, replaces it here.
    """
    try:
        result = parse_file(path)
    except MemoryError:
        return ParseResult(
            source=Source(path=utf8_text(path), sha256="", format="", pages=None), error=too_large
        ), True
    except Exception as exc:
        log.error("internal error while parsing %s\n%s", path, traceback.format_exc())
        error = ErrorInfo(code="internal_error", message=f"{type(exc).__name__}: {exc} (a bug in extractor)")
        return ParseResult(
            source=Source(path=utf8_text(path), sha256="", format="", pages=None), error=error
        ), False
    if result.error and result.error.message == OUT_OF_MEMORY:
        return ParseResult(source=result.source, error=too_large), True
    return result, False
