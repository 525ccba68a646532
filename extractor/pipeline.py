"""One file in, one result out: read, stitch, reconstruct. Nothing raises past ``parse``."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from extractor.errors import ExtractorError
from extractor.export import format_value
from extractor.layout.reconstruct import grid_to_table
from extractor.layout.split import split_grids
from extractor.layout.stitch import stitch_pages
from extractor.limits import DEFAULT_LIMITS, Limits, check_before_reading, check_grids
from extractor.model import Issue
from extractor.names import utf8_text
from extractor.normalise.checks import Check, has_total, table_checks
from extractor.normalise.metadata import with_document_meta
from extractor.readers import detect_format, read
from extractor.readers.files import file_sha256
from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND
from extractor.records import ErrorInfo, ParseResult, Source, Table

log = logging.getLogger(__name__)

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
}


def parse(
    path: str | Path, *, limits: Limits = DEFAULT_LIMITS, pdf_backend: str = DEFAULT_PDF_BACKEND
) -> ParseResult:
    """Parse one file into tables and records; a file that cannot be read gets ``error`` set.

    ``pdf_backend`` names the library that reads a PDF's pages (``PDF_BACKENDS``); both give
    the same result, pdfium several times faster.

    A failure inside the pipeline itself is a bug, but one file's bug must not stop a
    batch: it becomes the error ``internal_error`` with the traceback in the log.
    """
    path = Path(path)
    source = Source(path=utf8_text(path), sha256="", format="", pages=None)
    try:
        source = replace(source, sha256=file_sha256(path))
        source = replace(source, format=detect_format(path))
        check_before_reading(path, source.format, limits)
        return _parse_detected(path, source, limits, pdf_backend)
    except ExtractorError as exc:
        return ParseResult(source=source, error=ErrorInfo(code=exc.code, message=utf8_text(exc.message)))
    except OSError as exc:
        return ParseResult(
            source=source,
            error=ErrorInfo(code="not_found", message=f"{utf8_text(path)}: {exc.strerror or exc}"),
        )
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


def _parse_detected(path: Path, source: Source, limits: Limits, pdf_backend: str) -> ParseResult:
    document = read(path, source.format, pdf_backend=pdf_backend)
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
        checks = table_checks(table)
        tables.append(replace(table, checks_held=sum(c.passes for c in checks), checks_total=len(checks)))
        warnings.extend(issues)
        warnings.extend(_check_warning(check, table) for check in checks if not check.holds)
        if not checks and has_total(table):
            warnings.append(_unchecked_warning(table))
    return ParseResult(
        source=source, tables=with_document_meta(tables, document.preamble), warnings=tuple(warnings)
    )


def _check_warning(check: Check, table: Table) -> Issue:
    """A published total that its parts do not add up to: the publisher's slip or our misread; or,
    off only by the rounding of its last printed digit, a rounding slip (``check_rounding``)."""
    return Issue(
        code="check_rounding" if check.rounding else "check_failed",
        message=f"{check.rule}: {check.subject} prints {format_value(round(check.expected, 2))} "
        f"but its parts add up to {format_value(round(check.actual, 2))}",
        page=table.pages[0] if table.pages else None,
        table=table.id,
    )


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
