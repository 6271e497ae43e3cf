"""Headers wrapped over two lines (FORMS.md rendering 6) made whole in place: the header's two lines become one
line of whole words, padded to the same length, and every offset after it is unchanged."""

import pytest

import extractor
from extractor.grids import unsplit_headers

WORDS = {"财政供养人员情况", "编制数", "2023年实际在职人数", "控制率", "本年支出合计", "调整后预算数", "预算执行率"}

CASES = [
    (
        "财政供养 编制数 2023 控制率\n人员情况 年实际在职人数\n86 82 95.35%",
        "财政供养人员情况 编制数 2023年实际在职人数 控制率  \n86 82 95.35%",
    ),
    (
        "项目 本年支出 基本支出 项目支出\n合计\n合计 11.00 8.00 3.00",
        "项目 本年支出合计 基本支出 项目支出 \n合计 11.00 8.00 3.00",
    ),
    ("调整后预 预算执行 权重\n算数 率\n260.00 98.00% 10", "调整后预算数 预算执行率 权重  \n260.00 98.00% 10"),
    # a fragment that completes no word: the lines stay as they are
    ("调整后预 预算执行 权重\n算数 额\n260.00 98.00% 10", "调整后预 预算执行 权重\n算数 额\n260.00 98.00% 10"),
    # a row label alone under a header of whole words is a row, not a wrapped header
    ("项目 本年支出合计 基本支出\n合计\n11.00 8.00", "项目 本年支出合计 基本支出\n合计\n11.00 8.00"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_unsplit_headers(text, expected):
    got = unsplit_headers(text, WORDS.__contains__)
    assert (got, len(got)) == (expected, len(text))


# Layouts probed around the wrapped headers and values apart: each gives the right facts or none.
E_HEAD = "上海市普陀区某局2024年度部门决算\n支出决算表\n单位：元\n项目 本年支出合计 基本支出 项目支出\n"
E_TOTALS = [
    ("budget.basic.actual", "8,236,900.00"),
    ("budget.project.actual", "3,535,100.00"),
    ("budget.total.actual", "11,772,000.00"),
]
D_SCORES = "某局2023年度部门整体支出绩效评价报告\n部门整体支出绩效评价评分表\n一级指标 分值 二级指标 分值 三级指标 分值 评分标准 得分\n"
LAYOUTS = [
    # a row label alone under a whole header joins no header cell (基本支出 + 合计 is no 基本支出合计), and the
    # next table's 合计 is not this one's
    (
        E_HEAD + "合计\n11,772,000.00 8,236,900.00 3,535,100.00\n201 一般公共服务支出 11,772,000.00 8,236,900.00 "
        "3,535,100.00\n一般公共预算财政拨款支出决算表\n单位：元\n项目 小计 基本支出 项目支出\n"
        "合计 9,000,000.00 7,000,000.00 2,000,000.00\n",
        E_TOTALS,
    ),
    (E_HEAD + "合计\n科目编码 科目名称\n11,772,000.00 8,236,900.00 3,535,100.00\n", E_TOTALS),
    # three label lines and five values lines: no pairing by rank, so no total
    (
        E_HEAD + "功能分类\n科目编码 科目名称\n合计\n一般公共服务支出\n政府办公厅（室）及相关机构事务\n"
        "11,772,000.00 8,236,900.00 3,535,100.00\n8,602,500.00 6,100,000.00 2,502,500.00\n"
        "8,602,500.00 6,100,000.00 2,502,500.00\n6,100,000.00 6,100,000.00\n2,502,500.00 2,502,500.00\n"
        "行政运行\n一般行政管理事务\n",
        [],
    ),
    # the 总分 row of a part table (weight 8, not 100) gives no total score, its weight least of all
    (D_SCORES + "绩效指标明确性 4 指标清晰可衡量 3\n投入 目标设定 8 绩效目标合理性 4 依据充分 4\n总分 8 7\n", []),
    (D_SCORES + "绩效指标明确性 4 指标清晰可衡量 3\n总分 100 97\n", [("evaluation.total_score", "97")]),
    # the first label under a header is a row, not the end of a header word (项目 + 项目支出)
    (
        "南县财政局2023年度部门整体支出绩效自评报告\n2023年度部门整体支出绩效自评表\n"
        "预算执行情况（元） 项目 预算数 执行数 执行率 权重 得分\n项目支出\n其中：基本支出\n年度资金总额\n"
        "3,450,000.00 3,329,000.00 96.49% — —\n5,200,000.00 5,148,000.00 99.00% — —\n"
        "8,650,000.00 8,477,000.00 98.00% 10 9.8\n",
        [
            ("budget.basic.actual", "5,148,000.00"),
            ("budget.basic.execution_rate", "99.00%"),
            ("budget.basic.planned", "5,200,000.00"),
            ("budget.project.actual", "3,329,000.00"),
            ("budget.project.execution_rate", "96.49%"),
            ("budget.project.planned", "3,450,000.00"),
            ("budget.total.actual", "8,477,000.00"),
            ("budget.total.execution_rate", "98.00%"),
            ("budget.total.planned", "8,650,000.00"),
        ],
    ),
]


@pytest.mark.parametrize("text, expected", LAYOUTS)
def test_layouts_around_wrapped_headers(text, expected):
    report = extractor.extract_text(text)
    assert sorted((f.field, f.text) for f in report.facts) == expected
