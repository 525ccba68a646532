"""The catalog of a batch: every parsed document and its records in one database.

SQLite by default (``catalog.sqlite`` in the output folder), PostgreSQL when given a
``postgresql://`` URL (psycopg, the ``postgres`` extra); the statements are the same but
for the few differences a ``Dialect`` holds. ``extractor batch`` records each document as
it finishes (``Catalog.record``) and asks ``Catalog.is_done`` to skip documents already
parsed by the same extractor version, so a run that was stopped picks up where it left
off. :mod:`extractor.harvest.catalog_export` turns it into the flat datasets of CONTRACT §2
(CSV, Parquet or one Excel workbook).

Why it survives ``kill -9``: each document is written in one transaction (its old rows
deleted, its new rows inserted), so a reader sees a document either completely or not at
all; SQLite (in WAL mode) rolls back an unfinished transaction the next time the file is
opened, PostgreSQL when the connection drops. Writers take a lock at the start of the
transaction (SQLite's ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so two batches
writing one catalog wait for each other instead of failing halfway.

The dataset tables (``indicators``, ``funds``, ``fields``, ``cells``) hold the CONTRACT
columns as built by ``extractor.export.dataset_rows``, so they cannot drift from the CSV
of ``extractor parse --to csv``; empty texts and numbers are stored as NULL and come back
as ``""`` / ``None`` exactly as ``to_frames`` has them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from extractor.errors import ExtractorError, MissingDependency
from extractor.export import (
    DATASET_COLUMNS,
    OUTPUT_COLUMNS,
    OUTPUT_TYPES,
    PROVENANCE_COLUMNS,
    WIDE_DATASET,
    Value,
    dataset_rows,
    wide_table,
)
from extractor.names import redact
from extractor.records import ParseResult

if TYPE_CHECKING:
    import pandas as pd

CATALOG_NAME = "catalog.sqlite"
#: Bump when a table or column of the catalog changes; an older file is then refused.
CATALOG_SCHEMA_VERSION = 3

# The SQL type of each column that is not TEXT, per table. The types matter beyond taste:
# a TEXT column keeps "0123" as printed, where a REAL one would turn it into 123.0.
_NON_TEXT_COLUMNS: dict[str, dict[str, str]] = {
    "documents": {"pages": "INTEGER", "warnings": "INTEGER", "tables": "INTEGER", "seconds": "REAL"},
    "doc_tables": {
        "kind_confidence": "REAL",
        "year": "INTEGER",
        "checks_held": "INTEGER",
        "checks_total": "INTEGER",
    },
    "warnings": {"page": "INTEGER"},
    **OUTPUT_TYPES,
}

#: Columns of the ``documents`` table after its ``id``, in the order they are exported.
DOCUMENT_COLUMNS = (
    "origin",  # the path or URL the batch read the document from
    "file_name",  # the name the datasets' ``source`` column carries
    "sha256",  # NULL when the file could not even be read to hash it
    "format",
    "pages",
    "status",  # ok | error
    "error_code",
    "error_message",
    "warnings",  # how many warnings the result carries
    "tables",  # how many tables it found
    "seconds",  # time spent parsing it
    "extractor_version",
    "parsed_at",  # UTC, ISO 8601
)
#: Columns of ``doc_tables``, one row per table of a document.
TABLE_COLUMNS = (
    "table_id",
    "kind",
    "kind_confidence",
    "title",
    "pages",  # a JSON array, e.g. [2, 3] for a table stitched across two pages
    "year",
    "unit_name",
    "amount_unit",
    "checks_held",
    "checks_total",
)
WARNING_COLUMNS = ("code", "message", "page", "table_id")
#: What ``export_catalog`` writes: the CONTRACT §2 datasets and the documents they came from.
EXPORTED_TABLES = ("documents", *OUTPUT_COLUMNS)


class CatalogError(ExtractorError):
    """The catalog cannot be used as asked: missing, from another schema version, or its
    database failed (the driver's message is kept)."""

    code = "catalog"


#: Where a catalog lives: a folder (``catalog.sqlite`` in it) or a ``postgresql://`` URL.
CatalogLocation = Path | str
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
#: The advisory lock PostgreSQL writers of a catalog take in turn (the bytes of "extractr").
_POSTGRES_LOCK_KEY = 0x6578747261637472


def is_database_url(location: CatalogLocation) -> bool:
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


def describe(location: CatalogLocation) -> str:
    """The location fit for messages and logs: a URL without its password."""
    if isinstance(location, str) and is_database_url(location):
        return redact(location)
    return str(Path(location) / CATALOG_NAME)


def sql_type(table: str, column: str) -> str:
    """INTEGER, REAL or TEXT: what ``column`` of ``table`` holds (and how Parquet types it)."""
    return _NON_TEXT_COLUMNS[table].get(column, "TEXT")


@dataclass(frozen=True)
class Dialect:
    """What differs between SQLite and PostgreSQL; the statements are otherwise the same."""

    name: str
    id_column: str
    types: dict[str, str]  # sql_type → the column type of this database
    placeholder: str
    begin_write: tuple[str, ...]  # start a transaction that writers take one at a time
    begin_read: str  # start a transaction that sees one consistent state

    def sql(self, statement: str) -> str:
        return statement if self.placeholder == "?" else statement.replace("?", self.placeholder)


SQLITE = Dialect(
    name="sqlite",
    id_column="id INTEGER PRIMARY KEY",
    types={"INTEGER": "INTEGER", "REAL": "REAL", "TEXT": "TEXT"},
    placeholder="?",
    # The write lock is taken up front, so two processes writing one catalog wait for
    # each other instead of failing halfway.
    begin_write=("BEGIN IMMEDIATE",),
    begin_read="BEGIN",
)
POSTGRES = Dialect(
    name="postgresql",
    id_column="id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    # PostgreSQL's REAL is four bytes; amounts need eight.
    types={"INTEGER": "INTEGER", "REAL": "DOUBLE PRECISION", "TEXT": "TEXT"},
    placeholder="%s",
    # One writer at a time, as with SQLite: the lock is held to the end of the transaction,
    # and is taken even before the tables exist (the first writer creates them).
    begin_write=("BEGIN", f"SELECT pg_advisory_xact_lock({_POSTGRES_LOCK_KEY})"),
    begin_read="BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
)


def _quoted(column: str) -> str:
    """Quote a column name: several CONTRACT names (``table``, ``column``) are SQL keywords."""
    return '"' + column.replace('"', '""') + '"'


def _column_sql(dialect: Dialect, table: str, columns: Sequence[str]) -> str:
    return ",\n  ".join(f"{_quoted(c)} {dialect.types[sql_type(table, c)]}" for c in columns)


def _child_table_sql(dialect: Dialect, name: str, columns: Sequence[str]) -> str:
    """A table whose rows belong to one document, kept in the order they were recorded."""
    return (
        f"CREATE TABLE IF NOT EXISTS {name} (\n"
        "  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
        "  seq INTEGER NOT NULL,\n"
        f"  {_column_sql(dialect, name, columns)},\n"
        "  PRIMARY KEY (document_id, seq)\n"
        ")"
    )


def schema_sql(dialect: Dialect) -> list[str]:
    """The statements that create the catalog (idempotent)."""
    return [
        f"CREATE TABLE IF NOT EXISTS documents (\n  {dialect.id_column},\n"
        f"  {_column_sql(dialect, 'documents', DOCUMENT_COLUMNS)},\n"
        "  CHECK (status IN ('ok', 'error'))\n)",
        # NULLs are distinct in a UNIQUE index, so unhashed documents do not collide.
        "CREATE UNIQUE INDEX IF NOT EXISTS documents_sha256 ON documents(sha256)",
        "CREATE INDEX IF NOT EXISTS documents_origin ON documents(origin)",
        _child_table_sql(dialect, "doc_tables", TABLE_COLUMNS),
        _child_table_sql(dialect, "warnings", WARNING_COLUMNS),
        *(
            _child_table_sql(dialect, dataset, [*PROVENANCE_COLUMNS, *columns])
            for dataset, columns in DATASET_COLUMNS.items()
        ),
    ]


def _stored(value: Value) -> Value:
    """Empty texts are stored as NULL, so that ``WHERE level2 IS NULL`` finds them."""
    return None if value == "" else value


def _insert_sql(name: str, columns: Sequence[str]) -> str:
    names = ", ".join(["document_id", "seq", *(_quoted(c) for c in columns)])
    marks = ", ".join("?" * (len(columns) + 2))
    return f"INSERT INTO {name} ({names}) VALUES ({marks})"


class _Connection(Protocol):
    """What the catalog uses of a DB-API connection (sqlite3's and psycopg's both have it)."""

    def cursor(self) -> Any: ...

    def close(self) -> None: ...


@dataclass
class Catalog:
    """One open catalog; use ``Catalog.open(location)``, and close it (or use ``with``).

    Every method raises ``CatalogError`` when the database fails, whichever it is.
    """

    location: CatalogLocation
    connection: _Connection
    dialect: Dialect

    @classmethod
    def open(cls, location: CatalogLocation, *, create: bool = True) -> Catalog:
        """Open the catalog at ``location``: a folder (``catalog.sqlite`` inside, the folder
        and file made when missing) or a PostgreSQL URL (the tables made when missing).

        With ``create=False`` a catalog that does not exist yet is a ``CatalogError``.
        """
        if is_database_url(location):
            catalog = cls(location, _connect_postgres(str(location)), POSTGRES)
        else:
            catalog = cls(location, _connect_sqlite(Path(location), create=create), SQLITE)
        try:
            with catalog._errors():
                catalog._ensure_schema(create=create)
        except BaseException:
            catalog.connection.close()
            raise
        return catalog

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """The driver's errors as ``CatalogError``, naming the catalog (without a password)."""
        try:
            yield
        except _driver_errors() as exc:
            raise CatalogError(f"{describe(self.location)}: {exc}".strip()) from exc

    def _execute(self, statement: str, parameters: Sequence[Value] = ()) -> Any:
        cursor = self.connection.cursor()
        cursor.execute(self.dialect.sql(statement), parameters)
        return cursor

    def _ensure_schema(self, *, create: bool) -> None:
        with self._transaction():
            exists = self._table_exists("schema_version")
            if not exists and not create:
                raise CatalogError(
                    f"{describe(self.location)} holds no catalog: run `extractor batch` into it"
                )
            self._execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = self._execute("SELECT version FROM schema_version").fetchone()
            if row is not None and row[0] != CATALOG_SCHEMA_VERSION:
                raise CatalogError(
                    f"{describe(self.location)} has catalog schema version {row[0]}, this extractor "
                    f"writes version {CATALOG_SCHEMA_VERSION}: use a new output folder or database, "
                    "or export the old one with the extractor that wrote it"
                )
            for statement in schema_sql(self.dialect):
                self._execute(statement)
            if row is None:
                self._execute("INSERT INTO schema_version (version) VALUES (?)", (CATALOG_SCHEMA_VERSION,))

    def _table_exists(self, name: str) -> bool:
        if self.dialect is SQLITE:
            query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        else:
            query = "SELECT 1 WHERE to_regclass(?) IS NOT NULL"
        return self._execute(query, (name,)).fetchone() is not None

    @contextmanager
    def _transaction(self, begin: Sequence[str] | None = None) -> Iterator[None]:
        """A write transaction (or the one ``begin`` starts), rolled back on any failure."""
        for statement in self.dialect.begin_write if begin is None else begin:
            self._execute(statement)
        try:
            yield
        except BaseException:
            self._execute("ROLLBACK")
            raise
        self._execute("COMMIT")

    def is_done(self, sha256: str, version: str, *, failed_too: bool = True) -> bool:
        """Whether a document with this content was recorded by this extractor version: ok, or
        with an error unless ``failed_too`` is False (errors are then tried again).

        A document without a hash (it could not be read) is never done: it is tried again.
        """
        if not sha256:
            return False
        query = "SELECT 1 FROM documents WHERE sha256 = ? AND extractor_version = ?"
        if not failed_too:
            query += " AND status = 'ok'"
        with self._errors():
            row = self._execute(query, (sha256, version)).fetchone()
        return row is not None

    def record(self, result: ParseResult, *, origin: str, version: str, seconds: float) -> None:
        """Store one document and all its rows in one transaction, replacing an earlier record
        of the same content (same sha256; same origin for a document without a hash)."""
        with self._errors(), self._transaction():
            self._delete_previous(result, origin)
            document_id = self._insert_document(result, origin=origin, version=version, seconds=seconds)
            self._insert_children(document_id, result)

    def _delete_previous(self, result: ParseResult, origin: str) -> None:
        # The child rows go with their document (ON DELETE CASCADE).
        if result.source.sha256:
            self._execute("DELETE FROM documents WHERE sha256 = ?", (result.source.sha256,))
        else:
            self._execute("DELETE FROM documents WHERE sha256 IS NULL AND origin = ?", (origin,))

    def _insert_document(self, result: ParseResult, *, origin: str, version: str, seconds: float) -> int:
        source, error = result.source, result.error
        values: dict[str, Value] = {
            "origin": origin,
            "file_name": Path(source.path).name,
            "sha256": source.sha256,
            "format": source.format,
            "pages": source.pages,
            "status": "ok" if error is None else "error",
            "error_code": None if error is None else error.code,
            "error_message": None if error is None else error.message,
            "warnings": len(result.warnings),
            "tables": len(result.tables),
            "seconds": float(seconds),
            "extractor_version": version,
            "parsed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        names = ", ".join(_quoted(c) for c in DOCUMENT_COLUMNS)
        marks = ", ".join("?" * len(DOCUMENT_COLUMNS))
        (document_id,) = self._execute(
            f"INSERT INTO documents ({names}) VALUES ({marks}) RETURNING id",
            [_stored(values[c]) for c in DOCUMENT_COLUMNS],
        ).fetchone()
        return int(document_id)

    def _insert_children(self, document_id: int, result: ParseResult) -> None:
        tables = [
            (
                t.id,
                t.kind,
                t.kind_confidence,
                t.title,
                json.dumps(list(t.pages)),
                t.meta.year,
                t.meta.unit_name,
                t.meta.amount_unit,
                t.checks_held,
                t.checks_total,
            )
            for t in result.tables
        ]
        warnings = [(w.code, w.message, w.page, w.table) for w in result.warnings]
        self._insert_rows("doc_tables", TABLE_COLUMNS, document_id, tables)
        self._insert_rows("warnings", WARNING_COLUMNS, document_id, warnings)
        for dataset, columns in DATASET_COLUMNS.items():
            header = [*PROVENANCE_COLUMNS, *columns]
            rows = [tuple(row[c] for c in header) for row in dataset_rows([result], dataset)]
            self._insert_rows(dataset, header, document_id, rows)

    def _insert_rows(
        self, name: str, columns: Sequence[str], document_id: int, rows: Sequence[Sequence[Value]]
    ) -> None:
        if not rows:
            return
        self.connection.cursor().executemany(
            self.dialect.sql(_insert_sql(name, columns)),
            [(document_id, seq, *(_stored(v) for v in row)) for seq, row in enumerate(rows, start=1)],
        )

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, doc_tables, warnings and the datasets."""
        names = ("documents", "doc_tables", "warnings", *DATASET_COLUMNS)
        with self._errors():
            return {n: int(self._execute(f"SELECT count(*) FROM {n}").fetchone()[0]) for n in names}

    def rows(self, name: str) -> tuple[tuple[str, ...], list[tuple[Value, ...]]]:
        """The exported columns and rows of ``documents`` or a dataset, in recording order.

        Empty texts come back as ``""`` and empty numbers as ``None``, as ``dataset_rows`` has them.
        """
        if name == "documents":
            columns: tuple[str, ...] = DOCUMENT_COLUMNS
            query = f"SELECT {', '.join(_quoted(c) for c in columns)} FROM documents ORDER BY id"
        elif name in DATASET_COLUMNS:
            columns = (*PROVENANCE_COLUMNS, *DATASET_COLUMNS[name])
            # Documents in the order they were recorded, rows in the order of the result.
            selected = ", ".join(f"r.{_quoted(c)}" for c in columns)
            query = (
                f"SELECT {selected} FROM {name} AS r JOIN documents AS d ON d.id = r.document_id "
                "ORDER BY d.id, r.seq"
            )
        elif name == WIDE_DATASET:  # not stored: built from the indicators, as to_frames does
            return wide_table(*self.rows("indicators"))
        else:
            raise ValueError(f"no exported table {name!r}; expected one of {', '.join(EXPORTED_TABLES)}")
        texts = [i for i, c in enumerate(columns) if sql_type(name, c) == "TEXT"]
        rows = []
        with self._errors():
            for row in self._execute(query).fetchall():
                values = list(row)
                for i in texts:
                    if values[i] is None:
                        values[i] = ""
                rows.append(tuple(values))
        return columns, rows

    def select(self, query: str, parameters: Sequence[Value] = ()) -> list[tuple[Value, ...]]:
        """The rows of a read-only query (``?`` placeholders on every database), for reports."""
        with self._errors():
            return [tuple(row) for row in self._execute(query, parameters).fetchall()]

    def frames(self) -> dict[str, pd.DataFrame]:
        """``documents`` and the datasets as pandas frames, equal to ``to_frames`` of the results."""
        import pandas as pd

        frames = {}
        for name, (columns, rows) in self.snapshot().items():
            frames[name] = pd.DataFrame([dict(zip(columns, r, strict=True)) for r in rows], columns=columns)
        return frames

    def snapshot(self) -> dict[str, tuple[tuple[str, ...], list[tuple[Value, ...]]]]:
        """Every exported table read in one read transaction, so that a batch still writing
        the catalog cannot leave a document in one file and not in another."""
        with self._errors(), self._transaction((self.dialect.begin_read,)):
            return {name: self.rows(name) for name in EXPORTED_TABLES}

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _connect_sqlite(out_dir: Path, *, create: bool) -> sqlite3.Connection:
    """The catalog file in ``out_dir``, in WAL mode with foreign keys on."""
    path = out_dir / CATALOG_NAME
    if not create and not path.is_file():
        raise CatalogError(f"{out_dir} has no {CATALOG_NAME}: run `extractor batch` into it first")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: the transactions are ours (BEGIN IMMEDIATE … COMMIT).
        connection = sqlite3.connect(path, timeout=60, isolation_level=None)
        connection.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL loses no committed document to a killed process (only,
        # at worst, the last ones to a power cut), and never corrupts the file.
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
    except (sqlite3.Error, OSError) as exc:
        raise CatalogError(f"{path}: cannot open the catalog ({exc}); is it a SQLite file?") from exc
    return connection


def _connect_postgres(url: str) -> _Connection:
    """A connection whose transactions are ours (autocommit, explicit BEGIN … COMMIT), like SQLite's."""
    try:
        import psycopg
    except ImportError as exc:
        raise MissingDependency(
            "a PostgreSQL catalog needs psycopg: pip install 'extractor[postgres]'"
        ) from exc
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=30, application_name="extractor")
    except psycopg.Error as exc:
        raise CatalogError(f"{redact(url)}: cannot connect ({exc})".strip()) from exc


def _driver_errors() -> tuple[type[Exception], ...]:
    """sqlite3's errors, and psycopg's where it is installed."""
    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)
