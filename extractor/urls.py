"""URLs fit to be shown: logs, sidecars, state files and error messages never carry a secret."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that carry a secret (libpq takes ``?password=`` beside ``user:password@``).
_SECRET_PARAMETERS = frozenset({"password", "passwd", "pwd", "token", "access_token", "key"})


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
