"""The crawl against servers that misbehave on purpose (issue 18), each answer written byte by byte.

Every server listens on 127.0.0.0/8 only: ``site`` on 127.0.0.1 is the portal being crawled,
``other_port`` on 127.0.0.1 is another service of the same host and ``other_host`` on 127.0.0.2 a
host the crawl must never call. Each server logs every request it receives, before answering, so
the tests assert on what was asked, not only on what the crawl reports.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extractor.harvest.crawl import STATE_NAME, CrawlReport, CrawlSettings, Fetch, crawl

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PDF = (SAMPLES / "seed" / "seed_reportlab.pdf").read_bytes()
#: A timeout long enough for a busy machine; the test of timeouts sets its own.
SETTINGS = CrawlSettings(delay=0, timeout=10.0, retries=0, backoff=0.01, max_bytes=200_000)

#: An answer: given the handler, it writes the whole response (status line, headers, body) itself.
Answer = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Server:
    """One local HTTP server: what it answers per path, and the log of what it was asked."""

    address: str
    routes: dict[str, Answer] = field(default_factory=dict)
    #: (path, request headers with lower-case names), in the order asked.
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.port}"

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _ in self.log]

    def headers_of(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [headers for asked, headers in self.log if asked == path]


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests read ``server.log``."""

        def do_GET(self) -> None:
            with server.lock:
                server.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            self.close_connection = True
            answer = server.routes.get(self.path, not_found)
            # The crawler may hang up, as it should on a server that drips or floods.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                answer(self)

    return Handler


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server, Server]]:
    """``site`` (127.0.0.1), ``other_port`` (127.0.0.1, another port), ``other_host`` (127.0.0.2)."""
    started = []
    for address in ("127.0.0.1", "127.0.0.1", "127.0.0.2"):
        state = Server(address)
        http = ThreadingHTTPServer((address, 0), _handler(state))
        http.daemon_threads = True
        state.port = http.server_address[1]
        thread = threading.Thread(target=http.serve_forever, daemon=True)
        thread.start()
        started.append((state, http, thread))
    try:
        yield started[0][0], started[1][0], started[2][0]
    finally:
        for _, http, thread in started:
            http.shutdown()
            http.server_close()
            thread.join(timeout=5)


# --- answers -----------------------------------------------------------------------------------


def respond(
    status: int, body: bytes = b"", content_type: str = "text/plain", headers: dict[str, bytes] | None = None
) -> Answer:
    """A whole response at once; header values are bytes, written as they are (non-ASCII too)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        lines = [f"HTTP/1.1 {status} Whatever".encode(), f"Content-Type: {content_type}".encode()]
        lines += [f"Content-Length: {len(body)}".encode(), b"Connection: close"]
        lines += [name.encode() + b": " + value for name, value in (headers or {}).items()]
        handler.wfile.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)

    return answer


def page(*hrefs: str) -> Answer:
    links = "".join(f'<li><a href="{href}">link</a></li>' for href in hrefs)
    body = f'<html><head><meta charset="utf-8"></head><body><ul>{links}</ul></body></html>'
    return respond(200, body.encode("utf-8"), "text/html; charset=utf-8")


def redirect(location: str) -> Answer:
    return respond(302, headers={"Location": location.encode("utf-8")})


def not_found(handler: BaseHTTPRequestHandler) -> None:
    respond(404, b"not found")(handler)


def drip(raw: bytes, every: float) -> Answer:
    """The response one byte at a time, ``every`` seconds apart."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        for byte in raw:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(every)

    return answer


PDF_ANSWER = respond(200, PDF, "application/pdf")


def by_path(report: CrawlReport, base: str) -> dict[str, Fetch]:
    return {f.url.removeprefix(base): f for f in report.fetches}


def statuses(report: CrawlReport, base: str) -> dict[str, str]:
    return {url: f.status for url, f in by_path(report, base).items()}


# --- 1. redirects and the allow-list: host and port ---------------------------------------------


@pytest.mark.parametrize("forbidden", ["other_port", "other_host"])
def test_a_robots_txt_redirected_off_the_allowed_hosts_is_not_followed(
    servers: tuple[Server, Server, Server], forbidden: str, tmp_path: Path
) -> None:
    site, other_port, other_host = servers
    target = other_port if forbidden == "other_port" else other_host
    target.routes["/robots.txt"] = respond(200, b"User-agent: *\nAllow: /\n")
    site.routes["/robots.txt"] = redirect(f"{target.base}/robots.txt")
    site.routes["/list.html"] = page("/doc.pdf")
    site.routes["/doc.pdf"] = PDF_ANSWER

    report = crawl([f"{site.base}/list.html"], tmp_path / "out", SETTINGS, workers=1)

    assert target.paths() == []
    # Rules that cannot be read are taken as "disallow all" (as for an unreachable robots.txt).
    assert statuses(report, site.base) == {"/list.html": "robots_disallowed"}
    assert "robots.txt" in report.fetches[0].message and target.base in report.fetches[0].message
    assert site.paths() == ["/robots.txt"]


def test_every_redirect_hop_and_every_link_is_held_to_the_allowed_origins(
    servers: tuple[Server, Server, Server], tmp_path: Path
) -> None:
    site, other_port, other_host = servers
    for server in (other_port, other_host):
        server.routes["/doc.pdf"] = PDF_ANSWER
    site.routes["/list.html"] = page(
        "/one.pdf",
        "/port.pdf",
        f"{other_port.base}/doc.pdf",
        f"{other_host.base}/doc.pdf",
        f"http://127.0.0.1:{site.port}/ok.pdf",
    )
    site.routes["/one.pdf"] = redirect("/two.pdf")
    site.routes["/two.pdf"] = redirect(f"{other_host.base}/doc.pdf")
    site.routes["/port.pdf"] = redirect(f"{other_port.base}/doc.pdf")
    site.routes["/ok.pdf"] = PDF_ANSWER

    report = crawl([f"{site.base}/list.html"], tmp_path / "out", SETTINGS, workers=1)

    assert other_port.paths() == [] and other_host.paths() == []
    assert statuses(report, site.base) == {
        "/list.html": "downloaded",
        "/one.pdf": "redirect_off_host",
        "/port.pdf": "redirect_off_host",
        "/ok.pdf": "downloaded",
    }
    # Another port is followed once it is allowed (--allow-host HOST:PORT).
    settings = CrawlSettings(
        allow_hosts=frozenset({f"127.0.0.1:{other_port.port}"}), delay=0, timeout=10.0, retries=0
    )
    again = crawl([f"{site.base}/list.html"], tmp_path / "again", settings, workers=1)
    # Asked twice: once as a link, once at the end of /port.pdf's redirect.
    assert other_port.paths() == ["/robots.txt", "/doc.pdf", "/doc.pdf"] and other_host.paths() == []
    assert statuses(again, site.base)["/port.pdf"] == "downloaded"


# --- 2. the timeout bounds the whole request ---------------------------------------------------


def test_a_server_that_drips_is_cut_off_at_the_timeout(
    servers: tuple[Server, Server, Server], tmp_path: Path
) -> None:
    site, other_port, _ = servers
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nConnection: close\r\n"
    site.routes["/list.html"] = page("/body.pdf", "/close.pdf", "/head.pdf")
    # 40 bytes announced and sent a byte every 0.1 s: each read is quick, the whole takes 4 s.
    site.routes["/body.pdf"] = drip(head + b"Content-Length: 40\r\n\r\n" + PDF[:40], 0.1)
    # No length: the body ends when the server closes, so a cut-off body must not pass for whole.
    site.routes["/close.pdf"] = drip(head + b"\r\n" + PDF[:40], 0.1)
    # The status line and headers themselves dripped.
    site.routes["/head.pdf"] = drip(head + b"Content-Length: 4\r\n\r\n%PDF", 0.1)
    other_port.routes["/robots.txt"] = drip(b"HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n" + b"#" * 30, 0.1)
    other_port.routes["/list.html"] = page()

    started = time.monotonic()
    done: list[float] = []
    seeds = [f"{site.base}/list.html", f"{other_port.base}/list.html"]
    settings = replace(SETTINGS, timeout=1.0)
    report = crawl(
        seeds, tmp_path / "out", settings, workers=1, on_fetch=lambda _: done.append(time.monotonic())
    )
    elapsed = done[-1] - started

    assert statuses(report, site.base) == {
        "/list.html": "downloaded",
        "/body.pdf": "timeout",
        "/close.pdf": "timeout",
        "/head.pdf": "timeout",
        # A robots.txt that does not arrive in time is unreachable: disallow all (RFC 9309).
        f"{other_port.base}/list.html": "robots_disallowed",
    }
    # Four requests cut at 1 s each; dripped whole they take 18 s.
    assert elapsed < 8, elapsed
    assert site.paths().count("/body.pdf") == 1


# --- 3. robots.txt and compressed bodies are read to a cap ----------------------------------------


def _gzip_bomb(start: bytes, size: int) -> bytes:
    filler = b"# " + b"x" * 77 + b"\n"
    return gzip.compress(start + filler * (size // len(filler)), compresslevel=9)


def test_robots_txt_and_compressed_bodies_are_read_to_a_cap(
    servers: tuple[Server, Server, Server], tmp_path: Path
) -> None:
    site, _, _ = servers
    robots = _gzip_bomb(b"User-agent: *\nDisallow: /private/\n", 64 * 1024 * 1024)
    assert len(robots) < 300_000
    site.routes["/robots.txt"] = respond(200, robots, headers={"Content-Encoding": b"gzip"})
    site.routes["/list.html"] = page("/private/secret.pdf", "/bomb.pdf", "/doc.pdf")
    site.routes["/bomb.pdf"] = respond(
        200, _gzip_bomb(b"%PDF-1.4\n", 64 * 1024 * 1024), "application/pdf", {"Content-Encoding": b"gzip"}
    )
    site.routes["/doc.pdf"] = respond(
        200, gzip.compress(PDF), "application/pdf", {"Content-Encoding": b"gzip"}
    )

    tracemalloc.start()
    try:
        report = crawl([f"{site.base}/list.html"], tmp_path / "out", SETTINGS, workers=1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert statuses(report, site.base) == {
        "/list.html": "downloaded",
        "/private/secret.pdf": "robots_disallowed",
        "/bomb.pdf": "too_large",
        "/doc.pdf": "downloaded",
    }
    assert "/private/secret.pdf" not in site.paths()
    # Neither 64 MB body was ever held whole (before, the robots.txt alone took some 250 MB).
    assert peak < 24 * 1024 * 1024, peak
    stored = by_path(report, site.base)["/doc.pdf"].path
    assert stored is not None and stored.read_bytes() == PDF


# --- 4. malformed URLs are failures of their own -----------------------------------------------


def test_malformed_links_and_locations_are_recorded_and_the_crawl_goes_on(
    servers: tuple[Server, Server, Server], tmp_path: Path
) -> None:
    site, _, _ = servers
    overlong = "/" + "a" * 70_000 + ".pdf"
    site.routes["/list.html"] = page(
        "http://[oops/a.pdf",
        "/bad\x01name.pdf",
        overlong,
        "http://127.0.0.1:99999/x.pdf",
        "/moved.pdf",
        "/doc.pdf",
    )
    site.routes["/moved.pdf"] = redirect("http://[oops/b.pdf")
    site.routes["/doc.pdf"] = PDF_ANSWER

    report = crawl([f"{site.base}/list.html"], tmp_path / "out", SETTINGS, workers=1)

    found = statuses(report, site.base)
    assert found["/list.html"] == found["/doc.pdf"] == "downloaded"
    assert (
        found["/moved.pdf"] == "bad_url"
        and "http://[oops/b.pdf" in by_path(report, site.base)["/moved.pdf"].message
    )
    bad = [f for f in report.fetches if f.status == "bad_url" and f.url != f"{site.base}/moved.pdf"]
    assert len(bad) == 4 and all(f.listing_url == f"{site.base}/list.html" for f in bad)
    assert all(len(f.url) < 300 and f.url.isprintable() for f in bad)
    assert sorted(set(site.paths())) == ["/doc.pdf", "/list.html", "/moved.pdf", "/robots.txt"]
    # The documents fetched were parsed.
    assert report.batch is not None and report.batch.count("done") == 2


# --- 5. validators that are not ASCII are not kept -----------------------------------------------


def test_validators_that_are_not_ascii_are_never_sent_back(
    servers: tuple[Server, Server, Server], tmp_path: Path
) -> None:
    site, _, _ = servers
    site.routes["/list.html"] = page("/odd.pdf", "/ok.pdf")
    odd = {"ETag": '"预算"'.encode(), "Last-Modified": "星期一, 01 1月 2024".encode()}
    site.routes["/odd.pdf"] = respond(200, PDF, "application/pdf", odd)
    site.routes["/ok.pdf"] = respond(200, PDF + b"\n", "application/pdf", {"ETag": b'"v1"'})
    out = tmp_path / "out"

    crawl([f"{site.base}/list.html"], out, SETTINGS, workers=1)
    state = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
    assert all(v.isascii() for entry in state["urls"].values() for v in entry.values())
    second = crawl([f"{site.base}/list.html"], out, SETTINGS, workers=1)

    assert statuses(second, site.base)["/odd.pdf"] == "unchanged"  # same bytes again
    odd_asked = site.headers_of("/odd.pdf")[1]
    assert "if-none-match" not in odd_asked and "if-modified-since" not in odd_asked
    assert site.headers_of("/ok.pdf")[1]["if-none-match"] == '"v1"'

    # A state file written before this rule (by an older extractor) is read without harm.
    state["urls"][f"{site.base}/ok.pdf"]["etag"] = '"v1\u00e9"'
    (out / STATE_NAME).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    crawl([f"{site.base}/list.html"], out, SETTINGS, workers=1)
    assert "if-none-match" not in site.headers_of("/ok.pdf")[2]


# --- 6. robots.txt in a charset that is no text encoding ------------------------------------------


@pytest.mark.parametrize("charset", ["rot13", "base64", "no-such-charset", "idna", "utf-16"])
def test_a_robots_txt_in_any_charset_is_read(
    servers: tuple[Server, Server, Server], charset: str, tmp_path: Path
) -> None:
    site, _, _ = servers
    rules = b"User-agent: *\nDisallow: /private/\n"
    site.routes["/robots.txt"] = respond(200, rules, f"text/plain; charset={charset}")
    site.routes["/list.html"] = page("/private/secret.pdf", "/doc.pdf")
    site.routes["/doc.pdf"] = PDF_ANSWER

    report = crawl([f"{site.base}/list.html"], tmp_path / "out", SETTINGS, workers=1)

    assert statuses(report, site.base)["/doc.pdf"] == "downloaded"
    if charset != "utf-16":  # the rules as UTF-16 are gibberish: nothing is disallowed
        assert statuses(report, site.base)["/private/secret.pdf"] == "robots_disallowed"
        assert "/private/secret.pdf" not in site.paths()


# --- 7. a listing page is known by its content, not its name ---------------------------------------


@pytest.mark.parametrize("seed", ["/list.htm", "/ysgk/", "/list.jsp?id=3", "/list.aspx"])
def test_a_listing_page_is_searched_for_links_whatever_its_name(
    servers: tuple[Server, Server, Server], seed: str, tmp_path: Path
) -> None:
    site, _, _ = servers
    site.routes[seed] = page("/doc.pdf")
    if seed == "/list.aspx":  # served as a download: its content says HTML
        body = b'<!-- generated -->\n<table><tr><td><a href="/doc.pdf">2024</a></td></tr></table>'
        site.routes[seed] = respond(200, body, "application/octet-stream")
    site.routes["/doc.pdf"] = PDF_ANSWER

    report = crawl([f"{site.base}{seed}"], tmp_path / "out", SETTINGS, workers=1)

    assert site.paths() == ["/robots.txt", seed, "/doc.pdf"]
    assert statuses(report, site.base) == {seed: "downloaded", "/doc.pdf": "downloaded"}


# --- 8. many links, and the cap on URLs ----------------------------------------------------------


def test_links_are_collected_in_linear_time() -> None:
    from extractor.harvest.links import page_to_links

    html = "".join(f'<a href="/d/{i}.pdf">{i}</a>' for i in range(40_000)).encode()
    started = time.monotonic()
    links = page_to_links(html, "http://127.0.0.1/list.html")
    # Quadratic, this took 15 s; in linear time well under one.
    assert time.monotonic() - started < 4
    assert len(links.urls) == 40_000 and links.urls[-1] == "http://127.0.0.1/d/39999.pdf"


def test_the_crawl_stops_at_max_urls(servers: tuple[Server, Server, Server], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from extractor.cli import main

    site, _, _ = servers
    site.routes["/list.html"] = page(*(f"/d{i}.pdf" for i in range(30)), "/d0.pdf")
    for i in range(30):
        site.routes[f"/d{i}.pdf"] = PDF_ANSWER
    args = ["crawl", f"{site.base}/list.html", "--out", str(tmp_path / "out"), "--delay", "0"]
    result = CliRunner().invoke(main, [*args, "--max-urls", "5", "--workers", "1"])

    assert result.exit_code == 0, result.output
    assert site.paths() == ["/robots.txt", "/list.html", "/d0.pdf", "/d1.pdf", "/d2.pdf", "/d3.pdf"]
    assert "5 URLs: 5 downloaded" in result.stderr
    assert "stopped at --max-urls 5: 26 more links not followed" in result.stderr


def test_urls_are_made_normal_or_refused() -> None:
    from extractor.harvest.links import AllowList, BadURL, normal_url

    assert normal_url("HTTP://Gov.Example:80?x=1#p2") == "http://gov.example/?x=1"
    assert normal_url("https://[::1]:443/a") == "https://[::1]/a"
    for bad in (
        "http://[oops/",
        "http://h:99999/",
        "http://h/\x07",
        "ftp://h/",
        "http:///x",
        "http://[v1.x]/",
    ):
        with pytest.raises(BadURL):
            normal_url(bad)
    allowed = AllowList.of(["http://gov.example/list"], frozenset({"cdn.example:8443"}))
    assert allowed.allows("https://gov.example/a.pdf")  # http:80 and https:443 are one site
    assert not allowed.allows("http://gov.example:0/a.pdf")  # port 0 is not the default port
    assert not allowed.allows("http://gov.example:8080/a.pdf")
    assert allowed.allows("https://cdn.example:8443/a.pdf") and not allowed.allows(
        "https://cdn.example/a.pdf"
    )
