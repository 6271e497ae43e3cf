"""Table renderings recovered as rows of cells, where the text alone hides them (FORMS.md renderings 3-7)."""

from __future__ import annotations

from typing import Callable

import regex

_FRAGMENT = regex.compile(r"[^\s\d|]{1,8}")


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
