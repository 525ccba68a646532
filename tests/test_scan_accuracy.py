"""What OCR gets right on a scanned table beyond its structure: the amounts, to the last lone 0.

A budget table is full of cells holding a lone ``0`` (a fund with nothing in that column). The
recogniser reads one right but is unsure of it (O, o and 0 look alike): before it was kept at
any confidence a digit alone, such cells came out empty, a wrong amount no self-check can see (an
empty cell and a 0 add the same). The scans are made as in tests/test_ocr.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from extractor.readers import read
from tests.test_ocr import DPI, FONT, FONT_PATH, Box, anchors, expected, render, scan, table_pdf

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="the CJK test font is not installed")


@pytest.fixture(scope="module", autouse=True)
def cjk_font() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))


#: Amounts of a fund table in which most columns are empty of money: lone zeros.
ZEROS = (
    ("201", "一般公共服务支出", "1,525,200.00", "0", "1,525,200.00"),
    ("20101", "人大事务", "85,000.00", "0", "85,000.00"),
    ("2010101", "行政运行", "0", "0", "0"),
    ("205", "教育支出", "0", "0", "0"),
    ("208", "社会保障和就业支出", "71,887.00", "71,887.00", "0"),
)


def test_lone_zero_cells_of_a_scanned_table_read_as_0(tmp_path: Path) -> None:
    header = [Box(0, 0, "科目编码"), Box(0, 1, "科目名称"), Box(0, 2, "合计"), Box(0, 3, "基本支出")]
    header.append(Box(0, 4, "项目支出"))
    body = [Box(1 + r, c, text) for r, row in enumerate(ZEROS) for c, text in enumerate(row)]
    boxes = [*header, *body]
    path = tmp_path / "zeros.jpg"
    scan(render(table_pdf([(boxes, 1 + len(ZEROS), ("2025年一般公共预算支出表",))]))).save(
        path, format="JPEG", quality=90, dpi=(DPI, DPI)
    )

    (grid,) = read(path, "image").grids

    assert anchors(grid) == expected(boxes)
    zeros = [c for c in grid.cells if c.text == "0"]
    assert len(zeros) == sum(row.count("0") for row in ZEROS)
    # Kept though the engine is unsure: the confidence says so, for the self-checks to name it.
    assert all(c.confidence is not None and c.confidence < 1.0 for c in zeros)
