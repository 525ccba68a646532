"""The recogniser's columns decoded as a mainland table prints them (ocr_engine.TableDecoding):
a traditional form's belief goes to its simplified form, so that 決 reads 决 as surely as the
recogniser saw either; characters simplified text writes (乾, 於) stay; ≥ is still found behind a 2.
Columns are made by hand over the engine's own character list, so each case is exact."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from extractor.readers import ocr_engine


@pytest.fixture(scope="module")
def decoding() -> Any:
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is part of make's install")
    return ocr_engine.loaded().text_rec.postprocess_op


def columns(decoding: Any, *steps: dict[str, float]) -> np.ndarray:
    """One crop's columns: each step's beliefs, the rest of its belief on the blank, a blank
    column between steps (so that a character read twice is read twice)."""
    index = {character: i for i, character in enumerate(decoding.character)}
    rows = []
    for step in steps:
        row = np.zeros(len(index), dtype=np.float32)
        for character, belief in step.items():
            row[index[character]] = belief
        row[0] = 1.0 - row.sum()
        blank = np.zeros(len(index), dtype=np.float32)
        blank[0] = 1.0
        rows += [row, blank]
    return np.stack(rows)[None]


def read(decoding: Any, *steps: dict[str, float]) -> tuple[str, float]:
    text, confidence = decoding(columns(decoding, *steps))[0][:2]
    return text, float(confidence)


def test_a_traditional_form_reads_as_its_simplified_form_with_both_beliefs(decoding: Any) -> None:
    text, confidence = read(decoding, {"決": 0.6, "决": 0.3}, {"算": 0.95}, {"数": 0.97})
    assert text == "决算数"
    assert confidence == pytest.approx((0.9 + 0.95 + 0.97) / 3, abs=1e-6)
    assert read(decoding, {"設": 0.99}, {"備": 0.9})[0] == "设备"


def test_characters_simplified_text_writes_stay_as_read(decoding: Any) -> None:
    # 乾 (乾坤) and 於 (a surname) are in GB 2312: no fold, though OpenCC's t2s would make 干, 于.
    assert read(decoding, {"乾": 0.9, "干": 0.05})[0] == "乾"
    assert read(decoding, {"於": 0.9})[0] == "於"
    assert read(decoding, {"会": 0.4, "會": 0.3, "合": 0.5})[0] == "会"  # 0.7 together outweigh 合


def test_a_leading_two_the_recogniser_also_saw_as_greater_is_read_as_greater(decoding: Any) -> None:
    assert read(decoding, {"2": 0.6, "≥": 0.35}, {"9": 0.99}, {"5": 0.99}, {"%": 0.99})[0] == "≥95%"
    assert read(decoding, {"2": 0.99}, {"0": 0.99})[0] == "20"
