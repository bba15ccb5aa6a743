"""cpsdk's own forms pass the conformance suite it gives plugins; and the suite cannot pass vacuously, fixes no
settings of its own, and refuses what a new province's plugin gets wrong."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.errors import DeadlineExceeded

import cpsdk
from cpsdk.testing import FormConformance, citation_problem, load_hypothesis_profile
from tests.conftest import InstallPlugin
from tests.test_scaffold import SOURCE, Scaffold, scaffold

__all__ = ["scaffold"]  # the fixture, shared with tests/test_scaffold.py


#: In-tree forms whose citation names no document yet, each with where to fix it: each must still fail the check
#: (test_every_in_tree_form_cites_a_document), so that this empties as they are fixed.
UNCITED: dict[str, str] = {}


class TestNationalForms(FormConformance):
    plugin = "cpsdk"

    def test_the_form_cites_its_document(self, conformance_form: cpsdk.Form) -> None:
        if conformance_form.id in UNCITED:
            pytest.xfail(UNCITED[conformance_form.id])
        super().test_the_form_cites_its_document(conformance_form)


class Slow(FormConformance):
    """The suite over one form, with a dataset that takes longer than hypothesis's default deadline to make."""

    plugin = "cpsdk"
    made: list[int]

    def dataset(self, form: cpsdk.Form, *, seed: int, enterprises: int = 24, proposals_per_audit: int = 12) -> Any:
        self.made.append(seed)
        time.sleep(0.25)
        return super().dataset(form, seed=seed, enterprises=enterprises, proposals_per_audit=proposals_per_audit)


@pytest.fixture
def profile() -> Any:
    """Register and load a profile for one test; the run's own profile is loaded again after it."""

    def load(name: str, **values: Any) -> None:
        settings.register_profile(name, derandomize=True, database=None, **values)
        settings.load_profile(name)

    yield load
    load_hypothesis_profile()


def test_the_loaded_profile_decides_the_round_trips_examples_and_deadline(profile: Any) -> None:
    form = cpsdk.get_form("national.summary")
    suite = Slow()
    suite.made = []
    profile("conformance-probe", max_examples=3, deadline=None)
    suite.test_write_then_read_gives_the_report_back(form)  # 250 ms an example, over hypothesis's default 200
    assert len(suite.made) == 3
    profile("conformance-tight", max_examples=2, deadline=100)
    with pytest.raises(DeadlineExceeded):
        suite.test_write_then_read_gives_the_report_back(form)


def test_no_property_of_the_suite_fixes_its_own_settings() -> None:
    for name in dir(FormConformance):
        if name.startswith("test_"):
            method = getattr(FormConformance, name)
            assert not hasattr(method, "_hypothesis_internal_use_settings"), name
            assert not hasattr(method, "hypothesis"), f"{name}: @given at import would keep its settings"


def test_the_example_data_is_the_plugins_province(scaffold: Scaffold) -> None:
    scaffold("--region", "14", "--source", SOURCE)
    form = cpsdk.get_form("shanxi.enterprises")
    suite = FormConformance()
    assert suite.regions(form) == ("14",)  # from the form's RegionFromTitle.region_within
    dataset = suite.dataset(form, seed=5)
    assert dataset.enterprises and {e.region[:2] for e in dataset.enterprises} == {"14"}
    assert len({e.region[:4] for e in dataset.enterprises}) > 3  # spread over its prefectures
    suite.test_reports_show_the_records_they_are_built_from(form)
    suite.test_write_then_read_gives_the_report_back(form)
    assert FormConformance().regions(cpsdk.get_form("national.summary")) is None  # the nation: every region


def test_a_suite_whose_every_report_is_empty_fails(scaffold: Scaffold) -> None:
    scaffold("--region", "14", "--source", SOURCE)
    form = cpsdk.get_form("shanxi.enterprises")

    class Elsewhere(FormConformance):
        plugin = "cpsdk-shanxi"
        province = "11"  # 北京: the form reports on 山西 only

    with pytest.raises(pytest.fail.Exception, match=r"every report built from the example data \(11\) is empty"):
        Elsewhere().test_reports_show_the_records_they_are_built_from(form)
    with pytest.raises(AssertionError, match="every report of the round trip was empty"):
        Elsewhere().test_write_then_read_gives_the_report_back(form)


def test_a_plugin_may_give_its_own_dataset(scaffold: Scaffold) -> None:
    scaffold("--region", "14", "--source", SOURCE)
    form = cpsdk.get_form("shanxi.enterprises")

    class OneCity(FormConformance):
        plugin = "cpsdk-shanxi"
        build_params = {"shanxi.enterprises": {"region": "1402"}}

        def dataset(
            self, form: cpsdk.Form, *, seed: int, enterprises: int = 24, proposals_per_audit: int = 12
        ) -> cpsdk.Dataset:
            return cpsdk.example_dataset(seed=seed, enterprises=enterprises, cities=["1402"])

    suite = OneCity()
    suite.test_reports_show_the_records_they_are_built_from(form)
    report, _ = suite.build(form, suite.dataset(form, seed=5))
    assert report.rows and report.region_name == "大同市"


def test_what_counts_as_an_empty_report() -> None:
    class Sichuan(FormConformance):
        build_params = {"national.summary": {"region": "51"}}

    suite = Sichuan()
    form = cpsdk.get_form("national.summary")  # a fixed table of indicators: never without rows
    dataset = cpsdk.example_dataset(seed=1, enterprises=20)
    assert suite.shows_records(form, dataset, suite.build(form, dataset)[0])
    elsewhere = cpsdk.example_dataset(seed=1, enterprises=20, cities=["11"])
    assert not suite.shows_records(form, elsewhere, suite.build(form, elsewhere)[0])


def test_a_record_level_form_must_name_its_fields(install_plugin: InstallPlugin) -> None:
    install_plugin("cpsdk-testform", "cpsdk_testform", copy_from="cpsdk_testform.py")
    form = cpsdk.get_form("testprov.enterprises")
    missing = type("Missing", (type(form),), {"record_level": True, "record_fields": {}})()
    with pytest.raises(cpsdk.FormError, match="aggregate form"):
        FormConformance().test_a_record_level_form_names_its_fields(missing)
    unnamed = type("Unnamed", (type(form),), {"record_level": True, "record_fields": {"name": "enterprise.name"}})()
    with pytest.raises(AssertionError, match=r"does not name the row fields \['above_scale', 'region', 'uscc'\]"):
        FormConformance().test_a_record_level_form_names_its_fields(unnamed)
    wrong = type("Wrong", (type(form),), {"record_level": True, "record_fields": {"nom": "enterprise.name"}})()
    with pytest.raises(AssertionError, match=r"names \['nom'\], which are not fields"):
        FormConformance().test_a_record_level_form_names_its_fields(wrong)


@pytest.mark.parametrize(
    "source",
    [
        None,
        "",
        "TODO: 填写本表所依据的文件及条款（文号 附件 条款）",
        "示例文件〔2016〕1号 附件1",
        "晋经信〔2016〕X号 附件1",
        "晋经信〔2016〕XX号",
        "Placeholder",
        "山西省清洁生产审核企业名单（示例）",
        "xxx",
        "规划",  # a bare word names no document
        "《规划》",
        "“十二五”",
        "审核企业名单 第3条",
        "山西省规划",
        "[2016]120号",  # a number without its issuer
    ],
)
def test_a_placeholder_citation_is_refused(source: str | None) -> None:
    assert citation_problem(source) is not None


@pytest.mark.parametrize(
    "source",
    [
        SOURCE,
        "川经信环资〔2016〕153号 附件3 填报说明[3]",
        "DB37/T 1086-2008《山东省企业环境报告书编制指南》",
        "DB37/T 1086-2008",
        "《山西省清洁生产“十二五”推行规划》 四、（一）1",
        "“关于进一步规范清洁生产审核工作的通知”",
        "晋环发〔2010〕231号",
        "晋环发[2010]231号 第三条",
        "晋环发［2010］231号",
        "广东省关于全面推进绿色清洁生产工作的意见（2016） 实施差别化审核制度",
        "工业清洁生产推行“十二五”规划 表1",
    ],
)
def test_a_documents_citation_is_accepted(source: str) -> None:
    assert citation_problem(source) is None


def test_every_in_tree_form_cites_a_document() -> None:
    for form in cpsdk.list_forms():
        if form.id in UNCITED:
            assert citation_problem(form.source) is not None, f"{form.id} is fixed: take it out of UNCITED"
        else:
            assert citation_problem(form.source) is None, form.id


def test_a_refused_citation_says_what_a_citation_is() -> None:
    problem = citation_problem("规划") or ""
    assert "names no document" in problem and "《》" in problem and "文号" in problem


def test_the_suite_makes_writes_fail_without_xlsxwriter_internals() -> None:
    text = (Path(cpsdk.__file__).parent / "testing.py").read_text(encoding="utf-8")
    assert "xlsxwriter" not in text and "_store_workbook" not in text


def test_a_form_built_for_a_region_is_built_from_that_regions_records() -> None:
    class ForACity(FormConformance):
        plugin = "cpsdk-sichuan"
        build_params = {"sichuan.audit-plan": {"region": "5103"}, "sichuan.annual-report": {"region": "510107"}}

    suite = ForACity()
    assert suite.regions(cpsdk.get_form("sichuan.audit-plan")) == ("5103",)
    assert suite.regions(cpsdk.get_form("sichuan.annual-report")) == ("5101",)  # a county: its prefecture
    assert suite.regions(cpsdk.get_form("sichuan.retrofit-plan")) == ("51",)  # the plugin's province
    dataset = suite.dataset(cpsdk.get_form("sichuan.audit-plan"), seed=5)
    assert {e.region[:4] for e in dataset.enterprises} == {"5103"}
