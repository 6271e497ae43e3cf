"""A spaCy pipeline component: `nlp.add_pipe("budget_report")` sets doc.spans["quantities"] and doc._.report.

Registered through the `spacy_factories` entry point, so spaCy finds it by name once the package is installed:

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("budget_report")
    doc = nlp(text)    # doc.spans["quantities"] (label = kind), doc._.report (the record)

Quantity boundaries need not fall on token boundaries (jieba may keep 98.56万元 in pieces or glue it to a word),
so each span is expanded to the tokens that cover it; the record keeps the exact character spans.

The record is stored as plain data in doc._.record (decimals as their exact strings), so doc.to_bytes(),
Doc.from_bytes() and DocBin(store_user_data=True) carry it; doc._.report rebuilds the pydantic Report from it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .pipeline import extract_text
from .record import Report

SPANS_KEY = "quantities"


def _report(doc: Doc) -> Report | None:
    return None if doc._.record is None else Report.model_validate(doc._.record)


# Registered on import, so a process that only loads saved Docs (Doc.from_bytes, DocBin) can read them too.
if not Doc.has_extension("record"):
    Doc.set_extension("record", default=None)
if not Doc.has_extension("report"):
    Doc.set_extension("report", getter=_report)


class BudgetReport:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        report = extract_text(doc.text)
        spans = [doc.char_span(q.span[0], q.span[1], label=q.kind, alignment_mode="expand") for q in report.quantities]
        doc.spans[SPANS_KEY] = [span for span in spans if span is not None]
        doc._.record = report.model_dump(mode="json")
        return doc


@Language.factory("budget_report")
def make_budget_report(nlp: Language, name: str) -> BudgetReport:
    return BudgetReport(name)
