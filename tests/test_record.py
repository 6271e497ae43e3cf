"""The report record: the seed's facts, indicators and meta from both renditions; the published schema;
exact JSON numbers."""

import hashlib
import json
import subprocess
import sys
from decimal import Decimal

import jsonschema
import pytest

import extractor
from conftest import CORPUS, ROOT, corpus_dev_texts
from extractor import jsonio
from extractor.record import SCHEMA_VERSION, json_schema

D = Decimal
RENDITIONS = ["seed.txt", "seed.docx"]
SCHEMA_FILE = ROOT / "schema" / "report.schema.json"


@pytest.fixture(scope="module", params=RENDITIONS)
def seed(request):
    return extractor.extract(CORPUS / request.param)


def test_committed_schema_matches_the_models():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), "schema drifted: run `extractor schema > schema/report.schema.json`"


# The models' fingerprint at each SCHEMA_VERSION: a change to the models must bump the version and add a line.
SCHEMA_FINGERPRINTS = {
    "0.2.0": "e9216f1eb2d20f2a",
    "0.3.0": "f6b5f4879e16a2a5",  # facts carry evidence; tables read as forms; warnings
}


def _fingerprint(schema: dict) -> str:
    body = {k: v for k, v in schema.items() if k != "$id"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def test_schema_version_is_bumped_with_every_schema_change():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed["$id"].endswith(f"/report-{SCHEMA_VERSION}.schema.json")
    assert _fingerprint(json_schema()) == SCHEMA_FINGERPRINTS.get(SCHEMA_VERSION), (
        f"the models changed: bump SCHEMA_VERSION (now {SCHEMA_VERSION}) and add its fingerprint "
        f"{_fingerprint(json_schema())} to SCHEMA_FINGERPRINTS"
    )


def test_every_record_names_its_versions():
    record = json.loads(extractor.extract_text("预算98.56万元").to_json())
    assert (record["schema_version"], record["extractor_version"]) == (SCHEMA_VERSION, extractor.__version__)


RECORD_FILES = sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.docx")) + corpus_dev_texts()


@pytest.mark.parametrize("path", RECORD_FILES, ids=[p.name for p in RECORD_FILES])
def test_every_record_validates_against_the_published_schema(path):
    record = json.loads(extractor.extract(path).to_json())
    jsonschema.validate(record, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


SEED_FACTS = {
    "staff.actual": D("9"),
    "budget.basic.planned": D("985600"),
    "budget.basic.actual": D("1357900"),
    "budget.basic.execution_rate": D("133.77"),
    "budget.basic.personnel": D("1279400"),
    "budget.basic.personnel_share": D("94.22"),
    "budget.basic.public": D("78500"),
    "budget.basic.public_share": D("5.78"),
    "budget.project.planned": D("128731300"),
    "budget.project.actual": D("128731300"),
    "budget.project.execution_rate": D("100"),
    "budget.government_fund.actual": D("9067200"),
    "budget.total.planned": D("130089300"),
    "budget.total.actual": D("130089300"),
    "budget.total.execution_rate": D("100"),
    "evaluation.total_score": D("99"),
}


def test_seed_facts(seed):
    assert {f.field: f.value for f in seed.facts} == SEED_FACTS
    assert len(seed.facts) == len(SEED_FACTS)
    for fact in seed.facts:
        assert seed.text[fact.span[0] : fact.span[1]] == fact.text


def test_seed_meta(seed):
    meta = seed.report
    assert (meta.fiscal_year.value, meta.department.value, meta.kind.value, meta.region.value) == (
        2023,
        "雁峰区重点建设项目事务中心",
        "department_overall",
        "雁峰区",
    )
    assert meta.title.value == "2023年度部门整体支出绩效自评报告"
    assert seed.text[meta.department.span[0] : meta.department.span[1]] == meta.department.value
    assert (seed.evaluation.total_score.value, seed.evaluation.total_score.text) == (99, "99分")
    assert seed.evaluation.grade is None


SEED_CATEGORIES = [
    ("预算执行率", 10, 9, 1),
    ("产出指标", 50, 50, 0),
    ("效益指标", 30, 30, 0),
    ("满意度指标", 10, 10, 0),
]
SEED_INDICATORS = [
    ("1", "5000万以上联网直报项目", "产出指标", "18", "完成", 10, 10),
    ("2", "省重点工程建设项目", "产出指标", "投资率≥90%", "128.76%", 10, 10),
    ("3", "拆迁安置工作", "产出指标", "按计划完成", "完成", 10, 10),
    ("4", "资金使用合规性", "产出指标", "合规", "合规", 5, 5),
    ("1", "完善工作机制", "效益指标", "出台相关政策", "按规定完成", 10, 10),
    ("2", "落实挂图作战", "效益指标", "按规定完成", "按规定完成", 5, 5),
    ("4", "优化营商环境", "效益指标", "办好事、办实事", "按规定完成", 5, 5),
    ("5", "预决算信息公开", "效益指标", "按要求公开", "已按照规定内容在规定时限内公开预决算信息", 5, 5),
    (None, "项目业主、企业满意度", "满意度指标", "≥90%", "90%", 10, 10),
]


def test_seed_indicator_system(seed):
    ev = seed.evaluation
    assert [(c.name, c.weight, c.score, c.deduction) for c in ev.categories] == SEED_CATEGORIES
    assert [
        (i.number, i.name, i.category, i.target.text, i.actual.text, i.weight, i.score) for i in ev.indicators
    ] == SEED_INDICATORS


def test_indicator_values_point_at_their_quantities(seed):
    by_id = {q.id: q for q in seed.quantities}
    [investment] = [i for i in seed.evaluation.indicators if i.name == "省重点工程建设项目"]
    target = by_id[investment.target.quantity]
    assert (target.value, target.comparison, target.kind) == (90, "ge", "percent")
    assert by_id[investment.actual.quantity].value == D("128.76")


def test_seed_docx_indicators_come_from_table_cells():
    report = extractor.extract(CORPUS / "seed.docx")
    cells = [(i.cell.row, i.cell.col) for i in report.evaluation.indicators]
    assert cells == [(1, 1), (2, 1), (3, 1), (4, 1), (1, 1), (2, 1), (3, 1), (4, 1), (1, 1)]


def test_seed_problems_and_measures(seed):
    assert [p.text for p in seed.problems] == [
        "年初部门预算前瞻性有待进一步加强。",
        "年初部门预算编制不够精准，年中调整了部分预算。",
        "项目经费也应提前做好年度预算。",
    ]
    assert [m.text.split("。")[0] for m in seed.measures] == ["一是进一步提高预算执行率", "二是进一步加强预算绩效管理"]


def test_seed_section_tree_is_the_same_in_both_renditions():
    txt, docx = (extractor.extract(CORPUS / name) for name in RENDITIONS)
    shape = [(s.style, s.number, s.title, s.level) for s in txt.sections]
    assert shape == [(s.style, s.number, s.title, s.level) for s in docx.sections]
    top = [s.number for s in txt.sections if s.level == 1]
    assert top == ["一", "二", "三", "四", "五", "七", "八"]


def test_quantities_know_their_section_and_block(seed):
    [q] = [q for q in seed.quantities if q.text == "98.56万元"]
    section = next(s for s in seed.sections if s.id == q.section)
    assert (section.title, q.label, q.field) == ("基本支出情况", "基本支出预算安排", "budget.basic.planned")
    assert q.block is not None


SEGMENTED = [
    # run-together OCR text: the cover label is garbled, the name follows a place name
    ("实施第位自评得分98财政审1度评分银川市第六中学项Fl资金(万兀)年度资金总额", "银川市第六中学"),
    ("欢迎来到南县政协网站!\n县政协坚持按照县委的部署", "南县政协"),
    # the supervising department after 主管部门 is not the reporting body
    ("项目名称初中公用经费主管部门银川市教育局实施第位评分银川市第六中学", "银川市第六中学"),
    ("本年度各项工作按计划完成。", None),
]


@pytest.mark.parametrize("text,department", SEGMENTED)
def test_department_from_a_place_name_and_an_organisation_suffix(text, department):
    from extractor.meta import find_department

    found = find_department(text, None)
    assert (found.value if found else None) == department
    if found:
        assert text[found.span[0] : found.span[1]] == department


EXACT = [
    ("基本支出预算安排1234567890123456.78元", "1234567890123456.78", D("1234567890123456.78")),
    ("预算98.56万元", "985600.00", D("985600.00")),
    ("执行率0.1%", "0.1", D("0.1")),
    ("面积0.30平方米", "0.30", D("0.30")),
]


@pytest.mark.parametrize("text,literal,value", EXACT)
def test_record_json_writes_the_decimal_literal_and_reads_it_back(text, literal, value):
    report = extractor.extract_text(text)
    written = report.to_json()
    assert f'"value":{literal},' in written
    [q] = extractor.Report.from_json(written).quantities
    assert (q.value, str(q.value)) == (value, literal)
    assert extractor.Report.from_json(report.to_json(pretty=True)) == report


@pytest.mark.parametrize(
    "values,literal",
    [(["0.1", "0.2"], "0.3"), (["0.7", "0.1", "0.2"], "1.0"), (["1234567890123456.78", "0.01"], "1234567890123456.79")],
)
def test_sums_are_written_exactly(values, literal):
    total = sum(map(D, values), D(0))
    assert jsonio.dumps({"sum": total}) == f'{{"sum":{literal}}}'
    assert jsonio.loads(jsonio.dumps({"sum": total}))["sum"] == total


def test_extract_cli_writes_exact_numbers():
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "extract", "-"],
        input="预算1234567890123456.78元",
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"value":1234567890123456.78,' in result.stdout
    assert jsonio.loads(result.stdout)["quantities"][0]["value"] == D("1234567890123456.78")


def test_non_finite_decimal_is_refused():
    with pytest.raises(TypeError, match="not JSON serializable: decimal.Decimal"):
        jsonio.dumps({"v": D("NaN")})
