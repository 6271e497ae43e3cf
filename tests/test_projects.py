"""projects.* facts: real sentences (决算 PDFs, corpus-dev) and invented ones in their styles, negatives included."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import extractor
from conftest import SHARED
from extractor.evaluate import evaluate
from extractor.projects import _Compact, find_project_values

D = Decimal
REALDOCS = SHARED / "realdocs"

GRADES = (
    "绩效评级为“优”的项目{}个；绩效评级为“良”的项目{}个；绩效评级为“合格”的项目{}个；绩效评级为“不合格”的项目{}个。"
)

# (text, [(field, text of the quantity, value)])
SENTENCES = [
    # 上海普陀区规划和自然资源局 2024 部门决算, as the PDF's lines break it
    (
        "全过程绩效管理实施情况：编报绩效目标的2024年度项目39个，涉\n及预算金额4415.48万元；绩效跟踪评价的2024年度项目39个，\n"
        "涉及预算金额4415.48万元；绩效自评的2024年度项目39个，涉\n及预算金额4415.48万元，平均得分99.33分（其中，绩效评级为\n"
        "“优”的项目39个；绩效评级为“良”的项目0个；绩效评级为\n“合格”的项目0个；绩效评级为“不合格”的项目0个。绩效自\n评中共发现问题0个。",
        [
            ("projects.count", "39个", "39"),
            ("projects.amount", "4415.48万元", "44154800"),
            ("projects.average_score", "99.33分", "99.33"),
            ("projects.grade_count.excellent", "39个", "39"),
            ("projects.grade_count.good", "0个", "0"),
            ("projects.grade_count.fair", "0个", "0"),
            ("projects.grade_count.poor", "0个", "0"),
        ],
    ),
    # 中共上海市普陀区委社会工作部: spaces around numbers, a word broken over lines
    (
        "效自评的 2024 年度项目 1 个，涉及预算金额 175.52 万元，平均得\n分 100.00 分（其中，绩效评级为“优”的项目 1 个；绩效评级为“良”\n"
        "的项目 0 个。",
        [
            ("projects.count", "1 个", "1"),
            ("projects.amount", "175.52 万元", "1755200"),
            ("projects.average_score", "100.00 分", "100"),
            ("projects.grade_count.excellent", "1 个", "1"),
            ("projects.grade_count.good", "0 个", "0"),
        ],
    ),
    # corpus-dev d11: the amount before the count, the breakdown after 其中
    (
        "2020年泸西县教育体育局财政拨款总额6107.69万元,共涉及项目54个,其中:午街铺镇中心幼儿园11.8765万元,金马镇所得小学综合楼101.2万元。",
        [("projects.amount", "6107.69万元", "61076900"), ("projects.count", "54个", "54")],
    ),
    # corpus-dev a011: a Chinese numeral; the money in the next subsection is not stated with the count
    (
        "一、基本情况(一)项目基本概况我校2022年项目为一个:生均公用经费项目(二)资金及项目绩效目标我校2022年按生均1000元安排,共计239万元。",
        [("projects.count", "一个", "1")],
    ),
    # the stages state different counts: the self-evaluation's are the facts
    (
        "编报绩效目标的2024年度项目40个，涉及预算金额500万元；绩效自评的2024年度项目38个，涉及预算金额480万元，平均得分95分。",
        [
            ("projects.count", "38个", "38"),
            ("projects.amount", "480万元", "4800000"),
            ("projects.average_score", "95分", "95"),
        ],
    ),
    (
        "编报绩效目标的项目40个，涉及资金500万元。开展绩效监控的项目40个。开展绩效自评的项目38个，涉及资金480万元。",
        [("projects.count", "38个", "38"), ("projects.amount", "480万元", "4800000")],
    ),
    (
        "本年度对12个项目开展绩效自评，涉及资金350万元，平均得分92.5分。",
        [
            ("projects.count", "12个", "12"),
            ("projects.amount", "350万元", "3500000"),
            ("projects.average_score", "92.5分", "92.5"),
        ],
    ),
    (
        "本单位实施项目共12个，项目资金合计350万元。",
        [("projects.count", "12个", "12"), ("projects.amount", "350万元", "3500000")],
    ),
    (
        "2023年共有3个项目纳入绩效自评范围，其中优秀项目2个、良好项目1个。",
        [
            ("projects.count", "3个", "3"),
            ("projects.grade_count.excellent", "2个", "2"),
            ("projects.grade_count.good", "1个", "1"),
        ],
    ),
    (
        "本年度对5个项目开展绩效评价，3个项目评为优秀，2个项目评为良好。",
        [
            ("projects.count", "5个", "5"),
            ("projects.grade_count.excellent", "3个", "3"),
            ("projects.grade_count.good", "2个", "2"),
        ],
    ),
    (
        "共对15个项目进行了绩效自评，自评结果为优的12个，良的3个。",
        [
            ("projects.count", "15个", "15"),
            ("projects.grade_count.excellent", "12个", "12"),
            ("projects.grade_count.good", "3个", "3"),
        ],
    ),
    (
        "本年度绩效自评项目8个，其中优秀等次6个，良好等次2个。",
        [
            ("projects.count", "8个", "8"),
            ("projects.grade_count.excellent", "6个", "6"),
            ("projects.grade_count.good", "2个", "2"),
        ],
    ),
    (
        "纳入2024年部门预算的项目45个，预算资金1.2亿元。",
        [("projects.count", "45个", "45"), ("projects.amount", "1.2亿元", "120000000")],
    ),
    (
        "自评项目数量为十二个，全部项目平均得分为96分。",
        [("projects.count", "十二个", "12"), ("projects.average_score", "96分", "96")],
    ),
    (
        "项目数量：12个，涉及资金：300万元。",
        [("projects.count", "12个", "12"), ("projects.amount", "300万元", "3000000")],
    ),
    ("本年度预算安排实施项目共8个已全部完成。", [("projects.count", "8个", "8")]),
    # negatives: a subset, construction projects an agency manages, counts inside indicator targets
    (
        "本局共实施项目12个，涉及资金300万元，其中3个项目已完成验收。",
        [("projects.count", "12个", "12"), ("projects.amount", "300万元", "3000000")],
    ),
    ("本局共实施项目12个，其中3个项目已完成验收。", []),  # nothing says these are budget projects
    ("其中3个项目已完成验收，资金50万元。", []),
    ("2023年雁峰区5000万元以上联网直报项目共计18个，计划总投资76.55亿元。", []),
    ("我区第一、二批省市重点项目共25个，兑现开复工项目21个，累计完成投资48.38亿元。", []),
    ("对全区68个重点项目制定了全年目标任务，项目资金到位。", []),
    ("数量指标：完成项目10个，实际完成10个。", []),
    ("数量指标\t项目个数\t≥10个\t12个，资金到位。", []),
    ("本年度资金支出涉及项目≥10个。", []),
    ("本年度对12个项目开展绩效自评，自评内容包括绩效指标完成情况。", [("projects.count", "12个", "12")]),
    ("本年度资金支出完成项目10个。", []),
    ("本年度新建项目5个，项目资金200万元。", []),
    ("我局负责建设的项目6个，资金到位率100%。", []),
    ("项目共涉及5个乡镇，资金100万元。", []),
    ("实施项目库管理，入库项目156个，预算资金3亿元。", []),
    ("基本建设项目3个，预算资金500万元。", []),
    (
        "编报绩效目标的2024年度项目39个，涉及预算金额4415.48万元；绩效跟踪评价的2024年度项目39个，涉及预算金额4415.48万元。",
        [],
    ),
    ("项目绩效自评报告精品15篇", []),
    ("本项目由基本支出和项目支出两个部分构成，预算资金100万元。", []),
    ("其中的项目3个已完成，资金到位。", []),
    ("项目共有3个阶段，资金100万元。", []),
    ("资金共涉及12个项目点。", []),
    ("本项目共涉及3个子项目，资金100万元。", []),
    ("资金用于支持5个项目建设。", []),
]


def _projects(report):
    return [(f.field, f.text, f.value) for f in report.facts if f.field.startswith("projects.")]


@pytest.mark.parametrize("text,expected", SENTENCES, ids=[s[0][:16] for s in SENTENCES])
def test_sentence(text, expected):
    assert _projects(extractor.extract_text(text)) == [(f, t, D(v)) for f, t, v in expected]


def test_evidence_is_the_sentence():
    text = "一、绩效管理\n本年度预算执行良好。对12个项目开展绩效自评，涉及资金350万元。下一年继续。"
    report = extractor.extract_text(text)
    values = find_project_values(report.text, report.quantities, report.sections)
    assert [(v.field, text[v.evidence[0] : v.evidence[1]], v.kind) for v in values] == [
        ("projects.count", "对12个项目开展绩效自评，涉及资金350万元。", "clause"),
        ("projects.amount", "对12个项目开展绩效自评，涉及资金350万元。", "clause"),
    ]


FORM = "项目情况 |\n项目个数 | 12 |\n优秀项目数 | 10 |\n良好项目数 | 2 |\n在建项目个数 | 7 |\n项目个数指标 | 9 |\n"


def test_form_cells():
    report = extractor.extract_text(FORM)
    values = find_project_values(report.text, report.quantities, report.sections)
    assert [(v.field, v.quantity.value, v.kind) for v in values] == [
        ("projects.count", D(12), "form_cell"),
        ("projects.grade_count.excellent", D(10), "form_cell"),
        ("projects.grade_count.good", D(2), "form_cell"),
    ]


# The three 决算 PDFs: every stated value, with its sentence (which names 绩效自评) as evidence.
REAL = [
    ("上海普陀区规划和自然资源局_2024_部门决算.pdf", "39", "44154800", "99.33", "39"),
    ("上海普陀区委社会工作部_2024_部门决算.pdf", "1", "1755200", "100", "1"),
    ("上海普陀区财政局_2024_部门决算.pdf", "4", "5984200", "99.43", "4"),
]


@pytest.mark.parametrize("name,count,amount,average,excellent", REAL, ids=[r[0][:14] for r in REAL])
def test_final_accounts_pdfs(name, count, amount, average, excellent):
    path = REALDOCS / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    report = extractor.extract(path)
    values = find_project_values(report.text, report.quantities, report.sections)
    assert [(v.field, v.quantity.value) for v in values] == [
        ("projects.count", D(count)),
        ("projects.amount", D(amount)),
        ("projects.average_score", D(average)),
        ("projects.grade_count.excellent", D(excellent)),
        ("projects.grade_count.good", 0),
        ("projects.grade_count.fair", 0),
        ("projects.grade_count.poor", 0),
    ]
    for v in values:
        sentence = "".join(report.text[v.evidence[0] : v.evidence[1]].split())
        assert (
            v.evidence[0] <= v.quantity.span[0] < v.quantity.span[1] <= v.evidence[1],
            "绩效自评" in sentence,
            sentence.endswith("。"),
        ) == (True, True, True)
    assert _projects(report) == [(v.field, v.quantity.text, v.quantity.value) for v in values]
    assert {c.rule: c.status for c in report.checks if c.rule.startswith("project_")} == {
        "project_grades_sum_to_count": "pass",
        "project_average_within_grades": "pass",
    }


def test_corpus_dev_projects(corpus_dev):
    counts = evaluate(corpus_dev).totals()["projects"]
    assert (counts.tp, counts.fp, counts.fn) == (3, 0, 0)


@given(st.text(alphabet="项目12个 \n\t\u3000。，", max_size=40))
def test_compact_positions_map_back(text):
    compact = _Compact(text)
    kept = [i for i, c in enumerate(text) if not c.isspace()]
    assert compact.text == "".join(text[i] for i in kept)
    positions = range(len(text) + 1)
    assert [compact.at(p) for p in positions] == [sum(1 for i in kept if i < p) for p in positions]
    assert [compact.original(i, i + 1) for i in range(len(kept))] == [(i, i + 1) for i in kept]
