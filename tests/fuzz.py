"""Coverage-guided fuzzing (atheris, libFuzzer) of the readers and the value parser, bounded in time.

``make fuzz`` runs every target for ``--seconds`` each, one process per target, starting
from the bundled samples. A target fails when its input makes the code under test raise
anything but the coded ``ExtractorError`` (for the readers: when ``parse`` would report
``internal_error``), or kills the process. libFuzzer then writes the input to
``out/fuzz/<target>/crash-*`` and this runner exits 1, printing where; fix the bug, copy the
input to ``samples/bad/regressions/`` and give it its expected code in ``expected.json``
there, so that ``tests/test_bad_inputs.py`` keeps it fixed.

    .venv/bin/python -m tests.fuzz --seconds 60            # every target
    .venv/bin/python -m tests.fuzz --target html --seconds 600
"""

from __future__ import annotations

import argparse
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
    "values": [],
}
SUFFIXES = {"html": ".html", "docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf"}


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


def _run_target(target: str, seconds: int) -> None:
    """Inside the child process: set up atheris and fuzz until libFuzzer's time is up."""
    import atheris

    with atheris.instrument_imports(include=["extractor"]):
        one_input = _values_target() if target == "values" else _document_target(SUFFIXES[target])
    corpus = OUT / target / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS[target]:
        shutil.copy(seed, corpus / seed.name)
    # The pipeline logs the traceback of an internal error; the crash report shows it anyway.
    import logging

    logging.disable(logging.CRITICAL)
    args = [
        sys.argv[0],
        f"-max_total_time={seconds}",
        f"-artifact_prefix={OUT / target}/",
        "-rss_limit_mb=3072",
        "-timeout=30",
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
