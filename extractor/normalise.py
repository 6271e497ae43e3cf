"""Fold full-width forms, odd spaces and conversion leftovers, keeping a map back to the original offsets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

# Characters deleted outright: zero-width spaces and joiners, BOM, soft hyphen.
_DELETED = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Spaces that become a plain space. Full-width ASCII (U+FF01-FF5E) becomes ASCII; ㎡ and other
# compatibility characters are left alone (no blind NFKC: ㎡ must stay one character).
_SPACES = "\u00a0\u3000\u2002\u2003\u2009\u202f"
_LEFTOVERS = regex.compile(r"\[bookmark: [^\]]*\]")


_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {ord(c): " " for c in _SPACES}
_DELETED_CHARS = regex.compile(f"[{_DELETED}]+")
_NEEDS_DELETION = regex.compile(f"[{_DELETED}]|\\[bookmark: ")


@dataclass(frozen=True)
class Normalised:
    """Normalised text plus, for each of its characters, the offset of the source character it came from
    (None when nothing was deleted: then offsets are the same in both texts)."""

    text: str
    source_offsets: list[int] | None
    source_length: int

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text back to the source text."""
        if self.source_offsets is None:
            return start, end
        if start == end:
            pos = self.source_offsets[start] if start < len(self.source_offsets) else self.source_length
            return pos, pos
        return self.source_offsets[start], self.source_offsets[end - 1] + 1


def normalise(source: str) -> Normalised:
    """Normalise `source`; every kept character keeps its source offset (folding is one character to one)."""
    if not _NEEDS_DELETION.search(source):
        return Normalised(source.translate(_FOLD), None, len(source))
    deleted = sorted(
        {(m.start(), m.end()) for m in _LEFTOVERS.finditer(source)}
        | {(m.start(), m.end()) for m in _DELETED_CHARS.finditer(source)}
    )
    pieces: list[str] = []
    offsets: list[int] = []
    kept_from = 0
    for start, end in deleted:
        if start >= kept_from:
            pieces.append(source[kept_from:start])
            offsets.extend(range(kept_from, start))
        kept_from = max(kept_from, end)
    pieces.append(source[kept_from:])
    offsets.extend(range(kept_from, len(source)))
    return Normalised("".join(pieces).translate(_FOLD), offsets, len(source))


@cache
def _simplified(char: str) -> str:
    """The simplified form of one character by OpenCC's t2s data; unchanged where it maps to more or fewer."""
    folded = _converter().convert(char)
    return folded if len(folded) == 1 else char


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def fold_script(text: str) -> str:
    """Traditional characters folded to simplified one for one, so every offset stays the same: 預算數 ->
    预算数. Vocabulary is kept in simplified only; reports in traditional script read through this view."""
    if text.isascii():
        return text
    return text.translate(_FOLDED)


class _Folding(dict):
    """Code point -> the character fold_script writes for it, filled in as characters come (str.translate looks
    each character up in C; a Python call per character cost a long report 16 ms)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = folded = _simplified(char) if code >= 0x3400 else char
        return folded


_FOLDED = _Folding()
