"""Problems (存在的问题) and measures (改进措施) as lists of items with spans (patterns/findings.toml)."""

from __future__ import annotations

import regex

from . import patterns
from .document import Document
from .record import Item, Section


def _kind_of(title: str) -> str | None:
    rules = patterns.load("findings")["sections"]
    for kind in ("problems", "measures"):
        if any(word in title for word in rules[kind]):
            return kind
    return None


def _items(text: str, start: int, end: int) -> list[Item]:
    """Items of one paragraph: the whole paragraph when enumerated, else one per sentence."""
    rules = patterns.load("findings")["items"]
    paragraph = text[start:end]
    if regex.match(rules["enumerated"], paragraph):
        pieces = [(0, len(paragraph))]
    else:
        pieces, begin = [], 0
        for i, ch in enumerate(paragraph):
            if ch in rules["sentence_end"]:
                pieces.append((begin, i + 1))
                begin = i + 1
        pieces.append((begin, len(paragraph)))
    items = []
    for a, b in pieces:
        piece = paragraph[a:b]
        stripped = piece.strip()
        if stripped:
            s = start + a + piece.index(stripped)
            items.append(Item(text=stripped, span=(s, s + len(stripped))))
    return items


def find_findings(document: Document, sections: list[Section]) -> tuple[list[Item], list[Item]]:
    found: dict[str, list[Item]] = {"problems": [], "measures": []}
    for section in sections:
        kind = _kind_of(section.title)
        if kind is None:
            continue
        body_start, body_end = section.heading_span[1], section.span[1]
        for block in document.blocks:
            if block.kind != "table" and body_start <= block.span[0] and block.span[1] <= body_end:
                found[kind] += _items(document.text, *block.span)
    return found["problems"], found["measures"]
