"""Semantic checks of a dataset: what the schema cannot say.

Duplicate ids, unknown references, 统一社会信用代码 check characters, region and
industry codes, dates out of order, negative amounts, implemented proposals
without a completion date, pollutant reductions without a basis. Every check runs;
all issues are returned together.

Each check works on whole columns (``Records.positions``: a test called once per distinct
value, or combination of values, that the records hold; ``Records.positions_with_text``: the
rows of a packed column whose text holds a character, such as a negative amount's ``-``;
sets of ids for duplicates and references), and makes issues only for the few records that
fail, with the codes, messages, pointers and order that checking record by record gives
(``tests/_checks_reference.py`` keeps that way, and the tests compare the two). A check whose
values are not what a loaded dataset holds (ids that are not text) goes record by record.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import operator
import re
import typing
from collections.abc import Callable, Collection, Iterable, Iterator
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
from cpsdk.store._records import VECTOR_FROM, Records

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
    keys = _Keys(loaded.dataset)
    checks: list[Callable[[Loaded], Iterator[Issue]]] = [
        lambda lo: _duplicates(lo, keys),
        lambda lo: _references(lo, keys),
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


#: Collections of more records than this are checked through the key index (four bytes a record) rather than a set
#: of their keys (about 100 bytes a key): the national effects' 2.56 million ids would take 250 MB as a set, the
#: national proposals' 960,000 ids 90 MB. A province's effects (600,000 in the example) take the set: five times
#: faster than indexing them, and within validate's memory bound.
_KEY_SET_LIMIT = 800_000


class _Keys:
    """The set of each collection's keys (ids, 统一社会信用代码), made once for the duplicates and references."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._sets: dict[str, set[str] | None] = {}

    def of(self, kind: str) -> set[str] | None:
        """Every key of collection ``kind``; None when one is not text (then the checks go by the key index)."""
        if kind not in self._sets:
            records, key = self._dataset.records(kind), KEY_FIELDS[kind]
            small = len(records) <= _KEY_SET_LIMIT
            found = set(records.column(key)) if small and records.value_types(key) <= {str} else None
            self._sets[kind] = found
        return self._sets[kind]


def _in(known: set[str], value: Any) -> bool:
    """``value in known``, an unhashable value being in no set of keys (as the key index has it)."""
    try:
        return value in known
    except TypeError:
        return False


def _unknown(known: set[str], value: Any) -> bool:
    """A reference naming none of ``known``."""
    return value is not None and not _in(known, value)


def _not_in_index(by_key: Any, value: Any) -> bool:
    """A reference naming no record of a key index (told once per distinct value of a shared column)."""
    return value is not None and value not in by_key


def _in_order(found: list[tuple[int, int, Issue]]) -> Iterator[Issue]:
    """Issues found check by check, given in the order of their records, then of the checks (as record by record)."""
    found.sort(key=lambda item: (item[0], item[1]))
    return (issue for _, _, issue in found)


def _has_field(kind: str, field: str) -> bool:
    return field in attrs.fields_dict(RECORD_KINDS[kind])


#: The collections other records name: their sets of keys serve the references as well as the duplicates.
_NAMED = frozenset(REFERENCES.values())


def _duplicates(loaded: Loaded, keys: _Keys) -> Iterator[Issue]:
    dataset = loaded.dataset
    for kind in RECORD_KINDS:
        records = dataset.records(kind)
        # A large collection no record names: its keys' hashes sorted cost about half a set of the keys.
        known = None if kind not in _NAMED and len(records) >= VECTOR_FROM else keys.of(kind)
        if known is not None and len(known) == len(records):
            continue  # every key differs: nothing repeats
        key = KEY_FIELDS[kind]
        for index in _repeats(dataset, kind) if known is None else dataset.by_key(kind).repeats():
            value = records.value(index, key)
            yield error(
                "dataset.duplicate-id",
                f"编号重复：{value}",
                f"duplicate {key} {value!r} in {kind}",
                pointer=loaded.pointer(kind, index, key),
            )


def _repeats(dataset: Dataset, kind: str) -> Iterable[int]:
    """The positions of collection ``kind``'s records whose key equals an earlier record's, in order: for a large
    collection of text keys, by their hashes sorted in NumPy (a key index of the country's effects takes seconds to
    build); otherwise through the key index."""
    records, key = dataset.records(kind), KEY_FIELDS[kind]
    if not records.value_types(key) <= {str}:
        return dataset.by_key(kind).repeats()
    from cpsdk.store import _vector

    return _vector.repeats(records.column(key), len(records), functools.partial(records.value, name=key))


def _references(loaded: Loaded, keys: _Keys) -> Iterator[Issue]:
    dataset = loaded.dataset
    for (kind, field), target in REFERENCES.items():
        records = dataset.records(kind)
        known = keys.of(target)
        if known is None:
            missing = _not_named(records, field, dataset.records(target), KEY_FIELDS[target])
            if missing is not None and not missing:
                continue  # every reference names a record
            if missing is not None:
                unknown = records.positions(functools.partial(_in, missing), field)
            else:
                by_key = dataset.by_key(target)
                unknown = records.positions(functools.partial(_not_in_index, by_key), field)
        else:
            try:
                named = records.distinct(field)
            except TypeError:  # an unhashable value: told one by one
                named = None
            if named is not None and not (named - known) - {None}:
                continue  # every reference names a record (the common case: a set difference)
            unknown = records.positions(functools.partial(_unknown, known), field)
        for index in unknown:
            value = records.value(index, field)
            yield error(
                "dataset.unknown-reference",
                f"引用的记录不存在：{value}",
                f"{field} {value!r} names no record in {target}",
                pointer=loaded.pointer(kind, index, field),
            )
    yield from _enterprise_mismatches(loaded, keys)


def _not_named(records: Records[Any], field: str, targets: Records[Any], key: str) -> set[Any] | None:
    """The values of ``records``' field ``field`` that are the key of none of ``targets`` (None left out), found
    by taking the keys away from a set of the values (the keys read a block at a time, never all held: a
    country's proposal ids); None when a value or a key is not text (then the key index tells)."""
    if not records.value_types(field) <= {str, type(None)} or not targets.value_types(key) <= {str}:
        return None
    named = records.distinct(field)
    named.discard(None)
    named.difference_update(targets.column(key))
    return named


def _enterprise_mismatches(loaded: Loaded, keys: _Keys) -> Iterator[Issue]:
    """Proposals whose enterprise is not their audit's (the first audit with the proposal's audit id)."""
    dataset = loaded.dataset
    proposals = dataset.records("proposals")
    if keys.of("audits") is None:
        audits = dataset.by_key("audits")
        audit_records = dataset.records("audits")

        def differs(audit_id: Any, enterprise: Any) -> bool:
            position = audits.position(audit_id) if audit_id else None
            return position is not None and audit_records.value(position, "enterprise") != enterprise

    else:
        enterprise_of: dict[str, Any] = {}
        for audit_id, audit_enterprise in dataset.records("audits").columns("id", "enterprise"):
            enterprise_of.setdefault(audit_id, audit_enterprise)
        missing = object()

        def differs(audit_id: Any, enterprise: Any) -> bool:
            if not audit_id:
                return False
            try:
                found = enterprise_of.get(audit_id, missing)
            except TypeError:  # unhashable: no audit's id
                return False
            return found is not missing and found != enterprise

    for index in proposals.positions(differs, "audit", "enterprise"):
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


#: A 统一社会信用代码 as GB 32100 writes it (python-stdnum's alphabet), and its check character's weights.
_USCC_FORM = re.compile(r"[0-9]{8}[0-9A-HJ-NP-RTUWXY]{10}")
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {character: value for value, character in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc_fails(code: Any) -> bool:
    """Whether ``uscc_problem`` finds a problem with ``code`` (text; anything else is not checked): a code in
    the standard's form whose check character is right has none, told without python-stdnum's slower checks,
    which decide every other code."""
    if not isinstance(code, str):
        return False
    if _USCC_FORM.fullmatch(code):
        total = sum(map(operator.mul, map(_USCC_VALUE.__getitem__, code[:17]), _USCC_WEIGHTS))
        if code[17] == _USCC_ALPHABET[(31 - total) % 31]:
            return False
    return uscc_problem(code) is not None


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
        records = loaded.dataset.records(kind)
        found: list[tuple[int, int, Issue]] = []
        if _has_field(kind, "uscc"):
            for index in records.positions(_uscc_fails, "uscc"):
                uscc = records.value(index, "uscc")
                problem = uscc_problem(uscc)
                assert problem is not None
                found.append(
                    (
                        index,
                        0,
                        error(
                            "code.uscc",
                            f"统一社会信用代码{problem[0]}：{uscc}",
                            f"unified social credit code {uscc!r} {problem[1]}",
                            pointer=loaded.pointer(kind, index, "uscc"),
                            source="GB 32100-2015",
                        ),
                    )
                )
        if _has_field(kind, "region"):
            for index in records.positions(
                lambda region: isinstance(region, str) and problem_of(region) is not None, "region"
            ):
                region_problem = problem_of(records.value(index, "region"))
                assert region_problem is not None
                code, zh, en = region_problem
                report = error if code == "code.region" else warning
                issue = report(code, zh, en, pointer=loaded.pointer(kind, index, "region"), source="GB/T 2260")
                found.append((index, 1, issue))
        if kind == "enterprises":
            for index in records.positions(lambda industry: not is_industry(industry), "industry"):
                industry = records.value(index, "industry")
                found.append(
                    (
                        index,
                        2,
                        error(
                            "code.industry",
                            f"国民经济行业代码不存在：{industry}",
                            f"unknown industry code {industry!r}",
                            pointer=loaded.pointer(kind, index, "industry"),
                            source="GB/T 4754-2017",
                        ),
                    )
                )
        yield from _in_order(found)


def _tags(loaded: Loaded, known: set[str]) -> Iterator[Issue]:
    for index, tags in enumerate(loaded.dataset.records("enterprises").column("key_industries")):
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
        records = loaded.dataset.records(kind)
        found: list[tuple[int, int, Issue]] = []
        for number, (earlier, later) in enumerate(pairs):
            for index in _dates_out_of_order(records, earlier, later):
                first, second = records.value(index, earlier), records.value(index, later)
                issue = error(
                    "dataset.date-order",
                    f"{labels[later]}（{second}）早于{labels[earlier]}（{first}）",
                    f"{later} ({second}) is before {earlier} ({first})",
                    pointer=loaded.pointer(kind, index, later),
                )
                found.append((index, number, issue))
        yield from _in_order(found)


def _dates_out_of_order(records: Records[Any], earlier: str, later: str) -> list[int]:
    """The positions of records whose date ``later`` is before their date ``earlier`` (both given).

    The two columns are compared whole, with ``map`` and ``<`` (a date not given stands for the earliest date, or
    the latest one, so that it is never out of order); a value that is not a date goes record by record.
    """
    firsts = records.translated(earlier, _or_earliest)
    seconds = records.translated(later, _or_latest)
    try:
        return list(itertools.compress(itertools.count(), map(operator.lt, seconds, firsts)))
    except TypeError:  # something other than a date: compared exactly, as record by record
        return records.positions(_out_of_order, earlier, later)


def _or_earliest(value: Any) -> Any:
    return datetime.date.min if value is None else value


def _or_latest(value: Any) -> Any:
    return datetime.date.max if value is None else value


def _out_of_order(first: datetime.date | None, second: datetime.date | None) -> bool:
    return first is not None and second is not None and second < first


#: A number's text holds one of these when it is negative (``-``) or not a number (``NaN``, which compares with
#: nothing: its exact comparison raises, as it did record by record).
_NOT_PLAINLY_POSITIVE = "-nN"


def _amounts(loaded: Loaded) -> Iterator[Issue]:
    for kind, cls in RECORD_KINDS.items():
        fields = _number_fields()[cls]
        if not fields:
            continue
        records = loaded.dataset.records(kind)
        found: list[tuple[int, int, Issue]] = []
        for number, (name, zh, yearly) in enumerate(fields):
            if yearly:
                candidates = records.positions(_has_negative_amount, name)
            else:
                candidates = records.positions_with_text(name, _NOT_PLAINLY_POSITIVE)
            for index in candidates:
                value = records.value(index, name)
                for amount in (item.amount for item in value) if yearly else (value,):
                    if amount is not None and amount < 0:
                        issue = error(
                            "dataset.negative",
                            f"{zh}不能为负数：{amount}",
                            f"{name} must not be negative: {amount}",
                            pointer=loaded.pointer(kind, index, name),
                        )
                        found.append((index, number, issue))
        yield from _in_order(found)


def _has_negative_amount(items: Any) -> bool:
    return any(item.amount is not None and item.amount < 0 for item in items)


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
    audits = loaded.dataset.records("audits")
    found: list[tuple[int, int, Issue]] = []
    for index in audits.positions(lambda kind, grounds: kind is AuditKind.MANDATORY and not grounds, "kind", "grounds"):
        issue = warning(
            "audit.no-grounds",
            "强制性审核未注明依据",
            "a mandatory audit states no grounds",
            pointer=loaded.pointer("audits", index, "grounds"),
        )
        found.append((index, 0, issue))
    for index in audits.positions(lambda kind, grounds: kind is AuditKind.VOLUNTARY and grounds, "kind", "grounds"):
        issue = warning(
            "audit.voluntary-grounds",
            "自愿性审核不应有强制性审核依据",
            "a voluntary audit has grounds for a mandatory one",
            pointer=loaded.pointer("audits", index, "grounds"),
        )
        found.append((index, 1, issue))
    for number, (date_name, result_name, zh) in enumerate(
        (("evaluated_on", "evaluation", "评估"), ("accepted_on", "acceptance", "验收")), start=2
    ):
        for index in audits.positions(lambda date, result: (date is None) != (result is None), date_name, result_name):
            missing = result_name if audits.value(index, date_name) is not None else date_name
            issue = warning(
                "audit.incomplete-outcome",
                f"{zh}日期与{zh}结果应同时填写",
                f"{date_name} and {result_name} go together",
                pointer=loaded.pointer("audits", index, missing),
            )
            found.append((index, number, issue))
    yield from _in_order(found)


_SUPPORT_FIELDS = ("support_national", "support_provincial", "support_local")


def _no_support(value: Any) -> bool:
    """True for a support that adds nothing to a sum (none, or zero), told without comparing (a NaN compares with
    nothing)."""
    return value is None or (type(value) is Decimal and value.is_zero()) or (type(value) is int and value == 0)


def _proposals(loaded: Loaded) -> Iterator[Issue]:
    proposals = loaded.dataset.records("proposals")
    found: list[tuple[int, int, Issue]] = []
    completed = ProposalStatus.COMPLETED
    for index in proposals.positions(
        lambda status, completed_on: status is completed and completed_on is None, "status", "completed_on"
    ):
        issue = error(
            "proposal.no-completion-date",
            "已完成的方案缺少完成日期",
            "a completed proposal has no completion date",
            pointer=loaded.pointer("proposals", index, "completed_on"),
        )
        found.append((index, 0, issue))
    for index in proposals.positions(
        lambda status, accepted_on: accepted_on is not None and status is not completed, "status", "accepted_on"
    ):
        issue = error(
            "proposal.accepted-not-completed",
            "未完成的方案不能有验收日期",
            "a proposal that is not completed cannot have been accepted",
            pointer=loaded.pointer("proposals", index, "accepted_on"),
        )
        found.append((index, 1, issue))
    for index in proposals.positions(
        lambda status, completed_on: completed_on is not None and status not in (completed,), "status", "completed_on"
    ):
        issue = warning(
            "proposal.completion-date-status",
            "方案有完成日期但状态不是已完成",
            "a proposal has a completion date but is not marked completed",
            pointer=loaded.pointer("proposals", index, "status"),
        )
        found.append((index, 2, issue))
    for index in proposals.positions(
        lambda audit, from_catalogue: audit is None and not from_catalogue, "audit", "from_catalogue"
    ):
        issue = warning(
            "proposal.no-source",
            "方案既不来自审核，也未采用推广目录技术",
            "a proposal neither comes from an audit nor adopts a catalogue technology",
            pointer=loaded.pointer("proposals", index, "audit"),
        )
        found.append((index, 3, issue))
    # Support can exceed the investment only where some support is given, or where the investment is negative
    # (or not a number): those few are compared exactly.
    candidates = set(proposals.positions_with_text("investment", _NOT_PLAINLY_POSITIVE))
    for name in _SUPPORT_FIELDS:
        candidates.update(proposals.positions(lambda value: not _no_support(value), name))
    ordered = sorted(candidates)
    chosen = proposals.take(ordered)  # their fields read column by column, not record by record
    amounts = chosen.columns("investment", *_SUPPORT_FIELDS)
    for index, (investment, *supports) in zip(ordered, amounts, strict=True):
        support = sum((x for x in supports if x is not None), Decimal(0))
        if investment is not None and support > investment:
            issue = warning(
                "proposal.support-exceeds-investment",
                "财政资金支持额超过投资额",
                "fiscal support exceeds the investment",
                pointer=loaded.pointer("proposals", index, "investment"),
            )
            found.append((index, 4, issue))
    yield from _in_order(found)


def _effects(loaded: Loaded) -> Iterator[Issue]:
    effects = loaded.dataset.records("effects")
    found: list[tuple[int, int, Issue]] = []
    for index in effects.positions(lambda metric, basis: metric.pollutant and basis is None, "metric", "basis"):
        issue = error(
            "effect.no-basis",
            "污染物削减量须注明产生量或排放量口径",
            "a pollutant reduction must state whether it is of generation or of discharge",
            pointer=loaded.pointer("effects", index, "basis"),
        )
        found.append((index, 0, issue))
    for index in effects.positions(lambda metric, basis: not metric.pollutant and basis is not None, "metric", "basis"):
        issue = warning(
            "effect.basis-not-pollutant",
            "非污染物指标不应注明削减口径",
            "a basis applies to pollutants only",
            pointer=loaded.pointer("effects", index, "basis"),
        )
        found.append((index, 1, issue))
    yield from _in_order(found)


def _others(loaded: Loaded) -> Iterator[Issue]:
    dataset: Dataset = loaded.dataset
    trainings = dataset.records("trainings")
    for index in trainings.positions(lambda heads, total: heads > total, "head_person_times", "person_times"):
        yield error(
            "training.heads-exceed-total",
            "企业负责人参加人次不能超过参加培训总人次",
            "head person-times exceed the total person-times",
            pointer=loaded.pointer("trainings", index, "head_person_times"),
        )
    byproducts = dataset.records("byproducts")
    for index in byproducts.positions(lambda kind, name: kind is ByproductKind.OTHER and not name, "kind", "name"):
        yield warning(
            "byproduct.unnamed",
            "其他种类的资源综合利用应注明名称",
            "a by-product of another kind should be named",
            pointer=loaded.pointer("byproducts", index, "name"),
        )
    discharges = dataset.records("discharges")
    for index in discharges.positions(lambda after, before: after > before, "after", "before"):
        yield warning(
            "discharge.increased",
            "审核后排放量高于审核前",
            "discharge after the audit is higher than before",
            pointer=loaded.pointer("discharges", index, "after"),
        )
