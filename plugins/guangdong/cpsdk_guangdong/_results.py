"""What a set of audits achieved: their proposals by cost class, those implemented, and their yearly effects.

The document reports the results of the enterprises that completed their audits (“共有6,979家次企业
完成清洁生产审核工作，共实施188,766项清洁生产方案……这些企业……每年可节能368万吨标煤”): every
Guangdong form counts the proposals **of the audits it lists**, so that one population of audits
stands behind all of a form's figures.

- **proposed**: every proposal of the audits, by cost class.
- **implemented**: those completed (``status`` 已完成) by the day given (a completion date after it
  is not yet; a completed proposal without a date counts), and their investment.
- **effects**: the yearly effects of the implemented proposals in each metric's unit; pollutants on
  the generation basis (产生量), as the province's targets count them.
- **energy** (节能, 吨标准煤): each implemented proposal's energy counted once with
  :func:`cpsdk.energy_saved` — the energy it records, else its electricity and raw coal converted
  with the factors of :data:`cpsdk.STANDARD_COAL_SOURCE`.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

import attrs

from cpsdk import (
    STANDARD_COAL_FACTORS,
    STANDARD_COAL_SOURCE,
    Basis,
    CostClass,
    Dataset,
    Metric,
    ProposalStatus,
    energy_saved_by,
)

K = TypeVar("K", bound=Hashable)

#: The note every form printing 节能 carries: how electricity and coal become standard coal, and that each
#: saving is counted once.
ENERGY_NOTE = (
    "节能（吨标准煤）按方案计、每个方案只计一次：方案记录了节能量的，取其节能量；未记录的，将其节电、节煤按"
    f"{STANDARD_COAL_SOURCE}折算为标准煤（" + "；".join(text for _, text in STANDARD_COAL_FACTORS.values()) + "），"
    "折算值保留至0.001吨标准煤。"
)


@attrs.define
class Results:
    """What the proposals of some audits achieved (see the module)."""

    proposed: dict[CostClass, int] = attrs.field(factory=lambda: dict.fromkeys(CostClass, 0))
    implemented: dict[CostClass, int] = attrs.field(factory=lambda: dict.fromkeys(CostClass, 0))
    investment: dict[CostClass, Decimal] = attrs.field(factory=lambda: dict.fromkeys(CostClass, Decimal(0)))
    effects: dict[Metric, Decimal] = attrs.field(factory=dict)
    energy: Decimal = Decimal(0)

    def effect(self, metric: Metric) -> Decimal:
        """The yearly effect of ``metric`` in its unit; :attr:`Metric.ENERGY` is the energy counted once."""
        return self.energy if metric is Metric.ENERGY else self.effects.get(metric, Decimal(0))

    def plus(self, other: Results) -> Results:
        """The results of both sets of audits (disjoint): each count and amount added, exactly as counting them
        together adds them (a metric neither has stays absent)."""
        effects = dict(self.effects)
        for metric, amount in other.effects.items():
            effects[metric] = effects[metric] + amount if metric in effects else amount
        return Results(
            proposed={c: self.proposed[c] + other.proposed[c] for c in CostClass},
            implemented={c: self.implemented[c] + other.implemented[c] for c in CostClass},
            investment={c: self.investment[c] + other.investment[c] for c in CostClass},
            effects=effects,
            energy=self.energy + other.energy,
        )


def results(dataset: Dataset, groups: Mapping[str, K], by: datetime.date | None = None) -> dict[K, Results]:
    """The results of the audits named in ``groups`` (audit id → the group it counts in), by group.

    ``by``: the day implementation is judged on (None: every completed proposal).
    """
    found: dict[K, Results] = {group: Results() for group in dict.fromkeys(groups.values())}
    # Counted and summed from the proposals' columns, by group and cost class (a country's proposals are a million).
    proposals = dataset.proposals.where("audit", groups.__contains__)
    for (group, cost_class), count in proposals.counts(("audit", groups.get), "cost_class").items():
        found[group].proposed[cost_class] += count
    done = proposals.where("status", _completed)
    if by is not None:  # (a completed proposal without a date counts)
        done = done.where("completed_on", lambda date: date is None or date <= by)
    for (group, cost_class), count in done.counts(("audit", groups.get), "cost_class").items():
        found[group].implemented[cost_class] += count
    for (group, cost_class), total in done.sums("investment", ("audit", groups.get), "cost_class", zeros=False).items():
        found[group].investment[cost_class] += total  # (no investment, or 0, adds nothing)
    # the implemented proposals, by id: the results they count in (of equal ids, the first's)
    ids = list(done.column("id"))
    implemented = dict(
        zip(reversed(ids), reversed(list(map(found.__getitem__, done.translated("audit", groups.get)))), strict=True)
    )
    # The implemented proposals' effects summed by the results they count in, metric and basis, from the effects'
    # columns (neither made into objects nor indexed by proposal; the amounts of the others never read); each
    # proposal's energy counted once.
    counted = list(found.values())
    number_of = {id(result): number for number, result in enumerate(counted)}
    counted_in = {proposal_id: number_of[id(result)] for proposal_id, result in implemented.items()}
    effects = dataset.effects_naming(implemented)
    for (number, metric, basis), amount in effects.sums(
        "amount", ("proposal", counted_in.__getitem__), "metric", "basis"
    ).items():
        if metric.pollutant and basis is not Basis.GENERATION:
            continue
        result = counted[number]
        result.effects[metric] = result.effects[metric] + amount if metric in result.effects else amount
    for proposal_id, energy in energy_saved_by(effects).items():
        if energy:  # (a zero saving adds nothing, not even its places)
            implemented[proposal_id].energy += energy
    return found


def _completed(status: ProposalStatus | None) -> bool:
    return status is ProposalStatus.COMPLETED
