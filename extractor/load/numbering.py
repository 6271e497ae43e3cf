"""Word automatic numbering (numbering.xml), rendered as the text Word shows: 一、 （一） 1. ① ...

python-docx returns paragraph text without its list number; headings numbered this way would be invisible
to the section tree, so the number is rendered and put in front of the paragraph text.
"""
from __future__ import annotations

from docx.oxml.ns import qn

_CHINESE_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _chinese(n: int) -> str:
    if n < 10:
        return _CHINESE_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (w:numFmt)."""
    if fmt.startswith(("chineseCounting", "chineseLegal", "ideograph", "japaneseCounting", "taiwaneseCounting")):
        return _chinese(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """Counters for every list of one document, advanced paragraph by paragraph in body order."""

    def __init__(self, document):
        self._levels: dict[str, dict[int, dict]] = {}  # numId -> level -> {fmt, text, start}
        self._counters: dict[str, dict[int, int]] = {}
        self._styles = document.styles
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iterchildren(qn("w:abstractNum"))}
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if definition is None:
                continue
            levels = {}
            for lvl in definition.iterchildren(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl")))] = {
                    "fmt": _val(lvl, "w:numFmt", "decimal"),
                    "text": _val(lvl, "w:lvlText", ""),
                    "start": int(_val(lvl, "w:start", "1")),
                }
            self._levels[num.get(qn("w:numId"))] = levels

    def _num_pr(self, paragraph):
        """numId and level of a paragraph, from its own properties or its style's."""
        p_pr = paragraph._p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            style_pr = style.element.pPr
            num_pr = style_pr.numPr if style_pr is not None else None
            style = style.base_style
        if num_pr is None or num_pr.numId is None:
            return None
        level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return str(num_pr.numId.val), level

    def label(self, paragraph) -> str:
        """The number Word shows before this paragraph ('' when it is not in a numbered list)."""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, level = found
        levels = self._levels.get(num_id)
        if not levels or level not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[level] = counters.get(level, levels[level]["start"] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        text = levels[level]["text"]
        for k in range(level + 1):
            if k in levels:
                value = counters.get(k, levels[k]["start"])
                text = text.replace(f"%{k + 1}", format_number(value, levels[k]["fmt"]))
        return text


def _val(element, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    return child.get(qn("w:val"), default) if child is not None else default
