"""Extract a whole archive: parallel, resumable, bounded per file, never stopped by a bad file.

State lives in the output folder itself: records.jsonl (one line per distinct document, keyed by content hash
and a hash of the installed code and patterns) and errors.jsonl. A run reads them first and extracts only what
is missing, so a run killed at any moment resumes without loss or duplicates. The tables (facts.csv, facts.parquet,
reports.duckdb) are rebuilt from records.jsonl at the end of every run and replaced atomically.
"""
from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import wait
from pathlib import Path

from . import __version__, jsonio
from .load import supported_suffixes
from .patterns import patterns_dir

RECORDS, ERRORS = "records.jsonl", "errors.jsonl"


@dataclass(frozen=True)
class BatchSettings:
    workers: int = max(1, os.cpu_count() or 1)
    timeout_seconds: float = 120.0
    memory_mb: int = 2048
    glob: str | None = None
    review: bool = False  # also an HTML review page per document, rendered by the worker that extracted it
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
                f"{self.duplicates}, failed {sum(self.failed.values())} ({failed}); {self.seconds:.1f} s, "
                f"{rate:.1f} files/s")

    def extraction_rate(self) -> float:
        """Documents per second while extracting (start-up and the final tables left out)."""
        finished = self.done + sum(self.failed.values())
        return finished / self.extract_seconds if self.extract_seconds else 0.0


def version_key(code: Path = Path(__file__).parent, patterns: Path | None = None) -> str:
    """Changes whenever the installed code or its patterns change, so a resumed batch re-extracts everything.

    Hashes every .py file of the package as installed (not only the version, which a code edit may not bump).
    """
    digest = hashlib.sha256(__version__.encode())
    for root, pattern in ((code, "**/*.py"), (patterns or patterns_dir(), "*.toml")):
        for path in sorted(root.glob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode())
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
    from .pipeline import extract_document

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out_of_memory: tuple[str, object] = ("error", ("MemoryLimit", f"needed more than {memory_mb} MB"))
    try:
        connection.send("ready")  # imports done: the pool starts its clock and its work after this
        while True:
            task = connection.recv()
            if task is None:
                return
            # data: the file's bytes when the parent has them (a cluster), else None
            path, extra, review_page, data = task
            outcome = out_of_memory
            try:
                document, report = extract_document(path, data)
                if review_page is not None:
                    from .review import render_page

                    Path(review_page).write_text(render_page(document, report), encoding="utf-8")
                # The record line as stored: the parent appends it as it comes, without parsing it again.
                outcome = ("ok", jsonio.dumps(report.model_dump() | extra))
                connection.send(outcome)
                continue
            except ExtractorError as e:
                outcome = ("error", (type(e).__name__, e.cause))
            except (MemoryError, SystemError):
                # A C extension whose allocation fails under the address-space limit may return NULL without
                # setting MemoryError ("error return without exception set"): the same out-of-memory.
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

    def submit(self, worker: dict, task, extra: dict, review_page: Path | None = None,
               data: bytes | None = None) -> None:
        """Send one file (its bytes too when given); `extra` holds the keys the worker adds to the record
        (batch_version, paths), and the worker writes the document's review page to `review_page` when given."""
        worker["task"] = task
        worker["deadline"] = time.monotonic() + self.settings.timeout_seconds
        worker["connection"].send((str(task[0]), extra, None if review_page is None else str(review_page), data))

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
                rows.append(jsonio.loads(line))
            except ValueError:  # json.JSONDecodeError and UnicodeDecodeError
                break
    return rows


def _rewrite_jsonl(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(jsonio.dumps(row) + "\n")
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
        self.line(jsonio.dumps(row))

    def close(self) -> None:
        os.fsync(self.fd)
        os.close(self.fd)


class _Progress:
    """tqdm's bar on a terminal; its same meter as a plain log line every few seconds when stderr is a file."""

    def __init__(self, total: int):
        from tqdm import tqdm

        self.tqdm, self.total, self.done, self.errors = tqdm, total, 0, 0
        self.started = self.last_log = time.monotonic()
        self.bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True) if sys.stderr.isatty() else None

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.errors += int(failed)
        if self.bar is not None:
            self.bar.set_postfix(errors=self.errors, refresh=False)
            self.bar.update()
            return
        now = time.monotonic()
        if now - self.last_log >= 5 or self.done == self.total:
            self.last_log = now
            print(self.tqdm.format_meter(self.done, self.total, now - self.started, unit="file", ascii=True,
                                         postfix=f"errors={self.errors}"), file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()


def review_page_name(path: str, sha: str) -> str:
    """The review page of a document: named by its file and content, so a resumed batch finds it again."""
    return f"{Path(path).stem}-{sha[:12]}.html"


def _write_review_index(folder: Path, records: list[dict]) -> None:
    from .record import Report
    from .review import render_index

    entries = []
    for record in records:
        page = review_page_name(record["paths"][0], record["source"]["sha256"])
        fields = {k: v for k, v in record.items() if k in Report.model_fields}
        entries.append((page, Report.model_validate(fields)))
    (folder / "index.html").write_text(render_index(entries), encoding="utf-8")


def run_batch(roots: list[str], out: str | Path, settings: BatchSettings = BatchSettings()) -> Summary:
    """Extract every supported file under `roots` into `out`; see the module docstring for what is written."""
    from .export import write_tables

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

    review = out / "review"
    if settings.review:
        review.mkdir(exist_ok=True)

    def reviewed(record: dict) -> bool:
        page = review / review_page_name(record["paths"][0], record["source"]["sha256"])
        return not settings.review or page.exists()

    # Keep what is still valid: same content, same extractor version, its review page if one is asked for.
    # Everything else is redone.
    records = [r for r in read_jsonl(out / RECORDS)
               if (r["source"]["sha256"], r.get("batch_version")) in current and reviewed(r)]
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
                                   timeout_seconds=settings.timeout_seconds, memory_mb=settings.memory_mb,
                                   review=settings.review))
    progress = _Progress(len(todo))
    queue = list(reversed(todo))
    record_lines, error_lines = _Appender(out / RECORDS), _Appender(out / ERRORS)
    extract_started = time.monotonic()
    try:
        while queue or any(w["task"] is not None for w in pool.workers):
            for worker in pool.idle():
                if queue:
                    source, sha = queue.pop()
                    pool.submit(worker, (source, sha), {"batch_version": version, "paths": by_hash[sha]},
                                review / review_page_name(by_hash[sha][0], sha) if settings.review else None)
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
    records = read_jsonl(out / RECORDS)
    write_tables(out, records, by_hash)
    if settings.review:
        _write_review_index(review, records)
    summary.seconds = time.monotonic() - started
    return summary
