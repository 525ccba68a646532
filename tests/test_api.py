"""The Python API as a notebook user meets it (issue 17): parse bytes or a file object, keep some
pages, look at a table as a frame and at its records, write the JSON and the frames; and this
file passes mypy --strict as a client of the package (``py.typed``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import extractor

ROOT = Path(__file__).resolve().parent.parent
WANLI = ROOT / "samples" / "real" / "final_dept_central_gjxfj_2024.pdf"
DOCX = ROOT / "samples" / "seed" / "seed_word.docx"
SHEET = ROOT / "samples" / "generated" / "basic_education_xlsx.xlsx"


def test_bytes_a_file_object_and_pages() -> None:
    data = WANLI.read_bytes()
    whole = extractor.parse(data, name="gjxfj.pdf")
    assert whole.error is None and whole.source.path == "gjxfj.pdf" and whole.source.format == "pdf"
    assert not [w for w in whole.warnings if w.code == "format_mismatch"]
    some = extractor.parse(io.BytesIO(data), pages=[30, 31])
    assert some.source.path == "<bytes>"
    assert [t.title for t in some.tables] == ["信访干部培训专项项目绩效自评表"]
    assert all(w.page in (None, 30, 31) for w in some.warnings)


def test_a_table_as_a_frame_and_the_json() -> None:
    result = extractor.parse(DOCX)
    table: extractor.Table = result.tables[0]
    frame = table.df
    assert frame.shape == (table.grid.n_rows, table.grid.n_cols)
    assert (frame == "单位名称").any().any()
    text = result.to_json()
    assert text == extractor.dumps(result)
    document = json.loads(text)
    assert document["schema_version"] == 4 and len(document["tables"][0]["indicators"]) == 82
    limits: extractor.Limits = extractor.DEFAULT_LIMITS
    assert extractor.parse(DOCX, limits=limits).tables[0].kind == table.kind


def test_a_tables_records_and_the_frames() -> None:
    """``Table.records`` lists a table's records as its JSON does; ``to_frames`` gives the
    datasets with the file's provenance, one row per record."""
    result = extractor.parse(DOCX)
    table = result.tables[0]
    indicators = table.records("indicators")
    assert indicators == json.loads(result.to_json())["tables"][0]["indicators"]
    assert indicators[0]["level1"] == "决策" and "page" in indicators[0]
    everything = table.records()
    assert {r["dataset"] for r in everything} == {"indicators", "funds", "fields"}
    assert len(everything) == len(table.indicators) + len(table.funds) + len(table.fields)
    frames = result.to_frames()
    assert len(frames["indicators"]) == len(indicators)
    assert set(frames["indicators"]["source"]) == {str(DOCX)}
    try:
        table.records("rows")
    except ValueError as exc:
        assert "indicators, funds, fields, cells" in str(exc)
    else:
        raise AssertionError("an unknown dataset was accepted")


def test_a_workbook_table_names_its_sheet_and_range() -> None:
    """Workbook tables have no pages: their sheet and A1 range trace a record to its cells."""
    result = extractor.parse(SHEET)
    [table] = result.tables
    assert (table.sheet, table.cell_range, table.pages) == ("基本支出表", "A3:E17", ())
    assert table.grid.n_rows == 15
    assert set(result.to_frames()["funds"]["sheet"]) == {"基本支出表"}
    assert json.loads(result.to_json())["tables"][0]["cell_range"] == "A3:E17"


def test_this_client_passes_mypy_strict() -> None:
    from mypy import api

    stdout, stderr, status = api.run(["--strict", "--no-incremental", __file__])
    assert status == 0, stdout + stderr


def test_a_device_and_an_endless_stream_are_refused() -> None:
    """``parse`` reads no device (/dev/zero never ends) and no more of a file object than the
    file size limit allows."""
    device = extractor.parse("/dev/zero")
    assert device.error is not None and device.error.code == "unsupported_source"
    with open("/dev/zero", "rb") as endless:
        stream = extractor.parse(endless, limits=extractor.Limits(max_file_mb=1))
    assert stream.error is not None and stream.error.code == "too_large"


def test_running_out_of_memory_is_too_large_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A MemoryError is the file's size, not a bug: too_large, and no "internal error" with a
    traceback in the log (the batch recorded too_large but logged one)."""
    import extractor.pipeline

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(extractor.pipeline, "read", exhausted)
    result = extractor.parse(DOCX)
    assert result.error is not None and result.error.code == "too_large"
    assert "--max-memory" in result.error.message
    assert "internal error" not in caplog.text and "Traceback" not in caplog.text
