"""Every sample's full output equals its reviewed golden; all seed renderings agree."""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pytest

from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND, PDF_BACKENDS
from tests.goldens import CSV_NAMES, ROOT, converter_missing, diff, golden_dir, render, sample_files

SAMPLES = sample_files()
PROVENANCE = {"source", "sha256", "table", "page", "sheet"}  # where in the file, not what it says
JOINED_COLUMNS = {"path", "column", "row_path", "column_path"}
MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|&[a-z]+;")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_every_seed_rendering_is_bundled() -> None:
    suffixes = {p.suffix for p in SAMPLES}
    assert {".txt", ".html", ".docx", ".pdf", ".xlsx", ".xls", ".doc"} <= suffixes
    assert sum(1 for p in SAMPLES if p.suffix == ".pdf") >= 2


def _with_backends(samples: list[Path]) -> list[tuple[Path, str]]:
    """Each sample with the default PDF backend, and each PDF with every backend as well."""
    return [
        (sample, backend)
        for sample in samples
        for backend in (PDF_BACKENDS if sample.suffix == ".pdf" else (DEFAULT_PDF_BACKEND,))
    ]


@pytest.mark.parametrize(
    ("sample", "pdf_backend"), _with_backends(SAMPLES), ids=lambda v: v.name if isinstance(v, Path) else v
)
def test_output_matches_golden(sample: Path, pdf_backend: str) -> None:
    """The goldens were made with the pdfplumber backend; every backend must give them back."""
    if converter_missing(sample):
        pytest.skip("LibreOffice (soffice) is not installed; make test installs it")
    target = golden_dir(sample)
    actual = render(sample, pdf_backend=pdf_backend)
    problems = []
    for name, text in actual.items():
        golden = target / name
        if not golden.exists():
            problems.append(f"missing golden {golden.relative_to(ROOT)}: run `make golden` and review it")
        elif (expected := golden.read_text(encoding="utf-8")) != text:
            problems.append(diff(expected, text, f"{sample.name}/{name}"))
    assert not problems, "\n".join(problems)


def _records(sample: Path, name: str) -> list[dict[str, str]]:
    text = render(sample)[name]
    return [
        {k: v for k, v in row.items() if k not in PROVENANCE} for row in csv.DictReader(io.StringIO(text))
    ]


@pytest.mark.parametrize("name", CSV_NAMES)
def test_all_renderings_give_the_same_records(name: str) -> None:
    reference = SAMPLES[[p.suffix for p in SAMPLES].index(".txt")]
    expected = _records(reference, name)
    assert expected, f"the seed text gives no {name} rows"
    for sample in SAMPLES:
        if sample == reference or converter_missing(sample):
            continue
        actual = _records(sample, name)
        assert actual == expected, f"{sample.name} differs from {reference.name} in {name}"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_no_markup_or_layout_whitespace_in_values(sample: Path) -> None:
    if converter_missing(sample):
        pytest.skip("LibreOffice (soffice) is not installed; make test installs it")
    for name in CSV_NAMES:
        for row in csv.DictReader(io.StringIO(render(sample)[name])):
            for column, raw_value in row.items():
                # Paths join their parts with " / " (CONTRACT §2); check each part.
                value = raw_value.replace(" / ", "/") if column in JOINED_COLUMNS else raw_value
                assert not MARKUP.search(value), f"markup in {name}.{column}: {value!r}"
                assert "\xa0" not in value and "\t" not in value
                assert value == value.strip(), f"{name}.{column} has outer white space: {value!r}"
                assert "  " not in value, f"{name}.{column} has doubled spaces: {value!r}"
                for a, b in itertools.pairwise(value):
                    assert not (a == " " and _cjk(b)) and not (b == " " and _cjk(a)), (
                        f"layout space beside CJK in {name}.{column}: {value!r}"
                    )


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
