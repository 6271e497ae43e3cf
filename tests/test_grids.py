"""Headers wrapped over two lines (FORMS.md rendering 6) made whole in place: the header's two lines become one
line of whole words, padded to the same length, and every offset after it is unchanged."""

import pytest

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
