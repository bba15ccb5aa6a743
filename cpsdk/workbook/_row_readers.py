"""Table rows read straight from their cells into row objects.

Reading a table cell by cell into JSON-ready values and then structuring them with
cattrs does the type dispatch twice per cell; for a table of thousands of rows that
is most of a read. Here each column gets one function, chosen once from the row
class's field type, that turns a cell into the field's final value exactly as
:func:`~cpsdk.workbook._values.from_cell` followed by the converter would (amounts
within cpsdk's bounds, enumerations as members, lists as tuples), and each row becomes
its object with one call. Texts are kept as python-calamine gives them: the converter
shares equal texts through :func:`sys.intern`, which pays off for a dataset's millions of
records, but for a workbook's rows it cost 5% of a large read and saved a few MB.

The fast path only has to be right when every cell reads cleanly: any failure
(a bad cell, a row the class refuses) makes the caller read the table again the
exact way, which says which cell is wrong and why. A row class this module cannot
read exactly (nested fields, a unit on a non-amount, enumerations of non-text
values, a unit given by another field as an effect's by its metric) has no reader at all.
"""

from __future__ import annotations

import datetime
import enum
import functools
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from cpsdk.base._types import is_union, optional_inner
from cpsdk.model._fields import field_unit, field_unit_from
from cpsdk.model._quantity import MAX_DIGITS, MAX_MAGNITUDE, MAX_PLACES, check_amount
from cpsdk.model._vocabulary import members_by_label
from cpsdk.workbook._layout import Path
from cpsdk.workbook._typed import MONTH_NUMBER_DAYS, typed_month_number
from cpsdk.workbook._values import LIST_SEPARATORS, cell_bool, cell_date, cell_int, cell_number, cell_text

CellReader = Callable[[Any], Any]
RowReader = Callable[[Sequence[Any]], Any]

_AMOUNT_BOUND = float(10**MAX_MAGNITUDE)
#: The least magnitude a float's repr (17 significant digits at most) stays within MAX_PLACES from.
_AMOUNT_LEAST = 10.0 ** (17 - MAX_PLACES)
#: A float's shortest repr has at most 17 significant digits: within bounds when cpsdk allows that many.
_FLOATS_FIT = MAX_DIGITS >= 17
_EXACT_INTEGERS = float(2**53)


class _Unreadable(Exception):
    """A field type this module does not read (the table is read the exact way)."""


def _blank(raw: Any) -> bool:
    return raw is None or (type(raw) is str and not raw.strip())


def _optional_text(raw: Any) -> str | None:
    # Most cells are text or empty: those two first, without the general blank test.
    if raw is None:
        return None
    if type(raw) is str:
        return raw if raw.strip() else None
    return cell_text(raw)


def _date_cell(raw: Any) -> datetime.date:
    # calamine gives a date cell as a date: the common case before the general one.
    if type(raw) is datetime.date and not MONTH_NUMBER_DAYS[0] <= raw < MONTH_NUMBER_DAYS[1]:
        return raw
    if isinstance(raw, datetime.date) and typed_month_number(raw) is not None:
        raise ValueError("a month typed as a number: the exact reading says so")
    return cell_date(raw)


def _int(raw: Any) -> int:
    if type(raw) is float and raw.is_integer() and abs(raw) < _EXACT_INTEGERS:
        return int(raw)  # what from_cell makes of it by way of its repr, which is exact below 2**53
    return cell_int(raw)


def _amount(raw: Any) -> Decimal:
    # What check_amount would refuse, asked of the float itself: its digits fit (above), its repr
    # reaches the magnitude bound exactly when the float does, and from _AMOUNT_LEAST up its places
    # fit. nan, infinities and smaller floats are judged the exact way.
    if type(raw) is float and _FLOATS_FIT and (_AMOUNT_LEAST <= abs(raw) < _AMOUNT_BOUND or raw == 0):
        return Decimal(repr(raw))
    return check_amount(cell_number(raw))


def _optional_amount(raw: Any) -> Decimal | None:
    return None if _blank(raw) else _amount(raw)


def _enum_reader(cls: type[enum.Enum]) -> CellReader:
    if not all(isinstance(member.value, str) for member in cls):
        raise _Unreadable(cls)  # the converter refuses non-text values: let it say so
    members = members_by_label(cls)

    def read(raw: Any) -> enum.Enum:
        return members[str(raw).strip()]

    return read


def _scalar_reader(tp: Any) -> CellReader:
    if tp is str:
        return cell_text
    if tp is bool:
        return cell_bool
    if tp is int:
        return _int
    if tp is Decimal:
        return _amount
    if tp is datetime.date:
        return _date_cell
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum_reader(tp)
    raise _Unreadable(tp)


def _unwrap_optional(hint: Any) -> Any:
    """``X`` for ``X | None``, ``hint`` itself when it is not optional."""
    inner = optional_inner(hint)
    if inner is not None:
        return inner
    if is_union(hint):
        raise _Unreadable(hint)
    return hint


def _optional_date(raw: Any) -> datetime.date | None:
    return None if _blank(raw) else _date_cell(raw)


def _optional_bool(raw: Any) -> bool | None:
    return None if _blank(raw) else cell_bool(raw)


def _optional_int(raw: Any) -> int | None:
    return None if _blank(raw) else _int(raw)


_OPTIONAL: dict[Any, CellReader] = {
    str: _optional_text,
    Decimal: _optional_amount,
    datetime.date: _optional_date,
    bool: _optional_bool,
    int: _optional_int,
}

#: The common case of a reader written out in the row reader itself (``{cell}`` is the cell, ``{read}``
#: the reader, for every other case): a function call per cell saved, which is most of a cell's cost.
_INLINE: dict[CellReader, str] = {
    _optional_text: "(v if type(v := {cell}) is str and v.strip() else {read}(v))",
    _optional_date: "(v if type(v := {cell}) is date else {read}(v))",
    _optional_bool: '(True if (v := {cell}) == "是" else False if v == "否" else {read}(v))',
    _optional_int: "(int(v) if type(v := {cell}) is float and v.is_integer() and -exact < v < exact else {read}(v))",
}
if _FLOATS_FIT:
    _INLINE[_optional_amount] = (
        "(Decimal(repr(v)) if type(v := {cell}) is float and (least <= abs(v) < bound or v == 0) else {read}(v))"
    )


def _cell_reader(hint: Any) -> CellReader:
    """The reader of a cell into a field of type ``hint`` (blank cells included)."""
    inner = _unwrap_optional(hint)
    optional = inner is not hint
    hint = inner
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise _Unreadable(hint)
        item = _scalar_reader(args[0])

        def read_list(raw: Any) -> tuple[Any, ...] | None:
            if _blank(raw):
                return None if optional else ()
            return tuple(item(part) for part in LIST_SEPARATORS.split(str(raw)) if part.strip())

        return read_list
    if optional and hint in _OPTIONAL:
        return _OPTIONAL[hint]
    scalar = _scalar_reader(hint)
    if optional:

        def read_optional(raw: Any) -> Any:
            if raw is None or (type(raw) is str and not raw.strip()):
                return None
            return scalar(raw)

        return read_optional

    def read_required(raw: Any) -> Any:
        if _blank(raw):
            raise ValueError("empty")
        return scalar(raw)

    return read_required


@functools.lru_cache(maxsize=256)
def row_reader(row_type: Any, columns: tuple[tuple[int, Path], ...]) -> RowReader | None:
    """The reader of one table row (its cells, from column A) into a ``row_type`` object.

    ``columns`` are (column index, field path) pairs. None when the row class cannot be
    read this way; the reader raises on any cell it cannot read exactly.
    """
    if not (isinstance(row_type, type) and attrs.has(row_type)):
        return None
    if any(field_unit_from(field) is not None for field in attrs.fields(row_type)):
        return None  # the unit of one field depends on another's value: the converter's work
    fields = attrs.fields_dict(row_type)
    try:
        hints = typing.get_type_hints(row_type)
        plan: list[tuple[int, str, CellReader]] = []
        for col, path in columns:
            if len(path) != 1 or not isinstance(path[0], str):
                return None
            field = fields.get(path[0])
            if field is None or not field.init or field.alias != field.name or any(n == field.name for _, n, _ in plan):
                return None  # not a plain field, or shown twice (the exact reading keeps the last column's)
            if field_unit(field) is not None and _unwrap_optional(hints[field.name]) is not Decimal:
                return None  # the converter reads a unit's amount as a Decimal whatever the field says
            plan.append((col, field.name, _cell_reader(hints[field.name])))
    except _Unreadable:
        return None

    return _compiled(row_type, plan)


def _compiled(row_type: type, plan: list[tuple[int, str, CellReader]]) -> RowReader:
    """One function reading a row: a call of the row class with one reader call per field.

    Generated, as attrs generates ``__init__`` and cattrs its structure functions: a row of
    ten fields is then one call instead of a loop over ten (column, name, reader) triples,
    and the commonest cells (text, dates, amounts as numbers) are read without a call.
    """
    width = max((col for col, _, _ in plan), default=-1) + 1
    namespace: dict[str, Any] = {
        "row_type": row_type,
        "width": width,
        "date": datetime.date,
        "Decimal": Decimal,
        "bound": _AMOUNT_BOUND,
        "least": _AMOUNT_LEAST,
        "exact": _EXACT_INTEGERS,
    }
    arguments = []
    for index, (col, name, read_cell) in enumerate(plan):
        namespace[f"read_{index}"] = read_cell
        template = _INLINE.get(read_cell, "{read}({cell})")
        arguments.append(f"{name}={template.format(cell=f'cells[{col}]', read=f'read_{index}')}")
    source = (
        "def read(cells):\n"
        "    if len(cells) < width:\n"
        "        cells = [*cells, *([None] * (width - len(cells)))]\n"
        f"    return row_type({', '.join(arguments)})\n"
    )
    exec(compile(source, f"<cpsdk row reader {row_type.__qualname__}>", "exec"), namespace)
    read: RowReader = namespace["read"]
    return read
