"""The batch catalog: what it stores per document, that a document is there whole or not at
all (even when the writer is killed), and that its exports equal what ``parse --to csv`` writes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from extractor import parse
from extractor.errors import MissingDependency
from extractor.export import DATASET_COLUMNS, PROVENANCE_COLUMNS, dataset_rows, to_frames, write_csvs
from extractor.harvest.catalog import (
    CATALOG_NAME,
    CATALOG_SCHEMA_VERSION,
    Catalog,
    CatalogError,
    CatalogLocation,
)
from extractor.harvest.catalog_columns import DOCUMENT_COLUMNS, EXPORTED_TABLES, MIGRATIONS, sql_type
from extractor.harvest.catalog_export import export_catalog, read_dataset
from extractor.model import Cell, Grid, Issue
from extractor.records import (
    BodyCell,
    ErrorInfo,
    FieldRecord,
    ParseResult,
    Source,
    Table,
    TableMeta,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "samples" / "seed").glob("seed*"))
VERSION = "0.1.0"


@pytest.fixture(scope="module")
def seed_results() -> list[ParseResult]:
    assert SEEDS, "the seed samples are missing"
    return [parse(path) for path in SEEDS]


def generic_result(sha256: str = "f" * 64, path: str = "made/up.html") -> ParseResult:
    """A result with what the seeds lack: generic cells, texts a spreadsheet would misread
    (a leading =, a control character) and a field whose value only looks like a number."""
    grid = Grid(n_rows=1, n_cols=1, cells=(Cell(row=0, col=0, text="x"),))
    table = Table(
        id="t1",
        kind="generic",
        title="",
        pages=(1,),
        meta=TableMeta(),
        grid=grid,
        cells=(
            BodyCell(("合计",), ("=列",), "=SUM(A1:A2)", page=1),
            BodyCell((), (), "a\x0bb", page=None),
        ),
        fields=(FieldRecord("科目编码", "0123", page=1),),
    )
    return ParseResult(source=Source(path=path, sha256=sha256, format="html", pages=1), tables=(table,))


def record_all(location: CatalogLocation, results: list[ParseResult]) -> None:
    with Catalog.open(location) as catalog:
        for result in results:
            catalog.record(result, origin=result.source.path, version=VERSION, seconds=0.5)


def expected_counts(results: list[ParseResult]) -> dict[str, int]:
    counts = {
        "documents": len(results),
        "doc_tables": sum(len(r.tables) for r in results),
        "warnings": sum(len(r.warnings) for r in results),
    }
    counts.update({d: len(dataset_rows(results, d)) for d in DATASET_COLUMNS})
    return counts


# --- recording --------------------------------------------------------------------------


def test_seed_documents_are_recorded_with_every_row(
    catalog_at: CatalogLocation, seed_results: list[ParseResult]
) -> None:
    record_all(catalog_at, seed_results)
    with Catalog.open(catalog_at) as catalog:
        assert catalog.counts() == expected_counts(seed_results)
        assert catalog.counts()["indicators"] > 0 and catalog.counts()["funds"] > 0
        documents = catalog.frames()["documents"]
    assert list(documents.columns) == list(DOCUMENT_COLUMNS)
    assert list(documents["sha256"]) == [r.source.sha256 for r in seed_results]
    assert list(documents["status"]) == ["ok" if r.error is None else "error" for r in seed_results]
    assert list(documents["warnings"]) == [len(r.warnings) for r in seed_results]
    assert set(documents["extractor_version"]) == {VERSION}
    assert all(at.endswith("+00:00") for at in documents["parsed_at"])


def test_catalog_frames_equal_the_frames_of_the_results(
    catalog_at: CatalogLocation, seed_results: list[ParseResult]
) -> None:
    results = [*seed_results, generic_result()]
    record_all(catalog_at, results)
    with Catalog.open(catalog_at) as catalog:
        frames = catalog.frames()
    for dataset, frame in to_frames(results).items():
        pd.testing.assert_frame_equal(frames[dataset], frame)


def test_empty_values_are_null_and_numbers_real(
    catalog_at: CatalogLocation, seed_results: list[ParseResult]
) -> None:
    record_all(catalog_at, [*seed_results, generic_result()])
    with Catalog.open(catalog_at) as catalog:
        assert catalog._execute("SELECT count(*) FROM indicators WHERE level2 = ''").fetchone() == (0,)
        assert catalog._execute("SELECT count(*) FROM funds WHERE code IS NULL").fetchone() != (0,)
        if catalog.dialect.name == "sqlite":
            types = {t for (t,) in catalog._execute("SELECT DISTINCT typeof(amount) FROM funds").fetchall()}
            assert types <= {"real", "null"} and "real" in types
        else:
            (amount_type,) = catalog._execute("SELECT pg_typeof(amount)::text FROM funds LIMIT 1").fetchone()
            assert amount_type == "double precision"
        assert catalog._execute("SELECT value FROM fields WHERE key = '科目编码'").fetchone() == ("0123",)


def test_column_types_match_what_the_records_hold(seed_results: list[ParseResult]) -> None:
    """A column stored as REAL or INTEGER only ever holds numbers, a TEXT column only texts."""
    for dataset, columns in DATASET_COLUMNS.items():
        for row in dataset_rows([*seed_results, generic_result()], dataset):
            for column in (*PROVENANCE_COLUMNS, *columns):
                value = row[column]
                if sql_type(dataset, column) == "TEXT":
                    assert isinstance(value, str), (dataset, column, value)
                else:
                    assert value is None or isinstance(value, int | float), (dataset, column, value)


def test_recording_again_replaces_the_document(
    catalog_at: CatalogLocation, seed_results: list[ParseResult]
) -> None:
    record_all(catalog_at, seed_results)
    with Catalog.open(catalog_at) as catalog:
        catalog.record(seed_results[0], origin="again/" + SEEDS[0].name, version="0.2.0", seconds=1.0)
        assert catalog.counts() == expected_counts(seed_results)
        documents = catalog.frames()["documents"]
    again = documents[documents["sha256"] == seed_results[0].source.sha256]
    assert list(again["origin"]) == ["again/" + SEEDS[0].name]
    assert list(again["extractor_version"]) == ["0.2.0"]


def test_is_done_by_content_and_version(catalog_at: CatalogLocation, seed_results: list[ParseResult]) -> None:
    result = seed_results[0]
    with Catalog.open(catalog_at) as catalog:
        assert not catalog.is_done(result.source.sha256, VERSION)
        catalog.record(result, origin="a", version=VERSION, seconds=0.1)
        assert catalog.is_done(result.source.sha256, VERSION)
        assert not catalog.is_done(result.source.sha256, "0.2.0")
        assert not catalog.is_done(seed_results[1].source.sha256, VERSION)
    with Catalog.open(catalog_at) as catalog:  # it outlives the connection that wrote it
        assert catalog.is_done(result.source.sha256, VERSION)


def test_a_failed_document_is_done_and_one_without_hash_never(catalog_at: CatalogLocation) -> None:
    encrypted = ParseResult(
        source=Source(path="x/locked.pdf", sha256="e" * 64, format="pdf", pages=None),
        error=ErrorInfo(code="encrypted", message="the PDF is encrypted: give its password"),
    )
    missing = ParseResult(
        source=Source(path="x/gone.pdf", sha256="", format="", pages=None),
        error=ErrorInfo(code="not_found", message="x/gone.pdf: No such file or directory"),
    )
    with Catalog.open(catalog_at) as catalog:
        catalog.record(encrypted, origin="x/locked.pdf", version=VERSION, seconds=0.0)
        for _ in range(2):  # the same unhashed origin replaces itself …
            catalog.record(missing, origin="x/gone.pdf", version=VERSION, seconds=0.0)
        catalog.record(missing, origin="y/gone.pdf", version=VERSION, seconds=0.0)  # … another does not
        assert catalog.is_done("e" * 64, VERSION)
        assert not catalog.is_done("", VERSION)
        documents = catalog.frames()["documents"]
    assert list(documents["origin"]) == ["x/locked.pdf", "x/gone.pdf", "y/gone.pdf"]
    assert list(documents["status"]) == ["error"] * 3
    assert list(documents["error_code"]) == ["encrypted", "not_found", "not_found"]


@pytest.mark.parametrize("other", [min(MIGRATIONS) - 1, CATALOG_SCHEMA_VERSION + 1])
def test_another_schema_version_is_refused(catalog_at: CatalogLocation, other: int) -> None:
    """An older catalog that no migration brings up to date (before the records carried their
    table's metadata) or a newer one is refused with both versions named, never read with the
    wrong columns."""
    with Catalog.open(catalog_at) as catalog:
        catalog._execute("UPDATE schema_version SET version = ?", (other,))
    message = f"schema version {other}, this extractor writes version {CATALOG_SCHEMA_VERSION}"
    with pytest.raises(CatalogError, match=f"{message}: use a new output folder or database"):
        Catalog.open(catalog_at)


def test_a_nul_character_never_stops_a_catalog(catalog_at: CatalogLocation) -> None:
    """PostgreSQL cannot store U+0000 in a text: a document carrying one (in a record, a title
    or a warning) is recorded without it, and so is every document after it."""
    table = generic_result().tables[0]
    damaged = replace(
        generic_result(sha256="c" * 64, path="nul\x00.html"),
        tables=(replace(table, title="收支\x00总表", fields=(FieldRecord("单位\x00名称", "\x00", page=1),)),),
        warnings=(Issue("check_failed", "合计\x00 differs", page=1, table="t1"),),
    )
    record_all(catalog_at, [damaged, generic_result()])
    with Catalog.open(catalog_at) as catalog:
        assert ("单位名称", None) in catalog.select("SELECT key, value FROM fields")
        assert catalog.select("SELECT title FROM doc_tables ORDER BY document_id") == [("收支总表",), (None,)]
        assert catalog.select("SELECT message FROM warnings") == [("合计 differs",)]
        assert len(catalog.select("SELECT id FROM documents")) == 2


def as_version_4(catalog: Catalog) -> None:
    """Make a current catalog what version 4 wrote: no tables' ``reader``, no records' ``ocr``."""
    catalog._execute("UPDATE schema_version SET version = 4")
    catalog._execute("ALTER TABLE doc_tables DROP COLUMN reader")
    for dataset in DATASET_COLUMNS:
        catalog._execute(f"DROP VIEW {dataset}_v")
        catalog._execute(f"ALTER TABLE {dataset} DROP COLUMN ocr")
        catalog._execute(f"CREATE VIEW {dataset}_v AS SELECT * FROM {dataset}")


def as_version_3(catalog: Catalog) -> None:
    """What version 3 wrote: version 4's catalog without ``sheet``, ``cell_range`` and ``origins``,
    and the file's name as the records' ``source``."""
    as_version_4(catalog)
    catalog._execute("UPDATE schema_version SET version = 3")
    catalog._execute("ALTER TABLE doc_tables DROP COLUMN sheet")
    catalog._execute("ALTER TABLE doc_tables DROP COLUMN cell_range")
    catalog._execute("DROP TABLE origins")
    for dataset in DATASET_COLUMNS:
        catalog._execute(f"UPDATE {dataset} SET source = 'up.html'")
        catalog._execute(f"DROP VIEW {dataset}_v")
        catalog._execute(f"ALTER TABLE {dataset} DROP COLUMN sheet")
        catalog._execute(f"CREATE VIEW {dataset}_v AS SELECT * FROM {dataset}")


def test_a_version_4_catalog_is_migrated(catalog_at: CatalogLocation) -> None:
    """Version 4 had no OCR: opened now, its tables say they were read from the documents'
    text and its records that none was read by OCR; new records say so the same way."""
    record_all(catalog_at, [generic_result(path="made/up.html")])
    with Catalog.open(catalog_at) as catalog:
        as_version_4(catalog)
    with Catalog.open(catalog_at) as catalog:
        version = catalog.select("SELECT version FROM schema_version")
        readers = catalog.select("SELECT reader FROM doc_tables")
        catalog.record(
            generic_result(sha256="d" * 64, path="new.html"), origin="new.html", version=VERSION, seconds=0.1
        )
        flags = catalog.select("SELECT source, ocr FROM fields_v ORDER BY source")
        frames = catalog.frames()
    assert version == [(CATALOG_SCHEMA_VERSION,)] and CATALOG_SCHEMA_VERSION == 5
    assert readers == [("text",)]
    assert flags == [("made/up.html", 0), ("new.html", 0)]
    assert list(frames["fields"]["ocr"]) == [0, 0]


def test_a_version_3_catalog_is_migrated(catalog_at: CatalogLocation) -> None:
    """Version 3 put the file's name in the records' ``source`` and had no ``sheet`` and no
    ``origins``; opened now, the catalog names each record's document by its path as given, as
    new records do, has the new columns, each document's origin in ``origins``, and says the
    current version (migrated through version 4)."""
    results = [generic_result(path="made/up.html"), generic_result(sha256="e" * 64, path="other/up.html")]
    record_all(catalog_at, results)
    with Catalog.open(catalog_at) as catalog:
        as_version_3(catalog)
    with Catalog.open(catalog_at) as catalog:
        assert catalog.select("SELECT version FROM schema_version") == [(CATALOG_SCHEMA_VERSION,)]
        sources = catalog.select("SELECT source, sheet FROM fields ORDER BY document_id")
        origins = catalog.select("SELECT origin FROM origins ORDER BY document_id")
        catalog.record(
            generic_result(sha256="d" * 64, path="new.html"), origin="new.html", version=VERSION, seconds=0.1
        )
        frames = catalog.frames()
        view = catalog.select("SELECT sheet, origin, checks_total FROM fields_v WHERE source = 'new.html'")
    assert sources == [("made/up.html", None), ("other/up.html", None)]
    assert origins == [("made/up.html",), ("other/up.html",)]
    assert sorted(frames["fields"]["source"]) == ["made/up.html", "new.html", "other/up.html"]
    assert view == [(None, "new.html", 0)]


# --- a writer killed halfway ------------------------------------------------------------

# The child records a document and SIGKILLs itself after one step of ``record`` ran, before
# the commit; the step is wrapped on the instance, the code under test is unchanged.
KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from extractor import parse
    from extractor.harvest.catalog import Catalog

    location, sample, step = sys.argv[1], sys.argv[2], sys.argv[3]
    catalog = Catalog.open(location if "://" in location else Path(location))
    original = getattr(catalog, step)

    def step_then_die(*args, **kwargs):
        original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(catalog, step, step_then_die)
    catalog.record(parse(sample), origin="killed", version="killed", seconds=0.0)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("step", ["_delete_previous", "_insert_document", "_insert_children"])
def test_a_killed_writer_leaves_no_half_document(
    catalog_at: CatalogLocation, seed_results: list[ParseResult], step: str
) -> None:
    before = seed_results[:2]
    record_all(catalog_at, before)
    # The child re-records the first document (its old rows must survive) …
    child = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(catalog_at), str(SEEDS[0]), step],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    # … and a new one (which must not appear).
    child = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(catalog_at), str(SEEDS[2]), step],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    with Catalog.open(catalog_at) as catalog:
        if catalog.dialect.name == "sqlite":
            assert catalog._execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert catalog.counts() == expected_counts(before)
        assert not catalog.is_done(seed_results[0].source.sha256, "killed")
        assert not catalog.is_done(seed_results[2].source.sha256, "killed")
        assert catalog.is_done(seed_results[0].source.sha256, VERSION)
        frames = catalog.frames()
        # … and the catalog takes the next document as if nothing happened.
        catalog.record(seed_results[2], origin="after", version=VERSION, seconds=0.0)
        assert catalog.counts() == expected_counts(seed_results[:3])
    for dataset, frame in to_frames(before).items():
        pd.testing.assert_frame_equal(frames[dataset], frame)


# --- exports ----------------------------------------------------------------------------


def test_csv_export_is_what_parse_to_csv_writes(
    catalog_at: CatalogLocation, tmp_path: Path, seed_results: list[ParseResult]
) -> None:
    results = [*seed_results, generic_result()]
    record_all(catalog_at, results)
    parsed = write_csvs(results, tmp_path / "parse")
    exported = export_catalog(catalog_at, "csv", tmp_path / "export")
    assert [p.name for p in exported] == [f"{name}.csv" for name in EXPORTED_TABLES]
    for path in parsed:
        assert (tmp_path / "export" / path.name).read_bytes() == path.read_bytes(), path.name
    documents = pd.read_csv(exported[0], dtype=str, keep_default_na=False)
    assert list(documents.columns) == list(DOCUMENT_COLUMNS)
    assert len(documents) == len(results)
    assert not list((tmp_path / "export").glob(".*.tmp"))


def test_csv_export_writes_every_dataset_even_empty(tmp_path: Path, seed_results: list[ParseResult]) -> None:
    """Unlike ``parse --to csv`` the export always writes cells.csv, so a re-export never
    leaves a stale file from an earlier catalog."""
    record_all(tmp_path, seed_results[:1])
    export_catalog(tmp_path, "csv", tmp_path / "out")
    cells = (tmp_path / "out" / "cells.csv").read_text(encoding="utf-8")
    assert cells == ",".join([*PROVENANCE_COLUMNS, *DATASET_COLUMNS["cells"]]) + "\n"


def test_xlsx_export_has_a_sheet_per_table(tmp_path: Path, seed_results: list[ParseResult]) -> None:
    from openpyxl import load_workbook

    results = [*seed_results, generic_result()]
    record_all(tmp_path, results)
    (path,) = export_catalog(tmp_path, "xlsx", tmp_path / "xlsx")
    with Catalog.open(tmp_path) as catalog:
        frames = catalog.frames()
    workbook = load_workbook(path, read_only=True)
    try:
        assert workbook.sheetnames == list(EXPORTED_TABLES)
        for name in EXPORTED_TABLES:
            frame = frames[name]
            # A read-only sheet drops the empty cells that end a row: pad them back.
            width = len(frame.columns)
            rows = [(*r, *[None] * (width - len(r))) for r in workbook[name].iter_rows(values_only=True)]
            assert list(rows[0]) == list(frame.columns)
            assert len(rows) - 1 == len(frame)
            expected = [
                tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)
            ]
            # Texts stay texts (=SUM(A1:A2) is no formula); a control character is dropped.
            expected = [tuple("ab" if v == "a\x0bb" else v for v in row) for row in expected]
            assert [tuple(r) for r in rows[1:]] == expected, name
    finally:
        workbook.close()


def test_parquet_export_round_trips(tmp_path: Path, seed_results: list[ParseResult]) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    results = [*seed_results, generic_result()]
    record_all(tmp_path, results)
    paths = export_catalog(tmp_path, "parquet")
    assert [p.name for p in paths] == [f"{name}.parquet" for name in EXPORTED_TABLES]
    with Catalog.open(tmp_path) as catalog:
        frames = catalog.frames()
    for path, name in zip(paths, EXPORTED_TABLES, strict=True):
        # The file's columns are typed by the schema, not inferred from the values: a number
        # column that happens to be all empty is still double there (object in the frame).
        expected = frames[name].astype(
            {c: "float64" for c in frames[name].columns if sql_type(name, c) != "TEXT"}
        )
        pd.testing.assert_frame_equal(pd.read_parquet(path), expected, check_dtype=False)
    funds = pq.read_schema(tmp_path / "export" / "funds.parquet")
    assert str(funds.field("amount").type) == "double"
    assert str(funds.field("page").type) == "int64"
    assert str(pq.read_schema(tmp_path / "export" / "fields.parquet").field("value").type) == "string"
    assert str(funds.field("code").type) == "string" and str(funds.field("year").type) == "int64"
    # An empty dataset keeps its typed columns.
    cells = pq.read_schema(tmp_path / "export" / "cells.parquet")
    assert cells.names == [*PROVENANCE_COLUMNS, *DATASET_COLUMNS["cells"]]


def test_parquet_without_pyarrow_says_what_to_install(
    tmp_path: Path, seed_results: list[ParseResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    record_all(tmp_path, seed_results[:1])
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingDependency, match=r"pip install 'extractor\[parquet\]'"):
        export_catalog(tmp_path, "parquet")


def test_export_needs_a_catalog_and_a_known_format(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="extractor batch"):
        export_catalog(tmp_path, "csv")
    assert not (tmp_path / CATALOG_NAME).exists()
    Catalog.open(tmp_path).close()
    with pytest.raises(ValueError, match="csv, parquet, xlsx"):
        export_catalog(tmp_path, "json")


def test_export_defaults_to_the_catalog_folder_and_a_database_needs_a_destination(
    tmp_path: Path, postgres_url: str, seed_results: list[ParseResult]
) -> None:
    record_all(tmp_path, seed_results[:1])
    assert export_catalog(tmp_path, "csv")[0].parent == tmp_path / "export"
    with pytest.raises(CatalogError, match="holds no catalog"):
        export_catalog(postgres_url, "csv", tmp_path / "pg")
    record_all(postgres_url, seed_results[:1])
    with pytest.raises(CatalogError, match="--out DEST"):
        export_catalog(postgres_url, "csv")
    exported = export_catalog(postgres_url, "csv", tmp_path / "pg")
    for path in exported:
        assert (
            path.read_bytes() == (tmp_path / "export" / path.name).read_bytes()
            or path.name == "documents.csv"
        )


def test_a_database_that_cannot_be_reached_is_named_without_its_password(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://someone:s3cret@/catalog?host={tmp_path}&port=1"
    with pytest.raises(CatalogError) as failure:
        Catalog.open(url)
    assert "cannot connect" in failure.value.message
    assert "s3cret" not in failure.value.message and "catalog" in failure.value.message


def test_writers_of_one_catalog_wait_for_each_other(
    catalog_at: CatalogLocation, seed_results: list[ParseResult]
) -> None:
    """Two batches recording the same documents at once: each document ends up there once."""
    Catalog.open(catalog_at).close()  # the tables exist before the writers race
    failures: list[BaseException] = []

    def write() -> None:
        try:
            record_all(catalog_at, seed_results)
        except BaseException as exc:
            failures.append(exc)

    writers = [threading.Thread(target=write) for _ in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert not failures
    with Catalog.open(catalog_at) as catalog:
        assert catalog.counts() == expected_counts(seed_results)


def test_read_dataset_gives_typed_frames_of_an_export(
    tmp_path: Path, seed_results: list[ParseResult]
) -> None:
    """Codes stay text (205, not 205.0), pages and years integers, empty cells null; the values
    are those the catalog holds."""
    budget = parse(ROOT / "samples" / "generated" / "expenditure_education_xlsx.xlsx")
    results = [*seed_results, budget, generic_result()]
    record_all(tmp_path, results)
    export_catalog(tmp_path, "csv", tmp_path / "out")
    from openpyxl import load_workbook

    (workbook_path,) = export_catalog(tmp_path, "xlsx", tmp_path / "xlsx")
    workbook = load_workbook(workbook_path, read_only=True)
    try:
        sheet = workbook["funds"]
        header = next(sheet.iter_rows(max_row=1, values_only=True))
        codes = {row[header.index("code")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    finally:
        workbook.close()
    assert "2050201" in codes and all(code is None or isinstance(code, str) for code in codes)  # text cells
    frames = read_dataset(tmp_path / "out")
    assert list(frames) == list(EXPORTED_TABLES)
    tables = frames["tables"]
    assert {"source", "table", "table_kind", "table_title", "org", "year", "stage", "scope"} <= set(
        tables.columns
    )
    assert len(tables.merge(frames["funds"], on=["source", "table"])) == len(frames["funds"])
    assert {"source", "table", "code", "message"} <= set(frames["warnings"].columns)
    funds = frames["funds"]
    codes = funds.loc[funds["source"] == budget.source.path, "code"]
    assert str(codes.dtype) == "string" and "205" in set(codes) and "2050201" in set(codes)
    assert str(funds["year"].dtype) == "Int64" and str(funds["amount"].dtype) == "Float64"
    assert funds["code"].isna().sum() > 0 and not (funds["code"] == "").any()
    with Catalog.open(tmp_path) as catalog:
        stored = catalog.frames()
    for name, frame in frames.items():
        expected = stored[name].replace("", None)
        assert (
            frame.astype(object).where(frame.notna(), None).values.tolist()
            == expected.astype(object).where(expected.notna(), None).values.tolist()
        ), name


def test_the_catalog_names_no_column_after_an_sql_keyword(
    tmp_path: Path, seed_results: list[ParseResult]
) -> None:
    """CONTRACT's ``table`` and ``column`` are stored as table_id and column_path, so a query of
    the database needs no quoting; the exports still say table and column."""
    record_all(tmp_path, seed_results[:1])
    connection = sqlite3.connect(tmp_path / CATALOG_NAME)
    try:
        for name in ("indicators", "funds", "fields", "cells", "doc_tables", "warnings"):
            columns = {row[1] for row in connection.execute(f"PRAGMA table_info({name})")}
            assert not columns & {"table", "column"}, name
            assert "table_id" in columns, name
        assert (
            connection.execute("SELECT count(*) FROM funds WHERE column_path = '全年预算数'").fetchone()[0]
            > 0
        )
    finally:
        connection.close()
    export_catalog(tmp_path, "csv", tmp_path / "out")
    header = (tmp_path / "out" / "funds.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"table", "column"} <= set(header)


def test_dataset_views_join_the_document_and_its_table(
    catalog_at: CatalogLocation, seed_results: list[ParseResult]
) -> None:
    record_all(catalog_at, seed_results[:1])
    with Catalog.open(catalog_at) as catalog:
        rows = catalog.select(
            "SELECT origin, org, column_path, amount_yuan, checks_total FROM funds_v WHERE item = ?",
            ("资金总额",),
        )
        (indicators,) = catalog.select("SELECT count(*) FROM indicators_v WHERE stage = ?", ("performance",))
    assert rows and {row[0] for row in rows} == {seed_results[0].source.path}
    assert {row[1] for row in rows} == {"南京江北新区产业技术研创园管理办公室（本级）"}
    assert {row[3] for row in rows} == {1_377_600_000.0} and all(row[4] for row in rows)
    assert indicators[0] == 82


# --- an export killed halfway -------------------------------------------------------------

KILLED_EXPORT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import extractor.harvest.catalog_export as catalog_export

    original, written = catalog_export.write_csv, []

    def write_then_die(*args, **kwargs):
        written.append(original(*args, **kwargs))
        if len(written) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return written[-1]

    catalog_export.write_csv = write_then_die
    catalog_export.export_catalog(Path(sys.argv[1]), "csv", Path(sys.argv[2]))
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_export_leaves_the_previous_set_whole(
    tmp_path: Path, seed_results: list[ParseResult]
) -> None:
    """kill -9 after three of the files leaves the previous export as it was (no new file beside
    old ones, no temporary file inside it); the next export cleans up and writes the new set,
    keeping a file of the user's that was in the folder."""
    location, dest = tmp_path / "catalog", tmp_path / "out"
    record_all(location, seed_results[:1])
    export_catalog(location, "csv", dest)
    (dest / "notes.txt").write_text("mine", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in dest.iterdir()}
    record_all(location, seed_results[1:2])
    child = subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT, str(location), str(dest)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.new-")]  # what it left
    export_catalog(location, "csv", dest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog", "out"]
    documents = pd.read_csv(dest / "documents.csv")
    assert len(documents) == 2 and (dest / "notes.txt").read_text(encoding="utf-8") == "mine"
