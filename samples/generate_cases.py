"""Generate the evaluation documents of ``samples/generated/`` and their truth in ``golden/generated/``.

Each case of ``cases_catalogue.CASES`` is one document: logical tables (blocks, hierarchy,
values; ``cases_performance``, ``cases_budget``) laid out as anchor cells with spans and
printed by one producer (``render_web``, ``render_office``, ``render_pdf``). The truth is
written from the logical tables, never by running the extractor:

* ``case.json``, ``indicators.csv``, ``funds.csv``, ``fields.csv`` and ``grid.json`` as
  golden/README.md ("Truth files for ``make eval``") defines them;
* amounts of a workbook (.xlsx, .xls) as the workbook stores them (``stored_text``), other
  formats as printed;
* ``page`` is the page a record's row starts on for PDFs (the reportlab plan, or where
  LibreOffice put the row, read back with pdfplumber), empty otherwise;
* ``grid.json`` holds the logical grid of each table: for a PDF the table as stitched
  across its pages, without repeated header rows.

The run checks itself: every printed text normalises to its truth, every document opens
again with its own library, each PDF has the planned page count, the reportlab plan
agrees with the pages read back, a .xls holds the planned merges, borders, numbers and
texts (xlrd), a .doc opened again by LibreOffice and saved as .docx holds the planned tables
(python-docx), every document is under ``MAX_BYTES``, and samples/README.md says why each
case exists.

Run from anywhere (``--skip-libreoffice`` keeps the LibreOffice PDFs and .doc files already
there, unchecked by LibreOffice)::

    .venv/bin/python samples/generate_cases.py
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cases_catalogue import CASES, Case
from cases_model import TruthTable, text_of
from render import Sheet, printed_lines
from render_office import (
    docx_to_doc,
    docx_to_pdf,
    libreoffice_convert,
    number_of,
    sheets_to_docx,
    sheets_to_xls,
    sheets_to_xlsx,
)
from render_pdf import locate_rows, pdf_page_count, sheets_to_reportlab
from render_web import Charset, sheets_to_html
from seed_layout import SampleError

from extractor.normalise.text import normalise
from extractor.normalise.values import parse_amount

SCRIPT_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = SCRIPT_DIR.parent
DOCS_DIR = SCRIPT_DIR / "generated"
TRUTH_DIR = PROJECT_ROOT / "golden" / "generated"
MAX_BYTES = 200_000
FORMAT = {
    "html_utf8": "html",
    "html_gbk": "html",
    "docx": "docx",
    "doc": "doc",
    "xlsx": "xlsx",
    "xls": "xls",
    "lo_pdf": "pdf",
    "reportlab": "pdf",
}
COLUMNS = {
    "indicators": (
        "page,table_kind,level1,level2,level3,key_work,project,target_label,target_raw,op,value,value_max,unit,kind,"
        "weight,score,remark,reasons,likelihood"
    ),
    "funds": "page,table_kind,direction,code,path,item,column,amount,amount_unit,raw",
    "fields": "page,table_kind,key,value",
}
#: Formats whose amounts are stored as numbers: their truth holds the stored value's text.
WORKBOOKS = ("xlsx", "xls")
PATH_SEPARATOR = " / "
#: Between the ticked sub-headers of an indicator's ``reasons`` (经费保障、制度保障).
REASON_SEPARATOR = "、"

RowPages = list[list[int | None]]


# ----------------------------------------------------------------------------- render


def render_case(case: Case, *, skip_libreoffice: bool) -> RowPages | None:
    """Write the case's document; for a PDF return the page each grid row starts on."""
    sheets = [t.sheet for t in case.tables]
    path = DOCS_DIR / case.file_name
    look = case.look
    if case.producer in ("html_utf8", "html_gbk"):
        charset: Charset = "utf-8" if case.producer == "html_utf8" else "gb2312"
        path.write_bytes(sheets_to_html(sheets, look, charset=charset, frame=case.frame))
    elif case.producer == "docx":
        sheets_to_docx(sheets, look, path)
    elif case.producer == "xlsx":
        sheets_to_xlsx(sheets, look, path)
    elif case.producer == "xls":
        sheets_to_xls(sheets, look, path)
    elif case.producer == "doc":
        if not skip_libreoffice:
            with tempfile.TemporaryDirectory(prefix="generate_cases_") as tmp:
                docx = Path(tmp) / f"{case.name}.docx"
                sheets_to_docx(sheets, look, docx)
                docx_to_doc(docx, path)
            _check_doc(case, path)
        elif not path.is_file():
            raise SampleError(f"{path} is missing; run without --skip-libreoffice once")
    elif case.producer == "lo_pdf":
        if not skip_libreoffice:
            with tempfile.TemporaryDirectory(prefix="generate_cases_") as tmp:
                docx = Path(tmp) / f"{case.name}.docx"
                sheets_to_docx(sheets, look, docx)
                docx_to_pdf(docx, path)
        elif not path.is_file():
            raise SampleError(f"{path} is missing; run without --skip-libreoffice once")
        return locate_rows(path, sheets, look, radicals=False)
    else:
        printed = sheets_to_reportlab(sheets, look, path)
        located = locate_rows(path, sheets, look, radicals=look.radicals)
        _check_plan(case, printed.row_pages, located)
        return [list(pages) for pages in printed.row_pages]
    return None


def _check_plan(case: Case, planned: Sequence[Sequence[int]], located: RowPages) -> None:
    """The rows reportlab drew must be found on the pages the plan put them on."""
    for index, (plan, found) in enumerate(zip(planned, located, strict=True)):
        for row, (want, got) in enumerate(zip(plan, found, strict=True)):
            if got is not None and got != want:
                raise SampleError(
                    f"{case.name}: table {index} row {row} planned on page {want}, found on {got}"
                )


# ------------------------------------------------------------------------------ checks


def check_printed_texts(case: Case) -> None:
    """Every cell as printed (spaced labels, radicals) normalises to the truth's text."""
    radicals = case.look.radicals and case.producer == "reportlab"
    for table in case.tables:
        for cell in table.sheet.cells:
            truth = text_of(cell.paragraphs)
            for gap in (" ", "\u00a0", "\u3000"):
                printed = "\n".join(printed_lines(cell, case.look, gap=gap, radicals=radicals))
                if normalise(printed) != truth:
                    raise SampleError(
                        f"{case.name}: {printed!r} normalises to {normalise(printed)!r}, not {truth!r}"
                    )


def check_document(case: Case, row_pages: RowPages | None) -> None:
    """The document opens again and holds what was planned."""
    path = DOCS_DIR / case.file_name
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SampleError(f"{case.name}: {size} bytes, more than {MAX_BYTES}")
    sheets = [t.sheet for t in case.tables]
    if case.producer in ("html_utf8", "html_gbk"):
        text = path.read_bytes().decode("utf-8" if case.producer == "html_utf8" else "gbk")
        found = text.count("<table") - (1 if case.frame == "portal" else 0)
        _expect(case, "tables", found, len(sheets))
    elif case.producer == "docx":
        from docx import Document

        _expect(case, "tables", len(Document(str(path)).tables), len(sheets))
    elif case.producer == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        _expect(case, "sheets", len(book.worksheets), len(sheets))
        for ws, sheet in zip(book.worksheets, sheets, strict=True):
            spans = sum(1 for c in sheet.cells if c.rowspan > 1 or c.colspan > 1)
            _expect(case, f"merged ranges of {ws.title}", len(ws.merged_cells.ranges), spans + 1)
            formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
            _expect(case, f"formula cells of {ws.title}", formulas, [])
    elif case.producer == "xls":
        _check_xls(case, path)
    elif case.producer == "doc":
        pass  # read back by LibreOffice when written (``_check_doc``)
    else:
        _expect(case, "pages", pdf_page_count(path), case.pages)
        assert row_pages is not None
        for table, pages in zip(case.tables, row_pages, strict=True):
            for row in _record_rows(table):
                if pages[row] is None:
                    raise SampleError(f"{case.name}: row {row} of {table.sheet.name} has records but no page")


def _check_xls(case: Case, path: Path) -> None:
    """The BIFF8 workbook read with xlrd: a sheet per table, the caption's parts above it,
    thin borders on every table position, the planned merges, amounts as numbers whose
    text is the stored value's (``stored_text``), every other cell as its printed text."""
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True)
    _expect(case, "sheets", book.nsheets, len(case.tables))
    for ws, table in zip(book.sheets(), case.tables, strict=True):
        sheet, top = table.sheet, len(table.sheet.caption)
        caption = []
        for r in range(top):
            left, right = ws.cell_value(r, 0), ws.cell_value(r, sheet.n_cols - 1)
            caption.append(f"{left}\t{right}" if right else left)
        _expect(case, f"caption of {ws.name}", tuple(caption), sheet.caption)
        for r in range(top, top + sheet.n_rows):
            for c in range(sheet.n_cols):
                border = book.xf_list[ws.cell_xf_index(r, c)].border
                sides: tuple[int, ...] = (border.left_line_style, border.right_line_style)
                sides += (border.top_line_style, border.bottom_line_style)
                _expect(case, f"borders of {ws.name} ({r}, {c})", sides, (1, 1, 1, 1))  # 1: thin
        merges = {(r0 - top, c0, r1 - r0, c1 - c0) for r0, r1, c0, c1 in ws.merged_cells if r0 >= top}
        planned = {(a.row, a.col, a.rowspan, a.colspan) for a in sheet.cells if a.rowspan * a.colspan > 1}
        _expect(case, f"merged ranges of {ws.name}", sorted(merges), sorted(planned))
        for anchor in sheet.cells:
            cell = ws.cell(top + anchor.row, anchor.col)
            printed = "\n".join(printed_lines(anchor, case.look, gap=" "))
            if anchor.role == "amount" and number_of(printed) is not None:
                _expect(case, f"type of amount {anchor}", cell.ctype, xlrd.XL_CELL_NUMBER)
                _expect(case, f"stored amount {anchor}", _number(float(cell.value)), stored_text(printed))
            else:
                is_text = cell.ctype in (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_BLANK)
                _expect(case, f"type of {anchor} being text", is_text, True)
                _expect(case, f"text of {anchor}", cell.value, printed)


def _check_doc(case: Case, path: Path) -> None:
    """The .doc opened again by LibreOffice and saved as .docx holds each planned table:
    its size, its merges (python-docx gives one ``w:tc`` to every position of a merge) and
    the printed lines of every anchor, cell paragraphs and manual breaks alike as newlines."""
    from docx import Document

    with tempfile.TemporaryDirectory(prefix="generate_cases_doc_") as tmp:
        docx_path = Path(tmp) / f"{case.name}.docx"
        libreoffice_convert(path, docx_path, "docx:MS Word 2007 XML")
        tables = Document(str(docx_path)).tables
        _expect(case, "tables after a LibreOffice round trip", len(tables), len(case.tables))
        for found, table in zip(tables, case.tables, strict=True):
            sheet = table.sheet
            size = (len(found.rows), len(found.columns))
            _expect(case, f"size of {sheet.name}", size, (sheet.n_rows, sheet.n_cols))
            extent: dict[object, list[int]] = {}  # w:tc -> [first row, first col, last row, last col]
            texts: dict[object, str] = {}
            for r in range(sheet.n_rows):
                for c in range(sheet.n_cols):
                    cell = found.cell(r, c)
                    box = extent.setdefault(cell._tc, [r, c, r, c])
                    texts.setdefault(cell._tc, "\n".join(p.text for p in cell.paragraphs if p.text))
                    box[2], box[3] = max(box[2], r), max(box[3], c)
            got = {(r0, c0, r1 - r0 + 1, c1 - c0 + 1, texts[k]) for k, (r0, c0, r1, c1) in extent.items()}
            want = {
                (a.row, a.col, a.rowspan, a.colspan, "\n".join(printed_lines(a, case.look, gap="\u3000")))
                for a in sheet.cells
            }
            if got != want:
                planned, found_cells = sorted(want - got)[:3], sorted(got - want)[:3]
                raise SampleError(
                    f"{case.name}: {sheet.name} differs after a round trip: "
                    f"planned {planned}, found {found_cells}"
                )


def check_readme(cases: Sequence[Case]) -> None:
    """samples/README.md says why each case exists: a line naming ``generated/<file>``."""
    text = (SCRIPT_DIR / "README.md").read_text(encoding="utf-8")
    missing = [c.file_name for c in cases if f"`generated/{c.file_name}`" not in text]
    if missing:
        raise SampleError(
            f"samples/README.md does not list: {', '.join(missing)}; add a line saying why each exists"
        )


def _expect(case: Case, what: str, found: object, wanted: object) -> None:
    if found != wanted:
        raise SampleError(f"{case.name}: {found} {what}, expected {wanted}")


def _record_rows(table: TruthTable) -> set[int]:
    return {r.row for r in table.indicators} | {r.row for r in table.funds} | {r.row for r in table.fields}


# ------------------------------------------------------------------------------ truth


def _number(value: float | None) -> str:
    """CSV text of a number: integers without a decimal point, empty for None."""
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def stored_text(text: str) -> str:
    """An amount as a workbook stores it: the number, not its display (4,100,000.00 → 4100000).

    The workbook readers (.xlsx, .xls) read the stored value, as a user of the numbers wants
    it, so the truth of an Excel case holds that text in ``raw`` and in the grid.
    """
    number = number_of(text)
    return text if number is None else _number(float(number[0]))


def truth_rows(case: Case, row_pages: RowPages | None) -> dict[str, list[list[str]]]:
    """The rows of indicators.csv, funds.csv and fields.csv, tables in document order."""
    rows: dict[str, list[list[str]]] = {"indicators": [], "funds": [], "fields": []}
    as_stored = FORMAT[case.producer] in WORKBOOKS
    for index, table in enumerate(case.tables):
        pages = row_pages[index] if row_pages else None
        kind = table.kind
        for i in table.indicators:
            t = i.target
            levels = [i.level1, i.level2, i.level3, i.key_work, i.project]
            target = [t.raw, t.op, _number(t.value), _number(t.value_max), t.unit, t.kind]
            besides = [
                _number(parse_amount(i.weight)),
                _number(parse_amount(i.score)),
                i.remark,
                REASON_SEPARATOR.join(i.reasons),
                i.likelihood,
            ]
            rows["indicators"].append([_page(pages, i.row), kind, *levels, i.target_label, *target, *besides])
        for f in table.funds:
            path, column = PATH_SEPARATOR.join(f.path), PATH_SEPARATOR.join(f.column)
            item = f.path[-1] if f.path else ""
            amount = _number(parse_amount(f.raw))
            rows["funds"].append(
                [
                    _page(pages, f.row),
                    kind,
                    f.direction,
                    f.code,
                    path,
                    item,
                    column,
                    amount,
                    f.amount_unit,
                    stored_text(f.raw) if as_stored else f.raw,
                ]
            )
        for k in table.fields:
            rows["fields"].append([_page(pages, k.row), kind, k.key, k.value])
    return rows


def _page(pages: list[int | None] | None, row: int) -> str:
    """The page of a record's row in a PDF, empty for other formats."""
    return str(pages[row]) if pages else ""


def grid_json(sheets: Sequence[Sheet], *, as_stored: bool = False) -> str:
    """grid.json: one table per element, one cell per line, texts normalised (amounts as a
    workbook stores them when ``as_stored``)."""
    tables = []
    for sheet in sheets:
        cells = sorted(sheet.cells, key=lambda c: (c.row, c.col))
        lines = [
            json.dumps(
                [
                    c.row,
                    c.col,
                    c.rowspan,
                    c.colspan,
                    stored_text(text_of(c.paragraphs))
                    if as_stored and c.role == "amount"
                    else text_of(c.paragraphs),
                ],
                ensure_ascii=False,
            )
            for c in cells
        ]
        tables.append(
            f'{{"n_rows": {sheet.n_rows}, "n_cols": {sheet.n_cols}, "cells": [\n' + ",\n".join(lines) + "\n]}"
        )
    return "[\n" + ",\n".join(tables) + "\n]\n"


def write_truth(case: Case, row_pages: RowPages | None) -> None:
    folder = TRUTH_DIR / case.name
    folder.mkdir(parents=True, exist_ok=True)
    kinds = list(dict.fromkeys(t.kind for t in case.tables))
    meta = {
        "document": f"samples/generated/{case.file_name}",
        "format": FORMAT[case.producer],
        "pages": None,
        "kinds": kinds,
        "why": case.why,
    }
    (folder / "case.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for dataset, rows in truth_rows(case, row_pages).items():
        with (folder / f"{dataset}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS[dataset].split(","))
            writer.writerows(rows)
    as_stored = FORMAT[case.producer] in WORKBOOKS
    grid = grid_json([t.sheet for t in case.tables], as_stored=as_stored)
    (folder / "grid.json").write_text(grid, encoding="utf-8")


def remove_stale(cases: Sequence[Case]) -> list[str]:
    """Delete documents and truth folders of cases no longer in the catalogue."""
    names = {c.name for c in cases}
    removed = []
    for path in sorted(DOCS_DIR.glob("*.*")):
        if path.stem not in names:
            path.unlink()
            removed.append(str(path.relative_to(PROJECT_ROOT)))
    for folder in sorted(p for p in TRUTH_DIR.glob("*") if p.is_dir()):
        if folder.name not in names:
            shutil.rmtree(folder)
            removed.append(str(folder.relative_to(PROJECT_ROOT)))
    return removed


# ------------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--skip-libreoffice",
        action="store_true",
        help="keep the LibreOffice PDFs and .doc files already in samples/generated",
    )
    parser.add_argument("--only", nargs="*", metavar="CASE", help="generate only these cases")
    args = parser.parse_args(argv)
    cases = [c for c in CASES if not args.only or c.name in args.only]
    unknown = set(args.only or ()) - {c.name for c in CASES}
    if unknown:
        print(f"error: no such case: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 1
    DOCS_DIR.mkdir(parents=True, exist_ok=True)
    TRUTH_DIR.mkdir(parents=True, exist_ok=True)
    try:
        check_readme(cases)
        for case in cases:
            check_printed_texts(case)
            row_pages = render_case(case, skip_libreoffice=args.skip_libreoffice)
            check_document(case, row_pages)
            write_truth(case, row_pages)
            pages = f", {case.pages} pages" if case.pages else ""
            print(f"{case.file_name}: {len(case.tables)} table(s){pages}")
    except SampleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.only:
        for path in remove_stale(CASES):
            print(f"removed stale {path}")
    total = sum(p.stat().st_size for p in DOCS_DIR.iterdir())
    print(f"{len(cases)} cases; samples/generated holds {total // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
