"""The OCR models rewritten at load time (extractor.readers.ocr_models) compute what the wheel's
models compute, on a real rendered page: the detector's text map and the recogniser's character
probabilities agree to 1e-4, the characters read are the same; and when the rewrite cannot be
made, the engine keeps the wheel's models and says so.
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

from extractor.readers import ocr_models

DPI = 200
LINE = "6,743,600.00  Total 20101  1,525,200.00"
#: Where the line is drawn: its baseline (points from the page's top) and font size.
BASELINE, LEFT, SIZE = 120.0, 72.0, 11.0
#: The recogniser's input height, and the normalisation RapidOCR gives both models' inputs.
REC_HEIGHT = 48
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
def models() -> list[tuple[bytes, ocr_models.Simplified]]:
    """The wheel's detection and recognition models, each with its rewrite."""
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is part of make's install")
    originals = [path.read_bytes() for path in ocr_models.wheel_model_paths()]
    return [(original, ocr_models.simplify(original)) for original in originals]


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


def test_the_rewrites_are_made(models: list[tuple[bytes, ocr_models.Simplified]]) -> None:
    (_, det_simplified), (_, rec_simplified) = models
    assert det_simplified.folded_scales == 28 and det_simplified.hardswishes == 24
    assert rec_simplified.folded_scales == 28 and rec_simplified.hardswishes == 28
    assert (det_simplified.folded_affines, det_simplified.affine_convolutions) == (10, 14)
    assert (rec_simplified.folded_affines, rec_simplified.affine_convolutions) == (12, 16)
    for original, simplified in models:  # fewer operators (the bytes may grow: per-channel weights)
        assert operators(simplified.model) < operators(original)


def operators(model: bytes) -> int:
    """How many operators a model runs (``Constant`` nodes are weights, not work)."""
    import onnx

    return sum(node.op_type != "Constant" for node in onnx.load_from_string(model).graph.node)


def test_the_detector_finds_the_same_text_map(
    models: list[tuple[bytes, ocr_models.Simplified]], page: np.ndarray
) -> None:
    import cv2

    original, simplified = models[0]
    # Half the page's resolution (ocr.DETECT_DPI), each side a multiple of 32 as RapidOCR makes it.
    height, width = (round(side / 2 / 32) * 32 for side in page.shape[:2])
    tensor = normalised(cv2.resize(page, (width, height), interpolation=cv2.INTER_AREA))
    expected, actual = run(original, tensor), run(simplified.model, tensor)
    assert expected.shape == actual.shape == (1, 1, height, width)
    assert (expected > 0.3).sum() > 1_000  # the lines were seen as text
    np.testing.assert_allclose(actual, expected, rtol=0, atol=TOLERANCE)


def test_the_recogniser_reads_the_same_characters_with_the_same_probabilities(
    models: list[tuple[bytes, ocr_models.Simplified]], page: np.ndarray
) -> None:
    import cv2

    original, simplified = models[1]
    scale = DPI / 72
    top, bottom = round((BASELINE - SIZE) * scale), round((BASELINE + SIZE * 0.35) * scale)
    crop = page[top:bottom, round((LEFT - 4) * scale) : round((LEFT + 260) * scale)]
    width = round(REC_HEIGHT * crop.shape[1] / crop.shape[0])
    tensor = normalised(cv2.resize(crop, (width, REC_HEIGHT)))
    expected, actual = run(original, tensor), run(simplified.model, tensor)
    assert expected.shape == actual.shape and expected.shape[1] > len(LINE)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=TOLERANCE)
    assert np.array_equal(actual.argmax(axis=2), expected.argmax(axis=2))
    assert (expected.max(axis=2) > 0.9).sum() >= 20  # characters read, not blank


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
    page: np.ndarray, caplog: pytest.LogCaptureFixture
) -> None:
    wheel = Maker()()
    before, _ = wheel(page)
    make = Maker()
    with caplog.at_level(logging.WARNING, logger=ocr_models.__name__):
        engine = ocr_models.load_engine(make)
    assert not caplog.records
    assert [sorted(paths) for paths in make.calls] == [["det_model_path", "rec_model_path"]]
    assert not any(Path(path).exists() for path in make.calls[0].values())  # the temporary copies
    after, _ = engine(page)
    assert [text for _, text, _ in after] == [text for _, text, _ in before]
    assert "6,743,600.00" in after[0][1]
    np.testing.assert_allclose(
        [score for *_, score in after], [score for *_, score in before], atol=TOLERANCE
    )


def test_without_onnx_the_engine_loads_the_wheels_models_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx raises ImportError
    make = Maker()
    with caplog.at_level(logging.WARNING, logger=ocr_models.__name__):
        engine = ocr_models.load_engine(make)
    assert make.calls == [{}] and engine is not None
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "not simplified" in caplog.records[0].getMessage()
    assert "onnx" in caplog.records[0].getMessage()


def test_a_rewrite_onnxruntime_refuses_leaves_the_wheels_models(
    page: np.ndarray, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The recogniser's rewrite cut short after the detector's succeeded: the engine is made again
    # on the wheel's two models, and reads as they do.
    simplify = ocr_models.simplify
    rewritten: list[ocr_models.Simplified] = []

    def broken_second(model: bytes) -> ocr_models.Simplified:
        rewritten.append(simplify(model))
        made = rewritten[-1]
        return made if len(rewritten) == 1 else ocr_models.Simplified(made.model[:1000], 0, 0, 0, 0)

    monkeypatch.setattr(ocr_models, "simplify", broken_second)
    make = Maker()
    with caplog.at_level(logging.WARNING, logger=ocr_models.__name__):
        engine = ocr_models.load_engine(make)
    assert len(rewritten) == 2
    assert [sorted(paths) for paths in make.calls] == [["det_model_path", "rec_model_path"], []]
    assert len(caplog.records) == 1
    assert "6,743,600.00" in engine(page)[0][0][1]
