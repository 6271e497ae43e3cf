"""Attribution rules that hold across reports (FORMS.md, words in prose): real sentence shapes and the facts,
with their evidence, that a careful reader takes from them."""

from decimal import Decimal

import pytest

import extractor

D = Decimal
DEPARTMENT = "2023年度部门整体支出绩效自评报告\n"
PROJECT = "2022年度项目支出绩效自评报告\n"
FINAL = "2024年度部门决算\n"

FACTS = [
    # one cell per line (FORMS.md rendering 3): a number alone on its line is named by the label line above it
    (
        DEPARTMENT + "联系人\n\n吴俊\n\n人员编制\n\n21\n\n实有人数\n\n19\n\n职能职责概述\n",
        [
            ("staff.authorized", D("21"), "21", "nearest_label"),
            ("staff.actual", D("19"), "19", "nearest_label"),
        ],
    ),
    # ... only when the label line ends with what it names: an indicator's name and its weight are no staff
    (DEPARTMENT + "三级指标\n分值\n在职人员控制率\n4\n退休人员经费保障率\n2.5\n", []),
    # 全年预算数 after 年初预算 in one sentence is the adjusted budget, as in the form's columns (FORMS.md A)
    (
        PROJECT + "该项目年初预算资金50万元，全年预算数60万元，全年执行数48.5万元，执行率80.83%。",
        [
            ("budget.total.planned", D("500000"), "50万元", "clause"),
            ("budget.total.adjusted", D("600000"), "60万元", "clause"),
            ("budget.total.actual", D("485000.0"), "48.5万元", "clause"),
            ("budget.total.execution_rate", D("80.83"), "80.83%", "clause"),
        ],
    ),
    # 已使用 is spending; in a project report, the project's own
    (
        PROJECT + "截至2023年12月31日，资金已使用2.00万元，结余0万元。",
        [("budget.total.actual", D("20000.00"), "2.00万元", "nearest_label")],
    ),
    # 其中/包括 list parts: neither the total nor the first part named
    (
        DEPARTMENT + "2021年部门预算支出2455.5万元，其中部门预算项目支出87.5万元，专项预算支出2350万元。",
        [("budget.total.actual", D("24555000.0"), "2455.5万元", "nearest_label")],
    ),
    # 预算支出 written as one compound is spending of that budget
    (
        DEPARTMENT + "2023年度政府性基金预算支出906.72万元。",
        [("budget.government_fund.actual", D("9067200.00"), "906.72万元", "clause")],
    ),
    # 完成 + a budget word: what was done with the budget
    (
        PROJECT + "本项目共申请预算资金2026400元，本项目共完成预算资金1329120.67元。",
        [
            ("budget.total.planned", D("2026400"), "2026400元", "clause"),
            ("budget.total.actual", D("1329120.67"), "1329120.67元", "clause"),
        ],
    ),
    # a clause about another figure (三公经费) gives no field to what it carries
    (
        FINAL
        + "（一）“三公”经费财政拨款支出决算总体情况说明。\n“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%。",
        [],
    ),
    # figures after a functional-classification line (类/款/项) are that line's
    (
        FINAL
        + "（三）一般公共预算财政拨款支出决算具体情况\n一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元。\n"
        "1、一般公共服务支出（类）行政运行（项）。\n主要用于：行政单位人员支出。全年预算为 52.00 万元，支出决算为 51.32 万元。",
        [
            ("budget.total.planned", D("29939200.00"), "2993.92万元", "clause"),
            ("budget.total.actual", D("29400500.00"), "2940.05万元", "clause"),
        ],
    ),
    # staff wordings of FORMS.md
    (
        DEPARTMENT + "本单位核定人员编制12人，实有在职人员10人，离退休3人。",
        [
            ("staff.authorized", D("12"), "12人", "clause"),
            ("staff.actual", D("10"), "10人", "clause"),
            ("staff.retired", D("3"), "3人", "clause"),
        ],
    ),
    # staff are counted in people, not in cars
    (FINAL + "机关运行用车 0 辆、离退休干部用车 0 辆。", []),
    # a total score lies on the 100-point scale
    (PROJECT + "经评价，自评总分为1096.5分。", []),
]


@pytest.mark.parametrize("text, expected", FACTS)
def test_facts_and_their_evidence(text, expected):
    report = extractor.extract_text(text)
    assert [(f.field, f.value, f.text, f.evidence.kind) for f in report.facts] == expected


DEPARTMENTS = [
    (
        "项目支出绩效自评表\n主管部门\t仁和区住房和城乡建设局\t实施单位(盖章)\t仁和区环境卫生管理所",
        "仁和区环境卫生管理所",
        "仁和区",
    ),
    ("上海市普陀区规划和资源局2024年度部门决算", "上海市普陀区规划和资源局", "上海市普陀区"),
    (
        "2020年项目支出绩效目标自评报告\n2020年泸西县教育体育局财政拨款总额6107.69万元，其中：向阳乡足马小学11.87万元，"
        "向阳乡足马小学维修改造。",
        "泸西县教育体育局",
        "泸西县",
    ),
    ("2023年度部门整体支出绩效自评报告\n根据衡阳市财政局要求，雁峰区民政局开展了自评。", "雁峰区民政局", "雁峰区"),
]


@pytest.mark.parametrize("text, department, region", DEPARTMENTS)
def test_department_and_region(text, department, region):
    meta = extractor.extract_text(text).report
    assert (meta.department.value, meta.region.value) == (department, region)


def test_traditional_report_is_read_in_simplified_and_kept_as_written():
    text = (
        "2020年度水土保持監測項目績效自評表\n單位名稱:黃岡市水土保持與農田水利科研所\n"
        "預算執行情況(萬元)\n預算數(A)\t執行數(B)\t執行率(B/A)\t得分\n年度財政資金總額\t10\t10\t100%\t20"
    )
    report = extractor.extract_text(text)
    assert report.text == text
    assert (report.report.department.value, report.report.kind.value) == ("黃岡市水土保持與農田水利科研所", "project")
    assert [(f.field, f.value, f.text, f.evidence.form) for f in report.facts] == [
        ("budget.total.planned", D("100000"), "10", "A"),
        ("budget.total.actual", D("100000"), "10", "A"),
        ("budget.total.execution_rate", D("100"), "100%", "A"),
    ]


def test_error_checks_rest_on_one_sentence_or_one_form_row():
    """The same three figures: one sentence gives an error-level finding, figures from different sentences a
    warning at most."""
    together = extractor.extract_text(
        DEPARTMENT + "基本支出预算安排98.56万元，实际支出135.79万元，完成预算安排的133.77%。"
    )
    apart = extractor.extract_text(
        DEPARTMENT + "基本支出预算安排98.56万元。\n基本支出实际支出135.79万元。\n基本支出完成预算安排的133.77%。"
    )
    assert [(c.rule, c.status, c.severity) for c in together.checks if c.rule == "rate_equals_ratio"] == [
        ("rate_equals_ratio", "fail", "error")
    ]
    assert [(c.rule, c.status, c.severity) for c in apart.checks if c.rule == "rate_equals_ratio"] == [
        ("rate_equals_ratio", "fail", "warning")
    ]
