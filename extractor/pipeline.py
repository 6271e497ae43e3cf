"""The public entry points: a file or a text in, a Report out."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .document import Document, document_from_text
from .load import load_bytes, read_file
from .quantities import find_quantities
from .record import Report, Source


def build_report(document: Document, source: Source) -> Report:
    """Run every stage after loading over one Document."""
    return Report(source=source, text=document.text, quantities=find_quantities(document.text))


def extract(path: str | Path) -> Report:
    """Extract the record of the report file at `path`; raises an ExtractorError naming the file on bad input."""
    data = read_file(path)
    document = load_bytes(data, str(path))
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format=document.format, bytes=len(data))
    return build_report(document, source)


def extract_text(text: str, path: str = "<text>") -> Report:
    """Extract the record of a report given as text."""
    data = text.encode("utf-8")
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="txt", bytes=len(data))
    return build_report(document_from_text(text), source)
