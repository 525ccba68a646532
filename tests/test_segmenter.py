"""jieba's tokenizer is built once and kept on disk, and reads titles the same from the cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.normalise import segmenter as segmenter_module
from extractor.normalise.classify import title_words

TITLE = "4．2025年部门财政拨款收支预算总表"


@pytest.fixture
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path))
    segmenter_module.segmenter.cache_clear()
    yield tmp_path
    segmenter_module.segmenter.cache_clear()


def test_the_built_dictionary_is_kept_and_read_back(cache_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = title_words(TITLE)
    (kept,) = cache_in.glob("jieba-*.marshal")
    assert {"财政拨款", "收支", "总表"} <= built

    segmenter_module.segmenter.cache_clear()

    def no_building(*args: object, **kwargs: object) -> None:
        raise AssertionError("the kept dictionary should have been read, not built again")

    monkeypatch.setattr("jieba.Tokenizer.initialize", no_building)
    assert title_words(TITLE) == built
    assert list(cache_in.glob("jieba-*.marshal")) == [kept]


def test_an_unreadable_cache_is_built_again(cache_in: Path) -> None:
    title_words(TITLE)
    (kept,) = cache_in.glob("jieba-*.marshal")
    kept.write_bytes(b"not marshal data")
    segmenter_module.segmenter.cache_clear()

    assert {"财政拨款", "收支", "总表"} <= title_words(TITLE)
    assert kept.stat().st_size > 1_000_000
