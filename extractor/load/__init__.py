"""Read a report file of any supported format into a Document; the format is checked against the content."""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..errors import CorruptDocument, EmptyDocument, ExtractorError, UnsupportedFormat
from .docx import load_docx
from .html import load_html, load_markdown
from .office import load_legacy
from .pdf import load_pdf
from .text import load_text
from .scan import load_image

# Files larger than this are refused before reading: no report is this big, and a batch must stay bounded.
MAX_FILE_BYTES = 40 * 2**20

_LOADERS = {
    ".txt": load_text, ".text": load_text, ".docx": load_docx, ".html": load_html, ".htm": load_html,
    ".md": load_markdown, ".markdown": load_markdown, ".pdf": load_pdf,
    ".doc": load_legacy, ".wps": load_legacy, ".rtf": load_legacy,
    ".png": load_image, ".jpg": load_image, ".jpeg": load_image, ".tif": load_image, ".tiff": load_image,
}
# What each format's first bytes must be (None: a text format, which must not be one of the binary kinds).
_EXPECTED = {".docx": "zip", ".pdf": "pdf", ".doc": "ole", ".wps": "ole", ".rtf": "rtf", ".png": "png",
             ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff"}
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
_NAMES = {"zip": "a zip package (.docx?)", "ole": "a legacy Office file (.doc?)", "pdf": "PDF", "rtf": "RTF",
          "png": "a PNG image", "jpeg": "a JPEG image", "tiff": "a TIFF image"}
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
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise ExtractorError(str(path), f"too large: {size / 2**20:.0f} MiB, the limit is {MAX_FILE_BYTES // 2**20} MiB")
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ExtractorError(str(path), "no such file") from None
    except IsADirectoryError:
        raise ExtractorError(str(path), "is a directory, not a file") from None
    except PermissionError:
        raise ExtractorError(str(path), "permission denied") from None
    except OSError as e:
        raise ExtractorError(str(path), f"cannot read: {e.strerror}") from None
