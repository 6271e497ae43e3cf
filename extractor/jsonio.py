"""JSON in and out with exact numbers: a Decimal is written as the literal it holds and read back as a Decimal.

Auditors compare to the fen, so no value may pass through a float on its way to or from a file.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import orjson


def _literal(value: object) -> orjson.Fragment:
    """A finite Decimal as its own literal (985600.00 stays 985600.00, never 985600.0)."""
    if isinstance(value, Decimal) and value.is_finite():
        return orjson.Fragment(str(value))
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as JSON")


def dumps(value: Any, pretty: bool = False) -> str:
    """JSON text of plain data holding Decimals; UTF-8 as written (no \\u escapes), one line unless `pretty`."""
    return orjson.dumps(value, default=_literal, option=orjson.OPT_INDENT_2 if pretty else 0).decode()


def loads(text: str | bytes) -> Any:
    """Plain data from JSON text; every number with a fraction or exponent becomes an exact Decimal."""
    return json.loads(text, parse_float=Decimal)
