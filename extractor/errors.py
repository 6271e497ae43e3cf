"""Typed errors for input we cannot read; each names the file and the cause in one line."""

from __future__ import annotations

import os


def shown_path(path) -> str:
    """A path as shown and recorded: a name that is not UTF-8 (GBK names from a Windows zip) keeps its
    bytes as \\xNN escapes, so it can be printed and written as JSON."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class ExtractorError(Exception):
    """A file could not be turned into a report. str() is the one-line message shown to users."""

    def __init__(self, path: str, cause: str):
        path = shown_path(path)
        super().__init__(f"{path}: {cause}")
        self.path = path
        self.cause = cause


class UnsupportedFormat(ExtractorError):
    """The file's format is not one we read (or its content does not match its name)."""


class CorruptDocument(ExtractorError):
    """The file claims a format but its content is damaged or unsafe to open."""


class EmptyDocument(ExtractorError):
    """The file holds no text at all."""


class UndecodableText(ExtractorError):
    """A text file whose encoding cannot be determined without producing mojibake."""


class NeedsOCR(ExtractorError):
    """A scanned document: pages without a text layer."""


class ConverterMissing(ExtractorError):
    """A legacy format needs a converter (LibreOffice) that is not installed."""


class LimitExceeded(ExtractorError):
    """The file is over one of the limits (size, inflation, pages, pixels, cells, text, depth, frames)."""


class NotAFile(ExtractorError):
    """The path names a FIFO, device, socket or directory: refused before anything is read from it."""


class InternalError(ExtractorError):
    """An unexpected failure inside the extractor on this file (a bug): reported, and the other files go on."""


class OutputLocked(ExtractorError):
    """A batch output folder another run is writing to: a second run is refused, never interleaved."""
