"""Coverage-guided fuzzing (atheris, libFuzzer) of the readers, the value parser and the crawl's
URL and robots.txt handling, bounded in time.

``make fuzz`` runs every target for ``--seconds`` each, one process per target, starting
from the bundled samples. A target fails when its input makes the code under test raise
anything but the coded ``ExtractorError`` (for the readers: when ``parse`` would report
``internal_error``; for ``crawl_urls``: anything but ``BadURL``, or a URL that is not stable
under ``normal_url``), or kills the process. libFuzzer then writes the input to
``out/fuzz/<target>/crash-*`` and this runner exits 1, printing where; fix the bug, copy a
reader's input to ``samples/bad/regressions/`` and give it its expected code in
``expected.json`` there, so that ``tests/test_bad_inputs.py`` keeps it fixed (a crawl input
becomes a case in ``tests/test_crawl_hostile.py``).

RTF goes through LibreOffice, a second or more per input, so its target takes inputs of at
most 4 KiB and gets about one run a second.

    .venv/bin/python -m tests.fuzz --seconds 60            # every target
    .venv/bin/python -m tests.fuzz --target html --seconds 600
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out" / "fuzz"
SEED = ROOT / "samples" / "seed"
GENERATED = ROOT / "samples" / "generated"

#: Each target's starting inputs: small real files of its format.
SEEDS = {
    "html": [
        SEED / "seed_portal_gbk.html",
        SEED / "seed_word_export.html",
        GENERATED / "self_water_html_utf8.html",
    ],
    "docx": [SEED / "seed_word.docx", GENERATED / "pack_street_docx.docx"],
    "xlsx": [SEED / "seed_workbook.xlsx", GENERATED / "self_legal_xlsx.xlsx"],
    "pdf": [GENERATED / "basic_street_reportlab.pdf", GENERATED / "self_legal_libreoffice.pdf"],
    "xls": [SEED / "seed_workbook.xls", GENERATED / "three_street_xls.xls"],
    "rtf": [],  # written by _write_seeds: the samples hold no RTF file
    "values": [],
    "crawl_urls": [],  # written by _write_seeds
}
SUFFIXES = {"html": ".html", "docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf", "xls": ".xls", "rtf": ".rtf"}
#: libFuzzer options of one target besides the common ones.
OPTIONS = {"rtf": ["-max_len=4096"]}
#: A small RTF table, the seed of the rtf target.
RTF_SEED = (
    rb"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0 SimSun;}}"
    rb"\trowd\cellx3000\cellx6000\intbl Item\cell Amount (10k yuan)\cell\row"
    rb"\trowd\cellx3000\cellx6000\intbl Basic\cell 120.5\cell\row"
    rb"\trowd\cellx3000\cellx6000\intbl Project\cell 80\cell\row}"
)
#: The parts of a crawl_urls input, in order, split at NUL: a base URL, a link or Location, an
#: --allow-host value, a page, a robots.txt, its Content-Type.
CRAWL_SEEDS = (
    b"http://gov.example/ysgk/\x00../docs/2024.pdf#p2\x00gov.example:8080\x00"
    b'<base href="/a/"><a href="x.pdf">x</a><a href="http://[oops">y</a><a href="mailto:a@b">m</a>'
    b"\x00User-agent: *\nDisallow: /private/\nCrawl-delay: 5\n\x00text/plain; charset=gbk",
    b"https://czj.example.gov.cn:443/a?b=1\x00//other.example/x.xls\x00https://cdn.example\x00"
    + (SEED / "seed_portal_gbk.html").read_bytes()
    + b"\x00\xef\xbb\xbfUser-agent: extractor\nAllow: /\n\nUser-agent: *\nDisallow: //[\x00text/html",
)


def _document_target(suffix: str) -> Callable[[bytes], None]:
    """Parse the bytes as a file of ``suffix``; an internal error is a crash."""
    from extractor.pipeline import parse

    folder = Path(
        tempfile.mkdtemp(prefix="extractor-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    )
    path = folder / f"input{suffix}"

    def one_input(data: bytes) -> None:
        path.write_bytes(data)
        result = parse(path)
        if result.error is not None and result.error.code == "internal_error":
            raise AssertionError(result.error.message)

    return one_input


def _values_target() -> Callable[[bytes], None]:
    """The text rules and the value parsers on any text: they return, never raise."""
    import atheris

    from extractor.normalise.text import normalise
    from extractor.normalise.values import parse_amount, parse_target

    def one_input(data: bytes) -> None:
        text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(256)
        normalise(text)
        parse_target(text)
        parse_amount(text)

    return one_input


def _crawl_urls_target() -> Callable[[bytes], None]:
    """The crawl's handling of what servers and pages send: URLs normalised and joined, allowed
    origins, a page's links, a robots.txt decoded, parsed and asked. Each returns a clean result
    or raises ``BadURL``; a URL it gives is normal (``normal_url`` leaves it as it is)."""
    from extractor.harvest.links import (
        AllowList,
        BadURL,
        is_page,
        join_url,
        normal_url,
        page_to_links,
    )
    from extractor.harvest.robots import Robots, robots_lines

    def stable(url: str) -> str:
        if normal_url(url) != url:
            raise AssertionError(f"{url!r} is not normal: {normal_url(url)!r}")
        return url

    def one_input(data: bytes) -> None:
        parts = (data.split(b"\x00", 5) + [b""] * 6)[:6]
        base_text, href, spec, content_type = (
            parts[i].decode("utf-8", "surrogateescape") for i in (0, 1, 2, 5)
        )
        urls = []
        try:
            base = stable(normal_url(base_text))
        except BadURL:
            base = "http://gov.example/ysgk/"
        with contextlib.suppress(BadURL):
            urls.append(stable(join_url(base, href)))
        try:
            allowed = AllowList.of([base], frozenset({spec}))
        except BadURL:
            allowed = AllowList.of([base], frozenset())
        urls += [stable(link) for link in page_to_links(parts[3], base).urls]
        rules = Robots.of(robots_lines(parts[4], content_type))
        for url in [base, *urls]:
            allowed.allows(url)
            rules.allow("extractor/1.0", url)
        is_page(content_type, parts[3][:1024])

    return one_input


def _write_seeds(target: str, corpus: Path) -> None:
    """The starting inputs of a target: its sample files, or those made here."""
    for seed in SEEDS[target]:
        shutil.copy(seed, corpus / seed.name)
    if target == "rtf":
        (corpus / "table.rtf").write_bytes(RTF_SEED)
    if target == "crawl_urls":
        for number, seed_bytes in enumerate(CRAWL_SEEDS):
            (corpus / f"crawl-{number}").write_bytes(seed_bytes)


def _one_input(target: str) -> Callable[[bytes], None]:
    if target == "values":
        return _values_target()
    if target == "crawl_urls":
        return _crawl_urls_target()
    return _document_target(SUFFIXES[target])


def _run_target(target: str, seconds: int) -> None:
    """Inside the child process: set up atheris and fuzz until libFuzzer's time is up."""
    import atheris

    with atheris.instrument_imports(include=["extractor"]):
        one_input = _one_input(target)
    if target == "crawl_urls":  # its work is mostly urllib's and httpx's: guide by theirs too
        atheris.instrument_all()
    corpus = OUT / target / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    _write_seeds(target, corpus)
    # The pipeline logs the traceback of an internal error; the crash report shows it anyway.
    import logging

    logging.disable(logging.CRITICAL)
    args = [
        sys.argv[0],
        f"-max_total_time={seconds}",
        f"-artifact_prefix={OUT / target}/",
        "-rss_limit_mb=3072",
        "-timeout=30",
        *OPTIONS.get(target, []),
        str(corpus),
    ]
    atheris.Setup(args, one_input)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=sorted(SEEDS), action="append", help="default: all")
    parser.add_argument("--seconds", type=int, default=60, help="per target (default 60)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _run_target(args.child, args.seconds)
        return 0
    failed = []
    for target in args.target or sorted(SEEDS):
        print(f"fuzzing {target} for {args.seconds} s", file=sys.stderr, flush=True)
        child = subprocess.run(
            [sys.executable, "-m", "tests.fuzz", "--child", target, "--seconds", str(args.seconds)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        log = OUT / target / "fuzz.log"
        log.write_text(child.stdout, encoding="utf-8")
        summary = [line for line in child.stdout.splitlines() if line.startswith(("Done", "#"))][-1:]
        print(f"  {target}: exit {child.returncode}; {' '.join(summary)} (log: {log})", file=sys.stderr)
        if child.returncode != 0:
            failed.append(target)
            crashes = sorted((OUT / target).glob("crash-*")) + sorted((OUT / target).glob("timeout-*"))
            for crash in crashes:
                print(f"  input that failed: {crash}", file=sys.stderr)
    if failed:
        print(f"fuzzing found failures in: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("fuzzing ran clean", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
