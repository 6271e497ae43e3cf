"""A self-contained HTML review page per report: the text with every quantity highlighted, and panels of
facts, indicators and checks that point at their evidence when clicked. No network: CSS and JS are inline.

Pages come from Jinja2 templates in templates/ with autoescaping on; the report text is escaped once by
markupsafe's escape and cut into the page's pieces from that, so report text can never become markup.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from functools import cache
from itertools import accumulate
from pathlib import Path

import jinja2
import regex
from markupsafe import Markup, escape

from . import jsonio
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
# The same on every page: built once here, not by two template loops per page.
_KIND_STYLES = Markup("".join(f".k-{kind}{{background:{colour}}}" for kind, colour in KIND_COLOURS.items()))
_LEGEND = Markup("".join(f'<span class="k-{kind}">{escape(name)}</span>' for kind, name in KIND_NAMES.items()))


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
    """The templates, compiled once per process; they ship inside the package, so never checked for changes.
    `tojson` writes with orjson (a tenth of json's time for a page's evidence); it still escapes <, >, & and '."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("extractor", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )
    environment.policies["json.dumps_function"] = jsonio.dumps
    environment.policies["json.dumps_kwargs"] = {}
    return environment


# markupsafe escapes these five characters and no other, each into a longer entity of its own.
_SPECIAL = regex.compile("[&<>\"']")
_GROWTH = {c: len(escape(c)) - 1 for c in "&<>\"'"}


class _EscapedText:
    """A text escaped once and sliced by its own positions: escaping maps each character on its own, so
    `piece(a, b)` is escape(text[a:b]). A page has hundreds of pieces; one escape of the text costs less."""

    def __init__(self, text: str):
        self.escaped = str(escape(text))
        self.specials = [m.start() for m in _SPECIAL.finditer(text)]
        self.shifts = list(accumulate((_GROWTH[text[i]] for i in self.specials), initial=0))

    def piece(self, start: int, end: int) -> str:
        if not self.specials:  # most reports: the escaped text is the text
            return self.escaped[start:end]
        shifts, specials = self.shifts, self.specials
        return self.escaped[start + shifts[bisect_left(specials, start)] : end + shifts[bisect_left(specials, end)]]


def _marked(text: _EscapedText, start: int, end: int, quantities: list, starts: list[int]) -> str:
    """text[start:end] as HTML, escaped, with each quantity inside it in a <mark> (its tooltip escaped too).
    `quantities` are sorted by start and `starts` are their starts: a piece's own are found by bisection."""
    first, last = bisect_left(starts, start), bisect_right(starts, end)
    if first == last:  # most cells and many paragraphs
        return text.piece(start, end)
    out: list[str] = []
    position = start
    for q in quantities[first:last]:
        q_start, q_end = q.span
        if q_start < position or q_end > end:
            continue
        out.append(text.piece(position, q_start))
        out.append(  # kind and id are the record's own identifiers (amount, q12): nothing to escape
            f'<mark class="q k-{q.kind}" id="{q.id}" title="{escape(_tooltip(q))}">{text.piece(q_start, q_end)}</mark>'
        )
        position = q_end
    out.append(text.piece(position, end))
    return "".join(out)


def _block(
    text: _EscapedText, block: Block, quantities: list, starts: list[int], heading_levels: dict[int, int]
) -> str:
    """One block of the page as HTML: its element (table, p, h2-h4) with its content, a table's rows of cells
    included. Built here rather than by a template loop: a page has hundreds of pieces."""
    if block.kind == "table":
        rows: dict[int, list] = defaultdict(list)
        for cell in block.cells:
            rows[cell.row].append(cell)
        html = "".join(
            "<tr>"
            + "".join(
                f'<td rowspan="{int(c.rowspan)}" colspan="{int(c.colspan)}">'
                f"{_marked(text, c.span[0], c.span[1], quantities, starts)}</td>"
                for c in sorted(rows[r], key=lambda c: c.col)
            )
            + "</tr>"
            for r in sorted(rows)
        )
        return f'<table class="block" id="b{block.index}">{html}</table>'
    level = heading_levels.get(block.span[0])
    tag = f"h{min(level + 1, 4)}" if level else "p"
    return f'<{tag} class="block" id="b{block.index}">{_marked(text, *block.span, quantities, starts)}</{tag}>'


def _evidence(document: Document, report: Report) -> dict[str, list[str]]:
    """Element ids to mark for each fact, indicator, category and check. An item's block is looked up once,
    not again for each check that rests on it."""

    def block_ids(position: int) -> list[str]:
        block = document.block_at(position)
        return [] if block is None else [f"b{block.index}"]

    ev = report.evaluation
    items: list[Category | Indicator] = [*ev.categories, *ev.indicators]
    scored = {i.id: block_ids(i.span[0]) for i in items}
    headings = {s.id: block_ids(s.heading_span[0]) for s in report.sections}
    evidence: dict[str, list[str]] = {f"fact{n}": [fact.quantity] for n, fact in enumerate(report.facts)}
    for c in ev.categories:
        evidence[f"ind-{c.id}"] = scored[c.id]
    for i in ev.indicators:
        values = [v.quantity for v in (i.target, i.actual) if v is not None and v.quantity]
        evidence[f"ind-{i.id}"] = scored[i.id] + values
    for n, check in enumerate(report.checks):
        evidence[f"check{n}"] = [
            *check.quantities,
            *(i for key in check.indicators if key in scored for i in scored[key]),
            *(i for s in check.sections if s in headings for i in headings[s]),
        ]
    return evidence


def _blank(value: object) -> str:
    return "" if value is None else str(escape(value))


def _check_items(checks: list[tuple[int, Check]]) -> Markup:
    """The checks panel's items, failures first."""
    return Markup(
        "".join(
            f'\n<div class="item {c.status} {c.severity}" data-evidence="check{n}" data-rule="{rule}" '
            f'data-status="{c.status}"><b>{c.severity} · {c.status}</b> {rule}<br>{escape(c.message)}</div>'
            for n, c in checks
            for rule in (escape(c.rule),)
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
    text = _EscapedText(document.text)
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
            kind_styles=_KIND_STYLES,
            legend=_LEGEND,
            blocks=Markup("\n".join(_block(text, b, quantities, starts, heading_levels) for b in document.blocks)),
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
