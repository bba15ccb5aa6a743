"""``cpsdk.tally`` works on whole columns; it gives exactly what summing record by record gives.

``tests/_tally_reference.py`` is the record-by-record implementation the column one replaced (kept as it was).
Both are asked for the same spans of the same datasets: small ones built in Python (columns appended one by
one, all shared) and a large example parsed from its file (ids and amounts packed, read block by block).
Totals compare by value and by their amounts' digits (``repr``), so that a sum kept to other places differs.
"""

from __future__ import annotations

import datetime
import functools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

import cpsdk
from tests._tally_reference import reference_tally
from tests.strategies import datasets

LARGE = settings(max_examples=max(4, settings().max_examples // 8))
SPANS = st.tuples(st.dates(datetime.date(2009, 1, 1), datetime.date(2024, 12, 31)), st.integers(0, 3000)).map(
    lambda span: (span[0], span[0] + datetime.timedelta(days=span[1]))
)


def _same(dataset: cpsdk.Dataset, start: datetime.date, end: datetime.date) -> None:
    found, expected = cpsdk.tally(dataset, start, end), reference_tally(dataset, start, end)
    assert found == expected
    assert repr(found) == repr(expected)


@given(datasets(max_enterprises=6), SPANS)
def test_column_tally_is_the_record_tally_on_small_datasets(dataset: cpsdk.Dataset, span: tuple) -> None:
    _same(dataset, *span)
    _same(cpsdk.parse(json.dumps(cpsdk.dump(dataset), ensure_ascii=False).encode()).dataset, *span)


@functools.cache
def _large() -> cpsdk.Dataset:
    """Parsed from its file, with over 4,096 effects: ids and amounts packed."""
    document = cpsdk.dump(cpsdk.example_dataset(seed=5, enterprises=120, proposals_per_audit=14))
    return cpsdk.parse(json.dumps(document, ensure_ascii=False).encode()).dataset


def test_the_large_dataset_has_packed_amounts() -> None:
    effects = _large().records("effects")
    assert len(effects) > 4096
    assert effects.positions_with_text("amount", "-") == []  # searched in packed blocks: a packed column


@LARGE
@given(SPANS)
def test_column_tally_is_the_record_tally_on_a_large_dataset(span: tuple) -> None:
    _same(_large(), *span)
    _same(_large().in_region("51"), *span)  # a view of some rows: read through its positions


def test_the_whole_programme_and_one_year() -> None:
    for start, end in [
        (datetime.date(2011, 1, 1), datetime.date(2030, 12, 31)),
        (datetime.date(2018, 1, 1), datetime.date(2018, 12, 31)),
    ]:
        _same(_large(), start, end)
        assert cpsdk.tally(_large(), start, end).implementations() > 0


def test_a_failed_evaluation_or_acceptance_counts_nowhere_though_dated() -> None:
    enterprise = cpsdk.Enterprise(uscc="91510100MA61234560", name="测试企业", region="510104", industry="3011")
    day = datetime.date(2018, 5, 1)
    audits = [
        cpsdk.Audit(
            id=f"A{n}",
            enterprise=enterprise.uscc,
            kind=cpsdk.AuditKind.VOLUNTARY,
            confirmed_on=day,
            evaluated_on=day,
            evaluation=outcome,
            accepted_on=day,
            acceptance=outcome,
        )
        for n, outcome in enumerate((cpsdk.Outcome.FAILED, None))
    ]
    proposals = [
        cpsdk.Proposal(id="P1", enterprise=enterprise.uscc, audit="A0", name="方案", cost_class=cpsdk.CostClass.NO_LOW)
    ]
    dataset = cpsdk.Dataset(enterprises=[enterprise], audits=audits, proposals=proposals)
    start, end = datetime.date(2018, 1, 1), datetime.date(2018, 12, 31)
    _same(dataset, start, end)
    totals = cpsdk.tally(dataset, start, end)
    assert totals.accepted == 0 and sum(totals.proposed.values()) == 0  # P1's audit did not pass evaluation
    assert totals.audited_voluntary + totals.audited_mandatory == 1
