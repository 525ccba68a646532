"""The vocabulary of the field, in one place: header words, table titles, units, operators.

Everything here is data. Code elsewhere asks questions of it ("is this a 一级指标 header?",
"which kind does this title name?") so that a new variant seen in the wild is one line here.
All words are stored in their normalised form (see ``extractor.normalise.text.normalise``).
"""

from __future__ import annotations

# --- indicator table headers -------------------------------------------------------------
# Role of an indicator-table column, keyed by the header text that names it.
LEVEL1_HEADERS = ("一级指标", "一级绩效指标")
LEVEL2_HEADERS = ("二级指标", "二级绩效指标")
LEVEL3_HEADERS = ("三级指标", "三级绩效指标", "指标名称", "绩效指标名称", "指标内容")
KEY_WORK_HEADERS = ("重点工作", "主要工作", "重点任务")
PROJECT_HEADERS = ("对应项目", "项目名称（对应项目）")
#: 指标性质 | 指标值 | 度量单位 split: the operator, value and unit columns of one target.
TARGET_NATURE_HEADERS = ("指标性质", "指标值性质", "符号")
TARGET_UNIT_HEADERS = ("度量单位", "计量单位", "单位")
#: Endings that mark any other header as the nature or the unit column (北京's 绩效指标性质 |
#: 本年绩效指标值 | 绩效度量单位).
TARGET_NATURE_ENDINGS = ("指标性质", "指标值性质")
TARGET_UNIT_ENDINGS = ("度量单位", "计量单位")
#: Columns that hold a target; the header text itself becomes ``target_label``.
TARGET_HEADERS = (
    "半年指标值",
    "全年指标值",
    "年度指标值",
    "指标值",
    "目标值",
    "绩效目标值",
    "指标目标值",
    "年度目标值",
    "预期目标值",
    "实际完成值",
    "全年实际值",
    "实际值",
)
#: Endings that mark any other header as a target column (全年目标值, 项目指标值, and the
#: 1-7月执行数 | 全年预计执行数 of a monitoring table …).
TARGET_HEADER_ENDINGS = ("指标值", "目标值", "完成值", "实际值", "执行数", "执行情况", "完成情况")
#: Words of a target header whose column states what was achieved, not what was planned.
ACHIEVED_TARGET_WORDS = ("实际", "完成值", "执行", "预计", "完成情况")
#: Columns beside the targets of a self-evaluation or monitoring table: the weight (分值 / 权重),
#: the score (得分), a remark, and the likelihood of reaching the target.
#: A header ending in one of the ``WEIGHT_HEADERS`` is one too (分值权重（90分）, 指标权重).
WEIGHT_HEADERS = ("分值", "权重", "标准分值", "分数")
SCORE_HEADERS = ("得分", "自评得分", "评分", "实际得分", "评价得分", "自评分")
#: Words that mark a header as a remark besides the ``NOTE_HEADERS`` (偏差原因分析及改进措施,
#: 未完成原因分析, 原因说明 …).
REMARK_HEADER_WORDS = ("原因", "改进措施")
LIKELIHOOD_HEADERS = ("完成目标可能性", "目标完成可能性", "完成可能性", "完成目标的可能性")
#: What a cell prints to tick a column (✔ under 经费保障).
CHECK_MARKS = ("✔", "✓", "√", "☑", "✅", "●", "■")
#: Outer labels printed left of 一级指标 that carry no hierarchy of their own.
OUTER_INDICATOR_LABELS = ("绩效指标", "年度绩效指标", "产出及效益指标")

# --- money blocks ------------------------------------------------------------------------
#: First-column labels that open a money block (部门整体资金 / 项目资金 …).
MONEY_BLOCK_LABELS = ("部门整体资金", "项目资金", "资金情况", "年度资金总额", "部门预算资金")
DIRECTIONS = ("收入", "支出")
#: Column headers of money values.
MONEY_COLUMN_HEADERS = (
    "全年预算数",
    "半年计划执行数",
    "年度预算数",
    "预算数",
    "全年执行数",
    "执行数",
    "执行率",
    "金额",
)
#: Endings that mark any other text as a money column header (调整后预算数, 实际执行数 …).
MONEY_COLUMN_ENDINGS = ("预算数", "执行数", "决算数", "执行率")
#: Headers of a column that numbers the rows (行次, 序号): neither an amount nor an item.
ROW_NUMBER_HEADERS = ("行次", "序号", "编号")
#: Labels of a row that numbers the columns (栏次 | 1 | 2 …): a header row, no body row.
COLUMN_NUMBER_LABELS = ("栏次",)
#: Words of a column header that counts some of the same money another way (政府采购: how much of
#: each row is procured), printed beside the shares of a 合计 but none of them.
MEMO_COLUMN_WORDS = ("政府采购",)
#: Headers of columns of remarks beside amounts: text about a row, never an amount or an item.
NOTE_HEADERS = ("备注", "说明", "附注", "备注说明")
#: Labels of a row or column that totals the others, and the endings of a label closing a list
#: (本年收入合计, 当年支出小计, 收入总计).
TOTAL_LABELS = ("合计", "总计")
LIST_TOTAL_ENDINGS = ("合计", "总计", "小计")
#: A row labelled like this gives its parent's total rather than a child of its own.
SUBTOTAL_LABELS = ("小计", "合计")
#: A label ending in one of these names a total (合计, 金额合计, 年度资金总额).
TOTAL_ENDINGS = ("合计", "总计", "总额")
#: Words of headers of columns printed among amounts that hold scores, not money (a
#: self-evaluation's money block: 分值 | 得分 beside 全年执行数; 执行率分值（10分）).
SCORE_WORDS = ("分值", "得分", "评分")
#: A column header ending so heads rates (执行率, 资金结余率), not money.
RATE_ENDING = "率"
#: The fields the 执行率, 分值 and 得分 columns of a self-evaluation's money block give.
EXECUTION_RATE_FIELD = "预算执行率"
EXECUTION_WEIGHT_FIELD = "预算执行分值"
EXECUTION_SCORE_FIELD = "预算执行得分"
#: The fields of a self-evaluation's closing row (总分 | 100 | 95.8): its score and its weight.
TOTAL_SCORE = "总分"
TOTAL_WEIGHT = "总分值"
#: Money column headers of what was spent and what was budgeted (全年执行数 / 全年预算数), of
#: which a self-evaluation's 执行率 is the ratio.
EXECUTED_COLUMN_ENDINGS = ("执行数", "拨付金额", "决算数")
BUDGET_COLUMN_ENDINGS = ("预算数",)
#: A column header holding one of these heads percentages, not money (支出实现率(%)).
PERCENT_SIGNS = ("%",)
#: Circled numbers number the items of a list inside the innermost of ``ENUMERATORS``
#: (财政资金小计 over ①中央财政资金 ②省级财政资金).
CIRCLED_ENUMERATOR = r"^[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]"

# --- key-value fields ---------------------------------------------------------------------
FIELD_KEYS = (
    "单位名称",
    "部门名称",
    "预算单位",
    "单位主要职能",
    "部门主要职能",
    "机构设置及人员配置",
    "中长期目标",
    "年度目标",
    "年度绩效目标",
    "总体目标",
    "项目名称",
    "主管部门",
    "实施单位",
    "项目负责人",
    "联系电话",
    "项目属性",
    "项目性质",
    "项目类别",
    "计划开始日期",
    "计划完成日期",
    "项目期限",
    "项目概况",
    "立项依据",
)
#: Field keys naming who publishes a form, most telling first (``meta.org``).
ORG_FIELD_KEYS = ("主管部门", "部门名称", "部门（单位）名称", "单位名称", "预算单位")
#: How the names of publishing bodies end (…局, …委员会, …办事处, …大学): a cover's first words
#: name its owner when they end so.
ORG_ENDINGS = (
    "局",
    "委员会",
    "委",
    "办公室",
    "办",
    "办事处",
    "院",
    "厅",
    "部",
    "署",
    "会",
    "所",
    "站",
    "队",
    "中心",
    "学校",
    "大学",
    "学院",
    "政府",
    "馆",
    "室",
    "社",
    "处",
    "园",
    "协会",
    "联合会",
)
#: Field keys whose value names the unit the table belongs to (``meta.unit_name``).
UNIT_NAME_KEYS = ("单位名称", "部门名称", "预算单位", "实施单位")

# --- table titles -----------------------------------------------------------------------
#: The words that name each table kind (CONTRACT §3) in a title, as alternatives: a title
#: names the kind when its words (jieba tokens) include every word of one alternative.
#: Kinds are tried in this order, most specific first: 政府性基金预算财政拨款收入支出决算表 is a
#: fund table before it is a 财政拨款 table, 一般公共预算财政拨款支出决算表 a 一般公共预算 table
#: before a 财政拨款支出 table, 财政拨款收支总表 is tried before 收支总表, and a table of 三公经费
#: and 机关运行经费 (or 会议费, 培训费) is a 三公 table.
KIND_SIGNATURES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    # A 绩效(运行)监控表 follows a 绩效目标表's targets through the year: monitoring, whatever
    # else its title names (项目支出绩效目标执行监控表).
    ("performance_monitoring", (("绩效", "监控"), ("绩效目标", "监控"))),
    (
        "department_performance_targets",
        (("部门整体", "绩效目标"), ("整体支出", "绩效目标"), ("部门整体", "绩效")),
    ),
    # A 绩效目标表 that names no 部门整体 is a project's (236中央高校捐赠配比专项绩效目标表).
    ("project_performance_targets", (("项目支出", "绩效目标"), ("项目", "绩效目标"), ("绩效目标",))),
    ("performance_self_evaluation", (("绩效自评",), ("自评",))),
    ("government_procurement", (("政府采购",),)),
    ("three_public_expenses", (("三公",),)),
    ("operating_expenses", (("机关运行经费",), ("机关运行费",))),
    ("meeting_training_expenses", (("会议费",), ("培训费",))),
    ("basic_expenditure", (("基本支出",),)),
    ("government_fund_expenditure", (("政府性基金",),)),
    ("state_capital_expenditure", (("国有资本经营",),)),
    ("fiscal_appropriation_summary", (("财政拨款", "收支"), ("财政拨款", "收入", "支出"))),
    ("general_budget_expenditure", (("一般公共预算", "支出"), ("一般公共预算", "拨款"))),
    ("fiscal_appropriation_expenditure", (("财政拨款", "支出"),)),
    # 重庆 titles them 部门收支总体情况表, 部门收入总体情况表, 部门支出总体情况表.
    (
        "budget_summary",
        (("收支", "总表"), ("收入", "支出", "总表"), ("收入", "支出", "决算表"), ("收支", "总体")),
    ),
    ("income_summary", (("收入", "总表"), ("收入", "决算表"), ("收入", "预算表"), ("收入", "总体"))),
    ("expenditure_summary", (("支出", "总表"), ("支出", "决算表"), ("支出", "预算表"), ("支出", "总体"))),
)
#: The words that name a kind in the header rows of a table printed without a title.
HEADER_SIGNATURES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    # 完成目标可能性 | 偏差原因分析 over 1-7月执行数: an untitled monitoring table's indicator header.
    ("performance_monitoring", (("完成", "目标", "可能性"), ("偏差", "原因", "执行数"))),
    ("government_procurement", (("采购", "品目"), ("采购", "组织形式"), ("采购", "金额"))),
    ("three_public_expenses", (("因公出国", "公务接待"),)),
    ("meeting_training_expenses", (("会议费", "培训费"),)),
    ("basic_expenditure", (("经济分类", "人员经费"), ("经济分类", "基本支出"))),
    ("fiscal_appropriation_summary", (("财政拨款", "收入", "支出"),)),
    ("budget_summary", (("本年", "收入", "支出"),)),
    ("general_budget_expenditure", (("一般公共预算", "支出", "功能分类"),)),
    ("government_fund_expenditure", (("政府性基金", "支出", "功能分类"),)),
    ("state_capital_expenditure", (("国有资本经营", "支出", "功能分类"),)),
    ("expenditure_summary", (("支出", "预算", "功能分类"), ("支出", "功能分类"))),
    ("income_summary", (("收入", "预算", "功能分类"), ("收入", "功能分类"))),
)
#: Enumerators of list items, outermost first: 一、 （一） 1. （1）. A label that begins with 、
#: is one of the first kind whose numeral was lost (a scan read 一、一般公共预算资金 as
#: 、一般公共预算资金): no text begins with it.
ENUMERATORS = (
    r"^(?:[一二三四五六七八九十]+[、.．]|、)",
    r"^[（(][一二三四五六七八九十]+[）)]",
    r"^\d+\s*[、.．](?!\d)",
    r"^[（(]\d+[）)]",
)
#: Labels that number a table in its publisher's set (公开01表, 公开表一, 表1-2, 附表3) and the
#: enumerator some publishers put before a title (一、2017年度…): no part of its name.
TABLE_NUMBER_LABELS = (
    r"公开\s*\d+\s*表",
    r"公开表\s*[一二三四五六七八九十\d]+",
    r"附?表\s*[一二三四五六七八九十\d]+(?:\s*[-—－]\s*\d+)?",
    r"[一二三四五六七八九十]+、",
)
#: Words of the field that a general-purpose segmenter would cut apart (财政 | 拨款).
FIELD_WORDS = (
    "部门整体",
    "整体支出",
    "绩效目标",
    "绩效自评",
    "项目支出",
    "三公",
    "政府采购",
    "会议费",
    "培训费",
    "组织形式",
    "机关运行经费",
    "机关运行费",
    "基本支出",
    "政府性基金",
    "国有资本经营",
    "财政拨款",
    "一般公共预算",
    "收支",
    "总表",
    "决算表",
    "预算表",
    "因公出国",
    "公务接待",
    "经济分类",
    "人员经费",
    "功能分类",
    "本年",
)
#: Dictionary words that would swallow two of the field's words (收入支出 → 收入 | 支出).
FIELD_SPLITS = ("收入支出", "财务收支", "经费支出", "收支预算", "年收入", "年支出")

# --- values -------------------------------------------------------------------------------
#: Spelled-out comparison words, longest first so that 大于等于 wins over 大于.
OPERATOR_WORDS: tuple[tuple[str, str], ...] = (
    ("大于或等于", "≥"),
    ("小于或等于", "≤"),
    ("大于等于", "≥"),
    ("小于等于", "≤"),
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("不小于", "≥"),
    ("不高于", "≤"),
    ("不多于", "≤"),
    ("不大于", "≤"),
    ("不超过", "≤"),
    ("至少", "≥"),
    ("最多", "≤"),
    ("高于", ">"),
    ("大于", ">"),
    ("多于", ">"),
    ("超过", ">"),
    ("未超过", "≤"),
    ("不超出", "≤"),
    ("低于", "<"),
    ("小于", "<"),
    ("少于", "<"),
    ("等于", "="),
    (">=", "≥"),
    ("<=", "≤"),
    ("≧", "≥"),
    ("≦", "≤"),
    ("⩾", "≥"),
    ("⩽", "≤"),
    ("≥", "≥"),
    ("≤", "≤"),
    ("=", "="),
    (">", ">"),
    ("<", "<"),
)
#: Units seen after target values, longest first.
UNITS = (
    "万平方米",
    "平方公里",
    "平方米",
    "立方米",
    "公里",
    "千米",
    "万元",
    "亿元",
    "万人次",
    "人次",
    "户次",
    "万人",
    "个月",
    "工作日",
    "小时",
    "分钟",
    "公顷",
    "%",
    "‰",
    "元",
    "次",
    "份",
    "个",
    "门",
    "天",
    "日",
    "月",
    "年",
    "人",
    "户",
    "家次",
    "场次",
    "批次",
    "家",
    "项",
    "件",
    "篇",
    "本",
    "册",
    "场",
    "期",
    "批",
    "所",
    "座",
    "台",
    "套",
    "辆",
    "株",
    "棵",
    "亩",
    "米",
    "吨",
    "条",
    "类",
    "部",
    "张",
    "处",
    "点",
    "分",
    "课时",
    "学时",
    "岁",
    "km",
    "m2",
    "m³",
    "m3",
)
#: Amount units a caption or header may state.
AMOUNT_UNITS = ("亿元", "万元", "千元", "元")

# --- character folds ------------------------------------------------------------------------
#: Radical code points a PDF font's ToUnicode map may put where the text has a whole character,
#: mapped to that character (the EquivalentUnifiedIdeograph of the Unicode data). NFKC leaves the
#: CJK Radicals Supplement (U+2E80–U+2EFF) alone, so ⻔ would never match 门. Only radicals that
#: print as a free-standing character are listed; component forms (⺅ 亻, ⺡ 氵, ⻌ 辶 …) cannot
#: stand in running text and stay as printed. Three Kangxi radicals are listed too: NFKC maps them
#: to a variant (戶 靑 黃) that looks the same as the character a simplified-Chinese text means.
#: Applied before NFKC (see ``extractor.normalise.text.fold_characters``).
RADICAL_FOLDS: dict[str, str] = {
    "\u2e81": "厂",  # CJK RADICAL CLIFF
    "\u2e87": "几",  # CJK RADICAL TABLE
    "\u2e8a": "卜",  # CJK RADICAL DIVINATION
    "\u2e92": "巳",  # CJK RADICAL SNAKE
    "\u2e93": "幺",  # CJK RADICAL THREAD
    "\u2e9d": "月",  # CJK RADICAL MOON
    "\u2e9f": "母",  # CJK RADICAL MOTHER (NFKC folds it too)
    "\u2ea0": "民",  # CJK RADICAL CIVILIAN
    "\u2ea9": "王",  # CJK RADICAL JADE
    "\u2eaa": "疋",  # CJK RADICAL BOLT OF CLOTH
    "\u2eac": "示",  # CJK RADICAL SPIRIT ONE
    "\u2eae": "竹",  # CJK RADICAL BAMBOO
    "\u2ebb": "聿",  # CJK RADICAL BRUSH TWO
    "\u2ebd": "臼",  # CJK RADICAL MORTAR
    "\u2ec1": "虎",  # CJK RADICAL TIGER
    "\u2ec4": "西",  # CJK RADICAL WEST TWO
    "\u2ec5": "见",  # CJK RADICAL C-SIMPLIFIED SEE
    "\u2ec6": "角",  # CJK RADICAL SIMPLIFIED HORN
    "\u2ec9": "贝",  # CJK RADICAL C-SIMPLIFIED SHELL
    "\u2ecb": "车",  # CJK RADICAL C-SIMPLIFIED CART
    "\u2ed1": "長",  # CJK RADICAL LONG ONE
    "\u2ed3": "长",  # CJK RADICAL C-SIMPLIFIED LONG
    "\u2ed4": "门",  # CJK RADICAL C-SIMPLIFIED GATE
    "\u2ed5": "阜",  # CJK RADICAL MOUND ONE
    "\u2ed7": "雨",  # CJK RADICAL RAIN
    "\u2ed8": "青",  # CJK RADICAL BLUE
    "\u2ed9": "韦",  # CJK RADICAL C-SIMPLIFIED TANNED LEATHER
    "\u2eda": "页",  # CJK RADICAL C-SIMPLIFIED LEAF
    "\u2edb": "风",  # CJK RADICAL C-SIMPLIFIED WIND
    "\u2edc": "飞",  # CJK RADICAL C-SIMPLIFIED FLY
    "\u2edd": "食",  # CJK RADICAL EAT ONE
    "\u2ee2": "马",  # CJK RADICAL C-SIMPLIFIED HORSE
    "\u2ee3": "骨",  # CJK RADICAL BONE
    "\u2ee4": "鬼",  # CJK RADICAL GHOST
    "\u2ee5": "鱼",  # CJK RADICAL C-SIMPLIFIED FISH
    "\u2ee6": "鸟",  # CJK RADICAL C-SIMPLIFIED BIRD
    "\u2ee7": "卤",  # CJK RADICAL C-SIMPLIFIED SALT
    "\u2ee8": "麦",  # CJK RADICAL SIMPLIFIED WHEAT
    "\u2ee9": "黄",  # CJK RADICAL SIMPLIFIED YELLOW
    "\u2eea": "黾",  # CJK RADICAL C-SIMPLIFIED FROG
    "\u2eeb": "斉",  # CJK RADICAL J-SIMPLIFIED EVEN
    "\u2eec": "齐",  # CJK RADICAL C-SIMPLIFIED EVEN
    "\u2eed": "歯",  # CJK RADICAL J-SIMPLIFIED TOOTH
    "\u2eee": "齿",  # CJK RADICAL C-SIMPLIFIED TOOTH
    "\u2eef": "竜",  # CJK RADICAL J-SIMPLIFIED DRAGON
    "\u2ef0": "龙",  # CJK RADICAL C-SIMPLIFIED DRAGON
    "\u2ef1": "龜",  # CJK RADICAL TURTLE
    "\u2ef2": "亀",  # CJK RADICAL J-SIMPLIFIED TURTLE
    "\u2ef3": "龟",  # CJK RADICAL C-SIMPLIFIED TURTLE (NFKC folds it too)
    "\u2f3e": "户",  # KANGXI RADICAL DOOR: NFKC gives 戶 U+6236
    "\u2fad": "青",  # KANGXI RADICAL BLUE: NFKC gives 靑 U+9751
    "\u2fc8": "黄",  # KANGXI RADICAL YELLOW: NFKC gives 黃 U+9EC3
}

# --- standard column names ----------------------------------------------------------------
#: The canonical name of a value column, and the other ways 预算 and 决算 tables of different
#: provinces print it (brackets and a leading 其中： are ignored when matching).
STANDARD_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("合计", ("总计", "金额合计", "金额")),
    ("基本支出", ()),
    ("项目支出", ()),
    ("人员经费", ()),
    ("公用经费", ()),
    ("财政拨款", ("财政拨款收入", "财政拨款（补助）收入")),
    ("一般公共预算", ("一般公共预算财政拨款", "一般公共预算拨款收入", "一般公共预算拨款")),
    ("政府性基金", ("政府性基金预算", "政府性基金预算财政拨款", "政府性基金预算拨款收入")),
    ("国有资本经营预算", ("国有资本经营预算财政拨款", "国有资本经营预算拨款收入")),
    ("事业收入", ()),
    ("事业单位经营收入", ("经营收入",)),
    ("上级补助收入", ()),
    ("附属单位上缴收入", ()),
    ("其他收入", ()),
    ("经营支出", ("事业单位经营支出",)),
    ("上缴上级支出", ()),
    ("对附属单位补助支出", ()),
    ("预算数", ("全年预算数", "年度预算数")),
    ("决算数", ()),
    ("执行数", ("全年执行数",)),
    ("因公出国（境）费", ("因公出国（境）经费",)),
    ("公务接待费", ()),
    ("公务用车购置费", ("购置费",)),
    ("公务用车运行维护费", ("公务用车运行费", "运行费")),
    ("会议费", ()),
    ("培训费", ()),
    ("年初结转和结余", ()),
    ("年末结转和结余", ()),
)
