"""``sichuan.retrofit-plan`` — 附件2 ____市（州）201x年度工业清洁生产改造计划.

One row per retrofit project planned for the year. Which records are projects:

- every proposal planned for the year (``planned_year``; when none is recorded, the
  year of ``planned_completion``) by an enterprise of the region, except the no/low-cost
  proposals of audits (those are carried out by the enterprise itself, not retrofit
  projects) and abandoned ones;
- 是否为审核提出的中高费方案: 是 for a mid/high-cost proposal of an audit, 否 for a
  retrofit outside any audit (e.g. one adopting a catalogue technology directly).

Columns: 企业名称, 所在地, 所属行业 (as in 附件1), 项目名称, 总投资（万元）, 计划完成时间,
and 项目进度 (the recorded progress; the status when none is written). Rows are ordered by
所在地, enterprise and project.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from cpsdk import (
    CostClass,
    Dataset,
    Enterprise,
    Issue,
    LayoutForm,
    Period,
    Proposal,
    ProposalStatus,
    Scope,
    Unit,
    describe,
    error,
    titled,
    warning,
)
from cpsdk.workbook import Column, SheetLayout, Table, Title, WorkbookLayout
from cpsdk_sichuan._listing import contact_line, industry, location, required
from cpsdk_sichuan._scope import CUMULATIVE_FROM, EXAMPLE_FILING, FiledByRegion, filing_region
from cpsdk_sichuan._source import cite

SOURCE = cite(2)


@titled("改造项目", "Retrofit project")
@attrs.frozen(kw_only=True)
class PlannedRetrofit:
    """One row of 附件2."""

    name: str | None = describe("企业名称", "Enterprise name", default=None)
    location: str | None = describe("所在地", "Where it is", default=None)
    industry: str | None = describe("所属行业", "Industry (GB/T 4754-2017)", default=None)
    project: str | None = describe("项目名称", "Project name", default=None)
    investment: Decimal | None = describe("总投资", "Total investment", default=None, unit=Unit.TEN_THOUSAND_YUAN)
    planned_completion: datetime.date | None = describe("计划完成时间", "Planned completion", default=None)
    from_audit: bool | None = describe(
        "是否为审核提出的中高费方案", "A mid/high-cost proposal of an audit", default=None
    )
    progress: str | None = describe("项目进度", "Progress", default=None)


@titled("年度工业清洁生产改造计划", "Annual industrial cleaner-production retrofit plan")
@attrs.frozen(kw_only=True)
class RetrofitPlan:
    """附件2 of one 市（州）, or of the province, for one year."""

    region: str = describe("地区代码", "Region code (51 or a 市（州）)", schema={"pattern": "^51([0-9]{2})?$"})
    region_name: str = describe("市（州）", "City or prefecture")
    year: int = describe("计划年度", "Plan year", schema={"minimum": 2016, "maximum": 2100})
    rows: tuple[PlannedRetrofit, ...] = describe("改造项目", "Retrofit projects", factory=tuple)
    contact_person: str | None = describe("联系人", "Contact person", default=None)


def planned_for(proposal: Proposal) -> int | None:
    """The year a project is planned for: ``planned_year``, else the year of its planned completion."""
    if proposal.planned_year is not None:
        return proposal.planned_year
    return proposal.planned_completion.year if proposal.planned_completion else None


def is_project(proposal: Proposal) -> bool:
    """True for a retrofit project: not a no/low-cost proposal of an audit, not abandoned."""
    if proposal.status is ProposalStatus.ABANDONED:
        return False
    return proposal.audit is None or proposal.cost_class is CostClass.MID_HIGH


class RetrofitPlanForm(FiledByRegion, LayoutForm):
    """附件2 年度工业清洁生产改造计划."""

    id = "sichuan.retrofit-plan"
    title = "年度工业清洁生产改造计划"
    layout_year = 2016
    period = Period.YEAR
    scope = Scope.CITY
    report_type: ClassVar[type] = RetrofitPlan
    source = SOURCE
    record_level = True
    #: What each column is, for converting to and from other record-level forms.
    record_fields: ClassVar[dict[str, str]] = {
        "name": "enterprise.name",
        "location": "enterprise.location",
        "industry": "enterprise.industry",
        "project": "project.name",
        "investment": "project.investment",
        "planned_completion": "project.planned_completion",
        "from_audit": "project.from_audit",
        "progress": "project.progress",
    }
    example_params: ClassVar[Mapping[str, Any]] = EXAMPLE_FILING
    parameters = {
        "year": "计划年度 plan year (default: the latest planned year in the data)",
        "region": "市（州）代码，或 51 全省 city or prefecture code, or 51 for the province (default 51)",
        "contact_person": "联系人 contact person",
    }

    def build(self, dataset: Dataset, **params: Any) -> Any:
        """附件2 for ``region`` and ``year``."""
        code, name = filing_region(params.get("region"))
        year = int(
            params.get("year")
            or max(
                (y for p in dataset.proposals if (y := planned_for(p)) is not None), default=datetime.date.today().year
            )
        )
        rows: list[Any] = []
        for proposal in dataset.proposals:
            enterprise = dataset.enterprise_by_uscc.get(proposal.enterprise)
            if enterprise is None or not enterprise.region.startswith(code):
                continue
            if planned_for(proposal) != year or not is_project(proposal):
                continue
            rows.append(self.row(proposal, enterprise, code))
        rows.sort(key=lambda row: (row.location, row.name, row.project))
        contact = params.get("contact_person")
        report: RetrofitPlan = self.report_type(
            region=code,
            region_name=name,
            year=year,
            rows=tuple(rows),
            contact_person=str(contact) if contact else None,
        )
        return report

    def row(self, proposal: Proposal, enterprise: Enterprise, code: str) -> Any:
        """The row of one project."""
        return PlannedRetrofit(
            name=enterprise.name,
            location=location(enterprise, code),
            industry=industry(enterprise),
            project=proposal.name,
            investment=proposal.investment,
            planned_completion=proposal.planned_completion,
            from_audit=proposal.audit is not None and proposal.cost_class is CostClass.MID_HIGH,
            progress=proposal.progress or proposal.status.zh,
        )

    def columns(self) -> tuple[Column, ...]:
        """The columns of the table."""
        return (
            Column(header=("序号",), field="#", width=6),
            Column(header=("企业名称",), field="name", style="text", width=28),
            Column(header=("所在地",), field="location", style="center", width=16),
            Column(header=("所属行业",), field="industry", style="center", width=20),
            Column(header=("项目名称",), field="project", style="text", width=28),
            Column(header=("总投资（万元）",), field="investment", decimals=-1, width=13),
            Column(header=("计划完成时间",), field="planned_completion", width=13),
            Column(header=("是否为审核提出的中高费方案",), field="from_audit", width=14),
            Column(header=("项目进度",), field="progress", style="center", width=14),
        )

    def layout(self) -> WorkbookLayout:
        """The columns of 附件2, then 联系人."""
        columns = self.columns()
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="改造计划",
                    columns=tuple(column.width for column in columns),
                    landscape=True,
                    blocks=(
                        Title(template="{region_name}{year}年度工业清洁生产改造计划"),
                        Table(rows="rows", columns=columns),
                        contact_line(),
                    ),
                ),
            )
        )

    def rules(self, report: RetrofitPlan) -> Iterable[Issue]:
        """The year from 2016 on; 总投资 given and not negative; completion not before the plan year."""
        if report.year < CUMULATIVE_FROM.year:
            yield error(
                "sichuan.retrofit.year",
                f"计划年度 {report.year} 早于2016年",
                f"the plan year {report.year} is before 2016",
                pointer=self.pointer("year"),
                source=SOURCE,
            )
        for index, row in enumerate(report.rows):
            yield from required(self, row, index, ("name", "location", "industry", "project", "from_audit"), SOURCE)
            if row.investment is None:
                yield warning(
                    "sichuan.retrofit.no-investment",
                    f"{row.project}未填总投资",
                    f"{row.project} has no total investment",
                    pointer=self.pointer("rows", index, "investment"),
                    source=SOURCE,
                )
            elif row.investment < 0:
                yield error(
                    "sichuan.retrofit.negative",
                    "总投资不能为负数",
                    "the total investment must not be negative",
                    pointer=self.pointer("rows", index, "investment"),
                    source=SOURCE,
                )
            if row.planned_completion is not None and row.planned_completion.year < report.year:
                yield warning(
                    "sichuan.retrofit.completion-before-year",
                    f"计划完成时间 {row.planned_completion} 早于计划年度",
                    f"the planned completion {row.planned_completion} is before the plan year",
                    pointer=self.pointer("rows", index, "planned_completion"),
                    source=SOURCE,
                )


@titled("改造项目（2021年版）", "Retrofit project (2021 layout)")
@attrs.frozen(kw_only=True)
class PlannedRetrofit2021(PlannedRetrofit):
    """One row of the 2021 layout: the 2016 row, with the enterprise's credit code and the fiscal support."""

    uscc: str | None = describe("统一社会信用代码", "Unified social credit code", default=None)
    support: Decimal | None = describe(
        "财政资金支持", "Fiscal support, all levels", default=None, unit=Unit.TEN_THOUSAND_YUAN
    )


@titled("年度工业清洁生产改造计划（2021年版）", "Annual retrofit plan (2021 layout)")
@attrs.frozen(kw_only=True)
class RetrofitPlan2021:
    """附件2 in the 2021 layout."""

    region: str = describe("地区代码", "Region code (51 or a 市（州）)", schema={"pattern": "^51([0-9]{2})?$"})
    region_name: str = describe("市（州）", "City or prefecture")
    year: int = describe("计划年度", "Plan year", schema={"minimum": 2016, "maximum": 2100})
    rows: tuple[PlannedRetrofit2021, ...] = describe("改造项目", "Retrofit projects", factory=tuple)
    contact_person: str | None = describe("联系人", "Contact person", default=None)


class RetrofitPlan2021Form(RetrofitPlanForm):
    """附件2 in the layout used from the 2021 plan year (十四五).

    Two columns are added to the 2016 layout: 统一社会信用代码 after 企业名称, so that a
    project is tied to its enterprise without ambiguity, and 财政资金支持（万元） after
    总投资 (central, provincial and local support of the project, summed). cpsdk picks this
    layout for plan years from 2021 (``cpsdk emit … --year 2021``), the 2016 one before;
    reading uses the layout that wrote the workbook. :func:`migrate` converts a report
    between the two layouts.
    """

    layout_year = 2021
    report_type = RetrofitPlan2021
    record_fields: ClassVar[dict[str, str]] = {
        **RetrofitPlanForm.record_fields,
        "uscc": "enterprise.uscc",
        "support": "project.support",
    }

    def row(self, proposal: Proposal, enterprise: Enterprise, code: str) -> PlannedRetrofit2021:
        """The 2016 row, with the credit code and the support."""
        base = super().row(proposal, enterprise, code)
        supports = [proposal.support_national, proposal.support_provincial, proposal.support_local]
        given = [amount for amount in supports if amount is not None]
        return PlannedRetrofit2021(
            **attrs.asdict(base, recurse=False),
            uscc=enterprise.uscc,
            support=sum(given, Decimal(0)) if given else None,
        )

    def columns(self) -> tuple[Column, ...]:
        """The 2016 columns with 统一社会信用代码 and 财政资金支持（万元）."""
        base = list(super().columns())
        base.insert(2, Column(header=("统一社会信用代码",), field="uscc", style="center", width=21))
        base.insert(7, Column(header=("财政资金支持（万元）",), field="support", decimals=-1, width=13))
        return tuple(base)


def migrate(report: RetrofitPlan | RetrofitPlan2021) -> tuple[RetrofitPlan | RetrofitPlan2021, list[Issue]]:
    """A report in the other layout, and a note of every value that could not be carried.

    2016 → 2021: every row is kept; 统一社会信用代码 and 财政资金支持 were not in the 2016
    layout, so they are left empty (never invented), with one warning per column.
    2021 → 2016: the two added columns are dropped, with a warning for each that held a value.
    """
    notes: list[Issue] = []
    if isinstance(report, RetrofitPlan):
        rows = tuple(PlannedRetrofit2021(**attrs.asdict(row, recurse=False)) for row in report.rows)
        if rows:
            for field, zh in (("uscc", "统一社会信用代码"), ("support", "财政资金支持")):
                notes.append(
                    warning(
                        "sichuan.retrofit.migrated-empty",
                        f"2016年版式无“{zh}”，迁移后留空",
                        f"the 2016 layout has no {field}; it is left empty in the 2021 layout",
                        source=SOURCE,
                    )
                )
        fields = {f.name: getattr(report, f.name) for f in attrs.fields(RetrofitPlan) if f.name != "rows"}
        return RetrofitPlan2021(**fields, rows=rows), notes
    kept = {f.name for f in attrs.fields(PlannedRetrofit)}
    for field, zh in (("uscc", "统一社会信用代码"), ("support", "财政资金支持")):
        lost = sum(1 for row in report.rows if getattr(row, field) is not None)
        if lost:
            notes.append(
                warning(
                    "sichuan.retrofit.migrated-dropped",
                    f"2016年版式无“{zh}”，{lost}个项目的该项未能保留",
                    f"the 2016 layout has no {field}; it is dropped from {lost} project(s)",
                    source=SOURCE,
                )
            )
    rows_2016 = tuple(
        PlannedRetrofit(**{k: v for k, v in attrs.asdict(row, recurse=False).items() if k in kept})
        for row in report.rows
    )
    fields = {f.name: getattr(report, f.name) for f in attrs.fields(RetrofitPlan2021) if f.name != "rows"}
    return RetrofitPlan(**fields, rows=rows_2016), notes
