"""``guangdong.filing`` and ``guangdong.filings`` — 清洁生产审核备案及验收登记表, one audit or a city's list.

The provincial information system registers each audit round: the enterprise (identity,
key industry, key basin, park), its audit track (实施差别化审核制度) and what the track
requires, its dates, consultancy, proposals by cost class, yearly performance, and
whether it finished on time (差异化奖惩). How each follows from the records:

- **Track requirement**: 简化审核 — file the report after implementing cleaner production;
  规范审核 — file it after the retrofit (mid/high-cost) proposals are implemented;
  市级验收 — accepted by the city; 省级清洁生产企业 — recommended by the city, then
  accepted by the industry association (the model's ``recommended_on``, ``accepted_on``).
- **Completed**: the report's filing date for 简化/规范审核 (and an audit with no track),
  the acceptance date for the other two. **Status** against ``deadline`` on the day
  ``as_of`` (default: the latest date the audits record, so a build is reproducible; for the 备案汇总表 of
  an earlier year, that year's 31 December):
  按期完成, 逾期完成, 逾期未完成, 进行中, 未设期限.
- **Proposals**: the audit's proposals by cost class; implemented = completed; the
  investment of those implemented; 备案前已实施中/高费方案 counts those completed on or
  before the filing date.
- **Performance**: the yearly effects of the implemented proposals — pollutants on the
  generation basis (as the province's targets), water in 吨, CO₂, and 节能 in 吨标准煤 counted once
  per proposal: its recorded energy, else its electricity and raw coal converted with
  GB/T 2589-2008 附录A (:mod:`cpsdk_guangdong._results`).

``guangdong.filings`` lists, one row per audit, the audits of a region **whose report was filed
(备案) in the year** (``report_filed_on``; 实施差别化审核制度 第1、2项: the report is filed with the
地级以上市), whatever their track, with the same status and proposal counts; the year's
``guangdong.disclosure`` lists the same 简化/规范审核 (completed by their filing).

**Submission lines.** Both are handed in: the record by the enterprise filing its audit with the 地级以上市
(实施差别化审核制度 第1、2项), the list by the region's department reporting to the level above
(清洁生产审核信息化管理 第1项: 逐级上报). Each ends, under its notes, with 填报单位（盖章）, 填表人, 联系电话 and
填报日期 (:func:`cpsdk_guangdong._lines.signed`), filled from the parameters ``unit``, ``filled_by``,
``phone`` and ``filed_on`` (:data:`cpsdk.SUBMISSION_PARAMETERS`), all optional; printed as given in either script.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

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
    Proposal,
    ProposalStatus,
    Scope,
    Script,
    Submission,
    Unit,
    describe,
    error,
    script_of,
    submission_from,
    titled,
    traditional,
    warning,
)
from cpsdk.codes import industry_name, region_full_name
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout, labelled
from cpsdk_guangdong._lines import signed
from cpsdk_guangdong._results import ENERGY_NOTE, results
from cpsdk_guangdong._scope import (
    LATE,
    OVERDUE,
    NamedRegion,
    as_of,
    chosen_audit,
    completed_on,
    guangdong_region,
    localized,
    timeliness,
)
from cpsdk_guangdong._source import FILED, REWARDS, TRACKS
from cpsdk_guangdong.keys import basin_of, industries_of

REQUIREMENTS = {
    AuditTrack.SIMPLIFIED: "实施清洁生产后，审核报告报地级以上市经济和信息化、环保部门备案",
    AuditTrack.STANDARD: "组织实施清洁生产改造（中/高费）方案后，审核报告报地级以上市经济和信息化、环保部门备案",
    AuditTrack.CITY_ACCEPTANCE: "由地级以上市组织验收",
    AuditTrack.PROVINCIAL_TITLE: "经地级以上市推荐，由承担省级验收职能的行业协会验收，授予省级清洁生产企业称号",
}
#: Performance lines of a filing: metric, basis (pollutants), unit printed.
PERFORMANCE: tuple[tuple[Metric, Unit], ...] = (
    (Metric.ENERGY, Unit.TCE),
    (Metric.WATER, Unit.TONNE),
    (Metric.CO2, Unit.TONNE),
    (Metric.COD, Unit.TONNE),
    (Metric.SO2, Unit.TONNE),
    (Metric.AMMONIA_NITROGEN, Unit.TONNE),
    (Metric.NOX, Unit.TONNE),
)


@titled("方案情况", "Proposals of one cost class")
@attrs.frozen(kw_only=True)
class ProposalLine:
    """Proposals of one cost class, or 合计."""

    cost_class: str = describe("方案类别", "Cost class")
    proposed: int = describe("提出方案数（个）", "Proposed")
    implemented: int = describe("实施方案数（个）", "Implemented")
    investment: Decimal = describe("投资（万元）", "Investment of those implemented", unit=Unit.TEN_THOUSAND_YUAN)


@titled("年绩效", "Yearly performance")
@attrs.frozen(kw_only=True)
class PerformanceLine:
    """One yearly effect, summed over the implemented proposals."""

    item: str = describe("项目", "Item")
    unit: str = describe("单位", "Unit")
    amount: Decimal = describe("年效果", "Per year")


@titled("清洁生产审核备案及验收登记表", "Audit filing and acceptance record")
@attrs.frozen(kw_only=True)
class Filing:
    """One enterprise's audit round."""

    script: Script = describe("文字", "Script the record is written in", default=Script.HANS)
    enterprise: str = describe("企业名称", "Enterprise name")
    uscc: str = describe("统一社会信用代码", "Unified social credit code")
    location: str = describe("所在县（区）、市", "County and city")
    industry: str = describe("所属行业", "Industry")
    key_industries: str | None = describe("重点行业", "Guangdong key industries", default=None)
    key_basin: str | None = describe("重点流域", "Key basin", default=None)
    park: str | None = describe("所在园区", "Park", default=None)
    track: str | None = describe("审核方式", "Audit track", default=None)
    requirement: str | None = describe("审核方式要求", "What the track requires", default=None)
    round: int = describe("审核轮次", "Round")
    listed_on: datetime.date | None = describe("列入审核名单日期", "Listed", default=None)
    started_on: datetime.date | None = describe("审核启动日期", "Started", default=None)
    deadline: datetime.date | None = describe("完成期限", "Deadline", default=None)
    report_filed_on: datetime.date | None = describe("审核报告备案日期", "Report filed", default=None)
    recommended_on: datetime.date | None = describe("市级推荐日期", "Recommended by the city", default=None)
    accepted_on: datetime.date | None = describe("验收日期", "Accepted", default=None)
    status: str = describe("完成情况", "On time or overdue")
    as_of: datetime.date = describe("统计截止日期", "Status judged on")
    agency: str | None = describe("咨询服务机构", "Consultancy", default=None)
    mid_high_before_filing: int = describe("备案前已实施中/高费方案（个）", "Mid/high-cost proposals done by filing")
    proposals: tuple[ProposalLine, ...] = describe("方案情况", "Proposals", factory=tuple)
    performance: tuple[PerformanceLine, ...] = describe("年绩效", "Yearly performance", factory=tuple)
    benefit: Decimal = describe("经济效益（万元/年）", "Economic benefit per year", default=Decimal(0))
    submission: Submission = describe("填报", "Who files the record, and when", factory=Submission)


def _proposals_by_audit(dataset: Dataset) -> dict[str | None, list[Proposal]]:
    groups: dict[str | None, list[Proposal]] = {}
    for proposal in dataset.proposals:
        groups.setdefault(proposal.audit, []).append(proposal)
    return groups


def _proposal_lines(
    dataset: Dataset, audit: Audit, by_audit: dict[str | None, list[Proposal]] | None = None
) -> list[ProposalLine]:
    proposals = (by_audit if by_audit is not None else _proposals_by_audit(dataset)).get(audit.id, [])
    lines = []
    for name, members in (
        *((cost.zh, [p for p in proposals if p.cost_class is cost]) for cost in CostClass),
        ("合计", proposals),
    ):
        done = [p for p in members if p.status is ProposalStatus.COMPLETED]
        lines.append(
            ProposalLine(
                cost_class=name,
                proposed=len(members),
                implemented=len(done),
                investment=sum((p.investment or Decimal(0) for p in done), Decimal(0)),
            )
        )
    return lines


class FilingForm(LayoutForm):
    """清洁生产审核备案及验收登记表 of one audit round."""

    id = "guangdong.filing"
    title = "清洁生产审核备案及验收登记表"
    layout_year = 2016
    period = Period.NONE
    scope = Scope.ENTERPRISE
    report_type = Filing
    source = TRACKS
    parameters = {
        "audit": "审核编号 the audit (default: the latest audit of the region)",
        "enterprise": "统一社会信用代码 an enterprise: its latest audit",
        "region": "地区代码 region of Guangdong to choose from (default 44)",
        "as_of": "统计截止日期 day the status is judged on (YYYY-MM-DD)",
        "script": "hans (简体, default) or hant (繁體, Hong Kong conventions)",
        **SUBMISSION_PARAMETERS,
    }

    def build(self, dataset: Dataset, **params: Any) -> Filing:
        """The record of the audit asked for; ValueError for a ``filed_on`` that is not a date."""
        submission = submission_from(params)
        audit, enterprise = chosen_audit(dataset, params)
        day = as_of(params, dataset)
        proposals = dataset.records("proposals").where("audit", lambda value: value == audit.id)
        filed = audit.report_filed_on
        before_filing = sum(
            1
            for p in proposals
            if p.cost_class is CostClass.MID_HIGH
            and p.status is ProposalStatus.COMPLETED
            and filed is not None
            and p.completed_on is not None
            and p.completed_on <= filed
        )
        done = results(dataset, {audit.id: audit.id})[audit.id]
        agency = next((a.name for a in dataset.agencies if a.id == audit.agency), None)
        report = Filing(
            script=script_of(params.get("script")),
            enterprise=enterprise.name,
            uscc=enterprise.uscc,
            location=region_full_name(enterprise.region) or enterprise.region,
            industry=industry_name(enterprise.industry) or enterprise.industry,
            key_industries="、".join(industries_of(enterprise)) or None,
            key_basin=basin_of(enterprise),
            park=enterprise.park,
            track=audit.track.zh if audit.track else None,
            requirement=REQUIREMENTS.get(audit.track) if audit.track else None,
            round=audit.round,
            listed_on=audit.listed_on,
            started_on=audit.started_on,
            deadline=audit.deadline,
            report_filed_on=filed,
            recommended_on=audit.recommended_on,
            accepted_on=audit.accepted_on,
            status=timeliness(audit, day),
            as_of=day,
            agency=agency,
            mid_high_before_filing=before_filing,
            proposals=tuple(_proposal_lines(dataset, audit)),
            performance=tuple(
                PerformanceLine(item=metric.zh, unit=unit.symbol, amount=done.effect(metric))
                for metric, unit in PERFORMANCE
            ),
            benefit=done.effect(Metric.BENEFIT),
            submission=submission,
        )
        return localized(report, report.script)

    def layout(self) -> WorkbookLayout:
        """The enterprise, the audit and its track, the dates, then proposals and performance; the
        submission lines at the foot."""

        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="备案登记表",
                    columns=(20, 22, 20, 22),
                    blocks=(
                        Title(template="清洁生产审核备案及验收登记表"),
                        Grid(
                            rows=(
                                (*labelled("企业名称", "enterprise", 3),),
                                (*labelled("统一社会信用代码", "uscc"), *labelled("所属行业", "industry")),
                                (*labelled("所在县（区）、市", "location", 3),),
                                (*labelled("重点行业", "key_industries"), *labelled("重点流域", "key_basin")),
                                (*labelled("所在园区", "park", 3),),
                                (*labelled("审核方式", "track"), *labelled("审核轮次", "round")),
                                (
                                    Text(text="审核方式要求", style="header"),
                                    Value(path="requirement", colspan=3, style="text"),
                                ),
                                (*labelled("列入审核名单日期", "listed_on"), *labelled("审核启动日期", "started_on")),
                                (*labelled("审核报告备案日期", "report_filed_on"), *labelled("完成期限", "deadline")),
                                (*labelled("市级推荐日期", "recommended_on"), *labelled("验收日期", "accepted_on")),
                                (*labelled("完成情况", "status"), *labelled("统计截止日期", "as_of")),
                                (
                                    *labelled("咨询服务机构", "agency"),
                                    *labelled("备案前已实施中/高费方案（个）", "mid_high_before_filing"),
                                ),
                            )
                        ),
                        Table(
                            rows="proposals",
                            totals_are_records=True,  # its 合计 line is one of the report's lines
                            columns=(
                                Column(header=("方案类别",), field="cost_class", style="center"),
                                Column(header=("提出方案数（个）",), field="proposed"),
                                Column(header=("实施方案数（个）",), field="implemented"),
                                Column(header=("实施投资（万元）",), field="investment", decimals=-1),
                            ),
                        ),
                        Table(
                            rows="performance",
                            columns=(
                                Column(header=("年绩效",), field="item", style="center"),
                                Column(header=("单位",), field="unit", style="center"),
                                Column(header=("年效果",), field="amount", decimals=-1, span=2),
                            ),
                        ),
                        Grid(rows=((*labelled("经济效益（万元/年）", "benefit", 3),),)),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 审核方式依据“实施差别化审核制度”；完成情况依据“实施差异化奖惩”，按完成期限判断。",
                                "2. 简化审核、规范审核以审核报告备案日期为完成日期，"
                                "市级验收、省级清洁生产企业以验收日期为完成日期。",
                                "3. 年绩效为已实施方案的年效果，污染物按产生量计。",
                                f"4. {ENERGY_NOTE}",
                            ),
                        ),
                        signed(4),
                    ),
                ),
            )
        )

    def rules(self, report: Filing) -> Iterable[Issue]:
        """What the track requires, the deadline, and 合计 = the sum of the cost classes."""
        yield from track_rules(self, report)
        yield from total_rules(self, report.proposals, "proposals")


def either_script(*labels: str) -> set[str]:
    """``labels`` as a record in either script prints them."""
    return {*labels, *map(traditional, labels)}


def _is(track: str | None, expected: AuditTrack) -> bool:
    return track in either_script(expected.zh)


def track_rules(form: LayoutForm, report: Filing) -> Iterable[Issue]:
    """The requirements of the record's track, and its deadline."""
    if _is(report.track, AuditTrack.STANDARD) and report.report_filed_on and report.mid_high_before_filing == 0:
        yield error(
            "guangdong.filing.standard-before-retrofit",
            "规范审核应在组织实施中/高费方案后备案，备案前无已实施的中/高费方案",
            "a 规范审核 report is filed after its mid/high-cost proposals are implemented; none was by filing",
            pointer=form.pointer("mid_high_before_filing"),
            source=TRACKS,
        )
    implemented = next((line.implemented for line in report.proposals[-1:]), 0)
    if _is(report.track, AuditTrack.SIMPLIFIED) and report.report_filed_on and implemented == 0:
        yield warning(
            "guangdong.filing.simplified-nothing-done",
            "简化审核应在实施清洁生产后备案，但未有已实施的方案",
            "a 简化审核 report is filed after implementing cleaner production, but no proposal is implemented",
            pointer=form.pointer("report_filed_on"),
            source=TRACKS,
        )
    if _is(report.track, AuditTrack.PROVINCIAL_TITLE) and report.accepted_on:
        if report.recommended_on is None:
            yield error(
                "guangdong.filing.not-recommended",
                "省级清洁生产企业须经地级以上市推荐后验收，未填推荐日期",
                "a provincial title needs the city's recommendation before acceptance; none is recorded",
                pointer=form.pointer("recommended_on"),
                source=TRACKS,
            )
        elif report.recommended_on > report.accepted_on:
            yield error(
                "guangdong.filing.recommended-after-acceptance",
                "市级推荐日期晚于验收日期",
                "the city's recommendation is dated after the acceptance",
                pointer=form.pointer("recommended_on"),
                source=TRACKS,
            )
    if report.status in either_script(LATE, OVERDUE):
        yield warning(
            "guangdong.filing.overdue",
            f"审核{report.status}（完成期限 {report.deadline}），不再享受相关优惠政策，列入下一轮审核名单",
            f"the audit is overdue (deadline {report.deadline}): no policy preference, listed for the next round",
            pointer=form.pointer("status"),
            source=REWARDS,
        )


def total_rules(form: LayoutForm, lines: tuple[ProposalLine, ...], path: str) -> Iterable[Issue]:
    """The last line (合计) is the sum of the others; nothing implemented beyond what was proposed."""
    if len(lines) < 2:
        return
    total, parts = lines[-1], lines[:-1]
    for field in ("proposed", "implemented", "investment"):
        if getattr(total, field) != sum((getattr(line, field) for line in parts), 0):
            yield error(
                "guangdong.proposals.total",
                "合计应等于无/低费与中/高费之和",
                "the total must equal the no/low-cost plus mid/high-cost lines",
                pointer=form.pointer(path, len(lines) - 1, field),
                source=TRACKS,
            )
    for index, line in enumerate(lines):
        if line.implemented > line.proposed:
            yield error(
                "guangdong.proposals.implemented-exceeds-proposed",
                "实施方案数不能大于提出方案数",
                "more proposals implemented than proposed",
                pointer=form.pointer(path, index, "implemented"),
                source=TRACKS,
            )


@titled("审核备案", "An audit of the list")
@attrs.frozen(kw_only=True)
class FilingRow:
    """One audit of a region's list for a year."""

    enterprise: str | None = describe("企业名称", "Enterprise name", default=None)
    uscc: str | None = describe("统一社会信用代码", "Unified social credit code", default=None)
    location: str | None = describe("所在地", "Where it is", default=None)
    track: str | None = describe("审核方式", "Audit track", default=None)
    round: int | None = describe("轮次", "Round", default=None)
    deadline: datetime.date | None = describe("完成期限", "Deadline", default=None)
    completed_on: datetime.date | None = describe("完成日期", "Completed (filed or accepted)", default=None)
    status: str | None = describe("完成情况", "On time or overdue", default=None)
    proposed: int | None = describe("提出方案（个）", "Proposals", default=None)
    implemented: int | None = describe("实施方案（个）", "Implemented", default=None)
    investment: Decimal | None = describe("投资（万元）", "Investment", unit=Unit.TEN_THOUSAND_YUAN, default=None)
    agency: str | None = describe("咨询服务机构", "Consultancy", default=None)


@titled("清洁生产审核备案汇总表", "Audit filings of a region and year")
@attrs.frozen(kw_only=True)
class Filings:
    """The audits of a region whose report was filed in a year."""

    script: Script = describe("文字", "Script", default=Script.HANS)
    region: str = describe("地区代码", "Region code", schema={"pattern": "^44([0-9]{2}){0,2}$"})
    region_name: str = describe("地区", "Region")
    year: int = describe("年度", "Year")
    as_of: datetime.date = describe("统计截止日期", "Status judged on")
    rows: tuple[FilingRow, ...] = describe("审核", "Audits", factory=tuple)
    submission: Submission = describe("填报", "Who reports the list, and when", factory=Submission)


class FilingsForm(NamedRegion, LayoutForm):
    """清洁生产审核备案汇总表: one row per audit of a region whose report was filed (备案) in a year."""

    id = "guangdong.filings"
    title = "清洁生产审核备案汇总表"
    layout_year = 2016
    period = Period.YEAR
    scope = Scope.CITY
    report_type = Filings
    source = FILED
    record_level = True
    #: What each column is, for converting to and from other record-level forms.
    record_fields = {
        "enterprise": "enterprise.name",
        "uscc": "enterprise.uscc",
        "location": "enterprise.location",
        "track": "audit.track",
        "round": "audit.round",
        "deadline": "audit.deadline",
        "completed_on": "audit.completed_on",
        "status": "audit.status",
        "proposed": "audit.proposed",
        "implemented": "audit.implemented",
        "investment": "audit.investment",
        "agency": "audit.agency",
    }
    parameters = {
        "year": "年度 year the audit reports were filed (备案) in (default: the year of as_of)",
        "region": "地区代码 region of Guangdong (default 44)",
        "as_of": "统计截止日期 day statuses are judged on (YYYY-MM-DD; default: 31 December of year, or the "
        "latest date of the records when that is earlier)",
        "script": "hans (简体, default) or hant (繁體)",
        **SUBMISSION_PARAMETERS,
    }

    def build(self, dataset: Dataset, **params: Any) -> Filings:
        """The audits of ``region`` whose report was filed (备案) in ``year``; ValueError for a bad ``filed_on``."""
        submission = submission_from(params)
        code, name = guangdong_region(params.get("region"))
        data = dataset.in_region(code)
        day = as_of(params, dataset)
        year = int(params.get("year") or day.year)
        if not params.get("as_of") and year < day.year:
            day = datetime.date(year, 12, 31)  # a past year's table judges its statuses at that year's end
        agencies = {a.id: a.name for a in dataset.agencies}
        by_audit = _proposals_by_audit(data)
        rows = []
        for audit in data.audits:
            if audit.report_filed_on is None or audit.report_filed_on.year != year:
                continue
            enterprise = data.enterprise_by_uscc[audit.enterprise]
            total = _proposal_lines(data, audit, by_audit)[-1]
            rows.append(
                FilingRow(
                    enterprise=enterprise.name,
                    uscc=enterprise.uscc,
                    location=region_full_name(enterprise.region) or enterprise.region,
                    track=audit.track.zh if audit.track else None,
                    round=audit.round,
                    deadline=audit.deadline,
                    completed_on=completed_on(audit),
                    status=timeliness(audit, day),
                    proposed=total.proposed,
                    implemented=total.implemented,
                    investment=total.investment,
                    agency=agencies.get(audit.agency or ""),
                )
            )
        rows.sort(key=lambda row: (row.location, row.enterprise, row.round))
        script = script_of(params.get("script"))
        report = Filings(
            script=script,
            region=code,
            region_name=name,
            year=year,
            as_of=day,
            rows=tuple(rows),
            submission=submission,
        )
        return localized(report, script)

    def layout(self) -> WorkbookLayout:
        """The title with region and year, then one row per audit; the submission lines at the foot, past the
        序号 column."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="备案汇总",
                    columns=(6, 28, 22, 20, 12, 6, 12, 12, 11, 9, 9, 12, 24),
                    landscape=True,
                    blocks=(
                        Title(template="{region_name}{year}年度清洁生产审核备案汇总表"),
                        Grid(
                            rows=((Text(text="统计截止日期：", colspan=2, style="field_label"), Value(path="as_of")),)
                        ),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("序号",), field="#"),
                                Column(header=("企业名称",), field="enterprise", style="text"),
                                Column(header=("统一社会信用代码",), field="uscc", style="center"),
                                Column(header=("所在地",), field="location", style="text"),
                                Column(header=("审核方式",), field="track", style="center"),
                                Column(header=("轮次",), field="round"),
                                Column(header=("完成期限",), field="deadline"),
                                Column(header=("完成日期",), field="completed_on"),
                                Column(header=("完成情况",), field="status", style="center"),
                                Column(header=("方案（个）", "提出"), field="proposed"),
                                Column(header=("方案（个）", "实施"), field="implemented"),
                                Column(header=("投资（万元）",), field="investment", decimals=-1),
                                Column(header=("咨询服务机构",), field="agency", style="text"),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 本表列出审核报告于本年度报地级以上市经济和信息化、环保部门备案的审核"
                                "（实施差别化审核制度 第1、2项），不论审核方式。",
                                "2. 完成日期：简化审核、规范审核为审核报告备案日期，"
                                "市级验收、省级清洁生产企业为通过验收日期；"
                                "完成情况按完成期限于统计截止日期判断（完善差异化奖惩机制 第1、2项）。",
                            ),
                        ),
                        signed(13, indent=1),
                    ),
                ),
            )
        )

    def rules(self, report: Filings) -> Iterable[Issue]:
        """Overdue audits are flagged; nothing implemented beyond what was proposed."""
        for index, row in enumerate(report.rows):
            if row.status in either_script(LATE, OVERDUE):
                yield warning(
                    "guangdong.filing.overdue",
                    f"{row.enterprise}审核{row.status}",
                    f"{row.enterprise}: the audit is overdue",
                    pointer=self.pointer("rows", index, "status"),
                    source=REWARDS,
                )
            for field in ("enterprise", "location", "status"):
                if getattr(row, field) in (None, ""):
                    yield error(
                        "guangdong.row.empty",
                        "必填项未填写",
                        f"the required column {field} is empty",
                        pointer=self.pointer("rows", index, field),
                        source=TRACKS,
                    )
            if row.implemented is not None and row.proposed is not None and row.implemented > row.proposed:
                yield error(
                    "guangdong.proposals.implemented-exceeds-proposed",
                    "实施方案数不能大于提出方案数",
                    "more proposals implemented than proposed",
                    pointer=self.pointer("rows", index, "implemented"),
                    source=TRACKS,
                )
