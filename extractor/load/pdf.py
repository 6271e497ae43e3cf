"""PDF text layers: lines and tables in reading order with page numbers, tables continued across pages joined.

pdfplumber is used because its geometry recovers table cells and merged cells (None cells in its output are
resolved from cell bounding boxes); a scanned PDF without a text layer is reported as needing OCR.
"""
from __future__ import annotations

import io

from ..document import Document, DocumentBuilder
from ..errors import CorruptDocument, ExtractorError
from ..limits import DEFAULT_LIMITS, Limits

# A PDF with fewer text characters than this per page on average has no usable text layer.
MIN_CHARS_PER_PAGE = 10


def _inside(obj, boxes) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _table_rows(table) -> list[list[tuple[int, int, int, str]]]:
    """Origin cells with their spans, from pdfplumber's cell boxes (a merged cell is one box over several)."""
    texts = table.extract()
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


def load_pdf(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    import pdfplumber  # imported here: it costs ~0.3 s and only PDFs need it
    from pdfminer.pdfparser import PDFSyntaxError

    builder = DocumentBuilder("pdf")
    characters = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            limits.check("pages", pages, path, "pages")
            previous_table: list | None = None  # rows of a table still open at the end of the last page
            for number, page in enumerate(pdf.pages, 1):
                characters += len(page.chars)
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]
                text_page = page.filter(lambda obj: not _inside(obj, boxes)) if boxes else page
                items = [(line["top"], "line", line["text"]) for line in text_page.extract_text_lines()]
                items += [(t.bbox[1], "table", _table_rows(t)) for t in tables]
                items.sort(key=lambda item: item[0])
                for i, (_, kind, content) in enumerate(items):
                    if kind == "line":
                        if previous_table is not None:
                            builder.table(previous_table[1], page=previous_table[0])
                            previous_table = None
                        builder.paragraph(content.strip(), page=number)
                    elif previous_table is not None and i == 0 and _continues(previous_table[1], content):
                        previous_table[1].extend(content)  # the same table, continued on this page
                    else:
                        if previous_table is not None:
                            builder.table(previous_table[1], page=previous_table[0])
                        previous_table = (number, content)
                page.close()  # drop the page's cached objects: memory stays that of one page
                limits.check("text_chars", builder.length, path, "characters of text")
            if previous_table is not None:
                builder.table(previous_table[1], page=previous_table[0])
    except ExtractorError:
        raise
    except PDFSyntaxError as e:
        raise CorruptDocument(path, f"damaged PDF: {e}") from None
    except Exception as e:  # pdfminer raises many types for damaged or encrypted files
        if "password" in str(e).lower() or "encrypt" in type(e).__name__.lower():
            raise CorruptDocument(path, "password-protected PDF") from None
        raise CorruptDocument(path, f"unreadable PDF: {type(e).__name__}: {e}") from None
    if characters < MIN_CHARS_PER_PAGE * max(pages, 1):
        from ..ocr import load_scanned_pdf

        return load_scanned_pdf(data, path, limits)
    return builder.build()


def _continues(rows: list, next_rows: list) -> bool:
    """A table at the top of a page continues the last one when its rows have as many columns."""
    def width(row):
        return sum(colspan for _, _, colspan, _ in row)
    return bool(rows and next_rows) and width(rows[-1]) == width(next_rows[0])
