"""The bounds every file is read within (size, inflation, pages, pixels, cells, text, depth, frames).

One validated settings object, used the same way by extract(), extract_text(), the CLI and the batch, so a
hostile file costs bounded time and memory everywhere and ends in one LimitExceeded line naming the limit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .errors import LimitExceeded


@dataclass(frozen=True)
class Limits:
    """Safe defaults sized for real reports (a 100-page report is about 200,000 characters)."""

    file_bytes: int = 40 * 2**20  # bytes of the file as stored
    inflated_bytes: int = 64 * 2**20  # bytes a container (.docx) inflates to, all parts together
    xml_part_bytes: int = 16 * 2**20  # bytes of one XML part parsed (document.xml, styles, numbering)
    text_chars: int = 2_000_000  # characters of the document text
    markup_chars: int = 10_000_000  # characters of HTML or Markdown source, tags included
    pages: int = 500  # pages of a PDF with a text layer
    ocr_pages: int = 20  # pages read by OCR (a scanned PDF or image frames): 2-8 s each
    pixels_per_page: int = 40_000_000  # pixels of one rendered page or image frame (A4 at 300 dpi: 8.7 M)
    pixels_per_document: int = 160_000_000  # pixels rendered for the whole document (20 A4 pages at 300 dpi)
    table_cells: int = 200_000  # grid positions of one table after rowspan/colspan are expanded
    depth: int = 200  # element nesting of HTML and XML
    frames: int = 100  # frames of a multi-page image read before refusing

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"limit {f.name} must be a positive integer, not {value!r}")

    def check(self, name: str, value: int, path: str, what: str) -> None:
        """Raise LimitExceeded when `value` is over the limit `name`; `what` says what was counted."""
        limit = getattr(self, name)
        if value > limit:
            raise LimitExceeded(path, f"too large: {what} {value:,}, the limit is {limit:,} ({name})")


DEFAULT_LIMITS = Limits()
