"""Writing and reading the three forms: round trips, hand-edited workbooks, refusals."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import attrs
import jsonschema
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpsdk
from cpsdk_sichuan.annual.report import (
    AnnualReport,
    ByKind,
    Byproducts,
    Capacity,
    Count,
    DocumentRow,
    Effects,
    Money,
    Quantity,
)
from cpsdk_sichuan.audit_plan import AuditPlan, PlannedAudit
from cpsdk_sichuan.retrofit_plan import PlannedRetrofit, RetrofitPlan

FORMS = ("sichuan.audit-plan", "sichuan.retrofit-plan", "sichuan.annual-report")
CITIES = ("5101", "5103", "5104", "5105", "5106", "5107")


@pytest.fixture(scope="module")
def demo() -> cpsdk.Dataset:
    return cpsdk.example_dataset(seed=7, enterprises=40, proposals_per_audit=4)


@pytest.mark.parametrize("form_id", FORMS)
@pytest.mark.parametrize("region", ["51", "5101"])
def test_demo_builds_checks_writes_and_reads_back(
    form_id: str, region: str, demo: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = cpsdk.get_form(form_id)
    report = form.build(demo, region=region, year=2018)
    assert not cpsdk.has_errors(form.check(report))
    path = form.write(report, tmp_path / "out.xlsx")
    assert form.read(path) == report


def test_forms_are_registered_with_their_metadata() -> None:
    described = {form["id"]: form for form in map(cpsdk.describe_form, cpsdk.list_forms())}
    assert described["sichuan.audit-plan"]["title"] == "“十三五”清洁生产审核计划"
    assert described["sichuan.annual-report"]["mergeable"] is True
    assert described["sichuan.retrofit-plan"]["record_level"] is True
    assert {described[f]["plugin"] for f in FORMS} == {"cpsdk-sichuan"}


texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Co", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda text: text.strip() == text)
counts = st.builds(lambda a, b: Count(year=a, cumulative=a + b), st.integers(0, 10**6), st.integers(0, 10**6))
decimals = st.decimals(min_value=0, max_value=Decimal("99999999"), places=4)
quantities = st.builds(lambda a, b: Quantity(year=a, cumulative=a + b), decimals, decimals)
money = st.builds(lambda a, b: Money(year=a, cumulative=a + b), decimals, decimals)
dates = st.dates(min_value=datetime.date(2016, 1, 1), max_value=datetime.date(2016, 12, 31))


def _kind_name(number: int) -> st.SearchStrategy[str | None]:
    return st.none() | texts.filter(lambda name, n=number: name != f"种类{n}")


reports = st.builds(
    AnnualReport,
    region=st.just("5101"),
    region_name=st.just("成都市"),
    year=st.integers(2016, 2030),
    compiled_by=st.none() | texts,
    filled_by=st.none() | texts,
    contact=st.none() | texts,
    audits=st.builds(ByKind, voluntary=counts, mandatory=counts, total=counts),
    effects=st.builds(Effects, cod=quantities, energy=quantities, benefit=money),
    byproducts=st.builds(
        Byproducts,
        fly_ash=quantities,
        kind1_name=_kind_name(1),
        kind1=quantities,
        kind3_name=_kind_name(3),
        other=quantities,
    ),
    documents=st.lists(
        st.builds(DocumentRow, title=texts, number=st.none() | texts, issued_on=st.none() | dates), max_size=3
    ).map(tuple),
    capacity=st.builds(
        Capacity,
        agencies=st.integers(0, 99),
        agency_staff=st.integers(0, 999),
        expert_pool=st.booleans(),
        experts=st.integers(0, 99),
    ),
    other_work=st.none() | texts,
    problems=st.none() | texts,
)


@given(report=reports)
def test_any_annual_report_reads_back_equal(report: AnnualReport, tmp_path_factory: pytest.TempPathFactory) -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    path = form.write(report, tmp_path_factory.mktemp("rt") / "annual.xlsx", draft=True)
    assert form.read(path) == report


def _cell_of(form: cpsdk.LayoutForm, report: AnnualReport, code: str) -> tuple[str, str]:
    issue = next(issue for issue in form.check(report) if issue.code == code)
    assert issue.sheet and issue.cell
    return issue.sheet, issue.cell


def test_a_hand_edited_workbook_is_checked_the_same_way(demo: cpsdk.Dataset, tmp_path: Path) -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    report = form.build(demo, region="5101", year=2018)
    path = form.write(report, tmp_path / "chengdu.xlsx")
    broken = attrs.evolve(report, audits=attrs.evolve(report.audits, total=Count(year=99, cumulative=99)))
    sheet, cell = _cell_of(form, broken, "sichuan.annual.total")
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = 99
    book.save(path)
    read, issues = form.read_with_issues(path)
    assert read is not None and read.audits.total.year == 99
    found = [issue for issue in issues if issue.code == "sichuan.annual.total"]
    assert {(issue.sheet, issue.cell) for issue in found} >= {(sheet, cell)}
    assert all(issue.source == "川经信环资〔2016〕153号 附件3 填报说明[3]" for issue in found)


def test_cumulative_below_year_is_an_error_on_the_cumulative_cell(demo: cpsdk.Dataset) -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    report = form.build(demo, region="5101", year=2018)
    broken = attrs.evolve(report, training=attrs.evolve(report.training, government=Count(year=5, cumulative=4)))
    issue = next(i for i in form.check(broken) if i.code == "sichuan.annual.cumulative-below-year")
    assert issue.pointer == "/training/government/cumulative" and issue.cell is not None
    with pytest.raises(cpsdk.ReportError):
        form.write(broken, "never-written.xlsx")
    assert not Path("never-written.xlsx").exists()


def test_a_workbook_of_another_form_is_refused(demo: cpsdk.Dataset, tmp_path: Path) -> None:
    plan = cpsdk.get_form("sichuan.audit-plan")
    path = plan.write(plan.build(demo, region="5101"), tmp_path / "plan.xlsx")
    with pytest.raises(cpsdk.WrongFormError, match=r"sichuan\.audit-plan"):
        cpsdk.get_form("sichuan.annual-report").read(path)


def test_the_region_is_read_back_from_the_title(demo: cpsdk.Dataset, tmp_path: Path) -> None:
    form = cpsdk.get_form("sichuan.retrofit-plan")
    report = form.build(demo, region="5104", year=2017)
    read = form.read(form.write(report, tmp_path / "p.xlsx"))
    assert (read.region, read.region_name, read.year) == ("5104", "攀枝花市", 2017)


def test_sector_totals_below_their_parts_are_errors(demo: cpsdk.Dataset) -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    report = form.build(demo, region="51", year=2018)
    industries = attrs.evolve(
        report.industries, cement=Count(year=3, cumulative=3), building_materials=Count(year=2, cumulative=9)
    )
    issues = [i for i in form.check(attrs.evolve(report, industries=industries)) if i.code == "sichuan.annual.sector"]
    assert [i.pointer for i in issues] == ["/industries/building_materials/year"]
    assert "填报说明[7]" in (issues[0].source or "")


def test_the_industry_table_can_be_overridden_from_csv(tmp_path: Path) -> None:
    from records import D, audit, enterprise

    battery = enterprise(1, industry="3841")
    data = cpsdk.Dataset(enterprises=(battery,), audits=(audit("a", battery, confirmed=D(2018, 1, 1)),))
    form = cpsdk.get_form("sichuan.annual-report")
    assert form.build(data, region="5101", year=2018).industries.batteries.year == 1
    table = tmp_path / "columns.csv"
    # Batteries counted under 机械 rather than 轻工: neither 电池 nor 轻工 takes 384 any more.
    table.write_text(
        "key,codes,tags\nbatteries,,battery\nlight,13 14 15 16 19 20 21 22 23 24 292 387,\n", encoding="utf-8"
    )
    report = form.build(data, region="5101", year=2018, industry_columns=str(table))
    assert (report.industries.batteries.year, report.industries.machinery.year) == (0, 1)
    table.write_text("key,codes,tags\nspaceships,99,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="spaceships"):
        form.build(data, region="5101", year=2018, industry_columns=str(table))


#: The repository's schemas/ (the plugin's report schemas are published there with the core's).
SCHEMAS = Path(__file__).resolve().parents[3] / "schemas" / "forms"


@pytest.mark.parametrize("form_id", FORMS)
def test_the_published_schema_is_current_and_accepts_built_reports(form_id: str, demo: cpsdk.Dataset) -> None:
    form = cpsdk.get_form(form_id)
    committed = json.loads((SCHEMAS / f"{form_id}.{form.layout_year}.schema.json").read_text(encoding="utf-8"))
    assert committed == form.report_schema(), "run: cpsdk schema --write schemas"
    jsonschema.Draft202012Validator.check_schema(committed)
    report = form.build(demo, region="5105", year=2019)
    jsonschema.Draft202012Validator(committed).validate(cpsdk.make_converter().unstructure(report))


cells = texts.filter(lambda text: text != "联系人：")  # the label under the table ends it
plans = st.builds(
    AuditPlan,
    region=st.just("5107"),
    region_name=st.just("绵阳市"),
    rows=st.lists(
        st.builds(
            PlannedAudit,
            name=cells,
            location=cells,
            industry=cells,
            output_2015=st.none() | decimals,
            main_products=st.none() | cells,
            main_pollutants=st.none() | cells,
            year=st.integers(2016, 2020),
        ),
        max_size=5,
    ).map(tuple),
    contact_person=st.none() | texts,
)
retrofit_plans = st.builds(
    RetrofitPlan,
    region=st.just("5132"),
    region_name=st.just("阿坝藏族羌族自治州"),
    year=st.integers(2016, 2030),
    rows=st.lists(
        st.builds(
            PlannedRetrofit,
            name=cells,
            location=cells,
            industry=cells,
            project=cells,
            investment=st.none() | decimals,
            planned_completion=st.none() | dates,
            from_audit=st.booleans(),
            progress=st.none() | cells,
        ),
        max_size=5,
    ).map(tuple),
    contact_person=st.none() | texts,
)


@given(report=st.one_of(plans, retrofit_plans))
def test_any_plan_reads_back_equal(report: AuditPlan | RetrofitPlan, tmp_path_factory: pytest.TempPathFactory) -> None:
    form = cpsdk.get_form(
        "sichuan.audit-plan" if isinstance(report, AuditPlan) else "sichuan.retrofit-plan", layout_year=2016
    )
    path = form.write(report, tmp_path_factory.mktemp("plan") / "plan.xlsx", draft=True)
    assert form.read(path) == report


def test_the_first_cumulative_carries_its_note_marker_as_printed(tmp_path: Path) -> None:
    """附件3's first 累计 is printed “累计[1]”, as the notice prints it; the others are plain 累计."""
    form = cpsdk.get_form("sichuan.annual-report")
    report = form.build(cpsdk.example_dataset(seed=3, enterprises=20), region="5101", year=2018)
    path = form.write(report, tmp_path / "annual.xlsx", draft=True)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    shown = [cell.value for row in sheet.iter_rows() for cell in row if cell.value in ("累计", "累计[1]")]
    assert shown[0] == "累计[1]" and "累计[1]" not in shown[1:] and len(shown) > 10
    assert form.read(path) == report
