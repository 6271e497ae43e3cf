"""Plain-text reports in any encoding Chinese archives use: UTF-8 (with or without BOM), UTF-16, GBK/GB18030."""
from __future__ import annotations

import codecs

import charset_normalizer

from ..document import Document, document_from_text
from ..errors import UndecodableText

_PLAUSIBLE = 0.97  # share of characters that must be ordinary text for a guessed decoding to be accepted


def _ordinary(ch: str) -> bool:
    code = ord(ch)
    return (ch.isprintable() or ch in "\r\n\t") and not (0xE000 <= code <= 0xF8FF)  # no private-use area


def _plausible(text: str) -> bool:
    return bool(text) and sum(map(_ordinary, text)) / len(text) >= _PLAUSIBLE


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


def decode(data: bytes, path: str) -> str:
    """Decode report bytes, trying exact decodings before guessing; never returns mojibake knowingly."""
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
        if _plausible(text):
            return text
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and _plausible(str(best)):
        return str(best)
    raise UndecodableText(path, "cannot determine the text encoding (tried UTF-8, UTF-16, GB18030)")


def load_text(data: bytes, path: str) -> Document:
    text = decode(data, path).replace("\r\n", "\n").replace("\r", "\n")
    return document_from_text(text, "txt")
