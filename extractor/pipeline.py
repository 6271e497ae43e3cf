"""The public entry points: a file or a text in, a Report out."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .checks import run_checks
from .document import Document, document_from_text
from .fields import facts_from, label_quantities, report_subjects
from .findings import find_findings
from .indicators import is_item_line, read_indicators
from .load import load_bytes, read_file
from .meta import find_grade, read_meta, total_score
from .ocr_repairs import annotate
from .quantities import find_quantities
from .record import Evaluation, Report, Source
from .structure import find_sections


def build_report(document: Document, source: Source) -> Report:
    """Run every stage after loading over one Document."""
    text = document.text
    meta = read_meta(text, source.path)
    sections = find_sections(document, is_item_line)
    subjects = report_subjects(meta.kind.value if meta.kind else None)
    quantities = label_quantities(document, annotate(document, find_quantities(text)), sections, subjects)
    facts = facts_from(quantities)
    categories, indicators = read_indicators(document, sections, quantities)
    evaluation = Evaluation(total_score=total_score(facts), grade=find_grade(text), categories=categories,
                            indicators=indicators)
    problems, measures = find_findings(document, sections)
    report = Report(source=source, text=text, report=meta, sections=sections, quantities=quantities, facts=facts,
                    evaluation=evaluation, problems=problems, measures=measures)
    report.checks = run_checks(report)
    return report


def extract_document(path: str | Path) -> tuple[Document, Report]:
    """The loaded Document (blocks, cells) and the record of the report file at `path`."""
    data = read_file(path)
    document = load_bytes(data, str(path))
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format=document.format, bytes=len(data))
    return document, build_report(document, source)


def extract(path: str | Path) -> Report:
    """Extract the record of the report file at `path`; raises an ExtractorError naming the file on bad input."""
    return extract_document(path)[1]


def extract_text(text: str, path: str = "<text>") -> Report:
    """Extract the record of a report given as text."""
    data = text.encode("utf-8")
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="txt", bytes=len(data))
    return build_report(document_from_text(text), source)
