"""national.indicators: 表1 of the 十二五 plan, its rates over the region's enterprise totals given as input.

Every expected figure is computed here from the records, by the definitions the form's docstring states
(not by calling the form's code).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpsdk
from cpsdk import CostClass, Metric, ProposalStatus
from cpsdk.codes import key_industries_of
from cpsdk.national.indicators import Rate
from tests.test_national import DATASET

D = datetime.date
FORM = "national.indicators"
POPULATION = {"above_scale_enterprises": 4, "key_industry_enterprises": 4, "population_source": "测试统计年鉴2015"}
RATES = ("trained", "audited", "retrofits", "advanced")
#: 表1 as the seed prints it: category rows, then each indicator with its 2010年 and 2015年 columns.
TABLE_1 = (
    ("清洁生产培训和审核",),
    ("规模以上工业企业负责人培训比例", "[23.4%]", "[>50%]"),
    ("规模以上工业企业通过审核比例", "[9%]", "[>30%]"),
    ("审核报告中清洁生产技术改造实施率", "[44.3%]", "[>60%]"),
    ("削减生产过程污染物产生量",),
    ("化学需氧量", "[245.6万吨]", "65万吨"),
    ("二氧化硫（排放量）", None, "60万吨"),
    ("氨氮", "[5.6万吨]", "10.8万吨"),
    ("氮氧化物", None, "120万吨"),
    ("汞使用量", None, "638吨"),
    ("铬渣及含铬污泥", None, "73万吨"),
    ("铅尘", None, "0.2万吨"),
    ("重点行业清洁生产水平",),
    ("重点行业达到“清洁生产先进企业”比例", None, "[>70%]"),
    ("培育清洁生产示范企业", None, "[500家]"),
)


def pct(numerator: int, denominator: int) -> Decimal:
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def numerators(data: cpsdk.Dataset, end: datetime.date) -> dict[str, tuple[int, int | None]]:
    """Each rate's numerator (and the retrofit rate's denominator), cumulative from 2003-01-01 to ``end``."""
    first = D(2003, 1, 1)
    above = {e.uscc for e in data.enterprises if e.above_scale}
    trained = {
        t.enterprise
        for t in data.trainings
        if t.enterprise in above and t.head_person_times > 0 and first <= t.held_on <= end
    }
    evaluated = [
        a
        for a in data.audits
        if a.evaluation is cpsdk.Outcome.PASSED and a.evaluated_on is not None and first <= a.evaluated_on <= end
    ]
    audited = {a.enterprise for a in evaluated if a.enterprise in above}
    ids = {a.id for a in evaluated}
    retrofits = [p for p in data.proposals if p.audit in ids and p.cost_class is CostClass.MID_HIGH]
    done = [p for p in retrofits if p.status is ProposalStatus.COMPLETED and p.completed_on and p.completed_on <= end]
    key = {e.uscc for e in data.enterprises if key_industries_of(e.industry, e.key_industries)}
    latest: dict[str, cpsdk.Audit] = {}
    for audit in data.audits:
        if audit.acceptance is cpsdk.Outcome.PASSED and audit.accepted_on and audit.accepted_on <= end:
            held = latest.get(audit.enterprise)
            if held is None or audit.accepted_on >= held.accepted_on:  # type: ignore[operator]
                latest[audit.enterprise] = audit
    good = (cpsdk.CleanerProductionLevel.I, cpsdk.CleanerProductionLevel.II)
    advanced = {u for u, a in latest.items() if u in key and a.level in good}
    return {
        "trained": (len(trained), None),
        "audited": (len(audited), None),
        "retrofits": (len(done), len(retrofits)),
        "advanced": (len(advanced), None),
    }


def sheet_rows(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path)["主要指标"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_table_follows_the_plan_with_the_totals_given() -> None:
    form = cpsdk.get_form(FORM)
    report, notes = cpsdk.build_report(form, DATASET, **POPULATION)
    assert (report.start_year, report.end_year, report.span, report.region_name) == (2011, 2015, "2011—2015年", "全国")
    assert notes == []
    # E1 (水泥, above scale): head trained 2012, audit evaluated 2012, accepted at II; E2 (造纸): evaluated 2013,
    # accepted at III; E3 is not above scale. Denominators are the totals given, not the dataset's enterprises.
    assert report.trained == Rate(achieved=Decimal("25.00"), numerator=1, denominator=4, met=False)
    assert (report.audited.achieved, report.audited.met) == (Decimal("50.00"), True)  # 不低于30%
    assert (report.retrofits.numerator, report.retrofits.denominator, report.retrofits.achieved) == (1, 2, Decimal(50))
    assert report.retrofits.met is False  # 60%以上
    assert (report.advanced.numerator, report.advanced.denominator, report.advanced.met) == (1, 4, False)
    assert report.cod.achieved == Decimal("0.0012345")  # 12.345 吨 in 万吨, exactly
    assert report.so2.achieved == Decimal("0.25")  # the discharge basis, as the plan says
    assert report.demonstrations.achieved == 1
    assert not cpsdk.has_errors(form.check(report))


def test_without_the_regions_totals_a_rate_prints_a_dash_with_a_warning(tmp_path: Path) -> None:
    form = cpsdk.get_form(FORM)
    report, notes = cpsdk.build_report(form, DATASET)
    missing = {issue.pointer for issue in notes if issue.code == "indicators.population-missing"}
    assert missing == {"/trained/achieved", "/audited/achieved", "/advanced/achieved"}
    assert all(issue.severity == "warning" for issue in notes)
    assert report.audited == Rate(achieved=None, numerator=2, denominator=None, met=None)
    assert report.retrofits.achieved == Decimal(50)  # its denominator is in the records
    assert not cpsdk.has_errors(form.check(report))
    rows = {row[0]: row for row in sheet_rows(form.write(report, tmp_path / "t.xlsx"))}
    assert rows["规模以上工业企业通过审核比例"][1:5] == ["—", 2, "—", "—"]
    assert form.read(tmp_path / "t.xlsx") == report


def test_the_workbook_is_table_1_with_its_category_rows(tmp_path: Path) -> None:
    form = cpsdk.get_form(FORM)
    path = form.write(form.build(DATASET, **POPULATION), tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["主要指标"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "全国“十二五”工业清洁生产主要指标完成情况（2011—2015年）"
    header = next(i for i, row in enumerate(rows) if row[0] == "指标")
    assert rows[header] == ["指标", "完成值", "分子", "分母", "是否达到目标", "2010年", "2015年"]
    width = len(rows[header])
    printed = rows[header + 1 : header + 1 + len(TABLE_1)]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    for line, (row, expected) in enumerate(zip(printed, TABLE_1, strict=True), start=header + 2):
        if len(expected) == 1:  # a category: a row of its own, the rest of it merged and empty
            assert row[0] == expected[0] and all(not value for value in row[1:width])
            assert f"B{line}:{openpyxl.utils.get_column_letter(width)}{line}" in merged
        else:
            assert (row[0], row[5] or None, row[6]) == expected
    assert not any(row[0] == "清洁生产示范" for row in rows)


@pytest.mark.parametrize(
    ("params", "span", "judged"),
    [
        ({}, (2011, 2015), True),
        ({"year": 2015}, (2011, 2015), True),
        ({"year": 2013}, (2011, 2013), False),
        ({"year": 2020}, (2016, 2020), False),
        ({"year": 2020, "start_year": 2011}, (2011, 2020), False),
        ({"year": 2015, "start_year": 2015}, (2015, 2015), True),
    ],
)
def test_the_span_is_the_plan_period_and_targets_are_judged_for_2015_only(
    params: dict[str, int], span: tuple[int, int], judged: bool
) -> None:
    form = cpsdk.get_form(FORM)
    report, notes = cpsdk.build_report(form, DATASET, **params, **POPULATION)
    assert (report.start_year, report.end_year) == span
    assert report.span == (f"{span[0]}年" if span[0] == span[1] else f"{span[0]}—{span[1]}年")
    assert (report.audited.met is not None) is judged and (report.cod.met is not None) is judged
    assert any(issue.code == "indicators.not-judged" for issue in notes) is not judged


def test_the_demo_year_gives_the_plan_period_it_falls_in_with_figures() -> None:
    data = cpsdk.example_dataset(seed=2016)
    report = cpsdk.get_form(FORM).build(data, year=2020)
    assert report.span == "2016—2020年"
    assert report.audited.numerator > 0 and report.cod.achieved > 0


def test_absolute_targets_are_national_and_not_judged_for_a_region() -> None:
    report = cpsdk.get_form(FORM).build(DATASET, region="5101", **POPULATION)
    assert report.cod.met is None and report.demonstrations.met is None and report.audited.met is True


@pytest.mark.parametrize("value", ["abc", "0", -3, "2.5", "NaN", "inf", "1e400"])
def test_a_bad_enterprise_total_is_refused_naming_the_parameter(value: object) -> None:
    with pytest.raises(ValueError, match="above_scale_enterprises"):
        cpsdk.get_form(FORM).build(DATASET, above_scale_enterprises=value)


def test_a_bad_enterprise_total_is_a_usage_error_on_the_command_line(tmp_path: Path) -> None:
    from cpsdk.cli import main

    source = tmp_path / "d.json"
    cpsdk.save(DATASET, source)
    out = tmp_path / "x.xlsx"
    assert main(["emit", FORM, str(source), "-o", str(out), "--param", "above_scale_enterprises=abc"]) == 2
    assert main(["emit", FORM, str(source), "-o", str(out), "--param", "above_scale_enterprises=4"]) == 0


def test_totals_without_a_source_are_warned_about() -> None:
    _, notes = cpsdk.build_report(cpsdk.get_form(FORM), DATASET, above_scale_enterprises=4, key_industry_enterprises=9)
    assert [issue.code for issue in notes] == ["indicators.population-source"]


def test_a_total_smaller_than_the_enterprises_counted_is_an_error_on_its_cell() -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(DATASET, above_scale_enterprises=1, key_industry_enterprises=4, population_source="x")
    issues = [issue for issue in form.check(report) if issue.code == "indicators.numerator-exceeds-denominator"]
    assert [issue.pointer for issue in issues] == ["/audited/numerator"] and issues[0].cell and issues[0].source


@pytest.mark.parametrize(
    ("field", "change", "code"),
    [
        ("trained", {"achieved": Decimal("99")}, "indicators.rate"),
        ("audited", {"denominator": 5}, "indicators.denominator"),
        ("retrofits", {"met": True}, "indicators.met"),
        ("cod", {"met": True}, "indicators.met"),
        ("so2", {"achieved": Decimal(-1)}, "indicators.negative"),
    ],
)
def test_a_figure_that_is_not_as_defined_is_an_error_on_its_cell(
    field: str, change: dict[str, object], code: str
) -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(DATASET, **POPULATION)
    wrong = attrs.evolve(report, **{field: attrs.evolve(getattr(report, field), **change)})
    issues = [issue for issue in form.check(wrong) if issue.code == code]
    assert issues and issues[0].cell is not None and issues[0].source


@given(
    seed=st.integers(0, 10_000),
    year=st.integers(2016, 2021),
    extra=st.tuples(st.integers(0, 500), st.integers(0, 500)),
    region=st.sampled_from(["", "51", "44"]),
)
def test_rates_are_the_records_over_the_totals_given(seed: int, year: int, extra: tuple[int, int], region: str) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=15, proposals_per_audit=3)
    scoped = data.in_region(region) if region else data
    expected = numerators(scoped, D(year, 12, 31))
    above = max(expected["trained"][0], expected["audited"][0], 1) + extra[0]
    key = max(expected["advanced"][0], 1) + extra[1]
    form = cpsdk.get_form(FORM)
    report = form.build(
        data,
        year=year,
        region=region,
        above_scale_enterprises=above,
        key_industry_enterprises=key,
        population_source="s",
    )
    given_totals = {"trained": above, "audited": above, "advanced": key}
    for field in RATES:
        numerator, denominator = expected[field]
        denominator = given_totals.get(field, denominator)
        rate = getattr(report, field)
        assert (rate.numerator, rate.denominator) == (numerator, denominator)
        assert rate.achieved == (pct(numerator, denominator) if denominator else None)
        assert rate.met is None  # a span ending after 2015 is not judged
    start = D(year - (year - 2011) % 5, 1, 1)
    cod = sum(
        (
            e.amount
            for e in scoped.effects
            if e.metric is Metric.COD and e.basis is cpsdk.Basis.GENERATION
            for p in [scoped.proposal_by_id[e.proposal]]
            if p.status is ProposalStatus.COMPLETED and p.completed_on and start <= p.completed_on <= D(year, 12, 31)
        ),
        Decimal(0),
    )
    assert report.cod.achieved == cod / 10_000
    assert not cpsdk.has_errors(form.check(report))
