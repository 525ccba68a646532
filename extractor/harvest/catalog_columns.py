"""What the catalog's tables hold: their columns, the type of each, and how each exported table
is read from a stored one (named as the datasets name their columns, so that all join on
(source, table))."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractor.export import DATASET_COLUMNS, OUTPUT_COLUMNS, OUTPUT_TYPES, PROVENANCE_COLUMNS

# The SQL type of each column that is not TEXT, per table. The types matter beyond taste:
# a TEXT column keeps "0123" as printed, where a REAL one would turn it into 123.0.
_TABLE_TYPES = {
    "kind_confidence": "REAL",
    "year": "INTEGER",
    "checks_held": "INTEGER",
    "checks_total": "INTEGER",
}
_NON_TEXT_COLUMNS: dict[str, dict[str, str]] = {
    "documents": {"pages": "INTEGER", "warnings": "INTEGER", "tables": "INTEGER", "seconds": "REAL"},
    "doc_tables": _TABLE_TYPES,
    "tables": _TABLE_TYPES,
    "warnings": {"page": "INTEGER"},
    "origins": {},
    **OUTPUT_TYPES,
}

#: Columns of the ``documents`` table after its ``id``, in the order they are exported.
DOCUMENT_COLUMNS = (
    "origin",  # the path (as given) or URL the batch read the document from: the datasets' ``source``
    "url",  # where a crawled document was published (its crawl sidecar), else empty
    "listing_url",  # the listing page that linked it, empty for a seed
    "file_name",  # the origin's last part, the file's own name
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
    "org",
    "stage",
    "scope",
    "sheet",  # a workbook table's sheet, and its A1 range there
    "cell_range",
    "reader",  # text, ocr (read from page images) or text+ocr
)
WARNING_COLUMNS = ("code", "message", "page", "table_id")
#: Columns of ``origins``: every path or URL a document's content was read from, the first
#: first (two files with the same bytes are one document with two origins).
ORIGIN_COLUMNS = ("origin", "url", "listing_url")
#: Each exported table read from a stored one: the stored table, the columns selected from it
#: (``r``) and from its document (``d``), and the names they are exported under — doc_tables and
#: warnings named as the datasets name them, so that all join on (source, table).
_RENAMED = {"table_id": "table", "kind": "table_kind", "title": "table_title"}
#: Dataset columns stored under another name: CONTRACT's ``table`` and ``column`` are SQL
#: keywords, which every query would have to quote.
STORED_NAMES = {"table": "table_id", "column": "column_path"}


def stored_columns(columns: Sequence[str]) -> tuple[str, ...]:
    """The names the catalog stores dataset columns under (``STORED_NAMES``)."""
    return tuple(STORED_NAMES.get(c, c) for c in columns)


STORED_SOURCES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    name: (
        stored,
        ("d.origin", "d.sha256", *(f'r."{c}"' for c in own)),
        ("source", "sha256", *(_RENAMED.get(c, c) for c in own)),
    )
    for name, stored, own in (
        ("tables", "doc_tables", TABLE_COLUMNS),
        ("warnings", "warnings", WARNING_COLUMNS),
        ("origins", "origins", ORIGIN_COLUMNS),
    )
} | {
    name: (
        name,
        tuple(f"r.{c}" for c in stored_columns((*PROVENANCE_COLUMNS, *own))),
        (*PROVENANCE_COLUMNS, *own),
    )
    for name, own in DATASET_COLUMNS.items()
}
EXPORTED_TABLES = ("documents", "origins", "tables", "warnings", *OUTPUT_COLUMNS)


@dataclass(frozen=True)
class Migration:
    """The statements that bring a catalog of one schema version to the next: ``before`` the
    current tables and views are made (columns added, views dropped to be made again), and
    ``after`` (new tables filled)."""

    before: tuple[str, ...]
    after: tuple[str, ...] = ()


#: Version 4 names each record's document by its path as given (``origin``) where version 3 gave
#: the file name only, places workbook tables and records on their sheet, and keeps every origin
#: a document's content was read from (``origins``). Version 5 says how each table's text was
#: read (``reader``) and flags each record read by OCR (``ocr``); older tables were all read from
#: the documents' text.
MIGRATIONS: dict[int, Migration] = {
    3: Migration(
        before=(
            "ALTER TABLE doc_tables ADD COLUMN sheet TEXT",
            "ALTER TABLE doc_tables ADD COLUMN cell_range TEXT",
            *(
                statement
                for dataset in DATASET_COLUMNS
                for statement in (
                    f"DROP VIEW IF EXISTS {dataset}_v",  # made again with the new column
                    f"ALTER TABLE {dataset} ADD COLUMN sheet TEXT",
                    f"UPDATE {dataset} SET source = "
                    "(SELECT origin FROM documents AS d WHERE d.id = document_id)",
                )
            ),
        ),
        after=(
            "INSERT INTO origins (document_id, seq, origin, url, listing_url) "
            "SELECT id, 1, origin, url, listing_url FROM documents",
        ),
    ),
    4: Migration(
        before=(
            "ALTER TABLE doc_tables ADD COLUMN reader TEXT",
            "UPDATE doc_tables SET reader = 'text'",
            *(
                statement
                for dataset in DATASET_COLUMNS
                for statement in (
                    f"DROP VIEW IF EXISTS {dataset}_v",
                    f"ALTER TABLE {dataset} ADD COLUMN ocr INTEGER",
                    f"UPDATE {dataset} SET ocr = 0",
                )
            ),
        ),
    ),
}


def sql_type(table: str, column: str) -> str:
    """INTEGER, REAL or TEXT: what ``column`` of ``table`` holds (and how Parquet types it)."""
    return _NON_TEXT_COLUMNS[table].get(column, "TEXT")


def column_types(table: str) -> dict[str, str]:
    """The non-text columns of ``table`` with their types (INTEGER or REAL)."""
    return _NON_TEXT_COLUMNS[table]
