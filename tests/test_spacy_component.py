"""The spaCy component, found by name through the spacy_factories entry point."""

import json
from decimal import Decimal

import pytest

from conftest import CORPUS

spacy = pytest.importorskip("spacy")
pytest.importorskip("jieba")

SEED = (CORPUS / "seed.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("budget_report")
    return nlp


def test_spans_and_record(nlp):
    doc = nlp(SEED)
    spans = list(doc.spans["quantities"])
    report = doc._.report
    assert len(spans) == len(report.quantities) == 77
    assert [(s.label_, s.text) for s in spans[:3]] == [
        ("count", "9人"),
        ("amount", "98.56万元"),
        ("amount", "135.79万元"),
    ]
    for span, q in zip(spans, report.quantities):
        assert span.start_char <= q.span[0] and q.span[1] <= span.end_char and span.label_ == q.kind
    assert {f.field: f.value for f in report.facts}["budget.basic.execution_rate"] == Decimal("133.77")


def test_displacy_span_style(nlp):
    from spacy import displacy

    page = displacy.render(
        nlp("基本支出预算安排98.56万元，完成预算安排的133.77%。"), style="span", options={"spans_key": "quantities"}
    )
    assert "98.56" in page and "133.77" in page  # displaCy writes the tokens of a span one by one
    assert page.count("amount") == 1 and page.count("percent") == 1


def _round_trips(nlp, doc):
    """The same Doc back through each of spaCy's serialisations."""
    from spacy.tokens import Doc, DocBin

    from_bytes = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    docbin = DocBin(store_user_data=True, attrs=["ORTH"])
    docbin.add(doc)
    [from_docbin] = DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp.vocab)
    return [("to_bytes", from_bytes), ("DocBin", from_docbin)]


def test_record_survives_spacy_serialisation(nlp):
    doc = nlp(SEED)
    for how, back in _round_trips(nlp, doc):
        assert json.dumps(back._.record) == json.dumps(doc._.record), how  # DocBin gives tuples for lists
        assert back._.report == doc._.report, how
        assert {f.field: f.value for f in back._.report.facts}["budget.basic.execution_rate"] == Decimal("133.77")
        first = [(s.label_, s.text) for s in list(back.spans["quantities"])[:2]]
        assert first == [("count", "9人"), ("amount", "98.56万元")]


def test_plain_record_keeps_every_digit(nlp):
    doc = nlp("基本支出预算安排1234567890123456.78元。")
    [(_, back)] = [r for r in _round_trips(nlp, doc) if r[0] == "DocBin"]
    assert back._.record["quantities"][0]["value"] == "1234567890123456.78"
    assert back._.report.quantities[0].value == Decimal("1234567890123456.78")
