"""Extract a whole archive: parallel, resumable, bounded per file, never stopped by a bad file.

State lives in the output folder itself: records.jsonl (one line per distinct document, keyed by content hash
and extractor version) and errors.jsonl. A run reads them first and extracts only what is missing, so a run
killed at any moment resumes without loss or duplicates. The tables (facts.csv, facts.parquet,
reports.duckdb) are rebuilt from records.jsonl at the end of every run and replaced atomically.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import wait
from pathlib import Path

from . import __version__
from .load import supported_suffixes
from .patterns import patterns_dir

RECORDS, ERRORS = "records.jsonl", "errors.jsonl"


@dataclass(frozen=True)
class BatchSettings:
    workers: int = max(1, os.cpu_count() or 1)
    timeout_seconds: float = 120.0
    memory_mb: int = 2048
    glob: str | None = None
    cluster: str | None = None  # a Dask scheduler address, or local[:N]; None: local worker processes


@dataclass
class Summary:
    total: int = 0
    done: int = 0
    skipped: int = 0
    extract_seconds: float = 0.0
    duplicates: int = 0
    failed: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.done / self.seconds if self.seconds else 0.0
        failed = ", ".join(f"{k} {v}" for k, v in sorted(self.failed.items())) or "none"
        return (f"files {self.total}: extracted {self.done}, already done {self.skipped}, identical copies "
                f"{self.duplicates}, failed {sum(self.failed.values())} ({failed}); {self.seconds:.1f} s, {rate:.1f} files/s")

    def extraction_rate(self) -> float:
        """Documents per second while extracting (start-up and the final tables left out)."""
        finished = self.done + sum(self.failed.values())
        return finished / self.extract_seconds if self.extract_seconds else 0.0


def version_key() -> str:
    """Changes whenever the extractor or its patterns change, so a new version re-extracts everything."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(patterns_dir().glob("*.toml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def find_files(roots: list[str], pattern: str | None) -> list[Path]:
    suffixes = set(supported_suffixes())
    found = []
    for root in map(Path, roots):
        candidates = [root] if root.is_file() else root.rglob(pattern or "*")
        found += [p for p in candidates if p.is_file() and p.suffix.lower() in suffixes]
    return sorted(set(found))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---- workers ---------------------------------------------------------------------------------------------

def _worker(connection, memory_mb: int) -> None:
    """Extract files sent over `connection` until told to stop; a memory cap bounds each worker.

    A worker that ran out of memory reports it and exits (its heap may be left in a bad state); the pool
    starts a fresh one. Nothing a worker does may print a traceback to the user's terminal.
    """
    import resource

    from .errors import ExtractorError
    from .pipeline import extract

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out_of_memory = ("error", ("MemoryLimit", f"needed more than {memory_mb} MB"))
    try:
        connection.send("ready")  # imports done: the pool starts its clock and its work after this
        while True:
            task = connection.recv()
            if task is None:
                return
            path, extra, data = task  # data: the file's bytes when the parent has them (a cluster), else None
            outcome = out_of_memory
            try:
                # The record line as stored: the parent appends it as it comes, without parsing it again.
                outcome = ("ok", extract(path, data).model_dump_json()[:-1] + extra)
                connection.send(outcome)
                continue
            except ExtractorError as e:
                outcome = ("error", (type(e).__name__, e.cause))
            except MemoryError:
                outcome = out_of_memory  # sent below, once the traceback and its large frames are gone
            except Exception as e:  # a bug must cost one file, not the batch
                outcome = ("error", ("InternalError", f"{type(e).__name__}: {e}"))
            connection.send(outcome)
            if outcome is out_of_memory:
                return
    except BaseException:  # the parent went away, or even the error could not be sent: leave quietly
        os._exit(1)


class _Pool:
    """Worker processes that can be killed one at a time (timeouts, crashes) while the others go on."""

    def __init__(self, settings: BatchSettings):
        self.settings = settings
        # spawn, not fork: a worker starts clean, so its memory limit measures its own work, not the parent's.
        self.context = get_context("spawn")
        self.workers: list[dict] = [self._start() for _ in range(settings.workers)]
        for worker in self.workers:
            self._ready(worker)

    def _start(self) -> dict:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.settings.memory_mb), daemon=True)
        process.start()
        child.close()
        return {"process": process, "connection": parent, "task": None, "deadline": None}

    @staticmethod
    def _ready(worker: dict) -> None:
        """Wait for a new worker's 'ready' (its imports done); a worker that dies first is left to idle()."""
        try:
            worker["connection"].recv()
        except (EOFError, ConnectionError):
            pass

    def idle(self) -> list[dict]:
        for worker in [w for w in self.workers if w["task"] is None and not w["process"].is_alive()]:
            self._replace(worker)
        return [w for w in self.workers if w["task"] is None]

    def submit(self, worker: dict, task, extra: str, data: bytes | None = None) -> None:
        """Send one file (its bytes too when given); `extra` is JSON text the worker appends to the record."""
        worker["task"] = task
        worker["deadline"] = time.monotonic() + self.settings.timeout_seconds
        worker["connection"].send((str(task[0]), extra, data))

    def _replace(self, worker: dict) -> None:
        worker["process"].kill()
        worker["process"].join()
        successor = self._start()
        self._ready(successor)
        self.workers[self.workers.index(worker)] = successor

    def results(self, poll: float = 0.2):
        """Finished tasks as (task, status, payload); timeouts and crashed workers become errors."""
        busy = [w for w in self.workers if w["task"] is not None]
        ready = wait([w["connection"] for w in busy], timeout=poll)
        out = []
        for worker in busy:
            task = worker["task"]
            if worker["connection"] in ready:
                try:
                    status, payload = worker["connection"].recv()
                except (EOFError, ConnectionError):
                    status, payload = "error", ("WorkerCrashed", "the worker process died while extracting")
                    self._replace(worker)
                else:
                    worker["task"] = None
                    if status == "error" and payload[0] == "MemoryLimit":
                        self._replace(worker)  # it exits after reporting; start its successor now
                out.append((task, status, payload))
            elif time.monotonic() > worker["deadline"]:
                out.append((task, "error", ("Timeout", f"took over {self.settings.timeout_seconds:g} s")))
                self._replace(worker)
        return out

    def close(self) -> None:
        for worker in self.workers:
            if worker["process"].is_alive():
                if worker["task"] is None:
                    worker["connection"].send(None)
                    worker["process"].join(timeout=2)
                worker["process"].kill()


# ---- state -----------------------------------------------------------------------------------------------

def read_jsonl(path: Path) -> list[dict]:
    """Complete lines of a JSON Lines file; a torn last line (killed mid-write) is dropped."""
    if not path.exists():
        return []
    rows = []
    with path.open("rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                break
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                break
    return rows


def _rewrite_jsonl(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class _Appender:
    """JSON Lines appended one write(2) per line on an O_APPEND file: a killed process leaves whole lines
    (what it wrote is in the page cache and reaches the disk); a torn line can only come from a machine
    crash, and resuming drops it. fsync once at the end."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def line(self, text: str) -> None:
        os.write(self.fd, (text + "\n").encode("utf-8"))

    def row(self, row: dict) -> None:
        self.line(json.dumps(row, ensure_ascii=False))

    def close(self) -> None:
        os.fsync(self.fd)
        os.close(self.fd)


class _Progress:
    """A progress line on a terminal; plain log lines every few seconds when stderr is a file or pipe."""

    def __init__(self, total: int):
        self.total, self.done, self.errors = total, 0, 0
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.last_log = 0.0

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.errors += int(failed)
        now = time.monotonic()
        if not self.tty and now - self.last_log < 5 and self.done < self.total:
            return
        self.last_log = now
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        line = (f"[{self.done}/{self.total}] {rate:.1f} files/s, {self.errors} errors, ETA {eta:.0f} s")
        if self.tty:
            width = 30
            filled = int(width * self.done / self.total) if self.total else width
            print(f"\r{'#' * filled}{'.' * (width - filled)} {line}", end="", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def run_batch(roots: list[str], out: str | Path, settings: BatchSettings = BatchSettings()) -> Summary:
    """Extract every supported file under `roots` into `out`; see the module docstring for what is written."""
    from .tables import write_tables

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    version = version_key()
    files = find_files(roots, settings.glob)
    summary = Summary(total=len(files))
    by_hash: dict[str, list[str]] = {}
    unreadable = []
    for path in files:
        try:
            by_hash.setdefault(_sha256(path), []).append(str(path))
        except OSError as e:
            summary.failed["Unreadable"] += 1
            unreadable.append({"path": str(path), "sha256": None, "version": version, "error": "Unreadable",
                               "message": str(e)})
    current = {(sha, version) for sha in by_hash}

    # Keep what is still valid: same content, same extractor version. Everything else is redone.
    records = [r for r in read_jsonl(out / RECORDS) if (r["source"]["sha256"], r.get("batch_version")) in current]
    errors = [e for e in read_jsonl(out / ERRORS) if (e.get("sha256"), e.get("version")) in current]
    _rewrite_jsonl(out / RECORDS, records)
    _rewrite_jsonl(out / ERRORS, errors + unreadable)
    finished = {r["source"]["sha256"] for r in records} | {e["sha256"] for e in errors}
    summary.skipped = sum(len(by_hash[sha]) for sha in finished)
    todo = [(paths[0], sha) for sha, paths in by_hash.items() if sha not in finished]
    summary.duplicates = sum(len(paths) - 1 for sha, paths in by_hash.items() if sha not in finished)

    if settings.cluster:
        from .cluster import DaskPool

        pool = DaskPool(settings)
    else:
        pool = _Pool(BatchSettings(workers=max(1, min(settings.workers, len(todo) or 1)),
                                   timeout_seconds=settings.timeout_seconds, memory_mb=settings.memory_mb))
    progress = _Progress(len(todo))
    queue = list(reversed(todo))
    record_lines, error_lines = _Appender(out / RECORDS), _Appender(out / ERRORS)
    extract_started = time.monotonic()
    try:
        while queue or any(w["task"] is not None for w in pool.workers):
            for worker in pool.idle():
                if queue:
                    path, sha = queue.pop()
                    extra = f',"batch_version":"{version}","paths":{json.dumps(by_hash[sha], ensure_ascii=False)}}}'
                    pool.submit(worker, (path, sha), extra)
            for (path, sha), status, payload in pool.results():
                if status == "ok":
                    record_lines.line(payload)
                    summary.done += 1
                else:
                    kind, message = payload
                    error_lines.row({"path": path, "paths": by_hash[sha], "sha256": sha, "version": version,
                                     "error": kind, "message": message})
                    summary.failed[kind] += 1
                progress.advance(status != "ok")
    finally:
        summary.extract_seconds = time.monotonic() - extract_started
        pool.close()
        record_lines.close()
        error_lines.close()
        progress.finish()
    write_tables(out, read_jsonl(out / RECORDS), by_hash)
    summary.seconds = time.monotonic() - started
    return summary
