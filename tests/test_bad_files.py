"""The bad-file corpus (tests/make_bad_files.py): each file ends in its exact error kind or a record that
keeps its text, in its own process within 60 s and 1 GB peak memory; the CLI over all of them prints one
line per bad file, no traceback, and the records of the good ones."""

import json
import subprocess
import sys
import time

import pytest
from make_bad_files import make_bad_files

SECONDS, PEAK_MB = 60, 1024
# Runs one case in a fresh process and reports what happened and the process's peak memory.
RUNNER = """
import json, resource, sys
from extractor import extract
from extractor.errors import ExtractorError
path, keeps = sys.argv[1], json.loads(sys.argv[2])
try:
    report = extract(path)
    outcome = {"kind": "ok", "missing": [k for k in keeps if k not in report.text]}
except ExtractorError as e:
    outcome = {"kind": type(e).__name__, "message": str(e)}
outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(outcome, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    return folder, {case.file: case for case in make_bad_files(folder)}


CASES = [case for case in make_bad_files.__globals__["_files"]()]  # (Case, bytes) at collection: names only
CASE_FILES = [case.file for case, _ in CASES]


@pytest.mark.parametrize("file", CASE_FILES, ids=[case.name for case, _ in CASES])
def test_bad_file_ends_in_its_error_within_time_and_memory(corpus, file):
    folder, cases = corpus
    case = cases[file]
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(folder / file), json.dumps(case.keeps)],
        capture_output=True,
        text=True,
        timeout=SECONDS,
    )
    seconds = time.monotonic() - started
    assert "Traceback" not in result.stderr, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["kind"] == case.kind, outcome
    if case.kind == "ok":
        assert outcome["missing"] == []
    else:
        assert outcome["message"].startswith(f"{folder / file}: ") and case.cause in outcome["message"]
        assert "\n" not in outcome["message"]
    assert seconds < SECONDS and outcome["peak_mb"] < PEAK_MB, (seconds, outcome["peak_mb"])


def test_cli_over_every_bad_file_prints_one_line_each_and_the_good_records(corpus):
    folder, cases = corpus
    files = [str(folder / name) for name in cases]
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "extract", *files], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    failed = sorted(line.split(": ", 2)[1] for line in result.stderr.strip().splitlines())
    assert failed == sorted(str(folder / name) for name, case in cases.items() if case.kind != "ok")
    assert len(result.stdout.splitlines()) == sum(case.kind == "ok" for case in cases.values())
