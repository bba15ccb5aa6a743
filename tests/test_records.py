"""Records held column by column: every value reads back as it was stored, and the sequence behaves as a tuple."""

from __future__ import annotations

import datetime
import pickle
import sys
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpsdk
from cpsdk.store._columns import Column
from cpsdk.store._key_index import KeyIndex
from cpsdk.store._records import DeferredRecords
from tests.strategies import datasets

#: Values of each kind a column may hold, with the awkward ones: texts wider than Latin-1 (which widen a
#: packed block's string), empty texts, Decimals whose exponent or sign equality would lose, huge numbers.
TEXTS = st.text(max_size=12) | st.sampled_from(["", "审核", "𠀀𝒳", "a\x00b", "x" * 300])
DECIMALS = st.decimals(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [Decimal("1.0"), Decimal("1.00"), Decimal("-0"), Decimal("0E-5"), Decimal("1E+2"), Decimal("sNaN")]
)
INTS = st.integers() | st.sampled_from([0, 1, -1, 10**30, 10**5000])  # the last has no text (Python refuses)
DATES = st.dates()
KINDS: dict[Any, st.SearchStrategy[Any]] = {
    str: TEXTS,
    Decimal: DECIMALS,
    int: INTS,
    datetime.date: DATES,
    cpsdk.Metric: st.sampled_from(list(cpsdk.Metric)),
    bool: st.booleans(),
    tuple: st.lists(TEXTS, max_size=2).map(tuple),
}
#: Values of another type than a column's, which it must keep exactly as well (True is not 1, 1.0 is not 1).
STRANGERS = st.sampled_from([True, 1, 1.0, Decimal(1), "1", datetime.datetime(2020, 1, 1), (1,)])


def _same(a: Any, b: Any) -> bool:
    """The same value of the same type (a Decimal's digits and exponent, a NaN as a NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Decimal):
        return a.as_tuple() == b.as_tuple() and a.is_snan() == b.is_snan()
    return bool(a == b)


def _shown(value: Any) -> object:
    """``repr`` of ``value``; an int too long for a decimal text (over 4,300 digits) by its size."""
    try:
        return repr(value)
    except ValueError:
        return ("int", value.bit_length())


def _column(kind: Any, values: list[Any], pack: bool) -> Column:
    column = Column(kind)
    for n, value in enumerate(values):
        if pack and n == len(values) // 2:
            column.pack()  # half the values appended before packing, half after
        column.append(value)
    column.finish()
    return column


@st.composite
def column_values(draw: st.DrawFn) -> tuple[Any, list[Any]]:
    kind = draw(st.sampled_from(list(KINDS)))
    value = KINDS[kind] | st.none() | (STRANGERS if draw(st.booleans()) else st.nothing())
    # Many rows, so that packed columns span several 1,024-row blocks; repeats, so that shared ones share.
    pool = draw(st.lists(value, min_size=1, max_size=30))
    picks = draw(st.lists(st.integers(0, len(pool) - 1), min_size=0, max_size=2600))
    return kind, [pool[pick] for pick in picks]


@given(column_values(), st.booleans())
def test_every_value_reads_back_as_stored_however_the_column_holds_it(case: tuple[Any, list[Any]], pack: bool) -> None:
    kind, values = case
    column = _column(kind, values, pack)
    assert len(column) == len(values)
    assert all(_same(column[row], value) for row, value in enumerate(values))
    whole = list(column.iterate(range(len(values))))
    assert all(_same(a, b) for a, b in zip(whole, values, strict=True))
    middle = range(len(values) // 3, len(values) - 7)
    assert all(_same(a, values[row]) for a, row in zip(column.iterate(middle), middle, strict=True))
    picked = [row for row in range(len(values)) if row % 7 == 3]
    assert all(_same(a, values[row]) for a, row in zip(column.iterate(picked), picked, strict=True))
    get = column.getter()
    assert all(_same(get(row), value) for row, value in enumerate(values))


def test_a_column_of_seldom_repeating_texts_is_packed_and_one_of_codes_stays_shared() -> None:
    builder = cpsdk.Records.builder(cpsdk.Effect)
    for n in range(20_000):
        builder.append(cpsdk.Effect(id=f"E{n}", proposal=f"P{n // 3}", metric=cpsdk.Metric.COD, amount=Decimal(n)))
    effects = builder.build()
    modes = {name: column.mode for name, column in effects._table.columns.items()}
    assert modes["id"] == modes["proposal"] == modes["amount"] == "packed"
    assert modes["metric"] == modes["verified"] == "shared"
    assert effects[12_345] == cpsdk.Effect(
        id="E12345", proposal="P4115", metric=cpsdk.Metric.COD, amount=Decimal(12345)
    )


@given(datasets(max_enterprises=6))
def test_records_behave_as_the_tuple_they_were_made_from(dataset: cpsdk.Dataset) -> None:
    originals = tuple(dataset.proposals)
    records = cpsdk.Records.of(cpsdk.Proposal, originals)
    assert records == originals and originals == records and list(records) == list(originals)
    assert len(records) == len(originals)
    assert hash(records) == hash(originals)
    assert records[1:-1] == originals[1:-1] and records[::-1] == originals[::-1]
    assert list(reversed(records)) == list(reversed(originals))
    for position in range(-len(originals), len(originals)):
        assert records[position] == originals[position]
    with pytest.raises(IndexError):
        records[len(originals)]
    assert list(records.column("name")) == [p.name for p in originals]
    assert list(records.columns("id", "investment")) == [(p.id, p.investment) for p in originals]
    every_other = records.take(range(0, len(records), 2))
    assert every_other == originals[::2]
    assert list(every_other.column("investment")) == [p.investment for p in originals[::2]]
    assert pickle.loads(pickle.dumps(records)) == originals
    assert records + originals[:1] == originals + originals[:1]
    assert originals[:1] + records == originals[:1] + originals


def test_records_are_not_equal_to_other_sequences_or_other_records() -> None:
    effect = cpsdk.Effect(id="E", proposal="P", metric=cpsdk.Metric.COD, amount=Decimal(1))
    records = cpsdk.Records.of(cpsdk.Effect, [effect])
    assert records != (effect, effect)
    assert records != "E"
    assert records != cpsdk.Records.of(cpsdk.Effect, [attrs.evolve(effect, amount=Decimal(2))])
    assert repr(records) == "Records[Effect](1 records)"


def test_a_dataset_holds_any_sequence_of_records_as_records() -> None:
    dataset = cpsdk.example_dataset(seed=3, enterprises=6, proposals_per_audit=3)
    assert all(isinstance(dataset.records(kind), cpsdk.Records) for kind in cpsdk.RECORD_KINDS)
    again = cpsdk.Dataset(**{kind: list(dataset.records(kind)) for kind in cpsdk.RECORD_KINDS})
    assert again == dataset
    assert attrs.evolve(dataset, proposals=dataset.proposals).proposals is dataset.proposals
    with pytest.raises(KeyError):
        dataset.records("version")
    with pytest.raises(TypeError, match="Proposal records expected, got dict"):
        cpsdk.Dataset(proposals=[{"id": "P1"}])


@given(st.lists(st.sampled_from(["a", "b", "审", "", "a\x00"]) | st.text(max_size=3), max_size=60))
def test_a_key_index_finds_what_a_dictionary_of_lists_would(keys: list[str]) -> None:
    records = cpsdk.Records.of(cpsdk.Expert, [cpsdk.Expert(id=key, name="x", region="510100") for key in keys])
    index = KeyIndex(records, "id")
    expected: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        expected.setdefault(key, []).append(position)
    assert len(index) == len(expected)
    assert list(index.keys()) == list(expected)
    for key, positions in expected.items():
        group = index.group(key)
        assert group is not None
        assert index.first(group) == positions[0]
        assert list(index.positions(group)) == positions
    assert index.group("never a key") is None and index.group(["unhashable"]) is None
    assert list(index.repeats()) == sorted(p for positions in expected.values() for p in positions[1:])


@given(st.permutations([5, 5 + (1 << 40), 5 + (1 << 48), 6, 5 + (1 << 40), 5 + (3 << 48)]))
def test_a_key_index_tells_keys_apart_whose_slots_and_hash_bytes_meet(keys: list[int]) -> None:
    """Whole numbers hash to themselves: these fall in one slot of any table, some with the same byte of the hash
    beside it (5 and 5 + 2**48) and some with another (5 + 2**40), so that every way a probe goes is taken."""
    trainings = [
        cpsdk.Training(
            id="T",
            region="510100",
            held_on=datetime.date(2020, 1, 1),
            audience=cpsdk.Audience.ENTERPRISE,
            person_times=key,
        )
        for key in keys
    ]
    index = KeyIndex(cpsdk.Records.of(cpsdk.Training, trainings), "person_times")
    expected = {key: [position for position, other in enumerate(keys) if other == key] for key in keys}
    assert len(index) == len(expected)
    for key, positions in expected.items():
        group = index.group(key)
        assert group is not None and list(index.positions(group)) == positions
    assert index.group(5 + (2 << 48)) is None and index.group(5 + (1 << 41)) is None


def test_the_dataset_indexes_find_records_by_key_and_effects_by_proposal() -> None:
    dataset = cpsdk.example_dataset(seed=5, enterprises=10, proposals_per_audit=4)
    proposal = dataset.proposals[7]
    assert dataset.proposal_by_id[proposal.id] == proposal
    assert proposal.id in dataset.proposal_by_id and "nope" not in dataset.proposal_by_id
    assert dataset.proposal_by_id.get("nope") is None
    assert list(dataset.proposal_by_id) == [p.id for p in dataset.proposals]
    assert dataset.enterprise_by_uscc[proposal.enterprise].uscc == proposal.enterprise
    with pytest.raises(KeyError):
        dataset.audit_by_id["nope"]
    grouped: dict[str, list[cpsdk.Effect]] = {}
    for effect in dataset.effects:
        grouped.setdefault(effect.proposal, []).append(effect)
    assert dict(dataset.effects_by_proposal) == {key: tuple(value) for key, value in grouped.items()}


def test_a_records_position_is_found_by_its_key_and_contents_not_its_identity() -> None:
    effect = cpsdk.Effect(id="E1", proposal="P", metric=cpsdk.Metric.COD, amount=Decimal(1))
    twin = attrs.evolve(effect, amount=Decimal(2))  # the same id twice: an invalid dataset, still answered
    dataset = cpsdk.Dataset(effects=(effect, twin))
    assert dataset.position("effects", twin) == 1
    assert dataset.pointer("effects", dataset.effects[1]) == "/effects/1"
    assert dataset.position("effects", attrs.evolve(effect, amount=Decimal(3))) is None
    assert dataset.pointer("effects", attrs.evolve(effect, id="E9")) is None


def _in_region_as_tuples(dataset: cpsdk.Dataset, region: str) -> dict[str, tuple[Any, ...]]:
    """What in_region keeps, worked out the plain way with tuples and sets."""
    ents = tuple(e for e in dataset.enterprises if e.region.startswith(region))
    usccs = {e.uscc for e in ents}
    audits = tuple(a for a in dataset.audits if a.enterprise in usccs)
    proposals = tuple(p for p in dataset.proposals if p.enterprise in usccs)
    proposal_ids, audit_ids = {p.id for p in proposals}, {a.id for a in audits}
    kept = {"enterprises": ents, "audits": audits, "proposals": proposals}
    kept["effects"] = tuple(x for x in dataset.effects if x.proposal in proposal_ids)
    kept["discharges"] = tuple(x for x in dataset.discharges if x.audit in audit_ids)
    kept["agreements"] = tuple(x for x in dataset.agreements if x.enterprise in usccs)
    kept["environmental_reports"] = tuple(x for x in dataset.environmental_reports if x.enterprise in usccs)
    for kind in ("trainings", "demonstrations", "agencies", "experts", "documents", "byproducts"):
        kept[kind] = tuple(x for x in dataset.records(kind) if x.region.startswith(region))
    return kept


@pytest.mark.parametrize("region", ["51", "5101", "44", "440106", "37", "99", ""])
def test_in_region_keeps_what_the_plain_way_keeps(region: str) -> None:
    dataset = cpsdk.example_dataset(seed=11, enterprises=40, proposals_per_audit=3)
    narrowed = dataset.in_region(region)
    expected = _in_region_as_tuples(dataset, region)
    for kind in cpsdk.RECORD_KINDS:
        assert narrowed.records(kind) == expected[kind], kind
    assert narrowed.in_region(region) == narrowed


@pytest.mark.parametrize("region", ["51", "4401", "99"])
def test_a_parts_effects_are_found_when_first_read_and_picked_from_the_whole_before(region: str) -> None:
    dataset = cpsdk.example_dataset(seed=11, enterprises=40, proposals_per_audit=3)
    expected = _in_region_as_tuples(dataset, region)["effects"]
    part = dataset.in_region(region)
    assert part.effects.pick_from == dataset.effects  # not found yet: picked from the whole's
    for kind in ("discharges", "trainings", "agreements", "documents"):
        assert part.records(kind).pick_from == dataset.records(kind), kind  # (found when first read)
        assert part.records(kind) == _in_region_as_tuples(dataset, region)[kind], kind
    ids = {p.id for p in part.proposals if p.status is cpsdk.ProposalStatus.COMPLETED}
    picked = part.effects_naming(ids)
    assert picked == tuple(x for x in expected if x.proposal in ids)
    assert part.effects.pick_from == dataset.effects  # still not found
    assert part.effects == expected  # found when read
    assert part.effects.pick_from is part.effects
    assert part.effects_naming(ids) == picked  # the same, picked from the part's own
    assert dataset.effects_naming(ids) == picked  # and from a whole that is not a part
    for at, effect in enumerate(picked):  # a pointer in the whole from the records picked
        assert dataset.pointer_from(picked, "effects", at) == dataset.pointer("effects", effect)
    assert cpsdk.Dataset().pointer_from(picked, "effects", 0) is None  # not that dataset's records


def test_deferred_records_must_be_found_in_their_table() -> None:
    dataset = cpsdk.example_dataset(seed=11, enterprises=10, proposals_per_audit=2)
    other = cpsdk.example_dataset(seed=12, enterprises=10, proposals_per_audit=2)
    deferred = DeferredRecords(dataset.records("effects"), lambda: other.records("effects"))
    with pytest.raises(ValueError, match="table"):
        len(deferred)
    with pytest.raises(AttributeError):
        deferred.no_such_thing  # noqa: B018


def test_a_packed_column_given_a_value_of_another_type_keeps_every_value_as_it_is() -> None:
    column = Column(str)
    for n in range(3000):
        column.append(f"id-{n}")
    column.pack()
    assert column.mode == "packed"
    column.append(7)
    column.append(None)
    column.finish()
    assert column.mode == "plain"
    assert [column[0], column[2999], column[3000], column[3001]] == ["id-0", "id-2999", 7, None]


@given(column_values(), st.booleans(), st.sampled_from(["-", "nN", "1a"]))
def test_column_searches_find_what_a_pass_over_the_values_finds(
    case: tuple[Any, list[Any]], pack: bool, needles: str
) -> None:
    """``positions``, ``positions_with_text``, ``distinct`` and ``translated`` read columns whole (numbers of a
    shared column's values side by side, a packed block's text searched once): each gives what testing every value
    gives, for every way a column holds its values, over the whole column and a view of some of its rows."""
    kind, values = case
    column = _column(kind, values, pack)
    records = cpsdk.Records(_OneField(column), range(len(values)))  # type: ignore[arg-type]
    for rows, view in ((range(len(values)), records), (range(3, len(values)), records[3:])):
        held = [values[row] for row in rows]
        assert view.positions(lambda value: value is None, "value") == [i for i, v in enumerate(held) if v is None]
        assert view.translated("value", _shown) == list(map(_shown, held))
        found = view.positions_with_text("value", needles)
        expected = [i for i, v in enumerate(held) if v is not None and any(n in _text(column, v) for n in needles)]
        assert set(expected) <= set(found) and found == sorted(found)  # str(value) when the text is not stored
        if all(_hashable(v) for v in held):
            assert view.distinct("value") == set(held) or all(type(v) is Decimal for v in held if v is not None)
        pairs = view.positions(lambda a, b: a is None or b is None, "value", "twin")
        assert pairs == [i for i, v in enumerate(held) if v is None]


class _OneField:
    """A table of one column and its twin (the same values appended again), for the column searches alone."""

    record_class = tuple

    def __init__(self, column: Column) -> None:
        twin = Column(column._kind or object)
        for value in column.iterate(range(len(column))):
            twin.append(value)
        twin.finish()
        self.columns = {"value": column, "twin": twin}

    def __len__(self) -> int:
        return len(self.columns["value"])


def _text(column: Column, value: Any) -> str:
    if type(value) is int:  # its digits, however many (past Python's limit on turning one into text too)
        limit = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return str(value)
        finally:
            sys.set_int_max_str_digits(limit)
    return str(value)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return not (isinstance(value, Decimal) and value.is_snan())
