"""Which records a Shandong form covers: a region of the province, a span of years or dates, one audit."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, getcontext
from typing import Any

from cpsdk import Audit, Dataset, Enterprise, NoRecordsError, RegionFromTitle
from cpsdk.codes import region, region_by_name, region_full_name

#: GB/T 2260 code of Shandong.
PROVINCE = "37"


def shandong_region(code: object | None) -> tuple[str, str]:
    """The short code and full name of a region of Shandong (the province by default).

    Raises ValueError for a code outside Shandong or an unknown one.
    """
    text = str(code).strip() if code else PROVINCE
    found = region(text) or region_by_name(text, within=PROVINCE)
    if found is None or not found.code.startswith(PROVINCE):
        raise ValueError(f"{text!r} is not Shandong (37) or one of its regions (e.g. 3701)")
    return found.code, region_full_name(found.code) or found.name


def span(params: Mapping[str, Any], first: int, last: int) -> tuple[int, int]:
    """The span of years asked for (``start_year`` … ``year``), ``first`` … ``last`` by default."""
    end_year = int(params.get("year") or last)
    start_year = int(params.get("start_year") or min(first, end_year))
    if start_year > end_year:
        raise ValueError(f"the span {start_year}-{end_year} ends before it starts")
    return start_year, end_year


#: 《清洁生产促进法》 promulgated 2002-06-29: Shandong counts its statistics “自《清洁生产促进法》颁布以来”.
LAW_PROMULGATED = datetime.date(2002, 6, 29)

_CHINESE_DATE = re.compile(r"^\s*([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日?\s*$")


def date_parameter(value: object, name: str) -> datetime.date:
    """A build parameter given as a date: a ``datetime.date``, ``2002-06-29`` or ``2002年6月29日``.

    Raises ValueError saying what is accepted for anything else.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        found = _CHINESE_DATE.match(text)
        if found:
            return datetime.date(*(int(part) for part in found.groups()))
        if len(text) == 10 and text.isascii():
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"{name} takes a date such as 2002-06-29 or 2002年6月29日, got {text[:40]!r}")


def date_span(params: Mapping[str, Any], first: datetime.date, last_year: int) -> tuple[datetime.date, datetime.date]:
    """The span of dates asked for, both ends included.

    It starts on ``start`` (a date) or on 1 January of ``start_year``, else on ``first``; it ends on ``end`` (a
    date) or on 31 December of ``year``, else on 31 December of ``last_year``. Giving both ways of one end, or a
    span that ends before it starts, raises ValueError.
    """
    for date_name, year_name in (("start", "start_year"), ("end", "year")):
        if params.get(date_name) not in (None, "") and params.get(year_name) not in (None, ""):
            raise ValueError(f"give {date_name} or {year_name}, not both")
    if params.get("start") not in (None, ""):
        start = date_parameter(params["start"], "start")
    elif params.get("start_year") not in (None, ""):
        start = datetime.date(int(params["start_year"]), 1, 1)
    else:
        start = first
    if params.get("end") not in (None, ""):
        end = date_parameter(params["end"], "end")
    elif params.get("year") not in (None, ""):
        end = datetime.date(int(params["year"]), 12, 31)
    else:
        end = datetime.date(max(last_year, start.year), 12, 31)
    if start > end:
        raise ValueError(f"the span {start}—{end} ends before it starts")
    return start, end


def rounded(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places, as Shandong prints its figures.

    A value that already has no more than ``decimals`` places is itself when padding it to that many would
    take more digits than a decimal holds (a figure read from a workbook may show hundreds of places).
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= decimals and value.adjusted() + decimals >= getcontext().prec:
        return value
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` ÷ ``whole`` in percent, rounded half-up to two decimals (None when ``whole`` is 0)."""
    if whole == 0:
        return None
    return rounded(Decimal(100) * part / whole, 2)


def chosen_audit(
    dataset: Dataset, params: Mapping[str, Any], *, with_discharges: bool = False
) -> tuple[Audit, Enterprise]:
    """The audit a form about one enterprise reports on, and its enterprise.

    ``audit`` names it by id; ``enterprise`` (a 统一社会信用代码) takes that enterprise's
    latest audit. Otherwise the latest audit of an enterprise of ``region`` (Shandong by
    default), preferring accepted ones; ``with_discharges`` keeps audits with discharge
    records before and after only (DB37/T 1086). Raises NoRecordsError when there is none.
    """
    code, _ = shandong_region(params.get("region"))
    wanted_id = params.get("audit")
    wanted_enterprise = params.get("enterprise")
    discharged = {d.audit for d in dataset.discharges}
    candidates = []
    for audit in dataset.audits:
        enterprise = dataset.enterprise_by_uscc.get(audit.enterprise)
        if enterprise is None:
            continue
        if wanted_id is not None:
            if audit.id == str(wanted_id):
                return audit, enterprise
            continue
        if wanted_enterprise is not None and audit.enterprise != str(wanted_enterprise):
            continue
        if wanted_enterprise is None and not enterprise.region.startswith(code):
            continue
        if with_discharges and audit.id not in discharged:
            continue
        candidates.append(
            (audit.accepted, audit.accepted_on or audit.confirmed_on or audit.started_on, audit.id, audit)
        )
    if not candidates:
        raise NoRecordsError(
            f"no audit {wanted_id!r}" if wanted_id is not None else "no audit of the enterprise or region to report on"
        )
    best = max(candidates, key=lambda c: (c[0], c[1] is not None, c[1] or 0, c[2]))[3]
    return best, dataset.enterprise_by_uscc[best.enterprise]


class NamedRegion(RegionFromTitle):
    """Mixin of the forms whose title names their region of Shandong, read back into its code."""

    region_within = PROVINCE
