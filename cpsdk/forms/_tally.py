"""The totals every province's statistics report, computed once from the records.

Chongqing, Liaoning, Jiangsu, Shanxi and Shandong (seeds 002, 003) publish the same
kinds of totals for a region and span: audits carried out and accepted, proposals put
forward and implemented by cost class, their investment, pollutants reduced, resources
saved and economic benefit. :func:`tally` computes them exactly; forms print them in the
units they choose.

How each total follows from the records (a record counts when the date that places it
falls in the span, both ends included):

- **audited**: distinct enterprises with an audit confirmed by the authority
  (``confirmed_on``; ``started_on`` when no confirmation is recorded), split by the kind
  of their latest such audit in the span (强制性 on the same day), so that
  ``audited = voluntary + mandatory``.
- **accepted**: distinct enterprises whose audit passed acceptance (``accepted_on``).
- **proposed**: proposals of audits whose report passed evaluation in the span
  (``evaluated_on``), plus retrofits adopting a catalogue technology outside any audit,
  started in the span; by cost class (Sichuan's note [5] counts these).
- **put forward**: every proposal put forward, whatever became of its audit (Shandong's
  “累计提出清洁生产方案20448个” beside 405 audits accepted), by cost class; placed by the
  first date recorded for it: its audit's report (``report_filed_on``, else
  ``evaluated_on``), its own start or its completion — so that in a span from the first
  records on, every proposal implemented was put forward (implemented ≤ put forward).
- **implemented** and **investment**: proposals completed in the span
  (``completed_on``), by cost class; the investment (万元) of those completed.
- **effects**: the yearly effects of the completed proposals, summed exactly in each
  metric's unit, pollutant reductions kept apart by basis (产生量 / 排放量) — the two are
  never mixed.
- **energy**: the energy the completed proposals save, in tce, each counted once
  (:func:`cpsdk.energy_saved`: the energy a proposal records, else its electricity and raw
  coal converted to standard coal).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial
from operator import is_
from typing import Any

import attrs

from cpsdk.model._energy import total_energy_saved
from cpsdk.model._entities import Dataset
from cpsdk.model._vocabulary import AuditKind, Basis, CostClass, Metric, Outcome, ProposalStatus
from cpsdk.store._records import Records


@attrs.frozen(kw_only=True)
class Totals:
    """The totals of a region over a span (see the module for how each follows from the records)."""

    start: datetime.date
    end: datetime.date
    audited_voluntary: int = 0
    audited_mandatory: int = 0
    accepted: int = 0
    proposed: Mapping[CostClass, int] = attrs.field(factory=dict)
    implemented: Mapping[CostClass, int] = attrs.field(factory=dict)
    investment: Decimal = Decimal(0)
    effects: Mapping[tuple[Metric, Basis | None], Decimal] = attrs.field(factory=dict)
    put_forward: Mapping[CostClass, int] = attrs.field(factory=dict)
    #: Energy saved by the completed proposals, in tce, each saving counted once.
    energy: Decimal = Decimal(0)

    @property
    def audited(self) -> int:
        """Distinct enterprises audited (voluntary + mandatory)."""
        return self.audited_voluntary + self.audited_mandatory

    def proposals(self, cost_class: CostClass | None = None) -> int:
        """Proposals put forward, of one cost class or all."""
        return self.proposed.get(cost_class, 0) if cost_class else sum(self.proposed.values())

    def proposals_put_forward(self, cost_class: CostClass | None = None) -> int:
        """Every proposal put forward, of one cost class or all (whatever became of its audit)."""
        return self.put_forward.get(cost_class, 0) if cost_class else sum(self.put_forward.values())

    def implementations(self, cost_class: CostClass | None = None) -> int:
        """Proposals implemented, of one cost class or all."""
        return self.implemented.get(cost_class, 0) if cost_class else sum(self.implemented.values())

    def effect(self, metric: Metric, basis: Basis | None = None) -> Decimal:
        """The summed effect of ``metric`` in its unit; a pollutant's on the given basis (generation by default)."""
        if metric.pollutant and basis is None:
            basis = Basis.GENERATION
        return self.effects.get((metric, basis if metric.pollutant else None), Decimal(0))


def tally(dataset: Dataset, start: datetime.date, end: datetime.date) -> Totals:
    """The totals of ``dataset`` for the records placed between ``start`` and ``end``."""
    in_span = partial(_inside, start, end)
    audits = dataset.records("audits")
    reported = {
        audit_id: filed_on or evaluated_on
        for audit_id, filed_on, evaluated_on in audits.columns("id", "report_filed_on", "evaluated_on")
        if filed_on or evaluated_on
    }
    # Each enterprise's latest audit placed (confirmed, else started) in the span, mandatory winning a tie; the
    # audits placed in the span picked by their dates' columns, then gone through one by one.
    latest: dict[str, tuple[datetime.date, bool]] = {}
    for placed, date in (
        (audits.where("confirmed_on", in_span), "confirmed_on"),
        (audits.where("confirmed_on", _is_none).where("started_on", in_span), "started_on"),
    ):
        for enterprise, kind, day in placed.columns("enterprise", "kind", date):
            when = (day, kind is AuditKind.MANDATORY)
            if enterprise not in latest or when > latest[enterprise]:
                latest[enterprise] = when
    accepted = set(audits.where("acceptance", is_passed).where("accepted_on", in_span).column("enterprise"))
    evaluated = set(audits.where("evaluation", is_passed).where("evaluated_on", in_span).column("id"))
    mandatory = sum(1 for _, is_mandatory in latest.values() if is_mandatory)
    proposals = dataset.records("proposals")
    completed = proposals.where("status", _is_completed).where("completed_on", in_span)
    effects, energy = _effects_of(dataset, completed)
    return Totals(
        start=start,
        end=end,
        audited_voluntary=len(latest) - mandatory,
        audited_mandatory=mandatory,
        accepted=len(accepted),
        proposed=_by_class(*_proposed(proposals, in_span, evaluated)),
        implemented=_by_class(completed),
        investment=completed.sums("investment", zeros=False).get((), Decimal(0)),  # (no investment, or 0, adds 0)
        effects=effects,
        put_forward=_put_forward(proposals, start, end, reported),
        energy=energy,
    )


# The proposals and their effects are read from their columns, a field at a time: each test is made once per
# distinct value of a field (``Records.where``), and the records passing picked by their values' numbers. A whole
# country's million proposals and three million effects are never made into objects.


def _inside(start: datetime.date, end: datetime.date, date: datetime.date | None) -> bool:
    return date is not None and start <= date <= end


def _by_class(*groups: Records[Any], less: Records[Any] | None = None) -> dict[CostClass, int]:
    """How many of the records of ``groups`` (proposals) are of each cost class, less those of ``less``."""
    counts = dict.fromkeys(CostClass, 0)
    for cost_class in CostClass:
        for group in groups:
            counts[cost_class] += len(group.where("cost_class", partial(is_, cost_class)))
        if less is not None:
            counts[cost_class] -= len(less.where("cost_class", partial(is_, cost_class)))
    return counts


def _proposed(
    proposals: Records[Any], in_span: Callable[[Any], bool], evaluated: set[str]
) -> tuple[Records[Any], Records[Any]]:
    """Proposals of audits evaluated in the span, and catalogue retrofits outside any audit started in it."""
    from_audit = proposals.where("audit", evaluated.__contains__)
    from_catalogue = proposals.where("audit", _is_none).where("from_catalogue", bool).where("started_on", in_span)
    return from_audit, from_catalogue


def _put_forward(
    proposals: Records[Any], start: datetime.date, end: datetime.date, reported: Mapping[str, datetime.date]
) -> dict[CostClass, int]:
    """Every proposal by the first date recorded for it: inside the span when none of its dates is before the
    span and one of them is not after it (counted as those none of whose dates is before, less those all of whose
    dates are after)."""

    def not_before(date: datetime.date | None) -> bool:
        return date is None or date >= start

    def after(date: datetime.date | None) -> bool:
        return date is None or date > end

    def report_not_before(audit: str | None) -> bool:
        return not_before(reported.get(audit))  # type: ignore[arg-type]

    def report_after(audit: str | None) -> bool:
        return after(reported.get(audit))  # type: ignore[arg-type]

    none_before = (
        proposals.where("audit", report_not_before).where("started_on", not_before).where("completed_on", not_before)
    )
    all_after = none_before.where("audit", report_after).where("started_on", after).where("completed_on", after)
    return _by_class(none_before, less=all_after)


def _is_completed(status: ProposalStatus | None) -> bool:
    return status is ProposalStatus.COMPLETED


def _effects_of(
    dataset: Dataset, completed: Records[Any]
) -> tuple[dict[tuple[Metric, Basis | None], Decimal], Decimal]:
    """The effects of the ``completed`` proposals summed by metric (pollutants by basis), and the energy they save
    in tce, each proposal's counted once: its recorded energy, else its electricity and coal converted."""
    mine = dataset.effects_naming(set(completed.column("id")))  # (the ids let go of at once)
    sums: dict[tuple[Metric, Basis | None], Decimal] = {}
    for ((metric, pollutant), basis), amount in mine.sums("amount", ("metric", _key_of_metric), "basis").items():
        key = (metric, basis if pollutant else None)
        sums[key] = sums[key] + amount if key in sums else amount
    return sums, total_energy_saved(mine)


def is_passed(outcome: Outcome | None) -> bool:
    """Whether an evaluation or acceptance passed."""
    return outcome is Outcome.PASSED


def _is_none(value: Any) -> bool:
    return value is None


def _key_of_metric(metric: Metric) -> tuple[Metric, bool]:
    return metric, metric.pollutant
