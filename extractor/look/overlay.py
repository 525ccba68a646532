"""PDF pages and scanned images as PNG images with what the pipeline found drawn on them, and a
legend.

Each page is rendered by pypdfium2 in grey, so that the only colours on it are what is drawn:
every table cell read from it at its box, the table's outline in red and each cell's box in
blue. Shading is kept for what tells how the grid was read: a merged cell of a header row
(the levels of a multi-level header) in blue, a span in the body (a label merged down, a
total across the code columns) in yellow. A cell counts as merged only where its span hides
a boundary its neighbours show: a row above or below with a cell edge inside its columns, or
a column beside it with one inside its rows. A performance form's grid takes its columns
from all of its sections, so most of its cells span grid columns that no neighbour
separates; shaded as merged, as every span once was, they hid the few merges that mean
something. A strip under a page with tables names the colours. Boxes are in PDF points from
the top-left, as the readers record them, so a point maps to ``scale`` pixels; the strip is
below the page, so its pixels keep those coordinates.

Every page is written, one without a table too (where a missed table would show). Writing
the PNGs was four fifths of ``report --inspect`` (RGB at ``optimize``: zlib level 9, every
filter tried, 0.13 s a page); a page is now a palette image (``GREYS`` grey levels, the
same under each shade, and the outline colours) at zlib level 1, which takes a tenth of
that in a third of the bytes.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from extractor.export import replacing
from extractor.layout.reconstruct import row_roles
from extractor.model import BBox, Cell, Grid
from extractor.records import Table

if TYPE_CHECKING:
    from PIL import Image

#: Pixels per PDF point: 2 gives 144 dpi, enough to read small table text.
DEFAULT_SCALE = 2.0
PNG_LEVEL = 1
TABLE_OUTLINE = (220, 30, 30, 255)
CELL_OUTLINE = (30, 90, 220, 255)
HEADER_MERGE_FILL = (60, 120, 255, 60)
BODY_SPAN_FILL = (255, 205, 40, 80)
#: What a cell is shaded as: a merged cell of a header row, a span in the body, or nothing.
Shade = Literal["header", "body", ""]
#: The most pixels one page image may have: an A0 poster at 144 dpi has about 25 million.
MAX_PAGE_PIXELS = 40_000_000
#: The legend strip's height in PDF points (so in ``scale`` pixels each).
LEGEND_POINTS = 16

#: The palette: ``GREYS`` levels from black to white, then the same under each shade (a
#: shaded pixel keeps its grey, offset into its shade's run), then the two outline colours.
GREYS = 64
SHADE_BASES = {"header": GREYS, "body": 2 * GREYS}
CELL_INDEX, TABLE_INDEX = 3 * GREYS, 3 * GREYS + 1
WHITE = GREYS - 1
#: The legend's entries in the order drawn: label, palette index, and the width of the
#: outline it is (0 for a shade, drawn on white inside a cell box).
LEGEND = (
    ("table outline", TABLE_INDEX, 3),
    ("cell box", CELL_INDEX, 1),
    ("header merged cell", SHADE_BASES["header"] + WHITE, 0),
    ("body span", SHADE_BASES["body"] + WHITE, 0),
)


def _grey(value: int) -> int:
    """The palette index of a grey value (0 black, 255 white)."""
    return round(value * (GREYS - 1) / 255)


def _blend(fill: tuple[int, int, int, int], grey: int) -> list[int]:
    alpha = fill[3] / 255
    return [round(grey * (1 - alpha) + channel * alpha) for channel in fill[:3]]


def _palette() -> list[int]:
    greys = [round(i * 255 / (GREYS - 1)) for i in range(GREYS)]
    palette = [channel for g in greys for channel in (g, g, g)]
    for fill in (HEADER_MERGE_FILL, BODY_SPAN_FILL):
        palette.extend(channel for g in greys for channel in _blend(fill, g))
    return palette + list(CELL_OUTLINE[:3]) + list(TABLE_OUTLINE[:3])


PALETTE = _palette()
#: A rendered grey to its palette index; an index (plain or shaded) to the same grey under a shade.
GREY_TABLE = [_grey(v) for v in range(256)]
SHADE_TABLES = {shade: [v % GREYS + base for v in range(256)] for shade, base in SHADE_BASES.items()}


@dataclass(frozen=True)
class DrawnCell:
    """One cell box on a page, with what it is shaded as."""

    table: str
    bbox: BBox
    shade: Shade


def cells_by_page(tables: Sequence[Table]) -> dict[int, list[DrawnCell]]:
    """The boxes of every table cell read from a page, by page number."""
    found: dict[int, list[DrawnCell]] = defaultdict(list)
    for table in tables:
        roles = row_roles(table)
        for cell in table.grid.cells:
            if cell.page is None or cell.bbox is None:
                continue
            shade: Shade = ""
            if hides_a_boundary(table.grid, cell):
                shade = "header" if roles[cell.row] == "header" else "body"
            found[cell.page].append(DrawnCell(table=table.id, bbox=cell.bbox, shade=shade))
    return found


def hides_a_boundary(grid: Grid, cell: Cell) -> bool:
    """Whether ``cell`` spans a boundary between two positions that the row above or below it
    (for its columns) or the column left or right of it (for its rows) shows as two cells."""
    for row in (cell.row - 1, cell.last_row + 1):
        for col in range(cell.col + 1, cell.last_col + 1):
            if grid.covering(row, col - 1) is not grid.covering(row, col):
                return True
    for col in (cell.col - 1, cell.last_col + 1):
        for row in range(cell.row + 1, cell.last_row + 1):
            if grid.covering(row - 1, col) is not grid.covering(row, col):
                return True
    return False


def capped_scale(width: float, height: float, scale: float) -> float:
    """``scale``, or less for a page so large that its image would pass ``MAX_PAGE_PIXELS`` (a
    718-byte PDF can declare a page 200 inches square: 5.8 GB of pixels at the usual scale)."""
    area = max(width, 1.0) * max(height, 1.0)
    return min(scale, math.sqrt(MAX_PAGE_PIXELS / area))


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


def render_image_pages(
    image_path: Path,
    tables: Sequence[Table],
    out_dir: Path,
    *,
    pages: Sequence[int] | None = None,
    scale: float = DEFAULT_SCALE,
) -> list[Path]:
    """``page-N.png`` for each frame of a scanned image, as the image reader decodes it (its
    pixel cap, its dpi): OCR placed the cells in points at that dpi, so a point maps to
    ``scale`` pixels here too. The cells stand where OCR read them, on the page as it was
    turned upright; a page scanned askew shows them off by its skew (at most a few degrees)."""
    from PIL import Image

    from extractor.readers.image import frames

    boxes = cells_by_page(tables)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for number, (pixels, dpi) in enumerate(frames(image_path), start=1):
        if pages is not None and number not in pages:
            continue
        grey = Image.fromarray(pixels).convert("L")
        width, height = grey.width * 72 / dpi, grey.height * 72 / dpi
        page_scale = capped_scale(width, height, scale)
        size = (max(1, round(width * page_scale)), max(1, round(height * page_scale)))
        image = drawn(grey.resize(size, Image.Resampling.BOX), boxes.get(number, []), page_scale)
        target = out_dir / f"page-{number}.png"
        with replacing(target) as temp:
            image.save(temp, format="PNG", compress_level=PNG_LEVEL)
        written.append(target)
    return written


def _render(
    pdf_path: Path,
    boxes: dict[int, list[DrawnCell]],
    out_dir: Path,
    pages: Sequence[int] | None,
    scale: float,
) -> list[Path]:
    import pypdfium2

    written: list[Path] = []
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        numbers = (
            range(1, len(document) + 1) if pages is None else [p for p in pages if 1 <= p <= len(document)]
        )
        for number in numbers:
            pdf_page = document[number - 1]
            try:
                width, height = pdf_page.get_size()
                page_scale = capped_scale(width, height, scale)
                # The grey image may share the bitmap's memory, which lives as long as ``bitmap``.
                bitmap = pdf_page.render(scale=page_scale, grayscale=True)
            finally:
                pdf_page.close()
            image = drawn(bitmap.to_pil(), boxes.get(number, []), page_scale)
            target = out_dir / f"page-{number}.png"
            with replacing(target) as temp:
                image.save(temp, format="PNG", compress_level=PNG_LEVEL)
            written.append(target)
    finally:
        document.close()
    return written


def drawn(page: Image.Image, cells: Sequence[DrawnCell], scale: float) -> Image.Image:
    """The page (rendered in grey) as a palette image with its cells drawn on it, shading first
    and outlines over it, and the legend under it when there are any."""
    from PIL import Image, ImageDraw

    indexed = page.point(GREY_TABLE)
    for cell in cells:
        if cell.shade:
            x0, top, x1, bottom = (round(v) for v in _pixels(cell.bbox, scale))
            box = (x0, top, x1, bottom)
            indexed.paste(indexed.crop(box).point(SHADE_TABLES[cell.shade]), box)
    draw = ImageDraw.Draw(indexed)
    for cell in cells:
        draw.rectangle(_pixels(cell.bbox, scale), outline=CELL_INDEX, width=1)
    for outline in _table_outlines(cells):
        draw.rectangle(_pixels(outline, scale), outline=TABLE_INDEX, width=3)
    if cells:
        whole = Image.new("L", (page.width, page.height + round(LEGEND_POINTS * scale)))
        whole.paste(indexed)
        whole.paste(legend(page.width, scale), (0, page.height))
        indexed = whole
    indexed.putpalette(PALETTE)  # the indices become a palette ("P") image
    return indexed


@functools.cache
def legend(width: int, scale: float) -> Image.Image:
    """The strip under a page ``width`` pixels wide, in palette indices: a rule, then a swatch
    and a label for each colour, drawn as on the page; sizes in points times ``scale``. The
    same for every page of a size, so drawn once. Its text is drawn in indices of grey, which
    blend as greys do, since the grey run goes from black to white."""
    from PIL import Image, ImageDraw, ImageFont

    strip = Image.new("L", (width, round(LEGEND_POINTS * scale)), WHITE)
    draw = ImageDraw.Draw(strip)
    font = ImageFont.load_default(size=round(9 * scale))
    draw.line((0, 0, width, 0), fill=_grey(150), width=max(1, round(scale / 2)))
    x, y0, y1 = round(8 * scale), round(4 * scale), round(12 * scale)
    for label, index, outline_width in LEGEND:
        swatch = (x, y0, x + round(18 * scale), y1)
        if outline_width:
            draw.rectangle(swatch, outline=index, width=outline_width)
        else:
            draw.rectangle(swatch, fill=index, outline=CELL_INDEX, width=1)
        x = swatch[2] + round(4 * scale)
        draw.text((x, (y0 + y1) / 2), label, fill=_grey(40), font=font, anchor="lm")
        x += round(draw.textlength(label, font=font)) + round(14 * scale)
    return strip


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
