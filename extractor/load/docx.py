"""Word .docx reports: paragraphs and tables in body order, merged cells resolved to their origin cell."""
from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ..document import Document, DocumentBuilder
from ..errors import CorruptDocument
from .numbering import Numbering

# A .docx whose parts inflate beyond this is refused (zip bomb), long before it is parsed.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_GRID_SPAN, _V_MERGE, _VAL = qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")


def _check_package(data: bytes, path: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            inflated = sum(info.file_size for info in package.infolist())
    except zipfile.BadZipFile as e:
        raise CorruptDocument(path, f"not a readable .docx: damaged or truncated zip ({e})") from None
    if "word/document.xml" not in names:
        raise CorruptDocument(path, "zip archive without word/document.xml: not a Word document")
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise CorruptDocument(path, f"refused: its parts inflate to {inflated // 2**20} MiB (zip bomb?)")


def _cell_text(tc) -> str:
    return "\n".join(Paragraph(p, None).text for p in tc.iterchildren(_P))


def _table_rows(tbl) -> list[list[tuple[int, int, int, str]]]:
    """Origin cells per row as (col, rowspan, colspan, text); vertically merged continuations extend rowspan."""
    rows: list[list[list]] = []
    column_owner: dict[int, list] = {}  # grid column -> the origin cell currently covering it
    for tr in tbl.iterchildren(_TR):
        row: list[list] = []
        col = 0
        for tc in tr.iterchildren(_TC):
            tc_pr = tc.tcPr
            span_el = tc_pr.find(_GRID_SPAN) if tc_pr is not None else None
            colspan = int(span_el.get(_VAL)) if span_el is not None else 1
            merge_el = tc_pr.find(_V_MERGE) if tc_pr is not None else None
            continues = merge_el is not None and merge_el.get(_VAL) != "restart"
            owner = column_owner.get(col)
            if continues and owner is not None:
                owner[1] += 1
            else:
                cell = [col, 1, colspan, _cell_text(tc)]
                row.append(cell)
                column_owner[col] = cell
            col += colspan
        rows.append(row)
    return [[tuple(cell) for cell in row] for row in rows]


def load_docx(data: bytes, path: str) -> Document:
    _check_package(data, path)
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises many types for damaged parts; all mean the same to users
        if "entity" in str(e).lower():
            raise CorruptDocument(path, "refused: its XML expands entities (entity-expansion attack?)") from None
        raise CorruptDocument(path, f"damaged .docx: {type(e).__name__}: {e}") from None
    builder = DocumentBuilder("docx")
    numbering = Numbering(word)
    for element in word.element.body.iterchildren():
        if element.tag == _P:
            paragraph = Paragraph(element, word)
            style = paragraph.style.name if paragraph.style is not None else None
            heading = bool(style) and style.lower().startswith(("heading", "title", "标题"))
            builder.paragraph(numbering.label(paragraph) + paragraph.text, style=style, heading=heading)
        elif element.tag == _TBL:
            builder.table(_table_rows(element))
    return builder.build()
