"""The HTML and Word readers: spans as stated, text as printed, captions, encodings, errors.

The property tests draw a random partition of a rectangle into merged cells, write it as
HTML and as .docx, and require the readers to give back exactly those anchor cells.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from extractor.errors import CorruptDocument, NotFound
from extractor.model import Document, Grid
from extractor.readers import detect_format, web, word
from extractor.readers.placement import MAX_COLSPAN, Gap, SourceCell, place

Anchor = tuple[int, int, int, int, str]


def anchors(grid: Grid) -> set[Anchor]:
    return {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells}


def page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def only_grid(document: Document) -> Grid:
    assert len(document.grids) == 1, [g.origin for g in document.grids]
    return document.grids[0]


def codes(document: Document) -> list[str]:
    return [issue.code for issue in document.warnings]


# --- placement -------------------------------------------------------------------------------


def test_placement_puts_cells_in_the_next_free_column() -> None:
    grid = place([[[SourceCell("a", rowspan=2), SourceCell("b")], [SourceCell("c")]]])
    assert anchors(grid) == {(0, 0, 2, 1, "a"), (0, 1, 1, 1, "b"), (1, 1, 1, 1, "c")}
    assert (grid.n_rows, grid.n_cols) == (2, 2)


def test_placement_stops_rowspans_at_the_row_group() -> None:
    head = [[SourceCell("h", rowspan=5)]]
    body = [[SourceCell("a", rowspan=0), SourceCell("b")], [SourceCell("c")], [SourceCell("d")]]
    grid = place([head, body])
    assert anchors(grid) == {
        (0, 0, 1, 1, "h"),
        (1, 0, 3, 1, "a"),
        (1, 1, 1, 1, "b"),
        (2, 1, 1, 1, "c"),
        (3, 1, 1, 1, "d"),
    }


def test_placement_caps_absurd_spans_and_avoids_overlap() -> None:
    assert place([[[SourceCell("wide", colspan=5000)]]]).cells[0].colspan == MAX_COLSPAN
    # The second row's colspan 3 would run into the rowspan from above: it stops short.
    grid = place(
        [[[SourceCell("a"), SourceCell("b", rowspan=2)], [SourceCell("c", colspan=3), SourceCell("d")]]]
    )
    assert anchors(grid) == {(0, 0, 1, 1, "a"), (0, 1, 2, 1, "b"), (1, 0, 1, 1, "c"), (1, 2, 1, 1, "d")}


def test_placement_leaves_gaps_as_holes() -> None:
    grid = place([[[SourceCell("a"), SourceCell("b")], [Gap(1), SourceCell("c")]]])
    assert grid.covering(1, 0) is None
    assert grid.text_at(1, 1) == "c"


# --- HTML: structure ------------------------------------------------------------------------


def test_html_rowspan_and_colspan() -> None:
    body = """
    <table border="1">
      <tr><td rowspan="2">一级指标</td><td colspan="2">产出指标</td></tr>
      <tr><td>数量指标</td><td>≥100人次</td></tr>
      <tr><td colspan="3">合计</td></tr>
    </table>"""
    grid = only_grid(web.read_bytes(page(body), "t.html"))
    assert anchors(grid) == {
        (0, 0, 2, 1, "一级指标"),
        (0, 1, 1, 2, "产出指标"),
        (1, 1, 1, 1, "数量指标"),
        (1, 2, 1, 1, "≥100人次"),
        (2, 0, 1, 3, "合计"),
    }
    assert (grid.n_rows, grid.n_cols, grid.origin) == (3, 3, "table 1")


def test_html_cell_text_is_what_a_browser_prints() -> None:
    body = """<table><tr>
      <td><p>单位主要职能：</p><p>负责
          教育工作</p><div>第三行<br>第四行</div><ul><li>甲</li><li>乙</li></ul></td>
      <td><span>部门</span><font color="red">整体</font><b>资金</b>&nbsp;万元</td>
      <td>&nbsp;</td>
      <td>可见<script>document.write("<p>脚本</p>")</script><style>p {color: red}</style><!-- 注释 --></td>
    </tr></table>"""
    grid = only_grid(web.read_bytes(page(body), "t.html"))
    assert [cell.text for cell in grid.cells] == [
        "单位主要职能：\n负责 教育工作\n第三行\n第四行\n甲\n乙",
        "部门整体资金\xa0万元",
        "",
        "可见",
    ]


def test_html_thead_tbody_tfoot_rows_in_document_order() -> None:
    body = """<table>
      <thead><tr><th>项目</th><th>金额</th></tr></thead>
      <tbody><tr><td>A</td><td>1</td></tr></tbody>
      <tfoot><tr><td>合计</td><td>1</td></tr></tfoot>
    </table>"""
    assert only_grid(web.read_bytes(page(body), "t.html")).as_rows() == [
        ["项目", "金额"],
        ["A", "1"],
        ["合计", "1"],
    ]


def test_html_two_tables_each_with_its_own_caption() -> None:
    body = """
    <h2>江北新区部门整体预算绩效目标表</h2><p>2025年度</p><p>单位：万元</p>
    <table><tr><td>一</td></tr></table>
    <p>项目支出绩效目标表</p>
    <table><tr><td>二</td></tr></table>"""
    first, second = web.read_bytes(page(body), "t.html").grids
    assert first.caption == ("江北新区部门整体预算绩效目标表", "2025年度", "单位：万元")
    assert second.caption == ("项目支出绩效目标表",)
    assert (first.origin, second.origin) == ("table 1", "table 2")


def test_html_caption_keeps_the_last_four_lines_and_the_caption_element() -> None:
    body = (
        "".join(f"<p>行{i}</p>" for i in range(6))
        + "<table><caption>表题</caption><tr><td>x</td></tr></table>"
    )
    assert only_grid(web.read_bytes(page(body), "t.html")).caption == ("行3", "行4", "行5", "表题")


def test_html_layout_table_yields_only_the_table_it_wraps() -> None:
    body = """
    <p>江北新区部门整体预算绩效目标表</p>
    <table width="100%"><tr><td>
      <p>2025年度</p>
      <table border="1"><tr><td>单位名称</td><td>教育局</td></tr></table>
    </td></tr></table>"""
    grid = only_grid(web.read_bytes(page(body), "t.html"))
    assert grid.as_rows() == [["单位名称", "教育局"]]
    assert grid.origin == "table 2"
    assert grid.caption == ("江北新区部门整体预算绩效目标表", "2025年度")


def test_html_hidden_and_empty_tables_are_no_data() -> None:
    body = """<p>项目支出绩效目标表</p>
    <table><tr><td>&nbsp;</td></tr></table>
    <table style="display: none"><tr><td>隐藏</td></tr></table>
    <noscript><table><tr><td>无脚本</td></tr></table></noscript>
    <table><tr><td>数据</td></tr></table>"""
    grid = only_grid(web.read_bytes(page(body), "t.html"))
    assert (grid.origin, grid.caption, grid.as_rows()) == ("table 4", ("项目支出绩效目标表",), [["数据"]])


def test_html_without_tables_is_a_document_with_a_warning() -> None:
    document = web.read_bytes(page("<p>没有表格</p><table><tr><td> </td></tr></table>"), "t.html")
    assert document.grids == ()
    assert codes(document) == ["no_tables"]


def test_html_empty_file_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(b"  \n")
    with pytest.raises(CorruptDocument, match="empty"):
        web.read(path)
    with pytest.raises(NotFound):
        web.read(tmp_path / "missing.html")


def test_html_read_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page("<table><tr><td>甲</td></tr></table>"))
    document = web.read(path)
    assert document.format == "html"
    assert only_grid(document).as_rows() == [["甲"]]


# --- HTML: encodings ------------------------------------------------------------------------

#: 镕 and 喆 are in GBK but not in GB2312: a strict GB2312 decoder rejects them.
GBK_ONLY = "朱镕基 陶喆"


def test_html_gbk_page_declaring_gb2312_decodes_without_warning() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    data = f"<html><head>{head}</head><body><table><tr><td>{GBK_ONLY}</td></tr></table></body></html>"
    document = web.read_bytes(data.encode("gbk"), "t.html")
    assert only_grid(document).as_rows() == [[GBK_ONLY]]
    assert document.warnings == ()


def test_html_without_charset_is_detected_with_a_warning() -> None:
    # So short a page is valid Big5 too; charset-normalizer alone ranks Big5 first.
    body = "<table><tr><td>合计</td><td>镕</td></tr></table>"
    for encoding in ("utf-8", "gbk"):
        document = web.read_bytes(body.encode(encoding), "t.html")
        assert only_grid(document).as_rows() == [["合计", "镕"]], encoding
        assert codes(document) == ["encoding_guessed"]


def test_html_ascii_page_without_charset_needs_no_guess() -> None:
    document = web.read_bytes(b"<table><tr><td>total</td></tr></table>", "t.html")
    assert document.warnings == ()


@pytest.mark.parametrize("declared", ["utf-8", "iso-8859-1", "no-such-charset"])
def test_html_wrong_declared_charset_is_detected_with_a_warning(declared: str) -> None:
    head = f'<meta charset="{declared}">'
    data = f"<html><head>{head}</head><body><table><tr><td>部门预算{GBK_ONLY}</td></tr></table>"
    document = web.read_bytes(data.encode("gbk"), "t.html")
    assert only_grid(document).as_rows() == [[f"部门预算{GBK_ONLY}"]]
    assert codes(document) == ["encoding_mismatch"]


def test_html_byte_order_mark_wins_over_the_declaration() -> None:
    data = '<html><head><meta charset="gbk"></head><body><table><tr><td>预算</td></tr></table>'
    document = web.read_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"), "t.html")
    assert only_grid(document).as_rows() == [["预算"]]
    assert document.warnings == ()


@pytest.mark.parametrize(
    "declared",
    ["base64", "zlib", "rot13", "hex", "uu", "bz2", "quopri", "undefined", "unicode_escape", "idna"],
)
def test_html_charset_naming_no_text_encoding_is_detected_with_a_warning(declared: str) -> None:
    """Python knows these names, but as codecs between bytes, or none a browser reads a page with."""
    data = page(f"<table><tr><td>部门预算{GBK_ONLY}</td></tr></table>", head=f'<meta charset="{declared}">')
    document = web.read_bytes(data, "t.html")
    assert only_grid(document).as_rows() == [[f"部门预算{GBK_ONLY}"]]
    assert codes(document) == ["encoding_mismatch"]
    assert "is not a known encoding" in document.warnings[0].message


@pytest.mark.parametrize("declared", ["gbk", "gb2312", "big5", "shift_jis", "windows-1252"])
@pytest.mark.parametrize("text", ["部门预算", "合计", "单位名称", "一般公共预算财政拨款支出表"])
def test_html_declared_legacy_charset_over_utf8_bytes_is_read_as_utf8_with_a_warning(
    declared: str, text: str
) -> None:
    """UTF-8 bytes decode as GBK without an error, into other characters (合计 as 鍚堣): only the
    characters tell which reading is Chinese."""
    data = page(f"<table><tr><td>{text}</td><td>100</td></tr></table>", head=f'<meta charset="{declared}">')
    document = web.read_bytes(data, "t.html")
    assert only_grid(document).as_rows() == [[text, "100"]]
    assert codes(document) == ["encoding_mismatch"]
    assert "utf-8" in document.warnings[0].message.lower()


def test_html_gbk_bytes_that_happen_to_be_utf8_stay_gbk() -> None:
    """中 in GBK (D6 D0) is valid UTF-8 too (U+05D0, Hebrew): UTF-8 must read as Chinese to win."""
    data = page("<table><tr><td>中</td></tr></table>", head='<meta charset="gbk">')
    data = data.replace(b"\xe4\xb8\xad", "中".encode("gbk"))
    document = web.read_bytes(data, "t.html")
    assert only_grid(document).as_rows() == [["中"]]
    assert document.warnings == ()


@pytest.mark.parametrize("bom, encoding", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_html_with_a_byte_order_mark_is_html(tmp_path: Path, bom: bytes, encoding: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(bom + page("<table><tr><td>预算</td><td>1</td></tr></table>").decode().encode(encoding))
    assert detect_format(path) == "html"
    document = web.read(path)
    assert only_grid(document).as_rows() == [["预算", "1"]]
    assert document.warnings == ()


# --- Word ----------------------------------------------------------------------------------


def docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def start_row_late(table: Table, row: int, columns: int) -> None:
    """Drop the first ``columns`` cells of a row and state them as w:gridBefore instead."""
    tr = table.rows[row]._tr
    for tc in tr.tc_lst[:columns]:
        tr.remove(tc)
    tr_pr = tr.get_or_add_trPr()
    grid_before = OxmlElement("w:gridBefore")
    grid_before.set(qn("w:val"), str(columns))
    tr_pr.insert(0, grid_before)


def end_row_early(table: Table, row: int, columns: int) -> None:
    """Drop the last ``columns`` cells of a row and state them as w:gridAfter instead."""
    tr = table.rows[row]._tr
    for tc in tr.tc_lst[len(tr.tc_lst) - columns :]:
        tr.remove(tc)
    grid_after = OxmlElement("w:gridAfter")
    grid_after.set(qn("w:val"), str(columns))
    tr.get_or_add_trPr().append(grid_after)


def test_word_spans_gaps_nested_tables_and_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("江北新区部门整体预算绩效目标表")
    document.add_paragraph("")
    document.add_paragraph("2025年度")
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "单位名称"  # gridSpan
    table.cell(0, 2).text = "教育局"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "产出指标"  # vMerge restart + continue
    multi = table.cell(1, 1)
    multi.text = "第一段"
    multi.add_paragraph("第二段")
    multi.add_paragraph("  ")
    holder = table.cell(1, 2)
    holder.text = "表前"
    inner = holder.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内甲"
    inner.cell(0, 1).text = "内乙"
    holder.add_paragraph("表后")
    table.cell(2, 1).text = "数量"
    table.cell(2, 2).text = "≥2份"
    table.cell(3, 1).text = "迟到"
    table.cell(3, 2).text = "行"
    start_row_late(table, 3, 1)
    document.add_paragraph("项目支出绩效目标表")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "第二张"
    path = tmp_path / "targets.docx"
    path.write_bytes(docx_bytes(document))

    result = word.read(path)

    assert (result.format, result.pages, result.warnings) == ("docx", None, ())
    outer, nested, second = result.grids
    assert anchors(outer) == {
        (0, 0, 1, 2, "单位名称"),
        (0, 2, 1, 1, "教育局"),
        (1, 0, 2, 1, "产出指标"),
        (1, 1, 1, 1, "第一段\n第二段"),
        (1, 2, 1, 1, "表前\n表后"),
        (2, 1, 1, 1, "数量"),
        (2, 2, 1, 1, "≥2份"),
        (3, 1, 1, 1, "迟到"),
        (3, 2, 1, 1, "行"),
    }
    assert outer.covering(3, 0) is None
    assert (outer.n_rows, outer.n_cols, outer.origin) == (4, 3, "table 1")
    assert outer.caption == ("江北新区部门整体预算绩效目标表", "2025年度")
    assert anchors(nested) == {(0, 0, 1, 1, "内甲"), (0, 1, 1, 1, "内乙")}
    assert (nested.origin, nested.caption) == ("table 2 (nested in table 1)", ("表前",))
    assert (second.origin, second.caption, second.as_rows()) == (
        "table 3",
        ("项目支出绩效目标表",),
        [["第二张"]],
    )


def test_word_rows_ending_early_keep_the_grid_width() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "甲"
    table.cell(1, 0).text = "乙"
    end_row_early(table, 0, 2)
    end_row_early(table, 1, 1)
    grid = only_grid(word.read_bytes(docx_bytes(document), "t.docx"))
    assert (grid.n_rows, grid.n_cols) == (2, 3)
    assert anchors(grid) == {(0, 0, 1, 1, "甲"), (1, 0, 1, 1, "乙"), (1, 1, 1, 1, "")}


def test_word_line_breaks_and_tabs_inside_a_paragraph() -> None:
    document = docx.Document()
    paragraph = document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0]
    run = paragraph.add_run("一级")
    run.add_break()
    run.add_text("指标\t说明")
    assert only_grid(word.read_bytes(docx_bytes(document), "t.docx")).as_rows() == [["一级\n指标\t说明"]]


def test_word_legacy_horizontal_merge() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    for index, text in enumerate(["合并", "", "单独"]):
        table.cell(0, index).text = text
    tc_pr = table.rows[0]._tr.tc_lst[1].get_or_add_tcPr()
    tc_pr.append(OxmlElement("w:hMerge"))  # no w:val: continues the cell on its left
    grid = only_grid(word.read_bytes(docx_bytes(document), "t.docx"))
    assert anchors(grid) == {(0, 0, 1, 2, "合并"), (0, 2, 1, 1, "单独")}


def test_word_without_tables_is_a_document_with_a_warning() -> None:
    document = docx.Document()
    document.add_paragraph("没有表格")
    result = word.read_bytes(docx_bytes(document), "t.docx")
    assert (result.grids, codes(result)) == ((), ["no_tables"])


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04 truncated"])
def test_word_invalid_file_is_corrupt(data: bytes) -> None:
    with pytest.raises(CorruptDocument, match=r"not a valid \.docx") as caught:
        word.read_bytes(data, "t.docx")
    assert caught.value.__cause__ is not None


# --- property tests: random merges round-trip -------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A rectangle partitioned into merged cells; ``cells`` in row-major order of their anchors."""

    n_rows: int
    n_cols: int
    cells: tuple[tuple[int, int, int, int, tuple[str, ...]], ...]

    def expected(self) -> set[Anchor]:
        return {(r, c, h, w, "\n".join(lines)) for r, c, h, w, lines in self.cells}


_CHARS = "一二三四五六七八九十指标值产出效益满意度部门预算资金万元％（）：" + "ABCxyz0123456789%.-≥"
_LINE = st.text(alphabet=_CHARS, min_size=1, max_size=6)
_LINES = st.one_of(st.just(()), st.lists(_LINE, min_size=1, max_size=3).map(tuple))


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    """Any partition is reachable: each free position in row-major order anchors the next cell."""
    n_rows, n_cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    taken: set[tuple[int, int]] = set()
    cells = []
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in taken:
                continue
            free_width = next((w for w in range(1, n_cols - c) if (r, c + w) in taken), n_cols - c)
            width = draw(st.integers(1, free_width))
            free_height = next(
                (h for h in range(1, n_rows - r) if any((r + h, c + w) in taken for w in range(width))),
                n_rows - r,
            )
            height = draw(st.integers(1, free_height))
            taken.update((r + h, c + w) for h in range(height) for w in range(width))
            cells.append((r, c, height, width, draw(_LINES)))
    return Layout(n_rows, n_cols, tuple(cells))


def html_cell(lines: Sequence[str], style: str) -> str:
    escaped = [html.escape(line) for line in lines]
    if style == "br":
        return "<br>".join(escaped)
    if style == "p":
        return "".join(f"<p>{line}</p>" for line in escaped)
    return "".join(f"<div><span>{line}</span></div>\n  " for line in escaped)


@settings(max_examples=50, deadline=None)
@given(layouts(), st.sampled_from(["br", "p", "div"]))
def test_html_round_trips_random_merges(layout: Layout, style: str) -> None:
    assume(any(lines for *_, lines in layout.cells))  # a table without text is no data table
    rows = []
    for r in range(layout.n_rows):
        tds = "".join(
            f'<td rowspan="{h}" colspan="{w}">{html_cell(lines, style)}</td>'
            for row, _, h, w, lines in layout.cells
            if row == r
        )
        rows.append(f"<tr>{tds}</tr>")
    grid = only_grid(web.read_bytes(page(f"<table>{''.join(rows)}</table>"), "p.html"))
    assert anchors(grid) == layout.expected()
    assert (grid.n_rows, grid.n_cols) == (layout.n_rows, layout.n_cols)


@settings(max_examples=50, deadline=None)
@given(layouts())
def test_word_round_trips_random_merges(layout: Layout) -> None:
    document = docx.Document()
    table = document.add_table(rows=layout.n_rows, cols=layout.n_cols)
    for r, c, h, w, lines in layout.cells:
        cell = table.cell(r, c).merge(table.cell(r + h - 1, c + w - 1))
        if lines:
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    grid = only_grid(word.read_bytes(docx_bytes(document), "p.docx"))
    assert anchors(grid) == layout.expected()
    assert (grid.n_rows, grid.n_cols) == (layout.n_rows, layout.n_cols)


def test_a_page_is_html_by_how_it_begins_whatever_follows(tmp_path: Path) -> None:
    """A fragment saved without <html> whose first paragraph outruns the sniffed bytes was read
    as pasted text (no table, format_mismatch); it begins as the WHATWG signatures say a page does."""
    from extractor.readers import detect_format

    page = tmp_path / "fragment.html"
    preamble = "说明" * 100_000
    page.write_text(
        f"<p>{preamble}</p><table><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1</td></tr></table>",
        encoding="utf-8",
    )
    assert detect_format(page) == "html"
    pasted = tmp_path / "pasted.txt"
    pasted.write_text("项目\t金额\n合计\t1\n", encoding="utf-8")
    assert detect_format(pasted) == "txt"
