"""Audit checks: does the report's arithmetic and structure hold? Every rule is declared in RULES below.

Tolerances come from what was written: a value with two decimals in 万元 may be off by half of 0.01万元, and
that error is carried through sums and ratios, so rounding in the report is never flagged as a mistake.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Optional, cast

import regex

from . import patterns
from .record import Category, Check, Fact, Indicator, Quantity, Report, Section
from .structure import number_value, write_number

_HUNDRED = Decimal(100)
_NUMBER = regex.compile(r"\d+(?:\.(\d+))?")


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    run: Callable[["_Facts", Report], Iterable[Check]]


def _half_unit(q: Quantity) -> Decimal:
    """Half of the last written digit, in the quantity's normalised unit: 98.56万元 → 0.005万元 = 50 yuan."""
    m = _NUMBER.search(q.text.replace(",", ""))
    if not m or q.value is None:
        return Decimal(0)
    written = Decimal(m.group())
    decimals = len(m.group(1) or "")
    scale = q.value / written if written else Decimal(1)
    return abs(Decimal("0.5") * Decimal(10) ** -decimals * scale)


def _fmt(value: Decimal, places: int = 2) -> str:
    return f"{value:,.{places}f}".rstrip("0").rstrip(".") if value != value.to_integral_value() else f"{value:,.0f}"


def _yuan(value: Decimal) -> str:
    return f"{_fmt(value / 10000)}万元" if abs(value) >= 10000 else f"{_fmt(value)}元"


class _Facts:
    """The report's facts by field (first statement wins), with their quantities."""

    def __init__(self, report: Report):
        self.quantities = {q.id: q for q in report.quantities}
        self.by_field: dict[str, list[Fact]] = defaultdict(list)
        for fact in report.facts:
            self.by_field[fact.field].append(fact)

    def get(self, field: str) -> Optional[Fact]:
        facts = self.by_field.get(field)
        return facts[0] if facts else None

    @staticmethod
    def together(*stated: Fact) -> bool:
        """Facts an error-level finding may combine: cells of one form row, or clauses of one sentence. A
        nearest label alone, or figures from different rows or sentences, support a warning at most."""
        kinds = {f.evidence.kind for f in stated}
        if kinds == {"form_cell"}:
            return len({(f.evidence.form, f.evidence.row) for f in stated}) == 1
        if kinds == {"clause"}:
            return len({f.evidence.clause[0] for f in stated if f.evidence.clause}) == 1
        return False

    def error(self, fact: Fact) -> Decimal:
        return _half_unit(self.quantities[fact.quantity])


def _check(rule: str, ok: bool, severity: str, zh: str, en: str, **evidence) -> Check:
    return Check(rule=rule, status="pass" if ok else "fail", severity=severity, message=f"{zh} {en}", **evidence)


def _stated_ratio(
    facts: _Facts, rule: str, stated: Fact, numerator: Fact, denominator: Fact, zh: str, en: str
) -> Check:
    """A stated percentage against numerator / denominator × 100, within the rounding of all three figures."""
    computed = numerator.value / denominator.value * _HUNDRED
    relative = facts.error(denominator) / denominator.value
    if numerator.value:
        relative += facts.error(numerator) / numerator.value
    tolerance = facts.error(stated) + computed * relative
    number = _NUMBER.search(stated.text)
    assert number is not None  # a stated figure's text holds its number
    shown = round(computed, len(number.group(1) or ""))
    return _check(
        rule,
        abs(computed - stated.value) <= tolerance,
        "error" if facts.together(stated, numerator, denominator) else "warning",
        f"{zh}：按{numerator.text}/{denominator.text}计算为{shown}%，报告为{stated.text}。",
        f"{en}: {numerator.text} / {denominator.text} = {shown}%, stated {stated.text}.",
        expected=shown,
        found=stated.value,
        tolerance=round(tolerance, 4),
        quantities=[numerator.quantity, denominator.quantity, stated.quantity],
    )


def check_rates(facts: _Facts, report: Report) -> Iterable[Check]:
    for subject in patterns.load("checks")["rates"]["subjects"]:
        rate = facts.get(f"budget.{subject}.execution_rate")
        actual = facts.get(f"budget.{subject}.actual")
        planned = facts.get(f"budget.{subject}.adjusted") or facts.get(f"budget.{subject}.planned")
        if rate and actual and planned and planned.value != 0:
            zh, en = patterns.load("checks")["subject_names"][subject]
            yield _stated_ratio(
                facts, "rate_equals_ratio", rate, actual, planned, f"{zh}执行率", f"Execution rate ({en})"
            )


def check_shares(facts: _Facts, report: Report) -> Iterable[Check]:
    for share_field, spec in patterns.load("checks")["shares"].items():
        share, part, whole = facts.get(share_field), facts.get(spec["part"]), facts.get(spec["whole"])
        if share and part and whole and whole.value != 0:
            yield _stated_ratio(facts, "share_equals_ratio", share, part, whole, "占比", "Share")


def check_sums(facts: _Facts, report: Report) -> Iterable[Check]:
    for spec in patterns.load("checks")["sums"]:
        whole = facts.get(spec["whole"])
        maybe_parts = [facts.get(f) for f in spec["parts"]]
        if whole is None or not all(maybe_parts):
            continue
        parts = cast(list[Fact], maybe_parts)  # all present: checked just above
        total = sum((p.value for p in parts), Decimal(0))
        tolerance = facts.error(whole) + sum((facts.error(p) for p in parts), Decimal(0))
        written = " + ".join(p.text for p in parts)
        yield _check(
            "parts_sum_to_whole",
            abs(total - whole.value) <= tolerance,
            "error" if all(f.evidence.kind in ("form_cell", "clause") for f in [whole, *parts]) else "warning",
            f"合计：{written} = {_yuan(total)}，报告合计为{whole.text}。",
            f"Sum: {written} = {_yuan(total)}, stated total {whole.text}.",
            expected=total,
            found=whole.value,
            tolerance=tolerance,
            quantities=[p.quantity for p in parts] + [whole.quantity],
        )


def _items_of(category: Category, indicators: list[Indicator]) -> list[Indicator]:
    return [i for i in indicators if i.category == category.name]


def _made_up(total: Decimal, expected: Decimal, uncounted: list[Decimal]) -> Decimal:
    """`total` with the weights of scored lines it leaves out, where they make it exactly `expected`; else
    `total` as it is (a sum checked on sure evidence only)."""
    with_uncounted = total + sum(uncounted, Decimal(0))
    return with_uncounted if total != expected and uncounted and with_uncounted == expected else total


def _empty_subgroups(category: Category, report: Report) -> list[Category]:
    """The weighted sub-groups printed inside a category's part of the text that hold no indicator (服务对象满意度
    指标(10分) with its rows unread or none): their weight is part of the category's all the same."""
    ev = report.evaluation
    later = [c.span[0] for c in ev.categories if c.level == 1 and c.span[0] > category.span[0]]
    end = min(later, default=len(report.text))
    used = {i.subcategory for i in ev.indicators}
    return [
        g
        for g in ev.categories
        if g.level == 2 and g.weight is not None and g.name not in used and category.span[0] < g.span[0] < end
    ]


def check_item_weights(facts: _Facts, report: Report) -> Iterable[Check]:
    ev = report.evaluation
    for category in ev.categories:
        items = _items_of(category, ev.indicators)
        if category.weight is None or not items or any(i.weight is None for i in items):
            continue
        total = sum((cast(Decimal, i.weight) for i in items), Decimal(0))
        empty = _empty_subgroups(category, report)
        total = _made_up(total, category.weight, [cast(Decimal, g.weight) for g in empty])
        yield _check(
            "item_weights_sum_to_category",
            total == category.weight,
            "error",
            f"{category.name}：各项分值合计{_fmt(total)}分，类别分值为{_fmt(category.weight)}分。",
            f"{category.name}: item weights sum to {_fmt(total)}, the category is worth {_fmt(category.weight)}.",
            expected=category.weight,
            found=total,
            tolerance=Decimal(0),
            indicators=[category.id] + [i.id for i in items],
        )


def check_category_weights(facts: _Facts, report: Report) -> Iterable[Check]:
    """The top-level weights add up to 100. Where the categories alone do not, scored lines outside any
    category count too: the funds row of FORMS.md A and B (预算执行率, 10 of the 100) beside 产出/效益/满意度."""
    top = [c for c in report.evaluation.categories if c.level == 1]
    if not top or any(c.weight is None for c in top):
        return
    total = sum((cast(Decimal, c.weight) for c in top), Decimal(0))
    ids = [c.id for c in top]
    outside = [i for i in report.evaluation.indicators if i.category is None and i.weight is not None]
    made_up = _made_up(total, _HUNDRED, [cast(Decimal, i.weight) for i in outside])
    if made_up != total:
        total, ids = made_up, ids + [i.id for i in outside]
    yield _check(
        "category_weights_sum_to_100",
        total == _HUNDRED,
        "error",
        f"各类别分值合计{_fmt(total)}分，应为100分。",
        f"Category weights sum to {_fmt(total)}, not 100."
        if total != _HUNDRED
        else f"Category weights sum to {_fmt(total)}.",
        expected=_HUNDRED,
        found=total,
        tolerance=Decimal(0),
        indicators=ids,
    )


def check_category_scores(facts: _Facts, report: Report) -> Iterable[Check]:
    ev = report.evaluation
    top = [c for c in ev.categories if c.level == 1]
    if ev.total_score is None or not top or any(c.score is None for c in top):
        return
    total = sum((cast(Decimal, c.score) for c in top), Decimal(0))
    written = " + ".join(_fmt(cast(Decimal, c.score)) for c in top)
    yield _check(
        "category_scores_sum_to_total",
        total == ev.total_score.value,
        "error",
        f"总分：{written} = {_fmt(total)}分，报告总分为{ev.total_score.text}。",
        f"Total score: {written} = {_fmt(total)}, stated {ev.total_score.text}.",
        expected=total,
        found=ev.total_score.value,
        tolerance=Decimal(0),
        indicators=[c.id for c in top],
        quantities=_total_score_quantity(report),
    )


def _total_score_quantity(report: Report) -> list[str]:
    fact = next((f for f in report.facts if f.field == "evaluation.total_score"), None)
    return [fact.quantity] if fact else []


def _scored(report: Report) -> list[Category | Indicator]:
    return [*report.evaluation.categories, *report.evaluation.indicators]


def check_score_within_weight(facts: _Facts, report: Report) -> Iterable[Check]:
    for item in _scored(report):
        if item.weight is None or item.score is None:
            continue
        yield _check(
            "score_within_weight",
            item.score <= item.weight,
            "error",
            f"{item.name}：得分{_fmt(item.score)}分，分值{_fmt(item.weight)}分。",
            f"{item.name}: score {_fmt(item.score)} against a weight of {_fmt(item.weight)}.",
            expected=item.weight,
            found=item.score,
            tolerance=Decimal(0),
            indicators=[item.id],
        )


def check_deductions(facts: _Facts, report: Report) -> Iterable[Check]:
    for item in _scored(report):
        if item.weight is None or item.score is None or item.deduction is None:
            continue
        expected = item.weight - item.score
        yield _check(
            "deduction_equals_weight_minus_score",
            item.deduction == expected,
            "error",
            f"{item.name}：扣分{_fmt(item.deduction)}分，分值减得分为{_fmt(expected)}分。",
            f"{item.name}: deduction {_fmt(item.deduction)}, weight − score = {_fmt(expected)}.",
            expected=expected,
            found=item.deduction,
            tolerance=Decimal(0),
            indicators=[item.id],
        )


def _meets(target: Quantity, actual: Quantity) -> Optional[bool]:
    if target.value is None or actual.value is None or target.kind != actual.kind:
        return None
    comparison = target.comparison or "ge"
    return {
        "ge": actual.value >= target.value,
        "gt": actual.value > target.value,
        "le": actual.value <= target.value,
        "lt": actual.value < target.value,
    }[comparison]


def check_target_and_score(facts: _Facts, report: Report) -> Iterable[Check]:
    for item in report.evaluation.indicators:
        if not (item.target and item.actual and item.target.quantity and item.actual.quantity):
            continue
        if item.weight is None or item.score is None:
            continue
        met = _meets(facts.quantities[item.target.quantity], facts.quantities[item.actual.quantity])
        if met is None:
            continue
        full = item.score >= item.weight
        state_zh, state_en = (
            ("完成目标但被扣分", "met its target but lost points")
            if met and not full
            else ("未完成目标却得满分", "missed its target but got full points")
            if not met and full
            else ("目标完成情况与得分一致", "target and score agree")
        )
        yield _check(
            "target_met_matches_score",
            met == full,
            "info",
            f"{item.name}：目标{item.target.text}，实际{item.actual.text}，得分{_fmt(item.score)}/{_fmt(item.weight)}，{state_zh}。",
            f"{item.name}: target {item.target.text}, actual {item.actual.text}, "
            f"score {_fmt(item.score)}/{_fmt(item.weight)}: {state_en}.",
            expected=item.weight if met else None,
            found=item.score,
            quantities=[item.target.quantity, item.actual.quantity],
            indicators=[item.id],
        )


def check_repeated_facts(facts: _Facts, report: Report) -> Iterable[Check]:
    for field, stated in facts.by_field.items():
        values = {f.value for f in stated}
        if len(stated) < 2:
            continue
        listing = "、".join(f.text for f in stated)
        yield _check(
            "same_fact_same_value",
            len(values) == 1,
            "warning",
            f"{field}多次出现：{listing}。",
            f"{field} is stated {len(stated)} times: {listing}.",
            quantities=[f.quantity for f in stated],
        )


def _gaps(numbers: list[int]) -> list[int]:
    """The numbers missing from 1 to the largest, where few enough are missing for this to be one list."""
    present = set(numbers)
    if not numbers or max(numbers) - len(present) > patterns.load("checks")["numbering"]["max_missing"]:
        return []
    return [n for n in range(1, max(numbers) + 1) if n not in present]


def check_section_numbering(facts: _Facts, report: Report) -> Iterable[Check]:
    groups: dict[tuple, list[Section]] = defaultdict(list)
    for s in report.sections:
        if s.value is not None:
            groups[(s.parent, s.style)].append(s)
    for (parent, style), siblings in groups.items():
        missing = [write_number(n, style) for n in _gaps([cast(int, s.value) for s in siblings])]
        written = "、".join(cast(str, s.number) for s in siblings)
        where_zh, where_en = next(
            ((f"“{p.title}”下的", f"under {p.title}") for p in report.sections if p.id == parent),
            ("全文一级", "at the top level"),
        )
        yield _check(
            "numbering_has_no_gaps",
            not missing,
            "warning",
            f"{where_zh}标题编号为{written}" + (f"，缺少{'、'.join(missing)}。" if missing else "，连续。"),
            f"Headings {where_en} are numbered {written}"
            + (f"; {', '.join(missing)} is missing." if missing else ", without gaps."),
            sections=[s.id for s in siblings],
        )


def check_item_numbering(facts: _Facts, report: Report) -> Iterable[Check]:
    ev = report.evaluation
    for category in ev.categories:
        items = [i for i in _items_of(category, ev.indicators) if i.number]
        if len(items) < 2:
            continue
        missing = [str(n) for n in _gaps([number_value(cast(str, i.number)) for i in items])]
        written = "、".join(cast(str, i.number) for i in items)
        yield _check(
            "numbering_has_no_gaps",
            not missing,
            "warning",
            f"{category.name}的指标编号为{written}" + (f"，缺少第{'、'.join(missing)}项。" if missing else "，连续。"),
            f"Items of {category.name} are numbered {written}"
            + (f"; item {', '.join(missing)} is missing." if missing else ", without gaps."),
            indicators=[category.id] + [i.id for i in items],
        )


def _stated_bands(text: str) -> dict[str, Decimal]:
    rules = patterns.load("checks")
    synonyms = rules["grade_synonyms"]
    bands: dict[str, Decimal] = {}
    for m in regex.finditer(rules["stated_bands"]["pattern"], text):
        grade = synonyms.get(m.group(2), m.group(2))
        bands.setdefault(grade, Decimal(m.group(1)))
    return bands


def check_grade(facts: _Facts, report: Report) -> Iterable[Check]:
    ev = report.evaluation
    if ev.total_score is None or ev.grade is None:
        return
    rules = patterns.load("checks")
    stated = _stated_bands(report.text)
    bands = stated or {g: Decimal(v) for g, v in rules["common_grade_bands"].items()}
    expected = max((g for g in bands if ev.total_score.value >= bands[g]), key=lambda g: bands[g], default=None)
    grade = rules["grade_synonyms"].get(ev.grade.value, ev.grade.value)
    source_zh, source_en = (
        ("报告所列等级标准", "the report's own bands")
        if stated
        else ("财预〔2020〕10号等级标准", "the 90/80/60 bands of 财预〔2020〕10号")
    )
    yield _check(
        "grade_matches_score",
        expected == grade,
        "error" if stated else "warning",  # the national bands, which most provinces use (FORMS.md, Grades)
        f"总分{ev.total_score.text}按{source_zh}应为“{expected}”，报告等级为“{ev.grade.value}”。",
        f"A total of {ev.total_score.text} is grade {expected} by {source_en}; the report says {ev.grade.value}.",
        found=ev.total_score.value,
        quantities=_total_score_quantity(report),
    )


def check_ocr_confidence(facts: _Facts, report: Report) -> Iterable[Check]:
    read = [q for q in report.quantities if q.confidence is not None]
    if not read:
        return
    threshold = Decimal(str(patterns.load("ocr")["recognition"]["min_confidence"]))
    doubtful = [q for q in read if Decimal(str(q.confidence)) < threshold]
    listing = "、".join(f"{q.text}({q.confidence:.2f})" for q in doubtful[:10])
    yield _check(
        "ocr_confidence",
        not doubtful,
        "warning",
        f"OCR识别置信度低于{threshold}的数值{len(doubtful)}个" + (f"：{listing}。" if doubtful else "。"),
        f"{len(doubtful)} of {len(read)} OCR-read values have a confidence below {threshold}"
        + (f": {listing}." if doubtful else "."),
        found=Decimal(len(doubtful)),
        quantities=[q.id for q in doubtful],
    )


def _project_grades(facts: _Facts) -> list[tuple[str, Fact]]:
    """(band, fact) of each projects.grade_count.* stated, in the order of patterns/checks.toml."""
    bands = patterns.load("checks")["project_grades"]
    return [(band, f) for grade, band in bands.items() if (f := facts.get(f"projects.grade_count.{grade}"))]


def check_project_grades(facts: _Facts, report: Report) -> Iterable[Check]:
    count, grades = facts.get("projects.count"), _project_grades(facts)
    if count is None or len(grades) < len(patterns.load("checks")["project_grades"]):
        return
    total = sum((f.value for _, f in grades), Decimal(0))
    written = " + ".join(f"{band}{f.text}" for band, f in grades)
    yield _check(
        "project_grades_sum_to_count",
        total == count.value,
        "error",
        f"项目评级：{written} = {_fmt(total)}个，报告项目数为{count.text}。",
        f"Project grades: {written} = {_fmt(total)}, stated {count.text} projects.",
        expected=total,
        found=count.value,
        tolerance=Decimal(0),
        quantities=[f.quantity for _, f in grades] + [count.quantity],
    )


def check_project_average(facts: _Facts, report: Report) -> Iterable[Check]:
    average = facts.get("projects.average_score")
    rated = [(band, f) for band, f in _project_grades(facts) if f.value > 0]
    if average is None or not rated:
        return
    rules = patterns.load("checks")
    stated = _stated_bands(report.text)
    lows = {g: Decimal(v) for g, v in rules["common_grade_bands"].items()} | stated
    top = Decimal(rules["scores"]["max"])
    low = min(lows[band] for band, _ in rated)
    high = max(min((v for v in lows.values() if v > lows[band]), default=top) for band, _ in rated)
    names = "、".join(band for band, _ in rated)
    yield _check(
        "project_average_within_grades",
        low <= average.value <= high,
        "error" if stated else "warning",
        f"项目平均得分{average.text}，所评等级（{names}）的分数范围为{_fmt(low)}–{_fmt(high)}分。",
        f"Projects' average score {average.text}; the grades given ({names}) span {_fmt(low)}–{_fmt(high)}.",
        found=average.value,
        quantities=[average.quantity] + [f.quantity for _, f in rated],
    )


RULES = [
    Rule("rate_equals_ratio", "A stated execution rate equals actual / planned spending.", check_rates),
    Rule("share_equals_ratio", "A stated share equals part / whole.", check_shares),
    Rule(
        "parts_sum_to_whole",
        "Parts add up to their whole (personnel + public = basic; basic + project = total).",
        check_sums,
    ),
    Rule("item_weights_sum_to_category", "Item weights add up to their category's weight.", check_item_weights),
    Rule("category_weights_sum_to_100", "Category weights add up to 100.", check_category_weights),
    Rule("category_scores_sum_to_total", "Category scores add up to the total score.", check_category_scores),
    Rule("score_within_weight", "No score exceeds its weight.", check_score_within_weight),
    Rule("deduction_equals_weight_minus_score", "A stated deduction equals weight − score.", check_deductions),
    Rule(
        "target_met_matches_score",
        "An indicator that met its target keeps full points, and the reverse (info).",
        check_target_and_score,
    ),
    Rule("same_fact_same_value", "A fact stated twice has the same value both times.", check_repeated_facts),
    Rule(
        "numbering_has_no_gaps",
        "Section and item numbers run without gaps.",
        lambda facts, report: [*check_section_numbering(facts, report), *check_item_numbering(facts, report)],
    ),
    Rule(
        "grade_matches_score",
        "The grade agrees with the total score under the report's bands (or 90/80/60).",
        check_grade,
    ),
    Rule(
        "ocr_confidence",
        "Values read by OCR were recognised with enough confidence (patterns/ocr.toml).",
        check_ocr_confidence,
    ),
    Rule(
        "project_grades_sum_to_count",
        "Projects counted per grade add up to the projects counted.",
        check_project_grades,
    ),
    Rule(
        "project_average_within_grades",
        "The projects' average score lies within the bands of the grades given.",
        check_project_average,
    ),
]
RULE_IDS = [r.id for r in RULES]


def run_checks(report: Report, disabled: Iterable[str] = ()) -> list[Check]:
    """Every enabled rule's checks on `report`, passes included, in rule order."""
    unknown = set(disabled) - set(RULE_IDS)
    if unknown:
        raise ValueError(f"unknown rule(s): {', '.join(sorted(unknown))}")
    facts = _Facts(report)
    return [c for rule in RULES if rule.id not in disabled for c in rule.run(facts, report)]
