"""Parse written numbers — Arabic, Chinese, financial capitals and mixes such as 2亿3千万 — to exact Decimals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache

import regex

from . import patterns

# Not \d: regex counts digits of every script (U+116DF ...) that Python's Decimal cannot read.
_ARABIC = regex.compile(r"[0-9０-９]+(?:\.[0-9０-９]+)?")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CHINESE_DIGITS = "〇一二三四五六七八九"


def write_chinese(n: int) -> str:
    """n as a list counter is written in Chinese (6 → 六, 12 → 十二, 21 → 二十一); Arabic from 100 up."""
    if n < 10:
        return _CHINESE_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    return str(n)


def write_circled(n: int) -> str:
    """n as a circled numeral (3 → ③); Arabic beyond ⑳."""
    return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else str(n)


@cache
def _tables() -> tuple[dict[str, int], dict[str, Decimal]]:
    data = patterns.load("numerals")
    return data["digits"], {k: Decimal(v) for k, v in data["places"].items()}


def parse_numeral(text: str) -> Decimal:
    """Value of a numeral such as '1,234.5', '1.2万', '壹仟贰佰万', '一百二十', '二〇二三' or '2亿3千万'.

    Place characters 十/百/千 multiply the digit before them; 万 and 亿 close a section, so
    '2亿3千万' is 2×10^8 + 3000×10^4. Digits written one after another ('二〇二三') read positionally.
    """
    digits, places = _tables()
    text = text.replace(",", "")
    total = Decimal(0)  # sections closed by 亿
    below_yi = Decimal(0)  # sections closed by 万, below 亿
    section = Decimal(0)  # below 万
    current: Decimal | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        arabic = _ARABIC.match(text, i)
        if arabic:
            current = Decimal(arabic.group())
            i = arabic.end()
            continue
        if ch in digits:
            d = Decimal(digits[ch])
            current = d if current is None else current * 10 + d
        elif ch in places:
            place = places[ch]
            if place >= 100000000:
                total = (total + below_yi + section + (current or 0)) * place
                below_yi = section = Decimal(0)
            elif place >= 10000:
                below_yi = (below_yi + section + (current or 0)) * place
                section = Decimal(0)
            else:
                section += (Decimal(1) if current is None else current) * place
            current = None
        else:
            raise InvalidOperation(f"not a numeral character: {ch!r} in {text!r}")
        i += 1
    return total + below_yi + section + (current or 0)
