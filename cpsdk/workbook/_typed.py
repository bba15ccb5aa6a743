"""Values as clerks type them, read into what the field holds — and said when it was not plain.

A clerk types into Excel or WPS what the printed form shows: ``１２５８０．５`` in
full-width digits, ``12,580.5``, ``125.8万元`` with the unit in the cell, ``2018.12``
for a month (which Excel stores as the number 2018.12), ``√`` for 是, ``—`` for
nothing. :func:`as_typed` turns such a cell into the value cpsdk's own workbooks hold
(the one :func:`~cpsdk.workbook._values.from_cell` reads), and returns a note when
the value read is not literally what the cell shows (a unit converted, a number read
as a month, a dash read as empty), so that no adjustment passes in silence. Values it
cannot read with certainty are refused with :class:`~cpsdk.CellValueError` saying
what to type instead (``2018.1`` may be January or October).

What is not noted: surrounding spaces, digits in full width, thousands separators and
a number stored as text, which change how a value is written but not which value it is.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
import unicodedata
from decimal import Decimal
from typing import Any

from cpsdk.base._errors import CellValueError
from cpsdk.model._quantity import Quantity, Unit, format_decimal, to_decimal, to_unit
from cpsdk.model._vocabulary import members_by_label
from cpsdk.workbook._labels import normalise_label
from cpsdk.workbook._values import EXCEL_EPOCH, MONTH_NUMBER_YEARS

#: What a clerk types for "nothing here"; read as an empty cell, with a note.
EMPTY_MARKS = frozenset({"—", "——", "-", "--", "－", "/", "／", "无", "空", "暂无", "N/A", "n/a", "NA"})
#: Words a count may be typed with (``12人次``), taken off.
COUNT_SUFFIXES = ("人次", "人", "个", "家", "项", "次", "户", "台", "套", "件", "名", "年度", "年")
_TRUE = frozenset({"是", "√", "✓", "✔", "☑", "有", "y", "yes", "true", "对"})
_FALSE = frozenset({"否", "×", "✗", "✘", "☐", "无", "n", "no", "false", "不是"})
_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?$")
_PERCENT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*%$")

Note = tuple[str, str]


def as_typed(raw: Any, tp: Any, unit: Unit | None = None, blank: str = "empty") -> tuple[Any, Note | None]:
    """``raw`` (a cell as python-calamine gives it) as a value of type ``tp``, and a note when the
    value read is not what the cell literally shows. ``unit`` is the field's unit, for amounts;
    ``blank`` what an empty or dashed cell means there (``"empty"``, ``"zero"`` or ``"refuse"``,
    :data:`~cpsdk.workbook.Blank`).

    Raises :class:`~cpsdk.CellValueError` for a value that cannot be read with certainty.
    """
    if tp is str:
        return _text(raw)
    text = unicodedata.normalize("NFKC", raw).strip() if isinstance(raw, str) else None
    if raw is None or text == "" or (text in EMPTY_MARKS and tp is not bool):  # 无 is 否 for a yes/no field
        return _blank(raw, tp, blank)
    if tp is Decimal:
        return _amount(raw, unit)
    if tp is int:
        return _count(raw)
    if tp is datetime.date:
        return _date(raw)
    if tp is bool:
        return _yes_no(raw)
    if isinstance(tp, type) and issubclass(tp, enum.Enum) and isinstance(raw, str):
        return _label(raw, tp), None
    return raw, None  # text is kept as typed: a value's own edge whitespace is its own


def _text(raw: Any) -> tuple[Any, Note | None]:
    """A text field as typed. A number with a fraction in it is Excel's storage of what the cell shows
    (``50%`` is 0.5): read as its digits, and said, since what the clerk saw is not known."""
    if isinstance(raw, float) and not raw.is_integer():
        text = format_decimal(Decimal(repr(raw)))
        return text, (
            f"数值 {text} 按文字读取：若单元格显示为百分数等格式，请按所显示的文字填写",
            f"the number {text} is read as text: if the cell shows a percentage or another format, type what it shows",
        )
    return raw, None


def _blank(raw: str | None, tp: Any, blank: str) -> tuple[Any, Note | None]:
    """An empty or dashed cell, as the cell's rule says."""
    shown = raw.strip() if isinstance(raw, str) else ""
    if blank == "zero" and tp in (int, Decimal):
        zh, en = (f"“{shown}”", repr(shown)) if shown else ("空单元格", "an empty cell")
        return tp(0), (f"{zh}按 0 读取（此处空白即为 0）", f"{en} read as 0 (blank means zero here)")
    if blank == "refuse":
        zh, en = (f"不能填“{shown}”", f"{shown!r} is not accepted") if shown else ("不能留空", "may not be left empty")
        if tp in (int, Decimal):
            raise CellValueError(f"{zh}：请填写数值，没有请填 0", f"{en} here: type the value, or 0 for none")
        raise CellValueError(f"{zh}：请填写此项", f"{en} here: type the value")
    if shown:
        return None, (f"“{shown}”读作空", f"{shown!r} read as empty")
    return None, None


def _amount(raw: Any, unit: Unit | None) -> tuple[Any, Note | None]:
    if not isinstance(raw, str):
        return raw, None
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    try:
        return to_decimal(text), None
    except ValueError:
        pass
    percent = _PERCENT.match(text)
    if percent is not None and unit is None:
        value = to_decimal(percent.group(1))
        return value, (f"“{raw.strip()}”读作 {format_decimal(value)}（百分数）", f"{raw.strip()!r} read as {value} (%)")
    try:
        quantity = Quantity.parse(text, unit or Unit.YUAN)
    except ValueError:
        raise CellValueError(f"应为数值：{raw[:40]}", f"expected a number, got {raw[:40]!r}") from None
    if unit is None:
        raise CellValueError(
            f"该栏不带单位，请只填数值：{raw[:40]}", f"this column takes a bare number, got {raw[:40]!r}"
        )
    if quantity.unit.dimension is not unit.dimension:
        raise CellValueError(
            f"单位“{quantity.unit.symbol}”与该栏的单位“{unit.symbol}”不是同一种量：{raw[:40]}",
            f"the unit {quantity.unit.symbol} is not of the column's kind ({unit.symbol}): {raw[:40]!r}",
        )
    value = to_unit(quantity.value, quantity.unit, unit)
    if quantity.unit is unit:
        return value, None
    shown = format_decimal(value)
    return value, (
        f"“{raw.strip()}”换算为 {shown}{unit.symbol}",
        f"{raw.strip()!r} converted to {shown} {unit.symbol}",
    )


def _count(raw: Any) -> tuple[Any, Note | None]:
    if not isinstance(raw, str):
        return raw, None
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    for suffix in COUNT_SUFFIXES:
        if text.endswith(suffix) and text[: -len(suffix)]:
            text = text[: -len(suffix)]
            break
    try:
        return to_decimal(text), None
    except ValueError:
        raise CellValueError(f"应为整数：{raw[:40]}", f"expected a whole number, got {raw[:40]!r}") from None


def _date(raw: Any) -> tuple[Any, Note | None]:
    if isinstance(raw, (datetime.date, datetime.datetime)):
        typed = typed_month_number(raw)
        if typed is not None:  # 2018.12 typed into a date-formatted cell: Excel shows 1905-07-10
            return _date_number(typed)
        return raw, None
    if isinstance(raw, bool):
        raise CellValueError(f"应为日期：{raw}", f"expected a date, got {raw!r}")
    if isinstance(raw, (int, float)):
        return _date_number(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    full = _FULL_DATE.match(text)
    if full is not None:
        return _checked_date(text, *(int(part) for part in full.groups())), None
    month = _MONTH.match(text)
    if month is not None:
        year, number = int(month.group(1)), int(month.group(2))
        day = _checked_date(text, year, number, 1)
        return day, _month_note(str(raw).strip(), day)
    raise CellValueError(
        f"日期无法识别：{text[:40]}（请填写如 2018-12-31 或 2018年12月）",
        f"not a date: {text[:40]!r} (type it as 2018-12-31 or 2018年12月)",
    )


#: The days a number from 1949 to 2100 becomes in a date-formatted cell (1905-05-02 to 1905-10-01).
MONTH_NUMBER_DAYS = (
    EXCEL_EPOCH + datetime.timedelta(days=MONTH_NUMBER_YEARS.start),
    EXCEL_EPOCH + datetime.timedelta(days=MONTH_NUMBER_YEARS.stop),
)


def typed_month_number(value: datetime.date) -> float | None:
    """The number a clerk typed into a date-formatted cell when ``value`` is a day of 1905 that such a
    number becomes (2018.12 → 1905-07-10 02:52:48): no date in cleaner-production records is one."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not MONTH_NUMBER_DAYS[0] <= day < MONTH_NUMBER_DAYS[1]:
        return None
    seconds = 0.0
    if isinstance(value, datetime.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    number = (day - EXCEL_EPOCH).days + seconds / 86400
    return round(number, 6)


def _date_number(raw: float) -> tuple[Any, Note | None]:
    """A number in a date column: ``2018.12`` typed for a month, or a day number whose date format was lost."""
    whole = int(raw)
    if whole in MONTH_NUMBER_YEARS:
        if raw == whole:
            raise CellValueError(
                f"只填了年份 {whole}，请填写到月（如 {whole}年12月）",
                f"only the year {whole} is given: type the month too (e.g. {whole}-12)",
            )
        digits = repr(float(raw)).split(".")[1]
        if digits == "1":
            raise CellValueError(
                f"“{raw}”可能是 {whole}年1月，也可能是 {whole}年10月（Excel 把 {whole}.10 存为 {whole}.1），"
                f"请填写为 {whole}-01 或 {whole}-10",
                f"{raw} may be January or October {whole} (Excel stores {whole}.10 as {whole}.1): "
                f"type {whole}-01 or {whole}-10",
            )
        day = _checked_date(str(raw), whole, int(digits), 1)
        return day, _month_note(repr(raw), day)
    if 61 <= raw < 2958466 and raw == whole:
        day = EXCEL_EPOCH + datetime.timedelta(days=whole)
        return day, (f"数字 {whole} 按 Excel 日期序号读作 {day.isoformat()}", f"the number {whole} read as {day}")
    raise CellValueError(f"日期无效：{raw}", f"not a date: {raw!r}")


def _checked_date(text: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellValueError(f"日期无效：{text[:40]}", f"not a date: {text[:40]!r}") from None


def _month_note(shown: str, day: datetime.date) -> Note:
    return (
        f"“{shown}”读作 {day.year}年{day.month}月（记为 {day.isoformat()}）",
        f"{shown!r} read as {day:%B %Y} (recorded as {day.isoformat()})",
    )


def _yes_no(raw: Any) -> tuple[Any, Note | None]:
    if isinstance(raw, bool) or not isinstance(raw, str):
        return raw, None
    word = unicodedata.normalize("NFKC", raw).strip().lower()
    if word in _TRUE:
        return True, None
    if word in _FALSE:
        return False, None
    raise CellValueError(f"应填“是”或“否”：{raw[:40]}", f"expected 是 or 否, got {raw[:40]!r}")


def _label(raw: str, tp: type[enum.Enum]) -> Any:
    member = _members_by_normalised_label(tp).get(normalise_label(raw))
    return member.value if member is not None else raw.strip()  # the reader says which labels it takes


@functools.cache
def _members_by_normalised_label(tp: type[enum.Enum]) -> dict[str, enum.Enum]:
    """:func:`~cpsdk.model._vocabulary.members_by_label`, its labels compared as labels are (简/繁, width)."""
    members: dict[str, enum.Enum] = {}
    for label, member in members_by_label(tp).items():
        members.setdefault(normalise_label(label), member)
    return members
