"""A self-contained HTML review page per report: the text with every quantity highlighted, and panels of
facts, indicators and checks that point at their evidence when clicked. No network: CSS and JS are inline.
"""
from __future__ import annotations

import html
import json
from collections import defaultdict
from pathlib import Path

from .document import Block, Document
from .record import Report

KIND_COLOURS = {
    "amount": "#ffe08a", "percent": "#b5e3ff", "percentage_point": "#cfe8ff", "score": "#c8f0c0",
    "count": "#f5d0f0", "area": "#ffd8b0", "length": "#ffd8b0", "mass": "#ffd8b0", "volume": "#ffd8b0",
    "duration": "#e0d8ff", "number": "#e4e4e4",
}
KIND_NAMES = {"amount": "金额 amount", "percent": "百分比 percent", "percentage_point": "百分点 pp",
              "score": "分数 score", "count": "数量 count", "area": "面积 area", "length": "长度 length",
              "mass": "重量 mass", "volume": "体积 volume", "duration": "时长 duration", "number": "数字 number"}

CSS = """
:root { --panel: 440px; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.7 "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
       "PingFang SC", "Hiragino Sans GB", sans-serif; color: #222; background: #fafafa; }
header { padding: 10px 16px; background: #233; color: #fff; }
header h1 { margin: 0; font-size: 18px; } header p { margin: 2px 0 0; font-size: 13px; opacity: .85; }
main { display: grid; grid-template-columns: minmax(0, 1fr) var(--panel); gap: 0; height: calc(100vh - 64px); }
#doc { overflow-y: auto; padding: 16px 24px; background: #fff; }
#side { overflow-y: auto; padding: 12px 14px; border-left: 1px solid #ddd; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; height: auto; } #doc, #side { overflow: visible; } }
.block { margin: 2px 0; padding: 1px 4px; border-radius: 3px; white-space: pre-wrap; }
h2.block { font-size: 17px; margin-top: 14px; } h3.block { font-size: 16px; } h4.block { font-size: 15px; }
table.block { border-collapse: collapse; margin: 8px 0; white-space: normal; }
table.block td { border: 1px solid #bbb; padding: 2px 6px; vertical-align: top; white-space: pre-wrap; }
mark.q { padding: 0 1px; border-radius: 2px; cursor: help; }
.evidence { outline: 3px solid #d33; outline-offset: 1px; background: #fff0f0 !important; }
mark.q.evidence { background: #ff9d9d !important; }
section.panel { margin-bottom: 14px; } section.panel h2 { font-size: 15px; margin: 6px 0; }
.item { padding: 4px 6px; margin: 3px 0; border-radius: 4px; background: #fff; border: 1px solid #e2e2e2;
        cursor: pointer; font-size: 13px; }
.item:hover { border-color: #888; }
.fail.error { border-left: 4px solid #c0392b; } .fail.warning { border-left: 4px solid #e67e22; }
.fail.info { border-left: 4px solid #2980b9; } .pass { opacity: .7; }
.legend span { display: inline-block; margin: 2px 4px 2px 0; padding: 0 4px; border-radius: 3px; font-size: 12px; }
table.ind { border-collapse: collapse; width: 100%; font-size: 12px; }
table.ind td, table.ind th { border-bottom: 1px solid #eee; padding: 2px 3px; text-align: left; }
table.ind tr { cursor: pointer; } table.ind tr:hover { background: #f0f6ff; }
"""

SCRIPT = """
const data = JSON.parse(document.getElementById('evidence-data').textContent);
function clearMarks() { document.querySelectorAll('.evidence').forEach(e => e.classList.remove('evidence')); }
function show(targets) {
  clearMarks();
  const found = targets.map(id => document.getElementById(id)).filter(Boolean);
  found.forEach(e => e.classList.add('evidence'));
  if (found.length) found[0].scrollIntoView({block: 'center'});
  return found.length;
}
document.querySelectorAll('[data-evidence]').forEach(item => {
  item.addEventListener('click', () => show(data[item.dataset.evidence] || []));
});
"""


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def _tooltip(q) -> str:
    value = q.value if q.value is not None else f"{q.low}–{q.high}"
    parts = [KIND_NAMES.get(q.kind, q.kind), f"{value} {q.unit or ''}".strip()]
    if q.label:
        parts.append(f"label: {q.label}")
    if q.field:
        parts.append(f"field: {q.field}")
    return " · ".join(parts)


def _marked(text: str, start: int, end: int, quantities: list) -> str:
    """text[start:end] escaped, with each quantity inside it wrapped in a <mark>."""
    out, position = [], start
    for q in quantities:
        q_start, q_end = q.span
        if q_start < position or q_end > end:
            continue
        out.append(html.escape(text[position:q_start]))
        out.append(f'<mark class="q k-{q.kind}" id="{q.id}" title="{_attr(_tooltip(q))}">'
                   f'{html.escape(text[q_start:q_end])}</mark>')
        position = q_end
    out.append(html.escape(text[position:end]))
    return "".join(out)


def _block_html(document: Document, block: Block, quantities: list, heading_levels: dict[int, int]) -> str:
    text = document.text
    inside = [q for q in quantities if block.span[0] <= q.span[0] < block.span[1] + 1]
    if block.kind == "table":
        rows: dict[int, list] = defaultdict(list)
        for cell in block.cells:
            rows[cell.row].append(cell)
        body = []
        for r in sorted(rows):
            cells = "".join(
                f'<td rowspan="{c.rowspan}" colspan="{c.colspan}">{_marked(text, *c.span, inside)}</td>'
                for c in sorted(rows[r], key=lambda c: c.col))
            body.append(f"<tr>{cells}</tr>")
        return f'<table class="block" id="b{block.index}">{"".join(body)}</table>'
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
    scored = {i.id: i for i in [*ev.categories, *ev.indicators]}
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


def _panels(report: Report) -> str:
    ev = report.evaluation
    by_field: dict[str, list] = defaultdict(list)
    for n, fact in enumerate(report.facts):
        by_field[fact.field].append((n, fact))
    facts = "".join(
        f'<div class="item" data-evidence="fact{n}"><b>{html.escape(field)}</b> = {html.escape(str(f.value))} '
        f'{html.escape(f.unit or "")} <small>({html.escape(f.text)})</small></div>'
        for field, items in sorted(by_field.items()) for n, f in items)
    rows = "".join(
        f'<tr data-evidence="ind-{c.id}"><td colspan="4"><b>{html.escape(c.name)}</b></td>'
        f'<td>{c.weight if c.weight is not None else ""}</td><td>{c.score if c.score is not None else ""}</td></tr>'
        for c in ev.categories)
    rows += "".join(
        f'<tr data-evidence="ind-{i.id}"><td>{html.escape(i.category or "")}</td><td>{html.escape(i.name)}</td>'
        f'<td>{html.escape(i.target.text if i.target else "")}</td><td>{html.escape(i.actual.text if i.actual else "")}</td>'
        f'<td>{i.weight if i.weight is not None else ""}</td><td>{i.score if i.score is not None else ""}</td></tr>'
        for i in ev.indicators)
    order = sorted(range(len(report.checks)), key=lambda n: (report.checks[n].status != "fail", n))
    checks = "".join(
        f'<div class="item {c.status} {c.severity}" data-evidence="check{n}" data-rule="{_attr(c.rule)}" '
        f'data-status="{c.status}"><b>{c.severity} · {c.status}</b> {html.escape(c.rule)}<br>{html.escape(c.message)}</div>'
        for n in order for c in [report.checks[n]])
    legend = "".join(f'<span class="k-{k}">{html.escape(name)}</span>' for k, name in KIND_NAMES.items())
    failed = sum(c.status == "fail" for c in report.checks)
    return (f'<section class="panel legend"><h2>图例 Legend</h2>{legend}</section>'
            f'<section class="panel" id="checks"><h2>审核 Checks ({failed} failed)</h2>{checks}</section>'
            f'<section class="panel" id="facts"><h2>事实 Facts ({len(report.facts)})</h2>{facts}</section>'
            f'<section class="panel" id="indicators"><h2>指标 Indicators ({len(ev.indicators)})</h2>'
            f'<table class="ind"><tr><th>一级</th><th>指标</th><th>目标</th><th>实际</th><th>分值</th><th>得分</th></tr>'
            f'{rows}</table></section>')


def render_page(document: Document, report: Report) -> str:
    """The whole review page as one HTML string."""
    heading_levels = {s.heading_span[0]: s.level for s in report.sections}
    quantities = sorted(report.quantities, key=lambda q: q.span[0])
    blocks = "\n".join(_block_html(document, b, quantities, heading_levels) for b in document.blocks)
    meta = report.report
    title = meta.title.value if meta.title else Path(report.source.path).name
    subtitle = " · ".join(str(x) for x in (
        meta.department.value if meta.department else None, meta.fiscal_year.value if meta.fiscal_year else None,
        meta.kind.value if meta.kind else None,
        f"总分 {report.evaluation.total_score.value}" if report.evaluation.total_score else None,
        report.source.path) if x)
    colours = "".join(f".k-{k}{{background:{c}}}" for k, c in KIND_COLOURS.items())
    evidence = json.dumps(_evidence(document, report), ensure_ascii=False).replace("</", "<\\/")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(title)}</title><style>{CSS}{colours}</style></head><body>'
            f'<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>'
            f'<main><article id="doc">{blocks}</article><aside id="side">{_panels(report)}</aside></main>'
            f'<script type="application/json" id="evidence-data">{evidence}</script>'
            f'<script>{SCRIPT}</script></body></html>')


def render_index(entries: list[tuple[str, Report]]) -> str:
    """index.html for a batch: each document with department, year, score and failed checks, linked."""
    rows = []
    for href, report in entries:
        meta = report.report
        failed = sum(c.status == "fail" for c in report.checks)
        cells = [meta.department.value if meta.department else "", meta.fiscal_year.value if meta.fiscal_year else "",
                 report.evaluation.total_score.value if report.evaluation.total_score else "", failed]
        rows.append(f'<tr><td><a href="{_attr(href)}">{html.escape(Path(report.source.path).name)}</a></td>'
                    + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>Review index</title>'
            f'<style>{CSS} table{{border-collapse:collapse;margin:16px}} td,th{{border:1px solid #ccc;padding:3px 8px}}'
            '</style></head><body><header><h1>审核索引 Review index</h1></header><table>'
            '<tr><th>文件 file</th><th>部门 department</th><th>年度 year</th><th>总分 score</th>'
            f'<th>未通过检查 failed checks</th></tr>{"".join(rows)}</table></body></html>')


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
