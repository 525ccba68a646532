"""Names that come from outside (file names, URLs) made safe to store, to show and to write.

A file name can hold bytes that are not UTF-8, control characters that drive a terminal
(ESC sequences), right-to-left overrides that disguise an extension, or separators; a URL can
carry a password. Everything that stores, logs, prints or names a file after such a name
goes through here.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

#: Query parameters that carry a secret (libpq takes ``?password=`` beside ``user:password@``).
_SECRET_PARAMETERS = frozenset({"password", "passwd", "pwd", "token", "access_token", "key"})
_UNSAFE_NAME = re.compile(r"[^\w.\-]+")
_NAME_LIMIT = 120


def redact(url: str) -> str:
    """The URL without its user:password part and without secret query parameters."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
    if parts.query:
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in _SECRET_PARAMETERS]
        if len(kept) != len(pairs):
            parts = parts._replace(query=urlencode(kept))
    return urlunsplit(parts)


def utf8_text(text: str | Path) -> str:
    """A path (or a message naming one) as text any output can hold (UTF-8, JSON, SQL): the
    bytes of a file name that are not UTF-8, which Python keeps as lone surrogates, become
    ``\\xNN``. Any other text is returned unchanged."""
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def printable(text: str) -> str:
    """The text fit for a terminal: control and format characters (ESC, a right-to-left
    override …) shown as ``\\x1b`` / ``\\u202e`` instead of acting on the screen."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def safe_file_name(name: str) -> str:
    """A file name made only of letters, digits, ``.``, ``-`` and ``_`` (others become ``_``),
    not hidden, at most 120 characters: never a path, whatever ``name`` holds."""
    name = unicodedata.normalize("NFC", utf8_text(name))
    return _UNSAFE_NAME.sub("_", name).strip("._")[:_NAME_LIMIT] or "document"


def url_to_name(url: str) -> str:
    """A safe file name from the URL's last path segment ("index.html" for a folder)."""
    return safe_file_name(PurePosixPath(unquote(urlsplit(url).path)).name or "index.html")
