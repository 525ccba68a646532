"""The pdfium backend's own steps: pdfminer's reading of paths, the file's numbers, skipped pages."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from extractor.readers import pdf_pdfium
from extractor.readers.pdf import read
from extractor.readers.pdf_page import Line, read_pages
from extractor.readers.pdf_pdfium import file_number, path_to_lines


def test_a_lone_segment_is_a_line_and_a_diagonal_one_is_vertical_at_its_left_end() -> None:
    assert path_to_lines([("ml", [(10.0, 50.0), (90.0, 50.0)])]) == [
        Line(vertical=False, at=50.0, start=10.0, end=90.0)
    ]
    assert path_to_lines([("ml", [(40.0, 80.0), (20.0, 10.0)])]) == [
        Line(vertical=True, at=20.0, start=10.0, end=80.0)
    ]


def test_a_closed_four_corner_loop_is_a_rectangle_with_four_sides() -> None:
    loop = [(10.0, 20.0), (60.0, 20.0), (60.0, 40.0), (10.0, 40.0), (10.0, 20.0)]
    assert sorted(path_to_lines([("mlllh", loop)]), key=repr) == sorted(
        [
            Line(vertical=False, at=20.0, start=10.0, end=60.0),
            Line(vertical=False, at=40.0, start=10.0, end=60.0),
            Line(vertical=True, at=10.0, start=20.0, end=40.0),
            Line(vertical=True, at=60.0, start=20.0, end=40.0),
        ],
        key=repr,
    )


def test_a_polyline_keeps_its_level_and_upright_pieces_only() -> None:
    points = [(0.0, 0.0), (30.0, 0.0), (40.0, 10.0), (40.0, 50.0)]
    assert path_to_lines([("mlll", points)]) == [
        Line(vertical=False, at=0.0, start=0.0, end=30.0),
        Line(vertical=True, at=40.0, start=10.0, end=50.0),
    ]


@pytest.mark.parametrize("written", [841.89, 0.75, 133.34, 805.8, 2.0, -12.5])
def test_a_single_precision_number_reads_back_as_the_files_decimal(written: float) -> None:
    single = struct.unpack("f", struct.pack("f", written))[0]
    assert file_number(single) == written


def test_a_page_without_rulings_is_not_read_for_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prose pages (most of a budget report) are told apart by their segments alone."""
    path = tmp_path / "prose.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.drawString(60, 700, "Notes on the budget")
    canvas.line(60, 690, 300, 690)  # an underline rules no table
    canvas.save()

    def must_not_run(*args: object) -> object:
        raise AssertionError("characters were read on a page without a table")

    monkeypatch.setattr(pdf_pdfium, "page_chars", must_not_run)
    document = read(path, backend="pdfium")
    assert (document.grids, document.warnings, document.pages) == ((), (), 1)
    (page,) = read_pages(path, lambda page: False, backend="pdfium")
    assert page.has_text and not page.chars and len(page.lines) == 1
