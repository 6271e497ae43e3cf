"""Project counts as facts: how many budget projects a report covers, their money, average score and grades.

Read clause by clause over the text with whitespace removed (PDF lines break inside words); vocabulary and rules
are in patterns/projects.toml. Where a report states values per stage (编报绩效目标 / 绩效跟踪评价 / 绩效自评),
only the self-evaluation's are kept (gold-format GUIDE.md, projects.*).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Callable, Optional

import regex

from . import patterns
from .record import Evidence, Fact, Quantity, Section, Span

SELF_EVALUATION = "self_evaluation"
_SPACE = regex.compile(r"\s+")


@dataclass(frozen=True)
class ProjectValue:
    """A projects.* value: the quantity it rests on and its evidence, the sentence (kind "clause") or the table
    cell (kind "form_cell") that states it."""

    field: str
    quantity: Quantity
    evidence: Span
    kind: str = "clause"


@dataclass(frozen=True)
class _Vocabulary:
    sentence_ends: str
    part_ends: str
    clause_ends: str
    count_units: tuple[str, ...]
    link: regex.Pattern
    after_project_count: regex.Pattern
    before_project: regex.Pattern
    before_count: regex.Pattern
    after_count: regex.Pattern
    before_de: tuple[str, ...]
    sentence_cues: tuple[str, ...]
    not_in_sentence: tuple[str, ...]
    not_in_clause: tuple[str, ...]
    subset_words: tuple[str, ...]
    max_label_length: int
    amount_label: regex.Pattern
    average_label: regex.Pattern
    grade_of: dict[str, str]
    grade_before: regex.Pattern
    grade_after: regex.Pattern
    grade_bare: tuple[str, ...]
    grade_rated: regex.Pattern
    stage_of: dict[str, str]
    stage_words: regex.Pattern


@cache
def _vocabulary() -> _Vocabulary:
    data = patterns.load("projects")
    text, count, grade = data["text"], data["count"], data["grade_count"]
    grade_of = {w: g for g, words in data["grades"].items() for w in words}
    grades = f"(?P<grade>{patterns.alternation(grade_of)})"
    stage_of = {w: s for s, words in data["stages"].items() for w in words}
    return _Vocabulary(
        sentence_ends=text["sentence_ends"],
        part_ends=text["part_ends"],
        clause_ends=text["clause_ends"],
        count_units=tuple(count["units"]),
        link=regex.compile(count["link"]),
        after_project_count=regex.compile(count["after_project_count"]),
        before_project=regex.compile(count["before_project"]),
        before_count=regex.compile(count["before_count"]),
        after_count=regex.compile(count["after_count"]),
        before_de=tuple(count["before_de"]),
        sentence_cues=tuple(count["sentence_cues"]),
        not_in_sentence=tuple(count["not_in_sentence"]),
        not_in_clause=tuple(count["not_in_clause"]),
        subset_words=tuple(count["subset_words"]),
        max_label_length=text["max_label_length"],
        amount_label=regex.compile(data["amount"]["label"]),
        average_label=regex.compile(data["average_score"]["label"]),
        grade_of=grade_of,
        grade_before=regex.compile(grades + grade["between"] + count["link"] + "$"),
        grade_after=regex.compile(grade["after_count"] + grades),
        grade_bare=tuple(grade["bare"]),
        grade_rated=regex.compile(grade["rated"]),
        stage_of=stage_of,
        stage_words=regex.compile(patterns.alternation(stage_of)),
    )


class _Compact:
    """The text without whitespace, with the way back to positions in the original text (whitespace runs are
    few, so positions are mapped through them rather than character by character)."""

    def __init__(self, text: str):
        self.text = _SPACE.sub("", text)
        self.run_ends: list[int] = []  # original end of each whitespace run
        self.run_at: list[int] = []  # compact position where each run was
        self.removed: list[int] = []  # whitespace removed up to the end of each run
        removed = 0
        for m in _SPACE.finditer(text):
            self.run_at.append(m.start() - removed)
            removed += m.end() - m.start()
            self.run_ends.append(m.end())
            self.removed.append(removed)

    def at(self, position: int) -> int:
        """The compact position of the first kept character at or after `position`."""
        i = bisect_right(self.run_ends, position)
        compact = position - (self.removed[i - 1] if i else 0)
        return min(compact, self.run_at[i]) if i < len(self.run_at) else compact

    def _original(self, index: int) -> int:
        i = bisect_right(self.run_at, index)
        return index + (self.removed[i - 1] if i else 0)

    def original(self, start: int, end: int) -> Span:
        return self._original(start), self._original(end - 1) + 1


@cache
def _marks(characters: str) -> regex.Pattern:
    return regex.compile(f"[{regex.escape(characters)}]")


def _pieces(text: str, start: int, end: int, ends: str, cuts: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """[start, end) cut after each character of `ends` and before each position in `cuts`."""
    bounds = sorted(
        {m.end() for m in _marks(ends).finditer(text, start, end)} | {c for c in cuts if start < c < end} | {end}
    )
    return [(a, b) for a, b in zip([start] + bounds, bounds) if a < b]


@dataclass(frozen=True)
class _Placed:
    """A quantity with its span in the compact text."""

    quantity: Quantity
    start: int
    end: int


class _Sentence:
    """One sentence of the compact text cut into clauses and parts, with where 其中 starts in each part."""

    def __init__(self, text: str, start: int, end: int, vocab: _Vocabulary):
        self.text, self.vocab = text, vocab
        self.clauses = _pieces(text, start, end, vocab.clause_ends)
        self.clause_starts = [c[0] for c in self.clauses]
        parts = _pieces(text, start, end, vocab.part_ends)
        self.part_starts = [p[0] for p in parts]
        found = [[i for w in vocab.subset_words if (i := text.find(w, s, e)) >= 0] for s, e in parts]
        self.subset_at = [min(f) if f else e for f, (_, e) in zip(found, parts)]

    def clause(self, position: int) -> int:
        return bisect_right(self.clause_starts, position) - 1

    def part(self, position: int) -> int:
        return bisect_right(self.part_starts, position) - 1

    def before(self, p: _Placed) -> str:
        """The clause up to the quantity, at most max_label_length characters (a cut start is marked with …)."""
        start = self.clause_starts[self.clause(p.start)]
        if p.start - start > self.vocab.max_label_length:
            return "…" + self.text[p.start - self.vocab.max_label_length : p.start]
        return self.text[start : p.start]

    def after(self, p: _Placed) -> str:
        """The clause after the quantity, without the mark that ends it."""
        end = self.clauses[self.clause(p.start)][1]
        end -= end > p.end and self.text[end - 1] in self.vocab.clause_ends
        return self.text[p.end : min(end, p.end + self.vocab.max_label_length)]

    def after_subset(self, p: _Placed) -> bool:
        return self.subset_at[self.part(p.start)] < p.start


def _is_count_quantity(q: Quantity, units: tuple[str, ...], in_form: bool) -> bool:
    """A whole number of 个/项 (or a bare number in a form) stated as it is: ≥10个 is a target."""
    if q.value is None or q.value != q.value.to_integral_value() or q.value < 0 or q.comparison is not None:
        return False
    return (q.kind == "count" and q.unit in units) or (in_form and q.kind == "number")


def _grade(before: str, after: str, vocab: _Vocabulary) -> Optional[str]:
    """The grade a count is of: 绩效评级为“优”的项目39个, 优秀项目3个, 3个项目评为优秀."""
    m = vocab.grade_before.search(before)
    if m and (m.group("grade") in vocab.grade_bare or vocab.grade_rated.search(before[: m.start()])):
        return vocab.grade_of[m.group("grade")]
    m = vocab.grade_after.match(after)
    return vocab.grade_of[m.group("grade")] if m else None


def _is_count(before: str, after: str, vocab: _Vocabulary) -> bool:
    """项目…N个 with a budget project's words before 项目, or N个项目 after a verb of funds or evaluation."""
    at = before.rfind("项目")
    if at >= 0 and vocab.link.fullmatch(before[at + 2 :]) and vocab.after_project_count.match(after):
        left = before[:at]
        if vocab.before_project.search(left):
            return True
        if left.endswith("的") and any(w in left for w in vocab.before_de):
            return True
    return bool(vocab.after_count.search(after) and vocab.before_count.search(before))


def _classify(before: str, after: str, vocab: _Vocabulary) -> Optional[str]:
    if any(w in before or w in after for w in vocab.not_in_clause):
        return None
    grade = _grade(before, after, vocab)
    if grade:
        return f"projects.grade_count.{grade}"
    return "projects.count" if _is_count(before, after, vocab) else None


def _stages(sentence: str, offset: int, vocab: _Vocabulary) -> Callable[[int], Optional[str]]:
    """The stage a compact position of the sentence is stated for: the last stage named before it, else the first
    named after it (对39个项目开展绩效自评), None where the sentence names none."""
    marks = [(m.start() + offset, vocab.stage_of[m.group()]) for m in vocab.stage_words.finditer(sentence)]
    starts = [p for p, _ in marks]

    def stage(position: int) -> Optional[str]:
        i = bisect_right(starts, position) - 1
        return marks[max(i, 0)][1] if marks else None

    return stage


def _read_sentence(
    text: str, start: int, end: int, placed: list[_Placed], vocab: _Vocabulary
) -> list[tuple[str, _Placed, Optional[str]]]:
    """(field, quantity, stage) of one sentence of the compact text."""
    sentence = text[start:end]
    if not any(w in sentence for w in vocab.sentence_cues) or any(w in sentence for w in vocab.not_in_sentence):
        return []
    s = _Sentence(text, start, end, vocab)
    found: list[tuple[str, _Placed]] = []
    for p in placed:
        if _is_count_quantity(p.quantity, vocab.count_units, in_form=False):
            field = _classify(s.before(p), s.after(p), vocab)
            if field == "projects.count" and s.after_subset(p):
                continue  # 其中3个项目: a part of the projects, not their number
            if field:
                found.append((field, p))
    counts = [p for field, p in found if field == "projects.count"]
    amounts: dict[int, list[_Placed]] = {}
    for p in placed:
        if (
            p.quantity.kind == "amount"
            and p.quantity.value is not None
            and vocab.amount_label.search(s.before(p))
            and not s.after_subset(p)
        ):
            amounts.setdefault(s.clause(p.start), []).append(p)
    for count in counts:
        here, part = s.clause(count.start), s.part(count.start)
        near = (
            [a for a in amounts.get(here, []) if a.start > count.start]
            + amounts.get(here + 1, [])
            + amounts.get(here - 1, [])
        )
        near = [a for a in near if s.part(a.start) == part]
        if near:
            found.append(("projects.amount", near[0]))
    count_parts = {s.part(c.start) for c in counts}
    for p in placed:
        if p.quantity.kind == "score" and p.quantity.value is not None and vocab.average_label.search(s.before(p)):
            if s.part(p.start) in count_parts or "项目" in s.before(p):
                found.append(("projects.average_score", p))
    stage = _stages(sentence, start, vocab)
    return sorted(((field, p, stage(p.start)) for field, p in found), key=lambda f: f[1].start)


def _read_form(q: Quantity, vocab: _Vocabulary) -> Optional[str]:
    """A table cell: the count its row or column label names (项目个数 | 12, 优秀项目数 | 3)."""
    label = "".join((q.label or "").split())
    if not _is_count_quantity(q, vocab.count_units, in_form=True) or any(w in label for w in vocab.not_in_sentence):
        return None
    if not any(w in label for w in patterns.load("projects")["count"]["form_labels"]):
        return None  # a column headed 项目 holds 科目编码 and names, not counts
    return _classify(label, "", vocab)


def find_project_values(text: str, quantities: list[Quantity], sections: list[Section]) -> list[ProjectValue]:
    """Every projects.* value the text states, in document order, each with its sentence (headings end one)."""
    vocab = _vocabulary()
    compact = _Compact(text)
    headings = frozenset(compact.at(p) for s in sections for p in s.heading_span)
    staged: list[tuple[ProjectValue, Optional[str]]] = []
    prose = [_Placed(q, compact.at(q.span[0]), compact.at(q.span[1])) for q in quantities if q.cell is None]
    starts = [p.start for p in prose]
    for start, end in _pieces(compact.text, 0, len(compact.text), vocab.sentence_ends, headings):
        if "项目" not in compact.text[start:end]:
            continue
        placed = prose[bisect_left(starts, start) : bisect_left(starts, end)]
        sentence = compact.original(start, end)
        staged += [
            (ProjectValue(field, p.quantity, sentence), stage)
            for field, p, stage in _read_sentence(compact.text, start, end, placed, vocab)
        ]
    if len({stage for _, stage in staged} - {None}) > 1:  # figures per stage: the self-evaluation's are the facts
        staged = [(v, stage) for v, stage in staged if stage in (None, SELF_EVALUATION)]
    values = [v for v, _ in staged]
    for q in quantities:
        if q.cell is not None and (field := _read_form(q, vocab)):
            values.append(ProjectValue(field, q, q.span, "form_cell"))
    return sorted(values, key=lambda v: v.quantity.span)


def as_fact(value: ProjectValue) -> Fact:
    """The one place a projects.* fact is built (its evidence: `value.kind` over `value.evidence`)."""
    q = value.quantity
    return Fact(
        field=value.field,
        value=q.value,
        unit=q.unit,
        quantity=q.id,
        text=q.text,
        span=q.span,
        evidence=Evidence(kind=value.kind, clause=value.evidence if value.kind == "clause" else None),
    )


def project_facts(text: str, quantities: list[Quantity], sections: list[Section]) -> list[Fact]:
    """The projects.* facts of a report."""
    return [as_fact(v) for v in find_project_values(text, quantities, sections)]
