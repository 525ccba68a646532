"""The OCR engine, loaded once per process, and the recogniser's reading of crops in batches.

The engine is RapidOCR (``rapidocr-onnxruntime``): PaddleOCR's PP-OCRv4 Chinese detection and
recognition models, shipped inside its wheel and run by onnxruntime (rewritten to run faster,
``ocr_models``); nothing is downloaded. It is the optional extra ``extractor[ocr]``, loaded on
first use, one thread per model (a batch runs one file per process on each core). This module
imports without it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from extractor.errors import MissingDependency
from extractor.readers import ocr_models, ocr_text

if TYPE_CHECKING:
    from extractor.readers.scan_lines import Image

INSTALL_HINT = "pip install 'extractor[ocr]'"

#: A crop narrower than ``NARROW_CROP`` (pixels at the recogniser's 48-pixel height: a lone digit
#: or two) is read at least this wide, padded with grey as the recogniser's training padded it:
#: narrower, a lone 0 fills the input and is read as o or nothing (at 192 one in three, at 256
#: none). Paper instead of grey makes it worse: the recogniser sees characters in the blank
#: (時208). Wider crops are read at their own width (and ``REC_TAIL``): padded to 256 as well,
#: the short cells of budget tables (0.00, 201, 行政运行) made the recogniser read a fifth more
#: on 14 corpus pages (16.9 million pixels instead of 13.9), for the same readings.
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
        raise MissingDependency(
            f"reading scanned pages needs the OCR extra ({exc}); install it: {INSTALL_HINT}"
        ) from exc
    import cv2

    # One core per process: a batch runs a worker per core, and OpenCV's own thread pool (resize,
    # warps, morphology) would make each take them all.
    cv2.setNumThreads(1)
    # The wheel's models rewritten to run faster, with the same readings (ocr_models).
    engine = ocr_models.load_engine(
        functools.partial(RapidOCR, intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False)
    )
    # Its readings decoded with the recogniser's belief in ≥ at hand (GreaterAwareDecoding).
    if "≥" in engine.text_rec.postprocess_op.character:
        engine.text_rec.postprocess_op = GreaterAwareDecoding(engine.text_rec.postprocess_op)
    return engine


class GreaterAwareDecoding:
    """RapidOCR's decoding of the recogniser's columns into text, and ``ocr_text.two_as_greater``
    applied to each reading: only the columns show how much the recogniser also saw a ≥ where it
    read a 2 (what ``recognise_crops`` gets back keeps the chosen characters alone)."""

    def __init__(self, decode: Any) -> None:
        self.decode = decode
        self.greater = decode.character.index("≥")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.decode, name)

    def __call__(self, columns: Any, *args: Any, **kwargs: Any) -> list[Any]:
        readings = []
        for beliefs, reading in zip(columns, self.decode(columns, *args, **kwargs), strict=True):
            if not reading[0].startswith("2"):  # the odds are looked up for a leading 2 alone
                readings.append(reading)
                continue
            text = ocr_text.two_as_greater(reading[0], self._first_odds(beliefs))
            readings.append(reading if text == reading[0] else (text, *reading[1:]))
        return readings

    def _first_odds(self, beliefs: Any) -> float:
        """The belief in ≥ of the column the first character was read from (0: the blank)."""
        import numpy as np

        read = np.flatnonzero(beliefs.argmax(axis=1) != 0)
        return float(beliefs[read[0], self.greater]) if read.size else 0.0


def ensure_available() -> None:
    """Raise ``MissingDependency`` with the install hint when the extra is not installed."""
    loaded()


def recognise_crops(crops: Sequence[Image]) -> list[Any]:
    """RapidOCR's reading of each crop (text, confidence, columns), in small batches of crops of
    similar width: the recogniser pads a batch to its widest crop (a batch holding a narrow one
    to ``MIN_REC_WIDTH`` at least), and its cost grows faster than the width (two long sentences
    batched with four short cells cost as much as thirty cells)."""
    engine = loaded()
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
        engine.text_rec.rec_image_shape = [3, REC_HEIGHT, math.ceil(widths[group[-1]])]
        engine.text_rec.rec_batch_num = len(group)
        for index, result in zip(group, engine.text_rec([crops[i] for i in group], True)[0], strict=True):
            results[index] = result
        start = stop
    return results


def read_width(width: float) -> float:
    """How wide a crop ``width`` pixels wide (at the recogniser's height) is read: with
    ``REC_TAIL`` of grey after it, and at least ``MIN_REC_WIDTH`` when it is narrow."""
    return MIN_REC_WIDTH if width < NARROW_CROP else width + REC_TAIL
