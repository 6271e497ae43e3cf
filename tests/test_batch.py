"""extractor batch: counts over a mixed tree, isolation of slow files, kill -9 and resume, tables that agree."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import CORPUS
from extractor import batch
from extractor.batch import BatchSettings, run_batch, version_key

SLOW_TEXT = "预算98.56万元，实际支出135.79万元，完成预算安排的133.77%。\n" * 20000  # ~5 s to extract


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "archive"
    (root / "2023" / "dept").mkdir(parents=True)
    shutil.copy(CORPUS / "seed.txt", root / "seed.txt")
    shutil.copy(CORPUS / "seed.docx", root / "2023" / "seed.docx")
    shutil.copy(CORPUS / "seed.txt", root / "2023" / "dept" / "same-as-seed.txt")  # identical content
    seed = (CORPUS / "seed.txt").read_text(encoding="utf-8")
    for i in range(4):
        (root / "2023" / f"variant{i}.txt").write_text(seed + f"\n附注{i}。", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "corrupt.docx").write_bytes((CORPUS / "seed.docx").read_bytes()[:2000])
    (root / "notes.xyz").write_text("not a report", encoding="utf-8")
    return root


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_batch_counts_and_outputs(tree, tmp_path):
    out = tmp_path / "out"
    summary = run_batch([str(tree)], out, BatchSettings(workers=2))
    # 10 report files: seed.txt and its identical copy, seed.docx, 4 variants, 3 bad files (notes.xyz is not one)
    assert (summary.total, summary.done, summary.duplicates, dict(summary.failed)) == (
        10,
        6,
        1,
        {"EmptyDocument": 1, "UndecodableText": 1, "CorruptDocument": 1},
    )
    records = _lines(out / "records.jsonl")
    assert len(records) == summary.done == len({r["source"]["sha256"] for r in records})
    [seed] = [r for r in records if r["source"]["path"].endswith("seed.txt")]
    assert sorted(os.path.basename(p) for p in seed["paths"]) == ["same-as-seed.txt", "seed.txt"]
    errors = _lines(out / "errors.jsonl")
    assert sorted((os.path.basename(e["path"]), e["error"]) for e in errors) == [
        ("binary.txt", "UndecodableText"),
        ("corrupt.docx", "CorruptDocument"),
        ("empty.txt", "EmptyDocument"),
    ]


def test_second_run_does_nothing_and_changed_file_is_redone(tree, tmp_path):
    out = tmp_path / "out"
    first = run_batch([str(tree)], out, BatchSettings(workers=2))
    again = run_batch([str(tree)], out, BatchSettings(workers=2))
    assert (again.done, again.skipped, sum(again.failed.values())) == (0, first.total, 0)
    (tree / "seed.txt").write_text((CORPUS / "seed.txt").read_text(encoding="utf-8") + "\n补充说明。", encoding="utf-8")
    changed = run_batch([str(tree)], out, BatchSettings(workers=2))
    assert changed.done == 1
    records = _lines(out / "records.jsonl")
    # the copy keeps the old text
    assert len(records) == len({r["source"]["sha256"] for r in records}) == first.done + 1


def test_slow_file_times_out_and_the_batch_goes_on(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    (root / "slow.txt").write_text(SLOW_TEXT, encoding="utf-8")
    shutil.copy(CORPUS / "seed.txt", root / "seed.txt")
    summary = run_batch([str(root)], tmp_path / "out", BatchSettings(workers=1, timeout_seconds=1))
    assert (summary.done, dict(summary.failed)) == (1, {"Timeout": 1})
    [error] = _lines(tmp_path / "out" / "errors.jsonl")
    assert (os.path.basename(error["path"]), error["error"]) == ("slow.txt", "Timeout")


def test_memory_limit_is_an_error_line(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    (root / "big.txt").write_text(SLOW_TEXT, encoding="utf-8")
    shutil.copy(CORPUS / "seed.txt", root / "seed.txt")
    summary = run_batch([str(root)], tmp_path / "out", BatchSettings(workers=1, memory_mb=250, timeout_seconds=60))
    assert (summary.done, dict(summary.failed)) == (1, {"MemoryLimit": 1})


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    seed = (CORPUS / "seed.txt").read_text(encoding="utf-8")
    for i in range(60):
        (root / f"r{i:02}.txt").write_text(seed + f"\n附注{i}：本年度第{i}号。", encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extractor.cli", "batch", str(root), "-o", str(out), "--workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    records = out / "records.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not records.exists() or len(records.read_bytes().splitlines()) < 5):
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(_lines(records))
    assert 5 <= done_before < 60
    subprocess.run(command, check=True, capture_output=True)
    after = _lines(records)
    assert len(after) == 60 == len({r["source"]["sha256"] for r in after})


def test_duckdb_tables_join_and_agree_with_records(tree, tmp_path):
    out = tmp_path / "out"
    run_batch([str(tree)], out, BatchSettings(workers=2))
    records = _lines(out / "records.jsonl")
    with duckdb.connect(str(out / "reports.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == len(records)
        orphans = con.execute(
            "SELECT count(*) FROM facts f LEFT JOIN documents d USING (doc_id) WHERE d.doc_id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == sum(len(r["facts"]) for r in records)
        quantities = con.execute("SELECT count(*) FROM quantities").fetchone()[0]
        assert quantities == sum(len(r["quantities"]) for r in records)
        seed_rate = con.execute(
            "SELECT f.value FROM facts f JOIN documents d USING (doc_id) WHERE d.path LIKE "
            "'%seed.txt' AND f.field = 'budget.basic.execution_rate'"
        ).fetchall()
        assert [float(v) for (v,) in seed_rate] == [133.77]
        failed = con.execute("SELECT failed_checks FROM documents WHERE path LIKE '%seed.docx'").fetchone()[0]
        assert failed == 5
        parquet = con.execute(f"SELECT count(*) FROM '{out / 'facts.parquet'}'").fetchone()[0]
        assert parquet == sum(len(r["facts"]) for r in records)
    header = (out / "facts.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == (
        "doc_id,path,sha256,department,department_key,fiscal_year,kind,field,value,unit,text,"
        "span_start,span_end,quantity"
    )


def test_batch_cli_prints_a_summary(tree, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "batch", str(tree), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1  # some files failed
    assert "failed 3 (CorruptDocument 1, EmptyDocument 1, UndecodableText 1)" in result.stderr.splitlines()[-1]


def test_version_key_hashes_the_installed_code(tmp_path):
    package = Path(batch.__file__).parent
    code = tmp_path / "extractor"
    shutil.copytree(package, code, ignore=shutil.ignore_patterns("__pycache__"))
    before = version_key(code)
    assert before == version_key(package)
    (code / "load" / "text.py").write_text(
        (code / "load" / "text.py").read_text(encoding="utf-8") + "\n# edit\n", encoding="utf-8"
    )
    assert version_key(code) != before


def test_batch_resumed_after_a_code_change_extracts_again(tree, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = run_batch([str(tree)], out, BatchSettings(workers=1))
    monkeypatch.setattr(batch, "version_key", lambda: "after-an-edit")
    again = run_batch([str(tree)], out, BatchSettings(workers=1))
    assert (again.done, again.skipped) == (first.done, 0)
    records = _lines(out / "records.jsonl")
    assert {r["batch_version"] for r in records} == {"after-an-edit"} and len(records) == first.done


def test_batch_keeps_every_digit(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    (root / "big.txt").write_text("基本支出预算安排1234567890123456.78元，完成率0.3%。", encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(root)], out, BatchSettings(workers=1))
    line = (out / "records.jsonl").read_text(encoding="utf-8")
    assert '"value":1234567890123456.78,' in line and '"value":0.3,' in line
    with duckdb.connect(str(out / "reports.duckdb"), read_only=True) as con:
        values = con.execute("SELECT value, typeof(value) FROM quantities ORDER BY span_start").fetchall()
        assert values == [(Decimal("1234567890123456.78"), "DECIMAL(38,8)"), (Decimal("0.3"), "DECIMAL(38,8)")]
        parquet = con.execute(f"SELECT field, value, typeof(value) FROM '{out / 'facts.parquet'}'").fetchall()
    assert parquet == [("budget.basic.planned", Decimal("1234567890123456.78"), "DECIMAL(38,8)")]
