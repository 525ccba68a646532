"""What the OCR recogniser is given to read: the crops, not padding (issue 19's speed).

The recogniser costs about the same per column of its input (47 µs for 48 pixels on the
development machine, up to 2,000 columns), so its cost is counted here in pixels, not seconds:
a stand-in for RapidOCR's recogniser records each batch it is given and pads it as RapidOCR does
(every crop scaled to 48 pixels high, the batch as wide as its widest crop and at least
``rec_image_shape``'s width). ``make bench`` times the real thing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from extractor.readers import ocr_engine

HEIGHT = ocr_engine.REC_HEIGHT


class Recogniser:
    """RapidOCR's ``text_rec`` without the model: reads each crop as its own width."""

    def __init__(self) -> None:
        self.rec_image_shape = [3, HEIGHT, 320]
        self.rec_batch_num = 6
        #: Each batch: the crops' own widths (at the recogniser's height) and the width read.
        self.batches: list[tuple[list[int], int]] = []

    def __call__(self, crops: Sequence[Any], word_box: bool) -> tuple[list[tuple[str, float, Any]], float]:
        own = [math.ceil(HEIGHT * crop.shape[1] / crop.shape[0]) for crop in crops]
        assert len(crops) <= self.rec_batch_num
        self.batches.append((own, max(self.rec_image_shape[2], *own)))
        return [(str(crop.shape[1]), 0.9, None) for crop in crops], 0.0


class Engine:
    def __init__(self) -> None:
        self.text_rec = Recogniser()


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Engine:
    fake = Engine()
    monkeypatch.setattr(ocr_engine, "loaded", lambda: fake)
    return fake


def crops_of(widths: Sequence[int], height: int = 32) -> list[Any]:
    """Grey crops ``height`` pixels high (a 10 pt line's box at 200 dpi) of the given widths."""
    return [np.full((height, width, 3), 255, dtype=np.uint8) for width in widths]


#: The crops of a scanned budget table (widths at 200 dpi): lone zeros and codes, amounts,
#: labels, a few long lines (the caption, a note).
TABLE = [20, 22, 26] * 20 + [60, 75, 90, 110] * 25 + [150, 190, 240] * 15 + [420, 700] * 5


def test_each_reading_goes_back_to_its_crop(engine: Engine) -> None:
    widths = list(range(10, 900, 7))
    results = ocr_engine.recognise_crops(crops_of(widths))

    assert [text for text, _, _ in results] == [str(width) for width in widths]


def test_a_table_s_cells_are_read_at_about_their_own_width(engine: Engine) -> None:
    ocr_engine.recognise_crops(crops_of(TABLE))

    read = sum(len(own) * width for own, width in engine.text_rec.batches)
    wanted = sum(ocr_engine.read_width(HEIGHT * width / 32) for width in TABLE)
    assert read <= ocr_engine.BATCH_WASTE * wanted
    # Padded to 256 each, as all were before, they cost a sixth more.
    assert read * 1.15 < sum(max(math.ceil(HEIGHT * width / 32), 256) for width in TABLE)


def test_every_crop_has_grey_after_it_and_a_lone_digit_its_room(engine: Engine) -> None:
    ocr_engine.recognise_crops(crops_of(TABLE))

    for own, width in engine.text_rec.batches:
        assert all(width >= crop + ocr_engine.REC_TAIL for crop in own)
        assert all(width >= ocr_engine.MIN_REC_WIDTH for crop in own if crop < ocr_engine.NARROW_CROP)
        assert width <= ocr_engine.REC_BATCH_WIDTH or len(own) == 1
