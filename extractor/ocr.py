"""OCR for scanned PDFs and page images (rapidocr: PP-OCR Chinese models shipped inside its wheel, so it runs
offline). Recognised lines become paragraphs with page numbers; repairs from patterns/ocr.toml fix the usual
misreadings (万兀 for 万元, O for 0) and every repair and every line's confidence is kept for the quantities.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import regex

from . import patterns
from .document import Document, DocumentBuilder
from .errors import EmptyDocument, NeedsOCR


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pixels
    confidence: float


@cache
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def recognise(image) -> list[OcrLine]:
    """Lines of one page image in reading order (top to bottom, then left to right)."""
    import numpy

    result, _ = _engine()(numpy.asarray(image.convert("RGB")))
    lines = []
    for points, text, confidence in result or []:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        lines.append(OcrLine(text, (min(xs), min(ys), max(xs), max(ys)), float(confidence)))
    return sorted(lines, key=lambda line: (round(line.box[1] / 10), line.box[0]))


def _paragraphs(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Join wrapped lines: a line reaching the right edge of the text continues into the next one, unless the
    next one starts with a heading or item number (一、 (二) 3、)."""
    from .structure import heading_marker

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


@cache
def _repairs() -> list[tuple[regex.Pattern, str]]:
    return [(regex.compile(r["pattern"]), r["replacement"]) for r in patterns.load("ocr")["repairs"]]


def repair(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Text with the OCR repairs applied, and (start, end, original) of each repair."""
    done = []
    for pattern, replacement in _repairs():
        pieces, position = [], 0
        for m in pattern.finditer(text):
            if len(m.group()) != len(replacement):
                continue
            pieces += [text[position:m.start()], replacement]
            done.append((m.start(), m.end(), m.group()))
            position = m.end()
        text = "".join(pieces) + text[position:]
    return text, sorted(done)


def document_from_pages(pages: list, format: str, path: str) -> Document:
    """OCR every page image into one Document, with confidences and repairs for the quantities."""
    builder = DocumentBuilder(format)
    confidences: list[tuple[int, int, float]] = []
    for number, image in enumerate(pages, 1):
        for paragraph in _paragraphs(recognise(image)):
            text = "".join(line.text for line in paragraph)
            start = builder.length + (1 if builder.length else 0)
            builder.paragraph(text, page=number)
            for line in paragraph:
                confidences.append((start, start + len(line.text), line.confidence))
                start += len(line.text)
    document = builder.build()
    if not document.text.strip():
        raise EmptyDocument(path, "no text found by OCR (a blank page, or a picture without text)")
    repaired, repairs = repair(document.text)
    document.text = repaired
    document.ocr_confidence = confidences
    document.ocr_repairs = repairs
    return document


def load_scanned_pdf(data: bytes, path: str) -> Document:
    if not available():
        raise NeedsOCR(path, "no text layer: a scan. OCR it with the optional extra: pip install 'extractor[ocr]'")
    import pypdfium2

    dpi = patterns.load("ocr")["recognition"]["render_dpi"]
    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = [pdf[i].render(scale=dpi / 72).to_pil() for i in range(len(pdf))]
    finally:
        pdf.close()
    return document_from_pages(pages, "pdf", path)


def load_image(data: bytes, path: str) -> Document:
    """A page photo or scan (.png, .jpg, .tif; every frame of a multi-page TIFF is a page)."""
    if not available():
        raise NeedsOCR(path, "an image: reading it needs OCR, pip install 'extractor[ocr]'")
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        pages = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError) as e:
        from .errors import CorruptDocument

        raise CorruptDocument(path, f"unreadable image: {e}") from None
    return document_from_pages(pages, "image", path)


def annotate(document: Document, quantities: list) -> list:
    """Quantities of an OCR'd document with the recogniser's confidence and the text before any repair."""
    if not document.ocr_confidence:
        return quantities
    annotated = []
    for q in quantities:
        start, end = q.span
        confidence = min((c for s, e, c in document.ocr_confidence if s < end and start < e), default=None)
        original = list(document.text[start:end])
        touched = False
        for s, e, before in document.ocr_repairs:
            if s < end and start < e:
                touched = True
                for i in range(max(s, start), min(e, end)):
                    original[i - start] = before[i - s]
        annotated.append(q.model_copy(update={"confidence": round(confidence, 4) if confidence is not None else None,
                                              "repaired_from": "".join(original) if touched else None}))
    return annotated
