"""Fuzzing extract_text: any string gives a record (no exception), every span indexes its text, time is linear.

EXTRACTOR_FUZZ_EXAMPLES=2500 runs the acceptance-sized fuzz; the suite runs fewer.
"""

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import extract_text

# Pieces of report text the grammars react to: units, numerals, heading marks, table bars, brackets.
REPORT_PIECES = [
    "万元",
    "元",
    "亿",
    "%",
    "％",
    "分",
    "人",
    "一、",
    "（一）",
    "(1)",
    "1、",
    "1.",
    "①",
    "第",
    "年度",
    "预算",
    "执行率",
    "得分",
    "|",
    "\t",
    "\n",
    "（",
    "）",
    "，",
    "。",
    "：",
    "一十百千万亿",
    "壹佰",
    "98.56",
    "1,234.5",
    "-",
    "约",
    "以上",
    "不低于",
    "≥",
    "百分之",
    "部门整体支出绩效自评报告",
    "\u3000",
    "\u200b",
    "１２３",
    "2023年",
    "[bookmark: x]",
    "零",
    "〇",
]

pieces = st.one_of(
    st.sampled_from(REPORT_PIECES),
    st.characters(categories=["Nd"]),  # decimal digits of every script (U+116DF ...)
    st.characters(categories=["Cs"]),  # lone surrogates
    st.characters(categories=["No", "Nl", "Zs", "Cc", "Cf", "Mn", "Lo", "Ps", "Pe", "Po", "Sm", "So"]),
    st.text(max_size=8),
)
long_runs = st.tuples(
    st.sampled_from(REPORT_PIECES + ["1", "一", "亿", "（", "1万元\t", "1、标题\n", "a|b|1\n"]), st.integers(1, 4000)
).map(lambda t: (t[0] * t[1])[:32_000])
reports = st.lists(st.one_of(pieces, long_runs), max_size=40).map(lambda parts: "".join(parts)[:32_000])


def span_violations(report) -> list[dict]:
    """Every object of the record with a text and a [start, end) span whose text is not text[start:end]."""
    text, bad = report.text, []

    def walk(node):
        if isinstance(node, dict):
            span = node.get("span")
            if isinstance(node.get("text"), str) and isinstance(span, list) and len(span) == 2:
                if text[span[0] : span[1]] != node["text"]:
                    bad.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(report.model_dump(mode="json", exclude={"text"}))
    return bad


def _seconds(text: str) -> float:
    started = time.perf_counter()
    extract_text(text)
    return time.perf_counter() - started


@settings(
    max_examples=int(os.environ.get("EXTRACTOR_FUZZ_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(reports)
def test_any_text_gives_a_record_whose_spans_hold(text):
    report = extract_text(text)
    report.model_dump_json()  # serialisable: no lone surrogate reaches the JSON
    assert len(report.text) == len(text)
    assert span_violations(report) == []


@pytest.mark.parametrize(
    "text",
    [
        "预算\U000116df万元",  # a digit regex knows and Decimal does not
        "预算\ud800 5万元",  # a lone surrogate
        "一、标题\n一二三、内容",  # a heading number above 99
        "（六区）财政局2023年度部门整体支出绩效自评报告\n预算5万元",  # department span after a stripped （
    ],
    ids=["U+116DF", "surrogate", "heading-123", "title-paren"],
)
def test_probed_strings_give_records_whose_spans_hold(text):
    report = extract_text(text)
    report.model_dump_json()
    assert span_violations(report) == []


HOSTILE_SHAPES = {
    "chinese numeral places": lambda n: "一十百千万亿" * (n // 6),
    "amounts between tabs": lambda n: "1万元\t" * (n // 4),
    "many headings": lambda n: "".join(f"{i % 9 + 1}、标题\n" for i in range(n // 5)),
    "one long numeral": lambda n: "一" * n + "万元",
    "one long line": lambda n: "预算" * (n // 2),
    "pipe table rows": lambda n: "a|b|1万元\n" * (n // 8),
    "basic-data headers": lambda n: (
        "经费控制情况（万元） 2022年决算数 2023年预算数 2023年决算数\n三公经费\n" * (n // 43)
    ),
    "indicator headers and totals": lambda n: (
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n总分\n" * (n // 41)
    ),
    "one fused value run": lambda n: (
        "一级指标二级指标三级指标指标性质指标值度量单位完成值权重得分\n道路面积≥120万平方米" + "9" * n
    ),
    "weight-first fused groups": lambda n: (
        "一级指标二级指标三级指标分值年度指标值全年实际值得分" + ("产出指标(40分)" + "名称一2完成1" * 20) * (n // 170)
    ),
}


@pytest.mark.parametrize("make", HOSTILE_SHAPES.values(), ids=HOSTILE_SHAPES.keys())
def test_time_is_linear_on_doubled_input(make):
    """Doubling a hostile 16,000-character input at most triples the time (quadratic would quadruple it)."""
    extract_text("预算5万元")  # the segmenter and patterns load once, outside the measurement
    single = min(_seconds(make(16_000)) for _ in range(2))
    double = min(_seconds(make(32_000)) for _ in range(2))
    assert double < 3 * single + 0.3, (single, double)
