"""Both PDF backends read every PDF alike (skipped where ../shared/corpus is absent)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from extractor.export import dumps
from extractor.pipeline import parse
from extractor.records import ParseResult

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/real is not present")
#: A box side may differ by one unit of its last printed digit between the PDF backends (pdfium
#: computes in 32-bit floats); everything else must be equal.
BBOX_TOLERANCE = 0.0101


@functools.cache
def parsed(path: Path, pdf_backend: str) -> ParseResult:
    """Each file is parsed once per backend for the whole module."""
    return parse(path, pdf_backend=pdf_backend)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.pdf")))
def test_both_pdf_backends_give_the_same_result(name: str) -> None:
    """pdfium (the default) reads every real PDF as pdfplumber, the reference, does: the same
    tables, grids, records and warnings; cell boxes agree to their last printed digit."""
    reference = json.loads(dumps(parsed(CORPUS / name, "pdfplumber")))
    candidate = json.loads(dumps(parsed(CORPUS / name, "pdfium")))
    assert strip_boxes(candidate, reference) == strip_boxes(reference, reference)


def strip_boxes(result: object, reference: object) -> object:
    """``result`` with each ``bbox`` replaced by the reference's where they agree within tolerance."""
    if isinstance(result, dict) and isinstance(reference, dict):
        stripped = {}
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
