"""Semantic checks of a dataset: what the schema cannot say.

Duplicate ids, unknown references, 统一社会信用代码 check characters, region and
industry codes, dates out of order, negative amounts, implemented proposals
without a completion date, pollutant reductions without a basis. Every check runs;
all issues are returned together.
"""

from __future__ import annotations

import datetime
import functools
import typing
from collections.abc import Callable, Collection, Iterator
from decimal import Decimal
from typing import Any

import attrs

from cpsdk.base._issues import Issue, error, warning
from cpsdk.codes import (
    MIIT_KEY_INDUSTRIES,
    is_industry,
    region_full_name,
    region_history,
    region_status,
    region_successors,
    uscc_problem,
)
from cpsdk.datasets._load import Loaded
from cpsdk.model._entities import KEY_FIELDS, RECORD_KINDS, Dataset
from cpsdk.model._vocabulary import AuditKind, ByproductKind, ProposalStatus

#: Pairs of date fields that must be in order (earlier, later), by record kind.
DATE_ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    "audits": (
        ("started_on", "report_filed_on"),
        ("started_on", "evaluated_on"),
        ("started_on", "accepted_on"),
        ("confirmed_on", "accepted_on"),
        ("evaluated_on", "accepted_on"),
        ("listed_on", "accepted_on"),
    ),
    "proposals": (("started_on", "completed_on"), ("completed_on", "accepted_on"), ("started_on", "accepted_on")),
    "agreements": (("signed_on", "rewarded_on"),),
    "environmental_reports": (("started_on", "completed_on"), ("completed_on", "published_on")),
    "agencies": (("registered_on", "withdrawn_on"),),
    "experts": (("joined_on", "left_on"),),
}

#: Fields that name a record of another kind: (kind, field) → target kind (named by its key field).
REFERENCES: dict[tuple[str, str], str] = {
    ("audits", "enterprise"): "enterprises",
    ("audits", "agency"): "agencies",
    ("proposals", "enterprise"): "enterprises",
    ("proposals", "audit"): "audits",
    ("effects", "proposal"): "proposals",
    ("discharges", "audit"): "audits",
    ("trainings", "enterprise"): "enterprises",
    ("demonstrations", "enterprise"): "enterprises",
    ("agreements", "enterprise"): "enterprises",
    ("environmental_reports", "enterprise"): "enterprises",
}


def semantic_issues(loaded: Loaded, known_tags: Collection[str] | None = None) -> list[Issue]:
    """Every semantic issue of a loaded dataset, pointing into the original input."""
    tags = set(known_tags) if known_tags is not None else {k.tag for k in MIIT_KEY_INDUSTRIES}
    checks: list[Callable[[Loaded], Iterator[Issue]]] = [
        _duplicates,
        _references,
        _codes,
        lambda lo: _tags(lo, tags),
        _dates,
        _amounts,
        _audits,
        _proposals,
        _effects,
        _others,
    ]
    return [issue for check in checks for issue in check(loaded)]


def _column(loaded: Loaded, kind: str, field: str) -> Iterator[Any]:
    """One field of every record of ``kind``, read from its column without making the records."""
    return loaded.dataset.records(kind).column(field)


def _columns(loaded: Loaded, kind: str, *fields: str) -> Iterator[tuple[Any, ...]]:
    """Several fields of every record of ``kind``, record by record."""
    return loaded.dataset.records(kind).columns(*fields)


def _has_field(kind: str, field: str) -> bool:
    return field in attrs.fields_dict(RECORD_KINDS[kind])


def _duplicates(loaded: Loaded) -> Iterator[Issue]:
    dataset = loaded.dataset
    for kind in RECORD_KINDS:
        key = KEY_FIELDS[kind]
        records = dataset.records(kind)
        for index in dataset.by_key(kind).repeats():
            value = records.value(index, key)
            yield error(
                "dataset.duplicate-id",
                f"编号重复：{value}",
                f"duplicate {key} {value!r} in {kind}",
                pointer=loaded.pointer(kind, index, key),
            )


def _references(loaded: Loaded) -> Iterator[Issue]:
    dataset = loaded.dataset
    for (kind, field), target in REFERENCES.items():
        known = dataset.by_key(target)
        last: Any = None
        for index, value in enumerate(_column(loaded, kind, field)):
            if value is None or value == last:  # the records naming one target often come together
                continue
            if value not in known:
                yield error(
                    "dataset.unknown-reference",
                    f"引用的记录不存在：{value}",
                    f"{field} {value!r} names no record in {target}",
                    pointer=loaded.pointer(kind, index, field),
                )
                continue
            last = value
    audits = dataset.by_key("audits")
    audit_records = dataset.records("audits")
    for index, (audit_id, enterprise) in enumerate(_columns(loaded, "proposals", "audit", "enterprise")):
        position = audits.position(audit_id) if audit_id else None
        if position is not None and audit_records.value(position, "enterprise") != enterprise:
            yield error(
                "dataset.enterprise-mismatch",
                "方案所属企业与其审核的企业不一致",
                "the proposal's enterprise differs from its audit's enterprise",
                pointer=loaded.pointer("proposals", index, "enterprise"),
            )


#: Distinct region codes remembered while checking (a hostile file could give millions).
_REMEMBERED_REGIONS = 1 << 14

#: Successors named in one retired-code warning; more are counted.
_NAMED_SUCCESSORS = 6


def _region_problem(region: str) -> tuple[str, str, str] | None:
    """(issue code, Chinese, English) for a region code not in force, None for one in force.

    A code no GB/T 2260 list since 1980 has is an error; a retired one a warning naming the
    year it went and the codes in force that cover its area now.
    """
    status = region_status(region)
    if status == "current":
        return None
    history = region_history(region) if status == "retired" else ()
    period = history[-1] if history else None
    if period is None or period.last_year is None:
        return (
            "code.region",
            f"行政区划代码不存在（1980 年以来的 GB/T 2260 代码表均无此代码）：{region}",
            f"unknown region code {region!r} (in no GB/T 2260 list since 1980)",
        )
    successors = region_successors(region)
    named = [f"{code}（{region_full_name(code) or code}）" for code in successors[:_NAMED_SUCCESSORS]]
    named_en = [f"{code} ({region_full_name(code) or code})" for code in successors[:_NAMED_SUCCESSORS]]
    more = len(successors) - len(named)
    zh = f"行政区划代码 {region}（{period.full_name}）已于 {period.last_year} 年撤销"
    en = f"region code {region!r} ({period.full_name}) was retired in {period.last_year}"
    if named:
        zh += "，现为 " + "、".join(named) + (f" 等 {len(successors)} 个" if more else "")
        en += "; now " + ", ".join(named_en) + (f" and {more} more" if more else "")
    else:
        zh += "，未记载承继代码"
        en += "; no successor is recorded"
    return ("code.region-retired", zh, en)


def _codes(loaded: Loaded) -> Iterator[Issue]:
    problems: dict[str, tuple[str, str, str] | None] = {}

    def problem_of(region: str) -> tuple[str, str, str] | None:
        if region in problems:
            return problems[region]
        problem = _region_problem(region)
        if len(problems) < _REMEMBERED_REGIONS:
            problems[region] = problem
        return problem

    for kind in RECORD_KINDS:
        fields = [field for field in ("uscc", "region", "industry") if _has_field(kind, field)]
        if not fields:
            continue
        for index, values in enumerate(_columns(loaded, kind, *fields)):
            found = dict(zip(fields, values, strict=True))
            uscc, region = found.get("uscc"), found.get("region")
            problem = uscc_problem(uscc) if isinstance(uscc, str) else None
            if problem is not None:
                yield error(
                    "code.uscc",
                    f"统一社会信用代码{problem[0]}：{uscc}",
                    f"unified social credit code {uscc!r} {problem[1]}",
                    pointer=loaded.pointer(kind, index, "uscc"),
                    source="GB 32100-2015",
                )
            region_problem = problem_of(region) if isinstance(region, str) else None
            if region_problem is not None:
                code, zh, en = region_problem
                report = error if code == "code.region" else warning
                yield report(code, zh, en, pointer=loaded.pointer(kind, index, "region"), source="GB/T 2260")
            if kind == "enterprises" and not is_industry(found["industry"]):
                yield error(
                    "code.industry",
                    f"国民经济行业代码不存在：{found['industry']}",
                    f"unknown industry code {found['industry']!r}",
                    pointer=loaded.pointer(kind, index, "industry"),
                    source="GB/T 4754-2017",
                )


def _tags(loaded: Loaded, known: set[str]) -> Iterator[Issue]:
    for index, tags in enumerate(_column(loaded, "enterprises", "key_industries")):
        for position, tag in enumerate(tags):
            if tag not in known:
                yield warning(
                    "code.key-industry",
                    f"未知的重点行业标签：{tag}",
                    f"unknown key-industry tag {tag!r}",
                    pointer=loaded.pointer("enterprises", index, "key_industries", position),
                )


def _dates(loaded: Loaded) -> Iterator[Issue]:
    for kind, pairs in DATE_ORDER.items():
        labels = {field.name: field.metadata["zh"] for field in attrs.fields(RECORD_KINDS[kind])}
        names = sorted({name for pair in pairs for name in pair})
        for index, values in enumerate(_columns(loaded, kind, *names)):
            dates: dict[str, datetime.date | None] = dict(zip(names, values, strict=True))
            for earlier, later in pairs:
                first, second = dates[earlier], dates[later]
                if first is not None and second is not None and second < first:
                    yield error(
                        "dataset.date-order",
                        f"{labels[later]}（{second}）早于{labels[earlier]}（{first}）",
                        f"{later} ({second}) is before {earlier} ({first})",
                        pointer=loaded.pointer(kind, index, later),
                    )


def _amounts(loaded: Loaded) -> Iterator[Issue]:
    for kind, cls in RECORD_KINDS.items():
        fields = _number_fields()[cls]
        if not fields:
            continue
        for index, values in enumerate(_columns(loaded, kind, *(name for name, _, _ in fields))):
            for (name, zh, yearly), value in zip(fields, values, strict=True):
                for number in (item.amount for item in value) if yearly else (value,):
                    if number is not None and number < 0:
                        yield error(
                            "dataset.negative",
                            f"{zh}不能为负数：{number}",
                            f"{name} must not be negative: {number}",
                            pointer=loaded.pointer(kind, index, name),
                        )


@functools.cache
def _number_fields() -> dict[type, tuple[tuple[str, str, bool], ...]]:
    """Each record class's amount and count fields: (name, Chinese label, holds yearly amounts)."""
    return {cls: _numbers_of(cls) for cls in RECORD_KINDS.values()}


def _numbers_of(cls: type) -> tuple[tuple[str, str, bool], ...]:
    hints = typing.get_type_hints(cls)
    found = []
    for field in attrs.fields(cls):
        hint = hints[field.name]
        types = {hint, *typing.get_args(hint)}
        if field.name == "output_values":
            found.append((field.name, field.metadata["zh"], True))
        elif Decimal in types or int in types:
            found.append((field.name, field.metadata["zh"], False))
    return tuple(found)


def _audits(loaded: Loaded) -> Iterator[Issue]:
    for index, audit in enumerate(loaded.dataset.audits):
        if audit.kind is AuditKind.MANDATORY and not audit.grounds:
            yield warning(
                "audit.no-grounds",
                "强制性审核未注明依据",
                "a mandatory audit states no grounds",
                pointer=loaded.pointer("audits", index, "grounds"),
            )
        if audit.kind is AuditKind.VOLUNTARY and audit.grounds:
            yield warning(
                "audit.voluntary-grounds",
                "自愿性审核不应有强制性审核依据",
                "a voluntary audit has grounds for a mandatory one",
                pointer=loaded.pointer("audits", index, "grounds"),
            )
        for date_name, result_name, zh in (
            ("evaluated_on", "evaluation", "评估"),
            ("accepted_on", "acceptance", "验收"),
        ):
            has_date = getattr(audit, date_name) is not None
            has_result = getattr(audit, result_name) is not None
            if has_date != has_result:
                missing = result_name if has_date else date_name
                yield warning(
                    "audit.incomplete-outcome",
                    f"{zh}日期与{zh}结果应同时填写",
                    f"{date_name} and {result_name} go together",
                    pointer=loaded.pointer("audits", index, missing),
                )


#: The fields of a proposal its own checks read.
_PROPOSAL_FIELDS = ("status", "completed_on", "accepted_on", "audit", "from_catalogue", "investment")
_SUPPORT_FIELDS = ("support_national", "support_provincial", "support_local")


def _proposals(loaded: Loaded) -> Iterator[Issue]:
    rows = _columns(loaded, "proposals", *_PROPOSAL_FIELDS, *_SUPPORT_FIELDS)
    for index, (status, completed_on, accepted_on, audit, from_catalogue, investment, *supports) in enumerate(rows):
        if status is ProposalStatus.COMPLETED and completed_on is None:
            yield error(
                "proposal.no-completion-date",
                "已完成的方案缺少完成日期",
                "a completed proposal has no completion date",
                pointer=loaded.pointer("proposals", index, "completed_on"),
            )
        if accepted_on is not None and status is not ProposalStatus.COMPLETED:
            yield error(
                "proposal.accepted-not-completed",
                "未完成的方案不能有验收日期",
                "a proposal that is not completed cannot have been accepted",
                pointer=loaded.pointer("proposals", index, "accepted_on"),
            )
        if completed_on is not None and status not in (ProposalStatus.COMPLETED,):
            yield warning(
                "proposal.completion-date-status",
                "方案有完成日期但状态不是已完成",
                "a proposal has a completion date but is not marked completed",
                pointer=loaded.pointer("proposals", index, "status"),
            )
        if audit is None and not from_catalogue:
            yield warning(
                "proposal.no-source",
                "方案既不来自审核，也未采用推广目录技术",
                "a proposal neither comes from an audit nor adopts a catalogue technology",
                pointer=loaded.pointer("proposals", index, "audit"),
            )
        support = sum((x for x in supports if x is not None), Decimal(0))
        if investment is not None and support > investment:
            yield warning(
                "proposal.support-exceeds-investment",
                "财政资金支持额超过投资额",
                "fiscal support exceeds the investment",
                pointer=loaded.pointer("proposals", index, "investment"),
            )


def _effects(loaded: Loaded) -> Iterator[Issue]:
    for index, (metric, basis) in enumerate(_columns(loaded, "effects", "metric", "basis")):
        if metric.pollutant and basis is None:
            yield error(
                "effect.no-basis",
                "污染物削减量须注明产生量或排放量口径",
                "a pollutant reduction must state whether it is of generation or of discharge",
                pointer=loaded.pointer("effects", index, "basis"),
            )
        if not metric.pollutant and basis is not None:
            yield warning(
                "effect.basis-not-pollutant",
                "非污染物指标不应注明削减口径",
                "a basis applies to pollutants only",
                pointer=loaded.pointer("effects", index, "basis"),
            )


def _others(loaded: Loaded) -> Iterator[Issue]:
    dataset: Dataset = loaded.dataset
    for index, training in enumerate(dataset.trainings):
        if training.head_person_times > training.person_times:
            yield error(
                "training.heads-exceed-total",
                "企业负责人参加人次不能超过参加培训总人次",
                "head person-times exceed the total person-times",
                pointer=loaded.pointer("trainings", index, "head_person_times"),
            )
    for index, use in enumerate(dataset.byproducts):
        if use.kind is ByproductKind.OTHER and not use.name:
            yield warning(
                "byproduct.unnamed",
                "其他种类的资源综合利用应注明名称",
                "a by-product of another kind should be named",
                pointer=loaded.pointer("byproducts", index, "name"),
            )
    for index, discharge in enumerate(dataset.discharges):
        if discharge.after > discharge.before:
            yield warning(
                "discharge.increased",
                "审核后排放量高于审核前",
                "discharge after the audit is higher than before",
                pointer=loaded.pointer("discharges", index, "after"),
            )
