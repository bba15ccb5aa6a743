"""Plugins: loading from entry points, isolation of broken plugins, and the hooks."""

from __future__ import annotations

import json
import os
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


def test_a_form_not_found_names_the_broken_plugins_and_their_errors(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-shanxi", "shanxi", "raise RuntimeError('no module named cpsdk_shanxi.forms')\n")
    with pytest.raises(cpsdk.UnknownFormError) as raised:
        cpsdk.get_form("shanxi.industry-progress")
    message = str(raised.value)
    assert "unknown form 'shanxi.industry-progress'" in message
    assert (
        "plugin shanxi is broken (RuntimeError: no module named cpsdk_shanxi.forms): its forms are not loaded; "
        "see `cpsdk plugins`"
    ) in message
    result = subprocess.run(
        [sys.executable, "-m", "cpsdk", "emit", "shanxi.industry-progress", "in.json", "-o", "out.xlsx"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "plugin shanxi is broken (RuntimeError" in result.stderr


def test_a_form_not_found_with_every_plugin_working_says_nothing_of_broken_plugins() -> None:
    with pytest.raises(cpsdk.UnknownFormError) as raised:
        cpsdk.get_form("shanxi.industry-progress")
    assert "broken" not in str(raised.value)


# -- the boundary keeps its promises (issue 24, item 7) ------------------------------------------------------

PARKS = """
import cpsdk

def parks(dataset):
    for index, enterprise in enumerate(dataset.enterprises):
        if enterprise.park is None:
            yield cpsdk.warning("gd.no-park", "未填写园区", "no park", pointer=f"/enterprises/{index}/park")

@cpsdk.hookimpl
def cpsdk_register_rules():
    return [cpsdk.Rule(id="gd.park", title_zh="园区", title_en="Parks", check=parks)]
"""
MISSPELT_HOOK = """
import cpsdk

@cpsdk.hookimpl
def cpsdk_register_form():
    return []
"""
UNDERSCORED_ID = """
import cpsdk
from cpsdk_testform import EnterpriseList

class Underscored(EnterpriseList):
    id = "test_prov.enterprise_list"

@cpsdk.hookimpl
def cpsdk_register_forms():
    return [Underscored()]
"""
NOT_QUITE_A_FORM = """
import cpsdk

class Half:
    id = "half.form"
    title = "半表"
    layout_year = 2016
    def build(self, dataset, **params):
        return None

@cpsdk.hookimpl
def cpsdk_register_forms():
    return [Half()]
"""


def test_a_plugin_rule_points_at_the_record_in_the_input_not_in_the_dataset(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-parks", "cpsdk_parks", PARKS)
    unreadable = {"name": 5}  # left out of the dataset: the enterprise after it is the dataset's first
    issues = cpsdk.validate({"enterprises": [unreadable, {**ENTERPRISE, "key_industries": []}]})
    [park] = [issue for issue in issues if issue.code == "gd.no-park"]
    assert park.pointer == "/enterprises/1/park"


def test_tracing_prints_every_hook_call_with_its_plugin(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    result = subprocess.run(
        [sys.executable, "-m", "cpsdk", "forms"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "CPSDK_TRACE_PLUGINS": "1"},
    )
    assert "testprov.enterprises" in result.stdout
    assert "calling cpsdk_register_forms of cpsdk_testform [plugin]" in result.stderr
    assert "finish cpsdk_register_forms --> [[<EnterpriseList testprov.enterprises@2016>]]" in result.stderr
    quiet = subprocess.run(
        [sys.executable, "-m", "cpsdk", "forms"],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "CPSDK_TRACE_PLUGINS"},
    )
    assert quiet.stderr == ""


def test_tracing_keeps_each_plugins_isolation(install_plugin: InstallPlugin, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPSDK_TRACE_PLUGINS", "1")
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    install_plugin("cpsdk-raises", "cpsdk_raises", RAISES_IN_HOOK)
    assert "testprov.enterprises" in [form.id for form in cpsdk.list_forms()]
    assert {i.name: i.status for i in cpsdk.plugins().infos()}["cpsdk_raises"] == "broken"


def test_registration_leaves_the_plugins_own_form_objects_alone(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py", version="2.3.4")
    import cpsdk_testform  # type: ignore[import-not-found]

    handed = cpsdk_testform.EnterpriseList()
    registered = cpsdk.get_form("testprov.enterprises")
    assert (registered.plugin, registered.plugin_version) == ("cpsdk-testform", "2.3.4")
    assert isinstance(registered, cpsdk_testform.EnterpriseList)
    assert (handed.plugin, handed.plugin_version) == ("cpsdk", "")  # the class's own defaults, untouched
    assert "plugin" not in vars(cpsdk_testform.EnterpriseList)


def test_a_form_hands_over_by_a_module_level_object_is_not_changed(tmp_path: Path) -> None:
    form = cpsdk.get_form("national.summary")
    original = type(form)()

    class Plugin:
        @cpsdk.hookimpl
        def cpsdk_register_forms(self) -> list[cpsdk.Form]:
            return [shared]

    shared = type(form)()
    shared_id = type(shared).id
    host = cpsdk.Plugins(entry_points=False, builtins=())
    host.register(Plugin(), "mine", distribution="cpsdk-mine", version="1.0")
    [registered] = host.forms().all()
    assert registered is not shared and registered.plugin == "cpsdk-mine"
    assert vars(shared) == vars(original) and shared.id == shared_id


def test_form_ids_follow_one_rule_in_the_registry_and_the_suite(install_plugin: InstallPlugin) -> None:
    from cpsdk.forms._form import form_id_problem

    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    install_plugin("cpsdk-underscored", "cpsdk_underscored", UNDERSCORED_ID)
    assert "test_prov.enterprise_list" not in [form.id for form in cpsdk.list_forms()]
    info = {i.name: i for i in cpsdk.plugins().infos()}["cpsdk_underscored"]
    assert info.status == "broken" and "malformed id 'test_prov.enterprise_list'" in (info.error or "")
    assert form_id_problem("test_prov.enterprise_list") is not None
    assert form_id_problem("sichuan.annual-report") is None and form_id_problem("gd2.city-summary-2") is None
    for bad in ("Sichuan.x", "sichuan", "sichuan.", "sichuan.a--b", "sichuan.-a", "四川.年报", "a.b.c"):
        assert form_id_problem(bad) is not None, bad


def test_a_misspelt_hook_breaks_its_plugin_only(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    install_plugin("cpsdk-misspelt", "cpsdk_misspelt", MISSPELT_HOOK)
    assert "testprov.enterprises" in [form.id for form in cpsdk.list_forms()]
    info = {i.name: i for i in cpsdk.plugins().infos()}["cpsdk_misspelt"]
    assert info.status == "broken" and "cpsdk_register_form" in (info.error or "")


def test_an_object_short_of_the_form_protocol_is_refused_naming_what_it_lacks(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-half", "cpsdk_half", NOT_QUITE_A_FORM)
    assert "half.form" not in [form.id for form in cpsdk.list_forms()]
    error = {i.name: i for i in cpsdk.plugins().infos()}["cpsdk_half"].error or ""
    assert "not a form" in error and "read_with_issues" in error and "report_schema" in error


def test_plugin_error_is_raised_where_a_plugin_is_asked_for_directly(install_plugin: InstallPlugin) -> None:
    class Misspelt:
        @cpsdk.hookimpl
        def cpsdk_register_form(self) -> list[cpsdk.Form]:
            return []

    host = cpsdk.Plugins(entry_points=False)
    with pytest.raises(cpsdk.PluginError, match="cpsdk_register_form") as raised:
        host.register(Misspelt(), "misspelt")
    assert raised.value.plugin == "misspelt"
    assert "misspelt" not in {info.name for info in host.infos()}
    with pytest.raises(cpsdk.PluginError, match=r"cannot be registered"):
        host.register(object(), "national")  # the built-in plugin's name
    host.raise_if_broken()  # every plugin works

    install_plugin("cpsdk-raises", "cpsdk_raises", RAISES_IN_HOOK)
    cpsdk.plugins().raise_if_broken("cpsdk-sichuan", "national")  # the others work
    with pytest.raises(cpsdk.PluginError, match="hook exploded") as raised:
        cpsdk.plugins().raise_if_broken()
    assert raised.value.plugin == "cpsdk_raises"


def test_an_explicit_form_subclass_gets_the_protocols_defaults() -> None:
    form = cpsdk.get_form("national.summary")

    class Plain(cpsdk.Form):
        """A form not laid out by cpsdk: it delegates to another, and declares nothing optional."""

        id = "plain.summary"
        title = "汇总"
        layout_year = 2016
        period = cpsdk.Period.YEAR
        scope = cpsdk.Scope.REGION
        report_type = form.report_type

        def build(self, dataset: cpsdk.Dataset, **params: object) -> object:
            return form.build(dataset, **params)

        def check(self, report: object) -> list[cpsdk.Issue]:
            return []

    plain = Plain()
    assert isinstance(plain, cpsdk.Form)
    assert (plain.parameters, plain.record_level, dict(plain.record_fields), plain.merges_from) == ({}, False, {}, ())
    assert plain.source is None and plain.plugin_version == ""
    report, notes = cpsdk.build_report(plain, generate(seed=1, enterprises=4), year=2018)
    assert report == form.build(generate(seed=1, enterprises=4), year=2018) and notes == []


def test_the_code_relies_on_no_form_member_the_protocol_does_not_declare() -> None:
    """The members the SDK uses are declared on the protocol, not probed with getattr."""
    from cpsdk.forms._form import FORM_MEMBERS

    root = Path(cpsdk.__file__).parent
    for member in ("build_with_issues", "read_with_issues", "parameters", "record_level", "record_fields"):
        assert member in FORM_MEMBERS
    for member in ("merges_from", "plugin_version", "source"):
        assert member in FORM_MEMBERS
    for path in [root / "cli.py", root / "testing.py", *(root / "forms").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for member in FORM_MEMBERS:
            assert f'getattr(form, "{member}"' not in text and f'hasattr(form, "{member}"' not in text, path
        assert "getattr(target," not in text and "getattr(conformance_form," not in text, path
