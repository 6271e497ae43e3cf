"""Word automatic numbering (numbering.xml), rendered as the text Word shows: 一、 （一） 1. ① ...

python-docx returns paragraph text without its list number; headings numbered this way would be invisible
to the section tree, so the number is rendered and put in front of the paragraph text.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from ..numerals import write_chinese, write_circled

_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (w:numFmt)."""
    if fmt.startswith(("chineseCounting", "chineseLegal", "ideograph", "japaneseCounting", "taiwaneseCounting")):
        return write_chinese(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return write_circled(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Styles:
    """Paragraph styles by id, read once (python-docx's paragraph.style scans every style on each call)."""

    def __init__(self, styles_element):
        self._by_id: dict[str, dict] = {}
        self.default_id: str | None = None
        children = styles_element.iterchildren(qn("w:style")) if styles_element is not None else []
        for style in children:
            if style.get(qn("w:type")) != "paragraph":
                continue
            style_id = style.get(qn("w:styleId"))
            name = style.find(qn("w:name"))
            based = style.find(qn("w:basedOn"))
            p_pr = style.find(qn("w:pPr"))
            self._by_id[style_id] = {
                "name": name.get(qn("w:val")) if name is not None else style_id,
                "based_on": based.get(qn("w:val")) if based is not None else None,
                "num_pr": p_pr.find(qn("w:numPr")) if p_pr is not None else None,
            }
            if style.get(qn("w:default")) in ("1", "true"):
                self.default_id = style_id

    def id_of(self, paragraph_element) -> str | None:
        p_pr = paragraph_element.find(qn("w:pPr"))
        style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
        return style.get(qn("w:val")) if style is not None else self.default_id

    def name(self, style_id: str | None) -> str | None:
        style = self._by_id.get(style_id) if style_id else None
        return style["name"] if style else None

    def num_pr(self, style_id: str | None):
        """The numbering a style (or a style it is based on) gives its paragraphs."""
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self._by_id.get(style_id)
            if style is None:
                return None
            if style["num_pr"] is not None:
                return style["num_pr"]
            style_id = style["based_on"]
        return None


class Numbering:
    """Counters for every list of one document, advanced paragraph by paragraph in body order."""

    def __init__(self, numbering_element, styles: Styles):
        self._levels: dict[str, dict[int, dict]] = {}  # numId -> level -> {fmt, text, start}
        self._counters: dict[str, dict[int, int]] = {}
        self._styles = styles
        root = numbering_element
        if root is None:
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iterchildren(qn("w:abstractNum"))}
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if definition is None:
                continue
            levels = {}
            for lvl in definition.iterchildren(qn("w:lvl")):
                level = _int(lvl.get(qn("w:ilvl")))
                if level is not None and level < _LEVELS:
                    levels[level] = {
                        "fmt": _val(lvl, "w:numFmt", "decimal"),
                        "text": _val(lvl, "w:lvlText", ""),
                        "start": _int(_val(lvl, "w:start", "1")) or 0,
                    }
            self._levels[num.get(qn("w:numId"))] = levels

    def _num_pr(self, p, style_id: str | None):
        """numId and level of a paragraph, from its own properties or its style's."""
        p_pr = p.find(qn("w:pPr"))
        num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        if num_pr is None:
            num_pr = self._styles.num_pr(style_id)
        num_id = num_pr.find(qn("w:numId")) if num_pr is not None else None
        if num_id is None:
            return None
        ilvl = num_pr.find(qn("w:ilvl"))
        level = _int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
        return (num_id.get(qn("w:val")), level) if level is not None else None

    def label(self, p, style_id: str | None) -> str:
        """The number Word shows before paragraph element `p` ('' when it is not in a numbered list)."""
        if not self._levels:
            return ""
        found = self._num_pr(p, style_id)
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


# Word numbers list levels 0 to 8; anything else in a file is damage, and its paragraphs get no number.
_LEVELS = 9


def _int(value: str | None) -> int | None:
    """A small non-negative integer attribute, or None for anything else (damaged or hostile files)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _val(element, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    return child.get(qn("w:val"), default) if child is not None else default
