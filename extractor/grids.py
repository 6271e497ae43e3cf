"""Table renderings recovered as rows of cells, where the text alone hides them (FORMS.md renderings 3-7)."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Callable

import regex

from . import patterns
from .quantities import unit_quantity

_FRAGMENT = regex.compile(r"[^\s\d|]{1,8}")
# a cell of a values line: a number with its comparison and unit (≥500人次, 95.00%, 10), a comparison alone, or
# a dash; a unit alone (万平方米, when 指标值 and 度量单位 are columns of their own) is a value cell as well
_NUMBER_CELL = regex.compile(r"[≥≤<>=＞＜]?\s*-?\d[\d.,]*%?\s*[(（]?(?P<unit>[^\s\d()（）]*)[)）]?")
_MARK_CELL = regex.compile(r"[≥≤<>=＞＜]|[—–-]+|/")


def is_values_line(cells: list[str]) -> bool:
    """A line whose cells are all values (FORMS.md rendering 7: the numbers of a row that left its label); a
    number followed by words that are no unit (2、出国经费) is a label."""
    return bool(cells) and all(_is_value_cell(c) for c in cells)


def _is_value_cell(cell: str) -> bool:
    number = _NUMBER_CELL.fullmatch(cell)
    if number is not None:
        return not number.group("unit") or _is_unit(number.group("unit"))
    return bool(_MARK_CELL.fullmatch(cell)) or _is_unit(cell)


def _is_unit(word: str) -> bool:
    """A unit written alone (万平方米, %), as a 度量单位 cell holds it."""
    quantity = unit_quantity(word)
    return quantity is not None and quantity.text == "1" + word


def lines_after(text: str, start: int, count: int) -> list[tuple[int, str]]:
    """(start, text) of at most `count` lines from `start`: the rows a table can hold, found one by one (splitting
    the rest of the document for every table made reading quadratic in the number of tables)."""
    lines = []
    for _ in range(count):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        lines.append((start, text[start:end]))
        if end == len(text):
            break
        start = end + 1
    return lines


def paired_by_rank(kinds: list[str]) -> dict[int, int]:
    """Lines of labels paired with lines of values (FORMS.md rendering 7): where a run of k "labels" lines (an
    "end" label, the total row, closes a run) is followed by exactly k "values" lines, label i takes values
    line i. Index of each label line -> index of its values line; other lines are not paired."""
    pairs: dict[int, int] = {}
    i = 0
    while i < len(kinds):
        j = i
        while j < len(kinds) and kinds[j] in ("labels", "end") and (j == i or kinds[j - 1] != "end"):
            j += 1
        k = j
        while k < len(kinds) and kinds[k] == "values":
            k += 1
        if j > i and k - j == j - i:
            pairs.update(zip(range(i, j), range(j, k)))
        i = max(j, i + 1)
    return pairs


@cache
def _left_out() -> regex.Pattern:
    """What a squeezed view leaves out: spaces, line breaks, '|' and pinyin annotations (patterns/forms.toml)."""
    return regex.compile(patterns.load("forms")["reading"]["annotation"] + r"|[\s|]+")


class Squeezed:
    """The text without spaces, line breaks, '|' and pinyin annotations (預(yù)算數(shù)), as flattened tables are
    read: column words run together whatever the rendering kept between them. Each kept character keeps its
    offset in the text."""

    def __init__(self, text: str):
        self.offsets: list[int] = []
        pieces, at = [], 0
        for m in _left_out().finditer(text):
            self.offsets.extend(range(at, m.start()))
            pieces.append(text[at : m.start()])
            at = m.end()
        self.offsets.extend(range(at, len(text)))
        pieces.append(text[at:])
        self.text = "".join(pieces)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the text of squeezed[start:end]."""
        return self.offsets[start], self.offsets[end - 1] + 1


@lru_cache(maxsize=4)
def squeeze(text: str) -> Squeezed:
    """The squeezed view of `text`, made once for the stages that read the same document."""
    return Squeezed(text)


def split_header_lines(text: str, is_word: Callable[[str], bool]) -> list[tuple[int, int, list[str]]]:
    """Header rows whose cells wrapped onto a second line (PDF text: `年初预算 全年预算 全年执行` / `数 数 数`):
    (start of the first line, end of the second, the header's words made whole). A fragment of the second line
    joins, in order, the first cell that it completes into a known word; all fragments must find one."""
    found = []
    lines = text.split("\n")
    offset = 0
    for first, second in zip(lines, lines[1:]):
        start, offset = offset, offset + len(first) + 1
        fragments = second.split()
        if not fragments or not all(_FRAGMENT.fullmatch(f) for f in fragments):
            continue
        cells, words, i = first.split(), [], 0
        for cell in cells:
            if i < len(fragments) and is_word(cell + fragments[i]):
                words.append(cell + fragments[i])
                i += 1
            else:
                words.append(cell)
        if i == len(fragments) and len(cells) >= len(fragments):
            found.append((start, offset + len(second), words))
    return found


def unsplit_headers(text: str, is_word: Callable[[str], bool]) -> str:
    """`text` with each header whose cells wrapped onto a second line (split_header_lines) written on one line,
    its words made whole and padded with spaces to the lines' length: every offset outside those headers stays
    the same, so what is read after a header points into the text itself."""
    pieces, at = [], 0
    for start, end, words in split_header_lines(text, is_word):
        if start >= at:
            pieces += [text[at:start], " ".join(words).ljust(end - start)]
            at = end
    return "".join(pieces) + text[at:] if pieces else text
