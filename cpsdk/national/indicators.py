"""``national.indicators`` — 表1 “十二五”工业清洁生产主要指标 (MIIT 工业清洁生产推行“十二五”规划).

The plan's table as it prints it — its indicators under the three category rows
清洁生产培训和审核, 削减生产过程污染物产生量 and 重点行业清洁生产水平 (培育清洁生产示范企业 is the
last row of the third), with its 2010年 and 2015年 columns — and beside each indicator the
figure a region achieved (完成值, 分子, 分母, 是否达到目标; its unit that of the 2015年 column).

**Span.** The plan period 2011-2015 by default (“十二五”, 表1's 2015年 column). ``year``
alone gives the five-year plan period it falls in, up to it (``year=2013``: 2011—2013年;
``year=2020``: 2016—2020年), ``start_year`` any other; the title prints the span. Targets
are judged only for a span ending in 2015, the year 表1's column sets them for (“到2015年”,
二(三) 具体目标); for another span ``met`` is empty and a warning says so.

**The region's enterprises are input.** A rate of “规模以上工业企业” divides by all the
above-scale industrial enterprises of the region — 表1's 2010 figures divide the 6万 and
2万多 enterprises by the national total (一(一): “分别占规模以上工业企业总数的23.4%和9%”) —
which no dataset holds. They are parameters: ``above_scale_enterprises`` (规模以上工业企业数)
and ``key_industry_enterprises`` (重点行业企业数), at the end of the span, with
``population_source`` saying where they come from (e.g. the statistical yearbook). Without
them a rate prints “—” and the build warns; its numerator is still printed.

How each figure follows from the records of the region (bracketed figures of 表1 are
cumulative, “[]表示2003-2010年累计数”, so the rates count from 2003-01-01 — the year the
清洁生产促进法 took effect, 一(一) — to the end of the span):

1. 规模以上工业企业负责人培训比例 [>50%]: above-scale enterprises whose head attended a
   training (a training naming the enterprise with head person-times > 0) ÷
   ``above_scale_enterprises``. Met when more than 50% (“接受清洁生产培训比例超过50%”).
2. 规模以上工业企业通过审核比例 [>30%]: above-scale enterprises with an audit whose report
   passed evaluation ÷ ``above_scale_enterprises``. Met at 30% or more (“通过清洁生产审核评估的
   企业不低于30%”).
3. 审核报告中清洁生产技术改造实施率 [>60%]: mid/high-cost proposals of audits whose report
   passed evaluation that were completed ÷ those proposals (both from the records). Met at
   60% or more (“审核报告中提出的清洁生产技术改造项目实施率达到60%以上”).
4-10. 化学需氧量, 二氧化硫（排放量）, 氨氮, 氮氧化物, 汞使用量, 铬渣及含铬污泥, 铅尘: the
   yearly reductions of the proposals completed in the span (:func:`cpsdk.tally`), in 万吨
   or 吨 as 表1 prints them — of **generation** (“削减生产过程污染物产生量”) except SO₂, whose
   target is of **discharge** (“二氧化硫（排放量）”; 四(二) “削减二氧化硫排放量60万吨/年”); 汞使用量
   is the reduction of mercury used. These targets are national yearly capacities (“到2015年
   削减…万吨/年”): judged for the whole country only.
11. 重点行业达到“清洁生产先进企业”比例 [>70%]: enterprises of the key industries (footnote ③:
   the 11 industries of ① and the 8 of ②) whose latest audit accepted by the end of the span
   reached level II or better (国内清洁生产先进水平) ÷ ``key_industry_enterprises``. Met at 70%
   or more (“重点行业70%以上企业达到…‘清洁生产先进企业’水平”).
12. 培育清洁生产示范企业 [500家]: distinct enterprises granted a national or provincial
   demonstration title in the span (“培育500家清洁生产示范企业”, a goal of the plan period).
   National: judged for the whole country only.

Rates are percentages rounded half-up to two decimals, their numerator and denominator
printed beside them; a rate with nothing to divide by (no denominator given, or no
retrofit proposed) is “—”.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

import attrs

from cpsdk.base._issues import Issue, error, warning
from cpsdk.codes import key_industries_of, region_full_name
from cpsdk.forms._form import LayoutForm, Period, Scope
from cpsdk.forms._tally import is_passed, tally
from cpsdk.model._entities import Dataset
from cpsdk.model._fields import describe, titled
from cpsdk.model._quantity import Unit, decimal_parameter, to_unit
from cpsdk.model._vocabulary import (
    Basis,
    CleanerProductionLevel,
    CostClass,
    DemonstrationKind,
    Level,
    Metric,
    ProposalStatus,
)
from cpsdk.national.summary import parse_span, span_text
from cpsdk.workbook import Grid, Notes, SheetLayout, Text, Title, Value, WorkbookLayout

SOURCE = "工业清洁生产推行“十二五”规划 表1"
TARGETS_SOURCE = "工业清洁生产推行“十二五”规划 二(三) 具体目标、表1"
PERCENT = Decimal("0.01")
#: The plan period of 表1, and the year its 2015年 column sets the targets for.
PLAN_START, PLAN_END = 2011, 2015
#: Cumulative figures ([] in 表1) count from the year the 清洁生产促进法 took effect (一(一), 表1注).
CUMULATIVE_FROM = datetime.date(2003, 1, 1)
#: What a cell with no value prints.
NONE = "—"


@titled("比例指标", "Rate indicator")
@attrs.frozen(kw_only=True)
class Rate:
    """A rate of 表1: its numerator from the records, its denominator, and the percent."""

    achieved: Decimal | None = describe("完成值（%）", "Achieved, percent (none without a denominator)", default=None)
    numerator: int = describe("分子", "Numerator", default=0)
    denominator: int | None = describe("分母", "Denominator (none when not given)", default=None)
    met: bool | None = describe("是否达到目标", "Target met (none when not judged)", default=None)


@titled("总量指标", "Total indicator")
@attrs.frozen(kw_only=True)
class Total:
    """A total of 表1 (万吨, 吨, 家) achieved over the span."""

    achieved: Decimal = describe("完成值", "Achieved", default=Decimal(0))
    met: bool | None = describe("是否达到目标", "Target met (none when not judged)", default=None)


@titled("“十二五”工业清洁生产主要指标", "Main indicators of industrial cleaner production, 12th FYP")
@attrs.frozen(kw_only=True)
class Indicators:
    """表1 computed for a region and span."""

    region: str | None = describe("地区代码", "Region code (none for the whole country)", default=None)
    region_name: str = describe("地区", "Region")
    start_year: int = describe("起始年度", "First year")
    end_year: int = describe("截止年度", "Last year")
    span: str = describe("统计期间", "Span as the title prints it (2011—2015年)")
    above_scale_enterprises: int | None = describe(
        "规模以上工业企业数", "Above-scale industrial enterprises of the region (input)", default=None
    )
    key_industry_enterprises: int | None = describe(
        "重点行业企业数", "Enterprises of the key industries in the region (input)", default=None
    )
    population_source: str | None = describe("企业数来源", "Source of the enterprise totals", default=None)
    trained: Rate = describe("规模以上工业企业负责人培训比例", "Heads of above-scale enterprises trained")
    audited: Rate = describe("规模以上工业企业通过审核比例", "Above-scale enterprises that passed an audit")
    retrofits: Rate = describe("审核报告中清洁生产技术改造实施率", "Retrofits of audit reports implemented")
    cod: Total = describe("化学需氧量", "COD generation reduced, 万吨")
    so2: Total = describe("二氧化硫（排放量）", "SO₂ discharge reduced, 万吨")
    ammonia: Total = describe("氨氮", "Ammonia nitrogen generation reduced, 万吨")
    nox: Total = describe("氮氧化物", "NOₓ generation reduced, 万吨")
    mercury: Total = describe("汞使用量", "Mercury use reduced, 吨")
    chromium: Total = describe("铬渣及含铬污泥", "Chromium slag and sludge reduced, 万吨")
    lead_dust: Total = describe("铅尘", "Lead dust reduced, 万吨")
    advanced: Rate = describe("重点行业达到“清洁生产先进企业”比例", "Key-industry enterprises at level II or better")
    demonstrations: Total = describe("培育清洁生产示范企业", "Demonstration enterprises fostered, 家")

    def indicator(self, name: str) -> Rate | Total:
        """An indicator by the name 表1 prints."""
        figure: Rate | Total = getattr(self, next(item.field for item in INDICATORS if item.name == name))
        return figure


@attrs.frozen(kw_only=True)
class Indicator:
    """A line of 表1: its category, name, the 2010 and 2015 columns as printed, and the report field."""

    group: str
    name: str
    field: str
    unit: str
    baseline: str
    target: str
    #: The target as a number, and whether reaching it exactly meets it (以上, 不低于) or it must be exceeded (超过).
    goal: Decimal
    inclusive: bool = True
    #: A national total (judged for the whole country only).
    national: bool = False


TRAINING = "清洁生产培训和审核"
REDUCTION = "削减生产过程污染物产生量"
LEVEL = "重点行业清洁生产水平"

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        group=TRAINING, name="规模以上工业企业负责人培训比例", field="trained", unit="%",
        baseline="[23.4%]", target="[>50%]", goal=Decimal(50), inclusive=False,
    ),
    Indicator(
        group=TRAINING, name="规模以上工业企业通过审核比例", field="audited", unit="%",
        baseline="[9%]", target="[>30%]", goal=Decimal(30),
    ),
    Indicator(
        group=TRAINING, name="审核报告中清洁生产技术改造实施率", field="retrofits", unit="%",
        baseline="[44.3%]", target="[>60%]", goal=Decimal(60),
    ),
    Indicator(
        group=REDUCTION, name="化学需氧量", field="cod", unit="万吨",
        baseline="[245.6万吨]", target="65万吨", goal=Decimal(65), national=True,
    ),
    Indicator(
        group=REDUCTION, name="二氧化硫（排放量）", field="so2", unit="万吨",
        baseline="", target="60万吨", goal=Decimal(60), national=True,
    ),
    Indicator(
        group=REDUCTION, name="氨氮", field="ammonia", unit="万吨",
        baseline="[5.6万吨]", target="10.8万吨", goal=Decimal("10.8"), national=True,
    ),
    Indicator(
        group=REDUCTION, name="氮氧化物", field="nox", unit="万吨",
        baseline="", target="120万吨", goal=Decimal(120), national=True,
    ),
    Indicator(
        group=REDUCTION, name="汞使用量", field="mercury", unit="吨",
        baseline="", target="638吨", goal=Decimal(638), national=True,
    ),
    Indicator(
        group=REDUCTION, name="铬渣及含铬污泥", field="chromium", unit="万吨",
        baseline="", target="73万吨", goal=Decimal(73), national=True,
    ),
    Indicator(
        group=REDUCTION, name="铅尘", field="lead_dust", unit="万吨",
        baseline="", target="0.2万吨", goal=Decimal("0.2"), national=True,
    ),
    Indicator(
        group=LEVEL, name="重点行业达到“清洁生产先进企业”比例", field="advanced", unit="%",
        baseline="", target="[>70%]", goal=Decimal(70),
    ),
    Indicator(
        group=LEVEL, name="培育清洁生产示范企业", field="demonstrations", unit="家",
        baseline="", target="[500家]", goal=Decimal(500), national=True,
    ),
)  # fmt: skip

#: (field, metric, basis, printed unit) of the reductions.
_REDUCTIONS: tuple[tuple[str, Metric, Basis | None, Unit], ...] = (
    ("cod", Metric.COD, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES),
    ("so2", Metric.SO2, Basis.DISCHARGE, Unit.TEN_THOUSAND_TONNES),
    ("ammonia", Metric.AMMONIA_NITROGEN, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES),
    ("nox", Metric.NOX, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES),
    ("mercury", Metric.MERCURY_USE, None, Unit.TONNE),
    ("chromium", Metric.CHROMIUM_RESIDUE, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES),
    ("lead_dust", Metric.LEAD_DUST, Basis.GENERATION, Unit.TEN_THOUSAND_TONNES),
)

_ADVANCED = (CleanerProductionLevel.I, CleanerProductionLevel.II)

#: The parameter giving each rate's denominator (the retrofit rate's comes from the records).
_POPULATIONS = {
    "trained": "above_scale_enterprises",
    "audited": "above_scale_enterprises",
    "advanced": "key_industry_enterprises",
}


def percent(numerator: int, denominator: int) -> Decimal:
    """``numerator`` ÷ ``denominator`` (not 0) in percent, rounded half-up to two decimals."""
    return (Decimal(100) * numerator / denominator).quantize(PERCENT, rounding=ROUND_HALF_UP)


def plan_period_start(year: int) -> int:
    """The first year of the five-year plan period ``year`` falls in (2011-2015 “十二五”, 2016-2020 “十三五”, …)."""
    return year - (year - PLAN_START) % 5


def count_parameter(value: object, name: str) -> int | None:
    """An enterprise total given as a parameter: a whole number of at least 1; None when not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = decimal_parameter(value, name, minimum=1)
    if number != number.to_integral_value():
        raise ValueError(f"{name} takes a whole number of enterprises, got {str(value)[:40]!r}")
    return int(number)


def meets(indicator: Indicator, achieved: Decimal) -> bool:
    """Whether ``achieved`` meets the indicator's 2015 target (“超过” is more than, “以上”/“不低于” at least)."""
    return achieved >= indicator.goal if indicator.inclusive else achieved > indicator.goal


class NationalIndicators(LayoutForm):
    """表1 “十二五”工业清洁生产主要指标, computed from records and the region's enterprise totals."""

    id = "national.indicators"
    title = "“十二五”工业清洁生产主要指标"
    layout_year = 2011
    period = Period.PLAN_PERIOD
    scope = Scope.REGION
    report_type = Indicators
    source = SOURCE
    parameters = {
        "year": "截止年度 last year (default 2015)",
        "start_year": "起始年度 first year (default: the first year of the five-year plan period of year, 2011)",
        "region": "地区代码 region code prefix (default: the whole country)",
        "above_scale_enterprises": "规模以上工业企业数 above-scale industrial enterprises of the region at the end "
        "of the span (not in the records; a whole number)",
        "key_industry_enterprises": "重点行业企业数 enterprises of the key industries (表1注③) in the region at the "
        "end of the span (not in the records; a whole number)",
        "population_source": "企业数来源 where the enterprise totals come from (e.g. 统计年鉴)",
    }
    #: The demo shows the table over its own plan period, the span its targets are judged for.
    example_params: ClassVar[Mapping[str, Any]] = {"year": PLAN_END}

    def build(self, dataset: Dataset, **params: Any) -> Indicators:
        """The table for ``region`` over ``start_year`` … ``year``."""
        return self.build_with_issues(dataset, **params)[0]

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[Indicators, list[Issue]]:
        """The table, and a warning for each rate whose denominator was not given and for a span not ending in 2015."""
        end_year = int(params.get("year") or PLAN_END)
        start_year = int(params.get("start_year") or plan_period_start(end_year))
        if start_year > end_year:
            raise ValueError(f"start_year ({start_year}) is after year ({end_year})")
        populations = {
            name: count_parameter(params.get(name), name)
            for name in ("above_scale_enterprises", "key_industry_enterprises")
        }
        source = str(params.get("population_source") or "").strip() or None
        region = str(params.get("region") or "")
        data = dataset.in_region(region) if region else dataset
        start, end = datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31)
        judged = end_year == PLAN_END
        figures: dict[str, Any] = dict(_figures(data, start, end, populations, judge=judged, national=not region))
        name = (region_full_name(region) or region) if region else "全国"
        report = Indicators(
            region=region or None,
            region_name=name,
            start_year=start_year,
            end_year=end_year,
            span=span_text(start_year, end_year),
            above_scale_enterprises=populations["above_scale_enterprises"],
            key_industry_enterprises=populations["key_industry_enterprises"],
            population_source=source,
            **figures,
        )
        notes: list[Issue] = []
        for indicator in INDICATORS:
            parameter = _POPULATIONS.get(indicator.field)
            if parameter is not None and populations[parameter] is None:
                notes.append(
                    warning(
                        "indicators.population-missing",
                        f"“{indicator.name}”的分母（{self.parameters[parameter].split(' ')[0]}）不在记录中，"
                        f"请以参数 {parameter} 提供；未提供时填“—”",
                        f"the denominator of {indicator.name!r} is not in the records: give it as the parameter "
                        f"{parameter}; without it the rate is printed as “—”",
                        pointer=self.pointer(indicator.field, "achieved"),
                        source=SOURCE,
                    )
                )
        if any(value is not None for value in populations.values()) and source is None:
            notes.append(
                warning(
                    "indicators.population-source",
                    "企业总数未注明来源：请以参数 population_source 说明（如统计年鉴及年度）",
                    "the enterprise totals have no source: say where they come from with population_source",
                    pointer=self.pointer("population_source"),
                    source=SOURCE,
                )
            )
        if not judged:
            notes.append(
                warning(
                    "indicators.not-judged",
                    f"表1的目标为2015年目标；统计期间截至{end_year}年，不作达标判断",
                    f"表1's targets are for 2015; a span ending in {end_year} is not judged against them",
                    pointer=self.pointer("span"),
                    source=TARGETS_SOURCE,
                )
            )
        return report, notes

    def complete(self, data: dict[str, Any]) -> None:
        """The first and last year, from the span the title prints."""
        years = parse_span(str(data.get("span", "")))
        if years is not None:
            data.setdefault("start_year", years[0])
            data.setdefault("end_year", years[1])

    def layout(self) -> WorkbookLayout:
        """表1's indicators under its category rows: the achieved figure, its numerator and denominator, whether the
        target is met, then 表1's 2010年 and 2015年 columns."""
        header = (
            Text(text="指标", style="header"),
            Text(text="完成值", style="header"),
            Text(text="分子", style="header"),
            Text(text="分母", style="header"),
            Text(text="是否达到目标", style="header"),
            Text(text="2010年", style="header"),
            Text(text="2015年", style="header"),
        )
        rows: list[tuple[Text | Value, ...]] = [header]
        group = None
        for indicator in INDICATORS:
            if indicator.group != group:
                group = indicator.group
                # A row of its own, as 表1 prints it: the name in column A, the rest of the row merged empty (a
                # workbook typed by hand is read by the labels above each value: a name merged over the value
                # columns, or spreading into them unmerged, would be taken for their header).
                rows.append(
                    (Text(text=group, style="section"), Text(text="", colspan=len(header) - 1, style="section"))
                )
            rows.append(_line(indicator))
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="主要指标",
                    columns=(36, 14, 10, 10, 12, 14, 14),
                    landscape=True,
                    blocks=(
                        Title(template="{region_name}“十二五”工业清洁生产主要指标完成情况（{span}）"),
                        Grid(
                            rows=(
                                (
                                    Text(text="区划代码：", style="field_label"),
                                    Value(path="region", style="field_value", empty=NONE),
                                    Text(text="规模以上工业企业数：", colspan=2, style="field_label"),
                                    Value(path="above_scale_enterprises", style="field_value", empty=NONE),
                                    Text(text="重点行业企业数：", style="field_label"),
                                    Value(path="key_industry_enterprises", style="field_value", empty=NONE),
                                ),
                                (
                                    Text(text="企业数来源：", style="field_label"),
                                    Value(path="population_source", colspan=6, style="field_value", empty=NONE),
                                ),
                            )
                        ),
                        Grid(rows=tuple(rows)),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 指标及2010年、2015年两栏录自规划表1；[]表示累计数（表1注：2003—2010年累计数），"
                                "比例按2003年起至统计期末累计计算。完成值的单位与2015年栏相同（%、万吨、吨、家）。",
                                "2. 规模以上工业企业数、重点行业企业数为本地区统计期末总数，由用户提供并注明来源；"
                                "未提供时比例填“—”。比例为分子÷分母，以百分数四舍五入保留两位小数。",
                                "3. 污染物削减量为统计期间完成方案的年削减能力，按产生量计；"
                                "二氧化硫按排放量计，与规划一致。",
                                "4. 目标为2015年目标，统计期间截至2015年时作达标判断；"
                                "削减量和示范企业目标为全国目标，按地区统计时不作达标判断。",
                            ),
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: Indicators) -> Iterable[Issue]:
        """A rate is its numerator over its denominator, and its denominator the enterprise total given; a target is
        met as the plan says; nothing is negative; the span is as the years say."""
        given = {
            "above_scale_enterprises": report.above_scale_enterprises,
            "key_industry_enterprises": report.key_industry_enterprises,
        }
        for indicator in INDICATORS:
            figure = getattr(report, indicator.field)
            pointer = self.pointer(indicator.field, "achieved")
            if isinstance(figure, Rate):
                numerator, denominator = figure.numerator, figure.denominator
                parameter = _POPULATIONS.get(indicator.field)
                if parameter is not None and denominator != given[parameter]:
                    yield error(
                        "indicators.denominator",
                        f"{indicator.name}的分母（{denominator}）应为{self.parameters[parameter].split(' ')[0]}"
                        f"（{given[parameter]}）",
                        f"the denominator of {indicator.name} ({denominator}) must be {parameter} ({given[parameter]})",
                        pointer=self.pointer(indicator.field, "denominator"),
                        source=SOURCE,
                    )
                if denominator is not None and numerator > denominator:
                    yield error(
                        "indicators.numerator-exceeds-denominator",
                        f"{indicator.name}的分子（{numerator}）大于分母（{denominator}）：企业总数偏小或记录有误",
                        f"the numerator of {indicator.name} ({numerator}) exceeds its denominator ({denominator})",
                        pointer=self.pointer(indicator.field, "numerator"),
                        source=SOURCE,
                    )
                expected = percent(numerator, denominator) if denominator else None
                if figure.achieved != expected:
                    shown = NONE if denominator is None else denominator
                    yield error(
                        "indicators.rate",
                        f"{indicator.name}应等于分子÷分母（{numerator}÷{shown}）",
                        f"{indicator.name} must be its numerator over its denominator",
                        pointer=pointer,
                        source=SOURCE,
                    )
            achieved = figure.achieved
            if achieved is not None and achieved < 0:
                yield error(
                    "indicators.negative",
                    f"{indicator.name}不能为负数",
                    f"{indicator.name} must not be negative",
                    pointer=pointer,
                    source=SOURCE,
                )
            if figure.met is not None and achieved is not None and figure.met != meets(indicator, achieved):
                yield error(
                    "indicators.met",
                    f"{indicator.name}的达标判断与完成值不符（目标{indicator.target}）",
                    f"whether {indicator.name} meets its target ({indicator.target}) does not match its figure",
                    pointer=self.pointer(indicator.field, "met"),
                    source=TARGETS_SOURCE,
                )
        if report.span != span_text(report.start_year, report.end_year):
            yield error(
                "indicators.span",
                f"统计期间“{report.span}”与起止年度（{report.start_year}、{report.end_year}）不符",
                f"the span {report.span!r} does not match the years {report.start_year}-{report.end_year}",
                pointer=self.pointer("span"),
                source=SOURCE,
            )


def _line(indicator: Indicator) -> tuple[Text | Value, ...]:
    """An indicator's line: its name, then its figures (each found by the name nearest on its left when a
    workbook typed by hand is read), then 表1's 2010年 and 2015年 as printed."""
    path = indicator.field
    rate = indicator.unit == "%"
    return (
        Text(text=indicator.name, style="label_left"),
        Value(path=f"{path}.achieved", decimals=-1, empty=NONE),
        Value(path=f"{path}.numerator") if rate else Text(text="", style="center"),
        Value(path=f"{path}.denominator", empty=NONE) if rate else Text(text="", style="center"),
        Value(path=f"{path}.met", labels=("是", "否"), empty=NONE, style="center"),
        Text(text=indicator.baseline, style="center"),
        Text(text=indicator.target, style="center"),
    )


@functools.lru_cache(maxsize=4096)
def _is_key_industry(industry: str, tags: tuple[str, ...]) -> bool:
    return bool(key_industries_of(industry, tags))


def _mid_high(cost_class: CostClass | None) -> bool:
    return cost_class is CostClass.MID_HIGH


def _completed(status: ProposalStatus | None) -> bool:
    return status is ProposalStatus.COMPLETED


def _figures(
    data: Dataset,
    start: datetime.date,
    end: datetime.date,
    populations: dict[str, int | None],
    *,
    judge: bool,
    national: bool,
) -> Iterator[tuple[str, Rate | Total]]:
    by_field = {indicator.field: indicator for indicator in INDICATORS}

    def cumulative(date: datetime.date | None) -> bool:
        return date is not None and CUMULATIVE_FROM <= date <= end

    def inside(date: datetime.date | None) -> bool:
        return date is not None and start <= date <= end

    def rate(field: str, numerator: int, denominator: int | None) -> tuple[str, Rate]:
        achieved = percent(numerator, denominator) if denominator else None
        met = meets(by_field[field], achieved) if judge and achieved is not None else None
        return field, Rate(achieved=achieved, numerator=numerator, denominator=denominator, met=met)

    def total(field: str, achieved: Decimal) -> tuple[str, Total]:
        met = meets(by_field[field], achieved) if judge and national else None
        return field, Total(achieved=achieved, met=met)

    # Each from the few columns it needs, never making the records (a country's audits are tens of thousands).
    enterprises, audits, trainings = data.records("enterprises"), data.records("audits"), data.records("trainings")
    above = set(enterprises.where("above_scale", bool).column("uscc"))
    heads = set(
        trainings.where("enterprise", above.__contains__)
        .where("head_person_times", lambda times: times > 0)
        .where("held_on", cumulative)
        .column("enterprise")
    )
    evaluated_audits = audits.where("evaluation", is_passed).where("evaluated_on", cumulative)  # (Audit.evaluated)
    passed = set(evaluated_audits.where("enterprise", above.__contains__).column("enterprise"))
    yield rate("trained", len(heads), populations["above_scale_enterprises"])
    yield rate("audited", len(passed), populations["above_scale_enterprises"])

    evaluated = set(evaluated_audits.column("id"))
    # Picked from four fields' columns, never holding the country's projects as objects.
    projects = data.records("proposals").where("audit", evaluated.__contains__).where("cost_class", _mid_high)
    done = projects.where("status", _completed).where("completed_on", lambda date: date is not None and date <= end)
    yield rate("retrofits", len(done), len(projects))

    totals = tally(data, start, end)
    for field, metric, basis, unit in _REDUCTIONS:
        yield total(field, to_unit(totals.effect(metric, basis), metric.unit, unit))

    latest: dict[str, tuple[datetime.date, CleanerProductionLevel | None]] = {}
    accepted = audits.where("acceptance", is_passed).where("accepted_on", lambda date: date is not None and date <= end)
    for enterprise, accepted_on, level in accepted.columns("enterprise", "accepted_on", "level"):  # (Audit.accepted)
        if enterprise not in latest or accepted_on >= latest[enterprise][0]:
            latest[enterprise] = (accepted_on, level)
    advanced = sum(
        1
        for uscc, industry, tags in enterprises.columns("uscc", "industry", "key_industries")
        if uscc in latest and latest[uscc][1] in _ADVANCED and _is_key_industry(industry, tags)
    )
    yield rate("advanced", advanced, populations["key_industry_enterprises"])

    demonstrated = {
        d.enterprise or d.id
        for d in data.demonstrations
        if d.kind is DemonstrationKind.ENTERPRISE
        and d.level in (Level.NATIONAL, Level.PROVINCIAL)
        and inside(d.granted_on)
    }
    yield total("demonstrations", Decimal(len(demonstrated)))
