"""Government web pages (.html/.htm) and Markdown with embedded HTML tables (.md): text and rowspan/colspan tables."""
from __future__ import annotations

import lxml.html
import regex
from lxml import etree

from ..document import Document, DocumentBuilder
from ..errors import CorruptDocument
from .text import decode

# Page furniture that is not the report: scripts, navigation, headers and footers, share buttons.
_DROPPED_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button", "select"]
_NOISE = regex.compile(r"(?:^|[\s_-])(?:nav|menu|breadcrumb|footer|header|sidebar|share|toolbar|crumb|copyright|"
                       r"position|location|topbar|bottom)(?:$|[\s_-])", regex.I)
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "dd", "dt", "section",
               "article", "center", "td", "th", "br"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _text(element) -> str:
    return regex.sub(r"[ \t\r\f\v]+", " ", element.text_content()).strip()


def table_rows(table) -> list[list[tuple[int, int, int, str]]]:
    """Origin cells per row as (col, rowspan, colspan, text), rowspan/colspan resolved on the grid."""
    occupied: set[tuple[int, int]] = set()
    rows = []
    for r, tr in enumerate(tr for tr in table.iter("tr") if _own_row(tr, table)):
        row, col = [], 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, col) in occupied:
                col += 1
            rowspan = max(1, int(td.get("rowspan", "1") or 1)) if str(td.get("rowspan", "1")).isdigit() else 1
            colspan = max(1, int(td.get("colspan", "1") or 1)) if str(td.get("colspan", "1")).isdigit() else 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((r + dr, col + dc))
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


def _walk(element, builder: DocumentBuilder) -> None:
    """Emit blocks in reading order: a table as a table, a block element's own text as a paragraph."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "table":
            builder.table(table_rows(child))
            continue
        if _is_noise(child):
            continue
        has_blocks = any(isinstance(d.tag, str) and (d.tag in _BLOCK_TAGS or d.tag == "table")
                         for d in child.iterdescendants())
        if child.tag in _BLOCK_TAGS and not has_blocks:
            text = _text(child)
            if text:
                builder.paragraph(text, style=child.tag, heading=child.tag in _HEADINGS)
        else:
            _walk(child, builder)


def _root(markup: str, path: str):
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as e:
        raise CorruptDocument(path, f"unreadable HTML: {e}") from None
    for tag in _DROPPED_TAGS:
        for el in root.iter(tag):
            el.drop_tree()
    return root


def load_html(data: bytes, path: str) -> Document:
    builder = DocumentBuilder("html")
    root = _root(decode(data, path), path)
    body = root.find("body")
    _walk(body if body is not None else root, builder)
    return builder.build()


_MD_TABLE = regex.compile(r"<table\b.*?</table>", regex.S | regex.I)
_MD_HEADING = regex.compile(r"^(#{1,6})\s+(.*)$")


def load_markdown(data: bytes, path: str) -> Document:
    """Markdown as converted from PDFs: '#' headings, text lines, and <table> blocks with rowspan/colspan."""
    builder = DocumentBuilder("md")
    text = decode(data, path).replace("\r\n", "\n")
    position = 0
    for m in _MD_TABLE.finditer(text):
        _markdown_lines(text[position:m.start()], builder)
        table = lxml.html.fragment_fromstring(m.group(), create_parent=False)
        builder.table(table_rows(table))
        position = m.end()
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
