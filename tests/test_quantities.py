"""find_quantities on real-looking report strings: kind, exact value, unit and span of each quantity."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, CORPUS_DEV, SHARED
from extractor import find_quantities, quantities
from extractor.normalise import normalise

D = Decimal

# (source, quantity text as found, kind, value in the normalised unit, normalised unit)
SINGLE = [
    # money, Arabic with 万/亿 multipliers, as in department reports
    ("2023年基本支出预算安排98.56万元", "98.56万元", "amount", D("985600"), "yuan"),
    ("实际支出135.79万元，", "135.79万元", "amount", D("1357900"), "yuan"),
    ("人员经费支出127.94万元", "127.94万元", "amount", D("1279400"), "yuan"),
    ("日常公用经费支出7.85万元", "7.85万元", "amount", D("78500"), "yuan"),
    ("项目全年预算安排12873.13万元", "12873.13万元", "amount", D("128731300"), "yuan"),
    ("政府性基金预算支出906.72万元。", "906.72万元", "amount", D("9067200"), "yuan"),
    ("计划总投资76.55亿元", "76.55亿元", "amount", D("7655000000"), "yuan"),
    ("累计完成固定资产投资37.26亿元", "37.26亿元", "amount", D("3726000000"), "yuan"),
    ("财政拨款全年预算数13008.93万元", "13008.93万元", "amount", D("130089300"), "yuan"),
    ("收入:792.22万元。", "792.22万元", "amount", D("7922200"), "yuan"),
    ("同比上年度增加189.25万元", "189.25万元", "amount", D("1892500"), "yuan"),
    ("公用经费支出77.4万元", "77.4万元", "amount", D("774000"), "yuan"),
    ("扫黑除恶工作经费1万元", "1万元", "amount", D("10000"), "yuan"),
    ("项目资金3.5亿元", "3.5亿元", "amount", D("350000000"), "yuan"),
    ("总额16.4亿元", "16.4亿元", "amount", D("1640000000"), "yuan"),
    ("拨付资金1,234.5万元", "1,234.5万元", "amount", D("12345000"), "yuan"),
    ("合计1,234,567.89元", "1,234,567.89元", "amount", D("1234567.89"), "yuan"),
    ("采购金额2,500元", "2,500元", "amount", D("2500"), "yuan"),
    ("结余资金0.35万元", "0.35万元", "amount", D("3500"), "yuan"),
    ("支付工程款 509774.50 万元", "509774.50 万元", "amount", D("5097745000"), "yuan"),
    ("决算数175.52 万元", "175.52 万元", "amount", D("1755200"), "yuan"),
    ("年初预算500元", "500元", "amount", D("500"), "yuan"),
    ("下达资金3千万元", "3千万元", "amount", D("30000000"), "yuan"),
    ("总投资2亿3千万元", "2亿3千万元", "amount", D("230000000"), "yuan"),
    ("投资2亿3000万元", "2亿3000万元", "amount", D("230000000"), "yuan"),
    ("补助资金5百万元", "5百万元", "amount", D("5000000"), "yuan"),
    ("安排1.2万元", "1.2万元", "amount", D("12000"), "yuan"),
    ("奖补资金15万元", "15万元", "amount", D("150000"), "yuan"),
    ("维修成本35万元", "35万元", "amount", D("350000"), "yuan"),
    ("上年结转资金0万元", "0万元", "amount", D("0"), "yuan"),
    ("项目资金2065.01万元", "2065.01万元", "amount", D("20650100"), "yuan"),  # not a date 2065-01
    ("单价5元3角2分", "5元3角2分", "amount", D("5.32"), "yuan"),
    ("每份3角5分", "3角5分", "amount", D("0.35"), "yuan"),
    # money, Chinese numerals and financial capitals
    ("项目资金一百二十万元", "一百二十万元", "amount", D("1200000"), "yuan"),
    ("大写：壹仟贰佰万元整", "壹仟贰佰万元", "amount", D("12000000"), "yuan"),
    ("人民币叁拾伍万元整", "叁拾伍万元", "amount", D("350000"), "yuan"),
    ("金额壹佰万元", "壹佰万元", "amount", D("1000000"), "yuan"),
    ("计壹万零伍佰元", "壹万零伍佰元", "amount", D("10500"), "yuan"),
    ("补助两千万元", "两千万元", "amount", D("20000000"), "yuan"),
    ("投入十五万元", "十五万元", "amount", D("150000"), "yuan"),
    ("一亿二千万元", "一亿二千万元", "amount", D("120000000"), "yuan"),
    ("三千五百元", "三千五百元", "amount", D("3500"), "yuan"),
    ("一千零五元", "一千零五元", "amount", D("1005"), "yuan"),
    ("經費壹拾萬元", "壹拾萬元", "amount", D("100000"), "yuan"),
    # money, full-width digits as typed in Word
    ("预算１２３万元", "１２３万元", "amount", D("1230000"), "yuan"),
    ("执行数９８．５６万元", "９８．５６万元", "amount", D("985600"), "yuan"),
    ("合计１，２３４．５万元", "１，２３４．５万元", "amount", D("12345000"), "yuan"),
    # money with qualifiers
    ("5000万元以上联网直报项目", "5000万元以上", "amount", D("50000000"), "yuan"),
    ("约300万元", "约300万元", "amount", D("3000000"), "yuan"),
    ("近百万元", None, None, None, None),
    ("超过50万元的项目", "超过50万元", "amount", D("500000"), "yuan"),
    ("不超过10万元", "不超过10万元", "amount", D("100000"), "yuan"),
    ("100余万元", "100余万元", "amount", D("1000000"), "yuan"),
    ("1万余元", "1万余元", "amount", D("10000"), "yuan"),
    ("200多万元", "200多万元", "amount", D("2000000"), "yuan"),
    ("50万元以下", "50万元以下", "amount", D("500000"), "yuan"),
    ("20万元左右", "20万元左右", "amount", D("200000"), "yuan"),
    # percentages
    ("完成预算安排的133.77%", "133.77%", "percent", D("133.77"), "%"),
    ("占基本支出的94.22%", "94.22%", "percent", D("94.22"), "%"),
    ("占基本支出的5.78%", "5.78%", "percent", D("5.78"), "%"),
    ("完成预算安排的100%", "100%", "percent", D("100"), "%"),
    ("同比增长97.87%", "97.87%", "percent", D("97.87"), "%"),
    ("投资完成率128.76%", "128.76%", "percent", D("128.76"), "%"),
    ("执行率102.59%", "102.59%", "percent", D("102.59"), "%"),
    ("执行率86.5%", "86.5%", "percent", D("86.5"), "%"),
    ("政府采购执行率72.74%", "72.74%", "percent", D("72.74"), "%"),
    ("满意度97.5％", "97.5％", "percent", D("97.5"), "%"),
    ("满意度达到９５％", "９５％", "percent", D("95"), "%"),
    ("增加31.39%", "31.39%", "percent", D("31.39"), "%"),
    ("增加35.9%", "35.9%", "percent", D("35.9"), "%"),
    ("合格率百分之九十", "百分之九十", "percent", D("90"), "%"),
    ("百分之九十五点", "百分之九十五", "percent", D("95"), "%"),
    ("覆盖率达百分之100", "百分之100", "percent", D("100"), "%"),
    ("年度指标值：≥90%", "≥90%", "percent", D("90"), "%"),
    ("验收通过率≥95%", "≥95%", "percent", D("95"), "%"),
    ("满意度≧85%", "≧85%", "percent", D("85"), "%"),
    ("误差≤5%", "≤5%", "percent", D("5"), "%"),
    ("偏差＜3%", "＜3%", "percent", D("3"), "%"),
    ("增长＞10%", "＞10%", "percent", D("10"), "%"),
    ("满意度不低于95%", "不低于95%", "percent", D("95"), "%"),
    ("不少于80%", "不少于80%", "percent", D("80"), "%"),
    ("不高于2%", "不高于2%", "percent", D("2"), "%"),
    ("95%以上", "95%以上", "percent", D("95"), "%"),
    ("变动率-3.5%", "-3.5%", "percent", D("-3.5"), "%"),
    ("结转结余率0%", "0%", "percent", D("0"), "%"),
    # percentage points
    ("提高3个百分点", "3个百分点", "percentage_point", D("3"), "pp"),
    ("下降1.5个百分点", "1.5个百分点", "percentage_point", D("1.5"), "pp"),
    ("提高两个百分点", "两个百分点", "percentage_point", D("2"), "pp"),
    ("高出2百分点", "2百分点", "percentage_point", D("2"), "pp"),
    # scores: 分 is a score in this genre
    ("得分10分", "10分", "score", D("10"), "分"),
    ("部门整体支出绩效得分99分", "99分", "score", D("99"), "分"),
    ("分值5分", "5分", "score", D("5"), "分"),
    ("扣0.5分", "0.5分", "score", D("0.5"), "分"),
    ("自评得分97.6分", "97.6分", "score", D("97.6"), "分"),
    ("总分65.00分", "65.00分", "score", D("65.00"), "分"),
    ("满分一百分", "一百分", "score", D("100"), "分"),
    ("得分１０分", "１０分", "score", D("10"), "分"),
    # counts with measure words
    ("在职人员9人", "9人", "count", D("9"), "人"),
    ("共计791套安置工作", "791套", "count", D("791"), "套"),
    ("发布重点项目建设日动态160期", "160期", "count", D("160"), "期"),
    ("召开讲评会2次", "2次", "count", D("2"), "次"),
    ("联网直报项目共计18个", "18个", "count", D("18"), "个"),
    ("对全区68个重点项目", "68个", "count", D("68"), "个"),
    ("保障人数2370人", "2370人", "count", D("2370"), "人"),
    ("改造3061户", "3061户", "count", D("3061"), "户"),
    ("培训1200人次", "1200人次", "count", D("1200"), "人次"),
    ("播发稿件2859篇", "2859篇", "count", D("2859"), "篇"),
    ("制作宣传品20份", "20份", "count", D("20"), "份"),
    ("新建省级中心村10个", "10个", "count", D("10"), "个"),
    ("采购原原种550万粒", "550万粒", "count", D("5500000"), "粒"),
    ("受益群众1.2万人", "1.2万人", "count", D("12000"), "人"),
    ("开展活动43次", "43次", "count", D("43"), "次"),
    ("整治美丽宜居自然村庄202个", "202个", "count", D("202"), "个"),
    ("覆盖12所学校", "12所", "count", D("12"), "所"),
    ("购置车辆3辆", "3辆", "count", D("3"), "辆"),
    ("种植苗木500株", "500株", "count", D("500"), "株"),
    ("建成5座", "5座", "count", D("5"), "座"),
    ("出台文件6项", "6项", "count", D("6"), "项"),
    ("企业35家", "35家", "count", D("35"), "家"),
    ("两个部分", "两个", "count", D("2"), "个"),
    ("三大职能五项工作", "五项", "count", D("5"), "项"),
    # areas, lengths, masses, volumes
    ("完成拆迁约13000㎡", "约13000㎡", "area", D("13000"), "m2"),
    ("建设面积1200平方米", "1200平方米", "area", D("1200"), "m2"),
    ("改造800平米", "800平米", "area", D("800"), "m2"),
    ("绿化面积300m2", "300m2", "area", D("300"), "m2"),
    ("治理面积2.5平方公里", "2.5平方公里", "area", D("2500000"), "m2"),
    ("造林3公顷", "3公顷", "area", D("30000"), "m2"),
    ("建成原种基地400亩", "400亩", "area", D("400"), "mu"),
    ("繁育田8535.5亩", "8535.5亩", "area", D("8535.5"), "mu"),
    ("13000余㎡", "13000余㎡", "area", D("13000"), "m2"),
    ("修建道路3.2公里", "3.2公里", "length", D("3200"), "m"),
    ("防洪堤1500米", "1500米", "length", D("1500"), "m"),
    ("管网12km", "12km", "length", D("12000"), "m"),
    ("平均亩产2500公斤", "2500公斤", "mass", D("2500"), "kg"),
    ("减少农药使用3吨", "3吨", "mass", D("3000"), "kg"),
    ("储备粮食500千克", "500千克", "mass", D("500"), "kg"),
    ("清淤2000立方米", "2000立方米", "volume", D("2000"), "m3"),
    # durations
    ("30天内完成", "30天", "duration", D("30"), "day"),
    ("工期3个月", "3个月", "duration", D("3"), "month"),
    ("近三年", "近三年", "duration", D("3"), "year"),
    ("5个工作日内办结", "5个工作日", "duration", D("5"), "day"),
    ("培训8小时", "8小时", "duration", D("8"), "hour"),
    ("响应时间10分钟", "10分钟", "duration", D("10"), "minute"),
    # bare numbers: kept, unlabelled, with no unit
    ("年度指标值：18，实际完成值：完成", "18", "number", D("18"), None),
    ("5000万以上联网直报项目", "5000万以上", "number", D("50000000"), None),
    ("年初预算数 | 329.77 | 全年预算数", "329.77", "number", D("329.77"), None),
    ("5项目", "5", "number", D("5"), None),
    ("3部门", "3", "number", D("3"), None),
]

SINGLE_FOUND = [row for row in SINGLE if row[1] is not None]


@pytest.mark.parametrize("source,text,kind,value,unit", SINGLE_FOUND, ids=[r[0] for r in SINGLE_FOUND])
def test_quantity_read_exactly(source, text, kind, value, unit):
    found = [q for q in find_quantities(source) if q.text == text]
    assert len(found) == 1, [q.text for q in find_quantities(source)]
    q = found[0]
    assert (q.kind, q.value, q.unit) == (kind, value, unit)
    assert source[q.span[0] : q.span[1]] == text


# Strings holding no quantity at all: dates, years, document numbers, enumeration marks, ordinals, codes.
NONE = [
    "2023年度部门整体支出绩效自评报告",
    "2023年12月31日止",
    "填报日期:2021年3月10日",
    "2022年11月30日前完成资金支付",
    "2024 年度",
    "二〇二三年",
    "【发布时间:2022-04-15 14:54】",
    "湘财预〔2018〕34号",
    "财办[2020]5号文件",
    "联系电话0734-8223456",
    "手机13800138000",
    "统一社会信用代码91430400MA4L1234X5",
    "1、部门基本情况",
    "（1）基本支出",
    "(2)项目支出",
    "1.建设徽风皖韵美丽乡村;2.整治美丽宜居自然村庄",
    "指标1:开展精品示范村建设数量",
    "第一、二批省市重点项目",
    "第3季度",
    "一次性项目",
    "一是进一步提高预算执行率",
    "9月前",
    "11月底完成",
    "取得2018-2022监测资料",
    "2021-2024省级职业技能竞赛",
    "十四五规划",
    "三公经费",
    "近百万元",
    "2023我区第一",
]


@pytest.mark.parametrize("source", NONE)
def test_not_a_quantity(source):
    assert [q.text for q in find_quantities(source)] == []


# Ranges: one quantity with low and high.
RANGES = [
    ("50-100万元", "amount", D("500000"), D("1000000"), "yuan"),
    ("50至100万元", "amount", D("500000"), D("1000000"), "yuan"),
    ("50万-100万元", "amount", D("500000"), D("1000000"), "yuan"),
    ("0-10%", "percent", D("0"), D("10"), "%"),
    ("3~5年", "duration", D("3"), D("5"), "year"),
    ("20到30人", "count", D("20"), D("30"), "人"),
]


@pytest.mark.parametrize("source,kind,low,high,unit", RANGES)
def test_range(source, kind, low, high, unit):
    [q] = find_quantities(source)
    assert (q.kind, q.value, q.low, q.high, q.unit, q.text) == (kind, None, low, high, unit, source)


QUALIFIERS = [
    ("约13000㎡", True, None),
    ("5000万元以上", False, "ge"),
    ("≥90%", False, "ge"),
    ("不低于95%", False, "ge"),
    ("≤5%", False, "le"),
    ("超过50万元", False, "gt"),
    ("低于3%", False, "lt"),
    ("100余万元", True, "gt"),
    ("20万元左右", True, None),
    ("50万元以下", False, "le"),
    ("98.56万元", False, None),
]


@pytest.mark.parametrize("source,approx,comparison", QUALIFIERS)
def test_qualifiers(source, approx, comparison):
    [q] = find_quantities(source)
    assert (q.approx, q.comparison) == (approx, comparison)


UNIT_TEXT = [
    ("98.56万元", "万元", "text"),
    ("76.55亿元", "亿元", "text"),
    ("509774.50 万元", "万元", "text"),
    ("3千万元", "千万元", "text"),
    ("133.77%", "%", "text"),
    ("10分", "分", "text"),
    ("18", None, None),
]


@pytest.mark.parametrize("source,unit_text,unit_from", UNIT_TEXT)
def test_unit_as_written(source, unit_text, unit_from):
    [q] = find_quantities(source)
    assert (q.unit_text, q.unit_from) == (unit_text, unit_from)


# Several quantities in one clause, in order.
SEQUENCES = [
    ("(一)预算执行率(分值10分，得9分，扣1分)", [("score", D("10")), ("score", D("9")), ("score", D("1"))]),
    (
        "2023年基本支出预算安排98.56万元，实际支出135.79万元，完成预算安排的133.77%。",
        [("amount", D("985600")), ("amount", D("1357900")), ("percent", D("133.77"))],
    ),
    (
        "2、省重点工程建设项目，年度指标值：投资率≥90%，实际完成值：128.76%，分值10分，得分10分。",
        [("percent", D("90")), ("percent", D("128.76")), ("score", D("10")), ("score", D("10"))],
    ),
    ("2023年12月31日止我办在职人员9人。", [("count", D("9"))]),
    (
        "1、收入:792.22万元。同比上年度增加189.25万元,增加31.39%。",
        [("amount", D("7922200")), ("amount", D("1892500")), ("percent", D("31.39"))],
    ),
    (
        "指标1:开展精品示范村建设数量 | ≤4 | 4 | 10 | 10",
        [("number", D("4")), ("number", D("4")), ("number", D("10")), ("number", D("10"))],
    ),
    # a range does not run across a line break: a table's last score, then a page number
    ("得分 2.40\n- 12 -", [("number", D("2.40")), ("number", D("12"))]),
]


@pytest.mark.parametrize("source,expected", SEQUENCES)
def test_sequence(source, expected):
    assert [(q.kind, q.value) for q in find_quantities(source)] == expected


def test_ids_follow_document_order():
    qs = find_quantities("预算98.56万元，执行率100%，得分10分")
    assert [q.id for q in qs] == ["q1", "q2", "q3"]
    assert [q.span[0] for q in qs] == sorted(q.span[0] for q in qs)


# Pieces of report text: numerals, units, qualifiers, signs, separators, exclusions and plain prose.
PIECES = [
    *"0123456789.,-~%一二三四五六七八九十百千万亿零两拾约近余多以上 ，、。:（）()第年月日号个人分元",
    "百分之",
    "不低于",
    "万元",
    "平方米",
    "≥",
    "2023年",
    "〔2023〕5号",
    "项目",
    "执行率",
    "\n",
    "指标",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_only_positions_near_a_numeral_are_tried_and_nothing_is_lost(text):
    """find_quantities tries the grammar only near numerals: the same matches as trying it everywhere."""
    grammar = quantities._grammar()
    masked = quantities._mask_exclusions(normalise(text).text, grammar)
    expected = [m.span() for m in grammar.quantity.finditer(masked)]
    assert [m.span() for m in quantities._matches(masked, grammar)] == expected


def test_corpus_quantities_found_near_numerals_only_as_everywhere():
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(CORPUS_DEV.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "realdocs").glob("*.md"))]
    grammar = quantities._grammar()
    for text in texts:
        masked = quantities._mask_exclusions(normalise(text).text, grammar)
        expected = [m.span() for m in grammar.quantity.finditer(masked)]
        assert expected and [m.span() for m in quantities._matches(masked, grammar)] == expected
