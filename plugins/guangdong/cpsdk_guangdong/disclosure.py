"""``guangdong.disclosure`` — 清洁生产审核企业名单及成效公示 (信息公开).

The document has the list of audited enterprises and their resource-saving and
pollution-prevention results published for public scrutiny. One row per audit of the
region completed in the year (its report filed, or accepted, by track), with public
fields only: enterprise, city, industry, how the audit was completed, and the yearly
savings and reductions of its implemented proposals (pollutants on the generation
basis; 节能 counted once per proposal, electricity and coal converted with GB/T 2589-2008
附录A: :mod:`cpsdk_guangdong._results`). Nothing else from the dataset reaches the list: no investment, contacts,
addresses, credit code, consultancy or free text — :data:`PUBLIC_FIELDS` is the whole
of it, and a test holds it to that.

**The notice.** A 公示 is published by an authority for a period during which the public may object
(完善清洁生产信息公开制度 第2项: “接受社会公众监督”). Under its notes the list prints 公示单位, the 公示期
(from … 至 …) and whom to tell of an objection (异议联系人, 联系电话), from the parameters ``publisher``,
``period_from``, ``period_to``, ``objection_contact`` and ``objection_phone`` (:data:`NOTICE_PARAMETERS`),
all optional and printed as given in either script; the period's days must be dates (YYYY-MM-DD), the last
not before the first. These come from the parameters, never from the dataset.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from cpsdk import (
    AuditTrack,
    Dataset,
    Issue,
    LayoutForm,
    Metric,
    Period,
    Scope,
    Script,
    describe,
    error,
    script_of,
    titled,
)
from cpsdk.codes import industry_name, region_name
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout
from cpsdk_guangdong._results import ENERGY_NOTE, results
from cpsdk_guangdong._scope import (
    FILED_TRACKS,
    NamedRegion,
    completed_on,
    guangdong_region,
    latest_completion_year,
    localized,
)
from cpsdk_guangdong._source import DISCLOSURE

#: Every field a row of the public list has: nothing else is published.
PUBLIC_FIELDS = (
    "enterprise",
    "city",
    "industry",
    "completion",
    "completed_on",
    "energy",
    "water",
    "cod",
    "so2",
    "ammonia_nitrogen",
    "nox",
)
#: The build parameters of the notice's closing lines, with their meaning.
NOTICE_PARAMETERS: Mapping[str, str] = {
    "publisher": "公示单位 the authority publishing the list",
    "period_from": "公示期起 first day of the notice period (YYYY-MM-DD)",
    "period_to": "公示期止 last day of the notice period (YYYY-MM-DD)",
    "objection_contact": "异议联系人 whom to tell of an objection",
    "objection_phone": "异议联系电话 their telephone",
}
_EFFECTS = {
    Metric.ENERGY: "energy",
    Metric.WATER: "water",
    Metric.COD: "cod",
    Metric.SO2: "so2",
    Metric.AMMONIA_NITROGEN: "ammonia_nitrogen",
    Metric.NOX: "nox",
}


@titled("公示企业", "A published enterprise")
@attrs.frozen(kw_only=True)
class PublicRow:
    """One audited enterprise, public fields only."""

    enterprise: str | None = describe("企业名称", "Enterprise name", default=None)
    city: str | None = describe("所在地市", "City", default=None)
    industry: str | None = describe("所属行业", "Industry", default=None)
    completion: str | None = describe("审核完成情况", "How the audit was completed", default=None)
    completed_on: datetime.date | None = describe("完成日期", "Completed", default=None)
    energy: Decimal | None = describe("节能（吨标准煤/年）", "Energy saved (tce/yr)", default=Decimal(0))
    water: Decimal | None = describe("节水（吨/年）", "Water saved (t/yr)", default=Decimal(0))
    cod: Decimal | None = describe("削减COD（吨/年）", "COD reduced (t/yr)", default=Decimal(0))
    so2: Decimal | None = describe("削减二氧化硫（吨/年）", "SO₂ reduced (t/yr)", default=Decimal(0))
    ammonia_nitrogen: Decimal | None = describe("削减氨氮（吨/年）", "NH₃-N reduced (t/yr)", default=Decimal(0))
    nox: Decimal | None = describe("削减氮氧化物（吨/年）", "NOₓ reduced (t/yr)", default=Decimal(0))


@titled("清洁生产审核企业名单及成效公示", "Public list of audited enterprises and their results")
@attrs.frozen(kw_only=True)
class Disclosure:
    """The public list of a region and year."""

    script: Script = describe("文字", "Script", default=Script.HANS)
    region: str = describe("地区代码", "Region code", schema={"pattern": "^44([0-9]{2}){0,2}$"})
    region_name: str = describe("地区", "Region")
    year: int = describe("年度", "Year")
    rows: tuple[PublicRow, ...] = describe("企业", "Enterprises", factory=tuple)
    publisher: str | None = describe("公示单位", "Authority publishing the list", default=None)
    period_from: datetime.date | None = describe("公示期起", "First day of the notice period", default=None)
    period_to: datetime.date | None = describe("公示期止", "Last day of the notice period", default=None)
    objection_contact: str | None = describe("异议联系人", "Whom to tell of an objection", default=None)
    objection_phone: str | None = describe("异议联系电话", "Their telephone", default=None)


def _text(value: object) -> str | None:
    text = None if value is None else str(value).strip()
    return text or None


def _day(params: Mapping[str, Any], name: str) -> datetime.date | None:
    value = params.get(name)
    if value is None or isinstance(value, datetime.date) or not str(value).strip():
        return value or None
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def notice_from(params: Mapping[str, Any]) -> dict[str, Any]:
    """The notice's fields from a build's ``params`` (:data:`NOTICE_PARAMETERS`); ValueError for a day that is
    not YYYY-MM-DD, or a period that ends before it starts."""
    first, last = _day(params, "period_from"), _day(params, "period_to")
    if first is not None and last is not None and last < first:
        raise ValueError(f"the notice period ends ({last}) before it starts ({first})")
    return {
        "publisher": _text(params.get("publisher")),
        "period_from": first,
        "period_to": last,
        "objection_contact": _text(params.get("objection_contact")),
        "objection_phone": _text(params.get("objection_phone")),
    }


def _completion(track: AuditTrack | None) -> str:
    if track in FILED_TRACKS:
        return f"{track.zh if track else '清洁生产审核'}，审核报告已备案"
    assert track is not None
    return f"{track.zh}，已通过验收"


class DisclosureForm(NamedRegion, LayoutForm):
    """清洁生产审核企业名单及成效公示."""

    id = "guangdong.disclosure"
    title = "清洁生产审核企业名单及成效公示"
    layout_year = 2016
    period = Period.YEAR
    scope = Scope.REGION
    report_type = Disclosure
    source = DISCLOSURE
    record_level = True
    #: What each column is, for converting to and from other record-level forms.
    record_fields = {
        "enterprise": "enterprise.name",
        "city": "enterprise.city",
        "industry": "enterprise.industry",
        "completion": "audit.completion",
        "completed_on": "audit.completed_on",
        "energy": "effect.energy",
        "water": "effect.water",
        "cod": "effect.cod",
        "so2": "effect.so2",
        "ammonia_nitrogen": "effect.ammonia_nitrogen",
        "nox": "effect.nox",
    }
    parameters = {
        "year": "年度 year the audits were completed (default: the last such year)",
        "region": "地区代码 region of Guangdong (default 44)",
        "script": "hans (简体, default) or hant (繁體)",
        **NOTICE_PARAMETERS,
    }

    def build(self, dataset: Dataset, **params: Any) -> Disclosure:
        """The audits of ``region`` completed in ``year``, with their yearly results, and the notice's lines;
        ValueError for a notice period that is not two dates in order."""
        notice = notice_from(params)
        code, name = guangdong_region(params.get("region"))
        data = dataset.in_region(code)
        year = int(params.get("year") or latest_completion_year(data))
        listed = [audit for audit in data.audits if (done := completed_on(audit)) is not None and done.year == year]
        # Judged at the year's end, as the 汇总表 of the year judges the same audits: the two agree.
        achieved = results(data, {audit.id: audit.id for audit in listed}, by=datetime.date(year, 12, 31))
        rows = []
        for audit in listed:
            done = completed_on(audit)
            enterprise = data.enterprise_by_uscc[audit.enterprise]
            found = {field: achieved[audit.id].effect(metric) for metric, field in _EFFECTS.items()}
            rows.append(
                PublicRow(
                    enterprise=enterprise.name,
                    city=region_name(enterprise.region[:4]) or enterprise.region[:4],
                    industry=industry_name(enterprise.industry) or enterprise.industry,
                    completion=_completion(audit.track),
                    completed_on=done,
                    **found,
                )
            )
        rows.sort(key=lambda row: (row.city, row.enterprise, row.completed_on))
        script = script_of(params.get("script"))
        report = Disclosure(script=script, region=code, region_name=name, year=year, rows=tuple(rows), **notice)
        return localized(report, script)

    def layout(self) -> WorkbookLayout:
        """The title, one row per enterprise, what the list is, then who publishes it, the notice period and
        whom to tell of an objection (past the 序号 column)."""
        gap = Text(text="", style="field_label")
        label = "field_label"
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="公示名单",
                    columns=(6, 30, 12, 22, 26, 12, 12, 12, 11, 11, 11, 11),
                    landscape=True,
                    blocks=(
                        Title(template="{region_name}{year}年清洁生产审核企业名单及成效公示"),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("序号",), field="#"),
                                Column(header=("企业名称",), field="enterprise", style="text"),
                                Column(header=("所在地市",), field="city", style="center"),
                                Column(header=("所属行业",), field="industry", style="center"),
                                Column(header=("审核完成情况",), field="completion", style="text"),
                                Column(header=("完成日期",), field="completed_on"),
                                Column(header=("资源节约（年）", "节能（吨标准煤）"), field="energy", decimals=-1),
                                Column(header=("资源节约（年）", "节水（吨）"), field="water", decimals=-1),
                                Column(header=("污染物削减（年，产生量）", "COD（吨）"), field="cod", decimals=-1),
                                Column(header=("污染物削减（年，产生量）", "二氧化硫（吨）"), field="so2", decimals=-1),
                                Column(
                                    header=("污染物削减（年，产生量）", "氨氮（吨）"),
                                    field="ammonia_nitrogen",
                                    decimals=-1,
                                ),
                                Column(header=("污染物削减（年，产生量）", "氮氧化物（吨）"), field="nox", decimals=-1),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 依据“信息公开”：公开完成清洁生产审核的企业名单及其资源节约、"
                                "污染防治成效，接受社会监督。",
                                "2. 成效为截至当年年末已实施清洁生产方案的年效果，与当年汇总表一致；"
                                "污染物削减量按产生量计。",
                                f"3. {ENERGY_NOTE}",
                                "4. 公示期内，对名单及成效如有异议，请向公示单位反映（异议联系人、联系电话见下）。",
                            ),
                        ),
                        Grid(
                            rows=(
                                (
                                    gap,
                                    Text(text="公示单位：", style=label),
                                    Value(path="publisher", colspan=3, style="field_value"),
                                    Text(text="公示期：", style=label),
                                    Value(path="period_from", colspan=2, style="field_date"),
                                    Text(text="至", style=label),
                                    Value(path="period_to", colspan=2, style="field_date"),
                                    gap,
                                ),
                                (
                                    gap,
                                    Text(text="异议联系人：", style=label),
                                    Value(path="objection_contact", colspan=3, style="field_value"),
                                    Text(text="联系电话：", style=label),
                                    Value(path="objection_phone", colspan=6, style="field_value"),
                                ),
                            )
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: Disclosure) -> Iterable[Issue]:
        """Results are not negative, each audit was completed in the year published, and the notice period
        does not end before it starts."""
        if report.period_from and report.period_to and report.period_to < report.period_from:
            yield error(
                "guangdong.disclosure.period",
                f"公示期止（{report.period_to}）早于公示期起（{report.period_from}）",
                f"the notice period ends ({report.period_to}) before it starts ({report.period_from})",
                pointer=self.pointer("period_to"),
                source=DISCLOSURE,
            )
        for index, row in enumerate(report.rows):
            if row.enterprise in (None, "") or row.completed_on is None:
                yield error(
                    "guangdong.row.empty",
                    "企业名称和完成日期必须填写",
                    "the enterprise and the completion date are required",
                    pointer=self.pointer("rows", index, "enterprise" if not row.enterprise else "completed_on"),
                    source=DISCLOSURE,
                )
            elif row.completed_on.year != report.year:
                yield error(
                    "guangdong.disclosure.year",
                    f"{row.enterprise}的完成日期不在{report.year}年",
                    f"{row.enterprise} was not completed in {report.year}",
                    pointer=self.pointer("rows", index, "completed_on"),
                    source=DISCLOSURE,
                )
            for field in PUBLIC_FIELDS[5:]:
                amount = getattr(row, field)
                if amount is not None and amount < 0:
                    yield error(
                        "guangdong.disclosure.negative",
                        "成效数值不能为负数",
                        "a result must not be negative",
                        pointer=self.pointer("rows", index, field),
                        source=DISCLOSURE,
                    )
