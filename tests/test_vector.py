"""Passes in NumPy give what the ``Decimal`` passes give, to the last digit, place and sign.

Large collections sum their amounts, pick their records and convert their energy in NumPy
(``cpsdk.store._vector``); small ones, and amounts NumPy cannot hold exactly, go the ``Decimal`` way. Each test
runs a pass both ways (``VECTOR_FROM`` moved past and below the collection) and compares the results: the keys
in order, and each sum's text (``Decimal('1.0')`` and ``Decimal('1.00')`` are equal, not the same).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import cpsdk
from cpsdk.model import _energy
from cpsdk.store import _records, _vector
from cpsdk.store._records import Records


@attrs.frozen
class Row:
    group: str
    kind: int
    amount: Decimal | None


#: Amount texts: plain ones of every shape a loader keeps, and the ones NumPy refuses (exponents, too many digits).
PLAIN = st.builds(
    lambda sign, whole, places, digits: Decimal(f"{sign}{whole}.{digits:0{places}d}" if places else f"{sign}{whole}"),
    st.sampled_from(["", "-"]),
    st.integers(0, 10**12),
    st.integers(0, 6),
    st.integers(0, 999_999),
).filter(lambda value: True)
ODD = st.sampled_from(
    ["1E+2", "1.5E-9", "1E-19", "123456789012345678901", "0.0000000000000000001", "-0", "0.000", "9" * 18]
)
AMOUNTS = st.one_of(PLAIN, ODD.map(Decimal), st.none())


def _both(run: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """``run`` the ``Decimal`` way, then the NumPy way: in one chunk of rows, in chunks of 7 rows, and with the
    groups met numbered (as when there are too many combinations of the fields for an array of each); the NumPy
    ways must agree with each other."""
    monkeypatch.setattr(_records, "VECTOR_FROM", 10**12)
    monkeypatch.setattr(_energy, "VECTOR_FROM", 10**12)
    slow = run()
    monkeypatch.setattr(_records, "VECTOR_FROM", 0)
    monkeypatch.setattr(_energy, "VECTOR_FROM", 0)
    fast = run()
    with monkeypatch.context() as patch:
        patch.setattr(_vector, "_AT_ONCE", 7)
        assert _texts(run()) == _texts(fast), "in chunks of 7 rows"
        patch.setattr(_vector.Grouping, "dense", lambda self: False)
        assert _texts(run()) == _texts(fast), "with the groups met numbered"
    return slow, fast


def _texts(found: Any) -> Any:
    """A pass's result, each sum as its text (equal sums may differ in places); records as a list."""
    if isinstance(found, dict):
        return [(key, str(value)) for key, value in found.items()]
    return list(found)


def _records_of(rows: list[Row], packed: bool) -> Records[Row]:
    builder = Records.builder(Row)
    if packed:
        builder._columns["amount"].pack()
        builder._bind()
    builder.extend(rows)
    return builder.build()


ROWS = st.lists(st.builds(Row, st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 3), AMOUNTS), max_size=60)


@given(rows=ROWS, packed=st.booleans(), zeros=st.booleans(), view=st.sampled_from(["all", "slice", "picked"]))
@example(  # amounts of more than 18 places: the Decimal way
    rows=[Row("a", 0, Decimal("1.5E-9")), Row("a", 0, Decimal("1E-19")), Row("a", 1, Decimal("-0"))],
    packed=False,
    zeros=True,
    view="all",
)
def test_sums_in_numpy_are_the_decimal_sums(rows: list[Row], packed: bool, zeros: bool, view: str) -> None:
    records = _records_of(rows, packed)
    if view == "slice":
        records = records[1:-1]
    elif view == "picked":
        records = records.take(range(0, len(records), 2))
    with pytest.MonkeyPatch.context() as patch:
        for by in [(), ("group",), ("kind",), ("group", "kind"), (("kind", lambda kind: kind % 2), "group")]:
            slow, fast = _both(lambda by=by: records.sums("amount", *by, zeros=zeros), patch)  # type: ignore[misc]
            assert _texts(fast) == _texts(slow), by


def test_sums_of_opposite_amounts_are_positive_zeros_with_the_most_places(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [Row("a", 0, Decimal("1.5")), Row("a", 0, Decimal("-1.50")), Row("b", 0, Decimal("-0")), Row("c", 0, None)]
    for packed in (False, True):
        slow, fast = _both(lambda packed=packed: _records_of(rows, packed).sums("amount", "group"), monkeypatch)
        assert _texts(fast) == _texts(slow) == [("a", "0.00"), ("b", "0")]


def test_sums_that_could_pass_64_bits_are_added_as_decimals(monkeypatch: pytest.MonkeyPatch) -> None:
    big = Decimal("9" * 18)
    rows = [Row("a", 0, big)] * 40
    slow, fast = _both(lambda: _records_of(rows, True).sums("amount", "group"), monkeypatch)
    assert _texts(fast) == _texts(slow) == [("a", str(big * 40))]


def test_a_context_of_few_digits_sums_the_decimal_way(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [Row("a", 0, Decimal("123456.789")), Row("a", 0, Decimal("0.001"))]
    with localcontext() as context:
        context.prec = 5
        slow, fast = _both(lambda: _records_of(rows, True).sums("amount", "group"), monkeypatch)
    assert _texts(fast) == _texts(slow) == [("a", "1.2346E+5")]


@given(
    texts=st.lists(st.one_of(st.none(), st.from_regex(r"-?[0-9]{0,20}(\.[0-9]{0,20})?", fullmatch=True)), max_size=40)
)
def test_texts_read_as_whole_numbers_are_their_decimals(texts: list[str | None]) -> None:
    nulls = bytearray(text is None for text in texts)
    plain = ["" if text is None else text for text in texts]
    ends = np.array(list(itertools.accumulate(map(len, plain))), dtype=np.int64)
    exact = _vector.from_texts([("".join(plain), ends, nulls if any(nulls) else None)])
    readable = [
        text is None or (text.strip("-.") != "" and len(text.strip("-").replace(".", "")) <= 18) for text in texts
    ]
    if exact is None:
        assert not all(readable) or _too_long_at_one_scale(texts)
        return
    for row, text in enumerate(texts):
        if text is None:
            assert exact.present is not None and not exact.present[row]
            continue
        value = Decimal(text)
        assert Decimal(int(exact.scaled[row])).scaleb(-exact.scale) == value
        assert exact.places[row] == max(0, -value.as_tuple().exponent)  # type: ignore[operator]


def _too_long_at_one_scale(texts: list[str | None]) -> bool:
    """Whether a text has more than 18 digits as written (leading zeros too) once put to the texts' most places."""
    written = [text for text in texts if text is not None]
    places = [len(text.partition(".")[2]) for text in written]
    scale = max(places, default=0)
    return any(
        len(text.replace("-", "").replace(".", "")) + scale - shown > 18
        for text, shown in zip(written, places, strict=True)
    )


def _effects(amounts: list[tuple[int, str, Decimal | None]]) -> Iterator[cpsdk.Effect]:
    metrics = {"e": cpsdk.Metric.ENERGY, "k": cpsdk.Metric.ELECTRICITY, "c": cpsdk.Metric.COAL, "w": cpsdk.Metric.WATER}
    for number, (proposal, metric, amount) in enumerate(amounts):
        yield cpsdk.Effect(id=f"E{number}", proposal=f"P{proposal}", metric=metrics[metric], amount=amount)


ENERGY_AMOUNTS = st.one_of(
    PLAIN, st.sampled_from([Decimal("-0.0004"), Decimal("0.0005"), Decimal("-0.0045"), Decimal("4068.6")])
)


@given(
    amounts=st.lists(st.tuples(st.integers(0, 12), st.sampled_from("ekcw"), ENERGY_AMOUNTS), max_size=50),
    packed=st.booleans(),
)
def test_energy_saved_in_numpy_is_the_decimal_energy(amounts: list[tuple[int, str, Decimal]], packed: bool) -> None:
    builder = Records.builder(cpsdk.Effect)
    if packed:
        builder._columns["amount"].pack()
        builder._bind()
    builder.extend(_effects(amounts))
    effects = builder.build()
    with pytest.MonkeyPatch.context() as patch:
        slow, fast = _both(lambda: cpsdk.energy_saved_by(effects), patch)
        assert _texts(fast) == _texts(slow)
        slow_total, fast_total = _both(lambda: {"": _energy.total_energy_saved(effects)}, patch)
    assert _texts(fast_total) == _texts(slow_total) == [("", str(sum(filter(None, slow.values()), Decimal(0))))]


def test_energy_rounding_a_small_negative_to_zero_keeps_its_sign(monkeypatch: pytest.MonkeyPatch) -> None:
    effects = Records.of(cpsdk.Effect, list(_effects([(1, "k", Decimal("-1")), (2, "c", Decimal("0.0006"))])))
    slow, fast = _both(lambda: cpsdk.energy_saved_by(effects), monkeypatch)
    assert _texts(fast) == _texts(slow) == [("P1", "-0.000"), ("P2", "0.000")]


@given(rows=ROWS, packed=st.booleans())
def test_where_in_numpy_picks_the_same_records(rows: list[Row], packed: bool) -> None:
    records = _records_of(rows, packed)
    with pytest.MonkeyPatch.context() as patch:
        for view in (records, records[2:], records.take(range(len(records) - 1, -1, -1))):
            slow, fast = _both(lambda view=view: view.where("group", "ab".__contains__), patch)  # type: ignore[misc]
            assert list(fast) == list(slow)
            assert list(fast.column("amount")) == list(slow.column("amount"))


@pytest.mark.parametrize("text", ["1.2.3", "1-2", "--1", "-", ".", "-.", "1E+2", "1e2", " 1", "١", "+1"])
def test_a_text_that_is_not_plain_digits_is_not_read(text: str) -> None:
    for texts in ([text], ["7", text], [text, "7"]):
        ends = np.array(list(itertools.accumulate(map(len, texts))), dtype=np.int64)
        assert _vector.from_texts([("".join(texts), ends, None)]) is None


@given(rows=ROWS, view=st.sampled_from(["all", "slice", "picked"]))
def test_counts_are_the_counts_of_the_records_read_one_by_one(rows: list[Row], view: str) -> None:
    records = _records_of(rows, packed=False)
    if view == "slice":
        records = records[1:-1]
    elif view == "picked":
        records = records.take(range(len(records) - 1, -1, -2))
    expected: dict[Any, int] = {}
    for row in records:
        key = (row.kind % 2, row.group)
        expected[key] = expected.get(key, 0) + 1
    with pytest.MonkeyPatch.context() as patch:
        slow, fast = _both(lambda: records.counts(("kind", lambda kind: kind % 2), "group"), patch)
        assert list(slow.items()) == list(fast.items()) == list(expected.items())
        slow, fast = _both(lambda: records.counts("group"), patch)
        assert list(fast.items()) == list(slow.items())
        assert sum(fast.values()) == len(records)
        slow, fast = _both(lambda: records.counts(), patch)
        assert fast == slow == ({(): len(records)} if len(records) else {})
        slow, fast = _both(lambda: records.distinct("group"), patch)
        assert fast == slow == {row.group for row in records}
        tested: list[tuple[Any, ...]] = []

        def test(group: str, kind: int, amount: Decimal | None) -> bool:
            tested.append((group, kind, amount))
            return (group == "a" and kind % 2 == 1) or amount is None

        slow, fast = _both(lambda: records.positions(test, "group", "kind", "amount"), patch)
        assert fast == slow == [at for at, row in enumerate(records) if test(row.group, row.kind, row.amount)]
        with patch.context() as numbers_met:
            numbers_met.setattr(_records, "VECTOR_FROM", 0)
            tested.clear()
            records.positions(lambda group, kind: test(group, kind, None), "group", "kind")
            assert len(tested) == len(set(tested)) == len({(row.group, row.kind) for row in records})  # once each
            numbers_met.setattr(_vector, "_dense", lambda space, rows: False)  # the combinations held sorted
            assert records.positions(test, "group", "kind", "amount") == fast


def test_a_column_of_many_blocks_is_read_a_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past 64 blocks of 1,024 rows, amounts and rows of no amount on either side of each chunk's edge."""
    amounts = [
        None if n % 977 in (0, 1) else Decimal(f"{n % 1000}.{n % 7:0{n % 4}d}" if n % 4 else n) for n in range(140_000)
    ]
    rows = [Row("ab"[n % 2], n % 3, amount) for n, amount in enumerate(amounts)]
    records = _records_of(rows, packed=True)
    exact = records._column("amount").exact_amounts()
    assert exact is not None and exact.present is not None
    for at in (0, 1, 2, 65_535, 65_536, 65_537, 131_071, 131_072, 139_999):
        if amounts[at] is None:
            assert not exact.present[at]
        else:
            assert Decimal(int(exact.scaled[at])).scaleb(-exact.scale) == amounts[at]
    slow, fast = _both(lambda: records.sums("amount", "group", "kind"), monkeypatch)
    assert _texts(fast) == _texts(slow)


def test_load_makes_the_whole_numbers_of_large_collections_and_parse_leaves_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("CPSDK_NO_CACHE", "1")
    monkeypatch.setattr(_records, "VECTOR_FROM", 100)  # (the example's effects count as a large collection)
    path = cpsdk.save(cpsdk.example_dataset(seed=4, enterprises=12), tmp_path / "data.json")
    loaded, parsed = cpsdk.load(path), cpsdk.parse(path).dataset
    assert len(loaded.effects) >= 100 > len(loaded.agencies)
    amount = loaded.records("effects")._column("amount")
    assert amount._exact is not None and amount._exact[1] is not None  # made at load
    assert parsed.records("effects")._column("amount")._exact is None  # left to the first sum
    assert loaded.records("proposals")._column("investment")._exact is not None
    assert _texts(loaded.effects.sums("amount", "metric")) == _texts(parsed.effects.sums("amount", "metric"))


@attrs.frozen
class _Colliding:
    """A key whose hash every other one shares: the keys of equal hashes must still be compared."""

    text: str

    def __hash__(self) -> int:
        return 7


@given(st.lists(st.sampled_from(["a", "b", "c", "P-1", "P-01", ""]), max_size=40), st.booleans())
def test_repeats_are_the_keys_equal_to_an_earlier_one(keys: list[str], colliding: bool) -> None:
    held: list[Any] = [_Colliding(key) for key in keys] if colliding else keys
    seen: set[Any] = set()
    expected = [at for at, key in enumerate(held) if key in seen or seen.add(key)]
    assert _vector.repeats(iter(held), len(held), held.__getitem__) == expected
