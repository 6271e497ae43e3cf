"""Command line: `extractor extract FILE...` and friends; thin layers over the public functions."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import sys
import traceback
from contextlib import contextmanager

from . import __version__, jsonio
from .errors import ExtractorError, InternalError
from .limits import Limits
from .pipeline import extract, extract_text


def _fail(message: str) -> None:
    print(f"extractor: {message}", file=sys.stderr)


def _one_file(args: argparse.Namespace, path: str, work):
    """work(path) or None after one error line naming the file; a bug in the extractor becomes an
    InternalError line too (its traceback only with --debug), so the other files go on."""
    try:
        return work(path)
    except ExtractorError as e:
        _fail(str(e))
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as e:  # noqa: BLE001 - one file's bug must not stop the others
        if getattr(args, "debug", False):
            traceback.print_exc()
        _fail(f"{InternalError(str(path), f'internal error, {type(e).__name__}: {e}')} (--debug shows the traceback)")
    return None


def _limits(args: argparse.Namespace) -> Limits:
    """The default Limits with each --limit NAME=VALUE applied."""
    names = {f.name for f in dataclasses.fields(Limits)}
    changes = {}
    for item in getattr(args, "limit", None) or []:
        name, _, value = item.partition("=")
        if name not in names or not value.strip().isdigit():
            raise SystemExit(
                _usage(f"--limit {item}: expected NAME=INTEGER with NAME one of {', '.join(sorted(names))}")
            )
        changes[name] = int(value)
    return dataclasses.replace(Limits(), **changes)


def _usage(message: str) -> int:
    _fail(message)
    return 2


@contextmanager
def _output(path: str | None):
    if path is None:
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8") as f:
            yield f


def cmd_extract(args: argparse.Namespace) -> int:
    limits = _limits(args)
    failures = 0

    def work(path: str) -> str:
        report = extract_text(sys.stdin.read(), "<stdin>", limits) if path == "-" else extract(path, limits)
        return report.to_json(args.pretty)

    with _output(args.output) as out:
        for path in args.files:
            record = _one_file(args, path, work)
            if record is None:
                failures += 1
                continue
            out.write(record + "\n")
            out.flush()
    return 1 if failures else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, format_report

    if not os.path.isdir(args.directory):
        _fail(f"{args.directory}: not a directory")
        return 2
    result = evaluate(args.directory)
    if args.json:
        print(jsonio.dumps(result.as_dict(with_misses=args.show_misses), pretty=True))
    else:
        print(format_report(result, show_misses=args.show_misses))
    return 0


SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


def _evidence(report, check) -> str:
    quantities = {q.id: q for q in report.quantities}
    named = {i.id: i.name for i in [*report.evaluation.categories, *report.evaluation.indicators]}
    sections = {s.id: f"{s.number or ''} {s.title}".strip() for s in report.sections}
    parts = [f"{quantities[q].text}@{quantities[q].span[0]}" for q in check.quantities if q in quantities]
    parts += [named[i] for i in check.indicators if i in named]
    parts += [sections[s] for s in check.sections if s in sections]
    return " · ".join(parts)


def cmd_check(args: argparse.Namespace) -> int:
    from .checks import RULE_IDS, RULES, run_checks

    if args.list_rules:
        for rule in RULES:
            print(f"{rule.id:<38}{rule.description}")
        return 0
    if not args.files:
        _fail("check: give at least one FILE (or --list-rules)")
        return 2
    disabled = [r for item in args.disable for r in item.split(",") if r]
    unknown = sorted(set(disabled) - set(RULE_IDS))
    if unknown:
        _fail(f"check: unknown rule(s): {', '.join(unknown)}; see --list-rules")
        return 2
    threshold = SEVERITY_ORDER.get(args.fail_on)
    worst, failures = -1, 0
    rows: list = []  # JSON objects with --json, else finding tuples
    limits = _limits(args)
    for path in args.files:
        report = _one_file(args, path, lambda p: extract(p, limits))
        if report is None:
            failures += 1
            continue
        checks = run_checks(report, disabled)
        shown = [c for c in checks if args.all or c.status == "fail"]
        worst = max([worst] + [SEVERITY_ORDER[c.severity] for c in checks if c.status == "fail"])
        if args.json:
            rows.append({"path": path, "checks": [c.model_dump() | {"evidence": _evidence(report, c)} for c in shown]})
        else:
            rows += [(path, c.rule, c.severity, c.status, c.message, _evidence(report, c)) for c in shown]
    if args.json:
        print(jsonio.dumps(rows, pretty=True))
    else:
        _print_findings(rows)
    if failures:
        return 2
    return 1 if threshold is not None and worst >= threshold else 0


def _print_findings(rows: list[tuple]) -> None:
    if not rows:
        print("no findings")
        return
    for path, rule, severity, status, message, evidence in rows:
        print(f"{path}  {severity:<7} {status:<5} {rule}")
        print(f"    {message}")
        if evidence:
            print(f"    evidence: {evidence}")


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import BatchSettings, run_batch
    from .cluster import ClusterError  # imports Dask only when a cluster is asked for

    missing = [root for root in args.roots if not os.path.exists(root)]
    if missing:
        _fail(f"batch: no such file or directory: {', '.join(missing)}")
        return 2
    settings = BatchSettings(
        workers=args.workers,
        timeout_seconds=args.timeout,
        memory_mb=args.memory_mb,
        glob=args.glob,
        review=args.review,
        cluster=args.cluster,
        follow_symlinks=args.follow_symlinks,
        limits=_limits(args),
    )
    try:
        summary = run_batch(args.roots, args.output, settings)
    except ClusterError as e:
        _fail(f"batch: {e}")
        return 2
    except ExtractorError as e:  # the output folder is locked by another run
        _fail(str(e))
        return 2
    print(summary.line(), file=sys.stderr)
    if args.review:
        print(f"review pages: {os.path.join(args.output, 'review', 'index.html')}", file=sys.stderr)
    return 1 if summary.failed or summary.errors else 0


def cmd_review(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .pipeline import extract_document
    from .review import page_name, render_index, render_page

    single = len(args.files) == 1 and args.output.endswith((".html", ".htm"))
    out_dir = Path(args.output).parent if single else Path(args.output)
    out_dir.mkdir(parents=True, exist_ok=True)
    failures, written = 0, []
    taken: set[str] = set()
    limits = _limits(args)
    for path in args.files:
        loaded = _one_file(args, path, lambda p: extract_document(p, limits))
        if loaded is None:
            failures += 1
            continue
        document, report = loaded
        page = Path(args.output) if single else out_dir / page_name(path, taken)
        page.write_text(render_page(document, report), encoding="utf-8")
        written.append((page.name, report.model_dump()))
        print(page)
    if not single and written:
        (out_dir / "index.html").write_text(render_index(written), encoding="utf-8")
    return 1 if failures else 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import comparison, format_csv, format_table, plot, store_path

    if not store_path(args.store).exists():
        _fail(f"compare: no DuckDB store at {store_path(args.store)} (run `extractor batch ... -o {args.store}`)")
        return 2
    rows, columns, cells = comparison(args.store, args.field, args.by)
    corner = "department \\ year" if args.by == "department" else "year \\ department"
    print(format_csv(rows, columns, cells, corner) if args.csv else format_table(rows, columns, cells, corner))
    if args.plot:
        font = plot(rows, columns, cells, args.field, args.plot)
        if font is None:
            _fail("compare: no CJK font found (apt-get install fonts-wqy-microhei); Chinese labels may show boxes")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .record import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def _add_limit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change one limit for hostile input, e.g. --limit pages=2000 (see README: Limits)",
    )
    p.add_argument("--debug", action="store_true", help="print the traceback of an internal error")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="extractor", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("extract", help="print one JSON record per report (JSON Lines)")
    p.add_argument("files", nargs="+", metavar="FILE", help="report files (.txt, .docx); - reads text from stdin")
    p.add_argument("--pretty", action="store_true", help="indented JSON for reading")
    p.add_argument("-o", "--output", metavar="FILE", help="write records to FILE instead of stdout")
    _add_limit_options(p)
    p.set_defaults(run=cmd_extract)

    p = commands.add_parser("eval", help="score extraction against gold annotations (<id>.gold.json)")
    p.add_argument("directory", metavar="DIR")
    p.add_argument("--json", action="store_true", help="one JSON object with every metric and document")
    p.add_argument("--show-misses", action="store_true", help="list every miss and false hit with context")
    p.set_defaults(run=cmd_eval)

    p = commands.add_parser(
        "batch", help="extract a directory tree: parallel, resumable, with tables and a DuckDB store"
    )
    p.add_argument("roots", nargs="+", metavar="DIR")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output folder (also the resume state)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    p.add_argument("--glob", help="only files whose name matches, e.g. '*.docx'")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per file (default 120)")
    p.add_argument("--memory-mb", type=int, default=2048, help="memory allowed per worker (default 2048)")
    p.add_argument("--review", action="store_true", help="also write HTML review pages and review/index.html")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run on the Dask cluster at ADDRESS (tcp://host:8786), or local[:N] for N local Dask workers",
    )
    p.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symbolic links that lead out of the tree (skipped and listed in errors.jsonl otherwise)",
    )
    _add_limit_options(p)
    p.set_defaults(run=cmd_batch)

    p = commands.add_parser("check", help="audit the arithmetic and structure of reports")
    p.add_argument("files", nargs="*", metavar="FILE")
    p.add_argument(
        "--fail-on",
        choices=["error", "warning", "info", "never"],
        default="error",
        help="exit 1 when a finding reaches this severity (default: error)",
    )
    p.add_argument("--all", action="store_true", help="show passing checks too")
    p.add_argument("--json", action="store_true", help="findings as JSON")
    p.add_argument("--disable", action="append", default=[], metavar="RULE[,RULE]", help="skip these rules")
    p.add_argument("--list-rules", action="store_true", help="list the rules and what they check")
    _add_limit_options(p)
    p.set_defaults(run=cmd_check)

    p = commands.add_parser("review", help="write a self-contained HTML review page per report")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="a .html file for one report, else a folder (pages plus index.html)",
    )
    _add_limit_options(p)
    p.set_defaults(run=cmd_review)

    p = commands.add_parser("compare", help="one field as a department x year table from a batch's DuckDB store")
    p.add_argument("store", metavar="OUT", help="a batch output folder (or its reports.duckdb)")
    p.add_argument("--field", required=True, help="canonical field, e.g. budget.basic.execution_rate")
    p.add_argument("--by", choices=["department", "year"], default="department", help="what the rows are")
    p.add_argument("--plot", metavar="FILE", help="also draw it (.png or .svg)")
    p.add_argument("--csv", action="store_true", help="the table as CSV")
    p.set_defaults(run=cmd_compare)

    p = commands.add_parser("schema", help="print the JSON Schema of a record")
    p.set_defaults(run=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    # The modules and models imported so far live as long as the process: kept out of the collector's full
    # passes, which otherwise walk them all while a long report is extracted (20-30 ms of a cold start).
    gc.freeze()
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # an output path that cannot be written
        _fail(f"{e.filename or ''}: {e.strerror or e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
