"""make bench: extraction speed and memory on this machine. Prints numbers; asserts nothing.

Measures, on generated reports in the seed's layout (plus longer prose and bigger indicator tables):
per-document extract time for .txt and .docx (median, p95), the ratio to python-docx merely reading the same
.docx, batch documents/s with 1 and 2 workers, a cold `extractor extract one.docx`, and the peak RSS of the
batch workers over 500 and 2,000 documents (it must not grow with the number of documents).
"""
from __future__ import annotations

import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from generate_corpus import DEPARTMENTS, write_corpus  # noqa: E402
from make_scans import font_path, render_pages  # noqa: E402

import extractor  # noqa: E402


def timings(function, items, repeat: int = 3) -> list[float]:
    out = []
    for item in items:
        function(item)  # warm
        best = min(_once(function, item) for _ in range(repeat))
        out.append(best)
    return out


def _once(function, item) -> float:
    started = time.perf_counter()
    function(item)
    return time.perf_counter() - started


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def bare_python_docx(path: Path) -> None:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    for paragraph in document.paragraphs:
        paragraph.text
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                cell.text


BATCH_RATE = """
import sys, tempfile, time
from extractor.batch import BatchSettings, run_batch
started = time.perf_counter()
with tempfile.TemporaryDirectory() as out:
    summary = run_batch([sys.argv[1]], out, BatchSettings(workers=int(sys.argv[2])))
print(summary.total / (time.perf_counter() - started), summary.extraction_rate())
"""


def batch_rates(files_dir: Path, workers: int) -> tuple[float, float]:
    """(documents/s for the whole run, documents/s while extracting) in a fresh process."""
    result = subprocess.run([sys.executable, "-c", BATCH_RATE, str(files_dir), str(workers)], check=True,
                            capture_output=True, text=True)
    whole, extracting = map(float, result.stdout.split()[-2:])
    return whole, extracting


WORKER_RSS = """
import resource, sys, tempfile
from extractor.batch import BatchSettings, run_batch
with tempfile.TemporaryDirectory() as out:
    run_batch([sys.argv[1]], out, BatchSettings(workers=2))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def worker_peak_rss_mb(files_dir: Path) -> int:
    result = subprocess.run([sys.executable, "-c", WORKER_RSS, str(files_dir)], check=True, capture_output=True,
                            text=True)
    return int(result.stdout.split()[-1])


def ocr_seconds(tmp: Path) -> None:
    """Median OCR seconds per page of the seed report rendered at 150 and 300 dpi."""
    from extractor.load import scan as ocr

    if not ocr.available() or font_path() is None:
        print("OCR: skipped (needs the [ocr] extra and a CJK font)")
        return
    seed = (ROOT / "corpus" / "seed.txt").read_text(encoding="utf-8")
    for dpi in (150, 300):
        pages = render_pages(seed, dpi)
        ocr.recognise(pages[0])  # load the models first
        seconds = []
        for page in pages:
            started = time.perf_counter()
            ocr.recognise(page)
            seconds.append(time.perf_counter() - started)
        print(f"OCR at {dpi} dpi: median {statistics.median(seconds):.1f} s per page ({len(pages)} pages)")


def compare_seconds(tmp: Path, documents: int = 10_000) -> None:
    """extractor compare on a store of `documents` reports (facts tables built directly, 16 facts each)."""
    import duckdb

    from extractor.compare import comparison
    from extractor.tables import TABLES

    folder = tmp / "store"
    folder.mkdir()
    columns = ", ".join(f"{name} {kind}" for name, kind in TABLES["facts"].items())
    with duckdb.connect(str(folder / "reports.duckdb")) as con:
        con.execute(f"CREATE TABLE facts ({columns})")
        con.execute("""
            INSERT INTO facts (doc_id, department_key, fiscal_year, field, value)
            SELECT 'd' || d, 'department' || (d % 500), 2000 + (d // 500), 'budget.f' || f, (d * f) % 1000 + 0.5
            FROM range(?) t(d), range(16) u(f)""", [documents])
    comparison(folder, "budget.f3")  # warm the file cache
    seconds = []
    for _ in range(5):
        started = time.perf_counter()
        rows, columns_, cells = comparison(folder, "budget.f3")
        seconds.append(time.perf_counter() - started)
    print(f"compare over {documents:,} documents ({len(rows)} departments x {len(columns_)} years): "
          f"median {statistics.median(seconds) * 1000:.0f} ms")


def main() -> None:
    print(f"# extractor {extractor.__version__} bench, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain = write_corpus(tmp / "plain", DEPARTMENTS[:4], [2021, 2022, 2023], ["txt", "docx"], seed=1)
        long = write_corpus(tmp / "long", DEPARTMENTS[4:6], [2022, 2023], ["txt", "docx"], seed=2, extra_prose=4,
                            extra_indicators=40)
        docs = [p for p in plain + long if p.suffix == ".docx"]
        texts = [p for p in plain + long if p.suffix == ".txt"]

        for label, files in ((".txt", texts), (".docx", docs)):
            t = timings(extractor.extract, files)
            print(f"extract {label:<6} median {statistics.median(t) * 1000:6.1f} ms   p95 {p95(t) * 1000:6.1f} ms"
                  f"   ({len(files)} documents, {statistics.median(p.stat().st_size for p in files) / 1024:.0f} KB median)")
        ours = timings(extractor.extract, docs)
        bare = timings(bare_python_docx, docs)
        ratios = [o / b for o, b in zip(ours, bare)]
        print(f"extract .docx / python-docx read: median {statistics.median(ratios):.2f}x "
              f"(python-docx alone: median {statistics.median(bare) * 1000:.1f} ms)")

        one = docs[0]
        cold = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(one)], check=True,
                           capture_output=True)
            cold.append(time.perf_counter() - started)
        print(f"cold `extractor extract one.docx`: median {statistics.median(cold):.2f} s wall")

        many = tmp / "many"
        many.mkdir()
        write_corpus(many, DEPARTMENTS, list(range(2000, 2025)), ["txt", "docx"], seed=3)  # 400 documents
        (whole1, rate1), (whole2, rate2) = batch_rates(many, 1), batch_rates(many, 2)
        print(f"batch ({len(list(many.iterdir()))} documents) while extracting: 1 worker {rate1:.1f} docs/s, "
              f"2 workers {rate2:.1f} docs/s ({rate2 / rate1:.2f}x); whole run with start-up and tables: "
              f"{whole1:.1f} and {whole2:.1f} docs/s ({whole2 / whole1:.2f}x)")

        ocr_seconds(tmp)
        compare_seconds(tmp)

        small, large = tmp / "rss500", tmp / "rss2000"
        for folder, years in ((small, range(1980, 2000)), (large, range(1900, 1980))):
            folder.mkdir()
            departments = [f"{d}{i}" for d in DEPARTMENTS[:3] for i in range(1, 5)] + DEPARTMENTS[3:4]
            write_corpus(folder, departments, list(years), ["txt"], seed=4)  # .txt: quick to generate
            files = sorted(folder.iterdir())
            target = 500 if folder is small else 2000
            for extra in files[target:]:
                extra.unlink()
        print(f"worker peak RSS: {worker_peak_rss_mb(small)} MB over 500 documents, "
              f"{worker_peak_rss_mb(large)} MB over 2,000 documents (.txt)")


if __name__ == "__main__":
    main()
