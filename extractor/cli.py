"""Command line: `extractor extract FILE...` and friends; thin layers over the public functions."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager

from .errors import ExtractorError
from .pipeline import extract, extract_text


def _fail(message: str) -> None:
    print(f"extractor: {message}", file=sys.stderr)


@contextmanager
def _output(path: str | None):
    if path is None:
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8") as f:
            yield f


def _record_json(report, pretty: bool) -> str:
    return report.model_dump_json(indent=2 if pretty else None)


def cmd_extract(args: argparse.Namespace) -> int:
    failures = 0
    with _output(args.output) as out:
        for path in args.files:
            try:
                report = extract_text(sys.stdin.read(), path="<stdin>") if path == "-" else extract(path)
            except ExtractorError as e:
                _fail(str(e))
                failures += 1
                continue
            out.write(_record_json(report, args.pretty) + "\n")
            out.flush()
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="extractor", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("extract", help="print one JSON record per report (JSON Lines)")
    p.add_argument("files", nargs="+", metavar="FILE", help="report files (.txt, .docx); - reads text from stdin")
    p.add_argument("--pretty", action="store_true", help="indented JSON for reading")
    p.add_argument("-o", "--output", metavar="FILE", help="write records to FILE instead of stdout")
    p.set_defaults(run=cmd_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
