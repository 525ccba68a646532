"""An origin's robots.txt (RFC 9309), read within the crawl's guards and never its end.

It is fetched like any request (a deadline, redirects checked against the allowed origins at
every hop, nothing kept alive) and read to a cap of 512 KiB once inflated: Google reads 500 KiB
and ignores the rest, and a 2 MB gzip robots.txt once took 8 GB. It is decoded in the charset it
states when that is a text encoding, else as UTF-8 (``charset=rot13`` once ended the crawl).
Of its lines, only the blank ones and the user-agent, allow and disallow lines urllib's parser
can take are given to it; the crawl keeps its own pace (``--delay``), not Crawl-delay.
"""

from __future__ import annotations

import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlparse, urlunparse

import httpx

from extractor.harvest.fetch import RequestTimedOut, read_capped, request
from extractor.harvest.links import AllowList, BadURL, Origin, join_url
from extractor.names import redact

#: The most of a robots.txt that is read; the rest is ignored.
ROBOTS_MAX_BYTES = 512 * 1024
#: Redirects followed to reach a robots.txt (RFC 9309: at least five).
MAX_REDIRECTS = 5
#: The fields obeyed; urllib's parser turns some others into errors (``Crawl-delay: ²``).
_FIELDS = frozenset({"user-agent", "allow", "disallow"})
#: The rules an unreachable or unreadable robots.txt stands for.
_DISALLOW_ALL = ["User-agent: *", "Disallow: /"]


@dataclass(frozen=True)
class Robots:
    """The rules of one origin and, when they stand for rules that could not be read, why."""

    rules: urllib.robotparser.RobotFileParser
    note: str = ""

    @classmethod
    def of(cls, lines: list[str], note: str = "") -> Robots:
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(lines)
        return cls(rules, note)

    def allow(self, user_agent: str, url: str) -> bool:
        """Whether ``user_agent`` may fetch ``url``. A URL urllib cannot take apart once unquoted
        (a path ``//%5B…`` reads as a broken host) is not fetched: the rules for it are unknown."""
        try:
            return self.rules.can_fetch(user_agent, url)
        except ValueError:
            return False


def read_robots(
    http: httpx.Client,
    origin: Origin,
    allowed: AllowList,
    *,
    timeout: float,
    cap: int,
    wait_turn: Callable[[str], None],
) -> Robots:
    """The robots.txt of ``origin``. Missing (4xx) allows all; 401, 403, 5xx, no answer within
    ``timeout`` or a redirect off the allowed origins (rules that cannot be read) disallow all;
    more than five redirects allow all. ``wait_turn`` is called before each request."""
    current = f"{origin}/robots.txt"
    for _ in range(MAX_REDIRECTS + 1):
        wait_turn(current)
        try:
            with request(http, current, timeout) as (response, deadline):
                status = response.status_code
                if response.is_redirect and "location" in response.headers:
                    target = join_url(current, response.headers["location"])
                    if not allowed.allows(target):
                        return Robots.of(
                            _DISALLOW_ALL, f"its robots.txt redirects to {redact(target)}, not allowed"
                        )
                    current = target
                    continue
                if status in (401, 403) or status >= 500:
                    return Robots.of(_DISALLOW_ALL, f"its robots.txt answered {status}")
                if not 200 <= status < 300:
                    return Robots.of([])
                data = read_capped(response, deadline, cap)
                return Robots.of(robots_lines(data, response.headers.get("content-type", "")))
        except BadURL as exc:
            return Robots.of(_DISALLOW_ALL, f"its robots.txt redirects to a malformed URL: {exc}")
        except RequestTimedOut:
            return Robots.of(_DISALLOW_ALL, f"its robots.txt did not come within {timeout:g} s")
        except httpx.HTTPError as exc:
            return Robots.of(_DISALLOW_ALL, f"its robots.txt could not be read: {type(exc).__name__}")
    return Robots.of([])


def robots_lines(data: bytes, content_type: str) -> list[str]:
    """The lines of a robots.txt to give urllib's parser: blank lines (they end a group) and the
    user-agent, allow and disallow lines whose path it can parse (``Disallow: //[`` it cannot)."""
    kept = []
    for line in decode_text(data, charset_of(content_type)).splitlines():
        name, colon, value = line.split("#", 1)[0].partition(":")
        if not line or (colon and name.strip().lower() in _FIELDS and _parsable(value)):
            kept.append(line)
    return kept


def decode_text(data: bytes, charset: str) -> str:
    """``data`` in ``charset`` when that names a text encoding, else as UTF-8; undecodable bytes
    replaced. ``bytes.decode`` refuses what is no text encoding (rot13, base64) with a
    LookupError; some text codecs refuse "replace" (idna) or any bytes (undefined)."""
    try:
        return data.decode(charset, "replace")
    except (LookupError, UnicodeError, ValueError):
        return data.decode("utf-8", "replace")


def charset_of(content_type: str) -> str:
    """The charset parameter of a Content-Type, ``utf-8`` if it has none."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return "utf-8"


def _parsable(value: str) -> bool:
    """Whether urllib's robots parser takes this path (it quotes ``urlunparse(urlparse(…))``)."""
    try:
        quote(urlunparse(urlparse(unquote(value.strip()))))
    except ValueError:  # UnicodeEncodeError too: a lone surrogate from a lax codec
        return False
    return True
