"""extractor: Chinese budget performance reports (绩效自评报告) to structured, traceable records."""

__version__ = "0.3.0"

from .errors import CorruptDocument, EmptyDocument, ExtractorError, UndecodableText, UnsupportedFormat
from .pipeline import extract, extract_text
from .quantities import find_quantities
from .record import Quantity, Report

__all__ = [
    "extract",
    "extract_text",
    "find_quantities",
    "Report",
    "Quantity",
    "ExtractorError",
    "UnsupportedFormat",
    "CorruptDocument",
    "EmptyDocument",
    "UndecodableText",
]
