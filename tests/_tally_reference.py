"""The record-by-record :func:`cpsdk.tally` as it was before it worked on columns: the tests' reference."""

from __future__ import annotations

import datetime
from decimal import Decimal

from cpsdk import AuditKind, Basis, CostClass, Dataset, Metric, ProposalStatus, Totals, energy_saved


def reference_tally(dataset: Dataset, start: datetime.date, end: datetime.date) -> Totals:
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
