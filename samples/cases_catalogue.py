"""The generated evaluation set: which logical tables are printed by which producer, and why.

Each logical table is printed by several producers, each with its own look, so every reader
meets the same truth in different clothes; each case says in ``why`` what it exercises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cases_model import TruthTable
from cases_tables import (
    AID,
    BASIC_EDUCATION,
    BASIC_STREET,
    CARE_MONITOR,
    EXPENDITURE_EDUCATION,
    EXPENDITURE_STREET,
    FISCAL_EDUCATION,
    FISCAL_STREET,
    FITNESS,
    GENERAL_EDUCATION,
    GENERAL_STREET,
    INCOME_EDUCATION,
    INCOME_STREET,
    LEGAL,
    LIBRARY,
    ROAD,
    SCHOOL_SELF,
    SERVICE,
    STATISTICS,
    STREET_TARGETS,
    SUMMARY_EDUCATION,
    SUMMARY_STREET,
    THREE_EDUCATION,
    THREE_STREET,
    WATER,
)
from render import Look
from render_web import Frame

Producer = Literal["html_utf8", "html_gbk", "docx", "doc", "xlsx", "xls", "lo_pdf", "reportlab"]
PRODUCERS: tuple[Producer, ...] = (
    "html_utf8",
    "html_gbk",
    "docx",
    "doc",
    "xlsx",
    "xls",
    "lo_pdf",
    "reportlab",
)
EXTENSION: dict[Producer, str] = {
    "html_utf8": "html",
    "html_gbk": "html",
    "docx": "docx",
    "doc": "doc",
    "xlsx": "xlsx",
    "xls": "xls",
    "lo_pdf": "pdf",
    "reportlab": "pdf",
}


@dataclass(frozen=True)
class Case:
    """One generated document: its tables, the producer and look that print them, its page count."""

    name: str
    producer: Producer
    tables: tuple[TruthTable, ...]
    why: str
    look: Look = field(default_factory=Look)
    pages: int | None = None
    frame: Frame = "article"

    @property
    def file_name(self) -> str:
        return f"{self.name}.{EXTENSION[self.producer]}"


# ------------------------------------------------------------------------------ cases

_RADICALS = "CJK radical code points in the text layer (⽬ for 目, ⻔ for 门; the page shows 目/门)"

CASES: tuple[Case, ...] = (
    # 部门整体绩效目标表
    Case(
        "dept_statistics_html_utf8",
        "html_utf8",
        (STATISTICS,),
        "Seed-like 7-column 部门整体绩效目标表 (万元) as a UTF-8 article: 收入/支出 trees with 小计, "
        "`<p>` paragraphs, a 重点工作/对应项目 block with merged labels, ranges (90%-100%).",
    ),
    Case(
        "dept_statistics_docx",
        "docx",
        (STATISTICS,),
        "The same table as a Word table with real merges, long texts as cell paragraphs.",
    ),
    Case(
        "dept_statistics_libreoffice",
        "lo_pdf",
        (STATISTICS,),
        "That Word table printed by LibreOffice: the indicator blocks continue on page 2 with no "
        "repeated header (Word repeats only a table's top rows).",
        Look(font_pt=10.5),
        pages=2,
    ),
    Case(
        "dept_statistics_reportlab",
        "reportlab",
        (STATISTICS,),
        f"Drawn by reportlab over two pages, the block header repeated after the cut, cut spans "
        f"restarted with their text; {_RADICALS}.",
        Look(font_pt=9.5, radicals=True),
        pages=2,
    ),
    Case(
        "dept_street_html_gbk",
        "html_gbk",
        (STREET_TARGETS,),
        "6-column 部门整体绩效目标表 in a GBK portal page: one 指标值 column under an outer merged 绩效指标, "
        "元 money with thousands separators in two columns (全年预算数 | 半年计划执行数), '-' cells, "
        "spaced labels (`单&nbsp;位&nbsp;名&nbsp;称`).",
        Look(spaced_labels=True),
        frame="portal",
    ),
    Case(
        "dept_street_xlsx",
        "xlsx",
        (STREET_TARGETS,),
        "The same in Excel: merged ranges, amounts stored as numbers formatted `#,##0.00`, targets as text.",
    ),
    Case(
        "dept_street_reportlab_landscape",
        "reportlab",
        (STREET_TARGETS,),
        "Landscape, no outer border (inner rulings only), spaced labels, the indicator block cut "
        "without a repeated header and the cut spans left empty on the new page.",
        Look(
            landscape=True,
            font_pt=9.5,
            repeat_header=False,
            cut_span_text=False,
            outer_border=False,
            spaced_labels=True,
        ),
        pages=2,
    ),
    # 项目支出绩效目标表
    Case(
        "project_service_reportlab",
        "reportlab",
        (SERVICE,),
        f"One-page 财政项目支出绩效目标填报表 like Shanghai's: key-value pairs, two money panels "
        f"(项目资金总额 | 年度资金申请总额, 其中： rows, the shorter panel's row merged down), "
        f"outer 绩效指标, ≥13459.00(平方米), a wrapped 二级指标; {_RADICALS}.",
        Look(font_pt=8.0, radicals=True),
        pages=1,
    ),
    Case(
        "project_service_xlsx",
        "xlsx",
        (SERVICE,),
        "The same form in Excel: two-line merged label 项目资金（元）, amounts as formatted numbers.",
    ),
    Case(
        "project_service_html_gbk",
        "html_gbk",
        (SERVICE,),
        "The same form in a GBK portal page with `<br>` inside wrapped labels.",
        frame="portal",
    ),
    Case(
        "project_road_docx",
        "docx",
        (ROAD,),
        "Targets split over 指标性质 | 指标值 | 度量单位 (≥ | 95 | %, 定性 | 优良 | ), money under a "
        "全年预算数 header with 其中：财政拨款, a caption line with left and right parts.",
    ),
    Case(
        "project_road_libreoffice",
        "lo_pdf",
        (ROAD,),
        "That Word document printed by LibreOffice (one page).",
        pages=1,
    ),
    Case(
        "project_road_html_utf8",
        "html_utf8",
        (ROAD,),
        "The split-target form as a UTF-8 article with `<th>` headers and spaced labels.",
        Look(spaced_labels=True),
    ),
    Case(
        "project_road_doc",
        "doc",
        (ROAD,),
        "The split-target form of `project_road_docx` saved as Word 97-2003 (.doc) by LibreOffice: "
        "the same merges and caption tab stop in an OLE compound file.",
    ),
    Case(
        "project_service_doc",
        "doc",
        (SERVICE,),
        "The Shanghai-like form as a Word 97-2003 .doc saved by LibreOffice from Word: key-value "
        "pairs, the two money panels with the shorter panel's row merged down (vertical merges in "
        "the binary format), the two-line merged label 项目资金（元）.",
    ),
    Case(
        "project_aid_reportlab",
        "reportlab",
        (AID,),
        "A long project table (28 indicators, 半年/全年指标值) cut inside its indicator block over "
        "two landscape pages, the block header repeated.",
        Look(landscape=True, font_pt=10.0),
        pages=2,
    ),
    Case(
        "project_aid_libreoffice",
        "lo_pdf",
        (AID,),
        "The long project table printed landscape by LibreOffice from Word, continued on page 2 "
        "without a header.",
        Look(landscape=True, font_pt=10.0),
        pages=2,
    ),
    # 绩效自评表
    Case(
        "self_water_docx",
        "docx",
        (WATER,),
        "绩效自评表: 年度指标值 | 实际完成值 are targets, 分值 | 得分 | 偏差原因 are not; money in "
        "年初预算数 | 全年预算数 | 全年执行数 with '-' cells.",
    ),
    Case(
        "self_water_reportlab_landscape",
        "reportlab",
        (WATER,),
        f"The self-evaluation drawn landscape by reportlab; {_RADICALS}.",
        Look(landscape=True, font_pt=8.5, radicals=True),
        pages=1,
    ),
    Case("self_water_html_utf8", "html_utf8", (WATER,), "The self-evaluation as a UTF-8 article."),
    Case(
        "self_legal_xlsx",
        "xlsx",
        (LEGAL,),
        "9-column self-evaluation under an outer 绩效指标 label, 元 money with blank 其他资金 cells.",
    ),
    Case(
        "self_legal_libreoffice",
        "lo_pdf",
        (LEGAL,),
        "That table printed landscape by LibreOffice from Word.",
        Look(landscape=True),
        pages=1,
    ),
    Case(
        "self_legal_html_gbk",
        "html_gbk",
        (LEGAL,),
        "The same in a GBK portal page with spaced labels.",
        Look(spaced_labels=True),
        frame="portal",
    ),
    # the national 项目支出绩效自评表 (财政部 template)
    Case(
        "self_national_docx",
        "docx",
        (SCHOOL_SELF,),
        "The national 项目支出绩效自评表: money block `年初预算数 | 全年预算数 | "
        "全年执行数 | 分值 | 执行率 | 得分` (the total labelled `年度资金总额：`, the parts' "
        "score cells `—`), 年度总体目标 merged down over 预期目标 | 实际完成情况, 成本指标 as "
        "a 一级指标 (经济/社会/生态环境成本指标), compound units (≤800元/生·年, "
        "≤1200元/人·月, ≤35万元/公里), closing rows 总分 | 100 | 95.8 and 自评等级 | 优.",
    ),
    Case(
        "self_national_libreoffice",
        "lo_pdf",
        (SCHOOL_SELF,),
        "That Word table printed landscape by LibreOffice.",
        Look(landscape=True, font_pt=9.0),
        pages=1,
    ),
    Case(
        "self_national_doc",
        "doc",
        (SCHOOL_SELF,),
        "The national self-evaluation as a Word 97-2003 .doc saved by LibreOffice from Word.",
    ),
    Case(
        "self_national_reportlab",
        "reportlab",
        (SCHOOL_SELF,),
        f"The national self-evaluation drawn landscape by reportlab; {_RADICALS}.",
        Look(landscape=True, font_pt=8.5, radicals=True),
        pages=1,
    ),
    Case(
        "self_national_html_utf8",
        "html_utf8",
        (SCHOOL_SELF,),
        "The national self-evaluation as a UTF-8 article.",
    ),
    Case(
        "self_national_xlsx",
        "xlsx",
        (SCHOOL_SELF,),
        "The national self-evaluation in Excel: amounts stored as numbers, 分值/执行率/得分 as text.",
    ),
    Case(
        "self_national_xls",
        "xls",
        (SCHOOL_SELF,),
        "The national self-evaluation as a legacy Excel 97-2003 workbook (xlwt): merged ranges, "
        "97.74% as text beside binary amounts.",
    ),
    # 项目支出绩效运行监控表
    Case(
        "monitor_care_docx",
        "docx",
        (CARE_MONITOR,),
        "执行监控表 with a two-row indicator header: 年度指标值 | 1-7月执行数 | 全年预计执行数 (three "
        "target columns), 偏差原因分析 over 经费保障 | 制度保障 | 人员保障 | 硬件条件保障 | 其他 ticked "
        "with ✔, 原因说明, 完成目标可能性 (确定能 / 有可能 / 完全不可能) merged down both header rows; "
        "money in four columns.",
    ),
    Case(
        "monitor_care_libreoffice",
        "lo_pdf",
        (CARE_MONITOR,),
        "That Word table printed landscape by LibreOffice.",
        Look(landscape=True, font_pt=9.0),
        pages=1,
    ),
    Case(
        "monitor_care_reportlab",
        "reportlab",
        (CARE_MONITOR,),
        "The monitoring table drawn landscape by reportlab, ✔ set in the fallback font.",
        Look(landscape=True, font_pt=8.0),
        pages=1,
    ),
    Case(
        "monitor_care_html_gbk",
        "html_gbk",
        (CARE_MONITOR,),
        "The monitoring table in a GBK portal page: GBK has no ✔, so the page writes `&#10004;`.",
        frame="portal",
    ),
    Case(
        "monitor_care_xlsx",
        "xlsx",
        (CARE_MONITOR,),
        "The monitoring table in Excel: the two header rows as merged ranges.",
    ),
    Case(
        "monitor_care_doc",
        "doc",
        (CARE_MONITOR,),
        "The monitoring table as a Word 97-2003 .doc saved by LibreOffice: ✔ cells, two-row header.",
    ),
    Case(
        "monitor_care_xls",
        "xls",
        (CARE_MONITOR,),
        "The monitoring table as a legacy Excel 97-2003 workbook (xlwt): merged header ranges, ✔ cells.",
        Look(landscape=True),
    ),
    # 目标表 printed unusually
    Case(
        "targets_fitness_docx",
        "docx",
        (FITNESS,),
        "项目支出绩效目标表 with field labels ending in a colon (`项目名称：`), 年度总体目标 and the "
        "一级指标 and outer 绩效指标 labels printed one character a line, 二级指标 printed on every row "
        "(一级 merged), a 分值 column beside 指标值 (a weight, not a target), ≤12万元/个.",
    ),
    Case(
        "targets_fitness_libreoffice",
        "lo_pdf",
        (FITNESS,),
        "That Word table printed by LibreOffice.",
        Look(font_pt=10.0),
        pages=1,
    ),
    Case(
        "targets_fitness_reportlab",
        "reportlab",
        (FITNESS,),
        "The same drawn by reportlab.",
        Look(font_pt=9.5),
        pages=1,
    ),
    Case(
        "targets_fitness_html_utf8",
        "html_utf8",
        (FITNESS,),
        "The same as a UTF-8 article, the one-character lines as `<br>`.",
    ),
    Case(
        "targets_fitness_xlsx",
        "xlsx",
        (FITNESS,),
        "The same in Excel, the one-character lines as line breaks inside one cell.",
    ),
    Case(
        "targets_library_docx",
        "docx",
        (LIBRARY,),
        "部门整体绩效目标表 whose 三级指标 header spans two columns, the indicator's name and its "
        "target value (no 指标值 header), followed by a 权重 column.",
    ),
    Case(
        "targets_library_libreoffice",
        "lo_pdf",
        (LIBRARY,),
        "That Word table printed by LibreOffice.",
        Look(font_pt=10.0),
        pages=1,
    ),
    Case(
        "targets_library_reportlab",
        "reportlab",
        (LIBRARY,),
        f"The same drawn by reportlab; {_RADICALS}.",
        Look(font_pt=10.0, radicals=True),
        pages=1,
    ),
    Case(
        "targets_library_html_gbk",
        "html_gbk",
        (LIBRARY,),
        "The same in a GBK portal page with spaced labels.",
        Look(spaced_labels=True),
        frame="portal",
    ),
    Case(
        "targets_library_xlsx",
        "xlsx",
        (LIBRARY,),
        "The same in Excel.",
    ),
    # 收支总表
    Case(
        "summary_street_html_gbk",
        "html_gbk",
        (SUMMARY_STREET,),
        "财务收支预算总表: panels 本年收入 | 本年支出 with enumerators (一、 1.), blank zero cells, blank "
        "filler rows before the totals.",
        frame="portal",
    ),
    Case(
        "summary_street_reportlab",
        "reportlab",
        (SUMMARY_STREET,),
        f"The panel table drawn by reportlab with spaced header labels; {_RADICALS}.",
        Look(font_pt=9.0, radicals=True, spaced_labels=True),
        pages=1,
    ),
    Case(
        "summary_street_doc",
        "doc",
        (SUMMARY_STREET,),
        "The panel table as a Word 97-2003 .doc saved by LibreOffice from Word: panels 本年收入 | "
        "本年支出 with enumerators, blank zero cells and blank filler rows before the totals.",
        Look(font_pt=9.0),
    ),
    Case(
        "summary_education_xlsx",
        "xlsx",
        (SUMMARY_EDUCATION,),
        "收支预算总表 in 万元 with '-' zeros, 本年收入合计 / 上年结转结余 / 收入总计 rows and spaced "
        "header labels (`项 目`).",
        Look(spaced_labels=True),
    ),
    # 收入总表
    Case(
        "income_street_reportlab",
        "reportlab",
        (INCOME_STREET,),
        "67-row 收入预算总表 over three landscape pages with no repeated header (like real WPS "
        "exports), 类|款|项 code columns under 功能分类科目编码, a wrapped 事业单位经营收入 header.",
        Look(landscape=True, font_pt=9.0, repeat_header=False),
        pages=3,
    ),
    Case(
        "income_street_libreoffice",
        "lo_pdf",
        (INCOME_STREET,),
        "The same from Word (landscape, header rows marked to repeat) printed by LibreOffice.",
        Look(landscape=True, font_pt=9.0),
        pages=3,
    ),
    Case(
        "income_education_xlsx",
        "xlsx",
        (INCOME_EDUCATION,),
        "收入总表 in 万元 with codes in one column printed with spaces (205 02 01) and indented names.",
    ),
    Case("income_education_html_utf8", "html_utf8", (INCOME_EDUCATION,), "The same as a UTF-8 article."),
    # 支出总表
    Case(
        "expenditure_street_html_utf8",
        "html_utf8",
        (EXPENDITURE_STREET,),
        "支出预算总表 with codes joined in one 科目编码 column (2010507) and names indented by level.",
    ),
    Case(
        "expenditure_street_docx",
        "docx",
        (EXPENDITURE_STREET,),
        "The same as a Word table whose header row repeats on each page, header labels spread "
        "with ideographic spaces (`合　计`).",
        Look(spaced_labels=True),
    ),
    Case(
        "expenditure_street_reportlab",
        "reportlab",
        (EXPENDITURE_STREET,),
        "The same drawn by reportlab over two pages, header repeated, no outer border.",
        Look(font_pt=9.5, outer_border=False),
        pages=2,
    ),
    Case(
        "expenditure_education_xlsx",
        "xlsx",
        (EXPENDITURE_EDUCATION,),
        "支出总表 in 万元 without a group header (column paths are the bare 合计/基本支出/项目支出), "
        "amounts without separators, 0.00 zeros.",
    ),
    Case(
        "expenditure_education_xls",
        "xls",
        (EXPENDITURE_EDUCATION,),
        "The same 支出总表 as a legacy Excel 97-2003 workbook (xlwt, BIFF8): 类 | 款 | 项 codes as "
        "text cells (`01` keeps its zero), merged header ranges, amounts as binary floats "
        "(11465.59, 0.00 stored as 0.0 and read back as `0`).",
    ),
    # 一般公共预算支出表
    Case(
        "general_street_xlsx",
        "xlsx",
        (GENERAL_STREET,),
        "一般公共预算支出功能分类预算表 with the three-level header 项目 → 功能分类科目编码 → 类/款/项.",
    ),
    Case(
        "general_street_libreoffice",
        "lo_pdf",
        (GENERAL_STREET,),
        "The same printed by LibreOffice from Word over two pages, header repeated by Word.",
        Look(font_pt=9.0),
        pages=2,
    ),
    Case(
        "general_education_html_gbk",
        "html_gbk",
        (GENERAL_EDUCATION,),
        "一般公共预算支出表 in 万元 with joined codes in a GBK portal page.",
        frame="portal",
    ),
    Case(
        "general_education_reportlab",
        "reportlab",
        (GENERAL_EDUCATION,),
        f"The same drawn by reportlab on one page; {_RADICALS}.",
        Look(font_pt=9.0, radicals=True),
        pages=1,
    ),
    # 基本支出表
    Case(
        "basic_street_docx",
        "docx",
        (BASIC_STREET,),
        "基本支出经济分类表: 经济分类 codes over 类|款 columns (301 | 01), 合计 | 人员经费 | 公用经费.",
    ),
    Case(
        "basic_street_reportlab",
        "reportlab",
        (BASIC_STREET,),
        f"The same over two landscape pages, header repeated; {_RADICALS}.",
        Look(landscape=True, font_pt=10.0, radicals=True),
        pages=2,
    ),
    Case(
        "basic_street_libreoffice",
        "lo_pdf",
        (BASIC_STREET,),
        "基本支出表 printed landscape by LibreOffice from Word over two pages, header repeated by Word.",
        Look(landscape=True, font_pt=10.0),
        pages=2,
    ),
    Case(
        "basic_education_html_utf8",
        "html_utf8",
        (BASIC_EDUCATION,),
        "基本支出表 in 万元 with joined economic codes as a UTF-8 article.",
    ),
    Case(
        "basic_education_xlsx",
        "xlsx",
        (BASIC_EDUCATION,),
        "基本支出表 in 万元 with joined economic codes (30101) and '-' zeros.",
    ),
    # 三公
    Case(
        "three_street_html_utf8",
        "html_utf8",
        (THREE_STREET,),
        "三公经费表 (万元): three-level header, one unlabeled data row, 公务接待费 before 公务用车, "
        "a wrapped 机关运行经费预算数 header.",
    ),
    Case(
        "three_street_reportlab",
        "reportlab",
        (THREE_STREET,),
        "The same drawn landscape by reportlab.",
        Look(landscape=True, font_pt=10.0),
        pages=1,
    ),
    Case(
        "three_street_xls",
        "xls",
        (THREE_STREET,),
        "三公经费表 (万元) as a legacy .xls (xlwt): the three-level header as merged ranges, the "
        "wrapped 机关运行经费预算数 header as a line break inside its cell, the unlabeled data "
        "row's amounts as floats (37.91, 15.0 read back as `15`).",
        Look(landscape=True),
    ),
    Case(
        "three_education_xlsx",
        "xlsx",
        (THREE_EDUCATION,),
        "三公 table in 元 without 机关运行经费, numbers formatted `#,##0.00`, a '-' cell.",
    ),
    Case("three_education_docx", "docx", (THREE_EDUCATION,), "The same as a Word table."),
    # 财政拨款收支总表
    Case(
        "fiscal_street_docx",
        "docx",
        (FISCAL_STREET,),
        "财政拨款收支总表: 收入 panel of one column, 支出 panel of four "
        "(合计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算) with blank zeros.",
    ),
    Case(
        "fiscal_street_libreoffice",
        "lo_pdf",
        (FISCAL_STREET,),
        "The same printed landscape by LibreOffice from a Word table without outer borders "
        "(inner rulings only).",
        Look(landscape=True, font_pt=9.0, outer_border=False),
        pages=1,
    ),
    Case(
        "fiscal_education_html_gbk",
        "html_gbk",
        (FISCAL_EDUCATION,),
        "财政拨款收支总表 in 万元 with '-' zeros in a GBK portal page.",
        frame="portal",
    ),
    Case(
        "fiscal_education_reportlab",
        "reportlab",
        (FISCAL_EDUCATION,),
        "财政拨款收支总表 in 万元 drawn landscape by reportlab without an outer border.",
        Look(landscape=True, font_pt=10.0, outer_border=False),
        pages=1,
    ),
    # several tables in one document
    Case(
        "pack_street_docx",
        "docx",
        (SUMMARY_STREET, FISCAL_STREET, THREE_STREET),
        "Three disclosure tables in one Word document, each on its own page under its own caption.",
    ),
    Case(
        "pack_street_libreoffice",
        "lo_pdf",
        (SUMMARY_STREET, FISCAL_STREET, THREE_STREET),
        "That document printed by LibreOffice: three tables on three pages.",
        Look(font_pt=9.0),
        pages=3,
    ),
    Case(
        "pack_education_reportlab",
        "reportlab",
        (SUMMARY_EDUCATION, EXPENDITURE_EDUCATION, BASIC_EDUCATION),
        "Three 万元 tables drawn by reportlab, each from a new page.",
        Look(font_pt=9.0),
        pages=3,
    ),
)
