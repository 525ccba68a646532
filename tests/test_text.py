"""Cell text normalisation (CONTRACT §4): character folds, layout spaces, line breaks, markup."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.normalise.text import (
    bare_label,
    finishes_repeated_label,
    fold_characters,
    is_cjk,
    markup_to_text,
    normalise,
)
from extractor.normalise.vocabulary import RADICAL_FOLDS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Kangxi radicals (NFKC)
        ("⽬标", "目标"),
        ("⼀级指标", "一级指标"),
        # CJK Radicals Supplement (RADICAL_FOLDS, which NFKC leaves alone)
        ("部⻔", "部门"),
        ("⻋辆", "车辆"),
        ("⻓期", "长期"),
        ("⻅效", "见效"),
        ("⻛险", "风险"),
        ("⻩金", "黄金"),
        ("⺠生", "民生"),
        ("⻳", "龟"),
        # Kangxi radicals NFKC would turn into a variant a simplified text does not mean
        ("⼾次", "户次"),
        ("⾭年", "青年"),
        # full-width digits, letters and signs to half-width
        ("１２３", "123"),
        ("ＰＰＰ", "PPP"),
        ("１００％", "100%"),
        ("＝100%", "=100%"),
        ("＞1", ">1"),
        ("＜1", "<1"),
        ("≥90％～100％", "≥90%~100%"),
        ("m²", "m2"),
        ("㎡", "m2"),
        # NBSP and ideographic space are spaces
        ("PPP\u00a02025", "PPP 2025"),
        ("PPP\u30002025", "PPP 2025"),
        # invisible characters go
        ("单\u200b位", "单位"),
        ("\ufeff项目", "项目"),
        # control characters are damage: a NUL, an escape, DEL go (a tab is a space)
        ("合计\x00", "合计"),
        ("\x1b[31m合计\x7f", "[31m合计"),
        ("单位\t名称", "单位名称"),
    ],
)
def test_characters_are_folded(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "（一）单位名称：某某，职能；",
        "是否完成！是否完成？",
        "年度目标。主要职能、人员配置",
        "“三公”经费《通知》【重要】〔2017〕",
        "……",
        "4．2025年部门财政拨款",
        "①开展",
        "⑳推进",
        "㉑推进",
        "—",
    ],
)
def test_chinese_punctuation_stays_as_printed(text: str) -> None:
    assert normalise(text) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("单 位 名 称", "单位名称"),
        ("单　位　名　称", "单位名称"),
        ("≥1 次", "≥1次"),
        ("(一) 产城融合", "(一)产城融合"),
        ("（一） 产城融合", "（一）产城融合"),
        ("2025 年度", "2025年度"),
        ("PPP 2025", "PPP 2025"),
        ("PPP    2025", "PPP 2025"),
        ("a\t\tb", "a b"),
        ("  项目名称  ", "项目名称"),
        ("芯片之城 PPP 项目", "芯片之城PPP项目"),
        ("“三公” 经费", "“三公”经费"),
        # Circled numbers are set full width in the CJK font, like the Han text around them.
        ("小计③ = ①+②", "小计③=①+②"),
        ("资金结余率(%) ⑦=⑥/③", "资金结余率(%)⑦=⑥/③"),
        ("① 2025", "①2025"),
    ],
)
def test_layout_spaces(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # wrapped lines are joined
        (
            "建成后作为万里街道社区事务受理、社区管\n理、社区文化艺术活动场所。",
            "建成后作为万里街道社区事务受理、社区管理、社区文化艺术活动场所。",
        ),
        ("Public Private\nPartnership", "Public Private Partnership"),
        ("PPP\n2025", "PPP 2025"),
        ("芯片之城\nPPP项目", "芯片之城PPP项目"),
        ("4,100,00\n0.00", "4,100,000.00"),
        ("13459.\n00", "13459.00"),
        # paragraph ends: sentence punctuation
        ("第一段。\n第二段", "第一段。\n第二段"),
        ("是否完成！\n是", "是否完成！\n是"),
        ("是否完成？\n是", "是否完成？\n是"),
        ("负责统筹；\n负责协调", "负责统筹；\n负责协调"),
        ("done!\nnext", "done!\nnext"),
        ("done?\nnext", "done?\nnext"),
        # paragraph starts: enumeration markers
        ("主要职能：\n（一）统筹\n（二）协调", "主要职能：\n（一）统筹\n（二）协调"),
        ("主要职能：\n(一)统筹\n(二)协调", "主要职能：\n(一)统筹\n(二)协调"),
        ("主要职能\n一、统筹\n二、协调", "主要职能\n一、统筹\n二、协调"),
        ("主要职能\n十一、统筹", "主要职能\n十一、统筹"),
        ("主要职能\n1.统筹\n2.协调", "主要职能\n1.统筹\n2.协调"),
        ("主要职能\n1、统筹\n2、协调", "主要职能\n1、统筹\n2、协调"),
        ("主要职能\n1．统筹", "主要职能\n1．统筹"),
        ("主要职能\n（1）统筹\n(2)协调", "主要职能\n（1）统筹\n(2)协调"),
        ("主要职能\n①统筹\n②协调", "主要职能\n①统筹\n②协调"),
        # a number at a line start is not a marker
        ("增长\n1.5倍", "增长1.5倍"),
        ("市政基础设施项目\n（2025）", "市政基础设施项目（2025）"),
        # empty lines collapse; the break rule still decides
        ("第一段。\n\n\n第二段", "第一段。\n第二段"),
        ("第一\n\n第二", "第一第二"),
        ("\n\n项目\n\n", "项目"),
        ("第一段。\r\n第二段", "第一段。\n第二段"),
    ],
)
def test_line_breaks(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>（一）负责统筹。</p> <p>（二）负责协调。</p>", "（一）负责统筹。\n（二）负责协调。"),
        ("<p>(一) 产城融合。</p>\n<p>(二) 主导产业。</p>", "(一)产城融合。\n(二)主导产业。"),
        ("第一段。<br/>第二段", "第一段。\n第二段"),
        ("第一段。<BR>第二段", "第一段。\n第二段"),
        ('<p style="text-indent:2em">内容</p>', "内容"),
        ("<span>单位</span>名称", "单位名称"),
        ("PPP&nbsp;2025", "PPP 2025"),
        ("单位&nbsp;名称", "单位名称"),
        ("R&amp;D", "R&D"),
        ("&lt;5%", "<5%"),
        ("PPP&amp;nbsp;2025", "PPP 2025"),
        ("<!-- comment -->内容", "内容"),
        ("<5%", "<5%"),
        ("<=1", "<=1"),
    ],
)
def test_markup_is_converted(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_markup_to_text_makes_block_boundaries_line_breaks() -> None:
    assert markup_to_text("<p>一</p><p>二</p>") == "\n一\n\n二\n"


def test_fold_characters_keeps_kept_punctuation_next_to_folded_text() -> None:
    assert fold_characters("（１２）：ＡＢ，") == "（12）：AB，"


def test_radical_folds_cover_the_simplified_radicals_named_in_the_brief() -> None:
    radicals = "⻔⻋⻓⻅⻆⻉⻢⻛⻜⻩⻬⻮⻰⻳⻥⻚⻦⻨⻘⻙⻄⻝⻣⻤⺠⺟⺮⻁⻗"
    assert all(radical in RADICAL_FOLDS for radical in radicals)


def test_radical_folds_map_radicals_to_unified_ideographs() -> None:
    for radical, character in RADICAL_FOLDS.items():
        assert unicodedata.name(radical).startswith(("CJK RADICAL", "KANGXI RADICAL"))
        assert unicodedata.name(character).startswith("CJK UNIFIED IDEOGRAPH")


@pytest.mark.parametrize(
    ("char", "expected"),
    [("单", True), ("，", True), ("。", True), ("①", True), ("㉑", True), ("a", False), ("1", False)],
)
def test_is_cjk(char: str, expected: bool) -> None:
    assert is_cjk(char) is expected


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


_PIECES = st.sampled_from(
    [
        "单",
        "位",
        "（一）",
        "(1)",
        "1.",
        "①",
        "。",
        "；",
        "PPP",
        "2025",
        " ",
        "\u3000",
        "\n",
        "\n\n",
        "<p>",
        "</p>",
        "&nbsp;",
        "&amp;",
        "１",
        "％",
        "⻔",
        "⼀",
        ".",
        ",",
        "5",
        "、",
        "a",
        "!",
    ]
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_normalise_is_idempotent_on_cell_like_text(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text())
def test_normalised_text_is_stripped_lines_joined_by_newlines(text: str) -> None:
    normalised = normalise(text)
    lines = normalised.splitlines()
    assert "\n".join(lines) == normalised
    assert all(line and line == line.strip() for line in lines)


def test_a_label_loses_the_colon_after_it() -> None:
    assert [bare_label(t) for t in ("年度资金总额：", "项目名称:", "其中：财政拨款")] == [
        "年度资金总额",
        "项目名称",
        "其中：财政拨款",
    ]


def test_a_label_cut_by_a_page_break_is_finished_only_by_its_own_rest() -> None:
    assert finishes_repeated_label("绩效指标绩效", "指标")
    assert not finishes_repeated_label("产出指标", "效益指标")
    assert not finishes_repeated_label("产出指标", "指标")
