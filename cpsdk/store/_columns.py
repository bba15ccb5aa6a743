"""One field of many records, stored compactly: the columns behind :class:`cpsdk.Records`.

A dataset of the whole country holds millions of records. As Python objects each costs
hundreds of bytes (the object, its id text, its ``Decimal`` amounts): 1.9 GB for the
national example. A column keeps one field's values in one of three ways, chosen as the
values arrive:

- **shared**: each distinct value once, and for each row the number of its value (one,
  two or four bytes a row): enumerations, yes/no, dates, years, and the codes and
  references that repeat (an enterprise's 统一社会信用代码 in each of its proposals);
- **packed**: values that seldom repeat (ids, amounts, names) as their text, the texts of
  1,024 rows joined in one string with each row's end offset (four bytes a row and the
  text), made into values again when read;
- **plain**: the objects themselves, for a packed column given a value it cannot pack (of
  another type than the field's, or a text too long for a block's offsets).

Reading a row gives back a value equal to the one stored and of the same type: texts,
numbers and dates; an amount keeps its exact digits and exponent (``Decimal('1.0')``
stays ``1.0``, never ``1.00``), because a ``Decimal``'s text round trips exactly. Values
are told apart by identity where equality would merge different ones (``Decimal('1.0') ==
Decimal('1.00')``), and by value only for exact ``str``, ``int`` and ``date`` values.

Passes over large collections run in NumPy (:mod:`cpsdk.store._vector`, imported by the first such
pass, never at start): a shared column's numbers are already an array, and a ``Decimal`` column's
amounts are made whole numbers at one scale once (:meth:`Column.exact_amounts`: 8 bytes and a place
count a row, kept with the column; :func:`cpsdk.load` makes them for collections of 20,000 records or
more, as a column engine casts amounts when it loads). Sums that could pass 64 bits, amounts of more
than 18 digits or not plain digits, and a context of fewer digits go the ``Decimal`` way. The store
itself stays the standard library's :mod:`array` and packed text (50–65 bytes a record, against about
85 for polars' frames of the same data): parsing keeps its speed, and every record reads back as it
was written.
"""

from __future__ import annotations

import bisect
import datetime
import enum
import itertools
import operator
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

#: Rows whose texts share one string in a packed column (a power of two: the block is ``row >> _SHIFT``).
_SHIFT = 10
_BLOCK = 1 << _SHIFT
_LOW = _BLOCK - 1
#: Blocks of a packed column read at a time when its amounts are made whole numbers (a few hundred kilobytes).
_CHUNK = 64

#: Value types a packed column can hold: type → (its text, the value of a text). Each round trips exactly.
#: (A text is its own text: ``None`` stands for no conversion.)
_CODECS: dict[type, tuple[Callable[[Any], str] | None, Callable[[str], Any] | None]] = {
    str: (None, None),
    Decimal: (Decimal.__str__, Decimal),
    int: (int.__repr__, int),
    datetime.date: (datetime.date.isoformat, datetime.date.fromisoformat),
}
#: A packed block's end offsets are four-byte numbers: a text that would reach past them makes the column plain.
_MAX_BLOCK_LENGTH = 0xFFFFFFFF
#: Values a batch may hold in every row and be stored as one code for all: those equal only to themselves, or to
#: equal values of their own type (never ``Decimal``: ``1.0`` and ``1.00`` are equal and not the same).
_CONSTANT_TYPES = frozenset({type(None), bool, str, int, datetime.date})
#: Types whose equal values are interchangeable (so a shared column may merge them).
_BY_VALUE = frozenset({str, int, datetime.date})


def _ascending(rows: array[int]) -> bool:
    return all(map(operator.lt, rows, itertools.islice(rows, 1, None)))


def _cut(string: str, start: int, ends: Iterable[int]) -> list[str]:
    """The texts of ``string`` that end at each of ``ends`` in turn, the first starting at ``start``."""
    # (a slice in a comprehension takes about half the time of ``map(string.__getitem__, map(slice, ...))``)
    return [string[begin:end] for begin, end in itertools.pairwise(itertools.chain((start,), ends))]


def _codes_for(count: int) -> str:
    """The array type code wide enough for ``count`` distinct values."""
    return "B" if count <= 0xFF else "H" if count <= 0xFFFF else "I"


class _Numbering(dict):  # type: ignore[type-arg]
    """An index by value that numbers each value it has not seen as it is looked up, appending it to ``numbered``
    (a shared column's values, or the parts :meth:`Records.sums` groups by), so that a batch's numbers come from
    one pass of lookups."""

    __slots__ = ("numbered",)

    def __init__(self) -> None:
        super().__init__()
        #: The values, in the order of their numbers.
        self.numbered: list[Any] = []

    def __missing__(self, value: Any) -> int:
        code = self[value] = len(self.numbered)
        self.numbered.append(value)
        return code


class _Keyed(dict):  # type: ignore[type-arg]
    """A shared column's numbers by key, for rows given as keys that each stand for a value (an enumeration's
    text, an amount's text): the first time a key comes, its value is made (``source(key)``) and appended as
    :meth:`Column.append` would, and its number kept, so that a batch's numbers come from one pass of lookups."""

    __slots__ = ("column", "origin", "source")

    def __init__(self, column: Column, source: Callable[[Any], Any], origin: object) -> None:
        super().__init__()
        self.column = column
        self.source = source
        #: What the keys are keys of (a table, or the column for its texts): numbers kept for one only.
        self.origin = origin

    def __missing__(self, key: Any) -> int:
        code = self[key] = self.column._number(self.source(key))
        return code


class Column:
    """The values of one field, appended row by row, then read by row number.

    ``kind`` is the field's value type (``str``, ``Decimal``, ``int``, ``datetime.date``, an
    enumeration, ``bool``, or anything else); it decides which texts a packed column can hold.
    ``None`` may be stored in any column.
    """

    __slots__ = (
        "_decode",
        "_encode",
        "_ends",
        "_exact",
        "_index",
        "_keyed",
        "_kind",
        "_nulls",
        "_pending",
        "_pending_length",
        "_value_kind",
        "append",
        "blocks",
        "codes",
        "mode",
        "objects",
        "values",
    )

    def __init__(self, kind: Any) -> None:
        packable = isinstance(kind, type) and kind in _CODECS and not issubclass(kind, enum.Enum)
        #: The one type a packed column holds (besides None), or None when this column never packs.
        self._kind: type | None = kind if packable else None
        self._encode, self._decode = _CODECS[kind] if packable else (None, None)
        self.mode = "shared"
        # shared
        self.values: list[Any] = []
        self.codes: array[int] = array("B")
        # value (or its identity) → its number, while appending
        self._index: dict[Any, int] = _Numbering() if kind in _BY_VALUE or kind is bool else {}
        # key → number, for rows given by key (``extend_keys``, and texts of a kind made from its text)
        self._keyed: _Keyed | None = None
        # packed
        self.blocks: list[str] = []
        self._ends: array[int] = array("I")
        self._nulls: bytearray | None = None
        self._pending: list[str] = []
        self._pending_length = 0
        # plain
        self.objects: list[Any] = []
        # the rows' exact amounts for NumPy's sums, with the count of rows they were made for
        self._exact: tuple[int, Any] | None = None
        #: Adds the next row's value (the way of the column's present mode).
        by_value = kind in _BY_VALUE or kind is bool
        #: The type whose values a shared column tells apart by value (a text, number, date or yes/no: each equal
        #: only to itself among its type's values); None when it tells values by identity (an enumeration's
        #: members hash by a Python method, and identity tells them apart as well).
        self._value_kind: type | None = kind if by_value else None
        self.append: Callable[[Any], None] = self._share_value if by_value else self._share_object

    def __len__(self) -> int:
        if self.mode == "shared":
            return len(self.codes)
        return len(self._ends) if self.mode == "packed" else len(self.objects)

    # ---- appending --------------------------------------------------------------------------------------

    def _share_value(self, value: Any) -> None:
        # A text, number, date or yes/no column: equal values of its type (or None) are one value.
        # Anything else is told apart by identity (a one-item tuple never equals a value of those types).
        key = value if type(value) is self._value_kind or value is None else (id(value),)
        code = self._index.get(key)
        if code is None:
            code = self._index[key] = self._new_value(value)
        self.codes.append(code)

    def _share_object(self, value: Any) -> None:
        # The value stays alive in ``values``, so its id names it for as long as this column does.
        code = self._index.get(id(value))
        if code is None:
            code = self._index[id(value)] = self._new_value(value)
        self.codes.append(code)

    def _new_values(self, values: list[Any]) -> range:
        """Several new values at once (as :meth:`_new_value` each): their numbers."""
        first = len(self.values)
        self.values.extend(values)
        if _codes_for(len(self.values)) != self.codes.typecode:
            self.codes = array(_codes_for(len(self.values)), self.codes)
        return range(first, len(self.values))

    def _new_value(self, value: Any) -> int:
        code = len(self.values)
        self.values.append(value)
        if code == 0x100 or code == 0x10000:
            self.codes = array(_codes_for(code + 1), self.codes)
        return code

    def reconsider(self) -> None:
        """Pack a shared column when its rows as text would take well under what its distinct values do (the
        builder asks as the rows grow).

        Shared, a row costs its value's number and each distinct value its object; packed, a row costs
        four bytes and its text. Shared is kept unless packing saves a third, as it reads faster.
        """
        values = self.values
        if self.mode != "shared" or not values or not self._packable(values):
            return
        rows = len(self.codes)
        sample = values[:: max(1, len(values) // 256)]
        try:
            text_length = sum(len(self._text(value)) for value in sample) / len(sample)
        except ValueError:  # a whole number longer than Python turns into text: not packed
            return
        packed = rows * (4 + text_length)
        shared = (
            rows * array(_codes_for(len(values))).itemsize
            + sum(map(sys.getsizeof, sample)) * (len(values) / len(sample))
            + 8 * len(values)
        )
        if packed * 1.5 < shared:
            self.pack()

    def pack(self) -> None:
        """Hold the rows as text from now on (when every value so far is of the column's type, or None; a
        value that has no text after all makes the column plain)."""
        if self.mode != "shared" or not self._packable(self.values):
            return
        kept = [self.values[code] for code in self.codes]
        self._index, self._keyed = {}, None
        self.values, self.codes = [], array("B")
        self.mode = "packed"
        self.append = self._pack
        self.extend(kept)

    def _text(self, value: Any) -> str:
        if value is None:
            return ""
        return value if self._encode is None else self._encode(value)

    def _packable(self, values: Iterable[Any]) -> bool:
        kind = self._kind
        return kind is not None and set(map(type, values)) <= {kind, type(None)}

    def _pack(self, value: Any) -> None:
        if type(value) is self._kind and self.mode == "packed":  # the common case, first
            try:
                text: str = value if self._encode is None else self._encode(value)  # type: ignore[assignment]
            except ValueError:  # a whole number longer than Python turns into text: kept as it is
                self._pack_other(value)
                return
            length = self._pending_length + len(text)
            if length <= _MAX_BLOCK_LENGTH:
                if self._nulls is not None:
                    self._nulls.append(0)
                self._pending.append(text)
                self._pending_length = length
                self._ends.append(length)
                if not len(self._ends) & _LOW:
                    self._seal()
                return
        self._pack_other(value)

    def _pack_other(self, value: Any) -> None:
        """None, a value of another type, or a text too long for its block (the column turns plain)."""
        if self.mode == "plain":  # made plain by an earlier value, while a builder still calls ``_pack``
            self.objects.append(value)
            return
        if value is not None:
            self._unpack()
            self.objects.append(value)
            return
        if self._nulls is None:
            self._nulls = bytearray(len(self._ends))
        self._nulls.append(1)
        self._pending.append("")
        self._ends.append(self._pending_length)
        if not len(self._ends) & _LOW:
            self._seal()

    def _seal(self) -> None:
        self.blocks.append("".join(self._pending))
        self._pending = []
        self._pending_length = 0

    def _unpack(self) -> None:
        """Turn a packed column plain (a value of another type arrived): rare, and exact."""
        if self._pending:
            self._seal()
        rows = [self._packed(row) for row in range(len(self._ends))]
        self.blocks, self._ends, self._nulls, self._pending = [], array("I"), None, []
        self.mode = "plain"
        self.objects = rows
        self.append = rows.append

    # ---- appending many rows at once ---------------------------------------------------------------------

    def extend(self, values: list[Any], missing: object = None, default: Any = None) -> None:
        """Append ``values`` in order: what :meth:`append` of each would do, done a batch at a time.

        Meant for values of exactly the column's kind (or None), as a loader that checked them gives: any other
        value goes through :meth:`append`, one at a time, so the result is the same either way. A value that is
        ``missing`` (an object standing for "not given", compared by identity) stands for ``default``.
        """
        if missing is not None and self.mode != "shared" and missing in values:
            values = [default if value is missing else value for value in values]
        if self.mode == "shared":
            self._extend_shared(values, missing, default)
        elif self.mode == "packed":
            kind, encode = self._kind, self._encode
            try:
                if not all(value is None or type(value) is kind for value in values):
                    raise ValueError("a value of another kind")
                texts = values if encode is None else [None if value is None else encode(value) for value in values]
            except ValueError:  # another kind of value, or a whole number longer than Python turns into text
                for value in values:
                    self.append(value)
                return
            self._extend_texts(texts)
        else:
            self.objects.extend(values)

    def extend_texts(self, texts: list[Any], missing: object = None, default: Any = None) -> None:
        """Append the values whose texts are ``texts`` (each a ``str``, or None for no value; not checked), for a
        column of a packable kind: a packed column keeps the texts as they are (each must be what its value's own
        text reads back as: for a ``Decimal``, ``Decimal(text)``), the others hold the values made from them.
        ``missing`` as in :meth:`extend` (its ``default`` a value, not a text)."""
        decode = self._decode
        if self.mode == "packed":
            if missing is not None and default is not None and type(default) is not self._kind:
                # a default the column holds no text for: as appending it would (the column turns plain)
                self.extend([default if text is missing else self._made(text) for text in texts])
                return
            if missing is not None:
                text = None if default is None else default if self._encode is None else self._encode(default)
                texts = [text if value is missing else value for value in texts]
            self._extend_texts(texts)
        elif self.mode == "plain":
            self.extend([default if text is missing else self._made(text) for text in texts])
        elif decode is None:
            # Texts are the values: equal ones are one value, numbered through the column's own index.
            index = self._index
            assert isinstance(index, _Numbering)
            index.numbered = self.values
            self._extend_keyed(index, texts, missing, default)
        else:
            keyed = self._keyed
            if keyed is None or keyed.origin is not self:
                keyed = self._keyed = _Keyed(self, self._made, self)
            self._extend_keyed(keyed, texts, missing, default)

    def _made(self, text: str | None) -> Any:
        """The value of a text (None for no text)."""
        return text if text is None or self._decode is None else self._decode(text)

    def extend_keys(self, keys: list[Any], table: Mapping[Any, Any]) -> None:
        """Append ``table[key]`` for each of ``keys``: what :meth:`extend` of those values does, without the list
        of values when the column is shared (each key's value numbered the first time it comes, as long as the
        same ``table`` is given)."""
        if self.mode != "shared":
            self.extend(list(map(table.__getitem__, keys)))
            return
        keyed = self._keyed
        if keyed is None or keyed.origin is not table:
            keyed = self._keyed = _Keyed(self, table.__getitem__, table)
        self._extend_keyed(keyed, keys)

    def _extend_keyed(
        self, numbers: dict[Any, int], keys: list[Any], missing: object = None, default: Any = None
    ) -> None:
        """A shared column's rows given by keys that ``numbers`` numbers (``missing`` standing for ``default``)."""
        if keys and keys[-1] is keys[0] and keys.count(keys[0]) == len(keys):  # one key: a column of one code
            code = self._number(default) if missing is not None and keys[0] is missing else numbers[keys[0]]
            self._widen()
            self.codes.extend(array(self.codes.typecode, [code]) * len(keys))
            return
        if missing is not None:
            numbers[missing] = self._number(default)  # for the rows not given, then taken back
        if numbers is self._index:
            # The column's own values (texts): those not seen before are numbered together, in the order they
            # first come, rather than each through ``__missing__`` (a reference repeats only a few times).
            fresh = [key for key in dict.fromkeys(keys) if key not in numbers]
            if fresh:
                numbers.update(zip(fresh, self._new_values(fresh), strict=True))
        codes = list(map(numbers.__getitem__, keys))
        if missing is not None:
            del numbers[missing]
        self._widen()
        if self.codes.typecode == "B":
            self.codes.frombytes(bytes(codes))  # several times faster than converting each number
        else:
            self.codes.extend(codes)

    def _widen(self) -> None:
        """Make the rows' numbers wide enough for every value numbered (``_Numbering`` numbers without widening)."""
        if _codes_for(len(self.values)) != self.codes.typecode:
            self.codes = array(_codes_for(len(self.values)), self.codes)

    def _number(self, value: Any) -> int:
        """The number of ``value`` in a shared column (numbered now if new), adding no row."""
        self.append(value)
        return self.codes.pop()

    def _extend_shared(self, values: list[Any], missing: object = None, default: Any = None) -> None:
        first = values[0] if values else None
        if first is missing:
            first = default
        if (
            values
            and (values[-1] is values[0] or values[-1] == values[0])
            and type(first) in _CONSTANT_TYPES
            and values.count(values[0]) == len(values)
        ):
            code = self._number(first)
            self.codes.extend(array(self.codes.typecode, [code]) * len(values))  # one value: a column of one code
            return
        index = self._index
        kind = self._value_kind
        if kind is not None and set(map(type, values)) <= {kind, type(None), type(missing)}:
            # Equal values are one: each value not seen before is numbered as it comes (``_Numbering``).
            assert isinstance(index, _Numbering)
            index.numbered = self.values
            if missing is not None:
                index[missing] = self._number(default)  # for the rows not given, then taken back
            codes = list(map(index.__getitem__, values))
            index.pop(missing, None)
            self._widen()
        elif kind is not None:  # a value of another type: one at a time, told apart by identity
            for value in values:
                self._share_value(default if value is missing else value)
            return
        else:
            keys = list(map(id, values))
            if missing is not None:
                index[id(missing)] = self._number(default)
            codes = list(map(index.get, keys))
            if None in codes:  # values not seen before: each given its number, in the order they first come
                by_id = {id(value): value for value in itertools.compress(values, [code is None for code in codes])}
                index.update(zip(by_id, self._new_values(list(by_id.values())), strict=True))
                codes = list(map(index.__getitem__, keys))
            self._forget(missing)
        if self.codes.typecode == "B":
            self.codes.frombytes(bytes(codes))  # several times faster than converting each number
        else:
            self.codes.extend(codes)

    def _forget(self, missing: object) -> None:
        """Drop the number the ``missing`` stand-in was given for one batch."""
        if missing is not None:
            self._index.pop(missing if self._value_kind is not None else id(missing), None)

    def _extend_texts(self, texts: list[str | None]) -> None:
        """Texts of a packed column (None for no value) appended block by block, each block's offsets counted
        in one pass."""
        position = 0
        count = len(texts)
        while position < count:
            room = _BLOCK - (len(self._ends) & _LOW)
            part = texts[position : position + room]
            nulls = None
            if None in part:
                nulls = bytes(text is None for text in part)
                part = ["" if text is None else text for text in part]
            start = self._pending_length
            ends = list(itertools.accumulate(map(len, part), initial=start))  # type: ignore[arg-type]
            if ends[-1] > _MAX_BLOCK_LENGTH:  # a block too long for its offsets: the rest one at a time
                decode = self._decode
                for text in texts[position:]:
                    self._pack(None if text is None else text if decode is None else decode(text))
                return
            del ends[0]
            if nulls is not None and self._nulls is None:
                self._nulls = bytearray(len(self._ends))
            if self._nulls is not None:
                self._nulls.extend(nulls if nulls is not None else bytes(len(part)))
            self._pending.extend(part)  # type: ignore[arg-type]
            self._pending_length = ends[-1]
            self._ends.extend(ends)
            if not len(self._ends) & _LOW:
                self._seal()
            position += room

    def finish(self) -> None:
        """No more rows: seal the last block and drop what only appending needed."""
        if self.mode == "packed" and self._pending:
            self._seal()
        self._index, self._keyed = {}, None

    # ---- reading ----------------------------------------------------------------------------------------

    def __getitem__(self, row: int) -> Any:
        """The value of ``row`` (0 ≤ row < len)."""
        if self.mode == "shared":
            return self.values[self.codes[row]]
        if self.mode == "packed":
            return self._packed(row)
        return self.objects[row]

    def _packed(self, row: int) -> Any:
        nulls = self._nulls
        if nulls is not None and nulls[row]:
            return None
        ends = self._ends
        start = ends[row - 1] if row & _LOW else 0
        text = self.blocks[row >> _SHIFT][start : ends[row]]
        return text if self._decode is None else self._decode(text)

    def reader(self, n: int) -> tuple[str, dict[str, Any]]:
        """A Python expression of the value at row ``i``, and the names it uses, for generated code.

        The names end in ``n``, so that the expressions of several columns can share one function;
        a shared column's value is read inline.
        """
        if self.mode == "shared":
            return f"V{n}[C{n}[i]]", {f"V{n}": self.values, f"C{n}": self.codes}
        if self.mode == "plain":
            return f"L{n}[i]", {f"L{n}": self.objects}
        names: dict[str, Any] = {f"B{n}": self.blocks, f"E{n}": self._ends}
        text = f"B{n}[i >> {_SHIFT}][E{n}[i - 1] if i & {_LOW} else 0 : E{n}[i]]"
        if self._decode is not None:
            names[f"D{n}"] = self._decode
            text = f"D{n}({text})"
        if self._nulls is not None:
            names[f"N{n}"] = self._nulls
            text = f"(None if N{n}[i] else {text})"
        return text, names

    def getter(self) -> Callable[[int], Any]:
        """The fastest function from a row to its value."""
        if self.mode == "shared":
            values, codes = self.values, self.codes
            return lambda row: values[codes[row]]
        if self.mode == "plain":
            return self.objects.__getitem__
        return self._packed

    def coded(self, rows: Iterable[int]) -> tuple[list[Any], array[int]] | None:
        """For a shared column: its distinct values and, for each of ``rows`` in order, the number of its value
        (an ``array``; the column's own when ``rows`` are all of them). None for a packed or plain column.

        The values may include some that none of ``rows`` holds (a builder's default, rows left out of a view).
        """
        if self.mode != "shared":
            return None
        codes = self.codes
        if isinstance(rows, range) and rows.step == 1:
            if rows.start == 0 and rows.stop >= len(codes):
                return self.values, codes
            return self.values, codes[rows.start : rows.stop]
        if isinstance(rows, array) and len(rows) >= _BLOCK * 16:  # picked in NumPy (imported for large views only)
            from cpsdk.store import _vector

            return self.values, _vector.picked_codes(codes, rows, len(codes))
        return self.values, array(codes.typecode, map(codes.__getitem__, rows))

    def exact_amounts(self) -> Any:
        """For a column of ``Decimal`` amounts, shared or packed: every row's amount as a whole number at one scale
        (:class:`cpsdk.store._vector.ExactAmounts`), made once and kept while no row is added. None for another
        column, or when an amount cannot be held so (see the module); NumPy is imported by the first call."""
        if self._kind is not Decimal or self.mode == "plain":
            return None
        if self._exact is None or self._exact[0] != len(self):
            from cpsdk.store import _vector

            if self.mode == "shared":
                made = _vector.from_values(self.values, _vector.numbers(self.codes))
            else:
                made = _vector.from_texts(
                    (joined, _vector.chunk_ends(ends, lengths, _BLOCK), nulls)
                    for joined, ends, lengths, nulls in self._text_chunks()
                )
            self._exact = (len(self), made)
        return self._exact[1]

    def _text_chunks(self) -> Iterator[tuple[str, array[int], list[int], bytearray | None]]:
        """A packed column's texts, :data:`_CHUNK` blocks at a time: the blocks' strings joined, each row's end in
        its block, each block's length, and the rows' marks of no value (None when the column has none)."""
        blocks = [*self.blocks, "".join(self._pending)] if self._pending else self.blocks
        for first in range(0, len(blocks), _CHUNK):
            chosen = blocks[first : first + _CHUNK]
            rows = slice(first << _SHIFT, (first + _CHUNK) << _SHIFT)
            nulls = None if self._nulls is None else self._nulls[rows]
            yield "".join(chosen), self._ends[rows], list(map(len, chosen)), nulls

    def value_types(self) -> set[type]:
        """The types of the values the column holds (for a shared column, perhaps also of a value no row holds):
        known without reading a packed column's rows."""
        if self.mode == "packed":
            assert self._kind is not None
            nulls = self._nulls
            return {self._kind, type(None)} if nulls is not None and any(nulls) else {self._kind}
        return set(map(type, self.values if self.mode == "shared" else self.objects))

    def rows_with_text(self, rows: range, needles: str) -> Iterator[int] | None:
        """For a packed column and ``rows`` of step 1: the positions (in ``rows``) of the rows whose stored text
        holds any of the characters ``needles`` (a row of no value has no text), found by searching each block's
        string once and cutting only the blocks that hold one. None for a shared or plain column."""
        if self.mode != "packed" or rows.step != 1 or self._pending:  # (pending: not finished, not readable yet)
            return None
        return self._rows_with_text(rows, needles)

    def _rows_with_text(self, rows: range, needles: str) -> Iterator[int]:
        blocks, ends, start_row = self.blocks, self._ends, rows.start
        for block, first, last in self._blocks_of(rows):
            string = blocks[block]
            if not any(needle in string for needle in needles):
                continue
            base = block << _SHIFT
            for row in range(first, last):
                start = ends[row - 1] if row > base else 0
                text = string[start : ends[row]]
                if any(needle in text for needle in needles):
                    yield row - start_row

    def iterate(self, rows: Iterable[int]) -> Iterator[Any]:
        """The values of ``rows``, in order, without making anything else."""
        if self.mode == "shared":
            return map(self.values.__getitem__, map(self.codes.__getitem__, rows))
        if self.mode == "plain":
            return map(self.objects.__getitem__, rows)
        if isinstance(rows, range) and rows.step == 1:
            return itertools.chain.from_iterable(map(self._block_values, self._blocks_of(rows)))
        if isinstance(rows, array) and len(rows) > _BLOCK and _ascending(rows):
            return itertools.chain.from_iterable(self._picked(rows))
        return map(self._packed, rows)

    def _picked(self, rows: array[int]) -> Iterator[list[Any]]:
        """The values of ``rows`` (ascending), block by block: the rows of a block many of them are in are cut from
        its string and converted in bulk (only those rows); a block few of them are in, row by row."""
        at = 0
        nulls = self._nulls
        while at < len(rows):
            block = rows[at] >> _SHIFT
            stop = bisect.bisect_left(rows, (block + 1) << _SHIFT, at)
            if (stop - at) * 32 < _BLOCK:
                yield list(map(self._packed, rows[at:stop]))
                at = stop
                continue
            first = block << _SHIFT
            # where each row of the block starts in its string, and the last row's end
            offsets = [0, *self._ends[first : min(first + _BLOCK, len(self._ends))]]
            string = self.blocks[block]
            texts = [string[offsets[row] : offsets[row + 1]] for row in map(first.__rsub__, rows[at:stop])]
            yield self._values(texts, None if nulls is None else list(map(nulls.__getitem__, rows[at:stop])))
            at = stop

    def _blocks_of(self, rows: range) -> Iterator[tuple[int, int, int]]:
        """The (block, first, last + 1) row ranges that cover ``rows``, block by block."""
        if not rows:
            return
        for block in range(rows.start >> _SHIFT, ((rows.stop - 1) >> _SHIFT) + 1):
            yield block, max(rows.start, block << _SHIFT), min(rows.stop, (block + 1) << _SHIFT)

    def _block_values(self, span: tuple[int, int, int]) -> list[Any]:
        """The values of rows ``first`` to ``last`` of one block, cut and converted in bulk."""
        block, first, last = span
        texts = _cut(self.blocks[block], self._ends[first - 1] if first & _LOW else 0, self._ends[first:last])
        return self._values(texts, None if self._nulls is None else self._nulls[first:last])

    def _values(self, texts: list[str], nulls: Sequence[int] | None) -> list[Any]:
        """The values of texts cut from a block, converted in bulk (``nulls``: each one's mark of no value)."""
        decode = self._decode
        if nulls is not None and any(nulls):
            return [
                None if null else text if decode is None else decode(text)
                for null, text in zip(nulls, texts, strict=True)
            ]
        return texts if decode is None else list(map(decode, texts))
