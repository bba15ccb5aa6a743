"""JSON Schema (2020-12) generated from attrs classes and their field metadata.

The model is the single source of truth: ``schemas/dataset.schema.json`` and every
form's report schema are produced here, and a test regenerates them to prove the
committed files have not drifted.
"""

from __future__ import annotations

import collections.abc
import datetime
import enum
import json
import types
import typing
from decimal import Decimal
from typing import Any, Union

import attrs

from cpsdk.model._fields import field_title, field_unit
from cpsdk.model._quantity import Unit

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: A decimal number as text: what cpsdk writes for every amount.
DECIMAL_TEXT = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"
#: A decimal number followed by a unit, e.g. ``1.2 亿元``.
AMOUNT_TEXT = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*\S*\s*$"


def _amount_schema(field_schema: dict[str, Any], unit: Unit | None) -> dict[str, Any]:
    number: dict[str, Any] = {"type": "number"}
    if "minimum" in field_schema:
        number["minimum"] = field_schema["minimum"]
    unit_from = field_schema.get("x-unit-from")
    if unit is None and unit_from is None:
        return {"anyOf": [number, {"type": "string", "pattern": DECIMAL_TEXT, "maxLength": 64}]}
    dimension_units = [u.symbol for u in Unit if unit is None or u.dimension is unit.dimension]
    return {
        "anyOf": [
            number,
            {"type": "string", "pattern": AMOUNT_TEXT, "maxLength": 80},
            {
                "type": "object",
                "properties": {
                    "value": {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_TEXT}]},
                    "unit": {"type": "string", "examples": dimension_units},
                },
                "required": ["value", "unit"],
                "additionalProperties": False,
            },
        ],
        **({"x-unit": unit.symbol} if unit is not None else {"x-unit-from": unit_from}),
    }


class SchemaBuilder:
    """Builds one schema document, collecting attrs classes under ``$defs``."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def document(self, root: type, schema_id: str) -> dict[str, Any]:
        """A complete schema whose root is the attrs class ``root``."""
        body = self._object(root)
        return {"$schema": SCHEMA_DIALECT, "$id": schema_id, **body, "$defs": dict(sorted(self.defs.items()))}

    def for_type(self, tp: Any, field_schema: dict[str, Any] | None = None, unit: Unit | None = None) -> dict[str, Any]:
        """The schema of a Python type used in a field."""
        extra = dict(field_schema or {})
        origin = typing.get_origin(tp)
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            inner = self.for_type(args[0] if len(args) == 1 else Union[tuple(args)], extra, unit)  # noqa: UP007
            return {"anyOf": [inner, {"type": "null"}]}
        if isinstance(origin, type) and issubclass(origin, collections.abc.Sequence):
            item = typing.get_args(tp)[0]
            return {"type": "array", "items": self.for_type(item, extra, unit)}
        if tp is Decimal:
            return _amount_schema(extra, unit)
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer", **extra}
        if tp is str:
            return {"type": "string", **extra}
        if tp is datetime.date:
            return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            schema: dict[str, Any] = {"enum": [m.value for m in tp]}
            labels = {m.value: getattr(m, "zh", m.value) for m in tp}
            if any(labels[k] != k for k in labels):
                schema["x-labels-zh"] = labels
            return schema
        if isinstance(tp, type) and attrs.has(tp):
            name = tp.__name__
            if name not in self.defs:
                self.defs[name] = {}
                self.defs[name] = self._object(tp)
            return {"$ref": f"#/$defs/{name}"}
        raise TypeError(f"no JSON Schema for {tp!r}")

    def _object(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            zh, en = field_title(field)
            schema = self.for_type(hints[field.name], field.metadata.get("schema"), field_unit(field))
            described: dict[str, Any] = {"title": f"{zh} · {en}", "x-zh": zh, "x-en": en}
            about = [field.metadata[k] for k in ("about_zh", "about_en") if k in field.metadata]
            unit = field_unit(field)
            if unit is not None:
                about.append(f"单位 unit: {unit.symbol}")
            if about:
                described["description"] = " / ".join(about)
            properties[field.name] = {**described, **schema}
            if field.default is attrs.NOTHING:
                required.append(field.name)
        title = getattr(cls, "__cpsdk_title__", (cls.__name__, cls.__name__, None, None))
        result: dict[str, Any] = {
            "title": f"{title[0]} · {title[1]}",
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        if cls.__doc__:
            result["description"] = " ".join(cls.__doc__.split())
        if required:
            result["required"] = required
        return result


def schema_for(root: type, schema_id: str) -> dict[str, Any]:
    """The JSON Schema of the attrs class ``root``, with ``schema_id`` as its ``$id``."""
    return SchemaBuilder().document(root, schema_id)


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as the text written to ``schemas/`` (stable: sorted defs, two-space indent)."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
