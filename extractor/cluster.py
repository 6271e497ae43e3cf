"""`extractor batch --cluster`: the same run_batch (state, resume, tables) with a Dask cluster in place of the
local worker processes.

The client (the machine running `extractor batch`) walks the tree, keeps the state and writes every output file
itself, exactly as the local batch does; the cluster only extracts and sends each record line back. On a Dask
worker every thread keeps one extraction process of the local batch's kind (same time limit, memory cap and
error kinds). A worker reads a file by its path when its copy has the client's content hash (a shared
filesystem) and otherwise asks for the bytes. A scan of several pages is read as page ranges on many workers
and its record built once all are read.
"""

from __future__ import annotations

import hashlib
import logging
import math
import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import cast

from . import jsonio
from .batch import BatchSettings, _Pool, version_key
from .errors import ExtractorError
from .load import read_file

# A long scan is cut into ranges of at most this many pages, of even size over the cluster's threads.
MAX_PAGES_PER_TASK = 8
# Files per Dask task (Dask's own cost per task is shared by them), and tasks in flight per cluster thread.
FILES_PER_TASK = 16
TASKS_PER_THREAD = 2

_local = threading.local()
KILLED = "killed"  # the answer of a task that Dask gave up on: every worker running it died


class ClusterError(Exception):
    """The cluster cannot be reached or was lost; str() is the one-line message shown to users."""


def connect(address: str):
    """(client, cluster or None) for `tcp://host:port`, or for `local[:N]`: an in-process LocalCluster of N."""
    try:
        import dask
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(
            "--cluster needs Dask, an optional extra: pip install 'budget-report-extractor[dask]'"
        ) from None
    # Dask logs a lost connection with tracebacks on the client's terminal; a ClusterError says it in one line.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    name, _, count = address.partition(":")
    if name == "local":
        if count and not (count.isdigit() and int(count) > 0):
            raise ClusterError(f"--cluster {address}: expected local or local:N with N workers, e.g. local:4")
        # Without a dashboard nobody sees the workers' profiler, which samples every task thread each 10 ms.
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(
                n_workers=int(count or os.cpu_count() or 1),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        return Client(cluster), cluster
    try:
        return Client(address), None  # waits distributed.comm.timeouts.connect (Dask's config, 30 s)
    except (OSError, TimeoutError, ValueError) as e:
        raise ClusterError(f"cannot reach a Dask scheduler at {address}: {e}") from None


class DaskPool:
    """batch._Pool's interface (idle slots, submit, results, close) over a Dask cluster. A slot is a file in
    flight; files go out in tasks of FILES_PER_TASK, TASKS_PER_THREAD per cluster thread, so the per-task cost
    of Dask is shared and no worker waits for the client. The threads are counted again as workers come and go."""

    def __init__(self, settings: BatchSettings):
        self.settings = settings
        assert settings.cluster is not None  # run_batch makes a DaskPool only for a --cluster address
        self.client, self.cluster = connect(settings.cluster)
        self.workers: list[dict] = []
        self.threads, self.counted = 1, 0.0
        self._warm()

    def _warm(self) -> None:
        """Start the extraction process of every worker now (like the local pool's start), not on its first
        file, and refuse workers whose extractor or patterns differ from the client's (their records would)."""
        addresses = list(self.client.nthreads())
        warm = [
            self.client.submit(
                start_extraction,
                self.settings.timeout_seconds,
                self.settings.memory_mb,
                workers=[address],
                allow_other_workers=True,
                pure=False,
            )
            for address in addresses
        ]
        ours = version_key()
        try:
            versions = self.client.gather(warm)
        except Exception as e:
            self.close()
            raise ClusterError(f"the Dask workers cannot start extracting: {type(e).__name__}: {e}") from None
        for address, theirs in zip(addresses, versions):
            if theirs != ours:
                self.close()
                raise ClusterError(
                    f"the Dask worker at {address} runs another extractor version or other patterns "
                    f"({theirs}, here {ours}); install the same version on every worker"
                )

    def idle(self) -> list[dict]:
        if time.monotonic() - self.counted > 2:
            self.threads = max(1, sum(self.client.nthreads().values()))
            wanted = FILES_PER_TASK * TASKS_PER_THREAD * self.threads - len(self.workers)
            self.workers += [{"task": None, "future": None} for _ in range(wanted)]
            self.counted = time.monotonic()
        return [slot for slot in self.workers if slot["task"] is None]

    def submit(self, slot: dict, task, extra: dict, review_page: Path | None = None, data: bytes | None = None) -> None:
        """Queue one file (its bytes when given), sent with others at the next results(); `extra` holds the keys
        added to the record; a review page is written where the workers share the output folder's filesystem."""
        slot.update(
            task=task,
            extra=extra,
            review=None if review_page is None else str(review_page),
            data=data,
            future=None,
            index=None,
        )

    def _send(self) -> None:
        queued = [slot for slot in self.workers if slot["task"] is not None and slot["future"] is None]
        for first in range(0, len(queued), FILES_PER_TASK):
            chunk = queued[first : first + FILES_PER_TASK]
            files = [
                (str(slot["task"][0]), slot["task"][1], slot["data"], slot["extra"], slot["review"]) for slot in chunk
            ]
            future = self.client.submit(
                extract_on_worker, files, self.settings.timeout_seconds, self.settings.memory_mb, pure=False
            )
            for index, slot in enumerate(chunk):
                slot.update(future=future, index=index, data=None)

    def results(self, poll: float = 0.2):
        """Finished files as (task, status, payload); a scan's first answer fans out into its page ranges."""
        from dask.distributed import wait

        self._send()
        busy = [slot for slot in self.workers if slot["task"] is not None]
        futures = list({id(slot["future"]): slot["future"] for slot in busy}.values())
        try:
            wait(futures, timeout=poll, return_when="FIRST_COMPLETED")
        except TimeoutError:
            pass
        except Exception as e:
            raise _lost(e) from None
        answers = self._results([future for future in futures if future.done()])
        out = []
        for slot in busy:
            answer = answers.get(slot["future"].key)
            if answer is None:
                continue
            if answer is KILLED:
                status, payload = "error", ("WorkerCrashed", "every Dask worker that ran it died while extracting")
            else:
                status, payload = answer if slot["index"] is None else answer[slot["index"]]
            if status in ("bytes", "split"):
                try:
                    data = read_file(slot["task"][0])
                except ExtractorError as e:
                    status, payload = "error", (type(e).__name__, e.cause)
                else:
                    if status == "bytes":
                        self.submit(slot, slot["task"], slot["extra"], slot["review"], data)
                    else:
                        self._split(slot, data, cast(int, payload))
                    continue
            out.append((slot["task"], status, payload))
            slot.update(task=None, future=None)
        return out

    def _split(self, slot: dict, data: bytes, pages: int) -> None:
        """Page ranges of a scan as tasks, and the record's assembly once they are all read. The bytes are
        copied to every worker, so losing one worker loses no page."""
        path, sha = slot["task"]
        shared = self.client.scatter(data, broadcast=True, hash=False)
        ranges = [
            self.client.submit(
                read_pages_on_worker,
                str(path),
                shared,
                page_range,
                self.settings.timeout_seconds,
                self.settings.memory_mb,
                pure=False,
            )
            for page_range in page_ranges(pages, self.threads)
        ]
        slot.update(
            index=None,
            future=self.client.submit(assemble_on_worker, str(path), sha, shared, slot["extra"], ranges, pure=False),
        )

    def _results(self, futures: list) -> dict:
        """Each finished future's answer by key, fetched together; a task that killed every worker that ran it
        answers KILLED."""
        from dask.distributed import KilledWorker

        try:
            return dict(zip((future.key for future in futures), self.client.gather(futures)))
        except Exception:
            pass  # one of them failed: take them one by one to learn which
        answers = {}
        for future in futures:
            try:
                answers[future.key] = future.result()
            except KilledWorker:
                answers[future.key] = KILLED
            except BaseException as e:  # only the cluster fails this way: the tasks return their own errors
                raise _lost(e) from None
        return answers

    def close(self) -> None:
        for slot in self.workers:
            if slot["future"] is not None:
                slot["future"].cancel()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _lost(error: BaseException) -> ClusterError:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return ClusterError(f"lost the Dask cluster ({message}); run the same command again to resume")


# ---- on the workers --------------------------------------------------------------------------------------


def _extraction_pool(timeout_seconds: float, memory_mb: int) -> _Pool:
    """This worker thread's extraction process, started on first use and kept for the next files."""
    wanted = BatchSettings(workers=1, timeout_seconds=timeout_seconds, memory_mb=memory_mb)
    pool = getattr(_local, "pool", None)
    if pool is None or pool.settings != wanted:
        if pool is not None:
            pool.close()
        multiprocessing.current_process().daemon = False  # Dask's worker processes are daemons: allow a child
        pool = _local.pool = _Pool(wanted)
    return pool


def start_extraction(timeout_seconds: float, memory_mb: int) -> str:
    """Start this worker's extraction process; its version_key, which must be the client's. The process inherits
    the environment set here: OCR takes one core per Dask thread (a worker under a nanny already has
    OMP_NUM_THREADS=1), so two workers do not fight, and malloc keeps its defaults (the nanny's
    MALLOC_TRIM_THRESHOLD_ makes every large buffer of onnxruntime a fresh mmap: OCR took 3x the CPU)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    _extraction_pool(timeout_seconds, memory_mb)
    return version_key()


def extract_on_worker(
    files: list[tuple[str, str, bytes | None, dict, str | None]], timeout_seconds: float, memory_mb: int
) -> list[tuple]:
    """The local batch's (status, payload) for each (path, sha256, bytes or None, extra); ('bytes', None) when
    this worker cannot read the client's file by its path, ('split', pages) for a scan to read by page range."""
    return [_extract_one(*file, timeout_seconds, memory_mb) for file in files]


def _extract_one(
    path: str,
    sha: str,
    data: bytes | None,
    extra: dict,
    review_page: str | None,
    timeout_seconds: float,
    memory_mb: int,
) -> tuple:
    """One file through this thread's extraction process, unless it must come as bytes or be split."""
    if data is None:
        try:
            data = read_file(path)
        except ExtractorError:
            return "bytes", None
        if hashlib.sha256(data).hexdigest() != sha:
            return "bytes", None
    pages = _scan_pages(path, data)
    if pages > 1:
        return "split", pages
    return _extracted(path, data, timeout_seconds, memory_mb, extra, review_page)


def _extracted(
    path: str,
    data: bytes,
    timeout_seconds: float,
    memory_mb: int,
    extra: dict,
    review_page: str | None = None,
    pages: tuple[int, int] | None = None,
) -> tuple:
    """(status, payload) of one file, or of the page range `pages` of a scan, from this thread's extraction
    process: the local batch's worker, with its time limit, memory cap and error kinds."""
    pool = _extraction_pool(timeout_seconds, memory_mb)
    [worker] = pool.idle()
    pool.submit(worker, (path, None), extra, None if review_page is None else Path(review_page), data, pages)
    while not (done := pool.results()):
        pass
    [(_, status, payload)] = done
    return status, payload


def _scan_pages(path: str, data: bytes) -> int:
    """Pages of a PDF the extraction would read by OCR, else 0; a damaged PDF is left to the extraction."""
    from .load import scan as ocr
    from .load.pdf import scan_pages

    if Path(path).suffix.lower() != ".pdf" or not data.startswith(b"%PDF") or not ocr.available():
        return 0
    try:
        return scan_pages(data)
    except Exception:
        return 0


def _outcome(function, *args) -> tuple:
    """('ok', result) or ('error', (kind, message)) as the local batch's workers report them."""
    try:
        return "ok", function(*args)
    except ExtractorError as e:
        return "error", (type(e).__name__, e.cause)
    except MemoryError:
        return "error", ("MemoryLimit", "ran out of memory")
    except Exception as e:
        return "error", ("InternalError", f"{type(e).__name__}: {e}")


def page_ranges(pages: int, threads: int) -> list[tuple[int, int]]:
    """[first, last) ranges of a scan's pages: as many as a multiple of the cluster's threads, of even size and
    at most MAX_PAGES_PER_TASK pages: 20 pages on 2 threads are 5+5+5+5, not 8+8+4, whose last range would leave
    a thread idle for a third of the scan."""
    tasks = threads * math.ceil(pages / (threads * MAX_PAGES_PER_TASK))
    size = math.ceil(pages / tasks)
    return [(first, min(first + size, pages)) for first in range(0, pages, size)]


def read_pages_on_worker(
    path: str, data: bytes, pages: tuple[int, int], timeout_seconds: float, memory_mb: int
) -> tuple:
    """('ok', OCR'd lines of pages [first, last) of a scan) or ('error', (kind, message))."""
    return _extracted(path, data, timeout_seconds, memory_mb, {}, pages=pages)


def assemble_on_worker(path: str, sha: str, data: bytes, extra: dict, ranges: list[tuple]) -> tuple:
    """The record line of a scan from its page ranges' lines, as the local batch would have written it."""
    from .load.scan import document_from_lines
    from .pipeline import build_report
    from .record import Source

    failed = [outcome for outcome in ranges if outcome[0] != "ok"]
    if failed:
        return failed[0]

    def record() -> str:
        document = document_from_lines([page for _, lines in ranges for page in lines], "pdf", path)
        source = Source(path=path, sha256=sha, format=document.format, bytes=len(data))
        return jsonio.dumps(build_report(document, source).model_dump() | extra)

    return _outcome(record)
