"""``cpsdk new-plugin`` writes a package for a province (by its code and name) that registers, passes its own
tests and cpsdk's conformance suite with data of that province, and is lint- and type-clean."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import cpsdk
from cpsdk.cli import main

#: Makes a scaffolded package (arguments after ``new-plugin``) and registers it as installed; returns its folder.
Scaffold = Callable[..., Path]

SOURCE = "《山西省清洁生产“十二五”推行规划》 四、（一）1"  # seed 003: 省环保部门每年依法公布强制性清洁生产审核企业名单


@pytest.fixture
def scaffold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scaffold]:
    """``cpsdk new-plugin`` into a new folder, then the package made importable with a ``cpsdk`` entry point,
    as ``pip install -e`` would (a dist-info beside it on ``sys.path`` and ``PYTHONPATH``), without building it."""
    made: list[str] = []

    def make(*args: str, pinyin: str = "shanxi", version: str = "0.1.0") -> Path:
        package = tmp_path / f"cpsdk-{pinyin}"
        assert main(["new-plugin", *args, "-o", str(package)]) == 0
        site = tmp_path / "site"
        dist = site / f"cpsdk_{pinyin}-{version}.dist-info"
        dist.mkdir(parents=True)
        (dist / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: cpsdk-{pinyin}\nVersion: {version}\n", encoding="utf-8"
        )
        (dist / "entry_points.txt").write_text(f"[cpsdk]\n{pinyin} = cpsdk_{pinyin}.plugin\n", encoding="utf-8")
        for folder in (package, site):
            monkeypatch.syspath_prepend(str(folder))
        path = os.pathsep.join([str(site), str(package), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        monkeypatch.setenv("PYTHONPATH", path)
        made.append(f"cpsdk_{pinyin}")
        cpsdk.reset_plugins()
        return package

    yield make
    for name in [name for name in sys.modules if name.split(".")[0] in made]:
        del sys.modules[name]
    cpsdk.reset_plugins()


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CI": "true", **env}
    environment.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600)


def test_the_scaffold_registers_and_passes_its_tests_and_the_conformance_suite(scaffold: Scaffold) -> None:
    package = scaffold("--region", "14", "--name", "山西", "--source", SOURCE, "--layout-year", "2017")
    form = cpsdk.get_form("shanxi.enterprises")
    assert (form.plugin, form.layout_year, form.source) == ("cpsdk-shanxi", 2017, SOURCE)
    assert form.record_level and set(form.record_fields) == {"name", "uscc", "location", "industry", "year"}
    listed = _run([sys.executable, "-m", "cpsdk", "forms"], package)
    assert "shanxi.enterprises" in listed.stdout and "[cpsdk-shanxi]" in listed.stdout, listed.stderr
    tests = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"], package)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "test_reports_show_the_records_they_are_built_from" not in tests.stdout  # not failed, not skipped
    assert " passed" in tests.stdout and "skipped" not in tests.stdout


def test_the_scaffold_is_lint_and_type_clean_and_ignores_what_git_should(scaffold: Scaffold) -> None:
    package = scaffold("--region", "61", "--source", "陕工信发〔2016〕300号 附件2", pinyin="shaanxi")
    pyproject = (package / "pyproject.toml").read_text(encoding="utf-8")
    assert "[tool.mypy]" in pyproject and "[tool.ruff.lint]" in pyproject and 'name = "cpsdk-shaanxi"' in pyproject
    ignored = (package / ".gitignore").read_text(encoding="utf-8").split()
    assert {"__pycache__/", ".venv/", ".hypothesis/", "*.egg-info/"} <= set(ignored)
    lint = _run([sys.executable, "-m", "ruff", "check", "."], package)
    assert lint.returncode == 0, lint.stdout
    types = _run([sys.executable, "-m", "mypy"], package)
    assert types.returncode == 0, types.stdout


def test_the_form_reads_its_region_back_from_its_title(scaffold: Scaffold, tmp_path: Path) -> None:
    scaffold("--name", "山西省", "--source", SOURCE)
    form = cpsdk.get_form("shanxi.enterprises")
    dataset = cpsdk.example_dataset(seed=3, enterprises=30, cities=["1401", "1402"])
    report = form.build(dataset, region="1401", year=2018)
    assert (report.region, report.region_name) == ("1401", "太原市")
    assert report.rows and all((row.location or "").startswith("山西省太原市") for row in report.rows)
    path = form.write(report, tmp_path / "taiyuan.xlsx")
    assert form.read(path) == report
    with pytest.raises(ValueError, match="山西省"):
        form.build(dataset, region="6101")  # 西安: 陕西, not 山西


def test_without_a_citation_the_conformance_suite_fails_saying_so(scaffold: Scaffold) -> None:
    package = scaffold("--region", "14")
    tests = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_conformance.py"], package)
    assert tests.returncode == 1
    [failed] = [line for line in tests.stdout.splitlines() if line.startswith("FAILED")]
    assert "test_the_form_cites_its_document" in failed and "placeholder" in tests.stdout


@pytest.mark.parametrize(
    ("args", "package"),
    [
        (["--region", "14"], "cpsdk_shanxi"),
        (["--region", "61"], "cpsdk_shaanxi"),
        (["--name", "陕西"], "cpsdk_shaanxi"),
        (["--region", "14", "--name", "山西"], "cpsdk_shanxi"),
        (["jin", "--region", "14"], "cpsdk_jin"),
    ],
)
def test_the_package_is_named_in_pinyin_from_the_code(args: list[str], package: str, tmp_path: Path) -> None:
    assert main(["new-plugin", *args, "-o", str(tmp_path / "p")]) == 0
    assert (tmp_path / "p" / package / "enterprises.py").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["shanxi"], "pinyin alone is ambiguous"),
        (["--region", "1401"], "2-digit"),
        (["--region", "99"], "2-digit"),
        (["--name", "山东"], None),  # fine alone; refused only with a code it does not match
        (["--region", "14", "--name", "陕西"], "not 山西省"),
        (["--name", "西"], "not the name of a province"),
        (["Shanxi", "--region", "14"], "pinyin"),
        (["../x", "--region", "14"], "pinyin"),
    ],
)
def test_a_province_that_is_not_one_is_refused(
    args: list[str], said: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["new-plugin", *args, "-o", str(tmp_path / "p")])
    if said is None:
        assert code == 0
        return
    assert code == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_a_folder_with_files_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["new-plugin", "--region", "42", "-o", str(tmp_path)]) == 2
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
