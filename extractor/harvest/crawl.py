"""Listing pages to a catalog: fetch the documents they link to, then parse them as a batch.

A seed is a listing page (a ministry's "预算公开" or "绩效目标" page) whose links point at the
documents. The crawl fetches each seed, saves it as a document too (its own tables are parsed),
and follows its links to documents (.pdf .doc .docx .xls .xlsx .html .htm) on the allowed
origins, to ``depth`` links from a seed; a fetched page is searched for links when its
Content-Type or its content says HTML, whatever its name. It is polite, repeatable and bounded
whatever the servers and pages do:

* robots.txt is read once per origin and honoured; requests to one host are ``delay`` seconds apart;
* a 5xx answer or a timeout is tried again a bounded number of times, with growing pauses;
* the ETag / Last-Modified of each URL are kept in ``DIR/crawl_state.json``, so a document that
  did not change answers 304 and is not downloaded again;
* a request, robots.txt included, takes at most ``timeout`` seconds in all (``timeout``), a body
  at most ``max_bytes`` once inflated (``too_large``; see ``fetch``);
* redirects are followed by hand, at every hop only to allowed origins (scheme, host and port;
  see ``links``); only http and https are fetched;
* a malformed link or ``Location`` is that URL's failure (``bad_url``), never the crawl's end;
* at most ``max_urls`` URLs are fetched or recorded in all; the links beyond are counted.

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
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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

from extractor.harvest.fetch import BodyTooLarge, Deadline, RequestTimedOut, body, client, request, validator
from extractor.harvest.links import (
    DOCUMENT_SUFFIXES,
    SCHEMES,
    AllowList,
    BadURL,
    Origin,
    is_page,
    join_url,
    normal_url,
    page_to_links,
    shown,
    url_suffix,
)
from extractor.harvest.robots import ROBOTS_MAX_BYTES, Robots, read_robots

log = logging.getLogger(__name__)

#: The suffix a document gets from its Content-Type when its URL has none of DOCUMENT_SUFFIXES.
_TYPE_SUFFIXES = {
    "text/html": ".html",
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
STATE_NAME = "crawl_state.json"
FILES_DIR = "files"
MAX_REDIRECTS = 5
#: Headers copied into a document's sidecar (never cookies or authorisation).
SIDECAR_HEADERS = ("content-type", "content-length", "content-disposition", "etag", "last-modified")
USER_AGENT = f"extractor/{__version__} (+crawl of public budget documents)"
#: How much of a stored document is read to tell whether it is an HTML page.
_HEAD_BYTES = 1024


class CrawlError(Exception):
    """The crawl cannot start: no seed, an unreadable list of seeds, a state file that is not ours."""


@dataclass(frozen=True)
class CrawlSettings:
    """How far and how politely to crawl. Times in seconds, ``timeout`` for a whole request;
    ``max_bytes`` per response body; ``max_urls`` in all; ``allow_hosts`` as ``--allow-host``
    takes them (``links.allowed_origins``)."""

    allow_hosts: frozenset[str] = frozenset()
    depth: int = 1
    delay: float = 1.0
    timeout: float = 60.0
    retries: int = 2
    backoff: float = 1.0
    max_bytes: int = 100 * 1024 * 1024
    max_urls: int = 10_000


@dataclass(frozen=True)
class Fetch:
    """What became of one URL: ``downloaded``, ``unchanged`` (304 or the same content again), or a
    failure (``http_404`` …, ``timeout``, ``network_error``, ``too_large``, ``robots_disallowed``,
    ``redirect_off_host``, ``too_many_redirects``, ``bad_url``); ``path`` is the stored document,
    if any, served as ``content_type``."""

    url: str
    status: str
    path: Path | None = None
    message: str = ""
    #: The listing page whose link led here; empty for a seed.
    listing_url: str = ""
    content_type: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("downloaded", "unchanged")


@dataclass
class CrawlReport:
    fetches: list[Fetch] = field(default_factory=list)
    batch: BatchReport | None = None
    #: Links not followed because ``max_urls`` was reached.
    not_followed: int = 0

    def count(self, status: str) -> int:
        return sum(1 for f in self.fetches if f.status == status)

    def failures(self) -> Counter[str]:
        return Counter(f.status for f in self.fetches if not f.ok)


# --- URLs ------------------------------------------------------------------------------------


def read_seeds(seeds: Sequence[str]) -> list[str]:
    """Seed URLs, normal, as given or read from a file of them (one a line, ``#`` comments ignored)."""
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
    if not urls:
        raise CrawlError("no seed URL given")
    normal = []
    for url in urls:
        if url.split("://", 1)[0].lower() not in SCHEMES:
            raise CrawlError(f"only http and https URLs can be crawled, not {shown(redact(url))}")
        try:
            normal.append(normal_url(url))
        except BadURL as exc:
            raise CrawlError(f"the seed {shown(url)} cannot be crawled: {exc}") from None
    return list(dict.fromkeys(normal))


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


class Crawler:
    """One crawl into ``out_dir``; ``run`` fetches, the caller then parses (see ``crawl``)."""

    def __init__(
        self, out_dir: Path, settings: CrawlSettings, client: httpx.Client, allowed: AllowList
    ) -> None:
        self.out_dir = out_dir
        self.settings = settings
        self.client = client
        self.allowed = allowed
        self.state = State(out_dir / STATE_NAME)
        #: Links left out of the last ``run`` because ``max_urls`` was reached.
        self.not_followed = 0
        self._robots: dict[Origin, Robots] = {}
        self._last_request: dict[str, float] = {}

    def run(self, seeds: Sequence[str], on_fetch: Callable[[Fetch], None] | None = None) -> list[Fetch]:
        """Fetch the seeds and, breadth first, the documents they link to: each URL once, at most
        ``max_urls`` of them (seeds and bad links included); the links beyond are counted."""
        fetches: list[Fetch] = []
        queue: deque[tuple[str, int, str]] = deque()
        seen: set[str] = set()
        beyond: set[str] = set()

        def admit(url: str) -> bool:
            if url in seen:
                return False
            if len(seen) >= self.settings.max_urls:
                beyond.add(url)
                return False
            seen.add(url)
            return True

        def record(fetch: Fetch) -> None:
            fetches.append(fetch)
            if on_fetch is not None:
                on_fetch(fetch)

        queue.extend((seed, 0, "") for seed in seeds if admit(seed))
        try:
            while queue:
                url, depth, listing = queue.popleft()
                fetch = replace(self.fetch(url), listing_url=redact(listing) if listing else "")
                record(fetch)
                if fetch.path is None or depth >= self.settings.depth or not _is_listing(fetch):
                    continue
                links = page_to_links(fetch.path.read_bytes(), url)
                for href, why in links.bad:
                    if admit(href):
                        record(
                            Fetch(
                                href, "bad_url", message=f"not a URL to fetch: {why}", listing_url=redact(url)
                            )
                        )
                for link in links.urls:
                    if self.allowed.allows(link) and url_suffix(link) in DOCUMENT_SUFFIXES and admit(link):
                        queue.append((link, depth + 1, url))
        finally:
            self.state.save()
        self.not_followed = len(beyond)
        return fetches

    def fetch(self, url: str) -> Fetch:
        """One URL to a stored document, following redirects within the allowed origins."""
        shown_url = redact(url)
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            robots = self._robots_of(current)
            if not robots.allow(USER_AGENT, current):
                why = f"robots.txt disallows {redact(current)}" + (f" ({robots.note})" if robots.note else "")
                return Fetch(shown_url, "robots_disallowed", message=why)
            try:
                outcome = self._get(url, current)
            except BodyTooLarge:
                return Fetch(shown_url, "too_large", message=f"larger than {self.settings.max_bytes} bytes")
            except RequestTimedOut:
                return Fetch(shown_url, "timeout", message=f"not done within {self.settings.timeout:g} s")
            except httpx.HTTPError as exc:
                return Fetch(shown_url, "network_error", message=f"{type(exc).__name__}: {redact(str(exc))}")
            if isinstance(outcome, Fetch):
                return outcome
            try:
                target = join_url(current, outcome)
            except BadURL as exc:
                return Fetch(
                    shown_url, "bad_url", message=f"redirected to {shown(outcome)}, not a URL to fetch: {exc}"
                )
            if not self.allowed.allows(target):
                return Fetch(shown_url, "redirect_off_host", message=f"redirected to {redact(target)}")
            current = target
        return Fetch(shown_url, "too_many_redirects", message=f"more than {MAX_REDIRECTS} redirects")

    def _get(self, url: str, current: str) -> Fetch | str:
        """The Fetch for ``current``, or the Location it redirects to. Retries 5xx and timeouts."""
        remembered = self.state.urls.get(url, {})
        stored = self.out_dir / remembered["path"] if "path" in remembered else None
        headers = {}
        if stored is not None and stored.is_file():
            for key, header in (("etag", "If-None-Match"), ("last_modified", "If-Modified-Since")):
                value = validator(remembered.get(key))
                if value is not None:
                    headers[header] = value
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            self._wait_turn(current)
            try:
                with request(self.client, current, self.settings.timeout, headers) as (response, deadline):
                    content_type = response.headers.get("content-type", "")
                    if response.status_code >= 500 and not last:
                        log.info("%s answered %d; trying again", redact(current), response.status_code)
                    elif response.is_redirect and "location" in response.headers:
                        return response.headers["location"]
                    elif response.status_code == 304 and stored is not None:
                        kind = remembered.get("content_type", "")
                        return Fetch(redact(url), "unchanged", stored, content_type=kind)
                    elif response.status_code != 200:
                        code = f"http_{response.status_code}"
                        return Fetch(redact(url), code, message=f"{redact(current)} answered {code}")
                    else:
                        path, size, sha256 = self._store(response, deadline, current, content_type)
                        return self._record(url, current, response, path, size, sha256)
            except RequestTimedOut:
                if last:
                    raise
                log.info("%s timed out; trying again", redact(current))
            time.sleep(self.settings.backoff * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _store(
        self, response: httpx.Response, deadline: Deadline, final_url: str, content_type: str
    ) -> tuple[Path, int, str]:
        """Stream the body to a temporary file, then move it to its content address."""
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge
        files = self.out_dir / FILES_DIR
        files.mkdir(parents=True, exist_ok=True)
        temporary = files / f".download-{time.monotonic_ns()}"
        digest = hashlib.sha256()
        size = 0
        try:
            with temporary.open("wb") as handle:
                for piece in body(response, deadline):
                    size += len(piece)
                    if size > limit:
                        raise BodyTooLarge
                    digest.update(piece)
                    handle.write(piece)
            sha256 = digest.hexdigest()
            target = files / sha256[:2] / f"{sha256}{_suffix_for(final_url, content_type)}"
            target.parent.mkdir(exist_ok=True)
            temporary.replace(target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        return target, size, sha256

    def _record(
        self, url: str, final_url: str, response: httpx.Response, target: Path, size: int, sha256: str
    ) -> Fetch:
        """Keep the stored document's validators in the state and its sidecar beside it."""
        relative = target.relative_to(self.out_dir).as_posix()
        previous = self.state.urls.get(url, {})
        content_type = response.headers.get("content-type", "")
        entry = {"path": relative, "sha256": sha256, "content_type": content_type}
        for header, key in (("etag", "etag"), ("last-modified", "last_modified")):
            value = validator(response.headers.get(header))
            if value is not None:
                entry[key] = value
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
        return Fetch(redact(url), status, target, content_type=content_type)

    def _wait_turn(self, url: str) -> None:
        """Sleep until ``delay`` seconds have passed since the last request to this host."""
        host = Origin.of(url).host
        if host in self._last_request:
            pause = self._last_request[host] + self.settings.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last_request[host] = time.monotonic()

    def _robots_of(self, url: str) -> Robots:
        """The robots.txt rules of the URL's origin, read once."""
        origin = Origin.of(url)
        if origin not in self._robots:
            self._robots[origin] = read_robots(
                self.client,
                origin,
                self.allowed,
                timeout=self.settings.timeout,
                cap=min(ROBOTS_MAX_BYTES, self.settings.max_bytes),
                wait_turn=self._wait_turn,
            )
        return self._robots[origin]


def _is_listing(fetch: Fetch) -> bool:
    """Whether a stored document is an HTML page, whose links are followed."""
    if fetch.path is None:
        return False
    with fetch.path.open("rb") as handle:
        return is_page(fetch.content_type, handle.read(_HEAD_BYTES))


# --- the whole crawl -------------------------------------------------------------------------


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
    bad seeds or ``--allow-host`` values and ``BatchError`` when the catalog cannot be written.
    """
    settings = settings or CrawlSettings()
    urls = read_seeds(seeds)
    try:
        allowed = AllowList.of(urls, settings.allow_hosts)
    except BadURL as exc:
        raise CrawlError(f"an allowed host is not a host, HOST:PORT or origin: {exc}") from None
    out_dir.mkdir(parents=True, exist_ok=True)
    with client(settings.timeout, USER_AGENT) as http:
        crawler = Crawler(out_dir, settings, http, allowed)
        fetches = crawler.run(urls, on_fetch)
    report = CrawlReport(fetches=fetches, not_followed=crawler.not_followed)
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
