"""Extract a whole archive: parallel, resumable, bounded per file, never stopped by a bad file.

State lives in the output folder itself: records.jsonl (one line per distinct document, keyed by content hash
and a hash of the installed code and patterns) and errors.jsonl. A run reads them first and extracts only what
is missing, so a run killed at any moment resumes without loss or duplicates. The tables (facts.csv, facts.parquet,
reports.duckdb) are rebuilt from records.jsonl at the end of every run and replaced atomically.

One run at a time holds an exclusive lock on the output folder (a second run is refused and told who holds
it). A run over part of an archive (a sub-folder, another --glob) keeps the records of the files outside its
scope. Failures that may pass (Timeout, MemoryLimit, WorkerCrashed) are tried again on the next run.
"""

from __future__ import annotations

import fcntl
import fnmatch
import hashlib
import os
import shutil
import signal
import socket
import stat
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, jsonio
from .errors import ExtractorError, OutputLocked, shown_path
from .limits import DEFAULT_LIMITS, Limits
from .load import supported_suffixes
from .patterns import patterns_dir

if TYPE_CHECKING:
    from .cluster import DaskPool

RECORDS, ERRORS, LOCK = "records.jsonl", "errors.jsonl", ".lock"
# Failures that depend on the moment (load, memory, a crash) rather than the file: retried by the next run.
TRANSIENT = {"Timeout", "MemoryLimit", "WorkerCrashed"}


@dataclass(frozen=True)
class BatchSettings:
    workers: int = max(1, os.cpu_count() or 1)
    timeout_seconds: float = 120.0
    memory_mb: int = 2048
    glob: str | None = None
    review: bool = False  # also an HTML review page per document, rendered by the worker that extracted it
    cluster: str | None = None  # a Dask scheduler address, or local[:N]; None: local worker processes
    follow_symlinks: bool = False
    limits: Limits = DEFAULT_LIMITS


@dataclass
class Summary:
    total: int = 0
    done: int = 0
    skipped: int = 0
    extract_seconds: float = 0.0
    duplicates: int = 0
    failed: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    errors: int = 0  # lines in errors.jsonl at the end of the run, earlier runs' included

    def line(self) -> str:
        rate = self.done / self.seconds if self.seconds else 0.0
        failed = ", ".join(f"{k} {v}" for k, v in sorted(self.failed.items())) or "none"
        return (
            f"files {self.total}: extracted {self.done}, already done {self.skipped}, identical copies "
            f"{self.duplicates}, failed {sum(self.failed.values())} ({failed}), {self.errors} in {ERRORS}; "
            f"{self.seconds:.1f} s, {rate:.1f} files/s"
        )

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


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _skipped_link(link: Path) -> dict:
    return {
        "path": shown_path(link),
        "error": "SkippedLink",
        "message": f"symbolic link out of the tree to {shown_path(link.resolve())}; --follow-symlinks follows it",
    }


def find_files(roots: list[str], pattern: str | None, follow_symlinks: bool = False) -> tuple[list[Path], list[dict]]:
    """Supported regular files under `roots` whose name matches `pattern`, and the symbolic links skipped
    because they lead out of their tree (followed only with follow_symlinks; link loops are never walked)."""
    suffixes = set(supported_suffixes())
    found, skipped = set(), []

    def consider(path: Path, root: Path) -> None:
        if path.suffix.lower() not in suffixes or (pattern and not fnmatch.fnmatch(path.name, pattern)):
            return
        if path.is_symlink() and not follow_symlinks and not _inside(path.resolve(), root):
            skipped.append(_skipped_link(path))
        elif path.is_file():  # regular files (and links to them): FIFOs, devices and sockets are left alone
            found.add(path)

    for root in map(Path, roots):
        if not root.is_dir():
            consider(root, root.resolve().parent)
            continue
        real_root, seen = root.resolve(), set()
        for folder, dirs, names in os.walk(root, followlinks=follow_symlinks):
            real = Path(folder).resolve()
            if real in seen:  # a link loop, or a folder reached twice through links
                dirs[:] = []
                continue
            seen.add(real)
            dirs.sort()
            for name in sorted(names):
                consider(Path(folder) / name, real_root)
            if follow_symlinks:
                continue
            for name in dirs:
                link = Path(folder) / name
                if link.is_symlink() and not _inside(link.resolve(), real_root):
                    skipped.append(_skipped_link(link))
    return sorted(found), skipped


def _in_scope(path: str, roots: list[str], pattern: str | None) -> bool:
    """Whether a recorded path falls in this run's roots and --glob (so this run decides about it)."""
    if pattern and not fnmatch.fnmatch(os.path.basename(path), pattern):
        return False
    roots = [shown_path(Path(root)) for root in roots]  # as find_files writes them: 'a/' and './a' are 'a'
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def _sha256(path: Path, limits: Limits) -> str:
    """Content hash of a regular file within limits.file_bytes (opened without blocking on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{shown_path(path)}: not a regular file")
        limits.check("file_bytes", info.st_size, shown_path(path), "file size in bytes")
        digest = hashlib.sha256()
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _lock(out: Path) -> int:
    """An exclusive lock on the output folder for this run (released by the kernel even on kill -9)."""
    fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "another process"
        os.close(fd)
        raise OutputLocked(
            str(out), f"in use by another batch run ({holder}); wait for it or choose another -o"
        ) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode())
    return fd


# ---- workers ---------------------------------------------------------------------------------------------


def _worker(connection, memory_mb: int, limits: Limits) -> None:
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
            # data: the file's bytes when the parent has them (a cluster), else None; pages: (first, last) of a
            # scan whose recognised lines alone are wanted (a cluster reads a long scan by page range)
            path, extra, review_page, data, pages = task
            outcome = out_of_memory
            try:
                if pages is not None:
                    from .load.scan import read_scanned_pages

                    first, last = pages
                    connection.send(("ok", read_scanned_pages(data, first, last, path, limits)))
                    continue
                document, report = extract_document(path, limits, data)
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
        process = self.context.Process(
            target=_worker, args=(child, self.settings.memory_mb, self.settings.limits), daemon=True
        )
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

    def submit(
        self,
        worker: dict,
        task,
        extra: dict,
        review_page: Path | None = None,
        data: bytes | None = None,
        pages: tuple[int, int] | None = None,
    ) -> None:
        """Send one file (its bytes too when given); `extra` holds the keys the worker adds to the record
        (batch_version, paths), and the worker writes the document's review page to `review_page` when given.
        With `pages` the worker sends back the OCR'd lines of those pages of the scan `data` instead."""
        worker["task"] = task
        worker["deadline"] = time.monotonic() + self.settings.timeout_seconds
        review = None if review_page is None else str(review_page)
        worker["connection"].send((str(task[0]), extra, review, data, pages))

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
            print(
                self.tqdm.format_meter(
                    self.done, self.total, now - self.started, unit="file", ascii=True, postfix=f"errors={self.errors}"
                ),
                file=sys.stderr,
                flush=True,
            )

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()


def review_page_name(path: str, sha: str) -> str:
    """The review page of a document: named by its file and content, so a resumed batch finds it again."""
    return f"{Path(path).stem}-{sha[:12]}.html"


def _write_review_index(folder: Path, records: list[dict]) -> None:
    from .review import render_index

    entries = [(review_page_name(r["paths"][0], r["source"]["sha256"]), r) for r in records]
    (folder / "index.html").write_text(render_index(entries), encoding="utf-8")


def run_batch(roots: list[str], out: str | Path, settings: BatchSettings = BatchSettings()) -> Summary:
    """Extract every supported file under `roots` into `out`; see the module docstring for what is written.
    Raises OutputLocked when another run holds `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lock = _lock(out)
    try:
        return _run(roots, out, settings)
    finally:
        os.close(lock)


def _run(roots: list[str], out: Path, settings: BatchSettings) -> Summary:
    from .export import write_tables

    started = time.monotonic()
    for stale in out.glob(".build-*"):  # table builds of a killed run: we hold the lock, nobody else builds
        shutil.rmtree(stale, ignore_errors=True)
    version = version_key()
    files, skipped_links = find_files(roots, settings.glob, settings.follow_symlinks)
    summary = Summary(total=len(files))
    by_hash: dict[str, list[str]] = {}  # content hash -> paths as recorded
    real: dict[str, Path] = {}  # path as recorded -> the path to open
    unreadable = [row | {"sha256": None, "version": version} for row in skipped_links]
    summary.failed.update(row["error"] for row in skipped_links)
    for path in files:
        try:
            sha = _sha256(path, settings.limits)
        except (OSError, ExtractorError) as e:
            kind = type(e).__name__ if isinstance(e, ExtractorError) else "Unreadable"
            summary.failed[kind] += 1
            unreadable.append(
                {
                    "path": shown_path(path),
                    "sha256": None,
                    "version": version,
                    "error": kind,
                    "message": getattr(e, "cause", None) or str(e),
                }
            )
            continue
        by_hash.setdefault(sha, []).append(shown_path(path))
        real[shown_path(path)] = path
    current = {(sha, version) for sha in by_hash}

    review = out / "review"
    if settings.review:
        review.mkdir(exist_ok=True)

    def reviewed(record: dict) -> bool:
        page = review / review_page_name(record["paths"][0], record["source"]["sha256"])
        return not settings.review or page.exists()

    def in_scope(path: str) -> bool:
        return _in_scope(path, roots, settings.glob)

    # Keep what is still valid (same content, same extractor version) and whatever lies outside this run's
    # roots and --glob; records of files in scope that changed or went away are dropped.
    records = []
    for r in read_jsonl(out / RECORDS):
        outside = [p for p in r.get("paths") or [r["source"]["path"]] if not in_scope(p)]
        sha = r["source"]["sha256"]
        if (sha, r.get("batch_version")) in current and reviewed(r):
            r["paths"] = by_hash[sha] + [p for p in outside if p not in by_hash[sha]]
        elif outside:
            r["paths"] = outside
        else:
            continue
        records.append(r)
    kept = {r["source"]["sha256"] for r in records}
    errors = [
        e
        for e in read_jsonl(out / ERRORS)
        if e.get("sha256") not in kept
        and e.get("error") not in TRANSIENT
        and ((e.get("sha256"), e.get("version")) in current or not in_scope(e["path"]))
    ]
    _rewrite_jsonl(out / RECORDS, records)
    _rewrite_jsonl(out / ERRORS, errors + unreadable)
    finished = kept | {e["sha256"] for e in errors if e.get("sha256")}
    summary.skipped = sum(len(paths) for sha, paths in by_hash.items() if sha in finished)
    todo = [(paths[0], sha) for sha, paths in by_hash.items() if sha not in finished]
    summary.duplicates = sum(len(paths) - 1 for sha, paths in by_hash.items() if sha not in finished)

    pool: _Pool | DaskPool
    if settings.cluster:
        from .cluster import DaskPool

        pool = DaskPool(settings)
    else:
        pool = _Pool(
            BatchSettings(
                workers=max(1, min(settings.workers, len(todo) or 1)),
                timeout_seconds=settings.timeout_seconds,
                memory_mb=settings.memory_mb,
                review=settings.review,
                limits=settings.limits,
            )
        )
    progress = _Progress(len(todo))
    queue = list(reversed(todo))
    record_lines, error_lines = _Appender(out / RECORDS), _Appender(out / ERRORS)
    extract_started = time.monotonic()
    try:
        while queue or any(w["task"] is not None for w in pool.workers):
            for worker in pool.idle():
                if queue:
                    todo_path, sha = queue.pop()
                    pool.submit(
                        worker,
                        (real[todo_path], sha),
                        {"batch_version": version, "paths": by_hash[sha]},
                        review / review_page_name(by_hash[sha][0], sha) if settings.review else None,
                    )
            for (done_path, sha), status, payload in pool.results():
                if status == "ok":
                    record_lines.line(payload)
                    summary.done += 1
                else:
                    kind, message = payload
                    error_lines.row(
                        {
                            "path": shown_path(done_path),
                            "paths": by_hash[sha],
                            "sha256": sha,
                            "version": version,
                            "error": kind,
                            "message": message,
                        }
                    )
                    summary.failed[kind] += 1
                progress.advance(status != "ok")
    finally:
        summary.extract_seconds = time.monotonic() - extract_started
        pool.close()
        record_lines.close()
        error_lines.close()
        progress.finish()
    records = read_jsonl(out / RECORDS)
    write_tables(out, records, {r["source"]["sha256"]: r.get("paths") or [r["source"]["path"]] for r in records})
    summary.errors = len(read_jsonl(out / ERRORS))
    if settings.review:
        _write_review_index(review, records)
    summary.seconds = time.monotonic() - started
    return summary
