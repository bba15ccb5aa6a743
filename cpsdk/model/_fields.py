"""Field metadata shared by the model and the forms' reports.

Each attrs field carries its Chinese and English title, and where it applies its
unit and extra JSON Schema constraints. The JSON Schemas in ``schemas/`` are
generated from this metadata, so the model stays their single source of truth.
"""

from __future__ import annotations

from typing import Any

import attrs

from cpsdk.model._quantity import Unit

_NOTHING: Any = attrs.NOTHING


def describe(
    zh: str,
    en: str,
    *,
    default: Any = _NOTHING,
    factory: Any = None,
    unit: Unit | None = None,
    unit_from: str | None = None,
    about_zh: str | None = None,
    about_en: str | None = None,
    schema: dict[str, Any] | None = None,
    converter: Any = None,
) -> Any:
    """An attrs field with bilingual titles, an optional unit and JSON Schema extras.

    ``unit`` is the field's documented unit: a bare number in the input is read in
    it, and a number given with another unit of the same dimension is converted.
    ``unit_from`` names the field whose value gives this one's unit instead (an enumeration whose
    members have a ``unit``, such as an effect's metric): the input's units are converted to it.
    ``converter`` is attrs's: it turns the value given into the value kept.
    """
    metadata = titles(zh, en)
    if unit is not None:
        metadata["unit"] = unit
    if unit_from is not None:
        metadata["unit_from"] = unit_from
        schema = {**(schema or {}), "x-unit-from": unit_from}
    if about_zh is not None:
        metadata["about_zh"] = about_zh
    if about_en is not None:
        metadata["about_en"] = about_en
    if schema:
        metadata["schema"] = schema
    if factory is not None:
        return attrs.field(factory=factory, metadata=metadata, kw_only=True, converter=converter)
    return attrs.field(default=default, metadata=metadata, kw_only=True, converter=converter)


def titles(zh: str, en: str) -> dict[str, Any]:
    """The metadata of a field with a Chinese and an English title (what :func:`describe` records)."""
    return {"zh": zh, "en": en}


def titled(zh: str, en: str, about_zh: str | None = None, about_en: str | None = None) -> Any:
    """Class decorator recording a record kind's bilingual title for schemas and sheets."""

    def mark(cls: Any) -> Any:
        cls.__cpsdk_title__ = (zh, en, about_zh, about_en)
        return cls

    return mark


def field_unit(field: attrs.Attribute[Any]) -> Unit | None:
    """The documented unit of a field, if it has one."""
    unit: Unit | None = field.metadata.get("unit")
    return unit


def field_unit_from(field: attrs.Attribute[Any]) -> str | None:
    """The name of the field whose value gives this field's unit, if there is one."""
    source: str | None = field.metadata.get("unit_from")
    return source


def field_title(field: attrs.Attribute[Any]) -> tuple[str, str]:
    """The (Chinese, English) title of a field, falling back to its name."""
    return field.metadata.get("zh", field.name), field.metadata.get("en", field.name)


def field_titles(cls: type) -> dict[str, str]:
    """The Chinese title of each field of an attrs class by name (none for another class)."""
    return {field.name: field_title(field)[0] for field in attrs.fields(cls)} if attrs.has(cls) else {}
