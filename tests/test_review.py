"""Review pages: self-contained, escaped, and working in a real browser (Debian's chromium via Playwright)."""

import shutil
import subprocess
import sys
from decimal import Decimal

import docx
import lxml.html
import pytest
from markupsafe import escape

import extractor
from conftest import CORPUS
from extractor.batch import BatchSettings, run_batch
from extractor.pipeline import extract_document
from extractor.review import _EscapedText, render_index, render_page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("review") / "seed.html"
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "review", str(CORPUS / "seed.docx"), "-o", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return path


def test_page_is_self_contained_and_escapes_report_text(tmp_path):
    path = tmp_path / "evil.txt"
    path.write_text("一、情况\n预算98.56万元<script>alert('x')</script>，执行率为100%。</script>", encoding="utf-8")
    page = render_page(*extract_document(path))
    tree = lxml.html.fromstring(page)
    assert len(tree.findall(".//script")) == 2  # the evidence data and the page's own code, nothing else
    assert "alert('x')</script>" not in page and "&lt;script&gt;alert" in page
    assert not tree.xpath("//*[@src]") and not tree.xpath("//link")  # no network: nothing to fetch
    assert [m.text for m in tree.findall(".//mark")] == ["98.56万元", "100%"]


def test_table_cells_escape_report_text(tmp_path):
    """Cells are pieces of the text escaped once: markup, entities and quotes in them stay text."""
    document = docx.Document()
    document.add_paragraph("一、<预算>执行情况")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标<b>", "目标值&amp;", "实际值'"], ["完成率<i>", "≥90%", '"95%"</td>']]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "evil.docx"
    document.save(path)
    tree = lxml.html.fromstring(render_page(*extract_document(path)))
    cells = [td.text_content() for td in tree.findall(".//table[@class='block']//td")]
    assert cells == ["指标<b>", "目标值&amp;", "实际值'", "完成率<i>", "≥90%", '"95%"</td>']
    assert tree.find(".//h2").text_content() == "一、<预算>执行情况"
    assert [m.text for m in tree.findall(".//mark")] == ["≥90%", "95%"]
    assert not tree.xpath("//article//b | //article//i | //article//td//td")


def test_escape_changes_five_characters_each_on_its_own():
    """_EscapedText slices one escape of the whole text, which holds while escape maps each character alone and
    changes only & < > " '; a markupsafe that escaped more would fail here, not in a page."""
    every = "".join(map(chr, range(0x110000)))
    each = [str(escape(c)) for c in every]
    assert {c for c, escaped in zip(every, each) if escaped != c} == set("&<>\"'")
    assert str(escape(every)) == "".join(each)


@pytest.mark.parametrize(
    "text",
    ["预算98.56万元，执行率100%", "<b>&amp;'\"</b>", "a<b", "&&&", "'开头", '结尾"', ""],
)
def test_escaped_text_pieces_are_escaped_slices(text):
    escaped = _EscapedText(text)
    pieces = {(a, b): escaped.piece(a, b) for a in range(len(text) + 1) for b in range(a, len(text) + 1)}
    assert pieces == {(a, b): str(escape(text[a:b])) for a, b in pieces}


def test_batch_review_writes_an_index(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(CORPUS / "seed.txt", archive / "seed.txt")
    shutil.copy(CORPUS / "seed.docx", archive / "seed.docx")
    subprocess.run(
        [sys.executable, "-m", "extractor.cli", "batch", str(archive), "-o", str(tmp_path / "out"), "--review"],
        check=True,
        capture_output=True,
    )
    index = lxml.html.fromstring((tmp_path / "out" / "review" / "index.html").read_text(encoding="utf-8"))
    rows = [[td.text_content() for td in tr.findall("td")] for tr in index.findall(".//tr")[1:]]
    assert sorted(rows) == [
        ["seed.docx", "雁峰区重点建设项目事务中心", "2023", "99", "5"],
        ["seed.txt", "雁峰区重点建设项目事务中心", "2023", "99", "5"],
    ]
    for link in index.xpath("//a/@href"):
        assert (tmp_path / "out" / "review" / link).is_file()


@pytest.mark.parametrize(
    "score,shown",
    [({"value": 99}, "99"), ({"value": Decimal("99.0")}, "99"), ({"value": Decimal("87.5")}, "87.5"), (None, "")],
)
def test_index_row_from_a_plain_record(score, shown):
    """The index reads records as stored (no Report rebuilt per record); integral scores show as integers."""
    record = {
        "source": {"path": "in/a.txt"},
        "report": {"department": {"value": "某局"}, "fiscal_year": None},
        "evaluation": {"total_score": score},
        "checks": [{"status": "fail"}, {"status": "pass"}, {"status": "fail"}],
    }
    index = lxml.html.fromstring(render_index([("a-0123.html", record)]))
    [row] = [[td.text_content() for td in tr.findall("td")] for tr in index.findall(".//tr")[1:]]
    assert row == ["a.txt", "某局", "", shown, "2"]
    assert index.xpath("//a/@href") == ["a-0123.html"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make test installs Debian's chromium where it runs as root)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield instance
        instance.close()


def test_browser_highlights_every_quantity_and_clicks_to_evidence(browser, seed_page, tmp_path):
    report = extractor.extract(CORPUS / "seed.docx")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(seed_page.as_uri())
    assert page.locator("mark.q").count() == len(report.quantities) == 77
    assert page.locator("#checks .item.fail").count() == 5
    page.click("#checks .item.fail[data-rule=rate_equals_ratio]")
    marked = page.locator("mark.q.evidence")
    assert sorted(marked.all_inner_texts()) == ["133.77%", "135.79万元", "98.56万元"]
    in_view = page.evaluate("""() => { const r = document.querySelector('mark.q.evidence').getBoundingClientRect();
                                     return r.top >= 0 && r.bottom <= window.innerHeight; }""")
    assert in_view
    page.screenshot(path=str(tmp_path / "seed-rate-check.png"))
    assert (tmp_path / "seed-rate-check.png").stat().st_size > 10_000


def test_browser_fact_and_indicator_clicks(browser, seed_page):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(seed_page.as_uri())
    page.click("#facts .item:has-text('budget.basic.personnel =')")
    assert page.locator("mark.q.evidence").all_inner_texts() == ["127.94万元"]
    page.click("#indicators tr:has-text('省重点工程建设项目')")
    assert sorted(page.locator("mark.q.evidence").all_inner_texts()) == ["128.76%", "≥90%"]
    assert page.locator("table.block td.evidence, td .evidence, .block.evidence").count() >= 1


def test_browser_narrow_screen_stacks_the_panels(browser, seed_page):
    page = browser.new_page(viewport={"width": 420, "height": 800})
    page.goto(seed_page.as_uri())
    doc_box, side_box = page.locator("#doc").bounding_box(), page.locator("#side").bounding_box()
    assert side_box["y"] > doc_box["y"] and side_box["width"] <= 420


def test_batch_resumed_with_review_writes_the_pages_it_lacks(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(CORPUS / "seed.txt", archive / "seed.txt")
    shutil.copy(CORPUS / "seed.docx", archive / "seed.docx")
    first = run_batch([str(archive)], tmp_path / "out", BatchSettings(workers=1))
    with_review = run_batch([str(archive)], tmp_path / "out", BatchSettings(workers=1, review=True))
    again = run_batch([str(archive)], tmp_path / "out", BatchSettings(workers=1, review=True))
    assert [(s.done, s.skipped) for s in (first, with_review, again)] == [(2, 0), (2, 0), (0, 2)]
    pages = sorted(p.name for p in (tmp_path / "out" / "review").iterdir())
    assert [p.split("-")[0] for p in pages] == ["index.html", "seed", "seed"]
    index = lxml.html.fromstring((tmp_path / "out" / "review" / "index.html").read_text(encoding="utf-8"))
    assert sorted(index.xpath("//a/@href")) == pages[1:]
