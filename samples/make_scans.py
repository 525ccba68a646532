"""Simulated scans of the sample PDFs, so that the OCR reader is measured against the same truth
as the digital documents (issue 19, ``make eval`` set ``scans``).

A county's scanned disclosure is a printed page that went through a stamp, a scanner and an
encoder. Each step is simulated in the order it happens, so its artefacts compound as they do
on a real page: the page is rendered from its PDF (pypdfium2, 150–300 dpi) as the printer drew
it; a red seal is inked over one corner of its table (translucent ink: the digits beneath stay
dark, the paper around them turns red); the sheet is tinted grey and shaded from one edge as
recycled paper under an uneven lamp is; it lies 0.5–2° askew on the glass; the optics blur it,
the sensor adds noise, and the encoder leaves JPEG artefacts (or, for a photocopy-like bilevel
page, a threshold leaves none but jagged edges). Every choice comes from a seeded generator, so a
scan is the same bytes on every run with the same libraries.

What is scanned, and how, is stated by the scan cases themselves: ``golden/scans/<case>/case.json``
holds a ``scan`` block (golden/README.md, "Scanned documents"): the source PDF, the form
(``png`` / ``jpg`` one page, ``pdf`` image-only pages, ``mixed`` the source with some pages
replaced by their scans), the pages, the seed and optionally the dpi, the JPEG quality and the
``mode`` (colour, grey, bilevel). Its ``document`` is where the scan is written: under
``samples/scans/`` (committed, a few hundred KB, rewritten by ``make samples``) or under ``out/``
(simulated by ``make eval`` before it scores: scans the repository need not hold, and pages of
``../shared/corpus``, which it must not).

Run from the project root::

    .venv/bin/python samples/make_scans.py                     # the committed scans
    .venv/bin/python samples/make_scans.py golden/scans/X/case.json …   # exactly these
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
SCAN_CASES = ROOT / "golden" / "scans"
COMMITTED = ROOT / "samples" / "scans"
#: The CJK font the samples are drawn in (render.DROID_TTF), for the seal's text.
SEAL_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
FORMS = ("png", "jpg", "pdf", "mixed")
MODES = ("colour", "grey", "bilevel")
CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")

#: A seal is about 42 mm across, as a unit's official seal (公章 / 财务专用章) is.
SEAL_INCHES = 1.65
#: Ink colour of the seal and how much of the light it absorbs where it is solid.
SEAL_INK = (205, 35, 45)
SEAL_DENSITY = 0.85
#: The invented unit whose name runs round the seal, and the seal's purpose below its star.
SEAL_NAME = "江北新区财政局预算管理处"
SEAL_PURPOSE = "财务专用章"

#: A ruling is a run of dark pixels this share of the page's height (width) long: longer than
#: any stroke of a title's characters, shorter than a table's vertical (horizontal) rules.
VERTICAL_RULE = 0.025
HORIZONTAL_RULE = 0.1
DARK = 160


@dataclass(frozen=True)
class Scanner:
    """What one pass through the scanner does to every page of a document."""

    dpi: int
    #: Gaussian radius of the optics' blur, in pixels.
    blur: float
    #: Standard deviation of the sensor's noise, in grey levels.
    noise: float
    #: Grey level of the paper (255 is white) at its lighter edge.
    paper: int
    #: How many grey levels darker the far edge of the page is (uneven lamp, curled paper).
    shading: float
    #: JPEG quality of the encoder.
    quality: int
    #: ``colour``, ``grey`` (an office scanner's default: the seal comes out dark grey) or
    #: ``bilevel`` (a photocopy, one bit a pixel: the seal comes out black where its ink is dense).
    mode: str


@dataclass(frozen=True)
class Placement:
    """What differs from page to page: how the sheet lay and where it was stamped."""

    #: Degrees, counter-clockwise; 0.5–2 in either direction.
    skew: float
    #: The table corner the seal is inked over.
    corner: str
    #: The seal's own turn, in degrees: nobody stamps straight.
    seal_turn: float
    #: Direction in which the shading darkens, in degrees.
    shading_angle: float


@dataclass(frozen=True)
class ScanSpec:
    """One scan case's ``scan`` block, with its paths resolved."""

    case: Path
    source: Path
    form: str
    #: 1-based pages to scan; for png and jpg exactly one.
    pages: tuple[int, ...] | None
    seed: int
    dpi: int | None
    quality: int | None
    mode: str
    document: Path


def draw_scanner(
    rng: np.random.Generator, *, dpi: int | None = None, quality: int | None = None, mode: str = "colour"
) -> Scanner:
    """A scanner's settings: drawn at random, but for those a case fixes (a committed scan fixes a
    low dpi and quality to keep the repository small)."""
    drawn = Scanner(
        dpi=int(rng.choice([150, 200, 240, 300])),
        blur=round(float(rng.uniform(0.4, 1.0)), 2),
        noise=round(float(rng.uniform(1.0, 3.0)), 2),
        paper=int(rng.integers(212, 240)),
        shading=round(float(rng.uniform(4.0, 14.0)), 2),
        quality=int(rng.integers(40, 71)),
        mode=mode,
    )
    return replace(drawn, dpi=dpi or drawn.dpi, quality=quality or drawn.quality)


def draw_placement(rng: np.random.Generator) -> Placement:
    sign = 1.0 if rng.random() < 0.5 else -1.0
    return Placement(
        skew=round(sign * float(rng.uniform(0.5, 2.0)), 3),
        corner=str(rng.choice(CORNERS)),
        seal_turn=round(float(rng.uniform(-25.0, 25.0)), 1),
        shading_angle=round(float(rng.uniform(0.0, 360.0)), 1),
    )


# --- the steps -----------------------------------------------------------------------------


def render_page(pdf: Path, number: int, dpi: int) -> Image.Image:
    """Page ``number`` (1-based) of ``pdf`` as the printer would put it on paper."""
    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[number - 1].render(scale=dpi / 72)
        return bitmap.to_pil().convert("RGB")
    finally:
        document.close()


def table_box(page: Image.Image) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the page's ruled tables: the extent of their vertical rulings
    widened by the horizontal ones crossing that extent (a rule over a page's title is horizontal
    only and lies above it); else of the horizontal rulings (a table ruled only across); else of
    all ink."""
    dark = np.asarray(page.convert("L")) < DARK
    height, width = dark.shape
    vertical = _on_runs(dark.T, round(VERTICAL_RULE * height)).T
    horizontal = _on_runs(dark, round(HORIZONTAL_RULE * width))
    ys, xs = np.nonzero(vertical)
    if ys.size:
        top, bottom = int(ys.min()), int(ys.max())
        _, across = np.nonzero(horizontal[top : bottom + 1])
        left = min(int(xs.min()), int(across.min(initial=width)))
        return (left, top, max(int(xs.max()), int(across.max(initial=0))), bottom)
    for mask in (horizontal, dark):
        ys, xs = np.nonzero(mask)
        if ys.size:
            return (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))
    return (0, 0, width, height)


def _on_runs(dark: np.ndarray, length: int) -> np.ndarray:
    """The dark pixels that lie on a run of at least ``length`` along their row."""
    sums = np.pad(np.cumsum(dark, axis=1, dtype=np.int32), ((0, 0), (1, 0)))
    starts = (sums[:, length:] - sums[:, :-length]) >= length
    # A pixel is on a run when a qualifying window begins at most length - 1 before it.
    begun = np.pad(np.cumsum(starts, axis=1, dtype=np.int32), ((0, 0), (length, length - 1)), mode="edge")
    begun[:, :length] = 0
    return (begun[:, length:] - begun[:, :-length]) > 0


def seal_mask(diameter: int, turn: float, rng: np.random.Generator) -> Image.Image:
    """The seal's ink (mode L, 255 solid): a ring, the unit's name round its upper arc, a star
    and the seal's purpose; turned, and patchy as a rubber stamp leaves ink."""
    mask = Image.new("L", (diameter, diameter), 0)
    draw = ImageDraw.Draw(mask)
    ring = max(2, round(diameter * 0.035))
    draw.ellipse((ring, ring, diameter - ring, diameter - ring), outline=255, width=ring)
    centre = diameter / 2
    _star(draw, centre, centre, diameter * 0.14)
    font = ImageFont.truetype(str(SEAL_FONT), max(8, round(diameter * 0.12)))
    purpose = ImageFont.truetype(str(SEAL_FONT), max(8, round(diameter * 0.1)))
    draw.text((centre, diameter * 0.74), SEAL_PURPOSE, fill=255, font=purpose, anchor="mm")
    _arc_text(mask, SEAL_NAME, font, radius=diameter * 0.36, span=240.0)
    mask = mask.rotate(turn, resample=Image.Resampling.BICUBIC)
    # Ink is uneven: a coarse random field, enlarged smoothly, thins it in patches.
    coarse = rng.uniform(0.45, 1.0, size=(8, 8))
    patches = Image.fromarray((coarse * 255).astype(np.uint8)).resize(
        (diameter, diameter), Image.Resampling.BICUBIC
    )
    ink = np.asarray(mask, dtype=np.float32) * np.asarray(patches, dtype=np.float32) / 255
    return Image.fromarray(ink.astype(np.uint8))


def _star(draw: ImageDraw.ImageDraw, x: float, y: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = math.radians(-90 + 36 * i)
        points.append((x + r * math.cos(angle), y + r * math.sin(angle)))
    draw.polygon(points, fill=255)


def _arc_text(mask: Image.Image, text: str, font: ImageFont.FreeTypeFont, radius: float, span: float) -> None:
    """Each character upright to the circle, spread evenly over ``span`` degrees of the top."""
    centre = mask.width / 2
    size = round(font.size * 1.4)
    for i, char in enumerate(text):
        angle = -span / 2 + span * (i + 0.5) / len(text)  # 0 is straight up, clockwise positive
        glyph = Image.new("L", (size, size), 0)
        ImageDraw.Draw(glyph).text((size / 2, size / 2), char, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.sin(math.radians(angle)) - size / 2
        y = centre - radius * math.cos(math.radians(angle)) - size / 2
        mask.paste(255, (round(x), round(y)), glyph)


def ink_seal(page: np.ndarray, mask: Image.Image, box: tuple[int, int, int, int], corner: str) -> None:
    """Multiply the seal's red into ``page`` (RGB floats 0–1), centred a little inside the table's
    ``corner`` so that it covers the corner cell and the margin beside it."""
    left, top, right, bottom = box
    inset = mask.width * 0.15
    cx = left + inset if corner.endswith("left") else right - inset
    cy = top + inset if corner.startswith("top") else bottom - inset
    x0, y0 = round(cx - mask.width / 2), round(cy - mask.height / 2)
    height, width = page.shape[:2]
    sx0, sy0 = max(0, -x0), max(0, -y0)
    sx1, sy1 = min(mask.width, width - x0), min(mask.height, height - y0)
    if sx1 <= sx0 or sy1 <= sy0:
        return
    coverage = np.asarray(mask, dtype=np.float32)[sy0:sy1, sx0:sx1, None] / 255 * SEAL_DENSITY
    absorbed = 1 - np.asarray(SEAL_INK, dtype=np.float32) / 255
    region = page[y0 + sy0 : y0 + sy1, x0 + sx0 : x0 + sx1]
    region *= 1 - coverage * absorbed


def tint_paper(page: np.ndarray, scanner: Scanner, angle: float) -> None:
    """The paper's grey, darkening by ``scanner.shading`` levels towards ``angle``."""
    height, width = page.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    direction = math.radians(angle)
    along = (xs / width - 0.5) * math.cos(direction) + (ys / height - 0.5) * math.sin(direction)
    paper = (scanner.paper - scanner.shading * (along + 0.5)) / 255
    page *= paper[:, :, None]


def scan_page(
    clean: Image.Image, scanner: Scanner, placement: Placement, rng: np.random.Generator
) -> Image.Image:
    """One printed page through seal, paper, glass, optics and sensor (not yet the encoder)."""
    box = table_box(clean)
    page = np.asarray(clean, dtype=np.float32) / 255
    diameter = round(SEAL_INCHES * scanner.dpi)
    ink_seal(page, seal_mask(diameter, placement.seal_turn, rng), box, placement.corner)
    tint_paper(page, scanner, placement.shading_angle)
    image = Image.fromarray(np.clip(page * 255, 0, 255).astype(np.uint8))
    lid = (scanner.paper,) * 3
    image = image.rotate(placement.skew, resample=Image.Resampling.BICUBIC, fillcolor=lid)
    image = image.filter(ImageFilter.GaussianBlur(scanner.blur * scanner.dpi / 200))
    pixels = np.asarray(image, dtype=np.float32)
    pixels += rng.normal(0.0, scanner.noise, size=pixels.shape[:2])[:, :, None]
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if scanner.mode == "bilevel":
        threshold = scanner.paper * 0.5
        return image.convert("L").point(lambda v: 255 if v > threshold else 0).convert("1")
    return image.convert("L") if scanner.mode == "grey" else image


# --- the forms -----------------------------------------------------------------------------


def scan_pages(spec: ScanSpec) -> tuple[Scanner, list[tuple[int, Image.Image]]]:
    """The scanner drawn for the document, and each scanned page with its number."""
    rng = np.random.default_rng(spec.seed)
    scanner = draw_scanner(rng, dpi=spec.dpi, quality=spec.quality, mode=spec.mode)
    with pdfium.PdfDocument(spec.source) as document:
        count = len(document)
    numbers = spec.pages or tuple(range(1, count + 1))
    if any(not 1 <= n <= count for n in numbers):
        raise SystemExit(f"error: {spec.case}: {spec.source.name} has {count} pages, not {numbers}")
    scanned = []
    for number in numbers:
        placement = draw_placement(rng)
        scanned.append(
            (number, scan_page(render_page(spec.source, number, scanner.dpi), scanner, placement, rng))
        )
    return scanner, scanned


def image_bytes(image: Image.Image, scanner: Scanner, form: str) -> bytes:
    buffer = io.BytesIO()
    if form == "jpg":
        image.save(buffer, "JPEG", quality=scanner.quality, optimize=True, dpi=(scanner.dpi, scanner.dpi))
    else:
        image.save(buffer, "PNG", optimize=True, dpi=(scanner.dpi, scanner.dpi))
    return buffer.getvalue()


def image_pdf(images: Sequence[Image.Image], scanner: Scanner) -> bytes:
    """An image-only PDF, one image a page and no text layer: colour pages as JPEG (DCTDecode),
    bilevel ones as CCITT G4; no dates or title, so the bytes depend on the pixels alone."""
    buffer = io.BytesIO()
    first, *rest = images
    # Pillow hands ``quality`` to the encoder of every page, and its CCITT encoder refuses one.
    quality = {} if scanner.mode == "bilevel" else {"quality": scanner.quality}
    first.save(
        buffer,
        "PDF",
        save_all=True,
        append_images=rest,
        resolution=float(scanner.dpi),
        title=None,
        creationDate=None,
        modDate=None,
        **quality,
    )
    return buffer.getvalue()


def mixed_pdf(source: Path, scanned: dict[int, bytes]) -> bytes:
    """``source`` with the pages in ``scanned`` replaced by one-page image PDFs: a digital
    document one of whose pages was printed, stamped and scanned back in."""
    writer = PdfWriter()
    original = PdfReader(source)
    for number, page in enumerate(original.pages, start=1):
        if number in scanned:
            writer.add_page(PdfReader(io.BytesIO(scanned[number])).pages[0])
        else:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_scan(spec: ScanSpec) -> bytes:
    scanner, scanned = scan_pages(spec)
    if spec.form in ("png", "jpg"):
        if len(scanned) != 1:
            raise SystemExit(f"error: {spec.case}: a {spec.form} scan is one page, not {len(scanned)}")
        return image_bytes(scanned[0][1], scanner, spec.form)
    if spec.form == "pdf":
        return image_pdf([image for _, image in scanned], scanner)
    return mixed_pdf(spec.source, {number: image_pdf([image], scanner) for number, image in scanned})


# --- the cases -----------------------------------------------------------------------------


def load_spec(case: Path, root: Path = ROOT) -> ScanSpec:
    """The ``scan`` block of one case.json (golden/README.md, "Scanned documents")."""
    meta = json.loads(case.read_text(encoding="utf-8"))
    scan = meta["scan"]
    if scan["form"] not in FORMS:
        raise SystemExit(f"error: {case}: form {scan['form']!r} is not one of {', '.join(FORMS)}")
    if scan.get("mode", "colour") not in MODES:
        raise SystemExit(f"error: {case}: mode {scan['mode']!r} is not one of {', '.join(MODES)}")
    pages = scan.get("pages")
    return ScanSpec(
        case=case,
        source=(root / scan["source"]).resolve(),
        form=scan["form"],
        pages=tuple(pages) if pages else None,
        seed=int(scan["seed"]),
        dpi=scan.get("dpi"),
        quality=scan.get("quality"),
        mode=scan.get("mode", "colour"),
        document=(root / meta["document"]).resolve(),
    )


def committed_specs() -> list[ScanSpec]:
    """The scan cases whose document lives in the repository (samples/scans/)."""
    specs = [load_spec(case) for case in sorted(SCAN_CASES.glob("*/case.json"))]
    return [s for s in specs if s.document.is_relative_to(COMMITTED)]


def write_scan(spec: ScanSpec) -> int:
    data = make_scan(spec)
    spec.document.parent.mkdir(parents=True, exist_ok=True)
    spec.document.write_bytes(data)
    return len(data)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "cases", nargs="*", type=Path, help="scan case.json files (default: those written to samples/scans/)"
    )
    args = parser.parse_args(argv)
    specs = [load_spec(case.resolve()) for case in args.cases] if args.cases else committed_specs()
    for spec in specs:
        if not spec.source.exists():
            print(f"skipped {spec.case.parent.name}: {spec.source} is not present", file=sys.stderr)
            continue
        size = write_scan(spec)
        print(f"{os.path.relpath(spec.document, ROOT)}: {size // 1024} KB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
