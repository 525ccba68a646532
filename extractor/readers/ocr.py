"""Scanned pages read by OCR into the page geometry the vector path builds.

A page without a text layer is an image; this module turns it into the same
:class:`~extractor.readers.pdf_page.PageGeometry` a digital page gives, so that the grid and text
steps (``pdf.page_to_grids``) read it unchanged, spans, captions and notes included:

``image_to_page``     the page image turned upright (``scan_lines.deskew``), its rulings found
                      (``scan_lines.image_to_lines``) and its text recognised (``recognise``),
                      again by the larger recogniser where the first reading was unsure;
``recognise``         text lines found on a reduced copy of the page (detection needs far fewer
                      pixels than reading: ``DETECT_DPI``), widened over ink the detector missed
                      before them, ink no box reaches boxed too (``ocr_boxes``), and read at
                      full resolution, a target value again in a box fitted to its ink and
                      a number read unsurely again wider (``_read_numbers_wider``); each
                      reading held to what a table prints (``ocr_text``) and cut into
                      characters (``ocr_chars``), placed where the engine saw them, with the
                      engine's confidence in each.

The engine, and how crops are read by it, are ``ocr_engine``'s. This module imports without the
OCR extra: the modes below are the CLI's.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.errors import CorruptDocument
from extractor.model import Issue
from extractor.readers import ocr_boxes, ocr_engine, ocr_text
from extractor.readers.ocr_chars import TextLine, character_centres, character_confidences, line_to_chars
from extractor.readers.pdf_page import Char, Line, PageGeometry

if TYPE_CHECKING:
    from extractor.readers.scan_lines import Image

#: ``auto`` reads by OCR the pages that hold images but no text layer; ``force`` every page,
#: whatever text it holds (a text layer that is garbage: a bad font encoding, an earlier OCR);
#: ``off`` reads none (a scan ends with ``no_text_layer``, as before OCR existed).
OCR_MODES = ("auto", "off", "force")
DEFAULT_OCR = "auto"
#: The resolution a PDF page is rendered at for OCR: at 150 dpi a 9 pt digit is too few pixels
#: for blurred print; above 200 dpi reading gets slower, not more accurate (bench/measure.py).
DEFAULT_DPI = 200
#: Text lines are detected on a copy of the page at about this resolution: the detector finds
#: the lines of 8 pt print as well there as at full resolution, at a quarter of the cost.
DETECT_DPI = 100
#: The largest image OCR works on, in pixels (an A2 page at 200 dpi is 15.6 million): a page
#: larger than this is rendered at a lower resolution, an image file refused as too large.
MAX_PIXELS = 40_000_000
#: A text line is no higher than this (points; a 26 pt heading's box): the detector also
#: outlines blots, photographs and filled boxes, which are no text.
MAX_LINE_HEIGHT = 36.0
#: A page whose characters OCR read with a mean confidence below this is mostly misread, not
#: now and then: measured against the text layer the pages were scanned from, pages read at
#: 0.65-0.77 (one-bit photocopies) kept none of their records and 9-70 % of their characters,
#: pages at 0.86-0.91 (dense 7 pt print at 150 dpi, grey scans at 110-120 dpi) 30-44 % of their
#: indicators; pages of grey or colour scans at 150-300 dpi read at 0.93-1.00 (README, Accuracy).
UNRELIABLE_BELOW = 0.92


def render_pdf_page(document: Any, number: int, dpi: int = DEFAULT_DPI) -> tuple[Image, float]:
    """Page ``number`` of an open pypdfium2 document as an RGB image, and the resolution it was
    rendered at: ``dpi``, or less for a page too large to render whole within ``MAX_PIXELS``.
    The caller holds ``PDFIUM_LOCK``."""
    import numpy as np

    page = document[number - 1]
    try:
        width, height = page.get_size()
        scale = min(dpi / 72.0, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
        # A copy: the bitmap's array shares memory PDFium frees with the bitmap.
        image = np.array(page.render(scale=scale, rev_byteorder=True).to_numpy()[:, :, :3], dtype=np.uint8)
    finally:
        page.close()
    return image, scale * 72.0


def image_to_page(image: Image, *, number: int, dpi: float) -> PageGeometry:
    """The geometry of a page image (RGB or grey) scanned at ``dpi``: its rulings and its
    recognised characters, in points from the top left corner of the upright page.

    A page the recogniser read unsurely as a whole (``UNRELIABLE_BELOW``) is read again by the
    larger one, and says so (``ocr_unreliable``, in its issues): a fallback that costs time on the
    pages that need it. The second reading is kept where it clears the bar; where neither does
    (a one-bit photocopy of small print), both are mostly wrong and the first stays."""
    from extractor.readers.scan_lines import deskew, image_to_ink, ink_to_rulings

    ocr_engine.ensure_available()
    ink, _ = deskew(image_to_ink(image), dpi)
    rulings = ink_to_rulings(ink, dpi)
    lines = rulings.lines
    walls = [line for line in lines if line.vertical]
    chars = recognise(rulings.text_ink, dpi, walls)
    issues: tuple[Issue, ...] = ()
    first = mean_confidence(chars)
    if first is not None and first < UNRELIABLE_BELOW:
        again = recognise(rulings.text_ink, dpi, walls, careful=True)
        second = mean_confidence(again)
        kept = second is not None and second >= UNRELIABLE_BELOW
        chars = again if kept else chars
        issues = (unreliable_issue(number, first, second, kept=kept),)
    height, width = ink.shape[:2]
    return PageGeometry(
        number=number,
        width=width * 72.0 / dpi,
        height=height * 72.0 / dpi,
        lines=tuple(lines),
        chars=tuple(chars),
        has_text=bool(chars),
        has_images=True,
        shows_text=bool(chars),
        issues=issues,
    )


def mean_confidence(chars: Sequence[Char]) -> float | None:
    """How sure OCR was of these characters on average, or None where it found none."""
    values = [c.confidence for c in chars if c.confidence is not None]
    return statistics.fmean(values) if values else None


def unreliable_issue(number: int, first: float, second: float | None, *, kept: bool) -> Issue:
    """What a page read unsurely says: how unsure, and what the second reading gave."""
    again = f"mean confidence {second or 0:.2f} on its own scale"
    outcome = f"its reading is kept ({again})" if kept else f"no surer ({again}), the first reading is kept"
    return Issue(
        code="ocr_unreliable",
        message=(
            f"page {number}: OCR's mean confidence {first:.2f} is below {UNRELIABLE_BELOW}, so the "
            f"larger recogniser read it again: {outcome}. Much of its text may be misread (a one-bit "
            "photocopy or a scan at low resolution reads so): its records are kept, marked ocr; "
            "check them, or scan the page again in grey at 200-300 dpi"
        ),
        page=number,
    )


def ocr_page_issues(page: PageGeometry, dpi: float, *, forced: bool = False) -> list[Issue]:
    """What every page read by OCR says: that its text is recognised, not read, and how surely;
    then what its reading found (``ocr_unreliable``)."""
    mean = mean_confidence(page.chars)
    why = "its text layer ignored (--ocr force)" if forced else "it has no text layer"
    return [
        Issue(
            code="ocr_page",
            message=(
                f"page {page.number} was read by OCR at {dpi:.0f} dpi ({why}); "
                f"mean confidence {mean if mean is not None else 0:.2f}"
            ),
            page=page.number,
        ),
        *page.issues,
    ]


def nothing_read_issue(page_number: int, dpi: float) -> Issue:
    """A page OCR found no text on still has none: it stays ``no_text_layer``."""
    return Issue(
        code="no_text_layer",
        message=f"page {page_number} holds images but no text; OCR at {dpi:.0f} dpi found no text on it",
        page=page_number,
    )


def read_pdf_pages(
    path: Path, numbers: Sequence[int], dpi: int = DEFAULT_DPI
) -> Iterator[tuple[PageGeometry, float]]:
    """Pages ``numbers`` of the PDF at ``path`` rendered and read by OCR, one at a time, each with
    the resolution it was read at. The document is opened once; PDFium is held only while a
    page renders, not while OCR reads it."""
    import pypdfium2 as pdfium

    from extractor.readers.pdf_pdfium import PDFIUM_LOCK

    if not numbers:
        return
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise CorruptDocument(f"{path.name}: its pages cannot be rendered for OCR ({exc})") from exc
    try:
        for number in numbers:
            with PDFIUM_LOCK:
                try:
                    image, rendered_at = render_pdf_page(document, number, dpi)
                except pdfium.PdfiumError as exc:
                    raise CorruptDocument(
                        f"{path.name}: page {number} cannot be rendered for OCR ({exc})"
                    ) from exc
            yield image_to_page(image, number=number, dpi=rendered_at), rendered_at
            del image
    finally:
        with PDFIUM_LOCK:
            document.close()


# --- recognition --------------------------------------------------------------------------


def recognise(ink: Image, dpi: float, rulings: Sequence[Line] = (), *, careful: bool = False) -> list[Char]:
    """The characters of an upright page's ink (``scan_lines.image_to_ink``), in points;
    ``rulings`` are the page's vertical rulings, across which no run of text continues
    (``line_to_chars``); ``careful``: read by the larger recogniser (``ocr_engine``)."""
    scale = 72.0 / dpi
    chars: list[Char] = []
    for line in _read_lines(ink, dpi, rulings, careful):
        chars += line_to_chars(line, scale, rulings)
    return chars


def _read_lines(
    ink: Image, dpi: float, rulings: Sequence[Line] = (), careful: bool = False
) -> list[TextLine]:
    """Detect the text lines on a reduced copy of the page, widen each over the ink the
    detector missed before it (``ocr_boxes``), read each at full resolution.

    RapidOCR turns a crop whose box stands upright (at least 1.5 times as high as wide) to read
    it as text set vertically; such a box may as well hold a lone narrow digit, so it is read
    both ways and the reading the engine is surer of kept. All crops are read in one call: the
    recogniser batches crops of similar width.
    """
    import cv2
    import numpy as np

    from extractor.readers.scan_lines import ink_to_binary

    engine = ocr_engine.loaded()
    shrink = min(1.0, DETECT_DPI / dpi)
    small = ink
    if shrink != 1.0:
        small = np.asarray(cv2.resize(ink, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA), "u1")
    boxes = _detect(_rgb(small))
    if not boxes:
        return []
    quads = [box / shrink for box in boxes]
    thickest = MAX_LINE_HEIGHT * dpi / 72.0
    quads = [quad for quad in quads if min(_quad_size(quad)) <= thickest]
    if not quads:
        return []
    binary = ink_to_binary(ink, dpi)
    quads = _grown(quads, binary, dpi, rulings)
    detected = len(quads)
    quads += [
        _quad(box) for box in ocr_boxes.missed_ink(binary, ocr_boxes.boxes_of(quads), rulings, 72.0 / dpi)
    ]
    crops = [_rgb(crop) for crop in engine.get_crop_img_list(ink, quads)]
    readings: list[tuple[int, bool, Image]] = []  # (line, read as vertical text, crop)
    for index, (quad, crop) in enumerate(zip(quads, crops, strict=True)):
        width, height = _quad_size(quad)
        if int(height) / max(int(width), 1) >= 1.5:
            readings.append((index, False, np.ascontiguousarray(np.rot90(crop, -1))))
            readings.append((index, True, crop))
        else:
            readings.append((index, False, crop))
    results = ocr_engine.recognise_crops([crop for _, _, crop in readings], careful=careful)
    chosen: dict[int, tuple[Any, bool, Image]] = {}  # line -> (result, vertical, crop)
    for (index, vertical, crop), result in zip(readings, results, strict=True):
        if index not in chosen or float(result[1]) > float(chosen[index][0][1]):
            chosen[index] = (result, vertical, crop)
    _read_values_fitted(chosen, quads, ink, binary, careful)
    _read_numbers_wider(chosen, careful)
    found: list[TextLine] = []
    kept_detected = 0  # detected lines come first: chosen is read in index order
    for index, (result, vertical, crop) in sorted(chosen.items()):
        text, score, info = (
            ocr_text.operator_lookalike(ocr_text.lone_zero(result[0])),
            float(result[1]),
            result[2],
        )
        if index < detected:
            if not text.strip() or score < ocr_text.least_confidence(text):
                continue
        elif not ocr_text.keeps_missed(text, score):
            continue
        quad = quads[index]
        width, height = _quad_size(quad)
        stretch = (height if vertical else width) / crop.shape[1]
        centres = character_centres(text, info, crop.shape[1], stretch)
        confidences = character_confidences(text, info, score)
        kept = ocr_text.characters_kept(text)
        if len(kept) != len(text):
            text, confidences = "".join(text[i] for i in kept), tuple(confidences[i] for i in kept)
            centres = tuple(centres[i] for i in kept) if centres is not None else None
        kept_detected += index < detected
        found.append(
            TextLine(
                x0=float(quad[:, 0].min()),
                top=float(quad[:, 1].min()),
                x1=float(quad[:, 0].max()),
                bottom=float(quad[:, 1].max()),
                text=text,
                centres=centres,
                confidences=confidences,
                vertical=vertical,
            )
        )
    return _on_rows_beside(found, kept_detected)


def _on_rows_beside(found: list[TextLine], detected: int) -> list[TextLine]:
    """The lines read from ink no box reached (``found`` after its first ``detected``) set on
    the row of the detected line beside them: their boxes are padded by another rule than the
    detector's, and the 入 of a letter-spaced 收    入 would otherwise stand a line above its 收
    in their cell (入收)."""
    rows = [(line.top, line.bottom, (line.x0 + line.x1) / 2) for line in found[:detected]]
    for index in range(detected, len(found)):
        line = found[index]
        middle, centre = (line.top + line.bottom) / 2, (line.x0 + line.x1) / 2
        beside = [row for row in rows if row[0] <= middle <= row[1]]
        if beside:
            top, bottom, _ = min(beside, key=lambda row: abs(row[2] - centre))
            found[index] = replace(line, top=top, bottom=bottom)
    return found


def _detect(image: Image) -> list[Any]:
    """The text lines the detector finds on ``image``, its map of where text is read twice.

    RapidOCR dilates the map before outlining its regions, which joins the characters of a line
    on the reduced page; it also joins the lines of a tight two-line cell to the cell beside
    them (省委办公厅承办的会议 / 费 beside 会议费), a region whose outline holds too little
    text to be kept, so that none of those lines is read. Outside the lines found, the map is
    read again undilated, and its lines are added where those found cover little of them
    (``ocr_boxes.unclaimed``). One run of the model; the second reading of its map, of what the
    first left, costs a few milliseconds a page.
    """
    import numpy as np

    detector = ocr_engine.loaded().text_det
    height, width = image.shape[:2]
    prepared = detector.get_preprocess(max(height, width))(image)
    if prepared is None:
        return []
    scores = detector.infer(prepared)[0]
    outline = detector.postprocess_op
    found = list(detector.filter_tag_det_res(outline(scores, (height, width))[0], (height, width)))
    text_map = scores[0, 0]
    left = text_map > outline.thresh
    scale_x, scale_y = text_map.shape[1] / width, text_map.shape[0] / height
    for x0, top, x1, bottom in ocr_boxes.boxes_of(found):
        left[
            int(top * scale_y) : int(np.ceil(bottom * scale_y)),
            int(x0 * scale_x) : int(np.ceil(x1 * scale_x)),
        ] = False
    if not left.any():
        return [np.asarray(box, dtype=np.float32) for box in found]
    others, _ = outline.boxes_from_bitmap(text_map, left, width, height)
    others = list(detector.filter_tag_det_res(others, (height, width))) if len(others) else []
    lost = ocr_boxes.unclaimed(ocr_boxes.boxes_of(found), ocr_boxes.boxes_of(others))
    return [np.asarray(box, dtype=np.float32) for box in found + [others[i] for i in lost]]


def _read_values_fitted(
    chosen: dict[int, tuple[Any, bool, Image]],
    quads: list[Any],
    ink: Image,
    binary: Image,
    careful: bool = False,
) -> None:
    """Read target values again in boxes fitted to their ink, and keep that reading.

    The detector pads a line's box for Han characters; the recogniser scales each box to one
    height, so a value of digits (two thirds as high) is read small, and a ≥ or ≤ before it is
    read as 2 or S or lost (``≥300天`` as ``2300天``, ``≥2次`` as ``2次``). Fitted to its ink the
    value is read at the size the recogniser knows. Only values (``ocr_text.may_read_as_value``:
    ``=100%6`` too, its 6 read unsurely) are read so: a line of Han characters fitted lost its
    circled numbers (②, ⑥ read as 2, 6).
    """
    fitted: dict[int, Any] = {}
    for index, (result, vertical, _) in chosen.items():
        confidences = character_confidences(result[0], result[2], float(result[1]))
        if vertical or not ocr_text.may_read_as_value(result[0], confidences):
            continue
        box = ocr_boxes.boxes_of([quads[index]])[0]
        _, new_top, _, new_bottom = ocr_boxes.fit_rows_to_ink(box, binary)
        if (new_top, new_bottom) != box[1::2]:
            quad = quads[index].copy()
            quad[[0, 1], 1] += new_top - box[1]
            quad[[2, 3], 1] += new_bottom - box[3]
            fitted[index] = quad
    if not fitted:
        return
    order = sorted(fitted)
    crops = [_rgb(crop) for crop in ocr_engine.loaded().get_crop_img_list(ink, [fitted[i] for i in order])]
    for index, crop, result in zip(
        order, crops, ocr_engine.recognise_crops(crops, careful=careful), strict=True
    ):
        if not result[0].strip():
            continue
        detected, vertical, detected_crop = chosen[index]
        take_fitted, text = ocr_text.reconciled(detected[0], result[0])
        if take_fitted:
            quads[index] = fitted[index]
            chosen[index] = ((text, result[1], result[2]), False, crop)
        else:
            chosen[index] = ((text, detected[1], detected[2]), vertical, detected_crop)


def _read_numbers_wider(chosen: dict[int, tuple[Any, bool, Image]], careful: bool = False) -> None:
    """Read numbers the engine is unsure of again, their crops stretched wider
    (``ocr_text.rereads_wider``), and keep a surer reading that only restores repeated digits."""
    import cv2
    import numpy as np

    unsure = [
        i
        for i, (result, vertical, _) in chosen.items()
        if not vertical and ocr_text.rereads_wider(result[0], float(result[1]))
    ]
    wider = [
        np.asarray(
            cv2.resize(chosen[i][2], None, fx=ocr_text.WIDER_READING, fy=1.0, interpolation=cv2.INTER_CUBIC),
            "u1",
        )
        for i in unsure
    ]
    for index, crop, result in zip(
        unsure, wider, ocr_engine.recognise_crops(wider, careful=careful), strict=True
    ):
        first, vertical, _ = chosen[index]
        if float(result[1]) > float(first[1]) and ocr_text.restores_repeats(first[0], result[0]):
            chosen[index] = (result, vertical, crop)


def _grown(quads: list[Any], binary: Image, dpi: float, rulings: Sequence[Line]) -> list[Any]:
    """The quads with their left edges moved over the ink the detector missed, their edges off
    the rulings they reach over by its padding, and their right edges where they ran into the
    next box of their line (``ocr_boxes``)."""
    boxes = ocr_boxes.boxes_of(quads)
    grown = ocr_boxes.grow_to_ink(boxes, binary, rulings, 72.0 / dpi)
    fitted = ocr_boxes.cut_at_next(ocr_boxes.off_walls(grown, rulings, 72.0 / dpi))
    result = []
    for quad, (x0, _, x1, _), (new_x0, _, new_x1, _) in zip(quads, boxes, fitted, strict=True):
        if (new_x0, new_x1) != (x0, x1):
            quad = quad.copy()
            quad[[0, 3], 0] += new_x0 - x0
            quad[[1, 2], 0] += new_x1 - x1
        result.append(quad)
    return result


def _quad(box: ocr_boxes.Box) -> Any:
    """An upright box as the detector's quads are: its corners clockwise from the top left."""
    import numpy as np

    x0, top, x1, bottom = box
    return np.asarray([[x0, top], [x1, top], [x1, bottom], [x0, bottom]], dtype=np.float32)


def _rgb(grey: Image) -> Image:
    """A grey image as the three channels the models take."""
    import numpy as np

    return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))


def _quad_size(quad: Any) -> tuple[float, float]:
    """A detected box's width and height as RapidOCR measures them to crop it."""
    import numpy as np

    width = max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3]))
    height = max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))
    return float(width), float(height)
