"""Pasted text: a table copied out of a web page or spreadsheet as tab-separated lines.

A copy keeps neither borders nor merges. A merged cell becomes its text once and empty
cells below or beside it, and some rows lose the empty cells that stood for merged cells
on their left, so their texts slide left (``预算编制规范性\\t\\t规范\\t规范\\t`` under
``一级 | 二级 | 三级 | 半年 | 全年``). Only this reader sees the original lines, so it
repairs those rows here; every other layout decision waits for the layout step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import CorruptDocument
from extractor.model import Document, Grid, Issue, grid_from_rows
from extractor.readers.budget import Budget
from extractor.readers.files import bom_encoding, file_bytes

#: A number or a target such as "=100%", "≥1次", "0", "70823.39": the kind of text
#: that belongs in a value column, as opposed to a label.
_VALUE_LIKE = re.compile(r"^\s*[=≥≤<>＝≧≦]?\s*-?[\d,，.]+\s*\S{0,3}\s*$")

#: A candidate placement must beat the row as pasted by this much to be taken, so
#: that only clearly misplaced rows move.
REALIGN_MARGIN = 0.5


@dataclass(frozen=True)
class _Segment:
    """Consecutive lines with the same number of cells: one column structure."""

    rows: list[list[str]]
    first_line: int


def read(path: Path, *, cells: Budget | None = None) -> Document:
    """Read a tab-separated text file into one grid per table it holds; ``cells`` bounds the table
    cells it may hold."""
    return read_text(_decoded(file_bytes(path), path.name), origin=path.name, cells=cells)


def _decoded(data: bytes, name: str) -> str:
    """The text in the encoding its byte order mark states (Excel's "Unicode text" is UTF-16), else
    in UTF-8 or, failing that, GB18030."""
    stated = bom_encoding(data)
    encodings = [stated] if stated is not None else ["utf-8", "gb18030"]
    failure: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            failure = exc
    raise CorruptDocument(
        f"{name}: the text cannot be decoded as {' or '.join(encodings)}; save it as UTF-8 and retry"
    ) from failure


def read_text(text: str, *, origin: str = "text", cells: Budget | None = None) -> Document:
    """Split pasted text into tables and the caption lines above each.

    A table's grid is as wide as its widest line, short lines padded: ``cells`` is spent by that
    area (one line of a million tabs over a million short lines would be 10^12 cells).
    """
    grids: list[Grid] = []
    warnings: list[Issue] = []
    caption: list[str] = []
    table_lines: list[str] = []

    def close_table() -> None:
        if table_lines:
            index = len(grids) + 1
            if cells is not None:
                width = max(line.count("\t") for line in table_lines) + 1
                cells.spend(len(table_lines) * width, where=f"table {index}")
            rows, moved = _realign(_segments(table_lines))
            grids.append(grid_from_rows(rows, origin=f"{origin} table {index}", caption=tuple(caption[-4:])))
            warnings.extend(
                Issue(
                    code="row_realigned",
                    message=f"row {r + 1} lost its leading merged cells in the copy; realigned",
                    table=f"t{index}",
                    row=r,
                )
                for r in moved
            )
            table_lines.clear()
            caption.clear()

    for line in text.splitlines():
        if "\t" in line:
            table_lines.append(line)
        elif line.strip():
            close_table()
            caption.append(line.strip().lstrip("#").strip())
    close_table()
    if not grids:
        warnings.append(Issue(code="no_tables", message=f"{origin}: no tab-separated lines found"))
    return Document(format="txt", grids=tuple(grids), pages=None, warnings=tuple(warnings))


def _segments(lines: list[str]) -> list[_Segment]:
    segments: list[_Segment] = []
    for number, line in enumerate(lines):
        cells = line.split("\t")
        if segments and len(segments[-1].rows[0]) == len(cells):
            segments[-1].rows.append(cells)
        else:
            segments.append(_Segment(rows=[cells], first_line=number))
    return segments


def _realign(segments: list[_Segment]) -> tuple[list[list[str]], list[int]]:
    """All rows of the table, misplaced rows moved; also the indices of the moved rows."""
    rows: list[list[str]] = []
    moved: list[int] = []
    for segment in segments:
        fill, value_share = _column_profile(segment.rows)
        previous: list[str] | None = None
        for cells in segment.rows:
            placed = _best_placement(cells, previous, fill, value_share)
            if placed != cells:
                moved.append(len(rows))
            rows.append(placed)
            previous = placed
    return rows, moved


def _column_profile(rows: list[list[str]]) -> tuple[list[float], list[float]]:
    """Per column: the share of rows that fill it, and the share of its texts that are values."""
    width = len(rows[0])
    fill = [sum(1 for r in rows if r[c].strip()) / len(rows) for c in range(width)]
    value_share = []
    for c in range(width):
        texts = [r[c] for r in rows if r[c].strip()]
        value_share.append(sum(1 for t in texts if _VALUE_LIKE.match(t)) / len(texts) if texts else 0.5)
    return fill, value_share


def _best_placement(
    cells: list[str], previous: list[str] | None, fill: list[float], value_share: list[float]
) -> list[str]:
    """The row as pasted, or its texts moved onto the columns the row above used.

    Only a row that slid left (starts and ends left of the row above) is a candidate;
    the column profile then confirms the move.
    """
    texts = [t for t in cells if t.strip()]
    used = [c for c, t in enumerate(cells) if t.strip()]
    used_above = [c for c, t in enumerate(previous or []) if t.strip()]
    if not used or len(used_above) < len(used) or not _slid_left(used, used_above):
        return cells
    candidate = [""] * len(cells)
    for col, text in zip(used_above[-len(texts) :], texts, strict=True):
        candidate[col] = text
    if _score(candidate, fill, value_share) > _score(cells, fill, value_share) + REALIGN_MARGIN:
        return candidate
    return cells


def _slid_left(used: list[int], used_above: list[int]) -> bool:
    """Starts left of the row above (or both start at the first column) and ends left of it."""
    starts_left = used[0] < used_above[0] or used[0] == used_above[0] == 0
    return starts_left and used[-1] < used_above[-1]


def _score(cells: list[str], fill: list[float], value_share: list[float]) -> float:
    """How well texts sit in their columns: busy columns filled, values under values.

    An empty cell between two texts in a column most rows fill counts against the
    placement, since that is the gap a dropped merged cell leaves.
    """
    used = [c for c, t in enumerate(cells) if t.strip()]
    score = 0.0
    for c in used:
        is_value = bool(_VALUE_LIKE.match(cells[c]))
        score += fill[c] + (value_share[c] if is_value else 1 - value_share[c])
    if used:
        score -= sum(fill[c] for c in range(used[0], used[-1]) if not cells[c].strip())
        score -= sum(fill[c] for c in range(used[-1] + 1, len(cells)))
    return score
