"""Quantities convert exactly; code tables answer lookups."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpsdk
from cpsdk import Quantity, Unit
from cpsdk.codes import (
    industry_ancestors,
    industry_name,
    is_industry,
    key_industries_of,
    region_full_name,
    region_name,
    region_parent,
    region_province,
    region_status,
    uscc_problem,
)


def test_summing_a_tenth_ten_thousand_times_gives_exactly_a_thousand() -> None:
    total = Quantity(0, Unit.TEN_THOUSAND_YUAN)
    for _ in range(10_000):
        total = total + Quantity("0.1", Unit.TEN_THOUSAND_YUAN)
    assert total.value == Decimal(1000)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False), st.sampled_from(list(Unit)))
def test_conversion_there_and_back_never_changes_a_value(value: Decimal, unit: Unit) -> None:
    for other in Unit:
        if other.dimension is unit.dimension:
            assert Quantity(value, unit).to(other).to(unit).value == value
            assert (
                Quantity(value, unit).to(other).value * Decimal(10) ** other.exponent
                == value * Decimal(10) ** unit.exponent
            )


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("1.2 亿元", Unit.TEN_THOUSAND_YUAN, Decimal(12000)),
        ("7.9亿度", Unit.KWH, Decimal(790000000)),
        ("3 万吨标煤", Unit.TCE, Decimal(30000)),
        ("0.5", Unit.TONNE, Decimal("0.5")),
        ("20,270 万元", Unit.YUAN, Decimal(202700000)),
        ({"value": "5414", "unit": "吨"}, Unit.TEN_THOUSAND_TONNES, Decimal("0.5414")),
    ],
)
def test_text_with_a_unit_is_converted_to_the_fields_unit(text: object, unit: Unit, value: Decimal) -> None:
    assert Quantity.parse(text, unit).to(unit).value == value


@pytest.mark.parametrize("bad", ["1 元", "abc", "NaN", "1e400", float("nan"), True, "1" * 40])
def test_bad_amounts_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        Quantity.parse(bad, Unit.TONNE).to(Unit.TONNE)


def test_region_lookups() -> None:
    assert region_name("510107") == "武侯区"
    assert region_name("510100") == "成都市"
    assert region_parent("510107").name == "成都市"  # type: ignore[union-attr]
    assert region_province("510107").name == "四川省"  # type: ignore[union-attr]
    assert region_full_name("510107") == "四川省成都市武侯区"
    assert region_full_name("110101") == "北京市东城区"
    assert region_status("371202") == "retired"
    assert region_status("990101") == "unknown"


def test_industry_lookups_derive_single_class_groups() -> None:
    assert industry_name("3011") == "水泥制造"
    assert [i.code for i in industry_ancestors("3011")] == ["C", "30", "301"]
    assert industry_name("019") == "其他农业"
    assert is_industry("0190") and not is_industry("9999")


def test_key_industries_by_code_and_by_tag() -> None:
    assert [k.tag for k in key_industries_of("3011")] == ["cement"]
    assert [k.tag for k in key_industries_of("2613")] == []
    assert [k.tag for k in key_industries_of("2613", ["chromium_salt"])] == ["chromium_salt"]
    assert len(cpsdk.codes.MIIT_KEY_INDUSTRIES) == 19
    for key in cpsdk.codes.MIIT_KEY_INDUSTRIES:
        assert all(is_industry(code) for code in key.codes), key
        assert key.within is None or is_industry(key.within)


def test_uscc_checks_go_through_stdnum() -> None:
    assert uscc_problem("91110000600037341L") is None
    assert uscc_problem("91110000600037341M") == ("校验码错误", "the check character is wrong")
    assert uscc_problem("9111") is not None
    assert uscc_problem("91110000 600037341L") is not None


def test_regions_are_found_by_their_own_or_full_name() -> None:
    from cpsdk.codes import region_by_name, region_children

    assert region_by_name("成都市", within="51").code == "5101"  # type: ignore[union-attr]
    # 广州市's 市辖区 has the same full name: the city is meant.
    assert region_by_name("广东省广州市").code == "4401"  # type: ignore[union-attr]
    assert region_by_name("市辖区") is None  # one in every city: ambiguous
    assert len(region_children("51")) == 21
