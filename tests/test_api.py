"""The Python API as a notebook user meets it (issue 17): parse bytes or a file object, keep some
pages, look at a table as a frame, write the JSON; and this file passes mypy --strict as a client
of the package (``py.typed``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import extractor

ROOT = Path(__file__).resolve().parent.parent
WANLI = ROOT / "samples" / "real" / "final_dept_central_gjxfj_2024.pdf"
DOCX = ROOT / "samples" / "seed" / "seed_word.docx"


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
    document = json.loads(extractor.dumps(result))
    assert document["schema_version"] == 2 and len(document["tables"][0]["indicators"]) == 82
    limits: extractor.Limits = extractor.DEFAULT_LIMITS
    assert extractor.parse(DOCX, limits=limits).tables[0].kind == table.kind


def test_this_client_passes_mypy_strict() -> None:
    from mypy import api

    stdout, stderr, status = api.run(["--strict", "--no-incremental", __file__])
    assert status == 0, stdout + stderr
