"""The inputs of a batch: files, folders (searched for documents, filtered) and lists of paths."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extractor.names import utf8_text
from extractor.normalise.values import is_amount, parse_target
from extractor.readers.files import bom_encoding

#: Suffixes of the documents a folder is searched for (files named on the command line are
#: parsed whatever their suffix).
DOCUMENT_SUFFIXES = frozenset(
    {".pdf", ".doc", ".docx", ".rtf", ".xls", ".xlsx", ".xlsm", ".html", ".htm", ".txt", ".tsv"}
    | {".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # scans, read by OCR
)
#: Text files a folder may hold: taken only when they hold a pasted table.
TEXT_SUFFIXES = frozenset({".txt", ".tsv"})
#: A text file of paths, one a line, is given as ``@list.txt`` or by this suffix.
LIST_SUFFIX = ".lst"
URL_PREFIXES = ("http://", "https://", "ftp://")


class BatchError(Exception):
    """The batch itself cannot go on: an unreadable list of paths or a catalog that cannot be written."""


@dataclass(frozen=True)
class Item:
    """One input to parse: ``origin`` as it was given (a path or a URL), ``path`` when it is a file."""

    origin: str
    path: Path | None


@dataclass(frozen=True)
class InputFilter:
    """Which files of a folder a batch takes: those matching an ``include`` glob (all, when none
    is given) and no ``exclude`` glob, matched against the file's name and its path under the
    folder; a .txt or .tsv file only when it holds tab-separated rows that look like a table; a
    link to a file outside the folder only with ``follow_links`` (a folder of downloads must
    not make the batch read /etc or another user's files)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_links: bool = False

    def why_not(self, path: Path, folder: Path) -> str:
        """Why ``path`` is left out, or "" when it is taken."""
        if not self.follow_links and path.is_symlink():
            try:
                inside = path.resolve().is_relative_to(folder.resolve())
            except (OSError, RuntimeError):  # a loop of links
                inside = False
            if not inside:
                return "a link to a file outside the folder (--follow-symlinks takes it)"
        names = (path.name, path.relative_to(folder).as_posix())
        if self.include and not any(fnmatch.fnmatch(n, g) for n in names for g in self.include):
            return "matches no --include"
        if any(fnmatch.fnmatch(n, g) for n in names for g in self.exclude):
            return "matches --exclude"
        if path.suffix.lower() in TEXT_SUFFIXES and not _holds_a_table(path):
            return "a text file without tab-separated rows of figures (a manifest, a log?)"
        return ""


#: Every file of a folder that is a document.
TAKE_ALL = InputFilter()


def collect_inputs(
    inputs: Iterable[str], taken: InputFilter = TAKE_ALL, left_out: list[tuple[str, str]] | None = None
) -> list[Item]:
    """Files, folders (searched recursively for document suffixes, filtered by ``taken``) and
    lists of paths → items; the files a folder held but ``taken`` left out go to ``left_out``.

    A list is ``@file`` or a ``.lst`` file, one path or URL a line (blank lines and ``#``
    comments ignored; relative paths are relative to the list). The same file given twice is
    parsed once. A path that does not exist is kept: it ends with the error ``not_found``.
    """
    items: list[Item] = []
    seen: set[str] = set()
    for item, why in _expand(inputs, base=None, taken=taken):
        if why:
            if left_out is not None:
                left_out.append((item.origin, why))
            continue
        key = item.origin if item.path is None else str(item.path.resolve())
        if key not in seen:
            seen.add(key)
            items.append(item)
    return items


#: How much of a text file is read to tell a pasted table from a manifest or a log.
_SNIFF_BYTES = 65_536


def _holds_a_table(path: Path) -> bool:
    """Tab-separated rows, at least two, of which some cell prints a figure (an amount or a target);
    an empty or unreadable file is taken, for the parse to give it its coded error."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return True  # let the parse say what is wrong with it
    if not head:
        return True  # an empty file: the parse gives it its error (corrupt)
    # Tabs and digits read alike in UTF-8 and GBK; UTF-16 (Excel's "Unicode text") says so.
    text = head.decode(bom_encoding(head) or "utf-8", errors="ignore")
    rows = [line.split("\t") for line in text.splitlines() if line.count("\t") >= 1]
    figures = any(
        is_amount(cell) or parse_target(cell).kind == "quantitative" for row in rows for cell in row[1:]
    )
    return len(rows) >= 2 and figures


def _expand(inputs: Iterable[str], base: Path | None, taken: InputFilter) -> Iterator[tuple[Item, str]]:
    for given in inputs:
        if given.startswith(URL_PREFIXES):
            yield Item(origin=given, path=None), ""
            continue
        is_list = given.startswith("@")
        path = Path(given[1:] if is_list else given)
        if base is not None and not path.is_absolute():
            path = base / path
        if is_list or (path.suffix.lower() == LIST_SUFFIX and path.is_file()):
            yield from _expand(_read_list(path), base=path.parent, taken=taken)
        elif path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                if found.suffix.lower() in DOCUMENT_SUFFIXES:
                    yield Item(origin=utf8_text(found), path=found), taken.why_not(found, path)
        else:
            yield Item(origin=utf8_text(path), path=path), ""


def _read_list(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchError(f"cannot read the list of paths {path}: {exc}") from exc
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


# --- the parent ---------------------------------------------------------------------------
