"""Reading an input file: its bytes with the same coded errors for every reader, its hash, and
the encoding its byte order mark states."""

from __future__ import annotations

import codecs
import hashlib
import stat
from pathlib import Path

from extractor.errors import CorruptDocument, NotFound, UnsupportedSource

#: Byte order marks and the codec that reads text opening with each, the mark left out. Excel's
#: "Unicode text" and Notepad's "Unicode" are UTF-16 LE with a mark.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


#: How an HTML page may begin, each followed by a space or ">" (the WHATWG MIME Sniffing
#: Standard's HTML signatures): a fragment saved without <html> is a page all the same.
_HTML_TAGS = b"!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--"
_HTML_STARTS = tuple(b"<" + tag + end for tag in _HTML_TAGS.split(b"|") for end in (b" ", b">"))


def begins_as_html(head: bytes) -> bool:
    """Whether bytes begin as an HTML page does, after a UTF-8 byte order mark and white space."""
    return head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n\x0c").lower().startswith(_HTML_STARTS)


def file_bytes(path: Path) -> bytes:
    """The whole file; a missing file is ``NotFound``, an unreadable one ``CorruptDocument``."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"{path}: no such file") from exc
    except OSError as exc:
        raise CorruptDocument(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in blocks so a large file never sits in memory whole. Only a
    regular file is read: /dev/zero would be hashed forever, a pipe block before any limit."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise UnsupportedSource(f"{path} is not a regular file (a device, a pipe or a socket): not parsed")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bom_encoding(data: bytes) -> str | None:
    """The codec of text whose first bytes are a byte order mark; None without one."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)
