"""``national.summary`` — the summary statistics every province publishes.

Chongqing, Liaoning, Jiangsu, Shanxi and Shandong (seed 002, 003) report the same
kinds of totals: audits carried out and accepted, proposals put forward and
implemented by cost class, investment, pollutants reduced, resources saved and
economic benefit. This form computes them for any region and span of years, in
units the user chooses (e.g. Shandong's 亿元, 万吨, 亿度).

Each figure is a total of :func:`cpsdk.tally` over ``start_year``-01-01 …
``end_year``-12-31, which says how it follows from the records (enterprises counted
once; proposals by cost class; pollutant reductions split by basis, never mixed).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import attrs

from cpsdk.base._issues import Issue, error, warning
from cpsdk.codes import region_full_name
from cpsdk.forms._form import LayoutForm, Period, Scope
from cpsdk.forms._tally import tally
from cpsdk.model._entities import Dataset
from cpsdk.model._fields import describe, titled
from cpsdk.model._quantity import Dimension, Unit, to_unit
from cpsdk.model._vocabulary import Basis, CostClass, Metric
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout

SOURCE = "cpsdk 汇总口径（参照鲁、渝、辽、苏、晋公布的审核统计）"


@titled("汇总指标", "Summary indicator")
@attrs.frozen(kw_only=True)
class SummaryRow:
    """One indicator of the summary, its value and the unit it is printed in."""

    indicator: str = describe("指标", "Indicator")
    value: Decimal = describe("数值", "Value")
    unit: str = describe("单位", "Unit")


@titled("清洁生产审核工作汇总表", "Cleaner-production summary statistics")
@attrs.frozen(kw_only=True)
class Summary:
    """The summary of one region over a span of years."""

    region: str | None = describe("地区代码", "Region code (none for the whole country)", default=None)
    region_name: str = describe("地区", "Region")
    start_year: int = describe("起始年度", "First year")
    end_year: int = describe("截止年度", "Last year")
    rows: tuple[SummaryRow, ...] = describe("指标", "Indicators", factory=tuple)
    compiled_by: str | None = describe("填报单位", "Compiled by", default=None)

    def value(self, indicator: str) -> Decimal | None:
        """The value of an indicator by its name."""
        return next((row.value for row in self.rows if row.indicator == indicator), None)


AUDITED = "开展清洁生产审核企业数"
AUDITED_MANDATORY = "其中：强制性审核企业数"
ACCEPTED = "通过评估验收企业数"
PROPOSED = "提出清洁生产方案数"
PROPOSED_NO_LOW = "其中：无/低费方案"
PROPOSED_MID_HIGH = "其中：中/高费方案"
IMPLEMENTED = "实施清洁生产方案数"
IMPLEMENTED_NO_LOW = "其中：实施无/低费方案"
IMPLEMENTED_MID_HIGH = "其中：实施中/高费方案"
INVESTMENT = "实施方案投资额"
BENEFIT = "经济效益"

_POLLUTANTS = (Metric.COD, Metric.AMMONIA_NITROGEN, Metric.SO2, Metric.NOX)
_SAVINGS = (
    (Metric.WATER, "节水量"),
    (Metric.ELECTRICITY, "节电量"),
    (Metric.ENERGY, "节能量"),
    (Metric.COAL, "节煤量"),
)

DEFAULT_UNITS: dict[Dimension, Unit] = {
    Dimension.MONEY: Unit.TEN_THOUSAND_YUAN,
    Dimension.MASS: Unit.TONNE,
    Dimension.ELECTRICITY: Unit.TEN_THOUSAND_KWH,
    Dimension.ENERGY: Unit.TCE,
}


def _unit(value: Any, dimension: Dimension) -> Unit:
    if value is None:
        return DEFAULT_UNITS[dimension]
    unit = value if isinstance(value, Unit) else Unit.parse(str(value))
    if unit.dimension is not dimension:
        raise ValueError(f"{unit.symbol} is not a unit of {dimension.value}")
    return unit


class NationalSummary(LayoutForm):
    """汇总表: audits, proposals, investment, reductions, savings and benefit of a region and span."""

    id = "national.summary"
    title = "清洁生产审核工作汇总表"
    layout_year = 2016
    period = Period.PLAN_PERIOD
    scope = Scope.REGION
    report_type = Summary
    source = SOURCE
    parameters = {
        "year": "截止年度 last year of the span",
        "start_year": "起始年度 first year (default: same as year)",
        "region": "地区代码 region code prefix (default: all)",
        "money_unit": "金额单位 money unit (元/万元/亿元)",
        "mass_unit": "重量单位 mass unit (吨/万吨)",
        "electricity_unit": "电量单位 electricity unit (度/万度/亿度)",
        "energy_unit": "能源单位 energy unit (吨标准煤/万吨标准煤)",
    }

    def build(self, dataset: Dataset, **params: Any) -> Summary:
        """The summary for ``region`` (a GB/T 2260 prefix) from ``start_year`` to ``year``."""
        years = [d.year for d in _dates(dataset)] or [datetime.date.today().year]
        end_year = int(params.get("year") or max(years))
        start_year = int(params.get("start_year") or end_year)
        region = str(params.get("region") or "")
        units = {
            Dimension.MONEY: _unit(params.get("money_unit"), Dimension.MONEY),
            Dimension.MASS: _unit(params.get("mass_unit"), Dimension.MASS),
            Dimension.ELECTRICITY: _unit(params.get("electricity_unit"), Dimension.ELECTRICITY),
            Dimension.ENERGY: _unit(params.get("energy_unit"), Dimension.ENERGY),
        }
        data = dataset.in_region(region) if region else dataset
        start, end = datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31)
        rows = list(_rows(data, start, end, units))
        name = (region_full_name(region) if region else None) or (region if region else "全国")
        return Summary(
            region=region or None, region_name=name, start_year=start_year, end_year=end_year, rows=tuple(rows)
        )

    def layout(self) -> WorkbookLayout:
        """One sheet: the title with region and span, then 序号 · 指标 · 数值 · 单位."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="汇总表",
                    columns=(8, 40, 22, 14),
                    blocks=(
                        Title(template="{region_name}清洁生产审核工作汇总表（{start_year}—{end_year}年）"),
                        Grid(
                            rows=(
                                (
                                    Text(text="区划代码：", style="field_label"),
                                    Value(path="region", style="field_value"),
                                    Text(text="填报单位：", style="field_label"),
                                    Value(path="compiled_by", style="field_value"),
                                ),
                            )
                        ),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("序号",), field="#", width=8),
                                Column(header=("指标",), field="indicator", width=40),
                                Column(header=("数值",), field="value", width=22, decimals=-1),
                                Column(header=("单位",), field="unit", width=14, style="center"),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 企业数为不重复企业数；审核以主管部门确认日期计，验收以实施效果验收日期计。",
                                "2. 提出方案数含评估通过的审核报告所列方案及直接采用国家推广目录技术的改造项目。",
                                "3. 实施方案、投资额及效果按方案完成日期计入；"
                                "污染物削减量按产生量、排放量口径分列，不得混加。",
                                "4. 单位换算为精确换算，数值未经四舍五入。",
                            ),
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: Summary) -> Iterable[Issue]:
        """Implemented = no/low + mid/high; proposed likewise; implemented ≤ proposed; nothing negative."""
        index = {row.indicator: (position, row) for position, row in enumerate(report.rows)}

        def value(name: str) -> Decimal:
            return index[name][1].value if name in index else Decimal(0)

        for total, parts in (
            (PROPOSED, (PROPOSED_NO_LOW, PROPOSED_MID_HIGH)),
            (IMPLEMENTED, (IMPLEMENTED_NO_LOW, IMPLEMENTED_MID_HIGH)),
        ):
            if total in index and value(total) != sum((value(p) for p in parts), Decimal(0)):
                yield error(
                    "summary.split",
                    f"{total}应等于无/低费与中/高费方案之和",
                    f"{total} must equal the no/low-cost plus mid/high-cost proposals",
                    pointer=self.pointer("rows", index[total][0], "value"),
                    source=SOURCE,
                )
        if IMPLEMENTED in index and value(IMPLEMENTED) > value(PROPOSED):
            yield warning(
                "summary.implemented-exceeds-proposed",
                "实施方案数大于提出方案数（可能包含以前年度提出的方案）",
                "more proposals implemented than proposed (earlier proposals may have been implemented)",
                pointer=self.pointer("rows", index[IMPLEMENTED][0], "value"),
                source=SOURCE,
            )
        if AUDITED_MANDATORY in index and value(AUDITED_MANDATORY) > value(AUDITED):
            yield error(
                "summary.mandatory-exceeds-total",
                "强制性审核企业数不能大于开展审核企业数",
                "mandatory audits cannot exceed all audits",
                pointer=self.pointer("rows", index[AUDITED_MANDATORY][0], "value"),
                source=SOURCE,
            )
        for position, row in enumerate(report.rows):
            if row.value < 0:
                yield error(
                    "summary.negative",
                    f"{row.indicator}不能为负数",
                    f"{row.indicator} must not be negative",
                    pointer=self.pointer("rows", position, "value"),
                )


def _dates(dataset: Dataset) -> Iterator[datetime.date]:
    for audit in dataset.audits:
        if audit.confirmed_on or audit.started_on:
            yield audit.confirmed_on or audit.started_on  # type: ignore[misc]
    for proposal in dataset.proposals:
        if proposal.completed_on:
            yield proposal.completed_on


def _rows(
    data: Dataset, start: datetime.date, end: datetime.date, units: dict[Dimension, Unit]
) -> Iterator[SummaryRow]:
    totals = tally(data, start, end)

    def count(name: str, value: int) -> SummaryRow:
        return SummaryRow(indicator=name, value=Decimal(value), unit="家" if "企业" in name else "个")

    def amount(name: str, value: Decimal, source: Unit) -> SummaryRow:
        target = units[source.dimension]
        converted = to_unit(value, source, target)
        return SummaryRow(indicator=name, value=converted if converted else Decimal(0), unit=target.symbol)

    yield count(AUDITED, totals.audited)
    yield count(AUDITED_MANDATORY, totals.audited_mandatory)
    yield count(ACCEPTED, totals.accepted)
    yield count(PROPOSED, totals.proposals())
    yield count(PROPOSED_NO_LOW, totals.proposals(CostClass.NO_LOW))
    yield count(PROPOSED_MID_HIGH, totals.proposals(CostClass.MID_HIGH))
    yield count(IMPLEMENTED, totals.implementations())
    yield count(IMPLEMENTED_NO_LOW, totals.implementations(CostClass.NO_LOW))
    yield count(IMPLEMENTED_MID_HIGH, totals.implementations(CostClass.MID_HIGH))
    yield amount(INVESTMENT, totals.investment, Unit.TEN_THOUSAND_YUAN)
    for metric in _POLLUTANTS:
        for basis in Basis:
            yield amount(f"{metric.zh}削减量（{basis.zh}）", totals.effect(metric, basis), metric.unit)
    for metric, name in _SAVINGS:
        yield amount(name, totals.effect(metric), metric.unit)
    yield amount(BENEFIT, totals.effect(Metric.BENEFIT), Metric.BENEFIT.unit)
