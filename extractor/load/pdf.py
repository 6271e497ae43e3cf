"""PDF text layers: lines and tables in reading order with page numbers, tables continued across pages joined.

PDFium (pypdfium2) reads each page's characters with their boxes and its ruling lines; pdfplumber's own table
finder and text-line grouping then run over those, so tables and lines come out as pdfplumber read them
(merged cells resolved from cell boxes) at a fraction of the cost of pdfminer's parse. A scanned PDF without a
text layer goes to OCR.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, cast

from ..document import Document, DocumentBuilder
from ..errors import CorruptDocument
from ..limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from pdfplumber.page import Page

# A PDF with fewer text characters than this per page on average has no usable text layer.
MIN_CHARS_PER_PAGE = 10


@dataclass
class _Page:
    """What pdfplumber's table finder reads from a page: its chars, edges and box."""

    chars: list[dict]
    edges: list[dict]
    bbox: tuple[float, float, float, float]


@cache
def _text_object_of():
    """FPDFText_GetTextObject returning the handle as an int: a dictionary key without a ctypes cast per char."""
    import pypdfium2.raw as raw

    address = ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value
    assert address is not None  # the address of a function of the loaded pdfium library
    return ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(address)


def _style(textpage, i: int, handle: int) -> tuple[float, float, bool]:
    """(size, descent, upright) shared by the characters of one text object, as pdfminer sizes them."""
    import pypdfium2.raw as raw

    matrix, descent = raw.FS_MATRIX(), ctypes.c_float()
    raw.FPDFText_GetMatrix(textpage, i, matrix)
    size = raw.FPDFText_GetFontSize(textpage, i) * abs(matrix.d if matrix.d else matrix.b)
    font = raw.FPDFTextObj_GetFont(ctypes.cast(handle, raw.FPDF_PAGEOBJECT))
    below = descent.value * size if font and raw.FPDFFont_GetDescent(font, 1.0, descent) else 0.0
    return size, below, matrix.b == 0 and matrix.c == 0 and matrix.a * matrix.d > 0


def _chars(textpage, height: float) -> list[dict]:
    """The page's drawn characters as pdfplumber char dicts, boxed as pdfminer boxes them: from the origin to
    the advance, as tall as the font size, standing on the font's descent below the baseline."""
    import pypdfium2.raw as raw

    count = raw.FPDFText_CountChars(textpage)
    units = (ctypes.c_ushort * (count + 1))()
    one_unit_each = raw.FPDFText_GetText(textpage, 0, count, units) == count + 1  # no surrogate pairs
    text_object = _text_object_of()
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    rect, x, y = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    styles: dict[int, tuple[float, float, bool]] = {}
    chars = []
    for i in range(count):
        obj = text_object(handle, i)
        code = units[i] if one_unit_each else raw.FPDFText_GetUnicode(textpage, i)
        if not obj or (code == 32 and raw.FPDFText_IsGenerated(textpage, i)):
            continue  # a space or line break PDFium inferred; only drawn characters count
        if not raw.FPDFText_GetLooseCharBox(textpage, i, rect):
            continue
        style = styles.get(obj)
        if style is None:
            style = styles[obj] = _style(textpage, i, obj)
        size, below, upright = style
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        bottom = height - y.value - below
        chars.append(
            {
                "text": chr(code),
                "x0": rect.left,
                "x1": rect.right,
                "top": bottom - size,
                "bottom": bottom,
                "doctop": bottom - size,
                "size": size,
                "upright": upright,
            }
        )
    return chars


def _segments(obj, matrix: tuple) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Straight segments of a path object in page space (curves are not ruling lines)."""
    import pypdfium2.raw as raw

    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    segments, start, last = [], None, None
    for j in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, j)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == raw.FPDF_SEGMENT_LINETO and last is not None:
            segments.append((last, point))
        last = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None and point != start:
            segments.append((point, start))
            last = start
    return segments


def _compose(inner: tuple, outer: tuple) -> tuple:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _edges(objects, height: float, outer: tuple = (1, 0, 0, 1, 0, 0)) -> list[dict]:
    """Horizontal and vertical edges of every path on the page (in forms too), as pdfplumber's edge dicts."""
    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    edges = []
    for obj in objects:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, m)
        matrix = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            inner = (raw.FPDFFormObj_GetObject(obj, i) for i in range(raw.FPDFFormObj_CountObjects(obj)))
            edges += _edges(inner, height, matrix)
            continue
        for (x0, y0), (x1, y1) in _segments(obj, matrix):
            orientation = "v" if x0 == x1 else "h" if y0 == y1 else None
            if orientation is None:
                continue
            top, bottom = height - max(y0, y1), height - min(y0, y1)
            edges.append(
                {
                    "object_type": "line",
                    "orientation": orientation,
                    "x0": min(x0, x1),
                    "x1": max(x0, x1),
                    "top": top,
                    "bottom": bottom,
                    "doctop": top,
                    "width": abs(x1 - x0),
                    "height": bottom - top,
                }
            )
    return edges


def _intersections(edges: list[dict], tolerance: float) -> dict:
    """pdfplumber's edges_to_intersections, with the horizontal edges sorted once rather than once per vertical."""
    vertical = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontal = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    intersections: dict = {}
    for v in vertical:
        for h in horizontal:
            if (
                v["top"] <= h["top"] + tolerance
                and v["bottom"] >= h["top"] - tolerance
                and h["x0"] - tolerance <= v["x0"] <= h["x1"] + tolerance
            ):
                vertex = intersections.setdefault((v["x0"], h["top"]), {"v": [], "h": []})
                vertex["v"].append(v)
                vertex["h"].append(h)
    return intersections


def _cells(intersections: dict) -> list[tuple]:
    """pdfplumber's intersections_to_cells (the smallest cell at each corner, in the same order), with each point's
    edges and its neighbours below and to the right looked up once instead of rescanned for every pair."""
    from pdfplumber.utils import obj_to_bbox

    points = sorted(intersections)
    edges = {
        p: ({obj_to_bbox(e) for e in intersections[p]["v"]}, {obj_to_bbox(e) for e in intersections[p]["h"]})
        for p in points
    }
    column: dict = {}
    row: dict = {}
    for p in points:  # in (x, top) order: each list is already sorted down or rightwards
        column.setdefault(p[0], []).append(p)
        row.setdefault(p[1], []).append(p)

    def vertical(a, b) -> bool:
        return not edges[a][0].isdisjoint(edges[b][0])

    def horizontal(a, b) -> bool:
        return not edges[a][1].isdisjoint(edges[b][1])

    cells = []
    for pt in points:
        below = [p for p in column[pt[0]] if p[1] > pt[1]]
        right = [p for p in row[pt[1]] if p[0] > pt[0]]
        cell = next(
            (
                (pt[0], pt[1], r[0], b[1])
                for b in below
                if vertical(pt, b)
                for r in right
                if horizontal(pt, r)
                and (r[0], b[1]) in intersections
                and vertical((r[0], b[1]), r)
                and horizontal((r[0], b[1]), b)
            ),
            None,
        )
        if cell is not None:
            cells.append(cell)
    return cells


def _tables(page: _Page) -> list:
    """pdfplumber's TableFinder with its default settings, its two quadratic steps done in linear passes."""
    from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables

    finder = TableFinder.__new__(TableFinder)  # get_edges reads only .page and .settings
    plumber_page = cast("Page", page)  # _Page has what the finder reads of a pdfplumber Page
    finder.page, finder.settings = plumber_page, TableSettings.resolve(None)
    edges = finder.get_edges()
    assert finder.settings.intersection_x_tolerance == finder.settings.intersection_y_tolerance
    cells = _cells(_intersections(edges, finder.settings.intersection_x_tolerance))
    return [Table(plumber_page, group) for group in cells_to_tables(cells)]


def _inside(obj, boxes) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _cell_texts(table, chars: list[dict]) -> list[list[str | None]]:
    """pdfplumber's Table.extract: each cell's text from the characters whose middle lies in it (a cell lies
    within its row, so its row needs no test of its own); characters are looked up by their middle's height."""
    from bisect import bisect_left

    from pdfplumber.utils import extract_text

    middles = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
    heights = [m for m, _ in middles]
    texts = []
    for row in table.rows:
        line: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                line.append(None)
                continue
            x0, top, x1, bottom = cell
            inside = sorted(
                i
                for _, i in middles[bisect_left(heights, top) : bisect_left(heights, bottom)]
                if x0 <= (chars[i]["x0"] + chars[i]["x1"]) / 2 < x1
            )
            line.append(extract_text([chars[i] for i in inside]) if inside else "")
        texts.append(line)
    return texts


def _table_rows(table, chars: list[dict]) -> list[list[tuple[int, int, int, str]]]:
    """Origin cells with their spans, from pdfplumber's cell boxes (a merged cell is one box over several)."""
    texts = _cell_texts(table, chars)
    boxes = [row.cells for row in table.rows]
    lefts = sorted({round(b[0], 1) for row in boxes for b in row if b})
    tops = sorted({round(b[1], 1) for row in boxes for b in row if b})
    rows = []
    for r, row in enumerate(boxes):
        cells = []
        for c, box in enumerate(row):
            if box is None:
                continue
            x0, top, x1, bottom = box
            colspan = max(1, sum(1 for x in lefts if x0 - 0.5 <= x < x1 - 0.5))
            rowspan = max(1, sum(1 for y in tops if top - 0.5 <= y < bottom - 0.5))
            cells.append((c, rowspan, colspan, (texts[r][c] or "").strip()))
        rows.append(cells)
    return rows


def _same_line(above: dict, below: dict) -> bool:
    """Two text lines are one when they overlap by half a line's height and no characters collide: numbers set on
    a shifted baseline (FORMS.md rendering 7, `年度项目 个` then `2024 4`) go back into their sentence."""
    height = min(above["bottom"] - above["top"], below["bottom"] - below["top"])
    if min(above["bottom"], below["bottom"]) - max(above["top"], below["top"]) < height / 2:
        return False
    return not any(a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 for a in above["chars"] for b in below["chars"])


def _joined_lines(lines: list[dict]) -> list[dict]:
    """Text lines, with lines on a shifted baseline merged into the line they interleave with."""
    from pdfplumber.utils import extract_text

    joined: list[dict] = []
    for line in lines:
        if joined and _same_line(joined[-1], line):
            chars = sorted(joined[-1]["chars"] + line["chars"], key=lambda c: c["x0"])
            top, bottom = min(joined[-1]["top"], line["top"]), max(joined[-1]["bottom"], line["bottom"])
            line = {"top": top, "bottom": bottom, "chars": chars, "text": extract_text(chars, y_tolerance=bottom - top)}
            joined[-1] = line
        else:
            joined.append(line)
    return joined


def _read_page(pdf, index: int) -> tuple[int, list[tuple[float, str, object]]]:
    """(characters, items) of one page: its text lines and tables as (top, kind, content)."""
    import pypdfium2.raw as raw
    from pdfplumber.utils.text import chars_to_textmap

    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, height)
        finally:
            textpage.close()
        objects = (raw.FPDFPage_GetObject(page, i) for i in range(raw.FPDFPage_CountObjects(page)))
        edges = _edges(objects, height)
    finally:
        page.close()
    found = _tables(_Page(chars, edges, (0, 0, width, height))) if edges else []
    boxes = [t.bbox for t in found]
    text_chars = [c for c in chars if not _inside(c, boxes)] if boxes else chars
    lines = _joined_lines(chars_to_textmap(text_chars).extract_text_lines(return_chars=True)) if text_chars else []
    items = [(line["top"], "line", line["text"]) for line in lines]
    items += [(t.bbox[1], "table", _table_rows(t, chars)) for t in found]
    items.sort(key=lambda item: item[0])
    return len(chars), items


def load_pdf(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as e:
        if "password" in str(e).lower():
            raise CorruptDocument(path, "password-protected PDF") from None
        raise CorruptDocument(path, f"damaged PDF: {e}") from None
    builder = DocumentBuilder("pdf")
    characters = 0
    try:
        pages = len(pdf)
        limits.check("pages", pages, path, "pages")
        previous_table: tuple | None = None  # (page, rows) of a table still open at the end of the last page
        for number in range(1, pages + 1):
            count, items = _read_page(pdf, number - 1)
            characters += count
            limits.check("text_chars", builder.length, path, "characters of text")
            for i, (_, kind, content) in enumerate(items):
                if kind == "line":
                    if previous_table is not None:
                        builder.table(previous_table[1], page=previous_table[0])
                        previous_table = None
                    builder.paragraph(cast(str, content).strip(), page=number)
                elif previous_table is not None and i == 0 and _continues(previous_table[1], cast(list, content)):
                    previous_table[1].extend(content)  # the same table, continued on this page
                else:
                    if previous_table is not None:
                        builder.table(previous_table[1], page=previous_table[0])
                    previous_table = (number, content)
        if previous_table is not None:
            builder.table(previous_table[1], page=previous_table[0])
    except pypdfium2.PdfiumError as e:
        raise CorruptDocument(path, f"unreadable PDF: {e}") from None
    finally:
        pdf.close()
    if _lacks_text_layer(characters, pages):
        from .scan import load_scanned_pdf

        return load_scanned_pdf(data, path, limits)
    return builder.build()


def _lacks_text_layer(characters: int, pages: int) -> bool:
    return characters < MIN_CHARS_PER_PAGE * max(pages, 1)


def scan_pages(data: bytes) -> int:
    """Pages of a PDF that load_pdf would read by OCR (no text layer), 0 for a PDF with text: a cluster splits
    such scans by page range. Stops at the first pages that show a text layer, so it is cheap either way."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = len(pdf)
        characters = 0
        for index in range(pages):
            page = pdf[index]
            textpage = page.get_textpage()
            characters += textpage.count_chars()
            textpage.close()
            page.close()
            if not _lacks_text_layer(characters, pages):
                return 0
    finally:
        pdf.close()
    return pages


def _continues(rows: list, next_rows: list) -> bool:
    """A table at the top of a page continues the last one when its rows have as many columns."""

    def width(row):
        return sum(colspan for _, _, colspan, _ in row)

    return bool(rows and next_rows) and width(rows[-1]) == width(next_rows[0])
