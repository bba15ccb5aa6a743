"""The lines a submitting unit signs on a form: 填报单位（盖章）, 填表人, 联系电话 and 填报日期.

A form a unit submits upwards prints them where its document does, and otherwise under
the form, where the receiving office looks for the stamp. A report holds them as one
:class:`Submission` field (``submission``), filled from the build's parameters
(:data:`SUBMISSION_PARAMETERS`, :func:`submission_from`) and laid out by
:func:`submission_lines`; a form whose document names them otherwise (评估单位 for an
assessment) passes its own labels.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import attrs

from cpsdk.model._fields import describe, titled
from cpsdk.workbook import Grid, Text, Value


@titled("填报", "Submission lines")
@attrs.frozen(kw_only=True)
class Submission:
    """Who submits a form and when: printed on the form's signature lines, all optional."""

    unit: str | None = describe("填报单位", "Submitting unit (its stamp goes beside the name)", default=None)
    filled_by: str | None = describe("填表人", "Filled in by", default=None)
    phone: str | None = describe("联系电话", "Telephone", default=None)
    filed_on: datetime.date | None = describe("填报日期", "Date of filing", default=None)


#: The build parameters that fill a :class:`Submission`, with their meaning, for a form's ``parameters``.
SUBMISSION_PARAMETERS: Mapping[str, str] = {
    "unit": "填报单位 submitting unit",
    "filled_by": "填表人 filled in by",
    "phone": "联系电话 telephone",
    "filed_on": "填报日期 date of filing (YYYY-MM-DD)",
}

#: The labels of the four lines, in the order of :class:`Submission`'s fields.
SUBMISSION_LABELS = ("填报单位（盖章）：", "填表人：", "联系电话：", "填报日期：")


def submission_from(params: Mapping[str, Any]) -> Submission:
    """The :class:`Submission` a build's ``params`` give; ValueError for a date that is not YYYY-MM-DD."""
    filed_on = params.get("filed_on")
    if filed_on is not None and not isinstance(filed_on, datetime.date):
        try:
            filed_on = datetime.date.fromisoformat(str(filed_on).strip())
        except ValueError:
            raise ValueError(f"filed_on must be a date as YYYY-MM-DD, not {filed_on!r}") from None
    texts = {name: _text(params.get(name)) for name in ("unit", "filled_by", "phone")}
    return Submission(filed_on=filed_on, **texts)


def _text(value: Any) -> str | None:
    text = None if value is None else str(value).strip()
    return text or None


def submission_lines(
    width: int, *, path: str = "submission", labels: tuple[str, ...] = SUBMISSION_LABELS, indent: int = 0
) -> Grid:
    """Two lines across a sheet ``width`` columns wide: the unit and the date, then who filled the form in and
    their telephone; each label followed by its value, bound to ``path``'s fields. They start ``indent``
    columns in (past a narrow 序号 column, so that each label prints unwrapped) and need 4 columns after it."""
    if indent:
        lines = submission_lines(width - indent, path=path, labels=labels)
        gap = Text(text="", colspan=indent, style="field_label")
        return Grid(rows=tuple((gap, *row) for row in lines.rows))
    if width < 4:
        raise ValueError(f"the submission lines need 4 columns, the sheet has {width}")
    unit, filled_by, phone, filed_on = labels
    left = (width + 1) // 2  # columns of the first label and value; the second pair takes the rest

    def pair(label: str, field: str, columns: int, style: str) -> tuple[Text, Value]:
        return (
            Text(text=label, style="field_label"),
            Value(path=f"{path}.{field}", colspan=columns - 1, style=style),
        )

    return Grid(
        rows=(
            (*pair(unit, "unit", left, "field_value"), *pair(filed_on, "filed_on", width - left, "field_date")),
            (*pair(filled_by, "filled_by", left, "field_value"), *pair(phone, "phone", width - left, "field_value")),
        )
    )
