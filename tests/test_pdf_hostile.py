"""PDFs made to hurt or badly made, through both backends: each is read as PDFium reads it or
ends with a coded error (never ``internal_error``), and neither backend may be made to build
more of a page than the limits allow."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractor.pipeline import parse
from extractor.readers.pdf_page import PDF_BACKENDS
from tests.goldens import ROOT

sys.path.insert(0, str(ROOT / "samples"))
from make_bad_inputs import _pdf_mediabox

SEED_PDF = ROOT / "samples" / "seed" / "seed_reportlab.pdf"
#: What a file may hold where the MediaBox belongs, none of it a box.
NO_BOX = {
    "missing": b"",
    "string": b"/MediaBox (0 0 595 842)",
    "three numbers": b"/MediaBox [0 0 595]",
    "names": b"/MediaBox [/a /b /c /d]",
    "a dictionary": b"/MediaBox << /W 595 >>",
    "no area": b"/MediaBox [0 0 0 0]",
}


@pytest.fixture(params=PDF_BACKENDS)
def pdf_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend


@pytest.mark.parametrize("box", NO_BOX.values(), ids=NO_BOX.keys())
def test_a_page_without_a_usable_mediabox_is_read_as_us_letter(
    tmp_path: Path, pdf_backend: str, box: bytes
) -> None:
    path = tmp_path / "no_box.pdf"
    path.write_bytes(_pdf_mediabox(box)())
    result = parse(path, pdf_backend=pdf_backend)
    assert result.error is None
    seed = parse(SEED_PDF, pdf_backend=pdf_backend)
    assert [t.records() for t in result.tables] == [t.records() for t in seed.tables]
    first = result.tables[0].grid.cells[0].bbox
    assert first is not None and first.top == pytest.approx(
        seed.tables[0].grid.cells[0].bbox.top - 50, abs=0.2
    )
    if pdf_backend == "pdfplumber":  # PDFium does not say whether a page states a box
        assert [w.page for w in result.warnings if w.code == "page_box_defaulted"] == [1, 2]


def test_a_mediabox_with_its_corners_swapped_is_the_same_page(tmp_path: Path, pdf_backend: str) -> None:
    path = tmp_path / "swapped.pdf"
    path.write_bytes(_pdf_mediabox(b"/MediaBox [595.2756 841.8898 0 0]")())
    result = parse(path, pdf_backend=pdf_backend)
    seed = parse(SEED_PDF, pdf_backend=pdf_backend)
    assert result.error is None and result.tables == seed.tables


def test_a_mediabox_inherited_from_the_page_tree_is_the_page_s(tmp_path: Path, pdf_backend: str) -> None:
    """pypdfium2's get_mediabox reads only the page's own entry (and gives US Letter without one)."""
    path = tmp_path / "inherited.pdf"
    path.write_bytes(_pdf_mediabox(b"", b"/MediaBox [0 0 595.2756 841.8898]")())
    result = parse(path, pdf_backend=pdf_backend)
    seed = parse(SEED_PDF, pdf_backend=pdf_backend)
    assert result.error is None and result.tables == seed.tables
    assert result.warnings == seed.warnings


@pytest.mark.parametrize("entry", [b"/Rotate (90)", b"/Rotate /Ninety", b"/CropBox (x)", b"/CropBox [1 2]"])
def test_a_rotate_or_crop_box_of_the_wrong_type_is_ignored(
    tmp_path: Path, pdf_backend: str, entry: bytes
) -> None:
    path = tmp_path / "odd_entry.pdf"
    path.write_bytes(_pdf_mediabox(b"/MediaBox [0 0 595.2756 841.8898] " + entry)())
    result = parse(path, pdf_backend=pdf_backend)
    assert result.error is None
    assert result.tables == parse(SEED_PDF, pdf_backend=pdf_backend).tables
