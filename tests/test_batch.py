"""``extractor batch``: the same results as ``parse``, coded errors for files that hang, crash or
exhaust memory, skipping on a second run, and a catalog that survives ``kill -9``."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.harvest.batch import Outcome, run_batch
from extractor.harvest.catalog import Catalog, CatalogLocation
from extractor.harvest.inputs import collect_inputs
from extractor.pipeline import parse
from extractor.records import ParseResult

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "seed"
GOOD = ("seed.txt", "seed_portal_gbk.html", "seed_word.docx", "seed_workbook.xlsx", "seed_reportlab.pdf")
EXTRACTOR = Path(sys.executable).parent / "extractor"


def misbehaving_parse(path: Path) -> ParseResult:
    """A stand-in for ``parse`` (workers import it by name) whose files named after a failure fail so."""
    if path.stem == "hangs":
        time.sleep(3600)
    if path.stem == "crashes":
        os._exit(3)
    if path.stem == "huge":
        bytearray(4 << 30)  # beyond the worker's --max-memory: a MemoryError
    return parse(path)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder with good seed renderings and broken files that claim to be documents."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in GOOD:
        shutil.copy(SEED / name, folder / "sub" / name if name.endswith(".pdf") else folder / name)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.docx").write_bytes((SEED / "seed_word.docx").read_bytes()[:2000])
    (folder / "text.xls").write_text("not a workbook at all\n", encoding="utf-8")
    (folder / "notes.md").write_text("not a document suffix: ignored in a folder\n", encoding="utf-8")
    return folder


def _by_name(outcomes: list[Outcome]) -> dict[str, Outcome]:
    return {Path(o.origin).name: o for o in outcomes}


def test_batch_gives_what_parse_gives_and_codes_the_broken(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = run_batch([str(inputs)], out, workers=2)
    outcomes = _by_name(report.outcomes)
    assert sorted(outcomes) == sorted([*GOOD, "empty.pdf", "truncated.docx", "text.xls"])
    for outcome in report.outcomes:
        assert outcome.result == parse(outcome.origin), outcome.origin
    assert {name: o.error_code for name, o in outcomes.items() if o.status != "done"} == {
        "empty.pdf": "corrupt",
        "truncated.docx": "corrupt",
    }
    # A text file named .xls is read as the text it is: no error, two warnings.
    text = outcomes["text.xls"].result
    assert text is not None and {w.code for w in text.warnings} == {"format_mismatch", "no_tables"}
    with Catalog.open(out) as catalog:
        _, documents = catalog.rows("documents")
        assert len(documents) == len(outcomes)
        assert catalog.counts()["indicators"] == sum(
            len(t.indicators) for r in report.results() for t in r.tables
        )


def test_a_hanging_crashing_or_huge_file_costs_only_itself(tmp_path: Path) -> None:
    for name in ("hangs.txt", "crashes.txt", "huge.txt"):  # pasted tables, as a folder's .txt must be
        (tmp_path / name).write_text(f"{name}\t1\n合计\t1\n", encoding="utf-8")
    shutil.copy(SEED / "seed.txt", tmp_path / "seed.txt")
    started = time.monotonic()
    report = run_batch(
        [str(tmp_path)],
        tmp_path / "out",
        workers=2,
        # Far below the hang (an hour), far above a good file's parse on a loaded machine: at 1 s
        # the seed's first parse in a fresh worker (imports, jieba's dictionary) timed out under
        # a load of 3 on two cores.
        timeout=5.0,
        max_memory_mb=1024,
        parse_file=misbehaving_parse,
    )
    assert time.monotonic() - started < 30
    codes = {Path(o.origin).name: o.error_code for o in report.outcomes}
    assert codes == {
        "hangs.txt": "timeout",
        "crashes.txt": "internal_error",
        "huge.txt": "too_large",
        "seed.txt": None,
    }
    timed_out = next(o for o in report.outcomes if o.error_code == "timeout")
    assert timed_out.result is not None and timed_out.result.source.sha256


def test_a_second_run_skips_and_force_redoes(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["batch", str(inputs), "--out", str(out), "--workers", "2"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output  # per-file errors do not fail the batch
    logged = [json.loads(line) for line in first.stderr.splitlines() if line.startswith("{")]
    assert len(logged) == 8
    assert {r["status"] for r in logged} == {"done", "failed"}
    assert "8 files: 6 done, 0 skipped (already in the catalog), 2 failed" in first.stderr

    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0, second.output
    assert "8 files: 0 done, 8 skipped" in second.stderr

    retried = CliRunner().invoke(main, [*args, "--retry-failed"])
    assert "8 files: 0 done, 6 skipped (already in the catalog), 2 failed" in retried.stderr

    forced = CliRunner().invoke(main, [*args, "--force"])
    assert "8 files: 6 done, 0 skipped (already in the catalog), 2 failed" in forced.stderr
    with Catalog.open(out) as catalog:
        assert catalog.counts()["documents"] == 8


def test_lists_of_paths_and_urls(inputs: Path, tmp_path: Path) -> None:
    listing = tmp_path / "files.lst"
    listing.write_text(
        "# the seed and a web page\nin/seed.txt\n\nhttps://example.org/budget.pdf\nin/missing.pdf\n",
        encoding="utf-8",
    )
    items = collect_inputs([str(listing), f"@{listing}"])
    assert [i.origin for i in items] == [
        str(tmp_path / "in" / "seed.txt"),
        "https://example.org/budget.pdf",
        str(tmp_path / "in" / "missing.pdf"),
    ]
    report = run_batch([f"@{listing}"], tmp_path / "out", workers=1)
    assert [o.error_code for o in report.outcomes] == ["unsupported_source", "not_found", None]


def test_usage_errors_exit_nonzero(tmp_path: Path) -> None:
    missing_list = CliRunner().invoke(main, ["batch", f"@{tmp_path / 'nope.txt'}", "--out", str(tmp_path)])
    assert missing_list.exit_code == 1
    assert "cannot read the list of paths" in missing_list.output
    (tmp_path / "file").write_text("", encoding="utf-8")
    not_a_folder = CliRunner().invoke(
        main, ["batch", str(SEED / "seed.txt"), "--out", str(tmp_path / "file")]
    )
    assert not_a_folder.exit_code != 0
    no_catalog = CliRunner().invoke(main, ["export", str(tmp_path), "--to", "csv"])
    assert no_catalog.exit_code == 1
    assert "run `extractor batch` into it first" in no_catalog.output


def _catalog_contents(location: CatalogLocation) -> dict[str, list[tuple[object, ...]]]:
    """Every exported table, rows sorted, without the columns that differ between runs."""
    with Catalog.open(location) as catalog:
        contents = {}
        for name in ("documents", "indicators", "funds", "fields", "cells"):
            columns, rows = catalog.rows(name)
            keep = [i for i, c in enumerate(columns) if c not in ("seconds", "parsed_at")]
            contents[name] = sorted((tuple(row[i] for i in keep) for row in rows), key=repr)
        return contents


def test_a_batch_killed_mid_run_resumes_to_the_same_catalog(
    tmp_path: Path, catalog_at: CatalogLocation
) -> None:
    """Killed after three files, started again: the same catalog as one uninterrupted run into
    SQLite, whether the killed run wrote SQLite or PostgreSQL."""
    files = [str(SEED / name) for name in GOOD] + [
        str(SEED / "seed_word_export.html"),
        str(SEED / "seed_workbook.xls"),
    ]
    whole = tmp_path / "whole"
    run_batch(files, whole, workers=2)

    resumed = catalog_at
    where = ["--out", str(resumed)] if isinstance(resumed, Path) else ["--catalog", resumed]
    command = [str(EXTRACTOR), "batch", *files, *where, "--workers", "1"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for _ in range(3):  # three files are recorded, the fourth may be half-way
        assert process.stderr.readline().startswith("{")
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    with Catalog.open(resumed) as catalog:
        assert 3 <= catalog.counts()["documents"] < len(files)

    restarted = subprocess.run(command, capture_output=True, text=True, check=False)
    assert restarted.returncode == 0, restarted.stderr
    assert '"status": "skipped"' in restarted.stderr
    assert _catalog_contents(resumed) == _catalog_contents(whole)


def test_batch_needs_one_catalog_and_export_reads_a_database(tmp_path: Path, postgres_url: str) -> None:
    seed = str(SEED / "seed.txt")
    neither = CliRunner().invoke(main, ["batch", seed])
    both = CliRunner().invoke(main, ["batch", seed, "--out", str(tmp_path), "--catalog", postgres_url])
    not_a_url = CliRunner().invoke(main, ["batch", seed, "--catalog", str(tmp_path)])
    for refused in (neither, both, not_a_url):
        assert refused.exit_code == 2, refused.output
    assert "expected a postgresql:// URL" in not_a_url.output

    done = CliRunner().invoke(main, ["batch", seed, "--catalog", postgres_url, "--workers", "1"])
    assert done.exit_code == 0, done.output
    assert "1 files: 1 done" in done.stderr
    exported = CliRunner().invoke(main, ["export", postgres_url, "--to", "csv", "--out", str(tmp_path / "x")])
    assert exported.exit_code == 0, exported.output
    expected = tmp_path / "parsed"
    assert CliRunner().invoke(main, ["parse", seed, "--to", "csv", "--out", str(expected)]).exit_code == 0
    for name in ("indicators.csv", "funds.csv", "fields.csv"):
        assert (tmp_path / "x" / name).read_bytes() == (expected / name).read_bytes(), name


def test_a_report_that_keeps_no_results_still_counts_them(inputs: Path, tmp_path: Path) -> None:
    kept = run_batch([str(inputs)], tmp_path / "kept", workers=2)
    light = run_batch([str(inputs)], tmp_path / "light", workers=2, keep_results=False)
    assert light.records == kept.records and light.records["indicators"] > 0
    assert light.tables_by_kind == kept.tables_by_kind and light.parsed == kept.parsed == 8
    assert all(not r.tables for r in light.results())
    assert light.errors_by_code() == kept.errors_by_code()


def test_a_folder_leaves_out_what_is_excluded_and_text_without_a_table(tmp_path: Path) -> None:
    """--exclude and --include filter a folder's files; a MANIFEST.tsv or a log is no table (issue 17)."""
    from click.testing import CliRunner

    from extractor.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    seeds = Path(__file__).resolve().parent.parent / "samples" / "seed"
    shutil.copy(seeds / "seed.txt", folder / "pasted.txt")
    shutil.copy(seeds / "seed_word.docx", folder / "report.docx")
    # Bytes of its own: a copy of report.docx would be one document with two origins.
    shutil.copy(seeds.parent / "generated" / "pack_street_docx.docx", folder / "skip_me.docx")
    (folder / "MANIFEST.tsv").write_text(
        "file\tsource_repo\tnotes\na.pdf\towner/repo\t部门预算 tables\n", encoding="utf-8"
    )
    (folder / "run.log").write_text("started\n", encoding="utf-8")  # not a document suffix at all
    result = CliRunner().invoke(
        main, ["batch", str(folder), "--out", str(tmp_path / "out"), "--exclude", "skip_*", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "2 files: 2 done" in result.stderr
    assert (
        f"left out: {folder / 'MANIFEST.tsv'}: a text file without tab-separated rows of figures"
        in result.stderr
    )
    assert f"left out: {folder / 'skip_me.docx'}: matches --exclude" in result.stderr
    only = CliRunner().invoke(
        main, ["batch", str(folder), "--out", str(tmp_path / "o2"), "--include", "*.docx", "--workers", "1"]
    )
    assert (
        only.exit_code == 0
        and "2 files: 2 done" in only.stderr
        and "pasted.txt: matches no --include" in only.stderr
    )


def test_every_origin_of_the_same_bytes_is_kept(tmp_path: Path, catalog_at: CatalogLocation) -> None:
    """Two files with the same bytes are one document parsed once, with both paths among its
    origins; a third copy found by a later (or resumed) batch is added without parsing again,
    and the export lists every origin."""
    seed = Path(__file__).resolve().parent.parent / "samples" / "seed" / "seed.txt"
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(seed, tmp_path / name)
    first = run_batch([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], catalog_at, workers=1)
    assert [o.status for o in first.outcomes] == ["done", "skipped"]
    again = run_batch([str(tmp_path / "c.txt"), str(tmp_path / "a.txt")], catalog_at, workers=1)
    assert [o.status for o in again.outcomes] == ["skipped", "skipped"]
    with Catalog.open(catalog_at) as catalog:
        origins = catalog.frames()["origins"]
        assert len(catalog.select("SELECT id FROM documents")) == 1
    assert [Path(o).name for o in origins["origin"]] == ["a.txt", "b.txt", "c.txt"]
    assert set(origins["source"]) == {str(tmp_path / "a.txt")}  # the records' source


def test_a_device_or_a_pipe_in_a_list_is_refused_without_reading_it(tmp_path: Path) -> None:
    """/dev/zero was hashed forever by the parent, before any limit; a pipe blocks on open.
    Neither is a document: each ends with unsupported_source at once, the batch goes on."""
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    seed = Path(__file__).resolve().parent.parent / "samples" / "seed" / "seed.txt"
    listing = tmp_path / "list.txt"
    listing.write_text(f"/dev/zero\n{pipe}\n{seed}\n", encoding="utf-8")
    report = run_batch([f"@{listing}"], tmp_path / "out", workers=1, timeout=30)
    codes = {o.origin: o.error_code for o in report.outcomes}
    assert codes == {"/dev/zero": "unsupported_source", str(pipe): "unsupported_source", str(seed): None}


ORPHANED_BATCH = """
import sys
from pathlib import Path
from extractor.harvest.batch import run_batch
from tests.test_batch import misbehaving_parse

run_batch([sys.argv[1]], Path(sys.argv[2]), workers=1, timeout=600, parse_file=misbehaving_parse)
"""


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_dies_with_its_killed_parent(tmp_path: Path) -> None:
    """kill -9 of the batch left its worker parsing at 100 % CPU past every deadline; now the
    kernel ends the worker with its parent."""
    (tmp_path / "hangs.txt").write_text("hangs\t1\n合计\t1\n", encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHANED_BATCH, str(tmp_path / "hangs.txt"), str(tmp_path / "out")], cwd=ROOT
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not (workers := _children(parent.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert workers, "the batch started no worker"
        time.sleep(2)  # the worker is parsing (sleeping in misbehaving_parse)
        parent.kill()
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [w for w in workers if Path(f"/proc/{w}").exists()]
    finally:
        parent.kill()
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)


def test_a_worker_holds_its_own_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker whose parent does not stop it (stuck, or gone on a system without
    PR_SET_PDEATHSIG) ends itself a margin past the deadline; the parent reads that as a timeout."""
    import extractor.harvest.batch as batch

    monkeypatch.setattr(batch, "WORKER_DEADLINE_MARGIN_S", 0.0)
    (tmp_path / "hangs.txt").write_text("hangs\t1\n合计\t1\n", encoding="utf-8")
    parent_end, child_end = multiprocessing.get_context("fork").Pipe()
    worker = multiprocessing.get_context("fork").Process(
        target=batch._worker_main, args=(child_end, misbehaving_parse, 2048, 1.0, os.getpid())
    )
    worker.start()
    parent_end.send(str(tmp_path / "hangs.txt"))
    worker.join(timeout=30)
    assert worker.exitcode == -signal.SIGALRM


def test_a_link_out_of_the_folder_is_left_out_unless_asked(tmp_path: Path) -> None:
    """A folder's link to a file elsewhere (a crawl drop could hold one to /etc/passwd) is left
    out, said in the summary; --follow-symlinks takes it; a link inside the folder is taken."""
    folder, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    shutil.copy(SEED / "seed_word.docx", elsewhere / "outside.docx")
    shutil.copy(SEED / "seed_portal_gbk.html", folder / "inside.html")
    (folder / "to_outside.docx").symlink_to(elsewhere / "outside.docx")
    (folder / "to_inside.html").symlink_to(folder / "inside.html")
    result = CliRunner().invoke(main, ["batch", str(folder), "--out", str(tmp_path / "o1"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert f"left out: {folder / 'to_outside.docx'}: a link to a file outside the folder" in result.stderr
    assert "1 files: 1 done" in result.stderr  # to_inside.html is inside.html, taken once
    followed = CliRunner().invoke(
        main, ["batch", str(folder), "--out", str(tmp_path / "o2"), "--workers", "1", "--follow-symlinks"]
    )
    assert followed.exit_code == 0 and "2 files: 2 done" in followed.stderr, followed.output
