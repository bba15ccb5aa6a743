"""``national.summary`` — the summary statistics every province publishes.

Chongqing, Liaoning, Jiangsu, Shanxi and Shandong (seed 002, 003) report the same
kinds of totals: audits carried out and accepted, proposals put forward and
implemented by cost class, investment, pollutants reduced, resources saved and
economic benefit. This form computes them for any region and span of years, in
units the user chooses (e.g. Shandong's 亿元, 万吨, 亿度).

Each figure is a total of :func:`cpsdk.tally` over ``start_year``-01-01 …
``end_year``-12-31 (a span of one year by default, titled “2020年”; of several,
“2016—2020年”), which says how it follows from the records:

- 开展清洁生产审核企业数 (其中：强制性): distinct enterprises with an audit confirmed in the
  span (``Totals.audited``, ``audited_mandatory``).
- 通过评估验收企业数: distinct enterprises whose audit passed acceptance in the span.
- 提出清洁生产方案数 (无/低费, 中/高费): **every** proposal put forward, whatever became of its
  audit (``Totals.put_forward``), placed by the first date recorded for it — its audit's
  report, its own start or its completion. Shandong's statistics (seed 002) print
  “累计提出清洁生产方案20448个，累计实施19112个” beside 405 audits accepted: proposals put
  forward are all those put forward, not only those of audits that passed evaluation
  (issue 22, item 2).
- 实施清洁生产方案数 (无/低费, 中/高费), 实施方案投资额, reductions, savings and 经济效益:
  proposals completed in the span and their yearly effects; pollutant reductions split by
  basis (产生量 / 排放量), never mixed.
- 节能量: the energy the completed proposals save, each counted once (``Totals.energy``,
  :func:`cpsdk.energy_saved`): the energy a proposal records in tce, else its electricity and
  raw coal converted with GB/T 2589-2008 附录A (0.1229 kgce/kWh 当量值, 0.7143 kgce/kg). 节电量
  and 节煤量 are printed as recorded.

**实施 ≤ 提出, per cost class.** A proposal is put forward no later than it is completed,
so over a span that holds every record the implemented proposals are among those put
forward: the report is **累计** (``cumulative``) when its span starts no later than the
first date recorded for any proposal of the region, and then 实施 > 提出 in a cost class
is an error (``summary.implemented-exceeds-put-forward``). Over a shorter span (one year,
say) 实施 keeps its meaning — the proposals completed in the span — and may legitimately
count proposals put forward in an earlier year, so no rule applies: the report says
“期间” and its notes say why.

**Submission lines.** A region's summary is handed to the level above (the provinces' statistics are reported
to the ministry, seed 002), so it ends, under its notes, with 填报单位（盖章）, 填表人, 联系电话 and 填报日期
(``submission``), filled from the parameters ``unit``, ``filled_by``, ``phone`` and ``filed_on``
(:data:`cpsdk.SUBMISSION_PARAMETERS`), all optional. No document prints the form, so the lines go where the
receiving office looks for the stamp: at the foot, the labels across 序号 and the first part of 指标.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import attrs

from cpsdk.base._issues import Issue, error
from cpsdk.codes import region_full_name
from cpsdk.forms._form import LayoutForm, Period, Scope
from cpsdk.forms._submission import SUBMISSION_LABELS, SUBMISSION_PARAMETERS, Submission, submission_from
from cpsdk.forms._tally import tally
from cpsdk.model._entities import Dataset
from cpsdk.model._fields import describe, titled
from cpsdk.model._quantity import Dimension, Unit, to_unit
from cpsdk.model._vocabulary import Basis, CostClass, Metric
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout

SOURCE = (
    "《重点企业清洁生产培训班交流材料》（山东省环保厅及渝、辽、苏交流材料）审核统计口径；"
    "《山西省清洁生产“十二五”推行规划》 一、（一）"
)
#: Where the rule implemented ≤ put forward comes from.
RULE_SOURCE = (
    "山东省环保厅《重点企业清洁生产培训班交流材料》 一、基本情况（累计提出清洁生产方案20448个，累计实施19112个）"
)


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
    span: str = describe("统计期间", "Span as the title prints it (2020年, 2016—2020年)")
    cumulative: bool = describe(
        "累计口径", "Whether the span holds every record of the region (then implemented ≤ put forward)", default=False
    )
    rows: tuple[SummaryRow, ...] = describe("指标", "Indicators", factory=tuple)
    submission: Submission = describe("填报", "Who reports the summary, and when", factory=Submission)

    def value(self, indicator: str) -> Decimal | None:
        """The value of an indicator by its name."""
        return next((row.value for row in self.rows if row.indicator == indicator), None)


def span_text(start_year: int, end_year: int) -> str:
    """The span as a title prints it: ``2020年`` for one year, ``2016—2020年`` for several."""
    return f"{end_year}年" if start_year == end_year else f"{start_year}—{end_year}年"


_SPAN = re.compile(r"^\s*(\d{4})\s*(?:年?\s*[—–\-－~～至到]+\s*(\d{4}))?\s*年?\s*$")


def parse_span(text: str) -> tuple[int, int] | None:
    """The first and last year of a span as printed (``2020年``, ``2016—2020年``, ``2016-2020``); None if not one."""
    match = _SPAN.match(text)
    if match is None:
        return None
    first = int(match.group(1))
    return first, int(match.group(2) or first)


CUMULATIVE_LABELS = ("累计（统计期间含全部记录）", "期间（实施方案可含以前年度提出的方案）")

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
        "year": "截止年度 last year of the span (default: the last year with records)",
        "start_year": "起始年度 first year (default: same as year, a span of one year)",
        "region": "地区代码 region code prefix (default: all)",
        "money_unit": "金额单位 money unit (元/万元/亿元)",
        "mass_unit": "重量单位 mass unit (吨/万吨)",
        "electricity_unit": "电量单位 electricity unit (度/万度/亿度)",
        "energy_unit": "能源单位 energy unit (吨标准煤/万吨标准煤)",
        **SUBMISSION_PARAMETERS,
    }

    def build(self, dataset: Dataset, **params: Any) -> Summary:
        """The summary for ``region`` (a GB/T 2260 prefix) from ``start_year`` to ``year``; ValueError for a
        ``filed_on`` that is not a date."""
        submission = submission_from(params)
        end_year = int(params.get("year") or _last_year(dataset))
        start_year = int(params.get("start_year") or end_year)
        if start_year > end_year:
            raise ValueError(f"start_year ({start_year}) is after year ({end_year})")
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
        first = first_put_forward(data)
        return Summary(
            region=region or None,
            region_name=name,
            start_year=start_year,
            end_year=end_year,
            span=span_text(start_year, end_year),
            cumulative=first is None or start <= first,
            rows=tuple(rows),
            submission=submission,
        )

    def complete(self, data: dict[str, Any]) -> None:
        """The first and last year, from the span the title prints."""
        years = parse_span(str(data.get("span", "")))
        if years is not None:
            data.setdefault("start_year", years[0])
            data.setdefault("end_year", years[1])

    def layout(self) -> WorkbookLayout:
        """One sheet: the title with region and span, then 序号 · 指标 · 数值 · 单位, the notes and the
        submission lines (指标 takes two sheet columns, so that each line's label has one of its width)."""
        unit, filled_by, phone, filed_on = SUBMISSION_LABELS
        label = "field_label"
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="汇总表",
                    columns=(8, 14, 28, 18, 20),
                    blocks=(
                        Title(template="{region_name}清洁生产审核工作汇总表（{span}）"),
                        Grid(
                            rows=(
                                (
                                    Text(text="区划代码：", colspan=2, style=label),
                                    Value(path="region", style="field_value", empty="—"),
                                    Text(text="", colspan=2, style=label),
                                ),
                                (
                                    Text(text="统计口径：", colspan=2, style=label),
                                    Value(path="cumulative", colspan=3, style="field_value", labels=CUMULATIVE_LABELS),
                                ),
                            )
                        ),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("序号",), field="#", width=8),
                                Column(header=("指标",), field="indicator", width=42, span=2),
                                Column(header=("数值",), field="value", width=18, decimals=-1),
                                Column(header=("单位",), field="unit", width=20, style="center"),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 企业数为不重复企业数；审核以主管部门确认日期计，验收以实施效果验收日期计。",
                                "2. 提出方案数为提出的全部方案（不论其审核是否通过评估），"
                                "按其最早记录日期（审核报告报送或评估、方案开始或完成日期）计入。",
                                "3. 实施方案、投资额及效果按方案完成日期计入；"
                                "污染物削减量按产生量、排放量口径分列，不得混加。",
                                "4. 累计口径（统计期间含全部记录）下，各类实施方案数不大于提出方案数；"
                                "期间口径下，实施方案可含以前年度提出的方案。",
                                "5. 节能量为各方案节能量（吨标准煤）之和，每项节约只计一次：方案未填节能量的，"
                                "其节电、节煤按GB/T 2589-2008附录A折标准煤"
                                "（电力当量值0.1229 kgce/kWh，原煤0.7143 kgce/kg）。",
                                "6. 单位换算为精确换算，数值未经四舍五入。",
                            ),
                        ),
                        Grid(
                            rows=(
                                (
                                    Text(text=unit, colspan=2, style=label),
                                    Value(path="submission.unit", style="field_value"),
                                    Text(text=filed_on, style=label),
                                    Value(path="submission.filed_on", style="field_date"),
                                ),
                                (
                                    Text(text=filled_by, colspan=2, style=label),
                                    Value(path="submission.filled_by", style="field_value"),
                                    Text(text=phone, style=label),
                                    Value(path="submission.phone", style="field_value"),
                                ),
                            )
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: Summary) -> Iterable[Issue]:
        """Implemented = no/low + mid/high; put forward likewise; over a cumulative span implemented ≤ put forward
        in each cost class; the span as the years say; nothing negative."""
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
        if report.cumulative:
            for implemented, put_forward, kind_zh, kind_en in (
                (IMPLEMENTED_NO_LOW, PROPOSED_NO_LOW, "无/低费", "no/low-cost"),
                (IMPLEMENTED_MID_HIGH, PROPOSED_MID_HIGH, "中/高费", "mid/high-cost"),
            ):
                if implemented in index and value(implemented) > value(put_forward):
                    yield error(
                        "summary.implemented-exceeds-put-forward",
                        f"累计口径下，实施{kind_zh}方案数（{value(implemented)}）不能大于提出{kind_zh}方案数"
                        f"（{value(put_forward)}）",
                        f"over a cumulative span, {kind_en} proposals implemented ({value(implemented)}) cannot "
                        f"exceed those put forward ({value(put_forward)})",
                        pointer=self.pointer("rows", index[implemented][0], "value"),
                        source=RULE_SOURCE,
                    )
        if report.span != span_text(report.start_year, report.end_year):
            yield error(
                "summary.span",
                f"统计期间“{report.span}”与起止年度（{report.start_year}、{report.end_year}）不符",
                f"the span {report.span!r} does not match the years {report.start_year}-{report.end_year}",
                pointer=self.pointer("span"),
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


def first_put_forward(dataset: Dataset) -> datetime.date | None:
    """The earliest date that places a proposal of ``dataset`` as put forward (see :func:`cpsdk.tally`): its
    audit's report (filed, else evaluated), its own start or its completion; None when no proposal has one."""
    audits = dataset.records("audits")
    reported = {
        audit: filed or evaluated for audit, filed, evaluated in audits.columns("id", "report_filed_on", "evaluated_on")
    }
    proposals = dataset.records("proposals")
    # the least over every proposal is the least over the distinct values of each column
    days = [reported.get(audit) for audit in proposals.distinct("audit") if audit is not None]
    days += [*proposals.distinct("started_on"), *proposals.distinct("completed_on")]
    return min((day for day in days if day is not None), default=None)


def _last_year(dataset: Dataset) -> int:
    """The latest year an audit (confirmed, else started) or a proposal's completion places a record in; this year
    when none does."""
    audits = dataset.records("audits")
    days = [confirmed or started for confirmed, started in audits.columns("confirmed_on", "started_on")]
    days += dataset.records("proposals").distinct("completed_on")
    return max((day.year for day in days if day), default=datetime.date.today().year)


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
    yield count(PROPOSED, totals.proposals_put_forward())
    yield count(PROPOSED_NO_LOW, totals.proposals_put_forward(CostClass.NO_LOW))
    yield count(PROPOSED_MID_HIGH, totals.proposals_put_forward(CostClass.MID_HIGH))
    yield count(IMPLEMENTED, totals.implementations())
    yield count(IMPLEMENTED_NO_LOW, totals.implementations(CostClass.NO_LOW))
    yield count(IMPLEMENTED_MID_HIGH, totals.implementations(CostClass.MID_HIGH))
    yield amount(INVESTMENT, totals.investment, Unit.TEN_THOUSAND_YUAN)
    for metric in _POLLUTANTS:
        for basis in Basis:
            yield amount(f"{metric.zh}削减量（{basis.zh}）", totals.effect(metric, basis), metric.unit)
    for metric, name in _SAVINGS:
        saved = totals.energy if metric is Metric.ENERGY else totals.effect(metric)  # energy: each saving once
        yield amount(name, saved, metric.unit)
    yield amount(BENEFIT, totals.effect(Metric.BENEFIT), Metric.BENEFIT.unit)
