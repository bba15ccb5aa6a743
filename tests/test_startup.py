"""Starting fast (issue 26): ``import cpsdk`` imports nothing heavy, public names load on first use and
still report ``cpsdk`` as their module, and ``cpsdk forms`` answers from its forms index exactly as from
the plugins themselves — the index forgotten whenever a plugin changes. No timings here: see
``benchmarks/startup.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cpsdk
from cpsdk.cli import main
from tests.conftest import InstallPlugin

HEAVY = ("xlsxwriter", "jsonschema", "cpsdk.workbook", "pluggy", "attrs", "importlib.metadata", "msgspec")


def python(code: str, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a fresh interpreter; its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", env=env, check=True
    )
    return done.stdout


def cli(*args: str, cache: Path | None, env: dict[str, str] | None = None) -> str:
    """``cpsdk ARGS`` in a fresh interpreter, with its forms index in ``cache`` (None: no index); stdout."""
    env = {**os.environ, **(env or {})}
    env.pop("CPSDK_NO_CACHE", None)
    if cache is None:
        env["CPSDK_NO_CACHE"] = "1"
    else:
        env["CPSDK_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-m", "cpsdk", *args], capture_output=True, text=True, encoding="utf-8", env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def index_files(cache: Path) -> list[Path]:
    return sorted((cache / "forms").glob("index-*.json"))


def test_importing_cpsdk_imports_nothing_heavy() -> None:
    loaded = json.loads(
        python(f"import sys, json, cpsdk; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    )
    assert loaded == []


def test_every_public_name_resolves_lazily_and_reports_cpsdk_as_its_module() -> None:
    assert set(cpsdk._EXPORTS) | {"__version__"} == set(cpsdk.__all__)
    assert set(cpsdk.__all__) <= set(dir(cpsdk))
    code = (
        "import inspect, cpsdk\n"
        "for name in cpsdk.__all__:\n"
        "    value = getattr(cpsdk, name)\n"
        "    if isinstance(value, type) or inspect.isfunction(value):\n"
        "        assert value.__module__ == 'cpsdk', name\n"
        "print('ok')\n"
    )
    assert python(code) == "ok\n"


def test_a_public_class_reports_cpsdk_however_it_was_imported_first() -> None:
    # Reached through its private module before cpsdk.X is ever read: still cpsdk's, and its types resolved.
    code = (
        "import typing\n"
        "from cpsdk.model._entities import Proposal\n"
        "from cpsdk.model._vocabulary import CostClass\n"
        "from cpsdk.base._errors import FormError\n"
        "print(Proposal.__module__, CostClass.__module__, FormError.__module__, repr(Proposal))\n"
        "assert 'investment' in typing.get_type_hints(Proposal)\n"
    )
    assert python(code).split() == ["cpsdk", "cpsdk", "cpsdk", "<class", "'cpsdk.Proposal'>"]


def test_the_version_is_the_installed_ones() -> None:
    assert cli("--version", cache=None) == f"cpsdk {cpsdk.sdk_version()}\n"


def test_listing_forms_from_the_index_imports_no_plugin_nor_the_workbook(tmp_path: Path) -> None:
    env = {**os.environ, "CPSDK_CACHE_DIR": str(tmp_path)}
    env.pop("CPSDK_NO_CACHE", None)
    code = (
        "import contextlib, io, json, sys\n"
        "from cpsdk.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['forms']) == 0\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('cpsdk_', 'cpsdk.', 'xlsxwriter')))))\n"
    )
    python(code, env)  # writes the index (the key holds sys.path: the same command to read it)
    assert json.loads(python(code, env)) == ["cpsdk.cli"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_forms_lists_the_same_with_and_without_the_index(tmp_path: Path, fmt: str) -> None:
    plain = cli("forms", "--format", fmt, cache=None)
    assert cli("forms", "--format", fmt, cache=tmp_path) == plain  # the index written
    assert index_files(tmp_path)
    assert cli("forms", "--format", fmt, cache=tmp_path) == plain  # the index read
    assert "sichuan.retrofit-plan" in plain


def test_the_index_is_forgotten_when_a_plugin_file_changes(tmp_path: Path, install_plugin: InstallPlugin) -> None:
    site = install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    cache = tmp_path / "cache"
    assert "企业名录" in cli("forms", cache=cache)
    module = site / "cpsdk_testform.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace('title = "企业名录"', 'title = "企业目录"'), encoding="utf-8")  # the same size
    state = module.stat()
    os.utime(module, ns=(state.st_atime_ns, state.st_mtime_ns + 1_000_000))
    listed = cli("forms", cache=cache)
    assert "企业目录" in listed and "企业名录" not in listed
    assert listed == cli("forms", cache=None)


def test_the_index_is_forgotten_when_a_plugin_is_disabled_or_enabled(
    tmp_path: Path, install_plugin: InstallPlugin
) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    assert "testprov.enterprises" in cli("forms", cache=tmp_path)
    disabled = cli("forms", cache=tmp_path, env={"CPSDK_DISABLE_PLUGINS": "cpsdk_testform,sichuan"})
    assert "testprov.enterprises" not in disabled and "sichuan." not in disabled and "national." in disabled
    assert "testprov.enterprises" in cli("forms", cache=tmp_path)


def test_a_new_plugin_is_listed_at_once(tmp_path: Path, install_plugin: InstallPlugin) -> None:
    assert "testprov.enterprises" not in cli("forms", cache=tmp_path)
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    assert "testprov.enterprises" in cli("forms", cache=tmp_path)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe not json",
        b"[1, 2, 3]",
        b'{"format": 1}',
        b'{"format": 1, "key": null, "listings": {"text": 3}}',
        b'{"format": 99, "key": "x", "listings": {"text": "forged\\n", "json": "[]\\n"}}',
    ],
)
def test_a_corrupt_or_foreign_index_is_ignored_and_rewritten(tmp_path: Path, content: bytes) -> None:
    plain = cli("forms", cache=None)
    cli("forms", cache=tmp_path)
    (index,) = index_files(tmp_path)
    index.write_bytes(content)
    assert cli("forms", cache=tmp_path) == plain
    assert json.loads(index.read_text(encoding="utf-8"))["format"] == 1  # written anew
    assert cli("forms", cache=tmp_path) == plain


def test_an_index_of_other_plugins_is_not_trusted(tmp_path: Path) -> None:
    plain = cli("forms", cache=None)
    cli("forms", cache=tmp_path)
    (index,) = index_files(tmp_path)
    held = json.loads(index.read_text(encoding="utf-8"))
    held["listings"]["text"] = "forged\n"
    held["key"] = held["key"].replace("sichuan", "sichuan2")
    index.write_text(json.dumps(held), encoding="utf-8")
    assert cli("forms", cache=tmp_path) == plain


def test_no_index_is_kept_when_caching_is_off_or_the_folder_is_others(tmp_path: Path) -> None:
    cli("forms", cache=None, env={"CPSDK_CACHE_DIR": str(tmp_path / "off")})
    assert not (tmp_path / "off").exists()
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # others may write to it: what it holds could be anyone's
    assert cli("forms", cache=shared) == cli("forms", cache=None)
    assert not (shared / "forms").exists() or not index_files(shared)


def test_a_plugin_registered_in_process_is_listed_not_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CPSDK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CPSDK_NO_CACHE", raising=False)
    cli("forms", cache=tmp_path)

    class Extra(cpsdk.Form):
        id = "inproc.extra"
        title = "额外"
        layout_year = 2020
        period = cpsdk.Period.YEAR
        scope = cpsdk.Scope.PROVINCE

    class Plugin:
        @cpsdk.hookimpl
        def cpsdk_register_forms(self) -> list[cpsdk.Form]:
            return [Extra()]

    cpsdk.plugins().register(Plugin(), "inproc")
    assert main(["forms"]) == 0
    assert "inproc.extra" in capsys.readouterr().out


def test_cpsdk_serve_hands_over_to_the_server_s_command_line() -> None:
    """`cpsdk serve` runs cpsdk-server's own command line, imported only then (the SDK never imports it)."""
    done = subprocess.run([sys.executable, "-m", "cpsdk", "serve", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "usage: cpsdk-serve" in done.stdout
    quiet = subprocess.run(
        [sys.executable, "-c", "import sys, cpsdk.cli; print('cpsdk_server' in sys.modules)"],
        capture_output=True,
        text=True,
    )
    assert quiet.stdout.strip() == "False"
