"""Read a report file of any supported format into a Document; the format is checked against the content."""

from __future__ import annotations

import os
import stat
from importlib import import_module
from pathlib import Path

from ..document import Document
from ..errors import CorruptDocument, EmptyDocument, ExtractorError, NotAFile, UnsupportedFormat
from ..limits import DEFAULT_LIMITS, Limits

# Each format's loader as (module, function), imported when a file of that format comes: a text file's cold
# start does not pay for python-docx, pdfplumber, lxml or the OCR engine.
_LOADERS = {
    ".txt": ("text", "load_text"),
    ".text": ("text", "load_text"),
    ".docx": ("docx", "load_docx"),
    ".html": ("html", "load_html"),
    ".htm": ("html", "load_html"),
    ".md": ("html", "load_markdown"),
    ".markdown": ("html", "load_markdown"),
    ".pdf": ("pdf", "load_pdf"),
    ".doc": ("office", "load_legacy"),
    ".wps": ("office", "load_legacy"),
    ".rtf": ("office", "load_legacy"),
    ".png": ("scan", "load_image"),
    ".jpg": ("scan", "load_image"),
    ".jpeg": ("scan", "load_image"),
    ".tif": ("scan", "load_image"),
    ".tiff": ("scan", "load_image"),
}
# What each format's first bytes must be (None: a text format, which must not be one of the binary kinds).
_EXPECTED = {
    ".docx": "zip",
    ".pdf": "pdf",
    ".doc": "ole",
    ".wps": "ole",
    ".rtf": "rtf",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".tif": "tiff",
    ".tiff": "tiff",
}
_SIGNATURES = [
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"%PDF", "pdf"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
]
_NAMES = {
    "zip": "a zip package (.docx?)",
    "ole": "a legacy Office file (.doc?)",
    "pdf": "PDF",
    "rtf": "RTF",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "tiff": "a TIFF image",
}
_ENCRYPTED_OLE_MARK = "EncryptedPackage".encode("utf-16-le")


def _sniff(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _check_content_matches_name(data: bytes, suffix: str, path: str) -> None:
    kind = _sniff(data)
    if kind == "ole" and _ENCRYPTED_OLE_MARK in data:
        raise CorruptDocument(path, "password-protected (encrypted) Office document; save it without a password")
    expected = _EXPECTED.get(suffix)
    if kind == expected:
        return
    if kind == "ole" and suffix == ".docx":
        raise UnsupportedFormat(path, "named .docx but is a legacy Word 97-2003 .doc file")
    if expected is None and kind is not None:
        raise UnsupportedFormat(path, f"named {suffix} but its content is {_NAMES[kind]}")
    if expected is not None:
        found = _NAMES[kind] if kind else "not that format"
        raise CorruptDocument(path, f"named {suffix} but its content is {found}")


def supported_suffixes() -> list[str]:
    return sorted(_LOADERS)


def load_bytes(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Document from a file's bytes; `path` gives the format (by suffix) and names the file in errors."""
    suffix = Path(path).suffix.lower()
    if suffix not in _LOADERS:
        raise UnsupportedFormat(
            path, f"unsupported format {suffix or '(no extension)'}; supported: {', '.join(supported_suffixes())}"
        )
    if not data.strip():
        raise EmptyDocument(path, "empty file")
    limits.check("file_bytes", len(data), path, "file size in bytes")
    _check_content_matches_name(data, suffix, path)
    module, function = _LOADERS[suffix]
    document = getattr(import_module(f".{module}", __name__), function)(data, path, limits)
    limits.check("text_chars", len(document.text), path, "characters of text")
    if not document.text.strip():
        raise EmptyDocument(path, "no text in the document")
    return document


_SPECIAL = [
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a file"),
    (stat.S_ISCHR, "is a character device, not a file"),
    (stat.S_ISBLK, "is a block device, not a file"),
    (stat.S_ISSOCK, "is a socket, not a file"),
]


def _refuse_special(mode: int, path: str) -> None:
    for test, cause in _SPECIAL:
        if test(mode):
            raise NotAFile(path, cause)
    if not stat.S_ISREG(mode):
        raise NotAFile(path, "is not a regular file")


def read_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a regular file no larger than the limit; FIFOs and devices are refused without blocking."""
    name = str(path)
    try:
        _refuse_special(os.stat(path).st_mode, name)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO swapped in after the stat cannot block us
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            _refuse_special(info.st_mode, name)
            limits.check("file_bytes", info.st_size, name, "file size in bytes")
            data = f.read(limits.file_bytes + 1)
        limits.check("file_bytes", len(data), name, "file size in bytes")  # it grew while we read it
        return data
    except FileNotFoundError:
        raise ExtractorError(name, "no such file") from None
    except IsADirectoryError:
        raise NotAFile(name, "is a directory, not a file") from None
    except PermissionError:
        raise ExtractorError(name, "permission denied") from None
    except OSError as e:
        raise ExtractorError(name, f"cannot read: {e.strerror or e}") from None
