"""One document as the pipeline saw it: a static HTML page, and for PDFs the pages as images.

``index.html`` shows each reconstructed table with its real rowspans and colspans (merged
cells shaded, each row labelled with what it was read as: header, indicator, money …), then
the records read from it (the hierarchy columns and the parsed values beside the raw text),
then its warnings; warnings without a table come first. For a PDF, ``page-N.png`` shows each
page with the detected table and cell boxes (``extractor.look.overlay``), linked from the tables
that come from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor.export import format_value, write_text_atomic
from extractor.layout.reconstruct import row_roles
from extractor.limits import Limits
from extractor.look.html_pages import bullet_list, esc, page, table
from extractor.model import Issue
from extractor.names import safe_file_name
from extractor.pipeline import parse
from extractor.records import ParseResult, Table

INDEX_NAME = "index.html"


@dataclass(frozen=True)
class Inspection:
    """What ``inspect_result`` wrote: the page and the images."""

    html: Path
    images: tuple[Path, ...]


def inspection_folder_name(file_name: str, sha256: str) -> str:
    """The folder of one document's inspection inside a run's ``inspect/``: name and content."""
    return f"{safe_file_name(file_name)}-{sha256[:12] or 'unread'}"


def pages_beyond(result: ParseResult, pages: Sequence[int]) -> list[int]:
    """The pages asked for that the document does not have."""
    return [page for page in pages if result.source.pages is not None and page > result.source.pages]


def parse_and_inspect_file(
    path: Path, *, out_dir: Path, pages: tuple[int, ...], limits: Limits, pdf_backend: str, ocr: str
) -> ParseResult:
    """``extractor inspect`` in the worker process that guards it (time, memory): parse, then
    write the page and images unless a page asked for is beyond the document (the command then
    says so). The result goes back without its grids: the page is written."""
    result = parse(path, limits=limits, pdf_backend=pdf_backend, ocr=ocr)
    if not pages_beyond(result, pages):
        inspect_result(result, out_dir, pdf_path=path, pages=pages or None)
    return result.without_grids()


#: Formats whose pages are drawn as images with their cells: PDFs and scanned images.
PAGED_FORMATS = ("pdf", "image")


def inspect_result(
    result: ParseResult,
    out_dir: Path,
    *,
    pdf_path: Path | None = None,
    pages: Sequence[int] | None = None,
) -> Inspection:
    """Write ``out_dir/index.html`` for ``result``; with ``pdf_path`` (a PDF or a scanned image),
    the page images too."""
    images: list[Path] = []
    if pdf_path is not None and result.source.format in PAGED_FORMATS and result.error is None:
        from extractor.look.overlay import render_image_pages, render_pages

        render = render_pages if result.source.format == "pdf" else render_image_pages
        images = render(pdf_path, result.tables, out_dir, pages=pages)
    shown = [t for t in result.tables if pages is None or set(t.pages) & set(pages)]
    body = [_document_head(result), _warnings(w for w in result.warnings if w.table is None)]
    body.extend(_table_section(t, [w for w in result.warnings if w.table == t.id], images) for t in shown)
    if images:
        body.append("<h2>Pages</h2>")
        for image in images:
            name = esc(image.stem)
            body.append(f'<h3 id="{name}">{name}</h3><img class="page" src="{esc(image.name)}" alt="{name}">')
    target = out_dir / INDEX_NAME
    write_text_atomic(target, page(f"inspect {Path(result.source.path).name}", "\n".join(body)))
    return Inspection(html=target, images=tuple(images))


def _document_head(result: ParseResult) -> str:
    source = result.source
    status = (
        f'<span class="error">error {esc(result.error.code)}: {esc(result.error.message)}</span>'
        if result.error
        else f'<span class="ok">{len(result.tables)} tables</span>'
    )
    return (
        f"<h1>{esc(Path(source.path).name)}</h1>"
        f'<p class="meta">{esc(source.path)} · {esc(source.format or "?")} · '
        f"{esc(source.pages or '-')} pages · sha256 {esc(source.sha256[:16])}…</p><p>{status}</p>"
    )


def _warnings(warnings: Iterable[Issue]) -> str:
    items = [
        f"<b>{esc(w.code)}</b>{f' (page {w.page})' if w.page else ''}: {esc(w.message)}" for w in warnings
    ]
    return bullet_list(items, "warnings")


def _table_section(t: Table, warnings: list[Issue], images: Sequence[Path]) -> str:
    pages = ", ".join(
        f'<a href="#page-{p}">page {p}</a>' if any(i.stem == f"page-{p}" for i in images) else f"page {p}"
        for p in t.pages
    )
    if t.sheet:
        pages = f"sheet {esc(t.sheet)} {esc(t.cell_range)}"
    checks = f" · self-checks {t.checks_held}/{t.checks_total}" if t.checks_total else ""
    meta = (
        f'<p class="meta">kind <b>{esc(t.kind)}</b> ({t.kind_confidence:.1f}'
        f"{', ' + esc('+'.join(t.kind_words)) if t.kind_words else ''}) · {pages or 'no page'} · "
        f"{t.grid.n_rows}×{t.grid.n_cols} · year {esc(t.meta.year or '-')} · "
        f"unit {esc(t.meta.unit_name or '-')} · amounts in {esc(t.meta.amount_unit or '-')}{checks}</p>"
    )
    parts = [f'<h2 id="{esc(t.id)}">{esc(t.id)}: {esc(t.title or "(untitled)")}</h2>', meta]
    parts.append(_warnings(w for w in warnings if w.row is None))
    parts.append(grid_html(t, [w for w in warnings if w.row is not None]))
    parts.extend(_records(t))
    return "\n".join(parts)


def grid_html(t: Table, row_warnings: Sequence[Issue] = ()) -> str:
    """The grid with its spans: one ``<td>`` per anchor cell, ``rowspan``/``colspan`` as read;
    a warning about one row stands in a last cell of that row."""
    grid, roles = t.grid, row_roles(t)
    beside: dict[int, list[str]] = {}
    for w in row_warnings:
        beside.setdefault(w.row or 0, []).append(f"<b>{esc(w.code)}</b>: {esc(w.message)}")
    anchors: dict[int, list[str]] = {r: [] for r in range(grid.n_rows)}
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        spans = ""
        if cell.rowspan > 1:
            spans += f' rowspan="{cell.rowspan}"'
        if cell.colspan > 1:
            spans += f' colspan="{cell.colspan}"'
        css = ' class="merged"' if spans else ""
        text = esc(cell.text).replace("\n", "<br>")
        anchors[cell.row].append(f'<td{css}{spans} data-row="{cell.row}" data-col="{cell.col}">{text}</td>')
    rows = []
    for r in range(grid.n_rows):
        role = roles[r]
        label = f'<td class="pos">{r} {esc(role)}</td>'
        warning = f'<td class="warn">{"<br>".join(beside[r])}</td>' if r in beside else ""
        rows.append(f'<tr class="row-{esc(role or "none")}">{label}{"".join(anchors[r])}{warning}</tr>')
    return f'<table class="grid" data-table="{esc(t.id)}">{"".join(rows)}</table>'


def _records(t: Table) -> list[str]:
    parts: list[str] = []
    if t.indicators:
        parts.append(f"<h3>indicators ({len(t.indicators)})</h3>")
        parts.append(
            table(
                (
                    "一级",
                    "二级",
                    "三级",
                    "重点工作",
                    "项目",
                    "raw",
                    "op",
                    "value",
                    "max",
                    "unit",
                    "kind",
                    "page",
                ),
                (
                    (
                        i.level1,
                        i.level2,
                        i.level3,
                        i.key_work,
                        i.project,
                        i.target.raw,
                        i.target.op,
                        format_value(i.target.value),
                        format_value(i.target.value_max),
                        i.target.unit,
                        i.target.kind,
                        format_value(i.page),
                    )
                    for i in t.indicators
                ),
                numeric=(7, 8),
            )
        )
    if t.funds:
        parts.append(f"<h3>funds ({len(t.funds)})</h3>")
        parts.append(
            table(
                ("direction", "code", "path", "column", "raw", "amount", "unit", "page"),
                (
                    (
                        f.direction,
                        f.code,
                        " / ".join(f.path),
                        " / ".join(f.column),
                        f.raw,
                        format_value(f.amount),
                        f.amount_unit,
                        format_value(f.page),
                    )
                    for f in t.funds
                ),
                numeric=(5,),
            )
        )
    if t.fields:
        parts.append(f"<h3>fields ({len(t.fields)})</h3>")
        parts.append(
            table(("key", "value", "page"), ((f.key, f.value, format_value(f.page)) for f in t.fields))
        )
    if t.cells:
        parts.append(f"<h3>cells ({len(t.cells)})</h3>")
        parts.append(
            table(
                ("row", "column", "text", "page"),
                (
                    (" / ".join(c.row_path), " / ".join(c.column_path), c.text, format_value(c.page))
                    for c in t.cells
                ),
            )
        )
    return parts
