"""Documents as they come: real files from realdocs/, HTML and Markdown tables, Word numbering, hostile files."""

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

import extractor
from conftest import CORPUS, SHARED
from extractor.errors import ConverterMissing, CorruptDocument, EmptyDocument, ExtractorError, LimitExceeded, NeedsOCR
from extractor.load import load_bytes
from extractor.load.office import soffice
from extractor.structure import find_sections

REALDOCS = SHARED / "realdocs"

# file, pages, tables, (table number, row, col, text) of one cell
REAL_FILES = [
    ("上海普陀区委社会工作部_2024_部门决算.pdf", 24, 10, (1, 2, 1, "307.82")),
    ("上海普陀区规划和自然资源局_2024_部门决算.pdf", 30, 10, (0, 1, 1, "上海市普陀区规划和自然资源局（本级）")),
    ("上海普陀区财政局_2024_部门决算.pdf", 25, 10, (0, 1, 1, "上海市普陀区财政局（本级）")),
    ("河南省人社厅_2021-2024省级职业技能竞赛经费_项目绩效评价报告.md", 0, 108, (1, 1, 0, "省财政厅")),
    ("adjacent/上海普陀区万里街道办事处_2023_部门预算_含项目绩效目标填报表.pdf", 35, 14, (1, 1, 4, "合计")),
]


def _load(path: Path):
    return load_bytes(path.read_bytes(), str(path))


@pytest.mark.parametrize("name,pages,tables,cell", REAL_FILES, ids=[f[0][:20] for f in REAL_FILES])
def test_real_file_loads_with_pages_tables_and_cells(name, pages, tables, cell):
    path = REALDOCS / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    document = _load(path)
    found = [b for b in document.blocks if b.kind == "table"]
    assert (max(b.page or 0 for b in document.blocks), len(found)) == (pages, tables)
    table, row, col, text = cell
    assert [c.text for c in found[table].cells if (c.row, c.col) == (row, col)] == [text]
    for block in found:
        for c in block.cells:
            assert document.text[c.span[0] : c.span[1]] == c.text


def test_pdf_quantities_know_their_page_block_and_cell():
    path = REALDOCS / "上海普陀区委社会工作部_2024_部门决算.pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    report = extractor.extract(path)
    [q] = [q for q in report.quantities if q.cell and q.cell.row == 2 and q.cell.col == 1 and q.text == "307.82"][:1]
    assert (q.page, q.block is not None) == (5, True)
    assert all(q.page is not None and 1 <= q.page <= 24 for q in report.quantities)


def test_pdf_merged_header_cells():
    path = REALDOCS / "上海普陀区委社会工作部_2024_部门决算.pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    merged = {
        (c.text, c.rowspan, c.colspan)
        for b in _load(path).blocks
        if b.kind == "table"
        for c in b.cells
        if c.rowspan > 1 or c.colspan > 1
    }
    assert {("收入", 1, 2), ("支出", 1, 2), ("本年收入合计", 2, 1)} <= merged


def test_pdf_numbers_on_a_shifted_baseline_stay_in_their_sentence():
    path = REALDOCS / "上海普陀区财政局_2024_部门决算.pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    text = _load(path).text
    assert (
        "的2024年度项目4个，涉及预算金额598.42万元，平均得分99.43分（其中，绩效评级为" in text,
        "上海市普陀区财政局2024年度无政府性基金预算财政拨款收入和支出。" in text,
    ) == (True, True)


def test_markdown_report_meta():
    path = REALDOCS / "河南省人社厅_2021-2024省级职业技能竞赛经费_项目绩效评价报告.md"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    report = extractor.extract(path)
    assert (report.evaluation.total_score.value, report.evaluation.grade.value) == (65, "中")
    assert (report.report.kind.value, report.report.department.value) == ("project", "河南省人力资源和社会保障厅")
    spans = {(c.text, c.rowspan) for b in _load(path).blocks if b.kind == "table" for c in b.cells}
    assert ("省级职业技能竞赛经费", 15) in spans


PAGE = """<html><head><script>var x = "预算100万元";</script><style>p{color:red}</style></head><body>
<div class="nav">首页 &gt; 通知公告 &gt; 预算执行率99%</div>
<div id="content"><h2>一、基本情况</h2><p>2023年基本支出预算安排98.56万元。</p>
<table><tr><th>一级指标</th><th>三级指标</th><th>分值</th><th>得分</th></tr>
<tr><td rowspan="2">产出指标</td><td>完成率</td><td>10</td><td>9</td></tr>
<tr><td colspan="2">及时率</td><td>10</td></tr></table></div>
<div class="footer">版权所有 联系电话0734-8223456</div></body></html>"""


def test_html_page_keeps_report_and_drops_furniture():
    document = load_bytes(PAGE.encode("utf-8"), "page.html")
    assert "首页" not in document.text and "版权所有" not in document.text and "var x" not in document.text
    [table] = [b for b in document.blocks if b.kind == "table"]
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == [
        (0, 0, 1, 1, "一级指标"),
        (0, 1, 1, 1, "三级指标"),
        (0, 2, 1, 1, "分值"),
        (0, 3, 1, 1, "得分"),
        (1, 0, 2, 1, "产出指标"),
        (1, 1, 1, 1, "完成率"),
        (1, 2, 1, 1, "10"),
        (1, 3, 1, 1, "9"),
        (2, 1, 1, 2, "及时率"),
        (2, 3, 1, 1, "10"),
    ]
    assert [b.kind for b in document.blocks] == ["heading", "paragraph", "table"]


def test_html_report_record(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="gb18030")
    report = extractor.extract(path)
    assert [(q.text, q.field) for q in report.quantities if q.kind == "amount"] == [
        ("98.56万元", "budget.basic.planned")
    ]
    assert [(i.name, i.category, i.weight, i.score) for i in report.evaluation.indicators] == [
        ("完成率", "产出指标", 10, 9),
        ("及时率", "产出指标", None, 10),
    ]


def test_markdown_tables_and_headings():
    text = (
        "# 项目绩效评价报告\n\n正文98.56万元。\n\n<table><tr><td>分值</td><td>15.00</td></tr></table>\n\n## 二、结论\n"
    )
    document = load_bytes(text.encode("utf-8"), "r.md")
    assert [(b.kind, document.text[b.span[0] : b.span[1]]) for b in document.blocks] == [
        ("heading", "项目绩效评价报告"),
        ("paragraph", "正文98.56万元。"),
        ("table", "分值\t15.00"),
        ("heading", "二、结论"),
    ]


def _numbered_docx(path: Path) -> None:
    """A .docx whose headings are numbered by Word (numbering.xml), not typed: 一、 then （一）."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in [(0, "基本情况"), (1, "部门职能"), (1, "人员情况"), (0, "绩效情况"), (1, "预算执行率")]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    document.save(path)


def test_word_numbering_is_rendered_and_makes_sections(tmp_path):
    path = tmp_path / "numbered.docx"
    _numbered_docx(path)
    document = _load(path)
    lines = [document.text[b.span[0] : b.span[1]] for b in document.blocks]
    assert lines == ["一、基本情况", "（一）部门职能", "（二）人员情况", "二、绩效情况", "（一）预算执行率"]
    sections = find_sections(document, lambda line: False)
    assert [(s.number, s.title, s.level) for s in sections] == [
        ("一", "基本情况", 1),
        ("一", "部门职能", 2),
        ("二", "人员情况", 2),
        ("二", "绩效情况", 1),
        ("一", "预算执行率", 2),
    ]


def _encrypted(tmp_path):
    path = tmp_path / "secret.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le"))
    return path


def _huge(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 2**20)
    return path


def _zip_bomb(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\x20" * 2**20
            for _ in range(210):
                f.write(chunk)
    return path


def _entity_expansion(tmp_path):
    levels = ['<!ENTITY a0 "ha">'] + [f'<!ENTITY a{i} "{"&a%d;" % (i - 1) * 10}">' for i in range(1, 10)]
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(levels)}]>'
        f"<w:document {nsdecls('w')}><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>预算98.56万元</w:t></w:r></w:p></w:body></w:document>"
    )
    source = zipfile.ZipFile(CORPUS / "seed.docx")
    path = tmp_path / "laughs.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            z.writestr(item, xml if item.filename == "word/document.xml" else source.read(item.filename))
    return path


BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _scanned_pdf(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(BLANK_PDF)
    return path


HOSTILE = [
    ("encrypted docx", _encrypted, CorruptDocument, "password-protected"),
    ("50 MB file", _huge, LimitExceeded, r"too large: file size in bytes 52,428,800, the limit is 41,943,040"),
    (
        "zip bomb",
        _zip_bomb,
        LimitExceeded,
        r"bytes its parts inflate to \(zip bomb\?\) 220,200,968, the limit is 67,108,864",
    ),
    ("xml entity expansion", _entity_expansion, CorruptDocument, "expands entities"),
]


@pytest.mark.parametrize("make,error,cause", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_refused_quickly(tmp_path, make, error, cause):
    path = make(tmp_path)
    started = time.monotonic()
    with pytest.raises(error, match=cause):
        extractor.extract(path)
    assert time.monotonic() - started < 20


def test_legacy_doc_without_libreoffice_says_how_to_enable(tmp_path, monkeypatch):
    monkeypatch.setattr("extractor.load.office.soffice", lambda: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ConverterMissing, match="libreoffice-writer-nogui"):
        extractor.extract(path)


@pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui to test .doc conversion",
)
def test_legacy_doc_converts_like_the_docx(tmp_path):
    import subprocess

    subprocess.run(
        [
            soffice(),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(CORPUS / "seed.docx"),
        ],
        check=True,
        capture_output=True,
    )
    legacy, modern = extractor.extract(tmp_path / "seed.doc"), extractor.extract(CORPUS / "seed.docx")
    assert [(q.kind, q.value) for q in legacy.quantities] == [(q.kind, q.value) for q in modern.quantities]


def test_empty_docx_says_so(tmp_path):
    path = tmp_path / "blank.docx"
    docx.Document().save(path)
    with pytest.raises(EmptyDocument, match="no text"):
        extractor.extract(path)


def test_bytes_in_memory_are_not_a_path():
    with pytest.raises(ExtractorError, match="no such file"):
        extractor.extract(io.StringIO("x").getvalue() + "-missing.txt")


def test_pdf_without_text_layer_goes_to_ocr(tmp_path):
    from extractor.load import scan

    expected = (EmptyDocument, "no text found by OCR") if scan.available() else (NeedsOCR, "pip install")
    with pytest.raises(expected[0], match=expected[1]):
        extractor.extract(_scanned_pdf(tmp_path))


FLATTENED = """绩效指标 |
一级指标 | 二级指标 | 三级指标 | 年度 指标值 |
实际 完成值 |
分值 | 得分 | 偏差原因 | |||||
产出指标 | 数量指标 | 指标1:新建中心村数量 | ≥10 | 10 | 10 | 10 | |||||||
指标2:改造户数 | ≥2000 | 3061 | 10 | 9 | 进度滞后 ||||
质量指标 | 指标1:验收通过率 | ≥95% | 100% | 5 | 5 | ||||"""


def test_flattened_pipe_table_is_a_table_and_its_rows_line_up():
    document = load_bytes(FLATTENED.encode("utf-8"), "flat.txt")
    [table] = document.blocks
    assert (table.kind, table.flattened) == ("table", True)
    assert [c.text for c in table.cells if c.row == 5] == ["指标2:改造户数", "≥2000", "3061", "10", "9", "进度滞后"]
    report = extractor.extract_text(FLATTENED)
    assert [
        (i.category, i.subcategory, i.name, i.target.text, i.actual.text, i.weight, i.score, i.deviation_reason)
        for i in report.evaluation.indicators
    ] == [
        ("产出指标", "数量指标", "指标1:新建中心村数量", "≥10", "10", 10, 10, None),
        ("产出指标", "数量指标", "指标2:改造户数", "≥2000", "3061", 10, 9, "进度滞后"),
        ("产出指标", "质量指标", "指标1:验收通过率", "≥95%", "100%", 5, 5, None),
    ]
