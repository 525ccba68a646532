"""Build the corpus of broken and hostile inputs that ``tests/test_bad_inputs.py`` runs through
``extractor batch``, with the outcome each must end in.

Nothing here is committed as a file: the corpus is rebuilt (deterministically, in about a
second) wherever it is needed, because some cases are large by design (a zip bomb, 100,000
HTML rows) and all of them are cheap to make from the seed samples and a few lines of code.
Regressions found by ``make fuzz`` are small and do live in the repo, in
``samples/bad/regressions/``, with their expected outcome in ``expected.json`` there.

Run from anywhere::

    .venv/bin/python samples/make_bad_inputs.py out/bad     # writes the files and expected.json
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import os
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent
SEED = SAMPLES / "seed"
REGRESSIONS = SAMPLES / "bad" / "regressions"


@dataclass(frozen=True)
class BadCase:
    """One input: its file name (bytes, so that any name a file system allows can be made), how
    to make its content, and the error code it must end with ("" for a result without error)."""

    name: bytes
    make: Callable[[], bytes]
    error: str
    why: str


def _seed(name: str) -> bytes:
    return (SEED / name).read_bytes()


def _generated(name: str) -> Callable[[], bytes]:
    return lambda: (SAMPLES / "generated" / name).read_bytes()


def _seed_text_copy(blank_lines: int) -> Callable[[], bytes]:
    """The pasted seed with blank lines appended: the same tables, but content of its own, so
    that the catalog (keyed by content) keeps it apart from seed.txt."""
    return lambda: _seed("seed.txt") + b"\n" * blank_lines


def _truncated(name: str) -> Callable[[], bytes]:
    return lambda: _seed(name)[: len(_seed(name)) // 2]


# --- PDF ---------------------------------------------------------------------------------


def _pdf_broken_xref() -> bytes:
    """The seed PDF with every xref offset pointing past the end: readers must rebuild or refuse."""
    return pdf_xref_broken(_seed("seed_reportlab.pdf"))


def pdf_xref_broken(data: bytes) -> bytes:
    """``data`` with every offset of its cross-reference table pointing past the end."""
    start = data.rindex(b"\nxref") + 1
    end = data.index(b"trailer", start)
    entries = [
        b"9999999999" + line[10:] if len(line) >= 18 and line[:10].isdigit() else line
        for line in data[start:end].split(b"\n")
    ]
    return data[:start] + b"\n".join(entries) + data[end:]


def _pdf_encrypted(user_password: str) -> Callable[[], bytes]:
    def make() -> bytes:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_seed("seed_reportlab.pdf"))))
        # RC4 needs no cryptography package; what matters is how readers treat the passwords.
        writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    return make


def _pdf_drawn(draw: Callable[[object], None], size: tuple[float, float] = (595, 842)) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=size, invariant=1)
    draw(page)
    page.showPage()
    page.save()
    return out.getvalue()


def _pdf_no_text() -> bytes:
    """A "scan": ruled lines and filled boxes, no text layer."""

    def draw(page: object) -> None:
        for i in range(10):
            page.rect(50, 50 + i * 20, 400, 20, stroke=1, fill=i % 2)  # type: ignore[attr-defined]

    return _pdf_drawn(draw)


def _pdf_many_segments() -> bytes:
    """Forty thousand tiny ruling segments and one word: the grid finder must not go quadratic."""

    def draw(page: object) -> None:
        page.setLineWidth(0.3)  # type: ignore[attr-defined]
        for row in range(200):
            for col in range(100):
                x, y = 40 + col * 5, 40 + row * 3.8
                page.line(x, y, x + 4, y)  # type: ignore[attr-defined]
                page.line(x, y, x, y + 3)  # type: ignore[attr-defined]
        page.drawString(40, 820, "segments")  # type: ignore[attr-defined]

    return _pdf_drawn(draw)


def _pdf_huge_page() -> bytes:
    """The largest page PDF allows (200 inches square) with one ruled table on it."""

    def draw(page: object) -> None:
        for r in range(3):
            for c in range(3):
                page.rect(1000 + c * 300, 10000 + r * 40, 300, 40)  # type: ignore[attr-defined]
                page.drawString(1010 + c * 300, 10015 + r * 40, f"cell {r} {c}")  # type: ignore[attr-defined]

    return _pdf_drawn(draw, size=(14400, 14400))


def _pdf_xref_rebuilt(data: bytes) -> bytes:
    """A PDF with one classic cross-reference table whose offsets are right again, after its objects
    were edited (each ``N 0 obj`` must start a line)."""
    body = data[: data.rindex(b"\nxref") + 1]
    offsets = {int(m.group(1)): m.start() + 1 for m in re.finditer(rb"\n(\d+) 0 obj\b", body)}
    size = max(offsets) + 1
    rows = b"".join(
        b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n" for n in range(1, size)
    )
    trailer = data[data.index(b"trailer", len(body)) : data.rindex(b"startxref")]
    return (
        body
        + b"xref\n0 %d\n0000000000 65535 f \n" % size
        + rows
        + trailer
        + b"startxref\n%d\n%%%%EOF\n" % len(body)
    )


def _pdf_mediabox(replacement: bytes, pages_box: bytes = b"") -> Callable[[], bytes]:
    """The seed PDF with each page's MediaBox replaced (b"" leaves it out), ``pages_box`` given to the
    page tree's root instead, for its pages to inherit."""

    def make() -> bytes:
        data = re.sub(rb"/MediaBox \[[^\]]*\]", replacement, _seed("seed_reportlab.pdf"))
        data = data.replace(b"/Type /Pages", b"/Type /Pages " + pages_box)
        return _pdf_xref_rebuilt(data)

    return make


def _pdf_of(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the last the catalog) with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        start,
    )
    return bytes(out)


def _pdf_stream(attributes: bytes, content: bytes) -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), attributes, content)


def pdf_forms_named_by_the_page(levels: int = 12, copies: int = 4) -> bytes:
    """The nested forms again, but each form's resources hold fonts and no XObjects: it draws the
    one below by a name only the page's resources hold, where PDFium looks it up."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    form = b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 1 0 R >> >>"
    objects = [font, _pdf_stream(form, b"0 0 m 10 0 l S")]
    names = [b"/G0 2 0 R"]
    for level in range(1, levels + 1):
        objects.append(_pdf_stream(form, b" ".join([b"/G%d Do" % (level - 1)] * copies)))
        names.append(b"/G%d %d 0 R" % (level, len(objects)))
    objects.append(_pdf_stream(b"", b"BT /F1 12 Tf 72 720 Td (nested) Tj ET /G%d Do" % levels))
    page = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 600 800] /Contents %d 0 R " % (
        len(objects) + 2,
        len(objects),
    )
    objects.append(
        page + b"/Resources << /Font << /F1 1 0 R >> /XObject << " + b" ".join(names) + b" >> >> >>"
    )
    objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % len(objects))
    objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % len(objects))
    return _pdf_of(objects)


def pdf_page_of(content: bytes) -> bytes:
    """A one-page PDF drawing ``content`` (deflated), with Helvetica as /F1."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    packed = zlib.compress(content, 9)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)
    page = b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 600 800] /Contents 2 0 R "
    page += b"/Resources << /Font << /F1 1 0 R >> >> >>"
    return _pdf_of(
        [
            font,
            stream,
            page,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Catalog /Pages 4 0 R >>",
        ]
    )


def pdf_nested_forms(levels: int = 12, copies: int = 4, drawn: bytes = b"/F Do") -> bytes:
    """A page drawing form F12, which draws F11 four times, …, down to F0, one ruling and one word:
    4^12 = 16.7 million rulings from a file of 4 KB. PDFium builds every copy when it loads the
    page (23 GB and minutes), pdfminer when it interprets it. ``drawn`` is how a form draws the
    one below it."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    objects = [
        font,
        _pdf_stream(
            b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 1 0 R >> >>",
            b"0 0 m 10 0 l S BT /F1 9 Tf 1 1 Td (x) Tj ET",
        ),
    ]
    draw = b" ".join([drawn] * copies)
    for _ in range(levels):
        resources = b"/Resources << /XObject << /F %d 0 R >> >>" % len(objects)
        objects.append(_pdf_stream(b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] " + resources, draw))
    form = len(objects)
    objects.append(_pdf_stream(b"", b"BT /F1 12 Tf 72 720 Td (nested) Tj ET /F Do"))
    page = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 600 800] /Contents %d 0 R " % (
        len(objects) + 2,
        len(objects),
    )
    objects.append(page + b"/Resources << /Font << /F1 1 0 R >> /XObject << /F %d 0 R >> >> >>" % form)
    objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % len(objects))
    objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % len(objects))
    return _pdf_of(objects)


def pdf_staggered_rectangles(count: int) -> bytes:
    """``count`` large rectangles, each 5 pt right of and below the last: every one adds two rulings
    across the page, so they rule a grid of (2·count − 1)² positions from a file of a few KB."""

    def draw(page: object) -> None:
        for k in range(count):
            page.rect(100 + k * 5, 100 + k * 5, 7000, 7000)  # type: ignore[attr-defined]
        page.drawString(120, 120, "x")  # type: ignore[attr-defined]

    return _pdf_drawn(draw, size=(14400, 14400))


# --- Word --------------------------------------------------------------------------------


def _docx_with(document_xml: bytes, *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The seed .docx with its main part replaced."""
    source = zipfile.ZipFile(io.BytesIO(_seed("seed_word.docx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as target:
        for item in source.infolist():
            data = document_xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data, compress_type=compress)
    return out.getvalue()


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_streamed(body: Iterable[bytes]) -> bytes:
    """The seed .docx with a main part of ``body``'s blocks between the document's opening and
    closing tags, streamed into the zip: parts far larger than memory deflate to a few hundred KB."""
    source = zipfile.ZipFile(io.BytesIO(_seed("seed_word.docx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item.filename, source.read(item))
                continue
            with target.open(item.filename, "w", force_zip64=True) as part:
                part.write(b"<w:document " + W + b"><w:body>")
                for block in body:
                    part.write(block)
                part.write(b"</w:body></w:document>")
    return out.getvalue()


def _docx_bomb() -> bytes:
    """A main part of 300 MB of spaces that deflate squeezes into a third of a megabyte."""
    return _docx_streamed(b" " * (1 << 20) for _ in range(300))


def _docx_empty_paragraphs() -> bytes:
    """Forty million empty paragraphs (240 MB of XML, under the unzipped limit) deflated to 350 KB:
    the XML parser runs out of memory building them."""
    return _docx_streamed(b"<w:p/>" * (1 << 16) for _ in range(40_000_000 >> 16))


def _docx_entities() -> bytes:
    """The billion laughs: nested entities that would expand to gigabytes."""
    return _docx_with(_docx_entities_document())


def docx_dtd_elsewhere() -> bytes:
    """The billion laughs in the main document part, named word/document.bin where the package's
    relationships point (a word/document.xml left beside it makes the file look like a .docx)."""
    data = office_package(
        "seed_word.docx",
        {"word/document.xml": _docx_entities_document()},
        moved={"word/document.xml": "word/document.bin"},
    )
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as package:
        package.writestr("word/document.xml", b"<w:document " + W + b"/>")
    return out.getvalue()


def _docx_entities_document() -> bytes:
    lol = [b'<!ENTITY l0 "lollollollollollollollollollol">']
    lol += [b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)]
    doctype = b"<!DOCTYPE w:document [" + b"".join(lol) + b"]>"
    body = b"<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body>"
    return b'<?xml version="1.0"?>' + doctype + b"<w:document " + W + b">" + body + b"</w:document>"


def _docx_external_entity() -> bytes:
    """An entity naming a local file: its content must never reach the output."""
    doctype = b'<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
    table = (
        b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:tc>"
        b"<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    body = b"<w:body>" + table + b"<w:p/></w:body>"
    return _docx_with(
        b'<?xml version="1.0"?>' + doctype + b"<w:document " + W + b">" + body + b"</w:document>"
    )


def _docx_bad_spans() -> bytes:
    """gridSpan larger than the grid, negative and absurd spans, vMerge continuing nothing."""

    def cell(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = [
        cell("一级指标", '<w:gridSpan w:val="99999"/>') + cell("x"),
        cell("a", '<w:vMerge w:val="continue"/>') + cell("b", '<w:gridSpan w:val="-3"/>'),
        cell("c", '<w:gridSpan w:val="abc"/>') + cell("d", '<w:vMerge w:val="restart"/>'),
        cell("e", '<w:vMerge w:val="continue"/><w:gridSpan w:val="2"/>'),
    ]
    grid = '<w:tblGrid><w:gridCol w:w="100"/><w:gridCol w:w="100"/></w:tblGrid>'
    table = "<w:tbl>" + grid + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>"
    body = f"<w:document {W.decode()}><w:body>{table}<w:p/></w:body></w:document>"
    return _docx_with(body.encode())


def docx_merges() -> bytes:
    """A table whose first row holds a cell a thousand grid columns wide that every one of the
    5,000 rows below continues (w:vMerge): one cell covering 5 million positions."""
    grid = "<w:tblGrid>" + '<w:gridCol w:w="10"/>' * 1000 + "</w:tblGrid>"
    first = '<w:tc><w:tcPr><w:gridSpan w:val="1000"/><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc>'
    more = '<w:tc><w:tcPr><w:gridSpan w:val="1000"/><w:vMerge/></w:tcPr><w:p/></w:tc>'
    rows = f"<w:tr>{first}</w:tr>" + f"<w:tr>{more}</w:tr>" * 5000
    body = f"<w:document {W.decode()}><w:body><w:tbl>{grid}{rows}</w:tbl><w:p/></w:body></w:document>"
    return _docx_with(body.encode())


def office_package(seed: str, parts: dict[str, bytes], moved: dict[str, str] | None = None) -> bytes:
    """A seed package (.docx, .xlsx) with ``parts`` replaced or added and parts ``moved`` to new names,
    the package's relationships and content types following them."""
    moved = moved or {}
    source = zipfile.ZipFile(io.BytesIO(_seed(seed)))
    contents = {item.filename: source.read(item) for item in source.infolist()}
    contents.update(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in contents.items():
            if name.endswith(".rels") or name == "[Content_Types].xml":
                for old, new in moved.items():
                    data = data.replace(old.encode(), new.encode())
            target.writestr(moved.get(name, name), data)
    return out.getvalue()


# --- HTML --------------------------------------------------------------------------------


def _html_deep() -> bytes:
    depth = 10_000
    inner = "<table><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1</td></tr></table>"
    return ("<html><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>").encode()


def _html_deep_tables() -> bytes:
    """Tables nested in table cells two thousand deep."""
    depth = 2_000
    return ("<html><body>" + "<table><tr><td>" * depth + "x" + "</td></tr></table>" * depth).encode()


def _html_unclosed() -> bytes:
    rows = "".join(f"<tr><td>项目{i}<td>{i * 100}" for i in range(30))
    return ("<html><body><p>单位：万元<table><tr><th>项目<th>金额" + rows + "<p>注").encode()


def _html_wrong_charset() -> bytes:
    """Declares UTF-8, holds GBK."""
    text = _seed("seed_portal_gbk.html").decode("gb18030")
    return (
        text.replace('charset="gb2312"', 'charset="utf-8"')
        .replace("charset=gb2312", "charset=utf-8")
        .encode("gb18030")
    )


def html_spans() -> bytes:
    """A thousand cells in the first row, each spanning a thousand columns and every row below it
    (rowspan 0), over 29,000 short rows: under 600 KB, 3·10^10 positions covered."""
    first = '<td rowspan="0" colspan="1000">x</td>' * 1000
    return (
        f"<html><body><table><tr>{first}</tr>{'<tr><td>1</td></tr>' * 29_000}</table></body></html>".encode()
    )


def _html_charset(label: str) -> Callable[[], bytes]:
    """The seed's Word export in UTF-8, declaring ``label``: a codec that is no text encoding
    (base64) or a legacy encoding its bytes are not in (gbk)."""

    def make() -> bytes:
        text = _seed("seed_word_export.html").decode("gb18030")
        return re.sub(r"charset=[\w-]+", f"charset={label}", text, count=1).encode("utf-8")

    return make


def _utf16_html() -> bytes:
    """The seed's portal page as UTF-16 LE with a byte order mark, its declaration left as GB2312."""
    return codecs.BOM_UTF16_LE + _seed("seed_portal_gbk.html").decode("gb18030").encode("utf-16-le")


def _excel_unicode_text() -> bytes:
    """The pasted seed as Excel's "Unicode text" saves it: UTF-16 LE with a mark, CRLF lines."""
    return codecs.BOM_UTF16_LE + _seed("seed.txt").decode("utf-8").replace("\n", "\r\n").encode("utf-16-le")


def pasted_ragged() -> bytes:
    """100,000 short lines of figures and one of 100,000 tabs: a pasted grid of 10^10 padded cells."""
    return b"a\t1\n" * 100_000 + b"\t" * 100_000 + b"1\n"


def _html_many_rows() -> bytes:
    rows = "".join(f"<tr><td>{i:06d}</td><td>项目{i}</td><td>{i}.00</td></tr>" for i in range(100_000))
    head = "<tr><th>编码</th><th>项目</th><th>金额</th></tr>"
    return f"<html><body><table>{head}{rows}</table></body></html>".encode()


# --- Excel -------------------------------------------------------------------------------


def _formatted_million_sheet() -> bytes:
    """A sheet whose every cell of A1:J110000 carries a style and no value (1.1 million cells)."""
    rows = [
        f'<row r="{r}">' + "".join(f'<c r="{col}{r}" s="1"/>' for col in "ABCDEFGHIJ") + "</row>"
        for r in range(1, 110_001)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><dimension ref="A1:J110000"/><sheetData>'
        + "".join(rows)
        + "</sheetData></worksheet>"
    ).encode()


def _xlsx_formatted_million() -> bytes:
    return office_package("seed_workbook.xlsx", {"xl/worksheets/sheet1.xml": _formatted_million_sheet()})


def xlsx_merged_sheet(moved_to: str = "") -> bytes:
    """The seed workbook with one more merge, over the whole sheet below its table: A100:XFD1048576,
    17 billion positions, every one of which openpyxl makes a cell for; the worksheet part
    ``moved_to`` another name, where the workbook's relationships point."""
    name = "xl/worksheets/sheet1.xml"
    sheet = zipfile.ZipFile(io.BytesIO(_seed("seed_workbook.xlsx"))).read(name)
    merged = re.sub(
        rb'<mergeCells count="(\d+)">',
        lambda m: b'<mergeCells count="%d"><mergeCell ref="A100:XFD1048576"/>' % (int(m.group(1)) + 1),
        sheet,
    )
    return office_package("seed_workbook.xlsx", {name: merged}, moved={name: moved_to} if moved_to else None)


def xls_merge(first_row: int, last_row: int, first_col: int, last_col: int) -> bytes:
    """A small .xls (a title merged over A1:C1, three rows of figures) whose merge record is
    rewritten to span rows and columns from 0 (the record's 16-bit fields allow 65535)."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("预算表")
    sheet.write_merge(0, 0, 0, 2, "部门预算表")
    for row in range(1, 4):
        sheet.write(row, 0, f"项目{row}")
        sheet.write(row, 1, row * 100)
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    # MERGEDCELLS (0x00E5): one range, first and last row, first and last column.
    stated = struct.pack("<7H", 0xE5, 10, 1, 0, 0, 0, 2)
    return data.replace(stated, struct.pack("<7H", 0xE5, 10, 1, first_row, last_row, first_col, last_col))


CASES: tuple[BadCase, ...] = (
    *(
        BadCase(f"empty{ext}".encode(), lambda: b"", "corrupt", "an empty file of every format")
        for ext in (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".html", ".txt")
    ),
    BadCase(b"truncated.pdf", _truncated("seed_reportlab.pdf"), "corrupt", "half a PDF"),
    BadCase(b"truncated.docx", _truncated("seed_word.docx"), "corrupt", "half a .docx"),
    BadCase(b"truncated.xlsx", _truncated("seed_workbook.xlsx"), "corrupt", "half an .xlsx"),
    BadCase(b"truncated.xls", _truncated("seed_workbook.xls"), "corrupt", "half an .xls"),
    BadCase(b"truncated.doc", _truncated("seed_word97.doc"), "corrupt", "half a .doc"),
    BadCase(b"broken_xref.pdf", _pdf_broken_xref, "", "xref offsets wrong: rebuilt by scanning"),
    BadCase(b"user_password.pdf", _pdf_encrypted("user-secret"), "encrypted", "needs a password to open"),
    BadCase(b"owner_password.pdf", _pdf_encrypted(""), "", "opens without a password: parsed"),
    BadCase(b"no_text_layer.pdf", _pdf_no_text, "no_text_layer", "a scan"),
    BadCase(b"many_segments.pdf", _pdf_many_segments, "", "40,000 tiny rulings"),
    BadCase(b"huge_page.pdf", _pdf_huge_page, "", "a 200-inch page"),
    BadCase(b"zip_bomb.docx", _docx_bomb, "too_large", "300 MB unzipped from 300 KB"),
    BadCase(b"entity_expansion.docx", _docx_entities, "corrupt", "the billion laughs"),
    BadCase(b"external_entity.docx", _docx_external_entity, "corrupt", "an entity naming a local file"),
    BadCase(b"bad_spans.docx", _docx_bad_spans, "", "inconsistent gridSpan / vMerge"),
    BadCase(b"deep.html", _html_deep, "", "10,000 nested divs around a table"),
    BadCase(b"deep_tables.html", _html_deep_tables, "", "tables nested 2,000 deep"),
    BadCase(b"unclosed.html", _html_unclosed, "", "no closing tags"),
    BadCase(b"wrong_charset.html", _html_wrong_charset, "", "declares UTF-8, holds GBK"),
    BadCase(b"many_rows.html", _html_many_rows, "", "100,000 rows"),
    BadCase(
        b"formatted_million.xlsx", _xlsx_formatted_million, "too_large", "1.1 million styled empty cells"
    ),
    BadCase(b"charset_base64.html", _html_charset("base64"), "", "a codec that is no text encoding"),
    BadCase(b"utf8_declared_gbk.html", _html_charset("gbk"), "", "UTF-8 bytes declared as GBK"),
    BadCase(b"utf16.html", _utf16_html, "", "UTF-16 with a byte order mark"),
    BadCase(b"unicode_text.txt", _excel_unicode_text, "", "Excel's Unicode text: UTF-16 TSV"),
    BadCase(b"ragged.txt", pasted_ragged, "too_large", "10^10 padded cells"),
    BadCase(b"nested_forms.pdf", pdf_nested_forms, "too_large", "4^12 copies of a form in 3 KB"),
    BadCase(b"no_mediabox.pdf", _pdf_mediabox(b""), "", "pages without a MediaBox"),
    BadCase(
        b"staggered.pdf",
        lambda: pdf_staggered_rectangles(600),
        "too_large",
        "600 rectangles ruling 1.4M cells",
    ),
    BadCase(
        b"forty_million_paragraphs.docx", _docx_empty_paragraphs, "too_large", "40 million empty paragraphs"
    ),
    BadCase(b"merges.docx", docx_merges, "too_large", "one cell covering 5 million positions"),
    BadCase(b"dtd_elsewhere.docx", docx_dtd_elsewhere, "corrupt", "a DTD in a part not named .xml"),
    BadCase(b"spans.html", html_spans, "too_large", "spans covering 3·10^10 positions"),
    BadCase(b"merge_65536.xls", lambda: xls_merge(1, 2, 0, 0xFFFF), "", "a merge to column 65536"),
    BadCase(
        b"sheet_merge.xls", lambda: xls_merge(0, 0xFFFF, 0, 0xFFFF), "too_large", "a merge over the sheet"
    ),
    BadCase(b"merged_sheet.xlsx", xlsx_merged_sheet, "too_large", "a merge of 17 billion positions"),
    BadCase(
        b"sheet_elsewhere.xlsx",
        lambda: xlsx_merged_sheet(moved_to="xl/data/cells.bin"),
        "too_large",
        "that merge in a worksheet part named .bin",
    ),
    BadCase(b"lying.pdf", _generated("pack_street_docx.docx"), "", "a .docx named .pdf"),
    BadCase(b"lying.xlsx", _generated("three_street_html_utf8.html"), "", "an HTML page named .xlsx"),
    BadCase(b"back\\slash.txt", _seed_text_copy(1), "", "a backslash in the name"),
    BadCase(b"control\x01\x1b[31mchars.txt", _seed_text_copy(2), "", "control characters in the name"),
    BadCase(b"not-utf8-\xff\xfe.txt", _seed_text_copy(3), "", "a name that is not UTF-8"),
    BadCase(b"..\xe2\x80\xae.txt", _seed_text_copy(4), "", "dots and a right-to-left override"),
)


def write_corpus(folder: Path) -> dict[str, str]:
    """Write every case (and the fuzz regressions) into ``folder``; return expected error per file
    name (``os.fsdecode`` of the name, "" for none), which is also written to expected.json."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}
    for case in CASES:
        with open(os.path.join(os.fsencode(folder), case.name), "wb") as handle:
            handle.write(case.make())
        expected[os.fsdecode(case.name)] = case.error
    if (REGRESSIONS / "expected.json").is_file():
        for name, error in json.loads((REGRESSIONS / "expected.json").read_text(encoding="utf-8")).items():
            (folder / name).write_bytes((REGRESSIONS / name).read_bytes())
            expected[name] = error
    (folder / "expected.json").write_text(json.dumps(expected, indent=1), encoding="utf-8")
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the corpus (created)")
    args = parser.parse_args(argv)
    expected = write_corpus(args.folder)
    print(f"wrote {len(expected)} inputs and expected.json to {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
