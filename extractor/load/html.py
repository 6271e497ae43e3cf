"""Government web pages (.html/.htm) and Markdown with embedded HTML tables (.md): text and rowspan/colspan tables."""

from __future__ import annotations

import lxml.html
import regex
from lxml import etree

from ..document import Document, DocumentBuilder
from ..errors import CorruptDocument, LimitExceeded
from ..limits import DEFAULT_LIMITS, Limits
from .text import decode

# Page furniture that is not the report: scripts, navigation, headers and footers, share buttons.
_DROPPED_TAGS = [
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
]
_NOISE = regex.compile(
    r"(?:^|[\s_-])(?:nav|menu|breadcrumb|footer|header|sidebar|share|toolbar|crumb|copyright|"
    r"position|location|topbar|bottom)(?:$|[\s_-])",
    regex.I,
)
_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "dd",
    "dt",
    "section",
    "article",
    "center",
    "td",
    "th",
    "br",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


# A cell spans at most this many columns (the HTML standard clamps colspan to 1000); rowspan is clamped to
# the rows the table has.
_MAX_COLSPAN = 1000


_SPACES = regex.compile(r"[ \t\r\f\v]+")


def _text(element) -> str:
    return _SPACES.sub(" ", element.text_content()).strip()


def _span(td, name: str, most: int) -> int:
    value = str(td.get(name, "1")).strip()
    return min(max(1, int(value)), most) if value.isdigit() and len(value) < 10 else 1


def table_rows(table, path: str = "<html>", limits: Limits = DEFAULT_LIMITS) -> list[list[tuple[int, int, int, str]]]:
    """Origin cells per row as (col, rowspan, colspan, text), rowspan/colspan resolved on the grid.

    Spans are clamped (colspan to 1000, rowspan to the rows left) and the expanded grid is counted against
    limits.table_cells before it is built, so <td rowspan=100000 colspan=100000> costs nothing."""
    trs = [tr for tr in table.iter("tr") if _own_row(tr, table)]
    occupied: set[tuple[int, int]] = set()
    rows = []
    for r, tr in enumerate(trs):
        row, col = [], 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, col) in occupied:
                col += 1
            rowspan, colspan = _span(td, "rowspan", len(trs) - r), _span(td, "colspan", _MAX_COLSPAN)
            limits.check("table_cells", len(occupied) + rowspan * colspan, path, "table cells after spans")
            occupied.update((r + dr, col + dc) for dr in range(rowspan) for dc in range(colspan))
            row.append((col, rowspan, colspan, _text(td)))
            col += colspan
        rows.append(row)
    return rows


def _own_row(tr, table) -> bool:
    """A row of this table, not of a table nested inside it."""
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent is table


def _is_noise(element) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(_NOISE.search(marks))


class _Paragraphs:
    """Collects running text; a block boundary (a block tag opening or closing, <br>, a table) ends a paragraph."""

    def __init__(self, builder: DocumentBuilder):
        self.builder = builder
        self.pieces: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self.pieces.append(text)

    def flush(self, style: str | None) -> None:
        text = regex.sub(r"[ \t\r\n\f\v]+", " ", "".join(self.pieces)).strip()
        self.pieces = []
        if text:
            self.builder.paragraph(text, style=style, heading=style in _HEADINGS)


def _walk(root, builder: DocumentBuilder, path: str, limits: Limits) -> None:
    """Emit blocks in reading order: tables as tables, every other text node (element text, tails after
    <br> or after a nested block, bare body text) in the paragraph of its innermost block element."""
    paragraphs = _Paragraphs(builder)
    blocks: list[str | None] = [None]  # tags of the open block elements, innermost last
    paragraphs.add(root.text)
    stack = [(child, "open") for child in reversed(root)]  # an explicit stack: any depth, no recursion
    while stack:
        element, phase = stack.pop()
        if phase == "block":  # the end of a block element: its paragraph ends, its tail starts the next one
            paragraphs.flush(blocks.pop())
            paragraphs.add(element.tail)
        elif phase == "inline":
            paragraphs.add(element.tail)
        elif element.tag == "table":
            paragraphs.flush(blocks[-1])
            builder.table(table_rows(element, path, limits))
            paragraphs.add(element.tail)
        elif not isinstance(element.tag, str) or _is_noise(element):
            paragraphs.add(element.tail)
        elif element.tag == "br":
            paragraphs.flush(blocks[-1])
            paragraphs.add(element.tail)
        else:
            if element.tag in _BLOCK_TAGS:
                paragraphs.flush(blocks[-1])
                blocks.append(element.tag)
            paragraphs.add(element.text)
            stack.append((element, "block" if element.tag in _BLOCK_TAGS else "inline"))
            stack.extend((child, "open") for child in reversed(element))
    paragraphs.flush(blocks[-1])


def _check_depth(root, path: str, limits: Limits) -> None:
    """Refuse markup nested deeper than limits.depth (libxml2 silently drops what lies below ~255 levels)."""
    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > limits.depth:
            raise LimitExceeded(path, f"HTML nested deeper than {limits.depth} elements (depth)")


def _root(markup: str, path: str, limits: Limits):
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as e:
        raise CorruptDocument(path, f"unreadable HTML: {e}") from None
    _check_depth(root, path, limits)
    for tag in _DROPPED_TAGS:
        for el in list(root.iter(tag)):
            el.drop_tree()
    return root


def load_html(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    builder = DocumentBuilder("html")
    root = _root(decode(data, path, limits.markup_chars, "markup_chars"), path, limits)
    body = root.find("body")
    _walk(body if body is not None else root, builder, path, limits)
    return builder.build()


_MD_TABLE_START = regex.compile(r"<table\b", regex.I)
_MD_TABLE_END = regex.compile(r"</table\s*>", regex.I)
_MD_HEADING = regex.compile(r"^(#{1,6})\s+(.*)$")


def load_markdown(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Markdown as converted from PDFs: '#' headings, text lines, and <table> blocks with rowspan/colspan."""
    builder = DocumentBuilder("md")
    text = decode(data, path, limits.markup_chars, "markup_chars").replace("\r\n", "\n")
    position = 0
    while (start := _MD_TABLE_START.search(text, position)) and (end := _MD_TABLE_END.search(text, start.end())):
        _markdown_lines(text[position : start.start()], builder)
        try:
            table = lxml.html.fragment_fromstring(text[start.start() : end.end()], create_parent="div")
        except (etree.ParserError, ValueError) as e:
            raise CorruptDocument(path, f"unreadable HTML table in Markdown: {e}") from None
        _check_depth(table, path, limits)
        for element in table.iter("table"):
            if not any(a.tag == "table" for a in element.iterancestors()):
                builder.table(table_rows(element, path, limits))
        position = end.end()
    _markdown_lines(text[position:], builder)
    return builder.build()


def _markdown_lines(chunk: str, builder: DocumentBuilder) -> None:
    for line in chunk.split("\n"):
        line = line.strip()
        if not line:
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            builder.paragraph(heading.group(2).strip(), style=f"h{len(heading.group(1))}", heading=True)
        else:
            builder.paragraph(line)
