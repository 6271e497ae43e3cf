"""The CLI never shows a traceback for one bad file: internal errors are one line (traceback with --debug),
limits can be changed with --limit, review pages of inputs sharing a stem do not overwrite each other."""

import shutil

import pytest

import extractor.cli as cli
from conftest import CORPUS
from extractor.limits import DEFAULT_LIMITS, Limits


def _extract_failing_on(name):
    real = cli.extract

    def extract(path, limits=DEFAULT_LIMITS):
        if str(path).endswith(name):
            raise ZeroDivisionError("division by zero")
        return real(path, limits)

    return extract


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_is_one_line_and_the_next_file_goes_on(monkeypatch, capsys, tmp_path, debug):
    bad = tmp_path / "bad.txt"
    shutil.copy(CORPUS / "seed.txt", bad)
    monkeypatch.setattr(cli, "extract", _extract_failing_on("bad.txt"))
    status = cli.main(["extract", str(bad), str(CORPUS / "seed.txt")] + (["--debug"] if debug else []))
    out, err = capsys.readouterr()
    assert status == 1 and len(out.splitlines()) == 1
    assert err.splitlines()[-1] == (
        f"extractor: {bad}: internal error, ZeroDivisionError: division by zero (--debug shows the traceback)"
    )
    assert ("Traceback" in err) is debug


@pytest.mark.parametrize(
    "option,message",
    [
        ("pages=x", "--limit pages=x: expected NAME=INTEGER"),
        ("nope=3", "--limit nope=3: expected NAME=INTEGER with NAME one of depth, file_bytes"),
        ("pages=0", "limit pages must be a positive integer, not 0"),
    ],
)
def test_bad_limit_option_is_a_usage_error(capsys, option, message):
    with pytest.raises((SystemExit, ValueError)) as raised:
        cli.main(["extract", str(CORPUS / "seed.txt"), "--limit", option])
    assert message in capsys.readouterr().err + str(raised.value)


def test_limit_option_applies(capsys):
    assert cli.main(["extract", str(CORPUS / "seed.txt"), "--limit", "text_chars=100"]) == 1
    assert capsys.readouterr().err.strip().endswith("the limit is 100 (text_chars)")


def test_limits_are_validated():
    with pytest.raises(ValueError, match="limit depth must be a positive integer, not -1"):
        Limits(depth=-1)


def test_review_pages_of_inputs_sharing_a_stem_are_unique(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(CORPUS / "seed.txt", tmp_path / "a" / "report.txt")
    shutil.copy(CORPUS / "seed.txt", tmp_path / "b" / "report.txt")
    shutil.copy(CORPUS / "seed.docx", tmp_path / "report.docx")
    pages = tmp_path / "pages"
    assert (
        cli.main(
            [
                "review",
                str(tmp_path / "a" / "report.txt"),
                str(tmp_path / "b" / "report.txt"),
                str(tmp_path / "report.docx"),
                "-o",
                str(pages),
            ]
        )
        == 0
    )
    assert sorted(p.name for p in pages.iterdir()) == ["index.html", "report-2.html", "report-3.html", "report.html"]
