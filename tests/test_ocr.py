"""The OCR reader path: scanned pages and images read into grids like any vector PDF page.

Every scan here is made by the test: a ruled table with Chinese labels, merged cells and amounts
is drawn with reportlab, rendered by pdfium at 200 dpi and then put through what a scanner and a
stamp do to a page (``scan``): a red seal over a corner of the table, grey paper, a 1° skew, blur,
sensor noise and JPEG. The reader must give the grid the drawing states: spans, texts, caption.
"""

from __future__ import annotations

import io
import itertools
import struct
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFilter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from extractor.errors import MissingDependency, NoTextLayer, TooLarge
from extractor.layout.stitch import stitch_pages
from extractor.model import Grid
from extractor.readers import detect_format, ocr, ocr_chars, ocr_engine, read
from extractor.readers import pdf as pdf_reader
from extractor.readers.pdf_page import Char, Line, PageGeometry
from extractor.readers.scan_lines import binary_to_skew, image_to_ink, ink_to_binary, ink_to_rulings, rotate

FONT_PATH = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
FONT = "CJK"
SIZE = 10.0
PAD = 4.0
PAGE = (595.0, 842.0)
DPI = 200
SCANS = Path(__file__).resolve().parent.parent / "samples" / "scans"

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="the CJK test font is not installed")


@pytest.fixture(scope="module", autouse=True)
def cjk_font() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))


# --- drawing and scanning -------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A cell to draw: its grid position, span and text (one line)."""

    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1


Anchor = tuple[int, int, int, int, str]
"""(row, col, rowspan, colspan, text)"""

WIDTHS = (70.0, 150.0, 85.0, 85.0, 85.0)
HEADER = (
    Box(0, 0, "科目编码", rowspan=2),
    Box(0, 1, "科目名称", rowspan=2),
    Box(0, 2, "一般公共预算支出", colspan=3),
    Box(1, 2, "合计"),
    Box(1, 3, "基本支出"),
    Box(1, 4, "项目支出"),
)
BODY = (
    ("201", "一般公共服务支出", "6,743,600.00", "5,218,400.00", "1,525,200.00"),
    ("20101", "人大事务", "697,350.25", "612,350.25", "85,000.00"),
    ("2010101", "行政运行", "412,908.17", "412,908.17", "0.00"),
    ("205", "教育支出", "11,465,590.00", "9,940,590.00", "1,525,000.00"),
    ("20502", "普通教育", "3,080,416.50", "2,937,016.50", "143,400.00"),
    ("208", "社会保障和就业支出", "1,250,000.00", "1,178,113.00", "71,887.00"),
)


def body_boxes(rows: Sequence[Sequence[str]], first_row: int = 2) -> list[Box]:
    return [Box(first_row + r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)]


def expected(boxes: Sequence[Box]) -> list[Anchor]:
    return sorted((b.row, b.col, b.rowspan, b.colspan, b.text) for b in boxes)


def anchors(grid: Grid) -> list[Anchor]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells)


def draw_text(canvas: Canvas, x: float, top: float, text: str, size: float = SIZE) -> None:
    """A line of text whose box starts at ``top``; ASCII in Helvetica (the CJK font has none)."""
    line = canvas.beginText(x, PAGE[1] - top - size * 0.88)
    for ascii_run, run in itertools.groupby(text, key=str.isascii):
        line.setFont("Helvetica" if ascii_run else FONT, size)
        line.textOut("".join(run))
    canvas.drawText(line)


def text_width(text: str, size: float = SIZE) -> float:
    return sum(
        pdfmetrics.stringWidth("".join(run), "Helvetica" if ascii_run else FONT, size)
        for ascii_run, run in itertools.groupby(text, key=str.isascii)
    )


def draw_table(
    canvas: Canvas, boxes: Sequence[Box], *, top: float, n_rows: int, caption: Sequence[str] = ()
) -> None:
    """A ruled table, each box with its own four borders (merged boxes lack the inner ones), its
    text centred; the caption's lines above it."""
    left, height = 60.0, 24.0
    for i, line in enumerate(caption):
        draw_text(canvas, left, top - (len(caption) - i) * 20, line, size=SIZE + 2 * (i == 0))
    xs = [left + sum(WIDTHS[:i]) for i in range(len(WIDTHS) + 1)]
    ys = [top + i * height for i in range(n_rows + 1)]
    canvas.setLineWidth(0.8)
    for box in boxes:
        x0, x1 = xs[box.col], xs[box.col + box.colspan]
        y0, y1 = ys[box.row], ys[box.row + box.rowspan]
        canvas.rect(x0, PAGE[1] - y1, x1 - x0, y1 - y0)
        if box.text:
            x = (x0 + x1 - text_width(box.text)) / 2
            draw_text(canvas, x, (y0 + y1 - SIZE) / 2, box.text)


def table_pdf(pages: Sequence[tuple[Sequence[Box], int, Sequence[str]]]) -> bytes:
    """A PDF of one table per page: (boxes, rows, caption)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE)
    for boxes, n_rows, caption in pages:
        draw_table(canvas, boxes, top=110.0, n_rows=n_rows, caption=caption)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render(pdf: bytes, page: int = 0, dpi: int = DPI) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[page].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()


#: Where the seal is stamped (points): over the table's top right corner.
CORNER = (60 + sum(WIDTHS), 110.0)


def scan(
    clean: Image.Image, *, skew: float = 1.0, seed: int = 7, seal: tuple[float, float] = CORNER
) -> Image.Image:
    """What a stamp, a scanner and an encoder do to a printed page, in the order they happen."""
    rng = np.random.default_rng(seed)
    page = clean.copy()
    # A red seal, translucent, centred at ``seal``.
    ink_mask = Image.new("L", page.size, 0)
    draw = ImageDraw.Draw(ink_mask)
    cx, cy, r = round(seal[0] * DPI / 72), round(seal[1] * DPI / 72), round(DPI * 0.8)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=int(DPI * 0.05))
    draw.regular_polygon((cx, cy, r // 3), 5, fill=255)
    draw.text((cx - r // 2, cy + r // 3), "财务专用章", fill=255, font_size=DPI // 7)
    pixels = np.asarray(page, dtype=np.float64)
    ink = np.asarray(ink_mask, dtype=np.float64)[:, :, None] / 255 * 0.85
    red = np.array([205.0, 35.0, 45.0])
    pixels = pixels * (1 - ink) + np.minimum(pixels, red) * ink
    # Grey recycled paper, shaded from one edge.
    shade = np.linspace(0.86, 0.93, page.width)[None, :, None]
    pixels = pixels * shade + 8
    tinted = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    turned = tinted.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(214, 214, 214))
    blurred = np.asarray(turned.filter(ImageFilter.GaussianBlur(0.9)), dtype=np.float64)
    noisy = np.clip(blurred + rng.normal(0, 4, blurred.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noisy).save(buffer, format="JPEG", quality=60, dpi=(DPI, DPI))
    return Image.open(io.BytesIO(buffer.getvalue()))


def image_pdf(images: Sequence[Image.Image | None], digital: bytes | None = None) -> bytes:
    """A PDF whose pages are the scans in ``images`` drawn full page; where an image is None, the
    page of ``digital`` at that position instead (a digital page among scanned ones)."""
    from pypdf import PdfReader, PdfWriter

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE)
    for image in images:
        if image is not None:
            encoded = io.BytesIO()
            image.save(encoded, format="JPEG", quality=85)
            canvas.drawImage(ImageReader(io.BytesIO(encoded.getvalue())), 0, 0, *PAGE)
        canvas.showPage()
    canvas.save()
    if digital is None:
        return buffer.getvalue()
    scanned, source = PdfReader(io.BytesIO(buffer.getvalue())), PdfReader(io.BytesIO(digital))
    writer = PdfWriter()
    for index, image in enumerate(images):
        writer.add_page(source.pages[index] if image is None else scanned.pages[index])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def table() -> list[Box]:
    return [
        *HEADER,
        *body_boxes(BODY),
        Box(8, 0, "合计", colspan=2),
        Box(8, 2, "23,436,956.75"),
        Box(8, 3),
        Box(8, 4),
    ]


CAPTION = ("2025年一般公共预算支出表", "单位：元")


@pytest.fixture(scope="module")
def scanned_page(table: list[Box]) -> Image.Image:
    return scan(render(table_pdf([(table, 9, CAPTION)])))


# --- a scan read whole ----------------------------------------------------------------------


def test_a_skewed_stamped_jpeg_scan_gives_the_drawn_grid(
    tmp_path: Path, table: list[Box], scanned_page: Image.Image
) -> None:
    path = tmp_path / "scan.jpg"
    scanned_page.save(path, format="JPEG", quality=90, dpi=(DPI, DPI))

    assert detect_format(path) == "image"
    document = read(path, "image")

    (grid,) = document.grids
    assert (grid.n_rows, grid.n_cols) == (9, 5)
    assert anchors(grid) == expected(table)
    assert grid.caption == CAPTION
    assert [w.code for w in document.warnings] == ["ocr_page"]
    assert all(c.confidence is not None and 0 < c.confidence <= 1 for c in grid.cells)
    # A page read at 200 dpi lies 1° askew: its geometry is in points of the upright page.
    assert document.pages == 1 and grid.pages == (1,)


def test_an_image_only_pdf_is_read_by_ocr(
    tmp_path: Path, table: list[Box], scanned_page: Image.Image
) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_pdf([scanned_page]))

    document = pdf_reader.read(path)

    (grid,) = document.grids
    assert anchors(grid) == expected(table)
    (issue,) = document.warnings
    assert issue.code == "ocr_page" and issue.page == 1
    assert "200 dpi" in issue.message and "mean confidence 0.9" in issue.message


def test_a_png_photocopy(tmp_path: Path, table: list[Box]) -> None:
    """Black and white, no greys: a photocopier's or a fax's page, in a PNG without a resolution.
    The seal is copied black, so it is stamped clear of the table's corners: a solid black star
    over the crossing of two rulings hides where they meet (a limit of the ruling finder)."""
    clean = render(table_pdf([(table, 9, CAPTION)]))
    grey = scan(clean, skew=-0.6, seed=3, seal=(470.0, 55.0)).convert("L")
    path = tmp_path / "copy.png"
    grey.point(lambda v: 255 if v > 150 else 0).convert("1").save(path, format="PNG")

    (grid,) = read(path, "image").grids

    assert anchors(grid) == expected(table)


def test_a_photocopy_too_faint_to_read_is_flagged_unreliable() -> None:
    """The seed's 7.5 pt print copied at one bit a pixel lost strokes OCR needs (预算 read 须黄): no
    indicator is read right, and each page says so; a one-bit copy of larger print reads well
    and says nothing more than that it was read by OCR."""
    faint = pdf_reader.read(SCANS / "seed_reportlab_scan.pdf")
    legible = read(SCANS / "general_education_scan.png", "image")

    assert [(w.code, w.page) for w in faint.warnings] == [
        ("ocr_page", 1),
        ("ocr_unreliable", 1),
        ("ocr_page", 2),
        ("ocr_unreliable", 2),
    ]
    assert "below 0.92" in faint.warnings[1].message
    assert [w.code for w in legible.warnings] == ["ocr_page"]


def test_a_page_read_unsurely_is_read_again_by_the_larger_recogniser(
    monkeypatch: pytest.MonkeyPatch, scanned_page: Image.Image
) -> None:
    """Below ``UNRELIABLE_BELOW`` on average the page is recognised again, carefully, and that
    reading is kept where it clears the bar (else the first); the page says how sure each reading
    was. Above it, one reading."""
    calls: list[bool] = []
    first, second = 0.7, 0.99

    def recognise(ink: object, dpi: float, rulings: object = (), *, careful: bool = False) -> list[Char]:
        calls.append(careful)
        confidences = (second, 0.97) if careful else (first, 0.9)
        return [Char(text, 0, 5, 0, 10, 10, c) for text, c in zip("预算", confidences, strict=True)]

    monkeypatch.setattr(ocr, "recognise", recognise)
    page = ocr.image_to_page(np.asarray(scanned_page), number=2, dpi=DPI)

    assert calls == [False, True]
    assert [c.confidence for c in page.chars] == [0.99, 0.97]
    (issue,) = page.issues
    assert (issue.code, issue.page) == ("ocr_unreliable", 2)
    assert (
        "mean confidence 0.80 is below 0.92" in issue.message
        and "kept (mean confidence 0.98" in issue.message
    )
    assert [i.code for i in ocr.ocr_page_issues(page, DPI)] == ["ocr_page", "ocr_unreliable"]

    calls.clear()
    second = 0.75
    page = ocr.image_to_page(np.asarray(scanned_page), number=2, dpi=DPI)
    assert calls == [False, True]
    assert [c.confidence for c in page.chars] == [0.7, 0.9]
    assert "no surer (mean confidence 0.86" in page.issues[0].message

    calls.clear()
    first = 0.95
    page = ocr.image_to_page(np.asarray(scanned_page), number=2, dpi=DPI)
    assert calls == [False] and page.issues == ()


def test_a_scanned_page_inside_a_digital_pdf_stitches_with_its_neighbours(tmp_path: Path) -> None:
    """One long table over three pages, the middle one a scan: read in page order, it stitches.
    The first two parts run down to the bottom margin (a part ending above it is complete)."""
    rows = [
        (f"2{i:02d}", f"项目名称{i}", f"{i * 1111:,}.00", f"{i * 1000:,}.00", f"{i * 111:,}.00")
        for i in range(1, 63)
    ]
    head = [*HEADER]
    pages = [
        (head + body_boxes(rows[0:26]), 28, CAPTION),
        (head + body_boxes(rows[26:52]), 28, ()),
        (head + body_boxes(rows[52:62]), 12, ()),
    ]
    digital = table_pdf(pages)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(image_pdf([None, scan(render(digital, page=1), seed=11), None], digital=digital))

    document = pdf_reader.read(path)
    grids, issues = stitch_pages(document.grids)

    (grid,) = grids
    assert grid.pages == (1, 2, 3)
    assert grid.n_rows == 2 + 62
    assert grid.as_rows()[2:] == [list(row) for row in rows]
    assert [(w.code, w.page) for w in document.warnings] == [("ocr_page", 2)]
    scanned = [c for c in grid.cells if c.page == 2]
    assert scanned and all(c.confidence is not None for c in scanned)
    assert all(c.confidence is None for c in grid.cells if c.page != 2)
    assert [i.code for i in issues] == ["table_stitched", "table_stitched"]


def test_ocr_off_keeps_the_scan_unread(tmp_path: Path, scanned_page: Image.Image) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_pdf([scanned_page]))

    with pytest.raises(NoTextLayer, match="--ocr auto"):
        pdf_reader.read(path, ocr="off")
    with pytest.raises(NoTextLayer):
        read(path, "pdf", ocr="off")


def test_force_reads_a_digital_page_by_ocr(tmp_path: Path, table: list[Box]) -> None:
    path = tmp_path / "digital.pdf"
    path.write_bytes(table_pdf([(table, 9, CAPTION)]))

    document = pdf_reader.read(path, ocr="force")

    (grid,) = document.grids
    assert anchors(grid) == expected(table)
    assert [w.code for w in document.warnings] == ["ocr_page"]
    assert "text layer ignored" in document.warnings[0].message
    assert all(c.confidence is not None for c in grid.cells)


# --- without the extra ----------------------------------------------------------------------


@pytest.fixture
def without_ocr(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The OCR extra as if it were not installed: importing the engine fails."""
    ocr_engine.loaded.cache_clear()
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    yield
    ocr_engine.loaded.cache_clear()


def test_without_the_extra_a_scan_says_how_to_install_it(
    tmp_path: Path, scanned_page: Image.Image, without_ocr: None
) -> None:
    image = tmp_path / "scan.png"
    scanned_page.save(image, format="PNG")
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(image_pdf([scanned_page]))
    mixed = tmp_path / "mixed.pdf"
    digital = table_pdf([([Box(0, 0, "正文")], 1, ()), ([Box(0, 0, "正文")], 1, ())])
    mixed.write_bytes(image_pdf([None, scanned_page], digital=digital))

    with pytest.raises(MissingDependency, match=r"pip install 'extractor\[ocr\]'"):
        read(image, "image")
    with pytest.raises(NoTextLayer, match=r"pip install 'extractor\[ocr\]'"):
        pdf_reader.read(scanned)
    with pytest.raises(MissingDependency, match=r"pip install 'extractor\[ocr\]'"):
        pdf_reader.read(scanned, ocr="force")
    (warning,) = [w for w in pdf_reader.read(mixed).warnings if w.page == 2]
    assert warning.code == "no_text_layer"
    assert "pip install 'extractor[ocr]'" in warning.message


# --- the parts --------------------------------------------------------------------------------


def ruled_image(angle: float) -> np.ndarray:
    """A grey page with a 4 × 3 grid of 2-pixel rulings, turned by ``angle`` degrees."""
    page = np.full((1200, 900), 230, dtype=np.uint8)
    for y in range(200, 1001, 200):
        page[y : y + 2, 100:800] = 20
    for x in range(100, 801, 350):
        page[200:1002, x : x + 2] = 20
    return rotate(page, angle)


@pytest.mark.parametrize("angle", [-1.5, -0.7, 0.0, 1.0, 2.0])
def test_the_skew_is_measured_from_the_long_lines(angle: float) -> None:
    measured = binary_to_skew(ink_to_binary(image_to_ink(ruled_image(angle)), 150), 150)

    assert measured == pytest.approx(angle, abs=0.1)


def test_rulings_in_points_and_a_red_stamp_is_no_ruling() -> None:
    page = np.repeat(ruled_image(0.0)[:, :, None], 3, axis=2)
    red = np.zeros(page.shape[:2], dtype=bool)
    red[300:700, 500:510] = red[500:510, 150:700] = True  # red bars as long as rulings, across cells
    page[red & (page[:, :, 0] > 100)] = (200, 30, 40)  # the seal's ink leaves the print black

    lines = ink_to_rulings(image_to_ink(page), 150).lines

    across = sorted(round(line.at, 1) for line in lines if not line.vertical)
    down = sorted(round(line.at, 1) for line in lines if line.vertical)
    assert across == [round((y + 1) * 72 / 150, 1) for y in range(200, 1001, 200)]
    assert down == [round((x + 1) * 72 / 150, 1) for x in range(100, 801, 350)]


def test_a_recognised_line_becomes_touching_characters_cut_at_rulings() -> None:
    """A number's digits touch (no word space is read into it); text the detector took for one
    line across a ruling is two runs, one on either side; the engine's spaces are kept."""
    line = ocr_chars.TextLine(
        x0=0.0,
        top=100.0,
        x1=400.0,
        bottom=126.0,
        text="1,234 合计",
        centres=(10.0, 22.0, 31.0, 45.0, 58.0, 80.0, 300.0, 330.0),
        confidences=(0.99, 0.9, 0.98, 0.97, 0.5, 1.0, 0.96, 0.95),
        vertical=False,
    )
    wall = Line(vertical=True, at=200 * 72 / 200, start=0.0, end=100.0)

    chars = ocr_chars.line_to_chars(line, 72 / 200, [wall])

    assert "".join(c.text for c in chars) == "1,234 合计"
    digits = chars[:5]
    assert all(a.x1 == b.x0 for a, b in itertools.pairwise(digits))
    assert chars[6].x0 > wall.at > chars[4].x1
    assert [c.confidence for c in chars] == list(line.confidences)
    assert all(c.top == pytest.approx(36.0) and c.bottom == pytest.approx(45.36) for c in chars)


def test_a_missed_character_stands_on_the_row_of_the_line_beside_it() -> None:
    """A letter-spaced 收    入: the detector outlined 收 (a box cut to the ink), 入 was read
    from ink no box reached in a box padded otherwise; set on 收's row, they read 收入, not 入收."""
    shou, ru, elsewhere = (
        ocr_chars.TextLine(*box, text=text, centres=None, confidences=(1.0,), vertical=False)
        for text, box in (
            ("收", (265.0, 125.0, 272.0, 132.0)),
            ("入", (288.0, 121.0, 299.0, 136.0)),
            ("0", (288.0, 200.0, 299.0, 210.0)),
        )
    )

    lines = ocr._on_rows_beside([shou, ru, elsewhere], detected=1)

    assert [(line.text, line.top, line.bottom) for line in lines] == [
        ("收", 125.0, 132.0),
        ("入", 125.0, 132.0),
        ("0", 200.0, 210.0),
    ]
    chars = [c for line in lines[:2] for c in ocr_chars.line_to_chars(line, 1.0)]
    assert [c.text for line in pdf_reader.chars_to_lines(chars, 2.0) for c in line] == ["收", "入"]


def test_an_amount_up_to_a_ruling_and_the_label_after_it_stay_in_their_cells() -> None:
    """A 收支总表's amount printed up to its ruling and the next panel's label starting just
    after it, read by OCR as one line (its positions from js_party_office_2018's 财政拨款收支总表
    rendered at 200 dpi): two cells, not the amount's cell holding both. A scan shows no
    clipped text, so no run of recognised characters overflows its cell."""
    px = 72 / 200
    line = ocr_chars.TextLine(
        x0=1470.0,
        top=690.0,
        x1=1844.0,
        bottom=740.0,
        text="24,458.43一、基本支出",
        centres=(
            11.0,
            34.0,
            42.0,
            65.0,
            80.0,
            95.0,
            110.0,
            133.0,
            148.0,
            179.0,
            209.0,
            247.0,
            285.0,
            316.0,
            346.0,
        ),
        confidences=(0.99,) * 15,
        vertical=False,
    )
    walls = [Line(vertical=True, at=x * px, start=670 * px, end=760 * px) for x in (1216, 1634, 2096)]
    across = [Line(vertical=False, at=y * px, start=1216 * px, end=2096 * px) for y in (670, 760)]
    page = PageGeometry(
        number=1,
        width=1000.0,
        height=800.0,
        lines=(*walls, *across),
        chars=tuple(ocr_chars.line_to_chars(line, px, walls)),
        has_text=True,
        has_images=True,
        shows_text=True,
    )

    (grid,) = pdf_reader.page_to_grids(page, pdf_reader.DEFAULT_SETTINGS)

    assert grid.as_rows() == [["24,458.43", "一、基本支出"]]


def test_a_cell_is_as_sure_as_its_least_sure_character() -> None:
    def char(text: str, confidence: float) -> Char:
        return Char(text, 0, 5, 0, 10, 10, confidence)

    assert pdf_reader.cell_confidence([char("1", 0.99), char("2", 0.42), char(" ", 0.1)]) == 0.42
    assert pdf_reader.cell_confidence([]) == 1.0


# --- image files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "name"), [("PNG", "a.png"), ("JPEG", "a.jpg"), ("TIFF", "a.tif"), ("TIFF", "a.txt")]
)
def test_images_are_told_by_their_content(tmp_path: Path, form: str, name: str) -> None:
    path = tmp_path / name
    Image.new("RGB", (20, 20), "white").save(path, format=form)

    assert detect_format(path) == "image"


def test_a_multi_page_tiff_is_a_page_per_frame(tmp_path: Path, scanned_page: Image.Image) -> None:
    path = tmp_path / "pages.tif"
    blank = Image.new("RGB", scanned_page.size, "white")
    scanned_page.save(path, format="TIFF", save_all=True, append_images=[blank], dpi=(DPI, DPI))

    document = read(path, "image")

    assert document.pages == 2
    assert [(w.code, w.page) for w in document.warnings] == [("ocr_page", 1), ("no_text_layer", 2)]
    (grid,) = document.grids
    assert grid.pages == (1,) and grid.n_rows == 9


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` × ``height`` pixels and whose data holds one row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_too_large_before_it_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_declaring(100_000, 100_000))

    with pytest.raises(TooLarge, match="pixels"):
        read(path, "image")


def test_an_image_with_ocr_off_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    Image.new("RGB", (20, 20), "white").save(path, format="PNG")

    with pytest.raises(NoTextLayer, match="--ocr auto"):
        read(path, "image", ocr="off")
