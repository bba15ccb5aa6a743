"""附件3's 节能 and 获得经济效益, computed here from their definitions, against the form's figures.

- 获得经济效益（万元）, note [6]: “实施清洁生产技术改造项目后产生的经济效益” — the benefit of the retrofit
  projects note [5] defines (mid/high-cost proposals of audits whose report passed evaluation, or
  retrofits adopting a catalogue technology), completed in the year; no/low-cost proposals' is not.
- 节能（万吨标煤）: each completed proposal's energy counted once — the 节能 it records, else its
  electricity (0.1229 kgce/kWh, 当量值) and raw coal (0.7143 kgce/kg) saved, per GB/T 2589-2008 附录A.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st
from records import D, audit, effect, enterprise, proposal

import cpsdk
from cpsdk import CostClass, Metric

KGCE_PER_KWH = Decimal("0.1229")
KGCE_PER_KG_RAW_COAL = Decimal("0.7143")
YEAR = 2018

amounts = st.decimals(min_value=0, max_value=100000, places=2).map(lambda d: d.normalize())
one_project = st.fixed_dictionaries(
    {
        "cost": st.sampled_from(CostClass),
        "evaluated": st.booleans(),
        "catalogue": st.booleans(),
        "completed": st.sampled_from([D(YEAR, 3, 1), D(YEAR - 1, 6, 1), None]),
        "effects": st.dictionaries(
            st.sampled_from([Metric.ENERGY, Metric.ELECTRICITY, Metric.COAL, Metric.BENEFIT]), amounts, max_size=4
        ),
    }
)


@given(projects=st.lists(one_project, min_size=1, max_size=6))
def test_energy_and_benefit_follow_their_definitions(projects: list[dict]) -> None:
    ent = enterprise(1)
    audits, proposals, effects = [], [], []
    energy_year = energy_cumulative = Decimal(0)
    benefit_year = benefit_cumulative = Decimal(0)
    for n, each in enumerate(projects):
        audit_id = f"a{n}"
        audits.append(
            audit(audit_id, ent, confirmed=D(2016, 5, 1), evaluated=D(2016, 9, 1) if each["evaluated"] else None)
        )
        catalogue = each["catalogue"]
        proposals.append(
            proposal(
                f"p{n}",
                ent,
                None if catalogue else audit_id,
                each["cost"],
                from_catalogue=catalogue,
                started_on=D(2016, 10, 1),
                completed_on=each["completed"],
            )
        )
        for metric, amount in each["effects"].items():
            effects.append(effect(f"f{n}{metric.value}", f"p{n}", metric, str(amount)))
        if each["completed"] is None:
            continue
        recorded = each["effects"]
        if Metric.ENERGY in recorded:
            tce = recorded[Metric.ENERGY]
        else:
            kgce = recorded.get(Metric.ELECTRICITY, 0) * KGCE_PER_KWH
            kgce += recorded.get(Metric.COAL, 0) * 1000 * KGCE_PER_KG_RAW_COAL
            tce = (kgce / 1000).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)  # converted: to 1 kgce
        retrofit = catalogue or (each["evaluated"] and each["cost"] is CostClass.MID_HIGH)
        benefit = recorded.get(Metric.BENEFIT, Decimal(0)) if retrofit else Decimal(0)
        energy_cumulative += tce
        benefit_cumulative += benefit
        if each["completed"].year == YEAR:
            energy_year += tce
            benefit_year += benefit
    data = cpsdk.Dataset(enterprises=(ent,), audits=audits, proposals=proposals, effects=effects)
    report, _ = cpsdk.build_report(cpsdk.get_form("sichuan.annual-report"), data, region="5101", year=YEAR)
    assert report.effects.energy.year == energy_year / 10000
    assert report.effects.energy.cumulative == energy_cumulative / 10000
    assert report.effects.benefit.year == benefit_year
    assert report.effects.benefit.cumulative == benefit_cumulative


def test_a_zero_recorded_to_more_places_leaves_the_sums_as_they_are() -> None:
    """A proposal's effect recorded as 0.000 adds nothing to 附件3's figures, not even its places: the cell shows
    the sum of what was saved (written with the value's own places) as it would without the zero."""
    ent = enterprise(1)
    audits = [audit("a1", ent, confirmed=D(2016, 5, 1), evaluated=D(2016, 9, 1))]
    proposals = [
        proposal(f"p{n}", ent, "a1", CostClass.MID_HIGH, started_on=D(2016, 10, 1), completed_on=D(YEAR, 3, 1))
        for n in (1, 2)
    ]
    effects = [
        effect("f1", "p1", Metric.WATER, "12.5"),
        effect("f2", "p2", Metric.WATER, "0.000"),
        effect("f3", "p2", Metric.BENEFIT, "3"),
        effect("f4", "p1", Metric.BENEFIT, "0.00"),
    ]
    data = cpsdk.Dataset(enterprises=(ent,), audits=audits, proposals=proposals, effects=effects)
    report, _ = cpsdk.build_report(cpsdk.get_form("sichuan.annual-report"), data, region="5101", year=YEAR)
    assert repr(report.effects.water.year) == "Decimal('0.00125')"  # 12.5 吨 in 万吨
    assert repr(report.effects.benefit.cumulative) == "Decimal('3')"
