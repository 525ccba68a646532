"""One HTTP request of the crawl, held to a deadline and to a byte cap whatever the server does.

httpx's timeout bounds each read, not the request: a server that drips a byte a second keeps
every read short and the request alive for as long as it likes. So each request here has a
``Deadline``: when it passes, a timer shuts the request's socket (handed over by httpcore's
``trace`` extension as the connection opens; the client keeps no connection alive, so every
request opens its own), a read blocked on the server returns at once, and the request ends as
``RequestTimedOut``, in the connect, the headers or the body alike.

Bodies are read raw and inflated here, in steps of at most 64 KiB (only gzip and deflate are
asked for), so that a cap counts what a body inflates to before it is held: a 2 MB gzip
robots.txt once became 8 GB in memory.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any

import httpx

from extractor.names import printable

#: The content codings asked for: those inflated here, in bounded steps.
ACCEPT_ENCODING = "gzip, deflate"
#: The most one step of inflating a body gives.
_STEP = 64 * 1024
#: The longest ETag or Last-Modified kept to be sent back.
_VALIDATOR_LENGTH = 512


class RequestTimedOut(Exception):
    """The request's deadline passed, in whichever phase it was."""


class BodyTooLarge(Exception):
    """The body, inflated, is larger than allowed."""


class Deadline:
    """The whole time one request may take; used as a context manager around it, whose
    ``trace`` is given to httpx as the request's ``trace`` extension."""

    def __init__(self, seconds: float) -> None:
        self._at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._timer.cancel()

    @property
    def passed(self) -> bool:
        return self._expired or time.monotonic() >= self._at

    def check(self) -> None:
        if self.passed:
            raise RequestTimedOut

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace: keep the socket of the connection (and of its TLS layer) it opens."""
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        opened = info["return_value"].get_extra_info("socket")
        with self._lock:
            self._sockets.append(opened)
            expired = self._expired
        if expired:
            _shut(opened)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            sockets = list(self._sockets)
        for opened in sockets:
            _shut(opened)


def _shut(opened: socket.socket) -> None:
    """End the connection under a read blocked on it. The plain socket's shutdown, also for a TLS
    one: an SSLSocket's own would first drop the TLS state the reading thread is using."""
    with contextlib.suppress(OSError):  # already closed: nothing to cut
        socket.socket.shutdown(opened, socket.SHUT_RDWR)


def client(timeout: float, user_agent: str) -> httpx.Client:
    """The crawl's client: no redirects (they are checked hop by hop), no proxy or netrc from the
    environment, no connection kept alive (each request's socket is its own, for its deadline)."""
    return httpx.Client(
        headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


@contextlib.contextmanager
def request(
    http: httpx.Client, url: str, seconds: float, headers: Mapping[str, str] | None = None
) -> Iterator[tuple[httpx.Response, Deadline]]:
    """GET ``url``, the response open to be streamed, all of it within ``seconds``: raises
    ``RequestTimedOut`` when they pass, ``httpx.HTTPError`` for any other failure."""
    with Deadline(seconds) as deadline:
        try:
            with http.stream("GET", url, headers=headers, extensions={"trace": deadline.trace}) as response:
                yield response, deadline
        except httpx.TimeoutException as exc:
            raise RequestTimedOut from exc
        except httpx.HTTPError as exc:
            if deadline.passed:  # the socket was shut under the request
                raise RequestTimedOut from exc
            raise


def body(response: httpx.Response, deadline: Deadline) -> Iterator[bytes]:
    """The body, inflated, in pieces of at most 64 KiB. ``RequestTimedOut`` once the deadline has
    passed, also when the server ends the body by closing (a cut that would pass for its end)."""
    inflate = _Inflater(response.headers.get("content-encoding", ""))
    for raw in response.iter_raw():
        deadline.check()
        yield from inflate(raw)
    deadline.check()


def read_capped(response: httpx.Response, deadline: Deadline, cap: int) -> bytes:
    """The first ``cap`` bytes of the body (inflated); the rest is never read."""
    pieces: list[bytes] = []
    size = 0
    for piece in body(response, deadline):
        pieces.append(piece[: cap - size])
        size += len(pieces[-1])
        if size >= cap:
            break
    return b"".join(pieces)


class _Inflater:
    """A Content-Encoding undone in bounded steps; a damaged or unasked-for one is an
    ``httpx.DecodingError``, a failure of the request like any other."""

    def __init__(self, encoding: str) -> None:
        self._coding = encoding.strip().lower()
        if self._coding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise httpx.DecodingError(f"content-encoding {printable(self._coding)!r} was not asked for")
        wbits = 31 if "gzip" in self._coding else 15
        self._zlib = zlib.decompressobj(wbits) if self._coding not in ("", "identity") else None
        self._started = False

    def __call__(self, data: bytes) -> Iterator[bytes]:
        if self._zlib is None:
            yield data
            return
        while not self._zlib.eof:
            try:
                piece = self._zlib.decompress(data, _STEP)
            except zlib.error as exc:
                if self._coding == "deflate" and not self._started:  # sent without zlib's wrapper
                    self._zlib = zlib.decompressobj(-15)
                    self._started = True
                    continue
                raise httpx.DecodingError(f"the {self._coding} body is damaged: {exc}") from exc
            self._started = True
            if piece:
                yield piece
            data = self._zlib.unconsumed_tail
            if not data and len(piece) < _STEP:  # a full step may leave output pending
                return


# --- validators ---------------------------------------------------------------------------------


def validator(value: str | None) -> str | None:
    """An ETag or Last-Modified fit to be sent back: printable ASCII and not too long. Any other is
    dropped: httpx cannot send it, and a state file of an older crawl may still hold one."""
    if value is None or len(value) > _VALIDATOR_LENGTH or not (value.isascii() and value.isprintable()):
        return None
    return value
