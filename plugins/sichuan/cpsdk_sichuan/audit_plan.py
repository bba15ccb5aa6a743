"""``sichuan.audit-plan`` — 附件1 ____市（州）“十三五”清洁生产审核计划.

One row per enterprise and year in which it is planned to carry out an audit in
2016-2020. How each column follows from the records:

- 实施年度: the audit's ``planned_year``; when none is recorded, the year it was listed
  for audit, started or confirmed (the first recorded). Audits outside 2016-2020 are
  not in the plan; an audit with no year at all is left out with a warning.
- 企业名称, 所在地 (the division below the filing region), 所属行业 (GB/T 4754-2017
  name), 主要产品, 主要污染物: from the enterprise.
- 2015年产值: the enterprise's output value for 2015, in 万元 (the form prints no unit;
  the province's convention is 万元, printed in the header).

An enterprise planned twice in the same year (two audits) is one row; planned in two
years (two rounds), it is two rows. Rows are ordered by year, 所在地 and name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from cpsdk import (
    Audit,
    Dataset,
    Issue,
    LayoutForm,
    Period,
    Scope,
    Unit,
    describe,
    error,
    json_pointer,
    titled,
    warning,
)
from cpsdk.workbook import Column, SheetLayout, Table, Title, WorkbookLayout
from cpsdk_sichuan._listing import contact_line, industry, joined, location, required
from cpsdk_sichuan._scope import EXAMPLE_FILING, PLAN_YEARS, FiledByRegion, filing_region
from cpsdk_sichuan._source import cite

SOURCE = cite(1)


@titled("审核计划企业", "Enterprise planned for an audit")
@attrs.frozen(kw_only=True)
class PlannedAudit:
    """One row of 附件1."""

    name: str | None = describe("企业名称", "Enterprise name", default=None)
    location: str | None = describe("所在地", "Where it is", default=None)
    industry: str | None = describe("所属行业", "Industry (GB/T 4754-2017)", default=None)
    output_2015: Decimal | None = describe(
        "2015年产值", "Output value in 2015", default=None, unit=Unit.TEN_THOUSAND_YUAN
    )
    main_products: str | None = describe("主要产品", "Main products", default=None)
    main_pollutants: str | None = describe("主要污染物", "Main pollutants", default=None)
    year: int | None = describe(
        "实施年度", "Year the audit is carried out", schema={"minimum": 2016, "maximum": 2020}, default=None
    )


@titled("“十三五”清洁生产审核计划", "13th Five-Year cleaner-production audit plan")
@attrs.frozen(kw_only=True)
class AuditPlan:
    """附件1 of one 市（州）, or of the province."""

    region: str = describe("地区代码", "Region code (51 or a 市（州）)", schema={"pattern": "^51([0-9]{2})?$"})
    region_name: str = describe("市（州）", "City or prefecture")
    rows: tuple[PlannedAudit, ...] = describe("审核计划", "Planned audits", factory=tuple)
    contact_person: str | None = describe("联系人", "Contact person", default=None)


def plan_year(audit: Audit) -> int | None:
    """The year an audit is planned for: ``planned_year``, else the first recorded date's year."""
    if audit.planned_year is not None:
        return audit.planned_year
    for date in (audit.listed_on, audit.started_on, audit.confirmed_on):
        if date is not None:
            return date.year
    return None


class AuditPlanForm(FiledByRegion, LayoutForm):
    """附件1 “十三五”清洁生产审核计划."""

    id = "sichuan.audit-plan"
    title = "“十三五”清洁生产审核计划"
    layout_year = 2016
    period = Period.PLAN_PERIOD
    scope = Scope.CITY
    report_type = AuditPlan
    source = SOURCE
    record_level = True
    #: What each column is, for converting to and from other record-level forms.
    record_fields = {
        "name": "enterprise.name",
        "location": "enterprise.location",
        "industry": "enterprise.industry",
        "output_2015": "enterprise.output_2015",
        "main_products": "enterprise.main_products",
        "main_pollutants": "enterprise.main_pollutants",
        "year": "audit.year",
    }
    example_params: ClassVar[Mapping[str, Any]] = EXAMPLE_FILING
    parameters = {
        "region": "市（州）代码，或 51 全省 city or prefecture code, or 51 for the province (default 51)",
        "contact_person": "联系人 contact person",
    }

    def build(self, dataset: Dataset, **params: Any) -> AuditPlan:
        """附件1 for ``region``: every audit planned in 2016-2020 by an enterprise of the region."""
        return self.build_with_issues(dataset, **params)[0]

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[AuditPlan, list[Issue]]:
        """The plan, and a warning for each audit of the region that has no year to plan it in."""
        code, name = filing_region(params.get("region"))
        notes: list[Issue] = []
        rows: dict[tuple[str, int], PlannedAudit] = {}
        for index, audit in enumerate(dataset.audits):
            enterprise = dataset.enterprise_by_uscc.get(audit.enterprise)
            if enterprise is None or not enterprise.region.startswith(code):
                continue
            year = plan_year(audit)
            if year is None:
                notes.append(
                    warning(
                        "sichuan.plan.no-year",
                        "审核无计划年度、列入名单、启动或确认日期，未列入审核计划",
                        "the audit has no planned year nor any date to place it; it is not in the plan",
                        pointer=json_pointer("audits", index),
                        source=SOURCE,
                    )
                )
                continue
            if year not in PLAN_YEARS:
                continue
            rows.setdefault(
                (enterprise.uscc, year),
                PlannedAudit(
                    name=enterprise.name,
                    location=location(enterprise, code),
                    industry=industry(enterprise),
                    output_2015=enterprise.output_value(2015),
                    main_products=joined(enterprise.main_products),
                    main_pollutants=joined(enterprise.main_pollutants),
                    year=year,
                ),
            )
        ordered = sorted(rows.values(), key=lambda row: (row.year, row.location, row.name))
        contact = params.get("contact_person")
        report = AuditPlan(
            region=code, region_name=name, rows=tuple(ordered), contact_person=str(contact) if contact else None
        )
        return report, notes

    def layout(self) -> WorkbookLayout:
        """The columns of 附件1, with the unit of 2015年产值 printed in its header, then 联系人."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="审核计划",
                    columns=(6, 32, 18, 22, 14, 22, 22, 10),
                    landscape=True,
                    blocks=(
                        Title(template="{region_name}“十三五”清洁生产审核计划"),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("序号",), field="#"),
                                Column(header=("企业名称",), field="name", style="text"),
                                Column(header=("所在地",), field="location", style="center"),
                                Column(header=("所属行业",), field="industry", style="center"),
                                Column(header=("2015年产值（万元）",), field="output_2015", decimals=-1),
                                Column(header=("主要产品",), field="main_products", style="text"),
                                Column(header=("主要污染物",), field="main_pollutants", style="text"),
                                Column(header=("实施年度",), field="year", style="center"),
                            ),
                        ),
                        contact_line(),
                    ),
                ),
            )
        )

    def rules(self, report: AuditPlan) -> Iterable[Issue]:
        """实施年度 in 2016-2020; 2015年产值 given and not negative; no enterprise twice in one year."""
        seen: set[tuple[str | None, int | None]] = set()
        for index, row in enumerate(report.rows):
            yield from required(self, row, index, ("name", "location", "industry", "year"), SOURCE)
            if row.year is not None and row.year not in PLAN_YEARS:
                yield error(
                    "sichuan.plan.year",
                    f"实施年度 {row.year} 不在“十三五”期间（2016—2020年）",
                    f"the year {row.year} is outside the 13th Five-Year period (2016-2020)",
                    pointer=self.pointer("rows", index, "year"),
                    source=SOURCE,
                )
            if row.output_2015 is None:
                yield warning(
                    "sichuan.plan.no-output",
                    f"{row.name}未填2015年产值",
                    f"{row.name} has no output value for 2015",
                    pointer=self.pointer("rows", index, "output_2015"),
                    source=SOURCE,
                )
            elif row.output_2015 < 0:
                yield error(
                    "sichuan.plan.negative",
                    "2015年产值不能为负数",
                    "the 2015 output value must not be negative",
                    pointer=self.pointer("rows", index, "output_2015"),
                    source=SOURCE,
                )
            if (row.name, row.year) in seen:
                yield warning(
                    "sichuan.plan.duplicate",
                    f"{row.name}在{row.year}年重复列入",
                    f"{row.name} is listed twice for {row.year}",
                    pointer=self.pointer("rows", index, "name"),
                    source=SOURCE,
                )
            seen.add((row.name, row.year))
