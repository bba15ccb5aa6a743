"""Passes over columns in NumPy: a ``Decimal`` column's amounts as exact whole numbers, and their sums by group.

A build sums a country's amounts by region, year and metric. In Python each amount is made a ``Decimal`` from its
text and added, a step of Python per record; here the texts of a whole column are made whole numbers at once (the
digits without the point, and the places after it) and summed in machine integers. Every sum is exact: an amount
of more than 18 digits, a text that is not plain digits with a point and a sign (``1E+2``), or sums that could
pass what 64 bits hold, and the caller adds ``Decimal``\\ s as before.

This module is imported by the first pass that uses it, never at start: NumPy takes tens of milliseconds to import.
"""

from __future__ import annotations

import decimal
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

#: The digits an amount may have to be held as a whole number (10**18 < 2**63).
_MOST_DIGITS = 18
_POWERS = 10 ** np.arange(_MOST_DIGITS + 1, dtype=np.int64)
#: The bytes an amount's text may hold to be read here: digits, a point and a minus sign.
_PLAIN = np.zeros(256, dtype=bool)
_PLAIN[np.frombuffer(b"0123456789.-", dtype=np.uint8)] = True
#: A bound on what a sum may reach, under 2**63 with room for the float arithmetic that checks it.
_SUM_BOUND = float(2**62)

Integers = npt.NDArray[np.int64]


class ExactAmounts:
    """The amounts of a column of ``Decimal`` values, row by row, as whole numbers: row ``i``'s amount is
    ``scaled[i] / 10**scale``, and ``places[i]`` the places its own text has after the point (``max(0,
    -exponent)``). ``present`` marks the rows that hold an amount (None when they all do)."""

    __slots__ = ("largest", "places", "present", "scale", "scaled")

    def __init__(self, scaled: Integers, scale: int, places: npt.NDArray[np.int8], present: Any) -> None:
        self.scaled = scaled
        self.scale = scale
        self.places = places
        self.present = present
        #: The largest magnitude of a row, to bound a sum of rows without adding them.
        self.largest = float(max(scaled.max(), -scaled.min())) if len(scaled) else 0.0  # (no array of magnitudes)


def from_texts(chunks: Iterable[tuple[str, Integers, bytes | bytearray | None]]) -> ExactAmounts | None:
    """The exact amounts of a column's texts, given a chunk at a time (so that the passes' arrays stay small): each
    chunk's texts joined in one string, each text's end offset in it, and the marks of the rows of no amount (their
    text empty; None when none). None when a text is not plain (digits, at most one point, a leading minus) or has
    more than 18 digits, there or once put to the column's most places."""
    parts = []
    for joined, ends, nulls in chunks:
        part = _read(joined, ends, nulls)
        if part is None:
            return None
        parts.append(part)
    places = np.concatenate([part[1] for part in parts] or [np.zeros(0, dtype=np.int8)])
    absent = np.concatenate([part[2] for part in parts] or [np.zeros(0, dtype=np.bool_)])
    scale = int(places.max(initial=0))
    if max((part[3] for part in parts), default=0) + scale > _MOST_DIGITS:
        return None
    scaled = np.empty(len(places), dtype=np.int64)
    at = 0
    while parts:  # (each chunk's numbers let go of once scaled)
        whole, shown, _, _ = parts.pop(0)
        scaled[at : at + len(whole)] = whole * _POWERS[scale - shown] if scale else whole
        at += len(whole)
    return ExactAmounts(scaled, scale, places, ~absent if absent.any() else None)


def _read(
    joined: str, ends: Integers, nulls: bytes | bytearray | None
) -> tuple[Integers, npt.NDArray[np.int8], npt.NDArray[np.bool_], int] | None:
    """One chunk of :func:`from_texts`: each row's digits as a whole number, its places, and whether it has no
    amount; and the most digits a row has before its places (its digits less its places)."""
    count = len(ends)
    try:
        raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    except UnicodeEncodeError:
        return None
    if not _PLAIN[raw].all():
        return None
    starts = np.zeros(count, dtype=np.int64)
    starts[1:] = ends[:-1]
    absent = np.zeros(count, dtype=np.bool_) if nulls is None else np.frombuffer(bytes(nulls), dtype=np.bool_)
    dots = np.flatnonzero(raw == ord("."))
    dotted = np.searchsorted(ends, dots, side="right")  # the row of each point
    minus = np.flatnonzero(raw == ord("-"))
    signed = np.searchsorted(ends, minus, side="right")
    if (dotted[1:] == dotted[:-1]).any() or (minus != starts[signed]).any():
        return None  # two points in a text, or a minus sign not leading it
    places = np.zeros(count, dtype=np.int8)
    places[dotted] = ends[dotted] - dots - 1
    digits = ends - starts
    digits[dotted] -= 1
    digits[signed] -= 1
    if (digits[~absent] <= 0).any() or (digits[absent] != 0).any() or int(digits.max(initial=0)) > _MOST_DIGITS:
        return None  # a text of no digits (".", "-"), or of too many
    # A zero for each row of no amount and a separator after each text, the points left out: whole numbers that
    # NumPy's text reader takes in one call.
    if absent.any():
        raw = np.insert(raw, starts[absent], np.uint8(ord("0")))
        ends = ends + np.cumsum(absent)  # (each row's end moved by the zeros put before it, and its own)
    separated = np.insert(raw, ends[:-1], np.uint8(ord(",")))
    separated = separated[separated != ord(".")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            whole = np.fromstring(separated.tobytes(), dtype=np.int64, sep=",")
        except (ValueError, DeprecationWarning):
            return None
    if len(whole) != count:
        return None
    return whole, places, absent, int((digits - places).max(initial=0))


def numbers(codes: Any) -> npt.NDArray[Any]:
    """A shared column's numbers (an ``array`` of ``B``, ``H`` or ``I``) as a NumPy array over the same memory."""
    return np.frombuffer(codes, dtype=codes.typecode) if len(codes) else np.zeros(0, dtype=codes.typecode)


def positions(rows: range | Any, total: int) -> npt.NDArray[np.intp] | None:
    """A view's rows in its table of ``total`` rows (a ``range``, or an ``array`` of ``I``) as a NumPy array; None
    when they are all of them, in order."""
    if isinstance(rows, range):
        if rows == range(total):
            return None
        return np.arange(rows.start, rows.stop, rows.step, dtype=np.intp)
    return numbers(rows).astype(np.intp)


#: Rows a pass over a large view reads at a time: its arrays stay a few megabytes however many rows there are.
_AT_ONCE = 1 << 18

#: Each field's part numbers as :meth:`Records._grouping` gives them: ``(table, codes)``, a row's number being
#: ``codes[row]``, or ``table[codes[row]]`` with a table.
Numbered = Sequence[tuple[list[int] | None, Sequence[int]]]


class Grouping:
    """The rows of a view grouped by several fields' numbers (``numbered``, each times its ``stride``, added: one
    number per row, under ``combinations``), read a chunk of rows at a time: the view's ``count`` rows are ``rows``
    of a table of ``total``."""

    def __init__(
        self, numbered: Numbered, strides: Sequence[int], combinations: int, rows: range | Any, total: int
    ) -> None:
        self.combinations = combinations
        self.count = len(rows)
        self._fields = [
            (None if table is None else np.asarray(table, dtype=np.int64), codes, stride)
            for (table, codes), stride in zip(numbered, strides, strict=True)
        ]
        self._rows = rows
        self._total = total

    def dense(self) -> bool:
        """Whether an array of every combination is small enough beside the rows (else the keys met are found)."""
        return self.combinations <= 2 * self.count + 1024

    def chunks(self) -> Iterator[tuple[int, int, Integers, slice | npt.NDArray[np.intp]]]:
        """``(start, stop, keys, table rows)`` of the view's rows from ``start`` to ``stop``, chunk by chunk."""
        rows = self._rows
        picked = numbers(rows) if not isinstance(rows, range) else None
        for start in range(0, self.count, _AT_ONCE):
            stop = min(start + _AT_ONCE, self.count)
            if picked is not None:
                table_rows: slice | npt.NDArray[np.intp] = picked[start:stop].astype(np.intp)
            elif rows.step == 1:
                table_rows = slice(rows.start + start, rows.start + stop)
            else:
                table_rows = np.arange(rows[start], rows.start + stop * rows.step, rows.step, dtype=np.intp)
            yield start, stop, self._keys(start, stop), table_rows

    def _keys(self, start: int, stop: int) -> Integers:
        keys = np.zeros(stop - start, dtype=np.int64)
        for table, codes, stride in self._fields:
            if hasattr(codes, "typecode"):
                found: npt.NDArray[Any] = numbers(codes)[start:stop]
            else:
                found = np.asarray(codes[start:stop], dtype=np.int64)
            if table is not None:
                found = table[found]
            keys += found * stride if stride != 1 else found
        return keys

    def keys(self) -> Integers:
        """Every row's number."""
        return np.concatenate([keys for _, _, keys, _ in self.chunks()] or [np.zeros(0, dtype=np.int64)])


def chosen(passed: list[bool], codes: Any) -> npt.NDArray[np.intp] | None:
    """The positions of the rows whose value's number (``codes``, an ``array``) is of a value that ``passed`` (by
    number); None when every row's is."""
    picked = np.array(passed, dtype=np.bool_)[numbers(codes)]
    if picked.all():
        return None
    return np.flatnonzero(picked)


def passing(tables: Sequence[Sequence[Any]], codes: Sequence[Any], test: Callable[..., object]) -> list[int] | None:
    """The positions of the rows whose values (row ``i``'s value of column ``c`` is ``tables[c][codes[c][i]]``)
    pass ``test``, called once per combination of values the rows hold, in order; None when the combinations
    are too many to number in 64 bits."""
    keys = np.zeros(len(codes[0]), dtype=np.int64)
    space = 1
    for table, column in zip(tables, codes, strict=True):
        size = max(len(table), 1)
        if space * size >= 1 << 62:
            return None
        keys *= size
        keys += numbers(column)
        space *= size
    dense = _dense(space, len(keys))
    held = np.flatnonzero(np.bincount(keys, minlength=space)) if dense else np.unique(keys)
    passed = [key for key in held.tolist() if test(*_values_of(key, tables))]
    if not passed:
        return []
    if dense:
        chosen = np.zeros(space, dtype=np.bool_)
        chosen[passed] = True
        return np.flatnonzero(chosen[keys]).tolist()  # type: ignore[no-any-return]
    return np.flatnonzero(np.isin(keys, passed)).tolist()  # type: ignore[no-any-return]


def _dense(space: int, rows: int) -> bool:
    """Whether :func:`passing` counts every combination in an array (costing no more than the rows' keys) rather
    than sorting the keys to find those held."""
    return space <= 4 * rows + 4096


def _values_of(key: int, tables: Sequence[Sequence[Any]]) -> list[Any]:
    """The values a combination's number (:func:`passing`) stands for, column by column."""
    values = []
    for table in reversed(tables):
        key, code = divmod(key, max(len(table), 1))
        values.append(table[code])
    values.reverse()
    return values


def held_numbers(codes: Any, count: int) -> list[int]:
    """The numbers (of ``count`` values) that a shared column's ``codes`` hold, each once, ascending."""
    return np.flatnonzero(np.bincount(numbers(codes), minlength=count)).tolist()  # type: ignore[no-any-return]


def repeats(keys: Iterable[Any], count: int, key_at: Callable[[int], Any]) -> list[int]:
    """The positions of the ``count`` ``keys`` (hashable) that equal an earlier one, in order: their hashes sorted
    (8 bytes a key, where a set of the keys takes about 100), and only the keys of equal hashes read again
    (``key_at``) and compared."""
    hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=count)
    order = np.argsort(hashes)
    ranked = hashes[order]
    del hashes
    same = ranked[1:] == ranked[:-1]
    if not same.any():
        return []
    shared = np.zeros(count, dtype=np.bool_)  # (by rank) a key whose hash another has
    shared[1:] |= same
    shared[:-1] |= same
    seen: set[Any] = set()
    found: list[int] = []
    for row in np.sort(order[shared]).tolist():
        key = key_at(row)
        if key in seen:
            found.append(row)
        else:
            seen.add(key)
    return found


def rows_of(chosen: npt.NDArray[np.intp], rows: range | Any, total: int) -> Any:
    """The table rows (an ``array`` of ``I``) at positions ``chosen`` of a view whose rows are ``rows``, in a table
    of ``total`` rows."""
    from array import array

    within = positions(rows, total)
    picked = chosen if within is None else within[chosen]
    found = array("I")
    found.frombytes(picked.astype(np.uint32).tobytes())
    return found


def picked_codes(codes: Any, rows: range | Any, total: int) -> Any:
    """A shared column's numbers (an ``array``) of a view's ``rows``, as an ``array`` of the same type."""
    from array import array

    within = positions(rows, total)
    found = array(codes.typecode)
    found.frombytes(numbers(codes)[within].tobytes() if within is not None else codes.tobytes())
    return found


def chunk_ends(ends: Any, lengths: Sequence[int], block: int) -> Integers:
    """Rows' end offsets in their blocks' strings joined (``ends``: each row's end in its block, an array of ``I``,
    the first row's block the first of ``lengths``; ``lengths``: each block's string's length; ``block``: rows per
    block)."""
    within = np.frombuffer(ends, dtype=np.uint32).astype(np.int64) if len(ends) else np.zeros(0, dtype=np.int64)
    bases = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=bases[1:])
    return within + np.repeat(bases, block)[: len(within)]


def from_values(values: Sequence[Any], codes: npt.NDArray[Any]) -> ExactAmounts | None:
    """The exact amounts of a shared column (its distinct ``values``, each ``Decimal`` or None, and each row's
    number in ``codes``), each value put to the values' most places once. None when a value is of another type, not
    finite, or has more than 18 digits there."""
    wholes: list[tuple[int, int]] = []  # each value's digits as a whole number, and its places
    for value in values:
        if value is None:
            wholes.append((0, 0))
            continue
        if type(value) is not Decimal or not value.is_finite():
            return None
        sign, numerals, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        whole = int("".join(map(str, numerals))) * 10 ** max(0, exponent)
        wholes.append((-whole if sign else whole, max(0, -exponent)))
    scale = max((shown for _, shown in wholes), default=0)
    scaled = [whole * 10 ** (scale - shown) for whole, shown in wholes]
    if scale > _MOST_DIGITS or any(abs(whole) >= 10**_MOST_DIGITS for whole in scaled):
        return None
    nulls = np.array([value is None for value in values], dtype=np.bool_)
    return ExactAmounts(
        np.array(scaled, dtype=np.int64)[codes],
        scale,
        np.array([shown for _, shown in wholes], dtype=np.int8)[codes],
        ~nulls[codes] if nulls.any() else None,
    )


def exact_context() -> bool:
    """Whether ``Decimal``'s present context adds these sums exactly and as summing in whole numbers does: enough
    digits for any sum that fits 64 bits, and a zero sum of opposite amounts positive (not so rounding down)."""
    context = decimal.getcontext()
    return context.prec >= 20 and context.rounding != decimal.ROUND_FLOOR


def group_totals(
    grouping: Grouping, amounts: ExactAmounts, zeros: bool
) -> tuple[Integers, Integers, npt.NDArray[np.int8]] | None:
    """The sums of a view's amounts (of the column ``amounts``) by ``grouping``, as whole numbers: the numbers met,
    in the order their first rows come, each one's sum, and its places (the most of its amounts': the sum is
    ``total / 10**places``, as ``Decimal(0)`` plus the amounts in order gives it). A row of no amount adds nothing,
    nor, with ``zeros`` False, a zero. None when the sums could pass what 64 bits hold."""
    size = grouping.combinations if grouping.dense() else grouping.count
    slots: list[Integers] = []  # the keys of the rows kept, when the keys met are numbered at the end
    chunks: list[tuple[Integers, npt.NDArray[np.int8], Integers]] = []
    totals = np.zeros(size, dtype=np.int64)
    most = np.zeros(size, dtype=np.int8)
    first = np.full(size, grouping.count, dtype=np.int64)
    bounded = amounts.largest * grouping.count < _SUM_BOUND
    magnitude = 0.0
    for start, stop, keys, rows in grouping.chunks():
        scaled, places, present = amounts.scaled[rows], amounts.places[rows], None
        if amounts.present is not None:
            present = amounts.present[rows]
        kept = present if zeros else (scaled != 0 if present is None else present & (scaled != 0))
        at = np.arange(start, stop, dtype=np.int64)
        if kept is not None:
            keys, scaled, places, at = keys[kept], scaled[kept], places[kept], at[kept]
        if not bounded:
            magnitude += float(np.abs(scaled).sum(dtype=np.float64))
            if magnitude >= _SUM_BOUND:
                return None
        if grouping.dense():
            np.add.at(totals, keys, scaled)
            np.maximum.at(most, keys, places)
            np.minimum.at(first, keys, at)
        else:
            slots.append(keys)
            chunks.append((scaled, places, at))
    if not grouping.dense() and chunks:  # too many combinations for an array of each: the keys met, numbered
        met, slot = np.unique(np.concatenate(slots), return_inverse=True)
        scaled, places, at = (np.concatenate(arrays) for arrays in zip(*chunks, strict=True))
        totals, most, first = totals[: len(met)], most[: len(met)], first[: len(met)]
        np.add.at(totals, slot, scaled)
        np.maximum.at(most, slot, places.astype(np.int8))
        np.minimum.at(first, slot, at)
    found = np.flatnonzero(first < grouping.count)
    found = found[np.argsort(first[found], kind="stable")]
    shown = most[found]
    numbers_met = met[found] if chunks else found
    return numbers_met, totals[found] // _POWERS[amounts.scale - shown], shown


def group_counts(grouping: Grouping) -> tuple[Integers, Integers]:
    """How many rows of a view there are by ``grouping``: the numbers met, in the order their first rows come, and
    each one's count."""
    if not grouping.dense():
        met, at, counted = np.unique(grouping.keys(), return_index=True, return_counts=True)
        order = np.argsort(at, kind="stable")
        return met[order], counted[order]
    counted = np.zeros(grouping.combinations, dtype=np.int64)
    first = np.full(grouping.combinations, grouping.count, dtype=np.int64)
    for start, stop, keys, _ in grouping.chunks():
        counted += np.bincount(keys, minlength=grouping.combinations)
        np.minimum.at(first, keys, np.arange(start, stop, dtype=np.int64))
    found = np.flatnonzero(counted)
    found = found[np.argsort(first[found], kind="stable")]
    return found, counted[found]


def decimals(totals: Integers, places: npt.NDArray[Any]) -> list[Decimal]:
    """``totals[i] / 10**places[i]`` as ``Decimal``\\ s, with those places."""
    return [Decimal(total).scaleb(-place) for total, place in zip(totals.tolist(), places.tolist(), strict=True)]


def converted_energy(
    count: int,
    converted: Sequence[tuple[tuple[Integers, Integers, npt.NDArray[np.int8]], int, int]],
    left_out: Integers,
    rounding_places: int,
) -> tuple[Integers, Integers, npt.NDArray[np.bool_]] | None:
    """Amounts converted by factors and added, per number (each under ``count``), rounded half up to
    ``rounding_places``: ``converted`` gives, in the order they are added, each metric's sums by number (the
    numbers met, their totals and places, as :func:`group_totals` gives them), and its factor as a whole number
    over a power of ten (``factor``, ``factor_places``). The numbers in ``left_out`` are not converted. The numbers
    converted, in the order they are first met, each one's sum rounded (as ``Decimal.quantize`` with
    ``ROUND_HALF_UP`` gives it) as a whole number of the last place, and whether it is negative (a negative sum
    rounding to zero gives ``-0``). None when a product could pass what 64 bits hold, or when the context has
    fewer than 28 digits."""
    if decimal.getcontext().prec < 28:
        return None
    skip = np.zeros(count, dtype=np.bool_)
    skip[left_out] = True
    order: list[Integers] = []
    shifts = [int(places.max(initial=0)) + factor_places for (_, _, places), _, factor_places in converted]
    scale = max([*shifts, rounding_places + 1])
    summed = np.zeros(count, dtype=np.int64)
    bound = 0.0
    for (met, totals, places), factor, factor_places in converted:
        kept = ~skip[met]
        met, totals, places = met[kept], totals[kept], places[kept]
        shift = scale - places.astype(np.int64) - factor_places
        bound += float(np.abs(totals).max(initial=0)) * factor * float(10 ** int(shift.max(initial=0)))
        if bound >= _SUM_BOUND or int(shift.max(initial=0)) > _MOST_DIGITS:
            return None
        summed[met] += totals * factor * _POWERS[shift]
        order.append(met)
    met_all = np.concatenate(order) if order else np.zeros(0, dtype=np.int64)
    _, first = np.unique(met_all, return_index=True)
    met_all = met_all[np.sort(first)]
    exact = summed[met_all]
    unit = int(_POWERS[scale - rounding_places])
    rounded = (np.abs(exact) + unit // 2) // unit
    negative = exact < 0
    return met_all, np.where(negative, -rounded, rounded), negative


def signed_decimals(wholes: Integers, negative: npt.NDArray[np.bool_], places: int) -> list[Decimal]:
    """``wholes[i] / 10**places`` as ``Decimal``\\ s with those places, a zero marked ``negative`` made ``-0``."""
    return [
        Decimal(whole).scaleb(-places) if whole or not minus else Decimal((1, (0,), -places))
        for whole, minus in zip(wholes.tolist(), negative.tolist(), strict=True)
    ]


def total(parts: Iterable[tuple[Integers, npt.NDArray[Any] | int]]) -> Decimal | None:
    """The sum of the amounts that are not zero among ``parts`` (each whole numbers and their places, one place
    for all or one each), as ``Decimal(0)`` plus them gives it; None when it could pass what 64 bits hold."""
    kept = []
    for wholes, places in parts:
        shown = np.broadcast_to(np.asarray(places, dtype=np.int64), wholes.shape)
        nonzero = wholes != 0
        kept.append((wholes[nonzero], shown[nonzero]))
    scale = max((int(shown.max(initial=0)) for _, shown in kept), default=0)
    if not any(len(wholes) for wholes, _ in kept):
        return Decimal(0)
    summed = 0
    for wholes, shown in kept:
        shift = scale - shown
        if int(shift.max(initial=0)) > _MOST_DIGITS:
            return None
        magnitude = float(np.abs(wholes).astype(np.float64) @ (10.0 ** shift.astype(np.float64)))
        if magnitude >= _SUM_BOUND:
            return None
        summed += int((wholes * _POWERS[shift]).sum())  # (each part's sum fits: added as Python's numbers)
    return Decimal(summed).scaleb(-scale)
