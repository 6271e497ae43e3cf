"""Files as they come: every encoding decoded right, bad files refused with one clear line and no traceback."""

import subprocess
import sys
import zipfile

import pytest

import extractor
from conftest import CORPUS

SEED_TEXT = (CORPUS / "seed.txt").read_text(encoding="utf-8")


def _cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "extractor.cli", *map(str, args)], capture_output=True, text=True, input=stdin
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_decode_to_the_same_text(tmp_path, encoding):
    path = tmp_path / f"seed-{encoding}.txt"
    path.write_bytes(SEED_TEXT.encode(encoding))
    report = extractor.extract(path)
    assert report.text == SEED_TEXT
    assert len(report.quantities) == len(extractor.extract_text(SEED_TEXT).quantities)


def _truncated_docx(tmp_path):
    data = (CORPUS / "seed.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _doc_renamed(tmp_path):
    path = tmp_path / "legacy.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return path


def _zip_without_word(tmp_path):
    path = tmp_path / "photos.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "hello")
    return path


def _write(name, data):
    def make(tmp_path):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make


BAD = [
    ("missing", lambda tmp_path: tmp_path / "missing.txt", "no such file"),
    ("empty", _write("empty.txt", b""), "empty file"),
    ("blank", _write("blank.docx", b"   \n"), "empty file"),
    ("binary", _write("binary.txt", bytes(range(256)) * 8), "binary content"),
    ("truncated zip", _truncated_docx, "damaged or truncated zip"),
    (".doc renamed .docx", _doc_renamed, "legacy Word 97-2003 .doc"),
    ("zip that is not Word", _zip_without_word, "not a Word document"),
    ("pdf named .txt", _write("report.txt", b"%PDF-1.7\n..."), "named .txt but its content is PDF"),
    ("undecodable", _write("garbled.txt", bytes([0x81, 0x30, 0xFF, 0xFE, 0x80] * 50)), "encoding"),
    ("unknown suffix", _write("report.xyz", b"hello"), "unsupported format .xyz"),
]


@pytest.mark.parametrize("make,cause", [(m, c) for _, m, c in BAD], ids=[b[0] for b in BAD])
def test_bad_file_gives_one_clear_line_and_others_still_run(tmp_path, make, cause):
    bad = make(tmp_path)
    result = _cli("extract", bad, CORPUS / "seed.txt")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"extractor: {bad}: ") and cause in line
    assert len(result.stdout.strip().splitlines()) == 1  # the good file's record


def test_stdin_and_pretty_output(tmp_path):
    out = tmp_path / "out.json"
    result = _cli("extract", "-", "--pretty", "-o", out, stdin="基本支出预算安排98.56万元")
    assert result.returncode == 0, result.stderr
    record = extractor.Report.model_validate_json(out.read_text(encoding="utf-8"))
    assert [(q.text, q.value) for q in record.quantities] == [("98.56万元", 985600)]
    assert record.source.path == "<stdin>"


def test_record_carries_source_facts():
    report = extractor.extract(CORPUS / "seed.docx")
    assert report.source.format == "docx"
    assert report.source.bytes == (CORPUS / "seed.docx").stat().st_size
    assert len(report.source.sha256) == 64
    assert report.schema_version
