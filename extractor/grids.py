"""Table renderings recovered as rows of cells, where the text alone hides them (FORMS.md renderings 3-7)."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Callable

import regex

from . import patterns

_FRAGMENT = regex.compile(r"[^\s\d|]{1,8}")


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
