"""China's administrative divisions (province, prefecture, county) from the published code list that the cpca
package ships, read as data: regions are recognised by their official names, not by a word segmenter."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from importlib import metadata
from typing import Iterator, Optional

import regex

# Official names are 2 to 10 characters long (县 ... 克孜勒苏柯尔克孜自治州).
_LENGTHS = range(10, 1, -1)


@cache
def _divisions() -> dict[str, list[str]]:
    """Official name -> its 12-digit administrative codes (one name may be several places: 普陀区). The file
    is read as data; the package itself is never imported."""
    path = metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv")
    codes: dict[str, list[str]] = defaultdict(list)
    with open(str(path), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes[row["name"]].append(row["adcode"])
    return dict(codes)


def _level_prefix(code: str) -> str:
    """The part of a code that its subdivisions share: 43 for a province, 4304 for a prefecture."""
    if code[2:] == "0" * 10:
        return code[:2]
    if code[4:] == "0" * 8:
        return code[:4]
    return code[:6]


@cache
def _first_and_last_characters() -> tuple[frozenset[str], frozenset[str]]:
    """The characters official names start and end with (few end characters: 省 市 区 县 州 旗 ...)."""
    names = _divisions()
    return frozenset(name[0] for name in names), frozenset(name[-1] for name in names)


def _name_at(text: str, position: int) -> Optional[str]:
    """The longest official name starting at `position`."""
    divisions = _divisions()
    first, last = _first_and_last_characters()
    if text[position] not in first:
        return None
    return next(
        (
            text[position : position + n]
            for n in _LENGTHS
            if position + n <= len(text)
            and text[position + n - 1] in last
            and text[position : position + n] in divisions
        ),
        None,
    )


def region_prefix(name: str) -> Optional[str]:
    """The chain of divisions a name starts with, each inside the one before: 衡阳市雁峰区, 上海市普陀区, 金寨县."""
    end, parent = 0, None
    while found := _name_at(name, end):
        inside = [c for c in _divisions()[found] if parent is None or c.startswith(parent)]
        if not inside:
            break
        end, parent = end + len(found), _level_prefix(inside[0])
    return name[:end] or None


def division_mentions(text: str) -> Iterator[tuple[int, str]]:
    """(position, name) of every official division name in `text`, left to right, longest at each place.
    Names are looked up back from the few characters they can end with (省 市 区 县 ...)."""
    divisions = _divisions()
    _, last = _first_and_last_characters()
    longest: dict[int, str] = {}
    for m in regex.finditer(f"[{regex.escape(''.join(last))}]", text):
        end = m.end()
        for n in _LENGTHS:
            name = text[end - n : end] if end >= n else ""
            if name in divisions and len(name) > len(longest.get(end - n, "")):
                longest[end - n] = name
    position = 0
    for start in sorted(longest):
        if start >= position:
            yield start, longest[start]
            position = start + len(longest[start])
