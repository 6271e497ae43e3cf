"""Property tests: a number rendered in each style that reports use parses back to the same Decimal."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor import find_quantities
from extractor.numerals import parse_numeral, write_chinese, write_circled

EVERYDAY = "零一二三四五六七八九"
CAPITALS = "零壹贰叁肆伍陆柒捌玖"
EVERYDAY_PLACES = ("", "十", "百", "千")
CAPITAL_PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿")


def _group(n: int, digits: str, places: tuple) -> str:
    """A number below 10000 the way it is written in Chinese, with 零 for skipped places."""
    out, zero = "", False
    for p in (3, 2, 1, 0):
        d = n // 10**p % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += digits[0]
            zero = False
        out += digits[d] + places[p]
    return out


def chinese(n: int, digits: str = EVERYDAY, places: tuple = EVERYDAY_PLACES) -> str:
    """Render 0 < n < 10^12 in Chinese numerals (一亿二千零五万三千 style)."""
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, gap = "", False
    for i in reversed(range(len(groups))):
        g = groups[i]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out += digits[0]
        out += _group(g, digits, places) + GROUPS[i]
        gap = False
    return out


def with_commas(value: Decimal) -> str:
    whole, _, frac = f"{value:.2f}".partition(".")
    return f"{int(whole):,}.{frac}"


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


integers = st.integers(min_value=1, max_value=10**12 - 1)
cents = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(cents)
def test_thousands_separators(value):
    assert parse_numeral(with_commas(value)) == value


@given(cents)
def test_full_width_amount(value):
    [q] = find_quantities(full_width(with_commas(value)) + "元")
    assert q.value == value


@given(integers)
def test_everyday_chinese(n):
    assert parse_numeral(chinese(n)) == n


@given(integers)
def test_financial_capitals(n):
    written = chinese(n, CAPITALS, CAPITAL_PLACES)
    [q] = find_quantities(written + "元整")
    assert (q.value, q.text) == (n, written + "元")


@given(st.integers(min_value=0, max_value=9999), st.integers(min_value=1, max_value=9999))
def test_yi_wan_mix(yi, wan):
    written = (f"{yi}亿" if yi else "") + f"{wan}万"
    assert parse_numeral(written) == Decimal(yi) * 10**8 + Decimal(wan) * 10**4


@given(
    st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([("万", 10**4), ("亿", 10**8), ("千万", 10**7)]),
)
def test_decimal_with_multiplier(value, multiplier):
    word, factor = multiplier
    [q] = find_quantities(f"{value}{word}元")
    assert (q.value, q.unit, q.unit_text) == (value * factor, "yuan", word + "元")


@pytest.mark.parametrize(
    "n,written",
    [(1, "一"), (6, "六"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (99, "九十九"), (100, "100")],
)
def test_write_chinese(n, written):
    assert write_chinese(n) == written


@given(st.integers(min_value=1, max_value=99))
def test_written_chinese_parses_back(n):
    assert parse_numeral(write_chinese(n)) == n


@pytest.mark.parametrize("n,written", [(1, "①"), (20, "⑳"), (21, "21"), (0, "0")])
def test_write_circled(n, written):
    assert write_circled(n) == written
