"""Listing pages to a catalog: fetch the documents they link to, then parse them as a batch.

A seed is a listing page (a ministry's "预算公开" or "绩效目标" page) whose links point at the
documents. The crawl fetches each seed, saves it as a document too (its own tables are parsed),
and follows its links to documents (.pdf .doc .docx .xls .xlsx .html .htm) on the allowed hosts,
to ``depth`` links from a seed. It is polite and repeatable:

* robots.txt is read once per host and honoured; requests to one host are ``delay`` seconds apart;
* a 5xx answer or a timeout is tried again a bounded number of times, with growing pauses;
* the ETag / Last-Modified of each URL are kept in ``DIR/crawl_state.json``, so a document that
  did not change answers 304 and is not downloaded again;
* a body larger than ``max_bytes`` is abandoned while streaming (``too_large``);
* redirects are followed by hand, only to allowed hosts; only http and https are fetched.

Documents are stored by content, ``DIR/files/<first 2 hex of sha256>/<sha256><ext>``, each with a
JSON sidecar (url, final url, a few headers, fetched_at), then parsed with ``run_batch`` into
``DIR/catalog.sqlite``. URLs are logged and stored without their user:password part.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
import urllib.robotparser
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from extractor import __version__
from extractor.errors import MissingDependency
from extractor.export import write_text_atomic
from extractor.harvest.batch import BatchReport, Outcome, ParseFile, run_batch
from extractor.harvest.catalog import CatalogLocation
from extractor.names import redact, url_to_name
from extractor.pipeline import parse

try:
    import httpx
except ImportError as _exc:  # an optional extra: say how to get it
    raise MissingDependency("crawling needs httpx: pip install 'extractor[crawl]'") from _exc

log = logging.getLogger(__name__)

#: Suffixes of the linked files that are fetched as documents.
DOCUMENT_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".html", ".htm"})
#: The suffix a document gets from its Content-Type when its URL has none of the above.
_TYPE_SUFFIXES = {
    "text/html": ".html",
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
SCHEMES = frozenset({"http", "https"})
STATE_NAME = "crawl_state.json"
FILES_DIR = "files"
MAX_REDIRECTS = 5
#: Headers copied into a document's sidecar (never cookies or authorisation).
SIDECAR_HEADERS = ("content-type", "content-length", "content-disposition", "etag", "last-modified")
USER_AGENT = f"extractor/{__version__} (+crawl of public budget documents)"
#: The robots.txt rules an unreachable or forbidden robots.txt stands for.
_DISALLOW_ALL = ("User-agent: *", "Disallow: /")


class CrawlError(Exception):
    """The crawl cannot start: no seed, an unreadable list of seeds, a state file that is not ours."""


@dataclass(frozen=True)
class CrawlSettings:
    """How far and how politely to crawl. Times in seconds; ``max_bytes`` per response body."""

    allow_hosts: frozenset[str] = frozenset()
    depth: int = 1
    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 2
    backoff: float = 1.0
    max_bytes: int = 100 * 1024 * 1024


@dataclass(frozen=True)
class Fetch:
    """What became of one URL: ``downloaded``, ``unchanged`` (304 or the same content again), or a
    failure (``http_404`` …, ``timeout``, ``network_error``, ``too_large``, ``robots_disallowed``,
    ``redirect_off_host``, ``too_many_redirects``); ``path`` is the stored document, if any."""

    url: str
    status: str
    path: Path | None = None
    message: str = ""
    #: The listing page whose link led here; empty for a seed.
    listing_url: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("downloaded", "unchanged")


@dataclass
class CrawlReport:
    fetches: list[Fetch] = field(default_factory=list)
    batch: BatchReport | None = None

    def count(self, status: str) -> int:
        return sum(1 for f in self.fetches if f.status == status)

    def failures(self) -> Counter[str]:
        return Counter(f.status for f in self.fetches if not f.ok)


# --- URLs ------------------------------------------------------------------------------------


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def read_seeds(seeds: Sequence[str]) -> list[str]:
    """Seed URLs as given, or read from a file of them (one a line, ``#`` comments ignored)."""
    urls: list[str] = []
    for seed in seeds:
        if "://" in seed:  # a URL; one of another scheme is refused below
            urls.append(seed)
            continue
        try:
            text = Path(seed).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CrawlError(f"{seed} is neither an http(s) URL nor a readable file of URLs: {exc}") from exc
        lines = (line.strip() for line in text.splitlines())
        urls.extend(line for line in lines if line and not line.startswith("#"))
    bad = [redact(u) for u in urls if urlsplit(u).scheme not in SCHEMES]
    if bad:
        raise CrawlError(f"only http and https URLs can be crawled, not {bad[0]}")
    if not urls:
        raise CrawlError("no seed URL given")
    return urls


def page_to_links(html: bytes, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the page's ``<a href>`` links, fragments dropped, in order, once each."""
    soup = BeautifulSoup(html, "lxml")
    base = soup.find("base", href=True)
    if isinstance(base, Tag) and isinstance(base["href"], str):
        base_url = urljoin(base_url, base["href"])
    links: list[str] = []
    for anchor in soup.find_all("a", href=True):
        href = anchor.get("href") if isinstance(anchor, Tag) else None
        if not isinstance(href, str):
            continue
        url = urldefrag(urljoin(base_url, href.strip())).url
        if urlsplit(url).scheme in SCHEMES and url not in links:
            links.append(url)
    return links


def url_suffix(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()


def _suffix_for(url: str, content_type: str) -> str:
    suffix = url_suffix(url)
    if suffix in DOCUMENT_SUFFIXES:
        return suffix
    return _TYPE_SUFFIXES.get(content_type.split(";")[0].strip().lower(), ".bin")


# --- state -----------------------------------------------------------------------------------


class State:
    """Per URL: the validators of its last answer and the document it gave, in ``DIR/crawl_state.json``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.urls: dict[str, dict[str, str]] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.urls = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data["urls"].items()}
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                raise CrawlError(
                    f"{path} is not a crawl state file ({exc}); move it away to crawl from scratch"
                ) from exc

    def save(self) -> None:
        text = json.dumps({"urls": self.urls}, ensure_ascii=False, indent=1, sort_keys=True)
        write_text_atomic(self.path, text + "\n")


# --- fetching --------------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


class Crawler:
    """One crawl into ``out_dir``; ``run`` fetches, the caller then parses (see ``crawl``)."""

    def __init__(self, out_dir: Path, settings: CrawlSettings, client: httpx.Client) -> None:
        self.out_dir = out_dir
        self.settings = settings
        self.client = client
        self.state = State(out_dir / STATE_NAME)
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._last_request: dict[str, float] = {}

    def run(self, seeds: Sequence[str], on_fetch: Callable[[Fetch], None] | None = None) -> list[Fetch]:
        """Fetch the seeds and, breadth first, the documents they link to; each URL at most once."""
        allowed = self.settings.allow_hosts | {host_of(s) for s in seeds}
        queue: deque[tuple[str, int, str]] = deque((s, 0, "") for s in seeds)
        seen = set(seeds)
        fetches: list[Fetch] = []
        try:
            while queue:
                url, depth, listing = queue.popleft()
                fetch = replace(self.fetch(url, allowed), listing_url=redact(listing) if listing else "")
                fetches.append(fetch)
                if on_fetch is not None:
                    on_fetch(fetch)
                if fetch.path is None or depth >= self.settings.depth or fetch.path.suffix != ".html":
                    continue
                for link in page_to_links(fetch.path.read_bytes(), url):
                    if (
                        link not in seen
                        and host_of(link) in allowed
                        and url_suffix(link) in DOCUMENT_SUFFIXES
                    ):
                        seen.add(link)
                        queue.append((link, depth + 1, url))
        finally:
            self.state.save()
        return fetches

    def fetch(self, url: str, allowed: frozenset[str] | set[str]) -> Fetch:
        """One URL to a stored document, following redirects within ``allowed`` hosts."""
        shown = redact(url)
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if not self._robots_allow(current):
                return Fetch(shown, "robots_disallowed", message=f"robots.txt disallows {redact(current)}")
            try:
                outcome = self._get(url, current)
            except _TooLarge:
                return Fetch(shown, "too_large", message=f"larger than {self.settings.max_bytes} bytes")
            except httpx.TimeoutException:
                return Fetch(shown, "timeout", message=f"no answer within {self.settings.timeout:g} s")
            except httpx.HTTPError as exc:
                return Fetch(shown, "network_error", message=f"{type(exc).__name__}: {redact(str(exc))}")
            if isinstance(outcome, Fetch):
                return outcome
            target = urldefrag(urljoin(current, outcome)).url
            if urlsplit(target).scheme not in SCHEMES or host_of(target) not in allowed:
                return Fetch(shown, "redirect_off_host", message=f"redirected to {redact(target)}")
            current = target
        return Fetch(shown, "too_many_redirects", message=f"more than {MAX_REDIRECTS} redirects")

    def _get(self, url: str, current: str) -> Fetch | str:
        """The Fetch for ``current``, or the Location it redirects to. Retries 5xx and timeouts."""
        remembered = self.state.urls.get(url, {})
        stored = self.out_dir / remembered["path"] if "path" in remembered else None
        headers = {}
        if stored is not None and stored.is_file():
            if "etag" in remembered:
                headers["If-None-Match"] = remembered["etag"]
            if "last_modified" in remembered:
                headers["If-Modified-Since"] = remembered["last_modified"]
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            self._wait_turn(current)
            try:
                with self.client.stream("GET", current, headers=headers) as response:
                    if response.status_code >= 500 and not last:
                        log.info("%s answered %d; trying again", redact(current), response.status_code)
                    elif response.is_redirect and "location" in response.headers:
                        return response.headers["location"]
                    elif response.status_code == 304 and stored is not None:
                        return Fetch(redact(url), "unchanged", stored)
                    elif response.status_code != 200:
                        code = f"http_{response.status_code}"
                        return Fetch(redact(url), code, message=f"{redact(current)} answered {code}")
                    else:
                        return self._store(url, current, response)
            except httpx.TimeoutException:
                if last:
                    raise
                log.info("%s timed out; trying again", redact(current))
            time.sleep(self.settings.backoff * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _store(self, url: str, final_url: str, response: httpx.Response) -> Fetch:
        """Stream the body to a temporary file, then move it to its content address."""
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _TooLarge
        files = self.out_dir / FILES_DIR
        files.mkdir(parents=True, exist_ok=True)
        temporary = files / f".download-{time.monotonic_ns()}"
        digest = hashlib.sha256()
        size = 0
        try:
            with temporary.open("wb") as handle:
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise _TooLarge
                    digest.update(chunk)
                    handle.write(chunk)
            sha256 = digest.hexdigest()
            target = (
                files
                / sha256[:2]
                / f"{sha256}{_suffix_for(final_url, response.headers.get('content-type', ''))}"
            )
            target.parent.mkdir(exist_ok=True)
            temporary.replace(target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        relative = target.relative_to(self.out_dir).as_posix()
        previous = self.state.urls.get(url, {})
        entry = {"path": relative, "sha256": sha256}
        for header, key in (("etag", "etag"), ("last-modified", "last_modified")):
            if header in response.headers:
                entry[key] = response.headers[header]
        self.state.urls[url] = entry
        sidecar: dict[str, Any] = {
            "url": redact(url),
            "final_url": redact(final_url),
            "name": url_to_name(final_url),
            "sha256": sha256,
            "bytes": size,
            "headers": {h: response.headers[h] for h in SIDECAR_HEADERS if h in response.headers},
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_text_atomic(
            target.with_name(target.name + ".json"), json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n"
        )
        status = "unchanged" if previous.get("sha256") == sha256 else "downloaded"
        return Fetch(redact(url), status, target)

    def _wait_turn(self, url: str) -> None:
        """Sleep until ``delay`` seconds have passed since the last request to this host."""
        host = host_of(url)
        if host in self._last_request:
            pause = self._last_request[host] + self.settings.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last_request[host] = time.monotonic()

    def _robots_allow(self, url: str) -> bool:
        """robots.txt of the URL's host, read once: missing (4xx) allows all; 401/403, a 5xx or no
        answer disallow all (RFC 9309 treats an unreachable robots.txt as a full disallow)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            self._wait_turn(url)
            try:
                response = self.client.get(origin + "/robots.txt", follow_redirects=True)
            except httpx.HTTPError:
                parser.parse(_DISALLOW_ALL)
            else:
                if response.status_code in (401, 403) or response.status_code >= 500:
                    parser.parse(_DISALLOW_ALL)
                elif response.status_code >= 400:
                    parser.parse([])
                else:
                    parser.parse(response.text.splitlines())
            self._robots[origin] = parser
        return parser.can_fetch(USER_AGENT, url)


# --- the whole crawl -------------------------------------------------------------------------


def _client(settings: CrawlSettings) -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=settings.timeout,
        follow_redirects=False,
        trust_env=False,
    )


def crawl(
    seeds: Sequence[str],
    out_dir: Path,
    settings: CrawlSettings | None = None,
    *,
    catalog_at: CatalogLocation | None = None,
    on_fetch: Callable[[Fetch], None] | None = None,
    on_outcome: Callable[[Outcome, int, int], None] | None = None,
    workers: int | None = None,
    parse_file: ParseFile = parse,
    keep_results: bool = True,
) -> CrawlReport:
    """Fetch the seeds and their linked documents into ``out_dir``, then parse them into its
    catalog (or the one at ``catalog_at``).

    Every document fetched or unchanged is handed to ``run_batch`` (with ``parse_file`` and
    ``keep_results``), which skips those the catalog already holds. Raises ``CrawlError`` for
    bad seeds and ``BatchError`` when the catalog cannot be written.
    """
    settings = settings or CrawlSettings()
    urls = read_seeds(seeds)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _client(settings) as client:
        fetches = Crawler(out_dir, settings, client).run(urls, on_fetch)
    report = CrawlReport(fetches=fetches)
    published = {str(f.path): (f.url, f.listing_url) for f in reversed(fetches) if f.path is not None}
    paths = list(dict.fromkeys(str(f.path) for f in fetches if f.path is not None))
    if paths:
        report.batch = run_batch(
            paths,
            catalog_at or out_dir,
            workers=workers,
            on_outcome=on_outcome,
            parse_file=parse_file,
            keep_results=keep_results,
            published=published,
        )
    return report


def iter_sidecars(out_dir: Path) -> Iterator[dict[str, Any]]:
    """The sidecars of every stored document, to map a catalog origin back to its URL."""
    for path in sorted((out_dir / FILES_DIR).glob("*/*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))
