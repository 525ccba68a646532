"""Tables of HTML pages: 政府信息公开 pages and Word's "save as web page" exports.

A page is decoded as its publisher declared, parsed with lxml through BeautifulSoup, and
every data table becomes one grid with its rowspans and colspans as stated. Text is read
the way a browser prints it: source line breaks are spaces, block elements and ``<br>``
break lines, script, style and comments never show.

Word's export is HTML with Office markup a browser ignores or hides, read here the same way:
``<!--[if gte mso 9]>`` blocks are comments; the ``<o:p>`` paragraph marks print nothing;
``mso-spacerun`` and ``mso-tab-count`` spans hold the ``&nbsp;`` runs that stand for
spaces and tabs typed in Word; each ``<p class=MsoNormal>`` of a cell is a line; and the
empty spacer row Word adds in ``<![if !supportMisalignedColumns]>`` (for browsers that
cannot size columns otherwise) is no row of the table.

Chinese pages are often mislabelled: GB2312 is declared for text that needs GBK, or no
charset is declared at all. The first is expected and decoded as GB18030 (a superset of
both); anything else that needs a guess is detected and reported as a warning, so a
wrong guess is never silent. A declaration counts only when it names an encoding browsers
know: Python also knows codecs between bytes (``base64``, ``zlib``, ``rot13``) and text
codecs no browser reads a page with (``unicode_escape``, ``idna``), and a page may name any
of them. UTF-8 bytes under a legacy declaration (a template saved as UTF-8 that still says
``gbk``) decode without an error into other characters (合计 as 鍚堣); there the bytes
being valid UTF-8 that reads as common Chinese decides, with a warning.
"""

from __future__ import annotations

import codecs
import functools
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import charset_normalizer
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import Comment, NavigableString, PageElement, PreformattedString, Tag

from extractor.errors import CorruptDocument
from extractor.model import Document, Grid, Issue
from extractor.readers.budget import Budget
from extractor.readers.files import bom_encoding, file_bytes
from extractor.readers.placement import SourceCell, caption_from, place, text_lines

FORMAT = "html"

# --- decoding ------------------------------------------------------------------------------

#: Browsers look for the declaration in the first 1024 bytes; Chinese pages often put long
#: scripts before their <meta>, so look further.
_PRESCAN_BYTES = 16384
_DECLARATION = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']\s*([\w.:-]+)""",
    re.IGNORECASE,
)
#: Labels browsers know (WHATWG Encoding Standard) that Python does not.
_LABEL_ALIASES = {
    "x-gbk": "gbk",
    "gb_2312": "gbk",
    "gb_2312-80": "gbk",
    "csgb2312": "gbk",
    "iso-ir-58": "gbk",
    "csiso58gb231280": "gbk",
    "x-x-big5": "big5",
    "windows-874": "cp874",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-sjis": "shift_jis",
    "windows-31j": "cp932",
}
#: The encodings of the WHATWG Encoding Standard, by Python's names: a page may be written in
#: these, and a label naming anything else declares nothing.
_WEB_ENCODINGS = frozenset(
    {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "cp866", "koi8-r", "koi8-u", "mac-roman"}
    | {"mac-cyrillic", "cp874", "tis-620", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp"}
    | {"iso2022_jp", "shift_jis", "cp932", "euc_kr"}
    | {f"iso8859-{n}" for n in range(1, 17)}
    | {f"cp{n}" for n in range(1250, 1259)}
)
#: Decode with a superset of what was declared: publishers declare GB2312 for GBK text, and
#: a <meta> cannot mean UTF-16 (a page able to state it in ASCII is not UTF-16), so browsers
#: read such pages as UTF-8.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}
#: Among encodings that decode a page equally well, the ones Chinese government sites use.
_PREFERRED = ("utf-8", "gb18030")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Decoded:
    """A page's text and how it was obtained."""

    text: str
    encoding: str
    issues: tuple[Issue, ...] = ()


def decode(data: bytes, origin: str) -> Decoded:
    """The text of an HTML page: BOM first, then the declared charset, else a detected one."""
    encoding = bom_encoding(data)
    if encoding is not None:
        return _decode_declared(data, encoding, "its byte order mark", origin)
    match = _DECLARATION.search(data[:_PRESCAN_BYTES])
    if match is not None:
        label = (match.group(1) or match.group(2)).decode("ascii")
        return _decode_declared(data, _declared(label), f"its declared charset {label!r}", origin)
    if data.isascii():
        return Decoded(data.decode("ascii"), "ascii")
    return _decode_detected(data, origin, "encoding_guessed", "no charset is declared")


def _decode_declared(data: bytes, encoding: str | None, stated: str, origin: str) -> Decoded:
    """Decode as stated; fall back to detection, with a warning, when the statement is wrong."""
    if encoding is None:
        return _decode_detected(data, origin, "encoding_mismatch", f"{stated} is not a known encoding")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return _decode_detected(data, origin, "encoding_mismatch", f"the bytes do not fit {stated}")
    utf8 = _utf8_reading(data, encoding)
    if utf8 is not None and _common_chinese(utf8) > _common_chinese(text):
        message = (
            f"{origin}: {stated} reads the page as other characters; its bytes are UTF-8, decoded as such"
        )
        return Decoded(utf8, "utf-8", (Issue("encoding_mismatch", message),))
    if _byte_per_character(data, text):
        detected = _detect(data)
        better = data.decode(detected, errors="replace") if detected else ""
        if _CJK.search(better):
            message = f"{origin}: {stated} gives no Chinese text; decoded as {detected} (detected)"
            return Decoded(better, str(detected), (Issue("encoding_mismatch", message),))
    return Decoded(text, encoding)


def _decode_detected(data: bytes, origin: str, code: str, problem: str) -> Decoded:
    detected = _detect(data)
    if detected is None:
        raise CorruptDocument(f"{origin}: {problem} and none can be detected; it may not be a text file")
    issue = Issue(code, f"{origin}: {problem}; decoded as {detected} (detected)")
    return Decoded(data.decode(detected, errors="replace"), detected, (issue,))


def _canonical(label: str) -> str | None:
    """Python's name for an encoding label, widened to the superset browsers use; None if unknown."""
    name = _LABEL_ALIASES.get(label.strip().lower(), label.strip())
    try:
        python_name = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(python_name, python_name)


def _declared(label: str) -> str | None:
    """The encoding a page's charset label names, None when no browser would decode with it."""
    name = _canonical(label)
    return name if name in _WEB_ENCODINGS else None


def _utf8_reading(data: bytes, declared: str) -> str | None:
    """The page read as UTF-8, when the declaration says otherwise and the bytes hold UTF-8's
    multi-byte sequences without a fault."""
    if declared == "utf-8" or data.isascii():
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@functools.cache
def _common_hanzi() -> frozenset[str]:
    """The 3,755 characters of GB2312's first level, which make up nearly all of any Chinese text."""
    # Rows B0–D7 of GB2312, 94 positions each; the last row ends five positions early (at D7F9).
    pairs = (bytes((lead, trail)) for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF))
    return frozenset(pair.decode("gb2312") for pair in pairs if pair < b"\xd7\xfa")


def _common_chinese(text: str) -> int:
    """How many of ``text``'s characters are common Chinese ones: a wrong decoding gives rare ones
    (UTF-8 read as GBK) or none (GBK bytes that happen to be valid UTF-8)."""
    common = _common_hanzi()
    return sum(1 for char in text if char in common)


def _byte_per_character(data: bytes, text: str) -> bool:
    """Whether non-ASCII bytes were read one byte per character, as a Western charset reads them.

    Servers declare ISO-8859-1 by default, and a single-byte charset decodes a GBK page
    without error, so for such a declaration success alone proves nothing.
    """
    return not data.isascii() and len(text) == len(data)


def _detect(data: bytes) -> str | None:
    """The encoding charset-normalizer finds plausible, preferring those Chinese sites use.

    On a short page several multi-byte encodings decode cleanly (GBK bytes are often valid
    Big5 too); charset-normalizer ranks such ties arbitrarily, so the usual ones win.
    """
    found = [name for match in charset_normalizer.from_bytes(data) if (name := _canonical(match.encoding))]
    return next((name for name in _PREFERRED if name in found), found[0] if found else None)


# --- text as a browser prints it -------------------------------------------------------------

#: Elements that start and end a line of their own.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
#: Elements whose content a browser does not print.
_UNPRINTED = frozenset(["head", "title", "script", "style", "template", "noscript"])
#: Word's paragraph mark: empty or a lone ``&nbsp;``, it only keeps an empty paragraph open.
_WORD_PARAGRAPH_MARK = "o:p"
#: Word's spans standing for typed white space: runs of spaces and tabs, as ``&nbsp;``.
_WORD_WHITE_SPACE = (
    (re.compile(r"mso-spacerun\s*:\s*yes", re.IGNORECASE), " "),
    (re.compile(r"mso-tab-count\s*:", re.IGNORECASE), "\t"),
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_SOURCE_SPACES = re.compile(r"[ \t\n\r\f]+")
_RUNS_OF_SPACES = re.compile(r" {2,}")


class _Mark(Enum):
    """The end of a block element, met while walking the tree."""

    BLOCK_END = "block end"


def _render(root: Tag, tables: frozenset[int]) -> list[str | Tag]:
    """The printed text under ``root`` in reading order, with line breaks as "\\n".

    Tables whose ``id()`` is in ``tables`` are not descended into: the table itself stands
    in the result where it is printed, so the text before it can become its caption.
    """
    out: list[str | Tag] = []
    stack: list[tuple[PageElement | _Mark, bool]] = [(child, False) for child in reversed(root.contents)]
    while stack:
        node, in_pre = stack.pop()
        if isinstance(node, _Mark):
            out.append("\n")
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, CDATA, doctype
                out.append(str(node).replace("\r\n", "\n") if in_pre else _SOURCE_SPACES.sub(" ", node))
        elif isinstance(node, Tag) and not _unprinted(node):
            if node.name == "br":
                out.append("\n")
            elif (typed := _typed_white_space(node)) is not None:
                out.append(typed)
            elif id(node) in tables:
                out.append(node)
            else:
                if node.name in _BLOCKS:
                    out.append("\n")
                    stack.append((_Mark.BLOCK_END, in_pre))
                pre = in_pre or node.name == "pre"
                stack.extend((child, pre) for child in reversed(node.contents))
    return out


def _unprinted(tag: Tag) -> bool:
    style = tag.get("style")
    return (
        tag.name in _UNPRINTED
        or tag.name == _WORD_PARAGRAPH_MARK
        or tag.has_attr("hidden")
        or (isinstance(style, str) and _HIDDEN_STYLE.search(style) is not None)
    )


def _typed_white_space(tag: Tag) -> str | None:
    """The space or tab a Word white-space span stands for; None for any other element."""
    style = tag.get("style")
    if not isinstance(style, str):
        return None
    typed = next((typed for pattern, typed in _WORD_WHITE_SPACE if pattern.search(style)), None)
    return typed if typed is not None and not tag.get_text().strip() else None


def _lines(pieces: Sequence[str]) -> list[str]:
    """Printed lines of rendered text: spaces collapsed as a browser does, empty lines dropped."""
    return text_lines(_RUNS_OF_SPACES.sub(" ", line) for line in "".join(pieces).split("\n"))


def _printed_lines(element: Tag) -> list[str]:
    """The lines printed by an element that holds no data table (a cell, a caption)."""
    return _lines([piece for piece in _render(element, frozenset()) if isinstance(piece, str)])


# --- table structure ---------------------------------------------------------------------------

_CELLS = frozenset({"td", "th"})
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
#: Children of a table that hold no rows of it.
_NOT_ROWS = frozenset({"table", "caption", "colgroup", "col"}) | _UNPRINTED
_LEADING_INTEGER = re.compile(r"[ \t\n\r\f]*\+?(\d+)")
#: The conditional comments around the spacer row Word writes at the end of a table.
_SPACER_ROWS_START = "[if !supportmisalignedcolumns]"
_CONDITION_END = "[endif]"


def _rows(node: Tag, group: Tag | None) -> Iterator[tuple[Tag | None, list[Tag]]]:
    """The table's own rows in document order, each with the row group holding it.

    Rows of nested tables are not the table's. Cells written straight into a table or
    row group without a ``<tr>`` form a row, as browsers make them. Word's spacer row is
    left out.
    """
    stray: list[Tag] = []
    in_spacer_rows = False
    for child in node.children:
        if isinstance(child, Comment):
            condition = child.strip().casefold()
            if condition == _SPACER_ROWS_START:
                in_spacer_rows = True
            elif condition == _CONDITION_END:
                in_spacer_rows = False
            continue
        if in_spacer_rows or not isinstance(child, Tag):
            continue
        if child.name in _CELLS:
            stray.append(child)
            continue
        if stray:
            yield group, stray
            stray = []
        if child.name == "tr":
            yield group, list(_cells(child))
        elif child.name in _ROW_GROUPS:
            yield from _rows(child, child)
        elif child.name not in _NOT_ROWS:
            yield from _rows(child, group)
    if stray:
        yield group, stray


def _cells(row: Tag) -> Iterator[Tag]:
    for child in row.children:
        if isinstance(child, Tag):
            if child.name in _CELLS:
                yield child
            elif child.name not in _NOT_ROWS and child.name != "tr":
                yield from _cells(child)


def _row_groups(table: Tag) -> list[list[list[Tag]]]:
    """Rows grouped by their thead/tbody/tfoot; a run of rows outside one is a group of its own."""
    groups: list[list[list[Tag]]] = []
    last: Tag | None = None
    for group, cells in _rows(table, None):
        if not groups or group is not last:
            groups.append([])
            last = group
        groups[-1].append(cells)
    return groups


def _span(cell: Tag, name: str, default: int) -> int:
    """A span attribute read by the HTML rules for non-negative integers ("2px" is 2)."""
    value = cell.get(name)
    match = _LEADING_INTEGER.match(value) if isinstance(value, str) else None
    return int(match.group(1)) if match else default


def _source_cell(cell: Tag) -> SourceCell:
    text = "\n".join(_printed_lines(cell))
    return SourceCell(text, rowspan=_span(cell, "rowspan", 1), colspan=_span(cell, "colspan", 1))


def table_to_grid(
    table: Tag, origin: str, caption: tuple[str, ...] = (), cells: Budget | None = None
) -> Grid:
    """The grid of one table holding no other table, spans as stated."""
    groups = [[[_source_cell(cell) for cell in row] for row in group] for group in _row_groups(table)]
    return place(groups, origin=origin, caption=caption, cells=cells)


# --- pages -------------------------------------------------------------------------------------


def read(path: Path, *, cells: Budget | None = None) -> Document:
    """Every data table of the HTML page at ``path``; ``cells`` bounds the table cells it may hold."""
    return read_bytes(file_bytes(path), str(path), cells=cells)


def read_bytes(data: bytes, origin: str, *, cells: Budget | None = None) -> Document:
    """Every data table of an HTML page given as bytes; ``origin`` names it in messages."""
    if not data.strip():
        raise CorruptDocument(f"{origin}: the file is empty")
    decoded = decode(data, origin)
    soup = _parse(decoded.text)
    numbers = _leaf_tables(soup)
    grids = tuple(_data_grids(_render(soup, frozenset(numbers)), numbers, cells))
    issues = decoded.issues
    if not grids:
        issues += (Issue("no_tables", f"{origin}: the page prints no table with text"),)
    return Document(format=FORMAT, grids=grids, warnings=issues)


def _parse(text: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        # The markup is a page's content, never a file name or address, whatever it looks like.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(text, "lxml")


def _leaf_tables(soup: BeautifulSoup) -> dict[int, int]:
    """The number of each table holding no other table, keyed by ``id()``.

    Tables are numbered among all tables of the page, in document order, so that "table 3"
    is the third ``<table>`` of the source. A table holding another table is a layout
    table wrapping the real one and is no data table itself.
    """
    return {
        id(table): number
        for number, table in enumerate(soup.find_all("table"), start=1)
        if isinstance(table, Tag) and table.find("table") is None
    }


def _data_grids(flow: Sequence[str | Tag], numbers: dict[int, int], cells: Budget | None) -> Iterator[Grid]:
    """Grids of the tables standing in ``flow``, each captioned by the lines printed before it.

    A table without any text is a spacer, no data table: it yields no grid and, like any
    block, only breaks the line, so a title above it still reaches the table below.
    """
    pieces: list[str] = []
    for token in flow:
        if isinstance(token, Tag):
            caption = caption_from(_lines(pieces) + _own_caption(token))
            grid = table_to_grid(token, f"table {numbers[id(token)]}", caption, cells)
            if any(cell.text for cell in grid.cells):
                yield grid
                pieces = []
            else:
                pieces.append("\n")
        else:
            pieces.append(token)


def _own_caption(table: Tag) -> list[str]:
    """The lines of the table's ``<caption>``, which browsers print just above it."""
    caption = table.find("caption", recursive=False)
    return _printed_lines(caption) if isinstance(caption, Tag) else []
