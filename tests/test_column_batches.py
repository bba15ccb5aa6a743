"""A column given a batch at a time (values, texts, or keys of a table) holds what appending each value holds.

The loader hands each batch of records to the columns field by field: ``extend`` (values), ``extend_texts`` (the
texts of a packable kind) and ``extend_keys`` (an enumeration's texts, looked up in one table). Each must leave the
column reading back exactly what ``append`` of each value would, including the rows a record left out (a
stand-in that means "the field's default"), however the batches fall and whichever way the column holds them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import cpsdk
from cpsdk.store._columns import Column

#: What a loader puts where a record left the field out (compared by identity).
MISSING = object()
#: Texts of each packable kind, as a loader has them (an amount's digits as given), and the value of each.
TEXTS: dict[type, st.SearchStrategy[str]] = {
    str: st.text(max_size=6) | st.sampled_from(["", "审核", "a\x00b"]),
    Decimal: st.decimals(allow_nan=False, allow_infinity=False).map(str) | st.sampled_from(["1.0", "1.00", "-0"]),
    int: st.integers(-(10**20), 10**20).map(str),
    datetime.date: st.dates().map(datetime.date.isoformat),
}
MAKE: dict[type, Any] = {str: str, Decimal: Decimal, int: int, datetime.date: datetime.date.fromisoformat}
#: The n-th of many distinct texts of each kind.
SERIAL: dict[type, Any] = {
    str: "t{}".format,
    Decimal: lambda number: f"{number}.{number % 7}",
    int: str,
    datetime.date: lambda number: (datetime.date(1900, 1, 1) + datetime.timedelta(days=number)).isoformat(),
}


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, Decimal):
        return a.as_tuple() == b.as_tuple()
    return bool(a == b)


def _batches(items: list[Any], sizes: list[int]) -> list[list[Any]]:
    batches, start = [], 0
    for size in sizes:
        batches.append(items[start : start + size])
        start += size
    return [*batches, items[start:]]


@st.composite
def text_rows(draw: st.DrawFn) -> tuple[type, list[Any], Any]:
    """A kind, rows of texts of it (None, or MISSING) drawn from a pool so that they repeat, and a default."""
    kind = draw(st.sampled_from(list(TEXTS)))
    pool = draw(st.lists(TEXTS[kind] | st.none() | st.just(MISSING), min_size=1, max_size=20))
    # Often more distinct values than one byte numbers, and rows over several of a packed column's blocks.
    pool += [SERIAL[kind](number) for number in range(draw(st.sampled_from([0, 300, 1000])))]
    rows = draw(st.sampled_from([0, 1, 50, 3000]))
    pick = draw(st.randoms(use_true_random=False))
    # (a default of another type than the column's too: appending it makes a packed column plain)
    default = draw(st.none() | TEXTS[kind].map(MAKE[kind]) | st.sampled_from([0, 1.5]))
    return kind, [pool[pick.randrange(len(pool))] for _ in range(rows)], default


@given(
    text_rows(),
    st.lists(st.sampled_from([0, 1, 7, 700, 1024, 2000]), max_size=6),
    st.sampled_from([None, 0, 1]),
    st.sampled_from([None, 1, 2]),
)
def test_texts_given_in_batches_read_back_as_their_values_appended_one_by_one(
    case: tuple[type, list[Any], Any], sizes: list[int], pack_after: int | None, stranger_after: int | None
) -> None:
    kind, texts, default = case
    by_batch, one_by_one = Column(kind), Column(kind)
    strangers = 0
    for number, batch in enumerate(_batches(texts, sizes)):
        if number == pack_after:
            by_batch.pack()
            one_by_one.pack()
        if number == stranger_after:  # a value of another type (a packed column turns plain, a shared one keeps it)
            by_batch.append(2.5)
            one_by_one.append(2.5)
            strangers += 1
        by_batch.extend_texts(list(batch), MISSING, default)
        for text in batch:
            one_by_one.append(default if text is MISSING else None if text is None else MAKE[kind](text))
    by_batch.finish()
    one_by_one.finish()
    assert len(by_batch) == len(one_by_one) == len(texts) + strangers
    assert all(_same(by_batch[row], one_by_one[row]) for row in range(len(one_by_one)))
    if by_batch.mode == "shared" and kind is not Decimal:  # equal values are one value, as appending keeps them
        assert len(by_batch.values) == len(set(by_batch.values))


TABLE: dict[Any, Any] = {
    **{member.value: member for member in cpsdk.Metric},
    None: None,
    MISSING: cpsdk.Metric.COD,
}


@given(
    st.sampled_from([0, 1, 50, 3000]),
    st.randoms(use_true_random=False),
    st.lists(st.sampled_from([0, 1, 7, 700, 1024, 2000]), max_size=6),
    st.booleans(),
)
def test_keys_of_a_table_read_back_as_the_tables_values(rows: int, pick: Any, sizes: list[int], pack: bool) -> None:
    keys = [pick.choice(list(TABLE)) for _ in range(rows)]
    column = Column(cpsdk.Metric)
    if pack:
        column.pack()  # (an enumeration never packs: it stays shared)
    for batch in _batches(keys, sizes):
        column.extend_keys(list(batch), TABLE)
    column.finish()
    assert [column[row] for row in range(len(keys))] == [TABLE[key] for key in keys]
    assert len(column.values) == len(set(column.values))


def test_batches_of_one_new_text_each_past_the_256th_value_widen_the_numbers() -> None:
    column = Column(str)
    column.extend_texts([f"v{number}" for number in range(255)])
    column.extend_texts(["new"] * 5)  # one key: stored as a run of one number
    column.extend_texts(["newer"] * 5)  # the 257th value: its number needs two bytes
    column.extend_texts([None] * 3, MISSING)
    column.extend_texts([MISSING] * 2, MISSING, "default")
    column.finish()
    assert [column[row] for row in range(255, 270)] == ["new"] * 5 + ["newer"] * 5 + [None] * 3 + ["default"] * 2
    assert column.codes.typecode == "H"


def test_a_table_given_again_as_another_object_is_looked_up_again() -> None:
    column = Column(cpsdk.Metric)
    first = {"a": cpsdk.Metric.COD, None: None}
    second = {"a": cpsdk.Metric.SO2, None: None}
    column.extend_keys(["a", None], first)
    column.extend_keys(["a", "a"], second)
    column.finish()
    assert [column[row] for row in range(4)] == [cpsdk.Metric.COD, None, cpsdk.Metric.SO2, cpsdk.Metric.SO2]


def test_a_batch_of_keys_all_none_stands_for_the_tables_value_of_none() -> None:
    column = Column(cpsdk.Metric)
    table = {None: cpsdk.Metric.COD, "so2": cpsdk.Metric.SO2}
    column.extend_keys([None, None], table)
    column.extend_keys(["so2", None], table)
    column.finish()
    assert [column[row] for row in range(4)] == [cpsdk.Metric.COD, cpsdk.Metric.COD, cpsdk.Metric.SO2, cpsdk.Metric.COD]


def test_texts_given_to_a_column_made_plain_read_back_as_given() -> None:
    column = Column(str)
    column.append("a")
    column.pack()
    column.append(1.5)  # no text of a float: the column turns plain
    column.extend_texts(["x", "y", None, MISSING], MISSING, "default")
    column.finish()
    assert column.mode == "plain"
    assert [column[row] for row in range(6)] == ["a", 1.5, "x", "y", None, "default"]


def test_a_default_of_another_type_given_to_a_packed_column_is_kept_as_appending_keeps_it() -> None:
    for default in (0, "default"):
        column = Column(str)
        column.pack()
        column.extend_texts(["a", MISSING, None], MISSING, default)
        column.finish()
        assert [column[row] for row in range(3)] == ["a", default, None]
        assert type(column[1]) is type(default)
