"""Invented performance tables after other templates (issue 15): the national 项目支出绩效自评表,
the 执行监控表 and target tables printed unusually.

See ``cases_performance_data`` for the row format of the indicator tables.
"""

from __future__ import annotations

from cases_model import Item
from cases_performance import Block, FormSpec, HeadedMoney
from cases_performance_data import indicators

# ------------------------------------------- 项目支出绩效自评表, the Ministry of Finance's template

#: 分值 90 here plus the money block's 10 is 100; 得分 86 plus the money block's 9.8 is 95.8 (总分).
SCHOOL_SELF = """
产出指标|数量指标|改造薄弱学校数量|≥12所|12所|10|10|
产出指标|数量指标|受益学生人数|≥8000人|8235人|10|10|
产出指标|质量指标|改造工程验收合格率|=100%|100%|10|10|
产出指标|时效指标|项目完成及时率|≥95%|90%|10|9|两所学校工程因雨季延期，已督促施工单位加快进度
成本指标|经济成本指标|生均公用经费支出|≤800元/生·年|786元/生·年|5|5|
成本指标|社会成本指标|临聘保育人员补助标准|≤1200元/人·月|1200元/人·月|5|5|
成本指标|生态环境成本指标|校园周边道路硬化成本|≤35万元/公里|36.2万元/公里|5|4|建材价格上涨，后续将优化招标方式
效益指标|社会效益指标|义务教育巩固率|≥99%|99.3%|10|10|
效益指标|可持续影响指标|办学条件改善长效机制|逐步健全|基本健全|10|8|校舍管护责任尚未完全落实到校
满意度指标|服务对象满意度指标|学生及家长满意度|≥90%|92.5%|15|15|
"""


def school_self_evaluation(caption: tuple[str, ...]) -> FormSpec:
    """The national 项目支出绩效自评表: 分值 | 执行率 | 得分 in the money block, 预期目标 | 实际完成情况,
    成本指标 as a 一级指标, compound units, closing rows 总分 and 自评等级."""
    return FormSpec(
        kind="performance_self_evaluation",
        name="项目支出绩效自评表",
        caption=caption,
        amount_unit="万元",
        widths=(1.3, 1.5, 2.0, 3.2, 1.8, 1.8, 0.9, 0.9, 2.8),
        fields=(("项目名称", ("农村义务教育薄弱环节改善与能力提升",)),),
        pairs=(("主管部门", "示例市东湖区教育局", "实施单位", "示例市东湖区教育装备与后勤服务中心"),),
        money=HeadedMoney(
            label="项目资金\n（万元）",
            columns=("年初预算数", "全年预算数", "全年执行数"),
            total=Item(
                "年度资金总额",
                ("800.00", "820.00", "801.50"),
                (
                    Item("当年财政拨款", ("700.00", "720.00", "706.50")),
                    Item("上年结转资金", ("100.00", "100.00", "95.00")),
                    Item("其他资金", ("0.00", "0.00", "0.00")),
                ),
                label="年度资金总额：",
            ),
            scores=(
                ("分值", "预算执行分值", "10", "—"),
                ("执行率", "预算执行率", "97.74%", "—"),
                ("得分", "预算执行得分", "9.8", "—"),
            ),
        ),
        stacked_goal=(
            "年度总体目标",
            (
                (
                    "预期目标",
                    ("改善12所农村义务教育薄弱学校办学条件，保障学校正常运转，惠及学生8000人以上。",),
                ),
                (
                    "实际完成情况",
                    ("完成12所薄弱学校改造，受益学生8235人；两所学校工程延期至次年1月完工。",),
                ),
            ),
        ),
        blocks=(
            Block(
                indicators(SCHOOL_SELF, targets=2, extras=3),
                ("年度指标值", "实际完成值"),
                extra_headers=("分值", "得分", "偏差原因分析\n及改进措施"),
            ),
        ),
        outer_label="绩效指标",
        total_score=("100", "95.8"),
        grade="优",
    )


# --------------------------------------------------------------- 项目支出绩效运行监控表

ELDERLY_CARE = """
产出指标|数量指标|居家养老服务对象人数|≥1500人|1320人|1550人|||确定能
产出指标|数量指标|助餐服务点建设数量|≥10个|6个|9个|经费保障+硬件条件保障|2个助餐点场地未落实，配套资金下半年到位|有可能
产出指标|数量指标|适老化改造户数|≥200户|35户|80户|经费保障+制度保障+人员保障|改造补助标准调整未获批复，施工队伍不足|完全不可能
产出指标|质量指标|服务质量抽查合格率|≥95%|96%|96%|||确定能
产出指标|时效指标|补助资金发放及时率|=100%|100%|100%|||确定能
产出指标|成本指标|人均服务补助标准|≤300元/人·月|300元/人·月|300元/人·月|||确定能
效益指标|社会效益指标|失能老人照护覆盖率|≥60%|41%|55%|人员保障+其他|专业护理员招聘不足，部分老人暂缓入户|有可能
效益指标|可持续影响指标|居家养老服务网络|逐步完善|初步建成|逐步完善|||确定能
满意度指标|服务对象满意度指标|服务对象满意度|≥90%|89%|≥90%|制度保障|回访制度执行不到位，已建立月度回访|有可能
"""
REASONS = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")


def elderly_care_monitoring(caption: tuple[str, ...]) -> FormSpec:
    """A 执行监控表: 年度指标值 | 1-7月执行数 | 全年预计执行数, ticks under 偏差原因分析."""
    return FormSpec(
        kind="performance_monitoring",
        name="项目支出绩效运行监控表",
        caption=caption,
        amount_unit="万元",
        widths=(1.3, 1.6, 2.6, 1.3, 1.3, 1.3, 1.0, 1.0, 1.0, 1.0, 1.0, 2.4, 1.2),
        fields=(
            ("项目名称", ("社区居家养老服务补助",)),
            ("主管部门", ("示例市东湖区民政局",)),
            ("实施单位", ("示例市东湖区养老服务指导中心",)),
        ),
        money=HeadedMoney(
            label="项目资金（万元）",
            columns=("年初预算数", "全年预算数", "1-7月执行数", "全年预计执行数"),
            total=Item(
                "年度资金总额",
                ("600.00", "620.00", "356.80", "615.00"),
                (
                    Item("当年财政拨款", ("560.00", "580.00", "330.00", "575.00")),
                    Item("上年结转资金", ("40.00", "40.00", "26.80", "40.00")),
                    Item("其他资金", ("0.00", "0.00", "0.00", "0.00")),
                ),
            ),
        ),
        goals=(
            (
                "年度总体目标",
                ("为全区1500名以上居家老人提供助餐、助洁、助医等上门服务，新建助餐服务点10个。",),
            ),
        ),
        blocks=(
            Block(
                indicators(ELDERLY_CARE, targets=3, extras=2, ticks=True),
                ("年度指标值", "1-7月执行数", "全年预计执行数"),
                tick_group="偏差原因分析",
                tick_headers=REASONS,
                extra_headers=("原因说明", "完成目标\n可能性"),
            ),
        ),
    )


# ------------------ 项目支出绩效目标表: labels one character a line, colons, 分值, 二级 on every row

FITNESS = """
产\\n出\\n指\\n标|数量指标|新建社区健身点数量|≥30个|10
产\\n出\\n指\\n标|数量指标|更新健身器材套数|≥120套|10
产\\n出\\n指\\n标|质量指标|器材安装验收合格率|=100%|10
产\\n出\\n指\\n标|时效指标|项目完成时限|≤10个月|10
产\\n出\\n指\\n标|成本指标|单个健身点建设成本|≤12万元/个|10
效\\n益\\n指\\n标|社会效益指标|经常参加体育锻炼人口比例|≥42%|15
效\\n益\\n指\\n标|可持续影响指标|健身设施长效管护机制|建立健全|15
满\\n意\\n度\\n指\\n标|服务对象满意度指标|居民满意度|≥90%|20
"""


def fitness_targets(caption: tuple[str, ...]) -> FormSpec:
    """Field labels ending in a colon, 年度总体目标 and the 一级指标 printed one character a line,
    二级指标 on every row, a 分值 column beside 指标值."""
    return FormSpec(
        kind="project_performance_targets",
        name="项目支出绩效目标表",
        caption=caption,
        amount_unit="",
        widths=(1.4, 1.1, 2.4, 4.0, 2.0, 1.1),
        fields=(
            ("项目名称：", ("全民健身设施补短板工程",)),
            ("主管部门：", ("示例市东湖区文化体育和旅游局",)),
            ("实施单位：", ("示例市东湖区体育事业发展中心",)),
        ),
        goals=(
            (
                "年\n度\n总\n体\n目\n标",
                (
                    "1.新建社区健身点30个，更新健身器材120套，器材安装验收合格率100%。",
                    "2.完善全民健身公共服务体系，经常参加体育锻炼人口比例达到42%以上。",
                ),
            ),
        ),
        blocks=(
            Block(
                indicators(FITNESS, targets=1, extras=1),
                ("指标值",),
                extra_headers=("分值",),
                merge_level2=False,
            ),
        ),
        outer_label="绩\n效\n指\n标",
    )


# ------------------- 部门整体绩效目标表: 三级指标 over two columns (name | value), then 权重

LIBRARY = """
产出指标|数量指标|公共图书馆年接待读者人次|≥80万人次|10
产出指标|数量指标|举办文化惠民活动场次|≥260场|10
产出指标|质量指标|文物安全事故发生次数|=0次|10
产出指标|时效指标|文化惠民资金拨付及时率|=100%|10
产出指标|成本指标|部门预算执行率|≥95%|10
效益指标|社会效益指标|公共文化服务覆盖面|持续扩大|20
效益指标|可持续影响指标|文化设施运行管理机制|健全|10
满意度指标|服务对象满意度指标|群众文化活动满意度|≥90%|20
"""


def library_targets(caption: tuple[str, ...]) -> FormSpec:
    """A 三级指标 header spanning the indicator's name and its target value, no 指标值 header, and
    a 权重 column."""
    return FormSpec(
        kind="department_performance_targets",
        name="部门整体绩效目标表",
        caption=caption,
        amount_unit="",
        widths=(1.8, 2.4, 4.2, 2.2, 1.0),
        fields=(
            ("部门名称", ("示例市东湖区文化和旅游局",)),
            (
                "年度绩效目标",
                (
                    "1.提升公共文化服务效能，全年公共图书馆接待读者80万人次以上。",
                    "2.举办各类文化惠民活动260场以上，确保全年文物安全零事故。",
                ),
            ),
        ),
        blocks=(
            Block(
                indicators(LIBRARY, targets=1, extras=1),
                ("指标值",),
                extra_headers=("权重",),
                level3_holds_target=True,
            ),
        ),
    )
