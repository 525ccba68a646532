"""PDF pages as PNG images with what the pipeline found drawn on them.

Each page is rendered by pypdfium2 and every table cell read from it is drawn at its box:
the table's outline in red, each cell's box in blue, merged cells shaded yellow, cells of
header rows shaded blue. Boxes are in PDF points from the top-left, as the readers record
them, so a point maps to ``scale`` pixels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor.layout.reconstruct import row_roles
from extractor.model import BBox
from extractor.records import Table

#: Pixels per PDF point: 2 gives 144 dpi, enough to read small table text.
DEFAULT_SCALE = 2.0
TABLE_OUTLINE = (220, 30, 30, 255)
CELL_OUTLINE = (30, 90, 220, 255)
MERGED_FILL = (255, 205, 40, 70)
HEADER_FILL = (60, 120, 255, 50)


@dataclass(frozen=True)
class DrawnCell:
    """One cell box on a page, with what it is drawn as."""

    table: str
    bbox: BBox
    merged: bool
    header: bool


def cells_by_page(tables: Sequence[Table]) -> dict[int, list[DrawnCell]]:
    """The boxes of every table cell read from a page, by page number."""
    found: dict[int, list[DrawnCell]] = defaultdict(list)
    for table in tables:
        roles = row_roles(table)
        for cell in table.grid.cells:
            if cell.page is None or cell.bbox is None:
                continue
            found[cell.page].append(
                DrawnCell(
                    table=table.id,
                    bbox=cell.bbox,
                    merged=cell.rowspan > 1 or cell.colspan > 1,
                    header=roles[cell.row] == "header",
                )
            )
    return found


def render_pages(
    pdf_path: Path,
    tables: Sequence[Table],
    out_dir: Path,
    *,
    pages: Sequence[int] | None = None,
    scale: float = DEFAULT_SCALE,
) -> list[Path]:
    """``page-N.png`` for each page (1-based; all when ``pages`` is None); returns the paths."""
    from extractor.readers.pdf_pdfium import PDFIUM_LOCK

    boxes = cells_by_page(tables)
    out_dir.mkdir(parents=True, exist_ok=True)
    with PDFIUM_LOCK:
        return _render(pdf_path, boxes, out_dir, pages, scale)


def _render(
    pdf_path: Path,
    boxes: dict[int, list[DrawnCell]],
    out_dir: Path,
    pages: Sequence[int] | None,
    scale: float,
) -> list[Path]:
    import pypdfium2
    from PIL import Image, ImageDraw

    written: list[Path] = []
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        numbers = (
            range(1, len(document) + 1) if pages is None else [p for p in pages if 1 <= p <= len(document)]
        )
        for number in numbers:
            pdf_page = document[number - 1]
            try:
                image = pdf_page.render(scale=scale).to_pil().convert("RGBA")
            finally:
                pdf_page.close()
            shading = Image.new("RGBA", image.size, (0, 0, 0, 0))
            shade = ImageDraw.Draw(shading)
            cells = boxes.get(number, [])
            for cell in cells:
                box = _pixels(cell.bbox, scale)
                if cell.header:
                    shade.rectangle(box, fill=HEADER_FILL)
                if cell.merged:
                    shade.rectangle(box, fill=MERGED_FILL)
            image = Image.alpha_composite(image, shading)
            draw = ImageDraw.Draw(image)
            for cell in cells:
                draw.rectangle(_pixels(cell.bbox, scale), outline=CELL_OUTLINE, width=1)
            for outline in _table_outlines(cells):
                draw.rectangle(_pixels(outline, scale), outline=TABLE_OUTLINE, width=3)
            target = out_dir / f"page-{number}.png"
            image.convert("RGB").save(target, optimize=True)
            written.append(target)
    finally:
        document.close()
    return written


def _pixels(bbox: BBox, scale: float) -> tuple[float, float, float, float]:
    return (bbox.x0 * scale, bbox.top * scale, bbox.x1 * scale, bbox.bottom * scale)


def _table_outlines(cells: Sequence[DrawnCell]) -> list[BBox]:
    """Per table, the box around all its cells on the page."""
    by_table: dict[str, list[BBox]] = defaultdict(list)
    for cell in cells:
        by_table[cell.table].append(cell.bbox)
    return [
        BBox(
            min(b.x0 for b in boxes),
            min(b.top for b in boxes),
            max(b.x1 for b in boxes),
            max(b.bottom for b in boxes),
        )
        for boxes in by_table.values()
    ]
