"""GB/T 2260 administrative divisions (统计用区划代码 2023).

A region code here is 2 digits (province), 4 digits (prefecture) or 6 digits
(county); six-digit codes ending in ``0000`` or ``00`` are read as the province or
prefecture they name. Data about 2016-2020 may carry codes retired since (e.g.
莱芜 371200, merged into 济南 at the end of 2018): :func:`region_status` tells them apart
from codes that never existed, by the GB/T 2260 history since 1980
(:func:`cpsdk.codes.region_history`), so callers can warn rather than reject.
"""

from __future__ import annotations

import functools
from typing import Literal

import attrs

from cpsdk.codes._tables import read_table


@attrs.frozen
class Region:
    """One division: its short code (2, 4 or 6 digits), name and parent's short code."""

    code: str
    name: str
    parent: str | None

    @property
    def level(self) -> Literal["province", "prefecture", "county"]:
        """Which tier the division is."""
        return {2: "province", 4: "prefecture"}.get(len(self.code), "county")  # type: ignore[return-value]


@functools.cache
def _regions() -> dict[str, Region]:
    table: dict[str, Region] = {}
    for row in read_table("provinces.csv"):
        table[row["code"]] = Region(row["code"], row["name"], None)
    for row in read_table("cities.csv"):
        table[row["code"]] = Region(row["code"], row["name"], row["provinceCode"])
    for row in read_table("areas.csv"):
        table[row["code"]] = Region(row["code"], row["name"], row["cityCode"])
    return table


def short_code(code: str) -> str:
    """The 2-, 4- or 6-digit form of a region code (``510000`` → ``51``, ``510100`` → ``5101``)."""
    if len(code) == 6 and code.isdigit():
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
    return code


def region(code: str) -> Region | None:
    """The division with this code (2, 4 or 6 digits), or None."""
    return _regions().get(short_code(code))


def region_name(code: str) -> str | None:
    """The division's own name, e.g. ``成都市`` for ``5101``."""
    found = region(code)
    return found.name if found else None


def region_parent(code: str) -> Region | None:
    """The division one tier up, or None for a province or an unknown code."""
    found = region(code)
    return _regions().get(found.parent) if found and found.parent else None


def region_province(code: str) -> Region | None:
    """The province a code belongs to (by its first two digits)."""
    return _regions().get(code[:2]) if len(code) >= 2 else None


def region_full_name(code: str) -> str | None:
    """Province, prefecture and county names joined, e.g. ``四川省成都市武侯区``.

    The municipalities' ``市辖区`` tier is left out.
    """
    found = region(code)
    if found is None:
        return None
    names: list[str] = []
    current: Region | None = found
    while current is not None:
        if current.name != "市辖区":
            names.append(current.name)
        current = _regions().get(current.parent) if current.parent else None
    return "".join(reversed(names))


def all_regions() -> tuple[Region, ...]:
    """Every division of the current table (provinces, prefectures, counties), by code."""
    return tuple(sorted(_regions().values(), key=lambda r: r.code))


def region_children(code: str) -> tuple[Region, ...]:
    """The divisions one tier below ``code`` (a province's prefectures, a prefecture's counties), by code."""
    parent = short_code(code)
    return tuple(sorted((r for r in _regions().values() if r.parent == parent), key=lambda r: r.code))


@functools.cache
def _regions_by_name() -> dict[str, tuple[Region, ...]]:
    """Each division under its own name and under its full name, in code order."""
    index: dict[str, list[Region]] = {}
    for r in _regions().values():
        for name in dict.fromkeys((r.name, region_full_name(r.code))):
            if name is not None:
                index.setdefault(name, []).append(r)
    return {name: tuple(found) for name, found in index.items()}


def region_by_name(name: str, within: str = "") -> Region | None:
    """The division called ``name`` (its own or its full name) under the prefix ``within``.

    None when no division or more than one at the same tier has that name (e.g. two 市辖区).
    """
    prefix = short_code(within)
    found = [r for r in _regions_by_name().get(name.strip(), ()) if r.code.startswith(prefix)]
    # A 市辖区 tier shares its city's full name: the higher division is the one meant.
    shortest = [r for r in found if len(r.code) == min((len(r.code) for r in found), default=0)]
    return shortest[0] if len(shortest) == 1 else None


#: Endings a division's name is typed without (绵阳 for 绵阳市), or shortened to (阿坝州 for 阿坝藏族羌族自治州).
_NAME_ENDINGS = ("自治州", "自治县", "自治旗", "地区", "林区", "特区", "市", "州", "县", "区", "盟", "旗")


def region_by_short_name(name: str, within: str = "") -> Region | None:
    """The one division under ``within`` that ``name`` names as clerks shorten it: without its ending
    (``绵阳`` → 绵阳市) or with a short one (``阿坝州`` → 阿坝藏族羌族自治州, ``凉山州``); None when
    ``name`` is a division's own name, or names none or several at the same tier."""
    stem = name.strip()
    for ending in _NAME_ENDINGS:
        if stem.endswith(ending) and len(stem) > len(ending) + 1:
            stem = stem.removesuffix(ending)
            break
    if len(stem) < 2 or region_by_name(name, within) is not None:
        return None
    prefix = short_code(within)
    found = [
        r
        for r in _regions().values()
        if r.code.startswith(prefix)
        and r.name.startswith(stem)
        and r.name.endswith(_NAME_ENDINGS)
        and (r.name[len(stem) :] in _NAME_ENDINGS or "自治" in r.name[len(stem) :])
    ]
    shortest = [r for r in found if len(r.code) == min((len(r.code) for r in found), default=0)]
    return shortest[0] if len(shortest) == 1 else None


def region_status(code: str) -> Literal["current", "retired", "unknown"]:
    """``current`` when in the table (or, like 台湾省 710000, in force in GB/T 2260 though
    the statistical table leaves it out); ``retired`` when a GB/T 2260 list since 1980 had
    it (see :func:`cpsdk.codes.region_history` for when it went and what replaced it);
    ``unknown`` when none did, or it is not a 2-, 4- or 6-digit code.

    Codes in the table are answered without reading the history table.
    """
    if not (code.isascii() and code.isdigit() and len(code) in (2, 4, 6)):
        return "unknown"
    if region(code) is not None:
        return "current"
    from cpsdk.codes._history import history_status  # the history is read on first need

    return history_status(code)
