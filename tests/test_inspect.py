"""``extractor inspect`` and ``extractor report``: the page images have the cell boxes where the
golden grid has its cells, and the HTML loads in headless Chromium without console errors,
with the spans of the golden grid."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image

from extractor.cli import main
from extractor.look.inspect import INDEX_NAME, inspection_folder_name
from extractor.look.overlay import CELL_OUTLINE, DEFAULT_SCALE, TABLE_OUTLINE
from extractor.look.report import REPORT_NAME
from extractor.pipeline import parse
from tests.goldens import ROOT, golden_dir

SEED = ROOT / "samples" / "seed"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def golden_cells(sample: Path) -> list[dict[str, Any]]:
    result = json.loads((golden_dir(sample) / "result.json").read_text(encoding="utf-8"))
    (table,) = result["tables"]
    cells: list[dict[str, Any]] = table["grid"]["cells"]
    return cells


def test_page_images_outline_every_golden_cell(tmp_path: Path) -> None:
    sample = SEED / "seed_reportlab.pdf"
    out = tmp_path / "inspect"
    done = CliRunner().invoke(main, ["inspect", str(sample), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in out.glob("*.png")) == ["page-1.png", "page-2.png"]
    (table,) = parse(sample).tables
    anchors = {(c.row, c.col): c for c in table.grid.cells}
    outlined = {tuple(CELL_OUTLINE[:3]), tuple(TABLE_OUTLINE[:3])}
    images = {n: Image.open(out / f"page-{n}.png").convert("RGB") for n in (1, 2)}
    checked = 0
    for golden in golden_cells(sample):
        cell = anchors[(golden["row"], golden["col"])]
        assert (cell.rowspan, cell.colspan, cell.text) == (
            golden["rowspan"],
            golden["colspan"],
            golden["text"],
        )
        if cell.bbox is None or cell.page is None:
            continue  # a cell the stitcher made for a label left blank on the next page
        image = images[cell.page]
        middle = round((cell.bbox.x0 + cell.bbox.x1) / 2 * DEFAULT_SCALE)
        edges = (round(cell.bbox.top * DEFAULT_SCALE), round(cell.bbox.bottom * DEFAULT_SCALE))
        for y in edges:
            near = {image.getpixel((middle, y + dy)) for dy in (-1, 0, 1)}
            assert near & outlined, (golden, cell.page, y)
        checked += 1
    assert checked >= len(golden_cells(sample)) - 2


def test_inspect_pages_of_a_pdf_and_of_other_formats(tmp_path: Path) -> None:
    pdf = CliRunner().invoke(
        main, ["inspect", str(SEED / "seed_reportlab.pdf"), "--page", "2", "--out", str(tmp_path / "p")]
    )
    assert pdf.exit_code == 0, pdf.output
    assert [p.name for p in (tmp_path / "p").glob("*.png")] == ["page-2.png"]
    docx = CliRunner().invoke(main, ["inspect", str(SEED / "seed_word.docx"), "--out", str(tmp_path / "w")])
    assert docx.exit_code == 0, docx.output
    html = (tmp_path / "w" / INDEX_NAME).read_text(encoding="utf-8")
    assert not list((tmp_path / "w").glob("*.png"))
    assert 'class="row-header"' in html and "<h3>indicators (82)</h3>" in html
    assert "≥" in html and "<h3>funds (23)</h3>" in html
    # A warning about one row stands beside that row's cells.
    (flagged,) = [row for row in html.split("<tr") if "<b>orphan_money_header</b>" in row]
    assert 'class="warn"' in flagged and ">全年预算数</td>" in flagged
    workbook = CliRunner().invoke(
        main, ["inspect", str(SEED / "seed_workbook.xlsx"), "--out", str(tmp_path / "x")]
    )
    assert workbook.exit_code == 0, workbook.output
    assert "sheet 绩效目标表 A3:G78" in (tmp_path / "x" / INDEX_NAME).read_text(encoding="utf-8")
    listed = CliRunner().invoke(main, ["parse", str(SEED / "seed_workbook.xlsx"), "--summary"])
    assert "绩效目标表!A3:G78" in listed.stdout
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    failed = CliRunner().invoke(main, ["inspect", str(broken), "--out", str(tmp_path / "b")])
    assert failed.exit_code == 1
    assert "error corrupt" in (tmp_path / "b" / INDEX_NAME).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Chromium (Debian's, which the Makefile installs) driven by Playwright."""
    if CHROMIUM is None:
        pytest.skip("no Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _load(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """Open ``path`` in a new page; return it and the console errors, uncaught page errors and
    failed requests its loading caused."""
    errors: list[str] = []
    page = browser.new_page()

    def on_console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


def test_inspection_html_in_chromium_has_the_golden_spans(tmp_path: Path, chromium: Any) -> None:
    sample = SEED / "seed_word.docx"
    assert CliRunner().invoke(main, ["inspect", str(sample), "--out", str(tmp_path)]).exit_code == 0
    page, errors = _load(chromium, tmp_path / INDEX_NAME)
    assert errors == []
    rendered = page.eval_on_selector_all(
        "table.grid td[data-row]",
        "cells => cells.map(c => [+c.dataset.row, +c.dataset.col, c.rowSpan, c.colSpan, c.innerText])",
    )
    golden = [[c["row"], c["col"], c["rowspan"], c["colspan"], c["text"]] for c in golden_cells(sample)]
    assert sorted(r[:4] for r in rendered) == sorted(g[:4] for g in golden)
    assert sorted(r[4] for r in rendered) == sorted(g[4].replace("\n", "\n") for g in golden)
    shot = tmp_path / "inspect.png"
    page.screenshot(path=str(shot), full_page=True)
    with Image.open(shot) as image:
        assert image.size[0] >= 800 and image.size[1] > 1000  # the whole long page


def test_batch_report_opens_offline_and_links_every_document(tmp_path: Path, chromium: Any) -> None:
    out = tmp_path / "run"
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 broken")
    samples = [str(SEED / "seed.txt"), str(SEED / "seed_reportlab.pdf"), str(broken)]
    done = CliRunner().invoke(main, ["batch", *samples, "--out", str(out), "--workers", "1"])
    assert done.exit_code == 0, done.output
    assert f"report: {out / REPORT_NAME}" in done.stderr
    html = (out / REPORT_NAME).read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<script" not in html
    page, errors = _load(chromium, out / REPORT_NAME)
    assert errors == []
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    result = parse(SEED / "seed_reportlab.pdf")
    wanted = f"inspect/{inspection_folder_name('seed_reportlab.pdf', result.source.sha256)}/{INDEX_NAME}"
    assert wanted in links
    assert len(set(links)) == 3  # every document, the broken one too
    assert "corrupt" in page.inner_text("body")
    for link in set(links):
        assert _load(chromium, out / link)[1] == [], link
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_report_of_a_postgresql_catalog(tmp_path: Path, postgres_url: str) -> None:
    samples = [str(SEED / "seed.txt"), str(SEED / "seed_reportlab.pdf")]
    done = CliRunner().invoke(main, ["batch", *samples, "--catalog", postgres_url, "--workers", "1"])
    assert done.exit_code == 0, done.output
    needs_out = CliRunner().invoke(main, ["report", postgres_url])
    assert needs_out.exit_code == 2 and "--out" in needs_out.output
    reported = CliRunner().invoke(main, ["report", postgres_url, "--out", str(tmp_path), "--inspect"])
    assert reported.exit_code == 0, reported.output
    html = (tmp_path / REPORT_NAME).read_text(encoding="utf-8")
    assert "2 documents" in html and "department_performance_targets" in html
    pdf = parse(SEED / "seed_reportlab.pdf")
    inspected = tmp_path / "inspect" / inspection_folder_name("seed_reportlab.pdf", pdf.source.sha256)
    assert sorted(p.name for p in inspected.iterdir()) == [INDEX_NAME, "page-1.png", "page-2.png"]


def test_a_huge_page_is_drawn_within_the_pixel_cap(tmp_path: Path) -> None:
    """A 1 KB PDF with a page 200 inches square took 5.8 GB to draw and died in PIL; its image
    is now scaled down to MAX_PAGE_PIXELS."""
    from PIL import Image
    from reportlab.pdfgen import canvas

    from extractor.look.overlay import MAX_PAGE_PIXELS, capped_scale

    pdf = tmp_path / "huge.pdf"
    drawing = canvas.Canvas(str(pdf), pagesize=(14_400, 14_400))
    drawing.rect(100, 100, 400, 200)
    drawing.drawString(120, 150, "合计 1")
    drawing.showPage()
    drawing.save()
    result = CliRunner().invoke(main, ["inspect", str(pdf), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "out" / "page-1.png") as image:
        width, height = image.size
    assert width * height <= MAX_PAGE_PIXELS * 1.01  # the legend strip below the page
    assert capped_scale(595, 842, 2.0) == 2.0  # an A4 page keeps the usual scale
