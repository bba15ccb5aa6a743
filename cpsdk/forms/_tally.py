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
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial
from itertools import compress, count
from operator import and_, or_
from typing import Any

import attrs

from cpsdk.model._energy import energy_saved_by
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
    latest: dict[str, tuple[datetime.date, bool]] = {}
    accepted: set[str] = set()
    evaluated: set[str] = set()
    reported: dict[str, datetime.date] = {}
    audits = dataset.records("audits")
    fields = ("id", "enterprise", "kind", "report_filed_on", "evaluated_on", "evaluation", "confirmed_on", "started_on")
    for (audit_id, enterprise, kind, filed_on, evaluated_on, evaluation, confirmed_on, started_on), (
        accepted_on,
        acceptance,
    ) in zip(audits.columns(*fields), audits.columns("accepted_on", "acceptance"), strict=True):
        report_date = filed_on or evaluated_on
        if report_date is not None:
            reported[audit_id] = report_date
        placed = confirmed_on or started_on
        if placed is not None and in_span(placed):
            when = (placed, kind is AuditKind.MANDATORY)
            if enterprise not in latest or when > latest[enterprise]:
                latest[enterprise] = when
        if acceptance is Outcome.PASSED and in_span(accepted_on):
            accepted.add(enterprise)
        if evaluation is Outcome.PASSED and in_span(evaluated_on):
            evaluated.add(audit_id)
    mandatory = sum(1 for _, is_mandatory in latest.values() if is_mandatory)
    proposals = dataset.records("proposals")
    completed = proposals.take(_completed(proposals, in_span))
    implemented = Counter(completed.column("cost_class"))
    effects, energy = _effects_of(dataset.records("effects"), completed)
    return Totals(
        start=start,
        end=end,
        audited_voluntary=len(latest) - mandatory,
        audited_mandatory=mandatory,
        accepted=len(accepted),
        proposed=_by_class(_proposed(proposals, in_span, evaluated)),
        implemented=_by_class(implemented),
        investment=sum(filter(None, completed.column("investment")), Decimal(0)),  # (no investment, or 0, adds 0)
        effects=effects,
        put_forward=_by_class(_put_forward(proposals, start, end, reported)),
        energy=energy,
    )


# The proposals and their effects are read from their columns, a field at a time, and each test is made once per
# distinct value of a field (``Records.translated``) and combined over the columns by ``map``: a whole country's
# million proposals and three million effects are never made into objects, and only the sums of amounts run a
# step of Python per record.


def _inside(start: datetime.date, end: datetime.date, date: datetime.date | None) -> bool:
    return date is not None and start <= date <= end


def _by_class(counts: Counter[CostClass]) -> dict[CostClass, int]:
    return {cost_class: counts[cost_class] for cost_class in CostClass}


def _proposed(proposals: Records[Any], in_span: Callable[[Any], bool], evaluated: set[str]) -> Counter[CostClass]:
    """Proposals of audits evaluated in the span, and catalogue retrofits outside any audit started in it."""
    from_audit = proposals.translated("audit", evaluated.__contains__)
    from_catalogue = map(
        and_,
        proposals.translated("audit", _is_none),
        map(and_, proposals.translated("from_catalogue", bool), proposals.translated("started_on", in_span)),
    )
    return Counter(compress(proposals.column("cost_class"), map(or_, from_audit, from_catalogue)))


def _put_forward(
    proposals: Records[Any], start: datetime.date, end: datetime.date, reported: Mapping[str, datetime.date]
) -> Counter[CostClass]:
    """Every proposal by the first date recorded for it: inside the span when none of its dates is before the
    span and one of them is not after it."""

    def not_before(date: datetime.date | None) -> bool:
        return date is None or date >= start

    def not_after(date: datetime.date | None) -> bool:
        return date is not None and date <= end

    def report_not_before(audit: str | None) -> bool:
        return not_before(reported.get(audit))  # type: ignore[arg-type]

    def report_not_after(audit: str | None) -> bool:
        return not_after(reported.get(audit))  # type: ignore[arg-type]

    none_before = map(
        and_,
        proposals.translated("audit", report_not_before),
        map(and_, proposals.translated("started_on", not_before), proposals.translated("completed_on", not_before)),
    )
    one_not_after = map(
        or_,
        proposals.translated("audit", report_not_after),
        map(or_, proposals.translated("started_on", not_after), proposals.translated("completed_on", not_after)),
    )
    return Counter(compress(proposals.column("cost_class"), map(and_, none_before, one_not_after)))


def _completed(proposals: Records[Any], in_span: Callable[[Any], bool]) -> list[int]:
    """The positions of the proposals completed in the span."""
    done = map(
        and_,
        proposals.translated("status", ProposalStatus.COMPLETED.__eq__),
        proposals.translated("completed_on", in_span),
    )
    return list(compress(count(), done))


def _effects_of(
    effects: Records[Any], completed: Records[Any]
) -> tuple[dict[tuple[Metric, Basis | None], Decimal], Decimal]:
    """The effects of the ``completed`` proposals summed by metric (pollutants by basis), and the energy they save
    in tce, each proposal's counted once: its recorded energy, else its electricity and coal converted."""
    mine = effects.where("proposal", set(completed.column("id")).__contains__)  # (the ids let go of at once)
    sums: dict[tuple[Metric, Basis | None], Decimal] = {}
    for ((metric, pollutant), basis), amount in mine.sums("amount", ("metric", _key_of_metric), "basis").items():
        key = (metric, basis if pollutant else None)
        sums[key] = sums[key] + amount if key in sums else amount
    return sums, sum(filter(None, energy_saved_by(mine).values()), Decimal(0))  # (a zero saving adds nothing)


def _is_none(value: Any) -> bool:
    return value is None


def _key_of_metric(metric: Metric) -> tuple[Metric, bool]:
    return metric, metric.pollutant
