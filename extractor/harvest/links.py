"""The crawl's URLs: which are well formed, which are one and the same, which may be fetched, and
which a page links to.

Every URL here comes from outside (a seed file, a page, a ``Location`` header) and may be
anything: ``http://[oops``, a control character, 70,000 characters. ``normal_url`` gives the one
form the crawl compares, stores and requests, or raises ``BadURL``, which the crawl records as
that URL's failure (``bad_url``) before going on: nothing a URL holds may end a crawl.

An allowed origin is a scheme, host and port (RFC 6454). A seed allows its own; ``--allow-host``
adds others. Another port of an allowed host is another service (an admin console, a database
listening on the portal's machine) and is never followed unless allowed; only http on port 80
and https on 443 of one host count as one site, since portals send the one to the other.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx
import lxml.html
from lxml.etree import ParserError

from extractor.errors import ExtractorError
from extractor.names import printable
from extractor.readers.files import begins_as_html
from extractor.readers.web import decode

SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
#: Suffixes of the linked files that are fetched as documents.
DOCUMENT_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".html", ".htm"})
#: Longer URLs are refused: servers refuse them from about 8 KB, sitemaps from 2,048 characters.
MAX_URL_LENGTH = 4096
#: How much of a bad link is kept to name it in the log and the report.
_SHOWN_LENGTH = 200
#: What browsers strip from both ends of an href (C0 controls and space) and take out of it.
_ENDS = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
#: Content types of HTML pages; with the vague ones the content decides.
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_VAGUE_TYPES = frozenset({"", "application/octet-stream", "text/plain", "application/x-download"})


class BadURL(ValueError):
    """A URL the crawl cannot fetch: malformed, too long, with a control character, not http(s)."""


def normal_url(url: str) -> str:
    """``url`` as the crawl compares, stores and requests it: scheme and host in lower case,
    without the default port and the fragment, an empty path as ``/``. Raises ``BadURL``."""
    if len(url) > MAX_URL_LENGTH:
        raise BadURL(f"longer than {MAX_URL_LENGTH} characters")
    if not url.isprintable():
        raise BadURL("it holds a control character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535" …
        raise BadURL(str(exc)) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise BadURL("not an http or https URL")
    host = parts.hostname
    if not host:
        raise BadURL("no host")
    user, at, host_and_port = parts.netloc.rpartition("@")
    netloc = f"[{host}]" if host_and_port.startswith("[") else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    normal = urlunsplit((scheme, user + at + netloc, parts.path or "/", parts.query, ""))
    try:  # what httpx refuses (a bad host name, a character it cannot send) is refused here
        httpx.URL(normal)
    except httpx.InvalidURL as exc:
        raise BadURL(str(exc)) from None
    return normal


def join_url(base: str, href: str) -> str:
    """The normal URL ``href`` names on the page at ``base`` (a link, a ``Location``)."""
    href = _TAB_OR_NEWLINE.sub("", href.strip(_ENDS))
    try:
        joined = urljoin(base, href)
    except ValueError as exc:
        raise BadURL(str(exc)) from None
    return normal_url(joined)


def shown(text: str) -> str:
    """A URL that is not one, fit to name in a log line: escaped, and cut when long."""
    cut = text if len(text) <= _SHOWN_LENGTH else text[:_SHOWN_LENGTH] + "…"
    return printable(cut)


def url_suffix(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()


# --- origins -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Scheme, host and port: what a seed or ``--allow-host`` allows."""

    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> Origin:
        """The origin of a normal URL (see ``normal_url``)."""
        parts = urlsplit(url)
        port = parts.port
        return cls(parts.scheme, parts.hostname or "", DEFAULT_PORTS[parts.scheme] if port is None else port)

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port == DEFAULT_PORTS[self.scheme] else f":{self.port}"
        return f"{self.scheme}://{host}{port}"

    def twin(self) -> Origin | None:
        """The same host on the other scheme's default port, when this one is on its own."""
        if self.port != DEFAULT_PORTS[self.scheme]:
            return None
        other = "https" if self.scheme == "http" else "http"
        return Origin(other, self.host, DEFAULT_PORTS[other])


@dataclass(frozen=True)
class AllowList:
    """The origins a crawl may request: links, redirects at every hop and robots.txt alike."""

    origins: frozenset[Origin]

    @classmethod
    def of(cls, seeds: list[str], hosts: frozenset[str]) -> AllowList:
        """The seeds' origins and those of ``--allow-host``; raises ``BadURL`` for a bad one."""
        origins = {Origin.of(seed) for seed in seeds}
        for spec in hosts:
            origins |= allowed_origins(spec)
        return cls(frozenset(origins))

    def allows(self, url: str) -> bool:
        """Whether the normal URL ``url`` is on an allowed origin (or on its twin, see ``Origin``)."""
        origin = Origin.of(url)
        return origin in self.origins or origin.twin() in self.origins


def allowed_origins(spec: str) -> frozenset[Origin]:
    """``--allow-host`` as given: ``HOST`` (http and https on their default ports), ``HOST:PORT``
    (both on that port) or ``SCHEME://HOST[:PORT]`` (that origin only)."""
    if "://" in spec:
        return frozenset({Origin.of(normal_url(spec))})
    host = Origin.of(normal_url(f"http://{spec}")).host  # checks the port too
    port = urlsplit(f"//{spec}").port
    if port is None:
        return frozenset(
            {Origin("http", host, DEFAULT_PORTS["http"]), Origin("https", host, DEFAULT_PORTS["https"])}
        )
    return frozenset({Origin("http", host, port), Origin("https", host, port)})


# --- pages -------------------------------------------------------------------------------------


def is_page(content_type: str, head: bytes) -> bool:
    """Whether a fetched body is an HTML page, to search for links: by its Content-Type, or by how
    it begins when that says nothing (missing, octet-stream, text/plain) — whatever its URL's
    suffix (``.htm``, ``.jsp``, a folder)."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in _PAGE_TYPES:
        return True
    if kind not in _VAGUE_TYPES:
        return False
    return begins_as_html(head)


@dataclass(frozen=True)
class PageLinks:
    """A page's links: ``urls`` normal, http(s), in order, once each; ``bad`` the hrefs that name
    no URL the crawl can fetch, each with why (shown escaped and cut, once each)."""

    urls: list[str]
    bad: list[tuple[str, str]]


def page_to_links(html: bytes, base_url: str) -> PageLinks:
    """The ``<a href>`` links of a page, resolved against its ``<base href>`` or ``base_url``.

    Decoded as the HTML reader decodes pages (BOM, declared charset, else detected), then parsed
    with lxml alone: a page of 40,000 links takes a fraction of a second. Links to other schemes
    (mailto:, javascript: …) are left out silently."""
    try:
        text = decode(html, "the page").text
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (ExtractorError, ParserError):  # undecodable, or empty
        return PageLinks([], [])
    for base in tree.iter("base"):
        href = base.get("href")
        if href is not None:
            with contextlib.suppress(BadURL):  # a broken <base> is ignored, as browsers do
                base_url = join_url(base_url, href)
            break
    urls: dict[str, None] = {}
    bad: dict[str, str] = {}
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if href is None:
            continue
        scheme = _SCHEME.match(href.strip(_ENDS))
        if scheme is not None and scheme.group(1).lower() not in SCHEMES:
            continue
        try:
            urls.setdefault(join_url(base_url, href), None)
        except BadURL as exc:
            bad.setdefault(shown(href), str(exc))
    return PageLinks(list(urls), list(bad.items()))


_PARSER = lxml.html.HTMLParser(encoding="utf-8")
