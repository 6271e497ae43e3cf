"""Audit checks: the seed's exact findings, and a pass and a fail per rule on small reports."""

import json
import subprocess
import sys
from decimal import Decimal

import pytest

import extractor
from conftest import CORPUS
from extractor.checks import RULE_IDS, run_checks

D = Decimal


@pytest.mark.parametrize("name", ["seed.txt", "seed.docx"])
def test_seed_fails_exactly_these(name):
    report = extractor.extract(CORPUS / name)
    fails = [(c.rule, c.expected, c.found) for c in report.checks if c.status == "fail"]
    assert fails == [
        ("rate_equals_ratio", D("137.77"), D("133.77")),
        ("item_weights_sum_to_category", D("50"), D("35")),
        ("item_weights_sum_to_category", D("30"), D("25")),
        ("numbering_has_no_gaps", None, None),
        ("numbering_has_no_gaps", None, None),
    ]
    messages = [c.message for c in report.checks if c.rule == "numbering_has_no_gaps" and c.status == "fail"]
    assert "缺少六" in messages[0] and "缺少第3项" in messages[1]


@pytest.mark.parametrize("name", ["seed.txt", "seed.docx"])
def test_seed_passes(name):
    report = extractor.extract(CORPUS / name)
    passes = {(c.rule, c.expected, c.found) for c in report.checks if c.status == "pass"}
    assert ("category_scores_sum_to_total", D("99"), D("99")) in passes
    assert ("parts_sum_to_whole", D("1357900"), D("1357900")) in passes
    assert ("share_equals_ratio", D("94.22"), D("94.22")) in passes
    assert ("share_equals_ratio", D("5.78"), D("5.78")) in passes
    # 135.79 + 12873.13 = 13008.92 against 13008.93: within the rounding of three two-decimal 万元 figures.
    assert ("parts_sum_to_whole", D("130089200"), D("130089300")) in passes


RATE = "(一)基本支出情况\n2023年基本支出预算安排100万元，实际支出90万元，完成预算安排的{}。"
SHARE = "基本支出预算安排100万元，实际支出100万元。人员经费支出90万元，占基本支出的{}。"
SUM = "基本支出预算安排100万元，实际支出100万元。人员经费支出90万元，日常公用经费支出{}。"
ITEMS = (
    "(一)产出指标(分值{}分，得20分)\n1、甲，年度指标值：1，实际完成值：1，分值10分，得分10分。\n"
    "2、乙，年度指标值：1，实际完成值：1，分值10分，得分10分。"
)
CATEGORIES = "(一)产出指标(分值60分，得60分)\n(二)效益指标(分值{}分，得30分)"
EMPTY_SUBGROUP = (
    "2022年度项目支出绩效自评报告\n一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及改进措施"
    "项目效益(35分)效果显著15改善条件改善条件13社会认可度10认可认可8服务对象满意度指标(10分)"
)
TOTAL = "绩效自评得分{}分。\n(一)产出指标(分值60分，得60分)\n(二)效益指标(分值40分，得40分)"
WITHIN = "(一)产出指标(分值10分，得{}分)"
DEDUCTION = "(一)预算执行率(分值10分，得9分，扣{}分)"
TARGET = "1、合格率，年度指标值：≥90%，实际完成值：95%，分值10分，得分{}分。"
REPEATED = "在职人员9人。\n年末在职人员{}人。"
NUMBERING = "一、甲\n二、乙\n{}、丙"
GRADE = "总得分85分，评价等级为{}。"
PROJECTS = (
    "绩效自评的2024年度项目{}个，涉及预算金额598.42万元，平均得分{}分（其中，绩效评级为“优”的项目4个；绩效评级为“良”"
    "的项目1个；绩效评级为“合格”的项目0个；绩效评级为“不合格”的项目0个。"
)

RULE_CASES = [
    # rule, text, status, expected, found
    ("rate_equals_ratio", RATE.format("90%"), "pass", D("90"), D("90")),
    ("rate_equals_ratio", RATE.format("80%"), "fail", D("90"), D("80")),
    ("rate_equals_ratio", RATE.format("90.01%"), "pass", D("90.00"), D("90.01")),
    ("share_equals_ratio", SHARE.format("90%"), "pass", D("90"), D("90")),
    ("share_equals_ratio", SHARE.format("80%"), "fail", D("90"), D("80")),
    ("parts_sum_to_whole", SUM.format("10万元"), "pass", D("1000000"), D("1000000")),
    ("parts_sum_to_whole", SUM.format("20万元"), "fail", D("1100000"), D("1000000")),
    ("item_weights_sum_to_category", ITEMS.format(20), "pass", D("20"), D("20")),
    ("item_weights_sum_to_category", ITEMS.format(30), "fail", D("30"), D("20")),
    # a weighted sub-group with no row of its own (服务对象满意度指标(10分)) is part of its category's weight
    ("item_weights_sum_to_category", EMPTY_SUBGROUP, "pass", D("35"), D("35")),
    ("category_weights_sum_to_100", CATEGORIES.format(40), "pass", D("100"), D("100")),
    ("category_weights_sum_to_100", CATEGORIES.format(30), "fail", D("100"), D("90")),
    # a scored line outside the categories (the funds row's 10 points of FORMS.md A) makes up the 100
    ("category_weights_sum_to_100", TARGET.format(10) + "\n" + CATEGORIES.format(30), "pass", D("100"), D("100")),
    ("category_scores_sum_to_total", TOTAL.format(100), "pass", D("100"), D("100")),
    ("category_scores_sum_to_total", TOTAL.format(98), "fail", D("100"), D("98")),
    ("score_within_weight", WITHIN.format(9), "pass", D("10"), D("9")),
    ("score_within_weight", WITHIN.format(12), "fail", D("10"), D("12")),
    ("deduction_equals_weight_minus_score", DEDUCTION.format(1), "pass", D("1"), D("1")),
    ("deduction_equals_weight_minus_score", DEDUCTION.format(2), "fail", D("1"), D("2")),
    ("target_met_matches_score", TARGET.format(10), "pass", D("10"), D("10")),
    ("target_met_matches_score", TARGET.format(9), "fail", D("10"), D("9")),
    ("same_fact_same_value", REPEATED.format(9), "pass", None, None),
    ("same_fact_same_value", REPEATED.format(10), "fail", None, None),
    ("numbering_has_no_gaps", NUMBERING.format("三"), "pass", None, None),
    ("numbering_has_no_gaps", NUMBERING.format("四"), "fail", None, None),
    ("grade_matches_score", GRADE.format("良"), "pass", None, D("85")),
    ("grade_matches_score", GRADE.format("优"), "fail", None, D("85")),
    ("grade_matches_score", "90分以上为优，80分至90分为良。" + GRADE.format("良好"), "pass", None, D("85")),
    ("project_grades_sum_to_count", PROJECTS.format(5, "92.5"), "pass", D("5"), D("5")),
    ("project_grades_sum_to_count", PROJECTS.format(6, "92.5"), "fail", D("5"), D("6")),
    ("project_average_within_grades", PROJECTS.format(5, "92.5"), "pass", None, D("92.5")),
    ("project_average_within_grades", PROJECTS.format(5, "75"), "fail", None, D("75")),
    (
        "project_average_within_grades",
        "90分以上为优，70分至90分为良。" + PROJECTS.format(5, "75"),
        "pass",
        None,
        D("75"),
    ),
]


@pytest.mark.parametrize("rule,text,status,expected,found", RULE_CASES, ids=[f"{c[0]}-{c[2]}" for c in RULE_CASES])
def test_rule(rule, text, status, expected, found):
    checks = [c for c in extractor.extract_text(text).checks if c.rule == rule]
    assert [(c.status, c.expected, c.found) for c in checks] == [(status, expected, found)]


@pytest.mark.parametrize("confidence,status", [(0.95, "pass"), (0.5, "fail")])
def test_ocr_confidence_rule(confidence, status):
    report = extractor.extract_text("项目资金300万元。")
    report.quantities = [q.model_copy(update={"confidence": confidence}) for q in report.quantities]
    [check] = [c for c in run_checks(report) if c.rule == "ocr_confidence"]
    assert (check.status, check.found, check.quantities) == (
        status,
        D(int(status == "fail")),
        ["q1"] if status == "fail" else [],
    )


def test_every_rule_has_a_case():
    assert {c[0] for c in RULE_CASES} | {"ocr_confidence"} == set(RULE_IDS)


def test_grade_severity_follows_where_the_bands_come_from():
    common = [c for c in extractor.extract_text(GRADE.format("优")).checks if c.rule == "grade_matches_score"]
    stated = [
        c
        for c in extractor.extract_text("90分以上为优，80分至90分为良。" + GRADE.format("优")).checks
        if c.rule == "grade_matches_score"
    ]
    assert [(c.status, c.severity) for c in common + stated] == [("fail", "warning"), ("fail", "error")]


def test_rules_can_be_disabled():
    report = extractor.extract(CORPUS / "seed.txt")
    kept = run_checks(report, disabled=["numbering_has_no_gaps", "rate_equals_ratio"])
    assert {c.rule for c in kept} == set(RULE_IDS) - {
        "numbering_has_no_gaps",
        "rate_equals_ratio",
        "same_fact_same_value",
        "grade_matches_score",
        "ocr_confidence",
        "project_grades_sum_to_count",
        "project_average_within_grades",
    }
    with pytest.raises(ValueError, match="unknown rule"):
        run_checks(report, disabled=["no_such_rule"])


def _check_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "extractor.cli", "check", *map(str, args)], capture_output=True, text=True
    )


def test_check_command_prints_the_five_findings_and_fails():
    result = _check_cli(CORPUS / "seed.txt")
    assert result.returncode == 1
    headers = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith(str(CORPUS))]
    assert headers == [
        ["error", "fail", "rate_equals_ratio"],
        ["error", "fail", "item_weights_sum_to_category"],
        ["error", "fail", "item_weights_sum_to_category"],
        ["warning", "fail", "numbering_has_no_gaps"],
        ["warning", "fail", "numbering_has_no_gaps"],
    ]
    assert "evidence: 135.79万元@" in result.stdout


@pytest.mark.parametrize("fail_on,code", [("error", 1), ("warning", 1), ("info", 1), ("never", 0)])
def test_check_exit_code_follows_fail_on(fail_on, code):
    assert _check_cli(CORPUS / "seed.txt", "--fail-on", fail_on).returncode == code


def test_check_json_and_disable():
    result = _check_cli(CORPUS / "seed.txt", "--json", "--disable", "rate_equals_ratio,item_weights_sum_to_category")
    assert result.returncode == 0  # only warnings are left
    [doc] = json.loads(result.stdout)
    assert [c["rule"] for c in doc["checks"]] == ["numbering_has_no_gaps", "numbering_has_no_gaps"]
    assert _check_cli(CORPUS / "seed.txt", "--disable", "nope").returncode == 2


@pytest.mark.parametrize(
    "text, failed",
    [
        ("一、概况\n二、情况\n四、问题\n", ["numbering_has_no_gaps"]),
        ("一、概况\n二、情况\n99999999、问题\n", []),  # no list: and no count up to it
    ],
)
def test_numbering_gaps_only_where_few_are_missing(text, failed):
    report = extractor.extract_text(text)
    assert [c.rule for c in report.checks if c.status == "fail"] == failed
