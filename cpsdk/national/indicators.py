"""``national.indicators`` — 表1 “十二五”工业清洁生产主要指标 (MIIT 工业清洁生产推行“十二五”规划).

Each indicator of the plan's table, computed from a dataset for a region and span
(default 2011-2015, the plan period), with the 2010 figure and 2015 target the table
prints, and whether the target is met. How each follows from the records (a record
counts when its date falls in the span):

1. 规模以上工业企业负责人培训比例: above-scale enterprises whose head attended a
   training (a training naming the enterprise, with head person-times) ÷ above-scale
   enterprises of the region.
2. 规模以上工业企业通过审核比例: above-scale enterprises with an audit whose report
   passed evaluation ÷ above-scale enterprises of the region.
3. 审核报告中清洁生产技术改造实施率: mid/high-cost proposals of audits evaluated in the
   span that were completed by its end ÷ those proposals.
4-10. Reductions: yearly effects of proposals completed in the span (see
   :func:`cpsdk.tally`), in 万吨 or 吨 as printed — of **generation** except SO₂, whose
   target is of **discharge** (二氧化硫（排放量）); 汞使用量 is the reduction of mercury used.
11. 重点行业达到“清洁生产先进企业”比例: enterprises of the MIIT key industries whose latest
   accepted audit reached level II or better (国内清洁生产先进水平) ÷ key-industry
   enterprises of the region.
12. 培育清洁生产示范企业: distinct enterprises granted a national or provincial
   demonstration title in the span.

Ratios are percentages rounded half-up to two decimals, with their numerator and
denominator kept in the report. The absolute targets (万吨, 家) are national: for a
region they are shown but not judged (``met`` is empty); the rates are judged anywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from cpsdk.base._issues import Issue, error
from cpsdk.codes import key_industries_of, region_full_name
from cpsdk.forms._form import LayoutForm, Period, Scope
from cpsdk.forms._tally import tally
from cpsdk.model._entities import Dataset, Enterprise
from cpsdk.model._fields import describe, titled
from cpsdk.model._quantity import Unit, to_unit
from cpsdk.model._vocabulary import (
    Basis,
    CleanerProductionLevel,
    CostClass,
    DemonstrationKind,
    Level,
    Metric,
    ProposalStatus,
)
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout

SOURCE = "工业清洁生产推行“十二五”规划 表1"
PERCENT = Decimal("0.01")


@titled("指标", "Indicator")
@attrs.frozen(kw_only=True)
class IndicatorRow:
    """One indicator: the figure achieved, how it was reached, and the plan's target."""

    group: str = describe("类别", "Group")
    indicator: str = describe("指标", "Indicator")
    unit: str = describe("单位", "Unit")
    baseline: str | None = describe("2010年", "2010 (cumulative 2003-2010 in brackets)", default=None)
    target: str = describe("2015年目标", "2015 target as printed")
    target_value: Decimal = describe("目标值", "Target value")
    achieved: Decimal = describe("完成值", "Achieved")
    numerator: int | None = describe("分子", "Numerator of a rate", default=None)
    denominator: int | None = describe("分母", "Denominator of a rate", default=None)
    met: bool | None = describe("是否达标", "Target met (empty when not judged for a region)", default=None)


@titled("“十二五”工业清洁生产主要指标", "Main indicators of industrial cleaner production, 12th FYP")
@attrs.frozen(kw_only=True)
class Indicators:
    """表1 computed for a region and span."""

    region: str | None = describe("地区代码", "Region code (none for the whole country)", default=None)
    region_name: str = describe("地区", "Region")
    start_year: int = describe("起始年度", "First year")
    end_year: int = describe("截止年度", "Last year")
    rows: tuple[IndicatorRow, ...] = describe("指标", "Indicators", factory=tuple)


def percent(numerator: int, denominator: int) -> Decimal:
    """``numerator`` ÷ ``denominator`` in percent, rounded half-up to two decimals (0 when nothing to divide)."""
    if denominator == 0:
        return Decimal(0)
    return (Decimal(100) * numerator / denominator).quantize(PERCENT, rounding=ROUND_HALF_UP)


_ADVANCED = (CleanerProductionLevel.I, CleanerProductionLevel.II)

#: (indicator, metric, basis, printed unit, baseline, target as printed, target value)
_REDUCTIONS: tuple[tuple[str, Metric, Basis | None, Unit, str | None, str, str], ...] = (
    ("化学需氧量", Metric.COD, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES, "[245.6万吨]", "65万吨", "65"),
    ("二氧化硫（排放量）", Metric.SO2, Basis.DISCHARGE, Unit.TEN_THOUSAND_TONNES, None, "60万吨", "60"),
    ("氨氮", Metric.AMMONIA_NITROGEN, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES, "[5.6万吨]", "10.8万吨", "10.8"),
    ("氮氧化物", Metric.NOX, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES, None, "120万吨", "120"),
    ("汞使用量", Metric.MERCURY_USE, None, Unit.TONNE, None, "638吨", "638"),
    ("铬渣及含铬污泥", Metric.CHROMIUM_RESIDUE, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES, None, "73万吨", "73"),
    ("铅尘", Metric.LEAD_DUST, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES, None, "0.2万吨", "0.2"),
)

TRAINING = "清洁生产培训和审核"
REDUCTION = "削减生产过程污染物产生量"
LEVEL = "重点行业清洁生产水平"
DEMONSTRATION = "清洁生产示范"


class NationalIndicators(LayoutForm):
    """表1 “十二五”工业清洁生产主要指标, computed from records."""

    id = "national.indicators"
    title = "“十二五”工业清洁生产主要指标"
    layout_year = 2011
    period = Period.PLAN_PERIOD
    scope = Scope.REGION
    report_type = Indicators
    source = SOURCE
    parameters = {
        "year": "截止年度 last year (default 2015)",
        "start_year": "起始年度 first year (default 2011)",
        "region": "地区代码 region code prefix (default: the whole country)",
    }

    def build(self, dataset: Dataset, **params: Any) -> Indicators:
        """The table for ``region`` over ``start_year`` … ``year``."""
        end_year = int(params.get("year") or 2015)
        start_year = int(params.get("start_year") or min(2011, end_year))
        region = str(params.get("region") or "")
        data = dataset.in_region(region) if region else dataset
        start, end = datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31)
        rows = tuple(_rows(data, start, end, judge_totals=not region))
        name = (region_full_name(region) or region) if region else "全国"
        return Indicators(region=region or None, region_name=name, start_year=start_year, end_year=end_year, rows=rows)

    def layout(self) -> WorkbookLayout:
        """The plan's table with the achieved figure, how it was reached, and whether the target is met."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="主要指标",
                    columns=(22, 34, 8, 14, 12, 10, 14, 10, 10, 10),
                    landscape=True,
                    blocks=(
                        Title(template="{region_name}“十二五”工业清洁生产主要指标完成情况"),
                        Grid(
                            rows=(
                                (
                                    Text(text="统计期间：", style="field_label"),
                                    Value(path="start_year", style="field_value"),
                                    Text(text="至", style="field_label"),
                                    Value(path="end_year", style="field_value"),
                                    Text(text="区划代码：", style="field_label"),
                                    Value(path="region", style="field_value"),
                                ),
                            )
                        ),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("类别",), field="group", style="text"),
                                Column(header=("指标",), field="indicator", style="text"),
                                Column(header=("单位",), field="unit", style="center"),
                                Column(header=("规划表1", "2010年"), field="baseline", style="center"),
                                Column(header=("规划表1", "2015年目标"), field="target", style="center"),
                                Column(header=("规划表1", "目标值"), field="target_value", decimals=-1),
                                Column(header=("完成情况", "完成值"), field="achieved", decimals=-1),
                                Column(header=("完成情况", "分子"), field="numerator"),
                                Column(header=("完成情况", "分母"), field="denominator"),
                                Column(header=("完成情况", "是否达标"), field="met"),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. []表示2003—2010年累计数（规划表1注）。"
                                "比例为分子÷分母，以百分数四舍五入保留两位小数。",
                                "2. 污染物削减量为实施完成方案的年削减能力，按产生量计；"
                                "二氧化硫按排放量计，与规划一致。",
                                "3. 削减量和示范企业目标为全国目标，按地区统计时不作达标判断。",
                            ),
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: Indicators) -> Iterable[Issue]:
        """A rate is its numerator over its denominator, as printed; nothing is negative."""
        for index, row in enumerate(report.rows):
            numerator, denominator = row.numerator, row.denominator
            if numerator is not None and denominator is not None and not _is_rate(row.achieved, numerator, denominator):
                yield error(
                    "indicators.rate",
                    f"{row.indicator}应等于分子÷分母（{numerator}÷{denominator}）",
                    f"{row.indicator} must be its numerator over its denominator",
                    pointer=self.pointer("rows", index, "achieved"),
                    source=SOURCE,
                )
            if row.achieved < 0:
                yield error(
                    "indicators.negative",
                    f"{row.indicator}不能为负数",
                    f"{row.indicator} must not be negative",
                    pointer=self.pointer("rows", index, "achieved"),
                    source=SOURCE,
                )


def _is_rate(achieved: Decimal, numerator: int, denominator: int) -> bool:
    return 0 <= numerator <= denominator and achieved == percent(numerator, denominator)


def _rate_row(
    group: str, indicator: str, baseline: str | None, target: str, goal: str, numerator: int, denominator: int
) -> IndicatorRow:
    achieved = percent(numerator, denominator)
    return IndicatorRow(
        group=group,
        indicator=indicator,
        unit="%",
        baseline=baseline,
        target=target,
        target_value=Decimal(goal),
        achieved=achieved,
        numerator=numerator,
        denominator=denominator,
        met=achieved > Decimal(goal) if denominator else None,
    )


def _is_key(enterprise: Enterprise) -> bool:
    return bool(key_industries_of(enterprise.industry, enterprise.key_industries))


def _rows(data: Dataset, start: datetime.date, end: datetime.date, *, judge_totals: bool) -> Iterator[IndicatorRow]:
    def inside(date: datetime.date | None) -> bool:
        return date is not None and start <= date <= end

    above = {e.uscc for e in data.enterprises if e.above_scale}
    heads = {
        t.enterprise for t in data.trainings if t.enterprise in above and t.head_person_times > 0 and inside(t.held_on)
    }
    passed = {a.enterprise for a in data.audits if a.enterprise in above and a.evaluated and inside(a.evaluated_on)}
    yield _rate_row(TRAINING, "规模以上工业企业负责人培训比例", "[23.4%]", "[>50%]", "50", len(heads), len(above))
    yield _rate_row(TRAINING, "规模以上工业企业通过审核比例", "[9%]", "[>30%]", "30", len(passed), len(above))

    evaluated = {a.id for a in data.audits if a.evaluated and inside(a.evaluated_on)}
    retrofits = done = 0  # counted from four fields' columns, never holding the country's projects as objects
    proposals = data.records("proposals")
    fields = ("audit", "cost_class", "status", "completed_on")
    for audit, cost_class, status, completed_on in proposals.columns(*fields):
        if audit in evaluated and cost_class is CostClass.MID_HIGH:
            retrofits += 1
            done += status is ProposalStatus.COMPLETED and completed_on is not None and completed_on <= end
    yield _rate_row(TRAINING, "审核报告中清洁生产技术改造实施率", "[44.3%]", "[>60%]", "60", done, retrofits)

    totals = tally(data, start, end)
    for name, metric, basis, unit, baseline, target, goal in _REDUCTIONS:
        achieved = to_unit(totals.effect(metric, basis), metric.unit, unit)
        yield IndicatorRow(
            group=REDUCTION,
            indicator=name,
            unit=unit.symbol,
            baseline=baseline,
            target=target,
            target_value=Decimal(goal),
            achieved=achieved,
            met=achieved >= Decimal(goal) if judge_totals else None,
        )

    key = [e for e in data.enterprises if _is_key(e)]
    latest: dict[str, tuple[datetime.date, CleanerProductionLevel | None]] = {}
    for audit in data.audits:
        if not (audit.accepted and audit.accepted_on is not None and audit.accepted_on <= end):
            continue
        if audit.enterprise not in latest or audit.accepted_on >= latest[audit.enterprise][0]:
            latest[audit.enterprise] = (audit.accepted_on, audit.level)
    advanced = sum(1 for e in key if e.uscc in latest and latest[e.uscc][1] in _ADVANCED)
    yield _rate_row(LEVEL, "重点行业达到“清洁生产先进企业”比例", None, "[>70%]", "70", advanced, len(key))

    demonstrated = {
        d.enterprise or d.id
        for d in data.demonstrations
        if d.kind is DemonstrationKind.ENTERPRISE
        and d.level in (Level.NATIONAL, Level.PROVINCIAL)
        and inside(d.granted_on)
    }
    yield IndicatorRow(
        group=DEMONSTRATION,
        indicator="培育清洁生产示范企业",
        unit="家",
        target="[500家]",
        target_value=Decimal(500),
        achieved=Decimal(len(demonstrated)),
        met=len(demonstrated) >= 500 if judge_totals else None,
    )
