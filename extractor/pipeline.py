"""One file in, one result out: read, stitch, reconstruct. Nothing raises past ``parse``."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import IO

from extractor.errors import ExtractorError
from extractor.export import format_value
from extractor.layout.reconstruct import grid_to_table
from extractor.layout.split import split_grids
from extractor.layout.stitch import stitch_pages
from extractor.limits import DEFAULT_LIMITS, Limits, check_before_reading, check_grids
from extractor.model import Cell, Grid, Issue
from extractor.names import utf8_text
from extractor.normalise.checks import Check, has_total, table_checks
from extractor.normalise.code_names import agree_code_names
from extractor.normalise.metadata import with_document_meta
from extractor.normalise.values import parse_number
from extractor.readers import detect_format, read
from extractor.readers.files import file_sha256
from extractor.readers.ocr import DEFAULT_OCR
from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND
from extractor.records import ErrorInfo, ParseResult, Source, Table

log = logging.getLogger(__name__)
#: The message of a file that ran out of memory; a batch worker that sees it is replaced, its
#: state being suspect.
OUT_OF_MEMORY = "parsing it needed more memory than this process may use (raise the limit with --max-memory)"

#: Extensions each detected format is expected to carry; others get a warning.
_EXTENSIONS = {
    "pdf": {".pdf"},
    "docx": {".docx"},
    "xlsx": {".xlsx", ".xlsm"},
    "xls": {".xls"},
    "doc": {".doc", ".dot"},
    "rtf": {".rtf"},
    "html": {".html", ".htm", ".shtml", ".xhtml"},
    "txt": {".txt", ".tsv", ".text", ""},
    "image": {".png", ".jpg", ".jpeg", ".tif", ".tiff"},
}


def parse(
    document: str | Path | bytes | IO[bytes],
    *,
    pages: Collection[int] | None = None,
    name: str = "",
    limits: Limits = DEFAULT_LIMITS,
    pdf_backend: str = DEFAULT_PDF_BACKEND,
    ocr: str = DEFAULT_OCR,
) -> ParseResult:
    """Parse one document into tables and records; one that cannot be read gets ``error`` set.

    ``document`` is a path, or the document's bytes or a binary file object (its format told by
    its content; ``name`` is then what ``source.path`` says). ``pages`` keeps only the tables
    on those pages (1-based) and the warnings about them. ``pdf_backend`` names the library
    that reads a PDF's pages (``PDF_BACKENDS``); both give the same result, pdfium faster.
    ``ocr`` says which pages OCR reads (``OCR_MODES``): ``auto`` those without a text layer
    (scans) and images, where the ``ocr`` extra is installed; ``force`` every page, its text
    layer ignored; ``off`` none (a scan then ends ``no_text_layer``).

    A failure inside the pipeline itself is a bug, but one file's bug must not stop a
    batch: it becomes the error ``internal_error`` with the traceback in the log.
    """
    if not isinstance(document, str | Path):
        return _parse_bytes(document, pages=pages, name=name, limits=limits, pdf_backend=pdf_backend, ocr=ocr)
    result = _parse_path(Path(document), limits, pdf_backend, ocr)
    return result if pages is None else _on_pages(result, frozenset(pages))


def _parse_bytes(
    document: bytes | bytearray | IO[bytes],
    *,
    pages: Collection[int] | None,
    name: str,
    limits: Limits,
    pdf_backend: str,
    ocr: str,
) -> ParseResult:
    """Bytes are parsed as a file named by their format, so that no extension misleads."""
    most = limits.max_file_mb << 20
    # A file object is read no further than the limit: it may be a stream without end.
    data = bytes(document) if isinstance(document, bytes | bytearray) else document.read(most + 1)
    if len(data) > most:
        message = f"more than the limit of {limits.max_file_mb:,} MB (raise it with Limits.max_file_mb)"
        source = Source(path=name or "<bytes>", sha256="", format="", pages=None)
        return ParseResult(source=source, error=ErrorInfo(code="too_large", message=message))
    with tempfile.TemporaryDirectory(prefix="extractor-") as folder:
        path = Path(folder) / "document"
        path.write_bytes(data)
        try:
            fmt = detect_format(path)
            path = path.rename(path.with_suffix(sorted(_EXTENSIONS[fmt])[0]))
        except (ExtractorError, KeyError):
            pass  # parse says what is wrong with it
        result = parse(path, pages=pages, limits=limits, pdf_backend=pdf_backend, ocr=ocr)
    return replace(result, source=replace(result.source, path=name or "<bytes>"))


def _on_pages(result: ParseResult, pages: frozenset[int]) -> ParseResult:
    """The tables on ``pages`` (a table without pages, from a Word or Excel file, stays)."""
    tables = tuple(t for t in result.tables if not t.pages or pages & set(t.pages))
    kept = {t.id for t in tables}
    warnings = tuple(
        w
        for w in result.warnings
        if (w.table is None or w.table in kept) and (w.page is None or w.page in pages)
    )
    return replace(result, tables=tables, warnings=warnings)


def _parse_path(path: Path, limits: Limits, pdf_backend: str, ocr: str) -> ParseResult:
    source = Source(path=utf8_text(path), sha256="", format="", pages=None)
    try:
        source = replace(source, sha256=file_sha256(path))
        source = replace(source, format=detect_format(path))
        check_before_reading(path, source.format, limits)
        return _parse_detected(path, source, limits, pdf_backend, ocr)
    except ExtractorError as exc:
        return ParseResult(source=source, error=ErrorInfo(code=exc.code, message=utf8_text(exc.message)))
    except OSError as exc:
        return ParseResult(
            source=source,
            error=ErrorInfo(code="not_found", message=f"{utf8_text(path)}: {exc.strerror or exc}"),
        )
    except MemoryError:  # the file's size, not a bug: no traceback in the log
        return ParseResult(source=source, error=ErrorInfo(code="too_large", message=OUT_OF_MEMORY))
    except Exception as exc:  # the batch goes on; the traceback goes to the log
        log.exception("internal error while parsing %s", utf8_text(path))
        return ParseResult(
            source=source,
            error=ErrorInfo(
                code="internal_error",
                message=utf8_text(
                    f"{type(exc).__name__}: {exc} (a bug in extractor; please report it with the file)"
                ),
            ),
        )


def _parse_detected(path: Path, source: Source, limits: Limits, pdf_backend: str, ocr: str) -> ParseResult:
    document = read(path, source.format, pdf_backend=pdf_backend, limits=limits, ocr=ocr)
    check_grids(path, document.grids, limits)
    source = replace(source, pages=document.pages)
    # Messages name the file, whose name may not be UTF-8.
    warnings = [replace(w, message=utf8_text(w.message)) for w in document.warnings]
    warnings.extend(_extension_warning(path, source.format))
    grids, stitch_issues = stitch_pages(split_grids(document.grids))
    warnings.extend(stitch_issues)
    tables: list[Table] = []
    for index, grid in enumerate(grids, start=1):
        table, issues = grid_to_table(grid, f"t{index}")
        table = replace(table, ocr_pages=ocr_pages(grid))
        checks = table_checks(table)
        tables.append(replace(table, checks_held=sum(c.passes for c in checks), checks_total=len(checks)))
        warnings.extend(issues)
        warnings.extend(_check_warning(check, table) for check in checks if not check.holds)
        if not checks and has_total(table):
            warnings.append(_unchecked_warning(table))
    tables, agreed = agree_code_names(tables)
    warnings.extend(agreed)
    return ParseResult(
        source=source, tables=with_document_meta(tables, document.preamble), warnings=tuple(warnings)
    )


def ocr_pages(grid: Grid) -> tuple[int, ...]:
    """The pages of ``grid`` whose cells OCR recognised (they carry a confidence)."""
    return tuple(sorted({c.page for c in grid.cells if c.confidence is not None and c.page is not None}))


def _check_warning(check: Check, table: Table) -> Issue:
    """A published total that its parts do not add up to: the publisher's slip or our misread; or,
    off only by the rounding of its last printed digit, a rounding slip (``check_rounding``). On
    a table read by OCR a misread is the likelier, so the warning (``ocr_check_failed``) names
    the cells whose digits are suspect, least sure first."""
    message = (
        f"{check.rule}: {check.subject} prints {format_value(round(check.expected, 2))} "
        f"but its parts add up to {format_value(round(check.actual, 2))}"
    )
    code = "check_rounding" if check.rounding else "check_failed"
    # Only a table with OCR'd pages has suspects: a printed table's failed checks look no further.
    suspects = ocr_suspects(check, table.grid) if table.ocr_pages and not check.rounding else []
    if suspects:
        code = "ocr_check_failed"
        listed = ", ".join(
            f"row {c.row + 1} col {c.col + 1} '{c.text}' ({c.confidence:.2f})"
            for c in suspects[:OCR_SUSPECTS]
        )
        message += f"; read by OCR, the least sure of its numbers: {listed}"
    return Issue(code=code, message=message, page=table.pages[0] if table.pages else None, table=table.id)


#: How many suspect cells an ``ocr_check_failed`` warning names.
OCR_SUSPECTS = 5


def ocr_suspects(check: Check, grid: Grid) -> list[Cell]:
    """The OCR'd cells a failed check involves, least sure first: those at its positions, or,
    where the check does not say (weights and scores), every OCR'd number of the table."""
    if check.positions:
        cells = [c for row, col in check.positions if (c := grid.covering(row, col)) is not None]
    else:
        cells = [c for c in grid.cells if parse_number(c.text) is not None]
    found = {id(c): c for c in cells if c.confidence is not None}
    return sorted(found.values(), key=lambda c: (c.confidence, c.row, c.col))


def _unchecked_warning(table: Table) -> Issue:
    """A table that prints a total none of the checks could test: nothing vouches for its reading."""
    return Issue(
        code="unchecked_total",
        message=f"table {table.id} ({table.title or table.kind}) prints a total, but no self-check "
        "could test it: its amounts are read unchecked",
        page=table.pages[0] if table.pages else None,
        table=table.id,
    )


def _extension_warning(path: Path, fmt: str) -> list[Issue]:
    if path.suffix.lower() in _EXTENSIONS[fmt]:
        return []
    return [
        Issue(
            code="format_mismatch",
            message=f"{utf8_text(path.name)} holds {fmt} content despite its '{path.suffix}' extension; "
            f"read as {fmt}",
        )
    ]
