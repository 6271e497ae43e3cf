"""Plain-text reports in any encoding Chinese archives use: UTF-8 (with or without BOM), UTF-16, GBK/GB18030."""

from __future__ import annotations

import codecs

import regex

from ..document import Document, document_from_text
from ..errors import LimitExceeded, UndecodableText
from ..limits import DEFAULT_LIMITS, Limits

_PLAUSIBLE = 0.97  # share of characters that must be ordinary text for a guessed decoding to be accepted


# Characters no report text holds: control characters (but tab and line breaks), private-use characters that
# wrong decodings produce, and the replacement character.
_ODD = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]|[^\P{C}\s]")


def _plausible(text: str) -> bool:
    return bool(text) and 1 - len(_ODD.findall(text)) / len(text) >= _PLAUSIBLE


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL bytes on one side of each ASCII character."""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    return None


def _check_chars(count: int, max_chars: int, path: str, name: str, at_least: str = "") -> None:
    if count > max_chars:
        raise LimitExceeded(path, f"too large: characters {at_least}{count:,}, the limit is {max_chars:,} ({name})")


def decode(data: bytes, path: str, max_chars: int = DEFAULT_LIMITS.text_chars, name: str = "text_chars") -> str:
    """Decode report bytes, trying exact decodings before guessing; never returns mojibake knowingly.

    Over `max_chars` characters is refused before decoding when even 4 bytes a character would be too many."""
    _check_chars(len(data) // 4, max_chars, path, name, "at least ")
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data)]
    elif b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise UndecodableText(path, "binary content (NUL bytes), not a text file")
        return text
    else:
        candidates = [("utf-8", data), ("gb18030", data)]
    for encoding, raw in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        _check_chars(len(text), max_chars, path, name)
        if _plausible(text):
            return text
    import charset_normalizer  # the last resort, and 25 ms to import: only when the exact decodings fail

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and _plausible(str(best)):
        return str(best)
    raise UndecodableText(path, "cannot determine the text encoding (tried UTF-8, UTF-16, GB18030)")


def load_text(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    text = decode(data, path, limits.text_chars).replace("\r\n", "\n").replace("\r", "\n")
    return document_from_text(text, "txt")
