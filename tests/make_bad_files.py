"""Generate the hostile and broken files of tests/test_bad_files.py: `python tests/make_bad_files.py DIR`.

Each case is a file and what extracting it must give: an error kind with words of its message, or a record
("ok") whose text holds given words (nothing silently lost). Every case is built from scratch here, small on
disk; the cost each one could cause (inflation, pages, pixels, cells, depth, frames) is what is tested.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCX = ROOT / "corpus" / "seed.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@dataclass
class Case:
    name: str
    file: str
    kind: str  # the ExtractorError subclass raised, or "ok" for a record
    cause: str = ""  # words the one-line message must hold
    keeps: list[str] = field(default_factory=list)  # words the record's text must hold


def _docx(document_xml: str | bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """The seed .docx with its document.xml (and any other part) replaced."""
    source = zipfile.ZipFile(SEED_DOCX)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = document_xml.encode() if isinstance(document_xml, str) else document_xml
            z.writestr(item.filename, (extra or {}).get(item.filename, data))
    return out.getvalue()


def _body(inner: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{inner}</w:body></w:document>'


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _pdf(pages: list[tuple[float, float, str | None]]) -> bytes:
    """A PDF of pages (width, height in points, text or None for a blank page) with a valid xref table."""
    objects = ["<</Type/Catalog/Pages 2 0 R>>", None, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    kids = []
    for width, height, text in pages:
        content = f"BT /F1 12 Tf 72 {height - 72:.0f} Td ({text}) Tj ET" if text else ""
        objects.append(f"<</Length {len(content)}>>stream\n{content}\nendstream\n")
        objects.append(
            f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {width} {height}]/Contents {len(objects)} 0 R"
            f"/Resources<</Font<</F1 3 0 R>>>>>>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<</Type/Pages/Kids[{' '.join(kids)}]/Count {len(kids)}>>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj{body}endobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _tiff(frames: int) -> bytes:
    from PIL import Image

    images = [Image.new("L", (64, 64), 255) for _ in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="TIFF", save_all=True, append_images=images[1:])
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG header that declares a huge image over a few bytes of data (a decompression bomb's shape)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            for _ in range(100):
                f.write(b" " * 2**20)
    return out.getvalue()


def _laughs() -> str:
    levels = ['<!ENTITY a0 "ha">'] + [f'<!ENTITY a{i} "{"&a%d;" % (i - 1) * 10}">' for i in range(1, 10)]
    return (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(levels)}]><w:document {W}><w:body>'
        f"{_p('&a9;')}</w:body></w:document>"
    )


def _files() -> list[tuple[Case, bytes | None]]:
    """Every case with its bytes (None: made specially by make_bad_files, such as a FIFO or a link)."""
    seed_text = (ROOT / "corpus" / "seed.txt").read_bytes()
    inflating = _body(_p("预算98.56万元") * 1).replace("</w:body>", _p("填充" * 100) * 40_000 + "</w:body>")
    return [
        # size and inflation
        (Case("39 MB text", "huge.txt", "LimitExceeded", "text_chars"), b"\xe9\xa2\x84" * (13 * 2**20)),
        (Case("docx inflating to 20 MB", "inflating.docx", "LimitExceeded", "xml_part_bytes"), _docx(inflating)),
        (Case("zip bomb", "bomb.docx", "LimitExceeded", "inflated_bytes"), _zip_bomb()),
        (Case("text over the text limit", "long.txt", "LimitExceeded", "text_chars"), "预算5万元。".encode() * 400_000),
        # markup: cells, depth, text nodes
        (
            Case("td rowspan=100000 colspan=100000", "span.html", "ok", keeps=["x"]),
            b"<table><tr><td rowspan=100000 colspan=100000>x</td></tr></table>",
        ),
        (
            Case("table of 300,000 cells", "cells.html", "LimitExceeded", "table_cells"),
            b"<table>" + b"<tr><td colspan=1000>1</td></tr>" * 300 + b"</table>",
        ),
        (
            Case("HTML nested 300 deep", "deep.html", "LimitExceeded", "depth"),
            b"<html><body>" + b"<div>" * 300 + "预算5万元".encode() + b"</div>" * 300 + b"</body></html>",
        ),
        (
            Case(
                "HTML text after br, bare body text, tails",
                "tails.html",
                "ok",
                keeps=["正文开头", "换行之后", "块之后", "尾巴"],
            ),
            "<html><body>正文开头<div><p>段落</p>块之后<br>换行之后<b>粗</b>尾巴</div></body></html>".encode(),
        ),
        (
            Case("HTML nested 150 deep keeps its text", "deep-ok.html", "ok", keeps=["深处预算5万元"]),
            b"<html><body>" + b"<div>" * 150 + "深处预算5万元".encode() + b"</div>" * 150 + b"</body></html>",
        ),
        (
            Case("HTML of scripts only", "script.html", "EmptyDocument", "no text"),
            b"<html><body><script>var a = 1;</script></body></html>",
        ),
        (
            Case("Markdown with 100,000 unclosed <table", "tables.md", "ok", keeps=["预算"]),
            "预算5万元\n".encode() + b"<table " * 100_000,
        ),
        (
            Case("Markdown table with huge spans", "span.md", "ok", keeps=["x"]),
            b"# t\n<table><tr><td rowspan=99999999 colspan=99999999>x</td></tr></table>\n",
        ),
        # docx XML
        (Case("docx entity bomb", "laughs.docx", "CorruptDocument", "entit"), _docx(_laughs())),
        (
            Case("docx external entity (XXE)", "xxe.docx", "CorruptDocument", "DTD"),
            _docx(
                f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                f"<w:document {W}><w:body>{_p('before &x; after')}</w:body></w:document>"
            ),
        ),
        (
            Case("docx internal entity reference", "entity.docx", "CorruptDocument", "DTD"),
            _docx(
                f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "预算">]>'
                f"<w:document {W}><w:body>{_p('&e;之后的文字5万元')}</w:body></w:document>"
            ),
        ),
        (
            Case("docx nested 300 deep", "deep.docx", "LimitExceeded", "depth"),
            _docx(_body("<w:sdt><w:sdtContent>" * 300 + _p("预算") + "</w:sdtContent></w:sdt>" * 300)),
        ),
        (
            Case("docx gridSpan not a number", "gridspan.docx", "ok", keeps=["预算5万元"]),
            _docx(
                _body(
                    '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="abc"/></w:tcPr>'
                    + _p("预算5万元")
                    + "</w:tc></w:tr></w:tbl>"
                )
            ),
        ),
        (
            Case("docx gridSpan 999,999,999", "gridspan-huge.docx", "LimitExceeded", "table_cells"),
            _docx(
                _body(
                    '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr>'
                    + _p("预算")
                    + "</w:tc></w:tr></w:tbl>"
                )
            ),
        ),
        (
            Case("docx damaged relationships", "rels.docx", "CorruptDocument", "_rels"),
            _docx(_body(_p("预算5万元")), {"_rels/.rels": b"<Relationships><unclosed"}),
        ),
        (
            Case("docx numbering with garbage levels", "numbering.docx", "ok", keeps=["预算5万元"]),
            _docx(
                _body(
                    '<w:p><w:pPr><w:numPr><w:ilvl w:val="x"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                    "<w:r><w:t>预算5万元</w:t></w:r></w:p>"
                ),
                {
                    "word/numbering.xml": f'<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="999999999">'
                    f'<w:start w:val="-5"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/>'
                    f'</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/>'
                    f"</w:num></w:numbering>".encode()
                },
            ),
        ),
        (Case("truncated docx", "truncated.docx", "CorruptDocument", "zip"), SEED_DOCX.read_bytes()[:3000]),
        (
            Case("zip without Word parts", "photos.docx", "CorruptDocument", "not a Word document"),
            (lambda: (lambda b: (zipfile.ZipFile(b, "w").writestr("a.txt", "x"), b.getvalue())[1])(io.BytesIO()))(),
        ),
        # PDF: pages and pixels
        (
            Case("one 14400 pt scanned page", "bigpage.pdf", "LimitExceeded", "pixels_per_page"),
            _pdf([(14400, 14400, None)]),
        ),
        (Case("300 blank pages", "blank300.pdf", "LimitExceeded", "ocr_pages"), _pdf([(595, 842, None)] * 300)),
        (Case("2000 text pages", "pages2000.pdf", "LimitExceeded", "pages"), _pdf([(595, 842, "Budget 5")] * 2000)),
        (Case("a text PDF", "text.pdf", "ok", keeps=["Budget 2023"]), _pdf([(595, 842, "Budget 2023 " * 3)] * 3)),
        (Case("a scanned PDF of 21 pages", "scan21.pdf", "LimitExceeded", "ocr_pages"), _pdf([(595, 842, None)] * 21)),
        (Case("truncated PDF", "truncated.pdf", "CorruptDocument", "PDF"), _pdf([(595, 842, "x")])[:60]),
        (Case("PDF header only", "header.pdf", "CorruptDocument", "PDF"), b"%PDF-1.7\n"),
        # images
        (Case("TIFF of 400 frames", "frames.tif", "LimitExceeded", "frames"), _tiff(400)),
        (
            Case("PNG declaring 100000 x 100000", "bomb.png", "LimitExceeded", "too large"),
            _png_claiming(100_000, 100_000),
        ),
        (
            Case("PNG declaring 8000 x 8000 (64 M pixels)", "wide.png", "LimitExceeded", "pixels_per_page"),
            _png_claiming(8000, 8000),
        ),
        (
            Case("JPEG signature and nothing else", "broken.jpg", "CorruptDocument", "image"),
            b"\xff\xd8\xff" + b"\x00" * 64,
        ),
        # text: encodings and content
        (Case("NUL bytes", "nul.txt", "UndecodableText", "binary"), bytes(range(256)) * 16),
        (
            Case("undecodable bytes", "garbled.txt", "UndecodableText", "encoding"),
            bytes([0x81, 0x30, 0xFF, 0xFE, 0x80] * 50),
        ),
        (Case("only whitespace", "blank.txt", "EmptyDocument", "empty"), b" \n\t\n" * 100),
        (Case("empty", "empty.txt", "EmptyDocument", "empty"), b""),
        (Case("PDF named .txt", "pdf.txt", "UnsupportedFormat", "PDF"), b"%PDF-1.7\n..."),
        (Case("unknown suffix", "report.xyz", "UnsupportedFormat", ".xyz"), b"hello"),
        (
            Case("an encoded lone surrogate (invalid UTF-8)", "surrogate.txt", "UndecodableText", "encoding"),
            "预算5万元".encode() + b"\xed\xa0\x80" + "。".encode(),
        ),
        (
            Case("20,000 headings", "headings.txt", "ok", keeps=["9、标题"]),
            "".join(f"{i % 9 + 1}、标题\n" for i in range(20_000)).encode(),
        ),
        (Case("Chinese numeral places x 2000", "numerals.txt", "ok", keeps=["亿一十"]), "一十百千万亿".encode() * 2000),
        (Case("amounts between tabs x 8000", "amounts.txt", "ok", keeps=["1万元"]), "1万元\t".encode() * 8000),
        (Case("the seed as text", "seed.txt", "ok", keeps=["雁峰区"]), seed_text),
        # special files
        (Case("a FIFO", "fifo.txt", "NotAFile", "FIFO"), None),
        (Case("a character device", "zero.txt", "NotAFile", "character device"), None),
        (Case("a directory named .txt", "folder.txt", "NotAFile", "directory"), None),
        (Case("a symbolic link loop", "loop.txt", "ExtractorError", "cannot read"), None),
    ]


def make_bad_files(folder: Path) -> list[Case]:
    """Write every case into `folder`; returns the cases."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    for case, data in _files():
        path = folder / case.file
        if data is not None:
            path.write_bytes(data)
        elif case.file == "fifo.txt":
            os.mkfifo(path)
        elif case.file == "zero.txt":
            path.symlink_to("/dev/zero")
        elif case.file == "folder.txt":
            path.mkdir()
        elif case.file == "loop.txt":
            path.symlink_to(path.name)
        cases.append(case)
    return cases


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/make_bad_files.py DIR")
    for made in make_bad_files(Path(sys.argv[1])):
        print(f"{made.file}\t{made.kind}\t{made.name}")
