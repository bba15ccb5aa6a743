"""Converting between report values and cell values, in both directions."""

from __future__ import annotations

import datetime
import enum
import itertools
import re
import typing
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from cpsdk.base._errors import CellValueError
from cpsdk.base._types import is_union, optional_inner
from cpsdk.model._fields import field_unit
from cpsdk.model._quantity import Unit, to_decimal
from cpsdk.model._vocabulary import member_by_label
from cpsdk.workbook._layout import Path

#: Excel keeps 15 significant digits of a number; more would be silently changed.
EXCEL_DIGITS = 15
#: Excel's day 0 (for days from 61 on: Excel believes in a 29 February 1900).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
#: The years a number typed for a month starts with (2018.12 is December 2018), never read as a day.
MONTH_NUMBER_YEARS = range(1949, 2101)
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
TRUE_WORDS = ("是", "√", "☑", "有", "true", "TRUE", "True")
FALSE_WORDS = ("否", "×", "☐", "无", "false", "FALSE", "False")
_TRUE = frozenset(TRUE_WORDS)
_FALSE = frozenset(FALSE_WORDS)
#: What separates the values of a list written in one cell.
LIST_SEPARATORS = re.compile(r"[、,，;；]")


def resolve(report: Any, path: Path) -> Any:
    """The value at ``path`` in a report (attributes by name, tuple items by index)."""
    value = report
    for key in path:
        if value is None:
            return None
        value = value[key] if isinstance(key, int) else getattr(value, key)
    return value


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    if is_union(tp):
        inner = optional_inner(tp)
        return (tp if inner is None else inner), True
    return tp, False


def type_at(cls: type, path: Path) -> tuple[Any, bool]:
    """The Python type at ``path`` in a report class, and whether it may be empty."""
    tp: Any = cls
    optional = False
    for key in path:
        tp, _ = _unwrap_optional(tp)
        tp = typing.get_args(tp)[0] if isinstance(key, int) else typing.get_type_hints(tp)[key]
        tp, optional = _unwrap_optional(tp)
    return tp, optional


def type_unit_at(cls: type, path: Path) -> tuple[Any, bool, Unit | None]:
    """:func:`type_at`, and the unit of the field at ``path`` (None when it has none)."""
    tp, optional = type_at(cls, path)
    unit = None
    if path and isinstance(path[-1], str):
        owner, _ = type_at(cls, path[:-1]) if len(path) > 1 else (cls, False)
        if isinstance(owner, type) and attrs.has(owner):
            field = attrs.fields_dict(owner).get(path[-1])
            unit = field_unit(field) if field is not None else None
    return tp, optional, unit


def display_text(value: Any) -> str | None:
    """How a non-numeric, non-date value is shown in a cell (None for a blank cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, enum.Enum):
        return str(getattr(value, "zh", value.value))
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return "、".join(display_text(item) or "" for item in value)
    return str(value)


def from_cell(raw: Any, tp: Any, optional: bool) -> Any:
    """A cell's value (as python-calamine gives it) as the JSON-ready value of type ``tp``.

    Raises ValueError with a message fit for an issue when the cell cannot be read.
    """
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if optional or typing.get_origin(tp) is tuple:
            return None if optional else []
        raise CellValueError("必填单元格为空", "a required cell is empty")
    if tp is str:
        return cell_text(raw)
    if tp is bool:
        return cell_bool(raw)
    if tp is int:
        return cell_int(raw)
    if tp is Decimal:
        return cell_number(raw)
    if tp is datetime.date:
        return cell_date(raw)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return member_by_label(tp, str(raw).strip()).value
    if typing.get_origin(tp) is tuple:
        item = typing.get_args(tp)[0]
        text = str(raw)
        return [from_cell(part, item, False) for part in LIST_SEPARATORS.split(text) if part.strip()]
    raise CellValueError("无法读取的单元格类型", f"cannot read a cell as {tp!r}")


def cell_text(raw: Any) -> str:
    """A filled cell as text: a whole number without its ``.0``, a date as YYYY-MM-DD."""
    if type(raw) is str:
        return raw
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, (datetime.date, datetime.datetime)):
        return raw.isoformat()
    return str(raw)


def cell_bool(raw: Any) -> bool:
    """A filled cell as yes or no (是/否 and the other words for them); ValueError for anything else."""
    if raw is True or raw is False:
        return raw
    text = str(raw).strip()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellValueError(f"应填“是”或“否”：{text[:40]}", f"expected 是 or 否, got {text[:40]!r}")


def cell_int(raw: Any) -> int:
    """A filled cell as a whole number; ValueError for anything else."""
    number = cell_number(raw)
    if number != number.to_integral_value():
        raise CellValueError(f"应为整数：{raw}", f"expected a whole number, got {raw!r}")
    return int(number)


def cell_number(raw: Any) -> Decimal:
    """A filled cell as an exact number; ValueError for anything else."""
    if isinstance(raw, bool):
        raise CellValueError(f"应为数值：{raw}", f"expected a number, got {raw!r}")
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellValueError("应为数值", "expected a number")
        # repr gives the shortest text that reads back as this double: the value the filer typed.
        return Decimal(repr(raw))
    if isinstance(raw, (int, Decimal)):
        return to_decimal(raw)
    if isinstance(raw, str):
        try:
            return to_decimal(raw.strip().replace("，", ","))
        except ValueError:
            raise CellValueError(f"应为数值：{raw[:40]}", f"expected a number, got {raw[:40]!r}") from None
    raise CellValueError(f"应为数值：{raw}", f"expected a number, got {raw!r}")


def cell_date(raw: Any) -> datetime.date:
    """A filled cell as a date (a date cell, an Excel day number or YYYY-MM-DD text); ValueError otherwise."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if (
            MONTH_NUMBER_YEARS.start <= raw < MONTH_NUMBER_YEARS.stop
        ):  # 2018.12 typed for a month: never a day of 1905 (the reader says what it is)
            raise CellValueError(
                f"“{raw}”像是年月，不是日期：请填写为 2018-12-31 或 2018年12月",
                f"{raw!r} looks like a year and month, not a date: type it as 2018-12-31 or 2018年12月",
            )
        # Excel counts 1 for 1900-01-01 and believes in a 29 February 1900 (60): from 61 on, days from 1899-12-30.
        if 61 <= raw < 2958466:
            return EXCEL_EPOCH + datetime.timedelta(days=int(raw))
        if 1 <= raw < 60:
            return EXCEL_EPOCH + datetime.timedelta(days=int(raw) + 1)
        raise CellValueError(f"日期无效：{raw}", f"not a date: {raw!r}")
    match = _DATE_TEXT.match(str(raw))
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellValueError(
        f"日期应为 YYYY-MM-DD：{str(raw)[:40]}", f"expected a date as YYYY-MM-DD, got {str(raw)[:40]!r}"
    )


def cell_at(rows: Sequence[Sequence[Any]], row: int, col: int) -> Any:
    """The value of a cell of a sheet's rows (None outside them)."""
    if 0 <= row < len(rows) and 0 <= col < len(rows[row]):
        return rows[row][col]
    return None


def is_blank(value: Any) -> bool:
    """Whether a cell holds nothing: no value, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def set_path(target: dict[str, Any], path: Path, value: Any) -> None:
    """Set ``value`` at ``path`` in nested dicts and lists, creating them as needed."""
    node: Any = target
    for key, following in itertools.pairwise(path):
        child_default: Any = [] if isinstance(following, int) else {}
        if isinstance(key, int):
            while len(node) <= key:
                node.append(None)
            if node[key] is None:
                node[key] = child_default
            node = node[key]
        else:
            node = node.setdefault(key, child_default)
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value
