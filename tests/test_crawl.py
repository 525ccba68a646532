"""The crawl against a local HTTP server the test starts on 127.0.0.1; no other address is contacted."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extractor.harvest.crawl import CrawlSettings, crawl
from extractor.harvest.links import page_to_links
from extractor.names import redact, url_to_name

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PDF = SAMPLES / "seed" / "seed_reportlab.pdf"
XLSX = SAMPLES / "generated" / "basic_education_xlsx.xlsx"
DOCX = SAMPLES / "seed" / "seed_word.docx"
FLAKY_HTML = SAMPLES / "generated" / "project_road_html_utf8.html"
# A file the crawl must refuse (robots, off host, too deep, too large) is never served with 200.
FORBIDDEN = ("/private/secret.pdf", "/deeper.pdf", "/other-host.pdf")

LISTING = """<html><head><meta charset="utf-8"><title>预算公开</title></head><body>
<p>2024年部门预算公开目录</p>
<table><tr><th>项目</th><th>金额（万元）</th></tr><tr><td>基本支出</td><td>120.5</td></tr></table>
<ul>
<li><a href="/docs/report.pdf">部门预算.pdf</a></li>
<li><a href="docs/book.xlsx#sheet1">表格</a></li>
<li><a href="/old/letter.docx">redirected</a></li>
<li><a href="/missing.pdf">gone</a></li>
<li><a href="/flaky.html">500 then 200</a></li>
<li><a href="/slow.pdf">too slow</a></li>
<li><a href="/big.xls">too large</a></li>
<li><a href="/private/secret.pdf">robots</a></li>
<li><a href="/away.pdf">redirect to another host</a></li>
<li><a href="http://localhost:{port}/other-host.pdf">other host</a></li>
<li><a href="mailto:office@example.org">mail</a> <a href="/about">not a document</a></li>
</ul></body></html>"""


@dataclass
class Site:
    """What the server serves and what it was asked."""

    port: int = 0
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # (host, path, status)
    flaky_calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def bodies(self, path: str) -> int:
        return sum(1 for _, p, status in self.requests if p == path and status == 200)


def _files(site: Site) -> dict[str, tuple[bytes, str]]:
    return {
        "/list.html": (LISTING.format(port=site.port).encode(), "text/html; charset=utf-8"),
        "/docs/report.pdf": (PDF.read_bytes(), "application/pdf"),
        "/docs/book.xlsx": (XLSX.read_bytes(), "application/octet-stream"),
        "/files/letter.docx": (DOCX.read_bytes(), "application/octet-stream"),
        "/flaky.html": (
            FLAKY_HTML.read_bytes().replace(b"</body>", b'<a href="/deeper.pdf">deeper</a></body>'),
            "text/html",
        ),
        "/big.xls": (b"x" * 300_000, "application/vnd.ms-excel"),
        **{path: (b"%PDF-1.4 must not be fetched", "application/pdf") for path in FORBIDDEN},
    }


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    files = _files(site)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test asserts on ``site.requests`` instead."""

        def do_GET(self) -> None:
            path = self.path
            status = self._answer(path)
            with site.lock:
                site.requests.append((self.headers.get("Host", ""), path, status))

        def _answer(self, path: str) -> int:
            if path == "/robots.txt":
                return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            if path == "/old/letter.docx":
                return self._redirect("/files/letter.docx")
            if path == "/away.pdf":
                return self._redirect(f"http://localhost:{site.port}/other-host.pdf")
            if path == "/slow.pdf":
                time.sleep(1.0)
                return self._send(200, b"%PDF-1.4 late", "application/pdf")
            if path == "/flaky.html":
                with site.lock:
                    site.flaky_calls += 1
                    first = site.flaky_calls == 1
                if first:
                    return self._send(500, b"try later", "text/plain")
            if path not in files:
                return self._send(404, b"not found", "text/plain")
            body, content_type = files[path]
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", content_type, etag=etag)
            return self._send(200, body, content_type, etag=etag)

        def _redirect(self, location: str) -> int:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return 302

        def _send(self, status: int, body: bytes, content_type: str, etag: str = "") -> int:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                if status != 304:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the slow response): nothing to answer to
            return status

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    # Handlers are built once the port is known (the listing links to it by another host name).
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


SETTINGS = CrawlSettings(delay=0, timeout=0.4, retries=1, backoff=0.05, max_bytes=200_000)


def _catalog(out: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(out / "catalog.sqlite") as connection:
        rows = connection.execute("SELECT sha256, format, error_code FROM documents").fetchall()
    return {sha: (fmt, error) for sha, fmt, error in rows}


def test_crawl_downloads_the_linked_documents_and_parses_them(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = crawl([f"{site.base}/list.html"], out, SETTINGS, workers=2)

    by_url = {f.url.removeprefix(site.base): f for f in report.fetches}
    assert {u: f.status for u, f in by_url.items()} == {
        "/list.html": "downloaded",
        "/docs/report.pdf": "downloaded",
        "/docs/book.xlsx": "downloaded",
        "/old/letter.docx": "downloaded",
        "/missing.pdf": "http_404",
        "/flaky.html": "downloaded",
        "/slow.pdf": "timeout",
        "/big.xls": "too_large",
        "/private/secret.pdf": "robots_disallowed",
        "/away.pdf": "redirect_off_host",
    }
    assert site.flaky_calls == 2
    assert all(site.bodies(path) == 0 for path in FORBIDDEN)
    assert all(host == f"127.0.0.1:{site.port}" for host, _, _ in site.requests)
    assert sum(1 for _, path, _ in site.requests if path == "/robots.txt") == 1

    # Stored by content, with a sidecar; the suffix comes from the URL, else the Content-Type.
    expected = {
        "/docs/report.pdf": PDF.read_bytes(),
        "/docs/book.xlsx": XLSX.read_bytes(),
        "/old/letter.docx": DOCX.read_bytes(),
    }
    for url, body in expected.items():
        path = by_url[url].path
        assert path is not None and path.read_bytes() == body
        sha = hashlib.sha256(body).hexdigest()
        assert path.relative_to(out).as_posix() == f"files/{sha[:2]}/{sha}{Path(url).suffix}"
        sidecar = json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))
        assert sidecar["url"] == site.base + url
        assert sidecar["sha256"] == sha and sidecar["headers"]["etag"]
    letter_path = by_url["/old/letter.docx"].path
    assert letter_path is not None
    letter = json.loads(letter_path.with_name(letter_path.name + ".json").read_text(encoding="utf-8"))
    assert letter["final_url"] == f"{site.base}/files/letter.docx" and letter["name"] == "letter.docx"
    assert not list((out / "files").glob(".download-*"))

    # The catalog holds the five documents, the listing page (its own table) among them.
    catalog = _catalog(out)
    stored = {f.path for f in report.fetches if f.path is not None}
    assert set(catalog) == {p.stem.split(".")[0] for p in stored}
    assert report.batch is not None and report.batch.count("done") == 5
    listing = by_url["/list.html"].path
    assert listing is not None and catalog[listing.stem] == ("html", None)
    # Each document says where it was published and which listing page linked it (issue 16).
    with sqlite3.connect(out / "catalog.sqlite") as connection:
        published = dict(connection.execute("SELECT url, listing_url FROM documents").fetchall())
    assert published[f"{site.base}/docs/report.pdf"] == f"{site.base}/list.html"
    assert not published[f"{site.base}/list.html"]  # a seed: linked from nowhere (NULL)

    # A second run: every document answers 304, nothing is downloaded or parsed again.
    before = len(site.requests)
    again = crawl([f"{site.base}/list.html"], out, SETTINGS, workers=2)
    second = site.requests[before:]
    assert [f.url for f in again.fetches] == [f.url for f in report.fetches]
    assert all(f.status == "unchanged" for f in again.fetches if f.path is not None)
    # Only what is never stored answers 200 again: robots.txt and the too large file (the slow
    # one's handler may still be asleep).
    again_200 = {path for _, path, status in second if status == 200}
    assert again_200 - {"/slow.pdf"} == {"/robots.txt", "/big.xls"}
    assert again.batch is not None and again.batch.count("skipped") == 5
    assert _catalog(out) == catalog


def test_depth_two_follows_links_of_linked_pages(site: Site, tmp_path: Path) -> None:
    settings = CrawlSettings(delay=0, timeout=0.4, retries=1, backoff=0.05, depth=2, max_bytes=200_000)
    report = crawl([f"{site.base}/list.html"], tmp_path / "out", settings, workers=1)
    deeper = next(f for f in report.fetches if f.url.endswith("/deeper.pdf"))
    assert deeper.status == "downloaded"


def test_links_and_names() -> None:
    page = b'<base href="/a/"><a href="x.pdf#p2">x</a><a href="javascript:void(0)">j</a><a href="x.pdf">x</a>'
    assert page_to_links(page, "https://gov.example/list/").urls == ["https://gov.example/a/x.pdf"]
    assert redact("https://user:secret@gov.example/x.pdf") == "https://gov.example/x.pdf"
    assert redact("postgresql://u:pw@db/c?password=pw&sslmode=require") == "postgresql://db/c?sslmode=require"
    assert url_to_name("https://gov.example/a/%E9%A2%84%E7%AE%97 2024.pdf?x=1") == "预算_2024.pdf"
    assert url_to_name("https://gov.example/") == "index.html"


def test_crawl_command(site: Site, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from extractor.cli import main

    seeds = tmp_path / "seeds.txt"
    seeds.write_text(f"# listing pages\n{site.base}/list.html\n", encoding="utf-8")
    args = ["crawl", str(seeds), "--out", str(tmp_path / "out"), "--delay", "0", "--timeout", "0.4"]
    result = CliRunner().invoke(main, [*args, "--retries", "1", "--max-bytes", "200000", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "5 downloaded" in result.stderr and "robots_disallowed x1" in result.stderr
    # The workers wrote an inspection page per parsed document, linked from the report.
    out = tmp_path / "out"
    assert (out / "report.html").is_file() and f"report: {out / 'report.html'}" in result.stderr
    assert len(list((out / "inspect").glob("*/index.html"))) == len(list((out / "files").glob("*/*.json")))
    bad = CliRunner().invoke(main, ["crawl", "ftp://x.example/list", "--out", str(tmp_path / "o2")])
    assert bad.exit_code == 1 and "only http and https" in bad.stderr
    args = [
        "crawl",
        f"{site.base}/list.html",
        "--allow-host",
        "gov.example:99999",
        "--out",
        str(tmp_path / "o3"),
    ]
    before = len(site.requests)
    bad_host = CliRunner().invoke(main, args)
    assert bad_host.exit_code == 1 and len(site.requests) == before
    assert "an allowed host is not a host, HOST:PORT or origin" in bad_host.stderr


def test_crawl_into_a_postgresql_catalog(site: Site, tmp_path: Path, postgres_url: str) -> None:
    from click.testing import CliRunner

    from extractor.cli import main
    from extractor.harvest.catalog import CATALOG_NAME, Catalog

    out = tmp_path / "out"
    args = ["crawl", f"{site.base}/list.html", "--out", str(out), "--catalog", postgres_url]
    result = CliRunner().invoke(main, [*args, "--delay", "0", "--timeout", "0.4", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert not (out / CATALOG_NAME).exists()  # the downloads stay in OUT, the catalog does not
    stored = {str(p) for p in (out / "files").glob("*/*") if p.suffix != ".json"}
    with Catalog.open(postgres_url) as catalog:
        _, documents = catalog.rows("documents")
    assert {row[0] for row in documents} == stored
