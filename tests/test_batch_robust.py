"""extractor batch against careless use: two runs on one folder, partial reruns, transient failures, odd
file names, symbolic links out of the tree, an apostrophe in -o, leftovers of killed runs."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import CORPUS
from extractor.batch import BatchSettings, run_batch
from extractor.errors import OutputLocked

SEED = (CORPUS / "seed.txt").read_text(encoding="utf-8")


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _tree(root, n=3):
    (root / "sub").mkdir(parents=True)
    for i in range(n):
        (root / f"r{i}.txt").write_text(SEED + f"\n附注{i}。", encoding="utf-8")
    shutil.copy(CORPUS / "seed.docx", root / "sub" / "seed.docx")
    return root


def test_a_second_concurrent_run_is_refused_and_each_document_is_recorded_once(tmp_path):
    root = _tree(tmp_path / "archive", n=40)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extractor.cli", "batch", str(root), "-o", str(out), "--workers", "1"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = out / ".lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().startswith("pid")):
        time.sleep(0.02)
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert first.wait(timeout=300) == 0
    assert second.returncode == 2
    assert second.stderr.strip() == (
        f"extractor: {out}: in use by another batch run (pid {first.pid} on "
        f"{os.uname().nodename} since {lock.read_text().split(' since ')[1]}); "
        "wait for it or choose another -o"
    )
    records = _lines(out / "records.jsonl")
    assert len(records) == 41 == len({r["source"]["sha256"] for r in records})


def test_run_in_process_is_refused_while_the_folder_is_locked(tmp_path):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "w") as held:
        held.write("pid 1 on elsewhere since 2026-01-01 00:00:00")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(OutputLocked, match=r"in use by another batch run \(pid 1 on elsewhere since 2026"):
            run_batch([str(_tree(tmp_path / "a"))], out, BatchSettings(workers=1))


def test_rerun_on_a_sub_folder_or_glob_keeps_the_other_records(tmp_path):
    root = _tree(tmp_path / "archive")
    out = tmp_path / "out"
    assert run_batch([str(root)], out, BatchSettings(workers=1)).done == 4
    sub = run_batch([str(root / "sub")], out, BatchSettings(workers=1))
    docx = run_batch([str(root)], out, BatchSettings(workers=1, glob="*.docx"))
    assert (sub.done, sub.skipped, docx.done, docx.skipped) == (0, 1, 0, 1)
    records = _lines(out / "records.jsonl")
    assert sorted(os.path.basename(r["paths"][0]) for r in records) == ["r0.txt", "r1.txt", "r2.txt", "seed.docx"]


def test_a_file_gone_from_the_scope_loses_its_record_and_others_stay(tmp_path):
    root = _tree(tmp_path / "archive")
    out = tmp_path / "out"
    run_batch([str(root)], out, BatchSettings(workers=1))
    (root / "r0.txt").unlink()
    run_batch([str(root)], out, BatchSettings(workers=1))
    assert sorted(os.path.basename(r["paths"][0]) for r in _lines(out / "records.jsonl")) == [
        "r1.txt",
        "r2.txt",
        "seed.docx",
    ]


def test_timeouts_are_retried_by_the_next_run(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    (root / "long.txt").write_text(
        "预算98.56万元，实际支出135.79万元，完成预算安排的133.77%。\n" * 20000, encoding="utf-8"
    )
    out = tmp_path / "out"
    first = run_batch([str(root)], out, BatchSettings(workers=1, timeout_seconds=0.5))  # it needs seconds
    assert dict(first.failed) == {"Timeout": 1}
    second = run_batch([str(root)], out, BatchSettings(workers=1, timeout_seconds=120))
    assert (second.done, dict(second.failed), second.errors) == (1, {}, 0)
    assert _lines(out / "errors.jsonl") == []


def test_names_that_are_not_utf8_are_recorded_escaped(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    gbk_name = os.fsencode(root) + b"/" + "报告.txt".encode("gbk")
    with open(gbk_name, "wb") as f:
        f.write(SEED.encode("utf-8"))
    out = tmp_path / "out"
    summary = run_batch([str(root)], out, BatchSettings(workers=1))
    assert (summary.done, dict(summary.failed)) == (1, {})
    [record] = _lines(out / "records.jsonl")
    assert record["paths"] == [f"{root}/\\xb1\\xa8\\xb8\\xe6.txt"] and record["source"]["path"] == record["paths"][0]
    assert "xb1" in (out / "facts.csv").read_text(encoding="utf-8")


def test_symlinks_out_of_the_tree_are_skipped_and_listed_unless_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SEED, encoding="utf-8")
    root = _tree(tmp_path / "archive", n=1)
    (root / "link.txt").symlink_to(outside / "secret.txt")
    (root / "linked-folder").symlink_to(outside)
    (root / "inside.txt").symlink_to(root / "r0.txt")  # stays in the tree: followed (an identical copy)
    out = tmp_path / "out"
    summary = run_batch([str(root)], out, BatchSettings(workers=1))
    assert (summary.done, summary.duplicates, dict(summary.failed)) == (2, 1, {"SkippedLink": 2})
    assert sorted((os.path.basename(e["path"]), e["error"]) for e in _lines(out / "errors.jsonl")) == [
        ("link.txt", "SkippedLink"),
        ("linked-folder", "SkippedLink"),
    ]
    assert not any("secret" in p or "outside" in p for r in _lines(out / "records.jsonl") for p in r["paths"])
    followed = run_batch([str(root)], tmp_path / "out2", BatchSettings(workers=1, follow_symlinks=True))
    assert (followed.done, followed.duplicates, dict(followed.failed)) == (3, 2, {})  # secret.txt twice


def test_any_output_path_works_and_stale_builds_are_removed(tmp_path):
    root = _tree(tmp_path / "archive", n=1)
    out = tmp_path / "it's out"
    (out / ".build-killed").mkdir(parents=True)
    (out / ".build-killed" / "facts.csv").write_text("half", encoding="utf-8")
    summary = run_batch([str(root)], out, BatchSettings(workers=1))
    assert summary.done == 2
    assert sorted(p.name for p in out.iterdir()) == [
        ".lock",
        "errors.jsonl",
        "facts.csv",
        "facts.parquet",
        "records.jsonl",
        "reports.duckdb",
    ]


def test_cli_exits_non_zero_while_errors_remain(tmp_path):
    root = _tree(tmp_path / "archive", n=1)
    (root / "empty.txt").write_bytes(b"")
    command = [sys.executable, "-m", "extractor.cli", "batch", str(root), "-o", str(tmp_path / "o"), "--workers", "1"]
    first = subprocess.run(command, capture_output=True, text=True)
    again = subprocess.run(command, capture_output=True, text=True)
    assert (first.returncode, again.returncode) == (1, 1)
    assert "failed 0 (none), 1 in errors.jsonl" in again.stderr.splitlines()[-1]
