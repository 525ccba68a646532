"""The logical tables of the generated set: performance forms and two departments' disclosures.

Each is built once here (layout and truth together) and printed by several cases of
``cases_catalogue``.
"""

from __future__ import annotations

from cases_budget import AmountStyle, ThreePublicSpec, code_table, panel_table, three_public_table
from cases_budget_data import (
    DEPT_EDUCATION,
    DEPT_STREET,
    basic_spec,
    expenditure_spec,
    fiscal_panels,
    income_spec,
    summary_panels,
)
from cases_performance import form_table
from cases_performance_data import statistics_bureau, street_office
from cases_project_data import legal_service, road_upkeep, service_centre, student_aid, water_supply
from cases_variant_data import (
    elderly_care_monitoring,
    fitness_targets,
    library_targets,
    school_self_evaluation,
)

# ------------------------------------------------------------------- performance forms

STATISTICS = form_table(
    statistics_bureau(("2025年部门整体绩效目标表", "编制单位：示例市东湖区统计局\t金额单位：万元"))
)
STREET_TARGETS = form_table(street_office(("示例市东湖区人民政府南山街道办事处2025年部门整体绩效目标表",)))
SERVICE = form_table(service_centre(("财政项目支出绩效目标填报表", "（2025年度）")))
ROAD = form_table(
    road_upkeep(("2025年项目支出绩效目标表", "填报单位：示例市东湖区城市管理局\t金额单位：万元"))
)
AID = form_table(student_aid(("示例市东湖区教育局2025年项目支出绩效目标表",)))
WATER = form_table(
    water_supply(("2024年度项目支出绩效自评表", "填报单位：示例市东湖区水利局\t金额单位：万元"))
)
LEGAL = form_table(legal_service(("示例市东湖区司法局2024年度项目支出绩效自评表",)))
SCHOOL_SELF = form_table(school_self_evaluation(("项目支出绩效自评表", "（2024年度）")))
CARE_MONITOR = form_table(
    elderly_care_monitoring(
        ("2024年度项目支出绩效运行监控表", "填报单位：示例市东湖区民政局\t金额单位：万元")
    )
)
FITNESS = form_table(fitness_targets(("2025年项目支出绩效目标表",)))
LIBRARY = form_table(library_targets(("示例市东湖区文化和旅游局2025年部门整体绩效目标表",)))

# -------------------------------------------------------------------- budget disclosures

YUAN = AmountStyle()
YUAN_BLANK_ZERO = AmountStyle(zero="")
WAN = AmountStyle(decimals=2, scale=10_000, zero="-")
WAN_PLAIN = AmountStyle(thousands=False, decimals=2, scale=10_000, zero="0.00")


def _caption(title: str, dept_name: str, unit: str) -> tuple[str, str]:
    return title, f"编制部门：{dept_name}\t单位：{unit}"


SUMMARY_STREET = panel_table(
    "budget_summary",
    "收支总表",
    _caption("2025年部门财务收支预算总表", DEPT_STREET.name, "元"),
    "元",
    summary_panels(DEPT_STREET, YUAN_BLANK_ZERO, carry_over=False),
    (3.2, 1.6, 3.2, 1.6),
    filler=2,
)
SUMMARY_EDUCATION = panel_table(
    "budget_summary",
    "收支总表",
    _caption("2025年部门收支预算总表", DEPT_EDUCATION.name, "万元"),
    "万元",
    summary_panels(DEPT_EDUCATION, WAN, carry_over=True),
    (3.2, 1.6, 3.2, 1.6),
)
FISCAL_STREET = panel_table(
    "fiscal_appropriation_summary",
    "财政拨款收支总表",
    _caption("2025年部门财政拨款收支预算总表", DEPT_STREET.name, "元"),
    "元",
    fiscal_panels(DEPT_STREET, YUAN_BLANK_ZERO),
    (2.6, 1.5, 3.0, 1.5, 1.5, 1.5, 1.5),
)
FISCAL_EDUCATION = panel_table(
    "fiscal_appropriation_summary",
    "财政拨款收支总表",
    _caption("2025年财政拨款收支预算总表", DEPT_EDUCATION.name, "万元"),
    "万元",
    fiscal_panels(DEPT_EDUCATION, WAN),
    (2.6, 1.5, 3.0, 1.5, 1.5, 1.5, 1.5),
)
SPLIT_9 = (0.7, 0.6, 0.6, 3.4, 1.5, 1.5, 1.2, 1.2, 1.2)
SPLIT_7 = (0.7, 0.6, 0.6, 3.6, 1.6, 1.6, 1.6)
JOINED_5 = (1.3, 4.0, 1.6, 1.6, 1.6)
INCOME_STREET = code_table(income_spec(DEPT_STREET, "2025年部门收入预算总表", YUAN, "元", "split"), SPLIT_9)
INCOME_EDUCATION = code_table(
    income_spec(DEPT_EDUCATION, "2025年部门收入预算总表", WAN, "万元", "spaced"),
    (1.4, 3.6, 1.4, 1.4, 1.2, 1.2, 1.2),
)
EXPENDITURE_STREET = code_table(
    expenditure_spec(
        DEPT_STREET, "expenditure_summary", "2025年部门支出预算总表", "支出预算", YUAN, "元", "joined"
    ),
    JOINED_5,
)
EXPENDITURE_EDUCATION = code_table(
    expenditure_spec(
        DEPT_EDUCATION, "expenditure_summary", "2025年部门支出预算总表", "", WAN_PLAIN, "万元", "split"
    ),
    SPLIT_7,
)
GENERAL_STREET = code_table(
    expenditure_spec(
        DEPT_STREET,
        "general_budget_expenditure",
        "2025年部门一般公共预算支出功能分类预算表",
        "一般公共预算支出",
        YUAN,
        "元",
        "split",
    ),
    SPLIT_7,
)
GENERAL_EDUCATION = code_table(
    expenditure_spec(
        DEPT_EDUCATION,
        "general_budget_expenditure",
        "2025年一般公共预算支出预算表",
        "一般公共预算支出",
        WAN,
        "万元",
        "joined",
    ),
    JOINED_5,
)
BASIC_STREET = code_table(
    basic_spec(DEPT_STREET, "2025年部门一般公共预算基本支出部门预算经济分类预算表", YUAN, "元", "split"),
    (0.8, 0.8, 3.6, 1.6, 1.6, 1.6),
)
BASIC_EDUCATION = code_table(
    basic_spec(DEPT_EDUCATION, "2025年一般公共预算基本支出预算表", WAN, "万元", "joined"), JOINED_5
)
THREE_STREET = three_public_table(
    ThreePublicSpec(
        name="三公经费表",
        caption=_caption("2025年部门“三公”经费和机关运行经费预算表", DEPT_STREET.name, "万元"),
        unit="万元",
        total="37.91",
        abroad="0",
        car=("36.56", "15", "21.56"),
        reception="1.35",
        operating="464.64",
        reception_before_car=True,
    ),
    (1.0,) * 7,
)
THREE_EDUCATION = three_public_table(
    ThreePublicSpec(
        name="三公经费表",
        caption=_caption("2025年“三公”经费预算表", DEPT_EDUCATION.name, "元"),
        unit="元",
        total="125,600.00",
        abroad="0.00",
        car=("98,000.00", "-", "98,000.00"),
        reception="27,600.00",
        operating=None,
    ),
    (1.0,) * 6,
)
