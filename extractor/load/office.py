"""Legacy word-processor files (.doc, .wps, .rtf), converted to .docx by LibreOffice headless when installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document import Document
from ..errors import ConverterMissing, CorruptDocument
from ..limits import DEFAULT_LIMITS, Limits
from .docx import load_docx

CONVERT_TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def load_legacy(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    binary = soffice()
    suffix = Path(path).suffix.lower()
    if binary is None:
        raise ConverterMissing(path, f"reading {suffix} needs LibreOffice: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="extractor-") as tmp:
        source = Path(tmp) / f"report{suffix}"
        source.write_bytes(data)
        command = [
            binary,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp}/profile",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise CorruptDocument(path, f"LibreOffice took over {CONVERT_TIMEOUT_SECONDS} s to convert it") from None
        converted = Path(tmp) / "report.docx"
        if not converted.exists():
            raise CorruptDocument(path, f"LibreOffice could not convert this {suffix} file")
        document = load_docx(converted.read_bytes(), path, limits)
    document.format = suffix.lstrip(".")
    return document
