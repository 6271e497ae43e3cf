"""Fold full-width forms, odd spaces and conversion leftovers, keeping a map back to the original offsets."""
from __future__ import annotations

from dataclasses import dataclass

import regex

# Characters deleted outright: zero-width spaces and joiners, BOM, soft hyphen.
_DELETED = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Spaces that become a plain space. Full-width ASCII (U+FF01-FF5E) becomes ASCII; ㎡ and other
# compatibility characters are left alone (no blind NFKC: ㎡ must stay one character).
_SPACES = "\u00a0\u3000\u2002\u2003\u2009\u202f"
_LEFTOVERS = regex.compile(r"\[bookmark: [^\]]*\]")


@dataclass(frozen=True)
class Normalised:
    """Normalised text plus, for each of its characters, the offset of the source character it came from."""

    text: str
    source_offsets: list[int]
    source_length: int

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text back to the source text."""
        if start == end:
            pos = self.source_offsets[start] if start < len(self.source_offsets) else self.source_length
            return pos, pos
        return self.source_offsets[start], self.source_offsets[end - 1] + 1


def _fold(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if ch in _SPACES:
        return " "
    return ch


def normalise(source: str) -> Normalised:
    """Normalise `source` one character at a time so every kept character keeps its source offset."""
    dropped = [False] * len(source)
    for m in _LEFTOVERS.finditer(source):
        for i in range(m.start(), m.end()):
            dropped[i] = True
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(source):
        if dropped[i] or ch in _DELETED:
            continue
        chars.append(_fold(ch))
        offsets.append(i)
    return Normalised("".join(chars), offsets, len(source))
