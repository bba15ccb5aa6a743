"""Converting a record-level form into another, with a report of everything that could not be carried.

A record-level form lists records (one row per enterprise, audit or project). It says
what each of its row fields *is* by naming a concept of :data:`CONCEPTS` in
``record_fields`` (e.g. ``{"name": "enterprise.name", "investment": "project.investment"}``);
conversion carries each row's concepts to a row of the destination form, one row for one.
Every concept of the source the destination has no column for, every concept the
destination has a column for that the source did not give (left empty — never invented),
and every value that would not come back the same, is a loss, reported as an issue.

Aggregate forms (totals, rates) are not converted: their figures cannot be turned back
into records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from cpsdk.base._errors import FormError
from cpsdk.base._issues import Issue, warning
from cpsdk.forms._form import Form, build_report
from cpsdk.model._entities import Dataset
from cpsdk.model._fields import field_title
from cpsdk.workbook import type_at

#: Concepts a record-level form's columns can be: key → (Chinese, English).
CONCEPTS: Mapping[str, tuple[str, str]] = {
    "enterprise.name": ("企业名称", "enterprise name"),
    "enterprise.uscc": ("统一社会信用代码", "unified social credit code"),
    "enterprise.location": ("所在地", "where the enterprise is"),
    "enterprise.city": ("所在地市", "city"),
    "enterprise.industry": ("所属行业", "industry"),
    "enterprise.output_2015": ("2015年产值（万元）", "output value in 2015"),
    "enterprise.main_products": ("主要产品", "main products"),
    "enterprise.main_pollutants": ("主要污染物", "main pollutants"),
    "audit.year": ("审核实施年度", "year of the audit"),
    "audit.track": ("审核方式", "audit track"),
    "audit.round": ("审核轮次", "audit round"),
    "audit.deadline": ("完成期限", "deadline"),
    "audit.completed_on": ("完成日期", "date completed"),
    "audit.completion": ("审核完成情况", "how the audit was completed"),
    "audit.status": ("完成情况", "on time or overdue"),
    "audit.proposed": ("提出方案数", "proposals put forward"),
    "audit.implemented": ("实施方案数", "proposals implemented"),
    "audit.investment": ("实施投资（万元）", "investment of the audit's proposals"),
    "audit.agency": ("咨询服务机构", "consultancy"),
    "project.name": ("项目名称", "project name"),
    "project.investment": ("总投资（万元）", "project investment"),
    "project.support": ("财政资金支持（万元）", "fiscal support"),
    "project.planned_completion": ("计划完成时间", "planned completion"),
    "project.from_audit": ("是否为审核提出的中高费方案", "a mid/high-cost proposal of an audit"),
    "project.progress": ("项目进度", "progress"),
    "effect.energy": ("节能（吨标准煤/年）", "energy saved"),
    "effect.water": ("节水（吨/年）", "water saved"),
    "effect.cod": ("削减COD（吨/年）", "COD reduced"),
    "effect.so2": ("削减二氧化硫（吨/年）", "SO₂ reduced"),
    "effect.ammonia_nitrogen": ("削减氨氮（吨/年）", "NH₃-N reduced"),
    "effect.nox": ("削减氮氧化物（吨/年）", "NOₓ reduced"),
}


def record_fields(form: Form) -> Mapping[str, str]:
    """The row field → concept map of a record-level form; FormError for an aggregate one."""
    fields = form.record_fields
    if not form.record_level or not fields:
        raise FormError(
            f"{form.id} is an aggregate form: its figures cannot be turned back into records, so it does not convert; "
            "only record-level forms convert into each other"
        )
    unknown = sorted(set(fields.values()) - set(CONCEPTS))
    if unknown:
        raise FormError(f"{form.id} names unknown concepts {unknown}")
    return fields


def to_records(form: Form, report: Any) -> list[dict[str, Any]]:
    """The rows of a record-level report as concept → value."""
    fields = record_fields(form)
    return [{concept: getattr(row, field) for field, concept in fields.items()} for row in report.rows]


def from_records(form: Form, records: Sequence[Mapping[str, Any]], **params: Any) -> Any:
    """A report of ``form`` with one row per record; its header as the form builds it for ``params``."""
    fields = record_fields(form)
    row_type, _ = type_at(form.report_type, ("rows", 0))
    empty, _ = build_report(form, Dataset(), **params)
    rows = tuple(row_type(**{field: record.get(concept) for field, concept in fields.items()}) for record in records)
    return attrs.evolve(empty, rows=rows)


def _label(concept: str) -> tuple[str, str]:
    return CONCEPTS[concept]


def unconverted_fields(form: Form) -> list[attrs.Attribute[Any]]:
    """The row fields of a record-level form that ``record_fields`` does not name: no conversion carries them.

    Only fields with a default can be left out (a row of the form is made without them); the conformance
    suite refuses a form that leaves out a field without one."""
    fields = record_fields(form)
    row_type, _ = type_at(form.report_type, ("rows", 0))
    if not attrs.has(row_type):
        return []
    return [field for field in attrs.fields(row_type) if field.name not in fields]


def _has_value(value: Any, field: attrs.Attribute[Any]) -> bool:
    """Whether a row's ``value`` of ``field`` says something: not empty, and not the field's own default."""
    if value in (None, "", ()):
        return False
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs.Factory is a class at runtime
        return True
    return default is attrs.NOTHING or bool(value != default)


def convert_report(source: Form, report: Any, target: Form, **params: Any) -> tuple[Any, list[Issue]]:
    """``report`` of ``source`` as a report of ``target``, and every loss (warnings ``conversion.*``).

    The report's region and year go with it when the target takes them as parameters and none is
    given; a header field (the region, a 联系人) the converted report holds otherwise, or not at all,
    is a loss like a column's (``conversion.header-changed``, ``conversion.header-not-carried``). A header
    field the target takes as a parameter that neither the source nor ``params`` gives, and a region or year
    of the source the target does not take, is filled with the target's default and said
    (``conversion.header-defaulted``, naming the value used). A row field of the source that
    ``record_fields`` does not name is lost, and said, wherever a row has a value for it
    (``conversion.not-convertible``)."""
    records = to_records(source, report)
    carried = set(record_fields(target).values())
    given = set(record_fields(source).values())
    accepted = target.parameters
    offered = {
        name: getattr(report, name)
        for name in ("region", "year")
        if name in accepted and params.get(name) in (None, "") and getattr(report, name, None) not in (None, "")
    }
    converted, dropped = _from_records_carrying(target, records, params, offered)
    losses: list[Issue] = []
    defaulted = _defaulted_headers(source, target, report, converted, params, offered, dropped)
    losses.extend(defaulted.values())
    losses.extend(_header_losses(target, report, converted, skip=set(defaulted)))
    losses.extend(_unconverted_losses(source, target, report))
    for concept in sorted(given - carried):
        count = sum(1 for r in records if r.get(concept) not in (None, "", ()))
        if count:
            zh, en = _label(concept)
            losses.append(
                warning(
                    "conversion.not-carried",
                    f"{target.id} 没有“{zh}”一栏，{count} 条记录的该项未能转换",
                    f"{target.id} has no column for {en}; it is lost from {count} record(s)",
                )
            )
    for concept in sorted(carried - given):
        if records:
            zh, en = _label(concept)
            losses.append(
                warning(
                    "conversion.missing",
                    f"{source.id} 没有“{zh}”，转换后该栏留空",
                    f"{source.id} does not give {en}; the column is left empty",
                )
            )
    back = to_records(target, converted)
    for concept in sorted(carried & given):
        changed = sum(
            1 for before, after in zip(records, back, strict=True) if before.get(concept) != after.get(concept)
        )
        if changed:
            zh, en = _label(concept)
            losses.append(
                warning(
                    "conversion.changed",
                    f"“{zh}”有 {changed} 条记录的取值在转换中改变",
                    f"{en} changes in {changed} record(s)",
                )
            )
    return converted, losses


def _from_records_carrying(
    target: Form, records: Sequence[Mapping[str, Any]], params: Mapping[str, Any], offered: Mapping[str, Any]
) -> tuple[Any, dict[str, str]]:
    """The converted report, carrying as many of the source's ``offered`` header values as the target takes;
    and each value it does not take, by name, with the target's reason."""
    attempts: list[tuple[str, ...]] = [()]
    attempts += [(name,) for name in offered] if len(offered) > 1 else []
    attempts += [tuple(offered)] if offered else []
    reasons: dict[str, str] = {}
    for left_out in attempts:
        kept = {name: value for name, value in offered.items() if name not in left_out}
        try:
            converted = from_records(target, records, **params, **kept)
        except (TypeError, ValueError, ArithmeticError) as exc:
            if left_out == attempts[-1]:
                raise
            for name in offered if not left_out else ():
                reasons.setdefault(name, str(exc))
            continue
        return converted, {name: reasons.get(name, "") for name in left_out}
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


def _show(value: Any) -> str:
    return str(value.value if hasattr(value, "value") and not isinstance(value, (str, int)) else value)


def _defaulted_headers(
    source: Form,
    target: Form,
    report: Any,
    converted: Any,
    params: Mapping[str, Any],
    offered: Mapping[str, Any],
    dropped: Mapping[str, str],
) -> dict[str, Issue]:
    """By field name: each header field of ``converted`` holding the target's default rather than a value
    given — a parameter of the target neither the source nor the user gave, or a source value it does not take."""
    issues: dict[str, Issue] = {}
    if not attrs.has(type(converted)):
        return issues
    for field in attrs.fields(type(converted)):
        name = field.name
        if name not in target.parameters or params.get(name) not in (None, ""):
            continue
        if name in offered and name not in dropped:
            continue  # carried from the source as it was
        value = getattr(converted, name)
        if value in (None, "") or isinstance(value, (tuple, list)) or attrs.has(type(value)):
            continue
        if name not in dropped:
            if getattr(report, name, None) not in (None, ""):
                continue  # the source gives it: a change is said by _header_losses
            if value == field.default:
                continue  # the report's own default (no 联系人, simplified script): nothing is invented
        zh, en = field_title(field)
        flag = f"--{name}" if name in ("year", "region") else f"--param {name}=…"
        if name in dropped:
            before = getattr(report, name)
            why = f"（{dropped[name]}）" if dropped[name] else ""
            why_en = f" ({dropped[name]})" if dropped[name] else ""
            issues[name] = warning(
                "conversion.header-defaulted",
                f"{target.id} 不接受{source.id}的“{zh}”“{_show(before)}”{why}，改用其默认值“{_show(value)}”；"
                f"可用 {flag} 指定",
                f"{target.id} does not take {source.id}'s {en} {_show(before)!r}{why_en}; its default "
                f"{_show(value)!r} is used (give {flag} to choose)",
            )
        else:
            issues[name] = warning(
                "conversion.header-defaulted",
                f"{source.id} 没有“{zh}”，且未指定，取{target.id}的默认值“{_show(value)}”；可用 {flag} 指定",
                f"{source.id} does not give {en} and none was given; {target.id}'s default {_show(value)!r} "
                f"is used (give {flag} to choose)",
            )
    return issues


def _unconverted_losses(source: Form, target: Form, report: Any) -> list[Issue]:
    """A warning for each row field of the source no concept names, with the count of rows that give it."""
    losses: list[Issue] = []
    for field in unconverted_fields(source):
        count = sum(1 for row in report.rows if _has_value(getattr(row, field.name, None), field))
        if count:
            zh, en = field_title(field)
            losses.append(
                warning(
                    "conversion.not-convertible",
                    f"{source.id} 的“{zh}”一栏不对应任何可转换的概念（record_fields 未列出），"
                    f"{count} 条记录的该项未能转换到 {target.id}",
                    f"{source.id}'s column {en} ({field.name}) names no concept in record_fields; "
                    f"it is lost from {count} record(s) converted to {target.id}",
                )
            )
    return losses


def _header_losses(
    target: Form, report: Any, converted: Any, *, skip: set[str] | frozenset[str] = frozenset()
) -> list[Issue]:
    """The source report's header fields (not its tables) that the converted report does not hold as given
    (but those in ``skip``, said otherwise)."""
    losses: list[Issue] = []
    if not attrs.has(type(report)):
        return losses
    for field in attrs.fields(type(report)):
        if field.name in skip:
            continue
        value = getattr(report, field.name)
        if value in (None, "") or isinstance(value, (tuple, list)) or attrs.has(type(value)):
            continue  # empty, or a table or section: its records are converted, and said, above
        if value == field.default:
            continue  # the report's own default (simplified script): it says nothing to lose
        zh, en = field_title(field)
        if not hasattr(converted, field.name):
            losses.append(
                warning(
                    "conversion.header-not-carried",
                    f"{target.id} 没有“{zh}”，其值“{_show(value)}”未能转换",
                    f"{target.id} has no {en}; its value {_show(value)!r} is lost",
                )
            )
        elif (after := getattr(converted, field.name)) != value:
            losses.append(
                warning(
                    "conversion.header-changed",
                    f"“{zh}”由“{_show(value)}”变为{'空' if after in (None, '') else f'“{_show(after)}”'}",
                    f"{en} changes from {value!r} to {'nothing' if after in (None, '') else repr(after)}",
                )
            )
    return losses
