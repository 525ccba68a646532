"""Reading an input file's bytes, with the same coded errors for every reader."""

from __future__ import annotations

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
