"""docs/contract.md, the JSON Schema and the code name the same columns and version."""

from __future__ import annotations

import json
import re
from pathlib import Path

from extractor.export import DATASET_COLUMNS, SCHEMA_VERSION, WIDE_COLUMNS
from extractor.normalise import vocabulary as vocab

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "extractor" / "schema" / "result.schema.json").read_text(encoding="utf-8"))


def _table_section(dataset: str) -> str:
    """The contract's column table of ``<dataset>.csv``."""
    start = CONTRACT.index(f"`{dataset}.csv`")
    return CONTRACT[start : CONTRACT.index("\n\n`", start + 1)]


def test_the_contract_and_the_schema_state_the_version_the_code_writes() -> None:
    assert f'"schema_version": {SCHEMA_VERSION},' in CONTRACT
    assert f"**schema_version {SCHEMA_VERSION}**" in CONTRACT
    assert SCHEMA["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_every_indicator_column_is_documented_and_in_the_schema() -> None:
    documented = re.findall(r"^\| (\w+) \|", _table_section("indicators"), flags=re.MULTILINE)
    assert [c for c in documented if c != "column"] == list(DATASET_COLUMNS["indicators"])
    record = SCHEMA["properties"]["tables"]["items"]["properties"]["indicators"]["items"]
    assert set(record["properties"]) == {*DATASET_COLUMNS["indicators"], "page"}
    assert set(record["required"]) == set(record["properties"])


def test_every_wide_column_is_named_in_the_contract() -> None:
    section = CONTRACT[CONTRACT.index("`indicators_wide.csv`") :]
    section = section[: section.index("\n\n")]
    assert [c for c in WIDE_COLUMNS if f"`{c}`" not in section] == []


def test_the_kinds_document_says_what_the_vocabulary_does() -> None:
    from tests.kinds_doc import KINDS_DOC, render

    assert KINDS_DOC.read_text(encoding="utf-8") == render(), "run `make docs` and review the diff"
    for kind, _ in vocab.KIND_SIGNATURES:
        assert f"`{kind}`" in KINDS_DOC.read_text(encoding="utf-8")


def test_the_package_docstring_names_every_format_and_kind() -> None:
    """``help(extractor)`` is where a notebook user looks first: it lists what can be read and
    what a table can be, and must not fall behind the schema and the vocabulary."""
    import extractor

    doc = " ".join((extractor.__doc__ or "").split())
    formats = SCHEMA["properties"]["source"]["properties"]["format"]["enum"]
    assert [f for f in formats if f and f"({f}" not in doc and f" {f}" not in doc] == []
    kinds = [kind for kind, _ in vocab.KIND_SIGNATURES] + ["generic"]
    assert [k for k in kinds if k not in doc] == []
