"""PDF loading pinned: blocks, pages, table cells, facts and indicators of the real PDFs stay exactly as recorded.

The snapshots in tests/snapshots/ were written by the pdfplumber reader before the PDFium reader replaced it;
after a deliberate change to fields or indicators, rewrite them with `python tests/test_pdf_snapshots.py`.
"""

import json
import sys
from pathlib import Path

import pytest

import extractor
from conftest import SHARED
from extractor.errors import CorruptDocument

REALDOCS = SHARED / "realdocs"
SNAPSHOTS = Path(__file__).parent / "snapshots"
PDFS = [
    "上海普陀区委社会工作部_2024_部门决算.pdf",
    "上海普陀区规划和自然资源局_2024_部门决算.pdf",
    "上海普陀区财政局_2024_部门决算.pdf",
    "adjacent/上海普陀区万里街道办事处_2023_部门预算_含项目绩效目标填报表.pdf",
]


def snapshot(path: Path) -> dict:
    """What a PDF's record rests on, as plain JSON: every block with its cells, then facts and indicators."""
    from extractor.pipeline import extract_document

    document, report = extract_document(path)
    blocks = [
        [
            b.kind,
            b.page,
            *b.span,
            document.text[b.span[0] : b.span[1]] if b.kind != "table" else None,
            [[c.row, c.col, c.rowspan, c.colspan, *c.span, c.text] for c in b.cells],
        ]
        for b in document.blocks
    ]
    return {
        "blocks": blocks,
        "facts": [f.model_dump(mode="json") for f in report.facts],
        "indicators": [i.model_dump(mode="json") for i in report.evaluation.indicators],
    }


def _snapshot_file(name: str) -> Path:
    return SNAPSHOTS / (Path(name).stem + ".json")


@pytest.mark.parametrize("name", PDFS, ids=[n.split("/")[-1][:14] for n in PDFS])
def test_pdf_record_matches_its_snapshot(name):
    path = REALDOCS / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    expected = json.loads(_snapshot_file(name).read_text(encoding="utf-8"))
    found = snapshot(path)
    for part in ("blocks", "facts", "indicators"):
        assert found[part] == expected[part], part


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\ngarbage", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"],
    ids=["garbage", "truncated"],
)
def test_damaged_pdf_says_so(tmp_path, data):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(CorruptDocument, match=r"damaged PDF: Failed to load document \(PDFium: Data format error\)"):
        extractor.extract(path)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    SNAPSHOTS.mkdir(exist_ok=True)
    for name in PDFS:
        data = json.dumps(snapshot(REALDOCS / name), ensure_ascii=False, indent=None, separators=(",", ":"))
        _snapshot_file(name).write_text(data.replace("],[", "],\n[") + "\n", encoding="utf-8")
        print(_snapshot_file(name))
