"""The record kinds as msgspec structs: what the fast load decodes a batch of records into.

Each struct is made from the model's attrs class and the constraints its fields declare for the
JSON Schema (lengths, ranges, patterns), so it stays in step with the model. It accepts a subset
of what the exact path (jsonschema, then cattrs) accepts, never more: a record it refuses is not
wrong, only given to the exact path, which says what is wrong with it, or keeps it.

What msgspec checks as it decodes: the keys (required, none unknown), each value's JSON type,
texts' lengths, whole numbers' ranges, enumerations (as ``Literal`` values: an enum type costs a
Python call per value), dates (``YYYY-MM-DD`` of a real day). What :class:`FieldPlan` leaves to be
checked a batch at a time, in one regular-expression pass over the texts of a column: patterns
(``\\d`` read as ASCII digits, ``$`` as the very end), amounts written as plain decimal text, and
text that loading refuses (spaces only, characters no file can hold).

A field the input leaves out decodes as ``UNSET``, not as its default, so that the loader can
count the keys each record gave: a key given twice is the one thing msgspec takes silently
(the last wins), and it must be an issue, as the exact path makes it.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

import attrs
import msgspec

from cpsdk.base._types import optional_inner
from cpsdk.model._entities import RECORD_KINDS

#: An amount the fast path takes as text: plain decimal notation, at most 18 whole digits and 10 places (so
#: within every bound of :func:`cpsdk.model._quantity.check_amount`), ASCII digits only, no sign but a minus.
#: ``Decimal`` of such a text is exactly what the exact path makes of it.
AMOUNT = r"-?+(?:0|[1-9][0-9]{0,17}+)(?:\.[0-9]{1,10}+)?+"
#: Whole numbers an amount may be given as (``to_decimal`` refuses 10**18 and beyond).
_AMOUNT_LIMIT = 10**18
#: A text after the first that starts with white space, in texts joined by line breaks: with the first text,
#: the candidates for "spaces only" (a literal first, so that the search skips from line break to line break).
BLANK_START = re.compile(r"\n\s")

#: What each field holds, and so how a batch of its values is checked and stored.
Handling = Literal["text", "amount", "int", "bool", "date", "enum", "texts", "enums", "records"]


@attrs.frozen
class FieldPlan:
    """One field of a record kind: its name, how its values are handled, and its default when left out."""

    name: str
    handling: Handling
    #: The value a record takes when the key is not given (``UNSET`` in the struct); NOTHING when required.
    default: Any
    #: The text patterns a value must match whole (texts only), as one expression for a batch joined by "\n".
    pattern: re.Pattern[str] | None = None
    #: Enumerations: each value (and None) with what the record holds; tuples of records: the nested plan.
    members: Mapping[Any, Any] | None = None
    nested: RecordPlan | None = None
    #: An enumeration's values in a struct (None and ``UNSET`` too) with what the record holds: the table its
    #: column is given by, one object for every batch (``RecordsBuilder.extend_columns``' ``tables``).
    table: Mapping[Any, Any] | None = None

    @property
    def required(self) -> bool:
        """True when the input must give the field."""
        return self.default is attrs.NOTHING


@attrs.frozen
class RecordPlan:
    """A record kind as the fast path reads it: its struct and the plan of each of its fields, in the model's
    order (the order of the store's columns)."""

    record_class: type
    struct: type[msgspec.Struct]
    fields: tuple[FieldPlan, ...]


def _strict(pattern: str) -> str:
    """A JSON Schema pattern anchored at both ends, as an expression that matches a whole text and no more of
    them: ``\\d`` only ASCII digits, and no line break before the end (``$`` allows one)."""
    if not (pattern.startswith("^") and pattern.endswith("$")):
        raise NotImplementedError(f"the fast path reads only patterns anchored at both ends, not {pattern!r}")
    return pattern[1:-1].replace(r"\d", "[0-9]")


def _batch(pattern: str) -> re.Pattern[str]:
    """An expression matching texts that each match ``pattern`` whole, each followed by a line break (possessive:
    a line break ends each text, so nothing need be tried again, and the search runs several times faster)."""
    return re.compile(f"(?:(?:{pattern})\n)*+")


_TEXT_KEYS = {"minLength", "maxLength", "pattern"}
_NUMBER_KEYS = {"minimum", "maximum"}
_IGNORED_KEYS = {"x-unit-from"}  # what the schema says of the unit: the unit is in the text, refused here


def _text_type(schema: Mapping[str, Any]) -> Any:
    meta = {}
    if "minLength" in schema:
        meta["min_length"] = schema["minLength"]
    if "maxLength" in schema:
        meta["max_length"] = schema["maxLength"]
    return Annotated[str, msgspec.Meta(**meta)] if meta else str


def _int_type(schema: Mapping[str, Any]) -> Any:
    meta = {}
    if "minimum" in schema:
        meta["ge"] = schema["minimum"]
    if "maximum" in schema:
        meta["le"] = schema["maximum"]
    return Annotated[int, msgspec.Meta(**meta)] if meta else int


def _amount_type(schema: Mapping[str, Any]) -> Any:
    """An amount as text (checked a batch at a time) or a whole number within the bounds (a JSON number is
    refused below the schema's minimum; a fraction such as ``1.5`` goes to the exact path)."""
    low = schema.get("minimum", -_AMOUNT_LIMIT + 1)
    return str | Annotated[int, msgspec.Meta(ge=low, lt=_AMOUNT_LIMIT)]


def _check_keys(name: str, schema: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = set(schema) - allowed - _IGNORED_KEYS
    if unknown:
        raise NotImplementedError(f"the fast path does not check {sorted(unknown)} of field {name!r}")


def _plan_field(field: attrs.Attribute[Any], hint: Any) -> tuple[Any, FieldPlan]:
    """The struct type of one field and its plan."""
    schema: Mapping[str, Any] = field.metadata.get("schema", {})
    inner = optional_inner(hint)
    value_type = hint if inner is None else inner
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    pattern = None
    members = None
    nested = None
    handling: Handling
    if value_type is str:
        _check_keys(field.name, schema, _TEXT_KEYS)
        struct_type = _text_type(schema)
        handling = "text"
        if "pattern" in schema:
            pattern = _batch(_strict(schema["pattern"]))
    elif value_type is Decimal:
        _check_keys(field.name, schema, {"minimum"})
        struct_type = _amount_type(schema)
        handling = "amount"
        pattern = _batch(AMOUNT)
    elif value_type is bool:
        _check_keys(field.name, schema, set())
        struct_type, handling = bool, "bool"
    elif value_type is int:
        _check_keys(field.name, schema, _NUMBER_KEYS)
        struct_type, handling = _int_type(schema), "int"
    elif value_type is datetime.date:
        _check_keys(field.name, schema, set())
        struct_type, handling = datetime.date, "date"
    elif isinstance(value_type, type) and issubclass(value_type, enum.Enum):
        _check_keys(field.name, schema, set())
        struct_type = Literal[tuple(member.value for member in value_type)]
        members = {member.value: member for member in value_type}
        handling = "enum"
    elif typing.get_origin(value_type) is tuple:
        item, ellipsis = typing.get_args(value_type)
        assert ellipsis is Ellipsis
        if item is str:
            _check_keys(field.name, schema, set())
            struct_type, handling = tuple[str, ...], "texts"
        elif isinstance(item, type) and issubclass(item, enum.Enum):
            _check_keys(field.name, schema, set())
            struct_type = tuple[Literal[tuple(member.value for member in item)], ...]  # type: ignore[misc]
            members = {member.value: member for member in item}
            handling = "enums"
        elif attrs.has(item):
            nested = record_plan(typing.cast(type, item))
            struct_type, handling = tuple[nested.struct, ...], "records"  # type: ignore[name-defined]
        else:
            raise NotImplementedError(f"no fast path for field {field.name!r} of type {hint!r}")
    else:
        raise NotImplementedError(f"no fast path for field {field.name!r} of type {hint!r}")
    if inner is not None:
        struct_type = struct_type | None
    table = None if handling != "enum" or members is None else {**members, None: None, msgspec.UNSET: default}
    plan = FieldPlan(field.name, handling, default, pattern, members, nested, table)
    return struct_type, plan


@functools.cache
def record_plan(record_class: type) -> RecordPlan:
    """The struct and field plans of an attrs record class of the model."""
    hints = typing.get_type_hints(record_class)
    definitions: list[tuple[Any, ...]] = []
    plans = []
    for field in attrs.fields(record_class):
        struct_type, plan = _plan_field(field, hints[field.name])
        plans.append(plan)
        if plan.required:
            definitions.append((field.name, struct_type))
        else:
            definitions.append((field.name, struct_type | msgspec.UnsetType, msgspec.UNSET))
    # Required fields first: a struct, like a function, takes no field without a default after one with one.
    definitions.sort(key=len)
    struct = msgspec.defstruct(
        f"Fast{record_class.__name__}", definitions, forbid_unknown_fields=True, frozen=False, gc=False
    )
    return RecordPlan(record_class, struct, tuple(plans))


@functools.cache
def record_plans() -> dict[str, RecordPlan]:
    """The plan of every record kind of a dataset, by collection name."""
    return {kind: record_plan(typing.cast(type, record_class)) for kind, record_class in RECORD_KINDS.items()}
