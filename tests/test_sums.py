"""``Records.sums`` and ``cpsdk.energy_saved_by`` give exactly what summing record by record gives.

Both group from the columns (numbers of a shared column's values, combined into one number per record) and make
no record; the references below make every record and add its amount in order. Sums compare by value and by their
digits (``repr``), for records built in Python (columns shared), parsed from a file (ids and amounts packed, read
block by block) and views of some of their rows.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import cpsdk
from tests.strategies import datasets

LARGE = settings(max_examples=max(4, settings().max_examples // 8))


def _reference(
    records: Iterable[Any], amount: str, *by: str | tuple[str, Callable[[Any], Hashable]]
) -> dict[Any, Decimal]:
    fields = [(spec, None) if isinstance(spec, str) else spec for spec in by]
    found: dict[Any, Decimal] = {}
    for record in records:
        value = getattr(record, amount)
        if value is None:
            continue
        parts = tuple(getattr(record, name) if part is None else part(getattr(record, name)) for name, part in fields)
        key = parts[0] if len(parts) == 1 else parts
        found[key] = found.get(key, Decimal(0)) + value
    return found


def _same_sums(found: dict[Any, Decimal], expected: dict[Any, Decimal]) -> None:
    assert found == expected
    assert list(found) == list(expected)  # the groups in the order their first records come
    assert {key: repr(total) for key, total in found.items()} == {key: repr(total) for key, total in expected.items()}


def _views(effects: cpsdk.Records[Any]) -> list[cpsdk.Records[Any]]:
    """The records, a slice, and every third one (a view read through an array of rows)."""
    return [effects, effects[len(effects) // 3 :], effects.take(range(0, len(effects), 3))]


def _check_effects(dataset: cpsdk.Dataset) -> None:
    for effects in _views(dataset.records("effects")):
        _same_sums(effects.sums("amount", "metric", "basis"), _reference(effects, "amount", "metric", "basis"))
        _same_sums(effects.sums("amount", "proposal"), _reference(effects, "amount", "proposal"))
        first_letter = ("proposal", lambda proposal: proposal[:2])
        pollutant = ("metric", lambda metric: metric.pollutant)
        _same_sums(
            effects.sums("amount", first_letter, pollutant, "basis"),
            _reference(effects, "amount", first_letter, pollutant, "basis"),
        )
        _same_sums(effects.sums("amount"), _reference(effects, "amount"))


def _energy_reference(effects: Iterable[Any]) -> dict[str, Decimal]:
    amounts: dict[str, dict[cpsdk.Metric, Decimal]] = {}
    for effect in effects:
        if effect.metric in cpsdk.ENERGY_METRICS:
            of_proposal = amounts.setdefault(effect.proposal, {})
            of_proposal[effect.metric] = of_proposal.get(effect.metric, Decimal(0)) + effect.amount
    return {proposal: cpsdk.energy_saved(summed) for proposal, summed in amounts.items()}  # type: ignore[misc]


def _check_energy(dataset: cpsdk.Dataset) -> None:
    for effects in _views(dataset.records("effects")):
        found, expected = cpsdk.energy_saved_by(effects), _energy_reference(effects)
        assert found == expected  # (by proposal, in no particular order)
        assert {key: repr(energy) for key, energy in found.items()} == {
            key: repr(energy) for key, energy in expected.items()
        }


@given(datasets(max_enterprises=6))
def test_sums_are_the_record_by_record_sums_on_small_datasets(dataset: cpsdk.Dataset) -> None:
    _check_effects(dataset)
    _check_energy(dataset)
    parsed = cpsdk.parse(json.dumps(cpsdk.dump(dataset), ensure_ascii=False).encode()).dataset
    _check_effects(parsed)
    _check_energy(parsed)


@functools.cache
def _large() -> cpsdk.Dataset:
    """Parsed from its file, with over 4,096 effects: ids and amounts packed."""
    document = cpsdk.dump(cpsdk.example_dataset(seed=7, enterprises=120, proposals_per_audit=14))
    return cpsdk.parse(json.dumps(document, ensure_ascii=False).encode()).dataset


def test_sums_on_a_large_dataset_with_packed_amounts() -> None:
    dataset = _large()
    assert len(dataset.records("effects")) > 4096
    _check_effects(dataset)
    _check_effects(dataset.in_region("51"))
    _check_energy(dataset)
    _check_energy(dataset.in_region("44"))


@attrs.frozen
class _Row:
    key: Decimal | None
    name: str | None
    amount: Decimal | None


AMOUNTS = st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9)
KEYS = st.none() | st.sampled_from([Decimal("1.0"), Decimal("1.00"), Decimal("1"), Decimal("2")])


@given(st.lists(st.builds(_Row, key=KEYS, name=st.none() | st.sampled_from(["a", "b", "审"]), amount=AMOUNTS)))
def test_no_amount_adds_nothing_and_equal_keys_held_apart_are_one_group(rows: list[_Row]) -> None:
    """A column of Decimals keeps equal values of other digits apart (1.0, 1.00): their groups are one key."""
    records = cpsdk.Records.of(_Row, rows)
    for view in (records, records[1:], records.take(range(0, len(records), 2))):
        _same_sums(view.sums("amount", "key"), _reference(view, "amount", "key"))
        _same_sums(view.sums("amount", "key", "name"), _reference(view, "amount", "key", "name"))
        _same_sums(view.sums("amount", "name", ("key", str)), _reference(view, "amount", "name", ("key", str)))
        _same_sums(view.sums("amount"), _reference(view, "amount"))
        nonzero = [row for row in view if row.amount]
        _same_sums(view.sums("amount", "name", zeros=False), _reference(nonzero, "amount", "name"))


def test_a_part_is_asked_only_of_the_values_the_records_hold() -> None:
    records = cpsdk.Records.of(_Row, [_Row(Decimal(1), "a", Decimal("1.5")), _Row(Decimal(2), "b", Decimal("2"))])
    view = records.take([1])
    assert view.sums("amount", ("name", {"b": "B"}.__getitem__)) == {"B": Decimal(2)}


def test_energy_counts_recorded_energy_else_converted_electricity_and_coal() -> None:
    effect = functools.partial(cpsdk.Effect, basis=None)
    effects = cpsdk.Records.of(
        cpsdk.Effect,
        [
            effect(id="1", proposal="P1", metric=cpsdk.Metric.ENERGY, amount=Decimal("12.5")),
            effect(id="2", proposal="P1", metric=cpsdk.Metric.ELECTRICITY, amount=Decimal("100000")),
            effect(id="3", proposal="P2", metric=cpsdk.Metric.ELECTRICITY, amount=Decimal("10000")),
            effect(id="4", proposal="P2", metric=cpsdk.Metric.COAL, amount=Decimal("2")),
            effect(id="5", proposal="P3", metric=cpsdk.Metric.COD, amount=Decimal("3")),
            effect(id="6", proposal="P4", metric=cpsdk.Metric.COAL, amount=Decimal("0.0005")),
        ],
    )
    # P2: 10,000 kWh × 0.0001229 + 2 t × 0.7143 = 1.229 + 1.4286 = 2.6576 → 2.658 (half up, to 1 kgce)
    assert cpsdk.energy_saved_by(effects) == {"P1": Decimal("12.5"), "P2": Decimal("2.658"), "P4": Decimal("0.000")}
    assert repr(cpsdk.energy_saved_by(effects)["P4"]) == "Decimal('0.000')"


def test_energy_of_amounts_too_large_to_round_is_what_energy_saved_gives() -> None:
    """Amounts beyond what a dataset file may hold (loading refuses them): as :func:`cpsdk.energy_saved` gives it."""
    effect = functools.partial(cpsdk.Effect, basis=None)
    # (the last: converted electricity and coal that cancel out, to a zero of a large exponent)
    amounts = [("1E+60", "-1E+60"), ("1E+30", "0"), ("5E+25", "1"), ("7143E+50", "-1229E+47")]
    for n, (electricity, coal) in enumerate(amounts):
        effects = cpsdk.Records.of(
            cpsdk.Effect,
            [
                effect(id="e", proposal="P", metric=cpsdk.Metric.ELECTRICITY, amount=Decimal(electricity)),
                effect(id="c", proposal="P", metric=cpsdk.Metric.COAL, amount=Decimal(coal)),
            ],
        )
        summed = {  # each metric's amounts summed from 0, as the forms sum them
            cpsdk.Metric.ELECTRICITY: Decimal(0) + Decimal(electricity),
            cpsdk.Metric.COAL: Decimal(0) + Decimal(coal),
        }
        expected = cpsdk.energy_saved(summed)
        assert repr(cpsdk.energy_saved_by(effects)["P"]) == repr(expected), n
