"""The GB/T 2260 history since 1980: retired codes are warnings naming the year they went and
what replaced them, codes that never existed are errors, and the table is read only when a
code not in force is seen."""

from __future__ import annotations

import json
from typing import Any

import pytest

import cpsdk
from cpsdk.codes import (
    RegionPeriod,
    region,
    region_full_name,
    region_history,
    region_status,
    region_successors,
)
from cpsdk.codes._history import _history, last_period
from cpsdk.codes._regions import _regions
from cpsdk.datasets import _checks

VALID: dict[str, Any] = {
    "enterprises": [{"uscc": "91110000600037341L", "name": "成都水泥有限公司", "region": "510107", "industry": "3011"}],
}


def issues_for(code: str) -> list[cpsdk.Issue]:
    document = json.loads(json.dumps(VALID))
    document["enterprises"][0]["region"] = code
    return cpsdk.validate(document)


def test_the_table_loads_and_holds_together() -> None:
    table = _history()
    assert len(table) > 7000
    periods = [p for found in table.values() for p in found]
    years = [year for p in periods for year in (p.first_year, p.last_year) if year is not None]
    assert min(years) == 1980 and max(years) == 2023
    for code, found in table.items():
        assert len(code) == 6 and code.isdigit()
        assert sum(p.in_force for p in found) <= 1, code
        for p in found:
            assert p.code == code and p.name
            assert p.first_year is None or p.last_year is None or p.first_year <= p.last_year, p
            assert p.in_force or p.last_year is not None
            assert not (p.in_force and p.successors), p
            for successor in p.successors:
                assert successor in table, (p, successor)
    # Every code of the current table is in force in the history, and the history adds only
    # the three GB/T 2260 codes the statistical table leaves out.
    in_force = {code for code, found in table.items() if any(p.in_force for p in found)}
    assert in_force - {code.ljust(6, "0") for code in _regions()} == {"710000", "810000", "820000"}
    assert {code.ljust(6, "0") for code in _regions()} <= in_force


@pytest.mark.parametrize(
    ("code", "name", "first", "last", "successors"),
    [
        ("371200", "莱芜市", 1992, 2018, ("370100",)),
        ("371202", "莱城区", 1992, 2018, ("370116",)),
        ("371203", "钢城区", 1992, 2018, ("370117",)),
        ("110103", "崇文区", 1980, 2010, ("110101",)),
        ("440102", "东山区", 1980, 2005, ("440104",)),
        ("512900", "南充地区", 1980, 1993, ("511300", "513600", "519008")),
        ("540422", "米林县", 2015, 2023, ("540481",)),
    ],
)
def test_retired_codes_have_their_years_and_successors(
    code: str, name: str, first: int, last: int, successors: tuple[str, ...]
) -> None:
    assert region_status(code) == "retired"
    assert region(code) is None
    period = last_period(code)
    assert period == RegionPeriod(code, name, first, last, successors)
    assert not period.in_force


@pytest.mark.parametrize(
    ("code", "name", "first"),
    [
        ("370116", "莱芜区", 2018),
        ("510107", "武侯区", 1990),
        ("511300", "南充市", 1993),
        ("513200", "阿坝藏族羌族自治州", 1987),
        ("540481", "米林市", 2023),
    ],
)
def test_codes_in_force_are_current(code: str, name: str, first: int) -> None:
    assert region_status(code) == "current"
    history = region_history(code)
    assert history[-1] == RegionPeriod(code, name, first, None)
    assert history[-1].in_force and region_successors(code) == ()


def test_a_code_keeps_its_former_names() -> None:
    assert [(p.name, p.first_year, p.last_year) for p in region_history("513200")] == [
        ("阿坝藏族自治州", 1980, 1987),
        ("阿坝藏族羌族自治州", 1987, None),
    ]
    assert [p.name for p in region_history("120110")] == ["东郊区", "东丽区"]


@pytest.mark.parametrize("code", ["123456", "519999", "999999", "990101", "5199", "99", "000000"])
def test_codes_that_never_existed_have_no_history(code: str) -> None:
    assert region_history(code) == ()
    assert region_status(code) == "unknown"
    assert region_successors(code) == ()


@pytest.mark.parametrize("code", ["", "37120", "3712020", "37l202", "３７１２０２", "-37120", "37 202"])
def test_malformed_codes_are_unknown(code: str) -> None:
    assert region_history(code) == ()
    assert region_status(code) == "unknown"


def test_short_codes_name_the_province_or_prefecture() -> None:
    assert region_history("3712") == region_history("371200")
    assert region_status("3712") == "retired"
    assert region_history("51")[-1].name == "四川省"


def test_successors_are_followed_to_codes_in_force() -> None:
    # 邯郸地区's 邯郸市 → 130400 邯郸市 (in force).
    assert region_successors("132101") == ("130400",)
    # 石家庄 郊区 (2001) went to five districts; 130103 桥东区 was retired in turn (2015) into two of them.
    assert region_successors("130106") == ("130102", "130104", "130105", "130108")
    assert all(region_status(code) == "current" for code in region_successors("512900"))
    # A statistics-only code has no recorded successor.
    assert region_status("130101") == "retired" and region_successors("130101") == ()


def test_full_names_are_those_of_the_time() -> None:
    assert last_period("371202").full_name == "山东省莱芜市莱城区"  # type: ignore[union-attr]
    assert last_period("110103").full_name == "北京市崇文区"  # type: ignore[union-attr]
    assert last_period("132101").full_name == "河北省邯郸地区邯郸市"  # type: ignore[union-attr]
    assert last_period("130101").full_name == "河北省石家庄市市辖区"  # type: ignore[union-attr]
    assert region_history("510107")[-1].full_name == region_full_name("510107") == "四川省成都市武侯区"
    assert [p.level for p in region_history("371200") + region_history("371202") + region_history("37")] == [
        "prefecture",
        "county",
        "province",
    ]


def test_a_retired_code_is_a_warning_naming_its_year_and_successor() -> None:
    issues = issues_for("371202")
    assert [(i.code, i.severity, i.pointer) for i in issues] == [
        ("code.region-retired", cpsdk.Severity.WARNING, "/enterprises/0/region")
    ]
    assert (
        issues[0].message_zh
        == "行政区划代码 371202（山东省莱芜市莱城区）已于 2018 年撤销，现为 370116（山东省济南市莱芜区）"
    )
    assert issues[0].message_en == (
        "region code '371202' (山东省莱芜市莱城区) was retired in 2018; now 370116 (山东省济南市莱芜区)"
    )
    several = issues_for("130106")[0]
    assert "130102（河北省石家庄市长安区）、130104" in several.message_zh
    assert "was retired in 2001; now 130102 (河北省石家庄市长安区), 130104" in several.message_en
    unrecorded = issues_for("130101")[0]
    assert (unrecorded.code, unrecorded.severity) == ("code.region-retired", cpsdk.Severity.WARNING)
    assert "2019" in unrecorded.message_zh and "no successor is recorded" in unrecorded.message_en


@pytest.mark.parametrize("code", ["123456", "519999", "990101"])
def test_a_code_that_never_existed_is_an_error(code: str) -> None:
    issues = issues_for(code)
    assert [(i.code, i.severity) for i in issues] == [("code.region", cpsdk.Severity.ERROR)]
    assert code in issues[0].message_zh and "1980" in issues[0].message_en


@pytest.mark.parametrize("code", ["510107", "370116", "513200", "511300", "810000"])
def test_codes_in_force_pass(code: str) -> None:
    assert issues_for(code) == []


def test_many_successors_are_counted_after_the_first_few(monkeypatch: pytest.MonkeyPatch) -> None:
    many = tuple(f"5101{n:02d}" for n in (4, 5, 6, 7, 8, 12, 13, 14))
    monkeypatch.setattr(_checks, "region_successors", lambda code: many)
    problem = _checks._region_problem("510102")
    assert problem is not None
    code, zh, en = problem
    assert code == "code.region-retired"
    assert zh.endswith("510112（四川省成都市龙泉驿区） 等 8 个") and "510113" not in zh
    assert en.endswith("510112 (四川省成都市龙泉驿区) and 2 more")


def test_the_history_is_read_only_for_a_code_not_in_force() -> None:
    _history.cache_clear()
    try:
        assert cpsdk.validate(VALID) == []
        assert region_status("5101") == "current"
        assert _history.cache_info().currsize == 0
        assert [i.code for i in issues_for("371202")] == ["code.region-retired"]
        assert _history.cache_info().currsize == 1
    finally:
        _history()
