"""The seed report: its money and percentages match the gold exactly, in both renditions."""

import json
from collections import Counter
from decimal import Decimal

import pytest

import extractor
from conftest import CORPUS, corpus_dev_texts

GOLD = json.loads((CORPUS / "seed.gold.json").read_text(encoding="utf-8"))
RENDITIONS = ["seed.txt", "seed.docx"]


def _values(quantities, kind):
    return Counter(q.value for q in quantities if q.kind == kind and q.unit_from == "text")


@pytest.mark.parametrize("name", RENDITIONS)
def test_seed_amounts_match_gold(name):
    report = extractor.extract(CORPUS / name)
    explicit = Counter(Decimal(str(a["yuan"])) for a in GOLD["amounts"] if not a["implicit_unit"])
    assert sum(explicit.values()) == 17
    assert _values(report.quantities, "amount") == explicit


@pytest.mark.parametrize("name", RENDITIONS)
def test_seed_percents_match_gold(name):
    report = extractor.extract(CORPUS / name)
    gold = Counter(Decimal(str(p["value"])) for p in GOLD["percents"])
    assert sum(gold.values()) == 13
    assert _values(report.quantities, "percent") == gold


def test_docx_and_txt_give_the_same_quantities():
    txt, docx = (extractor.extract(CORPUS / name) for name in RENDITIONS)
    assert Counter((q.kind, q.value, q.unit) for q in txt.quantities) == Counter(
        (q.kind, q.value, q.unit) for q in docx.quantities
    )


def test_seed_docx_has_indicator_tables_with_merged_category_cells():
    from extractor.load import load_bytes

    document = load_bytes((CORPUS / "seed.docx").read_bytes(), "seed.docx")
    tables = [b for b in document.blocks if b.kind == "table"]
    assert len(tables) == 3
    merged = [(c.text, c.rowspan) for t in tables for c in t.cells if c.rowspan > 1]
    assert merged == [("产出指标", 4), ("效益指标", 4)]


CORPUS_FILES = sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.docx")) + corpus_dev_texts()


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_every_span_is_exact(path):
    report = extractor.extract(path)
    assert report.quantities
    for q in report.quantities:
        assert report.text[q.span[0] : q.span[1]] == q.text
