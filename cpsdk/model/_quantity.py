"""Exact quantities with units.

Every amount in cpsdk is a :class:`decimal.Decimal`; units differ only by powers of
ten within a dimension (吨/万吨, 元/万元/亿元, 度/万度/亿度, 吨标准煤/万吨标准煤), so a
conversion is an exponent shift (``Decimal.scaleb``) and never changes the value.
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

#: Largest number of significant digits an amount may carry. Beyond this an input
#: is refused rather than silently rounded.
MAX_DIGITS = 28
#: Amounts are refused when their magnitude is at or beyond 10**MAX_MAGNITUDE.
MAX_MAGNITUDE = 18
#: ... or when they need more decimal places than this: far below a 分 of 万元 or a milligram of 吨,
#: and room for any double a spreadsheet computes from 1e-13 up (``0.30000000000000004``), but no
#: ``1e-400`` that a workbook would store as 0. A zero written with a longer exponent is plain zero.
MAX_PLACES = 30


class Dimension(str, enum.Enum):
    """What a unit measures."""

    MASS = "mass"
    MONEY = "money"
    ELECTRICITY = "electricity"
    ENERGY = "energy"


class Unit(enum.Enum):
    """Units as the forms print them, each a power of ten of its dimension's base."""

    KILOGRAM = ("千克", Dimension.MASS, -3)
    TONNE = ("吨", Dimension.MASS, 0)
    TEN_THOUSAND_TONNES = ("万吨", Dimension.MASS, 4)
    YUAN = ("元", Dimension.MONEY, 0)
    TEN_THOUSAND_YUAN = ("万元", Dimension.MONEY, 4)
    HUNDRED_MILLION_YUAN = ("亿元", Dimension.MONEY, 8)
    KWH = ("度", Dimension.ELECTRICITY, 0)
    TEN_THOUSAND_KWH = ("万度", Dimension.ELECTRICITY, 4)
    HUNDRED_MILLION_KWH = ("亿度", Dimension.ELECTRICITY, 8)
    TCE = ("吨标准煤", Dimension.ENERGY, 0)
    TEN_THOUSAND_TCE = ("万吨标准煤", Dimension.ENERGY, 4)

    def __init__(self, symbol: str, dimension: Dimension, exponent: int) -> None:
        self.symbol = symbol
        self.dimension = dimension
        self.exponent = exponent

    @classmethod
    def parse(cls, text: str) -> Unit:
        """The unit named by ``text`` (its symbol or a common alias, e.g. ``kWh``, ``万吨标煤``)."""
        key = text.strip()
        unit = _ALIASES.get(key) or _ALIASES.get(key.lower())
        if unit is None:
            raise ValueError(f"unknown unit {text!r}")
        return unit

    def __str__(self) -> str:
        return self.symbol


_ALIASES: dict[str, Unit] = {unit.symbol: unit for unit in Unit}
_ALIASES.update(
    {
        "kg": Unit.KILOGRAM,
        "公斤": Unit.KILOGRAM,
        "t": Unit.TONNE,
        "噸": Unit.TONNE,
        "萬噸": Unit.TEN_THOUSAND_TONNES,
        "万t": Unit.TEN_THOUSAND_TONNES,
        "萬元": Unit.TEN_THOUSAND_YUAN,
        "億元": Unit.HUNDRED_MILLION_YUAN,
        "kwh": Unit.KWH,
        "千瓦时": Unit.KWH,
        "千瓦時": Unit.KWH,
        "万kwh": Unit.TEN_THOUSAND_KWH,
        "万千瓦时": Unit.TEN_THOUSAND_KWH,
        "萬度": Unit.TEN_THOUSAND_KWH,
        "亿kwh": Unit.HUNDRED_MILLION_KWH,
        "亿千瓦时": Unit.HUNDRED_MILLION_KWH,
        "億度": Unit.HUNDRED_MILLION_KWH,
        "tce": Unit.TCE,
        "吨标煤": Unit.TCE,
        "噸標準煤": Unit.TCE,
        "万tce": Unit.TEN_THOUSAND_TCE,
        "万吨标煤": Unit.TEN_THOUSAND_TCE,
        "萬噸標準煤": Unit.TEN_THOUSAND_TCE,
        "萬噸標煤": Unit.TEN_THOUSAND_TCE,
    }
)

#: A number (commas allowed where :func:`to_decimal` allows them: thousands grouping) and an optional unit.
_NUMBER_WITH_UNIT = re.compile(r"^\s*([+-]?(?:[\d,]+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(\S*?)\s*$")
#: A plain decimal number, as :func:`cpsdk.dump` writes amounts.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def check_amount(value: Decimal) -> Decimal:
    """``value`` if it is finite and within cpsdk's bounds of digits, magnitude and decimal places.

    A zero whose exponent lies outside them (``0E-999999999``) is plain zero: written out in
    full it would take gigabytes.
    """
    if not value.is_finite():
        raise ValueError(f"{value} is not a finite number")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if not value:
        return value if -MAX_PLACES <= exponent <= MAX_MAGNITUDE else _ZERO
    if len(value.as_tuple().digits) > MAX_DIGITS or value.adjusted() >= MAX_MAGNITUDE:
        raise ValueError(f"{value} is too large or too precise (at most {MAX_DIGITS} digits below 1e{MAX_MAGNITUDE})")
    if exponent < -MAX_PLACES and value.normalize().as_tuple().exponent < -MAX_PLACES:  # type: ignore[operator]
        raise ValueError(f"{value} has more than {MAX_PLACES} decimal places")
    return value


_ZERO = Decimal(0)


_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def to_decimal(value: Any) -> Decimal:
    """An exact Decimal from an int, a Decimal or a numeric string (floats are refused)."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, Decimal):
        return check_amount(value)
    if isinstance(value, int):
        if abs(value) >= 10**MAX_MAGNITUDE:
            raise ValueError(f"{value} is too large")
        return Decimal(value)
    if isinstance(value, str):
        text = value.strip()
        if "," in text:
            if not _GROUPED.match(text):
                raise ValueError(f"{value!r}: commas are only allowed as thousands separators (1,234.5)")
            text = text.replace(",", "")
        if len(text) > 64:
            raise ValueError("numeric text is too long")
        try:
            return check_amount(Decimal(text))
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    raise ValueError(f"{type(value).__name__} is not an amount")


def _exact(value: Any) -> Decimal:
    """Quantities made in code may exceed input bounds after conversion; they must be finite."""
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return to_decimal(value)


@attrs.frozen
class Quantity:
    """An exact amount in a unit; arithmetic converts the right operand to the left's unit."""

    value: Decimal = attrs.field(converter=_exact)
    unit: Unit

    def to(self, unit: Unit) -> Quantity:
        """The same quantity in another unit of the same dimension, exactly."""
        return Quantity(to_unit(self.value, self.unit, unit), unit)

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.value + other.to(self.unit).value, self.unit)

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(self.value - other.to(self.unit).value, self.unit)

    def __str__(self) -> str:
        return f"{format_decimal(self.value)} {self.unit.symbol}"

    @classmethod
    def parse(cls, value: Any, default_unit: Unit) -> Quantity:
        """A quantity from a number (in ``default_unit``), or text such as ``"1.2 亿元"``.

        A mapping ``{"value": ..., "unit": ...}`` is accepted too.
        """
        if isinstance(value, dict):
            if set(value) - {"value", "unit"} or "value" not in value:
                raise ValueError('an amount object has exactly the keys "value" and "unit"')
            unit = Unit.parse(value["unit"]) if isinstance(value.get("unit"), str) else default_unit
            return cls(to_decimal(value["value"]), unit)
        if isinstance(value, str):
            match = _NUMBER_WITH_UNIT.match(value)
            if match is None:
                raise ValueError(f"{value!r} is not an amount")
            number, symbol = match.groups()
            return cls(to_decimal(number), Unit.parse(symbol) if symbol else default_unit)
        return cls(to_decimal(value), default_unit)


def to_unit(value: Decimal, source: Unit, target: Unit) -> Decimal:
    """``value`` in ``source`` units expressed in ``target`` units, exactly."""
    if source.dimension is not target.dimension:
        raise ValueError(f"cannot convert {source.symbol} to {target.symbol}")
    if source is target:
        return value  # the same object: equal amounts read from one file stay shared
    return value.scaleb(source.exponent - target.exponent)


def format_decimal(value: Decimal) -> str:
    """Plain positional notation with no exponent and no trailing zeros beyond the value's own."""
    if not value and value.as_tuple().exponent < -MAX_PLACES:  # type: ignore[operator]
        return "0"  # a zero made in code may carry any exponent: never write it out in full
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


_TRUE_WORDS = frozenset({"1", "true", "yes", "y", "是", "对"})
_FALSE_WORDS = frozenset({"0", "false", "no", "n", "否", "不"})


def decimal_parameter(
    value: object, name: str, *, minimum: Decimal | int | None = None, maximum: Decimal | int | None = None
) -> Decimal:
    """A build parameter given as a number (``"8"``, ``8``, ``Decimal("8.5")``), exactly, within bounds.

    Raises ValueError saying what is accepted for anything else: text that is no number, NaN, an
    infinity, and a number outside ``minimum``..``maximum`` (or cpsdk's amount bounds).
    """
    accepted = "a number" + (
        f" from {minimum} to {maximum}" if minimum is not None and maximum is not None
        else f" of at least {minimum}" if minimum is not None
        else f" of at most {maximum}" if maximum is not None
        else ""
    )  # fmt: skip
    try:
        number = to_decimal(value if isinstance(value, (int, Decimal, str)) else str(value))
    except ValueError:
        raise ValueError(f"{name} takes {accepted}, got {str(value)[:40]!r}") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ValueError(f"{name} takes {accepted}, got {str(value)[:40]!r}")
    return number


def flag_parameter(value: object, name: str) -> bool:
    """A build parameter given as yes or no (``true``/``false``, ``1``/``0``, ``yes``/``no``, ``是``/``否``)."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(f"{name} takes true or false (1/0, yes/no, 是/否), got {str(value)[:40]!r}")
