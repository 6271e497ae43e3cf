"""OCR repairs and confidence: the stage between an OCR'd Document and its quantities. Repairs from
patterns/ocr.toml fix the usual misreadings (万兀 for 万元, O for 0), one character for one so offsets hold; every
repair and every line's confidence is kept and lands on the quantities it touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from . import patterns
from .document import Document


@dataclass(frozen=True)
class OcrLine:
    """One recognised line (or table cell) with its box and the recogniser's confidence."""

    text: str
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pixels
    confidence: float


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
            pieces += [text[position : m.start()], replacement]
            done.append((m.start(), m.end(), m.group()))
            position = m.end()
        text = "".join(pieces) + text[position:]
    return text, sorted(done)


@cache
def _column_repairs() -> list[tuple[str, regex.Pattern, str]]:
    return [
        (r["column_role"], regex.compile(r["pattern"]), r["replacement"])
        for r in patterns.load("ocr").get("column_repairs", [])
    ]


def repair_columns(rows: list[list[tuple[int, OcrLine]]]) -> tuple[list, list[tuple[int, int, int, str]]]:
    """Repairs that need the table's structure; returns the rows and (row, col, offset, original) of each."""
    from .indicators import _role_of_header

    roles = {col: _role_of_header(box.text) for col, box in rows[0]} if rows else {}
    done = []
    for r, row in enumerate(rows[1:], 1):
        for n, (col, box) in enumerate(row):
            for role, pattern, replacement in _column_repairs():
                m = pattern.search(box.text) if roles.get(col) == role else None
                if m and len(m.group()) == len(replacement):
                    done.append((r, col, m.start(), m.group()))
                    row[n] = (
                        col,
                        OcrLine(box.text[: m.start()] + replacement + box.text[m.end() :], box.box, box.confidence),
                    )
    return rows, done


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
        annotated.append(
            q.model_copy(
                update={
                    "confidence": round(confidence, 4) if confidence is not None else None,
                    "repaired_from": "".join(original) if touched else None,
                }
            )
        )
    return annotated
