"""The built wheel carries patterns/ inside the package, so an installed copy works from any directory; every
import is declared in pyproject.toml (`make wheel-check` proves it on a clean venv from the wheel alone)."""

import ast
import importlib.metadata
import re
import subprocess
import sys
import zipfile

import pytest

import extractor

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_installed_wheel_finds_its_patterns(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("budget_report_extractor-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    assert (site / "extractor" / "patterns" / "units.toml").is_file()
    assert (site / "extractor" / "py.typed").is_file()
    assert (site / "extractor" / "templates" / "page.html.j2").is_file()
    info = site / f"budget_report_extractor-{extractor.__version__}.dist-info"
    assert (info / "licenses" / "LICENSE").is_file()
    metadata = (info / "METADATA").read_text(encoding="utf-8")
    assert f"Name: budget-report-extractor\nVersion: {extractor.__version__}\n" in metadata

    probe = (
        "import extractor, extractor.patterns as p; "
        "print(extractor.__file__); print(p.patterns_dir()); "
        "print(extractor.find_quantities('预算98.56万元')[0].value)"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": ""},
        check=True,
    )
    module_file, patterns_dir, value = result.stdout.split()
    assert module_file.startswith(str(site))
    assert patterns_dir == str(site / "extractor" / "patterns")
    assert value == "985600.00"


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _third_party_imports() -> set[str]:
    """Top-level names of every absolute import in the package that is not the standard library."""
    names = set()
    for path in (ROOT / "extractor").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("extractor", "tomli")}


def test_every_import_is_declared():
    project = PYPROJECT["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    extras = {_name(r) for extra, reqs in project["optional-dependencies"].items() if extra != "dev" for r in reqs}
    distributions = importlib.metadata.packages_distributions()
    imported = {_name(distributions[name][0]) for name in _third_party_imports()}
    assert imported - runtime - extras == set()


@pytest.mark.parametrize(
    "module,extra",
    [
        ("spacy", "spacy"),
        ("rapidocr_onnxruntime", "ocr"),
        ("onnxruntime", "ocr"),
        ("numpy", "ocr"),
        ("cv2", "ocr"),
        ("PIL", "ocr"),
        ("matplotlib", "plot"),
    ],
)
def test_optional_imports_are_in_their_extra(module, extra):
    assert module in _third_party_imports()
    distribution = _name(importlib.metadata.packages_distributions()[module][0])
    assert distribution in {_name(r) for r in PYPROJECT["project"]["optional-dependencies"][extra]}


def test_version_is_single_sourced_and_printed():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "extractor/__init__.py"
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout == f"extractor {extractor.__version__}\n"
