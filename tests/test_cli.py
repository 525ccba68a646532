"""The command line, driven in-process: JSON and CSV outputs, coded errors, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from extractor.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "seed" / "seed.txt"
SCHEMA = json.loads((ROOT / "extractor" / "schema" / "result.schema.json").read_text(encoding="utf-8"))


def test_parse_prints_json_that_matches_the_schema() -> None:
    result = CliRunner().invoke(main, ["parse", str(SEED)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["error"] is None
    assert document["source"]["format"] == "txt"
    assert [t["kind"] for t in document["tables"]] == ["department_performance_targets"]


def test_parse_to_csv_writes_the_datasets(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["parse", str(SEED), "--to", "csv", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    header = (tmp_path / "indicators.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == (
        "source,sha256,table,page,sheet,ocr,table_kind,table_title,org,year,stage,scope,level1,level2,level3,key_work,project,"
        "target_label,target_raw,op,value,value_max,unit,kind,weight,score,remark,reasons,likelihood"
    )
    wide = (tmp_path / "indicators_wide.csv").read_text(encoding="utf-8").splitlines()
    assert len(wide) == 1 + 41  # one row per indicator
    assert len((tmp_path / "funds.csv").read_text(encoding="utf-8").splitlines()) == 1 + 23
    assert "seed.txt" in result.stderr


def test_csv_needs_a_folder() -> None:
    result = CliRunner().invoke(main, ["parse", str(SEED), "--to", "csv"])
    assert result.exit_code == 2
    assert "--out DIR" in result.output


def test_unreadable_file_gives_a_coded_error_and_exit_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n this is not a pdf")
    result = CliRunner().invoke(main, ["parse", str(broken)])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["error"]["code"] == "corrupt"
    assert document["tables"] == []


def test_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "nope.html")])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == "not_found"
    # The error is said on standard error too, one line, whatever --to is.
    assert f"{tmp_path / 'nope.html'}: not_found: " in result.stderr
    csv = CliRunner().invoke(
        main, ["parse", str(tmp_path / "nope.html"), "--to", "csv", "--out", str(tmp_path / "o")]
    )
    assert csv.exit_code == 1 and f"{tmp_path / 'nope.html'}: not_found: " in csv.stderr


def test_a_folder_is_pointed_to_batch(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["parse", str(tmp_path)])
    assert result.exit_code == 2
    assert f"is a folder: `extractor batch {tmp_path} --out DIR`" in result.stderr


def test_inspect_says_what_went_wrong(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["inspect", str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "i")])
    assert missing.exit_code == 1 and ": not_found: " in missing.stderr.splitlines()[0]
    pdf = ROOT / "samples" / "seed" / "seed_reportlab.pdf"
    beyond = CliRunner().invoke(main, ["inspect", str(pdf), "--page", "99", "--out", str(tmp_path / "j")])
    assert beyond.exit_code == 2 and "no page 99" in beyond.stderr


def test_a_pdf_without_a_table_is_warned_like_any_other_format(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "prose.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(60, 700, "No table here")
    canvas.save()
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0
    assert [w["code"] for w in json.loads(result.stdout)["warnings"]] == ["no_tables"]


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("extractor, version ")


def test_a_docx_named_pdf_is_read_as_docx_with_a_warning(tmp_path: Path) -> None:
    renamed = tmp_path / "table.pdf"
    renamed.write_bytes((ROOT / "samples" / "seed" / "seed_word.docx").read_bytes())
    document = json.loads(CliRunner().invoke(main, ["parse", str(renamed)]).stdout)
    assert document["source"]["format"] == "docx"
    assert "format_mismatch" in [w["code"] for w in document["warnings"]]
    assert len(document["tables"][0]["indicators"]) == 82


def test_json_and_csv_together_for_several_files(tmp_path: Path) -> None:
    html = ROOT / "samples" / "seed" / "seed_portal_gbk.html"
    result = CliRunner().invoke(
        main, ["parse", str(SEED), str(html), "--to", "json", "--to", "csv", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fields.csv",
        "funds.csv",
        "indicators.csv",
        "indicators_wide.csv",
        "seed.txt.json",
        "seed_portal_gbk.html.json",
    ]
    rows = (tmp_path / "indicators.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 2 * 82
    assert "seed_portal_gbk.html" in result.stderr and "status" in result.stderr


def test_both_pdf_backends_give_the_same_json() -> None:
    pdf = ROOT / "samples" / "seed" / "seed_reportlab.pdf"
    outputs = {
        backend: CliRunner().invoke(main, ["parse", str(pdf), "--pdf-backend", backend])
        for backend in ("pdfium", "pdfplumber")
    }
    assert all(r.exit_code == 0 for r in outputs.values()), [r.output for r in outputs.values()]
    document = json.loads(outputs["pdfium"].stdout)
    assert document["tables"] and document["error"] is None
    assert outputs["pdfium"].stdout == outputs["pdfplumber"].stdout


def test_an_unknown_pdf_backend_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["parse", str(SEED), "--pdf-backend", "pdfminer"])
    assert result.exit_code == 2
    assert "pdfminer" in result.output


def test_same_named_inputs_do_not_overwrite_each_other(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    args = [
        "parse",
        str(tmp_path / "a" / "report.txt"),
        str(tmp_path / "b" / "report.txt"),
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a_report.txt.json", "b_report.txt.json"]
    assert json.loads((out / "b_report.txt.json").read_text(encoding="utf-8"))["source"]["path"].endswith(
        "b/report.txt"
    )


def test_csv_rows_name_their_file_by_the_path_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two report.txt from two folders stay apart in the datasets: ``source`` is the path as it
    was given, relative where it was relative."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["parse", "a/report.txt", "b/report.txt", "--to", "csv", "--out", "out"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "funds.csv").open(encoding="utf-8") as handle:
        sources = [row["source"] for row in csv.DictReader(handle)]
    assert sorted(set(sources)) == ["a/report.txt", "b/report.txt"]
    assert sources.count("a/report.txt") == sources.count("b/report.txt") == 23


def test_every_command_names_its_exit_codes() -> None:
    for command in ("parse", "inspect", "batch", "crawl", "report", "export"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Exit status: 0" in result.output, command


def test_the_top_level_help_and_version() -> None:
    """``extractor --help`` says what it reads and where the output is described, inside the
    repository; ``--version`` answers without a command."""
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "docs/contract.md" in text and "docs/kinds.md" in text and ".xls" in text and "--version" in text
    version = CliRunner().invoke(main, ["--version"])
    assert version.exit_code == 0 and version.output.strip() == "extractor, version 0.1.0"


def test_a_carriage_return_in_a_file_name_stays_inside_its_csv_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bare CR in ``source`` is quoted: every reader, pandas included, sees one row per record
    (unquoted, pandas read 46 rows for 23 records), from ``parse`` and from a catalog's export."""
    import pandas as pd

    monkeypatch.chdir(tmp_path)
    Path("a\rb.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    parsed = CliRunner().invoke(main, ["parse", "a\rb.txt", "--to", "csv", "--out", "out"])
    assert parsed.exit_code == 0, parsed.output
    batched = CliRunner().invoke(main, ["batch", "a\rb.txt", "--out", "run", "--workers", "1"])
    assert batched.exit_code == 0, batched.output
    exported = CliRunner().invoke(main, ["export", "run", "--to", "csv"])
    assert exported.exit_code == 0, exported.output
    for funds in (Path("out/funds.csv"), Path("run/export/funds.csv")):
        frame = pd.read_csv(funds, dtype=str, keep_default_na=False)
        assert len(frame) == 23 and set(frame["source"]) == {"a\rb.txt"}, funds


def test_parse_and_inspect_hold_a_time_limit_per_file(tmp_path: Path) -> None:
    """parse and inspect had no limit of time or memory: each file is now parsed in a worker
    process with --timeout and --max-memory, as in a batch (here a limit no parse can meet)."""
    parsed = CliRunner().invoke(main, ["parse", str(SEED), "--timeout", "0.001"])
    assert parsed.exit_code == 1
    assert json.loads(parsed.stdout)["error"]["code"] == "timeout"
    assert f"{SEED}: timeout: not parsed within 0.001 s" in parsed.stderr
    inspected = CliRunner().invoke(main, ["inspect", str(SEED), "--out", str(tmp_path), "--timeout", "0.001"])
    assert inspected.exit_code == 1
    assert "error timeout" in (tmp_path / "index.html").read_text(encoding="utf-8")
    for command in ("parse", "inspect", "report", "batch"):
        text = CliRunner().invoke(main, [command, "--help"]).output
        assert "--timeout" in text and "--max-memory" in text, command
