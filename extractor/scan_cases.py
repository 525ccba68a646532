"""Simulated scans as evaluation cases: made when the evaluation runs, compared as a scan shows.

A case under ``golden/scans`` names the document it is a scan of and is scored against that
document's truth (``evaluate.load_cases``). Scans of documents outside the repository (the
real corpus in ../shared) are not committed: ``samples/make_scans.py`` makes them from the
case's ``scan`` block when the evaluation runs. A scan cannot show every difference its truth
records: the widths of punctuation, which a font sets apart only by the blank around them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

#: The set of simulated scans (golden/scans), scored in rows of its own.
SCANS = "scans"
#: Punctuation whose width a scan cannot show: a font sets （ and ( alike but for the blank
#: around them, and the recogniser reads either. Scans are scored with these folded to ASCII in
#: truth and reading alike (``width_folded``); the contract keeps them as printed, which only a
#: text layer tells.
SCAN_WIDTHS = str.maketrans("（），：；", "(),:;")


def width_folded(key: tuple[str, ...]) -> tuple[str, ...]:
    """A record's key as a scan can show it: ``SCAN_WIDTHS`` folded."""
    return tuple(part.translate(SCAN_WIDTHS) for part in key)


def simulate_scans(specs: Sequence[Path], root: Path) -> None:
    """Write the scans the case.json files ``specs`` describe (samples/make_scans.py; a case
    whose source document is absent, such as one of ../shared, is skipped there and then by
    the evaluation)."""
    script = root / "samples" / "make_scans.py"
    if not specs:
        return
    if not script.exists():
        print(f"scans not simulated: {script} is not present", file=sys.stderr)
        return
    done = subprocess.run([sys.executable, str(script), *map(str, specs)], cwd=root, check=False)
    if done.returncode:
        print(f"scans not simulated: {script.name} exited with {done.returncode}", file=sys.stderr)
