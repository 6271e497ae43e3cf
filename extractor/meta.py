"""What a report is: title, kind, fiscal year, department, region, total score and grade (patterns/report.toml)."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path
from typing import Optional

import regex

from . import patterns
from .divisions import division_mentions, region_prefix
from .normalise import normalise
from .record import Fact, ReportMeta, StatedDepartment, StatedKind, StatedNumber, StatedText, StatedYear

_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(度)?(?!\s*\d{1,2}\s*月)")


def _rules() -> dict:
    return patterns.load("report")


def find_title(text: str) -> Optional[StatedText]:
    rules = _rules()["title"]
    words = regex.compile(patterns.alternation(rules["words"]))
    offset = 0
    for line in text.split("\n"):
        m = words.search(line)
        if m and not any(w in line for w in rules["not_in"]):
            stripped = line.strip(" \t|")
            if len(stripped) <= 60:
                start = offset + line.index(stripped)
                return StatedText(value=stripped, text=stripped, span=(start, start + len(stripped)))
            # A title run into the text that follows it: keep up to the document-type word and a (2023年度) after it.
            head = regex.search(rf"[^\s。；;|]{{0,40}}?(?:{words.pattern})(?:\s*[(（]\d{{4}}年度?[)）])?", line)
            if head:
                value = regex.sub(r"^\d{1,2}\s*[、.]", "", head.group()).strip()
                start = offset + head.end() - len(value)
                return StatedText(value=value, text=value, span=(start, start + len(value)))
        offset += len(line) + 1
    return None


@cache
def _kind_patterns() -> list[tuple[str, regex.Pattern]]:
    return [(rule["kind"], regex.compile(patterns.alternation(rule["words"]))) for rule in _rules()["kinds"]]


def find_kind(text: str, title: Optional[StatedText]) -> Optional[StatedKind]:
    opening = text[: _rules()["fiscal_year"]["opening_chars"]]
    places = ([(title.value, title.span[0])] if title else []) + [(opening, 0)]
    for where, offset in places:
        for kind, pattern in _kind_patterns():
            m = pattern.search(where)
            if m:
                start = offset + m.start()
                return StatedKind(value=kind, text=m.group(), span=(start, start + len(m.group())))
    return None


def _year_ok(text: str, m: regex.Match) -> bool:
    before = text[max(0, m.start() - 8) : m.start()]
    return not any(label in before for label in _rules()["fiscal_year"]["not_after"])


def find_fiscal_year(text: str, title: Optional[StatedText]) -> Optional[StatedYear]:
    def stated(m: regex.Match, offset: int) -> StatedYear:
        return StatedYear(value=int(m.group(1)), text=m.group(), span=(offset + m.start(), offset + m.end()))

    if title:
        m = _YEAR.search(title.value)
        if m:
            return stated(m, title.span[0])
        following = text[title.span[1] :].split("\n")[1 : 1 + _rules()["fiscal_year"]["title_year_lines"]]
        offset = title.span[1] + 1
        for line in following:
            bare = regex.fullmatch(r"\s*((?:19|20)\d{2})\s*", line)
            if bare:
                return StatedYear(
                    value=int(bare.group(1)), text=bare.group(1), span=(offset + bare.start(1), offset + bare.end(1))
                )
            offset += len(line) + 1
    opening = text[: _rules()["fiscal_year"]["opening_chars"]]
    candidates = [m for m in _YEAR.finditer(opening) if _year_ok(opening, m)]
    with_du = [m for m in candidates if m.group(2)]
    no_match: list[Optional[regex.Match[str]]] = [None]
    chosen = (with_du or candidates or no_match)[0]
    return stated(chosen, 0) if chosen else None


@cache
def _organisation() -> regex.Pattern:
    rules = _rules()["department"]
    return regex.compile(rf"[\p{{Han}}()（）a-z*·]{{2,30}}?(?:{patterns.alternation(rules['suffixes'])})")


def _clean_name(value: str) -> Optional[str]:
    rules = _rules()["department"]
    value = regex.sub(r"^[^\p{Han}*]+", "", value.strip())
    # Cut at the last organisation suffix: 原州区农技中心 from 原州区农技中心项目负责人...
    ends = [m.end() for m in regex.finditer(patterns.alternation(rules["suffixes"]), value)]
    if not ends:
        return None
    value = value[: max(ends)]
    if value in rules["not_names"] or len(value) < 3:
        return None
    return value


def _from_cover(text: str) -> Optional[StatedDepartment]:
    rules = _rules()["department"]
    ends = regex.escape(rules["value_ends"])
    for label in rules["cover_fields"]:
        separator = r"\s*[:：|]?\s*" if len(label) >= rules["bare_label_min_length"] else r"\s*[:：|\s]\s*"
        remark = r"(?:[(（][^)）\n]{1,6}[)）])?"  # 实施单位(盖章)
        not_after = rf"(?<!{'|'.join(map(regex.escape, rules['cover_not_after']))})"
        for m in regex.finditer(rf"{not_after}{regex.escape(label)}{remark}{separator}([^{ends}]{{2,40}})", text):
            name = _clean_name(m.group(1))
            if name:
                start = m.start(1) + m.group(1).index(name)
                return StatedDepartment(value=name, text=name, span=(start, start + len(name)), source="cover")
    return None


def _from_title(title: Optional[StatedText]) -> Optional[StatedDepartment]:
    if not title:
        return None
    m = regex.match(rf"(?:\d{{4}}\s*年度?)?({_organisation().pattern})", title.value)
    if not m:
        return None
    name = _clean_name(m.group(1))
    if not name or not regex.match(_rules()["department"]["region_start"], name):
        return None
    start = title.span[0] + m.start(1) + m.group(1).find(name)  # cleaning may strip a leading （ or space
    return StatedDepartment(value=name, text=name, span=(start, start + len(name)), source="title")


def _from_body(text: str) -> Optional[StatedDepartment]:
    """The organisation named most often after a clause break, starting with a region (twice at least)."""
    rules = _rules()["department"]
    pattern = regex.compile(
        rf"(?<=^|[。，,；;：:\n|\s“”])(?:{rules['region_start']})[\p{{Han}}]{{0,25}}?"
        rf"(?:{patterns.alternation(rules['suffixes'])})",
        regex.M,
    )
    mentions = [(m.group(), m.start()) for m in pattern.finditer(text)]
    counts = Counter(name for name, _ in mentions)
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    if n < 2:
        return None
    start = next(s for v, s in mentions if v == name)
    return StatedDepartment(value=name, text=name, span=(start, start + len(name)), source="body")


def _from_division_mention(text: str) -> Optional[StatedDepartment]:
    """Last resort in the text: an official division name followed closely by an organisation suffix in the
    opening text (泸西县教育体育局), skipping names right after labels of other bodies (主管部门 ...)."""
    rules = _rules()["department"]
    opening = text[: _rules()["fiscal_year"]["opening_chars"]]
    organisation = regex.compile(
        rf"[\p{{Han}}]{{0,{rules['mention']['max_chars']}}}?"
        rf"(?:{patterns.alternation(rules['suffixes'])})"
    )
    for position, name in division_mentions(opening):
        before = opening[max(0, position - 8) : position]
        if any(before.endswith(label) for label in rules["mention"]["not_after"]):
            continue
        m = organisation.match(opening, position + len(name))
        if m and m.group() and name + m.group() not in rules["not_names"]:
            value = name + m.group()
            return StatedDepartment(value=value, text=value, span=(position, position + len(value)), source="body")
    return None


def find_department(text: str, title: Optional[StatedText]) -> Optional[StatedDepartment]:
    return _from_cover(text) or _from_title(title) or _from_division_mention(text) or _from_body(text)


def find_region(department: Optional[StatedDepartment]) -> Optional[StatedText]:
    """The administrative divisions the department's name starts with: 雁峰区 of 雁峰区重点建设项目事务中心."""
    region = region_prefix(department.value) if department is not None else None
    if region is None:
        return None
    assert department is not None  # region is None when department is None
    return StatedText(value=region, text=region, span=(department.span[0], department.span[0] + len(region)))


def department_key(name: str) -> str:
    """The name with spaces, full-width forms and 单位/本级/机关 suffixes removed, for grouping across files."""
    key = regex.sub(r"\s+", "", normalise(name).text)
    for suffix in _rules()["department"]["key_trim"]:
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            key = key[: -len(suffix)]
    return key


def find_grade(text: str) -> Optional[StatedText]:
    m = regex.search(_rules()["grade"]["pattern"], text)
    if not m:
        return None
    return StatedText(value=m.group(1), text=m.group(), span=(m.start(), m.end()))


def total_score(facts: list[Fact]) -> Optional[StatedNumber]:
    fact = next((f for f in facts if f.field == "evaluation.total_score"), None)
    return StatedNumber(value=fact.value, text=fact.text, span=fact.span) if fact else None


def read_meta(text: str, path: Optional[str] = None) -> ReportMeta:
    title = find_title(text)
    department = find_department(text, title)
    if department is None and path:
        department = _from_file_name(path)
    return ReportMeta(
        title=title,
        kind=find_kind(text, title),
        fiscal_year=find_fiscal_year(text, title),
        department=department,
        department_key=department_key(department.value) if department else None,
        region=find_region(department),
    )


def _from_file_name(path: str) -> Optional[StatedDepartment]:
    """Last resort: an organisation name at the start of the file name (its span is empty: not in the text)."""
    stem = Path(path).stem
    m = regex.match(_organisation(), stem)
    name = _clean_name(m.group()) if m else None
    if not name or not regex.match(_rules()["department"]["region_start"], name):
        return None
    return StatedDepartment(value=name, text=stem, span=(0, 0), source="file_name")
