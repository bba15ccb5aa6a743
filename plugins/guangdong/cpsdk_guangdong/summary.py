"""``guangdong.city-summary`` and ``guangdong.province-summary`` — 清洁生产工作汇总表.

The provincial system rolls figures up county → city → province, each level the sum of
the one below (清洁生产审核信息化管理 第1项: 逐级上报、分类统计). One report covers a region (a
county, a 地级以上市 or the province) and a year.

**One population.** Every count of audits on the form is of the same audits: those of the
region **completed in the year** — the report filed (备案) for 简化审核 and 规范审核 (实施差别化审核制度
第1、2项; also an audit with no track recorded), the acceptance passed (验收) for 市级验收 and
省级清洁生产企业 (第3、4项) — counted in 家次, as the document counts its results (“共有6,979家次企业
完成清洁生产审核工作”). Sections 二 to 八 read the same audits:

- **一、按审核方式**: 合计, then 其中 each of the document's four tracks. An audit with no track
  recorded counts in 合计 only, and the rules say how many there are (no “未分类” line: the
  document has no such track).
- **二、按重点行业** (the document's 19) and **三、按重点流域** (its 6): the same audits, by the key
  industry and basin of their enterprise (an enterprise may be in several industries).
- **四、园区**: for each park the region's enterprises name, its **enterprise total as given**
  (``park_enterprises``: the dataset holds only the enterprises it records, not a park's
  population), the park's distinct enterprises with an audit completed from 2016-01-01 to the
  end of the year (the union of the years' populations over the 13th FYP), and their rate,
  which must be over 80% (推动企业实施清洁生产 第7项: “园区内企业清洁生产审核率务求超过80%”). A park
  whose total is not given prints no rate, with a warning.
- **五、完成情况** (完善差异化奖惩机制 第1、2项): the same audits by their completion against their
  deadline: 按期完成 (on or before it: “按时或提前完成”), 逾期完成 (after it), 未设期限; the three
  add up to 合计. An audit not completed is in no year's population: its status is on its
  filing record (``guangdong.filing``).
- **六、授予称号**: of the same audits, those of the tracks 市级验收 and 省级清洁生产企业 (whose
  completion is a passed acceptance), 家.
- **七、方案与绩效**: the proposals of the same audits (:mod:`cpsdk_guangdong._results`): all
  proposed, those implemented by the end of the year, their investment and yearly effects
  (pollutants on the generation basis; 节能 counted once per proposal, electricity and coal
  converted with GB/T 2589-2008 附录A).
- **八、“十三五”目标**: each target of 工作目标 as the document words it, the region's share of it
  (``share``, percent; the province is 100%), and what the audits completed from 2016 to the end
  of the year achieved (the same definitions, summed over the years).

Every figure but the park rates, the target shares and the progress percentages is a
sum of records, so the summaries of disjoint regions add up to the summary of their
union (:meth:`SummaryForm.merge`; the tests prove it with hypothesis). Merging sums the
counts and amounts, merges parks by name (summing their totals; a total missing in one
part is missing in the sum) and recomputes their rates, and recomputes the targets from the
summed achievements and the merged region's share.

**Submission lines.** A summary is reported to the level above (清洁生产审核信息化管理 第1项: 逐级上报), so it
ends, under its notes, with 填报单位（盖章）, 填表人, 联系电话 and 填报日期 (``submission``), from the
parameters ``unit``, ``filled_by``, ``phone`` and ``filed_on``. A merged summary is the merging unit's: its
lines come from the merge's parameters, never from a part's.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from cpsdk import (
    SUBMISSION_PARAMETERS,
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
    Submission,
    Unit,
    decimal_parameter,
    describe,
    error,
    script_of,
    simplified,
    submission_from,
    titled,
    to_unit,
    warning,
)
from cpsdk.workbook import Column, Notes, SheetLayout, Table, Text, Title, WorkbookLayout
from cpsdk_guangdong._lines import signed
from cpsdk_guangdong._results import ENERGY_NOTE, Results, results
from cpsdk_guangdong._scope import (
    COMPLETION_FIELDS,
    LATE,
    NO_DEADLINE,
    ON_TIME,
    PERIOD_START,
    PROVINCE,
    NamedRegion,
    completion,
    guangdong_region,
    latest_completion_year,
    localized,
    rate,
    timeliness,
)
from cpsdk_guangdong._source import PARKS, REWARDS, SYSTEM, TARGETS, TRACKS
from cpsdk_guangdong.keys import KEY_BASINS, KEY_INDUSTRIES, PARK_RATE, basin_of, industries_of, key_of_park

TOTAL = "合计"
AMONG = "其中："
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
    """One park: its enterprise total (given), those audited since 2016, and the rate against 80%."""

    park: str = describe("园区", "Park")
    enterprises: int | None = describe(
        "园区企业总数（家）", "Enterprises in the park, as given (park_enterprises)", default=None
    )
    audited: int = describe("已完成审核企业数（家）", "Park enterprises with an audit completed since 2016")
    rate: Decimal | None = describe("审核率（%）", "Audit rate", default=None)
    met: bool | None = describe("是否超过80%", "Over 80%", default=None)


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
    tracks: tuple[CountLine, ...] = describe("按审核方式（家次）", "Audits completed, by track", factory=tuple)
    industries: tuple[CountLine, ...] = describe("按重点行业（家次）", "Audits by key industry", factory=tuple)
    basins: tuple[CountLine, ...] = describe("按重点流域（家次）", "Audits by key basin", factory=tuple)
    parks: tuple[ParkLine, ...] = describe("园区审核率", "Parks", factory=tuple)
    timeliness: tuple[CountLine, ...] = describe("完成情况（家次）", "On time and overdue", factory=tuple)
    titles: tuple[CountLine, ...] = describe("授予称号（家）", "Titles granted", factory=tuple)
    results: tuple[AmountLine, ...] = describe("方案与绩效", "Proposals and performance", factory=tuple)
    targets: tuple[TargetLine, ...] = describe("“十三五”目标进度", "13th-FYP targets", factory=tuple)
    submission: Submission = describe("填报", "Who reports the summary, and when", factory=Submission)


#: 吨 in 亿吨, the unit the document gives the water target in (“二亿吨水”).
_TONNES_PER_HUNDRED_MILLION = Decimal(100_000_000)
#: The province's 13th-FYP targets as 工作目标 words them (“开展清洁生产审核企业超过10,000家次，节约400万吨
#: 标准煤和二亿吨水，减少排放1,000万吨二氧化碳，削减10万吨COD产生量、10万吨二氧化硫产生量、0.6万吨氨氮产生量、
#: 八万吨氮氧化物产生量”): indicator, unit printed, target, and the metric achieved (None: audits).
TARGET_TABLE: tuple[tuple[str, str, Decimal, Metric | None], ...] = (
    ("开展清洁生产审核企业（超过）", "家次", Decimal(10000), None),
    ("节约标准煤", Unit.TEN_THOUSAND_TCE.symbol, Decimal(400), Metric.ENERGY),
    ("节约水", "亿吨", Decimal(2), Metric.WATER),
    ("减少排放二氧化碳", Unit.TEN_THOUSAND_TONNES.symbol, Decimal(1000), Metric.CO2),
    ("削减COD产生量", Unit.TEN_THOUSAND_TONNES.symbol, Decimal(10), Metric.COD),
    ("削减二氧化硫产生量", Unit.TEN_THOUSAND_TONNES.symbol, Decimal(10), Metric.SO2),
    ("削减氨氮产生量", Unit.TEN_THOUSAND_TONNES.symbol, Decimal("0.6"), Metric.AMMONIA_NITROGEN),
    ("削减氮氧化物产生量", Unit.TEN_THOUSAND_TONNES.symbol, Decimal(8), Metric.NOX),
)
#: Yearly results: label, metric, unit printed.
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
TRACK_LABELS = tuple(f"{AMONG}{track.zh}" for track in AuditTrack)
TIMELINESS_LABELS = (ON_TIME, LATE, NO_DEADLINE)
TITLE_TRACKS = ((MUNICIPAL_TITLE, AuditTrack.CITY_ACCEPTANCE), (PROVINCIAL_TITLE, AuditTrack.PROVINCIAL_TITLE))


def _counts(labels: Sequence[str], counted: Iterable[str]) -> tuple[CountLine, ...]:
    tally_: dict[str, int] = dict.fromkeys(labels, 0)
    for label in counted:
        tally_[label] += 1
    return tuple(CountLine(label=label, count=count) for label, count in tally_.items())


def _park_line(park: str, enterprises: int | None, audited: int) -> ParkLine:
    share = rate(audited, enterprises) if enterprises is not None else None
    return ParkLine(
        park=park,
        enterprises=enterprises,
        audited=audited,
        rate=share,
        met=None if share is None else share > PARK_RATE,
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


def _in_unit(amount: Decimal, metric: Metric, unit: str) -> Decimal:
    if unit == "亿吨":
        return to_unit(amount, metric.unit, Unit.TONNE) / _TONNES_PER_HUNDRED_MILLION
    return to_unit(amount, metric.unit, next(u for u in Unit if u.symbol == unit))


def build_summary(
    dataset: Dataset,
    region: str,
    region_name: str,
    year: int,
    share: Decimal | None,
    park_totals: Mapping[str, int] | None = None,
) -> Summary:
    """The summary of ``region`` for ``year`` (see the module for each figure); ``park_totals`` are the
    parks' enterprise totals by :func:`~cpsdk_guangdong.keys.park_key`."""
    data = dataset.in_region(region)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    audits = data.records("audits")
    in_year: list[int] = []  # completed in the year
    in_period: list[int] = []  # completed from 2016 to the end of the year
    for at, fields in enumerate(audits.columns(*COMPLETION_FIELDS)):
        finished = completion(*fields)
        if finished is not None and finished <= end:
            if finished >= start:
                in_year.append(at)
            if finished >= PERIOD_START:
                in_period.append(at)
    done: list[Audit] = list(audits.take(in_year))
    since = audits.take(in_period)
    enterprise = data.enterprise_by_uscc
    with_track = (f"{AMONG}{a.track.zh}" for a in done if a.track is not None)
    tracks = (CountLine(label=TOTAL, count=len(done)), *_counts(TRACK_LABELS, with_track))
    industries = _counts(
        [k.name for k in KEY_INDUSTRIES], (name for a in done for name in industries_of(enterprise[a.enterprise]))
    )
    basins = _counts(KEY_BASINS, (basin for a in done if (basin := basin_of(enterprise[a.enterprise]))))
    audited_since = set(since.column("enterprise"))
    members: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for uscc, park in data.records("enterprises").columns("uscc", "park"):
        key = key_of_park(park)
        if key is not None:
            members.setdefault(key, []).append(uscc)
            shown.setdefault(key, park or key)
    totals = park_totals or {}
    parks = tuple(
        _park_line(shown[key], totals.get(key), sum(1 for u in usccs if u in audited_since))
        for key, usccs in sorted(members.items())
    )
    timely = _counts(TIMELINESS_LABELS, (timeliness(a, end) for a in done))
    titles = _counts(
        [label for label, _ in TITLE_TRACKS],
        (label for a in done for label, track in TITLE_TRACKS if a.track is track),
    )
    # The year's audits (0) are among those since 2016 when the year is, and none are when it is before: the
    # proposals and effects are read once, for the year's audits and the rest since 2016 (1).
    groups = dict.fromkeys(since.column("id"), 1) | dict.fromkeys((a.id for a in done), 0)
    found = results(data, groups, by=end)
    yearly = found.get(0, Results())
    period = yearly.plus(found.get(1, Results())) if start >= PERIOD_START else found.get(1, Results())
    lines = [
        AmountLine(label="提出方案", unit="个", amount=Decimal(sum(yearly.proposed.values()))),
        *(AmountLine(label=f"其中：{c.zh}", unit="个", amount=Decimal(yearly.proposed[c])) for c in CostClass),
        AmountLine(label="实施方案", unit="个", amount=Decimal(sum(yearly.implemented.values()))),
        *(AmountLine(label=f"其中：{c.zh}", unit="个", amount=Decimal(yearly.implemented[c])) for c in CostClass),
        AmountLine(label="实施方案投资", unit="万元", amount=sum(yearly.investment.values(), Decimal(0))),
        *(
            AmountLine(label=label, unit=unit.symbol, amount=to_unit(yearly.effect(metric), metric.unit, unit))
            for label, metric, unit in RESULT_EFFECTS
        ),
    ]
    targets = tuple(
        _target_line(
            indicator,
            unit,
            target,
            share,
            Decimal(len(since)) if metric is None else _in_unit(period.effect(metric), metric, unit),
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
        results=tuple(lines),
        targets=targets,
    )


def parse_share(value: object) -> Decimal | None:
    """A region's share of the province's targets, in percent (``8``, ``8%``); None when not given."""
    if value is None or str(value).strip() == "":
        return None
    return decimal_parameter(str(value).strip().rstrip("%"), "share (a percentage)", minimum=0, maximum=100)


_PARK_SEPARATORS = re.compile(r"[;；,，、\n]+")


def parse_park_totals(value: object) -> dict[str, int]:
    """Each park's enterprise total: a mapping of park name to a whole number, or text
    ``园区=家数;园区=家数`` (separated by ``;`` ``,`` ``、`` or a line break; ``：`` or ``:`` also
    accepted for ``=``). Names are compared as :func:`~cpsdk_guangdong.keys.park_key` does (either
    script, outer spaces). Empty or None: no totals.

    Raises ValueError saying what is accepted: a name missing, a total that is not a whole number of
    at least 1, a park given twice.
    """
    if value is None:
        return {}
    pairs: list[tuple[str, object]]
    if isinstance(value, Mapping):
        pairs = [(str(name), total) for name, total in value.items()]
    else:
        pairs = []
        for item in _PARK_SEPARATORS.split(str(value)):
            if not item.strip():
                continue
            parts = re.split(r"[=＝:：]", item, maxsplit=1)
            if len(parts) != 2:
                raise ValueError(f"park_enterprises takes 园区=家数;…, got {item.strip()[:40]!r}")
            pairs.append((parts[0], parts[1]))
    found: dict[str, int] = {}
    for name, total in pairs:
        key = simplified(name).strip()
        if not key:
            raise ValueError("park_enterprises: a park's name is missing")
        number = decimal_parameter(total, f"park_enterprises ({name.strip()[:40]})", minimum=1)
        if number != number.to_integral_value():
            raise ValueError(f"park_enterprises ({name.strip()[:40]}) takes a whole number, got {str(total)[:40]!r}")
        if key in found:
            raise ValueError(f"park_enterprises: {name.strip()[:40]} is given twice")
        found[key] = int(number)
    return found


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
    parks: dict[str, tuple[int | None, int]] = {}
    for report in reports:
        for park in report.parks:
            enterprises, audited = parks.get(park.park, (0, 0))
            total = None if enterprises is None or park.enterprises is None else enterprises + park.enterprises
            parks[park.park] = (total, audited + park.audited)
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
        "year": "年度 year (default: the last year with an audit completed)",
        "region": "地区代码 a 地级以上市 (e.g. 4403) or a county (default 44)",
        "share": "占全省“十三五”目标的比例（%） the region's share of the province's targets",
        "park_enterprises": "园区企业总数 each park's enterprise total: 园区=家数;园区=家数 (whole numbers ≥ 1)",
        "script": "hans (简体, default) or hant (繁體)",
        **SUBMISSION_PARAMETERS,
    }
    #: The demo shows a city's summary (深圳市, with its share of the province's targets), not the province's.
    example_params: ClassVar[Mapping[str, Any]] = {"region": "4403", "share": "15"}

    def region_of(self, params: dict[str, Any]) -> tuple[str, str]:
        """The region of the report."""
        return guangdong_region(params.get("region"))

    def share_of(self, region: str, params: dict[str, Any]) -> Decimal | None:
        """The region's share of the targets: the parameter; the province's is 100%."""
        given = parse_share(params.get("share"))
        return Decimal(100) if given is None and region == PROVINCE else given

    def build(self, dataset: Dataset, **params: Any) -> Summary:
        """The summary of ``region`` for ``year``."""
        return self.build_with_issues(dataset, **params)[0]

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[Summary, list[Issue]]:
        """The summary, and a note for each park total given that no enterprise of the region names;
        ValueError for a ``filed_on`` that is not a date."""
        submission = submission_from(params)
        code, name = self.region_of(params)
        totals = parse_park_totals(params.get("park_enterprises"))
        year = int(params.get("year") or latest_completion_year(dataset))
        script = script_of(params.get("script"))
        built = build_summary(dataset, code, name, year, self.share_of(code, params), totals)
        listed = {simplified(line.park).strip() for line in built.parks}
        notes = [
            warning(
                "guangdong.summary.park-not-in-region",
                f"园区“{park}”给出了企业总数，但本地区没有企业记录在该园区，未列入",
                f"a total is given for the park {park!r}, but no enterprise of the region is in it: not listed",
                source=PARKS,
            )
            for park in totals
            if park not in listed
        ]
        return localized(attrs.evolve(built, script=script, submission=submission), script), notes

    def merge(self, reports: Sequence[Summary], **params: Any) -> Summary:
        """The summary of the region above ``reports`` (see :func:`merge_summaries`), submitted by the merging
        unit: its lines come from ``params`` (``unit``, ``filled_by``, ``phone``, ``filed_on``), not from a part."""
        submission = submission_from(params)
        if params.get("region"):
            code, name = guangdong_region(params["region"])
        else:
            code, name = self._parent(reports)
        script = script_of(params.get("script") or (reports[0].script if reports else None))
        merged = merge_summaries(reports, code, name, self.share_of(code, params))
        return localized(attrs.evolve(merged, script=script, submission=submission), script)

    def _parent(self, reports: Sequence[Summary]) -> tuple[str, str]:
        prefix = PROVINCE
        codes = [r.region for r in reports]
        if codes and all(len(c) == 6 for c in codes) and len({c[:4] for c in codes}) == 1:
            prefix = codes[0][:4]
        return guangdong_region(prefix)

    def layout(self) -> WorkbookLayout:
        """Eight tables, one per part of the summary, the notes, then the submission lines."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="汇总表",
                    columns=(20, 16, 12, 12, 12, 12, 12, 12),
                    blocks=(
                        Title(template="{region_name}{year}年度清洁生产工作汇总表"),
                        _count_table("tracks", "一、按审核方式（本年度完成审核，家次）"),
                        _count_table("industries", "二、按重点行业（家次）"),
                        _count_table("basins", "三、按重点流域（家次）"),
                        Table(
                            rows="parks",
                            lead=Text(text="四、园区清洁生产审核率", style="section"),
                            columns=(
                                Column(header=("园区",), field="park", style="text", span=3),
                                Column(header=("园区企业总数（家）",), field="enterprises", empty="—"),
                                Column(header=("已完成审核企业数（家）",), field="audited"),
                                Column(header=("审核率（%）",), field="rate", decimals=2, empty="—"),
                                Column(header=("是否超过80%",), field="met", empty="—"),
                            ),
                        ),
                        _count_table("timeliness", "五、完成情况（家次）"),
                        _count_table("titles", "六、授予称号（家）"),
                        Table(
                            rows="results",
                            lead=Text(text="七、方案与绩效（本年度完成审核的方案）", style="section"),
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
                                Column(header=("分解比例（%）",), field="share", decimals=-1, empty="—"),
                                Column(header=("本地目标",), field="target", decimals=-1, empty="—"),
                                Column(header=("累计完成",), field="achieved", decimals=-1),
                                Column(header=("完成进度（%）",), field="progress", decimals=2, empty="—"),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 本表各项审核数均为同一批审核：本年度完成的审核（家次）——简化审核、规范审核以"
                                "审核报告备案为完成，市级验收、省级清洁生产企业以通过验收为完成（实施差别化审核制度"
                                "第1—4项）；未记录审核方式的审核只计入合计。",
                                "2. 园区审核率＝2016年以来完成审核的园区企业数÷园区企业总数（由填报单位提供），"
                                "务求超过80%（推动企业实施清洁生产 第7项）；"
                                "未提供企业总数的园区不计算审核率，以“—”表示。",
                                "3. 完成情况按完成日期与完成期限比较（完善差异化奖惩机制 第1、2项），三项之和等于合计；"
                                "称号为本年度完成审核中市级验收、省级清洁生产企业两类。",
                                "4. 方案与绩效为上述审核的方案：实施方案为年末前已完成的方案，绩效为其年效果，"
                                "污染物按产生量计。",
                                f"5. {ENERGY_NOTE}",
                                "6. 全省目标依据“工作目标”：开展清洁生产审核企业超过10,000家次，节约400万吨标准煤"
                                "和二亿吨水，减少排放1,000万吨二氧化碳，削减10万吨COD产生量、10万吨二氧化硫产生量、"
                                "0.6万吨氨氮产生量、八万吨氮氧化物产生量；目标进度为2016年以来累计完成÷本地目标。",
                                "7. 县（区）→市→省逐级汇总，"
                                "上级各项数据等于下级之和（园区审核率、目标进度按汇总数重新计算）。",
                            ),
                        ),
                        signed(8),
                    ),
                ),
            )
        )

    def rules(self, report: Summary) -> Iterable[Issue]:
        """The 其中 lines within 合计, 完成情况 adding up to 合计, implemented within proposed; park rates and
        target progress follow from their figures."""
        yield from self._total_rule(report)
        yield from self._results_rules(report)
        yield from self._park_rules(report)
        yield from self._target_rules(report)

    def _total_rule(self, report: Summary) -> Iterator[Issue]:
        if not report.tracks:
            return
        total, parts = report.tracks[0].count, sum(line.count for line in report.tracks[1:])
        if parts > total:
            yield error(
                "guangdong.summary.total",
                f"各审核方式之和（{parts}）不能大于合计（{total}）",
                f"the tracks ({parts}) must not exceed the total of audits ({total})",
                pointer=self.pointer("tracks", 0, "count"),
                source=TRACKS,
            )
        elif parts < total:
            yield warning(
                "guangdong.summary.track-missing",
                f"有{total - parts}家次审核未记录审核方式，只计入合计",
                f"{total - parts} audit(s) have no track recorded and count in the total only",
                pointer=self.pointer("tracks", 0, "count"),
                source=TRACKS,
            )
        timely = sum(line.count for line in report.timeliness)
        if report.timeliness and timely != total:
            yield error(
                "guangdong.summary.timeliness-total",
                f"完成情况之和（{timely}）应等于本年度完成审核合计（{total}）",
                f"the statuses ({timely}) must add up to the audits completed ({total})",
                pointer=self.pointer("timeliness", 0, "count"),
                source=REWARDS,
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
        for index in range(3 if len(report.results) >= 6 else 0):
            proposed, implemented = report.results[index], report.results[index + 3]
            if implemented.amount > proposed.amount:
                yield error(
                    "guangdong.summary.implemented-exceeds-proposed",
                    f"实施方案数（{implemented.amount}）不能大于提出方案数（{proposed.amount}）",
                    f"more proposals implemented ({implemented.amount}) than proposed ({proposed.amount})",
                    pointer=self.pointer("results", index + 3, "amount"),
                    source=SYSTEM,
                )

    def _park_rules(self, report: Summary) -> Iterator[Issue]:
        for index, park in enumerate(report.parks):
            expected = _park_line(park.park, park.enterprises, park.audited)
            if park.enterprises is None:
                yield warning(
                    "guangdong.summary.park-total-missing",
                    f"{park.park}未提供园区企业总数，审核率无法计算（以“—”表示）",
                    f"{park.park}: the park's enterprise total is not given (park_enterprises), so no rate",
                    pointer=self.pointer("parks", index, "enterprises"),
                    source=PARKS,
                )
                if (park.rate, park.met) != (None, None):
                    yield error(
                        "guangdong.summary.park-rate",
                        f"{park.park}未提供园区企业总数，不能填写审核率",
                        f"{park.park}: a rate without the park's enterprise total",
                        pointer=self.pointer("parks", index, "rate"),
                        source=PARKS,
                    )
            elif park.audited > park.enterprises:
                yield error(
                    "guangdong.summary.park-audited-exceeds-total",
                    f"{park.park}已完成审核企业数（{park.audited}）大于园区企业总数（{park.enterprises}）",
                    f"{park.park}: more enterprises audited ({park.audited}) than in the park ({park.enterprises})",
                    pointer=self.pointer("parks", index, "enterprises"),
                    source=PARKS,
                )
            elif (park.rate, park.met) != (expected.rate, expected.met):
                yield error(
                    "guangdong.summary.park-rate",
                    f"{park.park}审核率应为已完成审核企业数÷园区企业总数（{expected.rate}%）",
                    f"{park.park}: the rate must be audited over enterprises ({expected.rate}%)",
                    pointer=self.pointer("parks", index, "rate"),
                    source=PARKS,
                )
            elif not park.met:
                yield warning(
                    "guangdong.summary.park-below-80",
                    f"{park.park}清洁生产审核率{park.rate}%，未超过80%",
                    f"{park.park}: audit rate {park.rate}%, not over the required 80%",
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
    example_params: ClassVar[Mapping[str, Any]] = {}
    parameters = {
        "year": "年度 year (default: the last year with an audit completed)",
        "park_enterprises": "园区企业总数 each park's enterprise total: 园区=家数;园区=家数 (whole numbers ≥ 1)",
        "script": "hans (简体, default) or hant (繁體)",
        **SUBMISSION_PARAMETERS,
    }

    def region_of(self, params: dict[str, Any]) -> tuple[str, str]:
        """Always the province."""
        return guangdong_region(PROVINCE)

    def merge(self, reports: Sequence[Summary], **params: Any) -> Summary:
        """The province's summary from its cities' (or counties', for a city not filed as one)."""
        return super().merge(reports, **{**params, "region": PROVINCE})
