"""Label each quantity with the words that name it, give it a canonical field when attributable, and list facts.

Vocabulary comes from patterns/fields.toml. A field is given only when the label (with its sentence, section or
table headers) names it; otherwise the quantity keeps its label and `field` stays null.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Optional, cast

import regex

from . import patterns
from .document import Block, Cell, Document
from .forms import FormReading
from .quantities import find_quantities, unit_quantity
from .record import CellRef, Evidence, EvidenceKind, Fact, Quantity, Section

_LABEL_NOISE = regex.compile(
    r"^(?:\s|\d{4}\s*年度?|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[、.．]|[一二三四五六七八九十]{1,3}、|其中[:：]?)+"
)


@dataclass(frozen=True)
class _Vocabulary:
    subjects: list[tuple[str, str]]
    measures: list[tuple[str, str, str]]  # word, measure, kind
    adjusted_beside_initial: tuple[str, list[str]]
    done_before: tuple[str, ...]
    weak_actual: list[str]
    direct: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]  # word, field, kinds it takes, unless
    direct_max: dict[str, Decimal]  # field -> the largest value it takes
    direct_units: dict[str, list[str]]  # field -> the units a count of it may carry
    shares: list[str]
    breakdown: list[str]
    not_budget: list[str]
    max_label_length: int
    header_unit: regex.Pattern
    boundaries: str
    sentence_ends: str
    classification: regex.Pattern


def _kinds(kind: str | list[str]) -> tuple[str, ...]:
    return (kind,) if isinstance(kind, str) else tuple(kind)


@cache
def _vocabulary() -> _Vocabulary:
    data = patterns.load("fields")
    measures_data = dict(data["measures"])
    beside = measures_data.pop("adjusted_beside_initial")
    done = measures_data.pop("done_with_budget")
    return _Vocabulary(
        subjects=[(w, subject) for subject, words in data["subjects"].items() for w in words],
        measures=[(w, m, spec["kind"]) for m, spec in measures_data.items() for w in spec["words"]],
        adjusted_beside_initial=(beside["when_column"], beside["words"]),
        done_before=tuple(done["before"]),
        weak_actual=done["weak_actual"],
        direct=[
            (w, f, _kinds(spec["kind"]), tuple(spec.get("unless", [])))
            for f, spec in data["direct"].items()
            for w in spec["words"]
        ],
        direct_max={f: Decimal(str(spec["max"])) for f, spec in data["direct"].items() if "max" in spec},
        direct_units={f: spec["units"] for f, spec in data["direct"].items() if "units" in spec},
        shares=data["shares"]["words"],
        breakdown=data["clauses"]["breakdown"],
        not_budget=data["not_budget"]["words"],
        max_label_length=data["clauses"]["max_label_length"],
        header_unit=regex.compile(data["header_units"]["pattern"]),
        boundaries=data["clauses"]["boundaries"],
        sentence_ends=data["clauses"]["sentence_ends"],
        classification=regex.compile(data["clauses"]["classification"]),
    )


@dataclass
class _Context:
    """Where a quantity stands: its label, the sentence before it, its sections and any table headers."""

    label: str
    sentence: str
    section_titles: list[str]
    established: set[str]
    column_header: str = ""
    in_table: bool = False
    breakdown: bool = False
    line_label: str = ""  # the label line above a number alone on its line


def _clean_label(raw: str) -> str:
    return _LABEL_NOISE.sub("", raw).strip(" ：:、")


class _ClauseStarts:
    """Where a clause starts before a position: found by bisection over the boundary characters' positions,
    so a long line without boundaries costs O(log n) per quantity, not O(n) (quadratic over a document)."""

    def __init__(self, text: str, boundaries: str):
        self.after = [m.end() for m in regex.finditer(f"[{regex.escape(boundaries)}]", text)]

    def before(self, position: int, floor: int) -> int:
        i = bisect_right(self.after, position) - 1
        return max(floor, self.after[i]) if i >= 0 else floor


def _label_line_above(text: str, q: Quantity) -> str:
    """For a number alone on its line, the line of words just above it (blank lines skipped), as a cell of a
    table written one cell per line holds its label; "" otherwise."""
    line_start = text.rfind("\n", 0, q.span[0]) + 1
    line_end = text.find("\n", q.span[1])
    if text[line_start : line_end if line_end >= 0 else len(text)].strip() != q.text:
        return ""
    end = line_start
    while end > 0 and text[end - 1] in " \t\n|" and line_start - end < 8:
        end -= 1
    above = text[text.rfind("\n", 0, end) + 1 : end].strip().strip("|").strip()
    return above if above and not regex.search(r"\d", above) and len(above) <= _vocabulary().max_label_length else ""


def _row_header(block: Block, cell: Cell) -> str:
    """The words naming a cell's row: the nearest cell of words to its left (a merged cell above counts). In
    a table of two halves (收入 | 金额 | 支出 | 金额) each amount is named by its own half's label."""
    for col in range(cell.col - 1, -1, -1):
        left = block.cell_covering(cell.row, col)
        if left is None or left is cell or not left.text.strip():
            continue
        if not (left.text.strip()[0].isdigit() and _holds_quantity(left.text)):
            return left.text
    return ""


@lru_cache(maxsize=4096)
def _holds_quantity(text: str) -> bool:
    """Whether a cell's text reads as a quantity (2021, 605.00): then it is a value, not a row's label."""
    return bool(find_quantities(text))


def _header_unit(text: str) -> Optional[Quantity]:
    """The unit a header or label states, as the quantity '1 <unit>' (kind, unit and factor in one)."""
    m = _vocabulary().header_unit.search(text)
    if not m:
        return None
    return unit_quantity(m.group(1) or m.group(2))


def _with_header_unit(q: Quantity, unit_source: str) -> Quantity:
    if q.kind != "number" or q.value is None:
        return q
    unit = _header_unit(unit_source)
    if unit is None:
        return q
    return q.model_copy(
        update={
            "kind": unit.kind,
            "unit": unit.unit,
            "value": q.value * cast(Decimal, unit.value),
            "unit_text": unit.unit_text,
            "unit_from": "header",
        }
    )


# In a table flattened to text, a unit line (预算资金 (万元)) applies to the rows at most this far below it.
_FLATTENED_UNIT_ROWS = 3


def _table_preamble(document: Document, block: Block) -> str:
    """The paragraph just before a table and its first row, where 单位：万元 usually stands."""
    before = document.blocks[block.index - 1] if block.index > 0 else None
    lead = document.text[before.span[0] : before.span[1]] if before is not None and before.kind != "table" else ""
    first_row = " ".join(c.text for c in block.row_cells(0))
    return f"{lead} {first_row}"


def _unit_context(document: Document, block: Block, cell: Cell, column_header: str) -> str:
    """Where a unit for a bare number in `cell` may be written: its column header and the table's preamble,
    or, in a flattened table whose columns do not line up, the few rows just above it."""
    if block.flattened:
        return " ".join(
            c.text for row in range(max(0, cell.row - _FLATTENED_UNIT_ROWS), cell.row) for c in block.row_cells(row)
        )
    return column_header + _table_preamble(document, block)


def report_subjects(kind: Optional[str]) -> dict[str, str]:
    """How a report's kind maps subjects: '' (no subject found) and 'project' may both mean the total."""
    rules = patterns.load("fields")["report_subjects"]
    mapping = {}
    if kind in rules["default_total_in"]:
        mapping[""] = "total"
    if kind in rules["project_is_total_in"]:
        mapping["project"] = "total"
    return mapping


def _field(
    q: Quantity, ctx: _Context, previous_field: Optional[str], default_subject: dict[str, str]
) -> tuple[Optional[str], EvidenceKind]:
    """The field of a quantity and how sure: "clause" when its own clause names it, else "nearest_label"."""
    vocab = _vocabulary()
    label = ctx.label + ctx.column_header
    if not label and ctx.line_label:
        # a number alone on its line under a label line (one cell per line, FORMS.md rendering 3): the label cell
        # names it outright or not at all, and a bare whole number there counts what it names (人员编制 / 21)
        kind = "count" if q.kind == "number" and q.value is not None and q.value == q.value.to_integral() else q.kind
        field = _direct_field(q.model_copy(update={"kind": kind}), ctx.line_label)
        named = ctx.line_label.rstrip(" :：")
        ends_with_it = any(named.endswith(word) for word, f, _, _ in vocab.direct if f == field)
        return (field if ends_with_it else None), "nearest_label"  # 在职人员控制率 / 4 is no staff count
    direct = _direct_field(q, label)
    if direct is not None:
        return direct or None, "nearest_label" if ctx.in_table else "clause"
    if q.kind == "percent" and any(label.startswith(w) for w in vocab.shares):
        share = f"{previous_field}_share" if previous_field and not previous_field.endswith("_share") else None
        return share, "clause"
    measure = patterns.nearest(label, [e for e in vocab.measures if e[2] == q.kind])
    if measure is None or any(word in label for word in vocab.not_budget):
        return None, "nearest_label"
    name = measure[1]
    before = label[: label.rfind(measure[0])]
    if name == "planned" and before.endswith(vocab.done_before):
        name = "actual"
    if measure[0] in vocab.weak_actual and any(
        w in before and not before.endswith(w) for w, m, _ in vocab.measures if m == "planned"
    ):
        return None, "clause"  # 部门预算项目支出: a budget; 政府性基金预算支出 (one compound) is spending
    when_column, words = vocab.adjusted_beside_initial
    if (ctx.column_header or not ctx.in_table) and measure[0] in words and when_column in ctx.sentence:
        name = "adjusted"
    subject = patterns.nearest(ctx.label, vocab.subjects)
    if subject is not None and ctx.breakdown and default_subject.get(subject[1], subject[1]) == "total":
        return None, "clause"  # 其中部门预算项目支出87.5万元: a part of what the sentence stated first
    if subject is not None and any(w in ctx.label[ctx.label.rfind(subject[0]) :] for w in vocab.breakdown):
        return None, "clause"  # 项目支出包括委员活动经费36.3万元: a part of the subject, not the subject
    if subject is None and ctx.in_table:
        return None, "nearest_label"  # in a table the row itself must name the subject
    if subject is None:
        carried = patterns.nearest(ctx.sentence, vocab.subjects)
        if any(word in ctx.sentence for word in vocab.breakdown) and carried is not None:
            # a part listed after 其中/包括 (…，其中项目支出87.5万元，专项支出2350万元): not the whole the sentence
            # named, and not the part it named first either
            return None, "clause"
        if carried is not None:  # named earlier in the same sentence: 基本支出预算安排98.56万元，实际支出…
            if _about_another_figure(ctx.sentence, ctx.sentence.rfind(carried[0]), vocab):
                return None, "clause"  # “三公”经费财政拨款支出年初预算为…，支出决算为0.00万元
            return f"budget.{default_subject.get(carried[1], carried[1])}.{name}", "clause"
        subject, title = next(
            ((s, t) for t in ctx.section_titles if (s := patterns.nearest(t, vocab.subjects))), (None, "")
        )
        if subject is not None and _about_another_figure(title, title.rfind(subject[0]), vocab):
            return None, "nearest_label"
        if subject is not None:
            return f"budget.{default_subject.get(subject[1], subject[1])}.{name}", "nearest_label"
    if subject is None:
        field = f"budget.{default_subject['']}.{name}" if "" in default_subject else None
        return (None if field in ctx.established else field), "nearest_label"
    sure = subject is not None and not ctx.in_table and subject[0] in ctx.label
    return f"budget.{default_subject.get(subject[1], subject[1])}.{name}", "clause" if sure else "nearest_label"


@cache
def _direct_of_kind(kind: str) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """The words naming a field outright that take a quantity of this kind."""
    return [e for e in _vocabulary().direct if kind in e[2]]


@cache
def _unless_words(kind: str) -> frozenset[str]:
    """Every word that keeps a label from naming a field outright, for the fields taking this kind."""
    return frozenset(u for e in _direct_of_kind(kind) for u in e[3])


def _direct_field(q: Quantity, label: str) -> Optional[str]:
    """The field a label names outright (人员编制, 自评得分) for a quantity of its kind: None when it names none,
    "" when it names one the quantity cannot be (a total score above 100, 用车 0 辆 as staff)."""
    vocab = _vocabulary()
    entries = _direct_of_kind(q.kind)
    blocked = {u for u in _unless_words(q.kind) if u in label}
    direct = patterns.nearest(label, [e for e in entries if not blocked.intersection(e[3])] if blocked else entries)
    if direct is None:
        return None
    if q.value is not None and q.value > vocab.direct_max.get(direct[1], q.value):
        return ""
    if q.unit and q.unit not in vocab.direct_units.get(direct[1], [q.unit]):
        return ""  # 离退休干部用车 0 辆: not people
    return direct[1]


def _about_another_figure(text: str, at: int, vocab: _Vocabulary) -> bool:
    """Whether the clause of `text` holding position `at` names another figure (三公经费, 追加 ...)."""
    window = text[max(0, at - vocab.max_label_length) : at]
    start = at - len(window) + max(window.rfind(b) + 1 for b in vocab.boundaries)
    end = next(
        (i for i in range(at, min(len(text), at + vocab.max_label_length)) if text[i] in vocab.boundaries),
        min(len(text), at + vocab.max_label_length),
    )
    return any(word in text[start:end] for word in vocab.not_budget)


def label_quantities(
    document: Document,
    quantities: list[Quantity],
    sections: list[Section],
    default_subject: dict[str, str],
    forms: FormReading,
) -> tuple[list[Quantity], dict[str, Evidence]]:
    """Quantities with label, field, section, block and cell set, and the evidence of each field. Cells read
    from a form take the form's field; other numbers in the rows it read get none; bare numbers under a unit
    header get that unit."""
    from_forms = {f.quantity.span: f for f in forms.facts}
    in_classification: Optional[str] | bool = False
    evidence: dict[str, Evidence] = {}
    vocab = _vocabulary()
    text = document.text
    labelled: list[Quantity] = []
    previous_end, previous_field, sentence_start = 0, None, 0
    established: set[str] = set()
    clauses, sentences = _ClauseStarts(text, vocab.boundaries), _ClauseStarts(text, vocab.sentence_ends)
    # The sections holding each quantity, by a sweep in document order (quantities come sorted by span).
    by_start = sorted(sections, key=lambda s: s.span[0])
    opened: list[Section] = []
    next_section = 0
    for q in quantities:
        start = q.span[0]
        while next_section < len(by_start) and by_start[next_section].span[0] <= start:
            opened.append(by_start[next_section])
            next_section += 1
        opened = [s for s in opened if start < s.span[1]]
        block = document.block_at(start)
        cell = block.cell_at(start) if block is not None and block.kind == "table" else None
        floor = max(previous_end, cell.span[0] if cell else 0)
        raw = text[max(clauses.before(start, floor), start - vocab.max_label_length) : start]
        s_start = sentences.before(start, cell.span[0] if cell else 0)
        if s_start != sentence_start:
            sentence_start, previous_field = s_start, None
        containing = sorted(opened, key=lambda s: -s.level)
        ctx = _Context(_clean_label(raw), text[s_start:start], [s.title for s in containing], established)
        ctx.breakdown = raw.lstrip().startswith(tuple(vocab.breakdown))
        if cell is not None:
            assert block is not None  # a cell is only found in a table block
            ctx.in_table = True
            header = block.cell_covering(0, cell.col)
            ctx.column_header = header.text if header is not None and header is not cell else ""
            ctx.label = ctx.label or _clean_label(_row_header(block, cell))
            ctx.sentence = _table_preamble(document, block)
            q = _with_header_unit(q, _unit_context(document, block, cell, ctx.column_header))
        else:
            q = _with_header_unit(q, raw) if raw.rstrip().endswith((")", "）")) else q
            ctx.line_label = "" if ctx.label else _label_line_above(text, q)
        if cell is None and vocab.classification.search(text, previous_end, start):
            # 一般公共服务支出（类）…行政运行（项）。…全年预算为52.00万元: figures after a classification line, up
            # to the end of its section, are that line's
            in_classification = containing[0].id if containing else None
        form_fact = from_forms.get(q.span)
        if form_fact is not None:
            field, found = form_fact.field, form_fact.evidence
        elif any(s <= start < e for s, e in forms.rows):
            field, found = None, None
        elif cell is None and in_classification == (containing[0].id if containing else None):
            field, found = None, None  # text about one line of the functional classification
        else:
            field, kind = _field(q, ctx, previous_field, default_subject)
            found = Evidence(kind=kind, clause=(s_start, q.span[1]) if kind == "clause" else None)
        previous_field = field or previous_field
        if field:
            established.add(field)
            assert found is not None  # a field is only set with its evidence
            evidence[q.id] = found
        labelled.append(
            q.model_copy(
                update={
                    "label": (ctx.label + ctx.column_header) or None,
                    "field": field,
                    "section": containing[0].id if containing else None,
                    "block": block.index if block is not None else None,
                    "cell": CellRef(table=cast(Block, block).index, row=cell.row, col=cell.col)
                    if cell is not None
                    else None,
                    "page": block.page if block is not None else None,
                }
            )
        )
        previous_end = q.span[1]
    return labelled, evidence


def facts_from(quantities: list[Quantity], evidence: dict[str, Evidence]) -> list[Fact]:
    """One fact per quantity that has a field and a single value."""
    return [
        Fact(
            field=q.field, value=q.value, unit=q.unit, quantity=q.id, text=q.text, span=q.span, evidence=evidence[q.id]
        )
        for q in quantities
        if q.field and q.value is not None
    ]
