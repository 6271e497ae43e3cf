"""The built wheel carries patterns/ inside the package, so an installed copy works from any directory."""
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_installed_wheel_finds_its_patterns(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    [wheel] = wheels.glob("extractor-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    assert (site / "extractor" / "patterns" / "units.toml").is_file()

    probe = ("import extractor, extractor.patterns as p; "
             "print(extractor.__file__); print(p.patterns_dir()); "
             "print(extractor.find_quantities('预算98.56万元')[0].value)")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, capture_output=True, text=True,
                            env={"PYTHONPATH": str(site), "PATH": ""}, check=True)
    module_file, patterns_dir, value = result.stdout.split()
    assert module_file.startswith(str(site))
    assert patterns_dir == str(site / "extractor" / "patterns")
    assert value == "985600.00"
