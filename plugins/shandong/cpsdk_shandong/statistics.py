"""``shandong.statistics`` — 清洁生产审核工作统计表, in Shandong's layout and units.

The Shandong Environmental Protection Department reports its audits since the 清洁生产促进法
came into force as a list of totals in 家, 个, 亿元, 万吨 and 亿度 (seed 002). This form
prints the same list for any region of Shandong and span of years. Every total comes from
:func:`cpsdk.tally`, which says how it follows from the records; here:

- 开展清洁生产审核企业 / 通过评估验收企业 (家): distinct enterprises audited / accepted.
- 提出 / 实施清洁生产方案 (个), each split 无/低费 and 中/高费, so that a total is the sum of
  its two parts; 实施方案投资 (亿元): the investment of the proposals implemented.
- 削减化学需氧量, 削减二氧化硫 (万吨): reductions on the **generation** basis by default
  (``basis=discharge`` for the discharge basis); the other basis is never mixed in, and
  what it leaves out is noted.
- 节水 (万吨), 节电 (亿度), 节煤 (万吨), 经济效益 (亿元).

Each figure is printed rounded half-up to ``decimals`` places (2 by default; Shandong's
material prints 1), and its exact value, converted without rounding, is printed beside it:
the printed figure always equals the exact sum of the records to the printed precision.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, cast

import attrs

from cpsdk import (
    Basis,
    CostClass,
    Dataset,
    Issue,
    LayoutForm,
    Metric,
    Period,
    Scope,
    Totals,
    Unit,
    describe,
    error,
    tally,
    titled,
    to_unit,
    warning,
)
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout
from cpsdk_shandong._scope import NamedRegion, rounded, shandong_region, span
from cpsdk_shandong._source import STATISTICS


@titled("统计指标", "Statistic")
@attrs.frozen(kw_only=True)
class Statistic:
    """One line: the indicator, its unit, the figure as printed and its exact value."""

    indicator: str = describe("指标", "Indicator")
    unit: str = describe("单位", "Unit")
    value: Decimal = describe("数值", "Value, rounded as printed")
    exact: Decimal = describe("精确值", "Exact value, in the same unit")


@titled("清洁生产审核工作统计表", "Cleaner-production audit statistics")
@attrs.frozen(kw_only=True)
class Statistics:
    """The statistics of a region of Shandong over a span of years."""

    region: str = describe("地区代码", "Region code", schema={"pattern": "^37([0-9]{2}){0,2}$"})
    region_name: str = describe("地区", "Region")
    start_year: int = describe("起始年度", "First year")
    end_year: int = describe("截止年度", "Last year")
    basis: str = describe("削减量口径", "Basis of the reductions (产生量 or 排放量)")
    rows: tuple[Statistic, ...] = describe("指标", "Statistics", factory=tuple)
    compiled_by: str | None = describe("填报单位", "Compiled by", default=None)

    def value(self, indicator: str) -> Decimal | None:
        """The printed figure of an indicator by its name."""
        return next((row.value for row in self.rows if row.indicator == indicator), None)


AUDITED = "开展清洁生产审核企业"
ACCEPTED = "通过评估验收企业"
PROPOSED = "提出清洁生产方案"
IMPLEMENTED = "实施清洁生产方案"
NO_LOW = "其中：无/低费方案"
MID_HIGH = "其中：中/高费方案"
INVESTMENT = "实施方案投资"
#: (indicator, metric, unit printed); pollutants take the report's basis.
AMOUNTS: tuple[tuple[str, Metric, Unit], ...] = (
    ("削减化学需氧量（COD）", Metric.COD, Unit.TEN_THOUSAND_TONNES),
    ("削减二氧化硫（SO₂）", Metric.SO2, Unit.TEN_THOUSAND_TONNES),
    ("节水", Metric.WATER, Unit.TEN_THOUSAND_TONNES),
    ("节电", Metric.ELECTRICITY, Unit.HUNDRED_MILLION_KWH),
    ("节煤", Metric.COAL, Unit.TEN_THOUSAND_TONNES),
    ("经济效益", Metric.BENEFIT, Unit.HUNDRED_MILLION_YUAN),
)
#: Totals that are the sum of the two lines under them (无/低费, 中/高费).
SPLITS = (PROPOSED, IMPLEMENTED)


class StatisticsForm(NamedRegion, LayoutForm):
    """清洁生产审核工作统计表 (家, 个, 亿元, 万吨, 亿度)."""

    id = "shandong.statistics"
    title = "清洁生产审核工作统计表"
    layout_year = 2009
    period = Period.PLAN_PERIOD
    scope = Scope.REGION
    report_type = Statistics
    source = STATISTICS
    parameters = {
        "year": "截止年度 last year (default: the last year in the data)",
        "start_year": "起始年度 first year (default 2003, the law's first year)",
        "region": "地区代码 region of Shandong (default 37)",
        "basis": "削减量口径 generation (default) or discharge",
        "decimals": "保留小数位数 decimals printed (default 2)",
        "compiled_by": "填报单位 compiled by",
    }

    def build(self, dataset: Dataset, **params: Any) -> Statistics:
        """The statistics of ``region`` over ``start_year`` … ``year``."""
        return self.build_with_issues(dataset, **params)[0]

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[Statistics, list[Issue]]:
        """The statistics, and a note of the reductions on the other basis that are left out."""
        code, name = shandong_region(params.get("region"))
        years = [p.completed_on.year for p in dataset.proposals if p.completed_on]
        start_year, end_year = span(params, 2003, max(years, default=datetime.date.today().year))
        basis = cast(Basis, Basis.from_label(str(params.get("basis") or Basis.GENERATION.value)))
        raw_decimals = params.get("decimals")
        decimals = 2 if raw_decimals is None else int(raw_decimals)
        if not 0 <= decimals <= 6:
            raise ValueError("decimals must be 0 to 6")
        totals = tally(dataset.in_region(code), datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31))
        rows = tuple(_rows(totals, basis, decimals))
        compiled_by = params.get("compiled_by")
        report = Statistics(
            region=code,
            region_name=name,
            start_year=start_year,
            end_year=end_year,
            basis=basis.zh,
            rows=rows,
            compiled_by=str(compiled_by) if compiled_by else None,
        )
        return report, list(_left_out(totals, basis))

    def layout(self) -> WorkbookLayout:
        """The title with region and span, then 序号 · 指标 · 单位 · 数值 · 精确值."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="审核统计",
                    columns=(8, 30, 8, 18, 24),
                    blocks=(
                        Title(template="{region_name}清洁生产审核工作统计表（{start_year}—{end_year}年）"),
                        Grid(
                            rows=(
                                (
                                    Text(text="填报单位：", style="field_label"),
                                    Value(path="compiled_by", colspan=2, style="field_value"),
                                    Text(text="削减量口径：", style="field_label"),
                                    Value(path="basis", style="field_value"),
                                ),
                            )
                        ),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("序号",), field="#"),
                                Column(header=("指标",), field="indicator", style="text"),
                                Column(header=("单位",), field="unit", style="center"),
                                Column(header=("数值",), field="value", decimals=-1),
                                Column(header=("精确值",), field="exact", decimals=-1),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 企业数为不重复企业数；审核以主管部门确认日期计，验收以评估验收日期计。",
                                "2. 实施方案数 = 无/低费方案数 + 中/高费方案数；投资及效果按方案完成日期计入。",
                                "3. 污染物削减量按所注口径统计，产生量与排放量不混加。",
                                "4. 数值按四舍五入修约；精确值为记录之和的精确换算，未经修约。",
                            ),
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: Statistics) -> Iterable[Issue]:
        """Totals are the sum of their parts; a printed figure is its exact value rounded; nothing negative."""
        index = {row.indicator: position for position, row in enumerate(report.rows)}
        for name in SPLITS:
            if name in index and index[name] + 2 < len(report.rows):
                total = report.rows[index[name]].value
                parts = report.rows[index[name] + 1].value + report.rows[index[name] + 2].value
                if total != parts:
                    yield error(
                        "shandong.statistics.split",
                        f"{name}（{total}）应等于无/低费与中/高费方案之和（{parts}）",
                        f"{name} ({total}) must equal the no/low-cost plus mid/high-cost proposals ({parts})",
                        pointer=self.pointer("rows", index[name], "value"),
                        source=STATISTICS,
                    )
        if (
            AUDITED in index
            and ACCEPTED in index
            and report.rows[index[ACCEPTED]].value > report.rows[index[AUDITED]].value
        ):
            yield warning(
                "shandong.statistics.accepted-exceeds-audited",
                "通过评估验收企业数大于开展审核企业数（可能含统计期前开展审核的企业）",
                "more enterprises accepted than audited (audits from before the span may be accepted in it)",
                pointer=self.pointer("rows", index[ACCEPTED], "value"),
                source=STATISTICS,
            )
        for position, row in enumerate(report.rows):
            if row.value != rounded(row.exact, _places(row.value)):
                yield error(
                    "shandong.statistics.rounding",
                    f"{row.indicator}的数值（{row.value}）不是精确值（{row.exact}）的四舍五入",
                    f"{row.indicator}: {row.value} is not the exact value {row.exact} rounded",
                    pointer=self.pointer("rows", position, "value"),
                    source=STATISTICS,
                )
            if row.exact < 0:
                yield error(
                    "shandong.statistics.negative",
                    f"{row.indicator}不能为负数",
                    f"{row.indicator} must not be negative",
                    pointer=self.pointer("rows", position, "exact"),
                    source=STATISTICS,
                )


def _places(value: Decimal) -> int:
    """Decimal places a figure is printed with."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _rows(totals: Totals, basis: Basis, decimals: int) -> Iterator[Statistic]:
    def count(name: str, value: int, unit: str) -> Statistic:
        return Statistic(indicator=name, unit=unit, value=Decimal(value), exact=Decimal(value))

    def amount(name: str, value: Decimal, source: Unit, target: Unit) -> Statistic:
        exact = to_unit(value, source, target)
        return Statistic(indicator=name, unit=target.symbol, value=rounded(exact, decimals), exact=exact)

    yield count(AUDITED, totals.audited, "家")
    yield count(ACCEPTED, totals.accepted, "家")
    for name, counted in ((PROPOSED, totals.proposals), (IMPLEMENTED, totals.implementations)):
        yield count(name, counted(), "个")
        yield count(NO_LOW, counted(CostClass.NO_LOW), "个")
        yield count(MID_HIGH, counted(CostClass.MID_HIGH), "个")
    yield amount(INVESTMENT, totals.investment, Unit.TEN_THOUSAND_YUAN, Unit.HUNDRED_MILLION_YUAN)
    for name, metric, unit in AMOUNTS:
        yield amount(name, totals.effect(metric, basis), metric.unit, unit)


def _left_out(totals: Totals, basis: Basis) -> Iterator[Issue]:
    other = Basis.DISCHARGE if basis is Basis.GENERATION else Basis.GENERATION
    for name, metric, _ in AMOUNTS:
        if not metric.pollutant:
            continue
        left = totals.effect(metric, other)
        if left:
            yield warning(
                "shandong.statistics.other-basis",
                f"{name}：另有{other.zh}口径削减量 {left} 吨未计入（统计口径为{basis.zh}）",
                f"{name}: {left} t reduced on the {other.value} basis are not counted (the basis is {basis.value})",
                source=STATISTICS,
            )
