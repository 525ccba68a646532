"""docs/kinds.md, the table kinds a result names, generated from the vocabulary that names them.

``python -m tests.kinds_doc --update`` (``make docs``) rewrites it; ``tests/test_contract.py``
fails while it differs from what the vocabulary says, so the document cannot fall behind.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extractor.normalise import vocabulary as vocab

KINDS_DOC = Path(__file__).resolve().parent.parent / "docs" / "kinds.md"


def render() -> str:
    """The kinds in the order they are tried, each with the title words that name it."""
    headers = dict(vocab.HEADER_SIGNATURES)
    lines = [
        "# Table kinds",
        "",
        "Every table of a result has a `kind` (docs/contract.md §3). A title names a kind when its",
        "words include every word of one alternative below; kinds are tried top to bottom, the most",
        "specific first. An untitled table is named by the words of its first header rows (last",
        "column below), and a form with indicator blocks by its fields (项目名称: a project's,",
        "单位名称 or 部门名称: a department's). Anything else is `generic`, which still gets its grid,",
        "its cells and, where it has a code column or a 合计 row, its money and self-checks.",
        "Generated from `extractor/normalise/vocabulary.py` by `make docs`; `tests/test_contract.py`",
        "checks it.",
        "",
        "| kind | title words (any one line) | header words of an untitled table |",
        "|---|---|---|",
    ]
    for kind, alternatives in vocab.KIND_SIGNATURES:
        title = "<br>".join(" + ".join(words) for words in alternatives)
        header = "<br>".join(" + ".join(words) for words in headers.get(kind, ()))
        lines.append(f"| `{kind}` | {title} | {header} |")
    lines.append("| `generic` | anything else | |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--update", action="store_true", help="rewrite docs/kinds.md")
    args = parser.parse_args()
    if args.update:
        KINDS_DOC.write_text(render(), encoding="utf-8")
        print(f"wrote {KINDS_DOC}")
        return 0
    return 0 if KINDS_DOC.read_text(encoding="utf-8") == render() else 1


if __name__ == "__main__":
    raise SystemExit(main())
