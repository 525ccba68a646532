"""PDFs made to hurt or badly made, through both backends: each is read as PDFium reads it or
ends with a coded error (never ``internal_error``), and neither backend may be made to build
more of a page than the limits allow."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from random import Random

import pytest
from pdfplumber.table import cells_to_tables

from extractor.errors import TooLarge
from extractor.limits import Limits
from extractor.pipeline import parse
from extractor.readers import read
from extractor.readers.pdf_page import PDF_BACKENDS
from extractor.readers.pdf_rulings import cells_to_groups
from tests.goldens import ROOT

sys.path.insert(0, str(ROOT / "samples"))
from make_bad_inputs import (
    _pdf_mediabox,
    _pdf_xref_rebuilt,
    pdf_forms_named_by_the_page,
    pdf_nested_forms,
    pdf_page_of,
    pdf_staggered_rectangles,
    pdf_xref_broken,
)

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


# --- what one page may draw --------------------------------------------------------------------


def test_nested_forms_are_too_large_before_pdfium_builds_them(tmp_path: Path) -> None:
    """4^12 copies of a ruling in 3 KB: loading the page took 23 GB and minutes."""
    path = tmp_path / "nested.pdf"
    path.write_bytes(pdf_nested_forms())
    assert path.stat().st_size < 5_000
    started = time.monotonic()
    result = parse(path)
    assert time.monotonic() - started < 10
    assert result.error is not None and result.error.code == "too_large"
    assert "page 1 draws more than" in result.error.message and "--max-page-objects" in result.error.message


@pytest.mark.parametrize(
    "drawn",
    [b"/#46 Do", b"/F % a comment\n Do", b"/F\nDo", b"/G Do"],
    ids=["escaped", "comment", "newline", "unnamed"],
)
def test_however_a_form_is_named_it_is_counted(tmp_path: Path, drawn: bytes) -> None:
    """A name written with escapes, a comment before ``Do``, a name no resource matches (counted as
    the largest form it could be)."""
    path = tmp_path / "nested.pdf"
    path.write_bytes(pdf_nested_forms(drawn=drawn))
    with pytest.raises(TooLarge, match="draws more than"):
        read(path, "pdf")


def test_forms_named_only_by_the_page_are_counted(tmp_path: Path) -> None:
    """A form whose resources hold no XObjects draws by the page's names, as PDFium looks them up."""
    path = tmp_path / "page_names.pdf"
    path.write_bytes(pdf_forms_named_by_the_page())
    with pytest.raises(TooLarge, match="draws more than"):
        read(path, "pdf")


def test_nested_forms_behind_damaged_cross_references_are_counted(tmp_path: Path) -> None:
    """PDFium rebuilds damaged cross-references by scanning the file; so does the count."""
    path = tmp_path / "nested.pdf"
    path.write_bytes(pdf_xref_broken(pdf_nested_forms()))
    with pytest.raises(TooLarge, match="draws more than"):
        read(path, "pdf")


def test_a_page_whose_box_pdfminer_cannot_read_is_measured_all_the_same(tmp_path: Path) -> None:
    """pdfminer's own page fails on a MediaBox of names, which PDFium reads as US Letter."""
    path = tmp_path / "nested.pdf"
    path.write_bytes(pdf_nested_forms().replace(b"/MediaBox [0 0 600 800]", b"/MediaBox [/a /b /c /d]"))
    with pytest.raises(TooLarge, match="draws more than"):
        read(path, "pdf")


def test_a_stream_pdfminer_cannot_decode_does_not_end_the_measure(tmp_path: Path) -> None:
    """A content stream with a filter nobody knows, drawn before the one that draws the forms."""
    nested = pdf_nested_forms()
    contents = re.search(rb"/Contents (\d+) 0 R", nested)
    assert contents is not None
    unknown = b"999 0 obj\n<< /Length 3 /Filter /NoSuchFilter >>\nstream\nabc\nendstream\nendobj\n"
    edited = nested.replace(contents.group(0), b"/Contents [999 0 R %s 0 R]" % contents.group(1))
    end = edited.rindex(b"\nxref") + 1
    path = tmp_path / "unknown_filter.pdf"
    path.write_bytes(_pdf_xref_rebuilt(edited[:end] + unknown + edited[end:]))
    with pytest.raises(TooLarge, match="draws more than"):
        read(path, "pdf")


def test_pdfminer_counts_what_it_builds(tmp_path: Path) -> None:
    """pdfminer interprets a page as it builds it: the count stops the nested forms early."""
    path = tmp_path / "nested.pdf"
    path.write_bytes(pdf_nested_forms())
    with pytest.raises(
        TooLarge, match=r"page 1 holds at least 20,00\d objects, path segments and characters"
    ):
        read(path, "pdf", pdf_backend="pdfplumber", limits=Limits(max_page_objects=20_000))


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 1 Tf 10 10 Td (" + b"a" * 30_000 + b") Tj ET",
        b"BT /F1 9 Tf 10 10 Td (x) Tj ET 0 0 m " + b"1 1 l " * 30_000 + b"S",
    ],
    ids=["characters", "segments"],
)
def test_characters_and_path_segments_count_one_by_one(
    tmp_path: Path, pdf_backend: str, content: bytes
) -> None:
    """One object may hold any number of characters or segments, which the readers handle one by one."""
    path = tmp_path / "dense.pdf"
    path.write_bytes(pdf_page_of(content))
    limits = Limits(max_page_objects=20_000)
    with pytest.raises(TooLarge, match=r"page 1 holds at least [\d,]+ objects, path segments"):
        read(path, "pdf", pdf_backend=pdf_backend, limits=limits)
    read(path, "pdf", pdf_backend=pdf_backend, limits=Limits(max_page_objects=40_000))


def test_staggered_rectangles_cost_no_quadratic_time(tmp_path: Path) -> None:
    """600 rectangles in 5 KB rule 1,199 × 1,199 positions: pdfplumber's grouping of boxes into
    tables took ten minutes before the cell budget could count them."""
    path = tmp_path / "staggered.pdf"
    path.write_bytes(pdf_staggered_rectangles(600))
    started = time.monotonic()
    result = parse(path)
    assert time.monotonic() - started < 30
    assert result.error is not None and result.error.code == "too_large"
    assert "1,437,601 table cells" in result.error.message


def test_boxes_are_grouped_into_tables_as_pdfplumber_groups_them() -> None:
    random = Random(18)
    for _ in range(300):
        cells = []
        for _ in range(random.randint(0, 40)):
            x, y = random.randint(0, 8), random.randint(0, 8)
            cells.append(
                (float(x), float(y), float(x + random.randint(1, 3)), float(y + random.randint(1, 3)))
            )
        expected = cells_to_tables(list(cells))
        assert [sorted(t) for t in cells_to_groups(cells)] == [sorted(t) for t in expected]
