"""Renders a form fixture in each rendering of ../shared/forms/FORMS.md (1–7) as the file a real report would be:
real tables in .docx/.html/.pdf, and text flattened the ways copy-paste and PDF text extraction flatten them."""

import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .templates import Cell, FormFixture, Grid

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian fonts-wqy-microhei


class FontMissing(RuntimeError):
    """The CJK font a PDF needs is not installed."""


@dataclass(frozen=True)
class Rendering:
    id: str
    number: int  # the rendering's number in FORMS.md
    suffix: str
    write: Callable[[FormFixture, Path], None]


# ---------------------------------------------------------------- the grid, cell by cell


def _matrix(grid: Grid) -> list[list[tuple[Cell, bool]]]:
    """Per row and column: the cell covering it and whether the cell starts there."""
    m: list[list] = [[None] * grid.ncols for _ in grid.rows]
    for r, row in enumerate(grid.layout()):
        for col, cell in row:
            for i in range(cell.rowspan):
                for j in range(cell.colspan):
                    m[r + i][col + j] = (cell, i == 0 and j == 0)
    return m


def _origins(grid: Grid) -> list[list[Cell]]:
    """Per row, the cells that start in it (a merged cell appears once, in its first row)."""
    return [[cell for _, cell in row] for row in grid.layout()]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ---------------------------------------------------------------- text renderings (2–7)


def _separated(grid: Grid, sep: str, end: str) -> list[str]:
    """Rendering 2: every column kept, merged and empty cells as empty fields between separators."""
    return [sep.join(cell.text if start else "" for cell, start in row) + end for row in _matrix(grid)]


def _aligned(grid: Grid) -> list[str]:
    """Rendering 2: columns padded to a common display width, two or more spaces apart (pdftotext -layout)."""
    gap = 2
    widths = [2] * grid.ncols
    placed = grid.layout()
    for row in placed:
        for col, cell in row:
            if cell.colspan == 1:
                widths[col] = max(widths[col], _width(cell.text))
    for row in placed:
        for col, cell in row:
            span = sum(widths[col : col + cell.colspan]) + gap * (cell.colspan - 1)
            if _width(cell.text) > span:
                widths[col + cell.colspan - 1] += _width(cell.text) - span
    lines = []
    for row in _matrix(grid):
        pieces, col = [], 0
        while col < grid.ncols:
            cell, start = row[col]
            span = cell.colspan if start else 1
            width = sum(widths[col : col + span]) + gap * (span - 1)
            text = cell.text if start else ""
            pieces.append(text + " " * (width - _width(text)))
            col += span
        lines.append((" " * gap).join(pieces).rstrip())
    return lines


def _cell_per_line(grid: Grid, bar: bool) -> list[str]:
    """Rendering 3: one cell per line; a merged cell only once; an empty cell an empty line or a lone |."""
    lines = []
    for row in _origins(grid):
        for cell in row:
            if bar:
                lines.append(f"{cell.text} |" if cell.text else "|")
            else:
                lines.append(cell.text)
    return lines


def _spaced(grid: Grid) -> list[str]:
    """Rendering 4: a row per line, cells one space apart, empty cells vanished."""
    return [" ".join(cell.text for cell in row if cell.text) for row in _origins(grid)]


def _fused(grid: Grid) -> list[str]:
    """Rendering 5: a row per line with its cells fused, no separator at all."""
    return ["".join(cell.text for cell in row) for row in _origins(grid)]


def fused_line(fixture: FormFixture, row_label: str) -> str:
    """The fused text of the row whose label is `row_label` (rendering 5)."""
    matches = [
        line
        for row, line in zip(_origins(fixture.grid), _fused(fixture.grid))
        if any(cell.text == row_label for cell in row)
    ]
    if len(matches) != 1:
        raise ValueError(f"{fixture.id}: {len(matches)} rows labelled {row_label}")
    return matches[0]


_OPEN_UNIT = re.compile(r"([（(](?:万元|元))[）)]")


def _pdf_flattened(grid: Grid) -> list[str]:
    """Rendering 6: header words split over two lines, a unit's closing bracket lost, and a cell spanning
    rows written after the first rows it spans (vertically centred, as PDF text extraction finds it)."""
    lines: list[str] = []
    moved: dict[int, list[str]] = {}
    for r, row in enumerate(_origins(grid)):
        texts = [_OPEN_UNIT.sub(r"\1", cell.text) for cell in row]
        if row and row[0].rowspan > 1:
            moved.setdefault(r + (row[0].rowspan - 1) // 2, []).append(texts.pop(0))
        texts = [t for t in texts if t]
        if r in grid.header_rows:
            lines.append(" ".join(t[:4] for t in texts))
            lines.append(" ".join(t[4:] for t in texts if len(t) > 4))
        else:
            lines.append(" ".join(texts))
        lines.extend(moved.pop(r, []))
    return [line for line in lines if line]


_VALUE = re.compile(r"[≥≤<>=]|[≥≤<>=]?\d[\d,.]*(?:%|[^\d\s]{1,4})?|—|/|%|万平方米")


def _labels_then_values(grid: Grid) -> list[str]:
    """Rendering 7: values left their row: a few rows' labels first, then a line of bare values per row."""
    lines: list[str] = []
    body: list[list[Cell]] = []

    def flush() -> None:
        for row in body:
            labels = [cell.text for cell in row if cell.text and not _VALUE.fullmatch(cell.text)]
            if labels:
                lines.append(" ".join(labels))
        for row in body:
            values = [cell.text for cell in row if _VALUE.fullmatch(cell.text)]
            if values:
                lines.append(" ".join(values))
        body.clear()

    for r, row in enumerate(_origins(grid)):
        if r in grid.header_rows:
            flush()
            lines.append(" ".join(cell.text for cell in row if cell.text))
            continue
        body.append(row)
        if len(body) == 3:
            flush()
    flush()
    return lines


def _text_document(fixture: FormFixture, table_lines: list[str]) -> str:
    unit = [fixture.unit_line] if fixture.unit_line else []
    return "\n".join([*fixture.before, *unit, *table_lines, *fixture.after]) + "\n"


def _text_writer(table: Callable[[Grid], list[str]]) -> Callable[[FormFixture, Path], None]:
    def write(fixture: FormFixture, path: Path) -> None:
        path.write_text(_text_document(fixture, table(fixture.grid)), encoding="utf-8")

    return write


def text_of(fixture: FormFixture, rendering: Rendering) -> str:
    """The document text of a text rendering, as written to its file."""
    return _text_document(fixture, _TEXT_TABLES[rendering.id](fixture.grid))


# ---------------------------------------------------------------- real tables (1)


def _write_docx(fixture: FormFixture, path: Path) -> None:
    """A Word document whose table has real merged cells (python-docx cell.merge, i.e. gridSpan/vMerge)."""
    import docx

    document = docx.Document()
    for line in fixture.before:
        document.add_paragraph(line)
    if fixture.unit_line:
        document.add_paragraph(fixture.unit_line)
    grid = fixture.grid
    table = document.add_table(rows=len(grid.rows), cols=grid.ncols)
    table.style = "Table Grid"
    for r, row in enumerate(grid.layout()):
        for col, cell in row:
            target = table.cell(r, col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, col + cell.colspan - 1))
            target.text = cell.text
    for line in fixture.after:
        document.add_paragraph(line)
    document.save(path)


def _write_html(fixture: FormFixture, path: Path) -> None:
    """An HTML page with a <table> using rowspan and colspan."""
    rows = []
    for row in _origins(fixture.grid):
        tds = []
        for cell in row:
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            )
            tds.append(f"<td{spans}>{html.escape(cell.text)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    paragraphs = lambda lines: "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)  # noqa: E731
    unit = paragraphs([fixture.unit_line]) if fixture.unit_line else ""
    page = (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(fixture.before[0])}'
        f"</title></head>\n<body>\n{paragraphs(fixture.before)}\n{unit}\n"
        f'<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>\n"
        f"{paragraphs(fixture.after)}\n</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")


def _write_pdf(fixture: FormFixture, path: Path) -> None:
    """A text PDF with a ruled table (reportlab, CJK font from fonts-wqy-microhei), merged cells spanned."""
    if not CJK_FONT.exists():
        raise FontMissing(f"{CJK_FONT} is absent (Debian package fonts-wqy-microhei)")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT), subfontIndex=0))
    body = ParagraphStyle("body", fontName="WQY", fontSize=10, leading=14, wordWrap="CJK")
    small = ParagraphStyle("cell", fontName="WQY", fontSize=8, leading=10, wordWrap="CJK")
    grid = fixture.grid
    data = [[""] * grid.ncols for _ in grid.rows]
    spans = []
    widths = [2] * grid.ncols
    for r, row in enumerate(grid.layout()):
        for col, cell in row:
            data[r][col] = Paragraph(html.escape(cell.text), small)
            if cell.rowspan > 1 or cell.colspan > 1:
                spans.append(("SPAN", (col, r), (col + cell.colspan - 1, r + cell.rowspan - 1)))
            if cell.colspan == 1:
                widths[col] = max(widths[col], min(_width(cell.text), 24))
    page_width = landscape(A4)[0] - 72
    col_widths = [page_width * (w + 2) / sum(w + 2 for w in widths) for w in widths]  # + cell padding
    table = Table(data, colWidths=col_widths)
    table.setStyle(
        TableStyle([*spans, ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    unit = [Paragraph(fixture.unit_line, body)] if fixture.unit_line else []
    story = [
        *(Paragraph(line, body) for line in fixture.before),
        *unit,
        table,
        *(Paragraph(line, body) for line in fixture.after),
    ]
    SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=36,
        rightMargin=36,
        topMargin=36,
        bottomMargin=36,
        title=fixture.before[0],
    ).build(story)


_TEXT_TABLES: dict[str, Callable[[Grid], list[str]]] = {
    "2-pipe": lambda g: _separated(g, " | ", " |"),
    "2-tab": lambda g: _separated(g, "\t", ""),
    "2-spaces": _aligned,
    "3-lines": lambda g: _cell_per_line(g, bar=False),
    "3-bar": lambda g: _cell_per_line(g, bar=True),
    "4-spaced": _spaced,
    "5-fused": _fused,
    "6-pdf-flattened": _pdf_flattened,
    "7-values-apart": _labels_then_values,
}

RENDERINGS: tuple[Rendering, ...] = (
    Rendering("1-docx", 1, ".docx", _write_docx),
    Rendering("1-html", 1, ".html", _write_html),
    Rendering("1-pdf", 1, ".pdf", _write_pdf),
    *(Rendering(key, int(key[0]), ".txt", _text_writer(table)) for key, table in _TEXT_TABLES.items()),
)


def write(fixture: FormFixture, rendering: Rendering, directory: Path) -> Path:
    """Writes the fixture in the rendering to `directory`; the file name says which (A-national.5-fused.txt)."""
    path = directory / f"{fixture.id}.{rendering.id}{rendering.suffix}"
    rendering.write(fixture, path)
    return path
