"""A published form as the public sees it: the report's own fields (a public form holds public fields only),
read back from the stored workbook."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import cpsdk


@attrs.frozen
class PublicView:
    """The header fields and the tables of a published report, as text."""

    title: str
    header: list[tuple[str, str]]
    tables: list[tuple[str, list[str], list[list[str]]]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "value") and isinstance(value.value, str):  # an enumeration
        return str(getattr(value, "title", None) or value.value)
    return str(value)


def _title(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("zh", field.name))


@functools.lru_cache(maxsize=64)
def public_view(form_id: str, path: Path, sha256: str) -> PublicView:
    """The view of the published workbook at ``path`` (cached by its hash)."""
    form = cpsdk.form_of_workbook(form_id, path)
    report, _issues = cpsdk.read_report(form, path)
    if report is None:
        raise ValueError("the published workbook cannot be read")
    header: list[tuple[str, str]] = []
    tables: list[tuple[str, list[str], list[list[str]]]] = []
    for field in attrs.fields(type(report)):
        value = getattr(report, field.name)
        if isinstance(value, (tuple, list)) and value and attrs.has(type(value[0])):
            columns = list(attrs.fields(type(value[0])))
            rows = [[_text(getattr(row, column.name)) for column in columns] for row in value]
            tables.append((_title(field), [_title(column) for column in columns], rows))
        elif isinstance(value, (tuple, list)):
            continue
        elif field.name != "script":
            header.append((_title(field), _text(value)))
    return PublicView(form.title, header, tables)
