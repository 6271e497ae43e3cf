"""extractor batch --cluster: a real `dask scheduler` and two `dask worker` processes on free localhost ports give
the local batch's rows, survive a killed worker and a killed client, and read a scan by page range."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import CORPUS, ROOT
from extractor.batch import BatchSettings, run_batch

sys.path.insert(0, str(ROOT / "scripts"))
from make_scans import font_path, make_scan  # noqa: E402

DASK = Path(sys.executable).with_name("dask")
SEED = (CORPUS / "seed.txt").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(address, worker processes): a scheduler and two single-thread workers, each worker in a folder of its
    own, so relative paths given to the client do not resolve there (files must travel as bytes)."""
    distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    folder = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
            cwd=folder,
            **quiet,
        )
    ]
    try:
        for name in ("w1", "w2"):
            (folder / name).mkdir()
            processes.append(
                subprocess.Popen(
                    [
                        DASK,
                        "worker",
                        address,
                        "--name",
                        name,
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--death-timeout",
                        "30",
                    ],
                    cwd=folder / name,
                    **quiet,
                )
            )
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, processes[1:]
    finally:
        for process in reversed(processes):
            _stop(process)


def _rows(out: Path) -> dict:
    """Every output as sorted rows: the JSON Lines files, facts.csv and each DuckDB table."""
    rows = {
        name: sorted(
            json.dumps(json.loads(line), sort_keys=True)
            for line in (out / name).read_text(encoding="utf-8").splitlines()
        )
        for name in ("records.jsonl", "errors.jsonl")
    }
    rows["facts.csv"] = sorted((out / "facts.csv").read_text(encoding="utf-8").splitlines())
    with duckdb.connect(str(out / "reports.duckdb"), read_only=True) as con:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            rows[table] = sorted(map(repr, con.execute(f"SELECT * FROM {table}").fetchall()))
    return rows


def _mixed_tree(root: Path, variants: int) -> None:
    (root / "2023").mkdir(parents=True)
    shutil.copy(CORPUS / "seed.txt", root / "seed.txt")
    shutil.copy(CORPUS / "seed.docx", root / "2023" / "seed.docx")
    shutil.copy(CORPUS / "seed.txt", root / "2023" / "same-as-seed.txt")
    for i in range(variants):
        (root / "2023" / f"variant{i:03}.txt").write_text(SEED + f"\n附注{i}：本年度第{i}号。", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "corrupt.docx").write_bytes((CORPUS / "seed.docx").read_bytes()[:2000])
    (root / "fake.pdf").write_bytes(b"%PDF-1.4 not really")


def _wait_for_records(records: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline
        and process.poll() is None
        and (not records.exists() or records.read_bytes().count(b"\n") < count)
    ):
        time.sleep(0.02)


def test_scan_is_read_by_page_range_on_both_workers(cluster, tmp_path):
    from extractor.load import scan as ocr

    if not ocr.available() or font_path() is None:
        pytest.skip("needs the [ocr] extra and a CJK font (fonts-wqy-microhei)")
    address, _ = cluster
    archive = tmp_path / "archive"
    archive.mkdir()
    lines = SEED.splitlines()
    make_scan(f"{lines[0]}\n{lines[23]}" + "\n" * 45 + lines[35], archive / "scan.pdf", dpi=150)  # 2 short pages
    run_batch([str(archive)], tmp_path / "cluster", BatchSettings(cluster=address))
    run_batch([str(archive)], tmp_path / "local", BatchSettings(workers=1))
    assert _rows(tmp_path / "cluster") == _rows(tmp_path / "local")
    [record] = [json.loads(line) for line in (tmp_path / "cluster" / "records.jsonl").read_text().splitlines()]
    assert {q["page"] for q in record["quantities"]} == {1, 2}
    from distributed import Client

    def ranges_read(dask_worker) -> int:
        log = dask_worker.state.log
        return len(
            {entry[0] for entry in log if "read_pages" in str(entry[0]) and entry[1:3] == ("executing", "memory")}
        )

    with Client(address, timeout=30) as client:  # each worker read one page, its OCR on one core
        ranges = client.run(ranges_read)
        threads = client.run(lambda: os.environ["OMP_NUM_THREADS"])
    assert sorted(ranges.values()) == [1, 1]
    assert sorted(threads.values()) == ["1", "1"]


def test_killed_worker_and_client_lose_nothing_and_duplicate_nothing(cluster, tmp_path, monkeypatch):
    address, workers = cluster
    _mixed_tree(tmp_path / "archive", variants=150)
    # Relative paths: the workers run in other folders, so every file reaches them as bytes.
    command = [sys.executable, "-m", "extractor.cli", "batch", "archive", "-o", "cluster", "--cluster", address]
    client = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        records = tmp_path / "cluster" / "records.jsonl"
        _wait_for_records(records, 10, client)
        workers[0].send_signal(signal.SIGKILL)  # a worker dies mid-run: its files are done by the other
        _wait_for_records(records, 40, client)
        client.send_signal(signal.SIGKILL)  # then the client: the same command resumes
        client.wait(timeout=10)
        records_before = records.read_bytes().count(b"\n")
        assert 40 <= records_before < 152  # 152 distinct reports (seed.txt has a copy), 4 bad files
        resumed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    finally:
        _stop(client)
    assert resumed.returncode == 1, resumed.stderr  # the bad files
    assert f"files 157: extracted {152 - records_before}," in resumed.stderr.splitlines()[-1]
    monkeypatch.chdir(tmp_path)
    run_batch(["archive"], "local", BatchSettings(workers=2))
    assert _rows(tmp_path / "cluster") == _rows(tmp_path / "local")
    errors = {(row["path"], row["error"]) for row in map(json.loads, _rows(tmp_path / "local")["errors.jsonl"])}
    assert errors == {
        ("archive/empty.txt", "EmptyDocument"),
        ("archive/binary.txt", "UndecodableText"),
        ("archive/corrupt.docx", "CorruptDocument"),
        ("archive/fake.pdf", "CorruptDocument"),
    }


def test_missing_dask_names_the_extra(monkeypatch):
    from extractor.cluster import ClusterError, connect

    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # what an install without the extra sees
    with pytest.raises(ClusterError) as error:
        connect("local:1")
    assert str(error.value) == "--cluster needs Dask, an optional extra: pip install 'budget-report-extractor[dask]'"


def test_unreachable_scheduler_is_a_one_line_error(tmp_path):
    pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    shutil.copy(CORPUS / "seed.txt", tmp_path / "seed.txt")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "extractor.cli",
            "batch",
            str(tmp_path / "seed.txt"),
            "-o",
            str(tmp_path / "out"),
            "--cluster",
            f"tcp://127.0.0.1:{_free_port()}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("extractor: batch: cannot reach a Dask scheduler at tcp://127.0.0.1:")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "address, message",
    [
        ("local:0", "--cluster local:0: expected local or local:N with N workers, e.g. local:4"),
        ("local:x", "--cluster local:x: expected local or local:N with N workers, e.g. local:4"),
    ],
)
def test_bad_local_cluster_size_is_refused(tmp_path, address, message):
    pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    from extractor.cluster import ClusterError, connect

    with pytest.raises(ClusterError) as error:
        connect(address)
    assert str(error.value) == message


def test_worker_with_another_version_is_refused(cluster, monkeypatch):
    from extractor.batch import version_key
    from extractor.cluster import ClusterError, DaskPool

    address, _ = cluster
    ours = version_key()
    monkeypatch.setattr("extractor.cluster.version_key", lambda: "0000000000000000")  # the client's, not the workers'
    with pytest.raises(ClusterError) as error:
        DaskPool(BatchSettings(cluster=address))
    assert str(error.value).startswith("the Dask worker at tcp://127.0.0.1:")
    assert str(error.value).endswith(
        f"runs another extractor version or other patterns ({ours}, here "
        "0000000000000000); install the same version on every worker"
    )


@pytest.mark.parametrize(
    "pages, threads, ranges",
    [
        (20, 2, [(0, 5), (5, 10), (10, 15), (15, 20)]),
        (13, 2, [(0, 7), (7, 13)]),
        (4, 2, [(0, 2), (2, 4)]),
        (20, 1, [(0, 7), (7, 14), (14, 20)]),
        (3, 4, [(0, 1), (1, 2), (2, 3)]),
        (300, 8, [(i, min(i + 8, 300)) for i in range(0, 300, 8)]),
    ],
)
def test_page_ranges_are_even_over_the_threads(pages, threads, ranges):
    """A scan's pages are cut into ranges of even size, as many as a multiple of the threads, at most 8 pages."""
    from extractor.cluster import page_ranges

    assert page_ranges(pages, threads) == ranges
