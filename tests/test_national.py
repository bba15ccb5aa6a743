"""The national forms and the totals they share: known answers, identities, exact units."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as uscc_code

import cpsdk
from cpsdk import AuditKind, Basis, CostClass, Metric, Outcome, ProposalStatus

D = datetime.date


def uscc(n: int) -> str:
    body = f"91510107{n:09d}"
    return body + uscc_code.calc_check_digit(body)


def enterprise(n: int, industry: str = "3011", above: bool = True, **fields: object) -> cpsdk.Enterprise:
    return cpsdk.Enterprise(
        uscc=uscc(n), name=f"企业{n}", region="510107", industry=industry, above_scale=above, **fields
    )


E1, E2, E3 = enterprise(1), enterprise(2, "2222"), enterprise(3, "4411", above=False)
DATASET = cpsdk.Dataset(
    enterprises=(E1, E2, E3),
    audits=(
        cpsdk.Audit(
            id="a1", enterprise=E1.uscc, kind=AuditKind.VOLUNTARY, confirmed_on=D(2012, 1, 5),
            evaluated_on=D(2012, 6, 1), evaluation=Outcome.PASSED, accepted_on=D(2013, 6, 1),
            acceptance=Outcome.PASSED, level=cpsdk.CleanerProductionLevel.II,
        ),
        cpsdk.Audit(id="a2", enterprise=E1.uscc, kind=AuditKind.MANDATORY, confirmed_on=D(2014, 1, 5)),
        cpsdk.Audit(
            id="a3", enterprise=E2.uscc, kind=AuditKind.VOLUNTARY, confirmed_on=D(2013, 2, 1),
            evaluated_on=D(2013, 8, 1), evaluation=Outcome.PASSED, accepted_on=D(2014, 8, 1),
            acceptance=Outcome.PASSED, level=cpsdk.CleanerProductionLevel.III,
        ),
        cpsdk.Audit(id="a4", enterprise=E3.uscc, kind=AuditKind.VOLUNTARY, confirmed_on=D(2009, 1, 1)),
    ),
    proposals=(
        cpsdk.Proposal(
            id="p1", enterprise=E1.uscc, audit="a1", name="余热", cost_class=CostClass.MID_HIGH,
            investment=Decimal("1234.5678"), status=ProposalStatus.COMPLETED, completed_on=D(2013, 1, 1),
        ),
        cpsdk.Proposal(
            id="p2", enterprise=E1.uscc, audit="a1", name="照明", cost_class=CostClass.NO_LOW,
            investment=Decimal("0.5"), status=ProposalStatus.COMPLETED, completed_on=D(2012, 9, 1),
        ),
        cpsdk.Proposal(id="p3", enterprise=E2.uscc, audit="a3", name="回用", cost_class=CostClass.MID_HIGH),
        cpsdk.Proposal(
            id="p4", enterprise=E2.uscc, name="目录技术", cost_class=CostClass.MID_HIGH, from_catalogue=True,
            started_on=D(2014, 3, 1),
        ),
    ),
    effects=(
        cpsdk.Effect(id="f1", proposal="p1", metric=Metric.COD, basis=Basis.GENERATION, amount=Decimal("12.345")),
        cpsdk.Effect(id="f2", proposal="p2", metric=Metric.COD, basis=Basis.DISCHARGE, amount=Decimal("1")),
        cpsdk.Effect(id="f3", proposal="p1", metric=Metric.SO2, basis=Basis.DISCHARGE, amount=Decimal("2500")),
        cpsdk.Effect(id="f4", proposal="p1", metric=Metric.ELECTRICITY, amount=Decimal("123456789")),
    ),
    trainings=(
        cpsdk.Training(
            id="t1", region="510107", held_on=D(2012, 3, 1), audience=cpsdk.Audience.ENTERPRISE,
            enterprise=E1.uscc, person_times=10, head_person_times=1,
        ),
    ),
    demonstrations=(
        cpsdk.Demonstration(
            id="m1", kind=cpsdk.DemonstrationKind.ENTERPRISE, level=cpsdk.Level.PROVINCIAL, name="企业1",
            region="510107", enterprise=E1.uscc, granted_on=D(2014, 5, 1),
        ),
    ),
)  # fmt: skip


def test_tally_counts_once_and_sums_exactly() -> None:
    totals = cpsdk.tally(DATASET, D(2011, 1, 1), D(2015, 12, 31))
    # E1 audited in 2012 (voluntary) and 2014 (mandatory): once, as mandatory; E3's audit is from 2009.
    assert (totals.audited, totals.audited_voluntary, totals.audited_mandatory) == (2, 1, 1)
    assert totals.accepted == 2
    assert totals.proposals() == 4 and totals.proposals(CostClass.MID_HIGH) == 3
    assert totals.implementations() == 2 and totals.implementations(CostClass.NO_LOW) == 1
    assert totals.investment == Decimal("1235.0678")
    assert totals.effect(Metric.COD) == Decimal("12.345")  # generation by default, never mixed
    assert totals.effect(Metric.COD, Basis.DISCHARGE) == Decimal(1)
    assert totals.effect(Metric.ELECTRICITY) == Decimal(123456789)


@given(seed=st.integers(0, 10_000), unit=st.sampled_from(["亿元", "万元", "元"]))
def test_summary_figures_equal_the_exact_sum_of_the_records_in_any_unit(seed: int, unit: str) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=15, proposals_per_audit=4)
    form = cpsdk.get_form("national.summary")
    report = form.build(data, year=2020, start_year=2016, money_unit=unit)
    exact = sum(
        (p.investment or Decimal(0) for p in data.proposals if p.completed_on and 2016 <= p.completed_on.year <= 2020),
        Decimal(0),
    )
    investment = report.value("实施方案投资额")
    assert investment == cpsdk.to_unit(exact, cpsdk.Unit.TEN_THOUSAND_YUAN, cpsdk.Unit.parse(unit))
