"""The core states facts; what a province counts is the province's (issue 24 item 6)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs

from cpsdk import CostClass, Proposal, ProposalStatus


def test_the_core_proposal_has_no_province_s_notion_of_implemented() -> None:
    assert not hasattr(Proposal, "implemented")


def test_sichuan_counts_a_completed_proposal_only_once_accepted() -> None:
    from cpsdk_sichuan.annual.build import counts_as_implemented

    done = Proposal(
        id="P1",
        enterprise="91510100MA61234567",
        name="电机变频节能改造",
        cost_class=CostClass.MID_HIGH,
        investment=Decimal("120"),
        status=ProposalStatus.COMPLETED,
        completed_on=datetime.date(2019, 5, 1),
    )
    assert not counts_as_implemented(done)
    assert counts_as_implemented(attrs.evolve(done, accepted_on=datetime.date(2019, 9, 1)))
