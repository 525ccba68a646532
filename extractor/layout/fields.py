"""Key-value rows of form-like tables (单位名称, 年度目标, 项目名称 | … | 主管部门 | …) to fields."""

from __future__ import annotations

from extractor import vocabulary as vocab
from extractor.layout.regions import own_cells
from extractor.model import Cell, Grid
from extractor.records import FieldRecord


def rows_to_fields(grid: Grid, rows: tuple[int, ...]) -> list[FieldRecord]:
    """One field per key in each row; a row of alternating known keys and values gives several."""
    fields: list[FieldRecord] = []
    for row in rows:
        cells = own_cells(grid, row)
        if len(cells) < 2:
            continue
        for key, values in _pairs(cells):
            fields.append(
                FieldRecord(
                    key=key.text,
                    value="\n".join(v.text for v in values),
                    page=key.page,
                )
            )
    return fields


#: A key is a short label; longer texts are values.
KEY_MAX_CHARS = 10


def _pairs(cells: list[Cell]) -> list[tuple[Cell, list[Cell]]]:
    """Split a row into (key, value cells).

    A row of short labels alternating with values (项目名称 | X | 项目性质 | Y) pairs them
    up; otherwise every known key after the first starts a new pair.
    """
    if len(cells) >= 4 and len(cells) % 2 == 0 and all(_key_like(c.text) for c in cells[::2]):
        return [(key, [value]) for key, value in zip(cells[::2], cells[1::2], strict=True)]
    pairs: list[tuple[Cell, list[Cell]]] = [(cells[0], [])]
    for cell in cells[1:]:
        if cell.text in vocab.FIELD_KEYS and pairs[-1][1]:
            pairs.append((cell, []))
        else:
            pairs[-1][1].append(cell)
    return [(key, values) for key, values in pairs if values]


def _key_like(text: str) -> bool:
    return text in vocab.FIELD_KEYS or (len(text) <= KEY_MAX_CHARS and not any(ch.isdigit() for ch in text))
