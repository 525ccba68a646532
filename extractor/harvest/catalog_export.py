"""The catalog of a batch as the flat datasets of CONTRACT §2: one CSV or Parquet file per
table (documents, tables, warnings, indicators, indicators_wide, funds, fields, cells), or one Excel
workbook with a sheet each.

Every table is written, even without rows, so a later export never leaves a stale file beside
fresh ones. The whole set is written into a fresh folder beside the destination and swapped in
at the end (``_swap_into``): an export killed at any moment leaves the previous set whole, never
old files beside new ones, and the next export removes what the killed one left behind.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.errors import MissingDependency
from extractor.export import UMASK, replacing, typed_frame, write_csv
from extractor.harvest.catalog import Catalog, CatalogError, CatalogLocation, is_database_url
from extractor.harvest.catalog_columns import EXPORTED_TABLES, column_types, sql_type
from extractor.records import Value

if TYPE_CHECKING:
    import pandas as pd

EXPORT_FORMATS = ("csv", "parquet", "xlsx")
XLSX_NAME = "catalog.xlsx"
_XLSX_MAX_ROWS = 1_048_576


def export_catalog(location: CatalogLocation, to: str, dest: Path | None = None) -> list[Path]:
    """Write the catalog at ``location`` into the folder ``dest``; return the paths written.

    ``dest`` defaults to ``export`` inside a catalog folder; a PostgreSQL catalog needs it.
    ``csv`` and ``parquet`` write one file per table (documents, tables, warnings, indicators,
    indicators_wide, funds, fields, cells), ``xlsx`` one workbook with a sheet per table. Every
    table is written, even without rows, so a later export never leaves a stale file beside fresh
    ones; the set is swapped in whole (see the module's docstring).
    """
    if to not in EXPORT_FORMATS:
        raise ValueError(f"cannot export to {to!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    if dest is None:
        if is_database_url(location):
            raise CatalogError("exporting a PostgreSQL catalog needs a folder to write into (--out DEST)")
        dest = Path(location) / "export"
    if to == "parquet":
        _require_pyarrow()
    with Catalog.open(location, create=False) as catalog:
        tables = catalog.snapshot()
    dest = dest.absolute()
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(dest)
    staging = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.new-"))
    try:
        if to == "csv":
            written = [write_csv(staging / f"{name}.csv", *table) for name, table in tables.items()]
        elif to == "parquet":
            written = [_write_parquet(staging / f"{name}.parquet", name, *t) for name, t in tables.items()]
        else:
            written = [_write_xlsx(staging / XLSX_NAME, tables)]
        staging.chmod(0o777 & ~UMASK)  # mkdtemp made it private
        _swap_into(staging, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [dest / path.name for path in written]


def _swap_into(staging: Path, dest: Path) -> None:
    """Make the folder ``staging`` the folder ``dest``. What ``dest`` holds that this export did
    not write (another format's files, a file of the user's) is linked into ``staging`` first,
    so it stays; then ``dest`` is renamed away and ``staging`` into its place: at every moment
    ``dest`` holds one whole set or is briefly absent, never a mix."""
    if not dest.exists():
        staging.rename(dest)
        return
    for entry in dest.iterdir():
        if (staging / entry.name).exists() or entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            raise CatalogError(f"{dest} holds a folder ({entry.name}): export into a folder of its own")
        os.link(entry, staging / entry.name, follow_symlinks=False)
    old = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.old-"))
    old.rmdir()
    dest.rename(old)
    staging.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(dest: Path) -> None:
    """The folders an export killed before its end left beside ``dest``."""
    for prefix in (f".{dest.name}.new-", f".{dest.name}.old-"):
        for leftover in dest.parent.glob(f"{glob.escape(prefix)}*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def _require_pyarrow() -> None:
    if importlib.util.find_spec("pyarrow") is None:
        raise MissingDependency("exporting to Parquet needs pyarrow: pip install 'extractor[parquet]'")


def _write_parquet(target: Path, name: str, columns: Sequence[str], rows: Sequence[Sequence[Value]]) -> Path:
    """One Parquet file with a fixed schema (string / int64 / double per column), whatever the
    rows hold, so that the files of many runs can be read as one dataset."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string()}
    schema = pa.schema([(c, types[sql_type(name, c)]) for c in columns])
    # Empty is null here as in the frames, not an empty string.
    arrays = [
        pa.array([row[i] if row[i] != "" else None for row in rows], type=field.type)
        for i, field in enumerate(schema)
    ]
    table = pa.Table.from_arrays(arrays, schema=schema)
    with replacing(target) as temp:
        pq.write_table(table, temp)
    return target


def _write_xlsx(target: Path, tables: dict[str, tuple[tuple[str, ...], list[tuple[Value, ...]]]]) -> Path:
    from openpyxl import Workbook

    for name, (_, rows) in tables.items():
        if len(rows) + 1 > _XLSX_MAX_ROWS:
            raise CatalogError(
                f"{name} has {len(rows)} rows, more than an Excel sheet holds: export to csv or parquet"
            )
    workbook = Workbook(write_only=True)
    for name, (columns, rows) in tables.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_xlsx_value(sheet, v) for v in row])
    with replacing(target) as temp:
        workbook.save(temp)
    return target


def _xlsx_value(sheet: object, value: Value) -> object:
    """A cell value openpyxl writes as printed: control characters (which the format cannot
    hold) dropped, and a text such as ``=100%`` kept as text rather than read as a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    if value == "":
        return None
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text.startswith("="):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def read_dataset(folder: Path | str) -> dict[str, pd.DataFrame]:
    """The CSV files an export (or ``parse --to csv``) wrote into ``folder``, as typed frames:
    codes and other texts as strings, amounts and scores as floats, pages and years as integers,
    and every empty cell null — what ``pd.read_csv`` alone gets wrong (2010507 → 2010507.0,
    01 → 1, "" → NaN in one column and "" in the next)."""
    import pandas as pd

    frames: dict[str, pd.DataFrame] = {}
    for name in EXPORTED_TABLES:
        path = Path(folder) / f"{name}.csv"
        if path.exists():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frames[name] = typed_frame(frame, column_types(name))
    return frames
