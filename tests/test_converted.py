"""Legacy Word (.doc) and RTF through LibreOffice, Word's HTML export, and files that lie about their format.

The .doc and RTF files are made here: a .docx written with python-docx is converted by
LibreOffice, and both must read back to the grid of the .docx. Those tests are skipped
where LibreOffice is not installed; every other test runs without it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from xlrd.compdoc import CompDoc

from extractor.model import Grid
from extractor.pipeline import parse
from extractor.readers import converted, detect_format, read, web, word

Anchor = tuple[int, int, int, int, str]

#: A table with a vertical merge (产出指标 over two rows) and a horizontal one (合计 over three
#: columns), as anchors: (row, col, rowspan, colspan, text).
EXPECTED = {
    (0, 0, 1, 1, "一级指标"),
    (0, 1, 1, 1, "二级指标"),
    (0, 2, 1, 1, "三级指标"),
    (0, 3, 1, 1, "指标值"),
    (1, 0, 2, 1, "产出指标"),
    (1, 1, 1, 1, "数量指标"),
    (1, 2, 1, 1, "培训人次"),
    (1, 3, 1, 1, "≥100人次"),
    (2, 1, 1, 1, "质量指标"),
    (2, 2, 1, 1, "培训合格率"),
    (2, 3, 1, 1, "≥95%"),
    (3, 0, 1, 3, "合计"),
    (3, 3, 1, 1, "1,234.50"),
}
CAPTION = ("2024年度部门整体绩效目标表", "单位：万元")
#: The smallest RTF file: detection needs only its first bytes, LibreOffice reads it.
TINY_RTF = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Arial;}} \f0 no table\par}"
NEEDS_SOFFICE = (
    "LibreOffice is not installed (apt-get install libreoffice-writer-nogui): no .doc or RTF to read"
)


def anchors(grid: Grid) -> set[Anchor]:
    return {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells}


def warning_codes(path: Path) -> list[str]:
    return [issue.code for issue in parse(path).warnings]


def write_docx(path: Path) -> Path:
    document = docx.Document()
    for line in CAPTION:
        document.add_paragraph(line)
    table = document.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for col, text in enumerate(["一级指标", "二级指标", "三级指标", "指标值"]):
        table.cell(0, col).text = text
    for row, cells in ((1, ["数量指标", "培训人次", "≥100人次"]), (2, ["质量指标", "培训合格率", "≥95%"])):
        for col, text in enumerate(cells, start=1):
            table.cell(row, col).text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = "产出指标"
    table.cell(3, 0).merge(table.cell(3, 2)).text = "合计"
    table.cell(3, 3).text = "1,234.50"
    # Word always ends a document with a paragraph; LibreOffice 7.4 drops a table that ends
    # one when it writes a .doc.
    document.add_paragraph("注：示例数据")
    document.save(str(path))
    return path


def soffice_convert(source: Path, fmt: str, outdir: Path) -> Path:
    """``source`` converted to ``fmt`` by LibreOffice, in a throw-away profile."""
    soffice = shutil.which("soffice")
    assert soffice is not None
    profile = outdir / "profile"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return outdir / f"{source.stem}.{fmt}"


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docx(tmp_path_factory.mktemp("docx") / "sample.docx")


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory, sample_docx: Path) -> dict[str, bytes]:
    """The sample as LibreOffice writes it in each legacy format."""
    if shutil.which("soffice") is None:
        pytest.skip(NEEDS_SOFFICE)
    outdir = tmp_path_factory.mktemp("legacy")
    return {fmt: soffice_convert(sample_docx, fmt, outdir).read_bytes() for fmt in ("doc", "rtf")}


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The directory temporary files go to during the test, to show that none stay."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    yield tmp


# --- .doc and RTF through LibreOffice ----------------------------------------------------------


def test_the_sample_docx_has_the_expected_grid(sample_docx: Path) -> None:
    (grid,) = word.read(sample_docx).grids
    assert anchors(grid) == EXPECTED
    assert grid.caption == CAPTION


@pytest.mark.parametrize("fmt", ["doc", "rtf"])
def test_doc_and_rtf_read_as_the_docx_they_were_made_from(
    tmp_path: Path, legacy: dict[str, bytes], private_tmp: Path, fmt: str
) -> None:
    # A name no command line should see: spaces, Chinese, a leading dash.
    path = tmp_path / f"-部门 绩效目标.{fmt}"
    path.write_bytes(legacy[fmt])
    assert detect_format(path) == fmt
    started = time.monotonic()
    document = read(path, fmt)
    assert time.monotonic() - started < 20  # about 1.5 s; a fresh profile each time
    assert list(private_tmp.iterdir()) == []
    assert document.format == fmt
    (grid,) = document.grids
    assert (anchors(grid), grid.caption, grid.origin) == (EXPECTED, CAPTION, "table 1")
    result = parse(path)
    assert (result.error, result.source.format, len(result.tables)) == (None, fmt, 1)
    assert "format_mismatch" not in [issue.code for issue in result.warnings]


def test_an_encrypted_doc_says_so_before_any_conversion(
    tmp_path: Path, legacy: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = bytearray(legacy["doc"])
    container, start, _ = CompDoc(bytes(data), logfile=io.StringIO()).locate_named_stream("WordDocument")
    assert container == data and data[start : start + 2] == b"\xec\xa5"  # the FIB, in one piece
    data[start + 11] |= 0x01  # fEncrypted, bit 8 of the flags word at offset 10
    path = tmp_path / "locked.doc"
    path.write_bytes(bytes(data))
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    error = parse(path).error
    assert error is not None and error.code == "encrypted"
    assert "password" in error.message


def test_a_damaged_doc_is_corrupt_with_what_libreoffice_said(
    tmp_path: Path, legacy: dict[str, bytes]
) -> None:
    data = bytearray(legacy["doc"])
    container, start, length = CompDoc(bytes(data), logfile=io.StringIO()).locate_named_stream("WordDocument")
    assert container == data
    data[start : start + length] = b"\xff" * length
    path = tmp_path / "damaged.doc"
    path.write_bytes(bytes(data))
    error = parse(path).error
    assert error is not None and error.code == "corrupt"
    assert "could not be loaded" in error.message and "javaldx" not in error.message


def test_without_soffice_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.rtf"
    path.write_bytes(TINY_RTF)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    result = parse(path)
    assert result.source.format == "rtf"
    assert result.error is not None and result.error.code == "converter_missing"
    assert "apt-get install libreoffice-writer-nogui" in result.error.message


def test_a_hung_converter_is_killed_with_its_children(
    tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The launcher's child (``soffice.bin`` in life, a ``sleep`` here) dies with it."""
    child_pid = tmp_path / "child.pid"
    command = ["/bin/sh", "-c", f"sleep 60 & echo $! > '{child_pid}'; wait"]
    monkeypatch.setattr(converted, "find_converter", lambda name, fmt: "/bin/sh")
    monkeypatch.setattr(converted, "conversion_command", lambda *args: command)
    monkeypatch.setattr(converted, "CONVERSION_TIMEOUT_S", 0.5)
    path = tmp_path / "t.rtf"
    path.write_bytes(TINY_RTF)
    started = time.monotonic()
    result = parse(path)
    assert time.monotonic() - started < 10
    assert result.error is not None and result.error.code == "timeout"
    assert "0.5 s" in result.error.message
    assert not _alive(int(child_pid.read_text()))
    assert list(private_tmp.iterdir()) == []


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs; a zombie waiting for a parent that does not reap it is dead."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state == "Z":
            return False
        time.sleep(0.05)
    return True


def test_nothing_from_the_document_reaches_the_command_line(
    tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []
    real_command = converted.conversion_command

    def command(converter: str, profile: Path, outdir: Path, source: Path) -> list[str]:
        seen.append(real_command(converter, profile, outdir, source))
        return ["/bin/true"]  # converts nothing

    monkeypatch.setattr(converted, "find_converter", lambda name, fmt: "soffice")
    monkeypatch.setattr(converted, "conversion_command", command)
    path = tmp_path / "--outdir 预算 表.rtf"
    path.write_bytes(TINY_RTF)
    result = parse(path)
    assert result.error is not None and result.error.code == "corrupt"
    assert "could not convert" in result.error.message
    # The document's conversion, then the trial conversions that tell a damaged file from a
    # limit too low (a converter that converts nothing fails both: the file is blamed, as before).
    assert len(seen) == 3
    for line in seen:
        assert line[0] == "soffice" and line[-1].endswith(f"{os.sep}source.rtf")
        assert not any("预算" in argument for argument in line)
    assert list(private_tmp.iterdir()) == []


# --- Word's "save as web page" -----------------------------------------------------------------

WORD_HTML = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml>
 <o:DocumentProperties><o:Author>财政局</o:Author></o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
p.MsoNormal {margin:0cm; text-align:justify; font-size:10.5pt; font-family:等线;}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt'>
<div class=WordSection1 style='layout-grid:15.6pt'>
<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 width=600 style='width:450.0pt'>
 <tr><td style='padding:0cm'>
<p class=MsoNormal align=center style='text-align:center'><b><span
style='font-size:16.0pt;font-family:黑体'>2024年度部门整体绩效目标表<span
lang=EN-US><o:p></o:p></span></span></b></p>
<p class=MsoNormal><span style='font-family:宋体'>单位：万元</span><span lang=EN-US><o:p></o:p></span></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0
 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes;height:20.0pt'>
  <td width=120 rowspan=2 style='width:90.0pt;border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal align=center style='text-align:center'><span
  style='font-family:宋体'>一级指标</span><span lang=EN-US><o:p></o:p></span></p>
  </td>
  <td width=240 colspan=2 style='width:180.0pt;border:solid windowtext 1.0pt;border-left:none'>
  <p class=MsoNormal align=center style='text-align:center'><span style='font-family:宋体'>产出</span><span
  lang=EN-US style='mso-spacerun:yes'>&nbsp;&nbsp; </span><span style='font-family:宋体'>指标</span></p>
  </td>
 </tr>
 <tr style='mso-yfti-irow:1'>
  <td width=120 style='width:90.0pt'>
  <p class=MsoNormal><span style='font-family:宋体'>数量指标</span></p>
  <p class=MsoNormal><![if !supportLists]><span lang=EN-US style='mso-list:Ignore'>1.<span
  style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]><span
  style='font-family:宋体'>培训人次</span></p>
  </td>
  <td width=120 style='width:90.0pt'>
  <p class=MsoNormal><span lang=EN-US>&ge;100</span><span style='font-family:宋体'>人次</span></p>
  </td>
 </tr>
 <tr style='mso-yfti-irow:2;mso-yfti-lastrow:yes'>
  <td><p class=MsoNormal><span style='font-family:宋体'>合计</span><span lang=EN-US
  style='mso-tab-count:1'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span><span
  lang=EN-US>1,234.50</span></p></td>
  <td><p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p></td>
  <td><p class=MsoNormal><!--[if supportFields]><span lang=EN-US><span
  style='mso-element:field-begin'></span> MERGEFIELD 是否 </span><![endif]--><span
  style='font-family:宋体'>是</span><span lang=EN-US><o:p></o:p></span></p></td>
 </tr>
 <![if !supportMisalignedColumns]>
 <tr height=0>
  <td width=120 style='border:none'></td>
  <td width=120 style='border:none'></td>
  <td width=120 style='border:none'></td>
 </tr>
 <![endif]>
</table>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
 </td></tr>
</table>
</div>
</body>
</html>
""".encode("gbk")

WORD_HTML_EXPECTED = {
    (0, 0, 2, 1, "一级指标"),
    (0, 1, 1, 2, "产出 指标"),
    # A list number Word computes is printed text in its HTML, as a browser shows it.
    (1, 1, 1, 1, "数量指标\n1.\xa0\xa0\xa0 培训人次"),
    (1, 2, 1, 1, "≥100人次"),
    (2, 0, 1, 1, "合计\t1,234.50"),
    (2, 1, 1, 1, ""),
    (2, 2, 1, 1, "是"),
}


def test_word_html_reads_like_plain_html(tmp_path: Path) -> None:
    document = web.read_bytes(WORD_HTML, "t.htm")
    (grid,) = document.grids
    assert anchors(grid) == WORD_HTML_EXPECTED
    assert (grid.n_rows, grid.n_cols) == (3, 3)  # no spacer row
    assert grid.caption == CAPTION
    assert grid.origin == "table 2"  # table 1 is the layout table around it
    assert document.warnings == ()
    path = tmp_path / "targets.htm"
    path.write_bytes(WORD_HTML)
    assert detect_format(path) == "html"
    result = parse(path)
    assert (result.error, result.source.format, len(result.tables)) == (None, "html", 1)
    assert "format_mismatch" not in [issue.code for issue in result.warnings]


def test_only_word_spacer_rows_are_left_out() -> None:
    page = (
        "<meta charset=utf-8><table><tr><td>甲</td></tr><!-- a comment --><tr><td>乙</td></tr>"
        "<![if !supportMisalignedColumns]><tr height=0><td></td></tr><![endif]>"
        "<![if !supportLists]><tr><td>丙</td></tr><![endif]></table>"
    ).encode()
    (grid,) = web.read_bytes(page, "t.html").grids
    assert grid.as_rows() == [["甲"], ["乙"], ["丙"]]


def test_a_white_space_span_with_text_keeps_its_text() -> None:
    cell = "甲<span style='mso-spacerun:yes'>&nbsp;乙</span>"
    page = f"<meta charset=utf-8><table><tr><td>{cell}</td></tr></table>"
    (grid,) = web.read_bytes(page.encode(), "t.html").grids
    assert grid.as_rows() == [["甲\xa0乙"]]


# --- files that lie about their format ---------------------------------------------------------


def test_an_xls_holding_html_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "预算表.xls"
    path.write_bytes(WORD_HTML)
    result = parse(path)
    assert (result.error, result.source.format, len(result.tables)) == (None, "html", 1)
    assert "format_mismatch" in [issue.code for issue in result.warnings]


def test_a_pdf_holding_a_docx_is_read_as_docx(tmp_path: Path, sample_docx: Path) -> None:
    path = tmp_path / "绩效目标.pdf"
    path.write_bytes(sample_docx.read_bytes())
    result = parse(path)
    assert (result.error, result.source.format, len(result.tables)) == (None, "docx", 1)
    assert "format_mismatch" in [issue.code for issue in result.warnings]


def test_a_doc_holding_rtf_is_detected_as_rtf(tmp_path: Path) -> None:
    path = tmp_path / "t.doc"
    path.write_bytes(b"\xef\xbb\xbf\r\n" + TINY_RTF)
    assert detect_format(path) == "rtf"


def test_a_doc_holding_rtf_is_read_as_rtf(
    tmp_path: Path, legacy: dict[str, bytes], sample_docx: Path
) -> None:
    path = tmp_path / "绩效目标.doc"
    path.write_bytes(legacy["rtf"])
    result = parse(path)
    assert (result.error, result.source.format, len(result.tables)) == (None, "rtf", 1)
    assert "format_mismatch" in [issue.code for issue in result.warnings]
    assert result.tables[0].grid == parse(sample_docx).tables[0].grid


def test_a_docx_named_doc_is_read_as_docx(tmp_path: Path, sample_docx: Path) -> None:
    path = tmp_path / "t.doc"
    path.write_bytes(sample_docx.read_bytes())
    assert detect_format(path) == "docx"
    assert "format_mismatch" in warning_codes(path)


# --- no network, bounded memory ----------------------------------------------------------------

#: A stand-in for soffice: it tries to fetch a URL, as LibreOffice does for a linked picture,
#: records whether it could, checks the profile's settings, and "converts" by copying a .docx.
FETCHING_CONVERTER = """#!{python}
import sys, urllib.request
from pathlib import Path
args = sys.argv[1:]
outdir = Path(args[args.index("--outdir") + 1])
profile = Path(next(a for a in args if a.startswith("-env:UserInstallation=")).split("file://", 1)[1])
settings = (profile / "user" / "registrymodifications.xcu").read_text()
try:
    urllib.request.urlopen("{url}", timeout=5).read()
    fetched = "fetched"
except OSError as exc:
    fetched = "refused: " + type(exc).__name__
Path("{report}").write_text(fetched + "\\n" + settings)
(outdir / "source.docx").write_bytes(Path("{docx}").read_bytes())
"""


def test_a_conversion_reaches_no_address(
    tmp_path: Path, sample_docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A linked picture made LibreOffice request its URL while converting; the converter now
    runs in a network namespace of its own: the local server hears nothing, and the profile
    blocks links of untrusted documents."""
    import http.server
    import threading

    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/linked.png"
    report = tmp_path / "report.txt"
    fake = tmp_path / "soffice"
    fake.write_text(
        FETCHING_CONVERTER.format(python=sys.executable, url=url, report=report, docx=sample_docx),
        encoding="utf-8",
    )
    fake.chmod(0o755)
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # the server answers outside
            answer.read()
        requests.clear()
        monkeypatch.setattr(converted, "find_converter", lambda name, fmt: str(fake))
        path = tmp_path / "linked.rtf"
        path.write_bytes(TINY_RTF)
        result = parse(path)
    finally:
        server.shutdown()
        server.server_close()
    assert converted.network_isolation(), "no network namespace can be made on this machine"
    assert result.error is None and result.tables
    assert requests == []
    fetched, settings = report.read_text(encoding="utf-8").split("\n", 1)
    assert fetched.startswith("refused")
    assert '"BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value>' in settings
    assert "converter_network" not in {w.code for w in result.warnings}


def test_libreoffice_out_of_memory_is_too_large(
    monkeypatch: pytest.MonkeyPatch, legacy: dict[str, bytes]
) -> None:
    """LibreOffice dying for want of memory (an RTF table of 200,000 rows) was reported as a
    damaged file; under a limit it cannot start in, the seed .doc shows the code it gets now.
    The limit is far below LibreOffice's needs: at 250-300 MB its trial of a one-line document
    now and then converts (six of six at 250 MB one day), and the .doc was then called corrupt."""
    monkeypatch.setattr(converted, "CONVERTER_MAX_MEMORY_MB", 100)
    result = parse(Path(__file__).resolve().parent.parent / "samples" / "seed" / "seed_word97.doc")
    assert result.error is not None and result.error.code == "too_large", result.error
    assert "100 MB" in result.error.message


#: A stand-in for soffice that cannot load some files: every file under an address-space limit
#: (``short of memory``), or the document alone (``damaged``). It says what LibreOffice says of a
#: file it could not load, damaged or for want of memory, and exits 0, as LibreOffice does.
REFUSING_CONVERTER = """#!{python}
import resource, sys
from pathlib import Path
args = sys.argv[1:]
outdir, source = Path(args[args.index("--outdir") + 1]), Path(args[-1])
limited = resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY
damaged = b"damaged" in source.read_bytes()
if ("{cause}" == "short of memory" and limited) or ("{cause}" == "damaged" and damaged):
    print("Error: source file could not be loaded")
else:
    (outdir / "source.docx").write_bytes(Path("{docx}").read_bytes())
"""


@pytest.mark.parametrize(("cause", "code"), [("short of memory", "too_large"), ("damaged", "corrupt")])
def test_a_document_libreoffice_could_not_load_is_told_by_a_trial_conversion(
    tmp_path: Path, sample_docx: Path, monkeypatch: pytest.MonkeyPatch, cause: str, code: str
) -> None:
    """Short of memory while loading, LibreOffice says "source file could not be loaded" and exits
    0, as for a damaged file (the seed .doc under 300 MB came out corrupt now and then). A one-line
    document converted with and without the limit tells the two apart; a converter that converts
    nothing at all blames neither (test_nothing_from_the_document_reaches_the_command_line)."""
    fake = tmp_path / "soffice"
    fake.write_text(
        REFUSING_CONVERTER.format(python=sys.executable, cause=cause, docx=sample_docx), encoding="utf-8"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(converted, "find_converter", lambda name, fmt: str(fake))
    converted._converts_trial.cache_clear()
    path = tmp_path / "document.rtf"
    path.write_bytes(b"{\\rtf1\\ansi damaged\\par}")
    try:
        result = parse(path)
    finally:
        converted._converts_trial.cache_clear()
    assert result.error is not None and result.error.code == code, result.error
