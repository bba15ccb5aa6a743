"""Values as clerks type them (cpsdk/workbook/_typed.py): read exactly, every adjustment said."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

import cpsdk
from cpsdk.model._quantity import Unit
from cpsdk.workbook._typed import as_typed

WAN = Unit.TEN_THOUSAND_YUAN


@pytest.mark.parametrize(
    ("raw", "tp", "unit", "value", "noted"),
    [
        ("１２，５８０．５", Decimal, WAN, Decimal("12580.5"), False),
        ("12,580.5", Decimal, WAN, Decimal("12580.5"), False),
        ("1.2亿元", Decimal, WAN, Decimal("12000"), True),
        ("125.8万元", Decimal, WAN, Decimal("125.8"), False),
        ("—", Decimal, WAN, None, True),
        ("55个", int, None, Decimal("55"), False),
        ("2016年", int, None, Decimal("2016"), False),
        (2018.12, datetime.date, None, datetime.date(2018, 12, 1), True),
        (datetime.datetime(1905, 7, 10, 2, 52, 48), datetime.date, None, datetime.date(2018, 12, 1), True),
        ("2018年3月", datetime.date, None, datetime.date(2018, 3, 1), True),
        ("2018/3/5", datetime.date, None, datetime.date(2018, 3, 5), False),
        ("√", bool, None, True, False),
        ("无", bool, None, False, False),
        ("  甲企业 ", str, None, "  甲企业 ", False),  # text is kept as typed; recognition strips what it lays out
    ],
)
def test_a_value_typed_reads_as_the_field_holds_it(raw: Any, tp: Any, unit: Any, value: Any, noted: bool) -> None:
    read, note = as_typed(raw, tp, unit)
    assert read == value
    assert (note is not None) == noted


@pytest.mark.parametrize(
    ("raw", "tp", "unit"),
    [("12吨", Decimal, WAN), ("12万元", Decimal, None), (2018.1, datetime.date, None), (2018.0, datetime.date, None)],
)
def test_a_value_that_cannot_be_read_with_certainty_is_refused_saying_what_to_type(
    raw: Any, tp: Any, unit: Any
) -> None:
    with pytest.raises(cpsdk.CellValueError) as refused:
        as_typed(raw, tp, unit)
    assert refused.value.zh and refused.value.en
