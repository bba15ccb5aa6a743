"""Records as bytes and back: the store's columns written out as they are held, for a cache of loaded datasets.

A dump is a header (msgpack) and sections of raw bytes: each column's row numbers (``array``
bytes), a packed column's texts (UTF-8, block by block) and offsets, and the distinct values of a
shared column, encoded by type (texts and numbers as they are; a ``Decimal`` as its text, a date
as its ordinal, a member of an enumeration as its value, a tuple or a nested record item by item).
Nothing is pickled: restoring reads only data, and makes only values of the types the record class
declares for each field (``types`` names the enumerations and nested record classes allowed).

A dump is as trusted as where it is kept: restoring checks every length, count, row number and
value type it can check without reading each row, and raises :class:`DumpError` for anything out
of place, but it does not read each packed text (which :class:`~cpsdk.store._columns.Column` turns
into a value when a row is read). The cache that keeps dumps (``cpsdk.datasets._cache``) authenticates
each file before restoring it.
"""

from __future__ import annotations

import datetime
import enum
import functools
import itertools
import sys
import typing
from array import array
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import msgspec

from cpsdk.store._columns import _BLOCK, Column
from cpsdk.store._records import Records, RecordsBuilder, _field_kinds, _Table


class DumpError(ValueError):
    """A dump that cannot be restored: truncated, corrupted, or not of these records."""


class _Part(msgspec.Struct, array_like=True):
    """Where a section lies in the body: offset and length in bytes."""

    offset: int
    length: int


class ColumnDump(msgspec.Struct, forbid_unknown_fields=True):
    """One column: its mode and the sections (or encoded values) it is made of."""

    name: str
    mode: str
    codes: str = "B"
    rows: _Part | None = None  # shared: the row numbers
    values: Any = None  # shared: the distinct values; plain: every row's value (encoded)
    texts: _Part | None = None  # packed: the blocks' UTF-8 bytes
    block_bytes: list[int] = []  # packed: each block's length in bytes
    ends: _Part | None = None  # packed: each row's end offset in its block
    nulls: _Part | None = None  # packed: one byte a row, 1 for None


class TableDump(msgspec.Struct, forbid_unknown_fields=True):
    """One collection of records: how many, and each column."""

    rows: int
    columns: list[ColumnDump]


# ---- values ------------------------------------------------------------------------------------------------


def _encode_value(value: Any, types: Mapping[type, str]) -> Any:
    """A value as msgpack-ready data, tagged by type where msgpack alone would not say it."""
    if value is None or type(value) in (str, bool):
        return value
    if type(value) is int:
        return value if -(2**63) <= value < 2**64 else ["i", str(value)]
    if type(value) is Decimal:
        return ["d", str(value)]
    if type(value) is datetime.date:
        return ["t", value.toordinal()]
    if type(value) is tuple:
        return ["u", [_encode_value(item, types) for item in value]]
    name = types.get(type(value))
    if name is not None and isinstance(value, enum.Enum):
        return ["e", name, value.value]
    if name is not None and attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return ["r", name, [_encode_value(getattr(value, field.name), types) for field in fields]]
    raise TypeError(f"a {type(value).__name__} cannot be dumped")


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls))


def _decode_value(data: Any, classes: Mapping[str, type]) -> Any:
    """A value from what :func:`_encode_value` made; DumpError for anything else."""
    if data is None or type(data) in (str, bool, int):
        return data
    if type(data) is not list or not data or type(data[0]) is not str:
        raise DumpError("a value of no known form")
    tag = data[0]
    try:
        if tag == "i" and len(data) == 2 and type(data[1]) is str and len(data[1]) <= 5000:
            return int(data[1])
        if tag == "d" and len(data) == 2 and type(data[1]) is str and len(data[1]) <= 200:
            number = Decimal(data[1])
            if not number.is_finite():
                raise DumpError("an amount that is not a number")
            return number
        if tag == "t" and len(data) == 2 and type(data[1]) is int:
            return datetime.date.fromordinal(data[1])
        if tag == "u" and len(data) == 2 and type(data[1]) is list:
            return tuple(_decode_value(item, classes) for item in data[1])
        if tag in ("e", "r") and len(data) == 3 and type(data[1]) is str:
            cls = classes.get(data[1])
            if cls is not None and tag == "e" and issubclass(cls, enum.Enum):
                return cls(data[2])
            if cls is not None and tag == "r" and attrs.has(cls) and type(data[2]) is list:
                names = _field_names(cls)
                if len(names) != len(data[2]):
                    raise DumpError("a nested record of another shape")
                return cls(**dict(zip(names, [_decode_value(v, classes) for v in data[2]], strict=True)))
    except (ValueError, TypeError, OverflowError, InvalidOperation) as exc:
        raise DumpError(f"a value that does not read back: {exc}") from None
    raise DumpError(f"a value of no known form ({tag!r})")


def _encode_values(values: Sequence[Any], types: Mapping[type, str]) -> Any:
    """A list of values, in the quickest form its types allow: texts (or None) as they are, amounts as their
    texts, dates as their ordinals, tuples of texts as lists; anything else value by value, tagged."""
    kinds = set(map(type, values)) - {type(None)}
    if kinds <= {str}:
        return ["s", list(values)]
    if kinds == {Decimal}:
        return ["ds", [None if value is None else str(value) for value in values]]
    if kinds == {datetime.date}:
        return ["dt", [None if value is None else value.toordinal() for value in values]]
    if kinds == {tuple} and set(map(type, itertools.chain.from_iterable(filter(None, values)))) <= {str}:
        return ["ts", [None if value is None else list(value) for value in values]]
    return ["v", [_encode_value(value, types) for value in values]]


def _decode_values(data: Any, classes: Mapping[str, type], kind: Any) -> list[Any]:
    """The values :func:`_encode_values` encoded, each of a type a field of ``kind`` holds (or DumpError)."""
    if type(data) is not list or len(data) != 2 or type(data[1]) is not list:
        raise DumpError("values of no known form")
    form, items = data
    present = [item for item in items if item is not None] if None in items else items
    types = set(map(type, present))
    try:
        if form == "s" and types <= {str} and (kind is str or not present):
            return items  # type: ignore[no-any-return]
        if form == "ds" and types <= {str} and (kind is Decimal or not present):
            made = {text: Decimal(text) for text in set(present) if len(text) <= 200}
            if len(made) != len(set(present)) or not all(value.is_finite() for value in made.values()):
                raise DumpError("an amount that is not a number")
            return [None if item is None else made[item] for item in items]
        if form == "dt" and types <= {int} and (kind is datetime.date or not present):
            return [None if item is None else datetime.date.fromordinal(item) for item in items]
        if form == "ts" and types <= {list} and set(map(type, itertools.chain.from_iterable(present))) <= {str}:
            if present and not _holds_tuples(kind):
                raise DumpError("lists in a column of no tuples")
            return [None if item is None else tuple(item) for item in items]
    except (ValueError, TypeError, OverflowError, InvalidOperation) as exc:
        raise DumpError(f"values that do not read back: {exc}") from None
    if form == "v":
        values = [_decode_value(item, classes) for item in items]
        if not all(_fits(value, kind) for value in values):
            raise DumpError("a value of another type than its column's")
        return values
    raise DumpError("values of no known form")


def _holds_tuples(kind: Any) -> bool:
    return typing.get_origin(kind) is tuple


def _fits(value: Any, kind: Any) -> bool:
    """True when ``value`` may be held by a field whose values are ``kind`` (None in any; anything in a plain
    column, ``kind`` Any, which holds values of other types than its field's)."""
    if value is None or kind is Any:
        return True
    if kind is Any or not isinstance(kind, type):
        return isinstance(value, tuple)  # ``tuple[X, ...]``: each item was decoded by type already
    return type(value) is kind or (issubclass(kind, enum.Enum) and isinstance(value, kind))


# ---- writing -----------------------------------------------------------------------------------------------


class _Body:
    """The sections of a dump as they are added, and where each lies."""

    def __init__(self) -> None:
        self.pieces: list[bytes | memoryview] = []
        self.size = 0

    def add(self, data: bytes | memoryview) -> _Part:
        part = _Part(self.size, len(data))
        self.pieces.append(data)
        self.size += len(data)
        return part


def dump_records(records: Records[Any], types: Mapping[type, str], body: _Body) -> TableDump:
    """The columns of ``records`` (a whole collection, as a load makes it), their sections added to ``body``."""
    table = records._table
    if records._rows != range(len(table)):
        raise TypeError("only a whole collection is dumped")
    columns = []
    for name, column in table.columns.items():
        column.finish()
        if column.mode == "shared":
            rows = body.add(memoryview(column.codes).cast("B"))
            columns.append(
                ColumnDump(name, "shared", column.codes.typecode, rows, _encode_values(column.values, types))
            )
        elif column.mode == "packed":
            encoded = [block.encode("utf-8", "surrogatepass") for block in column.blocks]
            texts = body.add(b"".join(encoded))
            ends = body.add(memoryview(column._ends).cast("B"))
            nulls = body.add(bytes(column._nulls)) if column._nulls is not None else None
            columns.append(
                ColumnDump(name, "packed", texts=texts, block_bytes=[len(b) for b in encoded], ends=ends, nulls=nulls)
            )
        else:
            columns.append(ColumnDump(name, "plain", values=_encode_values(column.objects, types)))
    return TableDump(len(table), columns)


# ---- reading -----------------------------------------------------------------------------------------------


def restore_records(
    record_class: type, dumped: TableDump, section: Callable[[_Part], memoryview], classes: Mapping[str, type]
) -> Records[Any]:
    """The records ``dumped`` describes, their sections read through ``section``; DumpError if out of place."""
    kinds = dict(_field_kinds(record_class))
    if [column.name for column in dumped.columns] != list(kinds):
        raise DumpError(f"the columns of {record_class.__name__} differ")
    rows = dumped.rows
    if not 0 <= rows < 2**32:
        raise DumpError("a count out of range")
    columns = {}
    for column_dump in dumped.columns:
        column = Column(kinds[column_dump.name])
        _restore_column(column, column_dump, rows, section, classes, kinds[column_dump.name])
        columns[column_dump.name] = column
    if not columns:
        return RecordsBuilder(record_class).build()
    return Records(_Table(record_class, columns), range(rows))


def _within(codes: array[int], count: int) -> bool:
    """True when every row number in ``codes`` is below ``count`` (a byte's row numbers checked by deleting the
    allowed ones, many times faster than reading each)."""
    if not codes or count >= 1 << (8 * codes.itemsize):
        return True
    if codes.typecode == "B":
        return not codes.tobytes().translate(None, bytes(range(count)))
    return max(codes) < count


def _restore_column(
    column: Column,
    dumped: ColumnDump,
    rows: int,
    section: Callable[[_Part], memoryview],
    classes: Mapping[str, type],
    kind: Any,
) -> None:
    if dumped.mode == "shared":
        if dumped.rows is None or dumped.codes not in ("B", "H", "I"):
            raise DumpError("a shared column without its rows")
        codes = array(dumped.codes)
        data = section(dumped.rows)
        if len(data) != rows * codes.itemsize:
            raise DumpError("a shared column of another length")
        codes.frombytes(data)
        if sys.byteorder != "little":
            codes.byteswap()
        values = _decode_values(dumped.values, classes, kind)
        if not _within(codes, len(values)):
            raise DumpError("a shared column's rows name values it does not have")
        column.values, column.codes = values, codes
    elif dumped.mode == "packed":
        if dumped.texts is None or dumped.ends is None or column._kind is None:
            raise DumpError("a packed column without its texts")
        blocks_needed = (rows + _BLOCK - 1) // _BLOCK
        if len(dumped.block_bytes) != blocks_needed or sum(dumped.block_bytes) != dumped.texts.length:
            raise DumpError("a packed column of another length")
        text = section(dumped.texts)
        blocks = []
        start = 0
        try:
            for length in dumped.block_bytes:
                blocks.append(str(text[start : start + length], "utf-8"))
                start += length
        except UnicodeDecodeError:
            raise DumpError("a packed column's texts are not UTF-8") from None
        ends = array("I")
        data = section(dumped.ends)
        if len(data) != rows * ends.itemsize:
            raise DumpError("a packed column's offsets of another length")
        ends.frombytes(data)
        if sys.byteorder != "little":
            ends.byteswap()
        for number, block in enumerate(blocks):  # each block's last offset is its length
            last = min(rows, (number + 1) * _BLOCK) - 1
            if ends[last] != len(block):
                raise DumpError("a packed column's offsets do not match its texts")
        if dumped.nulls is not None:
            nulls = bytearray(section(dumped.nulls))
            if len(nulls) != rows or not set(nulls) <= {0, 1}:
                raise DumpError("a packed column's missing values of another length")
            column._nulls = nulls
        column.mode = "packed"
        column.blocks, column._ends = blocks, ends
        column.append = column._pack
    elif dumped.mode == "plain":
        objects = _decode_values(dumped.values, classes, Any)
        if len(objects) != rows:
            raise DumpError("a plain column of another length")
        column.mode = "plain"
        column.objects = objects
        column.append = objects.append
    else:
        raise DumpError(f"a column of no known mode ({dumped.mode!r})")
    column.finish()
