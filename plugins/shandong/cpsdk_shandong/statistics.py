"""``shandong.statistics`` — 清洁生产审核工作统计表, in Shandong's layout and units.

The Shandong Environmental Protection Department reports its audits “自《清洁生产促进法》颁布以来”
as a list of totals in 家, 个, 亿元, 万吨 and 亿度 (seed 002, 一、基本情况), and its pilot of
enterprise environmental reports (二、（五）). This form prints the same list for any region of
Shandong and span of dates — by default from the law's promulgation (2002-06-29) to the end
of the last year in the records, reductions on the discharge basis, one decimal, as the
material prints them, so that the published figures come out of the records unchanged.
The totals come from :func:`cpsdk.tally`; each line (see the plugin's README for the clause):

- 开展清洁生产审核企业 (家): distinct enterprises with an audit confirmed in the span.
- 通过评估验收企业 (家): distinct enterprises whose audit was accepted in the span.
- 提出清洁生产方案 (个): **every** proposal put forward in the span, whatever became of its
  audit (``Totals.put_forward``: “累计提出清洁生产方案20448个” beside 405 accepted), by cost class.
- 实施清洁生产方案 (个): proposals completed in the span, by cost class; 实施方案投入资金 (亿元):
  their investment.
- 削减化学需氧量, 削减二氧化硫 (万吨): the completed proposals' reductions of **discharge**
  (``basis=generation`` for the other basis, never mixed in; what is left out is noted).
- 节水 (万吨), 节电 (亿度), 节煤 (万吨), 经济效益 (亿元): the completed proposals' yearly effects.
- 开展企业环境报告书编制试点企业 (家): distinct pilot enterprises whose report's compilation
  started in the span; 其中：完成编制并向社会发布: those of them with such a report completed
  and published by the end of the span.

Each figure is printed rounded half-up to ``decimals`` places (1 by default, as the material
prints), and its exact value, converted without rounding, beside it. The earliest date of the
region's audit and proposal records is printed too: when the span starts no later, it is
cumulative from the first records and implemented ≤ put forward is a law, checked per cost class.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, cast

import attrs

from cpsdk import (
    SUBMISSION_PARAMETERS,
    Basis,
    CostClass,
    Dataset,
    Issue,
    LayoutForm,
    Metric,
    Period,
    Records,
    Scope,
    Submission,
    Totals,
    Unit,
    describe,
    error,
    submission_from,
    submission_lines,
    tally,
    titled,
    to_unit,
    warning,
)
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout
from cpsdk_shandong._scope import LAW_PROMULGATED, NamedRegion, date_span, rounded, shandong_region
from cpsdk_shandong._source import ENVIRONMENTAL_REPORTS, STATISTICS


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
    """The statistics of a region of Shandong over a span of dates."""

    region: str = describe("地区代码", "Region code", schema={"pattern": "^37([0-9]{2}){0,2}$"})
    region_name: str = describe("地区", "Region")
    start: datetime.date = describe("统计起始日期", "First day of the span")
    end: datetime.date = describe("统计截止日期", "Last day of the span")
    first_record: datetime.date | None = describe(
        "最早记录日期", "Earliest date of the region's audit and proposal records", default=None
    )
    basis: str = describe("削减量口径", "Basis of the reductions (产生量 or 排放量)")
    rows: tuple[Statistic, ...] = describe("指标", "Statistics", factory=tuple)
    submission: Submission = describe("填报", "Submission lines", factory=Submission)

    @property
    def cumulative(self) -> bool:
        """Whether the span starts no later than the first records (so it counts everything up to its end)."""
        return self.first_record is None or self.start <= self.first_record

    def value(self, indicator: str) -> Decimal | None:
        """The printed figure of an indicator by its name."""
        return next((row.value for row in self.rows if row.indicator == indicator), None)


AUDITED = "开展清洁生产审核企业"
ACCEPTED = "通过评估验收企业"
PROPOSED = "提出清洁生产方案"
IMPLEMENTED = "实施清洁生产方案"
NO_LOW = "其中：无/低费方案"
MID_HIGH = "其中：中/高费方案"
INVESTMENT = "实施方案投入资金"
REPORTS_PILOT = "开展企业环境报告书编制试点企业"
REPORTS_PUBLISHED = "其中：完成编制并向社会发布"
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
#: The basis Shandong's material counts reductions on (see the README: discharge, as 减排 targets are).
DEFAULT_BASIS = Basis.DISCHARGE
#: Places Shandong's material prints its 亿元, 万吨 and 亿度 with (“55.2亿元”, “4.3万吨”, “7.9亿度”).
DEFAULT_DECIMALS = 1


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
        "start": "统计起始日期 first day, e.g. 2002-06-29 (default 2002-06-29, the law's promulgation)",
        "start_year": "起始年度 first year, from 1 January (instead of start)",
        "end": "统计截止日期 last day (instead of year)",
        "year": "截止年度 last year, to 31 December (default: the last year in the records)",
        "region": "地区代码 region of Shandong (default 37)",
        "basis": "削减量口径 discharge (default, as Shandong prints) or generation",
        "decimals": "保留小数位数 decimals printed (default 1, as Shandong prints)",
        **SUBMISSION_PARAMETERS,
    }

    def build(self, dataset: Dataset, **params: Any) -> Statistics:
        """The statistics of ``region`` over the span asked for (see :func:`cpsdk_shandong._scope.date_span`)."""
        return self.build_with_issues(dataset, **params)[0]

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[Statistics, list[Issue]]:
        """The statistics, and a note of the reductions on the other basis that are left out."""
        code, name = shandong_region(params.get("region"))
        data = dataset.in_region(code)
        first, last = _record_dates(data)
        start, end = date_span(params, LAW_PROMULGATED, (last or datetime.date.today()).year)
        basis = cast(Basis, Basis.from_label(str(params.get("basis") or DEFAULT_BASIS.value)))
        raw_decimals = params.get("decimals")
        decimals = DEFAULT_DECIMALS if raw_decimals in (None, "") else int(raw_decimals)
        if not 0 <= decimals <= 6:
            raise ValueError("decimals must be 0 to 6")
        totals = tally(data, start, end)
        rows = (*_rows(totals, basis, decimals), *_reports(data, start, end))
        report = Statistics(
            region=code,
            region_name=name,
            start=start,
            end=end,
            first_record=first,
            basis=basis.zh,
            rows=rows,
            submission=submission_from(params),
        )
        return report, list(_left_out(totals, basis))

    def layout(self) -> WorkbookLayout:
        """The title with the region, the span and basis, then 序号 · 指标 · 单位 · 数值 · 精确值."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="审核统计",
                    columns=(8, 30, 8, 18, 24),
                    blocks=(
                        Title(template="{region_name}清洁生产审核工作统计表"),
                        Grid(rows=tuple(_header_line(label, path) for label, path in _HEADER)),
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
                                "1. 默认统计自《清洁生产促进法》颁布（2002年6月29日）以来累计数。"
                                "企业数为不重复企业数；审核以主管部门确认日期计，验收以评估验收日期计。",
                                "2. 提出方案数为提出的全部方案，不论其审核是否通过评估验收；"
                                "实施方案数 = 无/低费方案数 + 中/高费方案数，投入资金及效果按方案完成日期计入。",
                                "3. 污染物削减量按所注口径统计（默认排放量），产生量与排放量不混加。",
                                "4. 环境报告书按《山东省企业环境报告书编制指南》（DB37/T 1086-2008）编制；"
                                "“其中”为截至统计截止日期完成编制并向社会发布的试点企业。",
                                "5. 数值按四舍五入修约（默认保留一位小数）；精确值为记录之和的精确换算，未经修约。",
                                "6. 统计起始日期不晚于最早记录日期时为累计数，实施方案数不大于提出方案数。",
                            ),
                        ),
                        submission_lines(5, indent=1),
                    ),
                ),
            )
        )

    def rules(self, report: Statistics) -> Iterable[Issue]:
        """Totals are the sum of their parts; implemented ≤ put forward over a cumulative span; published ≤
        compiling; a printed figure is its exact value rounded; nothing negative."""
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
        if report.cumulative:
            yield from self._implemented_within_put_forward(report, index)
        if (
            REPORTS_PILOT in index
            and REPORTS_PUBLISHED in index
            and report.rows[index[REPORTS_PUBLISHED]].value > report.rows[index[REPORTS_PILOT]].value
        ):
            yield error(
                "shandong.statistics.reports-published-exceed-pilots",
                "完成编制并向社会发布的企业数不能大于开展环境报告书编制的试点企业数",
                "more enterprises published an environmental report than pilot enterprises compiled one",
                pointer=self.pointer("rows", index[REPORTS_PUBLISHED], "value"),
                source=ENVIRONMENTAL_REPORTS,
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

    def _implemented_within_put_forward(self, report: Statistics, index: dict[str, int]) -> Iterator[Issue]:
        """Implemented ≤ put forward, in total and per cost class (the lines under each total, in order).

        Only over a span starting no later than the first records: every proposal completed by its end was
        put forward by then, and in it. A span starting later may count implementations of proposals put
        forward before it, so the rule does not apply there.
        """
        if PROPOSED not in index or IMPLEMENTED not in index:
            return
        for offset, part in enumerate(("合计", "无/低费", "中/高费")):
            proposed_at, implemented_at = index[PROPOSED] + offset, index[IMPLEMENTED] + offset
            if max(proposed_at, implemented_at) >= len(report.rows):
                return
            proposed, implemented = report.rows[proposed_at].value, report.rows[implemented_at].value
            if implemented > proposed:
                yield error(
                    "shandong.statistics.implemented-exceeds-proposed",
                    f"{part}：累计实施方案数（{implemented}）不能大于累计提出方案数（{proposed}）",
                    f"{part}: more proposals implemented ({implemented}) than put forward ({proposed}) "
                    "over a span cumulative from the first records",
                    pointer=self.pointer("rows", implemented_at, "value"),
                    source=STATISTICS,
                )


def _places(value: Decimal) -> int:
    """Decimal places a figure is printed with."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _record_dates(data: Dataset) -> tuple[datetime.date | None, datetime.date | None]:
    """The earliest and latest dates of the region's audit, proposal and environmental-report records.

    The earliest is taken over the audits' and proposals' dates only, every one that places a record in
    :func:`cpsdk.tally` among them (a proposal's put forward by its audit's report, its start or completion),
    so that a span starting no later counts each proposal completed by its end as put forward in it.
    """
    audit_fields = ("started_on", "confirmed_on", "report_filed_on", "evaluated_on", "accepted_on")
    dates = _distinct(data.records("audits"), audit_fields) | _distinct(
        data.records("proposals"), ("started_on", "completed_on")
    )
    first = min(dates, default=None)
    dates |= _distinct(data.records("environmental_reports"), ("started_on", "completed_on", "published_on"))
    return first, max(dates, default=None)


def _distinct(records: Records[Any], fields: Iterable[str]) -> set[datetime.date]:
    """The dates the records hold in any of ``fields`` (from each field's distinct values)."""
    found: set[datetime.date] = set()
    for field in fields:
        found |= records.distinct(field)
    found.discard(None)
    return found


def _rows(totals: Totals, basis: Basis, decimals: int) -> Iterator[Statistic]:
    def amount(name: str, value: Decimal, source: Unit, target: Unit) -> Statistic:
        exact = to_unit(value, source, target)
        return Statistic(indicator=name, unit=target.symbol, value=rounded(exact, decimals), exact=exact)

    yield _count(AUDITED, totals.audited)
    yield _count(ACCEPTED, totals.accepted)
    for name, counted in ((PROPOSED, totals.proposals_put_forward), (IMPLEMENTED, totals.implementations)):
        yield _count(name, counted(), "个")
        yield _count(NO_LOW, counted(CostClass.NO_LOW), "个")
        yield _count(MID_HIGH, counted(CostClass.MID_HIGH), "个")
    yield amount(INVESTMENT, totals.investment, Unit.TEN_THOUSAND_YUAN, Unit.HUNDRED_MILLION_YUAN)
    for name, metric, unit in AMOUNTS:
        yield amount(name, totals.effect(metric, basis), metric.unit, unit)


def _count(name: str, value: int, unit: str = "家") -> Statistic:
    return Statistic(indicator=name, unit=unit, value=Decimal(value), exact=Decimal(value))


def _reports(data: Dataset, start: datetime.date, end: datetime.date) -> Iterator[Statistic]:
    """Pilot enterprises compiling an environmental report in the span, and those of them that completed and
    published one by its end (seed 002, 二、（五）)."""
    compiling: set[str] = set()
    published: set[str] = set()
    for report in data.environmental_reports:
        if not report.pilot or not start <= report.started_on <= end:
            continue
        compiling.add(report.enterprise)
        done, out = report.completed_on, report.published_on
        if done is not None and out is not None and max(done, out) <= end:
            published.add(report.enterprise)
    yield _count(REPORTS_PILOT, len(compiling))
    yield _count(REPORTS_PUBLISHED, len(published))


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


#: The lines above the table: each label in the 指标 column, its value across 单位 and 数值.
_HEADER = (
    ("统计起始日期：", "start"),
    ("统计截止日期：", "end"),
    ("最早记录日期：", "first_record"),
    ("削减量口径：", "basis"),
)


def _header_line(label: str, path: str) -> tuple[Text, Text, Value, Text]:
    style = "field_date" if path != "basis" else "field_value"
    return (
        Text(text="", style="field_label"),
        Text(text=label, style="field_label"),
        Value(path=path, colspan=2, style=style),
        Text(text="", style="field_label"),
    )
