"""Records found by a key field (an id, a 统一社会信用代码, the proposal an effect names).

A ``dict`` from a million ids to their records holds a million id texts and entries:
about 150 MB, a third of what the whole country's dataset may take. :class:`KeyIndex`
keeps, for each distinct key, only its group's number in an open-addressing table of
four-byte slots, with a byte of the key's hash beside each, and compares keys by reading
them from the records' column when a slot's byte matches: about 20 bytes a record. Records
with equal keys form one group, in the order they come; a group's first record is the one a
lookup by key finds.

:class:`RecordsByKey` and :class:`RecordGroups` are the read-only mappings a
:class:`~cpsdk.Dataset` offers on top (``proposal_by_id``, ``effects_by_proposal``).
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from cpsdk.store._records import Records

R = TypeVar("R")
V = TypeVar("V")

#: The table has at least this many slots per key, so probes stay short.
_SLOTS_PER_KEY = 1.5
#: Where a slot's byte of the hash is taken from: bits above any table's place (a table has fewer than 2**32 slots).
_TAG_SHIFT = 40


class KeyIndex:
    """The positions of ``records`` by the value of their field ``key``, grouped by equal values.

    Groups are numbered in the order their first record comes. While every key is distinct (an
    index of ids), a group's number is its record's position and nothing else is stored.
    """

    __slots__ = ("_count", "_first", "_group_of", "_key_at", "_mask", "_order", "_slots", "_starts", "_tags")

    def __init__(self, records: Records[Any], key: str) -> None:
        self._count = count = len(records)
        size = 1 << max(3, int(count * _SLOTS_PER_KEY).bit_length())
        self._mask = mask = size - 1
        self._slots = slots = array("I", [0]) * size  # a group's number + 1; 0 is an empty slot
        # Beside each slot, a byte of its key's hash (bits the slot's place does not use): a key is read from the
        # column to be compared only when it matches, not at every slot a probe passes (reading one cuts its text).
        self._tags = tags = bytearray(size)
        self._key_at = key_at = records.getter(key)
        first: array[int] | None = None  # group → position of its first record, once a key repeats
        group_of: array[int] | None = None  # position → its group, once a key repeats
        for position, key_value in enumerate(records.column(key)):
            hashed = hash(key_value)
            slot = hashed & mask
            tag = (hashed >> _TAG_SHIFT) & 0xFF
            while True:
                stored = slots[slot]
                if not stored:
                    if first is None:
                        group = position
                    else:
                        group = len(first)
                        first.append(position)
                    slots[slot] = group + 1
                    tags[slot] = tag
                    break
                group = stored - 1
                if tags[slot] == tag and key_at(group if first is None else first[group]) == key_value:
                    if first is None:  # the first repeat: until here, each group was its one record
                        first, group_of = array("I", range(position)), array("I", range(position))
                    break
                slot = (slot + 1) & mask
            if group_of is not None:
                group_of.append(group)
        self._first, self._group_of = first, group_of
        self._starts: array[int] | None = None
        self._order: array[int] | None = None

    def __len__(self) -> int:
        """The number of distinct keys."""
        return self._count if self._first is None else len(self._first)

    def group(self, key_value: Hashable) -> int | None:
        """The group of records whose key equals ``key_value``, if any."""
        try:
            hashed = hash(key_value)
        except TypeError:
            return None  # an unhashable value is no record's key
        slots, tags, first, key_at, mask = self._slots, self._tags, self._first, self._key_at, self._mask
        slot = hashed & mask
        tag = (hashed >> _TAG_SHIFT) & 0xFF
        while True:
            stored = slots[slot]
            if not stored:
                return None
            if tags[slot] == tag and key_at(stored - 1 if first is None else first[stored - 1]) == key_value:
                return stored - 1
            slot = (slot + 1) & mask

    def first(self, group: int) -> int:
        """The position of the first record of ``group``."""
        return group if self._first is None else self._first[group]

    def positions(self, group: int) -> array[int] | range:
        """The positions of every record of ``group``, in order."""
        if self._first is None:
            return range(group, group + 1)
        starts, order = self._grouped()
        return order[starts[group] : starts[group + 1]]

    def repeats(self) -> Iterator[int]:
        """The positions of records whose key equals an earlier record's, in order."""
        first, group_of = self._first, self._group_of
        if first is None or group_of is None:
            return iter(())
        return (position for position, group in enumerate(group_of) if first[group] != position)

    def keys(self) -> Iterator[Any]:
        """Each distinct key once, in the order of first appearance."""
        return map(self._key_at, range(self._count) if self._first is None else self._first)

    def _grouped(self) -> tuple[array[int], array[int]]:
        """Positions ordered by group (a counting sort), and where each group starts in that order."""
        if self._starts is None or self._order is None:
            group_of = self._group_of
            assert group_of is not None
            counts = array("I", [0]) * (len(self) + 1)
            for group in group_of:
                counts[group + 1] += 1
            for group in range(1, len(counts)):
                counts[group] += counts[group - 1]
            starts = array("I", counts)
            order = array("I", [0]) * len(group_of)
            for position, group in enumerate(group_of):
                order[counts[group]] = position
                counts[group] += 1
            self._starts, self._order = starts, order
        return self._starts, self._order


class _Keyed(Mapping[Any, V], Generic[R, V]):
    """A read-only mapping from the values of a field to what the records with each value give."""

    __slots__ = ("_index", "_records")

    def __init__(self, records: Records[R], key: str) -> None:
        self._records = records
        self._index = KeyIndex(records, key)

    def _value(self, group: int) -> V:
        raise NotImplementedError

    def __getitem__(self, key_value: Any) -> V:
        group = self._index.group(key_value)
        if group is None:
            raise KeyError(key_value)
        return self._value(group)

    def get(self, key_value: Any, default: Any = None) -> Any:
        group = self._index.group(key_value)
        return default if group is None else self._value(group)

    def __contains__(self, key_value: object) -> bool:
        return self._index.group(key_value) is not None

    def __iter__(self) -> Iterator[Any]:
        return self._index.keys()

    def __len__(self) -> int:
        return len(self._index)

    def positions(self, key_value: Any) -> array[int] | range:
        """The positions in the collection of every record with ``key_value`` (none if there is none)."""
        group = self._index.group(key_value)
        return range(0) if group is None else self._index.positions(group)


class RecordsByKey(_Keyed[R, R]):
    """Records by the value of a key field: the first record with each value (read-only)."""

    __slots__ = ()

    def _value(self, group: int) -> R:
        return self._records[self._index.first(group)]

    def position(self, key_value: Any) -> int | None:
        """The position in the collection of the first record with ``key_value``."""
        group = self._index.group(key_value)
        return None if group is None else self._index.first(group)

    def repeats(self) -> Iterator[int]:
        """The positions of records whose key equals an earlier record's, in order."""
        return self._index.repeats()


class RecordGroups(_Keyed[R, tuple[R, ...]]):
    """Records grouped by the value of a field, e.g. effects by the proposal they name (read-only).

    Each group is a tuple of the records with that value, in the collection's order.
    """

    __slots__ = ()

    def _value(self, group: int) -> tuple[R, ...]:
        return tuple(map(self._records.__getitem__, self._index.positions(group)))
