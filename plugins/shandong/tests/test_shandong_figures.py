"""Shandong's figures against the seed and against definitions computed here, independently of the forms.

The seed (002, 一、基本情况 and 二、（五）) publishes the province's totals since the 清洁生产促进法:
a dataset calibrated to them must come out of ``shandong.statistics`` as printed there, with the
form's defaults. Every other figure is computed in this module from its definition in the README.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as uscc_code

import cpsdk
from cpsdk import AuditKind, Basis, CostClass, Metric, Outcome, ProposalStatus
from cpsdk_shandong.statistics import Statistic, Statistics

D = datetime.date
LAW = D(2002, 6, 29)

#: The seed's totals, as printed (seed 002, 一、基本情况; 二、（五）).
PUBLISHED = {
    "开展清洁生产审核企业": Decimal("778"),
    "通过评估验收企业": Decimal("405"),
    "提出清洁生产方案": Decimal("20448"),
    "实施清洁生产方案": Decimal("19112"),
    "实施方案投入资金": Decimal("55.2"),
    "削减化学需氧量（COD）": Decimal("4.3"),
    "削减二氧化硫（SO₂）": Decimal("6.9"),
    "节水": Decimal("7669.4"),
    "节电": Decimal("7.9"),
    "节煤": Decimal("1382.6"),
    "经济效益": Decimal("32.1"),
    "开展企业环境报告书编制试点企业": Decimal("57"),
    "其中：完成编制并向社会发布": Decimal("38"),
}
#: 累计实施19112个，其中无/低费方案16529个，中/高费方案2583个.
IMPLEMENTED = {CostClass.NO_LOW: 16529, CostClass.MID_HIGH: 2583}
#: Put forward and not implemented (20448 − 19112 = 1336): the seed does not split them; our choice.
NOT_IMPLEMENTED = {CostClass.NO_LOW: 1100, CostClass.MID_HIGH: 236}


SPLIT_LINES = ("其中：无/低费方案", "其中：中/高费方案")


def _uscc(n: int, region: str) -> str:
    body = f"91{region}{n:09d}"
    return body + uscc_code.calc_check_digit(body)


def _day(n: int, first: int = 2003, years: int = 8) -> datetime.date:
    """A date spread over ``first`` … ``first + years - 1`` by ``n``."""
    return D(first + n % years, 1 + n % 12, 1 + n % 28)


@functools.cache
def calibrated() -> cpsdk.Dataset:
    """Shandong's records since the law, made to add up to the seed's totals (all dated 2003-2010)."""
    regions = ("370102", "370203", "370303", "370402", "370602", "370702")
    enterprises = [
        cpsdk.Enterprise(
            uscc=_uscc(n, regions[n % len(regions)]),
            name=f"山东企业{n}",
            region=regions[n % len(regions)],
            industry="2222",
            above_scale=True,
        )
        for n in range(778)
    ]
    audits = []
    for n, enterprise in enumerate(enterprises):
        confirmed = _day(n, 2003, 7)
        accepted = n < 405
        audits.append(
            cpsdk.Audit(
                id=f"A{n}",
                enterprise=enterprise.uscc,
                kind=AuditKind.MANDATORY if n % 3 else AuditKind.VOLUNTARY,
                confirmed_on=confirmed,
                report_filed_on=confirmed + datetime.timedelta(days=90),
                evaluated_on=confirmed + datetime.timedelta(days=120) if accepted else None,
                evaluation=Outcome.PASSED if accepted else None,
                accepted_on=confirmed + datetime.timedelta(days=300) if accepted else None,
                acceptance=Outcome.PASSED if accepted else None,
            )
        )
    proposals: list[cpsdk.Proposal] = []
    effects: list[cpsdk.Effect] = []

    def effect(proposal: str, metric: Metric, amount: str, basis: Basis | None = None) -> None:
        effects.append(
            cpsdk.Effect(id=f"F{len(effects)}", proposal=proposal, metric=metric, basis=basis, amount=Decimal(amount))
        )

    for cost_class in CostClass:
        for done in (True, False):
            for k in range((IMPLEMENTED if done else NOT_IMPLEMENTED)[cost_class]):
                n = len(proposals)
                audit = audits[n % len(audits)]
                pid = f"P{n}"
                mid_high_done = done and cost_class is CostClass.MID_HIGH
                proposals.append(
                    cpsdk.Proposal(
                        id=pid,
                        enterprise=audit.enterprise,
                        audit=audit.id,
                        name="方案",
                        cost_class=cost_class,
                        investment=Decimal("213.7") if mid_high_done else None,  # 2583 × 213.7 万元 = 55.19871 亿元
                        status=ProposalStatus.COMPLETED if done else ProposalStatus.IN_PROGRESS,
                        completed_on=max(_day(n, 2004, 7), audit.report_filed_on or LAW) if done else None,
                    )
                )
                if not mid_high_done:
                    continue
                effect(pid, Metric.WATER, "29691.9")  # × 2583 = 7669.41777 万吨
                effect(pid, Metric.ELECTRICITY, "305850")  # kWh × 2583 = 7.9001 亿度
                effect(pid, Metric.COAL, "5352.7")  # t × 2583 = 1382.60241 万吨
                effect(pid, Metric.BENEFIT, "124.28")  # 万元 × 2583 = 32.1015 亿元
                if k < 430:
                    effect(pid, Metric.COD, "100.2", Basis.DISCHARGE)  # × 430 = 4.3086 万吨
                    effect(pid, Metric.COD, "500", Basis.GENERATION)  # another basis: never added in
                if k < 690:
                    effect(pid, Metric.SO2, "99.96", Basis.DISCHARGE)  # × 690 = 6.89724 万吨
    reports = [
        cpsdk.EnvironmentalReport(
            id=f"R{n}",
            enterprise=enterprises[n * 7].uscc,
            year=2009,
            pilot=n < 57,
            started_on=D(2009, 3, 1) + datetime.timedelta(days=n),
            completed_on=D(2010, 3, 1) + datetime.timedelta(days=n) if n < 38 or n == 40 else None,
            published_on=D(2010, 6, 1) + datetime.timedelta(days=n) if n < 38 else None,
        )
        for n in range(60)  # 57 pilots, 38 of them published, one completed and not yet published; 3 not pilots
    ]
    return cpsdk.Dataset(
        enterprises=tuple(enterprises),
        audits=tuple(audits),
        proposals=tuple(proposals),
        effects=tuple(effects),
        environmental_reports=tuple(reports),
    )


def printed(report: Statistics) -> dict[str, Decimal]:
    """Each line's printed figure by indicator, but the cost classes under 提出 and 实施 (their names repeat)."""
    return {row.indicator: row.value for row in report.rows if row.indicator not in SPLIT_LINES}


def test_the_calibrated_records_print_the_published_figures_with_the_defaults() -> None:
    form = cpsdk.get_form("shandong.statistics")
    report, notes = cpsdk.build_report(form, calibrated())
    assert isinstance(report, Statistics)
    assert (report.start, report.end, report.basis) == (LAW, D(2010, 12, 31), "排放量")
    assert printed(report) == PUBLISHED
    values = [row.value for row in report.rows]
    # 提出 20448 (split as calibrated: the seed gives none), 实施 19112 = 无/低费 16529 + 中/高费 2583, as published
    assert values[2:8] == [20448, 17629, 2819, 19112, 16529, 2583]
    units = ["亿元", "万吨", "万吨", "万吨", "亿度", "万吨", "亿元"]
    assert [row.unit for row in report.rows[8:15]] == units
    assert [n.code for n in notes] == ["shandong.statistics.other-basis"]  # the generation-basis COD, left out
    assert report.cumulative and not cpsdk.has_errors(form.check(report))


@pytest.mark.parametrize(
    "params",
    [{"start_year": 2002, "year": 2010}, {"start": "2002-06-29", "end": "2010-12-31"}, {"start": "2002年6月29日"}],
)
def test_a_span_given_by_years_or_dates_prints_the_same(params: dict[str, object]) -> None:
    report = cpsdk.get_form("shandong.statistics").build(calibrated(), **params)
    assert printed(report) == PUBLISHED


def test_a_span_by_dates_counts_to_the_day() -> None:
    form = cpsdk.get_form("shandong.statistics")
    audits = calibrated().audits
    day = audits[5].confirmed_on
    assert day is not None
    report = form.build(calibrated(), start=day.isoformat(), end=day.isoformat())
    expected = len({a.enterprise for a in audits if a.confirmed_on == day})
    assert printed(report)["开展清洁生产审核企业"] == expected
    assert not report.cumulative  # starts after the first records: implemented ≤ put forward is no law here


@pytest.mark.parametrize(
    "bad", [{"start": "2002-13-01"}, {"start": "yesterday"}, {"start": "2003-01-01", "start_year": 2003}]
)
def test_a_bad_date_is_a_clear_error(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="start"):
        cpsdk.get_form("shandong.statistics").build(calibrated(), **bad)


# Independent definitions (README, shandong.statistics), computed from the records here.


def _inside(day: datetime.date | None, start: datetime.date, end: datetime.date) -> bool:
    return day is not None and start <= day <= end


def expected_figures(data: cpsdk.Dataset, start: datetime.date, end: datetime.date) -> dict[str, list[Decimal]]:
    """Every line's exact value, by indicator (lines of the same name in order), on the discharge basis."""
    audit_of = {a.id: a for a in data.audits}
    audited = {a.enterprise for a in data.audits if _inside(a.confirmed_on or a.started_on, start, end)}
    accepted = {
        a.enterprise for a in data.audits if a.acceptance is Outcome.PASSED and _inside(a.accepted_on, start, end)
    }
    put_forward = dict.fromkeys(CostClass, 0)
    implemented = dict.fromkeys(CostClass, 0)
    done: set[str] = set()
    invested = Decimal(0)
    for p in data.proposals:
        audit = audit_of.get(p.audit) if p.audit else None
        report_day = (audit.report_filed_on or audit.evaluated_on) if audit else None
        days = [d for d in (report_day, p.started_on, p.completed_on) if d is not None]
        if days and _inside(min(days), start, end):
            put_forward[p.cost_class] += 1
        if p.status is ProposalStatus.COMPLETED and _inside(p.completed_on, start, end):
            implemented[p.cost_class] += 1
            done.add(p.id)
            invested += p.investment or 0

    def summed(metric: Metric, basis: Basis | None = None) -> Decimal:
        return sum(
            (e.amount for e in data.effects if e.proposal in done and e.metric is metric and e.basis == basis),
            Decimal(0),
        )

    pilots = {r.enterprise for r in data.environmental_reports if r.pilot and _inside(r.started_on, start, end)}
    published = {
        r.enterprise
        for r in data.environmental_reports
        if r.pilot
        and _inside(r.started_on, start, end)
        and r.completed_on is not None
        and r.published_on is not None
        and r.completed_on <= end
        and r.published_on <= end
    }
    ten_thousand, hundred_million = Decimal(10_000), Decimal(100_000_000)
    return {
        "开展清洁生产审核企业": [Decimal(len(audited))],
        "通过评估验收企业": [Decimal(len(accepted))],
        "提出清洁生产方案": [Decimal(sum(put_forward.values()))],
        "实施清洁生产方案": [Decimal(sum(implemented.values()))],
        "其中：无/低费方案": [Decimal(put_forward[CostClass.NO_LOW]), Decimal(implemented[CostClass.NO_LOW])],
        "其中：中/高费方案": [Decimal(put_forward[CostClass.MID_HIGH]), Decimal(implemented[CostClass.MID_HIGH])],
        "实施方案投入资金": [invested / ten_thousand],  # 万元 → 亿元
        "削减化学需氧量（COD）": [summed(Metric.COD, Basis.DISCHARGE) / ten_thousand],  # 吨 → 万吨
        "削减二氧化硫（SO₂）": [summed(Metric.SO2, Basis.DISCHARGE) / ten_thousand],
        "节水": [summed(Metric.WATER) / ten_thousand],
        "节电": [summed(Metric.ELECTRICITY) / hundred_million],  # kWh → 亿度
        "节煤": [summed(Metric.COAL) / ten_thousand],
        "经济效益": [summed(Metric.BENEFIT) / ten_thousand],  # 万元 → 亿元
        "开展企业环境报告书编制试点企业": [Decimal(len(pilots))],
        "其中：完成编制并向社会发布": [Decimal(len(published))],
    }


def by_indicator(rows: Iterable[Statistic]) -> dict[str, list[Decimal]]:
    found: dict[str, list[Decimal]] = {}
    for row in rows:
        found.setdefault(row.indicator, []).append(row.exact)
    return found


def test_the_calibrated_exact_values_follow_the_definitions() -> None:
    report = cpsdk.get_form("shandong.statistics").build(calibrated())
    assert by_indicator(report.rows) == expected_figures(calibrated(), LAW, D(2010, 12, 31))


@given(seed=st.integers(0, 5_000), start_days=st.integers(-400, 3_000), length=st.integers(0, 3_000))
def test_every_figure_follows_its_definition_and_implemented_never_exceeds_put_forward_from_the_first_records(
    seed: int, start_days: int, length: int
) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=16, proposals_per_audit=3)
    start = D(2016, 1, 1) + datetime.timedelta(days=start_days)
    end = start + datetime.timedelta(days=length)
    form = cpsdk.get_form("shandong.statistics")
    report = form.build(data, start=start, end=end, decimals=2)
    shandong = data.in_region("37")
    expected = expected_figures(shandong, start, end)
    assert by_indicator(report.rows) == expected
    for row in report.rows:
        assert row.value == row.exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    codes = {issue.code for issue in form.check(report) if issue.is_error}
    assert "shandong.statistics.implemented-exceeds-proposed" not in codes  # never fires on records as they are
    audit_days = [
        d
        for a in shandong.audits
        for d in (a.started_on, a.confirmed_on, a.report_filed_on, a.evaluated_on, a.accepted_on)
        if d is not None
    ]
    proposal_days = [d for p in shandong.proposals for d in (p.started_on, p.completed_on) if d is not None]
    first = min([*audit_days, *proposal_days], default=None)
    if first is None or start <= first:  # cumulative from the first records: a law, per cost class
        assert report.cumulative
        for name in ("其中：无/低费方案", "其中：中/高费方案"):
            put, done = expected[name]
            assert done <= put


def test_more_implemented_than_put_forward_is_an_error_only_over_a_cumulative_span() -> None:
    form = cpsdk.get_form("shandong.statistics")
    report = form.build(calibrated())
    rows = list(report.rows)
    rows[7] = attrs.evolve(rows[7], value=Decimal(3000), exact=Decimal(3000))  # 实施 中/高费 3000 > 2819 put forward
    rows[5] = attrs.evolve(rows[5], value=Decimal(19529), exact=Decimal(19529))  # still 16529 + 3000
    broken = attrs.evolve(report, rows=tuple(rows))
    found = [i for i in form.check(broken) if i.code == "shandong.statistics.implemented-exceeds-proposed"]
    assert [i.pointer for i in found] == ["/rows/7/value"]
    assert found[0].is_error and "一、基本情况" in (found[0].source or "")
    later = attrs.evolve(broken, start=D(2005, 1, 1))  # proposals put forward before 2005 may be implemented after
    assert not [i for i in form.check(later) if i.code == "shandong.statistics.implemented-exceeds-proposed"]


def test_more_reports_published_than_compiling_is_an_error() -> None:
    form = cpsdk.get_form("shandong.statistics")
    report = form.build(calibrated())
    rows = list(report.rows)
    rows[-1] = attrs.evolve(rows[-1], value=Decimal(58), exact=Decimal(58))
    found = [i for i in form.check(attrs.evolve(report, rows=tuple(rows))) if i.code.endswith("exceed-pilots")]
    assert found and found[0].is_error and "二、（五）" in (found[0].source or "")


def test_the_published_figures_survive_the_workbook(tmp_path: Path) -> None:
    form = cpsdk.get_form("shandong.statistics")
    report = form.build(calibrated())
    assert form.read(form.write(report, tmp_path / "shandong.xlsx")) == report


# shandong.certificate: only criteria with a source.


def _audit_with(no_low_done: int, no_low: int) -> cpsdk.Dataset:
    enterprise = cpsdk.Enterprise(uscc=_uscc(1, "370102"), name="济南化工", region="370102", industry="2614")
    audit = cpsdk.Audit(
        id="a",
        enterprise=enterprise.uscc,
        kind=AuditKind.MANDATORY,
        confirmed_on=D(2009, 1, 5),
        evaluated_on=D(2009, 6, 1),
        evaluation=Outcome.PASSED,
        accepted_on=D(2010, 6, 1),
        acceptance=Outcome.PASSED,
    )
    proposals = [
        cpsdk.Proposal(
            id=f"p{n}",
            enterprise=enterprise.uscc,
            audit="a",
            name="方案",
            cost_class=CostClass.NO_LOW,
            status=ProposalStatus.COMPLETED if n < no_low_done else ProposalStatus.PROPOSED,
            completed_on=D(2009, 9, 1) if n < no_low_done else None,
        )
        for n in range(no_low)
    ]
    return cpsdk.Dataset(enterprises=(enterprise,), audits=(audit,), proposals=tuple(proposals))


def test_the_certificate_applies_no_implementation_rate_no_document_gives() -> None:
    form = cpsdk.get_form("shandong.certificate")
    report = form.build(_audit_with(no_low_done=5, no_low=10))  # 50% of no/low-cost implemented, accepted
    assert report.granted
    assert [(c.criterion, c.source) for c in report.criteria] == [
        ("审核报告通过评估", "山东省环保厅《重点企业清洁生产培训班交流材料》 二、（四）；鲁环函〔2009〕14号"),
        ("实施效果通过验收", "山东省环保厅《重点企业清洁生产培训班交流材料》 二、（四）；鲁环函〔2009〕14号"),
    ]
    assert not cpsdk.has_errors(form.check(report))


def test_a_threshold_a_user_sets_says_it_is_the_user_s() -> None:
    form = cpsdk.get_form("shandong.certificate")
    report = form.build(_audit_with(no_low_done=5, no_low=10), min_no_low_rate=90)
    [rate] = [c for c in report.criteria if "实施率" in c.criterion]
    assert (rate.met, rate.source) == (False, "用户设定（min_no_low_rate=90）")
    assert not report.granted and "无/低费方案实施率" in (report.reason or "")


def test_a_criterion_without_a_source_is_an_error() -> None:
    form = cpsdk.get_form("shandong.certificate")
    report = form.build(_audit_with(no_low_done=5, no_low=10))
    criteria = (attrs.evolve(report.criteria[0], source=" "), *report.criteria[1:])
    codes = [i.code for i in form.check(attrs.evolve(report, criteria=criteria))]
    assert codes == ["shandong.certificate.criterion-source"]


@given(proposed=st.integers(0, 30), done=st.integers(0, 30))
def test_the_certificate_never_counts_more_implemented_than_put_forward(proposed: int, done: int) -> None:
    form = cpsdk.get_form("shandong.certificate")
    report = form.build(_audit_with(no_low_done=min(done, proposed), no_low=proposed))
    line = report.proposals[0]
    assert (line.proposed, line.implemented) == (proposed, min(done, proposed))
    assert "shandong.certificate.implemented-exceeds-proposed" not in {i.code for i in form.check(report)}
    if proposed:
        wrong = attrs.evolve(line, implemented=proposed + 1)
        total = attrs.evolve(report.proposals[2], implemented=proposed + 1)
        edited = attrs.evolve(report, proposals=(wrong, report.proposals[1], total))
        found = [i for i in form.check(edited) if i.code == "shandong.certificate.implemented-exceeds-proposed"]
        assert [i.pointer for i in found] == ["/proposals/0/implemented", "/proposals/2/implemented"]
        assert "一、基本情况" in (found[0].source or "")


# shandong.plan-progress: the 12th FYP, empty cells, 管理及审核人员.


def _plan_data() -> cpsdk.Dataset:
    def training(n: int, audience: cpsdk.Audience, year: int, people: int) -> cpsdk.Training:
        return cpsdk.Training(
            id=f"t{n}", region="370100", held_on=D(year, 5, 1), audience=audience, person_times=people
        )

    return cpsdk.Dataset(
        trainings=(
            training(1, cpsdk.Audience.GOVERNMENT, 2012, 120),
            training(2, cpsdk.Audience.ENTERPRISE, 2012, 459),
            training(3, cpsdk.Audience.GOVERNMENT, 2016, 80),  # after the plan
            training(4, cpsdk.Audience.GOVERNMENT, 2014, 35),
            training(5, cpsdk.Audience.AUDITOR, 2013, 64),  # 审核人员: counted with the managers
        )
    )


def test_the_plan_counts_2011_to_2015_and_says_so(tmp_path: Path) -> None:
    form = cpsdk.get_form("shandong.plan-progress")
    report, notes = cpsdk.build_report(form, _plan_data(), year=2020)
    assert (report.start_year, report.end_year) == (2011, 2015)
    assert "shandong.plan.after-plan" in {n.code for n in notes}
    path = form.write(report, tmp_path / "plan.xlsx")
    title = openpyxl.load_workbook(path).worksheets[0]["A1"].value
    assert title == "山东省清洁生产“12345”行动计划完成情况（2011—2015年）"
    assert not form.check(report)
    assert [i.code for i in form.check(attrs.evolve(report, end_year=2020))] == ["shandong.plan.period"]
    with pytest.raises(ValueError, match="2011"):
        form.build(_plan_data(), year=2010)


def test_training_counts_management_and_audit_staff_only() -> None:
    report, notes = cpsdk.build_report(cpsdk.get_form("shandong.plan-progress"), _plan_data())
    trained = report.targets[-1]
    expected = sum(
        t.person_times
        for t in _plan_data().trainings
        if t.audience in (cpsdk.Audience.GOVERNMENT, cpsdk.Audience.AUDITOR) and 2011 <= t.held_on.year <= 2015
    )
    assert trained.achieved == expected == 219
    assert trained.percent == Decimal("4.38")
    [left] = [n for n in notes if n.code == "shandong.plan.training-left-out"]
    assert "459" in left.message_zh


def test_a_figure_not_given_is_an_empty_cell_with_an_issue(tmp_path: Path) -> None:
    form = cpsdk.get_form("shandong.plan-progress")
    report, notes = cpsdk.build_report(form, _plan_data(), standards=4)
    assert [(n.code, n.pointer) for n in notes if n.code == "shandong.plan.not-given"] == [
        ("shandong.plan.not-given", "/targets/3/achieved")
    ]
    path = form.write(report, tmp_path / "plan.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    [row] = [r for r in sheet.iter_rows() if r[1].value == "推广清洁生产重点技术"]
    assert (row[4].value, row[5].value, row[6].value) == (None, None, "用户提供")  # 完成值, 完成比例, 数据来源
