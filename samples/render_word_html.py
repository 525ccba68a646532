"""Tables as Microsoft Word writes them with "Save as Web Page" (Word 2013 and later, "Microsoft Word 15").

Publishers often post a Word document saved as a web page rather than a hand-made page. What
Word writes differs from ordinary HTML in ways a reader has to survive:

* Office namespaces on ``<html>`` and the ``<o:p></o:p>`` element that ends every paragraph
  (an empty paragraph is ``<o:p>&nbsp;</o:p>``, so an empty cell holds a no-break space);
* ``<!--[if gte mso 9]><xml>…</xml><![endif]-->`` blocks holding document properties (the
  author's name among them), settings and latent styles -- comments to a browser;
* every cell's content in ``<p class=MsoNormal>`` paragraphs, the text cut into ``<span>`` runs
  by script: ASCII in ``<span lang=EN-US>``, Chinese in a span naming 宋体, so ``2025年度``
  is two runs and ``≥1%`` is ``≥`` + ``1%``;
* ``style='mso-…'`` attributes, widths in points and pixels, CSS with double quotes inside
  single-quoted attributes;
* source lines wrapped at about 76 characters at any space -- inside a tag, a style value or
  text (whitespace in HTML, so the page reads the same), CRLF line ends;
* a centred table inside ``<div align=center>`` inside ``<div class=WordSection1>``, and after
  a table whose rows have different cell boundaries an extra row of empty, borderless cells
  (``<tr height=0>``) wrapped in ``<![if !supportMisalignedColumns]>``;
* charset ``gb2312`` sent as GBK bytes, characters outside it as numeric references.

The generator is a set of string templates, deterministic. It honours the look's
``font_pt`` and ``landscape``; Word's other variations (repeated header rows, missing outer
borders, spaced labels) are not modelled here.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence

from render import FIXED_TIME, Look, Sheet, split_caption
from seed_layout import Cell

CRLF = "\r\n"
WRAP_AT = 76
CJK_FONT = "宋体"
#: A4 in points and Word's default Chinese-template margins of the seed (2.0 cm top, 1.8 cm side).
PAGE_PT = (595.3, 841.9)
MARGIN_PT = (56.7, 51.05)
CHINA_UTC_OFFSET = dt.timedelta(hours=8)

_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List href="{stem}.files/filelist.xml">
<title>{title}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>{author}</o:Author>
  <o:LastAuthor>{author}</o:LastAuthor>
  <o:Revision>2</o:Revision>
  <o:TotalTime>0</o:TotalTime>
  <o:Created>{stamp}</o:Created>
  <o:LastSaved>{stamp}</o:LastSaved>
  <o:Pages>{pages}</o:Pages>
  <o:Words>{words}</o:Words>
  <o:Characters>{characters}</o:Characters>
  <o:Lines>{lines}</o:Lines>
  <o:Paragraphs>{paragraphs}</o:Paragraphs>
  <o:CharactersWithSpaces>{with_spaces}</o:CharactersWithSpaces>
  <o:Version>16.00</o:Version>
 </o:DocumentProperties>
 <o:OfficeDocumentSettings>
  <o:AllowPNG/>
 </o:OfficeDocumentSettings>
</xml><![endif]-->
<link rel=themeData href="{stem}.files/themedata.thmx">
<link rel=colorSchemeMapping href="{stem}.files/colorschememapping.xml">
<!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:SpellingState>Clean</w:SpellingState>
  <w:GrammarState>Clean</w:GrammarState>
  <w:TrackMoves>false</w:TrackMoves>
  <w:TrackFormatting/>
  <w:PunctuationKerning/>
  <w:DrawingGridVerticalSpacing>7.8 磅</w:DrawingGridVerticalSpacing>
  <w:DisplayHorizontalDrawingGridEvery>0</w:DisplayHorizontalDrawingGridEvery>
  <w:DisplayVerticalDrawingGridEvery>2</w:DisplayVerticalDrawingGridEvery>
  <w:ValidateAgainstSchemas/>
  <w:SaveIfXMLInvalid>false</w:SaveIfXMLInvalid>
  <w:IgnoreMixedContent>false</w:IgnoreMixedContent>
  <w:AlwaysShowPlaceholderText>false</w:AlwaysShowPlaceholderText>
  <w:DoNotPromoteQF/>
  <w:LidThemeOther>EN-US</w:LidThemeOther>
  <w:LidThemeAsian>ZH-CN</w:LidThemeAsian>
  <w:LidThemeComplexScript>X-NONE</w:LidThemeComplexScript>
  <w:Compatibility>
   <w:SpaceForUL/>
   <w:BalanceSingleByteDoubleByteWidth/>
   <w:DoNotLeaveBackslashAlone/>
   <w:ULTrailSpace/>
   <w:DoNotExpandShiftReturn/>
   <w:AdjustLineHeightInTable/>
   <w:BreakWrappedTables/>
   <w:SnapToGridInCell/>
   <w:WrapTextWithPunct/>
   <w:UseAsianBreakRules/>
   <w:DontGrowAutofit/>
   <w:SplitPgBreakAndParaMark/>
   <w:EnableOpenTypeKerning/>
   <w:DontFlipMirrorIndents/>
   <w:OverrideTableStyleHps/>
   <w:UseFELayout/>
  </w:Compatibility>
  <w:BrowserLevel>MicrosoftInternetExplorer4</w:BrowserLevel>
 </w:WordDocument>
</xml><![endif]--><!--[if gte mso 9]><xml>
 <w:LatentStyles DefLockedState="false" DefUnhideWhenUsed="false"
  DefSemiHidden="false" DefQFormat="false" DefPriority="99"
  LatentStyleCount="376">
  <w:LsdException Locked="false" Priority="0" QFormat="true" Name="Normal"/>
  <w:LsdException Locked="false" Priority="9" QFormat="true" Name="heading 1"/>
  <w:LsdException Locked="false" Priority="9" SemiHidden="true"
   UnhideWhenUsed="true" QFormat="true" Name="heading 2"/>
  <w:LsdException Locked="false" Priority="39" Name="Table Grid"/>
 </w:LatentStyles>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face
\t{{font-family:宋体;
\tpanose-1:2 1 6 0 3 1 1 1 1 1;
\tmso-font-alt:SimSun;
\tmso-font-charset:134;
\tmso-generic-font-family:auto;
\tmso-font-pitch:variable;
\tmso-font-signature:3 680460288 22 0 262145 0;}}
@font-face
\t{{font-family:"Cambria Math";
\tpanose-1:2 4 5 3 5 4 6 3 2 4;
\tmso-font-charset:0;
\tmso-generic-font-family:roman;
\tmso-font-pitch:variable;
\tmso-font-signature:-536870145 1107305727 0 0 415 0;}}
@font-face
\t{{font-family:"\\@宋体";
\tpanose-1:2 1 6 0 3 1 1 1 1 1;
\tmso-font-charset:134;
\tmso-generic-font-family:auto;
\tmso-font-pitch:variable;
\tmso-font-signature:3 680460288 22 0 262145 0;}}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
\t{{mso-style-unhide:no;
\tmso-style-qformat:yes;
\tmso-style-parent:"";
\tmargin:0cm;
\tmargin-bottom:.0001pt;
\ttext-align:justify;
\ttext-justify:inter-ideograph;
\tmso-pagination:none;
\tfont-size:{font_pt};
\tfont-family:"Times New Roman",serif;
\tmso-fareast-font-family:宋体;
\tmso-font-kerning:1.0pt;}}
.MsoChpDefault
\t{{mso-style-type:export-only;
\tmso-default-props:yes;
\tmso-fareast-font-family:宋体;}}
 /* Page Definitions */
 @page
\t{{mso-page-border-surround-header:no;
\tmso-page-border-surround-footer:no;}}
@page WordSection1
\t{{size:{page_size};
\tmargin:{margins};
\tmso-header-margin:42.55pt;
\tmso-footer-margin:49.6pt;{orientation}
\tmso-paper-source:0;
\tlayout-grid:15.6pt;}}
div.WordSection1
\t{{page:WordSection1;}}
-->
</style>
<!--[if gte mso 10]>
<style>
 /* Style Definitions */
 table.MsoNormalTable
\t{{mso-style-name:普通表格;
\tmso-tstyle-rowband-size:0;
\tmso-tstyle-colband-size:0;
\tmso-style-noshow:yes;
\tmso-style-priority:99;
\tmso-style-parent:"";
\tmso-padding-alt:0cm 5.4pt 0cm 5.4pt;
\tmso-para-margin:0cm;
\tmso-para-margin-bottom:.0001pt;
\tmso-pagination:widow-orphan;
\tfont-size:10.0pt;
\tfont-family:"Times New Roman",serif;}}
table.MsoTableGrid
\t{{mso-style-name:网格型;
\tmso-tstyle-rowband-size:0;
\tmso-tstyle-colband-size:0;
\tmso-style-priority:39;
\tmso-style-unhide:no;
\tborder:solid windowtext 1.0pt;
\tmso-border-alt:solid windowtext .5pt;
\tmso-padding-alt:0cm 5.4pt 0cm 5.4pt;
\tmso-border-insideh:.5pt solid windowtext;
\tmso-border-insidev:.5pt solid windowtext;
\tmso-para-margin:0cm;
\tmso-para-margin-bottom:.0001pt;
\tmso-pagination:none;
\tfont-size:10.0pt;
\tfont-family:"Times New Roman",serif;}}
</style>
<![endif]--><!--[if gte mso 9]><xml>
 <o:shapedefaults v:ext="edit" spidmax="1026"/>
</xml><![endif]--><!--[if gte mso 9]><xml>
 <o:shapelayout v:ext="edit">
  <o:idmap v:ext="edit" data="1"/>
 </o:shapelayout></xml><![endif]-->
</head>

<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>

<div class=WordSection1 style='layout-grid:15.6pt'>
"""

_TAIL = """
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>

</div>

</body>

</html>
"""

_PARAGRAPH_STYLE = {
    "key": " align=center style='text-align:center'",
    "header": " align=center style='text-align:center'",
    "value": " align=center style='text-align:center'",
    "amount": " align=right style='text-align:right'",
    "text": " style='text-indent:{indent};mso-char-indent-count:2.0'",
}
_CELL_PADDING = "padding:0cm 5.4pt 0cm 5.4pt"
_BORDER = "solid windowtext"


def _pt(value: float) -> str:
    """A length as Word prints it: ``8.0pt``, ``62.35pt``, ``.5pt``."""
    text = f"{value:.2f}".rstrip("0")
    text = text + "0" if text.endswith(".") else text
    return (text[1:] if text.startswith("0.") else text) + "pt"


def _script_runs(text: str) -> list[tuple[bool, str]]:
    """The text cut where it changes between ASCII and the rest: Word's run per script."""
    return [(part[0] < "\x80", part) for part in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text)]


def _escape(text: str) -> str:
    """Text as Word writes it: markup characters escaped, a second space as ``&nbsp;``."""
    return html.escape(text, quote=False).replace("  ", " &nbsp;")


def _spans(text: str, font_pt: float) -> str:
    size = f"font-size:{_pt(font_pt)}"
    cjk = f'{size};font-family:{CJK_FONT};mso-ascii-font-family:"Times New Roman";' + (
        'mso-hansi-font-family:"Times New Roman"'
    )
    return "".join(
        f"<span lang=EN-US style='{size}'>{_escape(part)}</span>"
        if ascii_
        else f"<span style='{cjk}'>{_escape(part)}</span>"
        for ascii_, part in _script_runs(text)
    )


def _paragraph(text: str, attrs: str, font_pt: float, *, bold: bool = False) -> str:
    """One ``<p class=MsoNormal>``; an empty paragraph holds ``<o:p>&nbsp;</o:p>``.

    A tab in ``text`` (a caption's left and right parts) is written as Word writes a tab
    character: a span of no-break spaces marked ``mso-tab-count``.
    """
    tab = "<span style='mso-tab-count:1'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>"
    end = f"<span lang=EN-US style='font-size:{_pt(font_pt)}'><o:p>{'' if text else '&nbsp;'}</o:p></span>"
    body = tab.join(_spans(part, font_pt) for part in text.split("\t")) + end
    if bold:
        body = f"<b>{body}</b>"
    return f"<p class=MsoNormal{attrs}>{body}</p>"


def _wrap(line: str) -> list[str]:
    """Cut a source line as Word does, so each piece stays within ``WRAP_AT`` when it can.

    Word cuts at a space (which the line break replaces) or, inside a tag, after a ``;`` of a
    style -- never inside double quotes (a CSS font name such as ``"Times New Roman"``: a CSS
    string cannot hold a newline) and never in text where no space was, which would add one.
    The pieces keep the line's indent.
    """
    indent = line[: len(line) - len(line.lstrip(" "))]
    body = line[len(indent) :]
    segments: list[tuple[str, str]] = []  # (text, the separator after it: " " or "")
    start, in_tag, in_quote = 0, False, False
    for i, char in enumerate(body):
        if char == '"' and in_tag:
            in_quote = not in_quote
        elif char in "<>" and not in_quote:
            in_tag = char == "<"
        elif char == " " and not in_quote:
            segments.append((body[start:i], " "))
            start = i + 1
        elif char == ";" and in_tag and not in_quote:
            segments.append((body[start : i + 1], ""))
            start = i + 1
    segments.append((body[start:], ""))
    pieces: list[str] = []
    current, separator = indent, ""
    for text, after in segments:
        if current != indent and len(current) + len(separator) + len(text) > WRAP_AT:
            pieces.append(current)
            current = indent + text
        else:
            current += separator + text
        separator = after
    pieces.append(current)
    return pieces


def _cell(cell: Cell, widths_pt: Sequence[float], font_pt: float) -> list[str]:
    """A ``<td>`` and its paragraphs, as source lines indented like Word's."""
    width = sum(widths_pt[cell.col : cell.last_col + 1])
    attrs = f"width={round(width * 4 / 3)}"
    if cell.rowspan > 1:
        attrs += f" rowspan={cell.rowspan}"
    if cell.colspan > 1:
        attrs += f" colspan={cell.colspan}"
    style = [f"width:{_pt(width)}", f"border:{_BORDER} 1.0pt"]
    if cell.row > 0:
        style.append("border-top:none")
    if cell.col > 0:
        style.append("border-left:none")
    if cell.row > 0:
        style.append(f"mso-border-top-alt:{_BORDER} .5pt")
    if cell.col > 0:
        style.append(f"mso-border-left-alt:{_BORDER} .5pt")
    style += [f"mso-border-alt:{_BORDER} .5pt", _CELL_PADDING]
    lines = [f"  <td {attrs} style='{';'.join(style)}'>"]
    para_attrs = _PARAGRAPH_STYLE[cell.role].format(indent=_pt(2 * font_pt))
    for text in cell.paragraphs or ("",):
        lines.append("  " + _paragraph(text, para_attrs, font_pt, bold=cell.role == "header"))
    lines.append("  </td>")
    return lines


def _table(sheet: Sheet, text_width_pt: float, font_pt: float) -> list[str]:
    scale = text_width_pt / sum(sheet.widths)
    widths_pt = [round(w * scale, 2) for w in sheet.widths]
    lines = [
        "<div align=center>",
        "",
        "<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;"
        "border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;"
        "mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>",
    ]
    for index, row in enumerate(sheet.rows()):
        flags = ";mso-yfti-firstrow:yes" if index == 0 else ""
        flags += ";mso-yfti-lastrow:yes" if index == sheet.n_rows - 1 else ""
        lines.append(f" <tr style='mso-yfti-irow:{index}{flags}'>")
        for cell in row:
            lines += _cell(cell, widths_pt, font_pt)
        lines.append(" </tr>")
    if any(cell.colspan > 1 for cell in sheet.cells):
        # Rows with different cell boundaries: Word adds a row that fixes the column grid.
        lines += [" <![if !supportMisalignedColumns]>", " <tr height=0>"]
        lines += [f"  <td width={round(w * 4 / 3)} style='border:none'></td>" for w in widths_pt]
        lines += [" </tr>", " <![endif]>"]
    lines += ["</table>", "", "</div>", ""]
    return lines


def _caption(sheet: Sheet) -> list[str]:
    """The title (bold, 16 pt, centred) and the other caption lines (10.5 pt) as paragraphs."""
    title, *rest = sheet.caption
    centre = " align=center style='text-align:center'"
    lines = [_paragraph(title, centre, 16.0, bold=True)]
    for line in rest:
        left, right = split_caption(line)
        lines.append(_paragraph(f"{left}\t{right}", "", 10.5) if right else _paragraph(left, centre, 10.5))
    return [*lines, ""]


def _counts(sheets: Sequence[Sheet]) -> dict[str, int]:
    """Word's document statistics: a Chinese character counts as a word."""
    texts = [line for sheet in sheets for line in sheet.caption]
    texts += [text for sheet in sheets for cell in sheet.cells for text in cell.paragraphs]
    joined = "".join(texts)
    words = len(re.findall(r"[^\x00-\x7f]", joined)) + len(re.findall(r"[\x21-\x7e]+", joined))
    characters = len(re.sub(r"\s", "", joined))
    return {
        "words": words,
        "characters": characters,
        "lines": max(1, characters // 40),
        "paragraphs": len(texts),
        "with_spaces": len(joined),
    }


def sheets_to_word_html(
    sheets: Sequence[Sheet], look: Look, *, stem: str, author: str, pages: int = 1
) -> bytes:
    """The page Word writes for a document holding each sheet's caption and table.

    ``stem`` names the companion folder the page links to (``<stem>.files/``, as a Chinese
    Word names it; not written); ``pages`` is what Word's statistics would say.
    """
    font_pt = look.font_pt
    page_w, page_h = PAGE_PT[::-1] if look.landscape else PAGE_PT
    top, side = MARGIN_PT
    saved = (FIXED_TIME - CHINA_UTC_OFFSET).strftime("%Y-%m-%dT%H:%M:%SZ")
    head = _HEAD.format(
        stem=stem,
        title=_escape(sheets[0].caption[0]),
        author=_escape(author),
        stamp=saved,
        pages=pages,
        font_pt=_pt(font_pt),
        page_size=f"{_pt(page_w)} {_pt(page_h)}",
        margins=f"{_pt(top)} {_pt(side)} {_pt(top)} {_pt(side)}",
        orientation="\n\tmso-page-orientation:landscape;" if look.landscape else "",
        **_counts(sheets),
    )
    body: list[str] = []
    for index, sheet in enumerate(sheets):
        if index:
            body += [
                "<p class=MsoNormal><span lang=EN-US><br clear=all style='page-break-before:always'>",
                "<o:p></o:p></span></p>",
                "",
            ]
        body += _caption(sheet)
        body += _table(sheet, page_w - 2 * side, font_pt)
    wrapped = [piece for line in body for piece in _wrap(line)]
    page = head.replace("\n", CRLF) + CRLF.join(wrapped) + _TAIL.replace("\n", CRLF)
    return page.encode("gbk", errors="xmlcharrefreplace")
