"""Read the ruled tables of a PDF with a text layer into grids with explicit spans.

The chain per page, each step small and pure so that every intermediate can be looked at. A
backend (``pdf_backends.read_pages``: pdfium by default, or pdfplumber) turns each page into a
``PageGeometry``; the geometry steps (rulings → tables → boxes → slots on a grid) are in
``pdf_rulings``; the text steps are here:

``chars_to_cells``     each character to the box its centre lies in, but a run of text
                       (``chars_to_runs``) that overflows its box stays whole in the box it
                       starts in (a spreadsheet's clipped label);
``lines_to_text``      the characters of a box, read line by line, with a
                       newline only where a paragraph ends (a line that stops well short of the
                       box's right edge, or the next one starts at the first line's indent), so
                       that wrapped lines join and paragraphs stay apart;
``chars_to_caption``   the lines printed just above a table (title, year, 单位：万元 …), and
``chars_to_notes``     those just below it (注：本表为空表).

pdfplumber's own ``Table.extract`` reports merged positions as ``None``; here each box becomes one
anchor cell carrying its span, as the model requires.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from extractor.errors import CorruptDocument, NoTextLayer
from extractor.model import BBox, Cell, Document, Grid, Issue
from extractor.normalise.text import is_cjk, join_wrapped
from extractor.readers import ocr as ocr_reader
from extractor.readers import ocr_engine, ocr_text
from extractor.readers.budget import Budget
from extractor.readers.ocr import DEFAULT_OCR, OCR_MODES
from extractor.readers.pdf_backends import read_pages
from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND, Char, PageGeometry
from extractor.readers.pdf_rulings import (
    DEFAULT_SETTINGS,
    Box,
    PdfSettings,
    Rulings,
    Slot,
    boxes_to_rulings,
    boxes_to_slots,
    may_rule_a_table,
    page_to_boxes,
)


def read(
    path: Path,
    *,
    settings: PdfSettings = DEFAULT_SETTINGS,
    backend: str = DEFAULT_PDF_BACKEND,
    cells: Budget | None = None,
    objects: Budget | None = None,
    ocr: str = DEFAULT_OCR,
) -> Document:
    """Every ruled table of the PDF at ``path``, one grid per table per page.

    ``backend`` names the library that reads the pages (``pdf_page.PDF_BACKENDS``); ``cells``
    bounds the table cells the document may hold, ``objects`` what each page may draw; ``ocr``
    (``ocr.OCR_MODES``) says which pages are read by OCR: with ``auto`` the pages that hold
    images but no text (scans), with ``force`` every page. A scanned page's grids stand in page
    order among the others, so that a table running over it stitches like any other. Raises
    ``EncryptedDocument`` when a password is needed, ``CorruptDocument`` when the file cannot
    be parsed, ``NoTextLayer`` when no page has any text (a scan that OCR did not or could not
    read), ``MissingDependency`` for ``force`` without the OCR extra and ``TooLarge`` past a budget.
    """
    if ocr not in OCR_MODES:
        raise ValueError(f"unknown OCR mode {ocr!r}; choose one of {', '.join(OCR_MODES)}")
    if ocr == "force":
        ocr_engine.ensure_available()
    page_grids: dict[int, list[Grid]] = {}
    page_issues: dict[int, list[Issue]] = {}
    scanned: list[int] = []
    first_page: PageGeometry | None = None
    wants_chars = _wants_chars if ocr != "force" else _wants_no_chars
    for page in read_pages(path, wants_chars, backend=backend, objects=objects):
        page_issues[page.number] = list(page.issues)
        page_grids[page.number] = []
        if ocr == "force" or (
            ocr == "auto" and not page.has_text and page.has_images and ocr_engine.available()
        ):
            scanned.append(page.number)
        elif page.has_text:
            page_grids[page.number] = page_to_grids(page, settings, cells)
            first_page = first_page or page
        else:
            page_issues[page.number].append(textless_page_issue(page.number, has_images=page.has_images))
    if not page_grids:
        raise CorruptDocument(
            f"{path.name}: no page can be read (its page tree or cross-reference table is damaged); "
            "open it in a PDF reader and save or print it to a new PDF"
        )
    for page, dpi in ocr_reader.read_pdf_pages(path, scanned):
        if page.chars:
            page_grids[page.number] = page_to_grids(page, settings, cells)
            page_issues[page.number] += ocr_reader.ocr_page_issues(page, dpi, forced=ocr == "force")
            first_page = page if first_page is None or page.number < first_page.number else first_page
        else:
            page_issues[page.number].append(ocr_reader.nothing_read_issue(page.number, dpi))
    if first_page is None:
        raise NoTextLayer(no_text_message(path, ocr="read" if scanned else ocr))
    grids = [grid for number in sorted(page_grids) for grid in page_grids[number]]
    issues = [issue for number in sorted(page_issues) for issue in page_issues[number]]
    preamble: tuple[str, ...] = ()
    if first_page.number == 1:
        preamble = page_preamble(first_page, page_grids[1], settings)
    if not grids:
        issues.append(Issue("no_tables", f"{path.name}: no page holds a ruled table"))
    return Document(
        format="pdf", grids=tuple(grids), pages=len(page_grids), warnings=tuple(issues), preamble=preamble
    )


def no_text_message(path: Path, *, ocr: str) -> str:
    """Why a PDF without any text gives nothing, and what to do: install or allow OCR."""
    if ocr == "read":
        return f"{path.name}: no page has a text layer, and OCR found no text on its images"
    if ocr == "off":
        return (
            f"{path.name}: no page has a text layer (probably a scan); read it with OCR "
            f"(--ocr auto, with the OCR extra: {ocr_engine.INSTALL_HINT})"
        )
    return (
        f"{path.name}: no page has a text layer (probably a scan); install the OCR extra to read it "
        f"({ocr_engine.INSTALL_HINT}), or run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`."
    )


def _wants_chars(page: PageGeometry) -> bool:
    """Characters are read for the first page (the cover naming the document) and for pages
    whose rulings could hold a table."""
    return page.has_text and (page.number == 1 or may_rule_a_table(page.lines))


def _wants_no_chars(page: PageGeometry) -> bool:
    """Every page is read by OCR: its text layer is not wanted."""
    return False


#: How many lines of the first page open the document: a cover's name, year and title.
PREAMBLE_MAX_LINES = 8


def page_preamble(page: PageGeometry, grids: Sequence[Grid], settings: PdfSettings) -> tuple[str, ...]:
    """The first lines of the page above its first table (all of a cover page)."""
    tops = [c.bbox.top for grid in grids for c in grid.cells if c.bbox is not None]
    table_top = min(tops, default=page.height)
    chars = [c for c in page.chars if char_centre(c)[1] < table_top]
    return chars_to_loose_lines(chars, settings)[:PREAMBLE_MAX_LINES]


def textless_page_issue(page_number: int, *, has_images: bool) -> Issue:
    """Every page without text is reported: a scan needs OCR, a blank page is said to be blank."""
    if has_images:
        return Issue(
            code="no_text_layer",
            message=(
                f"page {page_number} holds images but no text; read it with OCR "
                f"(--ocr auto, with the OCR extra: {ocr_engine.INSTALL_HINT})"
            ),
            page=page_number,
        )
    return Issue(
        code="blank_page",
        message=f"page {page_number} has neither text nor images; nothing on it was read",
        page=page_number,
    )


def page_to_grids(page: PageGeometry, settings: PdfSettings, cells: Budget | None = None) -> list[Grid]:
    """One grid per ruled table on the page, top to bottom, each with the caption above it.

    A table's rulings make its grid, every position of which is a cell or lies in a merged one:
    ``cells`` is spent by that area before the boxes are placed on it (a few thousand staggered
    rectangles make a grid of millions of positions).
    """
    if not page.chars:
        return []
    grids: list[Grid] = []
    above = 0.0
    chars = page.chars
    recognised = any(c.confidence is not None for c in chars)
    found = page_to_boxes(page.lines, settings)
    tables = [boxes_to_rulings(boxes, settings.ruling_tolerance) for boxes in found]
    for index, (boxes, rulings) in enumerate(zip(found, tables, strict=True)):
        if cells is not None:
            cells.spend((len(rulings.xs) - 1) * (len(rulings.ys) - 1), where=f"page {page.number}")
        slots = boxes_to_slots(boxes, rulings)
        table_top, table_bottom = rulings.ys[0], rulings.ys[-1]
        below = tables[index + 1].ys[0] if index + 1 < len(tables) else page.height
        caption_chars = [c for c in chars if c.top >= above and char_centre(c)[1] < table_top]
        note_chars = [c for c in chars if char_centre(c)[1] > table_bottom and c.bottom <= below]
        grid = slots_to_grid(
            slots,
            rulings,
            chars_to_cells(chars, slots, rulings, settings),
            page=page.number,
            caption=chars_to_caption(caption_chars, settings),
            settings=settings,
            recognised=recognised,
        )
        grids.append(replace(grid, notes=chars_to_notes(note_chars, settings)))
        above = table_bottom
    return grids


def char_centre(char: Char) -> tuple[float, float]:
    return (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2


def chars_to_cells(
    chars: Sequence[Char], slots: Sequence[Slot], rulings: Rulings, settings: PdfSettings = DEFAULT_SETTINGS
) -> list[list[Char]]:
    """The characters of each slot, by the grid position their centre falls in, except those of
    a run of text that overflows its slot: they all belong to the slot the run starts in.

    A spreadsheet (WPS 表格, Excel) prints a cell's text on one line and, where the cell is too
    narrow, clips it at the cell's right border: the page shows ``一般性支出情``, the text layer
    still holds ``一般性支出情况``, its last character standing across the ruling with its centre
    in the next column (which would read ``况一般性支出情``). The overflowing text runs on over
    the ruling without a gap, while the next cell's own text starts after its padding, printed
    over the clipped character, and so starts a run of its own (``chars_to_runs``). A page read
    by OCR shows no clipped text (what a scan shows across a ruling is printed there), and its
    lines are cut at rulings already (``ocr_chars.line_to_chars``): its runs never overflow, so
    an amount printed up to a ruling stays in its cell when the next cell's text starts just
    after it (``24,458.43`` | ``一、基本支出``).
    """
    by_position = {
        (r, c): i
        for i, s in enumerate(slots)
        for r in range(s.row, s.row + s.rowspan)
        for c in range(s.col, s.col + s.colspan)
    }
    xs, ys = rulings.xs, rulings.ys
    top, bottom = ys[0], ys[-1]
    # Only the characters in the table's band of rows can fall in a slot (the page's others are
    # the caption, the notes and the other tables). The slot of each, keyed by identity: a PDF
    # may print the same character twice in the same place (fake bold).
    band: list[Char] = []
    owner: dict[int, int] = {}
    for char in chars:
        x, y = char_centre(char)
        if top <= y <= bottom:
            band.append(char)
            index = by_position.get((bisect.bisect_right(ys, y) - 1, bisect.bisect_right(xs, x) - 1))
            if index is not None:
                owner[id(char)] = index
    for run in chars_to_runs([char for char in band if char.confidence is None], settings):
        start = owner.get(id(run[0]))
        if start is not None and char_centre(run[-1])[0] > slots[start].box[2]:
            owner.update((id(char), start) for char in run)
    found: list[list[Char]] = [[] for _ in slots]
    for char in band:
        index = owner.get(id(char))
        if index is not None:
            found[index].append(char)
    return found


def chars_to_runs(chars: Sequence[Char], settings: PdfSettings) -> list[list[Char]]:
    """The runs of text among ``chars``, each left to right.

    A run is a chain of visible characters of one line, each starting where the one before it
    ends: without a gap (``run_gap``) and without reaching back over it (``run_overlap``), i.e.
    text printed as one piece. Taken left to right, a character continues the run whose last
    character it follows most closely, or starts a run of its own; so a clipped label's
    characters and the next cell's text printed over them form two runs even where they
    interleave, and a character printed twice (fake bold) makes two parallel runs. Spaces belong
    to no run (a backend may report a space stretched over the whole gap to the next text), so a
    gap with a space in it ends a run.
    """
    visible = [c for c in chars if not c.text.isspace()]
    runs: list[list[Char]] = []
    run_gap, run_overlap = settings.run_gap, settings.run_overlap
    for line in chars_to_lines(visible, settings.line_tolerance):
        open_runs: list[list[Char]] = []
        for char in line:
            best: list[Char] | None = None
            best_gap = 0.0
            still_open = []
            for run in open_runs:
                last = run[-1]
                gap = char.x0 - last.x1
                if gap > run_gap * last.size:
                    continue  # the characters come left to right: nothing later can continue it
                still_open.append(run)
                size = min(last.size, char.size)
                if -run_overlap * size <= gap <= run_gap * size and (best is None or abs(gap) < best_gap):
                    best, best_gap = run, abs(gap)
            if best is None:
                best = [char]
                runs.append(best)
                still_open.append(best)
            else:
                best.append(char)
            open_runs = still_open
    return runs


def slots_to_grid(
    slots: Sequence[Slot],
    rulings: Rulings,
    cell_chars: Sequence[Sequence[Char]],
    *,
    page: int,
    caption: tuple[str, ...],
    settings: PdfSettings,
    recognised: bool = False,
) -> Grid:
    """The grid of a table's slots; on a page read by OCR (``recognised``) each cell carries the
    confidence of its least sure character (``cell_confidence``), and a 收入 the recogniser
    read as 收人 is restored in its cells and caption alike (``ocr_text.income_restored``)."""
    cell_lines = [chars_to_lines(chars, settings.line_tolerance) for chars in cell_chars]
    texts = [
        lines_to_text(lines, box=s.box, settings=settings) for s, lines in zip(slots, cell_lines, strict=True)
    ]
    cells = tuple(
        Cell(
            row=s.row,
            col=s.col,
            rowspan=s.rowspan,
            colspan=s.colspan,
            text=ocr_text.income_restored(text) if recognised else text,
            page=page,
            bbox=BBox(*s.box),
            text_box=first_line_box(lines),
            confidence=cell_confidence(chars) if recognised else None,
        )
        for s, lines, chars, text in zip(slots, cell_lines, cell_chars, texts, strict=True)
    )
    return Grid(
        n_rows=len(rulings.ys) - 1,
        n_cols=len(rulings.xs) - 1,
        cells=cells,
        origin=f"page {page}",
        caption=tuple(map(ocr_text.income_restored, caption)) if recognised else caption,
        pages=(page,),
    )


def cell_confidence(chars: Sequence[Char]) -> float:
    """How sure OCR was of a cell's text: its least sure visible character. An empty cell has 1.0,
    not None (None marks text read from a document, never recognised): OCR looked and found
    nothing to doubt, and a self-check naming suspect cells has no digit of it to name."""
    return min(
        (c.confidence for c in chars if c.confidence is not None and not c.text.isspace()), default=1.0
    )


# --- text ---------------------------------------------------------------------------------


def first_line_box(lines: Sequence[Sequence[Char]]) -> BBox | None:
    """The box of a cell's first line of characters, or None for an empty cell."""
    if not lines:
        return None
    first = lines[0]
    return BBox(first[0].x0, min(c.top for c in first), first[-1].x1, max(c.bottom for c in first))


def chars_to_lines(chars: Sequence[Char], tolerance: float) -> list[list[Char]]:
    """Characters grouped into lines by ``top``, lines top to bottom, each left to right.

    Spaces are placed by the visible characters around them and the line's ends are where
    its ink ends: Word exports scatter stray spaces between and after lines, and a trailing
    space would hide how short a line really is.
    """
    visible = [c for c in chars if not c.text.isspace()]
    lines: list[list[Char]] = []
    for char in sorted(visible, key=lambda c: (c.top, c.x0)):
        if lines and char.top - lines[-1][0].top <= tolerance:
            lines[-1].append(char)
        else:
            lines.append([char])
    spaces = [c for c in chars if c.text.isspace()]
    return [with_inner_spaces(sorted(line, key=lambda c: c.x0), spaces) for line in lines]


def with_inner_spaces(line: list[Char], spaces: Sequence[Char]) -> list[Char]:
    """``line`` with the space characters that stand between its first and last character."""
    if not spaces:
        return line
    x0, x1 = line[0].x1, line[-1].x0
    top, bottom = min(c.top for c in line), max(c.bottom for c in line)
    inner = [s for s in spaces if x0 <= char_centre(s)[0] <= x1 and top <= char_centre(s)[1] <= bottom]
    return sorted([*line, *inner], key=lambda c: c.x0) if inner else line


def line_to_text(line: Sequence[Char], settings: PdfSettings, *, field_gap: float | None = None) -> str:
    """A line's text: a space only where the PDF has one or where Latin words stand apart.

    Layouts space out CJK text freely (justified or distributed alignment), so a gap between
    wide characters is not a word boundary; ``field_gap`` (in font sizes), when given, still
    turns a very wide gap into a space, which keeps caption fields such as 单位：万元 apart.
    """
    parts: list[str] = []
    previous: Char | None = None
    for char in line:
        text = char.text
        if previous is not None and not text.isspace():
            gap = char.x0 - previous.x1
            size = min(char.size, previous.size)
            # The gap first: most characters follow the one before closely, whatever their script.
            latin_gap = (
                gap > settings.word_gap * size and not is_cjk(previous.text[-1]) and not is_cjk(text[0])
            )
            if latin_gap or (field_gap is not None and gap > field_gap * size):
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
    size = statistics.median(c.size for c in line)
    room = box[2] - line[-1].x1
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
    size = statistics.median(c.size for c in line)
    first = lines[0][0].x0
    margin = min(other[0].x0 for other in lines)
    return (
        first - margin >= settings.paragraph_indent * size
        and abs(line[0].x0 - first) <= settings.indent_tolerance * size
        and not is_centred(lines[0], box, settings)
    )


def is_centred(line: Sequence[Char], box: Box, settings: PdfSettings) -> bool:
    size = float(statistics.median(c.size for c in line))
    room = box[2] - line[-1].x1
    return abs((line[0].x0 - box[0]) - room) <= settings.centred_tolerance * size


def first_word_width(line: Sequence[Char]) -> float:
    first = line[0]
    end = first.x1
    if not is_cjk(first.text[0]):
        for char in line[1:]:
            if char.text.isspace() or is_cjk(char.text[0]):
                break
            end = char.x1
    return end - first.x0


def lines_to_text(lines: Sequence[Sequence[Char]], *, box: Box, settings: PdfSettings) -> str:
    """The cell's text from its lines (``chars_to_lines``): wrapped lines joined, paragraphs
    separated by a newline."""
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
