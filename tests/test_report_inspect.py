"""``extractor report --inspect``: the inspections run in the batch's worker processes, give the
same pages with one worker or two, show progress as batch does, and a failed document stops
nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.look.inspect import INDEX_NAME, inspection_folder_name
from extractor.look.report import INSPECT_DIR, REPORT_NAME
from extractor.pipeline import parse
from tests.goldens import ROOT

SEED = ROOT / "samples" / "seed"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch's catalog of a PDF, a Word document and a broken PDF (beside the catalog's folder)."""
    folder = tmp_path_factory.mktemp("run") / "catalog"
    broken = broken_pdf(folder)
    broken.write_bytes(b"%PDF-1.4 nothing else")
    files = [str(SEED / "seed_reportlab.pdf"), str(SEED / "seed_word.docx"), str(broken)]
    done = CliRunner().invoke(main, ["batch", *files, "--out", str(folder), "--workers", "1"])
    assert done.exit_code == 0, done.output
    return folder


def broken_pdf(catalog: Path) -> Path:
    return catalog.parent / "broken.pdf"


def written(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_workers_write_what_one_does_with_progress(catalog: Path, tmp_path: Path) -> None:
    pages: list[dict[str, bytes]] = []
    for workers in ("1", "2"):
        out = tmp_path / workers
        args = ["report", str(catalog), "--inspect", "--workers", workers, "--out", str(out)]
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 0, done.output
        progress = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
        assert sorted(p["position"] for p in progress) == [1, 2, 3]
        assert {p["total"] for p in progress} == {3}
        assert sorted(Path(p["file"]).name for p in progress) == [
            "broken.pdf",
            "seed_reportlab.pdf",
            "seed_word.docx",
        ]
        assert "3 documents inspected: 2 done, 1 failed" in done.stderr
        assert (out / REPORT_NAME).is_file()
        pages.append(written(out / INSPECT_DIR))
    one, two = pages
    assert one == two
    pdf = inspection_folder_name("seed_reportlab.pdf", parse(SEED / "seed_reportlab.pdf").source.sha256)
    assert {f"{pdf}/{name}" for name in (INDEX_NAME, "page-1.png", "page-2.png")} <= set(one)


def test_a_failed_document_stops_nothing(catalog: Path, tmp_path: Path) -> None:
    broken = broken_pdf(catalog)
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    gone, now_a_folder = tmp_path / "gone.txt", tmp_path / "now_a_folder.txt"
    text = (SEED / "seed.txt").read_text(encoding="utf-8")
    gone.write_text(text, encoding="utf-8")
    now_a_folder.write_text(text + "\n", encoding="utf-8")  # other bytes: another document
    args = ["batch", str(gone), str(now_a_folder), "--out", str(catalog), "--workers", "1"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    gone.unlink()
    now_a_folder.unlink()
    now_a_folder.mkdir()
    out = tmp_path / "out"
    done = CliRunner().invoke(main, ["report", str(catalog), "--inspect", "--out", str(out)])
    assert done.exit_code == 0, done.output
    lines = done.stderr.splitlines()
    (failed,) = [line for line in lines if not line.startswith("{") and "broken.pdf" in line]
    assert failed.startswith(f"{broken}: corrupt: ")
    assert f"left out: {gone}: No such file or directory" in lines
    assert f"left out: {now_a_folder}: not a regular file" in lines
    html = (out / REPORT_NAME).read_text(encoding="utf-8")
    assert "5 documents" in html
    inspected = {p.parent.name.rsplit("-", 1)[0] for p in (out / INSPECT_DIR).glob(f"*/{INDEX_NAME}")}
    assert inspected == {"broken.pdf", "seed_reportlab.pdf", "seed_word.docx"}
    broken_page = next((out / INSPECT_DIR).glob(f"broken.pdf-*/{INDEX_NAME}"))
    assert "error corrupt" in broken_page.read_text(encoding="utf-8")


def test_report_help_names_workers_and_workers_need_inspect(catalog: Path) -> None:
    shown = CliRunner().invoke(main, ["report", "--help"])
    assert shown.exit_code == 0 and "--workers" in shown.output and "Exit status" in shown.output
    misused = CliRunner().invoke(main, ["report", str(catalog), "--workers", "2"])
    assert misused.exit_code == 2 and "--workers is for --inspect" in misused.output
