"""The static HTML pages of ``extractor inspect`` and ``extractor report``: one skeleton, one style.

Pages open from disk and work offline: the style is inline, there is no script and nothing
is fetched. Every text from a document or a file name goes through ``html.escape``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #999; padding: 2px 6px; vertical-align: top; font-size: 0.9em; }
th { background: #eee; text-align: left; }
table.grid td.merged { background: #fff3c4; }
table.grid tr.row-header td { background: #dde8ff; font-weight: bold; }
table.grid tr.row-title td { background: #eee; font-style: italic; }
table.grid td.pos { color: #888; background: #f7f7f7; font-size: 0.75em; }
.error { color: #b00; font-weight: bold; } .ok { color: #070; }
.warnings li, td.warn { color: #8a5a00; } td.warn { border: 2px solid #e0a000; background: #fff8e0; }
.meta { color: #555; } .num { text-align: right; font-variant-numeric: tabular-nums; }
img.page { max-width: 100%; border: 1px solid #ccc; }
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def page(title: str, body: str) -> str:
    """A whole HTML document around ``body``."""
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Sequence[int] = (),
    raw: Sequence[int] = (),
) -> str:
    """A plain data table; columns at ``numeric`` are right-aligned, those at ``raw`` hold HTML
    already escaped (links)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = str(value) if i in raw else esc(value)
            cells.append(f'<td class="num">{text}</td>' if i in numeric else f"<td>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def bullet_list(items: Iterable[str], css_class: str = "") -> str:
    """Already-escaped items as a list."""
    entries = "".join(f"<li>{item}</li>" for item in items)
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<ul{attribute}>{entries}</ul>" if entries else ""
