"""``--ocr`` on the commands that parse: a scan is read by OCR by default and its records flagged,
through parse and through batch's workers and catalog; ``--ocr off`` keeps today's error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from PIL import Image

from extractor.cli import main
from extractor.harvest.catalog import Catalog
from extractor.look.overlay import CELL_OUTLINE, TABLE_OUTLINE

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "samples" / "scans" / "project_service_scan.jpg"
SEED = ROOT / "samples" / "seed" / "seed.txt"


def test_parse_reads_a_scan_by_ocr_and_flags_its_records(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["parse", str(SCAN), "--to", "json", "--to", "csv", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*.json")
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["source"]["format"] == "image"
    assert {t["reader"] for t in document["tables"]} == {"ocr"}
    assert "ocr_page" in {w["code"] for w in document["warnings"]}
    indicators = pd.read_csv(tmp_path / "indicators.csv")
    assert len(indicators) > 0 and set(indicators["ocr"]) == {1}


def test_ocr_off_leaves_a_scan_unread(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["parse", str(SCAN), "--ocr", "off", "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 1
    assert "no_text_layer" in result.output


def test_batch_takes_scans_from_a_folder_and_passes_ocr_to_its_workers(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SCAN, folder / SCAN.name)
    shutil.copy(SEED, folder / SEED.name)
    for mode, out in (("off", tmp_path / "off"), ("auto", tmp_path / "auto")):
        result = CliRunner().invoke(main, ["batch", str(folder), "--out", str(out), "--ocr", mode])
        assert result.exit_code == 0, result.output
    with Catalog.open(tmp_path / "off") as catalog:
        errors = catalog.select("SELECT file_name, error_code FROM documents ORDER BY file_name")
    assert errors == [(SCAN.name, "no_text_layer"), (SEED.name, None)]
    with Catalog.open(tmp_path / "auto") as catalog:
        readers = catalog.select(
            "SELECT d.file_name, t.reader FROM doc_tables AS t JOIN documents AS d ON d.id = t.document_id"
        )
        flags = catalog.select(
            "SELECT d.file_name, MIN(i.ocr), MAX(i.ocr) FROM indicators AS i "
            "JOIN documents AS d ON d.id = i.document_id GROUP BY d.file_name ORDER BY d.file_name"
        )
    assert {name: reader for name, reader in readers if name == SCAN.name} == {SCAN.name: "ocr"}
    assert flags == [(SCAN.name, 1, 1), (SEED.name, 0, 0)]


def test_inspect_draws_the_cells_read_from_a_scanned_image(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["inspect", str(SCAN), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "page-1.png") as page:
        colours = {colour for _, colour in page.convert("RGB").getcolors(1 << 20) or []}
    assert {TABLE_OUTLINE[:3], CELL_OUTLINE[:3]} <= colours  # the table and its cells drawn on it
    assert 'src="page-1.png"' in (tmp_path / "index.html").read_text(encoding="utf-8")
