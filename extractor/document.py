"""The Document model: ordered blocks (paragraphs, headings, tables of cells) over one canonical text."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Optional

BlockKind = Literal["paragraph", "heading", "table"]


@dataclass
class Cell:
    """A table cell at its origin position; a merged cell covers rowspan × colspan grid positions."""

    row: int
    col: int
    rowspan: int
    colspan: int
    span: tuple[int, int]
    text: str


@dataclass
class Block:
    """A paragraph, heading or table with its span in the document text."""

    index: int
    kind: BlockKind
    span: tuple[int, int]
    style: Optional[str] = None
    page: Optional[int] = None
    cells: list[Cell] = field(default_factory=list)
    # A table flattened to text ("a | b | c" lines): merged cells were lost, so columns do not line up.
    flattened: bool = False
    _cell_index: Optional[tuple] = field(default=None, repr=False, compare=False)

    def cell_covering(self, row: int, col: int) -> Optional[Cell]:
        """The cell whose row and column spans cover grid position (row, col): a merged cell covers several."""
        return self._index()[0].get((row, col))

    def cell_at(self, position: int) -> Optional[Cell]:
        """The cell whose span holds text position `position` (its end included)."""
        starts = self._index()[2]
        i = bisect_right(starts, position) - 1
        return self.cells[i] if i >= 0 and position <= self.cells[i].span[1] else None

    def row_cells(self, row: int) -> list[Cell]:
        return self._index()[1].get(row, [])

    def _index(self) -> tuple[dict, dict, list]:
        """Grid position -> cell, row -> cells and the cells' starts, built once (rebuilt if cells were added):
        look-ups by position stay O(1) or O(log n), so a table of n cells is not read in O(n^2)."""
        if self._cell_index is None or self._cell_index[0] != len(self.cells):
            grid: dict[tuple[int, int], Cell] = {}
            rows: dict[int, list[Cell]] = {}
            for c in self.cells:
                rows.setdefault(c.row, []).append(c)
                for r in range(c.row, c.row + c.rowspan):
                    for k in range(c.col, c.col + c.colspan):
                        grid.setdefault((r, k), c)
            self._cell_index = (len(self.cells), (grid, rows, [c.span[0] for c in self.cells]))
        return self._cell_index[1]


@dataclass
class Document:
    """One canonical text; every block and cell knows its [start, end) span in it."""

    format: str
    text: str
    blocks: list[Block]
    # For OCR'd documents: (start, end, confidence) of each recognised line, and (start, end, original) of
    # each repair made to the recognised text.
    ocr_confidence: list[tuple[int, int, float]] = field(default_factory=list)
    ocr_repairs: list[tuple[int, int, str]] = field(default_factory=list)

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b.span[0] for b in self.blocks]

    def block_at(self, position: int) -> Optional[Block]:
        """The block whose span holds `position` (blocks are in text order and do not overlap)."""
        i = bisect_right(self._block_starts, position) - 1
        if i >= 0 and position <= self.blocks[i].span[1]:
            return self.blocks[i]
        return None


class DocumentBuilder:
    """Assembles blocks into one text: a paragraph is a line, a table row is a line of tab-separated cells."""

    def __init__(self, format: str):
        self.format = format
        self._parts: list[str] = []
        self.length = 0
        self._blocks: list[Block] = []

    def _append(self, text: str) -> tuple[int, int]:
        if self._parts:
            self._parts.append("\n")
            self.length += 1
        start = self.length
        self._parts.append(text)
        self.length += len(text)
        return start, self.length

    def paragraph(self, text: str, style: str | None = None, heading: bool = False, page: int | None = None) -> None:
        kind: Literal["heading", "paragraph"] = "heading" if heading else "paragraph"
        self._blocks.append(Block(len(self._blocks), kind, self._append(text), style=style, page=page))

    def table(self, rows: list[list[tuple[int, int, int, str]]], page: int | None = None) -> None:
        """Add a table given per row its origin cells as (col, rowspan, colspan, text)."""
        cells: list[Cell] = []
        start = None
        for r, row in enumerate(rows):
            line = "\t".join(text for _, _, _, text in row)
            line_start, _ = self._append(line)
            start = line_start if start is None else start
            offset = line_start
            for col, rowspan, colspan, text in row:
                cells.append(Cell(r, col, rowspan, colspan, (offset, offset + len(text)), text))
                offset += len(text) + 1
        if start is None:
            return
        self._blocks.append(Block(len(self._blocks), "table", (start, self.length), page=page, cells=cells))

    def build(self) -> Document:
        return Document(self.format, "".join(self._parts), self._blocks)


def _pipe_cells(line: str, offset: int, row: int) -> list[Cell]:
    """Cells of a 'a | b | | c ||||' line: empty runs between adjacent bars are padding, '| |' is an empty cell."""
    cells: list[Cell] = []
    start = 0
    for piece in line.split("|") + [None]:
        if piece is None:
            break
        if piece != "":
            stripped = piece.strip()
            at = offset + start + (piece.index(stripped) if stripped else 0)
            cells.append(Cell(row, len(cells), 1, 1, (at, at + len(stripped)), stripped))
        start += len(piece) + 1
    return cells


def document_from_text(text: str, format: str = "txt") -> Document:
    """A plain text as a Document: each line is a paragraph, spans index into `text` unchanged. Runs of lines
    holding '|' (tables flattened by converters) become flattened table blocks over the same text."""
    blocks: list[Block] = []
    offset = 0
    table: Block | None = None
    for line in text.split("\n"):
        end = offset + len(line)
        if "|" in line:
            if table is None:
                table = Block(len(blocks), "table", (offset, end), flattened=True)
                blocks.append(table)
            row = table.cells[-1].row + 1 if table.cells else 0  # rows that had cells, counted as they come
            table.cells += _pipe_cells(line, offset, row)
            table.span = (table.span[0], end)
        else:
            table = None
            if line.strip():
                blocks.append(Block(len(blocks), "paragraph", (offset, end)))
        offset = end + 1
    return Document(format, text, blocks)
