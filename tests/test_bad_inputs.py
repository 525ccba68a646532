"""Broken and hostile inputs (``samples/make_bad_inputs.py``) batched together with the seed
samples: every bad file ends with its expected code inside its limits, every good file gives
its golden result, the catalog holds every good record, and the whole run ends in time."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.export import DATASET_COLUMNS, PROVENANCE_COLUMNS, dataset_rows, dumps
from extractor.harvest.batch import run_batch
from extractor.harvest.catalog import Catalog
from extractor.limits import Limits
from extractor.names import printable, safe_file_name, utf8_text
from extractor.pipeline import parse
from tests.goldens import ROOT, converter_missing, golden_dir, sample_files

sys.path.insert(0, str(ROOT / "samples"))
from make_bad_inputs import CASES, write_corpus

#: The whole batch (about 40 files, some built to be slow) on two workers; a CI machine with
#: two cores takes about a third of it.
BATCH_SECONDS = 240
FILE_TIMEOUT_S = 90
EMPTY_FILES = [c for c in CASES if c.name.startswith(b"empty")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("bad")
    return folder, write_corpus(folder)


def test_the_corpus_covers_what_it_promises(corpus: tuple[Path, dict[str, str]]) -> None:
    folder, expected = corpus
    assert len(expected) >= len(CASES)
    names = {os.fsdecode(n) for n in os.listdir(os.fsencode(folder))} - {"expected.json"}
    assert names == set(expected)
    zip_bomb = folder / "zip_bomb.docx"
    assert zip_bomb.stat().st_size < 1 << 20  # small on disk, huge unzipped


def test_bad_inputs_and_good_samples_in_one_batch(
    corpus: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, expected = corpus
    good = [p for p in sample_files() if not converter_missing(p)]
    monkeypatch.chdir(ROOT)  # the goldens name their samples relative to the project
    # The folder's text files are taken when their head reads as a table, in UTF-8, GBK or (by
    # its mark) UTF-16: Excel's "Unicode text" export among them.
    inputs = [str(p.relative_to(ROOT)) for p in good] + [str(folder)]
    started = time.monotonic()
    report = run_batch(inputs, tmp_path / "catalog", workers=2, timeout=FILE_TIMEOUT_S)
    assert time.monotonic() - started < BATCH_SECONDS

    outcomes = {Path(o.origin).name: o for o in report.outcomes}
    # Files with the same bytes (the empty ones) are one document, parsed once: the others
    # are skipped and named as its origins.
    empty_names = [os.fsdecode(c.name) for c in EMPTY_FILES]
    parsed_empty = [n for n in empty_names if outcomes[n].status != "skipped"]
    assert len(parsed_empty) == 1 and outcomes[parsed_empty[0]].error_code == "corrupt"
    codes = {name: outcomes[utf8_text(name)].error_code or "" for name in expected if name not in empty_names}
    assert codes == {name: code for name, code in expected.items() if name not in empty_names}
    for sample in good:
        result = outcomes[sample.name].result
        assert result is not None
        golden = (golden_dir(sample) / "result.json").read_text(encoding="utf-8")
        assert dumps(result) == golden, sample.name

    # Damage that readers recover from costs nothing: the same tables as the intact file.
    intact = outcomes["seed_reportlab.pdf"].result
    for repaired in ("broken_xref.pdf", "owner_password.pdf"):
        result = outcomes[repaired].result
        assert result is not None and intact is not None
        assert result.tables == intact.tables, repaired
    renamed = outcomes["not-utf8-\\xff\\xfe.txt"].result
    assert renamed is not None and renamed.source.path.endswith("not-utf8-\\xff\\xfe.txt")

    with Catalog.open(tmp_path / "catalog") as catalog:
        _, documents = catalog.rows("documents")
        # One document per content: the empty files are one document, each other file its own.
        contents = {o.result.source.sha256 for o in report.outcomes if o.result is not None}
        assert len(documents) == len(contents) == len(good) + len(expected) - len(EMPTY_FILES) + 1
        empty_sha = outcomes[parsed_empty[0]].result.source.sha256  # type: ignore[union-attr]
        origins = catalog.select(
            "SELECT o.origin FROM origins AS o JOIN documents AS d ON d.id = o.document_id "
            "WHERE d.sha256 = ?",
            (empty_sha,),
        )
        assert sorted(Path(str(o)).name for (o,) in origins) == sorted(empty_names)
        for dataset, columns in DATASET_COLUMNS.items():
            header, rows = catalog.rows(dataset)
            for sample in good:
                result = outcomes[sample.name].result
                assert result is not None
                wanted = [
                    tuple(r[c] for c in (*PROVENANCE_COLUMNS, *columns))
                    for r in dataset_rows([result], dataset)
                ]
                source = header.index("source")
                mine = [r for r in rows if r[source] == result.source.path]
                assert mine == wanted, (dataset, sample.name)


def test_every_limit_names_itself_and_how_to_raise_it(tmp_path: Path) -> None:
    seed_pdf = ROOT / "samples" / "seed" / "seed_reportlab.pdf"
    html = tmp_path / "rows.html"
    html.write_text("<table>" + "<tr><td>a</td><td>1</td></tr>" * 50 + "</table>", encoding="utf-8")
    cases = [
        (seed_pdf, Limits(max_file_mb=1) if seed_pdf.stat().st_size > 1 << 20 else Limits(max_pages=1)),
        (html, Limits(max_cells=99)),
        (ROOT / "samples" / "seed" / "seed_word.docx", Limits(max_unzipped_mb=0)),
        (ROOT / "samples" / "seed" / "seed_workbook.xlsx", Limits(max_cells=10)),
    ]
    options = ("--max-pages", "--max-cells", "--max-unzipped-mb", "--max-cells")
    for (path, limits), option in zip(cases, options, strict=True):
        result = parse(path, limits=limits)
        assert result.error is not None and result.error.code == "too_large", path.name
        assert f"raise it with {option}" in result.error.message
        assert parse(path).error is None  # the defaults let every sample through


def test_limits_are_options_of_parse_and_batch(tmp_path: Path) -> None:
    html = tmp_path / "rows.html"
    html.write_text("<table>" + "<tr><td>a</td><td>1</td></tr>" * 50 + "</table>", encoding="utf-8")
    parsed = CliRunner().invoke(main, ["parse", str(html), "--max-cells", "99"])
    assert parsed.exit_code == 1
    assert json.loads(parsed.stdout)["error"]["code"] == "too_large"
    batch = CliRunner().invoke(main, ["batch", str(html), "--out", str(tmp_path / "o"), "--max-cells", "99"])
    assert batch.exit_code == 0 and "too_large x1" in batch.stderr


def test_hostile_names_are_stored_shown_and_written_safely(tmp_path: Path) -> None:
    seed = (ROOT / "samples" / "seed" / "seed.txt").read_bytes()
    names = [b"control\x01\x1b[31mchars.txt", b"not-utf8-\xff\xfe.txt", b"..\xe2\x80\xaeevil.txt"]
    for name in names:
        with open(os.path.join(os.fsencode(tmp_path), name), "wb") as handle:
            handle.write(seed)
    files = [Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), n))) for n in names]
    parsed = CliRunner().invoke(main, ["parse", *map(str, files), "--out", str(tmp_path / "out")])
    assert parsed.exit_code == 0, parsed.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(f"{safe_file_name(f.name)}.json" for f in files)
    assert all(name.isprintable() and not name.startswith(".") for name in written)
    assert "\x1b" not in parsed.stderr and "\u202e" not in parsed.stderr
    assert printable("a\x1b[31mb") == "a\\x1b[31mb"
    assert utf8_text(files[1]).endswith("not-utf8-\\xff\\xfe.txt")


def test_a_pdf_without_readable_pages_is_corrupt_not_a_scan(corpus: tuple[Path, dict[str, str]]) -> None:
    """pdfminer finds no page behind the broken cross-references that pdfium rebuilds."""
    folder, _ = corpus
    broken = folder / "broken_xref.pdf"
    plumber = parse(broken, pdf_backend="pdfplumber")
    assert plumber.error is not None and plumber.error.code == "corrupt"
    assert "no page can be read" in plumber.error.message
    assert parse(broken).error is None


def test_stored_cells_are_counted_with_or_without_a_namespace_prefix(tmp_path: Path) -> None:
    """Cell elements, and merged ranges by the area they cover (openpyxl makes a cell of each
    position when it loads the sheet)."""
    import re
    import zipfile

    from openpyxl.utils.cell import range_boundaries

    seed = ROOT / "samples" / "seed" / "seed_workbook.xlsx"
    with zipfile.ZipFile(seed) as source:
        sheet = source.read("xl/worksheets/sheet1.xml").decode("utf-8")
        parts = {i.filename: source.read(i) for i in source.infolist()}
    merged = 0
    for ref in re.findall(r'<mergeCell ref="([^"]+)"', sheet):
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        merged += (last_row - first_row + 1) * (last_col - first_col + 1)
    stored = sheet.count("<c ") + merged
    assert stored > 100 and merged > 0
    prefixed = sheet.replace("<c ", "<x:c ").replace("</c>", "</x:c>").replace("<mergeCell ", "<x:mergeCell ")
    for name, text in (("plain.xlsx", sheet), ("prefixed.xlsx", prefixed)):
        with zipfile.ZipFile(tmp_path / name, "w", zipfile.ZIP_DEFLATED) as target:
            for part, data in parts.items():
                target.writestr(part, text.encode("utf-8") if part == "xl/worksheets/sheet1.xml" else data)
        result = parse(tmp_path / name, limits=Limits(max_cells=stored - 1))
        assert result.error is not None and result.error.code == "too_large", name
        assert f"stores {stored:,} cells" in result.error.message
