"""What every producer of a sample needs: the table to print, how to print it, and shared helpers.

A ``Sheet`` is one table as a publisher prints it: caption lines above it (title first, then
lines such as ``编制部门：XX局\\t单位：元``, a tab separating what is printed left and right), then a
grid of anchor cells with explicit spans (``seed_layout.Cell``). A ``Look`` says how a
producer varies what it prints: orientation, a header repeated after a page break, missing
outer borders, radical code points in a PDF's text layer, layout spaces inside short labels.

The producers live beside this module, one per format family: ``render_web.py`` (HTML),
``render_office.py`` (.docx, .xlsx, LibreOffice PDF) and ``render_pdf.py`` (reportlab). The
helpers here -- fixed timestamps, zip pinning, CJK fonts for reportlab -- are shared with
``make_seed_samples.py``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from seed_layout import Cell, SampleError

try:
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.text.run import Run
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
except ImportError as exc:  # the generators are dev extras, not runtime dependencies
    raise SystemExit(
        f"error: {exc.name} is missing; install the dev extras: .venv/bin/pip install -e '.[dev]'"
    ) from exc

CJK_FONT_DOCX = "WenQuanYi Micro Hei"
DROID_TTF = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
WQY_TTC = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
RL_FONT_CJK = "DroidSansFallback"
RL_FONT_FALLBACK = "WenQuanYiMicroHei"
# One fixed instant for every timestamp a producer lets us set.
FIXED_TIME = dt.datetime(2025, 1, 20, 9, 0, 0)

#: Radical code points a PDF font's ToUnicode map puts where the page shows a whole character
#: (CONTRACT §4): Kangxi radicals (⽬ U+2F6C for 目) and CJK Radicals Supplement (⻔ U+2ED4 for 门).
RADICALS: dict[str, str] = {
    "目": "\u2f6c",
    "门": "\u2ed4",
    "一": "\u2f00",
    "支": "\u2f40",
    "用": "\u2f64",
    "长": "\u2ed3",
    "见": "\u2ec5",
    "车": "\u2ecb",
    "页": "\u2eda",
    "人": "\u2f08",
    "工": "\u2f2f",
    "生": "\u2f63",
}
_SHORT_LABEL = re.compile(r"[\u4e00-\u9fff]{2,4}")


@dataclass(frozen=True)
class Sheet:
    """One table to print: caption lines above it, then the grid of anchor cells.

    ``heads`` are the column-header row groups as ``(first, stop)`` row ranges: the top one
    for a budget table, one per indicator block for a performance table. A producer that
    repeats the header after a page break repeats the group that heads the rows being cut.
    ``widths`` are relative column widths; ``name`` labels a worksheet tab.
    """

    name: str
    caption: tuple[str, ...]
    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]
    heads: tuple[tuple[int, int], ...]
    widths: tuple[float, ...]

    def rows(self) -> Iterator[list[Cell]]:
        """Anchor cells grouped by the row they start in, in column order."""
        by_row: dict[int, list[Cell]] = {r: [] for r in range(self.n_rows)}
        for cell in self.cells:
            by_row[cell.row].append(cell)
        for r in range(self.n_rows):
            yield sorted(by_row[r], key=lambda c: c.col)

    def head_for(self, row: int) -> tuple[int, int] | None:
        """The header group heading ``row`` (the last one ending at or above it), if any."""
        above = [h for h in self.heads if h[1] <= row]
        return max(above) if above else None

    def check_tiling(self) -> None:
        """Fail unless every grid position is covered by exactly one anchor cell."""
        covered: dict[tuple[int, int], Cell] = {}
        for cell in self.cells:
            for r in range(cell.row, cell.last_row + 1):
                for c in range(cell.col, cell.last_col + 1):
                    if not (0 <= r < self.n_rows and 0 <= c < self.n_cols):
                        raise SampleError(f"{self.name}: cell {cell} reaches outside the grid")
                    if (r, c) in covered:
                        raise SampleError(f"{self.name}: cells overlap at ({r}, {c}): {cell}")
                    covered[(r, c)] = cell
        holes = [(r, c) for r in range(self.n_rows) for c in range(self.n_cols) if (r, c) not in covered]
        if holes:
            raise SampleError(f"{self.name}: grid positions covered by no cell: {holes[:10]}")
        if len(self.widths) != self.n_cols:
            raise SampleError(f"{self.name}: {len(self.widths)} column widths for {self.n_cols} columns")


@dataclass(frozen=True)
class Look:
    """How one document varies the printing of its tables.

    ``repeat_header``: the header group is printed again after a page break (Word's
    "repeat as header row", Excel's print titles). ``cut_span_text``: a merged cell cut by a
    page break shows its text again on the new page (else the part there is empty).
    ``radicals`` (PDF text layer only) and ``spaced_labels`` (单 位 名 称) change what is
    printed, never the truth. ``covered_borders`` (Excel): every position inside a merged
    range carries a thin border all round, as Excel writes a table given "All Borders" after
    merging; without it only the range's outline is drawn, as openpyxl's merge leaves it.
    """

    landscape: bool = False
    font_pt: float = 8.0
    repeat_header: bool = True
    cut_span_text: bool = True
    outer_border: bool = True
    radicals: bool = False
    spaced_labels: bool = False
    covered_borders: bool = False


def printed_lines(cell: Cell, look: Look, *, gap: str, radicals: bool = False) -> tuple[str, ...]:
    """The lines of ``cell`` as the producer prints them.

    A key or header of two to four Han characters is spread with ``gap`` between them when
    the look asks for it; with ``radicals`` the characters of ``RADICALS`` are replaced by
    their radical code points.
    """
    lines = cell.paragraphs
    spread = look.spaced_labels and cell.role in ("key", "header")
    if spread and len(lines) == 1 and _SHORT_LABEL.fullmatch(lines[0]):
        lines = (gap.join(lines[0]),)
    if radicals:
        table = str.maketrans(RADICALS)
        lines = tuple(line.translate(table) for line in lines)
    return lines


def split_caption(line: str) -> tuple[str, str]:
    """A caption line's left and right parts (``编制部门：XX局\\t单位：元``)."""
    left, _, right = line.partition("\t")
    return left, right


def escape_html(text: str) -> str:
    """HTML text with no-break spaces as ``&nbsp;`` (GBK has no U+00A0)."""
    return html.escape(text, quote=False).replace("\u00a0", "&nbsp;")


# ------------------------------------------------------------------------- fixed bytes


def pin_zip_timestamps(path: Path) -> None:
    """Rewrite a zip so every member carries FIXED_TIME (python-docx stamps 'now').

    openpyxl also writes the save time into ``docProps/core.xml`` whatever the workbook
    properties say, so that date is replaced too.
    """
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


# ----------------------------------------------------------------------------- fonts


def set_run_font(run: Run, size_pt: float, *, bold: bool = False) -> None:
    """Give a run an explicit East Asian font (``w:rFonts/@w:eastAsia``).

    ``run.font.name`` alone writes only ``w:ascii``/``w:hAnsi``; Word then picks
    the East Asian face from the theme, so Chinese text would fall back to
    whatever the reader's machine has.
    """
    run.font.name = CJK_FONT_DOCX
    run.font.size = Pt(size_pt)
    run.font.bold = True if bold else None
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT_DOCX)


def register_fonts(*, radical_glyphs: bool = False) -> set[int]:
    """Embed DroidSansFallback (CJK) and WenQuanYi (digits, ≤≥, “”); return Droid's coverage.

    With ``radical_glyphs`` the radical code points of ``RADICALS`` are given the glyphs of
    the characters they stand for, so the page shows 目 while the embedded subset's ToUnicode
    map says ⽬ -- what a real PDF with an odd font does. Neither font has radical glyphs
    of its own, and adding code points changes nothing for text without them.
    """
    for font in (DROID_TTF, WQY_TTC):
        if not font.is_file():
            raise SampleError(f"font not found: {font} (install fonts-droid-fallback / fonts-wqy-microhei)")
    droid = TTFont(RL_FONT_CJK, str(DROID_TTF))
    if radical_glyphs:
        face = droid.face
        for char, radical in RADICALS.items():
            face.charToGlyph[ord(radical)] = face.charToGlyph[ord(char)]
            face.charWidths[ord(radical)] = face.charWidths[ord(char)]
    pdfmetrics.registerFont(droid)
    pdfmetrics.registerFont(TTFont(RL_FONT_FALLBACK, str(WQY_TTC), subfontIndex=0))
    return set(droid.face.charToGlyph)


def markup(text: str, droid_chars: set[int]) -> str:
    """Paragraph markup that switches to the fallback font for chars Droid lacks.

    DroidSansFallback has no ASCII digits, ``%``, ``=``, ``≤≥`` or curly quotes,
    so those runs are set in WenQuanYi -- two embedded fonts per line, as in
    real CJK PDFs that mix a Song face with a Latin face.
    """
    out: list[str] = []
    for ch in text:
        esc = html.escape(ch, quote=False)
        if ord(ch) in droid_chars:
            out.append(esc)
        else:
            out.append(f'<font face="{RL_FONT_FALLBACK}">{esc}</font>')
    return re.sub(rf'</font><font face="{RL_FONT_FALLBACK}">', "", "".join(out))
