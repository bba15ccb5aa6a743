"""The core model: enterprises, audits, proposals, effects and programme records.

All records are frozen attrs classes. Records name each other by id: an audit,
a proposal or an agreement names its enterprise by 统一社会信用代码 (``uscc``); a
proposal names its audit by the audit's ``id``; an effect names its proposal.
Amounts are exact :class:`~decimal.Decimal` values in the unit each field documents.

A :class:`Dataset`'s collections are :class:`~cpsdk.Records` sequences, whatever sequence
they were given as: records held column by column and made into objects as they are read,
so that the whole country's records fit in a few hundred megabytes. Iterating twice gives
equal records, not the same objects; a record's place is its position (see
:meth:`Dataset.position`). The indexes (``proposal_by_id``, ``effects_by_proposal``, …) are
made on first use and kept with the dataset.
"""

from __future__ import annotations

import datetime
import functools
import itertools
from collections.abc import Callable, Container, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from cpsdk.base._issues import json_pointer
from cpsdk.model._fields import describe, titled, titles
from cpsdk.model._quantity import Unit
from cpsdk.model._vocabulary import (
    Audience,
    AuditKind,
    AuditTrack,
    Basis,
    ByproductKind,
    CleanerProductionLevel,
    CostClass,
    DemonstrationKind,
    Level,
    MandatoryGround,
    Metric,
    Outcome,
    ProposalStatus,
)
from cpsdk.store._key_index import RecordGroups, RecordsByKey
from cpsdk.store._records import DeferredRecords, Records

ID = {"minLength": 1, "maxLength": 64}
NAME = {"minLength": 1, "maxLength": 200}
TEXT = {"maxLength": 32767}
REGION = {"pattern": "^[0-9]{6}$"}
USCC = {"pattern": "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"}
NON_NEGATIVE = {"minimum": 0}
YEAR = {"minimum": 1990, "maximum": 2100}


@titled("年度数值", "Amount for a year")
@attrs.frozen(kw_only=True)
class YearAmount:
    """An amount that belongs to one year (e.g. output value in 2015)."""

    year: int = describe("年份", "Year", schema=YEAR)
    amount: Decimal = describe("数值", "Amount", unit=Unit.TEN_THOUSAND_YUAN, schema=NON_NEGATIVE)


@titled("企业", "Enterprise")
@attrs.frozen(kw_only=True)
class Enterprise:
    """An industrial enterprise, identified by its 统一社会信用代码."""

    uscc: str = describe("统一社会信用代码", "Unified social credit code (GB 32100)", schema=USCC)
    name: str = describe("企业名称", "Enterprise name", schema=NAME)
    region: str = describe("所在地区划代码", "Region code (GB/T 2260)", schema=REGION)
    industry: str = describe(
        "所属行业代码",
        "Industry code (GB/T 4754-2017)",
        schema={"pattern": "^[0-9]{2,4}$"},
    )
    key_industries: tuple[str, ...] = describe(
        "重点行业标签",
        "Key-industry tags",
        factory=tuple,
        about_zh="行业代码不能区分时用标签标明，如铬盐、电石法聚氯乙烯",
        about_en="Tags for key industries a code cannot tell apart, e.g. chromium salts",
    )
    above_scale: bool = describe("规模以上工业企业", "Above designated size", default=False)
    key_monitored: bool = describe("重点监控企业", "On a key energy or environmental monitoring list", default=False)
    basin: str | None = describe("所在流域", "River basin", default=None, schema=NAME)
    park: str | None = describe("所在园区", "Industrial park", default=None, schema=NAME)
    address: str | None = describe("地址", "Address", default=None, schema=TEXT)
    contact_person: str | None = describe("联系人", "Contact person", default=None, schema=NAME)
    contact_phone: str | None = describe("联系电话", "Contact phone", default=None, schema={"maxLength": 64})
    main_products: tuple[str, ...] = describe("主要产品", "Main products", factory=tuple)
    main_pollutants: tuple[str, ...] = describe("主要污染物", "Main pollutants", factory=tuple)
    output_values: tuple[YearAmount, ...] = describe("工业产值", "Industrial output value by year", factory=tuple)

    def output_value(self, year: int) -> Decimal | None:
        """Output value (万元) in ``year``, if recorded."""
        return next((item.amount for item in self.output_values if item.year == year), None)


@titled("清洁生产审核", "Cleaner-production audit")
@attrs.frozen(kw_only=True)
class Audit:
    """One round of an enterprise's cleaner-production audit, from listing to acceptance."""

    id: str = describe("审核编号", "Audit id", schema=ID)
    enterprise: str = describe("企业统一社会信用代码", "Enterprise (USCC)", schema=USCC)
    kind: AuditKind = describe("审核类型", "Voluntary or mandatory")
    grounds: tuple[MandatoryGround, ...] = describe("强制性审核依据", "Grounds of a mandatory audit", factory=tuple)
    round: int = describe("审核轮次", "Audit round", default=1, schema={"minimum": 1, "maximum": 99})
    track: AuditTrack | None = describe("审核方式", "Audit track (Guangdong)", default=None)
    planned_year: int | None = describe("计划实施年度", "Year the audit is planned for", default=None, schema=YEAR)
    listed_on: datetime.date | None = describe("列入审核名单日期", "Date listed for audit", default=None)
    deadline: datetime.date | None = describe("完成期限", "Deadline", default=None)
    started_on: datetime.date | None = describe("审核启动日期", "Date started", default=None)
    confirmed_on: datetime.date | None = describe(
        "主管部门确认日期",
        "Date the authority confirmed the audit",
        default=None,
        about_zh="企业经主管部门确认开展审核的日期",
        about_en="An enterprise counts as auditing once the authority confirms it",
    )
    report_filed_on: datetime.date | None = describe("审核报告备案日期", "Date the report was filed", default=None)
    evaluated_on: datetime.date | None = describe("审核报告评估日期", "Date the report was evaluated", default=None)
    evaluation: Outcome | None = describe("评估结果", "Evaluation result", default=None)
    accepted_on: datetime.date | None = describe(
        "实施效果验收日期", "Date the implementation effect was accepted", default=None
    )
    acceptance: Outcome | None = describe("验收结果", "Acceptance result", default=None)
    recommended_on: datetime.date | None = describe(
        "推荐日期", "Date the city recommended it for the provincial title (Guangdong)", default=None
    )
    level: CleanerProductionLevel | None = describe(
        "达到的清洁生产水平", "Cleaner-production level reached", default=None
    )
    agency: str | None = describe("咨询机构编号", "Consultancy agency id", default=None, schema=ID)
    note: str | None = describe("备注", "Note", default=None, schema=TEXT)

    @property
    def evaluated(self) -> bool:
        """True when the audit report passed evaluation (评估)."""
        return self.evaluation is Outcome.PASSED and self.evaluated_on is not None

    @property
    def accepted(self) -> bool:
        """True when the implementation effect passed acceptance (验收)."""
        return self.acceptance is Outcome.PASSED and self.accepted_on is not None


@titled("清洁生产方案", "Proposal or retrofit project")
@attrs.frozen(kw_only=True)
class Proposal:
    """A proposal found by an audit, or a retrofit project (possibly from a catalogue technology)."""

    id: str = describe("方案编号", "Proposal id", schema=ID)
    enterprise: str = describe("企业统一社会信用代码", "Enterprise (USCC)", schema=USCC)
    audit: str | None = describe("审核编号", "Audit id (none for a retrofit outside an audit)", default=None, schema=ID)
    code: str | None = describe("方案序号", "Number in the audit report, e.g. WD1, ZG2", default=None, schema=ID)
    name: str = describe("方案（项目）名称", "Proposal or project name", schema=NAME)
    content: str | None = describe("方案内容", "What it does", default=None, schema=TEXT)
    cost_class: CostClass = describe("方案类别", "No/low cost or mid/high cost")
    from_catalogue: bool = describe(
        "采用推广目录技术", "Adopts a technology from a national promotion catalogue", default=False
    )
    catalogue: str | None = describe("技术目录名称", "Catalogue name", default=None, schema=NAME)
    investment: Decimal | None = describe(
        "投资额", "Investment", default=None, unit=Unit.TEN_THOUSAND_YUAN, schema=NON_NEGATIVE
    )
    support_national: Decimal | None = describe(
        "中央财政资金支持", "Central fiscal support", default=None, unit=Unit.TEN_THOUSAND_YUAN, schema=NON_NEGATIVE
    )
    support_provincial: Decimal | None = describe(
        "省级财政资金支持", "Provincial fiscal support", default=None, unit=Unit.TEN_THOUSAND_YUAN, schema=NON_NEGATIVE
    )
    support_local: Decimal | None = describe(
        "地方财政资金支持", "Local fiscal support", default=None, unit=Unit.TEN_THOUSAND_YUAN, schema=NON_NEGATIVE
    )
    status: ProposalStatus = describe("实施状态", "Status", default=ProposalStatus.PROPOSED)
    planned_year: int | None = describe("计划实施年度", "Year the project is planned for", default=None, schema=YEAR)
    planned_completion: datetime.date | None = describe("计划完成时间", "Planned completion", default=None)
    progress: str | None = describe("项目进度", "Progress", default=None, schema=TEXT)
    started_on: datetime.date | None = describe("开工日期", "Date started", default=None)
    completed_on: datetime.date | None = describe("完成日期", "Date completed", default=None)
    accepted_on: datetime.date | None = describe("验收日期", "Date its effect was accepted", default=None)


@titled("方案效果", "Effect of a proposal")
@attrs.frozen(kw_only=True)
class Effect:
    """A yearly effect of a proposal: a pollutant reduced, a resource saved, or a benefit."""

    id: str = describe("效果编号", "Effect id", schema=ID)
    proposal: str = describe("方案编号", "Proposal id", schema=ID)
    metric: Metric = describe("指标", "Metric")
    basis: Basis | None = describe(
        "削减口径",
        "Reduction of generation or of discharge (pollutants only)",
        default=None,
        about_zh="污染物削减量须注明是产生量还是排放量，二者不得混用",
        about_en="Generation and discharge reductions must never be mixed",
    )
    amount: Decimal = describe(
        "年数量",
        "Yearly amount, in the metric's unit",
        unit_from="metric",
        about_zh="单位随指标：污染物、水、煤为吨，节能为吨标准煤，节电为度，经济效益为万元",
        about_en="Unit by metric: tonnes for pollutants, water and coal; tce for energy; kWh; 万元 for benefit",
        schema=NON_NEGATIVE,
    )
    verified: bool = describe("经核实", "Verified by the authority", default=False)
    note: str | None = describe("备注", "Note", default=None, schema=TEXT)


@titled("污染物排放", "Pollutant discharge before and after an audit")
@attrs.frozen(kw_only=True)
class Discharge:
    """Yearly discharge of one pollutant before and after an audit (DB37/T 1086-2008)."""

    id: str = describe("记录编号", "Record id", schema=ID)
    audit: str = describe("审核编号", "Audit id", schema=ID)
    pollutant: Metric = describe("污染物", "Pollutant")
    before: Decimal = describe("审核前排放量", "Discharge before", unit=Unit.TONNE, schema=NON_NEGATIVE)
    after: Decimal = describe("审核后排放量", "Discharge after", unit=Unit.TONNE, schema=NON_NEGATIVE)


@titled("培训", "Training")
@attrs.frozen(kw_only=True)
class Training:
    """A cleaner-production training and who attended it."""

    id: str = describe("培训编号", "Training id", schema=ID)
    region: str = describe("地区代码", "Region code", schema=REGION)
    held_on: datetime.date = describe("培训日期", "Date held")
    audience: Audience = describe("培训对象", "Audience")
    enterprise: str | None = describe("企业统一社会信用代码", "Enterprise trained (USCC)", default=None, schema=USCC)
    internal: bool = describe("企业内部培训", "Held inside the enterprise", default=False)
    person_times: int = describe("参加培训人次", "Person-times trained", schema=NON_NEGATIVE)
    head_person_times: int = describe(
        "企业负责人参加人次", "Person-times of enterprise heads", default=0, schema=NON_NEGATIVE
    )
    title: str | None = describe("培训名称", "Title", default=None, schema=NAME)


@titled("示范", "Demonstration title")
@attrs.frozen(kw_only=True)
class Demonstration:
    """A demonstration enterprise, park or project title granted at a level."""

    id: str = describe("示范编号", "Title id", schema=ID)
    kind: DemonstrationKind = describe("示范类型", "Enterprise, park or project")
    level: Level = describe("级别", "Level")
    name: str = describe("名称", "Name", schema=NAME)
    region: str = describe("地区代码", "Region code", schema=REGION)
    enterprise: str | None = describe("企业统一社会信用代码", "Enterprise (USCC)", default=None, schema=USCC)
    granted_on: datetime.date = describe("授予日期", "Date granted")


@titled("咨询机构", "Consultancy agency")
@attrs.frozen(kw_only=True)
class Agency:
    """A cleaner-production consultancy agency."""

    id: str = describe("机构编号", "Agency id", schema=ID)
    name: str = describe("机构名称", "Name", schema=NAME)
    region: str = describe("地区代码", "Region code", schema=REGION)
    uscc: str | None = describe("统一社会信用代码", "USCC", default=None, schema=USCC)
    staff: int = describe("从业人数", "Staff", default=0, schema=NON_NEGATIVE)
    registered_on: datetime.date | None = describe("登记日期", "Date registered", default=None)
    withdrawn_on: datetime.date | None = describe("退出日期", "Date withdrawn", default=None)


@titled("专家", "Expert")
@attrs.frozen(kw_only=True)
class Expert:
    """A member of an industrial cleaner-production expert pool (专家库)."""

    id: str = describe("专家编号", "Expert id", schema=ID)
    name: str = describe("姓名", "Name", schema=NAME)
    region: str = describe("专家库所属地区代码", "Region of the pool", schema=REGION)
    specialties: tuple[str, ...] = describe("专业领域", "Specialties", factory=tuple)
    joined_on: datetime.date | None = describe("入库日期", "Date joined", default=None)
    left_on: datetime.date | None = describe("出库日期", "Date left", default=None)


@titled("自愿削减协议", "Voluntary reduction agreement")
@attrs.frozen(kw_only=True)
class Agreement:
    """An enterprise's voluntary agreement to reduce pollutants further."""

    id: str = describe("协议编号", "Agreement id", schema=ID)
    enterprise: str = describe("企业统一社会信用代码", "Enterprise (USCC)", schema=USCC)
    signed_on: datetime.date = describe("签订日期", "Date signed")
    rewarded_on: datetime.date | None = describe("获得奖励或支持日期", "Date rewarded or supported", default=None)
    reward: str | None = describe("奖励和支持内容", "Reward or support", default=None, schema=TEXT)


@titled("规范性文件", "Policy document")
@attrs.frozen(kw_only=True)
class Document:
    """A normative document on cleaner production issued by an authority."""

    id: str = describe("文件编号", "Document id", schema=ID)
    title: str = describe("文件名称", "Title", schema=NAME)
    number: str | None = describe("文号", "Document number", default=None, schema=NAME)
    issued_on: datetime.date = describe("发布日期", "Date issued")
    region: str = describe("发布地区代码", "Region of the issuer", schema=REGION)
    issuer: str | None = describe("发布机关", "Issuer", default=None, schema=NAME)


@titled("资源综合利用", "By-product use")
@attrs.frozen(kw_only=True)
class ByproductUse:
    """By-products put to use in a year (资源综合利用)."""

    id: str = describe("记录编号", "Record id", schema=ID)
    region: str = describe("地区代码", "Region code", schema=REGION)
    enterprise: str | None = describe("企业统一社会信用代码", "Enterprise (USCC)", default=None, schema=USCC)
    year: int = describe("年度", "Year", schema=YEAR)
    kind: ByproductKind = describe("种类", "Kind")
    name: str | None = describe("名称", "Name, for other kinds", default=None, schema=NAME)
    amount: Decimal = describe("年利用量", "Amount used", unit=Unit.TONNE, schema=NON_NEGATIVE)


@titled("企业环境报告书", "Enterprise environmental report")
@attrs.frozen(kw_only=True)
class EnvironmentalReport:
    """An enterprise's environmental report (企业环境报告书, DB37/T 1086-2008): its compilation and
    publication, as Shandong counts them (“57家试点企业开展报告书编制……38家企业完成编制工作，并向社会发布”)."""

    id: str = describe("报告书编号", "Report id", schema=ID)
    enterprise: str = describe("企业统一社会信用代码", "Enterprise (USCC)", schema=USCC)
    year: int | None = describe("报告年度", "Year reported on", default=None, schema=YEAR)
    pilot: bool = describe("编制试点企业", "A pilot enterprise of the province's compilation", default=False)
    started_on: datetime.date = describe("开始编制日期", "Date compilation started")
    completed_on: datetime.date | None = describe("编制完成日期", "Date compilation completed", default=None)
    published_on: datetime.date | None = describe("向社会发布日期", "Date published", default=None)

    @property
    def published(self) -> bool:
        """Compiled and published to the public."""
        return self.completed_on is not None and self.published_on is not None


#: Dataset format version written by :func:`cpsdk.dump`.
DATASET_VERSION = "1.0"


# Each collection holds any iterable of its records as Records. One named function per kind, because
# mypy's attrs plugin types a field's __init__ argument from its converter only when the converter is one.


def _enterprises(records: Iterable[Enterprise] = ()) -> Records[Enterprise]:
    return Records.of(Enterprise, records)


def _audits(records: Iterable[Audit] = ()) -> Records[Audit]:
    return Records.of(Audit, records)


def _proposals(records: Iterable[Proposal] = ()) -> Records[Proposal]:
    return Records.of(Proposal, records)


def _effects(records: Iterable[Effect] = ()) -> Records[Effect]:
    return Records.of(Effect, records)


def _discharges(records: Iterable[Discharge] = ()) -> Records[Discharge]:
    return Records.of(Discharge, records)


def _trainings(records: Iterable[Training] = ()) -> Records[Training]:
    return Records.of(Training, records)


def _demonstrations(records: Iterable[Demonstration] = ()) -> Records[Demonstration]:
    return Records.of(Demonstration, records)


def _agencies(records: Iterable[Agency] = ()) -> Records[Agency]:
    return Records.of(Agency, records)


def _experts(records: Iterable[Expert] = ()) -> Records[Expert]:
    return Records.of(Expert, records)


def _agreements(records: Iterable[Agreement] = ()) -> Records[Agreement]:
    return Records.of(Agreement, records)


def _documents(records: Iterable[Document] = ()) -> Records[Document]:
    return Records.of(Document, records)


def _byproducts(records: Iterable[ByproductUse] = ()) -> Records[ByproductUse]:
    return Records.of(ByproductUse, records)


def _environmental_reports(records: Iterable[EnvironmentalReport] = ()) -> Records[EnvironmentalReport]:
    return Records.of(EnvironmentalReport, records)


@titled("清洁生产数据集", "Cleaner-production dataset")
@attrs.frozen(kw_only=True)
class Dataset:
    """Every record a report may be built from. Collections keep the input's order."""

    # (This docstring is the schema's description; how the collections are held is in the module's.)

    version: str = describe("格式版本", "Format version", default=DATASET_VERSION, schema={"const": DATASET_VERSION})
    enterprises: Records[Enterprise] = attrs.field(
        factory=_enterprises, converter=_enterprises, metadata=titles("企业", "Enterprises")
    )
    audits: Records[Audit] = attrs.field(factory=_audits, converter=_audits, metadata=titles("审核", "Audits"))
    proposals: Records[Proposal] = attrs.field(
        factory=_proposals, converter=_proposals, metadata=titles("方案", "Proposals and retrofit projects")
    )
    effects: Records[Effect] = attrs.field(
        factory=_effects, converter=_effects, metadata=titles("方案效果", "Effects of proposals")
    )
    discharges: Records[Discharge] = attrs.field(
        factory=_discharges,
        converter=_discharges,
        metadata=titles("审核前后排放", "Discharges before and after audits"),
    )
    trainings: Records[Training] = attrs.field(
        factory=_trainings, converter=_trainings, metadata=titles("培训", "Trainings")
    )
    demonstrations: Records[Demonstration] = attrs.field(
        factory=_demonstrations, converter=_demonstrations, metadata=titles("示范", "Demonstration titles")
    )
    agencies: Records[Agency] = attrs.field(
        factory=_agencies, converter=_agencies, metadata=titles("咨询机构", "Consultancy agencies")
    )
    experts: Records[Expert] = attrs.field(factory=_experts, converter=_experts, metadata=titles("专家", "Experts"))
    agreements: Records[Agreement] = attrs.field(
        factory=_agreements, converter=_agreements, metadata=titles("自愿削减协议", "Voluntary agreements")
    )
    documents: Records[Document] = attrs.field(
        factory=_documents, converter=_documents, metadata=titles("规范性文件", "Policy documents")
    )
    byproducts: Records[ByproductUse] = attrs.field(
        factory=_byproducts, converter=_byproducts, metadata=titles("资源综合利用", "By-product use")
    )
    environmental_reports: Records[EnvironmentalReport] = attrs.field(
        factory=_environmental_reports,
        converter=_environmental_reports,
        metadata=titles("企业环境报告书", "Enterprise environmental reports"),
    )

    def records(self, kind: str) -> Records[Any]:
        """The collection named ``kind`` (``"proposals"``, …; see :data:`RECORD_KINDS`)."""
        if kind not in RECORD_KINDS:
            raise KeyError(kind)
        collection: Records[Any] = getattr(self, kind)
        return collection

    def by_key(self, kind: str) -> RecordsByKey[Any]:
        """The records of collection ``kind`` by their key: 统一社会信用代码 for enterprises, ``id`` for the
        rest (the first wins on a duplicate). Made on first use and kept."""
        index = self._indexes.get(kind)
        if index is None:
            index = self._indexes[kind] = RecordsByKey(self.records(kind), KEY_FIELDS[kind])
        return index

    def position(self, kind: str, record: Any) -> int | None:
        """Where ``record`` is in collection ``kind``: the position of the first equal record with its key.

        Records are made anew each time they are read, so a record's place is found by its key and
        contents, never by its identity.
        """
        collection = self.records(kind)
        for position in self.by_key(kind).positions(getattr(record, KEY_FIELDS[kind], None)):
            if collection[position] == record:
                return position
        return None

    def pointer(self, kind: str, record: Any) -> str | None:
        """The JSON pointer of ``record`` in this dataset (``/effects/12``), for an issue about it; None
        when it is not one of collection ``kind``'s records."""
        position = self.position(kind, record)
        return None if position is None else json_pointer(kind, position)

    def pointer_from(self, view: Dataset | Records[Any], kind: str, position: int) -> str | None:
        """The JSON pointer in this dataset of the record at ``position`` of ``view``'s collection ``kind``, where
        ``view`` was taken from this dataset (:meth:`in_region`), or of ``view`` itself when it is some records
        picked from this dataset's collection ``kind``: found from where the record is stored, without an index
        of the collection's keys (:meth:`pointer` builds one: for the whole country's effects, seconds). None when
        it is not one of this dataset's records."""
        records = view if isinstance(view, Records) else view.records(kind)
        found = records.position_in(self.records(kind), position)
        return None if found is None else json_pointer(kind, found)

    @functools.cached_property
    def _indexes(self) -> dict[str, Any]:
        return {}

    @property
    def enterprise_by_uscc(self) -> Mapping[str, Enterprise]:
        """Enterprises by 统一社会信用代码 (the first wins on a duplicate)."""
        return self.by_key("enterprises")

    @property
    def audit_by_id(self) -> Mapping[str, Audit]:
        """Audits by id."""
        return self.by_key("audits")

    @property
    def proposal_by_id(self) -> Mapping[str, Proposal]:
        """Proposals by id."""
        return self.by_key("proposals")

    @functools.cached_property
    def effects_by_proposal(self) -> RecordGroups[Effect]:
        """Effects grouped by the proposal they belong to (a tuple of them for each proposal id named)."""
        return RecordGroups(self.records("effects"), "proposal")

    def in_region(self, region: str) -> Dataset:
        """Only the records that belong to ``region`` (a 2-, 4- or 6-digit prefix of GB/T 2260).

        Audits, proposals, effects, discharges, agreements and environmental reports follow their
        enterprise. The collections returned share this dataset's storage; those besides the enterprises, audits
        and proposals are found when first read (a build that needs only some proposals' effects asks
        :meth:`effects_naming` for them).
        """

        def where(kind: str, field: str, keep: Callable[[Any], bool]) -> Records[Any]:
            return self.records(kind).where(field, keep)

        def later(kind: str, field: str, keep: Callable[[], Callable[[Any], bool]]) -> Records[Any]:
            """The records of ``kind`` whose ``field`` passes ``keep()``, found when first read."""
            return DeferredRecords(self.records(kind), lambda: where(kind, field, keep()))

        def in_region(code: Any) -> bool:
            return isinstance(code, str) and code.startswith(region)

        enterprises = where("enterprises", "region", in_region)
        usccs = set(enterprises.column("uscc"))
        proposals = where("proposals", "enterprise", usccs.__contains__)
        audits = where("audits", "enterprise", usccs.__contains__)
        return attrs.evolve(
            self,
            enterprises=enterprises,
            audits=audits,
            proposals=proposals,
            effects=DeferredRecords(self.records("effects"), lambda: self._effects_of(proposals)),
            discharges=later("discharges", "audit", lambda: set(audits.column("id")).__contains__),
            trainings=later("trainings", "region", lambda: in_region),
            demonstrations=later("demonstrations", "region", lambda: in_region),
            agencies=later("agencies", "region", lambda: in_region),
            experts=later("experts", "region", lambda: in_region),
            agreements=later("agreements", "enterprise", lambda: usccs.__contains__),
            documents=later("documents", "region", lambda: in_region),
            byproducts=later("byproducts", "region", lambda: in_region),
            environmental_reports=later("environmental_reports", "enterprise", lambda: usccs.__contains__),
        )

    def effects_naming(self, proposal_ids: Container[Any]) -> Records[Effect]:
        """The effects whose proposal is one of ``proposal_ids``, in order: ids of this dataset's proposals (an id
        of a proposal it does not hold may find effects it does not hold either, in a part of a dataset made by
        :meth:`in_region`, whose effects are found when first read: this finds its effects in the whole's
        without finding all of the part's first)."""
        effects = self.effects
        within = effects.pick_from if isinstance(effects, DeferredRecords) else effects
        return within.where("proposal", proposal_ids.__contains__)

    def _effects_of(self, proposals: Records[Proposal]) -> Records[Effect]:
        """The effects naming any of ``proposals``' ids, in this dataset's order: for a part of the country, through a
        set of its proposals' ids; for most of it, through the effects' grouping by proposal (a set of the whole
        country's ids would take 100 MB)."""
        effects = self.records("effects")
        if len(proposals) * 2 <= len(self.records("proposals")):
            # A part of the country: its ids in a set, tested once per distinct proposal the effects name.
            ids = set(proposals.column("id"))
            return effects.where("proposal", ids.__contains__)
        groups = self.effects_by_proposal
        chosen = bytearray(len(effects))
        for proposal_id in proposals.column("id"):
            for position in groups.positions(proposal_id):
                chosen[position] = 1
        return effects.take(itertools.compress(range(len(effects)), chosen))


#: The record kinds of a dataset: collection name → record class.
RECORD_KINDS: dict[str, type[Any]] = {
    "enterprises": Enterprise,
    "audits": Audit,
    "proposals": Proposal,
    "effects": Effect,
    "discharges": Discharge,
    "trainings": Training,
    "demonstrations": Demonstration,
    "agencies": Agency,
    "experts": Expert,
    "agreements": Agreement,
    "documents": Document,
    "byproducts": ByproductUse,
    "environmental_reports": EnvironmentalReport,
}

#: The field that identifies a record of each kind (and that other records name it by).
KEY_FIELDS: dict[str, str] = {kind: "uscc" if kind == "enterprises" else "id" for kind in RECORD_KINDS}
