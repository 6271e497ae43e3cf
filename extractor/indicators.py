"""The indicator system: category headings, indicator lines in prose, and 绩效自评表 tables in any rendering
(patterns/indicators.toml)."""

from __future__ import annotations

import itertools
from bisect import bisect_left
from dataclasses import replace
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, Optional, cast

import regex

from . import patterns
from .document import Block, Cell, Document
from .grids import Squeezed, is_values_line, lines_after, paired_by_rank, split_header_lines, squeeze
from .record import Category, CellRef, Indicator, IndicatorValue, Quantity, ReadWarning, Section
from .structure import heading_marker

_ROLES = ["category", "subcategory", "name", "target", "actual", "weight", "score", "deduction", "deviation_reason"]
_NUMERIC = ("weight", "score", "deduction")


@cache
def _rules() -> dict:
    return patterns.load("indicators")


@cache
def _label_pattern() -> regex.Pattern:
    """Any indicator label, longest first, with the role it names as the group name."""
    labels = _rules()["labels"]
    parts = []
    for word, role in sorted(((w, r) for r, ws in labels.items() for w in ws), key=lambda e: -len(e[0])):
        parts.append((word, role))
    return regex.compile("|".join(f"(?P<{role}_{i}>{regex.escape(word)})" for i, (word, role) in enumerate(parts)))


@cache
def _scrambled_labels() -> dict[str, str]:
    """The role of each label of four characters or more, by its characters in sorted order: an OCR'd header
    cell whose lines were read out of order still has them."""
    labels = _rules()["labels"]
    return {"".join(sorted(word)): role for role, words in labels.items() for word in words if len(word) >= 4}


def _labels_in(line: str) -> list[tuple[str, int, int]]:
    """(role, start, end) of every indicator label in `line`, left to right."""
    found = []
    for m in _label_pattern().finditer(line):
        found.append((cast(str, m.lastgroup).rsplit("_", 1)[0], m.start(), m.end()))  # every branch is a group
    return found


@lru_cache(maxsize=4096)
def is_item_line(line: str) -> bool:
    """An indicator item written as prose: names a target or actual, and a weight or score."""
    roles = {role for role, _, _ in _labels_in(line)}
    return all(roles & set(group) for group in _rules()["prose"]["needs_one_of"])


_SPACES = regex.compile(r"\s+")
_HAN = regex.compile(r"\p{Han}")
_DIGIT = regex.compile(r"\d")
_LETTER = regex.compile(r"[A-Za-z]+\p{Han}")
# A group's name printed alone on a line: Chinese characters only, as a cell of the form holds it.
_HAN_WORD = regex.compile(r"\p{Han}{2,12}")


def _clean(text: str) -> str:
    return _SPACES.sub("", text)


def _role_of_label(label: Optional[str], table: dict[str, list[str]]) -> Optional[str]:
    """Which of the roles in `table` the label ends with (the word nearest the number)."""
    found = patterns.nearest(label or "", [(word, role) for role, words in table.items() for word in words])
    return found[1] if found else None


class _Quantities:
    """The document's quantities, found by position without scanning them all."""

    def __init__(self, quantities: list[Quantity]):
        self.all = quantities
        self.starts = [q.span[0] for q in quantities]

    def between(self, start: int, end: int) -> list[Quantity]:
        return self.all[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def has_unit_at(self, position: int) -> bool:
        """The number at `position` is part of a quantity with a unit (2次, 不少于2次, 95%): a value, not a bare
        number."""
        return any(q.kind != "number" and q.span[1] > position for q in self.between(position - 12, position + 1))


def _numbers(quantities: _Quantities, start: int, end: int) -> list[Quantity]:
    return [q for q in quantities.between(start, end) if q.kind in ("score", "number") and q.value is not None]


def _first_quantity(quantities: _Quantities, start: int, end: int) -> Optional[Quantity]:
    found = quantities.between(start, end)
    return found[0] if found else None


def categories_from_headings(document: Document, sections: list[Section], quantities: _Quantities) -> list[Category]:
    """Headings that state a weight and a score, (二)产出指标(分值50分，得50分，未扣分), and headings that are a
    group of the framework with its weight in brackets, 1.产出指标（50分）."""
    rules = _rules()["category_heading"]
    text_table = _rules()["text_table"]
    table = {k: rules[k] for k in _NUMERIC}
    found = []
    for section in sections:
        start, end = section.heading_span
        word = section.title.strip()
        weighted = _weight_in_name().match(document.text, start + document.text[start:end].find(word) + len(word))
        if weighted is not None and (word in text_table["categories"] or word in text_table["subcategories"]):
            level = 1 if word in text_table["categories"] else 2
            found.append(Category(id="", name=word, level=level, span=(start, end), weight=Decimal(weighted.group(1))))
            continue
        values: dict[str, Decimal] = {}
        for q in _numbers(quantities, start, end):
            role = _role_of_label(q.label, table)
            if role and role not in values:
                values[role] = cast(Decimal, q.value)  # _numbers keeps only quantities with a value
        if "weight" not in values or "score" not in values:
            continue
        line = document.text[start:end]
        if "deduction" not in values and any(w in line for w in rules["no_deduction"]):
            values["deduction"] = Decimal(0)
        found.append(Category(id="", name=section.title, level=1, span=(start, end), **values))
    return found


def _category_at(sections: list[Section], categories: list[Category], position: int) -> Optional[str]:
    """The name of the category whose heading opens the innermost section holding `position`."""
    by_heading = {c.span: c.name for c in categories}
    holding = [s for s in sections if s.span[0] <= position < s.span[1] and s.heading_span in by_heading]
    return by_heading[max(holding, key=lambda s: s.level).heading_span] if holding else None


def _prose_indicator(document: Document, block: Block, quantities: _Quantities) -> Optional[dict]:
    start, end = block.span
    line = document.text[start:end]
    if not is_item_line(line) or not regex.search(r"\d", line) or _is_header_line(line):
        return None  # a header row of label words, not an item
    marker = heading_marker(line)
    number, body = (marker[1], marker[2]) if marker else (None, 0)
    labels = _labels_in(line)
    name = line[body : labels[0][1]].strip(" ，,：:；;\t")
    if not name or len(name) > _rules()["prose"]["max_name_length"]:
        return None
    groups: dict[str, str] = {}
    if split := regex.fullmatch(r"([^：:]+)[：:]\s*(.+)", name):  # 数量指标：培训人次
        for level, words in (("category", "categories"), ("subcategory", "subcategories")):
            if split.group(1).strip() in _rules()["text_table"][words]:
                groups, name = {level: split.group(1).strip()}, split.group(2).strip()
    value_ends = _rules()["prose"]["value_ends"]
    fields: dict = {}
    for role, _, label_end in labels:
        if role in ("target", "actual", "deviation_reason") and role not in fields:
            value_start = label_end + len(line[label_end:]) - len(line[label_end:].lstrip(" ：:"))
            stop = next((i for i in range(value_start, len(line)) if line[i] in value_ends), len(line))
            text = line[value_start:stop]
            if role == "deviation_reason":
                fields[role] = text or None
            else:
                q = _first_quantity(quantities, start + value_start, start + stop)
                fields[role] = IndicatorValue(text=text, quantity=q.id if q else None)
    table = {k: _rules()["labels"][k] for k in _NUMERIC}
    for q in _numbers(quantities, start, end):
        number_role = _role_of_label(q.label, table)
        if number_role and number_role not in fields:
            fields[number_role] = q.value
    return {"name": name, "number": number, "span": (start, end), **groups, **fields}


@lru_cache(maxsize=4096)
def _role_of_header(text: str) -> Optional[str]:
    """The role a header cell names ('年度 指标值' -> target), if it starts with an indicator label."""
    hits = [(role, e) for role, s, e in _labels_in(_clean(text)) if s == 0]
    return max(hits, key=lambda h: h[1])[0] if hits else None


def _group_weight(role: Optional[str], previous: Optional[str]) -> Optional[str]:
    """A 分值 column right after a category or sub-category column is that group's weight (older frameworks:
    一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值)."""
    return f"{previous}_weight" if role == "weight" and previous in ("category", "subcategory") else role


def _grid_rows(block: Block) -> list[dict[str, Any]]:
    """Data rows of a table with a real grid, below the first row that names enough indicator roles (a form
    may hold its funds block above the indicators): a merged cell covers every row and column it spans."""
    by_row: dict[int, list[Cell]] = {}
    for cell in block.cells:
        by_row.setdefault(cell.row, []).append(cell)
    for header_row in sorted(by_row):
        roles: dict[int, str] = {}
        previous = None
        for cell in sorted(by_row[header_row], key=lambda c: c.col):
            role = _group_weight(_role_of_header(cell.text), previous)
            previous = role
            if role and role not in roles.values():
                roles[cell.col] = role
        if len(roles) >= _rules()["table"]["min_header_labels"] and "name" in roles.values():
            break
    else:
        return []
    rows = [r for r in sorted(by_row) if r > header_row]
    # A name cell must start in the name column: a 总分 | 100 | score row spans it from further left.
    return [
        {
            role: covering
            for col, role in roles.items()
            if (covering := block.cell_covering(row, col)) and (role != "name" or covering.col == col)
        }
        | {"_row": row}
        for row in rows
    ]


def _flattened_rows(block: Block) -> list[dict[str, Any]]:
    """Data rows of a table flattened to 'a | b | c' lines. The header may run over several lines of labels;
    a row shorter than the header lost its leading merged cells, so it is aligned to the right and the
    category cells above it carry down."""
    by_row: dict[int, list[Cell]] = {}
    for cell in block.cells:
        by_row.setdefault(cell.row, []).append(cell)
    rows = [by_row[r] for r in sorted(by_row)]
    minimum = _rules()["table"]["min_header_labels"]
    start = next((i for i, row in enumerate(rows) if sum(bool(_role_of_header(c.text)) for c in row) >= minimum), None)
    if start is None:
        return []
    # Cells before the first label title the block (年度绩效指标, merged down the rows): each row has them too.
    lead = next(n for n, c in enumerate(rows[start]) if _role_of_header(c.text))
    header: list[str] = []
    i = start
    while i < len(rows) and all(_role_of_header(c.text) for c in rows[i][lead if i == start else 0 :] if c.text):
        for c in rows[i][lead if i == start else 0 :]:
            if c.text:
                header.append(cast(str, _group_weight(_role_of_header(c.text), header[-1] if header else None)))
        i += 1
    found, carried = [], {}
    for row in rows[i:]:
        cells = list(row)
        if lead and len(cells) > len(header) and not any(c.text for c in cells[:lead]):
            cells = cells[lead:]
        while cells and not cells[-1].text and len(cells) > len(header):
            cells.pop()
        shift = max(0, len(header) - len(cells))
        mapped = {header[n + shift]: cell for n, cell in enumerate(cells) if n + shift < len(header)}
        for role in ("category", "subcategory"):
            if role in mapped and mapped[role].text:
                carried[role] = mapped[role]
                if role == "category":
                    carried.pop("subcategory", None)
            elif role in carried:
                mapped[role] = carried[role]
        found.append(mapped | {"_row": cells[0].row if cells else -1})
    return found


def _transposed_categories(block: Block) -> list[Category]:
    """A score summary turned on its side (绩效评价得分情况表): a row headed 一级指标 names the categories, the
    rows headed 分值 and 得分 below it give each column's weight and score."""
    first_cells = {c.row: c for c in block.cells if c.col == 0}
    roles = {row: _role_of_header(cell.text) for row, cell in first_cells.items()}
    names = next((row for row, role in roles.items() if role == "category"), None)
    weights = next((row for row, role in roles.items() if role == "weight" and names is not None and row > names), None)
    scores = next((row for row, role in roles.items() if role == "score" and names is not None and row > names), None)
    if names is None or weights is None:
        return []
    found = []
    for cell in sorted((c for c in block.cells if c.row == names and c.col > 0), key=lambda c: c.col):
        name = cell.text.strip()
        weight, score = (
            block.cell_covering(weights, cell.col),
            block.cell_covering(scores, cell.col) if scores else None,
        )
        if (
            not name
            or name in _rules()["table"]["total_rows"]
            or weight is None
            or not _BARE_NUMBER.fullmatch(weight.text.strip())
        ):
            continue
        found.append(
            Category(
                id="",
                name=name,
                level=1,
                weight=Decimal(weight.text.strip()),
                span=cell.span,
                score=Decimal(score.text.strip())
                if score is not None and _BARE_NUMBER.fullmatch(score.text.strip())
                else None,
            )
        )
    return found


def _joined_with(block: Block, following: Optional[Block]) -> Block:
    """A table whose rows go on in the next block (one table split over two <table>s or pages: a header row
    alone, then the rows) as one block; any other table as it is."""
    rows = {c.row for c in block.cells}
    if (
        following is None
        or following.kind != "table"
        or block.flattened
        or len(rows) != 1
        or max(c.col + c.colspan for c in following.cells) != max(c.col + c.colspan for c in block.cells)
    ):
        return block
    return replace(
        block,
        cells=block.cells + [replace(c, row=c.row + 1) for c in following.cells],
        span=(block.span[0], following.span[1]),
    )


def _one_cell_rows(block: Block) -> bool:
    """A '|' table whose rows hold one cell each: cells one per line (rendering 3), read as text rows."""
    rows = {c.row for c in block.cells}
    return block.flattened and len(block.cells) < 1.5 * len(rows)


def _table_indicators(
    block: Block, quantities: _Quantities, carried: dict[str, Optional[str]]
) -> tuple[list[dict], list[Category]]:
    """Indicator rows of a table block. A group cell left empty (a merged cell, or a table continued on the
    next page without it) is the group `carried` from the rows before, updated as rows name groups."""
    weight_in_name = _weight_in_name()
    indicators, categories = [], []
    if _one_cell_rows(block):
        return [], []
    if not block.flattened and (transposed := _transposed_categories(block)):
        return [], transposed
    rows = _flattened_rows(block) if block.flattened else _grid_rows(block)
    if not any("category" in cells or "subcategory" in cells for cells in rows):
        carried.update(category=None, subcategory=None)  # a table without group columns continues none
    for cells in rows:
        row = cells.pop("_row")
        found: dict = {}
        for role in ("category", "subcategory"):
            cell = cells.get(role)
            if cell is not None and cell.text.strip() and cell.text.strip() not in _rules()["table"]["total_rows"]:
                m = weight_in_name.search(cell.text)
                found[role] = weight_in_name.sub("", cell.text).strip()
                weight_cell = cells.get(f"{role}_weight")
                weight = (
                    Decimal(m.group(1))
                    if m
                    else Decimal(weight_cell.text)
                    if weight_cell is not None and _BARE_NUMBER.fullmatch(weight_cell.text)
                    else None
                )
                if weight is not None and cell.row == row:
                    categories.append(
                        Category(
                            id="", name=found[role], level=1 if role == "category" else 2, weight=weight, span=cell.span
                        )
                    )
        if "category" in found:
            carried.update(category=found["category"], subcategory=found.get("subcategory"))
        elif "subcategory" in found:
            carried["subcategory"] = found["subcategory"]
        found = {role: carried[role] for role in ("category", "subcategory") if carried[role]} | found
        name_cell = cells.get("name")
        if name_cell is None or name_cell.row != row or not name_cell.text.strip():
            continue
        if name_cell.text.strip() in _rules()["table"]["total_rows"]:
            continue
        marker = heading_marker(name_cell.text)
        found["number"] = marker[1] if marker else None
        found["name"] = name_cell.text[marker[2] :].strip() if marker else name_cell.text.strip()
        for role in ("target", "actual"):
            cell = cells.get(role)
            if cell is not None:
                q = _first_quantity(quantities, *cell.span)
                found[role] = IndicatorValue(text=cell.text, quantity=q.id if q else None)
        for role in _NUMERIC:
            cell = cells.get(role)
            numbers = _numbers(quantities, cell.span[0], cell.span[1] + 1) if cell is not None else []
            if numbers:
                found[role] = numbers[0].value
        reason = cells.get("deviation_reason")
        found["deviation_reason"] = reason.text.strip() or None if reason is not None else None
        found["span"] = name_cell.span
        found["cell"] = CellRef(table=block.index, row=name_cell.row, col=name_cell.col)
        indicators.append(found)
    return indicators, categories


_CELL_SEPARATOR = regex.compile(r"\t|\||\s+")
_BARE_NUMBER = regex.compile(r"\d+(?:\.\d+)?")
# The most digits a row's fused actual, weight and score run to (a weight and a score are at most 100.00 each).
_MAX_FUSED_DIGITS = 24
_WRITTEN_NUMBER = regex.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.%])")
# A score cell ending a fused row: a number not inside another (a full stop may end the text before it).
_SCORE_CELL = regex.compile(r"(?<![\dA-Za-z,，])(?<![\dA-Za-z]\.)(?<!\d[-~～—])\d+(?:\.\d+)?(?!\.?\d)")
# A weight is at most this many characters (100.00).
_MAX_WEIGHT_CHARS = 6
# A target that the actual repeats (2370人2370人): the cells after a weight fused in front of the target.
_REPEATED = regex.compile(r"(\S{2,30}?)\1")
# The most readings of a fused table's group kept while reading it: more is ambiguity, read as none.
_MAX_READINGS = 16


def _text_headers(text: str) -> list[tuple[list[str], int, int]]:
    """Indicator table headers written as text: runs of at least min_header_labels role words (spaces and
    line breaks inside them ignored), as (roles in order, end of the header in the text)."""
    rules = _rules()
    view = squeeze(text)
    kept, squeezed = view.offsets, view.text
    headers: list[tuple[list[str], int, int]] = []
    run: list[tuple[str, int]] = []
    first_start, last_end = -1, -1
    for role, start, end in _labels_in(squeezed) + [("", len(squeezed) + 10**6, 0)]:
        if run and (start - last_end > rules["text_table"]["max_gap"] or regex.search(r"\d", squeezed[last_end:start])):
            if len(run) >= rules["table"]["min_header_labels"] and "name" in [r for r, _ in run]:
                headers.append(([r for r, _ in run], kept[first_start], kept[last_end - 1] + 1))
            run = []
        if role and run and (scrambled := _scrambled_labels().get("".join(sorted(squeezed[last_end:start])))):
            # OCR read the lines of a wrapped header cell out of order (参考分值 as 考值参分)
            if scrambled not in [r for r, _ in run]:
                run.append((scrambled, last_end))
        if role:
            roles = [r for r, _ in run]
            role = cast(str, _group_weight(role, roles[-1] if roles else None))  # a role stays a role
            last_end = end
            if role in roles and "name" in roles[: roles.index(role)]:
                continue  # a second column of a role after the name (调整指标值 beside 年初指标值)
            if role in roles:  # a stray label before the header (完成情况 of 年度总体目标完成情况)
                run = run[roles.index(role) + 1 :]
            run.append((role, start))
            first_start = run[0][1]
    for start, end, words in split_header_lines(
        text, lambda w: _role_of_header(w) is not None and _labels_in(w)[0][2] == len(w)
    ):
        roles = []
        for word in words:
            word_role = _group_weight(_role_of_header(word), roles[-1] if roles else None)
            if word_role and word_role not in roles:
                roles.append(word_role)
        if len(roles) >= rules["table"]["min_header_labels"] and "name" in roles:
            headers = [h for h in headers if not start <= h[1] <= end] + [(roles, start, end)]
    return sorted(headers, key=lambda h: h[1])


def _is_header_line(line: str) -> bool:
    """A line naming enough indicator columns, the name among them, to be the header of another table."""
    roles = {role for role, _, _ in _labels_in(line)}
    return "name" in roles and len(roles) >= _rules()["table"]["min_header_labels"]


def _text_rows(
    text: str, start: int, roles: list[str], ends: tuple[str, ...], max_lines: int, one_per_line: bool
) -> list[list[tuple[str, int]]]:
    """The rows after a text header of `roles`. A row is a line of cells, or, where the header stood one cell
    per line (FORMS.md rendering 3), the name's line and one line per value column after it: empty lines and
    lone '|' are empty cells."""
    lines = [(line, at) for at, line in lines_after(text, start, max_lines)]
    if not one_per_line:
        return _line_rows(lines, ends, roles)
    stream = []
    for line, at in lines:
        cell = line.strip().rstrip("|").strip()
        stream.append((cell, at + line.index(cell) if cell else at))
    width = len(roles) - roles.index("name") - 1
    return _rows_of_stream(stream, width, ends, any(r.endswith("_weight") for r in roles))


def _line_rows(lines: list[tuple[str, int]], ends: tuple[str, ...], roles: list[str]) -> list[list[tuple[str, int]]]:
    """Rows of a table a line each, up to its total row. Lines of labels (no digit but a group's weight) take
    the values lines paired with them by rank (FORMS.md rendering 7), the total row's label included; a label
    line left unpaired is a row as it stands, and a values line that no label takes names nothing."""
    kinds: list[str] = []
    cells_of: list[list[tuple[str, int]]] = []
    for line, at in lines:
        cells = _split_cells(line, at)
        if not cells:
            continue
        if is_values_line([c for c, _ in cells]):
            kind = "values"
        elif "end" in kinds:
            break  # past the total row only the values lines right after it are wanted
        elif cells[0][0].startswith(ends) or _is_header_line(line):
            kind = "end"
        elif not regex.search(r"\d", _weight_in_name().sub("", line)):
            kind = "labels"
        else:
            kind = "row"
        kinds.append(kind)
        cells_of.append(cells)
    pairs = paired_by_rank(kinds)
    rows: list[list[tuple[str, int]]] = []
    for i, kind in enumerate(kinds):
        if kind == "end":
            break
        if kind in ("labels", "row"):
            rows.append(_merged(cells_of[i], cells_of[pairs[i]], roles) if i in pairs else cells_of[i])
    return rows


_LABEL_ROLES = ("category", "subcategory", "name", "criteria", "deviation_reason")


def _merged(labels: list[tuple[str, int]], values: list[tuple[str, int]], roles: list[str]) -> list[tuple[str, int]]:
    """A label line and the values line paired with it, as one row. Where groups have weight columns of their
    own (投入 目标设定 指标 标准 | 20 8 4 4), the values count says how many groups the row opens, and the cells
    go back into the header's order; otherwise the values follow the labels."""
    if not any(r.endswith("_weight") for r in roles):
        return labels + values
    for first in range(len(roles)):
        suffix = roles[first:]
        value_roles = [r for r in suffix if r not in _LABEL_ROLES]
        label_roles = [r for r in suffix if r in _LABEL_ROLES]
        if len(value_roles) == len(values) and suffix[0] in _LABEL_ROLES and len(labels) <= len(label_roles):
            cells = dict(zip(label_roles, labels)) | dict(zip(value_roles, values))
            return [cells[r] for r in suffix if r in cells]
    return labels + values


def _rows_of_stream(
    stream: list[tuple[str, int]], width: int, ends: tuple[str, ...], group_weights: bool
) -> list[list[tuple[str, int]]]:
    """Rows cut from a stream of cells: group cells, a name, then the `width` cells that follow it. A group word
    followed by a bare number is an indicator's name (社会效益 | 10 | ...), unless groups have weight columns."""
    rows: list[list[tuple[str, int]]] = []
    row: list[tuple[str, int]] = []
    needed = None
    for i, (cell, cell_at) in enumerate(stream):
        if needed is None:
            if not cell:
                continue
            if cell.startswith(ends):
                break
            row.append((cell, cell_at))
            following = next((c for c, _ in stream[i + 1 :] if c), "")
            named = not group_weights and _BARE_NUMBER.fullmatch(following) and not _weight_in_name().search(cell)
            if not _is_group_word(cell) or named:
                needed = width
            continue
        row.append((cell, cell_at))
        needed -= 1
        if needed == 0:
            rows.append([c for c in row if c[0]])
            row, needed = [], None
    return rows


@cache
def _weight_in_name() -> regex.Pattern:
    """A weight written after a group's name: 产出指标(40分)."""
    return regex.compile(_rules()["table"]["weight_in_name"])


def _segments(text: str, start: int, stop: int) -> list[tuple[str, int]]:
    """The cells of text[start:stop] where nothing separates them but the change from words to a number
    (投入20目标设定8绩效目标合理性4...): runs of digits and runs of anything else, each line apart."""
    return [
        (m.group(), start + m.start())
        for m in regex.finditer(r"\d+(?:\.\d+)?|[^\d\s|]+(?:[^\S\n]+[^\d\s|]+)*", text[start:stop])
    ]


def _weighted_group_rows(cells: list[tuple[str, int]], roles: list[str], width: int) -> list[list[tuple[str, int]]]:
    """Rows of an indicator table whose groups have weight columns of their own (一级指标 | 分值 | 二级指标 | 分值 |
    三级指标 | 分值 | 评分标准 | 得分), from its cells in order with nothing marking where a row starts: the
    weights of a group's children add up to the group's (FORMS.md D), so a row opens a group exactly when the
    one before is used up. Reading stops where the cells do not fit."""
    levels = [r for r in ("category", "subcategory") if f"{r}_weight" in roles]
    left: dict[str, Decimal] = dict.fromkeys(levels, Decimal(0))  # weight not yet given to children
    rows: list[list[tuple[str, int]]] = []
    i = 0
    while levels and i < len(cells):
        # the groups to open: the outermost whose weight, and all its inner groups' weights, are used up
        opening = levels[next((n for n in range(len(levels)) if not any(left[v] for v in levels[n:])), len(levels)) :]
        row = cells[i : i + 2 * len(opening) + 1 + width]
        if len(row) < 2 * len(opening) + 2:
            break
        weights = [row[2 * n + 1][0] for n in range(len(opening) + 1)]
        if not all(_BARE_NUMBER.fullmatch(w) for w in weights):
            break
        for level, weight in zip(opening + [None], map(Decimal, weights)):
            parent = levels[levels.index(level) - 1] if level in levels[1:] else levels[-1] if level is None else None
            if parent is not None:
                left[parent] -= weight
            if level is not None:
                left[level] = weight
        if any(v < 0 for v in left.values()) or len(row) < 2 * len(opening) + 1 + width:
            break
        rows.append(row)
        i += len(row)
    return rows


def _floating_group_names(rows: list[list[tuple[str, int]]], roles: list[str]) -> list[list[tuple[str, int]]]:
    """Rows of a table whose groups have weight columns, where a group cell spanning rows was printed after the
    first rows it spans (FORMS.md rendering 6): a row that opens groups with one name missing (20 目标设定 8
    ... : one cell short, starting with the weight) takes the next lone word of that level as the name: a
    category word of the framework (投入) for a category, a word that is no such category for a sub-group
    (预算配置). A request lapses where the next row of its level opens; other lone lines stay rows."""
    rules = _rules()["text_table"]
    levels = [r for r in ("category", "subcategory") if f"{r}_weight" in roles]
    leaf = len(roles) - roles.index("name")
    named: list[list[tuple[str, int]]] = []
    waiting: dict[str, int] = {}
    for row in rows:
        word = row[0][0].strip() if len(row) == 1 else ""
        level = "category" if word in rules["categories"] else "subcategory" if _HAN_WORD.fullmatch(word) else None
        if level in waiting:
            named[waiting.pop(level)].insert(0, row[0])
            continue
        opened = [lv for k, lv in enumerate(levels) if len(row) == 2 * len(levels[k:]) + leaf - 1]
        if row and _BARE_NUMBER.fullmatch(row[0][0]) and opened:
            for lv in levels[levels.index(opened[0]) :]:
                waiting.pop(lv, None)  # an earlier request of this level or below lapses
            waiting[opened[0]] = len(named)
        named.append(list(row))
    return named


def _is_group_word(cell: str) -> bool:
    """A category or sub-category cell (产出指标(50分), 数量指标, or a group named freely with its weight in
    brackets: 目标设定(6分), FORMS.md D), which stands before an indicator's name."""
    rules = _rules()["text_table"]
    word, weighted = _weight_in_name().subn("", cell)
    return word.strip() in rules["categories"] or word.strip() in rules["subcategories"] or bool(weighted)


def _split_cells(line: str, offset: int) -> list[tuple[str, int]]:
    """Cells of a text row: separated by tabs, '|' or spaces; (text, start)."""
    cells, at = [], 0
    for piece in _CELL_SEPARATOR.split(line):
        at = line.index(piece, at) if piece else at
        if piece.strip():
            cells.append((piece, offset + at))
        at += len(piece)
    return cells


def _weight_score_splits(run: str, limit: Decimal, leading: int = 0) -> list[tuple[str, ...]]:
    """The ways a run of digits splits into `leading` numbers, then a weight and a score, with score ≤ weight ≤
    limit (FORMS.md rendering 5: 得分 ≤ 分值, a child's weight within its parent's). A run longer than a row's
    fused values can be (_MAX_FUSED_DIGITS) is not cut at all."""
    if len(run) > _MAX_FUSED_DIGITS:
        return []
    found = []
    for cuts in itertools.combinations(range(1, len(run)), leading + 1):
        pieces = tuple(run[a:b] for a, b in zip((0, *cuts), (*cuts, len(run))))
        if all(_is_written_number(p) for p in pieces) and Decimal(pieces[-1]) <= Decimal(pieces[-2]) <= limit:
            found.append(pieces)
    return found


def _is_written_number(text: str) -> bool:
    """A number as a cell holds it: no leading zero except in 0 and 0.x."""
    return bool(_BARE_NUMBER.fullmatch(text)) and not (len(text) > 1 and text[0] == "0" and text[1] != ".")


def _unfused(
    cell: tuple[str, int], values: list[str], quantities: _Quantities, limit: Decimal
) -> Optional[list[tuple[str, int]]]:
    """Cells of an indicator row on one line fused with no separator, where the header's arithmetic settles
    them (score ≤ weight ≤ the weight of the row's group, one reading only):
    - header ending in target, actual, weight, score (培训人次≥500人次526人次2020): the target and actual are the
      two quantities just before a trailing run, which splits into weight and score;
    - weight, criteria, score (FORMS.md D: 绩效目标合理性3目标与部门职能相符3): the score is the trailing run,
      the weight the one bare number before it.
    None where the row is not such a row; [] where it is, but no single reading fits (the row is reported)."""
    text, start = cell
    order = [v for v in values if v in ("target", "actual", "weight", "score")]
    run = regex.search(r"\d+(?:\.\d+)?$", text)
    if order not in (["target", "actual", "weight", "score"], ["weight", "score"]) or not run:
        return None
    groups = _group_cells(text, start)
    stated = [m for g, _ in groups if (m := _weight_in_name().search(g))]
    limit = Decimal(stated[-1].group(1)) if stated else limit
    prefix = sum(len(g) for g, _ in groups)
    name_start, end = start + prefix, start + run.start()
    cells = dict.fromkeys(values, ("", end))
    if order == ["weight", "score"]:
        # every number written between the name and the score could be the weight (3分, 2项 as much as 3)
        weights = [
            m
            for m in _WRITTEN_NUMBER.finditer(text, prefix, run.start())
            if Decimal(run.group()) <= Decimal(m.group()) <= limit
        ]
        if len(weights) != 1 or weights[0].end() == run.start() or weights[0].start() == prefix:
            return []
        weight = weights[0]
        cells |= {"weight": (weight.group(), start + weight.start()), "score": (run.group(), end)}
        if "criteria" in cells:
            cells["criteria"] = (text[weight.end() : run.start()], start + weight.end())
        name_end = start + weight.start()
    else:
        found = [q for q in quantities.between(name_start, end) if q.span[1] <= end]
        splits = _weight_score_splits(run.group(), limit)
        if len(found) >= 2 and found[-1].span[1] == end and found[-2].span[1] == found[-1].span[0]:
            target, actual = (found[-2].text, found[-2].span[0]), (found[-1].text, found[-1].span[0])
            name_end = found[-2].span[0]
        elif found and "unit" in values[values.index("target") : values.index("actual")]:
            # 指标性质 | 指标值 | 度量单位 | 完成值 (≥120万平方米1262018): the 指标值 cell is the number alone, the
            # actual the run's first number
            splits = [s[1:] for s in _weight_score_splits(run.group(), limit, leading=1)]
            actual_digits = run.group()[: len(run.group()) - sum(map(len, splits[0]))] if len(splits) == 1 else ""
            number = regex.search(r"\d+(?:\.\d+)?", found[-1].text)
            if number is None:
                return []
            target = (number.group(), found[-1].span[0] + number.start())
            actual, name_end = (actual_digits, end), found[-1].span[0]
            end += len(actual_digits)
        else:
            return []
        if len(splits) != 1:
            return []
        weight_text, score = splits[0]
        while name_end > name_start and text[name_end - 1 - start] in "=＝≥≤<>":
            name_end -= 1  # 指标性质 written before the 指标值: = 100%
        cells |= {
            "target": target,
            "actual": actual,
            "weight": (weight_text, end),
            "score": (score, end + len(weight_text)),
        }
    if name_end <= name_start:
        return []
    return groups + [(text[prefix : name_end - start], name_start)] + [cells[v] for v in values]


def _value_runs(quantities: list[Quantity], text: str) -> list[list[Quantity]]:
    """Quantities written one right after another (at most white space between): the value cells of a row."""
    runs: list[list[Quantity]] = []
    for q in quantities:
        if runs and not text[runs[-1][-1].span[1] : q.span[0]].strip():
            runs[-1].append(q)
        else:
            runs.append([q])
    return runs


def _fused_rows(
    text: str,
    start: int,
    stop: int,
    roles: list[str],
    quantities: _Quantities,
    warnings: list[ReadWarning],
) -> list[list[tuple[str, int]]]:
    """Rows of a table whose cells are all fused, rows included (FORMS.md rendering 5), after its header. A row
    ends in a run of values whose last is the bare score, or the weight and score fused; its name is the text
    before the run, after its group words, of which a row holds at most one per group column (效益指标 with no
    row of its own before 满意度指标 | 服务对象满意度指标 is left). Cells come back one per header role, empty
    where unread; a row whose values the arithmetic does not settle keeps only its weighted group words."""
    values = roles[roles.index("name") + 1 :]
    group_columns = len([r for r in roles[: roles.index("name")] if r in ("category", "subcategory")])
    rules = _rules()["text_table"]
    flag = regex.compile(rules["row_end_flag"])
    weight_in_name = _weight_in_name()
    rows: list[list[tuple[str, int]]] = []
    row_start, limit = start, Decimal(100)
    for run in _value_runs(quantities.between(start, stop), text):
        last = run[-1]
        if len(run) < 2 or last.kind != "number" or not _BARE_NUMBER.fullmatch(last.text) or last.span[1] > stop:
            continue
        between = text[row_start : run[0].span[0]].lstrip()
        at = run[0].span[0] - len(between)
        row_start = last.span[1]
        if m := flag.match(between):
            between, at = between[m.end() :], at + m.end()
        if not _group_cells(between, at) and (cell := _group_cell_start(between)):
            between, at = between[cell:], at + cell  # the row before ended in words (its 偏差原因): not a name
        groups = _group_cells(between, at)
        for word, _ in groups:
            if weight_in_name.sub("", word) in rules["categories"]:
                m = weight_in_name.search(word)
                limit = Decimal(m.group(1)) if m else Decimal(100)
        prefix = sum(len(g) for g, _ in groups)
        if page := _page_item().search(between, prefix):
            prefix = page.end()  # a page's item number on a line of its own start (取得2018-2022 / 2、监测资料)
        name = between[prefix:].strip()
        named = bool(name) and len(name) <= _rules()["prose"]["max_name_length"]
        read = _fused_values(run, values, limit) if named else None
        if read is None and named:
            name_at = at + between.index(name, prefix)
            warnings.append(ReadWarning.unread_row((name_at, last.span[1]), text[name_at : last.span[1]]))
        if read is None:
            if any(weight_in_name.search(word) for word, _ in groups):
                rows.append(groups)  # 效益指标(40分) stands, with the weight it states, over rows left unread
            continue
        cells = dict.fromkeys(values, ("", last.span[0])) | read
        while len(groups) > max(group_columns, 1) and not weight_in_name.search(groups[0][0]):
            groups.pop(0)
        rows.append(groups + [(name, at + between.index(name, prefix))] + [cells[v] for v in values])
    return [row for row in rows if row]


def _group_cell_start(text: str) -> Optional[int]:
    """Where the first group cell of the national framework (a category or sub-category word ending in 指标)
    starts inside `text`, if one does."""
    rules = _rules()["text_table"]
    words = [w for w in rules["categories"] + rules["subcategories"] if w.endswith("指标")]
    found = regex.search("|".join(map(regex.escape, words)), text)
    return found.start() if found and found.start() > 0 else None


def _fused_values(run: list[Quantity], values: list[str], limit: Decimal) -> Optional[dict[str, tuple[str, int]]]:
    """The weight and score cells of a fused row's value run, where the form's arithmetic settles them (score ≤
    weight ≤ the category's weight, one split only); target and actual stay unread."""
    core = [v for v in values if v in ("target", "actual", "weight", "score")]
    last = run[-1]
    score = last.text
    if core[-2:] == ["weight", "score"]:
        pairs = _weight_score_splits(score, limit)
        if values[values.index("weight") - 1] == "coefficient" and run[-2].unit == "%":
            # 得分 = 指标权重 × 得分系数
            pairs = [(w, sc) for w, sc in pairs if Decimal(w) * cast(Decimal, run[-2].value) / 100 == Decimal(sc)]
        if len(pairs) != 1:
            return None
        weight, score = pairs[0]
        return {"weight": (weight, last.span[0]), "score": (score, last.span[0] + len(weight))}
    if core[-1:] == ["score"] and "weight" not in core and Decimal(score) <= limit:
        return {"score": (score, last.span[0])}
    return None


def _is_weight_first(values: list[str]) -> bool:
    """A header whose weight column comes before the target and the score after the actual (分值 | 指标值 | 实际值
    | 得分: the Ningxia and 参考分值 forms)."""
    core = [v for v in values if v in ("target", "actual", "weight", "score")]
    return core == ["weight", "target", "actual", "score"]


def _weighted_groups(text: str, start: int, stop: int) -> list[tuple[str, int, int, Decimal, int]]:
    """The group cells of a fused table that state their weight in brackets (项目决策(10分), 数量指标(10分)):
    (name, start, end, weight, level). The name is the run of Chinese characters before the bracket, or the
    framework word it ends with (a word ending in 指标, or one with more than two characters before it: the
    end of the row before). A group named freely is a sub-category right after a category or after another
    sub-category, unless another group follows it at once; else a category."""
    rules = _rules()["text_table"]
    words = sorted(rules["categories"] + rules["subcategories"], key=len, reverse=True)
    found: list[tuple[str, int, int, Decimal, int]] = []
    weights = list(_weight_in_name().finditer(text, start, stop))
    for n, m in enumerate(weights):
        at = m.start()
        while at > max(start, m.start() - 13) and _HAN.match(text[at - 1]):
            at -= 1
        run = text[at : m.start()]
        word = next((w for w in words if run.endswith(w)), None)
        if word is None or (len(run) - len(word) in (1, 2) and not word.endswith("指标")):
            # a group named freely, or around a short word of the framework (履职产出)
            if not 2 <= len(run) <= 12:
                continue
            word = run
            followed = n + 1 < len(weights) and not text[m.end() : weights[n + 1].start()].strip(" \n")[12:]
            before = found[-1] if found else None
            # under a category: its first sub-group stands right after it, the next after a sub-group
            inner = before is not None and (before[4] == 2 or not text[before[2] : at].strip())
            level = 2 if inner and not followed else 1
        else:
            level = 1 if word in rules["categories"] else 2
        found.append((word, m.start() - len(word), m.end(), Decimal(m.group(1)), level))
    return found


@cache
def _row_item() -> regex.Pattern:
    """What starts an item inside a fused row, before its name: a group word of the framework ending in 指标,
    with the item's number fused to it (生态效益指标1病害减少), or an item marker (指标2:, 3、)."""
    rules = _rules()["text_table"]
    words = sorted((w for w in rules["categories"] + rules["subcategories"] if w.endswith("指标")), key=len)[::-1]
    marker = rules["weight_first"]
    return regex.compile(
        f"(?P<word>{'|'.join(map(regex.escape, words))})(?:{marker['item_number']})?|{marker['item_marker']}"
    )


@cache
def _page_item() -> regex.Pattern:
    """An item marker starting a line inside a fused row's name: the web copy's page number (2、) or a
    row's item (指标2:); the name is what follows the last one."""
    return regex.compile(rf"(?s:.*)\n[^\S\n]*(?:{_rules()['text_table']['weight_first']['item_marker']})")


_Row = tuple[str, int, Optional[str], tuple[str, int], Optional[tuple[str, int]]]


def _weight_first_rows(
    text: str, plain: str, start: int, stop: int, limit: Decimal, quantities: _Quantities
) -> list[list[_Row]]:
    """The ways text[start:stop] reads as fused rows of name, weight, target and actual, score (the weight
    fused in front of the target: 保障人数102370人2370人10), each weight ≤ limit: rows as (name, name start,
    sub-category word, weight cell, score cell). A row's score is the first bare number after its weight that
    is not above it, before the next item; the score of a group's last row may be unread where its weight is
    fused to a target that the actual repeats. Words without a number before an item are the 偏差原因 of the
    row before; a row whose numbers fit no weight is passed over up to the next item. More than _MAX_READINGS
    readings come back as that many and one. `plain` is the text with its page numbers blanked."""
    rules = _rules()["text_table"]["weight_first"]
    item, in_name, not_score = _row_item(), regex.compile(rules["digits_in_name"]), regex.compile(rules["not_a_score"])
    subcategories = set(_rules()["text_table"]["subcategories"])
    max_name = _rules()["prose"]["max_name_length"]
    empty, date, date_word = rules["empty_cell"], regex.compile(rules["date"]), regex.compile(rules["date_word"])
    readings: dict[int, list[list[_Row]]] = {}

    def past_items(at: int, subcategory: Optional[str]) -> tuple[int, Optional[str]]:
        while m := item.match(plain, at, stop) or _SPACES.match(plain, at, stop):
            word = m.groupdict().get("word")
            subcategory, at = word if word in subcategories else subcategory, m.end()
        return at, subcategory

    def score_of(weight: str, at: int, end: int) -> Optional[regex.Match]:
        for s in _SCORE_CELL.finditer(plain, at, stop):
            if s.end() > end:
                break  # past the row's cells (a number cut off at the next item would read as a shorter one)
            if (
                plain.endswith("第", 0, s.start())
                or quantities.has_unit_at(s.start())
                or date.fullmatch(plain, s.start(), s.end() + 1)
            ):
                continue  # a value of the target or the actual (2次, 第4季度, 12月底)
            if date_word.match(plain, s.end()):
                return None  # a number run into a date (2.5 | 2023年底前...): no score to read
            bare = not not_score.match(plain, s.end())
            if bare and Decimal(s.group()) <= Decimal(weight):
                return s
            if _HAN.match(plain[s.start() - 1]) and Decimal(s.group()) <= limit:
                return None  # a name and its weight: the next row has begun, this one has no score
        return None

    def from_(origin: int) -> list[list[_Row]]:
        if origin in readings:
            return readings[origin]
        readings[origin] = []
        at, subcategory = past_items(origin, None)
        following = item.search(plain, at, stop)
        if not _DIGIT.search(plain, at, following.start() if following else stop):
            # what stands before the next item, or the end, is the 偏差原因 of the row before
            readings[origin] = from_(following.start()) if following else [[]]
            return readings[origin]
        end = at
        while end < stop:
            if (found_item := item.match(plain, end, stop)) and end > at:
                # a group cell or an item inside: the name is what follows it
                at, subcategory = past_items(found_item.start(), subcategory)
                end = at
            elif plain[end].isdigit():
                piece = in_name.match(plain, end, stop)
                if not piece:
                    break
                end = piece.end()
            else:
                end += 1
        name = text[at:end].strip().lstrip(empty)  # an empty 偏差原因 cell (/, —) before the name
        found: list[list[_Row]] = []
        run = _BARE_NUMBER.match(plain, end, stop)
        named = len(_HAN.findall(name)) >= 2 and len(name) <= max_name and not regex.search(r"[A-Za-z]$", name)
        if run and named:
            next_item = item.search(plain, run.end(), stop)
            cells_end = next_item.start() if next_item else stop
            row = (name, text.index(name, at), subcategory)
            for cut in range(1, min(len(run.group()), _MAX_WEIGHT_CHARS) + 1):
                weight, rest = run.group()[:cut], run.group()[cut:]
                if not _is_written_number(weight) or (rest and (not _is_written_number(rest) or rest == "0")):
                    continue  # 10人次 is no weight 1 before 0人次
                if not rest and (quantities.has_unit_at(end) or _LETTER.match(plain, run.end())):
                    break  # the whole number carries a unit or is part of a word (开展3次, 5G基站): no weight
                if rest and not (quantities.has_unit_at(end + cut) or date.fullmatch(plain, end + cut, run.end() + 1)):
                    continue  # what is left of a fused weight is a value with its unit or a date (10|2370人)
                if Decimal(weight) > limit:
                    break
                if score := score_of(weight, end + cut, cells_end):
                    found += [
                        [(*row, (weight, end), (score.group(), score.start())), *after] for after in from_(score.end())
                    ]
                elif rest and _REPEATED.match(plain, end + cut, cells_end):
                    found.append([(*row, (weight, end), None)])
        if named and not found and following:
            found = from_(following.start())  # a row whose numbers fit no weight (8000亩 / 8535.5亩) is left
        readings[origin] = found[: _MAX_READINGS + 1]
        return readings[origin]

    return from_(start)


def _weight_first_table(
    text: str, start: int, stop: int, quantities: _Quantities, warnings: list[ReadWarning]
) -> tuple[list[dict], list[Category]]:
    """Indicators of a fused table with the weight before the target (FORMS.md rendering 5), where the groups'
    weights settle the numbers: in each group, its rows' weights and its sub-groups' add up to its own, and a
    group read in exactly one way. A group read in none or several is left unread and reported."""
    groups = _weighted_groups(text, start, stop)
    rules = _rules()["text_table"]["weight_first"]
    # page numbers between the rows (\n3\n, - 4 -, 第2页) are no cells: blanked, offsets kept
    page = regex.compile(rules["page_number"])
    plain = text[:start] + page.sub(lambda m: " " * len(m.group()), text[start:stop]) + text[stop:]
    categories = [
        Category(id="", name=name, level=level, weight=weight, span=(at, end))  # type: ignore[arg-type]
        for name, at, end, weight, level in groups
    ]
    bounds = [(start, groups[0][1] if groups else stop, None)] + [
        (g[2], groups[n + 1][1] if n + 1 < len(groups) else stop, g) for n, g in enumerate(groups)
    ]
    found: list[dict] = []
    category = subcategory = None
    for n, (seg_start, seg_end, group) in enumerate(bounds):
        total: Optional[Decimal] = None
        limit = Decimal(100)
        if group is not None:
            name, _, _, weight, level = group
            limit = weight
            if level == 1:
                category, subcategory = name, None
                children = itertools.takewhile(lambda g: g[4] == 2, (b[2] for b in bounds[n + 1 :] if b[2]))
                total = weight - sum((g[3] for g in children), Decimal(0))
            else:
                subcategory, total = name, weight
        numbers = len(_BARE_NUMBER.findall(text, seg_start, seg_end))
        # rows are read only where a group's stated weight settles them, in one reading
        readings = (
            _weight_first_rows(text, plain, seg_start, seg_end, limit, quantities)
            if total is not None and numbers <= rules["max_group_numbers"]
            else []
        )
        if len(readings) <= _MAX_READINGS:
            readings = [r for r in readings if sum((Decimal(row[3][0]) for row in r), Decimal(0)) == total]
        if len(readings) != 1:
            if numbers:
                warnings.append(ReadWarning.unread_row((seg_start, seg_end), text[seg_start:seg_end]))
            continue
        row_subcategory = None
        for name, at, item_subcategory, weight_cell, score_cell in readings[0]:
            row_subcategory = item_subcategory or row_subcategory
            found.append(
                {
                    "category": category,
                    "subcategory": row_subcategory or subcategory,
                    "number": None,
                    "name": name,
                    "weight": Decimal(weight_cell[0]),
                    "score": Decimal(score_cell[0]) if score_cell else None,
                    "span": (at, at + len(name)),
                }
            )
    return found, categories


def _group_cells(text: str, start: int) -> list[tuple[str, int]]:
    """The group cells a fused row starts with, as cells: category and sub-category words (产出指标(50分)数量指标),
    and groups named freely with their weight in brackets (目标设定(6分), FORMS.md D). Words are matched with
    pinyin annotations and spaces left out (产(chǎn)出指标(biāo)); a cell runs to where the next one starts."""
    rules = _rules()["text_table"]
    words = sorted(rules["categories"] + rules["subcategories"], key=len, reverse=True)
    weight = _weight_in_name()
    free_group = regex.compile(r"[^\d\s(（]{1,12}" + weight.pattern)
    view = Squeezed(text)
    plain = view.text
    cells: list[tuple[str, int]] = []
    at = 0
    while True:
        word = next((w for w in words if plain.startswith(w, at)), None)
        if word and regex.match(r"\d", plain[at + len(word) : at + len(word) + 1]):
            return cells  # 社会效益10效益明显9: a group word before a number is the indicator's name
        if word:
            m = weight.match(plain, at + len(word))
            end = m.end() if m else at + len(word)
        elif m := free_group.match(plain, at):
            end = m.end()
        else:
            return cells
        cell_start = sum(len(c) for c, _ in cells)
        cell_end = view.offsets[end] if end < len(plain) else len(text)
        cells.append((text[cell_start:cell_end], start + cell_start))
        at = end


def _table_end(text: str, start: int, later_headers: list[tuple[list[str], int, int]]) -> int:
    """Where a text table that starts at `start` ends: its total row (总分, 合计), the next header, or after
    max_lines lines."""
    rules = _rules()
    stop = later_headers[0][1] if later_headers else len(text)
    line_start = start
    for _ in range(rules["text_table"]["max_lines"]):
        line_end = text.find("\n", line_start, stop)
        if line_end < 0:
            break
        line_start = line_end + 1
    else:
        stop = line_start
    total = regex.compile("|".join(map(regex.escape, rules["table"]["total_rows"]))).search(text, start, stop)
    return total.start() if total else stop


def _text_table_indicators(
    document: Document, quantities: _Quantities, warnings: list[ReadWarning]
) -> tuple[list[dict], list[Category]]:
    """Indicator rows of tables rendered as text lines outside table blocks: a line holds the category and
    sub-category cells when they start a group, then the name, then the values. Weight and score are the
    numbers where the header puts them; a row whose numbers do not fill those columns keeps them unread."""
    rules = _rules()["text_table"]
    text = document.text
    weight_in_name = _weight_in_name()
    categories_words, subcategory_words = set(rules["categories"]), set(rules["subcategories"])
    table_spans = [b.span for b in document.blocks if b.kind == "table" and not _one_cell_rows(b)]
    found: list[dict] = []
    categories: list[Category] = []
    headers = _text_headers(text)
    for n, (roles, header_start, header_end) in enumerate(headers):
        if any(s <= header_end <= e for s, e in table_spans):
            continue
        values = roles[roles.index("name") + 1 :]
        leaf_cells = 1 + len(values)
        first_row, first_category = len(found), len(categories)
        groups = [r for r in roles[: roles.index("name")] if r in ("category", "subcategory")]
        line_end = text.find("\n", header_end) if "\n" in text[header_end:] else len(text)
        line_start = line_end + 1
        category = subcategory = None
        one_per_line = text.count("\n", header_start, header_end) >= len(roles) - 1
        run_on = _split_cells(text[header_end:line_end], header_end)
        # a whole table run on in one line after its header (rendering 4 without line breaks): rows are the
        # name and the cells of a row without its trailing 偏差原因 (empty, so vanished)
        width = len(values) - (bool(values) and values[-1] == "deviation_reason")
        ends, group_weights = tuple(rules["ends"]), any(r.endswith("_weight") for r in roles)
        rows = (
            _rows_of_stream(run_on, width, ends, group_weights)
            if width and len(run_on) > 2 * width
            else _text_rows(text, line_start, roles, ends, rules["max_lines"], one_per_line)
        )
        stop = _table_end(text, header_end, headers[n + 1 :])
        if group_weights:
            rows = _floating_group_names(rows, roles)
        if group_weights and (one_per_line or not any(_BARE_NUMBER.fullmatch(c) for row in rows for c, _ in row[1:])):
            # one cell per line or fused: rows cut by the weights (FORMS.md D, older framework)
            rows = _weighted_group_rows(_segments(text, line_start, stop), roles, len(values))
        # a table fused rows and all runs on after its header on the same line (rendering 5 without line breaks)
        fused = len(quantities.between(header_end, line_end)) >= 2
        if fused and not any(_BARE_NUMBER.fullmatch(cell) for row in rows for cell, _ in row):
            if _is_weight_first(values):
                table_rows, table_categories = _weight_first_table(text, header_end, stop, quantities, warnings)
                found += table_rows
                categories += table_categories
                continue
            rows = _fused_rows(text, header_end, stop, roles, quantities, warnings)
        for cells in rows:
            if len(cells) == 1:
                limit = categories[-1].weight if categories and categories[-1].weight else Decimal(100)
                unfused = _unfused(cells[0], values, quantities, limit)
                if unfused == []:
                    warnings.append(ReadWarning.unread_row((cells[0][1], cells[0][1] + len(cells[0][0])), cells[0][0]))
                cells = unfused or cells
            peeled = 0
            while cells and (peeled < len(groups) or not groups) and not _BARE_NUMBER.fullmatch(cells[0][0]):
                # a row holds at most one cell per group column: past them the name begins (效益 | 履职效益 |
                # 社会效益 is the indicator 社会效益)
                word = Squeezed(weight_in_name.sub("", cells[0][0])).text  # pinyin and spaces left out
                m = weight_in_name.search(cells[0][0])
                # a group word followed by a bare number is an indicator's name (社会效益 | 10 | ... | 9), unless
                # the header gives groups a 分值 column of their own
                named = (
                    len(cells) > 1
                    and _BARE_NUMBER.fullmatch(cells[1][0])
                    and not m
                    and (not group_weights or len(cells) <= leaf_cells)
                )
                # where the table names its sub-groups freely (履职效益, FORMS.md D), a sub-group word of the national
                # framework opening a row with exactly a leaf's cells, no deviation column to have vanished, is the
                # indicator's name (可持续影响 | 长效机制健全 | 5 | 5)
                free_groups = subcategory is not None and subcategory not in subcategory_words
                whole_leaf = (
                    free_groups
                    and word in subcategory_words
                    and len(cells) == leaf_cells
                    and values[-1:] != ["deviation_reason"]
                    and not m
                )
                if named or whole_leaf:
                    break
                if not word and m and categories and categories[-1].weight is None:
                    categories[-1].weight = Decimal(m.group(1))  # 满意度指标 / (10分) on the next line
                elif word in categories_words and word != category:
                    category, subcategory = word, None
                    weighted = "category_weight" in roles and len(cells) > 1 and _BARE_NUMBER.fullmatch(cells[1][0])
                    weight = Decimal(m.group(1)) if m else Decimal(cells[1][0]) if weighted else None
                    categories.append(
                        Category(
                            id="", name=word, level=1, weight=weight, span=(cells[0][1], cells[0][1] + len(cells[0][0]))
                        )
                    )
                    if weighted:
                        cells.pop(0)
                elif word == category:
                    pass
                elif word in subcategory_words:
                    subcategory = word
                elif m and word and len(cells) == 1 and category is not None and word not in rules["block_titles"]:
                    # a group named freely with its weight on a line of its own, inside a category (a merged cell
                    # a flattened PDF printed apart from its rows: 预算配置(9分))
                    subcategory = word
                    span = (cells[0][1], cells[0][1] + len(cells[0][0]))
                    categories.append(Category(id="", name=word, level=2, weight=Decimal(m.group(1)), span=span))
                elif (
                    m
                    and word
                    and len(cells) > 1
                    and not _BARE_NUMBER.fullmatch(cells[1][0])
                    or len(cells) > leaf_cells
                    and groups
                ):
                    # a group named freely, weighted in brackets (目标设定(6分)) or in its own column, before
                    # the name: the first of two groups on a row is the category, a lone one a sub-category
                    group_weighted = (
                        not m
                        and len(cells) > 1
                        and _BARE_NUMBER.fullmatch(cells[1][0])
                        and len(cells) - 2 >= leaf_cells
                    )
                    first_of_two = len(cells) - (2 if group_weighted else 1) > leaf_cells
                    level = 1 if first_of_two or len(groups) == 1 or category is None else 2
                    if level == 1:
                        category, subcategory = word, None
                    else:
                        subcategory = word
                    weight = Decimal(m.group(1)) if m else Decimal(cells[1][0]) if group_weighted else None
                    if weight is not None:
                        categories.append(
                            Category(
                                id="",
                                name=word,
                                level=level,
                                weight=weight,
                                span=(cells[0][1], cells[0][1] + len(cells[0][0])),
                            )
                        )
                    if group_weighted:
                        cells.pop(0)
                else:
                    break
                cells.pop(0)
                peeled += 1
            if not cells or _BARE_NUMBER.fullmatch(cells[0][0]):
                continue
            name, name_start = cells[0]
            rest = cells[1:]
            row: dict = {"category": category, "subcategory": subcategory}
            numbers = [i for i, (t, _) in enumerate(rest) if _BARE_NUMBER.fullmatch(t)]
            numeric_roles = [r for r in values if r in ("weight", "score")]
            by_kind = len(numbers) == len(numeric_roles) and len(rest) == len(values)
            if by_kind and [values[i] for i in numbers] != numeric_roles:
                # numbers apart from the words (rendering 7: 指标 评价标准 | 3 3): each kind to its columns in order
                words = [c for i, c in enumerate(rest) if i not in numbers]
                assigned = dict(zip(numeric_roles, [rest[i] for i in numbers]))
                assigned |= dict(zip([v for v in values if v not in numeric_roles], words))
            elif len(rest) == len(values):
                assigned = dict(zip(values, rest))
            elif (
                numeric_roles == ["weight", "score"]
                and values.index("score") == values.index("weight") + 1
                and len(numbers) >= 2
                and numbers[-1] == numbers[-2] + 1
            ):
                j = numbers[-1]
                assigned = {"weight": rest[j - 1], "score": rest[j]}
                before, roles_before = rest[: j - 1], values[: values.index("weight")]
                if len(before) == len(roles_before):
                    assigned |= dict(zip(roles_before, before))
            elif numeric_roles == ["score"] and numbers:
                assigned = {"score": rest[numbers[-1]]}
            else:
                assigned = {}
            if not assigned:
                continue
            marker = heading_marker(name)
            row["number"] = marker[1] if marker else None
            row["name"] = name.strip()
            for role, (cell_text, at) in assigned.items():
                if not cell_text:
                    continue
                if role in _NUMERIC:
                    if _BARE_NUMBER.fullmatch(cell_text):
                        row[role] = Decimal(cell_text)
                elif role in ("target", "actual"):
                    q = _first_quantity(quantities, at, at + len(cell_text))
                    row[role] = IndicatorValue(text=cell_text, quantity=q.id if q else None)
            row["span"] = (name_start, name_start + len(name))
            found.append(row)
        _regrouped_by_weights(found[first_row:], categories[first_category:])
    return found, categories


def _regrouped_by_weights(rows: list[dict], groups: list[Category]) -> None:
    """Where every group of a table states its weight and every row has one, the groups are the runs of rows
    whose weights add up to theirs, in order (FORMS.md D): this places a group cell that a flattened PDF left
    in the middle of its rows (rendering 6). Categories of the framework's vocabulary are the outer groups;
    nothing changes unless both levels partition exactly."""
    outer_words = set(_rules()["text_table"]["categories"])
    outer = [g for g in groups if g.name in outer_words]
    inner = [g for g in groups if g.name not in outer_words]
    if not rows or not groups or any(r.get("weight") is None for r in rows) or any(g.weight is None for g in groups):
        return
    leaves = [cast(Decimal, r["weight"]) for r in rows]
    weights = {"inner": [cast(Decimal, g.weight) for g in inner], "outer": [cast(Decimal, g.weight) for g in outer]}
    none: list[Optional[int]] = [None] * len(rows)
    inner_of_leaf: Optional[list] = _partition(leaves, weights["inner"]) if inner else none
    if inner_of_leaf is None:
        return
    outer_of_leaf: Optional[list] = none
    if outer and inner:
        outer_of_inner = _partition(weights["inner"], weights["outer"])
        outer_of_leaf = [outer_of_inner[i] for i in inner_of_leaf] if outer_of_inner is not None else None
    elif outer:
        outer_of_leaf = _partition(leaves, weights["outer"])
    if outer_of_leaf is None:
        return
    for row, o, i in zip(rows, outer_of_leaf, inner_of_leaf):
        row["category"] = outer[o].name if o is not None else row.get("category")
        row["subcategory"] = inner[i].name if i is not None else row.get("subcategory")
    for g in inner:
        g.level = 2


def _partition(weights: list[Decimal], totals: list[Decimal]) -> Optional[list[int]]:
    """For each weight, the index of the total whose run it belongs to, where the weights cut in order into
    runs adding up to the totals exactly; None where they do not."""
    owners, at = [], 0
    for index, total in enumerate(totals):
        run = Decimal(0)
        while at < len(weights) and run < total:
            run += weights[at]
            owners.append(index)
            at += 1
        if run != total:
            return None
    return owners if at == len(weights) else None


def read_indicators(
    document: Document, sections: list[Section], quantities: list[Quantity], scored_form_rows: list[dict]
) -> tuple[list[Category], list[Indicator], list[ReadWarning]]:
    """Categories and indicators in document order, an indicator's category its table cell or its heading; and
    the fused rows no single reading fits, reported."""
    indexed = _Quantities(quantities)
    categories = categories_from_headings(document, sections, indexed)
    warnings: list[ReadWarning] = []
    rows, text_categories = _text_table_indicators(document, indexed, warnings)
    text_categories = [c for i, c in enumerate(text_categories) if c.name not in {d.name for d in text_categories[:i]}]
    rows += [dict(row) for row in scored_form_rows]
    categories += text_categories
    carried: dict[str, Optional[str]] = {"category": None, "subcategory": None}
    for block in document.blocks:
        if block.kind == "table":
            following = document.blocks[block.index + 1] if block.index + 1 < len(document.blocks) else None
            table_rows, table_categories = _table_indicators(_joined_with(block, following), indexed, carried)
            rows += table_rows
            known = {c.name for c in categories}
            categories += [c for c in table_categories if c.name not in known]
        else:
            row = _prose_indicator(document, block, indexed)
            if row:
                rows.append(row)
    # a row with no value at all is the end of a name wrapped onto the next row or page, not an indicator
    rows = [r for r in rows if any(r.get(role) is not None for role in ("target", "actual", "weight", "score"))]
    indicators = []
    for i, row in enumerate(sorted(rows, key=lambda r: r["span"][0]), 1):
        row.setdefault("category", _category_at(sections, categories, row["span"][0]))
        indicators.append(Indicator(id=f"i{i}", **row))
    # a group stands before its first indicator, outer before inner, wherever its cell was printed (rendering 6)
    first_row: dict[tuple[int, str], int] = {}
    for indicator in indicators:
        for level, name in ((1, indicator.category), (2, indicator.subcategory)):
            if name is not None:
                first_row.setdefault((level, name), indicator.span[0])
    categories.sort(key=lambda c: (first_row.get((c.level, c.name), c.span[0]), c.level))
    categories = [c.model_copy(update={"id": f"c{i}"}) for i, c in enumerate(categories, 1)]
    return categories, indicators, warnings
