"""Merging the 附件3 of several 市（州） into the province's.

For cities with disjoint records, merging their reports gives the report built from
the union of their records for every additive figure: every 年/累计 pair (enterprises
belong to one city, so distinct counts add up), the section 9 counts, and the
document list (the union, in date order). What does not add up, and how it is merged:

- 种类1-3 of 资源综合利用: each city names its own three kinds and puts the rest in
  其他, so the province re-ranks the kinds the cities named by tonnes since 2016 and
  adds the ones that do not make its top three to 其他. Built from records, the
  province would rank every named kind; the sum of 种类1-3 and 其他 is the same either way.
- 专家库 有/无: the province has a pool when any city has one.
- 十一 and 十二 (free text): each city's text, prefixed with its name.
- 填报单位, 填表人, 联系方式: the province's own, given as parameters.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, cast

import attrs

from cpsdk import ReportError, error
from cpsdk_sichuan._scope import PROVINCE, filing_region
from cpsdk_sichuan._source import cite
from cpsdk_sichuan.annual.report import (
    AnnualReport,
    Byproducts,
    Capacity,
    Count,
    DocumentRow,
    Money,
    Quantity,
)

T = TypeVar("T")


def add(first: T, second: T) -> T:
    """Two sections added field by field (pairs summed, nested sections recursed)."""
    if isinstance(first, (Count, Money, Quantity)):
        return cast(T, first + cast(Any, second))
    section = cast(Any, type(first))
    values = {
        field.name: add(getattr(first, field.name), getattr(second, field.name)) for field in attrs.fields(section)
    }
    return cast(T, section(**values))


def merge_byproducts(parts: Sequence[Byproducts]) -> Byproducts:
    """Standard kinds summed; the kinds the cities named re-ranked into 种类1-3, the rest into 其他."""
    named: dict[str, Quantity] = {}
    other = Quantity()
    for part in parts:
        other = other + part.other
        for name, quantity in part.named():
            if name:
                named[name] = named.get(name, Quantity()) + quantity
            else:
                other = other + quantity
    ranked = sorted(named, key=lambda name: (-named[name].cumulative, name))
    for name in ranked[3:]:
        other = other + named[name]
    names: list[str | None] = [*ranked[:3], None, None, None][:3]
    kinds = {f"kind{n}": named[name] if name else Quantity() for n, name in enumerate(names, start=1)}
    total = Byproducts()
    for part in parts:
        total = attrs.evolve(
            total,
            fly_ash=total.fly_ash + part.fly_ash,
            coal_gangue=total.coal_gangue + part.coal_gangue,
            phosphogypsum=total.phosphogypsum + part.phosphogypsum,
        )
    return attrs.evolve(total, kind1_name=names[0], kind2_name=names[1], kind3_name=names[2], other=other, **kinds)


def merge_capacity(parts: Sequence[Capacity]) -> Capacity:
    """Counts summed; a pool when any city has one."""
    return Capacity(
        agencies=sum(p.agencies for p in parts),
        agency_staff=sum(p.agency_staff for p in parts),
        expert_pool=any(p.expert_pool for p in parts),
        experts=sum(p.experts for p in parts),
    )


def merge_documents(parts: Sequence[tuple[DocumentRow, ...]]) -> tuple[DocumentRow, ...]:
    """The union of the lists, each document once, in date order."""
    seen: dict[DocumentRow, None] = {}
    for rows in parts:
        for row in rows:
            seen.setdefault(row, None)
    return tuple(sorted(seen, key=lambda row: (row.issued_on or datetime.date.min, row.title)))


def _texts(reports: Sequence[AnnualReport], field: str) -> str | None:
    lines = [f"{r.region_name}：{text}" for r in reports if (text := getattr(r, field))]
    return "\n".join(lines) or None


def refusals(reports: Sequence[AnnualReport], region: str) -> list[Any]:
    """Why these reports cannot be merged into ``region``'s (empty when they can)."""
    source = cite(3)
    if not reports:
        return [error("sichuan.merge.empty", "没有可合并的报送表", "there are no reports to merge", source=source)]
    issues = []
    if region != PROVINCE:
        issues.append(
            error(
                "sichuan.merge.region",
                "市（州）报送表只能合并为全省（51）的报送表",
                "the reports of 市（州） merge into the province's (51) only",
                source=source,
            )
        )
    years = sorted({r.year for r in reports})
    if len(years) > 1:
        issues.append(
            error(
                "sichuan.merge.years",
                f"报送表年度不一致：{'、'.join(map(str, years))}",
                f"the reports are of different years: {', '.join(map(str, years))}",
                source=source,
            )
        )
    seen: set[str] = set()
    for report in reports:
        if len(report.region) != 4 or not report.region.startswith(PROVINCE):
            issues.append(
                error(
                    "sichuan.merge.not-city",
                    f"“{report.region_name}”不是四川省的市（州），不能参与合并",
                    f"{report.region_name} is not a 市（州） of Sichuan, so it cannot be merged",
                    source=source,
                )
            )
        elif report.region in seen:
            issues.append(
                error(
                    "sichuan.merge.duplicate",
                    f"{report.region_name}的报送表出现了两次",
                    f"{report.region_name} is given twice",
                    source=source,
                )
            )
        seen.add(report.region)
    return issues


def merge_annual(reports: Sequence[AnnualReport], region: str | None = None, **header: Any) -> AnnualReport:
    """The province's 附件3 from its cities' reports of one year; raises ReportError when they do not fit."""
    code, name = filing_region(region or PROVINCE)
    problems = refusals(reports, code)
    if problems:
        raise ReportError("the reports cannot be merged", problems)
    ordered = sorted(reports, key=lambda r: r.region)
    first = ordered[0]
    sections: dict[str, Any] = {}
    for field in (
        "training",
        "audits",
        "accepted",
        "retrofits",
        "effects",
        "industries",
        "demonstrations",
        "agreements",
    ):
        total = getattr(first, field)
        for report in ordered[1:]:
            total = add(total, getattr(report, field))
        sections[field] = total
    text: Mapping[str, Any] = {key: (str(value) if value else None) for key, value in header.items()}
    return AnnualReport(
        region=code,
        region_name=name,
        year=first.year,
        compiled_by=text.get("compiled_by"),
        filled_by=text.get("filled_by"),
        contact=text.get("contact"),
        byproducts=merge_byproducts([r.byproducts for r in ordered]),
        documents=merge_documents([r.documents for r in ordered]),
        capacity=merge_capacity([r.capacity for r in ordered]),
        other_work=text.get("other_work") or _texts(ordered, "other_work"),
        problems=text.get("problems") or _texts(ordered, "problems"),
        **sections,
    )
