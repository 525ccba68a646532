"""Read the ruled tables of a PDF with a text layer into grids with explicit spans.

The chain per page, each step small and pure so that every intermediate can be looked at:

``page_to_lines``      the page's rulings and rectangle edges, snapped and joined as pdfplumber's
                       "lines" table finder does;
``lines_to_tables``    the rulings grouped by table: rulings that cross or touch belong together;
``table_to_open_borders`` the outer borders a table leaves undrawn: some publishers rule only
                       the inside of a table, with the horizontal rulings running on to its left
                       and right edges and the vertical ones to its top and bottom, so that the
                       outermost rows and columns would close no box; the border is drawn back
                       where the rulings end;
``lines_to_boxes``     pdfplumber's chain (intersections → cells → tables): the boxes closed on
                       all four sides, grouped into tables;
``boxes_to_rulings``   the distinct x and y positions those boxes start and end at;
``boxes_to_slots``     each box placed on the rulings: a box that runs past an inner ruling
                       because that ruling is missing inside it *is* a merged cell, so its
                       rowspan/colspan is the number of rulings it crosses plus one;
``chars_to_text``      the characters whose centre lies in a box, read line by line, with a
                       newline only where a paragraph ends (a line that stops well short of the
                       box's right edge, or the next one starts at the first line's indent), so
                       that wrapped lines join and paragraphs stay apart;
``chars_to_caption``   the lines printed just above a table (title, year, 单位：万元 …).

pdfplumber's own ``Table.extract`` reports merged positions as ``None``; here each box becomes one
anchor cell carrying its span, as the model requires.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.psexceptions import PSException
from pdfplumber.page import Page
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
from pdfplumber.utils.geometry import filter_edges

from extractor.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from extractor.model import BBox, Cell, Document, Grid, Issue
from extractor.text import is_cjk, join_wrapped

Char = dict[str, Any]
"""A pdfplumber character object: ``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size`` …"""

Box = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in points, origin top-left, as pdfplumber reports boxes."""


@dataclass(frozen=True)
class PdfSettings:
    """Tolerances of the PDF reader, in PDF points unless the name says otherwise."""

    #: Parallel rulings closer than this are one ruling (double borders, anti-aliasing offsets).
    snap_tolerance: float = 3.0
    #: Collinear ruling pieces with a gap smaller than this are one ruling (dashed or tiled borders).
    join_tolerance: float = 3.0
    #: Rulings shorter than this are ignored (tick marks, underline stubs).
    edge_min_length: float = 3.0
    #: How far a ruling may stop short of another and still meet it at a corner.
    intersection_tolerance: float = 3.0
    #: Rulings of a table that reach at least this far past its outermost crossing ruling on one
    #: side mean that side's border is not drawn (a line cap or a snapped end overshoots by far
    #: less; the narrowest column or row is far wider).
    open_border_overhang: float = 6.0
    #: Box edges closer than this lie on the same grid ruling.
    ruling_tolerance: float = 2.0
    #: Characters whose ``top`` differs by less than this share a text line.
    line_tolerance: float = 3.0
    #: A gap wider than this many font sizes between two Latin characters is a word space.
    word_gap: float = 0.2
    #: A line ending more than this many font sizes short of the cell's right edge ends a paragraph.
    paragraph_gap: float = 2.0
    #: A line whose left and right margins in its cell differ by less than this many font sizes
    #: is centred.
    centred_tolerance: float = 1.0
    #: A cell whose first line starts at least this many font sizes right of its leftmost line
    #: indents its paragraphs' first lines (首行缩进).
    paragraph_indent: float = 1.0
    #: A later line starting within this many font sizes of such a first line's start is indented
    #: the same way, so it opens a paragraph.
    indent_tolerance: float = 0.5
    #: In a caption, a gap wider than this many font sizes separates two fields even between CJK text.
    caption_field_gap: float = 2.0
    #: At most this many caption lines are kept, the ones nearest the table.
    caption_max_lines: int = 4
    #: At most this many lines below a table are kept as its notes, the ones nearest the table.
    notes_max_lines: int = 2


DEFAULT_SETTINGS = PdfSettings()


@dataclass(frozen=True)
class Line:
    """A straight ruling: at x = ``at`` from y = ``start`` to ``end`` if ``vertical``, else at
    y = ``at`` from x = ``start`` to ``end``."""

    vertical: bool
    at: float
    start: float
    end: float


@dataclass(frozen=True)
class Slot:
    """A cell box placed on its table's rulings, before its text is read."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box


@dataclass(frozen=True)
class Rulings:
    """The sorted distinct x and y positions of a table's box edges."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]


def read(path: Path, *, settings: PdfSettings = DEFAULT_SETTINGS) -> Document:
    """Every ruled table of the PDF at ``path``, one grid per table per page.

    Raises ``EncryptedDocument`` when a password is needed, ``CorruptDocument`` when the
    file cannot be parsed and ``NoTextLayer`` when no page has any text (a scan).
    """
    try:
        with pdfplumber.open(path) as pdf:
            grids: list[Grid] = []
            issues: list[Issue] = []
            any_text = False
            n_pages = len(pdf.pages)
            for page in pdf.pages:
                try:
                    chars = page_to_chars(page)
                    if chars:
                        any_text = True
                        grids.extend(page_to_grids(page, chars, settings))
                    else:
                        issues.append(textless_page_issue(page.page_number, has_images=bool(page.images)))
                finally:
                    # Parsed objects are cached per page; a long report would otherwise keep
                    # every page's characters and edges in memory at once.
                    page.close()
    except PdfminerException as exc:
        raise pdfminer_error_to_extractor_error(path, exc) from exc
    except (PSException, MalformedPDFException) as exc:
        raise CorruptDocument(f"{path.name}: the PDF is damaged and cannot be read ({exc}).") from exc
    if not any_text:
        raise NoTextLayer(
            f"{path.name}: no page has a text layer (probably a scan); run OCR on it first, "
            "e.g. `ocrmypdf in.pdf out.pdf`."
        )
    return Document(format="pdf", grids=tuple(grids), pages=n_pages, warnings=tuple(issues))


def pdfminer_error_to_extractor_error(path: Path, exc: PdfminerException) -> Exception:
    """pdfplumber wraps every parser failure in one class; tell a password from damage."""
    cause = exc.args[0] if exc.args else exc
    if isinstance(cause, PDFEncryptionError):
        return EncryptedDocument(
            f"{path.name}: the PDF is encrypted and needs a password; save an unprotected copy and read that."
        )
    return CorruptDocument(f"{path.name}: the PDF is damaged and cannot be read ({cause}).")


def textless_page_issue(page_number: int, *, has_images: bool) -> Issue:
    """Every page without text is reported: a scan needs OCR, a blank page is said to be blank."""
    if has_images:
        return Issue(
            code="no_text_layer",
            message=f"page {page_number} holds images but no text; run OCR to read any table on it",
            page=page_number,
        )
    return Issue(
        code="blank_page",
        message=f"page {page_number} has neither text nor images; nothing on it was read",
        page=page_number,
    )


def page_to_chars(page: Page) -> list[Char]:
    """The visible upright characters; rotated text (watermarks, stamps) is not table text."""
    return [c for c in page.chars if c["upright"] and c["text"]]


def page_to_grids(page: Page, chars: Sequence[Char], settings: PdfSettings) -> list[Grid]:
    """One grid per ruled table on the page, top to bottom, each with the caption above it."""
    grids: list[Grid] = []
    above = 0.0
    found = page_to_boxes(page, settings)
    tables = [boxes_to_rulings(boxes, settings.ruling_tolerance) for boxes in found]
    for index, (boxes, rulings) in enumerate(zip(found, tables, strict=True)):
        slots = boxes_to_slots(boxes, rulings)
        table_top, table_bottom = rulings.ys[0], rulings.ys[-1]
        below = tables[index + 1].ys[0] if index + 1 < len(tables) else float(page.height)
        caption_chars = [c for c in chars if c["top"] >= above and char_centre(c)[1] < table_top]
        note_chars = [c for c in chars if char_centre(c)[1] > table_bottom and c["bottom"] <= below]
        grid = slots_to_grid(
            slots,
            rulings,
            chars_to_cells(chars, slots, rulings),
            page=page.page_number,
            caption=chars_to_caption(caption_chars, settings),
            settings=settings,
        )
        grids.append(replace(grid, notes=chars_to_notes(note_chars, settings)))
        above = table_bottom
    return grids


def page_to_boxes(page: Page, settings: PdfSettings) -> list[list[Box]]:
    """Closed boxes grouped by table, tables ordered top to bottom then left to right."""
    lines = page_to_lines(page, settings)
    borders = [
        b for table in lines_to_tables(lines, settings) for b in table_to_open_borders(table, settings)
    ]
    groups = lines_to_boxes([*lines, *borders], settings)
    return sorted(groups, key=lambda boxes: (min(b[1] for b in boxes), min(b[0] for b in boxes)))


def page_to_lines(page: Page, settings: PdfSettings) -> list[Line]:
    """The page's rulings as pdfplumber's "lines" strategy sees them: snapped, joined, long enough."""
    edges = merge_edges(
        filter_edges(page.edges),
        snap_x_tolerance=settings.snap_tolerance,
        snap_y_tolerance=settings.snap_tolerance,
        join_x_tolerance=settings.join_tolerance,
        join_y_tolerance=settings.join_tolerance,
    )
    return [edge_to_line(e) for e in filter_edges(edges, min_length=settings.edge_min_length)]


def edge_to_line(edge: dict[str, Any]) -> Line:
    if edge["orientation"] == "v":
        return Line(vertical=True, at=float(edge["x0"]), start=float(edge["top"]), end=float(edge["bottom"]))
    return Line(vertical=False, at=float(edge["top"]), start=float(edge["x0"]), end=float(edge["x1"]))


def line_to_edge(line: Line) -> dict[str, Any]:
    """The edge object pdfplumber's table chain expects for ``line``."""
    if line.vertical:
        x0, top, x1, bottom = line.at, line.start, line.at, line.end
    else:
        x0, top, x1, bottom = line.start, line.at, line.end, line.at
    return {
        "object_type": "line",
        "orientation": "v" if line.vertical else "h",
        "x0": x0,
        "top": top,
        "x1": x1,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def lines_cross(vertical: Line, horizontal: Line, tolerance: float) -> bool:
    """Whether two rulings meet, either allowed to stop ``tolerance`` short of the other."""
    return (
        vertical.start - tolerance <= horizontal.at <= vertical.end + tolerance
        and horizontal.start - tolerance <= vertical.at <= horizontal.end + tolerance
    )


def lines_to_tables(lines: Sequence[Line], settings: PdfSettings) -> list[list[Line]]:
    """The rulings grouped by the table they draw: rulings that meet are in one group."""
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    down = [i for i, line in enumerate(lines) if line.vertical]
    across = [i for i, line in enumerate(lines) if not line.vertical]
    for i in down:
        for j in across:
            if lines_cross(lines[i], lines[j], settings.intersection_tolerance):
                parent[root(j)] = root(i)
    groups: dict[int, list[Line]] = {}
    for i, line in enumerate(lines):
        groups.setdefault(root(i), []).append(line)
    return list(groups.values())


def table_to_open_borders(lines: Sequence[Line], settings: PdfSettings) -> list[Line]:
    """The outer borders of one table that are not drawn, each placed where its rulings end.

    A side is open when the rulings running towards it reach ``open_border_overhang`` beyond
    the outermost ruling crossing them: the horizontal rulings past the leftmost or rightmost
    vertical one, the vertical rulings past the topmost or bottommost horizontal one. A table
    whose rulings all stop at its outermost ones is closed and gets nothing; neither does a
    table without rulings in both directions (rules between rows only), whose columns no line
    marks.
    """
    across = [line for line in lines if not line.vertical]
    down = [line for line in lines if line.vertical]
    if not across or not down:
        return []
    left, right = min(h.start for h in across), max(h.end for h in across)
    top, bottom = min(v.start for v in down), max(v.end for v in down)
    first_col, last_col = min(v.at for v in down), max(v.at for v in down)
    first_row, last_row = min(h.at for h in across), max(h.at for h in across)
    x0, x1 = min(left, first_col), max(right, last_col)
    y0, y1 = min(top, first_row), max(bottom, last_row)
    overhang = settings.open_border_overhang
    borders: list[Line] = []
    if first_col - left >= overhang:
        borders.append(Line(vertical=True, at=left, start=y0, end=y1))
    if right - last_col >= overhang:
        borders.append(Line(vertical=True, at=right, start=y0, end=y1))
    if first_row - top >= overhang:
        borders.append(Line(vertical=False, at=top, start=x0, end=x1))
    if bottom - last_row >= overhang:
        borders.append(Line(vertical=False, at=bottom, start=x0, end=x1))
    return borders


def lines_to_boxes(lines: Sequence[Line], settings: PdfSettings) -> list[list[Box]]:
    """pdfplumber's chain from rulings to the boxes closed on all four sides, grouped by table."""
    tolerance = settings.intersection_tolerance
    intersections = edges_to_intersections([line_to_edge(line) for line in lines], tolerance, tolerance)
    return [
        [(float(x0), float(t), float(x1), float(b)) for x0, t, x1, b in table]
        for table in cells_to_tables(intersections_to_cells(intersections))
    ]


def boxes_to_rulings(boxes: Sequence[Box], tolerance: float) -> Rulings:
    xs = snap_positions([v for b in boxes for v in (b[0], b[2])], tolerance)
    ys = snap_positions([v for b in boxes for v in (b[1], b[3])], tolerance)
    return Rulings(xs=xs, ys=ys)


def snap_positions(values: Sequence[float], tolerance: float) -> tuple[float, ...]:
    """Distinct positions: sorted values closer than ``tolerance`` to their neighbour are one."""
    clusters: list[list[float]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][-1] <= tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return tuple(statistics.fmean(cluster) for cluster in clusters)


def nearest_index(positions: Sequence[float], value: float) -> int:
    i = bisect.bisect_left(positions, value)
    if i == len(positions) or (i > 0 and value - positions[i - 1] < positions[i] - value):
        return i - 1
    return i


def boxes_to_slots(boxes: Sequence[Box], rulings: Rulings) -> list[Slot]:
    """Place boxes on the rulings; the rulings a box crosses give its span.

    A box that would cover a position already taken by an earlier box is dropped: the table
    finder reports the smallest closed box per corner, so an overlap can only be a frame drawn
    around cells that are already there.
    """
    taken: set[tuple[int, int]] = set()
    slots: list[Slot] = []
    for box in sorted(boxes, key=lambda b: (b[1], b[0], b[3], b[2])):
        col, last_col = nearest_index(rulings.xs, box[0]), nearest_index(rulings.xs, box[2])
        row, last_row = nearest_index(rulings.ys, box[1]), nearest_index(rulings.ys, box[3])
        area = {(r, c) for r in range(row, last_row) for c in range(col, last_col)}
        if not area or area & taken:
            continue
        taken |= area
        slots.append(Slot(row=row, col=col, rowspan=last_row - row, colspan=last_col - col, box=box))
    return slots


def char_centre(char: Char) -> tuple[float, float]:
    return (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2


def chars_to_cells(chars: Sequence[Char], slots: Sequence[Slot], rulings: Rulings) -> list[list[Char]]:
    """The characters of each slot, by the grid position their centre falls in."""
    by_position = {
        (r, c): i
        for i, s in enumerate(slots)
        for r in range(s.row, s.row + s.rowspan)
        for c in range(s.col, s.col + s.colspan)
    }
    found: list[list[Char]] = [[] for _ in slots]
    for char in chars:
        x, y = char_centre(char)
        col = bisect.bisect_right(rulings.xs, x) - 1
        row = bisect.bisect_right(rulings.ys, y) - 1
        index = by_position.get((row, col))
        if index is not None:
            found[index].append(char)
    return found


def slots_to_grid(
    slots: Sequence[Slot],
    rulings: Rulings,
    cell_chars: Sequence[Sequence[Char]],
    *,
    page: int,
    caption: tuple[str, ...],
    settings: PdfSettings,
) -> Grid:
    cells = tuple(
        Cell(
            row=s.row,
            col=s.col,
            rowspan=s.rowspan,
            colspan=s.colspan,
            text=chars_to_text(chars, box=s.box, settings=settings),
            page=page,
            bbox=BBox(*s.box),
        )
        for s, chars in zip(slots, cell_chars, strict=True)
    )
    return Grid(
        n_rows=len(rulings.ys) - 1,
        n_cols=len(rulings.xs) - 1,
        cells=cells,
        origin=f"page {page}",
        caption=caption,
        pages=(page,),
    )


# --- text ---------------------------------------------------------------------------------


def chars_to_lines(chars: Sequence[Char], tolerance: float) -> list[list[Char]]:
    """Characters grouped into lines by ``top``, lines top to bottom, each left to right.

    Spaces are placed by the visible characters around them and the line's ends are where
    its ink ends: Word exports scatter stray spaces between and after lines, and a trailing
    space would hide how short a line really is.
    """
    visible = [c for c in chars if not c["text"].isspace()]
    lines: list[list[Char]] = []
    for char in sorted(visible, key=lambda c: (c["top"], c["x0"])):
        if lines and char["top"] - lines[-1][0]["top"] <= tolerance:
            lines[-1].append(char)
        else:
            lines.append([char])
    spaces = [c for c in chars if c["text"].isspace()]
    return [with_inner_spaces(sorted(line, key=lambda c: c["x0"]), spaces) for line in lines]


def with_inner_spaces(line: list[Char], spaces: Sequence[Char]) -> list[Char]:
    """``line`` with the space characters that stand between its first and last character."""
    x0, x1 = line[0]["x1"], line[-1]["x0"]
    top, bottom = min(c["top"] for c in line), max(c["bottom"] for c in line)
    inner = [s for s in spaces if x0 <= char_centre(s)[0] <= x1 and top <= char_centre(s)[1] <= bottom]
    return sorted([*line, *inner], key=lambda c: c["x0"]) if inner else line


def line_to_text(line: Sequence[Char], settings: PdfSettings, *, field_gap: float | None = None) -> str:
    """A line's text: a space only where the PDF has one or where Latin words stand apart.

    Layouts space out CJK text freely (justified or distributed alignment), so a gap between
    wide characters is not a word boundary; ``field_gap`` (in font sizes), when given, still
    turns a very wide gap into a space, which keeps caption fields such as 单位：万元 apart.
    """
    parts: list[str] = []
    previous: Char | None = None
    for char in line:
        text = char["text"]
        if previous is not None and not text.isspace():
            gap = char["x0"] - previous["x1"]
            size = min(char["size"], previous["size"])
            latin = not is_cjk(previous["text"][-1]) and not is_cjk(text[0])
            if (latin and gap > settings.word_gap * size) or (
                field_gap is not None and gap > field_gap * size
            ):
                parts.append(" ")
        parts.append(text)
        previous = char
    return " ".join("".join(parts).split())


def ends_paragraph(line: Sequence[Char], following: Sequence[Char], box: Box, settings: PdfSettings) -> bool:
    """Whether ``line`` ends a paragraph rather than wrapping into ``following``.

    A wrapped line fills the cell up to about one character of its right edge (a CJK line may
    stop one character short when the next one is punctuation that may not open a line); a
    paragraph's last line stops short. The first word of the next line must also have fitted
    into the space left, or a long Latin word could have forced the wrap. A centred line
    (headers) is short on both sides whether it wraps or not, so it never ends a paragraph.
    """
    size = statistics.median(c["size"] for c in line)
    room = box[2] - float(line[-1]["x1"])
    return (
        not is_centred(line, box, settings)
        and room > settings.paragraph_gap * size
        and room > first_word_width(following)
    )


def starts_indented_paragraph(
    line: Sequence[Char], lines: Sequence[Sequence[Char]], box: Box, settings: PdfSettings
) -> bool:
    """Whether ``line`` opens a paragraph by its first-line indent (首行缩进).

    Chinese text indents each paragraph's first line by two characters. A paragraph whose
    last line happens to fill the cell (or stops one character short of it before a line
    that opens with a bracket, as （三） does) ends no shorter than a wrapped line, but the
    next paragraph still starts indented. The cell's first line shows the indent: when it
    starts right of the cell's leftmost line without being centred, a later line starting
    where it does opens a paragraph. (The first line of centred text is either centred or
    the longest, so centred text shows no indent.)
    """
    size = statistics.median(c["size"] for c in line)
    first = float(lines[0][0]["x0"])
    margin = min(float(other[0]["x0"]) for other in lines)
    return (
        first - margin >= settings.paragraph_indent * size
        and abs(float(line[0]["x0"]) - first) <= settings.indent_tolerance * size
        and not is_centred(lines[0], box, settings)
    )


def is_centred(line: Sequence[Char], box: Box, settings: PdfSettings) -> bool:
    size = float(statistics.median(c["size"] for c in line))
    room = box[2] - float(line[-1]["x1"])
    return abs((float(line[0]["x0"]) - box[0]) - room) <= settings.centred_tolerance * size


def first_word_width(line: Sequence[Char]) -> float:
    first = line[0]
    end = first["x1"]
    if not is_cjk(first["text"][0]):
        for char in line[1:]:
            if char["text"].isspace() or is_cjk(char["text"][0]):
                break
            end = char["x1"]
    return float(end - first["x0"])


def chars_to_text(chars: Sequence[Char], *, box: Box, settings: PdfSettings) -> str:
    """The cell's text: wrapped lines joined, paragraphs separated by a newline."""
    lines = chars_to_lines(chars, settings.line_tolerance)
    text = ""
    for i, line in enumerate(lines):
        line_text = line_to_text(line, settings)
        if i == 0:
            text = line_text
        elif ends_paragraph(lines[i - 1], line, box, settings) or starts_indented_paragraph(
            line, lines, box, settings
        ):
            text = f"{text}\n{line_text}"
        else:
            text = join_wrapped(text, line_text)
    return text


def chars_to_notes(chars: Sequence[Char], settings: PdfSettings) -> tuple[str, ...]:
    """The non-empty text lines below a table, nearest first, at most ``notes_max_lines``."""
    return chars_to_loose_lines(chars, settings)[: settings.notes_max_lines]


def chars_to_caption(chars: Sequence[Char], settings: PdfSettings) -> tuple[str, ...]:
    """The non-empty text lines above a table, nearest last, at most ``caption_max_lines``."""
    return chars_to_loose_lines(chars, settings)[-settings.caption_max_lines :]


def chars_to_loose_lines(chars: Sequence[Char], settings: PdfSettings) -> tuple[str, ...]:
    """Text lines outside any table, top to bottom, wide gaps kept as field separators."""
    lines = chars_to_lines(chars, settings.line_tolerance)
    texts = [line_to_text(line, settings, field_gap=settings.caption_field_gap) for line in lines]
    return tuple(t for t in texts if t)
