"""Results out: the JSON of CONTRACT §1, the flat CSV datasets of §2, and pandas frames.

The flat rows are built once (``dataset_rows``); CSV, frames and the JSON records all
come from them, so the three views cannot drift apart.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.model import BBox, Cell, Grid, Issue
from extractor.normalise import vocabulary as vocab
from extractor.normalise.standard import amount_in_yuan, code_level, standard_column

if TYPE_CHECKING:
    import pandas as pd

    # Types only: the records call this module (``ParseResult.to_json`` …), so it must not
    # need them to load.
    from extractor.records import (
        BodyCell,
        FieldRecord,
        FundRecord,
        IndicatorRecord,
        ParseResult,
        Table,
        Value,
    )

SCHEMA_VERSION = 4
PATH_SEPARATOR = " / "
#: Between the ticked reasons of a monitoring table's indicator (经费保障、制度保障).
REASON_SEPARATOR = "、"
#: Where every flat record comes from and whose it is (CONTRACT §2): the file, the table and
#: page, and the table's kind, title and metadata, so that one dataset of many documents groups
#: without joins.
PROVENANCE_COLUMNS = (
    "source",
    "sha256",
    "table",
    "page",
    "sheet",
    "ocr",
    "table_kind",
    "table_title",
    "org",
    "year",
    "stage",
    "scope",
)
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
        "weight",
        "score",
        "remark",
        "reasons",
        "likelihood",
    ),
    "funds": (
        "direction",
        "code",
        "code_level",
        "path",
        "item",
        "column",
        "column_std",
        "amount",
        "amount_unit",
        "amount_yuan",
        "raw",
    ),
    "fields": ("key", "value"),
    "cells": ("row_path", "column_path", "text"),
}
Row = dict[str, "Value"]
#: The wide view of the indicators (one row per indicator), written beside the datasets.
WIDE_DATASET = "indicators_wide"


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
        "weight": record.weight,
        "score": record.score,
        "remark": record.remark,
        "reasons": REASON_SEPARATOR.join(record.reasons),
        "likelihood": record.likelihood,
    }


def fund_row(record: FundRecord, table_kind: str) -> Row:
    return {
        "table_kind": table_kind,
        "direction": record.direction,
        "code": record.code,
        "code_level": code_level(record.code),
        "path": PATH_SEPARATOR.join(record.path),
        "item": record.item,
        "column": PATH_SEPARATOR.join(record.column),
        "column_std": standard_column(record.column),
        "amount": record.amount,
        "amount_unit": record.amount_unit,
        "amount_yuan": amount_in_yuan(record.amount, record.amount_unit),
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


def table_records(table: Table, dataset: str | None = None) -> list[Row]:
    """``Table.records``: one dataset's records of a table as its JSON lists them, or every
    record of the table, each with its ``dataset`` named first."""
    if dataset is not None:
        if dataset not in DATASET_COLUMNS:
            raise ValueError(f"no dataset {dataset!r}: one of {', '.join(DATASET_COLUMNS)}")
        return [{**row, "page": page} for row, page in _table_rows(table, dataset)]
    return [{"dataset": name, **row} for name in DATASET_COLUMNS for row in table_records(table, name)]


def dataset_rows(results: Iterable[ParseResult], dataset: str) -> list[Row]:
    """Flat rows of one dataset over many results, provenance columns first."""
    rows: list[Row] = []
    for result in results:
        for table in result.tables:
            meta = table.meta
            for row, page in _table_rows(table, dataset):
                rows.append(
                    {
                        "source": result.source.path,
                        "sha256": result.source.sha256,
                        "table": table.id,
                        "page": page,
                        "sheet": table.sheet,
                        "ocr": int(table.is_ocr_page(page)),
                        "table_kind": table.kind,
                        "table_title": table.title,
                        "org": meta.org,
                        "year": meta.year,
                        "stage": meta.stage,
                        "scope": meta.scope,
                        **row,
                    }
                )
    return rows


def to_frames(results: ParseResult | Sequence[ParseResult]) -> dict[str, pd.DataFrame]:
    """One pandas frame per dataset (CONTRACT §2: indicators, funds, fields, cells) and the wide
    view of the indicators (``indicators_wide``) of one result or several, with the CSV columns,
    typed (``typed_frame``): texts and codes as strings, numbers as Int64/Float64, empty as null."""
    import pandas as pd

    if not isinstance(results, Sequence):
        results = [results]

    return {
        name: typed_frame(
            pd.DataFrame(output_rows(results, name), columns=[*PROVENANCE_COLUMNS, *columns]),
            OUTPUT_TYPES[name],
        )
        for name, columns in OUTPUT_COLUMNS.items()
    }


def typed_frame(frame: pd.DataFrame, types: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with each column typed as ``types`` says (INTEGER → Int64, REAL → Float64, any
    other column text → string) and every empty cell null, whichever output it was read from."""
    import pandas as pd

    typed = frame.copy()
    for column in typed.columns:
        kind = types.get(column, "TEXT")
        values = typed[column].astype(object).where(typed[column].notna(), None)
        values = values.mask(values == "")
        if kind == "TEXT":
            typed[column] = values.astype("string")
        else:
            typed[column] = pd.to_numeric(values).astype("Int64" if kind == "INTEGER" else "Float64")
    return typed


def output_rows(results: Sequence[ParseResult], name: str) -> list[Row]:
    """The rows of one flat output: a dataset, or the wide view built from the indicators."""
    if name == WIDE_DATASET:
        return wide_indicator_rows(dataset_rows(results, "indicators"), PROVENANCE_COLUMNS)
    return dataset_rows(results, name)


# --- the wide view of indicators ----------------------------------------------------------
# One row per indicator instead of one per value column: a self-evaluation or monitoring table
# is read by comparing its columns (年度指标值 against 实际完成值, 分值 against 得分), so the wide
# row puts the planned target beside what was achieved and "indicators that lost points, with
# the reason" is one filter. It is built from the long rows alone, so a result and the catalog
# give the same wide rows.
#: What names one indicator among the long rows of a table.
_LEVELS = ("level1", "level2", "level3", "key_work", "project")
_IDENTITY = ("source", "sha256", "table", *_LEVELS)
#: The columns of a target and of an achieved value, taken from a long row.
_TARGET = ("target_label", "target_raw", "op", "value", "value_max", "unit")
_ACHIEVED = {
    "actual_label": "target_label",
    "actual_raw": "target_raw",
    "actual_value": "value",
    "actual_unit": "unit",
}
_ASSESSMENT = ("weight", "score", "remark", "reasons", "likelihood")
WIDE_COLUMNS: tuple[str, ...] = (
    *_LEVELS,
    *_TARGET,
    *_ACHIEVED,
    *_ASSESSMENT,
)
#: The type of each column of the flat outputs that is not text (INTEGER or REAL): what the
#: catalog stores, Parquet declares and ``read_dataset`` reads back. Every other column is text,
#: codes included (a REAL column would turn 2010507 into 2010507.0 and 01 into 1).
_RECORD_TYPES = {"page": "INTEGER", "ocr": "INTEGER", "year": "INTEGER"}
_INDICATOR_TYPES = {**_RECORD_TYPES, "value": "REAL", "value_max": "REAL", "weight": "REAL", "score": "REAL"}
OUTPUT_TYPES: dict[str, dict[str, str]] = {
    "indicators": _INDICATOR_TYPES,
    WIDE_DATASET: {**_INDICATOR_TYPES, "actual_value": "REAL"},
    "funds": {**_RECORD_TYPES, "amount": "REAL", "amount_yuan": "REAL"},
    "fields": _RECORD_TYPES,
    "cells": _RECORD_TYPES,
}
#: Every flat output (the datasets and the wide view of the indicators) with its columns after
#: the provenance columns, in the order the files are written.
OUTPUT_COLUMNS = {"indicators": DATASET_COLUMNS["indicators"], WIDE_DATASET: WIDE_COLUMNS} | DATASET_COLUMNS


def is_achieved(target_label: str) -> bool:
    """Whether a value column states what was achieved (实际完成值, 全年预计执行数, 1-7月执行数)
    rather than what was planned (年度指标值, 全年指标值)."""
    return any(word in target_label for word in vocab.ACHIEVED_TARGET_WORDS)


def wide_indicator_rows(long_rows: Iterable[Row], provenance: Sequence[str]) -> list[Row]:
    """One row per indicator: ``provenance`` columns, its levels, the last planned target, the
    last achieved value and its assessment. The long rows of one indicator are consecutive."""
    wide: list[Row] = []
    group: list[Row] = []
    for row in long_rows:
        if group and _identity(row) != _identity(group[0]):
            wide.append(_wide_row(group, provenance))
            group = []
        group.append(row)
    if group:
        wide.append(_wide_row(group, provenance))
    return wide


def wide_table(
    columns: Sequence[str], rows: Sequence[Sequence[Value]]
) -> tuple[tuple[str, ...], list[tuple[Value, ...]]]:
    """The wide view of a table of long indicator rows (the catalog's), as columns and rows."""
    long = [dict(zip(columns, row, strict=True)) for row in rows]
    wide_columns = (*PROVENANCE_COLUMNS, *WIDE_COLUMNS)
    return wide_columns, [
        tuple(r[c] for c in wide_columns) for r in wide_indicator_rows(long, PROVENANCE_COLUMNS)
    ]


def _identity(row: Row) -> tuple[Value, ...]:
    return tuple(row.get(column) for column in _IDENTITY)


def _wide_row(group: list[Row], provenance: Sequence[str]) -> Row:
    first = group[0]
    planned = [r for r in group if not is_achieved(str(r["target_label"]))]
    achieved = [r for r in group if is_achieved(str(r["target_label"]))]
    row: Row = {
        column: first[column] for column in (*provenance, "level1", "level2", "level3", "key_work", "project")
    }
    target = planned[-1] if planned else None
    for column in _TARGET:
        row[column] = target[column] if target else _empty(first[column])
    actual = achieved[-1] if achieved else None
    for column, source in _ACHIEVED.items():
        row[column] = actual[source] if actual else _empty(first[source])
    for column in _ASSESSMENT:
        row[column] = first[column]
    return row


def _empty(example: Value) -> Value:
    """An empty value of the column's kind: "" for text, None for numbers."""
    return "" if isinstance(example, str) else None


def format_value(value: Value) -> str:
    """CSV text of a value: integers without a decimal point, empty for None."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def write_csvs(results: Sequence[ParseResult], out_dir: Path) -> list[Path]:
    """Write every flat output as ``<name>.csv`` in ``out_dir`` (cells only where a table has any);
    return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns in OUTPUT_COLUMNS.items():
        rows = output_rows(results, name)
        if name == "cells" and not rows:
            continue
        written.append(_write_csv(out_dir / f"{name}.csv", [*PROVENANCE_COLUMNS, *columns], rows))
    return written


def _write_csv(target: Path, header: Sequence[str], rows: Sequence[Row]) -> Path:
    return write_csv(target, header, ([row[c] for c in header] for row in rows))


def write_csv(target: Path, header: Sequence[str], rows: Iterable[Sequence[Value]]) -> Path:
    """``target`` as CSV (RFC 4180 quoting, ``\n`` between rows), replaced whole or not at all."""
    with replacing(target) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
        handle.write(_csv_line(header))
        for row in rows:
            handle.write(_csv_line([format_value(v) for v in row]))
    return target


#: What makes a CSV field need quotes. The csv module quotes only the characters of its own line
#: terminator: with ``\n`` rows a bare CR (a file name may hold one) went out unquoted, and
#: readers that end lines at a CR split the row.
_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def _csv_line(fields: Sequence[str]) -> str:
    quoted = (f'"{f.replace(chr(34), chr(34) * 2)}"' if _NEEDS_QUOTES.search(f) else f for f in fields)
    return ",".join(quoted) + "\n"


# The permissions a new file gets here; temporary files are created private (0600) and set
# to these before they replace their target, so outputs are as readable as any other file.
UMASK = os.umask(0)
os.umask(UMASK)


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it once written, so a reader never
    sees half a file and a crash leaves the previous version intact; removed on failure."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        temp.chmod(0o666 & ~UMASK)
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
        "sheet": table.sheet,
        "cell_range": table.cell_range,
        "reader": table.reader,
        "ocr_pages": list(table.ocr_pages),
        "meta": {
            "year": table.meta.year,
            "unit_name": table.meta.unit_name,
            "amount_unit": table.meta.amount_unit,
            "org": table.meta.org,
            "stage": table.meta.stage,
            "scope": table.meta.scope,
        },
        "checks": {"held": table.checks_held, "total": table.checks_total},
        "grid": _grid_json(table.grid),
        **{dataset: table_records(table, dataset) for dataset in DATASET_COLUMNS},
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
    if cell.confidence is not None:
        out["ocr"] = True
        out["confidence"] = round(cell.confidence, 3)
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
