"""Results out: the JSON of CONTRACT §1, the flat CSV datasets of §2, and pandas frames.

The flat rows are built once (``dataset_rows``); CSV, frames and the JSON records all
come from them, so the three views cannot drift apart.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.model import BBox, Cell, Grid, Issue
from extractor.records import BodyCell, FieldRecord, FundRecord, IndicatorRecord, ParseResult, Table

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1
PATH_SEPARATOR = " / "
PROVENANCE_COLUMNS = ("source", "sha256", "table", "page")
#: Columns of each dataset after the provenance columns (CONTRACT §2).
DATASET_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicators": (
        "level1",
        "level2",
        "level3",
        "key_work",
        "project",
        "target_label",
        "target_raw",
        "op",
        "value",
        "value_max",
        "unit",
        "kind",
    ),
    "funds": ("table_kind", "direction", "code", "path", "item", "column", "amount", "amount_unit", "raw"),
    "fields": ("key", "value"),
    "cells": ("row_path", "column_path", "text"),
}
Value = str | int | float | None
Row = dict[str, Value]


def indicator_row(record: IndicatorRecord) -> Row:
    t = record.target
    return {
        "level1": record.level1,
        "level2": record.level2,
        "level3": record.level3,
        "key_work": record.key_work,
        "project": record.project,
        "target_label": record.target_label,
        "target_raw": t.raw,
        "op": t.op,
        "value": t.value,
        "value_max": t.value_max,
        "unit": t.unit,
        "kind": t.kind,
    }


def fund_row(record: FundRecord, table_kind: str) -> Row:
    return {
        "table_kind": table_kind,
        "direction": record.direction,
        "code": record.code,
        "path": PATH_SEPARATOR.join(record.path),
        "item": record.item,
        "column": PATH_SEPARATOR.join(record.column),
        "amount": record.amount,
        "amount_unit": record.amount_unit,
        "raw": record.raw,
    }


def field_row(record: FieldRecord) -> Row:
    return {"key": record.key, "value": record.value}


def cell_row(record: BodyCell) -> Row:
    return {
        "row_path": PATH_SEPARATOR.join(record.row_path),
        "column_path": PATH_SEPARATOR.join(record.column_path),
        "text": record.text,
    }


def _table_rows(table: Table, dataset: str) -> list[tuple[Row, int | None]]:
    if dataset == "indicators":
        return [(indicator_row(r), r.page) for r in table.indicators]
    if dataset == "funds":
        return [(fund_row(r, table.kind), r.page) for r in table.funds]
    if dataset == "fields":
        return [(field_row(r), r.page) for r in table.fields]
    return [(cell_row(r), r.page) for r in table.cells]


def dataset_rows(results: Iterable[ParseResult], dataset: str) -> list[Row]:
    """Flat rows of one dataset over many results, provenance columns first."""
    rows: list[Row] = []
    for result in results:
        name = Path(result.source.path).name
        for table in result.tables:
            for row, page in _table_rows(table, dataset):
                rows.append(
                    {"source": name, "sha256": result.source.sha256, "table": table.id, "page": page, **row}
                )
    return rows


def to_frames(results: ParseResult | Sequence[ParseResult]) -> dict[str, pd.DataFrame]:
    """One pandas frame per dataset (CONTRACT §2: indicators, funds, fields, cells) of one result
    or several, with the CSV columns; empty values are NaN/None."""
    import pandas as pd

    if isinstance(results, ParseResult):
        results = [results]

    frames = {}
    for dataset, columns in DATASET_COLUMNS.items():
        frames[dataset] = pd.DataFrame(
            dataset_rows(results, dataset), columns=[*PROVENANCE_COLUMNS, *columns]
        )
    return frames


def format_value(value: Value) -> str:
    """CSV text of a value: integers without a decimal point, empty for None."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def write_csvs(results: Sequence[ParseResult], out_dir: Path) -> list[Path]:
    """Write every dataset that has rows as ``<dataset>.csv`` in ``out_dir``; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for dataset, columns in DATASET_COLUMNS.items():
        rows = dataset_rows(results, dataset)
        if dataset == "cells" and not rows:
            continue
        header = [*PROVENANCE_COLUMNS, *columns]
        target = out_dir / f"{dataset}.csv"
        with replacing(target) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([format_value(row[c]) for c in header])
        written.append(target)
    return written


# The permissions a new file gets here; temporary files are created private (0600) and set
# to these before they replace their target, so outputs are as readable as any other file.
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it once written, so a reader never
    sees half a file and a crash leaves the previous version intact; removed on failure."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        temp.chmod(0o666 & ~_UMASK)
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomic(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target) as temp:
        temp.write_text(text, encoding="utf-8", newline="")


# --- JSON -------------------------------------------------------------------------------


def result_to_json(result: ParseResult) -> dict[str, Any]:
    """The JSON object of CONTRACT §1 for one result."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": {
            "path": result.source.path,
            "sha256": result.source.sha256,
            "format": result.source.format,
            "pages": result.source.pages,
        },
        "tables": [_table_json(t) for t in result.tables],
        "warnings": [_issue_json(w) for w in result.warnings],
        "error": None
        if result.error is None
        else {"code": result.error.code, "message": result.error.message},
    }


def _table_json(table: Table) -> dict[str, Any]:
    return {
        "id": table.id,
        "kind": table.kind,
        "kind_confidence": table.kind_confidence,
        "kind_words": list(table.kind_words),
        "title": table.title,
        "pages": list(table.pages),
        "meta": {
            "year": table.meta.year,
            "unit_name": table.meta.unit_name,
            "amount_unit": table.meta.amount_unit,
        },
        "checks": {"held": table.checks_held, "total": table.checks_total},
        "grid": _grid_json(table.grid),
        "indicators": [{**row, "page": page} for row, page in _table_rows(table, "indicators")],
        "funds": [{**row, "page": page} for row, page in _table_rows(table, "funds")],
        "fields": [{**row, "page": page} for row, page in _table_rows(table, "fields")],
        "cells": [{**row, "page": page} for row, page in _table_rows(table, "cells")],
    }


def _grid_json(grid: Grid) -> dict[str, Any]:
    return {"n_rows": grid.n_rows, "n_cols": grid.n_cols, "cells": [_cell_json(c) for c in grid.cells]}


def _cell_json(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {
        "row": cell.row,
        "col": cell.col,
        "rowspan": cell.rowspan,
        "colspan": cell.colspan,
        "text": cell.text,
    }
    if cell.page is not None:
        out["page"] = cell.page
    if cell.bbox is not None:
        out["bbox"] = _bbox_json(cell.bbox)
    return out


def _bbox_json(bbox: BBox) -> list[float]:
    return [round(bbox.x0, 2), round(bbox.top, 2), round(bbox.x1, 2), round(bbox.bottom, 2)]


def _issue_json(issue: Issue) -> dict[str, Any]:
    return {"code": issue.code, "message": issue.message, "page": issue.page, "table": issue.table}


def dumps(result: ParseResult) -> str:
    """Canonical JSON text: UTF-8 unescaped, stable key order, one record per line."""
    return _canonical(result_to_json(result), 0) + "\n"


def _canonical(value: Any, indent: int) -> str:
    pad = "  " * (indent + 1)
    if isinstance(value, dict) and not _is_record(value):
        items = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: {_canonical(v, indent + 1)}" for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}" if items else "{}"
    if isinstance(value, list) and value and not all(_is_scalar(v) for v in value):
        items = [pad + _canonical(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * indent + "]"
    return json.dumps(value, ensure_ascii=False)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _is_record(value: dict[str, Any]) -> bool:
    """A flat dict (a cell, a record, a warning) is written on one line."""
    return all(
        _is_scalar(v) or (isinstance(v, list) and all(_is_scalar(x) for x in v)) for v in value.values()
    )
