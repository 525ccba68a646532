"""Two invented departments' budgets, and the standard disclosure tables made from them.

Amounts are whole yuan at the 项 (or 经济分类 款) level; every 类 and 款 row, every 合计 and
both panel tables are sums of them, so the tables of one department agree with each other
the way a real disclosure does. ``AmountStyle`` decides how they are printed (元 with
thousands separators, 万元 with two decimals, zeros as ``0``, blank or ``-``).
"""

from __future__ import annotations

from dataclasses import dataclass

from cases_budget import AmountStyle, CodeRow, CodeStyle, CodeTableSpec, Panel, enumerated
from cases_model import Item

# 功能分类科目 (类/款/项) names used below, as published in the 2025 classification.
FUNCTION_NAMES = {
    "201": "一般公共服务支出",
    "20103": "政府办公厅（室）及相关机构事务",
    "2010301": "行政运行",
    "2010302": "一般行政管理事务",
    "20105": "统计信息事务",
    "2010507": "专项普查活动",
    "20129": "群众团体事务",
    "2012902": "一般行政管理事务",
    "20132": "组织事务",
    "2013202": "一般行政管理事务",
    "20133": "宣传事务",
    "2013302": "一般行政管理事务",
    "204": "公共安全支出",
    "20406": "司法",
    "2040607": "公共法律服务",
    "20499": "其他公共安全支出",
    "2049999": "其他公共安全支出",
    "205": "教育支出",
    "20501": "教育管理事务",
    "2050101": "行政运行",
    "2050102": "一般行政管理事务",
    "20502": "普通教育",
    "2050201": "学前教育",
    "2050202": "小学教育",
    "2050203": "初中教育",
    "20509": "教育费附加安排的支出",
    "2050999": "其他教育费附加安排的支出",
    "20599": "其他教育支出",
    "2059999": "其他教育支出",
    "206": "科学技术支出",
    "20607": "科学技术普及",
    "2060702": "科普活动",
    "207": "文化旅游体育与传媒支出",
    "20701": "文化和旅游",
    "2070109": "群众文化",
    "20703": "体育",
    "2070308": "群众体育",
    "208": "社会保障和就业支出",
    "20802": "民政管理事务",
    "2080208": "基层政权建设和社区治理",
    "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休",
    "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "20807": "就业补助",
    "2080705": "公益性岗位补贴",
    "20810": "社会福利",
    "2081002": "老年福利",
    "20825": "其他生活救助",
    "2082501": "其他城市生活救助",
    "210": "卫生健康支出",
    "21007": "计划生育事务",
    "2100717": "计划生育服务",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "2101102": "事业单位医疗",
    "211": "节能环保支出",
    "21103": "污染防治",
    "2110302": "水体",
    "212": "城乡社区支出",
    "21201": "城乡社区管理事务",
    "2120101": "行政运行",
    "2120102": "一般行政管理事务",
    "2120104": "城管执法",
    "2120199": "其他城乡社区管理事务支出",
    "21203": "城乡社区公共设施",
    "2120399": "其他城乡社区公共设施支出",
    "21205": "城乡社区环境卫生",
    "2120501": "城乡社区环境卫生",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "2210203": "购房补贴",
}

# 部门预算经济分类科目 (类/款).
ECONOMIC_NAMES = {
    "301": "工资福利支出",
    "30101": "基本工资",
    "30102": "津贴补贴",
    "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费",
    "30112": "其他社会保障缴费",
    "30113": "住房公积金",
    "30199": "其他工资福利支出",
    "302": "商品和服务支出",
    "30201": "办公费",
    "30205": "水费",
    "30206": "电费",
    "30207": "邮电费",
    "30209": "物业管理费",
    "30211": "差旅费",
    "30213": "维修(护)费",
    "30215": "会议费",
    "30216": "培训费",
    "30217": "公务接待费",
    "30228": "工会经费",
    "30229": "福利费",
    "30231": "公务用车运行维护费",
    "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助",
    "30302": "退休费",
}


@dataclass(frozen=True)
class Department:
    """A department's budget: 项 leaves as (code, 基本支出, 项目支出, 事业收入) and 经济分类 leaves.

    ``economic`` leaves are (code, 人员经费, 公用经费). All amounts in yuan.
    """

    name: str
    year: int
    leaves: tuple[tuple[str, int, int, int], ...]
    economic: tuple[tuple[str, int, int], ...]


DEPT_STREET = Department(
    name="示例市东湖区人民政府南山街道办事处",
    year=2025,
    leaves=(
        ("2010301", 3_215_400, 0, 0),
        ("2010302", 0, 486_000, 0),
        ("2010507", 0, 438_300, 0),
        ("2012902", 0, 422_900, 0),
        ("2013202", 0, 1_075_000, 0),
        ("2013302", 0, 1_106_000, 0),
        ("2040607", 0, 300_000, 0),
        ("2049999", 0, 2_578_025, 0),
        ("2059999", 0, 250_000, 0),
        ("2060702", 0, 100_000, 0),
        ("2070109", 0, 380_000, 0),
        ("2070308", 0, 200_000, 0),
        ("2080208", 0, 1_250_000, 0),
        ("2080501", 259_320, 0, 0),
        ("2080502", 85_260, 0, 0),
        ("2080505", 4_827_156, 0, 0),
        ("2080506", 2_413_577, 0, 0),
        ("2080705", 0, 582_800, 0),
        ("2081002", 0, 1_460_000, 0),
        ("2082501", 0, 300_000, 0),
        ("2100717", 0, 200_000, 0),
        ("2101101", 1_468_940, 0, 0),
        ("2101102", 1_548_033, 0, 0),
        ("2110302", 0, 650_000, 0),
        ("2120101", 17_737_739, 150_000, 0),
        ("2120102", 0, 17_464_243, 0),
        ("2120104", 6_522_681, 0, 0),
        ("2120199", 53_121_126, 0, 0),
        ("2120399", 0, 2_191_300, 0),
        ("2120501", 0, 4_833_300, 0),
        ("2210201", 3_846_732, 0, 0),
        ("2210203", 3_340_800, 0, 0),
    ),
    economic=(
        ("30101", 6_084_184, 0),
        ("30102", 18_149_307, 0),
        ("30107", 11_610_630, 0),
        ("30108", 4_827_156, 0),
        ("30109", 2_413_577, 0),
        ("30110", 3_016_973, 0),
        ("30112", 165_128, 0),
        ("30113", 3_846_732, 0),
        ("30199", 40_124_897, 0),
        ("30201", 0, 4_333_478),
        ("30205", 0, 106_000),
        ("30206", 0, 325_000),
        ("30207", 0, 357_000),
        ("30209", 0, 1_143_816),
        ("30211", 0, 80_000),
        ("30213", 0, 276_000),
        ("30215", 0, 30_000),
        ("30216", 0, 83_000),
        ("30217", 0, 13_500),
        ("30228", 0, 638_846),
        ("30229", 0, 738_720),
        ("30231", 0, 215_600),
        ("30299", 0, 903_482),
        ("30302", 275_460, 0),
    ),
)

DEPT_EDUCATION = Department(
    name="示例市东湖区教育局",
    year=2025,
    leaves=(
        ("2050101", 6_123_500, 0, 0),
        ("2050102", 0, 850_000, 0),
        ("2050201", 12_504_000, 3_200_000, 1_800_000),
        ("2050202", 48_621_800, 5_600_000, 0),
        ("2050203", 32_156_600, 4_100_000, 650_000),
        ("2050999", 0, 1_500_000, 0),
        ("2080505", 8_452_000, 0, 0),
        ("2080506", 4_226_000, 0, 0),
        ("2101102", 3_894_500, 0, 0),
        ("2210201", 5_068_800, 0, 0),
    ),
    economic=(
        ("30101", 21_350_600, 0),
        ("30102", 9_820_400, 0),
        ("30107", 30_114_900, 0),
        ("30108", 8_452_000, 0),
        ("30113", 5_068_800, 0),
        ("30201", 0, 1_215_300),
        ("30211", 0, 186_000),
        ("30216", 0, 420_000),
        ("30217", 0, 0),
        ("30299", 0, 2_650_400),
    ),
)


def _tree(leaves: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
    """Every 类, 款 and 项 code with the column sums of the leaves under it, in code order."""
    sums: dict[str, tuple[int, ...]] = {}
    for code, values in leaves.items():
        for n in (3, 5, 7):
            if len(code) >= n:
                key = code[:n]
                old = sums.get(key, (0,) * len(values))
                sums[key] = tuple(a + b for a, b in zip(old, values, strict=True))
    return dict(sorted(sums.items()))


def function_rows(dept: Department) -> dict[str, tuple[int, int, int]]:
    """(基本支出, 项目支出, 事业收入) of every 功能分类 code of the department."""
    tree = _tree({code: (basic, project, business) for code, basic, project, business in dept.leaves})
    return {code: (v[0], v[1], v[2]) for code, v in tree.items()}


def expenditure_spec(
    dept: Department, kind: str, title: str, group: str, style: AmountStyle, unit: str, code_style: CodeStyle
) -> CodeTableSpec:
    """支出总表 / 一般公共预算支出表: 合计 | 基本支出 | 项目支出 per 功能分类 row."""
    rows = function_rows(dept)
    out = [
        CodeRow(code, FUNCTION_NAMES[code], tuple(style.format(v) for v in (b + p, b, p)))
        for code, (b, p, _) in rows.items()
    ]
    basic = sum(v[0] for c, v in rows.items() if len(c) == 3)
    project = sum(v[1] for c, v in rows.items() if len(c) == 3)
    return CodeTableSpec(
        kind=kind,
        name=title[-8:],
        caption=(title, f"编制部门：{dept.name}\t单位：{unit}"),
        unit=unit,
        group=group,
        headers=("合计", "基本支出", "项目支出"),
        rows=tuple(out),
        total=tuple(style.format(v) for v in (basic + project, basic, project)),
        code_style=code_style,
        code_header=_code_headers(code_style)[0],
        name_header=_code_headers(code_style)[1],
    )


def income_spec(
    dept: Department, title: str, style: AmountStyle, unit: str, code_style: CodeStyle
) -> CodeTableSpec:
    """收入总表: 合计 | 财政拨款收入 | 事业收入 | 事业单位经营收入 | 其他收入 per 功能分类 row."""
    rows = function_rows(dept)

    def amounts(basic: int, project: int, business: int) -> tuple[str, ...]:
        total = basic + project
        return tuple(style.format(v) for v in (total, total - business, business, 0, 0))

    top = [v for c, v in rows.items() if len(c) == 3]
    return CodeTableSpec(
        kind="income_summary",
        name="收入总表",
        caption=(title, f"编制部门：{dept.name}\t单位：{unit}"),
        unit=unit,
        group="收入预算",
        headers=("合计", "财政拨款收入", "事业收入", "事业单位\n经营收入", "其他收入"),
        rows=tuple(CodeRow(code, FUNCTION_NAMES[code], amounts(*v)) for code, v in rows.items()),
        total=amounts(*(sum(v[i] for v in top) for i in range(3))),
        code_style=code_style,
        code_header=_code_headers(code_style)[0],
        name_header=_code_headers(code_style)[1],
    )


def basic_spec(
    dept: Department, title: str, style: AmountStyle, unit: str, code_style: CodeStyle
) -> CodeTableSpec:
    """基本支出表: 合计 | 人员经费 | 公用经费 per 经济分类 类/款 row."""
    tree = _tree({code: (personnel, public) for code, personnel, public in dept.economic})
    rows = tuple(
        CodeRow(code, ECONOMIC_NAMES[code], tuple(style.format(v) for v in (a + b, a, b)))
        for code, (a, b) in tree.items()
    )
    personnel = sum(v[0] for c, v in tree.items() if len(c) == 3)
    public = sum(v[1] for c, v in tree.items() if len(c) == 3)
    return CodeTableSpec(
        kind="basic_expenditure",
        name="基本支出表",
        caption=(title, f"编制部门：{dept.name}\t单位：{unit}"),
        unit=unit,
        group="一般公共预算基本支出",
        headers=("合计", "人员经费", "公用经费"),
        rows=rows,
        total=tuple(style.format(v) for v in (personnel + public, personnel, public)),
        levels=("类", "款"),
        code_style=code_style,
        code_header=_code_headers(code_style, "经济分类")[0],
        name_header=_code_headers(code_style, "经济分类")[1],
    )


def _code_headers(code_style: CodeStyle, classification: str = "功能分类") -> tuple[str, str]:
    """The headers over the code and name columns: ``功能分类科目编码`` above 类|款|项 columns,
    plain ``科目编码 | 科目名称`` when the code is printed in one column."""
    if code_style == "split":
        return f"{classification}科目编码", f"{classification}科目名称"
    return "科目编码", "科目名称"


def summary_panels(dept: Department, style: AmountStyle, *, carry_over: bool) -> tuple[Panel, Panel]:
    """收支总表: 本年收入 by source (财政拨款 with its three funds), 本年支出 by 类.

    With ``carry_over`` both panels end with 本年合计, 上年结转 / 年末结转 and 总计 rows, as a
    部门收支总表 with balances does; else with 收入总计 / 支出总计 only.
    """
    rows = function_rows(dept)
    top = {c: v for c, v in rows.items() if len(c) == 3}
    total = sum(b + p for b, p, _ in top.values())
    business = sum(v[2] for v in top.values())
    fiscal = total - business
    fmt = style.format
    grants = (("一般公共预算资金", fiscal), ("政府性基金", 0), ("国有资本经营预算", 0))
    income = (
        Item(
            "财政拨款收入",
            (fmt(fiscal),),
            tuple(Item(n, (fmt(v),), label=enumerated(i, True) + n) for i, (n, v) in enumerate(grants)),
            label="一、财政拨款收入",
        ),
        Item("事业收入", (fmt(business),), label="二、事业收入"),
        Item("事业单位经营收入", (fmt(0),), label="三、事业单位经营收入"),
        Item("其他收入", (fmt(0),), label="四、其他收入"),
    )
    spending = tuple(
        Item(FUNCTION_NAMES[c], (fmt(b + p),), label=enumerated(i) + FUNCTION_NAMES[c])
        for i, (c, (b, p, _)) in enumerate(top.items())
    )
    income_totals: tuple[Item, ...]
    spending_totals: tuple[Item, ...]
    if carry_over:
        income_totals = (
            Item("本年收入合计", (fmt(total),)),
            Item("上年结转结余", (fmt(0),)),
            Item("收入总计", (fmt(total),)),
        )
        spending_totals = (
            Item("本年支出合计", (fmt(total),)),
            Item("年末结转结余", (fmt(0),)),
            Item("支出总计", (fmt(total),)),
        )
    else:
        income_totals, spending_totals = (
            (Item("收入总计", (fmt(total),)),),
            (Item("支出总计", (fmt(total),)),),
        )
    return (
        Panel("本年收入", ("预算数",), "收入", income, income_totals),
        Panel("本年支出", ("预算数",), "支出", spending, spending_totals),
    )


def fiscal_panels(dept: Department, style: AmountStyle) -> tuple[Panel, Panel]:
    """财政拨款收支总表: 财政拨款收入 by fund, 财政拨款支出 by 类 over 合计 and the three funds."""
    rows = function_rows(dept)
    top = {c: v for c, v in rows.items() if len(c) == 3}
    fmt = style.format
    fiscal_by_class = {c: b + p - business for c, (b, p, business) in top.items()}
    fiscal = sum(fiscal_by_class.values())
    funds = (("一般公共预算资金", fiscal), ("政府性基金", 0), ("国有资本经营预算", 0))
    income = tuple(Item(n, (fmt(v),), label=enumerated(i) + n) for i, (n, v) in enumerate(funds))
    spending = tuple(
        Item(FUNCTION_NAMES[c], (fmt(v), fmt(v), fmt(0), fmt(0)), label=enumerated(i) + FUNCTION_NAMES[c])
        for i, (c, v) in enumerate(fiscal_by_class.items())
    )
    return (
        Panel("财政拨款收入", ("预算数",), "收入", income, (Item("收入总计", (fmt(fiscal),)),)),
        Panel(
            "财政拨款支出",
            ("合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"),
            "支出",
            spending,
            (Item("支出总计", tuple(fmt(v) for v in (fiscal, fiscal, 0, 0))),),
        ),
    )
