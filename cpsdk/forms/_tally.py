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
from collections.abc import Mapping
from decimal import Decimal

import attrs

from cpsdk.model._energy import energy_saved
from cpsdk.model._entities import Dataset
from cpsdk.model._vocabulary import AuditKind, Basis, CostClass, Metric, ProposalStatus


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

    def inside(date: datetime.date | None) -> bool:
        return date is not None and start <= date <= end

    latest: dict[str, tuple[datetime.date, bool]] = {}
    accepted: set[str] = set()
    evaluated: set[str] = set()
    reported: dict[str, datetime.date] = {}
    for audit in dataset.audits:
        report_date = audit.report_filed_on or audit.evaluated_on
        if report_date is not None:
            reported[audit.id] = report_date
        placed = audit.confirmed_on or audit.started_on
        if placed is not None and inside(placed):
            when = (placed, audit.kind is AuditKind.MANDATORY)
            if audit.enterprise not in latest or when > latest[audit.enterprise]:
                latest[audit.enterprise] = when
        if audit.accepted and inside(audit.accepted_on):
            accepted.add(audit.enterprise)
        if audit.evaluated and inside(audit.evaluated_on):
            evaluated.add(audit.id)
    mandatory = sum(1 for _, is_mandatory in latest.values() if is_mandatory)
    proposed = dict.fromkeys(CostClass, 0)
    implemented = dict.fromkeys(CostClass, 0)
    put_forward = dict.fromkeys(CostClass, 0)
    investment = Decimal(0)
    energy = Decimal(0)
    effects: dict[tuple[Metric, Basis | None], Decimal] = {}
    # The proposals and their effects are read field by field from their columns: a whole country's million
    # proposals are never made into objects only to read eight of their fields.
    proposals = dataset.records("proposals")
    groups = dataset.effects_by_proposal
    each = dataset.records("effects")
    metric_at, basis_at, amount_at = each.getter("metric"), each.getter("basis"), each.getter("amount")
    fields = ("id", "audit", "cost_class", "from_catalogue", "started_on", "status", "completed_on", "investment")
    for proposal_id, audit, cost_class, catalogue, started_on, status, completed_on, invested in proposals.columns(
        *fields
    ):
        from_audit = audit in evaluated
        from_catalogue = audit is None and catalogue and inside(started_on)
        if from_audit or from_catalogue:
            proposed[cost_class] += 1
        first = min((d for d in (reported.get(audit), started_on, completed_on) if d is not None), default=None)
        if inside(first):
            put_forward[cost_class] += 1
        if status is ProposalStatus.COMPLETED and inside(completed_on):
            implemented[cost_class] += 1
            investment += invested or 0
            saved: dict[Metric, Decimal] = {}
            for position in groups.positions(proposal_id):
                metric = metric_at(position)
                key = (metric, basis_at(position) if metric.pollutant else None)
                effects[key] = effects.get(key, Decimal(0)) + amount_at(position)
                if not metric.pollutant:
                    saved[metric] = saved.get(metric, Decimal(0)) + amount_at(position)
            energy += energy_saved(saved) or 0
    return Totals(
        start=start,
        end=end,
        audited_voluntary=len(latest) - mandatory,
        audited_mandatory=mandatory,
        accepted=len(accepted),
        proposed=proposed,
        implemented=implemented,
        investment=investment,
        effects=effects,
        put_forward=put_forward,
        energy=energy,
    )
