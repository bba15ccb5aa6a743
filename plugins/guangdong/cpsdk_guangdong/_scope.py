"""Which records a Guangdong form covers, the script it is written in, and whether an audit is on time."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

import attrs

from cpsdk import (
    Audit,
    AuditTrack,
    Dataset,
    Enterprise,
    NoRecordsError,
    Outcome,
    RegionFromTitle,
    Script,
    simplified,
    traditional,
)
from cpsdk.codes import region, region_by_name, region_full_name

#: GB/T 2260 code of Guangdong.
PROVINCE = "44"
#: The 13th FYP, the period of the targets and of the park audit rate.
PERIOD_START = datetime.date(2016, 1, 1)

T = TypeVar("T")


def guangdong_region(code: object | None) -> tuple[str, str]:
    """The short code and full name of a region of Guangdong (the province by default); ValueError otherwise."""
    text = str(code).strip() if code else PROVINCE
    found = region(text) or region_by_name(simplified(text), within=PROVINCE)
    if found is None or not found.code.startswith(PROVINCE):
        raise ValueError(f"{text!r} is not Guangdong (44) or one of its regions (e.g. 4403)")
    return found.code, region_full_name(found.code) or found.name


class NamedRegion(RegionFromTitle):
    """Mixin of the forms whose title names their region of Guangdong (in either script), read back into its code."""

    region_within = PROVINCE


#: Fields holding names as given — an enterprise's, a park's or an agency's, a 统一社会信用代码, the
#: submitting unit and its people (``submission``), the 公示's publisher and contact —
#: which traditional script leaves as registered (东方制药 stays 东方制药): only the form's own words change.
AS_GIVEN = frozenset(
    {"enterprise", "uscc", "park", "agency", "submission", "publisher", "objection_contact", "objection_phone"}
)


def localized(report: T, script: Script) -> T:
    """``report`` with its texts in ``script``: in traditional, each string is converted with OpenCC, except
    the names and addresses of :data:`AS_GIVEN`, which are printed as given."""
    if script is Script.HANS:
        return report
    return _convert(report)  # type: ignore[no-any-return]


def _convert(value: Any) -> Any:
    if isinstance(value, Script):
        return value
    if isinstance(value, str):
        return traditional(value)
    if isinstance(value, tuple):
        return tuple(_convert(item) for item in value)
    if attrs.has(type(value)):
        return attrs.evolve(
            value,
            **{
                f.name: getattr(value, f.name) if f.name in AS_GIVEN else _convert(getattr(value, f.name))
                for f in attrs.fields(type(value))
            },
        )
    return value


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` ÷ ``whole`` in percent, rounded half-up to two decimals (None when ``whole`` is 0)."""
    if whole == 0:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


#: Tracks whose audit is done when the report is filed (备案); the others when accepted (验收).
FILED_TRACKS = (None, AuditTrack.SIMPLIFIED, AuditTrack.STANDARD)

ON_TIME = "按期完成"
LATE = "逾期完成"
OVERDUE = "逾期未完成"
IN_PROGRESS = "进行中"
NO_DEADLINE = "未设期限"


def completed_on(audit: Audit) -> datetime.date | None:
    """When the audit is done: its report filed (简化/规范审核, 实施差别化审核制度 第1、2项; also an audit
    with no track recorded), or its acceptance passed (市级验收/省级清洁生产企业, 第3、4项)."""
    return completion(audit.track, audit.report_filed_on, audit.acceptance, audit.accepted_on)


#: The fields :func:`completion` reads, in its arguments' order (to read them from the audits' columns).
COMPLETION_FIELDS = ("track", "report_filed_on", "acceptance", "accepted_on")


def completion(
    track: AuditTrack | None,
    report_filed_on: datetime.date | None,
    acceptance: Outcome | None,
    accepted_on: datetime.date | None,
) -> datetime.date | None:
    """:func:`completed_on` of an audit with these fields."""
    if track in FILED_TRACKS:
        return report_filed_on
    return accepted_on if acceptance is Outcome.PASSED else None


def latest_completion_year(dataset: Dataset) -> int:
    """The latest year an audit of ``dataset`` was completed in (this year if none was): a form's default year."""
    completed = (completion(*fields) for fields in dataset.records("audits").columns(*COMPLETION_FIELDS))
    return max((day.year for day in completed if day is not None), default=datetime.date.today().year)


def completed_in(audit: Audit, start: datetime.date, end: datetime.date) -> bool:
    """True when the audit was completed (:func:`completed_on`) from ``start`` to ``end``, both included."""
    done = completed_on(audit)
    return done is not None and start <= done <= end


def timeliness(audit: Audit, as_of: datetime.date) -> str:
    """按期完成, 逾期完成, 逾期未完成, 进行中 or 未设期限, against the audit's deadline on ``as_of``."""
    done = completed_on(audit)
    if done is not None and done > as_of:
        done = None
    if audit.deadline is None:
        return NO_DEADLINE
    if done is not None:
        return ON_TIME if done <= audit.deadline else LATE
    return OVERDUE if as_of > audit.deadline else IN_PROGRESS


def latest_date(dataset: Dataset) -> datetime.date:
    """The latest date the audits record: the default 'as of' of a status (keeps builds reproducible)."""
    dates = [
        d
        for a in dataset.audits
        for d in (a.listed_on, a.started_on, a.confirmed_on, a.report_filed_on, a.accepted_on)
        if d is not None
    ]
    return max(dates, default=datetime.date(2020, 12, 31))


def as_of(params: Mapping[str, Any], dataset: Dataset) -> datetime.date:
    """The day statuses are judged on: ``as_of`` (YYYY-MM-DD), else the latest date of the audits."""
    given = params.get("as_of")
    if isinstance(given, datetime.date):
        return given
    return datetime.date.fromisoformat(str(given)) if given else latest_date(dataset)


def chosen_audit(dataset: Dataset, params: Mapping[str, Any]) -> tuple[Audit, Enterprise]:
    """The audit ``audit`` names, else the latest audit of ``enterprise`` or of ``region`` (Guangdong).

    Raises NoRecordsError when there is none.
    """
    code, _ = guangdong_region(params.get("region"))
    wanted = params.get("audit")
    owner = params.get("enterprise")
    candidates = []
    for audit in dataset.audits:
        enterprise = dataset.enterprise_by_uscc.get(audit.enterprise)
        if enterprise is None:
            continue
        if wanted is not None:
            if audit.id == str(wanted):
                return audit, enterprise
            continue
        if owner is not None and audit.enterprise != str(owner):
            continue
        if owner is None and not enterprise.region.startswith(code):
            continue
        placed = audit.accepted_on or audit.report_filed_on or audit.started_on or audit.listed_on
        candidates.append((placed is not None, placed or PERIOD_START, audit.id, audit))
    if not candidates:
        raise NoRecordsError(f"no audit {wanted!r}" if wanted is not None else "no audit of Guangdong to report on")
    best = max(candidates, key=lambda c: c[:3])[3]
    return best, dataset.enterprise_by_uscc[best.enterprise]
