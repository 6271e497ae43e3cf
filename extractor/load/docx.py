"""Word .docx reports: paragraphs and tables in body order, merged cells resolved to their origin cell.

Only the parts the text needs are read (document, styles, numbering, found through their relationships) and
parsed with a plain lxml parser that resolves no entities and fetches nothing. Measured on the seed: opening
the package with docx.Document() and reading python-docx's Paragraph.text cost 23 ms, more than all the rest
of the extraction together; this path costs about 2 ms. python-docx stays the library that writes .docx
files (scripts/make_seed_docx.py, tests) and names the WordprocessingML tags (qn).
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from docx.oxml.ns import qn
from lxml import etree

from ..document import Document, DocumentBuilder
from ..errors import CorruptDocument, LimitExceeded
from ..limits import DEFAULT_LIMITS, Limits
from .numbering import Numbering, Styles

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_GRID_SPAN, _V_MERGE, _VAL = qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")
_TC_PR = qn("w:tcPr")
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_OFFICE_DOCUMENT = "/officeDocument"


def _open_package(data: bytes, path: str, limits: Limits) -> zipfile.ZipFile:
    """The zip package, refused (zip bomb) when its parts inflate beyond limits.inflated_bytes.

    zipfile stops reading a part at its declared size, so the declared sizes bound what inflating costs."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        inflated = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as e:
        raise CorruptDocument(path, f"not a readable .docx: damaged or truncated zip ({e})") from None
    limits.check("inflated_bytes", inflated, path, "bytes its parts inflate to (zip bomb?)")
    return package


def _relationships(package: zipfile.ZipFile, part: str, path: str, limits: Limits) -> dict[str, str]:
    """Relationship type suffix -> target part name, for `part` ('' for the package itself)."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    rels = _parse(package, rels_name, path, limits)
    if rels is None:
        return {}
    targets = {}
    for rel in rels.iter(_REL):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = rel.get("Target", "")
        targets["/" + kind] = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        )
    return targets


def _read_part(package: zipfile.ZipFile, name: str, path: str, limits: Limits) -> bytes:
    limits.check("xml_part_bytes", package.getinfo(name).file_size, path, f"bytes of the part {name}")
    try:
        return package.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as e:
        raise CorruptDocument(path, f"damaged .docx: cannot read {name}: {e}") from None


def _parse(package: zipfile.ZipFile, name: str | None, path: str, limits: Limits = DEFAULT_LIMITS):
    """The XML of part `name`; a part declaring a DTD is refused (Word never writes one, and with entities
    left unresolved the text after an entity reference would be silently lost)."""
    if name is None or name not in package.namelist():
        return None
    try:
        root = etree.fromstring(_read_part(package, name, path, limits), _PARSER)
    except etree.XMLSyntaxError as e:
        if "entity" in str(e).lower():
            raise CorruptDocument(path, "refused: its XML expands entities (entity-expansion attack?)") from None
        if "depth" in str(e).lower():
            raise LimitExceeded(path, f"{name}: XML nested too deeply (depth)") from None
        raise CorruptDocument(path, f"damaged .docx: {name}: {e}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise CorruptDocument(path, f"refused: {name} declares a DTD with entities (Word never writes one)")
    return root


# A styles part larger than this is read style by style (only the styles the paragraphs use): the template
# python-docx writes carries a 350 KB styles.xml that would take 9 ms to parse whole.
_SELECTIVE_STYLES_BYTES = 64 * 1024
_W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _used_style_ids(body) -> set[str]:
    return {el.get(_VAL) for el in body.iter(qn("w:pStyle"))}


def _style_fragment(raw: bytes, style_id: str) -> bytes | None:
    marker = f'w:styleId="{style_id}"'.encode()
    at = raw.find(marker)
    start = raw.rfind(b"<w:style ", 0, at) if at >= 0 else -1
    end = raw.find(b"</w:style>", at)
    return raw[start : end + len(b"</w:style>")] if start >= 0 and end >= 0 else None


def _styles_element(package: zipfile.ZipFile, name: str | None, body, path: str, limits: Limits):
    """The styles part, or for a large one just the used styles and those they are based on."""
    if name is None or name not in package.namelist():
        return None
    raw = _read_part(package, name, path, limits)
    if len(raw) <= _SELECTIVE_STYLES_BYTES or b"<w:styles" not in raw or b"<!DOCTYPE" in raw:
        return _parse(package, name, path, limits)
    wanted, found = _used_style_ids(body), {}
    while wanted:
        style_id = wanted.pop()
        fragment = _style_fragment(raw, style_id)
        if fragment is None:
            return _parse(package, name, path, limits)  # not in the usual form: read it whole
        try:
            element = etree.fromstring(b"<w:styles " + _W_NS + b">" + fragment + b"</w:styles>", _PARSER)[0]
        except (etree.XMLSyntaxError, IndexError):
            return _parse(package, name, path, limits)  # a fragment that does not stand alone: read it whole
        found[style_id] = element
        based = element.find(qn("w:basedOn"))
        if based is not None and based.get(_VAL) not in found:
            wanted.add(based.get(_VAL))
    root = etree.fromstring(b"<w:styles " + _W_NS + b"/>", _PARSER)
    root.extend(found.values())
    return root


def paragraph_text(p) -> str:
    """The text Word shows for a paragraph: runs, tabs and breaks, in hyperlinks and insertions too."""
    parts = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    """All paragraphs of a cell, nested tables included, one per line."""
    return "\n".join(paragraph_text(p) for p in tc.iter(_P))


def _grid_span(span_el) -> int:
    value = (span_el.get(_VAL) or "1").strip() if span_el is not None else "1"
    return max(1, int(value)) if value.isdigit() and len(value) < 10 else 1


def _table_rows(tbl, path: str, limits: Limits) -> list[list[tuple[int, int, int, str]]]:
    """Origin cells per row as (col, rowspan, colspan, text); vertically merged continuations extend rowspan.
    The grid positions (every cell's colspan) are counted against limits.table_cells."""
    rows: list[list[list]] = []
    grid = 0
    column_owner: dict[int, list] = {}  # grid column -> the origin cell currently covering it
    for tr in tbl.iterchildren(_TR):
        row: list[list] = []
        col = 0
        for tc in tr.iterchildren(_TC):
            tc_pr = tc.find(_TC_PR)
            span_el = tc_pr.find(_GRID_SPAN) if tc_pr is not None else None
            colspan = _grid_span(span_el)
            grid += colspan
            limits.check("table_cells", grid, path, "table cells after spans")
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


def load_docx(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    package = _open_package(data, path, limits)
    main = _relationships(package, "", path, limits).get(_OFFICE_DOCUMENT, "word/document.xml")
    if main not in package.namelist():
        raise CorruptDocument(path, "zip archive without word/document.xml: not a Word document")
    related = _relationships(package, main, path, limits)
    document = _parse(package, main, path, limits)
    body = document.find(qn("w:body")) if document is not None else None
    if body is None:
        raise CorruptDocument(path, f"damaged .docx: {main} has no body")
    styles = Styles(_styles_element(package, related.get("/styles"), body, path, limits))
    numbering = Numbering(_parse(package, related.get("/numbering"), path, limits), styles)
    builder = DocumentBuilder("docx")
    for element in body.iterchildren():
        if element.tag == _P:
            style_id = styles.id_of(element)
            style = styles.name(style_id)
            heading = style is not None and style.lower().startswith(("heading", "title", "标题"))
            builder.paragraph(
                numbering.label(element, style_id) + paragraph_text(element), style=style, heading=heading
            )
        elif element.tag == _TBL:
            builder.table(_table_rows(element, path, limits))
    return builder.build()
