"""A few files, each parsed in a worker process under the batch's guards: a time limit, an
address-space limit, and death with the parent. ``extractor parse`` and ``extractor inspect``
run their files so, so that a hostile file costs them what it costs a batch (the error
``timeout`` or ``too_large``), never the machine's memory or an endless wait."""

from __future__ import annotations

import stat
from collections.abc import Sequence
from pathlib import Path

from extractor.harvest.batch import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_S, Job, ParseFile, local_pool
from extractor.harvest.inputs import Item
from extractor.names import utf8_text
from extractor.pipeline import parse
from extractor.records import ParseResult


def parse_in_workers(
    paths: Sequence[Path],
    parse_file: ParseFile,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
    workers: int | None = None,
) -> list[ParseResult]:
    """``parse_file`` of each path in a worker (one per core at most), the results in the order
    of ``paths``. A path that is no regular file, or none at all, gets its error at once."""
    results: dict[int, ParseResult] = {}
    jobs: list[Job] = []
    position: dict[int, int] = {}
    for index, path in enumerate(paths):
        try:
            status = path.stat()
        except OSError:
            status = None
        if status is None or not stat.S_ISREG(status.st_mode):
            results[index] = parse(path)  # says what is wrong without reading the file
            continue
        # The worker hashes the file as it parses it; a batch's parent hashes first only to skip
        # what its catalog holds.
        job = Job(item=Item(origin=utf8_text(path), path=path), path=path, sha256="", size=status.st_size)
        position[id(job)] = index
        jobs.append(job)

    def record(job: Job, result: ParseResult, seconds: float) -> None:
        results[position[id(job)]] = result

    if jobs:
        run = local_pool(
            parse_file, workers=workers, jobs=len(jobs), timeout=timeout, max_memory_mb=max_memory_mb
        )
        run(jobs, record)
    return [results[index] for index in range(len(paths))]
