"""Both PDF backends read every PDF we have alike: the bundled samples and ../shared/corpus.

pdfium (the default) must give what pdfplumber, the reference the goldens were made with,
gives: the same tables, grids, records and warnings, the whole JSON result, with one allowance:
a cell's ``bbox`` may differ by one unit of its last printed digit, as pdfium computes in 32-bit
floats. A page the pdfium backend had to read again with pdfminer carries a ``backend_fallback``
warning, which pdfplumber never gives: a gap of the fast path fails here, though it costs the
user no data. The corpus part is skipped where ../shared/corpus is absent.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from extractor.export import dumps
from extractor.pipeline import parse

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"
#: A box side may differ by one unit of its last printed digit between the PDF backends (pdfium
#: computes in 32-bit floats); everything else must be equal.
BBOX_TOLERANCE = 0.0101


def sample_pdfs() -> list[Path]:
    """Every PDF under samples/ but the deliberately broken ones of samples/bad."""
    return sorted(p for p in SAMPLES.rglob("*.pdf") if p.relative_to(SAMPLES).parts[0] != "bad")


def corpus_pdfs() -> list[Path]:
    return sorted(CORPUS.rglob("*.pdf")) if CORPUS.is_dir() else []


def cases() -> list[object]:
    found: list[object] = [pytest.param(p, id=str(p.relative_to(ROOT))) for p in sample_pdfs()]
    found += [pytest.param(p, id=str(p.relative_to(CORPUS.parent))) for p in corpus_pdfs()]
    if not CORPUS.is_dir():
        found.append(
            pytest.param(None, id="corpus", marks=pytest.mark.skip(reason=f"{CORPUS} is not present"))
        )
    return found


@functools.cache
def parsed_json(path: Path, pdf_backend: str) -> object:
    """Each file is parsed once per backend in a session, and compared as its JSON."""
    result: object = json.loads(dumps(parse(path, pdf_backend=pdf_backend)))
    return result


def test_there_are_pdfs_to_compare() -> None:
    assert len(sample_pdfs()) >= 20


@pytest.mark.parametrize("path", cases())
def test_both_pdf_backends_give_the_same_result(path: Path) -> None:
    """pdfium reads the PDF as pdfplumber does: the same JSON; boxes agree to their last digit."""
    reference = parsed_json(path, "pdfplumber")
    candidate = parsed_json(path, "pdfium")
    assert strip_boxes(candidate, reference) == reference


def strip_boxes(result: object, reference: object) -> object:
    """``result`` with each ``bbox`` replaced by the reference's where they agree within tolerance."""
    if isinstance(result, dict) and isinstance(reference, dict):
        stripped: dict[str, object] = {}
        for key, value in result.items():
            other = reference.get(key)
            if (
                key == "bbox"
                and isinstance(value, list)
                and isinstance(other, list)
                and len(value) == len(other)
            ):
                close = all(abs(a - b) <= BBOX_TOLERANCE for a, b in zip(value, other, strict=True))
                stripped[key] = other if close else value
            else:
                stripped[key] = strip_boxes(value, other)
        return stripped
    if isinstance(result, list) and isinstance(reference, list) and len(result) == len(reference):
        return [strip_boxes(a, b) for a, b in zip(result, reference, strict=True)]
    return result


def test_boxes_within_one_unit_of_the_last_digit_count_as_equal() -> None:
    reference = {"tables": [{"bbox": [10.0, 20.25, 30.5, 40.0], "text": "合计"}]}
    assert (
        strip_boxes({"tables": [{"bbox": [10.01, 20.24, 30.5, 40.0], "text": "合计"}]}, reference)
        == reference
    )
    for differing in (
        {"tables": [{"bbox": [10.02, 20.25, 30.5, 40.0], "text": "合计"}]},
        {"tables": [{"bbox": [10.0, 20.25, 30.5, 40.0], "text": "总计"}]},
    ):
        assert strip_boxes(differing, reference) != reference
