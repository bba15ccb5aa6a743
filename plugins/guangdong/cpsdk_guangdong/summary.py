"""``guangdong.city-summary`` and ``guangdong.province-summary`` — 清洁生产工作汇总表.

The provincial system rolls figures up county → city → province, each level the sum of
the one below. One report covers a region (a county, a 地级以上市 or the province) and a
year. How each figure follows from the records of the region:

- **审核方式**: audits started in the year (``confirmed_on``, else ``started_on``), 家次,
  by track, with 合计.
- **重点行业** (the document's 19) and **重点流域** (its 6): the same audits, by the key
  industry and basin of their enterprise (an enterprise may be in several industries).
- **园区**: for each park, its enterprises and those with an audit started from
  2016-01-01 to the end of the year; the audit rate must exceed 80%.
- **完成情况** (差异化奖惩): audits whose deadline falls in the year, by status on the
  year's last day (按期完成, 逾期完成, 逾期未完成).
- **称号**: 市级 and 省级清洁生产企业 — audits of those tracks accepted in the year.
- **方案与绩效**: proposals and implementations by cost class, investment, and the yearly
  effects of the proposals completed in the year (:func:`cpsdk.tally`; pollutants on the
  generation basis, as the province's targets).
- **“十三五”目标**: each provincial target, the region's share of it (``share``, percent;
  the province is 100%), and what the region achieved from 2016 to the end of the year.

Every figure but the park rates, the target shares and the progress percentages is a
sum of records, so the summaries of disjoint regions add up to the summary of their
union (:meth:`SummaryForm.merge`; the tests prove it with hypothesis). Merging sums the
counts and amounts, merges parks by name and recomputes their rates, and recomputes the
targets from the summed achievements and the merged region's share.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import attrs

from cpsdk import (
    Audit,
    AuditTrack,
    CostClass,
    Dataset,
    Issue,
    LayoutForm,
    Metric,
    Period,
    ReportError,
    Scope,
    Script,
    Unit,
    decimal_parameter,
    describe,
    error,
    script_of,
    tally,
    titled,
    to_unit,
    warning,
)
from cpsdk.workbook import Column, Notes, SheetLayout, Table, Text, Title, WorkbookLayout
from cpsdk_guangdong._scope import (
    LATE,
    ON_TIME,
    OVERDUE,
    PERIOD_START,
    PROVINCE,
    NamedRegion,
    guangdong_region,
    localized,
    rate,
    timeliness,
)
from cpsdk_guangdong._source import PARKS, SYSTEM, TARGETS, TRACKS
from cpsdk_guangdong.keys import KEY_BASINS, KEY_INDUSTRIES, PARK_RATE, basin_of, industries_of, park_key

UNCLASSIFIED = "未分类"
TOTAL = "合计"
MUNICIPAL_TITLE = "市级清洁生产企业"
PROVINCIAL_TITLE = "省级清洁生产企业"


@titled("计数", "A count")
@attrs.frozen(kw_only=True)
class CountLine:
    """A labelled count (家次, 家)."""

    label: str = describe("项目", "Item")
    count: int = describe("数量", "Count", schema={"minimum": 0})


@titled("园区审核率", "Audit rate of a park")
@attrs.frozen(kw_only=True)
class ParkLine:
    """One park: its enterprises, those audited since 2016, and the rate against 80%."""

    park: str = describe("园区", "Park")
    enterprises: int = describe("园区企业数（家）", "Enterprises in the park")
    audited: int = describe("已审核企业数（家）", "Audited since 2016")
    rate: Decimal | None = describe("审核率（%）", "Audit rate", default=None)
    met: bool = describe("是否达到80%以上", "Above 80%")


@titled("金额或数量", "An amount")
@attrs.frozen(kw_only=True)
class AmountLine:
    """A labelled amount in the unit printed."""

    label: str = describe("项目", "Item")
    unit: str = describe("单位", "Unit")
    amount: Decimal = describe("数量", "Amount")


@titled("目标进度", "Progress on a target")
@attrs.frozen(kw_only=True)
class TargetLine:
    """A 13th-FYP target, the region's share and target, what it achieved, and the progress."""

    indicator: str = describe("指标", "Indicator")
    unit: str = describe("单位", "Unit")
    province_target: Decimal = describe("全省目标", "Province's target")
    share: Decimal | None = describe("分解比例（%）", "Region's share of it", default=None)
    target: Decimal | None = describe("本地目标", "Region's target", default=None)
    achieved: Decimal = describe("累计完成", "Achieved since 2016")
    progress: Decimal | None = describe("完成进度（%）", "Progress", default=None)


@titled("清洁生产工作汇总表", "Cleaner-production summary")
@attrs.frozen(kw_only=True)
class Summary:
    """The summary of a region of Guangdong for a year."""

    script: Script = describe("文字", "Script", default=Script.HANS)
    region: str = describe("地区代码", "Region code", schema={"pattern": "^44([0-9]{2}){0,2}$"})
    region_name: str = describe("地区", "Region")
    year: int = describe("年度", "Year", schema={"minimum": 2016, "maximum": 2100})
    tracks: tuple[CountLine, ...] = describe("按审核方式（家次）", "Audits by track", factory=tuple)
    industries: tuple[CountLine, ...] = describe("按重点行业（家次）", "Audits by key industry", factory=tuple)
    basins: tuple[CountLine, ...] = describe("按重点流域（家次）", "Audits by key basin", factory=tuple)
    parks: tuple[ParkLine, ...] = describe("园区审核率", "Parks", factory=tuple)
    timeliness: tuple[CountLine, ...] = describe("完成情况（家次）", "On time and overdue", factory=tuple)
    titles: tuple[CountLine, ...] = describe("授予称号（家）", "Titles granted", factory=tuple)
    results: tuple[AmountLine, ...] = describe("方案与绩效", "Proposals and performance", factory=tuple)
    targets: tuple[TargetLine, ...] = describe("“十三五”目标进度", "13th-FYP targets", factory=tuple)


#: The province's 13th-FYP targets: indicator, unit printed, target, and the metric achieved (None: audits).
TARGET_TABLE: tuple[tuple[str, Unit | None, Decimal, Metric | None], ...] = (
    ("开展清洁生产审核（家次）", None, Decimal(10000), None),
    ("节能", Unit.TEN_THOUSAND_TCE, Decimal(400), Metric.ENERGY),
    ("节水", Unit.TEN_THOUSAND_TONNES, Decimal(20000), Metric.WATER),
    ("减排二氧化碳", Unit.TEN_THOUSAND_TONNES, Decimal(1000), Metric.CO2),
    ("削减COD产生量", Unit.TEN_THOUSAND_TONNES, Decimal(10), Metric.COD),
    ("削减二氧化硫产生量", Unit.TEN_THOUSAND_TONNES, Decimal(10), Metric.SO2),
    ("削减氨氮产生量", Unit.TEN_THOUSAND_TONNES, Decimal("0.6"), Metric.AMMONIA_NITROGEN),
    ("削减氮氧化物产生量", Unit.TEN_THOUSAND_TONNES, Decimal(8), Metric.NOX),
)
#: Yearly results: label, metric (None for the proposal figures), unit printed.
RESULT_EFFECTS: tuple[tuple[str, Metric, Unit], ...] = (
    ("节能", Metric.ENERGY, Unit.TCE),
    ("节水", Metric.WATER, Unit.TONNE),
    ("减排二氧化碳", Metric.CO2, Unit.TONNE),
    ("削减COD", Metric.COD, Unit.TONNE),
    ("削减二氧化硫", Metric.SO2, Unit.TONNE),
    ("削减氨氮", Metric.AMMONIA_NITROGEN, Unit.TONNE),
    ("削减氮氧化物", Metric.NOX, Unit.TONNE),
    ("经济效益", Metric.BENEFIT, Unit.TEN_THOUSAND_YUAN),
)
TRACK_LABELS = (*(track.zh for track in AuditTrack), UNCLASSIFIED)
TIMELINESS_LABELS = (ON_TIME, LATE, OVERDUE)
TITLE_TRACKS = ((MUNICIPAL_TITLE, AuditTrack.CITY_ACCEPTANCE), (PROVINCIAL_TITLE, AuditTrack.PROVINCIAL_TITLE))


def _counts(labels: Sequence[str], counted: Iterable[str]) -> tuple[CountLine, ...]:
    tally_: dict[str, int] = dict.fromkeys(labels, 0)
    for label in counted:
        tally_[label] += 1
    return tuple(CountLine(label=label, count=count) for label, count in tally_.items())


def _park_line(park: str, enterprises: int, audited: int) -> ParkLine:
    share = rate(audited, enterprises)
    return ParkLine(
        park=park, enterprises=enterprises, audited=audited, rate=share, met=share is not None and share > PARK_RATE
    )


def _target_line(indicator: str, unit: str, target: Decimal, share: Decimal | None, achieved: Decimal) -> TargetLine:
    own = (target * share / 100) if share is not None else None
    progress = None
    if own:
        progress = (Decimal(100) * achieved / own).quantize(Decimal("0.01"))
    return TargetLine(
        indicator=indicator,
        unit=unit,
        province_target=target,
        share=share,
        target=own,
        achieved=achieved,
        progress=progress,
    )


def build_summary(dataset: Dataset, region: str, region_name: str, year: int, share: Decimal | None) -> Summary:
    """The summary of ``region`` for ``year`` (see the module for each figure)."""
    data = dataset.in_region(region)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def started(audit: Audit) -> datetime.date | None:
        return audit.confirmed_on or audit.started_on

    in_year = [a for a in data.audits if (d := started(a)) is not None and start <= d <= end]
    enterprise = data.enterprise_by_uscc
    tracks = _counts(TRACK_LABELS, (a.track.zh if a.track else UNCLASSIFIED for a in in_year))
    tracks += (CountLine(label=TOTAL, count=len(in_year)),)
    industries = _counts(
        [k.name for k in KEY_INDUSTRIES], (name for a in in_year for name in industries_of(enterprise[a.enterprise]))
    )
    basins = _counts(KEY_BASINS, (basin for a in in_year if (basin := basin_of(enterprise[a.enterprise]))))
    audited_since = {a.enterprise for a in data.audits if (d := started(a)) is not None and PERIOD_START <= d <= end}
    members: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for e in data.enterprises:
        key = park_key(e)
        if key is not None:
            members.setdefault(key, []).append(e.uscc)
            shown.setdefault(key, e.park or key)
    parks = tuple(
        _park_line(shown[key], len(usccs), sum(1 for u in usccs if u in audited_since))
        for key, usccs in sorted(members.items())
    )
    due = [a for a in data.audits if a.deadline is not None and start <= a.deadline <= end]
    timely = _counts(TIMELINESS_LABELS, (s for a in due if (s := timeliness(a, end)) in TIMELINESS_LABELS))
    titles = _counts(
        [label for label, _ in TITLE_TRACKS],
        (
            label
            for a in data.audits
            if a.accepted and a.accepted_on and start <= a.accepted_on <= end
            for label, track in TITLE_TRACKS
            if a.track is track
        ),
    )
    totals = tally(data, start, end)
    results = [
        AmountLine(label="提出方案", unit="个", amount=Decimal(totals.proposals())),
        *(AmountLine(label=f"其中：{c.zh}", unit="个", amount=Decimal(totals.proposals(c))) for c in CostClass),
        AmountLine(label="实施方案", unit="个", amount=Decimal(totals.implementations())),
        *(AmountLine(label=f"其中：{c.zh}", unit="个", amount=Decimal(totals.implementations(c))) for c in CostClass),
        AmountLine(label="实施方案投资", unit="万元", amount=totals.investment),
        *(
            AmountLine(label=label, unit=unit.symbol, amount=to_unit(totals.effect(metric), metric.unit, unit))
            for label, metric, unit in RESULT_EFFECTS
        ),
    ]
    period = tally(data, PERIOD_START, end)
    audits_since = sum(1 for a in data.audits if (d := started(a)) is not None and PERIOD_START <= d <= end)
    targets = tuple(
        _target_line(
            indicator,
            unit.symbol if unit else "家次",
            target,
            share,
            Decimal(audits_since)
            if metric is None or unit is None
            else to_unit(period.effect(metric), metric.unit, unit),
        )
        for indicator, unit, target, metric in TARGET_TABLE
    )
    return Summary(
        region=region,
        region_name=region_name,
        year=year,
        tracks=tracks,
        industries=industries,
        basins=basins,
        parks=parks,
        timeliness=timely,
        titles=titles,
        results=tuple(results),
        targets=targets,
    )


def parse_share(value: object) -> Decimal | None:
    """A region's share of the province's targets, in percent (``8``, ``8%``); None when not given."""
    if value is None or str(value).strip() == "":
        return None
    return decimal_parameter(str(value).strip().rstrip("%"), "share (a percentage)", minimum=0, maximum=100)


def _same_lines(parts: Sequence[tuple[Any, ...]], what: str) -> None:
    """Refuse parts whose lines are not the same labels in the same order (e.g. a hand-edited summary)."""
    shapes = {tuple((line.label, getattr(line, "unit", None)) for line in lines) for lines in parts}
    if len(shapes) > 1:
        raise ReportError(
            "the summaries do not have the same lines",
            [
                error(
                    "guangdong.merge.lines",
                    f"各汇总表“{what}”的项目不一致，无法逐项相加",
                    f"the summaries' {what!r} lines differ, so they cannot be added line by line",
                    source=SYSTEM,
                )
            ],
        )


def _sum_counts(parts: Sequence[tuple[CountLine, ...]], what: str) -> tuple[CountLine, ...]:
    _same_lines(parts, what)
    return tuple(
        CountLine(label=lines[0].label, count=sum(line.count for line in lines)) for lines in zip(*parts, strict=True)
    )


def _sum_amounts(parts: Sequence[tuple[AmountLine, ...]], what: str) -> tuple[AmountLine, ...]:
    _same_lines(parts, what)
    return tuple(
        AmountLine(label=lines[0].label, unit=lines[0].unit, amount=sum((line.amount for line in lines), Decimal(0)))
        for lines in zip(*parts, strict=True)
    )


def merge_summaries(reports: Sequence[Summary], region: str, region_name: str, share: Decimal | None) -> Summary:
    """The summary of ``region`` from the summaries of disjoint regions within it, for one year."""
    problems = []
    years = sorted({r.year for r in reports})
    if not reports:
        problems.append(
            error("guangdong.merge.empty", "没有可合并的汇总表", "there are no summaries to merge", source=SYSTEM)
        )
    if len(years) > 1:
        problems.append(
            error(
                "guangdong.merge.years",
                f"汇总表年度不一致：{'、'.join(map(str, years))}",
                f"the summaries are of different years: {years}",
                source=SYSTEM,
            )
        )
    codes = [r.region for r in reports]
    for report in reports:
        if not report.region.startswith(region) or report.region == region:
            problems.append(
                error(
                    "guangdong.merge.outside",
                    f"{report.region_name}不是{region_name}的下级地区",
                    f"{report.region_name} is not a region within {region_name}",
                    source=SYSTEM,
                )
            )
        if (
            any(other != report.region and report.region.startswith(other) for other in codes)
            or codes.count(report.region) > 1
        ):
            problems.append(
                error(
                    "guangdong.merge.overlap",
                    f"{report.region_name}的汇总表重复或与其他汇总表重叠",
                    f"{report.region_name} is given twice or overlaps another summary",
                    source=SYSTEM,
                )
            )
    if problems:
        raise ReportError("the summaries cannot be merged", problems)
    parks: dict[str, tuple[int, int]] = {}
    for report in reports:
        for park in report.parks:
            enterprises, audited = parks.get(park.park, (0, 0))
            parks[park.park] = (enterprises + park.enterprises, audited + park.audited)
    achieved: dict[tuple[str, str, Decimal], Decimal] = {}
    for report in reports:
        for line in report.targets:
            key = (line.indicator, line.unit, line.province_target)
            achieved[key] = achieved.get(key, Decimal(0)) + line.achieved
    script = reports[0].script
    return Summary(
        script=script,
        region=region,
        region_name=region_name,
        year=years[0],
        tracks=_sum_counts([r.tracks for r in reports], "按审核方式"),
        industries=_sum_counts([r.industries for r in reports], "按重点行业"),
        basins=_sum_counts([r.basins for r in reports], "按重点流域"),
        parks=tuple(_park_line(name, e, a) for name, (e, a) in sorted(parks.items())),
        timeliness=_sum_counts([r.timeliness for r in reports], "完成情况"),
        titles=_sum_counts([r.titles for r in reports], "授予称号"),
        results=_sum_amounts([r.results for r in reports], "方案与绩效"),
        targets=tuple(_target_line(i, u, t, share, a) for (i, u, t), a in achieved.items()),
    )


def _count_table(rows: str, lead: str) -> Table:
    return Table(
        rows=rows,
        lead=Text(text=lead, style="section"),
        totals_are_records=True,  # its 合计 line is one of the report's lines
        columns=(
            Column(header=("项目",), field="label", style="text", span=4),
            Column(header=("数量",), field="count", span=3),
        ),
    )


class SummaryForm(NamedRegion, LayoutForm):
    """清洁生产工作汇总表 of a region of Guangdong and a year; mergeable from the regions below."""

    id = "guangdong.city-summary"
    title = "地级以上市清洁生产工作汇总表"
    layout_year = 2016
    period = Period.YEAR
    scope = Scope.CITY
    report_type = Summary
    source = SYSTEM
    #: Forms whose workbooks this one merges.
    merges_from: tuple[str, ...] = ("guangdong.city-summary",)
    parameters = {
        "year": "年度 year (default: the last year with an audit started)",
        "region": "地区代码 a 地级以上市 (e.g. 4403) or a county (default 44)",
        "share": "占全省“十三五”目标的比例（%） the region's share of the province's targets",
        "script": "hans (简体, default) or hant (繁體)",
    }

    def region_of(self, params: dict[str, Any]) -> tuple[str, str]:
        """The region of the report."""
        return guangdong_region(params.get("region"))

    def share_of(self, region: str, params: dict[str, Any]) -> Decimal | None:
        """The region's share of the targets: the parameter; the province's is 100%."""
        given = parse_share(params.get("share"))
        return Decimal(100) if given is None and region == PROVINCE else given

    def build(self, dataset: Dataset, **params: Any) -> Summary:
        """The summary of ``region`` for ``year``."""
        code, name = self.region_of(params)
        years = [d.year for a in dataset.audits if (d := a.confirmed_on or a.started_on)]
        year = int(params.get("year") or max(years, default=datetime.date.today().year))
        script = script_of(params.get("script"))
        report = attrs.evolve(build_summary(dataset, code, name, year, self.share_of(code, params)), script=script)
        return localized(report, script)

    def merge(self, reports: Sequence[Summary], **params: Any) -> Summary:
        """The summary of the region above ``reports`` (see :func:`merge_summaries`)."""
        if params.get("region"):
            code, name = guangdong_region(params["region"])
        else:
            code, name = self._parent(reports)
        script = script_of(params.get("script") or (reports[0].script if reports else None))
        merged = merge_summaries(reports, code, name, self.share_of(code, params))
        return localized(attrs.evolve(merged, script=script), script)

    def _parent(self, reports: Sequence[Summary]) -> tuple[str, str]:
        prefix = PROVINCE
        codes = [r.region for r in reports]
        if codes and all(len(c) == 6 for c in codes) and len({c[:4] for c in codes}) == 1:
            prefix = codes[0][:4]
        return guangdong_region(prefix)

    def layout(self) -> WorkbookLayout:
        """Eight tables, one per part of the summary."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="汇总表",
                    columns=(20, 16, 12, 12, 12, 12, 12, 12),
                    blocks=(
                        Title(template="{region_name}{year}年度清洁生产工作汇总表"),
                        _count_table("tracks", "一、按审核方式（家次）"),
                        _count_table("industries", "二、按重点行业（家次）"),
                        _count_table("basins", "三、按重点流域（家次）"),
                        Table(
                            rows="parks",
                            lead=Text(text="四、园区清洁生产审核率", style="section"),
                            columns=(
                                Column(header=("园区",), field="park", style="text", span=3),
                                Column(header=("园区企业数（家）",), field="enterprises"),
                                Column(header=("已审核企业数（家）",), field="audited"),
                                Column(header=("审核率（%）",), field="rate", decimals=2),
                                Column(header=("是否达到80%以上",), field="met"),
                            ),
                        ),
                        _count_table("timeliness", "五、完成情况（家次）"),
                        _count_table("titles", "六、授予称号（家）"),
                        Table(
                            rows="results",
                            lead=Text(text="七、方案与绩效（本年度）", style="section"),
                            columns=(
                                Column(header=("项目",), field="label", style="text", span=3),
                                Column(header=("单位",), field="unit", style="center", span=2),
                                Column(header=("数量",), field="amount", decimals=-1, span=2),
                            ),
                        ),
                        Table(
                            rows="targets",
                            lead=Text(text="八、“十三五”目标进度", style="section"),
                            columns=(
                                Column(header=("指标",), field="indicator", style="text"),
                                Column(header=("单位",), field="unit", style="center"),
                                Column(header=("全省目标",), field="province_target", decimals=-1),
                                Column(header=("分解比例（%）",), field="share", decimals=-1),
                                Column(header=("本地目标",), field="target", decimals=-1),
                                Column(header=("累计完成",), field="achieved", decimals=-1),
                                Column(header=("完成进度（%）",), field="progress", decimals=2),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 审核以启动（确认）日期计入年度，单位为家次；"
                                "园区审核率为2016年以来已开展审核的园区企业比例，应达到80%以上。",
                                "2. 完成情况按本年度到期的审核、于年末判断；称号按验收日期计入。",
                                "3. 绩效为本年度完成方案的年效果，污染物按产生量计；"
                                "目标进度为2016年以来累计完成÷本地目标。",
                                "4. 县（区）→市→省逐级汇总，"
                                "上级各项数据等于下级之和（园区审核率、目标进度按汇总数重新计算）。",
                            ),
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: Summary) -> Iterable[Issue]:
        """合计 and the 其中 lines add up; park rates and target progress follow from their figures."""
        yield from self._total_rule(report)
        yield from self._results_rules(report)
        yield from self._park_rules(report)
        yield from self._target_rules(report)

    def _total_rule(self, report: Summary) -> Iterator[Issue]:
        if report.tracks and report.tracks[-1].count != sum(line.count for line in report.tracks[:-1]):
            yield error(
                "guangdong.summary.total",
                "审核方式合计应等于各审核方式之和",
                "the total of audits must equal the sum of the tracks",
                pointer=self.pointer("tracks", len(report.tracks) - 1, "count"),
                source=TRACKS,
            )

    def _results_rules(self, report: Summary) -> Iterator[Issue]:
        for start in (0, 3):
            if len(report.results) >= start + 3:
                total, *parts = report.results[start : start + 3]
                if total.amount != sum((p.amount for p in parts), Decimal(0)):
                    yield error(
                        "guangdong.summary.split",
                        f"{total.label}应等于无/低费与中/高费方案之和",
                        f"{total.label} must equal the no/low-cost plus mid/high-cost proposals",
                        pointer=self.pointer("results", start, "amount"),
                        source=SYSTEM,
                    )

    def _park_rules(self, report: Summary) -> Iterator[Issue]:
        for index, park in enumerate(report.parks):
            expected = _park_line(park.park, park.enterprises, park.audited)
            if (park.rate, park.met) != (expected.rate, expected.met) or park.audited > park.enterprises:
                yield error(
                    "guangdong.summary.park-rate",
                    f"{park.park}审核率应为已审核企业数÷园区企业数（{expected.rate}%）",
                    f"{park.park}: the rate must be audited over enterprises ({expected.rate}%)",
                    pointer=self.pointer("parks", index, "rate"),
                    source=PARKS,
                )
            elif not park.met:
                yield warning(
                    "guangdong.summary.park-below-80",
                    f"{park.park}清洁生产审核率{park.rate}%，未达到80%以上的要求",
                    f"{park.park}: audit rate {park.rate}%, below the required 80%",
                    pointer=self.pointer("parks", index, "rate"),
                    source=PARKS,
                )

    def _target_rules(self, report: Summary) -> Iterator[Issue]:
        for index, line in enumerate(report.targets):
            expected = _target_line(line.indicator, line.unit, line.province_target, line.share, line.achieved)
            if (line.target, line.progress) != (expected.target, expected.progress):
                yield error(
                    "guangdong.summary.target",
                    f"{line.indicator}的本地目标或完成进度与分解比例、累计完成不符",
                    f"{line.indicator}: the region's target or progress does not follow from its share and achievement",
                    pointer=self.pointer("targets", index, "progress"),
                    source=TARGETS,
                )


class ProvinceSummaryForm(SummaryForm):
    """广东省清洁生产工作汇总表: the province, built from records or merged from its cities."""

    id = "guangdong.province-summary"
    title = "全省清洁生产工作汇总表"
    scope = Scope.PROVINCE
    merges_from = ("guangdong.city-summary", "guangdong.province-summary")
    parameters = {
        "year": "年度 year (default: the last year with an audit started)",
        "script": "hans (简体, default) or hant (繁體)",
    }

    def region_of(self, params: dict[str, Any]) -> tuple[str, str]:
        """Always the province."""
        return guangdong_region(PROVINCE)

    def merge(self, reports: Sequence[Summary], **params: Any) -> Summary:
        """The province's summary from its cities' (or counties', for a city not filed as one)."""
        return super().merge(reports, **{**params, "region": PROVINCE})
