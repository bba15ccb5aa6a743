"""``cpsdk new-plugin`` writes a package that installs, registers and passes its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpsdk.cli import main


def _run(args: list[str], cwd: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_scaffold_installs_registers_and_passes_its_tests(tmp_path: Path) -> None:
    package = tmp_path / "cpsdk-hubei"
    assert main(["new-plugin", "hubei", "-o", str(package)]) == 0
    site = tmp_path / "site"
    # A real build and install of the generated pyproject, next to the cpsdk under test.
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(package),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr
    forms = _run([sys.executable, "-m", "cpsdk", "forms"], tmp_path, site)
    assert "hubei.enterprises" in forms.stdout and "[cpsdk-hubei]" in forms.stdout, forms.stderr
    tests = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], package, site)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=package, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


@pytest.mark.parametrize("name", ["Hubei", "湖北", "h", "hu bei", "../x"])
def test_a_bad_province_name_is_refused(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-plugin", name, "-o", str(tmp_path / "p")]) == 2
    assert "pinyin" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_a_folder_with_files_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["new-plugin", "hubei", "-o", str(tmp_path)]) == 2
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
