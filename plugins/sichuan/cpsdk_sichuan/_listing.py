"""What 附件1 and 附件2 share: how they print an enterprise, and the 联系人 line they end with."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from cpsdk import Enterprise, Issue, LayoutForm, error
from cpsdk.codes import industry_name, region_full_name
from cpsdk.workbook import Grid, Text, Value


def location(enterprise: Enterprise, filing_region: str) -> str:
    """所在地: the enterprise's division below the filing region.

    ``武侯区`` on 成都市's form, ``成都市武侯区`` on the province's.
    """
    full = region_full_name(enterprise.region) or enterprise.region
    above = region_full_name(filing_region) or ""
    return full.removeprefix(above) or full


def industry(enterprise: Enterprise) -> str:
    """所属行业: the GB/T 4754-2017 name of the enterprise's class (its code when unknown)."""
    return industry_name(enterprise.industry) or enterprise.industry


def joined(items: tuple[str, ...]) -> str | None:
    """A list as the forms print it, joined with ``、`` (None when empty)."""
    return "、".join(items) or None


def contact_line() -> Grid:
    """The ``联系人：`` line each attachment ends with, bound to ``contact_person``."""
    return Grid(
        rows=(
            (
                Text(text="联系人：", colspan=2, style="field_label"),
                Value(path="contact_person", colspan=2, style="field_value"),
            ),
        )
    )


def required(form: LayoutForm, row: Any, index: int, fields: Sequence[str], source: str) -> Iterator[Issue]:
    """An error for each of ``fields`` the row leaves empty (e.g. after converting from another form)."""
    for field in fields:
        if getattr(row, field) in (None, ""):
            yield error(
                "sichuan.row.empty",
                "必填项未填写",
                f"the required column {field} is empty",
                pointer=form.pointer("rows", index, field),
                source=source,
            )
