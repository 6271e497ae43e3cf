"""A self-contained HTML review page per report: the text with every quantity highlighted, and panels of
facts, indicators and checks that point at their evidence when clicked. No network: CSS and JS are inline.

Pages come from Jinja2 templates in templates/ with autoescaping on, and the marked report text is escaped
piece by piece by markupsafe's escape, so report text can never become markup.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .document import Block, Document
from .record import Category, Check, Fact, Indicator, Report

KIND_COLOURS = {
    "amount": "#ffe08a",
    "percent": "#b5e3ff",
    "percentage_point": "#cfe8ff",
    "score": "#c8f0c0",
    "count": "#f5d0f0",
    "area": "#ffd8b0",
    "length": "#ffd8b0",
    "mass": "#ffd8b0",
    "volume": "#ffd8b0",
    "duration": "#e0d8ff",
    "number": "#e4e4e4",
}
KIND_NAMES = {
    "amount": "金额 amount",
    "percent": "百分比 percent",
    "percentage_point": "百分点 pp",
    "score": "分数 score",
    "count": "数量 count",
    "area": "面积 area",
    "length": "长度 length",
    "mass": "重量 mass",
    "volume": "体积 volume",
    "duration": "时长 duration",
    "number": "数字 number",
}


def _tooltip(q) -> str:
    value = q.value if q.value is not None else f"{q.low}–{q.high}"
    parts = [KIND_NAMES.get(q.kind, q.kind), f"{value} {q.unit or ''}".strip()]
    if q.label:
        parts.append(f"label: {q.label}")
    if q.field:
        parts.append(f"field: {q.field}")
    return " · ".join(parts)


@cache
def _templates() -> jinja2.Environment:
    """The templates, compiled once per process; they ship inside the package, so never checked for changes."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("extractor", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )


def _marked(text: str, start: int, end: int, quantities: list) -> Markup:
    """text[start:end] as HTML: its plain runs escaped and each quantity inside it in a <mark> whose text and
    attributes are escaped too. Built here rather than by a template loop: a page has hundreds of pieces, and
    the loop was half of a batch's cost of review pages."""
    out: list[str] = []
    position = start
    for q in quantities:
        q_start, q_end = q.span
        if q_start < position or q_end > end:
            continue
        out.append(escape(text[position:q_start]))
        out.append(  # kind and id are the record's own identifiers (amount, q12): nothing to escape
            f'<mark class="q k-{q.kind}" id="{q.id}" title="{escape(_tooltip(q))}">{escape(text[q_start:q_end])}</mark>'
        )
        position = q_end
    out.append(escape(text[position:end]))
    return Markup("".join(out))


def _block(
    document: Document, block: Block, quantities: list, starts: list[int], heading_levels: dict[int, int]
) -> str:
    """One block of the page as HTML: its element (table, p, h2-h4) with its content, a table's rows of cells
    included. `quantities` are sorted by start, `starts` their starts: a block's own are found by bisection,
    not by a scan per block."""
    text = document.text
    inside = quantities[bisect_left(starts, block.span[0]) : bisect_left(starts, block.span[1] + 1)]
    if block.kind == "table":
        rows: dict[int, list] = defaultdict(list)
        for cell in block.cells:
            rows[cell.row].append(cell)
        html = "".join(
            "<tr>"
            + "".join(
                f'<td rowspan="{int(c.rowspan)}" colspan="{int(c.colspan)}">'
                f"{_marked(text, c.span[0], c.span[1], inside)}</td>"
                for c in sorted(rows[r], key=lambda c: c.col)
            )
            + "</tr>"
            for r in sorted(rows)
        )
        return f'<table class="block" id="b{block.index}">{html}</table>'
    level = heading_levels.get(block.span[0])
    tag = f"h{min(level + 1, 4)}" if level else "p"
    return f'<{tag} class="block" id="b{block.index}">{_marked(text, *block.span, inside)}</{tag}>'


def _block_ids(document: Document, spans: list[tuple[int, int]]) -> list[str]:
    ids = []
    for start, _ in spans:
        block = document.block_at(start)
        if block is not None:
            ids.append(f"b{block.index}")
    return ids


def _evidence(document: Document, report: Report) -> dict[str, list[str]]:
    """Element ids to mark for each fact, indicator, category and check."""
    ev = report.evaluation
    items: list[Category | Indicator] = [*ev.categories, *ev.indicators]
    scored = {i.id: i for i in items}
    sections = {s.id: s for s in report.sections}
    evidence: dict[str, list[str]] = {}
    for n, fact in enumerate(report.facts):
        evidence[f"fact{n}"] = [fact.quantity]
    for item in scored.values():
        ids = _block_ids(document, [item.span])
        for value in (getattr(item, "target", None), getattr(item, "actual", None)):
            if value is not None and value.quantity:
                ids.append(value.quantity)
        evidence[f"ind-{item.id}"] = ids
    for n, check in enumerate(report.checks):
        ids = list(check.quantities)
        ids += [i for key in check.indicators if key in scored for i in _block_ids(document, [scored[key].span])]
        ids += _block_ids(document, [sections[s].heading_span for s in check.sections if s in sections])
        evidence[f"check{n}"] = ids
    return evidence


def _blank(value: object) -> str:
    return "" if value is None else str(escape(value))


def _check_items(checks: list[tuple[int, Check]]) -> Markup:
    """The checks panel's items, failures first."""
    return Markup(
        "".join(
            f'\n<div class="item {c.status} {c.severity}" data-evidence="check{n}" data-rule="{escape(c.rule)}" '
            f'data-status="{c.status}"><b>{c.severity} · {c.status}</b> {escape(c.rule)}<br>{escape(c.message)}</div>'
            for n, c in checks
        )
    )


def _fact_items(facts: list[tuple[int, Fact]]) -> Markup:
    """The facts panel's items (built here, not by a template loop: a page's panels have hundreds of cells)."""
    return Markup(
        "".join(
            f'\n<div class="item" data-evidence="fact{n}"><b>{escape(f.field)}</b> = {escape(f.value)} '
            f"{_blank(f.unit)} <small>({escape(f.text)})</small></div>"
            for n, f in facts
        )
    )


def _indicator_rows(categories: list[Category], indicators: list[Indicator]) -> Markup:
    """The indicators panel's rows: each category, then each indicator with its target, actual, weight, score."""
    rows = [
        f'\n<tr data-evidence="ind-{c.id}"><td colspan="4"><b>{escape(c.name)}</b></td><td>{_blank(c.weight)}</td>'
        f"<td>{_blank(c.score)}</td></tr>"
        for c in categories
    ] + [
        f'\n<tr data-evidence="ind-{i.id}"><td>{_blank(i.category)}</td><td>{escape(i.name)}</td>'
        f"<td>{_blank(i.target.text if i.target else None)}</td><td>{_blank(i.actual.text if i.actual else None)}</td>"
        f"<td>{_blank(i.weight)}</td><td>{_blank(i.score)}</td></tr>"
        for i in indicators
    ]
    return Markup("".join(rows))


def render_page(document: Document, report: Report) -> str:
    """The whole review page as one HTML string."""
    heading_levels = {s.heading_span[0]: s.level for s in report.sections}
    quantities = sorted(report.quantities, key=lambda q: q.span[0])
    starts = [q.span[0] for q in quantities]
    meta = report.report
    subtitle = " · ".join(
        str(x)
        for x in (
            meta.department.value if meta.department else None,
            meta.fiscal_year.value if meta.fiscal_year else None,
            meta.kind.value if meta.kind else None,
            f"总分 {report.evaluation.total_score.value}" if report.evaluation.total_score else None,
            report.source.path,
        )
        if x
    )
    by_field: dict[str, list] = defaultdict(list)
    for n, fact in enumerate(report.facts):
        by_field[fact.field].append((n, fact))
    order = sorted(range(len(report.checks)), key=lambda n: (report.checks[n].status != "fail", n))
    return (
        _templates()
        .get_template("page.html.j2")
        .render(
            title=meta.title.value if meta.title else Path(report.source.path).name,
            subtitle=subtitle,
            colours=KIND_COLOURS,
            kind_names=KIND_NAMES,
            blocks=Markup("\n".join(_block(document, b, quantities, starts, heading_levels) for b in document.blocks)),
            check_items=_check_items([(n, report.checks[n]) for n in order]),
            failed=sum(c.status == "fail" for c in report.checks),
            fact_count=len(report.facts),
            fact_items=_fact_items([item for _, items in sorted(by_field.items()) for item in items]),
            indicator_count=len(report.evaluation.indicators),
            indicator_rows=_indicator_rows(report.evaluation.categories, report.evaluation.indicators),
            evidence=_evidence(document, report),
        )
    )


def render_index(entries: list[tuple[str, dict]]) -> str:
    """index.html for a batch: each document with department, year, score and failed checks, linked. Records
    come as plain data (records.jsonl read back, or model_dump()): validating thousands into Reports again
    cost a batch more than rendering all its pages."""
    rows = []
    for href, record in entries:
        meta = record["report"]
        failed = sum(c["status"] == "fail" for c in record["checks"])
        score = record["evaluation"]["total_score"]
        # Integral scores as integers, as the record's JSON writes them (a record read back may hold 99.0).
        value = None if score is None else score["value"]
        score_text = "" if value is None else int(value) if value == int(value) else value
        cells = [
            meta["department"]["value"] if meta["department"] else "",
            meta["fiscal_year"]["value"] if meta["fiscal_year"] else "",
            score_text,
            failed,
        ]
        rows.append({"href": href, "name": Path(record["source"]["path"]).name, "cells": cells})
    return _templates().get_template("index.html.j2").render(rows=rows)


def page_name(path: str, taken: set[str]) -> str:
    """A page file name from the input's name, unique among `taken` (which it joins): a.txt and a.docx, or
    two folders' report.docx, get report.html and report-2.html instead of overwriting each other."""
    stem = Path(path).stem or "report"
    name, n = f"{stem}.html", 1
    while name.lower() in taken or name.lower() == "index.html":
        n += 1
        name = f"{stem}-{n}.html"
    taken.add(name.lower())
    return name
