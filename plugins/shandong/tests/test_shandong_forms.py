"""Shandong's four forms: known answers, exact units, criteria, and the rules on hand-edited workbooks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as uscc_code

import cpsdk
from cpsdk import AuditKind, Basis, CostClass, Metric, Outcome, ProposalStatus
from cpsdk_shandong.certificate import Certificate
from cpsdk_shandong.environmental_report import EnvironmentalReport
from cpsdk_shandong.statistics import Statistics

D = datetime.date
FORMS = ("shandong.statistics", "shandong.certificate", "shandong.environmental-report", "shandong.plan-progress")


def uscc(n: int, region: str = "370102") -> str:
    body = f"91{region}{n:09d}"
    return body + uscc_code.calc_check_digit(body)


E1 = cpsdk.Enterprise(uscc=uscc(1), name="济南水泥", region="370102", industry="3011", above_scale=True)
E2 = cpsdk.Enterprise(uscc=uscc(2, "370203"), name="青岛纸业", region="370203", industry="2222", above_scale=True)
DATA = cpsdk.Dataset(
    enterprises=(E1, E2),
    audits=(
        cpsdk.Audit(
            id="a1",
            enterprise=E1.uscc,
            kind=AuditKind.MANDATORY,
            confirmed_on=D(2016, 3, 1),
            evaluated_on=D(2016, 9, 1),
            evaluation=Outcome.PASSED,
            accepted_on=D(2017, 9, 1),
            acceptance=Outcome.PASSED,
            level=cpsdk.CleanerProductionLevel.II,
        ),
        cpsdk.Audit(
            id="a2",
            enterprise=E2.uscc,
            kind=AuditKind.VOLUNTARY,
            confirmed_on=D(2017, 3, 1),
            evaluated_on=D(2017, 9, 1),
            evaluation=Outcome.PASSED,
        ),
    ),
    proposals=(
        *(
            cpsdk.Proposal(
                id=f"w{n}",
                enterprise=E1.uscc,
                audit="a1",
                name="低费",
                cost_class=CostClass.NO_LOW,
                investment=Decimal("1.5"),
                status=ProposalStatus.COMPLETED if n < 9 else ProposalStatus.IN_PROGRESS,
                completed_on=D(2016, 12, 1) if n < 9 else None,
            )
            for n in range(10)
        ),
        cpsdk.Proposal(
            id="z1",
            enterprise=E1.uscc,
            audit="a1",
            name="余热发电",
            cost_class=CostClass.MID_HIGH,
            investment=Decimal("123456.78"),
            status=ProposalStatus.COMPLETED,
            completed_on=D(2017, 6, 1),
        ),
        cpsdk.Proposal(id="z2", enterprise=E2.uscc, audit="a2", name="废水回用", cost_class=CostClass.MID_HIGH),
    ),
    effects=(
        cpsdk.Effect(
            id="f1", proposal="z1", metric=Metric.COD, basis=Basis.GENERATION, amount=Decimal("1234.5"), verified=True
        ),
        cpsdk.Effect(
            id="f2", proposal="z1", metric=Metric.SO2, basis=Basis.DISCHARGE, amount=Decimal("50"), verified=True
        ),
        cpsdk.Effect(id="f3", proposal="z1", metric=Metric.ELECTRICITY, amount=Decimal("250000000"), verified=True),
        cpsdk.Effect(id="f4", proposal="z1", metric=Metric.BENEFIT, amount=Decimal("4321"), verified=False),
    ),
    discharges=(
        cpsdk.Discharge(id="d1", audit="a1", pollutant=Metric.SO2, before=Decimal("300"), after=Decimal("200")),
        cpsdk.Discharge(id="d2", audit="a1", pollutant=Metric.COD, before=Decimal("30"), after=Decimal("31")),
    ),
    trainings=(
        cpsdk.Training(
            id="t", region="370100", held_on=D(2012, 5, 1), audience=cpsdk.Audience.GOVERNMENT, person_times=120
        ),
    ),
    agencies=(cpsdk.Agency(id="g", name="咨询", region="370100", staff=9, registered_on=D(2010, 1, 1)),),
)


def statistic(report: Statistics, name: str) -> tuple[Decimal, Decimal]:
    row = next(row for row in report.rows if row.indicator == name)
    return row.value, row.exact


def test_statistics_in_shandong_units() -> None:
    form = cpsdk.get_form("shandong.statistics")
    report, notes = cpsdk.build_report(form, DATA, year=2018, start_year=2016, basis="generation", decimals=2)
    assert report.region_name == "山东省" and report.basis == "产生量"
    assert (report.start, report.end, report.first_record) == (D(2016, 1, 1), D(2018, 12, 31), D(2016, 3, 1))
    assert statistic(report, "开展清洁生产审核企业") == (2, 2)
    assert statistic(report, "通过评估验收企业") == (1, 1)
    assert [row.value for row in report.rows[2:8]] == [12, 10, 2, 10, 9, 1]
    assert statistic(report, "实施方案投入资金") == (
        Decimal("12.35"),
        Decimal("12.347028"),
    )  # 亿元, 9 × 1.5 + 123456.78 万元
    assert statistic(report, "削减化学需氧量（COD）") == (Decimal("0.12"), Decimal("0.12345"))  # 万吨
    assert statistic(report, "削减二氧化硫（SO₂）") == (0, 0)  # discharge basis: noted, not counted
    assert statistic(report, "节电") == (Decimal("2.50"), Decimal("2.5"))  # 亿度
    assert [issue.code for issue in notes] == ["shandong.statistics.other-basis"]
    assert not cpsdk.has_errors(form.check(report))


def test_statistics_for_a_city_on_the_discharge_basis() -> None:
    report = cpsdk.get_form("shandong.statistics").build(DATA, region="3701", year=2018, decimals=3)
    assert report.region_name == "山东省济南市"
    assert statistic(report, "开展清洁生产审核企业") == (1, 1)
    assert statistic(report, "削减二氧化硫（SO₂）") == (Decimal("0.005"), Decimal("0.005"))


@given(seed=st.integers(0, 10_000), decimals=st.integers(0, 4))
def test_printed_figures_are_the_exact_sums_rounded(seed: int, decimals: int) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=20, proposals_per_audit=4)
    report = cpsdk.get_form("shandong.statistics").build(data, year=2020, start_year=2016, decimals=decimals)
    shandong = data.in_region("37")
    completed = [
        p
        for p in shandong.proposals
        if p.status is ProposalStatus.COMPLETED and p.completed_on and 2016 <= p.completed_on.year <= 2020
    ]
    invested = sum((p.investment or Decimal(0) for p in completed), Decimal(0))
    value, exact = statistic(report, "实施方案投入资金")
    assert exact == invested.scaleb(-4)  # 万元 → 亿元, exactly
    assert value == exact.quantize(Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP")
    assert not cpsdk.has_errors(cpsdk.get_form("shandong.statistics").check(report))


def _edit(path: Path, sheet: str, cell: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def test_a_hand_edited_statistic_is_caught(tmp_path: Path) -> None:
    form = cpsdk.get_form("shandong.statistics")
    report = form.build(DATA, year=2018, start_year=2016)
    path = form.write(report, tmp_path / "s.xlsx")
    rows = list(report.rows)
    rows[5] = attrs.evolve(rows[5], value=Decimal(11), exact=Decimal(11))  # 实施清洁生产方案 no longer 9 + 1
    issue = next(i for i in form.check(attrs.evolve(report, rows=tuple(rows))) if i.code == "shandong.statistics.split")
    assert issue.sheet is not None and issue.cell is not None
    _edit(path, issue.sheet, issue.cell, 11)
    _, issues = form.read_with_issues(path)
    codes = {i.code for i in issues}
    assert {"shandong.statistics.split", "shandong.statistics.rounding"} <= codes  # also no longer its exact value


def test_a_statistic_shown_with_hundreds_of_places_is_an_issue(tmp_path: Path) -> None:
    # Found by the fuzz test: the figure's places were taken as those to round the exact value to, past what a
    # decimal can hold.
    form = cpsdk.get_form("shandong.statistics")
    path = form.write(form.build(DATA, year=2018, start_year=2016), tmp_path / "s.xlsx")
    report = form.read(path)
    at = next(n for n, row in enumerate(report.rows) if row.indicator == "实施方案投入资金")
    rows = list(report.rows)
    rows[at] = attrs.evolve(rows[at], value=Decimal("4.241175451817722E-179"))
    before = form.check(report)
    added = [i for i in form.check(attrs.evolve(report, rows=tuple(rows))) if i not in before]
    assert [(i.code, i.pointer) for i in added] == [("shandong.statistics.rounding", f"/rows/{at}/value")]


def test_certificate_with_the_default_criteria() -> None:
    form = cpsdk.get_form("shandong.certificate")
    report, notes = cpsdk.build_report(form, DATA, audit="a1")
    assert isinstance(report, Certificate)
    assert (report.enterprise, report.kind, report.evaluated_on) == ("济南水泥", "强制性", D(2016, 9, 1))
    total = report.proposals[-1]
    assert (total.cost_class, total.proposed, total.implemented, total.investment) == (
        "合计",
        11,
        10,
        Decimal("123470.28"),
    )
    assert {line.item for line in report.performance} == {"COD", "SO₂", "节电"}
    assert report.benefit == 0  # the benefit was not verified
    assert [n.pointer for n in notes] == ["/effects/3"]
    assert report.granted and report.reason is None
    assert not cpsdk.has_errors(form.check(report))


def test_certificate_criteria_are_configurable_and_a_refusal_says_why() -> None:
    form = cpsdk.get_form("shandong.certificate")
    strict = form.build(DATA, audit="a1", min_no_low_rate=95)
    assert not strict.granted and "无/低费方案实施率" in (strict.reason or "")
    refused = form.build(DATA, audit="a2")  # not accepted, nothing implemented
    assert not refused.granted and refused.reason == "未达到：实施效果通过验收"
    lenient = form.build(DATA, audit="a2", require_acceptance="false", min_mid_high_rate=0)
    assert lenient.granted
    effect = form.build(DATA, audit="a2", require_acceptance="false", require_verified_effect="yes")
    assert not effect.granted and effect.criteria[-1].source == "用户设定（require_verified_effect=true）"


def test_a_decision_against_the_criteria_is_an_error() -> None:
    form = cpsdk.get_form("shandong.certificate")
    report = form.build(DATA, audit="a2")
    codes = {i.code for i in form.check(attrs.evolve(report, granted=True))}
    assert "shandong.certificate.decision" in codes
    assert "shandong.certificate.no-reason" in {i.code for i in form.check(attrs.evolve(report, reason=None))}


def test_no_audit_to_report_on_is_a_clear_error() -> None:
    with pytest.raises(cpsdk.NoRecordsError):
        cpsdk.get_form("shandong.certificate").build(DATA, audit="nope")


def test_environmental_report_before_and_after() -> None:
    form = cpsdk.get_form("shandong.environmental-report")
    report = form.build(DATA)
    assert isinstance(report, EnvironmentalReport) and report.audit == "a1"
    cod, so2 = report.lines
    assert (cod.pollutant, cod.change, cod.change_percent) == ("COD", Decimal(1), Decimal("3.33"))
    assert (so2.pollutant, so2.change, so2.change_percent) == ("SO₂", Decimal(-100), Decimal("-33.33"))
    issues = form.check(report)
    assert [i.code for i in issues] == ["shandong.environmental.increase"] and issues[0].cell is not None


def test_a_hand_edited_change_is_caught(tmp_path: Path) -> None:
    form = cpsdk.get_form("shandong.environmental-report")
    report = form.build(DATA)
    path = form.write(report, tmp_path / "e.xlsx")
    broken = attrs.evolve(report, lines=(attrs.evolve(report.lines[0], change=Decimal(5)), report.lines[1]))
    issue = next(i for i in form.check(broken) if i.code == "shandong.environmental.change")
    assert issue.sheet and issue.cell
    _edit(path, issue.sheet, issue.cell, 5)
    assert "shandong.environmental.change" in {i.code for i in form.read_with_issues(path)[1]}


def test_plan_progress_counts_and_user_figures() -> None:
    form = cpsdk.get_form("shandong.plan-progress")
    report, notes = cpsdk.build_report(form, DATA, year=2018, standards=4)
    by_name = {t.target: t for t in report.targets}
    assert (report.start_year, report.end_year) == (2011, 2015)  # the plan's period, whatever year is asked
    assert by_name["制定行业清洁生产地方标准"].achieved == 4 and by_name["制定行业清洁生产地方标准"].percent == 40
    assert by_name["推广清洁生产重点技术"].achieved is None
    assert [n.code for n in notes] == ["shandong.plan.after-plan", "shandong.plan.not-given"]
    assert by_name["培训清洁生产管理及审核人员"].achieved == 120
    assert by_name["培训清洁生产管理及审核人员"].percent == Decimal("2.40")
    assert by_name["培育清洁生产先进单位"].achieved == 0  # accepted in 2017, after the plan
    assert by_name["培育清洁生产专业咨询服务机构"].achieved == 1


@pytest.mark.parametrize("form_id", FORMS)
def test_demo_builds_checks_writes_and_reads_back(form_id: str, tmp_path: Path) -> None:
    demo = cpsdk.example_dataset(seed=2016)
    form = cpsdk.get_form(form_id)
    report = form.build(demo, year=2020)
    assert not cpsdk.has_errors(form.check(report))
    assert form.read(form.write(report, tmp_path / "out.xlsx")) == report


@pytest.mark.parametrize("region", ["44", "51", "9999"])
def test_a_region_outside_shandong_is_refused(region: str) -> None:
    with pytest.raises(ValueError, match="Shandong"):
        cpsdk.get_form("shandong.statistics").build(DATA, region=region)
