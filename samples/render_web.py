"""Tables as web pages: a portal page with a layout table around the content, or a bare article.

Portals publish budget tables as HTML with real ``rowspan``/``colspan``, captions as
``<h2>``/``<p>`` above the table, ``<p>`` paragraphs, ``<br>`` line breaks, ``<span>`` and
``&nbsp;`` inside cells; older ones declare ``gb2312`` and send GBK bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from render import Look, Sheet, escape_html, printed_lines, split_caption
from seed_layout import Cell

Charset = Literal["utf-8", "gb2312"]
Frame = Literal["portal", "article"]

_PORTAL_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_示例市人民政府</title>
<style type="text/css">
body {{ margin:0; font-family:"宋体"; font-size:12px; }}
.nav a {{ color:#fff; text-decoration:none; margin:0 12px; }}
</style>
</head>
<body>
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td height="90" bgcolor="#a81d1d" style="color:#fff;font-size:28px;padding-left:20px;">\
示例市人民政府</td></tr>
<tr><td class="nav" height="36" bgcolor="#861616">\
<a href="/">首页</a>|<a href="/zwgk/">政务公开</a>|<a href="/zwgk/czzj/">财政资金</a>|\
<a href="/hdjl/">互动交流</a></td></tr>
<tr><td style="padding:8px 0;">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> \
&gt; 预决算公开</td></tr>
<tr><td valign="top" style="padding:10px 20px;">
<div class="article">
"""

_PORTAL_TAIL = """</div>
</td></tr>
<tr><td height="60" align="center" bgcolor="#eeeeee">主办：示例市人民政府办公室&nbsp;&nbsp;\
<a href="#">网站地图</a>&nbsp;|&nbsp;<a href="#">联系我们</a></td></tr>
</table>
</body>
</html>
"""

_ARTICLE_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
.TRS_Editor table {{ border-collapse: collapse; margin: 0 auto; }}
.TRS_Editor td, .TRS_Editor th {{ border: 1px solid #333; padding: 3px 6px; font-size: 14px; }}
.caption-right {{ float: right; }}
</style>
</head>
<body>
<div class="main">
<div class="TRS_Editor">
"""

_ARTICLE_TAIL = """</div>
<div class="footer">发布日期：2025-02-10　来源：示例市财政局</div>
</div>
</body>
</html>
"""

_ALIGN = {"key": "center", "header": "center", "text": "left", "value": "center", "amount": "right"}


def _cell_html(cell: Cell, look: Look, *, header_tag: str) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    lines = [escape_html(p) for p in printed_lines(cell, look, gap="\u00a0")]
    if not lines:
        body = "&nbsp;"
    elif cell.role == "text":
        body = "".join(f'<p style="text-indent:2em;margin:0;">{p}</p>' for p in lines)
    elif cell.role == "amount":
        body = f"<span style=\"font-family:'Times New Roman';\">{lines[0]}</span>"
    elif cell.role == "header" and header_tag == "td":
        body = "<b>" + "<br>".join(lines) + "</b>"
    else:
        body = "<br>".join(lines)
    tag = header_tag if cell.role == "header" else "td"
    return f'<{tag}{attrs} align="{_ALIGN[cell.role]}" valign="middle">{body}</{tag}>'


def _caption_html(sheet: Sheet) -> str:
    title, *rest = sheet.caption
    parts = [f'<h2 style="text-align:center;">{escape_html(title)}</h2>\n']
    for line in rest:
        left, right = split_caption(line)
        right_html = f'<span class="caption-right">{escape_html(right)}</span>' if right else ""
        parts.append(f"<p>{escape_html(left)}{right_html}</p>\n")
    return "".join(parts)


def sheets_to_html(sheets: Sequence[Sheet], look: Look, *, charset: Charset, frame: Frame) -> bytes:
    """One page holding every sheet: caption, then a bordered table with real spans.

    The portal frame writes header cells as bold ``<td>``; the article frame as ``<th>``.
    """
    title = sheets[0].caption[0]
    head, tail = (_PORTAL_HEAD, _PORTAL_TAIL) if frame == "portal" else (_ARTICLE_HEAD, _ARTICLE_TAIL)
    parts = [head.format(charset=charset, title=escape_html(title))]
    header_tag = "td" if frame == "portal" else "th"
    for sheet in sheets:
        parts.append(_caption_html(sheet))
        if frame == "portal":
            parts.append(
                '<table border="1" cellspacing="0" cellpadding="4" bordercolor="#000000" width="100%" '
                'style="border-collapse:collapse;font-size:12px;">\n<tbody>\n'
            )
        else:
            parts.append("<table>\n<tbody>\n")
        for row in sheet.rows():
            parts.append(
                "<tr>" + "".join(_cell_html(c, look, header_tag=header_tag) for c in row) + "</tr>\n"
            )
        parts.append("</tbody>\n</table>\n<p>&nbsp;</p>\n")
    parts.append(tail)
    page = "".join(parts)
    encoding = "gbk" if charset == "gb2312" else "utf-8"
    # A character GBK lacks (✔ U+2714) is written as a character reference (``&#10004;``), as
    # an editor saving a GBK page does.
    return page.encode(encoding, errors="xmlcharrefreplace")
