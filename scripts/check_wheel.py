"""Build the wheel, install it alone (with its extras) in a clean venv, and import every module from there.

Proves that every import is declared: nothing from the development venv or the source tree is visible.
Run by `make wheel-check`; needs the package registry (pip installs the declared dependencies).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = "ocr,spacy,plot"
PROBE = """
import importlib, pkgutil, extractor
names = [m.name for m in pkgutil.walk_packages(extractor.__path__, "extractor.")]
for name in names:
    importlib.import_module(name)
from extractor.pipeline import extract_document
from extractor.review import render_page
assert "<mark" in render_page(*extract_document("report.txt"))
print(len(names), "modules imported from", extractor.__file__)
"""


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wheel-check-") as tmp:
        tmp_path = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(ROOT)], check=True
        )
        [wheel] = tmp_path.glob("*.whl")
        venv = tmp_path / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"{wheel}[{EXTRAS}]"], check=True)
        shutil.copy(ROOT / "corpus" / "seed.txt", tmp_path / "report.txt")
        subprocess.run([str(python), "-c", PROBE], check=True, cwd=tmp)
        subprocess.run([str(venv / "bin" / "extractor"), "--version"], check=True, cwd=tmp)
    print(f"wheel check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
