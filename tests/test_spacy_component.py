"""The spaCy component, found by name through the spacy_factories entry point."""
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
    assert [(s.label_, s.text) for s in spans[:3]] == [("count", "9人"), ("amount", "98.56万元"), ("amount", "135.79万元")]
    for span, q in zip(spans, report.quantities):
        assert span.start_char <= q.span[0] and q.span[1] <= span.end_char and span.label_ == q.kind
    assert {f.field: f.value for f in report.facts}["budget.basic.execution_rate"] == Decimal("133.77")


def test_displacy_span_style(nlp):
    from spacy import displacy

    page = displacy.render(nlp("基本支出预算安排98.56万元，完成预算安排的133.77%。"), style="span",
                           options={"spans_key": "quantities"})
    assert "98.56" in page and "133.77" in page  # displaCy writes the tokens of a span one by one
    assert page.count("amount") == 1 and page.count("percent") == 1
