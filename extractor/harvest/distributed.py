"""The parse step of ``extractor batch`` on a Dask cluster (``--scheduler`` / ``--dask-local``).

Only parsing moves: the parent still collects the inputs, hashes them, skips what the catalog
holds, and alone writes the catalog, one transaction per document, as results come back
(``as_completed``). ``DaskRunner`` is the ``run_jobs`` of ``extractor.harvest.batch.run_batch``, in
place of the local pool of worker processes.

A Dask task cannot be killed from outside the way a local worker process is, so the time limit
is kept on the Dask worker: the file is parsed in a thread of the task, and after ``timeout``
seconds of parsing (time queued on the cluster does not count) the task gives up on it and
returns ``timeout``. The thread may still be running; so that it stops holding the worker, the
parent then asks the worker's nanny to restart it (as it does after a ``MemoryError``, which
leaves a worker's state suspect). A task that fails (its worker died, the result would not
travel) gives its file ``internal_error``; the batch goes on either way.

Dask is optional (``pip install 'extractor[dask]'``): nothing here imports it until a runner
is made.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.errors import MissingDependency
from extractor.harvest.batch import (
    Job,
    ParseFile,
    RecordJob,
    failed_result,
    parse_one,
    timed_out,
    with_sha256,
)
from extractor.harvest.inputs import BatchError
from extractor.pipeline import parse
from extractor.records import ErrorInfo, ParseResult, Source

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'extractor[dask]'"
#: How long the parent waits to reach the scheduler (or to start a local cluster).
CONNECT_TIMEOUT_S = 30.0

#: What a task returns: ``result`` / ``exhausted`` (out of memory) / ``timeout``, the result
#: (None on timeout) and the seconds spent parsing.
_TaskOutcome = tuple[str, ParseResult | None, float]


_TOO_LARGE = ErrorInfo(
    code="too_large",
    message="parsing this file ran out of memory on its Dask worker (give the workers more memory)",
)


def require_dask() -> None:
    """Raise ``MissingDependency`` naming the install command when Dask is not installed."""
    try:
        importlib.import_module("distributed")
    except ImportError as exc:
        raise MissingDependency(f"running the batch on Dask needs dask.distributed: {INSTALL_HINT}") from exc


class DaskRunner:
    """Parses the batch's jobs on a Dask cluster: an existing one at ``scheduler``
    (``tcp://host:port``) or ``local_workers`` processes started for the run on 127.0.0.1."""

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        local_workers: int | None = None,
        timeout: float,
        parse_file: ParseFile = parse,
    ) -> None:
        if (scheduler is None) == (local_workers is None):
            raise ValueError("give either a scheduler address or a number of local workers")
        require_dask()
        self._scheduler = scheduler
        self._local_workers = local_workers
        self._timeout = timeout
        self._parse_file = parse_file

    def __call__(self, jobs: Sequence[Job], record: RecordJob) -> None:
        if not jobs:
            return
        from distributed import as_completed

        with self._client() as client:
            futures = {
                client.submit(_parse_task, self._parse_file, str(job.path), self._timeout, pure=False): job
                for job in jobs
            }
            for future in as_completed(futures):
                job = futures.pop(future)
                result, seconds, restart = self._outcome(future, job)
                if restart:
                    self._restart_worker(client, future)
                future.release()
                record(job, result, seconds)

    def _outcome(self, future: Future[_TaskOutcome], job: Job) -> tuple[ParseResult, float, bool]:
        """The job's result, its parsing seconds, and whether its worker should be restarted."""
        if future.status != "finished":
            exc = future.exception() if future.status == "error" else None
            reason = f"{type(exc).__name__}: {exc}" if exc is not None else f"the task was {future.status}"
            error = ErrorInfo(
                code="internal_error",
                message=f"the Dask task parsing this file failed ({reason}); "
                "a bug in extractor or a library, or its worker died: please report it with the file",
            )
            return failed_result(job, error), 0.0, False
        outcome: _TaskOutcome = future.result()
        status, result, seconds = outcome
        if status == "timeout" or result is None:
            return timed_out(job, self._timeout), seconds, True
        return with_sha256(result, job), seconds, status == "exhausted"

    @staticmethod
    def _restart_worker(client: Client, future: Future[_TaskOutcome]) -> None:
        """Free a worker a timed-out or exhausted file leaves busy or suspect (needs a nanny)."""
        workers = sorted({w for ws in client.who_has([future]).values() for w in ws})
        if not workers:
            return
        statuses = client.restart_workers(workers, raise_for_error=False)
        for worker, status in statuses.items():
            if status != "OK":
                log.warning("could not restart the Dask worker %s (%s): it may stay busy", worker, status)

    @contextmanager
    def _client(self) -> Iterator[Client]:
        from distributed import Client, LocalCluster

        if self._scheduler is not None:
            try:
                client = Client(self._scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError) as exc:
                raise BatchError(f"cannot reach the Dask scheduler at {self._scheduler}: {exc}") from exc
            with client:
                yield client
            return
        with (
            LocalCluster(
                n_workers=self._local_workers,
                threads_per_worker=1,  # one file in flight per worker, as in the local pool
                processes=True,
                host="127.0.0.1",
                scheduler_port=0,
                dashboard_address=None,
            ) as cluster,
            Client(cluster, timeout=CONNECT_TIMEOUT_S) as client,
        ):
            yield client


def _parse_task(parse_file: ParseFile, path: str, timeout: float) -> _TaskOutcome:
    """Runs on a Dask worker: parse one file in a thread, giving up on it after ``timeout`` s."""
    holder: list[tuple[ParseResult, bool]] = []

    def run() -> None:
        holder.append(parse_one(parse_file, Path(path), _TOO_LARGE))

    started = time.monotonic()
    thread = threading.Thread(target=run, name=f"extractor-parse {Path(path).name}", daemon=True)
    thread.start()
    thread.join(timeout)
    seconds = time.monotonic() - started
    if not holder:
        if thread.is_alive():
            return "timeout", None, seconds
        # parse_one turns every exception into a result; a thread that ended without one was
        # stopped by something outside Python (SystemExit raised in it).
        source = Source(path=path, sha256="", format="", pages=None)
        error = ErrorInfo(code="internal_error", message="the parsing thread ended without a result")
        return "result", ParseResult(source=source, error=error), seconds
    result, exhausted = holder[0]
    return ("exhausted" if exhausted else "result"), result, seconds
