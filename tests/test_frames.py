"""The Python API: extractor.parse(path) and extractor.to_frames(result) carry the CSV columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import extractor
from extractor.export import OUTPUT_COLUMNS, PROVENANCE_COLUMNS

SEED_DOCX = Path(__file__).resolve().parent.parent / "samples" / "seed" / "seed_word.docx"


def test_frames_have_the_contract_columns_and_numeric_values() -> None:
    result = extractor.parse(SEED_DOCX)
    assert result.error is None
    frames = extractor.to_frames(result)
    assert list(frames) == list(OUTPUT_COLUMNS)
    for name, frame in frames.items():
        assert list(frame.columns) == [*PROVENANCE_COLUMNS, *OUTPUT_COLUMNS[name]]
    indicators = frames["indicators"]
    assert len(indicators) == 82
    assert pd.api.types.is_float_dtype(indicators["value"])
    assert indicators.groupby("level1").size().to_dict() == {
        "决策": 12,
        "过程": 50,
        "履职": 12,
        "效益指标": 6,
        "满意度指标": 2,
    }
    funds = frames["funds"]
    assert funds.loc[funds["item"] == "土地收储项目（2025）", "amount"].tolist() == [35319.26]
    assert set(funds["source"]) == {str(SEED_DOCX)}  # the path as given
    assert frames["cells"].empty
    wide = frames["indicators_wide"]
    assert len(wide) == 41  # one row per 三级指标, each printing a 半年 and a 全年 target
    assert set(wide["target_label"]) == {"全年指标值"}
    assert wide["actual_raw"].eq("").all() and wide["weight"].isna().all()
