"""The repository keeps its promises: README commands, CI, ruff and mypy."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_opens_with_exactly_two_setup_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    assert commands[0].endswith("cpsdk demo --out demo")
    assert "pytest" in commands[1]


def test_ci_installs_debians_packages_then_runs_the_readme_test_command_and_nothing_else() -> None:
    script = [
        line
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "set ", "cd "))
    ]
    assert script[-1] == _readme_commands()[1]
    # before it: only installing what the tests need from Debian's packages, and saying it is required
    before = " ".join(script[:-1])
    assert "apt-get install" in before and "export CPSDK_RENDER=required" in before
    assert "pip" not in before and "pytest" not in before


def test_the_server_is_mypy_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT / "server", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "cpsdk", "tests", "plugins", "benchmarks", "server"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


PLUGINS = sorted(path.parent for path in (ROOT / "plugins").glob("*/pyproject.toml"))


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda path: path.name)
def test_each_plugin_is_mypy_clean(plugin: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=plugin, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda path: path.name)
def test_each_plugin_uses_only_the_public_api(plugin: Path) -> None:
    private = re.compile(r"^\s*(from|import)\s+cpsdk(\.\w+)*\._\w+", re.MULTILINE)
    offenders = [
        str(path.relative_to(ROOT)) for path in plugin.rglob("*.py") if private.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_benchmarks_name_registered_forms() -> None:
    import importlib.util

    import cpsdk

    spec = importlib.util.spec_from_file_location("benchmarks_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    forms = {form.id for form in cpsdk.list_forms()}
    assert {scenario[3] for scenario in module.SCENARIOS} - {"-"} <= forms
    assert set(module.OPERATIONS) >= {op for scenario in module.SCENARIOS for op in scenario[1:3]}


def test_users_code_type_checks_against_the_public_api(tmp_path: Path) -> None:
    """A dataset's collections are Records to mypy: built from any iterable, scanned by column."""
    usage = tmp_path / "usage.py"
    usage.write_text(
        "import cpsdk\n"
        "dataset = cpsdk.Dataset(proposals=[], enterprises=iter(cpsdk.Dataset().enterprises))\n"
        "names: list[object] = list(dataset.proposals.column('name'))\n"
        "first: cpsdk.Records[cpsdk.Proposal] = dataset.proposals\n"
        "bad = cpsdk.Dataset(audits=[1])\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(usage)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "usage.py:5:" in errors[0], result.stdout
