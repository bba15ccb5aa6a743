"""How each record kind of the core model is laid out as a sheet of the intake workbook.

One sheet per record kind, one column per field, in the model's order: row 1 is the
Chinese header (with the unit where the field has one), row 2 the field's key (what the
reader goes by, so columns may be moved), data from row 3. The model's metadata is the
single source: a new field appears in the workbook without touching this module.
"""

from __future__ import annotations

import datetime
import enum
import typing
from decimal import Decimal
from typing import Any

import attrs

from cpsdk.model._entities import RECORD_KINDS, YearAmount
from cpsdk.model._fields import field_title, field_unit
from cpsdk.workbook._values import type_at

#: First row of data (0-based): after the header and key rows.
FIRST_ROW = 2
#: Sheet of the instructions, and the hidden sheet of code lists for drop-downs.
INSTRUCTIONS_SHEET = "填表说明"
CODES_SHEET = "代码表"


@attrs.frozen
class IntakeColumn:
    """One field of a record kind as a column: its key, header, Python type and whether it may be empty."""

    key: str
    header: str
    kind: str  # text, int, decimal, date, bool, enum, list, enum-list, year-amounts
    python_type: Any
    optional: bool
    required: bool


@attrs.frozen
class IntakeSheet:
    """A record kind as a sheet."""

    kind: str
    name: str
    record_type: type
    columns: tuple[IntakeColumn, ...]

    def column(self, key: str) -> int | None:
        """The 0-based column of a field key."""
        return next((index for index, column in enumerate(self.columns) if column.key == key), None)


def _kind_of(tp: Any) -> str:
    if typing.get_origin(tp) is tuple:
        item = typing.get_args(tp)[0]
        if item is YearAmount:
            return "year-amounts"
        return "enum-list" if isinstance(item, type) and issubclass(item, enum.Enum) else "list"
    if tp is bool:
        return "bool"
    if tp is int:
        return "int"
    if tp is Decimal:
        return "decimal"
    if tp is datetime.date:
        return "date"
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "enum"
    return "text"


def _header(field: attrs.Attribute[Any], kind: str) -> str:
    zh, _ = field_title(field)
    unit = field_unit(field)
    if unit is not None:
        return f"{zh}（{unit.symbol}）"
    if kind == "year-amounts":
        return f"{zh}（年份=万元，多个以“；”分隔）"
    if field.metadata.get("schema", {}).get("x-unit-from"):
        return f"{zh}（按指标单位）"
    return zh


def intake_sheets() -> tuple[IntakeSheet, ...]:
    """Every record kind of the model as a sheet, in the dataset's order."""
    sheets = []
    for kind, cls in RECORD_KINDS.items():
        columns = []
        for field in attrs.fields(cls):
            tp, optional = type_at(cls, (field.name,))
            column_kind = _kind_of(tp)
            columns.append(
                IntakeColumn(
                    key=field.name,
                    header=_header(field, column_kind),
                    kind=column_kind,
                    python_type=tp,
                    optional=optional,
                    required=field.default is attrs.NOTHING,
                )
            )
        title = getattr(cls, "__cpsdk_title__", (kind,))[0]
        sheets.append(IntakeSheet(kind=kind, name=title, record_type=cls, columns=tuple(columns)))
    return tuple(sheets)
