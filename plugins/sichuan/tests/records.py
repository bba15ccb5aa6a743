"""Small hand-made datasets whose figures are known, for the Sichuan tests."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from stdnum.cn import uscc as uscc_code

import cpsdk


def uscc(region: str, n: int) -> str:
    """A valid 统一社会信用代码 of an enterprise registered in ``region``."""
    body = f"91{region}{n:09d}"
    return body + uscc_code.calc_check_digit(body)


def enterprise(n: int, region: str = "510107", industry: str = "3011", **fields: Any) -> cpsdk.Enterprise:
    """Enterprise number ``n``."""
    fields.setdefault("above_scale", True)
    return cpsdk.Enterprise(uscc=uscc(region, n), name=f"测试企业{n}", region=region, industry=industry, **fields)


def audit(
    audit_id: str,
    ent: cpsdk.Enterprise,
    kind: cpsdk.AuditKind = cpsdk.AuditKind.VOLUNTARY,
    *,
    confirmed: datetime.date | None = None,
    evaluated: datetime.date | None = None,
    accepted: datetime.date | None = None,
    **fields: Any,
) -> cpsdk.Audit:
    """An audit of ``ent`` with the dates given (evaluation and acceptance passed)."""
    return cpsdk.Audit(
        id=audit_id,
        enterprise=ent.uscc,
        kind=kind,
        confirmed_on=confirmed,
        evaluated_on=evaluated,
        evaluation=cpsdk.Outcome.PASSED if evaluated else None,
        accepted_on=accepted,
        acceptance=cpsdk.Outcome.PASSED if accepted else None,
        **fields,
    )


def proposal(
    proposal_id: str,
    ent: cpsdk.Enterprise,
    audit_id: str | None,
    cost: cpsdk.CostClass = cpsdk.CostClass.MID_HIGH,
    **fields: Any,
) -> cpsdk.Proposal:
    """A proposal of ``ent``; completed when ``completed_on`` is given."""
    status = cpsdk.ProposalStatus.COMPLETED if fields.get("completed_on") else cpsdk.ProposalStatus.IN_PROGRESS
    return cpsdk.Proposal(
        id=proposal_id,
        enterprise=ent.uscc,
        audit=audit_id,
        name=f"方案{proposal_id}",
        cost_class=cost,
        status=fields.pop("status", status),
        **fields,
    )


def effect(
    effect_id: str, proposal_id: str, metric: cpsdk.Metric, amount: str, basis: cpsdk.Basis | None = None
) -> cpsdk.Effect:
    """An effect of a proposal."""
    return cpsdk.Effect(id=effect_id, proposal=proposal_id, metric=metric, amount=Decimal(amount), basis=basis)


D = datetime.date
