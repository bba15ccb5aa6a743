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
from collections.abc import Sequence
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
        self.largest = float(np.abs(scaled).max()) if len(scaled) else 0.0

    def take(self, rows: npt.NDArray[np.intp] | None) -> tuple[Integers, npt.NDArray[np.int8], Any]:
        """The scaled amounts, places and marks of ``rows`` (every row for None)."""
        if rows is None:
            return self.scaled, self.places, self.present
        present = None if self.present is None else self.present[rows]
        return self.scaled[rows], self.places[rows], present


def from_texts(joined: str, ends: Integers, nulls: bytes | bytearray | None) -> ExactAmounts | None:
    """The exact amounts of texts joined in one string, each ending at ``ends`` (its rows' end offsets in order,
    the first starting at 0), ``nulls`` marking the rows of no amount (their text empty). None when a text is not
    plain (digits, at most one point, a leading minus) or has more than 18 digits."""
    count = len(ends)
    if count == 0:
        return ExactAmounts(np.zeros(0, np.int64), 0, np.zeros(0, np.int8), None)
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
    if (digits[~absent] <= 0).any() or (digits[absent] != 0).any() or int(digits.max()) > _MOST_DIGITS:
        return None  # a text of no digits (".", "-"), or of too many
    # A separator after each text and a zero for each row of no amount, the points left out: whole numbers that
    # NumPy's text reader takes in one call. (Insertions at one offset go in row order: np.insert keeps the order
    # it is given among equal offsets.)
    empty = np.flatnonzero(absent)
    offsets = np.concatenate((ends[:-1], starts[empty]))
    order = np.lexsort((np.concatenate((2 * np.arange(count - 1) + 1, 2 * empty)), offsets))
    marks = np.concatenate((np.full(count - 1, ord(","), np.uint8), np.full(len(empty), ord("0"), np.uint8)))
    separated = np.insert(raw, offsets[order], marks[order])
    separated = separated[separated != ord(".")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            whole = np.fromstring(separated.tobytes(), dtype=np.int64, sep=",")
        except (ValueError, DeprecationWarning):
            return None
    if len(whole) != count:
        return None
    return _scaled(whole, places, digits, ~absent if len(empty) else None)


def _scaled(
    whole: Integers, places: npt.NDArray[np.int8], digits: Integers, present: npt.NDArray[np.bool_] | None
) -> ExactAmounts | None:
    """Amounts whose digits (as whole numbers) are ``whole``, put to one scale: None when one would then have
    more than 18 digits."""
    scale = int(places.max()) if len(places) else 0
    shift = scale - places.astype(np.int64)
    if int((digits + shift).max(initial=0)) > _MOST_DIGITS:
        return None
    return ExactAmounts(whole * _POWERS[shift] if scale else whole, scale, places, present)


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


def combined(
    numbered: Sequence[tuple[list[int] | None, Sequence[int]]], strides: Sequence[int], count: int
) -> Integers:
    """One number per row for several fields' numbers (each given as :meth:`Records._grouping` gives it: ``(table,
    codes)``, the row's number being ``codes[row]``, or ``table[codes[row]]`` with a table), each times its
    ``stride``, added."""
    keys = np.zeros(count, dtype=np.int64)
    for (table, codes), stride in zip(numbered, strides, strict=True):
        found = numbers(codes) if hasattr(codes, "typecode") else np.asarray(codes, dtype=np.int64)
        if table is not None:
            found = np.asarray(table, dtype=np.int64)[found]
        keys += found * stride if stride != 1 else found
    return keys


def chosen(passed: list[bool], codes: Any) -> npt.NDArray[np.intp] | None:
    """The positions of the rows whose value's number (``codes``, an ``array``) is of a value that ``passed`` (by
    number); None when every row's is."""
    picked = np.array(passed, dtype=np.bool_)[numbers(codes)]
    if picked.all():
        return None
    return np.flatnonzero(picked)


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


def block_ends(ends: Any, lengths: Sequence[int], block: int) -> Integers:
    """Rows' end offsets in their blocks' strings joined (``ends``: each row's end in its block, an array of ``I``;
    ``lengths``: each block's string's length; ``block``: rows per block)."""
    within = np.frombuffer(ends, dtype=np.uint32).astype(np.int64)
    bases = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=bases[1:])
    return within + np.repeat(bases, block)[: len(within)]


def from_values(values: Sequence[Any], codes: npt.NDArray[Any]) -> ExactAmounts | None:
    """The exact amounts of a shared column (its distinct ``values``, each ``Decimal`` or None, and each row's
    number in ``codes``). None when a value is of another type, not finite, or has more than 18 digits."""
    wholes: list[int] = []
    places: list[int] = []
    digits: list[int] = []
    for value in values:
        if value is None:
            wholes.append(0)
            places.append(0)
            digits.append(0)
            continue
        if type(value) is not Decimal or not value.is_finite():
            return None
        sign, numerals, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        length = len(numerals) + max(0, exponent)
        if length > _MOST_DIGITS or -exponent > _MOST_DIGITS:
            return None
        whole = int("".join(map(str, numerals))) * 10 ** max(0, exponent)
        wholes.append(-whole if sign else whole)
        places.append(max(0, -exponent))
        digits.append(length)
    nulls = np.array([value is None for value in values], dtype=np.bool_)
    return _scaled(
        np.array(wholes, dtype=np.int64)[codes],
        np.array(places, dtype=np.int8)[codes],
        np.array(digits, dtype=np.int64)[codes],
        ~nulls[codes] if nulls.any() else None,
    )


def exact_context() -> bool:
    """Whether ``Decimal``'s present context adds these sums exactly and as summing in whole numbers does: enough
    digits for any sum that fits 64 bits, and a zero sum of opposite amounts positive (not so rounding down)."""
    context = decimal.getcontext()
    return context.prec >= 20 and context.rounding != decimal.ROUND_FLOOR


def group_totals(
    keys: Integers, amounts: ExactAmounts, rows: npt.NDArray[np.intp] | None, combinations: int, zeros: bool
) -> tuple[Integers, Integers, npt.NDArray[np.int8]] | None:
    """The sums of the amounts of ``rows`` (of the column, every row for None) by their ``keys`` (one number per
    row, each under ``combinations``), as whole numbers: the keys met, in the order their first rows come, each
    one's sum, and its places (the most of its amounts': the sum is ``total / 10**places``, as ``Decimal(0)`` plus
    the amounts in order gives it). A row of no amount adds nothing, nor, with ``zeros`` False, a zero. None when
    the sums could pass what 64 bits hold."""
    scaled, places, present = amounts.take(rows)
    kept = present
    if not zeros:
        kept = scaled != 0 if kept is None else kept & (scaled != 0)
    if kept is not None:
        keys, scaled, places = keys[kept], scaled[kept], places[kept]
    if amounts.largest * len(scaled) >= _SUM_BOUND and float(np.abs(scaled).sum(dtype=np.float64)) >= _SUM_BOUND:
        return None
    if combinations <= 2 * len(keys) + 1024:
        slot = keys
        size = combinations
    else:  # too many combinations for an array of each: the keys met, numbered
        met, slot = np.unique(keys, return_inverse=True)
        size = len(met)
    totals = np.zeros(size, dtype=np.int64)
    np.add.at(totals, slot, scaled)
    most = np.zeros(size, dtype=np.int8)
    np.maximum.at(most, slot, places)
    first = np.full(size, len(keys), dtype=np.int64)
    np.minimum.at(first, slot, np.arange(len(keys), dtype=np.int64))
    found = np.flatnonzero(first < len(keys))
    found = found[np.argsort(first[found], kind="stable")]
    shown = most[found]
    return keys[first[found]], totals[found] // _POWERS[amounts.scale - shown], shown


def group_counts(keys: Integers, combinations: int) -> tuple[Integers, Integers]:
    """How many rows have each of ``keys`` (each under ``combinations``): the keys met, in the order their first rows
    come, and each one's count."""
    if combinations <= 2 * len(keys) + 1024:
        counted = np.bincount(keys, minlength=combinations)
        first = np.full(combinations, len(keys), dtype=np.int64)
        np.minimum.at(first, keys, np.arange(len(keys), dtype=np.int64))
        found = np.flatnonzero(counted)
        found = found[np.argsort(first[found], kind="stable")]
        return found, counted[found]
    met, at, counted = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(at, kind="stable")
    return met[order], counted[order]


def decimals(totals: Integers, places: npt.NDArray[Any]) -> list[Decimal]:
    """``totals[i] / 10**places[i]`` as ``Decimal``\\ s, with those places."""
    return [Decimal(total).scaleb(-place) for total, place in zip(totals.tolist(), places.tolist(), strict=True)]


def converted_energy(
    count: int,
    converted: Sequence[tuple[tuple[Integers, Integers, npt.NDArray[np.int8]], int, int]],
    left_out: Integers,
    rounding_places: int,
) -> tuple[Integers, list[Decimal]] | None:
    """Amounts converted by factors and added, per number (each under ``count``), rounded half up to
    ``rounding_places``: ``converted`` gives, in the order they are added, each metric's sums by number (the
    numbers met, their totals and places, as :func:`group_totals` gives them), and its factor as a whole number
    over a power of ten (``factor``, ``factor_places``). The numbers in ``left_out`` are not converted. The numbers
    converted, in the order they are first met, and each one's rounded sum (as ``Decimal.quantize`` with
    ``ROUND_HALF_UP`` gives it, a negative sum rounding to zero giving ``-0``). None when a product could pass
    what 64 bits hold, or when the context has fewer than 28 digits."""
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
    made = [
        Decimal(-whole if minus else whole).scaleb(-rounding_places)
        if whole or not minus
        else Decimal((1, (0,), -rounding_places))
        for whole, minus in zip(rounded.tolist(), negative.tolist(), strict=True)
    ]
    return met_all, made
