"""make bench: every speed and memory figure as a ratio against an anchor measured in the same run, on named
inputs, so that a figure from a busy machine still compares. Prints progress, then the README's table.

Inputs: reports generated in the seed's layout (scripts/generate_corpus.py), the seed rendered as a scan
(scripts/make_scans.py), and where they are present ../shared/realdocs (real PDFs) and ../shared/corpus-dev.
Asserts nothing; the targets are in the table for the reader.
"""

from __future__ import annotations

import compileall
import io
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "scripts"))
from generate_corpus import DEPARTMENTS, write_corpus  # noqa: E402
from make_scans import font_path, make_scan, render_pages  # noqa: E402

import extractor  # noqa: E402

ROWS: list[tuple[str, str, str, str, str, str]] = []  # measure, inputs, result, anchor, ratio, target


def row(measure: str, inputs: str, result: str, anchor: str = "", ratio: float | None = None, target: str = "") -> None:
    ROWS.append((measure, inputs, result, anchor, "" if ratio is None else f"{ratio:.2f}x", target))
    print(f"{measure}: {result}" + (f" vs {anchor}: {ratio:.2f}x" if ratio is not None else ""), flush=True)


def best(function, repeat: int = 3) -> float:
    """Seconds of the fastest of `repeat` calls (after one warm call): the least disturbed by other load."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# ---- per-document extraction ----------------------------------------------------------------------------


def read_and_find_numbers(path: Path) -> None:
    """The floor of any extractor of a text: read it and find its numbers once."""
    re.findall(r"\d+(?:\.\d+)?", path.read_text(encoding="utf-8"))


def read_with_python_docx(path: Path) -> None:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    _ = [paragraph.text for paragraph in document.paragraphs]
    _ = [cell.text for table in document.tables for table_row in table.rows for cell in table_row.cells]


def per_document(texts: list[Path], docs: list[Path], inputs: str) -> None:
    for label, files, anchor, anchor_name, target in (
        (".txt", texts, read_and_find_numbers, "reading it and one number regex", ""),
        (".docx", docs, read_with_python_docx, "python-docx merely reading it", "≤ 1x"),
    ):
        ours = [best(lambda p=p: extractor.extract(p)) for p in files]
        base = [best(lambda p=p, anchor=anchor: anchor(p)) for p in files]
        ratio = statistics.median(o / b for o, b in zip(ours, base))
        row(
            f"extract one {label} report",
            f"{len(files)} {inputs}",
            f"median {ms(statistics.median(ours))}, p95 {ms(p95(ours))}",
            f"{anchor_name}: median {ms(statistics.median(base))}",
            ratio,
            target,
        )


# ---- PDF pages ------------------------------------------------------------------------------------------


def pdf_pages(pdfs: list[Path]) -> None:
    """Each page read by our loader and by pypdfium2's plain text extraction, each on a freshly opened document
    (PDFium caches a page it has loaded once)."""
    import pypdfium2

    from extractor.load.pdf import _read_page

    def plain_text(pdf, index: int) -> None:
        page = pdf[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()

    def timed(data: bytes, index: int, read) -> float:
        times = []
        for _ in range(3):
            pdf = pypdfium2.PdfDocument(data)
            started = time.perf_counter()
            read(pdf, index)
            times.append(time.perf_counter() - started)
            pdf.close()
        return min(times)

    ratios: dict[str, list[float]] = {"text": [], "table": []}
    seconds: dict[str, list[float]] = {"text": [], "table": []}
    for path in pdfs:
        data = path.read_bytes()
        pdf = pypdfium2.PdfDocument(data)
        pages = len(pdf)
        kinds = [
            "table" if any(kind == "table" for _, kind, _ in _read_page(pdf, i)[1]) else "text" for i in range(pages)
        ]
        pdf.close()
        for index, kind in enumerate(kinds):
            ours, floor = timed(data, index, _read_page), timed(data, index, plain_text)
            ratios[kind].append(ours / floor)
            seconds[kind].append(ours)
    names = ", ".join(p.name.split("_")[0] for p in pdfs)
    for kind, target in (("text", "≤ 3x"), ("table", "≤ 10x")):
        row(
            f"PDF {kind} page",
            f"{len(ratios[kind])} {kind} pages of {len(pdfs)} realdocs PDFs ({names})",
            f"median {ms(statistics.median(seconds[kind]))} per page",
            "pypdfium2 plain text of the same page",
            statistics.median(ratios[kind]),
            target,
        )


# ---- OCR ------------------------------------------------------------------------------------------------


def ocr_pages() -> None:
    from extractor.load import scan

    if not scan.available() or font_path() is None:
        row("OCR of a scanned page", "seed at 300 dpi", "skipped: needs the [ocr] extra and a CJK font")
        return
    import numpy
    from rapidocr_onnxruntime import RapidOCR

    default = RapidOCR()
    seed = (ROOT / "corpus" / "seed.txt").read_text(encoding="utf-8")
    pages = render_pages(seed, 300)
    ours = [best(lambda p=p: scan.recognise(p), repeat=1) for p in pages]
    base = [best(lambda p=p: default(numpy.asarray(p.convert("RGB"))), repeat=1) for p in pages]
    row(
        "OCR of a scanned page",
        f"seed.txt rendered at 300 dpi, {len(pages)} pages",
        f"median {statistics.median(ours):.2f} s per page",
        f"rapidocr with its default settings: median {statistics.median(base):.2f} s",
        statistics.median(o / b for o, b in zip(ours, base)),
        "≤ 2.0 s",
    )


# ---- cold start -----------------------------------------------------------------------------------------

COLD = """
import os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, _, usage = os.wait4(process.pid, 0)
print(time.perf_counter() - started, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime)
"""


def cold(command: list[str]) -> tuple[float, int, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of a fresh process, started from a small one: a child forked
    from this process would count this process's memory as its own until it execs. CPU time says what wall
    time would be on a quiet machine when other jobs share the cores."""
    result = subprocess.run([sys.executable, "-c", COLD, *command], check=True, capture_output=True, text=True)
    seconds, megabytes, cpu = result.stdout.split()
    return float(seconds), int(megabytes), float(cpu)


def cold_starts(files: list[Path], inputs: str) -> None:
    # Bytecode as an installed wheel has it (pip compiles it): under PYTHONDONTWRITEBYTECODE a checkout's
    # modules would otherwise be compiled again by every run (20-30 ms here).
    compileall.compile_dir(Path(extractor.__file__).parent, quiet=1)
    python = [cold([sys.executable, "-c", "pass"]) for _ in range(3)]
    anchor_s, anchor_mb = min(s for s, _, _ in python), min(m for _, m, _ in python)
    runs = {p: min(cold([sys.executable, "-m", "extractor.cli", "extract", str(p)]) for _ in range(2)) for p in files}
    slowest = max(runs, key=lambda p: runs[p][0])
    largest = max(runs, key=lambda p: runs[p][1])
    seconds = [s for s, _, _ in runs.values()]
    # PDFs are allowed their page time on top of the target: the slowest file of text shown on its own
    texts = [p for p in runs if p.suffix != ".pdf"]
    slowest_text = max(texts, key=lambda p: runs[p][0]) if texts else slowest
    row(
        "cold `extractor extract FILE` (new process)",
        inputs,
        f"median {statistics.median(seconds):.2f} s, max {runs[slowest][0]:.2f} s ({slowest.name}); "
        f"text files: max {runs[slowest_text][0]:.2f} s, CPU {runs[slowest_text][2]:.2f} s ({slowest_text.name})",
        f"`python -c pass`: {anchor_s:.2f} s",
        statistics.median(seconds) / anchor_s,
        "≤ 0.7 s (PDF: + page time)",
    )
    row(
        "peak RSS of a cold extract",
        inputs,
        f"max {runs[largest][1]} MB ({largest.name})",
        f"`python -c pass`: {anchor_mb} MB",
        runs[largest][1] / anchor_mb,
        "≤ 100 MB",
    )


# ---- batch ----------------------------------------------------------------------------------------------

BATCH = """
import sys, tempfile, time
from extractor.batch import BatchSettings, run_batch
started = time.perf_counter()
with tempfile.TemporaryDirectory() as out:
    summary = run_batch([sys.argv[1]], out, BatchSettings(workers=int(sys.argv[2]), review=sys.argv[3] == "review"))
print(summary.total / (time.perf_counter() - started), summary.extraction_rate())
"""


def batch_rates(files_dir: Path, workers: int, review: bool = False) -> tuple[float, float, float]:
    """(documents/s for the whole run, documents/s while extracting, CPU seconds of the run and its workers) in
    a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [sys.executable, "-c", BATCH, str(files_dir), str(workers), "review" if review else "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    whole, extracting = map(float, result.stdout.split()[-2:])
    return whole, extracting, cpu


def batches(many: Path) -> None:
    documents = len(list(many.iterdir()))
    inputs = f"{documents} generated .txt and .docx"
    (whole1, rate1, _), (whole2, rate2, _) = batch_rates(many, 1), batch_rates(many, 2)
    row(
        "batch, 2 workers, while extracting",
        inputs,
        f"{rate2:.1f} docs/s",
        f"1 worker: {rate1:.1f} docs/s",
        rate2 / rate1,
        "≥ 1.8x",
    )
    row(
        "batch, 2 workers, whole run with start-up and tables",
        inputs,
        f"{whole2:.1f} docs/s",
        f"1 worker: {whole1:.1f} docs/s",
        whole2 / whole1,
    )
    # With review and without, in turns, the faster of two each: a load that comes and goes meets both alike.
    runs = [batch_rates(many, 2, review=review) for review in (True, False, True, False)]
    reviewed, plain = max(runs[0::2]), max(runs[1::2])
    row(
        "batch --review, 2 workers, whole run",
        inputs,
        f"{documents / reviewed[0]:.1f} s, CPU {reviewed[2]:.1f} s",
        f"the same batch without review: {documents / plain[0]:.1f} s, CPU {plain[2]:.1f} s",
        plain[0] / reviewed[0],
        "≤ 1.1x",
    )


WORKER_RSS = """
import resource, sys, tempfile
from extractor.batch import BatchSettings, run_batch
with tempfile.TemporaryDirectory() as out:
    run_batch([sys.argv[1]], out, BatchSettings(workers=2))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def worker_peak_rss_mb(files_dir: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-c", WORKER_RSS, str(files_dir)], check=True, capture_output=True, text=True
    )
    return int(result.stdout.split()[-1])


def worker_memory(tmp: Path) -> None:
    small, large = tmp / "rss500", tmp / "rss2000"
    for folder, years, target in ((small, range(1980, 2000), 500), (large, range(1900, 1980), 2000)):
        folder.mkdir()
        departments = [f"{d}{i}" for d in DEPARTMENTS[:3] for i in range(1, 5)] + DEPARTMENTS[3:4]
        write_corpus(folder, departments, list(years), ["txt"], seed=4)  # .txt: quick to generate
        for extra in sorted(folder.iterdir())[target:]:
            extra.unlink()
    at_500, at_2000 = worker_peak_rss_mb(small), worker_peak_rss_mb(large)
    row(
        "batch worker peak RSS",
        "2,000 generated .txt",
        f"{at_2000} MB",
        f"over 500 documents: {at_500} MB",
        at_2000 / at_500,
        "≤ 300 MB, ≈ 1x",
    )


# ---- Dask cluster ---------------------------------------------------------------------------------------

CLUSTER_BATCH = """
import sys, tempfile, time
import psutil
from extractor import cluster
from extractor.batch import BatchSettings, run_batch

def cpu_seconds():
    total = 0.0
    for process in [psutil.Process(), *psutil.Process().children(recursive=True)]:
        try:
            total += sum(process.cpu_times()[:2])
        except psutil.Error:
            pass
    return total

marks = []

class Timed(cluster.DaskPool):  # the CPU of every process of the run while the cluster extracts
    def __init__(self, settings):
        super().__init__(settings)
        marks.append((cpu_seconds(), time.perf_counter()))

    def close(self):
        marks.append((cpu_seconds(), time.perf_counter()))
        super().close()

cluster.DaskPool = Timed
with tempfile.TemporaryDirectory() as out:
    summary = run_batch([sys.argv[1]], out, BatchSettings(cluster=sys.argv[2]))
(cpu_start, started), (cpu_end, ended) = marks
print(summary.extraction_rate(), summary.extract_seconds, (cpu_end - cpu_start) / (ended - started))
"""


def cluster_run(files_dir: Path, cluster: str) -> tuple[float, float, float]:
    """(documents/s while extracting, seconds extracting, cores its processes got meanwhile) of a batch on
    --cluster `cluster`, in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", CLUSTER_BATCH, str(files_dir), cluster], check=True, capture_output=True, text=True
    )
    rate, seconds, cores = map(float, result.stdout.split()[-3:])
    return rate, seconds, cores


def cluster_batches(many: Path, tmp: Path) -> None:
    """The local pool and a 2-worker LocalCluster run one after the other, 3 times, and a scan on 1 and on 2
    workers twice: each ratio compares runs under the same load, and the table gives the medians."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        row("batch on a 2-worker local Dask cluster", "", "skipped: needs the [dask] extra")
        return
    documents = len(list(many.iterdir()))
    pairs = [(batch_rates(many, 2)[1], cluster_run(many, "local:2")[0]) for _ in range(3)]
    row(
        "batch on a 2-worker local Dask cluster, while extracting",
        f"{documents} generated .txt and .docx, median of 3 pairs",
        f"{statistics.median(dask for _, dask in pairs):.1f} docs/s",
        f"the 2-process pool: {statistics.median(local for local, _ in pairs):.1f} docs/s",
        statistics.median(dask / local for local, dask in pairs),
        "≥ 0.8x",
    )
    from extractor.load import scan

    if not scan.available() or font_path() is None:
        row("a scan split by page range on 2 Dask workers", "", "skipped: needs the [ocr] extra and a CJK font")
        return
    folder = tmp / "scan"
    folder.mkdir()
    # a scan of some length (the seed six times over), as the page rate of a long scan is what a split serves:
    # each worker loads the OCR models once, which a 4-page scan would weigh as much as its pages
    seed = (ROOT / "corpus" / "seed.txt").read_text(encoding="utf-8")
    pages = len(make_scan("\n".join([seed] * 6), folder / "seed.pdf", dpi=150))
    runs = [(cluster_run(folder, "local:1"), cluster_run(folder, "local:2")) for _ in range(2)]
    one, two = ([pages / run[1] for run in column] for column in zip(*runs))
    cores_one, cores_two = ([run[2] for run in column] for column in zip(*runs))
    row(
        "a scan split by page range on 2 Dask workers (their OCR models' loading included)",
        f"seed.txt six times over as a {pages}-page scan at 150 dpi, median of 2 pairs",
        f"{statistics.median(two):.3f} pages/s, its processes got {statistics.median(cores_two):.2f} cores",
        f"1 Dask worker: {statistics.median(one):.3f} pages/s, {statistics.median(cores_one):.2f} cores",
        statistics.median(b / a for a, b in zip(one, two)),
        "≥ 1.7x",
    )


# ---- compare --------------------------------------------------------------------------------------------


def compare(tmp: Path, documents: int = 10_000) -> None:
    """extractor compare on a store of `documents` reports (facts tables built directly, 16 facts each)."""
    import duckdb

    from extractor.compare import comparison, store_path
    from extractor.export import TABLES

    folder = tmp / "store"
    folder.mkdir()
    columns = ", ".join(f"{name} {kind}" for name, kind in TABLES["facts"].items())
    with duckdb.connect(str(folder / "reports.duckdb")) as con:
        con.execute(f"CREATE TABLE facts ({columns})")
        con.execute(
            """
            INSERT INTO facts (doc_id, department_key, fiscal_year, field, value)
            SELECT 'd' || d, 'department' || (d % 500), 2000 + (d // 500), 'budget.f' || f, (d * f) % 1000 + 0.5
            FROM range(?) t(d), range(16) u(f)""",
            [documents],
        )

    def bare_query() -> None:
        with duckdb.connect(str(store_path(folder)), read_only=True) as con:
            con.execute(
                "SELECT department_key, fiscal_year, avg(value) FROM facts WHERE field = 'budget.f3' GROUP BY ALL"
            ).fetchall()

    ours = best(lambda: comparison(folder, "budget.f3"), repeat=5)
    base = best(bare_query, repeat=5)
    row(
        "`extractor compare` department × year table",
        f"a store of {documents:,} documents, 16 facts each",
        ms(ours),
        f"the bare DuckDB GROUP BY: {ms(base)}",
        ours / base,
        "< 1 s",
    )


def main() -> None:
    print(
        f"# extractor {extractor.__version__} bench, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        flush=True,
    )
    realdocs = SHARED / "realdocs"
    pdfs = sorted(realdocs.rglob("*.pdf")) if realdocs.is_dir() else []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain = write_corpus(tmp / "plain", DEPARTMENTS[:4], [2021, 2022, 2023], ["txt", "docx"], seed=1)
        long = write_corpus(
            tmp / "long", DEPARTMENTS[4:6], [2022, 2023], ["txt", "docx"], seed=2, extra_prose=4, extra_indicators=40
        )
        per_document(
            [p for p in plain + long if p.suffix == ".txt"],
            [p for p in plain + long if p.suffix == ".docx"],
            "generated reports",
        )
        if pdfs:
            pdf_pages(pdfs)
        ocr_pages()
        texts = sorted((SHARED / "corpus-dev").glob("*.txt")) + [
            p for p in sorted(realdocs.rglob("*")) if p.suffix in (".pdf", ".md")
        ]
        if texts:
            cold_starts(texts, f"{len(texts)} files of ../shared/corpus-dev and ../shared/realdocs")
        else:
            cold_starts(plain[:1], "one generated .docx")
        many = tmp / "many"
        write_corpus(many, DEPARTMENTS, list(range(2000, 2025)), ["txt", "docx"], seed=3)  # 400 documents
        batches(many)
        cluster_batches(many, tmp)
        worker_memory(tmp)
        compare(tmp)
    print("\n| measure | inputs | result | anchor (same run) | ratio | target |\n|---|---|---|---|---|---|")
    for cells in ROWS:
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
