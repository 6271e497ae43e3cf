"""Indicator tables that are real tables (HTML here) split the way converted PDFs split them: a table continued
on the next page repeats its header and leaves the group cells empty, a name wraps onto a row of its own, and a
summary table without group columns follows."""

from decimal import Decimal

import extractor

D = Decimal
HEADER = "<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>分值</td><td>评分标准</td><td>得分</td></tr>"
PAGES = (
    "<html><body><p>2023年度项目支出绩效评价报告</p>"
    "<table>" + HEADER + '<tr><td rowspan="2">决策</td><td rowspan="2">项目立项</td>'
    "<td>立项依据充分性</td><td>2</td><td>依据充分</td><td>2.00</td></tr>"
    "<tr><td>绩效指标明确</td><td>3</td><td>目标细化</td><td>2.40</td></tr></table>"
    "<p>- 12 -</p>"
    "<table>" + HEADER + "<tr><td></td><td></td><td>性</td><td></td><td>量化</td><td></td></tr>"
    "<tr><td></td><td>资金投入</td><td>预算编制科学性</td><td>3</td><td>论证充分</td><td>3.00</td></tr>"
    "<tr><td>过程</td><td>资金管理</td><td>预算执行率</td><td>5</td><td>按执行率计分</td><td>3.34</td></tr>"
    "<tr><td>合计</td><td></td><td>合计</td><td>13</td><td></td><td>10.74</td></tr></table>"
    "<table><tr><td>指标名称</td><td>权重</td><td>指标得分</td></tr>"
    "<tr><td>项目立项</td><td>5.00</td><td>4.40</td></tr></table>"
    "</body></html>"
)


def test_tables_split_over_pages(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(PAGES, encoding="utf-8")
    report = extractor.extract(path)
    got = [(i.name, i.category, i.subcategory, i.weight, i.score) for i in report.evaluation.indicators]
    assert got == [
        ("立项依据充分性", "决策", "项目立项", D(2), D("2.00")),
        ("绩效指标明确", "决策", "项目立项", D(3), D("2.40")),
        ("预算编制科学性", "决策", "资金投入", D(3), D("3.00")),
        ("预算执行率", "过程", "资金管理", D(5), D("3.34")),
        ("项目立项", None, None, D("5.00"), D("4.40")),
    ]
