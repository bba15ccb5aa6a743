"""The consistency rules of 附件3, as a filer expects them enforced.

Each issue points at the cell that shows the figure and cites the 填报说明 note it
follows. They apply the same way to a report built from records and to one read from
a workbook someone edited by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any, cast

import attrs

from cpsdk import Issue, error, json_pointer, warning
from cpsdk_sichuan._scope import CUMULATIVE_FROM
from cpsdk_sichuan._source import cite
from cpsdk_sichuan.annual.report import AnnualReport, Count, Money, Quantity
from cpsdk_sichuan.industries import COLUMNS

Pair = Count | Money | Quantity
PARTS = ("year", "cumulative")
_PART_ZH = {"year": "本年", "cumulative": "累计"}


def pairs_of(value: object, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Pair]]:
    """Every 年/累计 pair in a report, with its path."""
    if isinstance(value, (Count, Money, Quantity)):
        yield path, value
    elif attrs.has(type(value)):
        for field in attrs.fields(cast(Any, type(value))):
            yield from pairs_of(getattr(value, field.name), (*path, field.name))


def _at(*parts: str | int) -> str:
    return json_pointer(*parts)


def check_annual(report: AnnualReport) -> Iterator[Issue]:
    """Every rule of 附件3 applied to ``report``."""
    yield from _year(report)
    yield from _pairs(report)
    yield from _totals(report)
    yield from _sectors(report)
    yield from _within(report)
    yield from _capacity(report)
    yield from _byproduct_names(report)
    yield from _documents(report)


def _year(report: AnnualReport) -> Iterator[Issue]:
    if report.year < CUMULATIVE_FROM.year:
        yield error(
            "sichuan.annual.year",
            f"报告年度 {report.year} 早于2016年（累计自2016年1月1日起）",
            f"the reporting year {report.year} is before 2016 (累计 counts from 2016-01-01)",
            pointer=_at("year"),
            source=cite(3, 1),
        )


def _pairs(report: AnnualReport) -> Iterator[Issue]:
    """Nothing negative; 累计 includes the year, so it is never smaller."""
    for path, pair in pairs_of(report):
        for part in PARTS:
            if getattr(pair, part) < 0:
                yield error(
                    "sichuan.annual.negative",
                    f"{_PART_ZH[part]}数不能为负数",
                    f"the {part} figure must not be negative",
                    pointer=_at(*path, part),
                    source=cite(3),
                )
        if pair.cumulative < pair.year:
            yield error(
                "sichuan.annual.cumulative-below-year",
                f"累计数（{pair.cumulative}）小于本年数（{pair.year}）；累计应含本年",
                f"the cumulative figure ({pair.cumulative}) is below the year's ({pair.year}); it must include it",
                pointer=_at(*path, "cumulative"),
                source=cite(3, 1),
            )


def _totals(report: AnnualReport) -> Iterator[Issue]:
    """合计 = 自愿性 + 强制性 in sections 2 and 3."""
    for section, note in (("audits", 3), ("accepted", 4)):
        kinds = getattr(report, section)
        for part in PARTS:
            total = getattr(kinds.total, part)
            parts = getattr(kinds.voluntary, part) + getattr(kinds.mandatory, part)
            if total != parts:
                yield error(
                    "sichuan.annual.total",
                    f"合计（{total}）应等于自愿性与强制性之和（{parts}）",
                    f"the total ({total}) must equal voluntary plus mandatory ({parts})",
                    pointer=_at(section, "total", part),
                    source=cite(3, note),
                )


def _sectors(report: AnnualReport) -> Iterator[Issue]:
    """A sector's 总计/合计 is at least the sum of its 其中 columns (note [7])."""
    for sector in (column for column in COLUMNS if column.sector is None):
        parts = [column.key for column in COLUMNS if column.sector == sector.key]
        if not parts:
            continue
        for part in PARTS:
            total = getattr(getattr(report.industries, sector.key), part)
            inside = sum(getattr(getattr(report.industries, key), part) for key in parts)
            if total < inside:
                yield error(
                    "sichuan.annual.sector",
                    f"{sector.label}{_total_label(sector.key)}（{total}）小于其中各子行业之和（{inside}）",
                    f"the {sector.key} total ({total}) is below the sum of its sub-industries ({inside})",
                    pointer=_at("industries", sector.key, part),
                    source=cite(3, 7),
                )


def _total_label(sector: str) -> str:
    """The form prints 总计 over 机械, 建材 and 有色, 合计 over 化工 and 轻工."""
    return "合计" if sector in ("chemicals", "light") else "总计"


def _within(report: AnnualReport) -> Iterator[Issue]:
    """Cumulatively, acceptance follows audit and implementation follows proposal (warnings: pre-2016 work)."""
    checks = (
        ("accepted", "total", "audits", "total", "sichuan.annual.accepted-exceeds-audited", 4,
         "通过评估验收企业累计数大于开展审核企业累计数（2016年前开展的审核可能在之后验收）",
         "more enterprises accepted than audited since 2016 (audits before 2016 may be accepted later)"),
        ("retrofits", "implemented", "retrofits", "proposed", "sichuan.annual.implemented-exceeds-proposed", 5,
         "已实施项目累计数大于提出项目累计数（2016年前提出的项目可能在之后实施）",
         "more projects implemented than proposed since 2016 (projects proposed before 2016 may be done later)"),
        ("agreements", "rewarded", "agreements", "signed", "sichuan.annual.rewarded-exceeds-signed", None,
         "获得奖励和支持的企业累计数大于签订协议企业累计数",
         "more enterprises rewarded than signed an agreement since 2016"),
    )  # fmt: skip
    for section, name, other_section, other, code, note, zh, en in checks:
        value = getattr(getattr(report, section), name).cumulative
        limit = getattr(getattr(report, other_section), other).cumulative
        if value > limit:
            yield warning(
                code, zh, en, pointer=_at(section, name, "cumulative"), source=cite(3, note) if note else cite(3)
            )


def _capacity(report: AnnualReport) -> Iterator[Issue]:
    capacity = report.capacity
    for name in ("agencies", "agency_staff", "experts"):
        if getattr(capacity, name) < 0:
            yield error(
                "sichuan.annual.negative",
                "人数和数量不能为负数",
                "counts must not be negative",
                pointer=_at("capacity", name),
                source=cite(3),
            )
    if capacity.experts > 0 and not capacity.expert_pool:
        yield error(
            "sichuan.annual.experts-without-pool",
            "专家库勾选“无”，但专家人数大于0",
            "the expert pool is ticked 无 (none) but it has experts",
            pointer=_at("capacity", "expert_pool"),
            source=cite(3),
        )
    if capacity.agencies == 0 and capacity.agency_staff > 0:
        yield error(
            "sichuan.annual.staff-without-agency",
            "咨询机构数量为0，但从业人数大于0",
            "there are agency staff but no agencies",
            pointer=_at("capacity", "agency_staff"),
            source=cite(3),
        )


def _byproduct_names(report: AnnualReport) -> Iterator[Issue]:
    for number, (name, quantity) in enumerate(report.byproducts.named(), start=1):
        if not name and (quantity.year or quantity.cumulative):
            yield warning(
                "sichuan.annual.unnamed-kind",
                f"种类{number}有利用量但未填写名称",
                f"kind {number} has amounts but no name",
                pointer=_at("byproducts", f"kind{number}_name"),
                source=cite(3),
            )


def _documents(report: AnnualReport) -> Iterator[Issue]:
    for index, row in enumerate(report.documents):
        if row.issued_on is None:
            yield warning(
                "sichuan.annual.document-undated",
                f"文件“{row.title}”未填发布日期",
                f"the document {row.title!r} has no date",
                pointer=_at("documents", index, "issued_on"),
                source=cite(3),
            )
        elif not CUMULATIVE_FROM <= row.issued_on <= _year_end(report.year):
            yield error(
                "sichuan.annual.document-date",
                f"发布日期 {row.issued_on} 不在2016年1月1日至{report.year}年12月31日之间",
                f"the date {row.issued_on} is not between 2016-01-01 and the end of {report.year}",
                pointer=_at("documents", index, "issued_on"),
                source=cite(3, 1),
            )


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)
