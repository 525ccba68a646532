"""Options the commands share, as reusable decorators: the per-file limits, the PDF backend, the
catalog's folder or database."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from extractor.harvest.batch import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_S
from extractor.harvest.catalog import is_database_url
from extractor.limits import DEFAULT_LIMITS, LIMIT_OPTIONS, Limits
from extractor.readers.ocr import DEFAULT_OCR, OCR_MODES
from extractor.readers.pdf_page import DEFAULT_PDF_BACKEND, PDF_BACKENDS

F = TypeVar("F", bound=Callable[..., Any])

_LIMIT_HELP = {
    "max_file_mb": "Largest file read, in MB.",
    "max_unzipped_mb": "Largest .docx / .xlsx package unzipped, in MB (zip bombs).",
    "max_pages": "Most pages of a PDF.",
    "max_cells": "Most table cells in a document (and cells stored in a workbook).",
    "max_page_objects": "Most objects, path segments and characters one PDF page may draw.",
}


def limit_options(command: F) -> F:
    """The per-file limits (``extractor.limits``) as options, handed to the command as ``limits``;
    a file beyond one ends with the error too_large, naming the option."""

    @functools.wraps(command)
    def with_limits(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in LIMIT_OPTIONS}
        return command(*args, limits=Limits(**values), **kwargs)

    decorated: Callable[..., Any] = with_limits
    for name, option in reversed(LIMIT_OPTIONS.items()):
        decorated = click.option(
            option,
            name,
            type=click.IntRange(min=1),
            default=getattr(DEFAULT_LIMITS, name),
            show_default=True,
            help=_LIMIT_HELP[name],
        )(decorated)
    return cast(F, decorated)


def worker_limit_options(command: F) -> F:
    """``--timeout`` and ``--max-memory``: what one file may take of time and memory in the
    worker process that parses it (batch, parse, inspect and report --inspect alike)."""
    command = click.option(
        "--max-memory",
        type=click.IntRange(min=64),
        default=DEFAULT_MAX_MEMORY_MB,
        show_default=True,
        help="Megabytes of address space per worker; a file needing more gets the error too_large.",
    )(command)
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_TIMEOUT_S,
        show_default=True,
        help="Seconds one file may take; then its worker is stopped and the file gets the error timeout.",
    )(command)


def pdf_backend_option(command: F) -> F:
    """``--pdf-backend``: the library that reads PDF pages (both give the same tables)."""
    return click.option(
        "--pdf-backend",
        type=click.Choice(PDF_BACKENDS),
        default=DEFAULT_PDF_BACKEND,
        show_default=True,
        help="Library that reads PDF pages: pdfium (fast) or pdfplumber (pdfminer, the reference); "
        "both give the same tables.",
    )(command)


def ocr_option(command: F) -> F:
    """``--ocr``: which pages OCR reads (scans, images)."""
    return click.option(
        "--ocr",
        type=click.Choice(OCR_MODES),
        default=DEFAULT_OCR,
        show_default=True,
        help="Which pages OCR reads (pip install 'extractor[ocr]'): auto those without a text layer "
        "(scans) and images, force every page (its text layer ignored), off none (a scan then ends "
        "no_text_layer). Records read by OCR are flagged (ocr = 1).",
    )(command)


def catalog_folder_option(help_text: str, *, required: bool) -> Callable[[F], F]:
    """``--out DIR``: the folder a command keeps its catalog in (batch and crawl share it)."""
    return click.option(
        "--out",
        "out_dir",
        required=required,
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


def catalog_url_option(f: F) -> F:
    """``--catalog URL``: a PostgreSQL database instead of the folder's catalog.sqlite."""
    return click.option(
        "--catalog",
        "catalog_url",
        metavar="postgresql://…",
        callback=_check_database_url,
        help="Write the catalog into this PostgreSQL database (pip install 'extractor[postgres]') "
        "instead of OUT/catalog.sqlite. Keep the password out of the URL: libpq reads "
        "PGPASSWORD and ~/.pgpass.",
    )(f)


def _check_database_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not is_database_url(value):
        raise click.BadParameter("expected a postgresql:// URL")
    return value
