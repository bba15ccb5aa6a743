"""The records of one kind, held column by column and made into objects when read.

:class:`Records` is what a :class:`~cpsdk.Dataset`'s collections are: an immutable
sequence of attrs records (``len``, indexing, slicing, iteration, ``==`` with a tuple or
list of the same records). It holds each field in a :class:`~cpsdk.store._columns.Column`
rather than each record as an object (a sixth of the memory at the national size: see
``benchmarks/RESULTS.md``), and makes a record when it is read: iterating twice gives equal records, not the same
objects. Code that needs a record's place should keep its position (``enumerate``), not
its identity.

A record is rebuilt from the values its original held, without calling ``__init__``
again: every value was already converted and accepted when the original was made.
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
import operator
import sys
import typing
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Generic, TypeAlias, TypeVar, overload

import attrs

from cpsdk.base._types import optional_inner
from cpsdk.store._columns import Column, _codes_for, _Numbering

R = TypeVar("R")

#: Records from which :meth:`Records.sums` adds in NumPy (below, importing it would cost more than it saves).
VECTOR_FROM = 20_000

#: The positions of a view's records in its table.
Rows: TypeAlias = "range | array[int]"


def _value_type(hint: Any) -> Any:
    """The type a field holds when it holds something (``X | None`` → ``X``)."""
    inner = optional_inner(hint)
    return hint if inner is None else inner


@functools.cache
def _field_kinds(record_class: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(record_class)
    return tuple((field.name, _value_type(hints[field.name])) for field in attrs.fields(record_class))


def _setter(record_class: type, name: str) -> Callable[[Any, Any], None]:
    """Sets a field on a new instance, past a frozen class's refusal."""
    slot = record_class.__dict__.get(name)
    if slot is not None and type(slot).__name__ == "member_descriptor":
        return slot.__set__  # type: ignore[no-any-return]
    return functools.partial(_set_attribute, name=name)


def _set_attribute(instance: Any, value: Any, *, name: str) -> None:
    object.__setattr__(instance, name, value)


class _Table:
    """Every row of some records: one column per field, and the function that makes row ``i``'s record."""

    __slots__ = ("columns", "make", "record_class")

    def __init__(self, record_class: type, columns: dict[str, Column]) -> None:
        self.record_class = record_class
        self.columns = columns
        self.make = self._maker()

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def _maker(self) -> Callable[[int], Any]:
        """One generated function per table: the record of row ``i``, every field read inline where it can be."""
        namespace: dict[str, Any] = {"new": object.__new__, "cls": self.record_class}
        lines = ["def make(i):", "    o = new(cls)"]
        for n, (name, column) in enumerate(self.columns.items()):
            expression, names = column.reader(n)
            namespace.update(names)
            namespace[f"S{n}"] = _setter(self.record_class, name)
            lines.append(f"    S{n}(o, {expression})")
        lines.append("    return o")
        exec("\n".join(lines), namespace)  # our own code, made from field numbers only
        make: Callable[[int], Any] = namespace["make"]
        return make


#: A builder asks its columns whether to pack when its count of records reaches a power of two from here on.
_FIRST_CHECK = 4096


class RecordsBuilder(Generic[R]):
    """Records of one class appended one at a time, then :meth:`build` into :class:`Records`."""

    def __init__(self, record_class: type[R]) -> None:
        self.record_class = record_class
        self._columns = {name: Column(kind) for name, kind in _field_kinds(typing.cast(type, record_class))}
        self._count = 0
        self._next_check = _FIRST_CHECK
        self._namespace: dict[str, Any] = {}
        lines = ["def append(r):"]
        for n, name in enumerate(self._columns):
            lines.append(f"    A{n}(r.{name})")
        lines.append("    pass")
        exec("\n".join(lines), self._namespace)  # field names of an attrs class are identifiers
        self._bind()
        self._append: Callable[[Any], None] = self._namespace["append"]

    def _bind(self) -> None:
        """Point the generated function at each column's way of appending (it changes when a column packs)."""
        for n, column in enumerate(self._columns.values()):
            self._namespace[f"A{n}"] = column.append

    def append(self, record: R) -> None:
        """Add ``record`` (an instance of the builder's class) as the next row."""
        try:
            self._append(record)
        except AttributeError:
            raise TypeError(
                f"{self.record_class.__name__} records expected, got {type(record).__name__}"
            ) from None  # the builder's columns are left uneven: it is not used again
        self._count += 1
        if self._count == self._next_check:
            self._next_check *= 2
            for column in self._columns.values():
                column.reconsider()
            self._bind()

    def extend_columns(
        self,
        count: int,
        values: Mapping[str, list[Any]],
        texts: Mapping[str, list[Any]],
        defaults: Mapping[str, Any] | None = None,
        missing: object = None,
        tables: Mapping[str, Mapping[Any, Any]] | None = None,
    ) -> None:
        """Add ``count`` records given field by field: for each field, either its values (in ``values``) or, for a
        field of a packable kind, their texts (in ``texts``: what :meth:`Column.extend_texts` takes).

        Every field must be given, each with ``count`` items. In a field named in ``defaults``, an item that is
        ``missing`` (compared by identity) stands for the field's default given there. A field named in
        ``tables`` is given in ``values`` by keys of its table, each standing for the table's value of it (an
        enumeration's texts and their members, say): pass the same table with every batch, so that each key is
        looked up in it once. The records are the ones :meth:`append` of records holding those values would add.
        """
        if self._count + count > self._next_check:  # up to the next check first: it may pack columns
            first = self._next_check - self._count
            self.extend_columns(first, _head(values, first), _head(texts, first), defaults, missing, tables)
            self.extend_columns(count - first, _tail(values, first), _tail(texts, first), defaults, missing, tables)
            return
        defaults = defaults or {}
        tables = tables or {}
        for name, column in self._columns.items():
            given = values.get(name)
            if name in tables:
                column.extend_keys(values[name], tables[name])
            elif name in defaults:
                if given is not None:
                    column.extend(given, missing, defaults[name])
                else:
                    column.extend_texts(texts[name], missing, defaults[name])
            elif given is not None:
                column.extend(given)
            else:
                column.extend_texts(texts[name])
        self._count += count
        if self._count == self._next_check:
            self._next_check *= 2
            for column in self._columns.values():
                column.reconsider()
            self._bind()

    def extend(self, records: Iterable[R]) -> None:
        """Add each of ``records``."""
        for record in records:
            self.append(record)

    def build(self) -> Records[R]:
        """The records appended so far, as an immutable sequence (the builder is not used again)."""
        for column in self._columns.values():
            column.finish()
        return Records(_Table(self.record_class, self._columns), range(self._count))


def _head(columns: Mapping[str, list[Any]], count: int) -> dict[str, list[Any]]:
    return {name: values[:count] for name, values in columns.items()}


def _tail(columns: Mapping[str, list[Any]], start: int) -> dict[str, list[Any]]:
    return {name: values[start:] for name, values in columns.items()}


class Records(Sequence[R]):
    """An immutable sequence of records of one attrs class, stored column by column.

    Make one with :meth:`of`; a :class:`~cpsdk.Dataset` makes its own from any sequence of
    records. It compares equal to a tuple or list of equal records in the same order.
    Reading a record makes a new object equal to the one stored (see the module).
    """

    __slots__ = ("_coded", "_rows", "_table")

    def __init__(self, table: _Table, rows: Rows) -> None:
        self._table = table
        self._rows = rows
        #: A shared column's numbers for these rows, by field, once asked for (a view's are gathered from the
        #: whole column's: builds ask for the same few fields of the same view several times).
        self._coded: dict[str, tuple[list[Any], array[int]] | None] = {}

    @classmethod
    def of(cls, record_class: type[R], records: Iterable[R] = ()) -> Records[R]:
        """``records`` (instances of the attrs class ``record_class``) held column by column."""
        if isinstance(records, Records) and records.record_class is record_class:
            return records
        if isinstance(records, (tuple, list)) and not records:
            empty: Records[R] = _empty(typing.cast(type, record_class))
            return empty
        builder = RecordsBuilder(record_class)
        builder.extend(records)
        return builder.build()

    @classmethod
    def builder(cls, record_class: type[R]) -> RecordsBuilder[R]:
        """A builder to append records of ``record_class`` one at a time (to make large collections without
        holding them all as objects first)."""
        return RecordsBuilder(record_class)

    @property
    def record_class(self) -> type[R]:
        """The attrs class of these records."""
        return self._table.record_class

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> Records[R]: ...

    def __getitem__(self, index: int | slice) -> R | Records[R]:
        if isinstance(index, slice):
            return Records(self._table, self._rows[index])
        return self._table.make(self._rows[index])  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[R]:
        return map(self._table.make, self._rows)

    def __reversed__(self) -> Iterator[R]:
        return map(self._table.make, reversed(self._rows))

    def column(self, name: str) -> Iterator[Any]:
        """The values of field ``name``, record by record, without making the records: the fast way
        to scan one field of a large collection."""
        try:
            column = self._table.columns[name]
        except KeyError:
            raise AttributeError(f"{self.record_class.__name__} has no field {name!r}") from None
        return column.iterate(self._rows)

    def columns(self, *names: str) -> Iterator[tuple[Any, ...]]:
        """The values of the fields ``names``, as one tuple per record, without making the records."""
        return zip(*(self.column(name) for name in names), strict=True)

    def positions(self, test: Callable[..., object], *names: str) -> list[int]:
        """The positions of the records whose fields ``names`` pass ``test`` (called with their values), in order,
        found from those columns alone.

        When every field is held shared, ``test`` is called once per distinct combination of values the records
        hold (for one field: once per distinct value the column holds, which may include values no record holds),
        and the records passing are found by their values' numbers: a pass over a million records that tests a
        few hundred combinations. Otherwise it is called once per record.
        """
        columns = [self._column(name) for name in names]
        coded = [self._coded_column(name) for name in names]
        if not columns or any(item is None for item in coded):
            return [position for position, values in enumerate(self.columns(*names)) if test(*values)]
        if len(coded) == 1:
            values, codes = coded[0]  # type: ignore[misc]
            failing = {code for code, value in enumerate(values) if test(value)}
            if not failing:
                return []
            return list(itertools.compress(range(len(codes)), map(failing.__contains__, codes)))
        tables = [item[0] for item in coded]  # type: ignore[index]
        rows = [item[1] for item in coded]  # type: ignore[index]
        if len(self) >= VECTOR_FROM:
            from cpsdk.store import _vector

            passing = _vector.passing(tables, rows, test)
            if passing is not None:
                return passing
        keys = _combined(rows)
        if keys is None:  # numbers too wide to put side by side in one machine word: tuples of them
            combinations: Iterable[Any] = zip(*rows, strict=True)
            failing = {
                combination
                for combination in set(combinations)
                if test(*(table[code] for table, code in zip(tables, combination, strict=True)))
            }
            found: Iterable[Any] = zip(*rows, strict=True)
        else:
            key_codes = _key_codes([column.itemsize for column in rows], keys.itemsize)
            failing = {
                key
                for key in set(keys)
                if test(*(table[code] for table, code in zip(tables, key_codes(key), strict=True)))
            }
            found = keys
        if not failing:
            return []
        return list(itertools.compress(itertools.count(), map(failing.__contains__, found)))

    def value_types(self, name: str) -> set[type]:
        """The types of field ``name``'s values (``NoneType`` for no value), from its column: for a view of some of
        the records, perhaps also of values only the others hold."""
        return self._column(name).value_types()

    def distinct(self, name: str) -> set[Any]:
        """The distinct values of field ``name`` among these records (each must be hashable), found from its
        column: for a shared column, from the numbers of the values the records hold, never making a value twice."""
        coded = self._coded_column(name)
        if coded is None:
            return set(self.column(name))
        values, codes = coded
        if len(codes) >= VECTOR_FROM:  # the numbers held, counted in NumPy
            from cpsdk.store import _vector

            return set(map(values.__getitem__, _vector.held_numbers(codes, len(values))))
        return set(map(values.__getitem__, set(codes)))

    def translated(self, name: str, translate: Callable[[Any], Any]) -> list[Any]:
        """``translate`` of each record's value of field ``name``, as a list in order (to compare columns with
        ``map`` and an operator); for a shared column ``translate`` is called once per distinct value, and the
        list made from the values' numbers."""
        coded = self._coded_column(name)
        if coded is None:
            return list(map(translate, self.column(name)))
        values, codes = coded
        return list(map(list(map(translate, values)).__getitem__, codes))

    def sums(
        self, amount: str, *by: str | tuple[str, Callable[[Any], Hashable]], zeros: bool = True
    ) -> dict[Any, Decimal]:
        """Exact sums of field ``amount`` (``Decimal`` values) grouped by the fields ``by``, found from the columns
        without making the records.

        Each of ``by`` is a field's name (its records grouped by the field's value) or a ``(name, part)`` pair
        (grouped by ``part(value)``, which must be hashable; for a shared column called once per distinct value the
        records hold).
        The result maps each group's key to ``Decimal(0)`` plus the group's amounts in order (what
        ``sum(amounts, Decimal(0))`` gives). The key is the part when ``by`` is one field, else a tuple with one part
        per field (with no ``by``, one group keyed ``()``). A record with no amount (None) adds nothing; a group none
        of whose records has an amount is left out. ``zeros=False`` leaves out zero amounts as well (so that a zero
        recorded to more places than the others, ``0.000``, does not add its places to the group's sum).

        Additions are ``Decimal``'s, in its context (28 significant digits by default): exact while a sum fits in
        them, as any sum a form can print (15 digits) does.

        The groups come in the order their first records come. The records are grouped by numbers (each field's
        parts numbered once, the numbers of several fields combined into one per record), so that the one step of
        Python per record is a ``Decimal`` addition.
        """
        parts_of, numbered = self._grouping(by)
        strides, stride = _strides(parts_of)
        if len(self) >= VECTOR_FROM:
            exact = self._exact_sums(amount, numbered, strides, stride, zeros)
            if exact is not None:
                return _groups(exact[0], exact[1], parts_of, strides)
        keys = _keys(numbered, parts_of, strides, len(self))
        zero = Decimal(0)
        pairs: Iterable[tuple[int, Any]] = zip(keys, self.column(amount), strict=True)
        if not zeros:  # (nor does a zero, then)
            pairs = ((key, value) for key, value in pairs if value)
        elif type(None) in self.value_types(amount):  # a record with no amount adds nothing
            pairs = ((key, value) for key, value in pairs if value is not None)
        if stride <= 2 * len(self) + 1024:  # a list of every combination's sum: indexed faster than a dict, and
            # no number made an object (``zero`` is the one object of the combinations no record holds)
            totals = [zero] * stride
            met = array("Q")  # in the order the records first give them, as a dictionary would keep them
            for key, value in pairs:
                total = totals[key]
                if total is zero:
                    met.append(key)
                totals[key] = total + value
            return _groups(met, list(map(totals.__getitem__, met)), parts_of, strides)
        summed: dict[int, Decimal] = {}
        get = summed.get
        for key, value in pairs:
            summed[key] = get(key, zero) + value
        return _groups(list(summed), list(summed.values()), parts_of, strides)

    def counts(self, *by: str | tuple[str, Callable[[Any], Hashable]]) -> dict[Any, int]:
        """How many records there are in each group of the fields ``by``, found from the columns without making the
        records: ``by`` and the keys as in :meth:`sums` (each group a record is in; the groups in the order their
        first records come, a group of no record left out)."""
        parts_of, numbered = self._grouping(by)
        strides, combinations = _strides(parts_of)
        if len(self) >= VECTOR_FROM and combinations < 1 << 62:
            from cpsdk.store import _vector

            met, counted = _vector.group_counts(
                _vector.Grouping(numbered, strides, combinations, self._rows, len(self._table))
            )
            return _groups(met.tolist(), counted.tolist(), parts_of, strides)
        found = collections.Counter(_keys(numbered, parts_of, strides, len(self)))
        return _groups(list(found), list(found.values()), parts_of, strides)

    def _grouping(
        self, by: tuple[str | tuple[str, Callable[[Any], Hashable]], ...]
    ) -> tuple[list[list[Any]], list[tuple[list[int] | None, Sequence[int]]]]:
        """For :meth:`sums`: each field's parts, in the order of their numbers (perhaps equal ones), and each
        record's part number, as ``(table, codes)``: the record's number in ``codes`` is its part's, or the index of
        its part's number in ``table``."""
        parts_of: list[list[Any]] = []
        numbered: list[tuple[list[int] | None, Sequence[int]]] = []
        for spec in by:
            name, part = (spec, None) if isinstance(spec, str) else spec
            coded = self._coded_column(name)
            if coded is not None and part is None:  # a shared column's values are its parts, its numbers theirs
                parts_of.append(coded[0])
                numbered.append((None, coded[1]))
                continue
            numbering = _Numbering()
            if coded is not None:
                values, codes = coded
                table = [0] * len(values)
                for code in set(codes):  # the values these records hold (a view's column may hold more)
                    table[code] = numbering[part(values[code])]  # type: ignore[misc]
                numbered.append((table, codes))
            else:
                column = self.column(name)
                numbered.append((None, list(map(numbering.__getitem__, column if part is None else map(part, column)))))
            parts_of.append(numbering.numbered)
        return parts_of, numbered

    def _exact_sums(
        self,
        amount: str,
        numbered: list[tuple[list[int] | None, Sequence[int]]],
        strides: list[int],
        combinations: int,
        zeros: bool,
    ) -> tuple[list[int], list[Decimal]] | None:
        """:meth:`sums` in NumPy (the combined numbers met, in order, and their sums), when the amounts' column
        can be held as whole numbers and the context adds them exactly; else None."""
        from cpsdk.store import _vector

        if combinations >= 1 << 62 or not _vector.exact_context():
            return None
        exact = self._column(amount).exact_amounts()
        if exact is None:
            return None
        grouping = _vector.Grouping(numbered, strides, combinations, self._rows, len(self._table))
        found = _vector.group_totals(grouping, exact, zeros)
        return None if found is None else (found[0].tolist(), _vector.decimals(found[1], found[2]))

    def _exact_totals(self, amount: str, by: str) -> tuple[list[Any], Any, Any, Any] | None:
        """:meth:`sums` of ``amount`` by the shared field ``by``, as whole numbers (for passes in NumPy over the
        sums): the field's values, and the numbers of those met, each one's total and its places (as
        :func:`cpsdk.store._vector.group_totals` gives them). None where :meth:`sums` would not add in NumPy."""
        coded = self._coded_column(by)
        if coded is None:
            return None
        from cpsdk.store import _vector

        exact = self._column(amount).exact_amounts()
        if exact is None or not _vector.exact_context():
            return None
        values, codes = coded
        grouping = _vector.Grouping([(None, codes)], [1], len(values), self._rows, len(self._table))
        found = _vector.group_totals(grouping, exact, True)
        return None if found is None else (values, *found)

    def positions_with_text(self, name: str, needles: str) -> list[int]:
        """The positions of the records whose field ``name`` has a text holding any of the characters ``needles``,
        in order: the text a packed column stores (for an amount, the digits it was given; each block searched
        once, and only the blocks holding one cut into rows), else ``str`` of the value. None has no text.

        A fast way to find the few candidates of a test (a negative amount has a ``-``), to be checked exactly.
        """
        column = self._column(name)
        rows = self._rows
        if isinstance(rows, range):
            found = column.rows_with_text(rows, needles)
            if found is not None:
                return list(found)

        def holds(value: Any) -> bool:
            return value is not None and any(needle in _text(value) for needle in needles)

        return self.positions(holds, name)

    def _coded_column(self, name: str) -> tuple[list[Any], array[int]] | None:
        if name not in self._coded:
            self._coded[name] = self._column(name).coded(self._rows)
        return self._coded[name]

    def _column(self, name: str) -> Column:
        try:
            return self._table.columns[name]
        except KeyError:
            raise AttributeError(f"{self.record_class.__name__} has no field {name!r}") from None

    def value(self, position: int, name: str) -> Any:
        """Field ``name`` of the record at ``position``, without making the record."""
        return self._table.columns[name][self._rows[position]]

    def getter(self, name: str) -> Callable[[int], Any]:
        """A function from a position to field ``name`` of the record there (for scans that need many)."""
        get = self._table.columns[name].getter()
        rows = self._rows
        if isinstance(rows, range) and rows.start == 0 and rows.step == 1:
            return get
        return lambda position: get(rows[position])

    def position_in(self, other: Records[Any], position: int) -> int | None:
        """The position in ``other`` of this sequence's record at ``position``, when both are views of the same
        stored records (one taken from the other by :meth:`take`, :meth:`where` or a slice): found from where the
        record is stored, without comparing keys. None when ``other`` does not hold that stored record."""
        if other._table is not self._table:
            return None
        row = self._rows[position]
        rows = other._rows
        if isinstance(rows, range):
            return rows.index(row) if row in rows else None
        at = bisect.bisect_left(rows, row)
        if at < len(rows) and rows[at] == row:
            return at
        return next((at for at, stored in enumerate(rows) if stored == row), None)  # a view not in order

    def take(self, positions: Iterable[int]) -> Records[R]:
        """The records at ``positions`` (of this sequence), in that order, sharing this one's storage."""
        rows = self._rows
        if isinstance(rows, range) and rows.step == 1 and rows.start == 0:
            chosen = array("I", positions)  # positions in the whole table are its rows
            if chosen and not 0 <= min(chosen) <= max(chosen) < len(rows):
                raise IndexError("position out of range")
        else:
            chosen = array("I", map(rows.__getitem__, positions))
        if (
            chosen
            and chosen[-1] - chosen[0] == len(chosen) - 1
            and chosen == array("I", range(chosen[0], chosen[-1] + 1))
        ):
            return Records(self._table, range(chosen[0], chosen[-1] + 1))  # a range is read block by block
        return Records(self._table, chosen)

    def prepare_sums(self) -> None:
        """Make the whole numbers :meth:`sums` adds for every amount (``Decimal``) column now, as a column engine
        holds amounts once loaded (:func:`cpsdk.load` does it for every collection of at least
        :data:`VECTOR_FROM` records); otherwise the first sum of a column makes them. Nothing for a smaller
        collection, whose sums are added in Python."""
        if len(self) >= VECTOR_FROM:
            for column in self._table.columns.values():
                column.exact_amounts()

    def where(self, name: str, test: Callable[[Any], object]) -> Records[R]:
        """The records whose field ``name`` passes ``test``, in order, found from that field's column alone
        (e.g. ``proposals.where("audit", lambda audit: audit == "A1")``); they share this one's storage. As in
        :meth:`translated`, ``test`` is called once per distinct value of a shared column."""
        coded = self._coded_column(name) if len(self) >= VECTOR_FROM else None
        if coded is not None:  # the values' numbers that pass, picked in NumPy
            from cpsdk.store import _vector

            values, codes = coded
            chosen = _vector.chosen(list(map(bool, map(test, values))), codes)
            if chosen is None:
                return self
            return self._taken(_vector.rows_of(chosen, self._rows, len(self._table)))
        passed = self.translated(name, test)
        if all(passed):  # (every record: these records, without gathering their positions)
            return self
        return self.take(itertools.compress(range(len(self)), passed))

    def _taken(self, rows: array[int]) -> Records[R]:
        """The records of the table's ``rows`` (ascending), sharing this one's storage: a range when they follow
        one another."""
        if rows and rows[-1] - rows[0] == len(rows) - 1:
            return Records(self._table, range(rows[0], rows[-1] + 1))
        return Records(self._table, rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records):
            if other._table is self._table and other._rows == self._rows:
                return True
        elif not isinstance(other, (tuple, list)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __add__(self, other: Iterable[R]) -> Records[R]:
        return Records.of(self.record_class, [*self, *other])

    def __radd__(self, other: Iterable[R]) -> Records[R]:
        return Records.of(self.record_class, [*other, *self])

    def __repr__(self) -> str:
        return f"Records[{self.record_class.__name__}]({len(self)} records)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Records.of, (self.record_class, tuple(self)))


def _strides(parts_of: list[list[Any]]) -> tuple[list[int], int]:
    """What each field's part number is multiplied by in a combined number (the last field's 1), and how many
    combined numbers there are."""
    strides: list[int] = []
    stride = 1
    for parts in reversed(parts_of):
        strides.append(stride)
        stride *= max(len(parts), 1)
    strides.reverse()
    return strides, stride


def _keys(
    numbered: list[tuple[list[int] | None, Sequence[int]]], parts_of: list[list[Any]], strides: list[int], count: int
) -> Iterable[int]:
    """Each record's combined number: its fields' part numbers (as :meth:`Records._grouping` gives them), each
    times its stride, added."""
    numbers_of = [
        codes if table is None else array(_codes_for(len(parts)), map(table.__getitem__, codes))
        for (table, codes), parts in zip(numbered, parts_of, strict=True)
    ]
    keys: Iterable[int] = itertools.repeat(0, count)
    for numbers, stride in zip(reversed(numbers_of), reversed(strides), strict=True):
        # (the last field's numbers are the keys' lowest part: stride 1)
        keys = numbers if stride == 1 else map(operator.add, keys, map(operator.mul, numbers, itertools.repeat(stride)))
    return keys


def _groups(
    numbers: Sequence[int], totals: Sequence[Any], parts_of: list[list[Any]], strides: list[int]
) -> dict[Any, Any]:
    """:meth:`Records.sums`' sums or :meth:`Records.counts`' counts (``totals``) by combined number (``numbers``), by
    their parts (one field) or tuples of parts (several); equal keys' totals added."""
    if len(parts_of) == 1:
        (parts,) = parts_of
        found = dict(zip(map(parts.__getitem__, numbers), totals, strict=True))
        if len(found) == len(numbers):
            return found
        # (a shared column's values may hold equal ones, told apart by identity: their sums are added)
        keyed: Iterable[tuple[Any, Decimal]] = zip(map(parts.__getitem__, numbers), totals, strict=True)
    elif len(parts_of) == 2:
        high_parts, low_parts = parts_of
        width = strides[0]
        keyed = (
            ((high_parts[number // width], low_parts[number % width]), total)
            for number, total in zip(numbers, totals, strict=True)
        )
    else:
        spans = list(zip(parts_of, strides, strict=True))
        keyed = (
            (tuple(parts[(number // stride) % len(parts)] for parts, stride in spans), total)
            for number, total in zip(numbers, totals, strict=True)
        )
    found = {}
    for group, total in keyed:
        found[group] = found[group] + total if group in found else total
    return found


#: Array type codes by item size, for keys made of several columns' numbers side by side.
_KEY_TYPES = {array(code).itemsize: code for code in ("Q", "L", "I", "H", "B")}


def _combined(codes: Sequence[array[int]]) -> array[int] | None:
    """One number per row holding the numbers of ``codes`` (arrays of equal length) side by side, as the bytes of
    one machine word: rows are alike in every column when their keys are equal. None when they do not fit in one."""
    width = sum(column.itemsize for column in codes)
    size = next((size for size in sorted(_KEY_TYPES) if size >= width), None)
    if size is None:
        return None
    count = len(codes[0])
    joined = bytearray(count * size)
    offset = 0
    for column in codes:
        raw = column.tobytes()
        for byte in range(column.itemsize):
            joined[offset + byte :: size] = raw[byte :: column.itemsize]
        offset += column.itemsize
    keys = array(_KEY_TYPES[size])
    keys.frombytes(joined)
    return keys


def _key_codes(sizes: list[int], size: int) -> Callable[[int], list[int]]:
    """The numbers a key made by :func:`_combined` holds, column by column."""
    spans = list(itertools.pairwise(itertools.accumulate(sizes, initial=0)))

    def codes(key: int) -> list[int]:
        raw = key.to_bytes(size, sys.byteorder)
        return [int.from_bytes(raw[start:end], sys.byteorder) for start, end in spans]

    return codes


class DeferredRecords(Records[R]):
    """Some records of ``within``, which ``find`` gives when they are first needed (the view's rows are found on
    the first read of them: its length, a record, a column). Until then, :meth:`pick_from` is ``within``: a pass
    that picks records known to be among these can pick them from ``within`` without finding these first."""

    __slots__ = ("_find", "_within")

    def __init__(self, within: Records[R], find: Callable[[], Records[R]]) -> None:
        super().__init__(within._table, range(0))
        del self._rows  # (read through __getattr__ until found)
        self._within = within
        self._find = find

    def __getattr__(self, name: str) -> Any:
        if name != "_rows":
            raise AttributeError(name)
        found = self._find()
        if found._table is not self._table:
            raise ValueError("deferred records must be found in the table they were deferred from")
        self._rows = found._rows
        return self._rows

    @property
    def pick_from(self) -> Records[R]:
        """``within`` while these records are not found, then these records."""
        try:
            object.__getattribute__(self, "_rows")
        except AttributeError:
            return self._within
        return self


@functools.cache
def _empty(record_class: type) -> Records[Any]:
    """No records of ``record_class``: one shared, immutable instance per class."""
    return RecordsBuilder(record_class).build()


def _text(value: Any) -> str:
    """``str`` of a value; a whole number past Python's limit on digits turned into text, through ``Decimal``
    (which has none, and writes a whole number's digits as ``str`` would)."""
    try:
        return str(value)
    except ValueError:
        if isinstance(value, int):
            return str(Decimal(value))
        raise
