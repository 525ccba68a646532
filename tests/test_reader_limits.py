"""What one hostile file may cost each reader: a file past a limit ends ``too_large`` (never
``corrupt`` or ``internal_error``), found as early as its measure allows."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from extractor.errors import TooLarge
from extractor.limits import Limits
from extractor.pipeline import parse
from extractor.readers import read
from extractor.readers.pdf_page import PDF_BACKENDS
from tests.goldens import ROOT

sys.path.insert(0, str(ROOT / "samples"))
from make_bad_inputs import (
    _docx_empty_paragraphs,
    docx_dtd_elsewhere,
    docx_merges,
    html_spans,
    office_package,
    pasted_ragged,
    pdf_staggered_rectangles,
    xls_merge,
    xlsx_merged_sheet,
)

#: The batch's default memory limit per worker (``--max-memory``).
WORKER_MEMORY_MB = 2048


def parse_in_a_worker(path: Path, memory_mb: int = WORKER_MEMORY_MB) -> str:
    """The error code ``parse`` gives ``path`` in a process held to ``memory_mb`` of address space,
    as a batch worker is."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({memory_mb << 20}, {memory_mb << 20}))\n"
        "from extractor.pipeline import parse\n"
        "result = parse(sys.argv[1])\n"
        "print(result.error.code if result.error else 'ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120, cwd=path.parent
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_docx_whose_xml_exhausts_memory_is_too_large_not_corrupt(tmp_path: Path) -> None:
    """libxml2 says "unknown error" when it runs out of memory: that is the file's size, not damage."""
    path = tmp_path / "paragraphs.docx"
    path.write_bytes(_docx_empty_paragraphs())
    assert path.stat().st_size < 400_000
    assert parse_in_a_worker(path) == "too_large"


# --- merged cells count by the area they cover -----------------------------------------------


def test_an_xls_merge_reaching_column_65536_is_cut_at_the_sheet_s_edge(tmp_path: Path) -> None:
    """A merge record holds 16-bit positions; an .xls sheet has 256 columns."""
    path = tmp_path / "wide_merge.xls"
    path.write_bytes(xls_merge(1, 2, 0, 0xFFFF))
    result = parse(path)
    assert result.error is None
    assert [(t.grid.n_rows, t.grid.n_cols) for t in result.tables] == [(3, 256)]


def test_an_xls_merge_over_the_whole_sheet_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "sheet_merge.xls"
    path.write_bytes(xls_merge(0, 0xFFFF, 0, 0xFFFF))
    result = parse(path)
    assert result.error is not None and result.error.code == "too_large"
    assert "16,777,216 table cells" in result.error.message and "--max-cells" in result.error.message


def test_html_spans_count_by_the_area_they_cover(tmp_path: Path) -> None:
    """Each cell spans every row below it and a thousand columns: 29,001 × 1,000 positions apiece."""
    path = tmp_path / "spans.html"
    path.write_bytes(html_spans())
    assert path.stat().st_size < 600_000
    result = parse(path)
    assert result.error is not None and result.error.code == "too_large"
    assert "table 1 holds at least 29,001,000 table cells" in result.error.message


def test_word_merges_count_by_the_area_they_cover(tmp_path: Path) -> None:
    path = tmp_path / "merges.docx"
    path.write_bytes(docx_merges())
    assert path.stat().st_size < 100_000
    result = parse(path)
    assert result.error is not None and result.error.code == "too_large"
    assert "table cells (a merged cell counted by the area it covers)" in result.error.message


def test_pasted_text_counts_the_padding_of_short_lines(tmp_path: Path) -> None:
    """One line of 100,000 tabs under 100,000 short lines: a grid of 10^10 cells, padded."""
    path = tmp_path / "ragged.txt"
    path.write_bytes(pasted_ragged())
    result = parse(path)
    assert result.error is not None and result.error.code == "too_large"


def test_pdf_rulings_count_the_grid_they_make(tmp_path: Path) -> None:
    """A hundred staggered rectangles rule a grid of 199 × 199 positions and about 10,000 boxes."""
    path = tmp_path / "staggered.pdf"
    path.write_bytes(pdf_staggered_rectangles(100))
    for backend in PDF_BACKENDS:
        with pytest.raises(TooLarge, match=r"page 1 holds at least 39,601 table cells"):
            read(path, "pdf", pdf_backend=backend, limits=Limits(max_cells=20_000))
        assert read(path, "pdf", pdf_backend=backend, limits=Limits(max_cells=40_000)).grids


# --- what an Office package holds, looked at before it is parsed -----------------------------


def test_cells_stored_in_a_worksheet_part_of_any_name_are_counted(tmp_path: Path) -> None:
    """openpyxl reads a worksheet wherever the workbook's relationships point."""
    path = tmp_path / "elsewhere.xlsx"
    path.write_bytes(xlsx_merged_sheet(moved_to="xl/data/cells.bin"))
    with zipfile.ZipFile(path) as package:
        assert "xl/data/cells.bin" in package.namelist()
    result = parse(path)
    assert result.error is not None and result.error.code == "too_large"
    assert "a merged range counted by the area it covers" in result.error.message


def test_a_merged_range_counts_by_the_area_it_covers_before_openpyxl_loads_it(tmp_path: Path) -> None:
    """openpyxl makes a cell for every position of a merged range when it loads the sheet."""
    path = tmp_path / "merged.xlsx"
    path.write_bytes(xlsx_merged_sheet())
    started = time.monotonic()
    result = parse(path)
    assert time.monotonic() - started < 10
    assert result.error is not None and result.error.code == "too_large"
    assert "a merged range counted by the area it covers" in result.error.message


def test_a_dtd_is_refused_in_a_part_of_any_name(tmp_path: Path) -> None:
    """python-docx parses the main document part wherever the package's relationships point,
    whatever it is called."""
    path = tmp_path / "renamed.docx"
    path.write_bytes(docx_dtd_elsewhere())
    result = parse(path)
    assert result.error is not None and result.error.code == "corrupt"
    assert "word/document.bin declares a DTD" in result.error.message


def test_a_web_page_chunk_may_have_a_doctype(tmp_path: Path) -> None:
    """Word imports an altChunk web page as HTML and never parses it as XML."""
    path = tmp_path / "chunk.docx"
    chunk = b"<!DOCTYPE html><html><body><p>imported</p></body></html>"
    types = zipfile.ZipFile(ROOT / "samples" / "seed" / "seed_word.docx").read("[Content_Types].xml")
    types = types.replace(b"<Default ", b'<Default Extension="htm" ContentType="text/html"/><Default ', 1)
    path.write_bytes(
        office_package("seed_word.docx", {"word/chunk.htm": chunk, "[Content_Types].xml": types})
    )
    assert parse(path).error is None


# --- work in the length of a cell ------------------------------------------------------------


def test_a_cell_of_400_000_characters_costs_no_quadratic_time(tmp_path: Path) -> None:
    """A table's top cell is its title; jieba's HMM is quadratic in a run of characters it does not
    know (83 s for this cell), so only the start of a text longer than a title is cut into words."""
    rare = "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(400_000))
    table = f'<table><tr><td colspan="2">{rare}</td></tr><tr><td>合计</td><td>1</td></tr></table>'
    path = tmp_path / "long_cell.html"
    path.write_text(f'<meta charset="utf-8">{table}', encoding="utf-8")
    started = time.monotonic()
    result = parse(path)
    assert time.monotonic() - started < 6
    assert result.error is None and len(result.tables) == 1


def test_the_cell_limit_reaches_the_readers_through_parse(tmp_path: Path) -> None:
    """``parse(limits=Limits(max_cells=…))`` is spent by the readers (the pipeline handed them the
    default budget): one cell merged over 30 × 30 positions is 900 cells under a limit of 100."""
    from extractor import Limits, parse

    page = tmp_path / "cells.html"
    page.write_text(
        '<table><tr><td rowspan="30" colspan="30">项目</td><td>1</td></tr>'
        + "<tr><td>2</td></tr>" * 29
        + "</table>",
        encoding="utf-8",
    )
    assert parse(page).error is None
    limited = parse(page, limits=Limits(max_cells=100))
    assert limited.error is not None and limited.error.code == "too_large"
    assert "--max-cells" in limited.error.message
