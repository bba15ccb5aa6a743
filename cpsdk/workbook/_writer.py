"""Writing a report into a workbook laid out by a :class:`WorkbookLayout`.

Text from the input is always written as text: the workbook is opened with every
string-to-formula/URL/number conversion off, every text goes through one writer
(:class:`~cpsdk.workbook._text_cells.TextCells`: ``write_string``, or a one-run rich
string for text xlsxwriter would not carry exactly, such as ``<r>…</r>``), and text that
a spreadsheet could take for a formula or a link also carries Excel's quote prefix. A
text no cell can hold (too long, or holding U+FFFE, U+FFFF or a lone surrogate) is refused
with :class:`~cpsdk.ExcelLimitError`, never cut or changed; a date before 1 March 1900,
which Excel cannot hold as a date, is written as its ``YYYY-MM-DD`` text, which reads back
as the date. Output is atomic (see :mod:`cpsdk.workbook._atomic`).
"""

from __future__ import annotations

import datetime
import functools
import math
import operator
import os
import re
import string
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from cpsdk.base._errors import ExcelLimitError
from cpsdk.base._issues import Issue
from cpsdk.workbook._atomic import atomic_target
from cpsdk.workbook._identity import IDENTITY_SHEET, WorkbookIdentity
from cpsdk.workbook._layout import (
    DRAFT_MARK,
    Column,
    Placed,
    SheetLayout,
    SheetPlan,
    Table,
    TablePlan,
    Value,
    WorkbookLayout,
    a1,
    plan_sheet,
    title_fields,
)
from cpsdk.workbook._pages import DEFAULT_ROW_HEIGHT, RowKinds, page_breaks, page_height, print_scale
from cpsdk.workbook._styles import ERROR_FILL, STYLES, WARNING_FILL, amount_format
from cpsdk.workbook._text_cells import SAFE_LENGTH, TextCells, fit_text, is_plain
from cpsdk.workbook._values import EXCEL_DIGITS, display_text, resolve

ISSUES_SHEET = "问题清单"
#: ``decimals`` of a column or cell that prints every digit of the exact value.
EXACT = -1
_RISKY = re.compile(r"^[=+\-@\t\r]|^[a-zA-Z][a-zA-Z0-9+.\-]*://|^www\.|^mailto:", re.IGNORECASE)


#: Every character a :data:`_RISKY` match can start with (ASCII letters match three more letters when case is
#: ignored); text starting with any other, as most Chinese text does, is never taken for a formula or a link.
_RISKY_FIRST = frozenset("=+-@\t\r" + string.ascii_letters + "\u0130\u0131\u017f\u212a")


#: First characters a table's text is looked at more closely for: those of :data:`_RISKY`, and ``<`` (of text
#: shaped like rich-text XML).
_CAREFUL_FIRST = _RISKY_FIRST | {"<"}


def looks_active(text: str) -> bool:
    """True for text a spreadsheet might take for a formula or a link."""
    return bool(text) and text[0] in _RISKY_FIRST and _RISKY.match(text) is not None


class _Formats:
    """Formats made on demand: a base style plus decimals, quote prefix and fill."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[str, int | None, bool, str | None], Format] = {}

    def get(self, style: str, *, decimals: int | None = None, quote: bool = False, fill: str | None = None) -> Format:
        key = (style, decimals, quote, fill)
        found = self._cache.get(key)
        if found is None:
            props = dict(STYLES[style])
            if decimals is not None:
                props["num_format"] = amount_format(decimals)
            if quote:
                props["quote_prefix"] = True
            if fill:
                props["bg_color"] = fill
            found = self._cache[key] = self._workbook.add_format(props)
        return found


def shown_value(value: Any, spec: Value | None) -> Any:
    """The value as a grid cell shows it: a yes/no label, text in its template, the text for none."""
    if spec is None:
        return value
    if value is None:
        return spec.empty
    if spec.labels is not None and isinstance(value, bool):
        return spec.labels[0] if value else spec.labels[1]
    if spec.template is not None and isinstance(value, str):
        return spec.template.format(value)
    return value


#: Excel counts days from 1899-12-30 for every date after the 29 February 1900 it wrongly believes in.
_EXCEL_EPOCH_ORDINAL = datetime.date(1899, 12, 30).toordinal()
_LAST_FALSE_LEAP_DAY = datetime.date(1900, 2, 28)


def excel_serial(day: datetime.date) -> float | None:
    """The number Excel stores for ``day`` (as xlsxwriter's ``write_datetime`` works it out); None before
    March 1900, where Excel's false leap day makes the count differ (and before 1900 it has no dates): such a
    day is written as its ISO text (:func:`early_date_text`)."""
    return float(day.toordinal() - _EXCEL_EPOCH_ORDINAL) if day > _LAST_FALSE_LEAP_DAY else None


def early_date_text(day: datetime.date) -> str | None:
    """``YYYY-MM-DD`` for a day Excel cannot hold as a date number (before 1 March 1900: none before 1900,
    and xlsxwriter counts January and February 1900 one day off), which every reader of a date cell takes
    back as the date; None for any later day, written as a date number."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return day.isoformat() if day <= _LAST_FALSE_LEAP_DAY else None


#: Where a cell is: row, column, rows and columns it spans.
_At = tuple[int, int, int, int]


#: Places a value is given to that are kept even where they end in zeros: a figure rounded to one decimal
#: prints 9.0, not 9. Beyond them, trailing zeros are a computation's, not a precision, and are dropped.
_KEPT_PLACES = 6


def _places(value: Decimal) -> int:
    """Decimal places that print every digit of ``value`` and the places it was given to (``9.0`` keeps its
    one decimal); refuses one Excel cannot hold exactly."""
    _sign, digits, exponent = value.normalize().as_tuple()
    if len(digits) > EXCEL_DIGITS:
        raise ExcelLimitError(f"{value} has more than {EXCEL_DIGITS} significant digits; Excel would change it")
    needed = max(0, -exponent) if isinstance(exponent, int) else 0
    given = value.as_tuple().exponent
    if isinstance(given, int) and needed < -given <= _KEPT_PLACES:
        return -given
    return needed


#: A label ending in its unit in brackets (``园区企业总数（家）``).
_UNIT_AT_END = re.compile(r"^(?P<head>[^\n]*\S)\s*(?P<unit>[（(][^（）()\n]{1,12}[）)])$")


def _unit_kept_whole(text: str, width: float) -> str:
    """A label too wide for its cell with its bracketed unit on a line of its own (``园区企业总数`` over
    ``（家）``), and a unit too wide for a line broken after a comma inside it (``（本年度完成审核，`` over
    ``家次）``) or where the line fills, so that wrapping never leaves a lone ``）`` on the last line."""
    before, newline, last = text.rpartition("\n")
    match = _UNIT_AT_END.match(last)
    if match is not None and _display_width(last) * 1.2 > width:
        before, newline, last = f"{before}{newline}{match.group('head')}", "\n", match.group("unit")
    if _UNIT_ALONE.match(last) and _display_width(last) * 1.2 > width:
        cuts = [i for i, char in enumerate(last) if char in "，、；,;" and _display_width(last[: i + 1]) <= width]
        # After a comma inside; else where the line fills, with two characters at least carried over with ）.
        fits = [i for i in range(1, len(last) - 3) if _display_width(last[: i + 1]) <= width]
        cut = cuts[-1] if cuts else fits[-1] if fits else None
        if cut is not None:
            last = f"{last[: cut + 1]}\n{last[cut + 1 :]}"
    return f"{before}{newline}{last}"


def _line_room(width: float, size: float) -> int:
    """How wide a line of a cell ``width`` characters wide is, in half-width characters of ``size`` points
    (a CJK character is two): at Excel's 5.25 points a character of width, less the cell's padding, the
    narrower of the spreadsheets that print it."""
    return max(2, int(2 * ((width + 0.71) * 5.25 - 4) / size))


#: Characters a line may not start with (closing marks) or end with (opening marks).
_NO_START = set("）)」』】〕》〉，、。；：！？,.;:!?%％")
_NO_END = set("（(「『【〔《〈“‘")


def _balanced(text: str, room: int) -> str:
    """A label's lines, each too long for ``room`` broken into lines of even length that fit it: a label
    wrapping by itself ends on a lone character (``获得经济效`` over ``益``); broken evenly it does not
    (``获得经济`` over ``效益``). Never before a closing mark or after an opening one."""
    lines = []
    for line in text.split("\n"):
        total = _display_width(line)
        if total <= room:
            lines.append(line)
            continue
        parts = -(-total // room)
        target = min(room, -(-total // parts) + (-(-total // parts)) % 2)  # whole CJK characters to a line
        current, used = "", 0
        for char in line:
            wide = _display_width(char)
            if used + wide > target and current and char not in _NO_START and current[-1] not in _NO_END:
                lines.append(current)
                current, used = "", 0
            current += char
            used += wide
        lines.append(current)
    return "\n".join(lines)


#: A line that is a bracketed unit or qualifier and nothing else (``（本年度完成审核，家次）``).
_UNIT_ALONE = re.compile(r"^[（(][^（）()\n]+[）)]$")


_WIDE = re.compile("[\u2e81-\U0010ffff]")


@functools.lru_cache(maxsize=1 << 12)
def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (a CJK character is two wide).

    Names and statuses repeat down a table, so the count is remembered.
    """
    if "\n" not in text:
        return max(1, math.ceil(_display_width(text) * 1.2 / width))
    return sum(max(1, math.ceil(_display_width(part) * 1.2 / width)) for part in text.split("\n"))


def _display_width(text: str) -> int:
    return len(text) if text.isascii() else 2 * len(text) - len(_WIDE.sub("", text))


@attrs.frozen
class _TableColumn:
    """What writing one column of a table needs, worked out once per table."""

    col: int
    span: int
    field: tuple[str | int, ...] | None  # a path into a row; None for the 序号 column
    style: str
    decimals: int | None
    text: Format  # for text that needs no quote prefix (or the row number)
    blank: Format  # for an empty value, and for 是 and 否 (both in the column's style, or centred)
    width: float
    amount: Format | None  # for an amount (None: in its own places)
    integer: Format  # for a whole number
    date: Format
    empty: str | None = None  # the text written for no value (Column.empty)


#: The most decimal places an exact column prints: a cent in 万元. A value computed to more (a conversion of
#: units) is held whole in its cell and printed rounded to these.
_SHOWN_PLACES = 6


def _column_places(items: Sequence[Any], field: tuple[str | int, ...], width: float) -> int:
    """The places that print every amount of a table column (refusing one Excel cannot hold exactly), at most
    :data:`_SHOWN_PLACES` and no more than the column's ``width`` (in characters) prints beside the widest
    whole part: a cell never shows ``###``, and holds the value whatever it shows."""
    places, widest = 0, 0
    for item in items:
        value = resolve(item, field)
        if isinstance(value, Decimal):
            places = max(places, _places(value))
            widest = max(widest, _whole_width(value))
    room = int(width) - 2 - widest  # a character of padding, the decimal point
    return max(0, min(places, _SHOWN_PLACES, room))


def _printed_places(value: Decimal, width: float) -> int:
    """The places ``value`` prints to on its own (in a grid, or a table whose rows have their own units): every
    digit, at most :data:`_SHOWN_PLACES` and what ``width`` holds beside its whole part."""
    return max(0, min(_places(value), _SHOWN_PLACES, int(width) - 2 - _whole_width(value)))


def _whole_width(value: Decimal) -> int:
    """Characters the whole part of ``value`` prints in, with its thousands separators and sign."""
    digits = len(str(abs(int(value))))
    return digits + (digits - 1) // 3 + (value < 0)


def _row_values(fields: Sequence[tuple[str | int, ...]]) -> Callable[[Any], Sequence[Any]]:
    """The values a row shows, in its columns' order: one C call for a row whose columns each name an
    attribute (a table's usual case), rather than a lookup per cell."""
    names = [field[0] for field in fields if len(field) == 1 and isinstance(field[0], str)]
    if len(names) == len(fields) > 1:
        return operator.attrgetter(*names)
    return lambda item: [resolve(item, field) for field in fields]


def _cell_writer(sheet: Worksheet, name: str) -> Callable[..., Any]:
    """xlsxwriter's method behind the public cell writer ``name`` (``write_string``, …), which takes the same
    arguments: the public one first tries to read A1 notation, which cpsdk never passes, at about 0.6 µs a cell
    (8% of writing a large table). The public method when a later xlsxwriter has no such method; a test checks
    that both write the same sheet."""
    method: Callable[..., Any] = getattr(sheet, f"_{name}", None) or getattr(sheet, name)
    return method


class _SheetWriter:
    def __init__(
        self,
        workbook: xlsxwriter.Workbook,
        formats: _Formats,
        layout: SheetLayout,
        plan: SheetPlan,
        report: Any,
        marks: dict[str, str],
        comments: dict[str, str],
        draft: bool,
        script: Callable[[str], str] = str,
    ) -> None:
        self.sheet: Worksheet = workbook.add_worksheet(layout.name)
        self.script = script  # the workbook's script, for the texts the layout does not hold (the footer)
        self.write_string = _cell_writer(self.sheet, "write_string")
        self.write_number = _cell_writer(self.sheet, "write_number")
        self.write_blank = _cell_writer(self.sheet, "write_blank")
        #: Every text that is not certainly plain goes through here (see :mod:`cpsdk.workbook._text_cells`).
        self.write_text = TextCells(self.sheet, self.write_string).write
        self.formats = formats
        self.layout = layout
        self.plan = plan
        self.report = report
        self.marks = marks
        self.comments = comments
        self.draft = draft
        self.heights: dict[int, float] = {title.row: title.title.height for title in plan.titles}
        #: Blank cells still to write in later rows of merged ranges: row → [(col, format)].
        self.pads: dict[int, list[tuple[int, Format]]] = {}
        #: The rows printed again on top of every page (a single table's headers), if any.
        self.repeated: tuple[int, int] | None = None

    def write(self) -> None:
        """Write every cell in row order: the workbook streams each row to disk once the next one starts."""
        self._setup()
        self.row = -1
        fixed = sorted(self.plan.fixed, key=lambda c: (c.row, c.col))
        done = 0
        for table in sorted(self.plan.tables, key=lambda t: t.first_row):
            while done < len(fixed) and fixed[done].row < table.first_row:
                self._cell(fixed[done])
                done += 1
            self._table(table)
        for cell in fixed[done:]:
            self._cell(cell)
        self._goto(None)
        self._paginate()

    def _paginate(self) -> None:
        """Print at the scale that fits the sheet's width, breaking pages between sections (see
        :mod:`cpsdk.workbook._pages`): written last, when the rows' heights are known."""
        scale = print_scale(self.layout.columns, landscape=self.layout.landscape)
        self.sheet.set_print_scale(scale)
        heights = self.heights

        def height(row: int) -> float:
            return heights.get(row, DEFAULT_ROW_HEIGHT)

        # A table that fits on a page is kept on one, with its headers: only a longer one continues on the next.
        room = page_height(scale=scale, landscape=self.layout.landscape)
        tables = [(_header_top(t.table, t.first_row), t.blank_row) for t in self.plan.tables]
        whole = [
            (top, end)
            for top, end in tables
            if (end - top) * 10 < room and sum(map(height, range(top, end + 1))) <= room  # no row is under 10 pt
        ]
        kinds = RowKinds.of(((cell.row, cell.rowspan, cell.role) for cell in self.plan.fixed), whole)
        breaks = page_breaks(
            height,
            self.plan.last_row,
            kinds.joined(),
            scale=scale,
            landscape=self.layout.landscape,
            repeat=self.repeated,
        )
        if breaks:
            self.sheet.set_h_pagebreaks(breaks)

    def _goto(self, row: int | None) -> None:
        """Move to ``row`` (None: the end). Before leaving a row its height is set, and rows passed over that
        hold only the lower parts of merged ranges are written."""
        if row == self.row:
            return
        self._finish_row(self.row)
        if self.pads:  # most rows of a table have none
            for pad_row in sorted(r for r in self.pads if row is None or r < row):
                for col, fmt in self.pads.pop(pad_row):
                    self.write_blank(pad_row, col, None, fmt)
                self._finish_row(pad_row)
            if row is not None:
                for col, fmt in self.pads.pop(row, ()):
                    self.write_blank(row, col, None, fmt)
        if row is not None:
            self.row = row

    def _finish_row(self, row: int) -> None:
        height = self.heights.get(row)
        if height is not None:
            self.sheet.set_row(row, height)

    def _cell(self, cell: Placed) -> None:
        self._goto(cell.row)
        at = (cell.row, cell.col, cell.rowspan, cell.colspan)
        fill = self.marks.get(a1(cell.row, cell.col)) if self.marks else None
        if cell.role == "title":
            text = self._fill(cell.text or "") + (DRAFT_MARK if self.draft else "")
            self._put(at, text, self.formats.get(cell.style, quote=looks_active(text)), fit=False)
        elif cell.role in ("label", "header", "note", "number"):
            text = self._fill(cell.text or "")
            if cell.role != "note":
                width = sum(self.layout.columns[cell.col : cell.col + cell.colspan]) or 10
                style = STYLES.get(cell.style, {})
                if style.get("text_wrap"):  # a label that does not wrap runs on into the empty cells beside it
                    text = _balanced(_unit_kept_whole(text, width), _line_room(width, style.get("font_size", 10)))
            self._put(at, text, self.formats.get(cell.style, quote=looks_active(text), fill=fill))
        elif cell.role == "blank":
            self._blank(at, self.formats.get("blank"))
        else:
            assert cell.path is not None
            value = shown_value(resolve(self.report, cell.path), cell.value)
            self._value(at, value, cell.style, cell.decimals, fill)

    def _table(self, table: TablePlan) -> None:
        """A table's data rows and the blank row under them, one row after another."""
        items = resolve(self.report, table.rows_path) or ()
        # A table with a 单位 column holds a unit per row (家, 吨, 万吨标准煤): each amount has its own places.
        own_places = ("unit",) in table.fields
        columns = [
            self._table_column(col, column, field, items, own_places)
            for (col, column), field in zip(table.columns, table.fields, strict=True)
        ]
        counters = [column for column in columns if column.field is None]  # the 序号 column
        shown = [column for column in columns if column.field is not None]
        values_of = _row_values([column.field for column in shown if column.field is not None])
        marks = self.marks
        write_string, span = self.write_string, self._span
        # What each cell needs, unpacked once per cell rather than looked up attribute by attribute.
        plain = [(column, column.col, column.span, column.text, column.width) for column in shown]
        for offset, item in enumerate(items):
            row = table.first_row + offset
            self._goto(row)
            for column in counters:
                fill = marks.get(a1(row, column.col)) if marks else None
                fmt = self.formats.get("number", fill=fill) if fill else column.text
                write_string(row, column.col, str(offset + 1), fmt)
                if column.span > 1:
                    span((row, column.col, 1, column.span), fmt)
            lines = 1  # of the tallest text written straight in this row
            for (column, col, width_cols, fmt, width), value in zip(plain, values_of(item), strict=True):
                fill = marks.get(a1(row, col)) if marks else None
                if value is None and column.empty is not None and fill is None:
                    write_string(row, col, column.empty, column.blank)  # no value, shown as the column says (“—”)
                    if width_cols > 1:
                        span((row, col, 1, width_cols), column.blank)
                    continue
                if value is None and column.empty is not None:
                    value = column.empty
                # The common cases go straight to the sheet, in the formats worked out for their column;
                # a marked cell, text that must be quoted, may be too long or is not plain text (see _text_cells:
                # shaped like rich-text XML, holding Excel's escapes or a character no xlsx holds), and the rarer
                # types go the long way.
                if type(value) is not str:
                    if fill is None and self._put_plain(row, column, value):
                        continue
                    self._value((row, col, 1, width_cols), value, column.style, column.decimals, fill)
                    continue
                if (
                    fill is not None
                    or not 0 < len(value) <= SAFE_LENGTH
                    or (value[0] in _CAREFUL_FIRST and (looks_active(value) or not is_plain(value)))
                ):
                    self._value((row, col, 1, width_cols), value, column.style, column.decimals, fill)
                    continue
                # Most text is printable: no line break, no character an xlsx cannot hold as it is, and then
                # plain unless it holds "_x". The row is made taller once, when it is left, for the text that wraps
                # most; most text is too short to wrap whatever its characters, which is checked first.
                if value.isprintable():
                    if "_x" in value and not is_plain(value):
                        self._value((row, col, 1, width_cols), value, column.style, column.decimals, fill)
                        continue
                    wraps = len(value) * 2.4 > width
                elif is_plain(value):
                    wraps = True  # a line break, perhaps
                else:
                    self._value((row, col, 1, width_cols), value, column.style, column.decimals, fill)
                    continue
                write_string(row, col, value, fmt)
                if width_cols > 1:
                    span((row, col, 1, width_cols), fmt)
                if wraps and (needed := _lines(value, width)) > lines:
                    lines = needed
            if lines > 1:
                self._fit_lines(row, lines)
        self._goto(table.blank_row)
        blank = self.formats.get("blank")
        for column in columns:
            self._blank((table.blank_row, column.col, 1, column.span), blank)

    def _put_plain(self, row: int, column: _TableColumn, value: Any) -> bool:
        """Write a table's non-text value that needs nothing of :meth:`_value`'s generality (no fill, no
        comment): a blank, an amount in its column's fixed format, a whole number, a date, a yes or no. False for
        any other."""
        col, kind = column.col, type(value)
        if value is None:
            fmt = column.blank
            self.write_blank(row, col, None, fmt)
        elif kind is Decimal:
            fmt = column.amount
            if fmt is None:
                fmt = self._amount_format(column.style, EXACT, _printed_places(value, column.width))
            # The amount need only fit Excel's digits: one stored in no more always does, and only a longer one
            # (perhaps trailing zeros) is normalized and counted.
            elif len(value.as_tuple().digits) > EXCEL_DIGITS:
                _places(value)  # refuses an amount Excel would change
            self.write_number(row, col, float(value), fmt)
        elif kind is int:
            fmt = column.integer
            self.write_number(row, col, value, fmt)
        elif kind is datetime.date and (serial := excel_serial(value)) is not None:
            fmt = column.date
            self.write_number(row, col, serial, fmt)
        elif kind is bool:
            fmt = column.blank
            self.write_string(row, col, display_text(value) or "", fmt)
        else:
            return False
        if column.span > 1:
            self._span((row, col, 1, column.span), fmt)
        return True  # no comment to write: a draft's comments are on its marked cells, which go through _value

    def _table_column(
        self, col: int, column: Column, field: tuple[str | int, ...] | None, items: Sequence[Any], own_places: bool
    ) -> _TableColumn:
        style = column.style or ""
        decimals = column.decimals
        width = sum(self.layout.columns[col : col + column.span]) or 10
        # Every amount of a column is printed to the same places: an exact column's are the most any of its
        # values needs (up to _SHOWN_PLACES; the cell holds the value whatever it shows), unless each row has
        # its own unit.
        exact = (style or "amount") == "amount" and decimals == EXACT and field is not None
        amount: Format | None = None
        if exact and field is not None and not own_places:
            decimals = _column_places(items, field, width)
        if not (exact and own_places):
            amount = self._amount_format(style, decimals, places=0)
        return _TableColumn(
            col=col,
            span=column.span,
            field=field,
            style=style,
            decimals=decimals,
            text=self.formats.get("number" if field is None else style or "text"),
            blank=self.formats.get(style or "center"),
            width=width,
            amount=amount,
            integer=self.formats.get(style or "int"),
            date=self.formats.get("date"),
            empty=column.empty,
        )

    def _value(self, at: _At, value: Any, style: str, decimals: int | None, fill: str | None) -> None:
        """A report value, as a number, a date, text or a blank."""
        row, col = at[0], at[1]
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            if isinstance(value, Decimal):
                width = sum(self.layout.columns[col : col + at[3]]) or 10
                fmt = self._amount_format(style, decimals, _printed_places(value, width), fill)
                number: float | int = float(value)
            else:
                fmt = self.formats.get(style or "int", fill=fill)
                number = value
            self._span(at, fmt)
            self.write_number(row, col, number, fmt)
        elif isinstance(value, datetime.date):
            # A date needs a date's number format: the layout's style when it has one, else "date".
            date_style = STYLES.get(style, {}).get("num_format", "").startswith("yyyy")
            fmt = self.formats.get(style if date_style else "date", fill=fill)
            self._span(at, fmt)
            early = early_date_text(value)
            if early is not None:
                self.write_string(row, col, early, fmt)
            else:
                self.sheet.write_datetime(row, col, datetime.datetime.combine(value, datetime.time()), fmt)
        else:
            style = style or ("text" if isinstance(value, str) else "center")
            shown = display_text(value)
            if shown is None:
                self._blank(at, self.formats.get(style, fill=fill))
            else:
                self._put(at, shown, self.formats.get(style, quote=looks_active(shown), fill=fill))
        if self.comments:
            note = self.comments.get(a1(row, col))
            if note:
                self.sheet.write_comment(row, col, fit_text(note), {"x_scale": 2.5, "y_scale": 2})

    def _amount_format(self, style: str, decimals: int | None, places: int, fill: str | None = None) -> Format:
        """The format of an amount shown in ``style`` with ``decimals`` places (2 when not given; its own
        ``places`` when :data:`EXACT`); a style other than ``amount`` keeps its own number format."""
        if (style or "amount") != "amount":
            decimals = None
        elif decimals is None:
            decimals = 2
        elif decimals == EXACT:
            decimals = places
        return self.formats.get(style or "amount", decimals=decimals, fill=fill)

    def _fill(self, template: str) -> str:
        """A title or label with the report's top-level fields it names filled in."""
        names = title_fields(template)
        if not names:
            return template
        values = {name: display_text(resolve(self.report, (name,))) or "" for name in names}
        return template.format(**values)

    def _blank(self, at: _At, fmt: Format) -> None:
        self._span(at, fmt)
        self.write_blank(at[0], at[1], None, fmt)

    def _span(self, at: _At, fmt: Format) -> None:
        """Merge the range a cell covers; the caller writes its top-left cell.

        xlsxwriter's ``merge_range`` writes every cell of the range at once, which a
        workbook streamed row by row (``constant_memory``) cannot take for a range over
        several rows: the range goes on the sheet's list of merges (written when the
        workbook closes), and the other cells are written as blanks in their own rows.
        """
        row, col, rowspan, colspan = at
        if rowspan == 1 and colspan == 1:
            return
        last_row, last_col = row + rowspan - 1, col + colspan - 1
        self.sheet.merge.append([row, col, last_row, last_col])
        for other in range(col + 1, last_col + 1):
            self.write_blank(row, other, None, fmt)
        for lower in range(row + 1, last_row + 1):
            self.pads.setdefault(lower, []).extend((other, fmt) for other in range(col, last_col + 1))

    def _put(self, at: _At, text: str, fmt: Format, *, fit: bool = True) -> None:
        """Write ``text`` in the cell (and the range it spans); ExcelLimitError when no cell can hold it."""
        self._span(at, fmt)
        self.write_text(at[0], at[1], text, fmt)
        if fit and text:
            self._fit_height(at, text)

    def _fit_height(self, at: _At, text: str) -> None:
        """Make the row tall enough for ``text`` wrapped in the cell's width."""
        row, col, rowspan, colspan = at
        width = sum(self.layout.columns[col : col + colspan]) or 10
        if len(text) * 2.4 <= width and "\n" not in text:
            return  # one line at most, whatever its characters
        self._fit_lines(row, _lines(text, width), rowspan)

    def _fit_lines(self, row: int, lines: int, rowspan: int = 1) -> None:
        """Make ``row`` tall enough for ``lines`` lines of text in a cell ``rowspan`` rows high."""
        per_row = lines * 13.5 / rowspan
        if per_row > 15:
            self.heights[row] = max(self.heights.get(row, 0), min(per_row + 3, 409))

    def _setup(self) -> None:
        sheet = self.sheet
        for index, width in enumerate(self.layout.columns):
            sheet.set_column(index, index, width)
        sheet.set_paper(9)  # A4
        if self.layout.landscape:
            sheet.set_landscape()
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        sheet.center_horizontally()
        sheet.set_footer(self.script("&C第 &P 页，共 &N 页"))
        tables = [t for t in self.plan.tables if t.count > 0]
        if tables:
            first = tables[0]
            depth = first.first_row - _header_top(first.table, first.first_row)
            if self.layout.repeat_table_header and len(self.plan.tables) == 1:  # a later table has other headers
                self.repeated = (first.first_row - depth, first.first_row - 1)
                sheet.repeat_rows(*self.repeated)
            if len(self.plan.tables) == 1 and self.layout.freeze is None:
                sheet.freeze_panes(first.first_row, 0)
        if self.layout.freeze is not None:
            sheet.freeze_panes(*self.layout.freeze)


def _header_top(table: Table, first_row: int) -> int:
    return first_row - max(len(c.header) for c in table.columns)


#: A sheet listing issues after a workbook's own: its name and the issues (a conversion's losses, what
#: reading the workbooks typed by hand adjusted).
Appendix = tuple[str, Sequence[Issue]]


def appendices(appendix: Appendix | Sequence[Appendix] | None) -> list[Appendix]:
    """The sheets an ``appendix`` argument names: none, one (a name and issues), or several."""
    if appendix is None:
        return []
    if len(appendix) == 2 and isinstance(appendix[0], str):
        return [appendix]  # type: ignore[list-item]
    return list(appendix)  # type: ignore[arg-type]


def _write_issues_sheet(
    workbook: xlsxwriter.Workbook,
    formats: _Formats,
    issues: Sequence[Issue],
    script: Callable[[str], str],
    name: str = ISSUES_SHEET,
) -> None:
    sheet = workbook.add_worksheet(script(name))
    cells = TextCells(sheet)
    headers = tuple(map(script, ("级别", "代码", "位置", "说明", "Message", "依据")))
    widths = (8, 26, 22, 50, 50, 36)
    for col, (text, width) in enumerate(zip(headers, widths, strict=False)):
        cells.write(0, col, text, formats.get("header"))
        sheet.set_column(col, col, width)
    for row, issue in enumerate(issues, start=1):
        values = (
            script("错误" if issue.is_error else "警告"),
            issue.code,
            issue.where,
            script(issue.message_zh),
            issue.message_en,
            script(issue.source or ""),
        )
        for col, text in enumerate(values):
            # A diagnostic: a character no xlsx can hold is shown as U+FFFD, an endless message cut.
            cells.write(row, col, fit_text(text), formats.get("text", quote=looks_active(text)))
    sheet.freeze_panes(1, 0)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _write_identity(workbook: xlsxwriter.Workbook, identity: WorkbookIdentity) -> None:
    sheet = workbook.add_worksheet(IDENTITY_SHEET)
    cells = TextCells(sheet)
    for row, (key, value) in enumerate(identity.rows()):
        cells.write(row, 0, key)
        cells.write(row, 1, value)
    sheet.hide()


def table_counts(layout: SheetLayout, report: Any) -> dict[str, int]:
    """Rows of each table of a sheet for this report."""
    counts: dict[str, int] = {}
    for table in layout.tables():
        items = resolve(report, tuple(table.rows.split(".")))
        counts[table.rows] = len(items or ())
    return counts


def plan_workbook(layout: WorkbookLayout, report: Any) -> list[SheetPlan]:
    """Plans of every sheet for this report (raises ExcelLimitError before any file is made)."""
    return [plan_sheet(sheet, table_counts(sheet, report)) for sheet in layout.sheets]


def write_workbook(
    layout: WorkbookLayout,
    report: Any,
    target: str | os.PathLike[str],
    identity: WorkbookIdentity,
    *,
    issues: Sequence[Issue] = (),
    script: Callable[[str], str] = str,
    appendix: Appendix | Sequence[Appendix] | None = None,
    plans: Sequence[SheetPlan] | None = None,
) -> Path:
    """Write ``report`` to ``target`` atomically; a draft also lists ``issues`` and comments on their cells.

    ``script`` is applied to the Chinese texts of the draft's issues (e.g. into traditional script).
    ``appendix`` is a sheet name and issues to list on it, official or draft (e.g. a conversion's losses),
    or several such sheets.
    ``plans`` are ``plan_workbook(layout, report)`` when the caller has them already.
    """
    if plans is None:
        plans = plan_workbook(layout, report)
    draft = identity.draft
    marks: dict[str, dict[str, str]] = {}
    comments: dict[str, dict[str, str]] = {}
    if draft:
        for issue in issues:
            if issue.sheet and issue.cell:
                sheet_marks = marks.setdefault(issue.sheet, {})
                if sheet_marks.get(issue.cell) != ERROR_FILL:
                    sheet_marks[issue.cell] = ERROR_FILL if issue.is_error else WARNING_FILL
                notes = comments.setdefault(issue.sheet, {})
                line = f"[{issue.code}] {script(issue.message_zh)} / {issue.message_en}"
                notes[issue.cell] = f"{notes[issue.cell]}\n{line}" if issue.cell in notes else line
    final = Path(target)
    with atomic_target(final) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary),
            {
                "constant_memory": True,  # rows stream to disk: memory stays flat however long the table
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "use_future_functions": False,
            },
        )
        try:
            formats = _Formats(workbook)
            for sheet_layout, plan in zip(layout.sheets, plans, strict=False):
                _SheetWriter(
                    workbook,
                    formats,
                    sheet_layout,
                    plan,
                    report,
                    marks.get(sheet_layout.name, {}),
                    comments.get(sheet_layout.name, {}),
                    draft,
                    script,
                ).write()
            if draft:
                _write_issues_sheet(workbook, formats, issues, script)
            for name, listed in appendices(appendix):
                _write_issues_sheet(workbook, formats, listed, script, name)
            _write_identity(workbook, identity)
            workbook.set_properties({"title": identity.form, "comments": f"cpsdk {identity.sdk_version}"})
        finally:
            try:
                workbook.close()
            finally:
                _release_row_files(workbook)
    return final


def _release_row_files(workbook: xlsxwriter.Workbook) -> None:
    """Close the temporary file each sheet streams its rows to, which ``close`` leaves open when it fails."""
    for sheet in workbook.worksheets():
        stream = getattr(sheet, "row_data_fh", None)
        if stream is not None and not stream.closed:
            stream.close()
