"""The pdfium backend's own steps: pdfminer's reading of paths, the file's numbers, skipped pages,
and the second reading by pdfminer of a page the fast path lost text from."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from extractor.errors import CorruptDocument
from extractor.export import dumps
from extractor.pipeline import parse
from extractor.readers import pdf_pdfium, pdf_plumber
from extractor.readers.pdf import read
from extractor.readers.pdf_backends import read_pages
from extractor.readers.pdf_page import PDF_BACKENDS, Line
from extractor.readers.pdf_paths import path_to_lines
from extractor.readers.pdf_pdfium import file_number
from tests.test_pdf_backends import strip_boxes


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
    """Prose pages (most of a budget report) are told apart by their segments alone; only the
    first page is read whatever its rulings, for the cover that names the document."""
    path = tmp_path / "prose.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.drawString(60, 700, "Cover of the budget")
    canvas.showPage()
    canvas.drawString(60, 700, "Notes on the budget")
    canvas.line(60, 690, 300, 690)  # an underline rules no table
    canvas.save()

    read_chars = pdf_pdfium.page_chars
    calls: list[int] = []

    def counted(*args: Any) -> Any:
        calls.append(1)
        return read_chars(*args)

    monkeypatch.setattr(pdf_pdfium, "page_chars", counted)
    document = read(path, backend="pdfium")
    assert (document.grids, [w.code for w in document.warnings], document.pages) == ((), ["no_tables"], 2)
    assert document.preamble == ("Cover of the budget",)
    assert len(calls) == 1  # the cover, not the prose page
    _, page = read_pages(path, lambda page: False, backend="pdfium")
    assert page.has_text and not page.chars and len(page.lines) == 1


# --- the second reading: a gap of the fast path costs speed, never data ---------------------


SEED_PDF = Path(__file__).resolve().parent.parent / "samples" / "seed" / "seed_reportlab.pdf"
MONITOR_PDF = SEED_PDF.parent.parent / "generated" / "monitor_care_libreoffice.pdf"
CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


def result_json(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(dumps(parse(path, pdf_backend="pdfium")))
    return result


def fallbacks(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in result["warnings"] if w["code"] == "backend_fallback"]


def without_fallbacks(result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "warnings": [w for w in result["warnings"] if w["code"] != "backend_fallback"]}


def lose_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_pdfium, "page_chars", lambda *args: ())


def lose_upright_text(monkeypatch: pytest.MonkeyPatch) -> None:
    walk = pdf_pdfium._walk

    def blind_walk(page: Any, frame: pdf_pdfium.Frame, *budget: Any) -> Any:
        return replace(walk(page, frame, *budget), has_text=False, stands_upright=False)

    monkeypatch.setattr(pdf_pdfium, "_walk", blind_walk)


@pytest.mark.skipif(not SEED_PDF.is_file(), reason="the seed has not been rendered")
@pytest.mark.parametrize(
    ("lose", "why"),
    [(lose_characters, "collected no character"), (lose_upright_text, "found no upright character")],
)
def test_a_page_the_fast_path_lost_text_from_is_read_again_by_pdfminer(
    monkeypatch: pytest.MonkeyPatch, lose: Callable[[pytest.MonkeyPatch], None], why: str
) -> None:
    """Whatever the fast path loses on a page that shows text, pdfminer reads that page again:
    the same tables and records, and a backend_fallback warning naming the page and why."""
    expected = result_json(SEED_PDF)
    lose(monkeypatch)

    result = result_json(SEED_PDF)

    assert [w["page"] for w in fallbacks(result)] == [1, 2]
    for warning in fallbacks(result):
        assert warning["message"].startswith(f"page {warning['page']}: the fast reader {why}")
        assert warning["message"].endswith("it was read again with pdfminer")
    assert strip_boxes(without_fallbacks(result), expected) == expected


@pytest.mark.skipif(not SEED_PDF.is_file(), reason="the seed has not been rendered")
def test_a_page_pdfminer_cannot_read_again_keeps_the_fast_reading_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lose_characters(monkeypatch)

    def damaged(path: Path, *args: object) -> object:
        raise CorruptDocument(f"{path.name}: the PDF is damaged")

    monkeypatch.setattr(pdf_plumber, "read_page", damaged)
    result = result_json(SEED_PDF)

    assert result["tables"] == []
    assert [w["message"] for w in fallbacks(result)] == [
        f"page {n}: the fast reader collected no character although the page shows text; "
        "pdfminer could not read it again (seed_reportlab.pdf: the PDF is damaged)"
        for n in (1, 2)
    ]


def test_spaces_are_where_pdfminer_has_them(tmp_path: Path) -> None:
    """A space shown on its own (PDFium leaves it out of its text page) comes back with pdfminer's
    box, and a jump between columns in the content stays a gap: no space is made up to fill it."""
    path = tmp_path / "spaces.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, 700, "48")
    canvas.drawString(400, 700, "100")
    canvas.drawString(100, 680, "a")
    canvas.drawString(105.5, 680, " ")
    canvas.drawString(106.8, 680, "b c")
    canvas.save()

    def chars(backend: str) -> list[tuple[str, float, float, float]]:
        (page,) = read_pages(path, lambda page: True, backend=backend)
        return sorted((c.text, round(c.x0, 3), round(c.x1, 3), round(c.bottom, 3)) for c in page.chars)

    # Across, the boxes are pdfminer's; up and down, a font without its own file (Helvetica here)
    # may stand a fraction of a point apart (PDFium's and pdfminer's descents of it differ), the
    # same for every character of a line, spaces too.
    found, expected = chars("pdfium"), chars("pdfplumber")
    assert [c[:3] for c in found] == [c[:3] for c in expected]
    assert len({(c[3], e[3]) for c, e in zip(found, expected, strict=True)}) == 2  # one per line
    assert [c[0] for c in found].count(" ") == 2


@pytest.mark.skipif(not CJK_FONT.is_file(), reason="the CJK test font is not installed")
def test_a_character_stands_on_its_fonts_descent_not_on_its_ink(tmp_path: Path) -> None:
    """A font whose stated descent is shallower than its glyphs' ink (a FangSong states -36): every
    character of a line keeps pdfminer's box, from the descent up. PDFium's loose box is united
    with the ink, which set 元 and 级 below 、 and 一 beside them."""
    pdfmetrics.registerFont(TTFont("CJK", str(CJK_FONT)))
    path = tmp_path / "descent.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setFont("CJK", 9)
    canvas.drawString(100, 700, "元、人。月")
    canvas.drawString(100, 680, "一级指标")
    canvas.save()
    stated = b"/Descent -238.2812"
    written = path.read_bytes()
    assert stated in written
    path.write_bytes(written.replace(stated, b"/Descent -36".ljust(len(stated))))

    def chars(backend: str) -> list[tuple[str, float, float, float, float]]:
        (page,) = read_pages(path, lambda page: True, backend=backend)
        return sorted(
            (c.text, round(c.x0, 3), round(c.x1, 3), round(c.top, 3), round(c.bottom, 3)) for c in page.chars
        )

    found = chars("pdfium")
    assert found == chars("pdfplumber")
    assert len({c[4] for c in found}) == 2  # one bottom per line


@pytest.mark.skipif(not MONITOR_PDF.is_file(), reason="the generated samples have not been rendered")
def test_a_font_without_stated_metrics_keeps_its_lines_whole() -> None:
    """LibreOffice states /Ascent 0 /Descent 0 for WenQuanYi Micro Hei; PDFium guesses a descent
    above the baseline from the glyph drawn for ``g``, and its loose boxes became the glyphs' ink:
    ``·`` and ``一`` stood above their lines, read as lines of their own (``≤300 / ·元人月``)."""
    for backend in PDF_BACKENDS:
        cells = {cell.text for grid in read(MONITOR_PDF, backend=backend).grids for cell in grid.cells}
        assert {"≤300元/人·月", "一级指标"} <= cells, backend
