"""Find every number with its unit in a text: amounts, percentages, counts, scores, areas ... valued exactly.

The grammar is generic; which words are units, multipliers, qualifiers and non-quantities (dates, document
numbers, enumeration marks) comes from patterns/*.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Iterator, Optional

import regex

from . import patterns
from .normalise import normalise
from .numerals import parse_numeral
from .record import Quantity

# ASCII digits only (the text is normalised: full-width digits are folded); \d would also take digits of
# other scripts that Decimal cannot read.
_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_MASK = "\x00"


@dataclass(frozen=True)
class UnitWord:
    """One way of writing a unit: its kind, normalised unit and how many normalised units it is worth."""

    kind: str
    unit: str
    factor: Decimal


@dataclass(frozen=True)
class _Grammar:
    units: dict[str, UnitWord]
    prefixes: dict[str, dict]
    inner: dict[str, dict]
    suffixes: dict[str, dict]
    quantity: regex.Pattern
    exclusions: list[regex.Pattern]
    numeral_start: regex.Pattern  # a character a quantity's numeral (or percent word) begins with
    reach: int  # how far before that character a quantity can begin: a qualifier prefix, a space, a sign


@cache
def _grammar() -> _Grammar:
    units_data = patterns.load("units")
    not_followed_by = units_data["not_followed_by"]
    units: dict[str, UnitWord] = {}
    for table_name, table in units_data.items():
        if table_name == "not_followed_by":
            continue
        kind = table.get("kind", table_name)
        for word, factor in table["words"].items():
            units[word] = UnitWord(kind, table["unit"] or word, Decimal(factor))
    unit_alternatives = []
    for word in sorted(units, key=len, reverse=True):
        blocked = not_followed_by.get(word)
        guard = f"(?![{regex.escape(blocked)}])" if blocked else ""
        unit_alternatives.append(regex.escape(word) + guard)
    unit = "|".join(unit_alternatives)

    numerals = patterns.load("numerals")
    digits = "".join(numerals["digits"])
    places = "".join(numerals["places"])
    mult = patterns.alternation(numerals["multipliers"]["words"])
    percent_words = patterns.alternation(numerals["percent_words"]["words"])

    qualifiers = patterns.load("qualifiers")
    prefix = patterns.alternation(qualifiers["prefix"])
    inner = patterns.alternation(qualifiers["inner"])
    suffix = patterns.alternation(qualifiers["suffix"])
    sep = patterns.alternation(qualifiers["range"]["separators"])

    arabic_run = rf"(?:{_ARABIC})(?:[{places}]+(?:{_ARABIC}))*"
    # A Chinese numeral is at most max_chinese_numeral characters long and starts where no digit is right
    # before it (checked first, so a run is tried once, not from each of its characters): the scan stays linear.
    longest = numerals["max_chinese_numeral"] - 1
    chinese_run = rf"(?:[{digits}]|[十拾])[{digits}{places}]{{0,{longest}}}"
    chinese_start = rf"(?<![{digits}十拾])"
    inner_before_unit = rf"(?:(?P<inner>{inner})(?=\s?(?:{mult})?(?:{unit})))?"
    tail = rf"(?:\s?(?P<suffix>{suffix}))?"
    pattern = rf"""
        (?:(?P<prefix>{prefix})\s?)?
        (?:
            (?P<pword>{percent_words})(?P<pnum>{chinese_run}|{_ARABIC})
          |
            (?<![\d.])(?P<sign>(?<![\d%)）])-)?
            (?P<num>{arabic_run})
            (?:(?P<mult1>{mult})?[^\S\n]?(?P<sep>{sep})[^\S\n]?(?P<num2>{arabic_run}))?  # a range stays on its line
            (?:
                \s?(?P<unit>{unit})        # a unit word right after the number wins: 2百分点, 500千克
              |
                {inner_before_unit}
                (?:\s?(?P<mult>{mult}))?
                (?:(?P<inner2>{inner})(?=(?:{unit})))?
                (?:\s?(?P<unit>{unit}))?
            )
          |
            {chinese_start}(?<!第[{digits}十]*[、,]?)
            (?P<cnum>{chinese_run})
            (?:(?P<cinner>{inner})(?=(?:{unit})))?
            (?P<cunit>{unit})
        )
        {tail}
    """
    exclusions = [regex.compile(p, regex.M) for p in patterns.load("exclusions")["patterns"].values()]
    starts = "".join(w[0] for w in numerals["percent_words"]["words"])
    return _Grammar(
        units,
        qualifiers["prefix"],
        qualifiers["inner"],
        qualifiers["suffix"],
        regex.compile(pattern, regex.X),
        exclusions,
        regex.compile(f"[0-9{regex.escape(digits + starts)}十拾]"),
        max(map(len, qualifiers["prefix"])) + 2,
    )


def _mask_exclusions(text: str, grammar: _Grammar) -> str:
    """Blank out dates, document numbers, enumeration marks ... so they cannot be read as quantities."""
    chars = list(text)
    for pattern in grammar.exclusions:
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                if not chars[i].isspace():
                    chars[i] = _MASK
    return "".join(chars)


def _qualify(m: regex.Match, grammar: _Grammar) -> tuple[bool, str | None]:
    approx, comparison = False, None
    for group, table in (
        ("prefix", grammar.prefixes),
        ("inner", grammar.inner),
        ("inner2", grammar.inner),
        ("cinner", grammar.inner),
        ("suffix", grammar.suffixes),
    ):
        word = m.group(group)
        if word:
            approx = approx or table[word].get("approx", False)
            comparison = table[word].get("comparison", comparison)
    return approx, comparison


def _read(m: regex.Match, grammar: _Grammar) -> dict:
    """Kind, value(s) and unit of one match of the quantity grammar."""
    approx, comparison = _qualify(m, grammar)
    fields: dict[str, object] = {"approx": approx, "comparison": comparison, "low": None, "high": None}
    if m.group("pword"):
        return fields | {
            "kind": "percent",
            "value": parse_numeral(m.group("pnum")),
            "unit": "%",
            "unit_text": m.group("pword"),
            "unit_from": "text",
        }
    if m.group("cnum"):
        numeral, mult, unit_text = m.group("cnum"), "", m.group("cunit")
    else:
        numeral, mult, unit_text = m.group("num"), m.group("mult") or "", m.group("unit")
    unit_word = grammar.units.get(unit_text) if unit_text else None
    factor = unit_word.factor if unit_word else Decimal(1)
    sign = -1 if m.group("sign") else 1
    value: Decimal | None = sign * parse_numeral(numeral + mult) * factor
    if m.group("num2"):
        low_mult = m.group("mult1") or mult
        fields["low"] = sign * parse_numeral(numeral + low_mult) * factor
        fields["high"] = parse_numeral(m.group("num2") + mult) * factor
        value = None
    return fields | {
        "kind": unit_word.kind if unit_word else "number",
        "value": value,
        "unit": unit_word.unit if unit_word else None,
        "unit_text": (mult + (unit_text or "")) or None,
        "unit_from": "text" if unit_word else None,
    }


def _join_money_parts(found: list[dict]) -> list[dict]:
    """Join 5元3角2分 into one amount: after 元/角 money, an adjacent 角 or 分 is a smaller coin, not a score."""
    joined: list[dict] = []
    for q in found:
        before = joined[-1] if joined else None
        if (
            before
            and before["kind"] == "amount"
            and before["end"] == q["start"]
            and before["unit_text"].endswith(("元", "角"))
            and q["unit_text"] in ("角", "分")
        ):
            cents = q["value"] / 100 if q["kind"] == "score" else q["value"]
            before.update(end=q["end"], value=before["value"] + cents, unit_text=before["unit_text"] + q["unit_text"])
        else:
            joined.append(q)
    return joined


def _matches(text: str, grammar: _Grammar) -> Iterator[regex.Match]:
    """The grammar's matches in `text`, the same as its finditer's: every quantity has a numeral within `reach`
    characters of its start, so only the positions that near one are tried (prose without numbers, most of
    a report, is skipped at the speed of a character class instead of the whole grammar's)."""
    tried = 0  # positions before this are tried or inside a match
    for numeral in grammar.numeral_start.finditer(text):
        at = numeral.start()
        for start in range(max(tried, at - grammar.reach), at + 1):
            m = grammar.quantity.match(text, start)
            if m:
                yield m
                tried = m.end()
                break
        else:
            tried = max(tried, at + 1)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order, each with its exact source substring and [start, end) span."""
    grammar = _grammar()
    norm = normalise(text)
    masked = _mask_exclusions(norm.text, grammar)
    found = []
    for m in _matches(masked, grammar):
        start, end = norm.source_span(m.start(), m.end())
        found.append(_read(m, grammar) | {"start": start, "end": end})
    return [_quantity(i, text, q) for i, q in enumerate(_join_money_parts(found), 1)]


def _quantity(index: int, text: str, q: dict) -> Quantity:
    start, end = q.pop("start"), q.pop("end")
    return Quantity(id=f"q{index}", text=text[start:end], span=(start, end), **q)


@cache
def unit_quantity(unit: str) -> Optional[Quantity]:
    """A unit written in a header or label (万元, 分, %) as the quantity '1 <unit>': kind, unit and factor in one."""
    found = find_quantities("1" + unit)
    return found[0] if found else None


def merge_quantities(found: list[Quantity], read: list[Quantity]) -> list[Quantity]:
    """The quantities found in the text, where cells read from a form replace what overlaps them (a fused run
    such as 64.864.864.8100% is several cells, not one number), renumbered in document order."""
    spans = [q.span for q in read]
    kept = [q for q in found if not any(s < q.span[1] and q.span[0] < e for s, e in spans)]
    merged = sorted(kept + read, key=lambda q: q.span)
    return [q.model_copy(update={"id": f"q{i}"}) for i, q in enumerate(merged, 1)]
