"""Read the funds block of the standard forms (patterns/forms.toml) in any rendering: facts with their cells.

A funds block is found by its header words in a view of the text without spaces, line breaks and '|', so a
real table, '|' rows, cells one per line, single-space rows and fused cells are all found the same way. Each
row's values are then assigned to the header's columns: by position where the cells are explicit, else by the
form's arithmetic (执行率 = 执行数 / 预算数, 得分 ≤ 分值), and only where every reading that satisfies it agrees.
A row no reading fits stays unread and is reported.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Iterator, Optional, cast

import regex

from . import patterns
from .grids import Squeezed, is_values_line, lines_after, paired_by_rank, squeeze, unsplit_headers
from .quantities import unit_quantity
from .record import Evidence, FormTable, Quantity, ReadWarning, TableRow

_NOT_MONEY = ("execution_rate", "weight", "score")
# The lines after a header that can hold its rows: a basic-data table has a few dozen at most, one per line or
# one cell per line (its widest form, 4 cells a row, fills 4 lines a row).
_ROW_LINES = 240
_NUMBER_PIECE = regex.compile(r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?%?")
# Longer fused runs are not cut (the ways to cut grow exponentially; real rows fuse six cells at most).
_MAX_FUSED = 40
# An execution rate above this (in %) is no rate: a misread run.
_MAX_RATE = 1000


@dataclass(frozen=True)
class _Rules:
    min_columns: int
    max_gap: int
    block_chars: int
    row_chars: int
    department_words: list[str]
    budget_is_adjusted: list[str]
    header: regex.Pattern
    columns: dict[str, str]  # column word -> role
    row_pattern: regex.Pattern
    rows: dict[str, str]  # row label -> subject
    measures: dict[str, list[str]]  # subject -> the measures it has
    ends: regex.Pattern
    empty: frozenset[str]
    header_unit: regex.Pattern
    total_row: regex.Pattern
    weight_total: Decimal


@cache
def _rules() -> _Rules:
    data = patterns.load("forms")["funds"]
    columns = {w: role for role, words in data["columns"].items() for w in words}
    rows = {w: subject for subject, words in data["rows"].items() for w in words}
    return _Rules(
        min_columns=data["min_columns"],
        max_gap=data["max_gap"],
        block_chars=data["block_chars"],
        row_chars=data["row_chars"],
        department_words=data["department_words"],
        budget_is_adjusted=data["budget_is_adjusted"],
        header=regex.compile(patterns.alternation(columns)),
        columns=columns,
        row_pattern=regex.compile(patterns.alternation(rows)),
        rows=rows,
        measures=data["measures"],
        ends=regex.compile(patterns.alternation(data["ends"]["words"])),
        empty=frozenset(data["cells"]["empty"]),
        header_unit=regex.compile(patterns.load("fields")["header_units"]["pattern"]),
        total_row=regex.compile(patterns.alternation(patterns.load("forms")["total_row"]["words"])),
        weight_total=Decimal(patterns.load("forms")["total_row"]["weight_total"]),
    )


@dataclass
class FormFact:
    field: str
    quantity: Quantity
    evidence: Evidence


@dataclass
class FormReading:
    """What the forms gave: facts, the quantities they rest on (split cells are new quantities), the spans
    of the rows read (their numbers get no other field) and the rows that could not be read."""

    facts: list[FormFact] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    rows: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)
    tables: list[FormTable] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)  # the funds row scored as an indicator


@dataclass
class _Header:
    roles: list[str]
    words: list[str]
    start: int  # in the text
    end: int


@cache
def _header_word() -> regex.Pattern:
    """A header word of the forms read here, made whole from two lines: a funds column, a basic-data title,
    staff or year column, a final-accounts column, with a unit after it, its closing bracket lost (数(万元); a
    block title ending in a column word stands before its unit (年度预算数(万元). A row label under a header
    joins no cell: 基本支出 and 合计 are not 基本支出合计."""
    data = patterns.load("forms")
    basic = data["basic_data"]
    words = [*_rules().columns, *basic["titles"], *(w for ws in data["final_accounts"]["columns"].values() for w in ws)]
    staff = [w for key in ("authorized", "actual", "rate") for w in basic["staff"][key]]
    unit = r"[(（](?:万元|元)[)）]?"
    return regex.compile(
        rf"(?:{patterns.alternation(words)}|(?:(?:19|20)\d{{2}}年)?(?:实际)?(?:{patterns.alternation(staff)})"
        rf"|{basic['columns']['pattern']})(?:{unit})?|\p{{Han}}{{1,4}}(?:{patterns.alternation(words)}){unit}"
    )


def _headers(text: str, squeezed: Squeezed) -> list[_Header]:
    """Runs of funds column words close together with no number between them."""
    rules = _rules()
    found: list[_Header] = []
    run: list[regex.Match] = []

    def close():
        roles = [rules.columns[m.group()] for m in run]
        if len(run) >= rules.min_columns and len(set(roles)) == len(roles) and "actual" in roles:
            start, _ = squeezed.span(run[0].start(), run[0].end())
            _, end = squeezed.span(run[-1].start(), run[-1].end())
            found.append(_Header(roles, [m.group() for m in run], start, end))

    for m in rules.header.finditer(squeezed.text):
        if rules.columns[m.group()] == "planned":
            # 年初 is the first money column: a budget word before it titles the block (年度预算数(万元))
            run = [r for r in run if rules.columns[r.group()] not in ("budget", "adjusted")]
        gap = squeezed.text[run[-1].end() : m.start()] if run else ""
        if run and (len(gap) > rules.max_gap or regex.search(r"[\d。；;，,]", gap)):
            close()
            run = []
        run.append(m)
    if run:
        close()
    return found


def _roles_resolved(header: _Header, region: str) -> list[str]:
    """A 'budget' column is the adjusted budget beside a 年初 column or where the form says so, else planned."""
    squeezed = squeeze(region).text
    adjusted = "planned" in header.roles or any(w in squeezed for w in _rules().budget_is_adjusted)
    return [("adjusted" if adjusted else "planned") if r == "budget" else r for r in header.roles]


@dataclass(frozen=True)
class _Cell:
    text: str
    start: int
    value: Optional[Decimal]  # None for an empty cell
    percent: bool


def _cell(text: str, start: int) -> Optional[_Cell]:
    """A value cell, or None when the text is not one (words)."""
    stripped = text.strip()
    at = start + (text.index(stripped) if stripped else 0)
    if not stripped or stripped in _rules().empty:
        return _Cell(stripped, at, None, False)
    m = regex.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s*(%?)", stripped)
    if not m:
        return None
    try:
        value = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        return None
    return _Cell(stripped, at, value, bool(m.group(2)))


def _explicit_cells(segment: str, start: int) -> Optional[list[_Cell]]:
    """Cells of a row whose cells are delimited (tabs or '|'), empty ones kept; None if not delimited or a
    cell holds words."""
    if "\t" not in segment and "|" not in segment:
        return None
    lead = len(segment) - len(segment.lstrip(" \n"))  # values on the row below their header
    segment, start = segment[lead:], start + lead
    pieces = regex.split(r"\t|\|", segment.split("\n")[0] if "\t" in segment else segment)
    cells, offset = [], start
    for i, piece in enumerate(pieces):
        if i == 0 and not piece.strip():
            offset += len(piece) + 1
            continue
        cell = _cell(piece, offset)
        if cell is None:
            break
        cells.append(cell)
        offset += len(piece) + 1
    return cells


def _runs(segment: str, start: int) -> list[tuple[str, int]]:
    """Runs of digits, '.', ',' and '%' (and lone dashes for empty cells) in a row without delimiters."""
    rules = _rules()
    found = []
    for m in regex.finditer(r"[\d.,%]+|[—\-－/]+|无", segment):
        run = m.group().rstrip(".,")  # 95. at a line's end: the number, then a full stop or a broken decimal
        if run and (run[0].isdigit() or run in rules.empty):
            found.append((run, start + m.start()))
        elif run and all(c in rules.empty for c in run):
            found += [(c, start + m.start() + i) for i, c in enumerate(run)]  # ——— fused: three empty cells
    return found


@cache
def _splits(run: str, max_pieces: int) -> tuple[tuple[str, ...], ...]:
    """Every way to cut a fused run into at most max_pieces numbers (no leading zeros, % only at a piece's
    end, at most two decimals): 1010100%20 -> (10, 10, 100%, 20), (10, 101, 00% ...) is not a number."""
    if not run:
        return ((),)
    if max_pieces == 0 or len(run) > _MAX_FUSED:
        return ()
    out = []
    for end in range(1, min(len(run), 18) + 1):
        piece = run[:end]
        if _NUMBER_PIECE.fullmatch(piece) and _decimals(piece) <= 2:
            out += [(piece,) + rest for rest in _splits(run[end:], max_pieces - 1)]
    return tuple(out)


def _decimals(text: str) -> int:
    return len(text.split(".")[1].rstrip("%")) if "." in text else 0


def _consistent(assigned: dict[str, _Cell], fused: bool = False) -> bool:
    """The form's arithmetic: types by column, score within weight, 执行率 = 执行数 / 预算数. Cells cut from a
    fused run must prove themselves: there a rate is taken only where the amounts beside it confirm it."""
    for role, cell in assigned.items():
        if cell.value is None:
            continue
        if (role == "execution_rate") != cell.percent and not (role == "execution_rate" and cell.value <= 1000):
            return False
        if role in ("weight", "score") and cell.value > 100:
            return False
    if fused and any(c.value == 0 for c in assigned.values()):
        return False  # a 0 cut from inside a run is a digit of its neighbour more likely than a cell
    money = {_decimals(c.text) for r, c in assigned.items() if r not in _NOT_MONEY and c.value is not None}
    if fused and len(money) > 1:
        return False  # one column format: amounts cut from one run have as many decimals each
    weight, score = assigned.get("weight"), assigned.get("score")
    if weight and score and weight.value is not None and score.value is not None and score.value > weight.value:
        return False
    rate = assigned.get("execution_rate")
    actual = assigned.get("actual")
    budget = assigned.get("adjusted") or assigned.get("budget") or assigned.get("planned")
    if rate and rate.value is not None:
        if not (actual and budget and actual.value is not None and budget.value):
            return rate.percent and not fused and rate.value <= _MAX_RATE
        computed = actual.value / budget.value * 100
        half = Decimal(5) / Decimal(10) ** (_decimals(rate.text) + 1)
        return abs(computed - rate.value) <= half + Decimal("0.01")
    return True


def _assignments(cells: list[_Cell], roles: list[str], fused: bool) -> list[dict[str, _Cell]]:
    """Every order-preserving assignment of the cells to columns (columns left out are vanished empty cells)."""
    if len(cells) > len(roles):
        return []
    found = []
    for columns in itertools.combinations(range(len(roles)), len(cells)):
        assigned = {roles[c]: cell for c, cell in zip(columns, cells)}
        if _consistent(assigned, fused):
            found.append(assigned)
    return found


def _readings(runs: list[tuple[str, int]], roles: list[str], split_all: bool) -> list[dict[str, _Cell]]:
    """Assignments over every way to cut the runs; a run is cut only where it cannot be one number (or, when
    split_all, anywhere), and money cut from one run keeps one number of decimals."""
    options: list[list[list[_Cell]]] = []
    for text, start in runs:
        whole = _cell(text, start)
        cut = split_all or whole is None or text.count(".") > 1 or "%" in text[:-1]
        choices: list[list[_Cell]] = []
        for pieces in _splits(text, len(roles)) if cut else [[text]]:
            offset, cells = start, []
            for piece in pieces:
                cells.append(_cell(piece, offset))
                offset += len(piece)
            if all(cells):
                choices.append(cast(list[_Cell], cells))  # all cells: checked just above
        if not choices:
            return []
        options.append(choices)
    found = []
    for combination in itertools.product(*options):
        combined = [c for group in combination for c in group]
        found += _assignments(combined, roles, fused=len(combined) > len(runs))
        if len(found) > 50:
            break
    return found


def _agreed(readings: list[dict[str, _Cell]]) -> dict[str, _Cell]:
    """The cells every reading gives the same value at the same place."""
    first = readings[0]
    return {
        role: cell
        for role, cell in first.items()
        if all(
            r.get(role) is not None and (r[role].start, r[role].text) == (cell.start, cell.text) for r in readings[1:]
        )
    }


def _read_row(segment: str, start: int, roles: list[str]) -> Optional[dict[str, _Cell]]:
    """The row's cells by column, or None when no reading (or no agreed reading) exists."""
    explicit = _explicit_cells(segment, start)
    while explicit and len(explicit) > len(roles) and explicit[0].value is None:
        explicit.pop(0)  # the empty cells a label spanning two columns leaves in '|' rows
    while explicit and explicit[-1].value is None:
        explicit.pop()
    if explicit is not None and len(explicit) <= len(roles):
        assigned = {role: cell for role, cell in zip(roles, explicit)}
        if _consistent({r: c for r, c in assigned.items() if r != "execution_rate"}):
            return assigned
    runs = _runs(segment, start)
    if not runs:
        return {}
    for split_all in (False, True):
        readings = _readings(runs, roles, split_all)
        if readings:
            agreed = _agreed(readings)
            return agreed or None
    return None


def _values_apart(text: str, spans: list[tuple[int, int]], start: int, end: int) -> dict[int, tuple[int, str]]:
    """Rows whose values left their labels (FORMS.md rendering 7: labels of a few rows, then a line of bare
    values for each, paired by rank): label start -> (start, text) of its values. A label ending in a colon
    (按收入性质分：) heads a group and has no values."""
    offset = text.rfind("\n", 0, start) + 1
    kinds: list[str] = []
    lines: list[tuple[int, str, Optional[int]]] = []
    for line in text[offset:end].split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        label = next((s for s, e in reversed(spans) if line_start <= s < line_start + len(line)), None)
        rest = text[next(e for s, e in spans if s == label) : line_start + len(line)] if label is not None else ""
        if label is not None and rest.strip().endswith(("：", ":")):
            continue  # 按收入性质分：heads the labels after it
        if label is not None and not regex.search(r"\d", rest):
            kinds.append("labels")
        elif (
            label is None and len(line.replace("|", " ").split()) > 1 and is_values_line(line.replace("|", " ").split())
        ):
            kinds.append("values")  # a row of values, not a cell
        else:
            kinds.append("row")
        lines.append((line_start, line, label))
    return {cast(int, lines[i][2]): (lines[j][0], lines[j][1]) for i, j in paired_by_rank(kinds).items()}


def _header_unit(text: str, start: int, end: int) -> Optional[Quantity]:
    """The money unit stated just before or inside the header at [start, end): 项目资金（万元）, 单位：万元, (万元."""
    window = text[max(0, start - 60) : end]
    matches = list(_rules().header_unit.finditer(window))
    if not matches:
        m = regex.search(r"[(（]\s*(万元|元|亿元)(?![)）])", window)
        unit = m.group(1) if m else None
    else:
        unit = matches[-1].group(1) or matches[-1].group(2)
    if unit is None:
        return None
    found = unit_quantity(unit)
    return found if found is not None and found.kind == "amount" else None


def _quantity(cell: _Cell, role: str, unit: Optional[Quantity]) -> Optional[Quantity]:
    span = (cell.start, cell.start + len(cell.text))
    common = {"id": "", "text": cell.text, "span": span, "low": None, "high": None, "approx": False, "comparison": None}
    if role == "execution_rate":
        return Quantity(
            kind="percent",
            value=cell.value,
            unit="%",
            unit_text="%" if cell.percent else None,
            unit_from="text" if cell.percent else None,
            **common,
        )
    if role in ("weight", "score"):
        return Quantity(kind="score", value=cell.value, unit="分", unit_text=None, unit_from=None, **common)
    if unit is None:
        return None
    return Quantity(
        kind="amount",
        value=cast(Decimal, cell.value) * cast(Decimal, unit.value),  # callers pass cells with a value
        unit=unit.unit,
        unit_text=unit.unit_text,
        unit_from="header",
        **common,
    )


def _rendering(text: str, start: int, end: int) -> int:
    """Which rendering of FORMS.md the block came in: 1 a real table (tab rows), 2 '|' or tab rows, 3 one cell
    per line, 4 single spaces, 5 fused cells."""
    block = text[start:end]
    if "|" in block:
        return 2
    if "\t" in block:
        return 1
    if regex.search(r"\d\s*\n\s*\d", block):
        return 3
    if regex.search(r"\d[ ]+\d", block):
        return 4
    return 5


def _values_after(text: str, end: int, limit: int, stop: int) -> tuple[str, int]:
    """The row's value part after its label: up to the first words after the first digit, at most `limit`
    characters after the blanks that follow the label, never past `stop`."""
    gap = regex.match(r"[ \t|:：]*", text[end : end + 400])
    assert gap is not None  # the pattern matches the empty string
    segment = text[end : min(stop, end + gap.end() + limit)]
    values_start = regex.search(r"\d", segment)
    words = regex.search(r"[\p{Han}--[无]]", segment[values_start.start() :], regex.V1) if values_start else None
    if words:
        assert values_start is not None  # words is only searched for after a digit
        segment = segment[: values_start.start() + words.start()]
        stripped = segment.rstrip()
        code_break = stripped.rfind("\n", values_start.start())
        line_break = segment.rfind("\n", values_start.start())
        if code_break > 0 and regex.fullmatch(r"\s*\d{3,7}[\s|]*", stripped[code_break:]):
            segment = stripped[:code_break]  # the next row's own code (科目编码 201) on a line of its own
        elif line_break > 0:
            segment = segment[:line_break]  # the next row's own number (201 一般公共服务支出) stays with it
    return segment, end + len(segment)


def _read_total_row(text: str, squeezed: Squeezed, reading: FormReading) -> None:
    """The 总分 row of an indicator table: 总分 | 100 | 97 or 总分 97 -> evaluation.total_score."""
    rules = _rules()
    for m in rules.total_row.finditer(squeezed.text):
        start, end = squeezed.span(m.start(), m.end())
        segment, row_end = _values_after(text, end, rules.row_chars, len(text))
        score = _total_score_cell(text, segment, end, row_end)
        if score is None and (apart := _values_line_by_rank(text, start)) is not None:
            values_at, line = apart
            segment, row_end = line, values_at + len(line)
            score = _total_score_cell(text, line, values_at, row_end)
        if score is None:
            if regex.match(r"[\s|\t:：]*\d", segment) and len(_number_cells(segment, end)) == 2:
                reading.rows.append((start, row_end))  # 总分 | 50 | 46 of a part table: its weight is no total
            continue
        q = _quantity(score, "score", None)
        assert q is not None  # a score always makes a quantity
        reading.quantities.append(q)
        reading.rows.append((start, row_end))
        # the form of the funds block above it (A or B), else the indicator table is form D
        form = next((t.form for t in reversed(reading.tables) if t.span[0] < start), "D")
        reading.facts.append(
            FormFact("evaluation.total_score", q, Evidence(kind="form_cell", form=form, row=m.group(), column=None))
        )
        return


def _total_score_cell(text: str, segment: str, start: int, row_end: int) -> Optional[_Cell]:
    """The score of a 总分 row's values (100 | 97, 97, or 10097 fused), None when they are not such a row."""
    rules = _rules()
    if not regex.match(r"[\s|\t:：]*\d", segment) or text[row_end : row_end + 1] in ("分", "%"):
        return None
    cells = _number_cells(segment, start)
    if len(cells) == 1 and cast(Decimal, cells[0].value) > rules.weight_total and not cells[0].percent:
        cells = _weight_and_score(cells[0], rules.weight_total)
    if any(c.percent for c in cells) or not 1 <= len(cells) <= 2:
        return None
    if len(cells) == 2 and cells[0].value != rules.weight_total:
        return None
    return cells[-1] if cast(Decimal, cells[-1].value) <= rules.weight_total else None


def _number_cells(segment: str, start: int) -> list[_Cell]:
    """The cells of a row's values that hold a number."""
    return [c for text_, at in _runs(segment, start) if (c := _cell(text_, at)) and c.value is not None]


def _values_line_by_rank(text: str, label_at: int) -> Optional[tuple[int, str]]:
    """(start, text) of the values line paired by rank with the label line holding `label_at` (FORMS.md
    rendering 7: label lines, then as many values lines), looking a few dozen lines around it."""
    line_start = text.rfind("\n", 0, label_at) + 1
    before = text[max(0, line_start - 2000) : line_start].split("\n")[-31:-1]
    after = text[line_start : line_start + 2000].split("\n")[:31]
    lines, offsets = before + after, []
    at = line_start - sum(len(line) + 1 for line in before)
    for line in lines:
        offsets.append(at)
        at += len(line) + 1
    kept = [i for i, line in enumerate(lines) if line.strip()]
    kinds = []
    for i in kept:
        cells = lines[i].replace("|", " ").split()
        at_label = offsets[i] == line_start
        digits = regex.search(r"\d", lines[i])
        kinds.append("values" if is_values_line(cells) else "end" if at_label else "row" if digits else "labels")
    pairs = paired_by_rank(kinds)
    label = next((n for n, i in enumerate(kept) if offsets[i] == line_start), None)
    if label is None or label not in pairs:
        return None
    i = kept[pairs[label]]
    return offsets[i], lines[i]


def _weight_and_score(run: _Cell, weight_total: Decimal) -> list[_Cell]:
    """A fused 总分 row (10096.5): the weight total followed by a score no larger, when that is the one split."""
    splits = [
        p
        for p in _splits(run.text, 2)
        if len(p) == 2 and Decimal(p[0]) == weight_total and Decimal(p[1]) <= weight_total
    ]
    if len(splits) != 1:
        return []
    weight, score = splits[0]
    # digits only: both are value cells
    return [cast(_Cell, _cell(weight, run.start)), cast(_Cell, _cell(score, run.start + len(weight)))]


def _staff(text: str, squeezed: Squeezed, reading: FormReading) -> None:
    """编制数 | 实际在职人数 | 控制率 with its values on the next row (form C): staff.authorized, staff.actual,
    split where fused by 控制率 = 在职 / 编制."""
    rules = patterns.load("forms")["basic_data"]["staff"]
    header = regex.compile(
        rf"({patterns.alternation(rules['authorized'])})(?:(?:19|20)\d{{2}}年)?"
        rf"(?:实际)?({patterns.alternation(rules['actual'])})({patterns.alternation(rules['rate'])})?"
    )
    for m in header.finditer(squeezed.text):
        _, end = squeezed.span(m.start(), m.end())
        segment, row_end = _values_after(text, end, _rules().row_chars, len(text))
        cells = _read_row(
            segment, end, ["planned", "actual", "execution_rate"] if m.group(3) else ["planned", "actual"]
        )
        reading.rows.append((end, row_end))
        if not cells:
            continue
        for role, field_ in (("planned", "staff.authorized"), ("actual", "staff.actual")):
            cell = cells.get(role)
            if cell is None or cell.value is None or cell.percent:
                continue
            q = Quantity(
                id="",
                kind="count",
                text=cell.text,
                span=(cell.start, cell.start + len(cell.text)),
                value=cell.value,
                low=None,
                high=None,
                unit="人",
                unit_text=None,
                unit_from=None,
                approx=False,
                comparison=None,
            )
            reading.quantities.append(q)
            column = m.group(1) if role == "planned" else m.group(2)
            reading.facts.append(FormFact(field_, q, Evidence(kind="form_cell", form="C", row=None, column=column)))
        return


def _year_columns(text: str, squeezed: Squeezed, reading: FormReading, fiscal_year: Optional[int]) -> None:
    """经费控制情况 by year (form C): this year's 预算数/决算数 columns give the fields of forms.toml for
    their rows; every row is read, and one no reading fits is reported."""
    rules = patterns.load("forms")["basic_data"]
    column = regex.compile(rules["columns"]["pattern"])
    found = list(column.finditer(squeezed.text))
    runs: list[list[regex.Match]] = []
    for m in found:
        if runs and m.start() - runs[-1][-1].end() <= _rules().max_gap:
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        if len(run) < 2:
            continue
        roles = [f"{m.group(1)}{m.group(2)}" for m in run]
        this_year = {f"{fiscal_year}{rules['columns'][measure]}": measure for measure in ("planned", "actual")}
        start, _ = squeezed.span(run[0].start(), run[0].end())
        _, end = squeezed.span(run[-1].start(), run[-1].end())
        unit = _header_unit(text, start, end)
        table = FormTable(
            form="C",
            part="funds",
            rendering=_rendering(text, start, end + 400),
            span=(start, end),
            columns=roles,
            rows=[],
        )
        one_per_line = text.count("\n", start, end) >= len(roles) - 1
        lines = list(_row_lines(text, text.find("\n", end) + 1, len(roles) if one_per_line else 0))
        apart = _labels_apart(lines)
        taken = {at for at, _ in apart.values()}
        for line_start, line in lines:
            if line_start in taken:
                continue  # a values line that a label line above took
            if line_start in apart:
                label = regex.match(r"\s*(?:\d{1,2}\s*[、.．])?\s*([^\d|\t]*?)[\s|\t]*$", line)
                values_at, segment = apart[line_start]
            else:
                label = regex.match(r"\s*(?:\d{1,2}\s*[、.．])?\s*([^\d|\t]*?)[\s|\t]*(?=\d)", line)
                values_at = line_start + label.end() if label else 0
                segment = text[values_at : line_start + len(line)]
            if not label or not label.group(1).strip():
                break
            name = label.group(1).strip(" :：")
            cells = _read_row(segment, values_at, roles)
            row_span = (line_start + label.start(1), values_at + len(segment))
            reading.rows.append(row_span)
            table.span = (table.span[0], row_span[1])
            if cells is None or len(cells) < len(roles):
                _unread_row(reading, row_span, line.strip())
                continue
            table.rows.append(
                TableRow(
                    label=name, span=row_span, cells={r: (c.start, c.start + len(c.text)) for r, c in cells.items()}
                )
            )
            fields_ = rules["fields"].get(regex.sub(r"^其中[:：]?", "", name), {})
            for role, cell in cells.items():
                measure = this_year.get(role)
                if measure not in fields_ or cell.value is None or unit is None:
                    continue
                _money_fact(
                    reading,
                    cell,
                    unit,
                    fields_[measure],
                    Evidence(kind="form_cell", form="C", row=name, column=run[roles.index(role)].group()),
                )
        reading.tables.append(table)


def _labels_apart(lines: list[tuple[int, str]]) -> dict[int, tuple[int, str]]:
    """Row label lines whose values stand apart (FORMS.md rendering 7), up to the first line that is neither
    labels nor values: label line start -> (start, text) of the values line paired with it by rank."""
    kinds: list[str] = []
    for _, line in lines:
        cells = line.replace("|", " ").split()
        if not cells:
            kinds.append("blank")
        elif is_values_line(cells):
            kinds.append("values")
        elif not regex.search(r"\d", regex.sub(r"^\s*\d{1,2}\s*[、.．]", "", line)):
            kinds.append("labels")
        else:
            break
    kept = [i for i, kind in enumerate(kinds) if kind != "blank"]
    pairs = paired_by_rank([kinds[i] for i in kept])
    return {lines[kept[i]][0]: lines[kept[j]] for i, j in pairs.items()}


def _row_lines(text: str, offset: int, width: int) -> Iterator[tuple[int, str]]:
    """(start, text) of the rows after a header at `offset`: a line each, or where the header stood one cell
    per line (FORMS.md rendering 3), the label line and the `width` value lines after it (blank lines skipped)."""
    if offset <= 0:
        return
    lines = lines_after(text, offset, _ROW_LINES)
    if not width:
        yield from lines
        return
    filled = [(at, line) for at, line in lines if line.strip()]
    for i in range(0, len(filled) - width, width + 1):
        start, last = filled[i][0], filled[i + width]
        yield start, text[start : last[0] + len(last[1])]


def _final_accounts(text: str, squeezed: Squeezed, reading: FormReading) -> None:
    """支出决算表 (form E): the 合计 row under 本年支出合计 | 基本支出 | 项目支出 gives each subject's spending;
    收入支出决算总表: 本年支出合计 with the value right after it."""
    rules = patterns.load("forms")["final_accounts"]
    columns = {w: subject for subject, words in rules["columns"].items() for w in words}
    header = regex.compile(rf"(?:{patterns.alternation(columns)})")
    run: list[regex.Match] = []
    for m in list(header.finditer(squeezed.text)) + [None]:
        if (
            m is not None
            and run
            and m.start() - run[-1].end() <= _rules().max_gap
            and not regex.search(r"\d", squeezed.text[run[-1].end() : m.start()])
        ):
            run.append(m)
            continue
        subjects = [columns[x.group()] for x in run]
        if len(run) >= rules["min_columns"] and len(set(subjects)) == len(subjects):
            _expenditure_total_row(text, squeezed, reading, run, subjects, rules)
        run = [m] if m is not None else []
    pairs = regex.compile(patterns.alternation(rules["pairs"]))
    for m in pairs.finditer(text):
        if any(s <= m.start() < e for s, e in reading.rows):
            continue
        segment, row_end = _values_after(text, m.end(), _rules().row_chars, len(text))
        first = regex.match(r"[\s|\t:：]*(\d[\d,]*(?:\.\d+)?)(?![\d.,%])", segment)
        unit = _header_unit(text, max(0, m.start() - 400), m.start())
        if not first or unit is None or regex.match(r"\s*(万元|元|亿元|%)", text[m.end() + first.end(1) :]):
            continue  # a figure with its own unit is prose, read by the clause rules
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start : text.find("\n", m.end()) if "\n" in text[m.end() :] else len(text)]
        cell = _cell(first.group(1), m.end() + first.start(1))
        row_span = (m.start(), m.end() + first.end(1))
        if "\n" in segment[: first.start(1)] and line.strip(" |\t") != m.group():
            # the label shares its line and its value is on a later one: values apart (rendering 7), the values
            # line paired with the label line by rank holds it at the label's place
            apart = _values_line_by_rank(text, m.start())
            labels, place = line.split(), len(text[line_start : m.start()].split())
            values = [v for v in regex.finditer(r"\S+", apart[1])] if apart else []
            if not apart or len(values) != len(labels) or labels[place] != m.group():
                continue
            cell = _cell(values[place].group(), apart[0] + values[place].start())
            if cell is None or cell.value is None:
                continue
            reading.rows.append((cell.start, cell.start + len(cell.text)))
            row_span = (m.start(), m.end())
        assert cell is not None  # first.group(1) is a number
        reading.rows.append(row_span)
        _money_fact(
            reading,
            cell,
            unit,
            rules["pairs"][m.group()],
            Evidence(kind="form_cell", form="E", row=m.group(), column=None),
        )
        if not any(t.form == "E" for t in reading.tables):
            reading.tables.append(
                FormTable(
                    form="E",
                    part="funds",
                    rendering=_rendering(text, m.start(), row_end),
                    span=(m.start(), row_end),
                    columns=["actual"],
                    rows=[],
                )
            )


def _expenditure_total_row(
    text: str, squeezed: Squeezed, reading: FormReading, run: list, subjects: list[str], rules: dict
) -> None:
    start, _ = squeezed.span(run[0].start(), run[0].end())
    _, end = squeezed.span(run[-1].start(), run[-1].end())
    total = regex.compile(patterns.alternation(rules["total_row"]))
    m = total.search(squeezed.text, run[-1].end(), run[-1].end() + 200)
    if m is None:
        return
    label_start, label_end = squeezed.span(m.start(), m.end())
    segment, row_end = _values_after(text, label_end, _rules().row_chars, len(text))
    values_at = label_end
    line_end = text.find("\n", label_end)
    if (
        line_end > 0
        and not text[label_end:line_end].strip(" |\t")
        and (apart := _values_apart_below(text, label_start))
    ):
        values_at, segment = apart  # the 合计 line holds its label only: its values stand apart (rendering 7)
        row_end = values_at + len(segment)
    roles = [f"{s}" for s in subjects]
    cells = _read_row(segment, values_at, roles)
    unit = _header_unit(text, max(0, start - 200), end)
    reading.rows.append((label_start, row_end))
    table = FormTable(
        form="E",
        part="funds",
        rendering=_rendering(text, start, row_end),
        span=(start, row_end),
        columns=roles,
        rows=[],
    )
    reading.tables.append(table)
    if not cells or unit is None:
        return
    table.rows.append(
        TableRow(
            label=m.group(),
            span=(label_start, row_end),
            cells={r: (c.start, c.start + len(c.text)) for r, c in cells.items()},
        )
    )
    for subject, cell in cells.items():
        if cell.value is None:
            continue
        _money_fact(
            reading,
            cell,
            unit,
            f"budget.{subject}.actual",
            Evidence(kind="form_cell", form="E", row=m.group(), column=run[subjects.index(subject)].group()),
        )


def _values_apart_below(text: str, label_at: int) -> Optional[tuple[int, str]]:
    """(start, text) of the values line paired by rank with the label line at `label_at`, among the lines of a
    table from that line on (FORMS.md rendering 7 with the total row first, as 决算 tables have it): the header's
    own lines above it (功能分类, 科目编码 科目名称) take no part."""
    line_start = text.rfind("\n", 0, label_at) + 1
    lines = [(at, line) for at, line in lines_after(text, line_start, _ROW_LINES) if line.strip()]
    kinds = []
    for _, line in lines:
        cells = line.replace("|", " ").split()
        kinds.append("values" if is_values_line(cells) else "row" if regex.search(r"\d", line) else "labels")
    pairs = paired_by_rank(kinds)
    return lines[pairs[0]] if 0 in pairs else None


def _unread_row(reading: FormReading, span: tuple[int, int], shown: str) -> None:
    """A row that no single reading fits: reported, its values left unread."""
    reading.warnings.append(ReadWarning.unread_row(span, shown))


def _money_fact(reading: FormReading, cell: _Cell, unit: Quantity, field_name: str, evidence: Evidence) -> None:
    """A money cell read as the fact `field_name`; its quantity joins the reading."""
    q = _quantity(cell, "money", unit)
    assert q is not None  # money with a unit makes a quantity
    reading.quantities.append(q)
    reading.facts.append(FormFact(field_name, q, evidence))


def read_forms(text: str, fiscal_year: Optional[int] = None) -> FormReading:
    """Facts from every funds block (forms A and B) and basic-data table (C) in `text`, and the total score
    from the 总分 row."""
    rules = _rules()
    # headers wrapped over two lines are read made whole, in place (FORMS.md rendering 6)
    text = unsplit_headers(text, lambda word: bool(_header_word().fullmatch(word)))
    squeezed = squeeze(text)
    reading = FormReading()
    for header in _headers(text, squeezed):
        first = bisect_left(squeezed.offsets, header.end)
        last = min(len(squeezed.text), first + rules.block_chars)
        stop = rules.ends.search(squeezed.text, first, last)
        region_end = squeezed.offsets[stop.start() if stop else last - 1] + (0 if stop else 1)
        region = text[max(0, header.start - 200) : region_end]
        roles = _roles_resolved(header, text[header.start : min(len(text), header.end + 2000)])
        form = "B" if any(w in region for w in rules.department_words) else "A"
        # the unit may stand in a cell spanning the rows, written after the first of them (项目资金（万元)
        unit = _header_unit(text, header.start, header.end) or _header_unit(text, header.end + 60, region_end)
        labels = [m for m in rules.row_pattern.finditer(squeezed.text, first, stop.start() if stop else last)]
        spans = [squeezed.span(m.start(), m.end()) for m in labels]
        seen_subjects: set[str] = set()
        table = FormTable(
            form=form,
            part="funds",
            rendering=_rendering(text, header.start, region_end),
            span=(header.start, region_end),
            columns=roles,
            rows=[],
        )
        reading.tables.append(table)
        apart = _values_apart(text, spans, header.end, region_end)
        for i, (m, (start, end)) in enumerate(zip(labels, spans)):
            subject = rules.rows[m.group()]
            row_end = spans[i + 1][0] if i + 1 < len(spans) else region_end
            segment, row_end = _values_after(text, end, rules.row_chars, row_end)
            if start in apart:
                end, segment = apart[start]
                row_end = end + len(segment)
            if subject != "breakdown" and not regex.match(r"[\s:：|\t]*[\d—\-－/]", segment):
                continue  # a label inside words (项目支出绩效...), not a row
            if subject == "breakdown" or subject in seen_subjects:
                reading.rows.append((start, row_end))
                continue
            cells = _read_row(segment, end, roles)
            reading.rows.append((start, row_end))
            if cells is None:
                _unread_row(reading, (start, row_end), text[start:row_end].strip())
                continue
            seen_subjects.add(subject)
            table.rows.append(
                TableRow(
                    label=m.group(),
                    span=(start, row_end),
                    cells={r: (c.start, c.start + len(c.text)) for r, c in cells.items()},
                )
            )
            column_words = dict(zip(roles, header.words))
            for role, cell in cells.items():
                if cell.value is None:
                    continue
                q = _quantity(cell, role, unit)
                if q is None:
                    continue
                reading.quantities.append(q)
                evidence = Evidence(kind="form_cell", form=form, row=m.group(), column=column_words.get(role))
                if role in ("weight", "score") or role not in rules.measures[subject]:
                    continue
                reading.facts.append(FormFact(f"budget.{subject}.{role}", q, evidence))
            scored = {r: cells[r].value for r in ("weight", "score") if r in cells and cells[r].value is not None}
            if "weight" in scored:
                reading.indicators.append({"name": m.group(), "number": None, "span": (start, end), **scored})
    _staff(text, squeezed, reading)
    _year_columns(text, squeezed, reading, fiscal_year)
    _final_accounts(text, squeezed, reading)
    _read_total_row(text, squeezed, reading)
    return reading
