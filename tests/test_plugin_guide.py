"""What docs/plugins.md tells a new plugin's author is what the code does: every name it documents exists
and behaves as it says."""

from __future__ import annotations

import datetime
import inspect
import re
import typing
from pathlib import Path

import attrs
import pytest

import cpsdk
from cpsdk.cli import build_parser
from cpsdk.codes import example_uscc, region, uscc_problem
from cpsdk.forms._form import FORM_MEMBERS
from cpsdk.testing import FormConformance
from cpsdk.workbook._styles import STYLES

GUIDE = (Path(__file__).parent.parent / "docs" / "plugins.md").read_text(encoding="utf-8")
SOURCE_DIR = Path(cpsdk.__file__).parent


def _table_after(heading: str) -> list[str]:
    """The first cells of the Markdown table that follows ``heading``."""
    rest = GUIDE[GUIDE.index(heading) :]
    rows = re.search(r"\n(\|.*\|\n)+", rest)
    assert rows is not None, heading
    return [line.split("|")[1].strip() for line in rows[0].strip().splitlines()[2:]]


def test_the_cell_styles_the_guide_names_are_the_styles_there_are() -> None:
    documented = {
        name for cell in _table_after("names one of the cell styles") for name in re.findall(r"`(\w+)`", cell)
    }
    assert documented == set(STYLES)


def test_region_level_holds_the_tier() -> None:
    assert "`Region.level`" in GUIDE
    levels = {code: found.level for code in ("14", "1401", "140105") if (found := region(code)) is not None}
    assert levels == {"14": "province", "1401": "prefecture", "140105": "county"}


def test_report_error_is_made_from_a_message_and_issues() -> None:
    assert "`cpsdk.ReportError(message, issues)`" in GUIDE
    assert list(inspect.signature(cpsdk.ReportError).parameters) == ["message", "issues"]
    issue = cpsdk.error("x.y", "错", "wrong")
    raised = cpsdk.ReportError("the report has 1 error(s)", [issue])
    assert str(raised) == "the report has 1 error(s)" and raised.issues == (issue,)


def test_a_build_refuses_a_bad_parameter_with_value_error() -> None:
    assert "`cpsdk.decimal_parameter(value, name, minimum=…, maximum=…)`" in GUIDE
    with pytest.raises(ValueError, match="share"):
        cpsdk.decimal_parameter("many", "share", minimum=0, maximum=100)
    with pytest.raises(ValueError, match="draft"):
        cpsdk.flag_parameter("perhaps", "draft")
    assert cpsdk.flag_parameter("是", "draft") is True


def test_uscc_problem_is_none_or_a_pair_of_messages() -> None:
    code = example_uscc("1401", 7)
    assert uscc_problem(code) is None
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert uscc_problem(wrong) == ("校验码错误", "the check character is wrong")
    assert len({example_uscc("14", serial) for serial in range(50)}) == 50


def test_metric_pollutant_is_as_documented() -> None:
    pollutants = {metric for metric in cpsdk.Metric if metric.pollutant}
    assert {cpsdk.Metric.COD, cpsdk.Metric.AMMONIA_NITROGEN, cpsdk.Metric.SO2, cpsdk.Metric.LEAD} <= pollutants
    resources = {"energy", "water", "electricity", "coal", "raw_material", "co2", "mercury_use", "benefit"}
    assert {metric.value for metric in cpsdk.Metric if not metric.pollutant} == resources
    assert all(isinstance(metric.unit, cpsdk.Unit) for metric in cpsdk.Metric)


def test_audit_evaluated_and_accepted_need_a_pass_and_its_date() -> None:
    day = datetime.date(2018, 6, 1)
    audit = cpsdk.Audit(id="a1", enterprise=example_uscc("14", 1), kind=cpsdk.AuditKind.VOLUNTARY)
    assert not audit.evaluated and not audit.accepted
    passed = cpsdk.Outcome.PASSED
    assert cpsdk.Audit(**{**_fields(audit), "evaluation": passed, "evaluated_on": day}).evaluated
    assert not cpsdk.Audit(**{**_fields(audit), "evaluation": passed}).evaluated  # no date
    assert cpsdk.Audit(**{**_fields(audit), "acceptance": passed, "accepted_on": day}).accepted
    failed = next(outcome for outcome in cpsdk.Outcome if outcome is not passed)
    assert not cpsdk.Audit(**{**_fields(audit), "acceptance": failed, "accepted_on": day}).accepted


def _fields(audit: cpsdk.Audit) -> dict[str, object]:
    return {name: getattr(audit, name) for name in ("id", "enterprise", "kind")}


def test_the_conformance_members_a_plugin_may_set_exist() -> None:
    documented = [re.match(r"`(\w+)", cell) for cell in _table_after("A subclass may set or")]
    names = [found[1] for found in documented if found is not None]
    assert names == ["plugin", "build_params", "province", "dataset", "params"]
    for name in names:
        assert hasattr(FormConformance, name), name
    for name in ("dataset", "params"):
        assert callable(getattr(FormConformance, name)) and getattr(FormConformance, name).__doc__
    assert list(inspect.signature(FormConformance.dataset).parameters) == [
        "self",
        "form",
        "seed",
        "enterprises",
        "proposals_per_audit",
    ]


def test_the_form_members_the_guide_lists_are_the_protocols() -> None:
    section = GUIDE[
        GUIDE.index("`cpsdk.Form` is the whole contract") : GUIDE.index("### Publishing the report schemas")
    ]
    named = set(re.findall(r"`(\w+)`", section)) & set(FORM_MEMBERS)
    assert named == set(FORM_MEMBERS) - {"plugin", "plugin_version"}  # those two are the registry's to set


def test_the_commands_the_guide_shows_take_those_options() -> None:
    parser = build_parser()
    args = parser.parse_args(["new-plugin", "--region", "14", "--name", "山西", "--source", "x", "-o", "d"])
    assert (args.region, args.name, args.source) == ("14", "山西", "x")
    assert parser.parse_args(["schema", "--write", "schemas", "--plugin", "cpsdk-shanxi"]).plugin == "cpsdk-shanxi"
    assert parser.parse_args(["forms", "shanxi.enterprises"]).form == "shanxi.enterprises"
    for shown in ("cpsdk schema --write schemas --plugin cpsdk-shanxi", "cpsdk new-plugin --region 14 --name 山西"):
        assert shown in GUIDE


def test_tracing_and_plugin_error_are_as_documented() -> None:
    assert "CPSDK_TRACE_PLUGINS=1" in GUIDE and "raise_if_broken" in GUIDE
    assert hasattr(cpsdk.Plugins, "raise_if_broken") and "plugin" in inspect.signature(cpsdk.PluginError).parameters


def test_convert_report_takes_source_report_target_and_returns_the_report_and_its_issues() -> None:
    assert "`cpsdk.convert_report(source, report, target, **params)`" in GUIDE
    assert list(inspect.signature(cpsdk.convert_report).parameters) == ["source", "report", "target", "params"]
    documented = set(re.findall(r"`(conversion\.[a-z-]+)`", GUIDE))
    made = set(re.findall(r'"(conversion\.[a-z-]+)"', (SOURCE_DIR / "forms" / "_translate.py").read_text("utf-8")))
    assert documented == made


def test_merge_and_merge_workbooks_are_as_documented() -> None:
    assert "`merge(reports, **params)`" in GUIDE and "`cpsdk.merge_workbooks(form, paths, **params)`" in GUIDE
    assert list(inspect.signature(cpsdk.MergeableForm.merge).parameters) == ["self", "reports", "params"]
    assert list(inspect.signature(cpsdk.merge_workbooks).parameters) == ["form", "paths", "params"]
    assert "`b.xlsx:/year`" in GUIDE and 'self.pointer(1,\n"year")' in GUIDE


def test_a_merge_issue_pointing_at_a_report_is_said_in_its_file(tmp_path: Path) -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    dataset = cpsdk.example_dataset(seed=3, enterprises=12)
    paths = [
        form.write(form.build(dataset, region=city, year=2018), tmp_path / f"{city}.xlsx", draft=True)
        for city in ("5101", "5103")
    ]

    class Refusing(type(form)):  # type: ignore[misc]
        def merge(self, reports: object, **params: object) -> object:
            raise cpsdk.ReportError(
                "the reports cannot be merged",
                [
                    cpsdk.error("x.year", "年度不符", "wrong year", pointer=self.pointer(1, "year")),
                    cpsdk.error("x.together", "不能合并", "cannot merge"),
                ],
            )

    report, issues = cpsdk.merge_workbooks(Refusing(), paths)
    assert report is None
    by_code = {issue.code: issue for issue in issues}
    assert (by_code["x.year"].file, by_code["x.year"].pointer) == ("5103.xlsx", "/year")
    assert by_code["x.year"].where == "5103.xlsx:/year"
    assert by_code["x.together"].file is None


def test_value_takes_the_parameters_the_guide_lists() -> None:
    from cpsdk.workbook import Column, Value

    documented = [name for cell in _table_after("takes, by keyword:") for name in re.findall(r"`(\w+)`", cell)]
    assert documented == [field.name for field in attrs.fields(Value)]
    assert {"decimals", "style", "blank"} <= {field.name for field in attrs.fields(Column)}
    assert attrs.fields(Column).blank.default == "empty" and attrs.fields(Value).blank.default is None
    assert set(typing.get_args(cpsdk.workbook.Blank)) == {"empty", "zero", "refuse"}
    for value in ("`None` shows 2 decimal places", "`-1` every digit", "`N` exactly `N` places"):
        assert value in GUIDE


def test_region_levels_and_region_parent_are_as_documented() -> None:
    from cpsdk.codes import Region, region_parent

    assert cpsdk.RegionFromTitle.region_levels == ("province", "prefecture", "county")
    assert '`"province"`, `"prefecture"` and `"county"`' in " ".join(GUIDE.split())
    parent = region_parent("140105")
    assert isinstance(parent, Region) and parent.code == "1401" and region_parent("14") is None
    assert inspect.signature(region_parent).return_annotation in ("Region | None", Region | None)


def test_the_citations_the_guide_and_scaffold_show_are_citations() -> None:
    from cpsdk._scaffold import SOURCE_EXAMPLE
    from cpsdk.testing import citation_problem

    assert f'--source "{SOURCE_EXAMPLE}"' in GUIDE
    for shown in (SOURCE_EXAMPLE, "川经信环资〔2016〕153号", "晋环发[2010]231号", "DB37/T 1086-2008"):
        assert shown in GUIDE and citation_problem(shown) is None, shown
    assert citation_problem("规划") is not None and "`规划`" in GUIDE
    help_text = build_parser()._subparsers._group_actions[0].choices["new-plugin"].format_help()  # type: ignore[union-attr]
    assert SOURCE_EXAMPLE in re.sub(r"\s+", "", help_text).replace("四、（一）1", " 四、（一）1")


def test_an_unknown_form_naming_broken_plugins_is_documented() -> None:
    assert "`cpsdk.UnknownFormError`" in GUIDE and "its forms are not loaded; see `cpsdk\nplugins`" in GUIDE
    assert issubclass(cpsdk.UnknownFormError, cpsdk.FormError)


def test_the_hypothesis_profiles_the_docs_name_are_the_profiles_there_are() -> None:
    from hypothesis import settings

    from cpsdk.testing import load_hypothesis_profile

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    load_hypothesis_profile()
    for name, examples in (("ci", 40), ("dev", 80), ("thorough", 2000)):
        profile = settings.get_profile(name)
        assert profile.max_examples == examples and profile.deadline is None, name
        named = re.compile(rf"`{name}`|`HYPOTHESIS_PROFILE={name}")
        assert named.search(readme) and named.search(GUIDE), name
        shown = re.compile(rf"\b{examples}\s+(random\s+)?examples")
        assert shown.search(readme) and shown.search(GUIDE), name
    assert settings.get_profile("ci").derandomize
