"""extractor compare: department x year tables from a batch's DuckDB store, with empty cells, conflicts and plots."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from extractor.batch import BatchSettings, run_batch
from extractor.compare import cjk_font
from extractor.meta import department_key

sys.path.insert(0, str(ROOT / "scripts"))
from generate_corpus import DEPARTMENTS, write_corpus  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("compare")
    files = write_corpus(tmp / "in", DEPARTMENTS[:3], [2021, 2022, 2023], ["txt"], seed=7)
    files[-1].unlink()  # the last department has no 2023 report: its cell must stay empty
    conflicting = files[0].read_text(encoding="utf-8").replace("完成预算安排的", "完成预算安排的1", 1)
    (tmp / "in" / "copy-with-another-rate.txt").write_text(conflicting, encoding="utf-8")
    run_batch([str(tmp / "in")], tmp / "out", BatchSettings(workers=2))
    return tmp / "out"


def _compare(*args):
    return subprocess.run(
        [sys.executable, "-m", "extractor.cli", "compare", *map(str, args)], capture_output=True, text=True
    )


def _expected(store: Path, field: str) -> dict:
    cells: dict = {}
    for line in (store / "records.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        key = (record["report"]["department_key"], str(record["report"]["fiscal_year"]["value"]))
        for fact in record["facts"]:
            if fact["field"] == field:
                cells.setdefault(key, set()).add(fact["value"])
    return cells


def test_table_matches_the_records(store):
    result = _compare(store, "--field", "budget.basic.execution_rate", "--csv")
    assert result.returncode == 0, result.stderr
    lines = [line.split(",") for line in result.stdout.strip().splitlines()]
    assert lines[0] == ["department \\ year", "2021", "2022", "2023"]
    expected = _expected(store, "budget.basic.execution_rate")
    for department, *cells in lines[1:]:
        for year, cell in zip(lines[0][1:], cells):
            values = sorted(expected.get((department, year), set()))
            assert cell == " / ".join(f"{v:g}" for v in values)
    rows = {line[0]: line[1:] for line in lines[1:]}
    assert rows[department_key(DEPARTMENTS[2])][2] == ""  # no report: empty, never 0
    assert " / " in rows[department_key(DEPARTMENTS[0])][0]  # two reports disagree: both values shown


def test_by_year_transposes(store):
    by_department = _compare(store, "--field", "evaluation.total_score", "--csv").stdout.strip().splitlines()
    by_year = _compare(store, "--field", "evaluation.total_score", "--by", "year", "--csv").stdout.strip().splitlines()
    grid = [line.split(",") for line in by_department]
    transposed = [",".join(column) for column in zip(*grid)]
    assert by_year[1:] == transposed[1:]


def test_plot_is_written_with_a_cjk_font(store, tmp_path):
    result = _compare(store, "--field", "budget.basic.execution_rate", "--plot", tmp_path / "rates.png")
    assert result.returncode == 0
    assert (tmp_path / "rates.png").stat().st_size > 10_000
    if cjk_font() is None:
        assert "no CJK font" in result.stderr
    else:
        assert result.stderr == ""


def test_missing_store_is_a_clear_error(tmp_path):
    result = _compare(tmp_path / "nothing", "--field", "budget.basic.execution_rate")
    assert result.returncode == 2 and "no DuckDB store" in result.stderr
