"""jieba's tokenizer taught the field's words, built once per process and cached on disk.

Building it means loading jieba's prefix dictionary (half a million words): jieba's own
cache, read with ``marshal.load`` from a file in the shared temporary folder, takes most of a
second, which every batch worker and every short command would pay. Here the finished
dictionary (with the field's words added and removed) is kept in the user's cache folder
(``$XDG_CACHE_HOME/extractor``, else ``~/.cache/extractor``; ``EXTRACTOR_CACHE_DIR`` overrides
it) and read back whole, about three times faster. The file's name carries a digest of
everything it was built from, so a new jieba dictionary or a change to the field's words
builds a new one; a cache that cannot be read or written only costs the time to build.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from extractor.normalise import vocabulary as vocab

log = logging.getLogger(__name__)

#: The added words' frequency: high enough that jieba keeps each one whole.
FIELD_WORD_FREQUENCY = 100000


def cache_dir() -> Path:
    """Where extractor keeps files worth keeping between runs."""
    configured = os.environ.get("EXTRACTOR_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "extractor"


@cache
def segmenter() -> Any:
    """The tokenizer (``jieba.Tokenizer``, untyped) with the field's words; built on first use."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    path = cache_dir() / f"jieba-{_dictionary_key(tokenizer)}.marshal"
    if not _load(tokenizer, path):
        tokenizer.tmp_dir = str(cache_dir()) if _writable(cache_dir()) else None
        for word in vocab.FIELD_WORDS:
            tokenizer.add_word(word, freq=FIELD_WORD_FREQUENCY)
        for word in vocab.FIELD_SPLITS:
            tokenizer.del_word(word)
        _save(tokenizer, path)
    return tokenizer


def _dictionary_key(tokenizer: Any) -> str:
    """A digest of what the finished dictionary is built from."""
    import jieba

    dictionary = Path(tokenizer.dictionary or Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME))
    stat = dictionary.stat()
    parts = [
        jieba.__version__,
        str(dictionary),
        str(stat.st_size),
        str(stat.st_mtime_ns),
        str(FIELD_WORD_FREQUENCY),
    ]
    parts += ["+" + w for w in vocab.FIELD_WORDS] + ["-" + w for w in vocab.FIELD_SPLITS]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def _load(tokenizer: Any, path: Path) -> bool:
    try:
        frequencies, total = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError) as exc:
        if path.exists():
            log.warning("ignoring the unreadable word cache %s (%s); building it again", path, exc)
        return False
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = frequencies, total, True
    return True


def _save(tokenizer: Any, path: Path) -> None:
    """Written to a temporary file and renamed, so concurrent workers never read half a file."""
    if not _writable(path.parent):
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".jieba-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            marshal.dump((tokenizer.FREQ, tokenizer.total), out)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        log.warning("could not keep the word cache in %s (%s); it is built again next time", path.parent, exc)


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)
