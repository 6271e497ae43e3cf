"""Scanned PDFs and page images read by OCR (rapidocr: PP-OCR Chinese models shipped inside its wheel, so it runs
offline): the engine, the page layout (running text and tables rebuilt from box geometry) and the Document with
each recognised line's confidence. The repairs of misread characters are the next stage (ocr_repairs).
"""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from .. import patterns
from ..document import Document, DocumentBuilder
from ..errors import CorruptDocument, EmptyDocument, LimitExceeded, NeedsOCR
from ..limits import DEFAULT_LIMITS, Limits
from ..ocr_repairs import OcrLine, repair, repair_columns


@cache
def _engine():
    """The recogniser, loaded once per process, with the settings in patterns/ocr.toml [engine] (single-threaded
    sessions: a page's lines are recognised in parallel instead, see _threads)."""
    import onnxruntime
    from rapidocr_onnxruntime import RapidOCR

    onnxruntime.disable_telemetry_events()  # nothing leaves the machine or lands outside the output folder
    return RapidOCR(**patterns.load("ocr")["engine"])


def _threads(settings: dict) -> int:
    """How many lines are recognised at once: [speed] threads, else OMP_NUM_THREADS where it is set (Dask sets 1
    in its workers, which share the cores), else one per core."""
    cap = os.environ.get("OMP_NUM_THREADS", "")
    return settings["threads"] or (int(cap) if cap.isdigit() and int(cap) > 0 else os.cpu_count() or 1)


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _ink_box(gray, threshold: int, margin: int) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of the pixels darker than `threshold`, widened by `margin`; None when blank."""
    import numpy

    ink = gray < threshold
    rows, cols = numpy.flatnonzero(ink.any(axis=1)), numpy.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    height, width = gray.shape
    return (
        max(0, int(cols[0]) - margin),
        max(0, int(rows[0]) - margin),
        min(width, int(cols[-1]) + 1 + margin),
        min(height, int(rows[-1]) + 1 + margin),
    )


def _detect(engine, image, settings: dict):
    """Text boxes of the page (as rapidocr's 4-point arrays, in `image`'s pixels): the detector sees the page
    shrunk to `detector_side` pixels on its long side with the blank margins cut, as its cost grows with pixels."""
    import cv2
    import numpy

    height, width = image.shape[:2]
    scale = min(1.0, settings["detector_side"] / max(height, width))
    small = cv2.resize(image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    box = _ink_box(small.min(axis=2), settings["ink_below"], settings["margin"])
    if box is None:
        return None
    left, top, right, bottom = box
    cut, record = engine.maybe_add_letterbox(small[top:bottom, left:right], {})
    found, _ = engine.text_det(cut)
    if found is None or not len(found):
        return None
    shift = numpy.array([left, top - record["padding_1"]["top"]], dtype=numpy.float32)
    return [(points + shift) / scale for points in found]


def recognise(image) -> list[OcrLine]:
    """Lines of one page image in reading order (top to bottom, then left to right). rapidocr's steps, timed on
    the seed scanned at 300 dpi (patterns/ocr.toml [speed]): a small detector input, and each line recognised
    alone (batches pad lines to the longest) on one single-threaded session per core."""
    import numpy

    engine = _engine()
    settings = patterns.load("ocr")["speed"]
    image = engine.load_img(numpy.asarray(image.convert("RGB")))
    image, ratio_y, ratio_x = engine.preprocess(image)  # the long side at most rapidocr's max_side_len
    boxes = _detect(engine, image, settings)
    if boxes is None:
        return []
    crops = engine.get_crop_img_list(image, [points.astype(numpy.float32) for points in boxes])
    longest_first = sorted(range(len(crops)), key=lambda i: -crops[i].shape[1] / crops[i].shape[0])
    read: list = [None] * len(crops)
    with ThreadPoolExecutor(_threads(settings)) as pool:  # longest first: no long tail
        for i, result in zip(longest_first, pool.map(lambda i: engine.text_rec([crops[i]])[0][0], longest_first)):
            read[i] = result
    lines = []
    for points, (text, confidence) in zip(boxes, read):
        if confidence < engine.text_score:
            continue
        xs, ys = points[:, 0] * ratio_x, points[:, 1] * ratio_y
        box = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        lines.append(OcrLine(text, box, float(confidence)))
    return sorted(lines, key=lambda line: (round(line.box[1] / 10), line.box[0]))


def _paragraphs(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Join wrapped lines: a line reaching the right edge of the text continues into the next one, unless the
    next one starts with a heading or item number (一、 (二) 3、)."""
    from ..structure import heading_marker

    if not lines:
        return []
    share = patterns.load("ocr")["recognition"]["wrap_share"]
    left = min(line.box[0] for line in lines)
    right = max(line.box[2] for line in lines)
    paragraphs, current = [], [lines[0]]
    for line in lines[1:]:
        previous = current[-1]
        wrapped = previous.box[2] >= left + share * (right - left)
        if wrapped and heading_marker(line.text) is None:
            current.append(line)
        else:
            paragraphs.append(current)
            current = [line]
    paragraphs.append(current)
    return paragraphs


def _visual_rows(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Boxes grouped into rows by their vertical centre, each row left to right."""
    rules = patterns.load("ocr")["recognition"]
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        centre, height = (line.box[1] + line.box[3]) / 2, line.box[3] - line.box[1]
        if rows:
            last = rows[-1]
            last_centre = sum((ln.box[1] + ln.box[3]) / 2 for ln in last) / len(last)
            if abs(centre - last_centre) < rules["same_row_share"] * height:
                last.append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda ln: ln.box[0]) for row in rows]


def _layout(lines: list[OcrLine]) -> list[tuple[str, list]]:
    """The page as ('table', rows of boxes) and ('lines', boxes) runs, top to bottom: consecutive rows of
    several boxes each are a table where the grid is clear; everything else is running text."""
    rules = patterns.load("ocr")["recognition"]
    rows = _visual_rows(lines)
    runs: list[tuple[str, list]] = []
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and len(rows[j]) >= rules["table_columns"]:
            j += 1
        if j - i >= rules["table_rows"]:
            runs.append(("table", rows[i:j]))
            i = j
            continue
        line_run = runs[-1][1] if runs and runs[-1][0] == "lines" else None
        if line_run is None:
            runs.append(("lines", []))
            line_run = runs[-1][1]
        line_run.extend(rows[i])
        i += 1
    return runs


def _table_cells(rows: list[list[OcrLine]]) -> list[list[tuple[int, OcrLine]]]:
    """(column, box) per row: columns are the boxes of the widest row; each box joins the nearest column."""
    template = max(rows, key=len)
    centres = [(b.box[0] + b.box[2]) / 2 for b in template]
    placed = []
    for row in rows:
        cells: dict[int, OcrLine] = {}
        for box in row:
            centre = (box.box[0] + box.box[2]) / 2
            col = min(range(len(centres)), key=lambda c: abs(centres[c] - centre))
            if col in cells:  # two boxes in one column: one cell's text was split
                first = cells[col]
                box = OcrLine(
                    first.text + box.text,
                    (first.box[0], min(first.box[1], box.box[1]), box.box[2], max(first.box[3], box.box[3])),
                    min(first.confidence, box.confidence),
                )
            cells[col] = box
        placed.append(sorted(cells.items()))
    return placed


def document_from_pages(pages: list, format: str, path: str) -> Document:
    """OCR every page image into one Document, with confidences and repairs for the quantities."""
    return document_from_lines([recognise(image) for image in pages], format, path)


def document_from_lines(pages: list[list[OcrLine]], format: str, path: str) -> Document:
    """One Document from each page's recognised lines, however the pages were read (together, or apart on a
    cluster): the same lines give the same Document."""
    builder = DocumentBuilder(format)
    confidences: list[tuple[int, int, float]] = []
    pending: list = []
    for number, lines in enumerate(pages, 1):
        for kind, content in _layout(lines):
            if kind == "table":
                rows, repaired = repair_columns(_table_cells(content))
                builder.table([[(col, 1, 1, box.text) for col, box in row] for row in rows], page=number)
                pending.append((rows, repaired))
                continue
            for paragraph in _paragraphs(content):
                start = builder.length + (1 if builder.length else 0)
                builder.paragraph("".join(line.text for line in paragraph), page=number)
                for line in paragraph:
                    confidences.append((start, start + len(line.text), line.confidence))
                    start += len(line.text)
    document = builder.build()
    if not document.text.strip():
        raise EmptyDocument(path, "no text found by OCR (a blank page, or a picture without text)")
    tables = [b for b in document.blocks if b.kind == "table"]
    structural = []
    for block, (rows, repaired) in zip(tables, pending):
        boxes = [box for row in rows for _, box in row]
        for cell, box in zip(block.cells, boxes):
            confidences.append((*cell.span, box.confidence))
        for r, col, offset, original in repaired:
            cell = next(c for c in block.cells if (c.row, c.col) == (r, col))
            structural.append((cell.span[0] + offset, cell.span[0] + offset + len(original), original))
    repaired_text, repairs = repair(document.text)
    document.text = repaired_text
    document.ocr_confidence = sorted(confidences)
    document.ocr_repairs = sorted(repairs + structural)
    return document


class _PixelBudget:
    """Counts rendered pages and pixels against the limits before each page is rendered or decoded."""

    def __init__(self, path: str, limits: Limits):
        self.path, self.limits, self.pages, self.pixels = path, limits, 0, 0

    def take(self, width: float, height: float) -> None:
        pixels = int(width) * int(height)
        self.pages += 1
        self.pixels += pixels
        self.limits.check("ocr_pages", self.pages, self.path, "pages to read by OCR")
        self.limits.check("pixels_per_page", pixels, self.path, f"pixels of page {self.pages}")
        self.limits.check("pixels_per_document", self.pixels, self.path, "pixels of all pages")


def _rendered_pages(pdf, scale: float, budget: _PixelBudget, first: int, end: int):
    for i in range(first, end):
        page = pdf[i]
        try:
            width, height = page.get_size()
            budget.take(width * scale, height * scale)
            yield page.render(scale=scale).to_pil()
        finally:
            page.close()


def load_scanned_pdf(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    if not available():
        raise NeedsOCR(
            path, "no text layer: a scan. OCR it with the optional extra: pip install 'budget-report-extractor[ocr]'"
        )
    return document_from_lines(read_scanned_pages(data, 0, None, path, limits), "pdf", path)


def read_scanned_pages(
    data: bytes, first: int, last: int | None, path: str = "<pdf>", limits: Limits = DEFAULT_LIMITS
) -> list[list[OcrLine]]:
    """Recognised lines of pages [first, last) of a scanned PDF (last None: to the end), one page image at a
    time within the pixel limits; a cluster reads a long scan in page ranges on several workers."""
    import pypdfium2

    dpi = patterns.load("ocr")["recognition"]["render_dpi"]
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as e:
        raise CorruptDocument(path, f"unreadable PDF: {e}") from None
    try:
        limits.check("ocr_pages", len(pdf), path, "pages to read by OCR")
        end = len(pdf) if last is None else min(last, len(pdf))
        budget = _PixelBudget(path, limits)
        return [recognise(image) for image in _rendered_pages(pdf, dpi / 72, budget, first, end)]
    finally:
        pdf.close()


def _frames(image, budget: _PixelBudget, limits: Limits):
    from PIL import ImageSequence

    for number, frame in enumerate(ImageSequence.Iterator(image), 1):
        limits.check("frames", number, budget.path, "image frames")
        budget.take(*frame.size)
        yield frame.copy()


def load_image(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """A page photo or scan (.png, .jpg, .tif; every frame of a multi-page TIFF is a page)."""
    if not available():
        raise NeedsOCR(path, "an image: reading it needs OCR, pip install 'budget-report-extractor[ocr]'")
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
        limits.check("frames", frames, path, "image frames")
        return document_from_pages(_frames(image, _PixelBudget(path, limits), limits), "image", path)
    except Image.DecompressionBombError as e:
        raise LimitExceeded(path, f"image too large: {e}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as e:
        raise CorruptDocument(path, f"unreadable image: {e}") from None
