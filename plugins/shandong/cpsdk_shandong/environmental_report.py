"""``shandong.environmental-report`` — 企业环境报告书 审核前后污染物排放情况表 (DB37/T 1086-2008).

Shandong's local standard has mandatory-audit enterprises publish their pollutant
discharge before and after the audit. One report is one enterprise's audit: for each
pollutant with a discharge record (:class:`cpsdk.Discharge`), the discharge before and
after (吨/年), the change (after − before, negative for a reduction) and the change in
percent of the discharge before (rounded half-up to two decimals; empty when there was
no discharge before). Pollutants are in the model's order.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from cpsdk import Dataset, Issue, LayoutForm, Metric, Period, Scope, Unit, describe, error, titled, warning
from cpsdk.codes import industry_name, region_full_name
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, WorkbookLayout, labelled
from cpsdk_shandong._scope import chosen_audit, percent
from cpsdk_shandong._source import ENVIRONMENTAL_REPORT


@titled("污染物排放变化", "Discharge of one pollutant before and after")
@attrs.frozen(kw_only=True)
class DischargeLine:
    """One pollutant."""

    pollutant: str = describe("污染物", "Pollutant")
    before: Decimal = describe("审核前排放量（吨/年）", "Discharge before", unit=Unit.TONNE)
    after: Decimal = describe("审核后排放量（吨/年）", "Discharge after", unit=Unit.TONNE)
    change: Decimal = describe("变化量（吨/年）", "Change (after − before)", unit=Unit.TONNE)
    change_percent: Decimal | None = describe("变化率（%）", "Change in percent of the discharge before", default=None)


@titled("审核前后污染物排放情况表", "Pollutant discharge before and after the audit")
@attrs.frozen(kw_only=True)
class EnvironmentalReport:
    """The DB37/T 1086 table of one enterprise's audit."""

    enterprise: str = describe("企业名称", "Enterprise name")
    uscc: str = describe("统一社会信用代码", "Unified social credit code")
    location: str = describe("所在地", "Where it is")
    industry: str = describe("所属行业", "Industry")
    audit: str = describe("审核编号", "Audit id")
    kind: str = describe("审核类型", "Voluntary or mandatory")
    lines: tuple[DischargeLine, ...] = describe("污染物排放", "Discharges", factory=tuple)


def discharge_line(pollutant: str, before: Decimal, after: Decimal) -> DischargeLine:
    """A line with its change and percent computed exactly."""
    change = after - before
    return DischargeLine(
        pollutant=pollutant, before=before, after=after, change=change, change_percent=percent(change, before)
    )


class EnvironmentalReportForm(LayoutForm):
    """审核前后污染物排放情况表 (DB37/T 1086-2008)."""

    id = "shandong.environmental-report"
    title = "审核前后污染物排放情况表"
    layout_year = 2009
    #: A discharge that fell has a negative change (after − before).
    signed_fields = frozenset({"change", "change_percent"})
    period = Period.NONE
    scope = Scope.ENTERPRISE
    report_type = EnvironmentalReport
    source = ENVIRONMENTAL_REPORT
    parameters = {
        "audit": "审核编号 the audit (default: the latest audit of the region with discharge records)",
        "enterprise": "统一社会信用代码 an enterprise: its latest audit with discharge records",
        "region": "地区代码 region of Shandong to choose from (default 37)",
    }

    def build(self, dataset: Dataset, **params: Any) -> EnvironmentalReport:
        """The table of the audit asked for."""
        audit, enterprise = chosen_audit(dataset, params, with_discharges=True)
        order = {metric: index for index, metric in enumerate(Metric)}
        records = sorted((d for d in dataset.discharges if d.audit == audit.id), key=lambda d: order[d.pollutant])
        return EnvironmentalReport(
            enterprise=enterprise.name,
            uscc=enterprise.uscc,
            location=region_full_name(enterprise.region) or enterprise.region,
            industry=industry_name(enterprise.industry) or enterprise.industry,
            audit=audit.id,
            kind=audit.kind.zh,
            lines=tuple(discharge_line(d.pollutant.zh, d.before, d.after) for d in records),
        )

    def layout(self) -> WorkbookLayout:
        """The enterprise, then one line per pollutant."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="排放情况",
                    columns=(18, 20, 20, 18, 16),
                    blocks=(
                        Title(template="{enterprise}审核前后污染物排放情况表"),
                        Grid(
                            rows=(
                                (
                                    *labelled("统一社会信用代码", "uscc", 2),
                                    *labelled("所属行业", "industry"),
                                ),
                                (
                                    *labelled("所在地", "location", 2, "text"),
                                    *labelled("审核编号", "audit"),
                                ),
                                (
                                    *labelled("审核类型", "kind", 2),
                                    Text(text="", colspan=2),
                                ),
                            )
                        ),
                        Table(
                            rows="lines",
                            columns=(
                                Column(header=("污染物",), field="pollutant", style="center"),
                                Column(header=("审核前排放量（吨/年）",), field="before", decimals=-1),
                                Column(header=("审核后排放量（吨/年）",), field="after", decimals=-1),
                                Column(header=("变化量（吨/年）",), field="change", decimals=-1),
                                Column(header=("变化率（%）",), field="change_percent", decimals=-1),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 依据DB37/T 1086-2008《山东省企业环境报告书编制指南》，"
                                "强制性审核企业公开审核前后的污染物排放情况。",
                                "2. 变化量 = 审核后排放量 − 审核前排放量，负值为削减；"
                                "变化率 = 变化量 ÷ 审核前排放量 × 100%，四舍五入保留两位小数。",
                            ),
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: EnvironmentalReport) -> Iterable[Issue]:
        """Change and percent follow from before and after; discharges are not negative; an increase is flagged."""
        for index, line in enumerate(report.lines):
            expected = discharge_line(line.pollutant, line.before, line.after)
            if line.change != expected.change:
                yield error(
                    "shandong.environmental.change",
                    f"{line.pollutant}变化量应为审核后减审核前（{expected.change}）",
                    f"{line.pollutant}: the change must be after minus before ({expected.change})",
                    pointer=self.pointer("lines", index, "change"),
                    source=ENVIRONMENTAL_REPORT,
                )
            if line.change_percent != expected.change_percent:
                yield error(
                    "shandong.environmental.percent",
                    f"{line.pollutant}变化率应为 {expected.change_percent}%",
                    f"{line.pollutant}: the change in percent must be {expected.change_percent}",
                    pointer=self.pointer("lines", index, "change_percent"),
                    source=ENVIRONMENTAL_REPORT,
                )
            for field in ("before", "after"):
                if getattr(line, field) < 0:
                    yield error(
                        "shandong.environmental.negative",
                        "排放量不能为负数",
                        "a discharge must not be negative",
                        pointer=self.pointer("lines", index, field),
                        source=ENVIRONMENTAL_REPORT,
                    )
            if line.after > line.before:
                yield warning(
                    "shandong.environmental.increase",
                    f"{line.pollutant}审核后排放量高于审核前",
                    f"{line.pollutant} is discharged more after the audit than before",
                    pointer=self.pointer("lines", index, "after"),
                    source=ENVIRONMENTAL_REPORT,
                )
