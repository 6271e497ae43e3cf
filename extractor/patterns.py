"""Locate and read the pattern data files (patterns/*.toml) that drive extraction."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Optional

import regex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_PACKAGED = Path(__file__).parent / "patterns"  # inside an installed wheel
_SOURCE_TREE = Path(__file__).parent.parent / "patterns"  # a checkout or editable install


def patterns_dir() -> Path:
    """The folder holding the pattern files: the wheel's copy when installed, else the checkout's."""
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE_TREE


@cache
def load(name: str) -> dict:
    """Parsed contents of patterns/<name>.toml (cached: pattern files are read once per process)."""
    path = patterns_dir() / f"{name}.toml"
    with path.open("rb") as f:
        return tomllib.load(f)


def alternation(words) -> str:
    """A regex alternation of literal words, longest first so 平方公里 wins over 公里."""
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


def nearest(text: str, entries: list[tuple]) -> Optional[tuple]:
    """The entry (word, ...) whose word ends nearest the end of `text`, the longer word on a tie:
    in 基本支出预算安排 the measure is 预算安排, not 支出."""
    best, best_key = None, None
    for entry in entries:
        pos = text.rfind(entry[0])
        if pos >= 0:
            key = (pos + len(entry[0]), len(entry[0]))
            if best_key is None or key > best_key:
                best, best_key = entry, key
    return best
