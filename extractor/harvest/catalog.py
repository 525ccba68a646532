"""The catalog of a batch: every parsed document and its records in one database.

SQLite by default (``catalog.sqlite`` in the output folder), PostgreSQL for a ``postgresql://``
URL (psycopg, the ``postgres`` extra), the few differences held by a ``Dialect``. ``extractor
batch`` records each document as it finishes (``Catalog.record``) and skips documents already
parsed by the same version (``Catalog.is_done``), so a stopped run picks up where it left off;
:mod:`extractor.harvest.catalog_export` writes it out as CSV, Parquet or one Excel workbook.

It survives ``kill -9``: each document is written in one transaction (old rows deleted, new
rows inserted), which SQLite (WAL) rolls back when next opened and PostgreSQL when the connection
drops; writers lock at its start (``BEGIN IMMEDIATE``, an advisory lock), so two batches writing
one catalog wait for each other instead of failing halfway.

The dataset tables hold the CONTRACT columns as ``extractor.export.dataset_rows`` builds them, so
they cannot drift from ``parse --to csv``; empty texts and numbers are stored as NULL, and
``Catalog.frames`` types them as ``to_frames`` does (empty is null).
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
    PROVENANCE_COLUMNS,
    WIDE_DATASET,
    dataset_rows,
    typed_frame,
    wide_table,
)
from extractor.harvest.catalog_columns import (
    DOCUMENT_COLUMNS,
    EXPORTED_TABLES,
    MIGRATIONS,
    ORIGIN_COLUMNS,
    STORED_SOURCES,
    TABLE_COLUMNS,
    WARNING_COLUMNS,
    column_types,
    sql_type,
    stored_columns,
)
from extractor.harvest.catalog_sql import POSTGRES, SQLITE, Dialect, insert_sql, quoted, schema_sql, stored
from extractor.names import redact
from extractor.records import ParseResult, Value

if TYPE_CHECKING:
    import pandas as pd

CATALOG_NAME = "catalog.sqlite"
#: Bump when a table or column of the catalog changes; an older file is migrated where
#: ``MIGRATIONS`` says how, else refused.
CATALOG_SCHEMA_VERSION = 5


class CatalogError(ExtractorError):
    """The catalog cannot be used as asked: missing, from another schema version, or its
    database failed (the driver's message is kept)."""

    code = "catalog"


#: Where a crawled document was published: its URL and the listing page that linked it.
Published = tuple[str, str]
#: Where a catalog lives: a folder (``catalog.sqlite`` in it) or a ``postgresql://`` URL.
CatalogLocation = Path | str
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(location: CatalogLocation) -> bool:
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


def describe(location: CatalogLocation) -> str:
    """The location fit for messages and logs: a URL without its password."""
    if isinstance(location, str) and is_database_url(location):
        return redact(location)
    return str(Path(location) / CATALOG_NAME)


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
            migrating = row is not None and row[0] in MIGRATIONS
            if migrating:
                self._migrate(row[0], "before")
            if row is not None and not migrating and row[0] != CATALOG_SCHEMA_VERSION:
                raise CatalogError(
                    f"{describe(self.location)} has catalog schema version {row[0]}, this extractor "
                    f"writes version {CATALOG_SCHEMA_VERSION}: use a new output folder or database, "
                    "or export the old one with the extractor that wrote it"
                )
            for statement in schema_sql(self.dialect):
                self._execute(statement)
            if migrating:
                self._migrate(row[0], "after")
            if row is None:
                self._execute("INSERT INTO schema_version (version) VALUES (?)", (CATALOG_SCHEMA_VERSION,))

    def _migrate(self, version: int, step: str) -> None:
        """Bring a catalog of an older schema ``version`` to this one, inside the caller's
        transaction, so that a failed step leaves it as it was: each migration's ``before``
        statements, or, once the tables are made, its ``after`` ones."""
        while version in MIGRATIONS:
            for statement in getattr(MIGRATIONS[version], step):
                self._execute(statement)
            version += 1
        self._execute("UPDATE schema_version SET version = ?", (version,))

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

    def record(
        self,
        result: ParseResult,
        *,
        origin: str,
        version: str,
        seconds: float,
        published: Published = ("", ""),
    ) -> None:
        """Store one document and all its rows in one transaction, replacing an earlier record
        of the same content (same sha256; same origin for a document without a hash)."""
        with self._errors(), self._transaction():
            origins = self._origins_with(result.source.sha256, (origin, *published))
            self._delete_previous(result, origin)
            document_id = self._insert_document(result, origin, version, seconds, published)
            self._insert_children(document_id, result)
            self._insert_rows("origins", ORIGIN_COLUMNS, document_id, origins)

    def add_origin(self, sha256: str, origin: str, published: Published = ("", "")) -> None:
        """Name one more origin of a recorded document, without parsing it again: a second file
        with the same bytes, or the same file found at a new path."""
        with self._errors(), self._transaction():
            found = self._execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
            origins = self._origins_with(sha256, (origin, *published))
            if found is not None:
                self._execute("DELETE FROM origins WHERE document_id = ?", (found[0],))
                self._insert_rows("origins", ORIGIN_COLUMNS, int(found[0]), origins)

    def _origins_with(self, sha256: str, new: tuple[str, str, str]) -> list[tuple[Value, ...]]:
        """The origins recorded for this content, then ``new`` unless it is one of them."""
        known: list[tuple[Value, ...]] = []
        if sha256:
            known = [
                tuple("" if v is None else v for v in row)
                for row in self._execute(
                    "SELECT o.origin, o.url, o.listing_url FROM origins AS o JOIN documents AS d "
                    "ON d.id = o.document_id WHERE d.sha256 = ? ORDER BY o.seq",
                    (sha256,),
                ).fetchall()
            ]
        return known if any(row[0] == new[0] for row in known) else [*known, new]

    def _delete_previous(self, result: ParseResult, origin: str) -> None:
        # The child rows go with their document (ON DELETE CASCADE).
        if result.source.sha256:
            self._execute("DELETE FROM documents WHERE sha256 = ?", (result.source.sha256,))
        else:
            self._execute("DELETE FROM documents WHERE sha256 IS NULL AND origin = ?", (origin,))

    def _insert_document(
        self, result: ParseResult, origin: str, version: str, seconds: float, published: Published
    ) -> int:
        source, error = result.source, result.error
        values: dict[str, Value] = {
            "origin": origin,
            "url": published[0],
            "listing_url": published[1],
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
        names = ", ".join(quoted(c) for c in DOCUMENT_COLUMNS)
        marks = ", ".join("?" * len(DOCUMENT_COLUMNS))
        (document_id,) = self._execute(
            f"INSERT INTO documents ({names}) VALUES ({marks}) RETURNING id",
            [stored(values[c]) for c in DOCUMENT_COLUMNS],
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
                t.meta.org,
                t.meta.stage,
                t.meta.scope,
                t.sheet,
                t.cell_range,
                t.reader,
            )
            for t in result.tables
        ]
        warnings = [(w.code, w.message, w.page, w.table) for w in result.warnings]
        self._insert_rows("doc_tables", TABLE_COLUMNS, document_id, tables)
        self._insert_rows("warnings", WARNING_COLUMNS, document_id, warnings)
        for dataset, columns in DATASET_COLUMNS.items():
            header = [*PROVENANCE_COLUMNS, *columns]
            rows = [tuple(row[c] for c in header) for row in dataset_rows([result], dataset)]
            self._insert_rows(dataset, stored_columns(header), document_id, rows)

    def _insert_rows(
        self, name: str, columns: Sequence[str], document_id: int, rows: Sequence[Sequence[Value]]
    ) -> None:
        if not rows:
            return
        self.connection.cursor().executemany(
            self.dialect.sql(insert_sql(name, columns)),
            [(document_id, seq, *(stored(v) for v in row)) for seq, row in enumerate(rows, start=1)],
        )

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, doc_tables, warnings and the datasets."""
        names = ("documents", "doc_tables", "warnings", *DATASET_COLUMNS)
        with self._errors():
            return {n: int(self._execute(f"SELECT count(*) FROM {n}").fetchone()[0]) for n in names}

    def rows(self, name: str) -> tuple[tuple[str, ...], list[tuple[Value, ...]]]:
        """The columns and rows of an exported table, in recording order; empty texts come back
        as ``""`` and empty numbers as ``None``, as ``dataset_rows`` has them."""
        if name == "documents":
            columns: tuple[str, ...] = DOCUMENT_COLUMNS
            query = f"SELECT {', '.join(quoted(c) for c in columns)} FROM documents ORDER BY id"
        elif name in STORED_SOURCES:
            # Documents in the order they were recorded, rows in the order of the result.
            stored, selected_columns, columns = STORED_SOURCES[name]
            selected = ", ".join(selected_columns)
            query = f"SELECT {selected} FROM {stored} AS r JOIN documents AS d ON d.id = r.document_id "
            query += "ORDER BY d.id, r.seq"
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

        return {
            name: typed_frame(pd.DataFrame(rows, columns=list(columns)), column_types(name))
            for name, (columns, rows) in self.snapshot().items()
        }

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
