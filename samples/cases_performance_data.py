"""Invented performance tables, written the way publishers fill the forms.

Indicators are pipe-separated rows read like the printed form (一级 | 二级 | [重点工作 |
对应项目 |] 三级 | targets … | other columns). A target split over 指标性质 | 指标值 | 度量单位
is written ``nature^value^unit`` in one field; ``\\n`` in a field is a line break the
publisher typed; the ticked columns of a grouped header are one field, their sub-headers
joined by ``+`` (``经费保障+制度保障``, empty for none). Targets cover what CONTRACT §4
lists: ``≥95%``, ``=100%``, ``≥2份``, ``≥13459.00(平方米)``, ``90%-100%``, ``不低于85%``, bare
words, sentences with a number in them.
"""

from __future__ import annotations

from cases_model import Item
from cases_performance import Block, DepartmentMoney, FormSpec, Indicator


def indicators(
    table: str, *, targets: int, key_work: bool = False, extras: int = 0, ticks: bool = False
) -> tuple[Indicator, ...]:
    """Rows of a pipe-separated table: levels, [重点工作, 对应项目,] name, targets, [ticks,] extras."""
    out = []
    for line in table.strip().splitlines():
        fields = [f.replace("\\n", "\n") for f in line.split("|")]
        lead = 4 if key_work else 2
        width = lead + 1 + targets + (1 if ticks else 0) + extras
        if len(fields) != width:
            raise ValueError(f"indicator row without {width} fields: {line!r}")
        level1, level2 = fields[0], fields[1]
        work, project = (fields[2], fields[3]) if key_work else ("", "")
        rest = fields[lead:]
        ticked = tuple(t for t in rest.pop(1 + targets).split("+") if t) if ticks else ()
        out.append(
            Indicator(
                level1=level1,
                level2=level2,
                level3=rest[0],
                targets=tuple(t.replace("^", "|") for t in rest[1 : 1 + targets]),
                key_work=work,
                project=project,
                extras=tuple(rest[1 + targets :]),
                ticks=ticked,
            )
        )
    return tuple(out)


def _money(name: str, *amounts: str, label: str = "") -> Item:
    return Item(name, amounts, label=label)


# ------------------------------------------------------------- 部门整体绩效目标表 (统计局)

STATISTICS_BLOCK = """
产出指标|数量指标|完成统计调查项目数|≥12项|≥25项
产出指标|数量指标|发布统计信息数量|≥30条|≥60条
产出指标|质量指标|统计数据差错率|≤1%|≤1%
产出指标|质量指标|调查对象数据审核率|=100%|=100%
产出指标|时效指标|统计报表按时报送率|≥98%|≥98%
产出指标|时效指标|统计公报发布及时性|及时|及时
产出指标|成本指标|预算执行率|≥50%|≥95%
效益指标|社会效益|统计数据使用满意度|≥85%|≥90%
效益指标|社会效益|统计服务决策有效性|有效|有效
效益指标|可持续影响|统计基础数据库建设|持续完善|持续完善
满意度指标|服务对象满意度|调查对象满意度|≥85%|≥90%
"""

STATISTICS_WORK = """
履职效能|统计调查|组织开展月度统计调查|统计调查项目|规上企业月报审核率|=100%|=100%
履职效能|统计调查|组织开展月度统计调查|统计调查项目|月报数据报送及时率|≥95%|≥98%
履职效能|普查工作|第五次全国经济普查|第五次全国经济普查|普查资料归档完整率|90%-100%|=100%
履职效能|普查工作|第五次全国经济普查|第五次全国经济普查|普查业务培训|≥2次|≥4次
履职效能|统计执法|统计执法检查||执法检查企业数|≥15家|≥30家
"""


def statistics_bureau(caption: tuple[str, ...]) -> FormSpec:
    """A 7-column 部门整体绩效目标表 like the seed: 半年/全年指标值, a 重点工作 block, 万元 money."""
    grant = Item(
        "财政拨款",
        ("2286.80",),
        (
            _money("一般公共预算资金", "2286.80"),
            _money("政府性基金", "0"),
            _money("国有资本经营预算", "0"),
        ),
    )
    projects = Item(
        "项目支出",
        ("858.44",),
        (
            _money("统计调查项目", "320.00"),
            _money("第五次全国经济普查", "412.44"),
            _money("统计信息化建设", "126.00"),
        ),
    )
    return FormSpec(
        kind="department_performance_targets",
        name="部门整体绩效目标表",
        caption=caption,
        amount_unit="万元",
        widths=(2.2, 2.0, 2.6, 2.4, 3.6, 2.1, 2.1),
        fields=(
            ("单位名称", ("示例市东湖区统计局",)),
            (
                "单位主要职能",
                (
                    "（一）贯彻执行国家、省、市有关统计工作的法律法规和方针政策，拟订全区统计工作规划并组织实施。",
                    "（二）组织实施全区各类统计调查和普查工作，收集、汇总、整理和提供统计资料。",
                    "（三）对全区国民经济和社会发展情况进行统计分析、统计预测和统计监督，向区委、区政府提出建议。",
                    "（四）负责全区统计执法检查，依法查处统计违法行为。",
                ),
            ),
            (
                "机构设置及人员配置",
                (
                    "本局内设办公室、综合统计科、经济统计科、社会统计科4个科室，下属区普查中心1家事业单位；核定行政编制18名，事业编制9名。",
                ),
            ),
        ),
        money=DepartmentMoney(
            label="部门整体资金（万元）",
            columns=("全年预算数",),
            income=(
                _money("资金总额", "2356.80"),
                grant,
                _money("上年结转资金", "70.00"),
                _money("其他资金", "0"),
            ),
            expenditure=(_money("基本支出", "1498.36"), projects),
        ),
        goals=(
            (
                "中长期目标",
                (
                    "（一）建成覆盖全区的现代统计调查体系，统计数据质量和服务能力显著提升。",
                    "（二）统计信息化水平进入全市前列。",
                ),
            ),
            (
                "年度目标",
                (
                    "1.完成各项常规统计调查和专项调查任务，按时发布统计公报。",
                    "2.做好第五次全国经济普查资料开发和归档工作。",
                    "3.开展统计执法检查，提高统计数据质量。",
                ),
            ),
        ),
        goal_key_cols=2,
        blocks=(
            Block(indicators(STATISTICS_BLOCK, targets=2), ("半年指标值", "全年指标值")),
            Block(
                indicators(STATISTICS_WORK, targets=2, key_work=True),
                ("半年指标值", "全年指标值"),
                key_work=True,
            ),
        ),
    )


# ---------------------------------------------------------- 部门整体绩效目标表 (街道办事处)

STREET_BLOCK = """
产出指标|数量指标|社区活动开展场次|≥48场
产出指标|数量指标|老年助餐服务人次|≥30000人次
产出指标|数量指标|公益性岗位安置人数|≥60人
产出指标|质量指标|城市管理案件结案率|≥95%
产出指标|质量指标|垃圾分类达标率|≥90%
产出指标|时效指标|12345工单按时办结率|=100%
产出指标|成本指标|项目支出控制数|≤88425805元
效益指标|社会效益|居民安全感|显著提升
效益指标|社会效益|应急演练|开展至少1次应急演练
效益指标|生态效益|河道水质达标率|90%-100%
满意度指标|服务对象满意度|居民满意度|≥90%
"""


def street_office(caption: tuple[str, ...]) -> FormSpec:
    """A 6-column 部门整体绩效目标表: one 指标值 column under an outer 绩效指标, 元 money in two columns."""
    columns = ("全年预算数", "半年计划执行数")
    grant = Item(
        "财政拨款",
        ("189,767,551.00", "94,883,775.50"),
        (
            _money("一般公共预算资金", "189,767,551.00", "94,883,775.50"),
            _money("政府性基金", "-", "-"),
        ),
    )
    projects = Item(
        "项目支出",
        ("88,425,805.00", "44,212,902.50"),
        (
            _money("社区公共服务", "25,000,000.00", "12,500,000.00"),
            _money("城市管理", "63,425,805.00", "31,712,902.50"),
        ),
    )
    return FormSpec(
        kind="department_performance_targets",
        name="部门整体绩效目标表",
        caption=caption,
        amount_unit="元",
        widths=(2.0, 2.2, 2.6, 3.4, 2.8, 2.8),
        fields=(
            ("单位名称", ("示例市东湖区人民政府南山街道办事处",)),
            (
                "单位主要职能",
                (
                    "（一）贯彻执行党和国家的路线方针政策，统筹辖区社区建设和社会治理工作。",
                    "（二）负责辖区城市管理、环境卫生、市容秩序和安全生产的综合协调工作。",
                    "（三）做好辖区居民就业、社会保障、养老服务和社会救助工作。",
                ),
            ),
            ("机构设置及人员配置", ("内设党政办公室、社区服务办公室等6个办公室，核定编制86名。",)),
        ),
        money=DepartmentMoney(
            label="部门整体资金（元）",
            columns=columns,
            income=(
                _money("资金总额", "189,767,551.00", "94,883,775.50"),
                grant,
                _money("其他资金", "0.00", "0.00"),
            ),
            expenditure=(_money("基本支出", "101,341,746.00", "50,670,873.00"), projects),
        ),
        goals=(
            (
                "年度目标",
                (
                    "（一）提升社区治理精细化水平，完成老旧小区综合治理12个。",
                    "（二）完善养老服务体系，新建社区长者食堂2家。",
                    "（三）巩固垃圾分类实效，城市管理案件结案率不低于95%。",
                ),
            ),
        ),
        blocks=(Block(indicators(STREET_BLOCK, targets=1), ("指标值",)),),
        outer_label="绩效指标",
    )
