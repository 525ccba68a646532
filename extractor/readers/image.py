"""Read the ruled tables of a scanned image (PNG, JPEG, TIFF) by OCR, one page per frame.

County portals publish scans as images as often as inside PDFs. An image is a page without a
text layer: each frame (a multi-page TIFF holds several) goes through the same OCR path as a
scanned PDF page (``ocr.image_to_page``) and the same grid steps (``pdf.page_to_grids``).

The page's size in points comes from the resolution the file states (its dpi), or 200 dpi, a
common scanning resolution, when it states none or a resolution no scanner uses. A frame is
decoded only after its size is known to be bounded (``ocr.MAX_PIXELS``): a few kilobytes of PNG
can declare a gigapixel image (a decompression bomb), which ends ``too_large`` before it is
decoded. A frame scanned finer than ``ocr.DEFAULT_DPI`` is reduced to it first: reading is no
more accurate above it, only slower.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.errors import CorruptDocument, MissingDependency, NoTextLayer, TooLarge
from extractor.model import Document, Grid, Issue
from extractor.readers import ocr as ocr_reader
from extractor.readers import ocr_engine
from extractor.readers.budget import Budget
from extractor.readers.pdf import page_to_grids
from extractor.readers.pdf_rulings import DEFAULT_SETTINGS, PdfSettings

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

    from extractor.readers.scan_lines import Image

FORMAT = "image"
#: The resolution assumed for an image that states none (or one outside ``PLAUSIBLE_DPI``).
ASSUMED_DPI = 200.0
#: Resolutions a scanner or a camera's export may state; 72 or 96 dpi is a screen's default,
#: written by programs that know nothing of the paper.
PLAUSIBLE_DPI = (100.0, 1200.0)


def read(
    path: Path,
    *,
    settings: PdfSettings = DEFAULT_SETTINGS,
    cells: Budget | None = None,
    ocr: str = ocr_reader.DEFAULT_OCR,
    max_pages: int | None = None,
) -> Document:
    """Every ruled table of the image at ``path``, its frames read as pages by OCR.

    Raises ``NoTextLayer`` when ``ocr`` is ``off`` (an image has no text but what OCR reads)
    and when OCR finds no text at all, ``MissingDependency`` without the OCR extra,
    ``CorruptDocument`` for a file that cannot be decoded and ``TooLarge`` for a frame of more
    than ``ocr.MAX_PIXELS`` pixels or more than ``max_pages`` frames.
    """
    if ocr not in ocr_reader.OCR_MODES:
        raise ValueError(f"unknown OCR mode {ocr!r}; choose one of {', '.join(ocr_reader.OCR_MODES)}")
    if ocr == "off":
        raise NoTextLayer(f"{path.name} is an image: its text can only be read by OCR (--ocr auto)")
    try:
        ocr_engine.ensure_available()
    except MissingDependency as exc:
        raise MissingDependency(
            f"{path.name} is an image: reading it needs the OCR extra ({ocr_engine.INSTALL_HINT})"
        ) from exc
    grids: list[Grid] = []
    issues: list[Issue] = []
    pages = 0
    for number, (image, dpi) in enumerate(frames(path, max_pages), start=1):
        pages = number
        page = ocr_reader.image_to_page(image, number=number, dpi=dpi)
        del image
        if not page.chars:
            issues.append(ocr_reader.nothing_read_issue(number, dpi))
            continue
        issues += ocr_reader.ocr_page_issues(page, dpi)
        grids += page_to_grids(page, settings, cells)
    if pages and all(issue.code == "no_text_layer" for issue in issues):
        raise NoTextLayer(f"{path.name}: OCR found no text in the image")
    if not grids:
        issues.append(Issue("no_tables", f"{path.name}: no page holds a ruled table"))
    return Document(format=FORMAT, grids=tuple(grids), pages=pages, warnings=tuple(issues))


def frames(path: Path, max_pages: int | None = None) -> Iterator[tuple[Image, float]]:
    """Each frame of the image as RGB pixels (at most ``ocr.DEFAULT_DPI``) and its resolution."""
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns of a large image before its own bomb check; the size is checked here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(path)
    except Image.DecompressionBombError as exc:  # Pillow's own limit, far above ours
        raise TooLarge(f"{path.name} declares more pixels than OCR reads on one page ({exc})") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise CorruptDocument(f"{path.name} cannot be opened as an image ({exc})") from exc
    with opened:
        for index, frame in enumerate(ImageSequence.Iterator(opened)):
            if max_pages is not None and index >= max_pages:
                raise TooLarge(
                    f"{path.name} holds more than {max_pages:,} frames, more than the limit of "
                    f"{max_pages:,} pages (raise it with --max-pages)"
                )
            width, height = frame.size
            if width * height > ocr_reader.MAX_PIXELS:
                raise TooLarge(
                    f"{path.name}: frame {index + 1} is {width:,} × {height:,} pixels, more than the "
                    f"{ocr_reader.MAX_PIXELS:,} OCR reads on one page"
                )
            dpi = frame_dpi(frame)
            try:
                rgb = frame.convert("RGB")
            except (OSError, ValueError) as exc:
                raise CorruptDocument(f"{path.name}: frame {index + 1} cannot be decoded ({exc})") from exc
            if dpi > ocr_reader.DEFAULT_DPI:
                factor = ocr_reader.DEFAULT_DPI / dpi
                size = (max(1, round(width * factor)), max(1, round(height * factor)))
                rgb, dpi = rgb.resize(size, Image.Resampling.BOX), float(ocr_reader.DEFAULT_DPI)
            yield np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8)), dpi


def frame_dpi(frame: PilImage) -> float:
    """The resolution a frame states, or ``ASSUMED_DPI`` when it states none that a scan has."""
    stated: object = frame.info.get("dpi")
    if isinstance(stated, tuple | list) and stated:
        stated = stated[0]
    if not isinstance(stated, numbers.Real):  # TIFF states a rational (IFDRational), PNG a float
        return ASSUMED_DPI
    dpi = float(stated)
    low, high = PLAUSIBLE_DPI
    return dpi if low <= dpi <= high else ASSUMED_DPI
