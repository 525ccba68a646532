"""Invented 项目支出绩效目标表 and 绩效自评表, written the way publishers fill the forms.

See ``cases_performance_data`` for the row format of the indicator tables.
"""

from __future__ import annotations

from cases_model import Item
from cases_performance import Block, FormSpec, HeadedMoney, PanelMoney
from cases_performance_data import indicators


def _parts(total: str, amount: str, *parts: tuple[str, str]) -> Item:
    return Item(total, (amount,), tuple(Item(name, (raw,)) for name, raw in parts))


# ------------------------------------------- 项目支出绩效目标表, money as two panels (元)

SERVICE_CENTRE = """
产出指标|数量指标|服务中心开放天数|≥300天
产出指标|数量指标|规划建筑面积|≥13459.00(平方米)
产出指标|质量指标|设施设备完好率|=100.00(%)
产出指标|时效指标|维修响应及时性|及时
产出指标|成本指标|运营成本控制|≤410万元
效益指标|社会效益指标|群众办事便利度|明显提高
满意度指标|服务对象满意度\\n指标|居民满意度|不低于85%
"""


def service_centre(caption: tuple[str, ...]) -> FormSpec:
    """Like a Shanghai 财政项目支出绩效目标填报表: field pairs, two money panels, outer 绩效指标."""
    office = "示例市东湖区人民政府南山街道办事处"
    return FormSpec(
        kind="project_performance_targets",
        name="项目支出绩效目标表",
        caption=caption,
        amount_unit="元",
        widths=(1.6, 2.4, 3.0, 3.4, 3.4),
        pairs=(
            ("项目名称", "南山街道社区公共服务中心运营", "项目性质", "经常性项目"),
            ("主管部门", office, "实施单位", office),
            ("计划开始日期", "2025-01-01", "计划完成日期", "2025-12-31"),
        ),
        money=PanelMoney(
            label="项目资金\n（元）",
            left=_parts("项目资金总额", "4,100,000.00", ("财政资金", "4,100,000.00"), ("其他资金", "0.00")),
            right=_parts(
                "年度资金申请总额",
                "4,100,000.00",
                ("当年财政拨款", "4,100,000.00"),
                ("上年结转资金", "0.00"),
                ("其他资金", "0.00"),
            ),
        ),
        goals=(
            (
                "总体目标",
                (
                    "建成后作为南山街道社区事务受理、社区管理、社区文化艺术活动场所，为周边居民提供便捷、优质的社区服务。",
                ),
            ),
            ("年度目标", ("保障社区公共服务中心全年正常开放运营，设施设备完好，居民满意度不低于85%。",)),
        ),
        blocks=(Block(indicators(SERVICE_CENTRE, targets=1), ("年度指标值",)),),
        outer_label="绩效指标",
    )


# ----------------------- 项目支出绩效目标表, targets over 指标性质 | 指标值 | 度量单位 (万元)

ROAD_UPKEEP = """
产出指标|数量指标|道路养护面积|≥^120^万平方米
产出指标|数量指标|桥梁定期检测数量|=^36^座
产出指标|质量指标|道路完好率|≥^95^%
产出指标|质量指标|养护工程质量|定性^优良^
产出指标|时效指标|道路病害处置时限|≤^48^小时
产出指标|成本指标|养护单位成本|≤^9.8^元/平方米
效益指标|社会效益|道路通行安全事故下降率|≥^5^%
效益指标|可持续影响|道路使用寿命|定性^有效延长^
满意度指标|服务对象满意度|市民满意度|≥^90^%
"""


def road_upkeep(caption: tuple[str, ...]) -> FormSpec:
    """Targets split over 指标性质 | 指标值 | 度量单位; money under a 全年预算数 header."""
    return FormSpec(
        kind="project_performance_targets",
        name="项目支出绩效目标表",
        caption=caption,
        amount_unit="万元",
        widths=(2.0, 2.2, 4.2, 1.6, 1.8, 1.8),
        fields=(
            ("项目名称", ("城市道路养护工程",)),
            ("主管部门", ("示例市东湖区城市管理局",)),
            ("实施单位", ("示例市东湖区市政设施养护中心",)),
        ),
        money=HeadedMoney(
            label="项目资金（万元）",
            columns=("全年预算数",),
            total=_parts(
                "年度资金总额",
                "1,280.00",
                ("财政拨款", "1,180.00"),
                ("上年结转资金", "100.00"),
                ("其他资金", "0"),
            ),
        ),
        goals=(
            (
                "年度目标",
                (
                    "1.完成城区主次干道120万平方米的日常养护，道路完好率保持在95%以上。",
                    "2.完成36座桥梁的定期检测，及时处置道路病害。",
                ),
            ),
        ),
        blocks=(Block(indicators(ROAD_UPKEEP, targets=1), ("指标值",), split=True),),
    )


# ----------------------- 项目支出绩效目标表, long: 半年/全年指标值 over several pages (万元)

STAGES = ("学前教育", "小学", "初中", "普通高中", "中等职业教育")
COUNTS = ("1200", "3500", "2600", "1800", "900")


def _student_aid_rows() -> str:
    rows = [
        f"产出指标|数量指标|{s}阶段资助人数|≥{n}人|≥{2 * int(n)}人"
        for s, n in zip(STAGES, COUNTS, strict=True)
    ]
    rows.append("产出指标|数量指标|营养餐覆盖学校数|≥40所|≥45所")
    rows += [f"产出指标|质量指标|{s}阶段资助对象认定准确率|=100%|=100%" for s in STAGES]
    rows += [f"产出指标|时效指标|{s}阶段资助资金发放及时率|≥50%|=100%" for s in STAGES]
    rows += [
        "产出指标|成本指标|生均资助标准执行率|=100%|=100%",
        "效益指标|社会效益|家庭经济困难学生应助尽助|应助尽助|应助尽助",
        "效益指标|社会效益|因贫辍学学生人数|=0人|=0人",
        "效益指标|可持续影响|资助育人长效机制|逐步健全|健全",
        "满意度指标|服务对象满意度|受助学生满意度|≥85%|≥90%",
        "满意度指标|服务对象满意度|家长满意度|≥85%|≥90%",
    ]
    return "\n".join(rows)


def student_aid(caption: tuple[str, ...]) -> FormSpec:
    """A long project table (28 indicators) that crosses pages inside its indicator block."""
    return FormSpec(
        kind="project_performance_targets",
        name="项目支出绩效目标表",
        caption=caption,
        amount_unit="万元",
        widths=(2.0, 2.2, 5.0, 2.2, 2.2),
        pairs=(
            ("项目名称", "学生资助及营养改善计划", "项目性质", "经常性项目"),
            ("主管部门", "示例市东湖区教育局", "实施单位", "示例市东湖区学生资助管理中心"),
            ("项目负责人", "李明", "联系电话", "0571-86000000"),
        ),
        money=PanelMoney(
            label="项目资金（万元）",
            left=_parts("项目资金总额", "2,360.00", ("财政资金", "2,160.00"), ("其他资金", "200.00")),
            right=_parts(
                "年度资金申请总额",
                "2,360.00",
                ("当年财政拨款", "2,160.00"),
                ("上年结转资金", "200.00"),
                ("其他资金", "0.00"),
            ),
        ),
        goals=(
            (
                "年度目标",
                (
                    "落实各学段学生资助政策，做到应助尽助；实施农村义务教育学生营养改善计划，覆盖全部农村学校。",
                ),
            ),
        ),
        blocks=(Block(indicators(_student_aid_rows(), targets=2), ("半年指标值", "全年指标值")),),
    )


# ---------------------------------------------------------------------- 绩效自评表

WATER_SUPPLY = """
产出指标|数量指标|维修养护供水工程处数|≥45处|52处|10|10|
产出指标|数量指标|水质检测次数|≥4次|4次|10|10|
产出指标|质量指标|维修工程验收合格率|=100%|100%|10|10|
产出指标|时效指标|故障维修响应时间|≤24小时|18小时|10|10|
产出指标|成本指标|预算执行率|≥90%|95.39%|10|9.5|部分项目结算滞后
效益指标|社会效益指标|农村集中供水率|≥98%|98.6%|20|20|
效益指标|社会效益指标|供水保障能力|稳步提升|稳步提升|10|10|
效益指标|可持续影响指标|工程长效管护机制|健全|基本健全|10|8|管护制度仍需完善
满意度指标|服务对象满意度指标|受益群众满意度|≥90%|93%|10|10|
"""
SELF_EVALUATION_TARGETS = ("年度指标值", "实际完成值")
SELF_EVALUATION_EXTRAS = ("分值", "得分", "偏差原因分析\n及改进措施")


def water_supply(caption: tuple[str, ...]) -> FormSpec:
    """A 绩效自评表: 年度指标值 | 实际完成值 are targets; 分值, 得分 and 偏差原因 are not."""
    return FormSpec(
        kind="performance_self_evaluation",
        name="项目支出绩效自评表",
        caption=caption,
        amount_unit="万元",
        widths=(1.8, 2.2, 3.6, 1.8, 1.8, 1.1, 1.1, 2.8),
        pairs=(
            ("项目名称", "农村饮水安全工程维修养护", "主管部门", "示例市东湖区水利局"),
            ("实施单位", "示例市东湖区农村供水管理站", "项目负责人", "王强"),
        ),
        money=HeadedMoney(
            label="项目资金\n（万元）",
            columns=("年初预算数", "全年预算数", "全年执行数"),
            total=Item(
                "年度资金总额",
                ("350.00", "380.00", "362.50"),
                (
                    Item("当年财政拨款", ("350.00", "380.00", "362.50")),
                    Item("上年结转资金", ("0.00", "0.00", "0.00")),
                    Item("其他资金", ("-", "-", "-")),
                ),
            ),
        ),
        goals=(
            (
                "年度目标",
                ("完成全区52处农村供水工程维修养护，保障农村群众饮水安全，农村集中供水率达到98%以上。",),
            ),
        ),
        blocks=(
            Block(
                indicators(WATER_SUPPLY, targets=2, extras=3),
                SELF_EVALUATION_TARGETS,
                extra_headers=SELF_EVALUATION_EXTRAS,
            ),
        ),
    )


LEGAL_SERVICE = """
产出指标|数量指标|开展法律咨询服务场次|≥120场|136场|15|15|
产出指标|数量指标|法律援助案件办结数|≥200件|214件|15|15|
产出指标|质量指标|法律援助案件质量评查合格率|≥95%|97.2%|10|10|
产出指标|时效指标|援助申请审查时限|≤7天|5天|10|10|
效益指标|社会效益指标|群众法律意识|明显增强|明显增强|20|18|宣传覆盖面仍需扩大
满意度指标|服务对象满意度指标|受援人满意度|90%-100%|96%|30|30|
"""


def legal_service(caption: tuple[str, ...]) -> FormSpec:
    """A 绩效自评表 under an outer 绩效指标 label, 元 money with blank 其他资金 cells."""
    return FormSpec(
        kind="performance_self_evaluation",
        name="项目支出绩效自评表",
        caption=caption,
        amount_unit="元",
        widths=(1.4, 1.8, 2.2, 3.4, 1.9, 1.9, 1.0, 1.0, 2.6),
        pairs=(
            ("项目名称", "公共法律服务体系建设", "主管部门", "示例市东湖区司法局"),
            ("实施单位", "示例市东湖区公共法律服务中心", "项目负责人", "陈静"),
        ),
        money=HeadedMoney(
            label="项目资金（元）",
            columns=("年初预算数", "全年预算数", "全年执行数"),
            total=Item(
                "年度资金总额",
                ("300,000.00", "300,000.00", "286,450.00"),
                (
                    Item("当年财政拨款", ("300,000.00", "300,000.00", "286,450.00")),
                    Item("上年结转资金", ("0.00", "0.00", "0.00")),
                    Item("其他资金", ("", "", "")),
                ),
            ),
        ),
        goals=(
            ("年度目标", ("健全覆盖城乡的公共法律服务体系，为群众提供便捷高效的法律咨询和法律援助服务。",)),
        ),
        blocks=(
            Block(
                indicators(LEGAL_SERVICE, targets=2, extras=3),
                SELF_EVALUATION_TARGETS,
                extra_headers=SELF_EVALUATION_EXTRAS,
            ),
        ),
        outer_label="绩效指标",
    )
