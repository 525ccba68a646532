"""Reading an input file: its bytes with the same coded errors for every reader, and its hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor.errors import CorruptDocument, NotFound


def file_bytes(path: Path) -> bytes:
    """The whole file; a missing file is ``NotFound``, an unreadable one ``CorruptDocument``."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"{path}: no such file") from exc
    except OSError as exc:
        raise CorruptDocument(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in blocks so a large file never sits in memory whole."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
