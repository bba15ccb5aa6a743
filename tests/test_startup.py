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
    # Two seconds later: Python's bytecode cache compares whole seconds and the size, which an edit this quick and
    # of the same size would not change (the module itself would then come from the stale bytecode).
    os.utime(module, ns=(state.st_atime_ns, state.st_mtime_ns + 2_000_000_000))
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


WORKBOOK_READING = (
    "cpsdk.workbook._reader",
    "cpsdk.workbook._recognise",
    "cpsdk.workbook._archive",
    "cpsdk.workbook._blank",
    "cpsdk.workbook._digest",
    "jsonschema",
    "fastjsonschema",
    "xlsxwriter",
)


def test_importing_the_workbook_package_imports_none_of_its_modules() -> None:
    code = f"import sys, json, cpsdk.workbook; print(json.dumps([m for m in {WORKBOOK_READING!r} if m in sys.modules]))"
    assert json.loads(python(code)) == []


def test_workbook_names_resolve_lazily_and_report_cpsdk_workbook_however_imported_first() -> None:
    import cpsdk.workbook

    assert set(cpsdk.workbook._EXPORTS) == set(cpsdk.workbook.__all__)
    assert set(cpsdk.workbook.__all__) <= set(dir(cpsdk.workbook))
    code = (
        "import inspect\n"
        "from cpsdk.workbook._identity import WorkbookIdentity\n"  # as cpsdk.intake imports them
        "from cpsdk.workbook._reader import open_workbook\n"
        "from cpsdk.workbook._digest import verify\n"
        "print(WorkbookIdentity.__module__, open_workbook.__module__, verify.__module__)\n"
        "import cpsdk.workbook\n"
        "assert cpsdk.workbook.verify_identity is verify\n"
        "for name in cpsdk.workbook.__all__:\n"
        "    value = getattr(cpsdk.workbook, name)\n"
        "    if isinstance(value, type) or inspect.isfunction(value):\n"
        "        assert value.__module__ == 'cpsdk.workbook', name\n"
        "print('ok')\n"
    )
    assert python(code).split() == ["cpsdk.workbook"] * 3 + ["ok"]
    with pytest.raises(AttributeError):
        cpsdk.workbook.no_such_name  # noqa: B018


def _emit_code(form: str, dataset: Path, output: Path, *params: str) -> str:
    """Code for a fresh interpreter: ``cpsdk forms`` (writing the forms index, keyed by this command's
    ``sys.path``), then ``cpsdk emit``; prints the modules the emit imported of jsonschema and the plugins."""
    args = ["emit", form, str(dataset), "-o", str(output), *params]
    return (
        "import contextlib, io, json, sys\n"
        "from cpsdk.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    assert main({args!r}) == 0\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('jsonschema', 'fastjsonschema', 'cpsdk_', "
        "'cpsdk.national')))))\n"
    )


def _sheets(path: Path) -> dict[str, bytes]:
    """A workbook's parts, without what depends on the time it was written: the identity's ``written_at``
    and the seal over it (each read back and checked first), and the times xlsxwriter may stamp."""
    import re
    import zipfile

    from cpsdk.workbook import workbook_identity

    identity = workbook_identity(path)  # the seal verified
    assert identity is not None
    written_at = identity.written_at.encode()
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    for name, part in parts.items():
        part = re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\1>", b"", part)
        if written_at in part:  # the identity sheet: its seal is the last cell
            part = re.sub(
                rb"<t>[0-9a-f]{16}</t></is></c></row></sheetData>", b"<t>seal</t>", part.replace(written_at, b"")
            )
        parts[name] = part
    return parts


@pytest.fixture(scope="module")
def demo_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "dataset.json"
    cpsdk.save(cpsdk.example_dataset(enterprises=40), path)
    return path


@pytest.mark.parametrize(
    ("form", "params", "plugins"),
    [
        ("sichuan.retrofit-plan", ["--region", "51", "--year", "2021"], "cpsdk_sichuan"),
        ("national.summary", ["--region", "51", "--year", "2021"], "cpsdk.national"),
    ],
)
def test_emit_loads_only_the_plugin_providing_the_form_and_writes_the_same_workbook(
    tmp_path: Path, demo_dataset: Path, form: str, params: list[str], plugins: str
) -> None:
    env = {**os.environ, "CPSDK_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CPSDK_NO_CACHE", None)
    python("from cpsdk.cli import main\nmain(['forms'])\n", env)  # the index, written by the same command
    indexed, everything = tmp_path / "indexed.xlsx", tmp_path / "everything.xlsx"
    loaded = json.loads(python(_emit_code(form, demo_dataset, indexed, *params), env))
    assert loaded and all(module.startswith(plugins) for module in loaded), loaded  # no jsonschema, no other plugin
    full = json.loads(python(_emit_code(form, demo_dataset, everything, *params), {**env, "CPSDK_NO_CACHE": "1"}))
    assert {"cpsdk_guangdong", "cpsdk_shandong", "cpsdk_sichuan", "cpsdk.national"} <= set(full)
    assert not any(module.startswith("jsonschema") for module in full)  # the fast path, without the index too
    assert _sheets(indexed) == _sheets(everything)


def test_the_version_the_loader_accepts_without_jsonschema_is_the_one_the_schema_requires() -> None:
    from cpsdk.datasets._load import _validator

    assert cpsdk.dataset_schema()["properties"]["version"]["const"] == cpsdk.DATASET_VERSION
    assert list(_validator().iter_errors({"version": cpsdk.DATASET_VERSION})) == []


def test_emit_loads_every_plugin_without_a_current_index_or_when_it_names_the_wrong_plugin(
    tmp_path: Path, demo_dataset: Path
) -> None:
    env = {**os.environ, "CPSDK_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CPSDK_NO_CACHE", None)
    output = tmp_path / "out.xlsx"
    code = _emit_code("sichuan.retrofit-plan", demo_dataset, output, "--region", "51", "--year", "2021")
    assert "cpsdk_guangdong" in json.loads(python(code, env))  # no index yet
    assert not list((tmp_path / "cache").glob("forms/index-*.json"))  # emit writes none: only `cpsdk forms` does
    python("from cpsdk.cli import main\nmain(['forms'])\n", env)
    (index,) = (tmp_path / "cache").glob("forms/index-*.json")
    held = json.loads(index.read_text(encoding="utf-8"))
    listing = json.loads(held["listings"]["json"])
    for entry in listing:
        if entry["id"] == "sichuan.retrofit-plan":
            entry["plugin"] = "cpsdk-shandong"  # a current key, a wrong provider: its forms do not match
    held["listings"]["json"] = json.dumps(listing)
    index.write_text(json.dumps(held), encoding="utf-8")
    expected = _sheets(output)
    assert "cpsdk_guangdong" in json.loads(python(code, env))
    assert _sheets(output) == expected


def test_a_form_class_imports_the_writing_side_only() -> None:
    """Reading and recognition are imported when a workbook is read."""
    code = (
        "import sys, cpsdk; cpsdk.LayoutForm; "
        "print(sorted(m for m in ('cpsdk.workbook._reader', 'cpsdk.workbook._recognise') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
