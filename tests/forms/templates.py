"""The standard forms A–E (../shared/forms/FORMS.md) as logical grids filled with chosen values, each with the
record a correct reader must produce from it. Wording follows published blank templates; see README.md here."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

D = Decimal


@dataclass(frozen=True)
class Cell:
    """One cell as a table markup states it: text, and how many rows and columns it spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Grid:
    """A table: each row lists the cells that start in it, left to right, HTML-style."""

    ncols: int
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: frozenset[int]  # rows of column headers (split over lines in rendering 6)

    def layout(self) -> list[list[tuple[int, Cell]]]:
        """Each row's cells with the column they start at; raises when the spans do not tile the grid."""
        covered: set[tuple[int, int]] = set()
        placed: list[list[tuple[int, Cell]]] = []
        for r, row in enumerate(self.rows):
            col, cells = 0, []
            for cell in row:
                while (r, col) in covered:
                    col += 1
                cells.append((col, cell))
                covered.update((r + i, col + j) for i in range(cell.rowspan) for j in range(cell.colspan))
                col += cell.colspan
            placed.append(cells)
        expected = {(r, c) for r in range(len(self.rows)) for c in range(self.ncols)}
        if covered != expected:
            raise ValueError(f"cells do not tile the grid: {sorted(covered ^ expected)[:5]}")
        return placed


@dataclass(frozen=True)
class FactSpec:
    field: str
    value: Decimal  # yuan for money, the percent number for rates, as written for counts and scores
    text: str  # the cell's exact text
    row: str  # the row label the value sits in


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    weight: Optional[Decimal]
    score: Optional[Decimal]
    target: Optional[str] = None  # target.text and actual.text, stated for leaves of forms with those columns
    actual: Optional[str] = None


@dataclass(frozen=True)
class FormFixture:
    """A form variant with its values, the prose around it, and what a correct reader outputs."""

    id: str
    form: str  # "A".."E"
    before: tuple[str, ...]  # report prose and the form's title, above the table
    grid: Grid
    after: tuple[str, ...]  # report prose below the table
    unit_line: Optional[str]  # a unit stated above the table (单位：万元), or None
    facts: tuple[FactSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    categories: tuple[tuple[str, Decimal, Optional[Decimal]], ...]  # (name, weight, score) with a stated weight
    total_score: Optional[Decimal]
    department: str
    unread_when_fused: tuple[str, ...] = ()  # row labels whose fused run admits two splits or none

    def expected_facts(self, fused: bool) -> list[tuple[str, Decimal, str]]:
        """Sorted (field, value, text); rows that cannot be split when fused give no fact then."""
        return sorted((f.field, f.value, f.text) for f in self.facts if not (fused and f.row in self.unread_when_fused))

    def expected_indicators(self, fused: bool) -> list[IndicatorSpec]:
        return [i for i in self.indicators if not (fused and i.name in self.unread_when_fused)]


def c(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, rowspan, colspan)


def cells(*texts: str) -> tuple[Cell, ...]:
    return tuple(Cell(t) for t in texts)


# A. 项目支出绩效自评表, national template of 财预〔2020〕10号: amounts in 万元 from the block title.
_A_INDICATORS = (
    ("产出指标", "数量指标", "培训人次", "≥500人次", "526人次", "20", "20"),
    ("", "质量指标", "培训合格率", "≥90%", "95%", "15", "15"),
    ("", "时效指标", "按期完成率", "100%", "100%", "10", "10"),
    ("", "成本指标", "人均培训成本", "≤2400元", "2280元", "10", "9"),
    ("效益指标", "社会效益指标", "带动农户增收户数", "≥200户", "236户", "15", "13"),
    ("", "可持续影响指标", "培训成果持续应用率", "≥80%", "85%", "10", "10"),
    ("满意度指标", "服务对象满意度指标", "参训学员满意度", "≥90%", "96%", "10", "10"),
)
_A_FIRST_LEVEL_SPANS = {"产出指标": 4, "效益指标": 2, "满意度指标": 1}


def _indicator_rows(rows, first_level_spans, tail: int):
    """Indicator rows: the 一级指标 cell spans its children; `tail` empty cells (偏差原因) close each row."""
    out = []
    for first, *rest in rows:
        row = []
        if first:
            row.append(c(first, rowspan=first_level_spans[first]))
        row += [c(t) for t in rest] + [c("")] * tail
        out.append(tuple(row))
    return out


A_NATIONAL = FormFixture(
    id="A-national",
    form="A",
    before=(
        "农村实用人才培训项目2023年度绩效自评报告",
        "一、项目基本情况",
        "根据预算绩效管理工作要求，我单位对该项目开展了绩效自评，自评情况见下表。",
        "项目支出绩效自评表",
        "（2023年度）",
    ),
    grid=Grid(
        ncols=9,
        rows=(
            (c("项目名称"), c("农村实用人才培训项目", colspan=8)),
            (c("主管部门"), c("衡南县农业农村局", colspan=3), c("实施单位"), c("衡南县农业技术推广中心", colspan=4)),
            (
                c("项目资金（万元）", rowspan=5),
                c("", colspan=2),
                *cells("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
            ),
            (c("年度资金总额", colspan=2), *cells("110.00", "120.00", "114.00", "10", "95.00%", "9.5")),
            (c("其中：当年财政拨款", colspan=2), *cells("100.00", "100.00", "96.00", "—", "96.00%", "—")),
            (c("上年结转资金", colspan=2), *cells("10.00", "20.00", "18.00", "—", "90.00%", "—")),
            (c("其他资金", colspan=2), *cells("", "", "", "—", "", "—")),
            (c("年度总体目标", rowspan=2), c("预期目标", colspan=4), c("实际完成情况", colspan=4)),
            (
                c("开展农村实用人才培训，提升农民生产经营技能。", colspan=4),
                c("按计划完成全部培训任务，学员技能明显提升。", colspan=4),
            ),
            (
                c("绩效指标", rowspan=len(_A_INDICATORS) + 1),
                *cells(
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分",
                    "偏差原因分析及改进措施",
                ),
            ),
            *_indicator_rows(_A_INDICATORS, _A_FIRST_LEVEL_SPANS, tail=1),
            (c("总分", colspan=6), c("100"), c("96.5"), c("")),
        ),
        header_rows=frozenset({2, 7, 9}),
    ),
    after=(
        "二、存在的问题及改进措施",
        "个别培训班次组织不够紧凑，下一步将优化培训时间安排。",
    ),
    unit_line=None,
    facts=(
        FactSpec("budget.total.planned", D("1100000"), "110.00", "年度资金总额"),
        FactSpec("budget.total.adjusted", D("1200000"), "120.00", "年度资金总额"),
        FactSpec("budget.total.actual", D("1140000"), "114.00", "年度资金总额"),
        FactSpec("budget.total.execution_rate", D("95.00"), "95.00%", "年度资金总额"),
        FactSpec("evaluation.total_score", D("96.5"), "96.5", "总分"),
    ),
    indicators=(
        IndicatorSpec("年度资金总额", D("10"), D("9.5")),
        *(IndicatorSpec(r[2], D(r[5]), D(r[6]), r[3], r[4]) for r in _A_INDICATORS),
    ),
    categories=(),
    total_score=D("96.5"),
    department="衡南县农业技术推广中心",
)


# A'. Provincial variant (四川 部门预算项目支出绩效自评表): 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重,
# separate 指标性质 / 指标值 / 度量单位 columns, block titles that state weights, a 合计 | 100 row with no score.
_A2_INDICATORS = (
    ("产出指标(50分)", "数量指标", "道路清扫保洁面积", "≥", "120", "万平方米", "126", "20", "18"),
    ("", "质量指标", "垃圾清运及时率", "=", "100", "%", "100", "15", "15"),
    ("", "时效指标", "资金拨付及时率", "=", "100", "%", "95", "15", "14"),
    ("效益指标(30分)", "社会效益指标", "城区环境卫生达标率", "≥", "95", "%", "97", "20", "19"),
    ("", "可持续影响指标", "保洁长效机制覆盖率", "≥", "90", "%", "92", "10", "9"),
    ("满意度指标(10分)", "服务对象满意度指标", "群众满意度", "≥", "90", "%", "93", "10", "9"),
)
_A2_FIRST_LEVEL_SPANS = {"产出指标(50分)": 3, "效益指标(30分)": 2, "满意度指标(10分)": 1}

A_PROVINCIAL = FormFixture(
    id="A-provincial",
    form="A",
    before=(
        "城乡环境卫生保洁经费2023年度项目支出绩效自评报告",
        "按照财政部门关于开展项目支出绩效自评的通知要求，现将自评情况报告如下。",
        "部门预算项目支出绩效自评表(2023年度)",
    ),
    grid=Grid(
        ncols=11,
        rows=(
            (c("项目名称"), c("城乡环境卫生保洁经费", colspan=10)),
            (
                c("主管部门"),
                c("仁和区住房和城乡建设局", colspan=4),
                c("实施单位(盖章)"),
                c("仁和区环境卫生管理所", colspan=5),
            ),
            (
                c("预算执行情况(10分)", rowspan=6),
                *cells("年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分"),
                c("原因", colspan=3),
            ),
            (*cells("总额", "245.00", "260.00", "254.80", "98.00%", "10", "9.8"), c("", colspan=3)),
            (*cells("其中：财政资金", "245.00", "260.00", "254.80", "98.00%", "/", "/"), c("", colspan=3)),
            (*cells("财政专户管理资金", "0.00", "0.00", "0.00", "0.00%", "/", "/"), c("", colspan=3)),
            (*cells("单位资金", "0.00", "0.00", "0.00", "0.00%", "/", "/"), c("", colspan=3)),
            (*cells("其他资金", "", "", "", "", "/", "/"), c("", colspan=3)),
            (
                c("绩效指标(90分)", rowspan=len(_A2_INDICATORS) + 1),
                *cells(
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "指标性质",
                    "指标值",
                    "度量单位",
                    "完成值",
                    "权重",
                    "得分",
                    "未完成原因分析",
                ),
            ),
            *_indicator_rows(_A2_INDICATORS, _A2_FIRST_LEVEL_SPANS, tail=1),
            (c("合计", colspan=8), c("100"), c(""), c("")),
            (c("评价结论"), c("项目完成年度绩效目标，资金使用规范，保洁质量稳步提升。", colspan=10)),
        ),
        header_rows=frozenset({2, 8}),
    ),
    after=(
        "项目负责人：王明    财务负责人：李华",
        "下一步我们将进一步加强项目资金管理，提高资金使用效益。",
    ),
    unit_line=None,
    facts=(
        FactSpec("budget.total.planned", D("2450000"), "245.00", "总额"),
        FactSpec("budget.total.adjusted", D("2600000"), "260.00", "总额"),
        FactSpec("budget.total.actual", D("2548000"), "254.80", "总额"),
        FactSpec("budget.total.execution_rate", D("98.00"), "98.00%", "总额"),
    ),
    indicators=(
        IndicatorSpec("总额", D("10"), D("9.8")),
        *(IndicatorSpec(r[2], D(r[7]), D(r[8]), r[4], r[6]) for r in _A2_INDICATORS),
    ),
    categories=(("产出指标", D("50"), None), ("效益指标", D("30"), None), ("满意度指标", D("10"), None)),
    total_score=None,  # 合计 | 100 is the weight total; the form states no total score
    department="仁和区环境卫生管理所",
)


# B. 部门整体支出绩效自评表: 年度预算申请（万元） with rows by source (按收入性质分) and by use (按支出性质分).
_B_INDICATORS = (
    ("产出指标", "数量指标", "城市道路保洁面积", "≥350万平方米", "362万平方米", "20", "20"),
    ("", "质量指标", "违法建设查处率", "≥95%", "97%", "15", "15"),
    ("", "时效指标", "案件按期办结率", "≥98%", "99%", "10", "10"),
    ("", "成本指标", "部门预算控制率", "≤100%", "98%", "10", "10"),
    ("效益指标", "社会效益指标", "市容环境投诉下降率", "≥5%", "6.2%", "15", "14"),
    ("", "可持续影响指标", "数字化城管覆盖率", "≥90%", "92%", "10", "10"),
    ("满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "94%", "10", "8"),
)
_B_FIRST_LEVEL_SPANS = {"产出指标": 4, "效益指标": 2, "满意度指标": 1}
_B_DEPARTMENT = "衡阳市雁峰区城市管理和综合执法局"

B_NATIONAL = FormFixture(
    id="B-national",
    form="B",
    before=(
        f"{_B_DEPARTMENT}2023年度部门整体支出绩效自评报告",
        "一、部门基本情况",
        "我局认真落实预算绩效管理要求，对部门整体支出开展了绩效自评。",
        "部门整体支出绩效自评表",
        "（2023年度）",
    ),
    grid=Grid(
        ncols=9,
        rows=(
            (c("预算部门（单位）名称", colspan=2), c(_B_DEPARTMENT, colspan=7)),
            (
                c("年度预算申请（万元）", rowspan=11),
                c("", colspan=2),
                *cells("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
            ),
            (c("年度资金总额", colspan=2), *cells("1500.00", "1620.00", "1587.60", "10", "98.00%", "9.8")),
            (c("按收入性质分：", colspan=2), *cells("", "", "", "", "", "")),
            (c("一般公共预算", colspan=2), *cells("1400.00", "1500.00", "1470.00", "—", "—", "—")),
            (c("政府性基金预算", colspan=2), *cells("60.00", "80.00", "78.00", "—", "—", "—")),
            (c("国有资本经营预算", colspan=2), *cells("40.00", "40.00", "39.60", "—", "—", "—")),
            (c("财政专户管理资金", colspan=2), *cells("0.00", "0.00", "0.00", "—", "—", "—")),
            (c("单位资金", colspan=2), *cells("0.00", "0.00", "0.00", "—", "—", "—")),
            (c("按支出性质分：", colspan=2), *cells("", "", "", "", "", "")),
            (c("基本支出", colspan=2), *cells("900.00", "960.00", "950.40", "—", "99.00%", "—")),
            (c("项目支出", colspan=2), *cells("600.00", "660.00", "637.20", "—", "96.55%", "—")),
            (c("年度总体目标", rowspan=2), c("预期目标", colspan=4), c("实际完成情况", colspan=4)),
            (
                c("提升城市精细化管理水平，改善市容环境秩序。", colspan=4),
                c("市容环境明显改善，城市管理效能稳步提升。", colspan=4),
            ),
            (
                c("年度绩效指标", rowspan=len(_B_INDICATORS) + 1),
                *cells(
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分",
                    "偏差原因分析及改进措施",
                ),
            ),
            *_indicator_rows(_B_INDICATORS, _B_FIRST_LEVEL_SPANS, tail=1),
            (c("总分", colspan=6), c("100"), c("96.8"), c("")),
        ),
        header_rows=frozenset({1, 12, 14}),
    ),
    after=(
        "二、存在的主要问题",
        "部分绩效指标设置不够细化，下一步将完善指标体系。",
    ),
    unit_line=None,
    facts=(
        FactSpec("budget.total.planned", D("15000000"), "1500.00", "年度资金总额"),
        FactSpec("budget.total.adjusted", D("16200000"), "1620.00", "年度资金总额"),
        FactSpec("budget.total.actual", D("15876000"), "1587.60", "年度资金总额"),
        FactSpec("budget.total.execution_rate", D("98.00"), "98.00%", "年度资金总额"),
        FactSpec("budget.government_fund.planned", D("600000"), "60.00", "政府性基金预算"),
        FactSpec("budget.government_fund.actual", D("780000"), "78.00", "政府性基金预算"),
        FactSpec("budget.state_capital.planned", D("400000"), "40.00", "国有资本经营预算"),
        FactSpec("budget.state_capital.actual", D("396000"), "39.60", "国有资本经营预算"),
        FactSpec("budget.basic.planned", D("9000000"), "900.00", "基本支出"),
        FactSpec("budget.basic.adjusted", D("9600000"), "960.00", "基本支出"),
        FactSpec("budget.basic.actual", D("9504000"), "950.40", "基本支出"),
        FactSpec("budget.basic.execution_rate", D("99.00"), "99.00%", "基本支出"),
        FactSpec("budget.project.planned", D("6000000"), "600.00", "项目支出"),
        FactSpec("budget.project.adjusted", D("6600000"), "660.00", "项目支出"),
        FactSpec("budget.project.actual", D("6372000"), "637.20", "项目支出"),
        FactSpec("budget.project.execution_rate", D("96.55"), "96.55%", "项目支出"),
        FactSpec("evaluation.total_score", D("96.8"), "96.8", "总分"),
    ),
    indicators=(
        IndicatorSpec("年度资金总额", D("10"), D("9.8")),
        *(IndicatorSpec(r[2], D(r[5]), D(r[6]), r[3], r[4]) for r in _B_INDICATORS),
    ),
    categories=(),
    total_score=D("96.8"),
    department=_B_DEPARTMENT,
)


# B'. Provincial variant in 元 with one budget column (预算数 | 执行数 | 执行率 | 权重 | 得分), weights in the
# 一级指标 names, and a 部门（单位）名称 field.
_B2_INDICATORS = (
    ("产出指标(45分)", "数量指标", "项目绩效自评覆盖率", "100%", "100%", "15", "15"),
    ("", "质量指标", "财政资金直达率", "100%", "100%", "15", "15"),
    ("", "时效指标", "资金拨付及时率", "≥95%", "96%", "15", "14"),
    ("效益指标(35分)", "社会效益指标", "政府采购规范率", "100%", "100%", "20", "20"),
    ("", "可持续影响指标", "预算绩效管理制度健全率", "100%", "100%", "15", "15"),
    ("满意度指标(10分)", "服务对象满意度指标", "预算单位满意度", "≥90%", "92%", "10", "9"),
)
_B2_FIRST_LEVEL_SPANS = {"产出指标(45分)": 3, "效益指标(35分)": 2, "满意度指标(10分)": 1}

B_PROVINCIAL = FormFixture(
    id="B-provincial",
    form="B",
    before=(
        "南县财政局2023年度部门整体支出绩效自评报告",
        "根据县财政局统一部署，我局对本部门整体支出开展了绩效自评，形成自评表如下。",
        "2023年度部门整体支出绩效自评表",
    ),
    grid=Grid(
        ncols=8,
        rows=(
            (c("部门（单位）名称", colspan=2), c("南县财政局", colspan=6)),
            (c("预算执行情况（元）", rowspan=4), *cells("项目", "预算数", "执行数", "执行率", "权重", "得分"), c("")),
            (*cells("年度资金总额", "8,650,000.00", "8,477,000.00", "98.00%", "10", "9.8"), c("")),
            (*cells("其中：基本支出", "5,200,000.00", "5,148,000.00", "99.00%", "—", "—"), c("")),
            (*cells("项目支出", "3,450,000.00", "3,329,000.00", "96.49%", "—", "—"), c("")),
            (
                c("绩效指标(90分)", rowspan=len(_B2_INDICATORS) + 1),
                *cells("一级指标", "二级指标", "三级指标", "指标值", "完成值", "权重", "得分"),
            ),
            *_indicator_rows(_B2_INDICATORS, _B2_FIRST_LEVEL_SPANS, tail=0),
            (c("总分", colspan=6), c("100"), c("97.8")),
        ),
        header_rows=frozenset({1, 5}),
    ),
    after=(
        "自评结论：我局部门整体支出绩效自评等级为优。",
        "下一步将继续加强预算绩效管理，提高财政资金使用效益。",
    ),
    unit_line=None,
    facts=(
        FactSpec("budget.total.planned", D("8650000"), "8,650,000.00", "年度资金总额"),
        FactSpec("budget.total.actual", D("8477000"), "8,477,000.00", "年度资金总额"),
        FactSpec("budget.total.execution_rate", D("98.00"), "98.00%", "年度资金总额"),
        FactSpec("budget.basic.planned", D("5200000"), "5,200,000.00", "其中：基本支出"),
        FactSpec("budget.basic.actual", D("5148000"), "5,148,000.00", "其中：基本支出"),
        FactSpec("budget.basic.execution_rate", D("99.00"), "99.00%", "其中：基本支出"),
        FactSpec("budget.project.planned", D("3450000"), "3,450,000.00", "项目支出"),
        FactSpec("budget.project.actual", D("3329000"), "3,329,000.00", "项目支出"),
        FactSpec("budget.project.execution_rate", D("96.49"), "96.49%", "项目支出"),
        FactSpec("evaluation.total_score", D("97.8"), "97.8", "总分"),
    ),
    indicators=(
        IndicatorSpec("年度资金总额", D("10"), D("9.8")),
        *(IndicatorSpec(r[2], D(r[5]), D(r[6]), r[3], r[4]) for r in _B2_INDICATORS),
    ),
    categories=(("产出指标", D("45"), None), ("效益指标", D("35"), None), ("满意度指标", D("10"), None)),
    total_score=D("97.8"),
    department="南县财政局",
)


# C. 部门整体支出绩效评价基础数据表: staff, then 经费控制情况（万元） by year; 2023 is the report's year.
C_BASIC_DATA = FormFixture(
    id="C-basic-data",
    form="C",
    before=(
        "衡南县教育局2023年度部门整体支出绩效评价报告",
        "一、部门概况",
        "我局按照县财政局要求填报了部门整体支出绩效评价基础数据表。",
        "部门整体支出绩效评价基础数据表",
    ),
    grid=Grid(
        ncols=4,
        rows=(
            cells("财政供养人员情况", "编制数", "2023年实际在职人数", "控制率"),
            cells("", "86", "82", "95.35%"),
            cells("经费控制情况（万元）", "2022年决算数", "2023年预算数", "2023年决算数"),
            cells("三公经费", "18.60", "16.00", "14.85"),
            cells("1、公务用车购置和维护经费", "12.00", "10.00", "9.45"),
            cells("其中：公车购置", "0.00", "0.00", "0.00"),
            cells("公车运行维护", "12.00", "10.00", "9.45"),
            cells("2、出国经费", "0.00", "0.00", "0.00"),
            cells("3、公务接待", "6.60", "6.00", "5.40"),
            cells("项目支出", "820.00", "900.00", "876.30"),
            cells("1、业务工作专项", "520.00", "600.00", "588.30"),
            cells("2、运行维护专项", "300.00", "300.00", "288.00"),
            cells("公用经费", "95.00", "98.00", "96.20"),
            cells("其中：办公经费", "30.00", "32.00", "31.10"),
            cells("水费、电费、差旅费", "40.00", "40.00", "39.50"),
            cells("会议费、培训费", "25.00", "26.00", "25.60"),
            cells("政府采购金额", "95", "120", "116"),
        ),
        header_rows=frozenset({0, 2}),
    ),
    after=(
        "二、部门整体支出绩效情况",
        "我局严格控制一般性支出，三公经费持续压减。",
    ),
    unit_line=None,
    facts=(
        FactSpec("staff.authorized", D("86"), "86", ""),
        FactSpec("staff.actual", D("82"), "82", ""),
        FactSpec("budget.project.planned", D("9000000"), "900.00", "项目支出"),
        FactSpec("budget.project.actual", D("8763000"), "876.30", "项目支出"),
        FactSpec("budget.basic.public", D("962000"), "96.20", "公用经费"),
    ),
    indicators=(),
    categories=(),
    total_score=None,
    department="衡南县教育局",
    unread_when_fused=("政府采购金额",),  # 95120116: integers, no arithmetic relates the three columns
)


# D. 部门整体支出绩效评价指标表, newer framework (决策/过程/产出/效益), weights in brackets and a 分值 column.
_D1_ROWS = (
    ("决策(15分)", 4, "目标设定(6分)", 2, "绩效目标合理性", "3", "目标与部门职能相符", "3"),
    (None, 0, None, 0, "绩效指标明确性", "3", "指标细化量化", "2"),
    (None, 0, "预算配置(9分)", 2, "在职人员控制率", "4", "控制在编制以内", "4"),
    (None, 0, None, 0, "三公经费变动率", "5", "较上年有所下降", "5"),
    ("过程(25分)", 4, "预算执行(15分)", 2, "预算执行率", "10", "按执行进度计分", "9"),
    (None, 0, None, 0, "结转结余率", "5", "结转结余越少得分越高", "4"),
    (None, 0, "预算管理(10分)", 2, "管理制度健全性", "5", "制度健全完整", "5"),
    (None, 0, None, 0, "资金使用合规性", "5", "无违规使用资金", "5"),
    ("产出(35分)", 3, "职责履行(35分)", 3, "实际完成率", "15", "按计划完成得满分", "14"),
    (None, 0, None, 0, "质量达标率", "10", "全部达标得满分", "10"),
    (None, 0, None, 0, "重点工作办结率", "10", "全部办结得满分", "9"),
    ("效益(25分)", 3, "履职效益(25分)", 3, "社会效益", "10", "效益明显", "9"),
    (None, 0, None, 0, "可持续影响", "5", "长效机制健全", "5"),
    (None, 0, None, 0, "服务对象满意度", "10", "满意度达到九成以上", "10"),
)


def _d1_rows():
    out = []
    for first, first_span, second, second_span, *rest in _D1_ROWS:
        row = [c(first, rowspan=first_span)] if first else []
        row += [c(second, rowspan=second_span)] if second else []
        out.append(tuple(row + [c(t) for t in rest]))
    return out


D_NEWER = FormFixture(
    id="D-newer",
    form="D",
    before=(
        "衡阳市雁峰区民政局2023年度部门整体支出绩效自评报告",
        "根据部门整体支出绩效评价共性指标框架，我局逐项进行了评分。",
        "部门整体支出绩效评价指标表",
    ),
    grid=Grid(
        ncols=6,
        rows=(
            cells("一级指标", "二级指标", "三级指标", "分值", "评价标准", "得分"),
            *_d1_rows(),
            (c("总分", colspan=3), c("100"), c(""), c("94")),
        ),
        header_rows=frozenset({0}),
    ),
    after=(
        "经评分，我局部门整体支出绩效自评等级为优。",
        "下一步将强化绩效结果运用。",
    ),
    unit_line=None,
    facts=(FactSpec("evaluation.total_score", D("94"), "94", "总分"),),
    indicators=tuple(IndicatorSpec(r[4], D(r[5]), D(r[7])) for r in _D1_ROWS),
    categories=(
        ("决策", D("15"), None),
        ("目标设定", D("6"), None),
        ("预算配置", D("9"), None),
        ("过程", D("25"), None),
        ("预算执行", D("15"), None),
        ("预算管理", D("10"), None),
        ("产出", D("35"), None),
        ("职责履行", D("35"), None),
        ("效益", D("25"), None),
        ("履职效益", D("25"), None),
    ),
    total_score=D("94"),
    department="衡阳市雁峰区民政局",
)


# D'. Older framework (投入/过程/产出/效果) with a weight column after each level's name.
_D2_ROWS = (
    ("投入", "20", 4, "目标设定", "8", 2, "绩效目标合理性", "4", "依据充分且符合实际", "4"),
    (None, "", 0, None, "", 0, "绩效指标明确性", "4", "指标清晰可衡量", "3"),
    (None, "", 0, "预算配置", "12", 2, "在职人员控制率", "6", "控制在编制以内", "6"),
    (None, "", 0, None, "", 0, "三公经费变动率", "6", "较上年有所下降", "5"),
    ("过程", "30", 5, "预算执行", "18", 3, "预算执行率", "10", "按执行进度计分", "10"),
    (None, "", 0, None, "", 0, "预算调整率", "4", "调整越少得分越高", "4"),
    (None, "", 0, None, "", 0, "结转结余率", "4", "结转结余越少得分越高", "3"),
    (None, "", 0, "资产管理", "12", 2, "资产管理安全性", "6", "资产保存完整", "6"),
    (None, "", 0, None, "", 0, "固定资产利用率", "6", "利用充分", "6"),
    ("产出", "30", 3, "职责履行", "30", 3, "实际完成率", "10", "按计划完成得满分", "9"),
    (None, "", 0, None, "", 0, "完成及时率", "10", "按时完成得满分", "9"),
    (None, "", 0, None, "", 0, "质量达标率", "10", "全部达标得满分", "10"),
    ("效果", "20", 2, "履职效益", "20", 2, "社会效益", "10", "效益明显", "9"),
    (None, "", 0, None, "", 0, "社会公众或服务对象满意度", "10", "满意度达到九成以上", "9"),
)


def _d2_rows():
    out = []
    for first, first_w, first_span, second, second_w, second_span, *rest in _D2_ROWS:
        row = [c(first, rowspan=first_span), c(first_w, rowspan=first_span)] if first else []
        row += [c(second, rowspan=second_span), c(second_w, rowspan=second_span)] if second else []
        out.append(tuple(row + [c(t) for t in rest]))
    return out


D_OLDER = FormFixture(
    id="D-older",
    form="D",
    before=(
        "祁东县水利局2023年度部门整体支出绩效评价报告",
        "评价组依据部门整体支出绩效评价指标体系，对照评分标准逐项打分。",
        "部门整体支出绩效评价评分表",
    ),
    grid=Grid(
        ncols=8,
        rows=(
            cells("一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "评分标准", "得分"),
            *_d2_rows(),
            (c("总分"), c("100"), c("", colspan=5), c("93")),
        ),
        header_rows=frozenset({0}),
    ),
    after=(
        "综合评价等级为优。",
        "下一步将加快预算执行进度。",
    ),
    unit_line=None,
    facts=(FactSpec("evaluation.total_score", D("93"), "93", "总分"),),
    indicators=tuple(IndicatorSpec(r[6], D(r[7]), D(r[9])) for r in _D2_ROWS),
    categories=(
        ("投入", D("20"), None),
        ("目标设定", D("8"), None),
        ("预算配置", D("12"), None),
        ("过程", D("30"), None),
        ("预算执行", D("18"), None),
        ("资产管理", D("12"), None),
        ("产出", D("30"), None),
        ("职责履行", D("30"), None),
        ("效果", D("20"), None),
        ("履职效益", D("20"), None),
    ),
    total_score=D("93"),
    department="祁东县水利局",
)


# E. 部门决算 收入支出决算总表: two halves side by side, in 万元 from the unit line above the table.
E_INCOME_EXPENDITURE = FormFixture(
    id="E-income-expenditure",
    form="E",
    before=(
        "上海市普陀区绿化和市容管理局2024年度部门决算",
        "第二部分 2024年度部门决算表",
        "收入支出决算总表",
    ),
    grid=Grid(
        ncols=4,
        rows=(
            (c("收入", colspan=2), c("支出", colspan=2)),
            cells("项目", "决算数", "项目", "决算数"),
            cells("一、一般公共预算财政拨款收入", "1,180.40", "一、一般公共服务支出", "860.25"),
            cells("二、政府性基金预算财政拨款收入", "50.00", "八、社会保障和就业支出", "152.30"),
            cells("三、国有资本经营预算财政拨款收入", "", "九、卫生健康支出", "68.45"),
            cells("四、事业收入", "", "十九、住房保障支出", "96.20"),
            cells("五、其他收入", "6.20", "", ""),
            cells("本年收入合计", "1,236.60", "本年支出合计", "1,177.20"),
            cells("年初结转和结余", "120.00", "年末结转和结余", "179.40"),
            cells("总计", "1,356.60", "总计", "1,356.60"),
        ),
        header_rows=frozenset({0, 1}),
    ),
    after=(
        "注：本表反映部门本年度的总收支和年初、年末结转结余情况。",
        "第三部分 2024年度部门决算情况说明",
    ),
    unit_line="单位：万元",
    facts=(FactSpec("budget.total.actual", D("11772000"), "1,177.20", "本年支出合计"),),
    indicators=(),
    categories=(),
    total_score=None,
    department="上海市普陀区绿化和市容管理局",
)


# E'. 支出决算表 by 功能分类科目 (类/款/项 rows are breakdowns), in 元.
E_EXPENDITURE = FormFixture(
    id="E-expenditure",
    form="E",
    before=(
        "上海市普陀区绿化和市容管理局2024年度部门决算",
        "支出决算表",
    ),
    grid=Grid(
        ncols=5,
        rows=(
            (c("项目", colspan=2), c("本年支出合计", rowspan=2), c("基本支出", rowspan=2), c("项目支出", rowspan=2)),
            cells("科目编码", "科目名称"),
            (c("合计", colspan=2), *cells("11,772,000.00", "8,236,900.00", "3,535,100.00")),
            cells("201", "一般公共服务支出", "8,602,500.00", "6,100,000.00", "2,502,500.00"),
            cells("20103", "政府办公厅（室）及相关机构事务", "8,602,500.00", "6,100,000.00", "2,502,500.00"),
            cells("2010301", "行政运行", "6,100,000.00", "6,100,000.00", ""),
            cells("2010302", "一般行政管理事务", "2,502,500.00", "", "2,502,500.00"),
            cells("208", "社会保障和就业支出", "1,523,000.00", "1,523,000.00", ""),
            cells("20805", "行政事业单位养老支出", "1,523,000.00", "1,523,000.00", ""),
            cells("210", "卫生健康支出", "684,500.00", "613,900.00", "70,600.00"),
            cells("221", "住房保障支出", "962,000.00", "", "962,000.00"),
        ),
        header_rows=frozenset({0, 1}),
    ),
    after=(
        "注：本表反映部门本年度各项支出情况。",
        "第三部分 2024年度部门决算情况说明",
    ),
    unit_line="单位：元",
    facts=(
        FactSpec("budget.total.actual", D("11772000"), "11,772,000.00", "合计"),
        FactSpec("budget.basic.actual", D("8236900"), "8,236,900.00", "合计"),
        FactSpec("budget.project.actual", D("3535100"), "3,535,100.00", "合计"),
    ),
    indicators=(),
    categories=(),
    total_score=None,
    department="上海市普陀区绿化和市容管理局",
)

FIXTURES: tuple[FormFixture, ...] = (
    A_NATIONAL,
    A_PROVINCIAL,
    B_NATIONAL,
    B_PROVINCIAL,
    C_BASIC_DATA,
    D_NEWER,
    D_OLDER,
    E_INCOME_EXPENDITURE,
    E_EXPENDITURE,
)
