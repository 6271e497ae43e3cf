"""The public entry points: a file or a text in, a Report out."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import regex
from pydantic import BaseModel

from .checks import run_checks
from .document import Document, document_from_text
from .errors import shown_path
from .fields import facts_from, label_quantities, report_subjects
from .findings import find_findings
from .forms import read_forms
from .indicators import is_item_line, read_indicators
from .limits import DEFAULT_LIMITS, Limits
from .load import load_bytes, read_file
from .meta import find_grade, read_meta, total_score
from .normalise import fold_script
from .ocr_repairs import annotate
from .projects import project_facts
from .quantities import find_quantities, merge_quantities
from .record import Evaluation, FormTable, Indicator, Report, Source
from .structure import find_sections

# Fewer weighted rows than this are not taken for a framework table.
_MIN_FRAMEWORK_ROWS = 3


def _read_in_simplified(document: Document) -> Document:
    """The document as the stages read it: traditional characters folded to simplified, offsets unchanged."""
    folded = fold_script(document.text)
    if folded == document.text:
        return document
    blocks = [
        replace(b, cells=[replace(c, text=folded[c.span[0] : c.span[1]]) for c in b.cells]) for b in document.blocks
    ]
    return replace(document, text=folded, blocks=blocks)


def _as_written(model: BaseModel, original: str, folded: str) -> None:
    """Give every text of the record back as written: a string of a model with a span that is read from the
    folded text there becomes the original characters at the same place."""
    span = getattr(model, "span", None)
    for name, value in model:
        if isinstance(value, BaseModel):
            _as_written(value, original, folded)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    _as_written(item, original, folded)
        elif isinstance(value, str) and isinstance(span, tuple) and name not in ("id", "field", "unit"):
            start, end = span
            at = folded.find(value, start, end) if value else -1
            if at >= 0:
                setattr(model, name, original[at : at + len(value)])


def _indicator_table(indicators: list[Indicator]) -> list[FormTable]:
    """Weighted indicators with no funds block above them are an indicator framework table (FORMS.md D)."""
    weighted = [i for i in indicators if i.weight is not None]
    if len(weighted) < _MIN_FRAMEWORK_ROWS:
        return []
    span = (weighted[0].span[0], weighted[-1].span[1])
    return [
        FormTable(form="D", part="indicators", rendering=1 if weighted[0].cell else 2, span=span, columns=[], rows=[])
    ]


_LONE_SURROGATE = regex.compile("[\ud800-\udfff]")


def build_report(document: Document, source: Source) -> Report:
    """Run every stage after loading over one Document (read in simplified characters, kept as written)."""
    written = document.text
    document = _read_in_simplified(document)
    text = document.text
    meta = read_meta(text, source.path)
    sections = find_sections(document, is_item_line)
    subjects = report_subjects(meta.kind.value if meta.kind else None)
    forms = read_forms(text, meta.fiscal_year.value if meta.fiscal_year else None)
    found = merge_quantities(find_quantities(text), forms.quantities)
    quantities, evidence = label_quantities(document, annotate(document, found), sections, subjects, forms)
    facts = facts_from(quantities, evidence) + project_facts(text, quantities, sections)
    categories, indicators, unread = read_indicators(document, sections, quantities, forms.indicators)
    tables = forms.tables or _indicator_table(indicators)
    evaluation = Evaluation(
        total_score=total_score(facts), grade=find_grade(text), categories=categories, indicators=indicators
    )
    problems, measures = find_findings(document, sections)
    report = Report(
        source=source,
        text=text,
        report=meta,
        sections=sections,
        quantities=quantities,
        facts=facts,
        evaluation=evaluation,
        problems=problems,
        measures=measures,
        tables=tables,
        warnings=sorted(forms.warnings + unread, key=lambda w: w.span),
    )
    report.checks = run_checks(report)
    if text != written:
        _as_written(report, written, text)
        report.text = written
    return report


def extract_document(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, data: bytes | None = None
) -> tuple[Document, Report]:
    """The loaded Document (blocks, cells) and the record of the report file at `path`, within `limits` (its
    bytes as `data` when they were read elsewhere, as on a cluster)."""
    data = read_file(path, limits) if data is None else data
    name = shown_path(path)  # a file name that is not UTF-8 keeps its bytes escaped
    document = load_bytes(data, name, limits)
    source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), format=document.format, bytes=len(data))
    return document, build_report(document, source)


def extract(path: str | Path, limits: Limits = DEFAULT_LIMITS, data: bytes | None = None) -> Report:
    """Extract the record of the report file at `path`; raises an ExtractorError naming the file on bad input."""
    return extract_document(path, limits, data)[1]


def extract_text(text: str, path: str = "<text>", limits: Limits = DEFAULT_LIMITS) -> Report:
    """Extract the record of a report given as text. Lone surrogates (not Unicode, cannot be written as JSON)
    become U+FFFD one for one, so every offset into `text` stays the same."""
    limits.check("text_chars", len(text), path, "characters of text")
    text = _LONE_SURROGATE.sub("\ufffd", text)
    data = text.encode("utf-8")
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="txt", bytes=len(data))
    return build_report(document_from_text(text), source)
