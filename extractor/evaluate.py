"""Score extraction against gold annotations (../shared/gold-format/GUIDE.md, section "Scoring")."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import regex

from .errors import ExtractorError
from .load import supported_suffixes
from .pipeline import extract
from .record import Report

# Renditions of one case, richest first: structure (tables, styles) beats flat text.
RICHNESS = [".docx", ".html", ".htm", ".pdf", ".md", ".txt"]
PROJECT_FACT_FIELDS = {
    "projects.count",
    "projects.amount",
    "projects.average_score",
    *(f"projects.grade_count.{g}" for g in ("excellent", "good", "fair", "poor")),
}
# Facts count for precision only in the fields the gold format names.
GOLD_FACT_FIELDS = PROJECT_FACT_FIELDS | {
    "staff.authorized",
    "staff.actual",
    "staff.retired",
    "evaluation.total_score",
    "budget.basic.personnel",
    "budget.basic.public",
    *(f"budget.total.{p}" for p in ("planned", "adjusted", "actual", "execution_rate")),
    *(f"budget.{part}.{p}" for part in ("basic", "project") for p in ("planned", "actual", "execution_rate")),
    *(f"budget.{part}.{p}" for part in ("government_fund", "state_capital") for p in ("planned", "actual")),
}
# "projects" scores the projects.* facts on their own (they count in "facts" too).
SET_METRICS = ["amounts", "percents", "indicators", "facts", "projects"]
SCALARS = ["fiscal_year", "department", "total_score", "grade", "report_kind"]
CONTEXT = 20
_NAME_NOISE = regex.compile(r"[\p{P}\p{S}\s]+")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Accuracy:
    correct: int = 0
    n: int = 0

    def as_dict(self) -> dict:
        return {"accuracy": round(self.correct / self.n, 4) if self.n else None, "correct": self.correct, "n": self.n}


@dataclass
class Miss:
    metric: str
    type: str  # "miss" (gold not found) or "false" (extracted, not in gold)
    what: str
    context: str | None

    def as_dict(self) -> dict:
        return {"metric": self.metric, "type": self.type, "what": self.what, "context": self.context}


@dataclass
class DocumentScore:
    id: str
    path: str
    error: str | None = None
    counts: dict[str, Counts] = field(default_factory=lambda: {m: Counts() for m in SET_METRICS})
    scalars: dict[str, tuple] = field(default_factory=dict)  # name -> (gold, extracted, correct)
    misses: list[Miss] = field(default_factory=list)


def _decimal(value) -> Decimal:
    return Decimal(str(value))


def _context(text: str, span: tuple[int, int] | None) -> str | None:
    if span is None:
        return None
    start, end = span
    window = text[max(0, start - CONTEXT) : start] + "【" + text[start:end] + "】" + text[end : end + CONTEXT]
    return window.replace("\n", "⏎")


def _gold_span(text: str, needle: str, seen: Counter) -> tuple[int, int] | None:
    """Where the n-th mention of a gold text sits in the document (n counted over the gold list)."""
    start = -1
    for _ in range(seen[needle] + 1):
        start = text.find(needle, start + 1)
        if start < 0:
            return None
    seen[needle] += 1
    return start, start + len(needle)


def _score_values(
    metric: str,
    predicted: list[tuple[Decimal, tuple]],
    gold: list[dict],
    optional: list[dict],
    gold_key: str,
    text: str,
    doc: DocumentScore,
) -> None:
    """Multiset match on value; optional gold entries absorb predictions without counting either way."""
    required = Counter(_decimal(g[gold_key]) for g in gold)
    spare = Counter(_decimal(g[gold_key]) for g in optional)
    counts = doc.counts[metric]
    for value, span in predicted:
        if required[value] > 0:
            required[value] -= 1
            counts.tp += 1
        elif spare[value] > 0:
            spare[value] -= 1
        else:
            counts.fp += 1
            doc.misses.append(Miss(metric, "false", str(value), _context(text, span)))
    seen: Counter = Counter()
    for g in gold:
        gold_span = _gold_span(text, g["text"], seen) if g.get("text") else None
        value = _decimal(g[gold_key])
        if required[value] > 0:
            required[value] -= 1
            counts.fn += 1
            doc.misses.append(Miss(metric, "miss", f"{g.get('text')} = {value}", _context(text, gold_span)))


def _expand(quantities, kind: str) -> list[tuple[Decimal, tuple]]:
    """Values of the quantities of one kind whose unit is written; a range counts as its two ends."""
    values: list[tuple[Decimal, tuple]] = []
    for q in quantities:
        if q.kind != kind or q.unit_from != "text":
            continue
        ends = [q.value] if q.value is not None else [q.low, q.high]
        values.extend((v, q.span) for v in ends)
    return values


def _clean_name(name: str) -> str:
    return _NAME_NOISE.sub("", name)


def _indicator_matches(gold: dict, name: str, weight, score) -> bool:
    g, p = _clean_name(gold["name"]), _clean_name(name)
    if not g or not p or not (g == p or g in p or p in g):
        return False
    for key, value in (("weight", weight), ("score", score)):
        if gold.get(key) is not None and (value is None or _decimal(gold[key]) != value):
            return False
    return True


def _score_indicators(report: Report, gold: list[dict], doc: DocumentScore) -> None:
    ev = report.evaluation
    # a scored line (GUIDE.md) is a category with a weight or a score, or a leaf indicator
    scored = [c for c in ev.categories if c.weight is not None or c.score is not None]
    predicted = [(c.name, c.weight, c.score, c.span) for c in scored] + [
        (i.name, i.weight, i.score, i.span) for i in ev.indicators
    ]
    used = [False] * len(predicted)
    counts = doc.counts["indicators"]
    for g in gold:
        # An exact name match is preferred over a containment match.
        order = sorted(range(len(predicted)), key=lambda i: _clean_name(predicted[i][0]) != _clean_name(g["name"]))
        hit = next((i for i in order if not used[i] and _indicator_matches(g, *predicted[i][:3])), None)
        if hit is None:
            counts.fn += 1
            doc.misses.append(Miss("indicators", "miss", f"{g['name']} ({g.get('weight')}/{g.get('score')})", None))
        else:
            used[hit] = True
            counts.tp += 1
    for i, (name, weight, score, span) in enumerate(predicted):
        if not used[i]:
            counts.fp += 1
            doc.misses.append(Miss("indicators", "false", f"{name} ({weight}/{score})", _context(report.text, span)))


def _score_facts(report: Report, gold: list[dict], doc: DocumentScore, metric: str, fields: set[str]) -> None:
    required = Counter((g["field"], _decimal(g["value"])) for g in gold if g["field"] in fields)
    counts = doc.counts[metric]
    for f in report.facts:
        if f.field not in fields:
            continue
        key = (f.field, f.value)
        if required[key] > 0:
            required[key] -= 1
            counts.tp += 1
        else:
            counts.fp += 1
            doc.misses.append(Miss(metric, "false", f"{f.field} = {f.value}", _context(report.text, f.span)))
    for (field_name, value), n in required.items():
        for _ in range(n):
            counts.fn += 1
            doc.misses.append(Miss(metric, "miss", f"{field_name} = {value}", None))


def _extracted_scalars(report: Report) -> dict:
    meta, ev = report.report, report.evaluation
    return {
        "fiscal_year": meta.fiscal_year.value if meta.fiscal_year else None,
        "department": meta.department.value if meta.department else None,
        "total_score": ev.total_score.value if ev.total_score else None,
        "grade": ev.grade.value if ev.grade else None,
        "report_kind": meta.kind.value if meta.kind else None,
    }


def _same(name: str, gold, extracted) -> bool:
    if extracted is None:
        return False
    if name == "total_score":
        return _decimal(gold) == extracted
    if name == "department":
        return _clean_name(str(gold)) == _clean_name(str(extracted))
    return gold == extracted


def score_document(case_id: str, path: Path, gold: dict) -> DocumentScore:
    doc = DocumentScore(case_id, str(path))
    try:
        report = extract(path)
    except ExtractorError as e:
        doc.error = str(e)
        report = None
    if report is None:
        for metric, key in (
            ("amounts", "amounts"),
            ("percents", "percents"),
            ("indicators", "indicators"),
            ("facts", "facts"),
        ):
            doc.counts[metric].fn = len([g for g in gold.get(key, []) if not g.get("implicit_unit")])
        doc.counts["projects"].fn = len([g for g in gold.get("facts", []) if g["field"] in PROJECT_FACT_FIELDS])
        extracted = dict.fromkeys(SCALARS)
    else:
        amounts = gold.get("amounts", [])
        _score_values(
            "amounts",
            _expand(report.quantities, "amount"),
            [a for a in amounts if not a.get("implicit_unit")],
            [a for a in amounts if a.get("implicit_unit")],
            "yuan",
            report.text,
            doc,
        )
        _score_values(
            "percents", _expand(report.quantities, "percent"), gold.get("percents", []), [], "value", report.text, doc
        )
        _score_indicators(report, gold.get("indicators", []), doc)
        _score_facts(report, gold.get("facts", []), doc, "facts", GOLD_FACT_FIELDS)
        _score_facts(report, gold.get("facts", []), doc, "projects", PROJECT_FACT_FIELDS)
        extracted = _extracted_scalars(report)
    for name in SCALARS:
        gold_value = gold.get(name)
        if gold_value is not None:
            correct = _same(name, gold_value, extracted[name])
            doc.scalars[name] = (gold_value, extracted[name], correct)
            if not correct:
                doc.misses.append(Miss(name, "miss", f"gold {gold_value!r}, extracted {extracted[name]!r}", None))
    return doc


def find_cases(directory: Path) -> list[tuple[str, Path, dict]]:
    """(id, richest readable rendition, gold) for each <id>.gold.json in `directory`."""
    readable = [s for s in RICHNESS if s in supported_suffixes()]
    cases = []
    for gold_path in sorted(directory.glob("*.gold.json")):
        case_id = gold_path.name[: -len(".gold.json")]
        rendition = next(
            (directory / f"{case_id}{s}" for s in readable if (directory / f"{case_id}{s}").exists()), None
        )
        if rendition is not None:
            cases.append((case_id, rendition, json.loads(gold_path.read_text(encoding="utf-8"))))
    return cases


@dataclass
class EvalResult:
    documents: list[DocumentScore]

    def totals(self) -> dict[str, Counts]:
        totals = {m: Counts() for m in SET_METRICS}
        for doc in self.documents:
            for m in SET_METRICS:
                totals[m].add(doc.counts[m])
        return totals

    def accuracies(self) -> dict[str, Accuracy]:
        acc = {name: Accuracy() for name in SCALARS}
        for doc in self.documents:
            for name, (_, _, correct) in doc.scalars.items():
                acc[name].n += 1
                acc[name].correct += int(correct)
        return acc

    def as_dict(self, with_misses: bool = False) -> dict:
        out: dict = {m: c.as_dict() for m, c in self.totals().items()}
        out |= {name: a.as_dict() for name, a in self.accuracies().items()}
        out["documents"] = []
        for doc in self.documents:
            entry: dict = {"id": doc.id, "path": doc.path, "error": doc.error}
            entry |= {m: doc.counts[m].as_dict() for m in SET_METRICS}
            entry |= {
                name: {"gold": g, "extracted": _jsonable(e), "correct": c} for name, (g, e, c) in doc.scalars.items()
            }
            if with_misses:
                entry["misses"] = [m.as_dict() for m in doc.misses]
            out["documents"].append(entry)
        return out


def _jsonable(value):
    return float(value) if isinstance(value, Decimal) else value


def evaluate(directory: str | Path) -> EvalResult:
    return EvalResult([score_document(i, p, g) for i, p, g in find_cases(Path(directory))])


def format_report(result: EvalResult, show_misses: bool = False) -> str:
    """Human-readable tables: micro totals per metric, accuracy per field, then one line per document."""
    lines = [f"{'metric':<12}{'precision':>10}{'recall':>8}{'f1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for metric, counts in result.totals().items():
        d = counts.as_dict()
        lines.append(
            f"{metric:<12}{d['precision']:>10.3f}{d['recall']:>8.3f}{d['f1']:>8.3f}{d['tp']:>6}{d['fp']:>6}{d['fn']:>6}"
        )
    lines += ["", f"{'field':<12}{'accuracy':>10}{'correct':>9}{'n':>5}"]
    for name, acc in result.accuracies().items():
        a = acc.as_dict()
        shown = "-" if a["accuracy"] is None else f"{a['accuracy']:.3f}"
        lines.append(f"{name:<12}{shown:>10}{a['correct']:>9}{a['n']:>5}")
    lines += ["", f"{'document':<10}" + "".join(f"{m + ' tp/fp/fn':>22}" for m in SET_METRICS) + "  fields"]
    for doc in result.documents:
        cells = "".join(f"{f'{c.tp}/{c.fp}/{c.fn}':>22}" for c in doc.counts.values())
        right = sum(1 for *_, c in doc.scalars.values() if c)
        lines.append(f"{doc.id:<10}{cells}  {right}/{len(doc.scalars)}" + (f"  ERROR {doc.error}" if doc.error else ""))
    if show_misses:
        for doc in result.documents:
            if doc.misses:
                lines += ["", f"== {doc.id} ({doc.path})"]
                lines += [
                    f"  {m.type:<5} {m.metric:<11} {m.what}" + (f"   …{m.context}…" if m.context else "")
                    for m in doc.misses
                ]
    return "\n".join(lines)
