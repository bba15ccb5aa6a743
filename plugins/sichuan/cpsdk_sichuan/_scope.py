"""Which records a Sichuan form covers: the region filing it and the year it reports on."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import attrs

from cpsdk import RegionFromTitle
from cpsdk.codes import region, region_by_name

#: GB/T 2260 code of Sichuan; a form's region is this (the whole province) or one of its 市（州）.
PROVINCE = "51"
#: Note [1] of 附件3: every 累计 counts from this day.
CUMULATIVE_FROM = datetime.date(2016, 1, 1)
#: The 十三五 plan period of 附件1.
PLAN_YEARS = range(2016, 2021)


def filing_region(code: object | None) -> tuple[str, str]:
    """The short code and name of the filing region: the province (``51``) or a 市（州） (``5101``).

    Six-digit codes naming them (``510000``, ``510100``) are accepted. Raises ValueError
    for a county, a code outside Sichuan or an unknown code.
    """
    text = str(code).strip() if code is not None else PROVINCE
    found = region(text) or region_by_name(text, within=PROVINCE)
    if found is None or not found.code.startswith(PROVINCE):
        raise ValueError(f"{text!r} is not Sichuan (51) or one of its 市（州） (e.g. 5101)")
    if found.level == "county":
        raise ValueError(f"{text!r} is a county; a form is filed by a 市（州） or by the province")
    return found.code, found.name


@attrs.frozen
class Window:
    """The reporting year (the 年 column) and the span of 累计 (2016-01-01 to the year's end)."""

    year: int
    #: The last day counted (made once: the figures ask for it once per record).
    end: datetime.date = attrs.field(init=False, repr=False, eq=False)

    @end.default
    def _end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    def in_year(self, date: datetime.date | None) -> bool:
        """True when ``date`` falls in the reporting year."""
        return date is not None and date.year == self.year

    def in_cumulative(self, date: datetime.date | None) -> bool:
        """True when ``date`` falls between 2016-01-01 and the end of the reporting year."""
        return date is not None and CUMULATIVE_FROM <= date <= self.end


class FiledByRegion(RegionFromTitle):
    """Mixin of the forms whose title names the filing region (a 市（州） or the province), read back into its code."""

    region_within = PROVINCE
    region_levels = ("province", "prefecture")


#: What ``cpsdk demo`` shows Sichuan's attachments for: each 市（州） files 附件1, 2 and 3 with the province
#: (川经信环资〔2016〕153号: “请各市（州）……报送”), so the demo writes them as 泸州市 would.
EXAMPLE_FILING: Mapping[str, Any] = {"region": "5105"}
