"""The section tree: headings numbered 一、 (一) 1、 1. (1) ① or styled as headings, nested as the report nests them."""

from __future__ import annotations

from functools import cache

import regex

from . import patterns
from .document import Document
from .numerals import CIRCLED, parse_numeral, write_chinese, write_circled
from .record import Section


@cache
def _styles() -> list[tuple[str, regex.Pattern]]:
    return [(name, regex.compile(p)) for name, p in patterns.load("headings")["styles"].items()]


def number_value(number: str) -> int:
    """The integer a heading number stands for: '七' → 7, '12' → 12, '③' → 3."""
    if number in CIRCLED:
        return CIRCLED.index(number) + 1
    return int(parse_numeral(number))


def write_number(value: int, style: str) -> str:
    """A number written as headings of `style` write it: 6 → 六 for 一、 and (一), ⑥ for ①, else 6."""
    if style == "circled":
        return write_circled(value)
    return write_chinese(value) if style.startswith("cn_") else str(value)


def heading_marker(line: str) -> tuple[str, str, int] | None:
    """(style, number, end of the marker) when `line` starts with a heading number."""
    for style, pattern in _styles():
        m = pattern.match(line)
        if m:
            return style, m.group(1), m.end()
    return None


@cache
def _title_end() -> tuple[regex.Pattern, int]:
    rules = patterns.load("headings")["title"]
    return regex.compile(f"[{regex.escape(rules['ends_at'])}]"), rules["max_length"]


def _title(line: str) -> str:
    ends, max_length = _title_end()
    return ends.split(line.strip(), maxsplit=1)[0].strip()[:max_length]


def find_sections(document: Document, is_item_line) -> list[Section]:
    """Sections from the paragraphs of `document`; `is_item_line` says which numbered lines are list items
    (such as indicator lines) rather than headings."""
    found: list[dict] = []
    open_stack: list[dict] = []  # innermost last
    for block in document.blocks:
        if block.kind == "table":
            continue
        start, end = block.span
        line = document.text[start:end]
        marker = heading_marker(line)
        if marker is None and block.kind != "heading":
            continue
        if marker is not None and is_item_line(line):
            continue
        style, number, body_start = marker if marker else (f"style:{block.style}", None, 0)
        while open_stack and style in [s["style"] for s in open_stack]:
            closed = open_stack.pop()
            if closed["style"] == style:
                break
        section = {
            "id": f"s{len(found) + 1}",
            "style": style,
            "number": number,
            "value": number_value(number) if number else None,
            "title": _title(line[body_start:]),
            "level": len(open_stack) + 1,
            "parent": open_stack[-1]["id"] if open_stack else None,
            "heading_span": (start, end),
            "start": start,
        }
        found.append(section)
        open_stack.append(section)
    return _close(found, len(document.text))


def _close(found: list[dict], text_end: int) -> list[Section]:
    """A section runs until the next heading at its own level or above (one pass: open levels only rise)."""
    ends: dict[str, int] = {}
    unclosed: list[dict] = []
    for section in found:
        while unclosed and unclosed[-1]["level"] >= section["level"]:
            ends[unclosed.pop()["id"]] = section["start"]
        unclosed.append(section)
    return [
        Section(**{k: v for k, v in s.items() if k != "start"}, span=(s["start"], ends.get(s["id"], text_end)))
        for s in found
    ]
