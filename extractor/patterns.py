"""Locate and read the pattern data files (patterns/*.toml) that drive extraction."""
from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_PACKAGED = Path(__file__).parent / "patterns"      # inside an installed wheel
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
