"""Plugins: loading from entry points, isolation of broken plugins, and the hooks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cpsdk
from cpsdk import hookspecs
from cpsdk.datasets._example import generate
from tests.conftest import InstallPlugin

BROKEN_ON_IMPORT = "raise RuntimeError('boom on import')\n"
RAISES_IN_HOOK = """
import cpsdk

@cpsdk.hookimpl
def cpsdk_register_forms():
    raise ValueError("hook exploded")
"""
NONSENSE = """
import cpsdk

@cpsdk.hookimpl
def cpsdk_register_forms():
    return ["not a form", 42]

@cpsdk.hookimpl
def cpsdk_register_rules():
    return [object()]
"""
RULES_AND_TAGS = """
import cpsdk
from cpsdk.codes import KeyIndustry, KeyIndustryGroup

def parks(dataset):
    for index, enterprise in enumerate(dataset.enterprises):
        if enterprise.park is None:
            yield cpsdk.warning("gd.no-park", "未填写园区", "no park", pointer=f"/enterprises/{index}/park")

def explodes(dataset):
    raise RuntimeError("rule bug")

@cpsdk.hookimpl
def cpsdk_register_rules():
    return [cpsdk.Rule(id="gd.park", title_zh="园区", title_en="Parks", check=parks),
            cpsdk.Rule(id="gd.bug", title_zh="错", title_en="Bug", check=explodes)]

@cpsdk.hookimpl
def cpsdk_register_key_industries():
    return [KeyIndustry(tag="testprov_airships", name="造船", group=KeyIndustryGroup.PROVINCIAL, codes=("373",))]
"""

ENTERPRISE = {
    "uscc": "91110000600037341L",
    "name": "造船厂",
    "region": "440103",
    "industry": "3731",
    "key_industries": ["testprov_airships"],
}


def test_an_installed_plugin_shows_up_emits_and_reads_back_equal(install_plugin: InstallPlugin, tmp_path: Path) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    ids = [form.id for form in cpsdk.list_forms()]
    assert "testprov.enterprises" in ids and "national.summary" in ids
    form = cpsdk.get_form("testprov.enterprises")
    assert form.plugin == "cpsdk-testform"
    report = form.build(generate(seed=3, enterprises=5))
    form.write(report, tmp_path / "out.xlsx")
    assert form.read(tmp_path / "out.xlsx") == report


def test_a_plugin_that_fails_on_import_is_broken_and_the_others_work(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    install_plugin("cpsdk-boom", "cpsdk_boom", BROKEN_ON_IMPORT)
    infos = {info.name: info for info in cpsdk.plugins().infos()}
    assert infos["cpsdk_boom"].status == "broken"
    assert "boom on import" in (infos["cpsdk_boom"].error or "")
    assert infos["cpsdk_testform"].status == "ok"
    assert "testprov.enterprises" in [form.id for form in cpsdk.list_forms()]


def test_a_plugin_that_raises_in_a_hook_is_broken_and_the_others_work(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    install_plugin("cpsdk-raises", "cpsdk_raises", RAISES_IN_HOOK)
    forms = [form.id for form in cpsdk.list_forms()]
    infos = {info.name: info for info in cpsdk.plugins().infos()}
    assert "testprov.enterprises" in forms
    assert infos["cpsdk_raises"].status == "broken"
    assert "hook exploded" in (infos["cpsdk_raises"].error or "")


def test_a_plugin_returning_nonsense_is_reported_by_name(install_plugin: InstallPlugin) -> None:
    before = [form.id for form in cpsdk.list_forms()]
    install_plugin("cpsdk-nonsense", "cpsdk_nonsense", NONSENSE)
    assert [form.id for form in cpsdk.list_forms()] == before
    assert cpsdk.validate({}) == []
    info = {i.name: i for i in cpsdk.plugins().infos()}["cpsdk_nonsense"]
    assert info.status == "broken"
    assert "not a form" in (info.error or "") and "not a Rule" in (info.error or "")


def test_a_duplicate_form_is_refused_naming_both_plugins(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    install_plugin("cpsdk-copy", "cpsdk_copy", copy_from="cpsdk_testform.py")
    cpsdk.list_forms()
    errors = [i.error for i in cpsdk.plugins().infos() if i.status == "broken"]
    assert len(errors) == 1
    assert "cpsdk-testform" in (errors[0] or "") and "cpsdk-copy" in (errors[0] or "")


def test_plugins_can_be_disabled_by_environment(install_plugin: InstallPlugin, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    assert "testprov.enterprises" in {form.id for form in cpsdk.list_forms()}
    names = ",".join(info.name for info in cpsdk.plugins().infos())
    cpsdk.reset_plugins()
    monkeypatch.setenv("CPSDK_DISABLE_PLUGINS", names)
    assert cpsdk.list_forms() == []


def test_rules_and_key_industries_from_plugins_run_in_validate(install_plugin: InstallPlugin) -> None:
    issues = cpsdk.validate({"enterprises": [ENTERPRISE]})
    assert "code.key-industry" in {i.code for i in issues}
    install_plugin("cpsdk-rules", "cpsdk_rules", RULES_AND_TAGS)
    codes = {i.code for i in cpsdk.validate({"enterprises": [ENTERPRISE]})}
    assert "code.key-industry" not in codes
    assert {"gd.no-park", "plugin.rule-failed"} <= codes


def test_every_hook_is_prefixed_documented_and_tested() -> None:
    hooks = [name for name in dir(hookspecs) if name.startswith("cpsdk_")]
    assert hooks == ["cpsdk_register_forms", "cpsdk_register_key_industries", "cpsdk_register_rules"]
    this_file = Path(__file__).read_text(encoding="utf-8")
    for name in hooks:
        doc = getattr(hookspecs, name).__doc__ or ""
        assert "Example::" in doc and "@hookimpl" in doc, name
        assert f"def {name}" in this_file, name


def test_the_cli_lists_a_broken_plugin_and_still_works(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    install_plugin("cpsdk-boom", "cpsdk_boom", BROKEN_ON_IMPORT)
    result = subprocess.run(
        [sys.executable, "-m", "cpsdk", "plugins", "--format", "json"], capture_output=True, text=True, check=True
    )
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    assert plugins["cpsdk_boom"]["status"] == "broken" and "boom" in plugins["cpsdk_boom"]["error"]
    result = subprocess.run(
        [sys.executable, "-m", "cpsdk", "forms", "--format", "json"], capture_output=True, text=True, check=True
    )
    forms = {form["id"]: form for form in json.loads(result.stdout)}
    assert forms["testprov.enterprises"]["plugin"] == "cpsdk-testform"
    assert forms["testprov.enterprises"]["layout_year"] == 2016
    assert forms["testprov.enterprises"]["title"] == "企业名录"
