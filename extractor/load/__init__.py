"""Read a report file of any supported format into a Document; the format is checked against the content."""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..errors import CorruptDocument, EmptyDocument, ExtractorError, UnsupportedFormat
from .docx import load_docx
from .text import load_text

_LOADERS = {".txt": load_text, ".text": load_text, ".docx": load_docx}

# What the first bytes of a file say it is, to catch files whose name lies about their content.
_SIGNATURES = [
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"%PDF", "pdf"),
    (b"{\\rtf", "rtf"),
]
_ENCRYPTED_OLE_MARK = "EncryptedPackage".encode("utf-16-le")


def _sniff(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _check_content_matches_name(data: bytes, suffix: str, path: str) -> None:
    kind = _sniff(data)
    if kind == "ole":
        if _ENCRYPTED_OLE_MARK in data:
            raise CorruptDocument(path, "password-protected (encrypted) Office document; save it without a password")
        if suffix != ".doc":
            raise UnsupportedFormat(path, f"named {suffix} but is a legacy Word 97-2003 .doc file")
    if suffix == ".docx" and kind not in ("zip", None):
        raise UnsupportedFormat(path, f"named .docx but its content is {kind.upper()}")
    if suffix == ".docx" and kind is None:
        raise CorruptDocument(path, "named .docx but it is not a zip package")
    if suffix in (".txt", ".text") and kind in ("zip", "pdf", "rtf"):
        raise UnsupportedFormat(path, f"named {suffix} but its content is {kind.upper()}")


def supported_suffixes() -> list[str]:
    return sorted(_LOADERS)


def load_bytes(data: bytes, path: str) -> Document:
    """Document from a file's bytes; `path` gives the format (by suffix) and names the file in errors."""
    suffix = Path(path).suffix.lower()
    if suffix not in _LOADERS:
        raise UnsupportedFormat(path, f"unsupported format {suffix or '(no extension)'}; "
                                      f"supported: {', '.join(supported_suffixes())}")
    if not data.strip():
        raise EmptyDocument(path, "empty file")
    _check_content_matches_name(data, suffix, path)
    document = _LOADERS[suffix](data, path)
    if not document.text.strip():
        raise EmptyDocument(path, "no text in the document")
    return document


def read_file(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ExtractorError(str(path), "no such file") from None
    except IsADirectoryError:
        raise ExtractorError(str(path), "is a directory, not a file") from None
    except PermissionError:
        raise ExtractorError(str(path), "permission denied") from None
    except OSError as e:
        raise ExtractorError(str(path), f"cannot read: {e.strerror}") from None
