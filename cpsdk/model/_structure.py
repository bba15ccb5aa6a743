"""The cattrs converter between the core model (and reports) and JSON-ready data.

Structuring is strict: a string is not an integer, a number is not a string, and
unknown keys are refused. Amounts are exact decimals; a field with a documented
unit also accepts text or an object naming another unit of the same dimension
(``"1.2 亿元"``, ``{"value": "1.2", "unit": "亿元"}``) and converts it exactly.
"""

from __future__ import annotations

import datetime
import enum
import functools
import operator
import re
import sys
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from cpsdk.base._issues import json_pointer
from cpsdk.base._types import optional_inner
from cpsdk.model._fields import field_unit, field_unit_from
from cpsdk.model._quantity import PLAIN_NUMBER, Quantity, Unit, check_amount, format_decimal, to_decimal
from cpsdk.store._records import Records

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Characters no file cpsdk writes can hold: lone surrogates (not UTF-8) and the noncharacters XML forbids.
UNSTORABLE_TEXT = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _structure_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    if value and value.isspace():
        # A cell of spaces reads back as empty: such a text would not come back from any workbook.
        raise ValueError("the text is blank (spaces only): leave the field out, or write what it is")
    if not value.isascii() and (bad := UNSTORABLE_TEXT.search(value)) is not None:
        raise ValueError(f"the text holds U+{ord(bad[0]):04X}, which no workbook or UTF-8 file can store")
    # Codes, names and statuses repeat across records: one shared object each saves memory at scale.
    return sys.intern(value) if type(value) is str else value


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return int(value)
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _structure_decimal(value: Any, _: type) -> Decimal:
    return to_decimal(value)


def _structure_date(value: Any, _: type) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")
    return _date_of(value)


@functools.lru_cache(maxsize=1 << 16)
def _date_of(text: str) -> datetime.date:
    """Dates repeat across records: one shared object per day."""
    return datetime.date.fromisoformat(text)


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    if not isinstance(value, str):
        raise TypeError(f"expected one of {[m.value for m in cls]}, got {value!r}")
    return cls(value)


def _names_unit(value: Any) -> bool:
    """True for an amount that may name a unit (text other than a plain number, or an object)."""
    return isinstance(value, dict) or (isinstance(value, str) and not PLAIN_NUMBER.fullmatch(value))


def _in_unit(value: Any, unit: Unit) -> Decimal:
    """An input amount (bare, or naming a unit of the same dimension) expressed in ``unit``."""
    if not _names_unit(value):
        return to_decimal(value)  # a bare number is in ``unit`` already (most amounts: skip the Quantity)
    return check_amount(Quantity.parse(value, unit).to(unit).value)  # the bounds hold in the field's own unit


def _amount_in(unit: Unit, optional: bool) -> Callable[[Any, type], Decimal | None]:
    def structure(value: Any, _: type) -> Decimal | None:
        if value is None and optional:
            return None
        return _in_unit(value, unit)

    return structure


def _units_by_value(source_type: Any) -> Mapping[str, Unit]:
    """The unit each value of an enumeration names (its members' ``unit``)."""
    members = optional_inner(source_type) or source_type
    return {member.value: member.unit for member in members if isinstance(getattr(member, "unit", None), Unit)}


def _amounts_in_units_from(
    base: Callable[[Any, type], Any], sources: Mapping[str, tuple[str, Mapping[str, Unit]]]
) -> Callable[[Any, type], Any]:
    """``base``, after converting each field whose unit another field gives (``describe(unit_from=)``,
    as an effect's amount takes its metric's unit) into that unit. ``sources`` maps an amount field to
    the field naming its unit and that field's units by value."""

    def structure(value: Any, cls: type) -> Any:
        if isinstance(value, dict):
            for name, (source, units) in sources.items():
                key = value.get(source)
                if isinstance(key, str) and _names_unit(value.get(name)) and key in units:
                    value = {**value, name: _in_unit(value[name], units[key])}
        return base(value, cls)

    return structure


def _passing_instances(cls: type, structure: Callable[[Any, type], Any]) -> Callable[[Any, type], Any]:
    """``structure``, except that an object of exactly ``cls`` is already structured and is kept as it is
    (e.g. the rows of a table read straight from a workbook's cells into their objects)."""

    def structure_or_keep(value: Any, tp: type) -> Any:
        return value if type(value) is cls else structure(value, tp)

    return structure_or_keep


def _is_attrs(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls)


def _optional_simple(tp: Any) -> bool:
    """``X | None`` for a plain value type X (text, number, date, an enum): structured without cattrs's generic
    union dispatch, which looks the hook up again for every value (most fields of a record are optional)."""
    inner = optional_inner(tp)
    return inner in (str, int, bool, Decimal, datetime.date) or (
        isinstance(inner, type) and issubclass(inner, enum.Enum)
    )


def _structure_texts(value: Any, _: type) -> tuple[str, ...]:
    """A list of texts, each checked as :func:`_structure_str` checks one."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"expected a list of texts, got {type(value).__name__}")
    texts = []
    for number, item in enumerate(value, 1):
        try:
            texts.append(_structure_str(item, str))
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"item {number}: {exc}") from None
    return tuple(texts)


def _structure_optional(converter: cattrs.Converter, tp: Any) -> Callable[[Any, type], Any]:
    inner = optional_inner(tp)
    # cpsdk's own hooks for plain values: cattrs dispatches str, int, bool to its built-in ones before any
    # predicate, which would take numbers for text and pass unstorable text.
    hook = _PLAIN_HOOKS.get(inner) or converter.get_structure_hook(inner)

    def structure(value: Any, _: type) -> Any:
        return None if value is None else hook(value, inner)

    return structure


def _unstructure_optional(converter: cattrs.Converter, tp: Any) -> Callable[[Any], Any]:
    """``X | None`` unstructured without cattrs's generic wrapper (a call more per value): text, numbers and
    yes/no are JSON already, and cattrs then reads the field straight into the dict it makes."""
    inner = optional_inner(tp)
    hook = converter.get_unstructure_hook(inner)
    if hook is identity:
        return identity

    def unstructure(value: Any) -> Any:
        return None if value is None else hook(value)

    return unstructure


_PLAIN_HOOKS: dict[Any, Callable[[Any, type], Any]] = {
    str: _structure_str,
    int: _structure_int,
    bool: _structure_bool,
    Decimal: _structure_decimal,
    datetime.date: _structure_date,
}


def make_converter() -> cattrs.Converter:
    """A new converter configured for cpsdk's model and every attrs report class."""
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    # Exact-type predicates: a str enum must not be taken for a plain str.
    for exact, hook in (
        (str, _structure_str),
        (int, _structure_int),
        (bool, _structure_bool),
        (Decimal, _structure_decimal),
        (datetime.date, _structure_date),
    ):
        converter.register_structure_hook_func(functools.partial(operator.is_, exact), hook)
    converter.register_structure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), _structure_enum
    )
    converter.register_structure_hook_factory(_optional_simple, lambda tp: _structure_optional(converter, tp))
    converter.register_unstructure_hook(Decimal, format_decimal)
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    converter.register_unstructure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), lambda member: member.value
    )
    converter.register_unstructure_hook_factory(_optional_simple, lambda tp: _unstructure_optional(converter, tp))

    def structure_factory(cls: type) -> Callable[[Any, type], Any]:
        hints = typing.get_type_hints(cls)
        overrides = {
            field.name: override(struct_hook=_amount_in(unit, type(None) in typing.get_args(hints[field.name])))
            for field in attrs.fields(cls)
            if (unit := field_unit(field)) is not None
        }
        # cattrs would call str() on a plain str field, which neither refuses a number nor shares equal text.
        plain_text = [field.name for field in attrs.fields(cls) if hints[field.name] is str]
        overrides.update((name, override(struct_hook=_structure_str)) for name in plain_text)
        texts = [field.name for field in attrs.fields(cls) if hints[field.name] == tuple[str, ...]]
        overrides.update((name, override(struct_hook=_structure_texts)) for name in texts)
        make: Any = make_dict_structure_fn  # its keyword overrides are not expressible in its signature
        fn: Callable[[Any, type], Any] = make(cls, converter, _cattrs_forbid_extra_keys=True, **overrides)
        sources = {
            field.name: (source, _units_by_value(hints[source]))
            for field in attrs.fields(cls)
            if (source := field_unit_from(field)) is not None
        }
        if sources:
            fn = _amounts_in_units_from(fn, sources)
        return _passing_instances(cls, fn)

    def unstructure_factory(cls: type) -> Callable[[Any], Any]:
        return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)

    def structure_records(cls: Any) -> Callable[[Any, type], Any]:
        (record_class,) = typing.get_args(cls)
        items = converter.get_structure_hook(list[record_class])  # type: ignore[valid-type]
        return lambda value, _: Records.of(record_class, items(value, list[record_class]))  # type: ignore[valid-type]

    def unstructure_records(cls: Any) -> Callable[[Any], Any]:
        (record_class,) = typing.get_args(cls) or (Any,)
        return converter.get_unstructure_hook(list[record_class])  # type: ignore[valid-type]

    converter.register_structure_hook_factory(_is_attrs, structure_factory)
    converter.register_unstructure_hook_factory(_is_attrs, unstructure_factory)
    converter.register_structure_hook_factory(_is_records, structure_records)
    converter.register_unstructure_hook_factory(_is_records, unstructure_records)
    return converter


def _is_records(tp: Any) -> bool:
    """``Records[X]``: a dataset's collection, a JSON array of X."""
    origin = typing.get_origin(tp) or tp
    return isinstance(origin, type) and issubclass(origin, Records)


def structure_failures(exc: BaseException, path: str = "$") -> list[tuple[str, str | None]]:
    """Each failure cattrs reports while structuring, as (message, JSON pointer or None)."""
    if not isinstance(exc, cattrs.BaseValidationError):
        return [(str(exc), None)]
    failures: list[tuple[str, str | None]] = []
    for message in cattrs.transform_error(exc, path=path, format_exception=_failure_text):
        text, _, where = message.partition(" @ ")
        failures.append((text, _jsonpath_to_pointer(where) if where else None))
    return failures


def _failure_text(exc: BaseException, tp: type | None) -> str:
    """What a structuring failure says: cpsdk's own hooks explain themselves; cattrs's wording otherwise."""
    if isinstance(exc, (ValueError, TypeError)) and not isinstance(exc, cattrs.BaseValidationError) and str(exc):
        return str(exc)
    return cattrs.v.format_exception(exc, tp)


def _jsonpath_to_pointer(path: str) -> str:
    parts: list[str | int] = []
    for token in path.removeprefix("$").replace("[", ".").replace("]", "").split("."):
        if token:
            parts.append(int(token) if token.isdigit() else token)
    return json_pointer(*parts)


@functools.cache
def converter() -> cattrs.Converter:
    """The converter cpsdk itself uses (made once; never the global cattrs converter)."""
    return make_converter()
