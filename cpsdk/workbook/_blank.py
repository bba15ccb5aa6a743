"""A form's blank: the workbook a clerk fills in by hand, read back by recognition.

The blank is the form's own layout with every value cell empty and ``rows`` bordered empty
rows in each table (enough for a city's enterprises). What a clerk types must show as typed,
and what the form knows about a cell it says before the clerk types:

- empty cells carry no number format that hides decimals (a "0" format shows 125.6 as
  126); a whole-number field instead refuses decimals by validation;
- each value cell carries Excel data validation by its field's type — whole numbers for
  counts, non-negative decimals for amounts, dates within 1990–2100, 是/否, the labels of
  an enumeration — and an input message: the field's name, what it means, and the
  填报说明 note its section points to (``[2]``);
- the blank has no identity sheet: it is not a report cpsdk wrote, and reading it
  recognises the layout from its labels like any workbook typed by hand, so blank rows
  left inside a table, totals and values typed in other forms all read.
"""

from __future__ import annotations

import datetime
import enum
import os
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import xlsxwriter

from cpsdk.model._fields import field_title
from cpsdk.workbook._atomic import atomic_target
from cpsdk.workbook._layout import Notes, SheetPlan, Title, WorkbookLayout, plan_sheet, title_fields
from cpsdk.workbook._layout import Path as FieldPath
from cpsdk.workbook._values import type_at, type_unit_at
from cpsdk.workbook._writer import _Formats, _SheetWriter

#: Rows of each table in a blank unless asked otherwise: a city's enterprises of one year.
BLANK_ROWS = 50
#: What a title field no parameter gives is printed as, for the clerk to fill in.
UNFILLED = "＿＿＿＿"
#: Excel's limits for a validation's input title and message.
_TITLE_LIMIT, _MESSAGE_LIMIT = 32, 255
_NOTE_MARK = re.compile(r"\[(\d+)\]")


class _Unfilled:
    """A report with nothing in it: every value path leads to None, every table to empty rows."""

    def __init__(
        self, fields: Mapping[str, Any], tables: Mapping[FieldPath, tuple[Any, ...]], inner: frozenset[FieldPath]
    ) -> None:
        self._fields = fields
        self._tables = tables
        self._inner = inner  # paths that lead on to values (``training`` of ``training.government.year``)
        self._prefix: FieldPath = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        path = (*self._prefix, name)
        if not self._prefix and name in self._fields:
            return self._fields[name]
        lines = self._tables.get(path)
        if lines is not None:
            return lines
        if path in self._inner:
            node = _Unfilled(self._fields, self._tables, self._inner)
            node._prefix = path
            return node
        return None


class _EmptyRow:
    """A table row with nothing in it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return None


_EMPTY_ROW = _EmptyRow()


class _Labels:
    """A line the form fixes, as its blank shows it: its texts (the line's label, its unit), no figure."""

    def __init__(self, line: Any) -> None:
        self._line = line

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self._line, name, None)
        return value if isinstance(value, str) else None


def _fixed_lines(fixed: Any, path: FieldPath) -> tuple[Any, ...]:
    """The lines of the table at ``path`` in the report built from no records (none when it has none)."""
    value = fixed
    for name in path:
        value = getattr(value, str(name), None)
    return tuple(value) if isinstance(value, tuple) else ()


def write_blank(
    layout: WorkbookLayout,
    report_type: type,
    target: str | os.PathLike[str],
    *,
    fields: Mapping[str, Any] | None = None,
    rows: int = BLANK_ROWS,
    fixed: Any = None,
) -> Path:
    """Write the blank of ``layout`` to ``target`` atomically: its titles with ``fields`` filled in (the
    others printed as ``＿＿＿＿``), every value cell empty with its validation and input message, and
    ``rows`` empty rows in each table.

    ``fixed`` is the report the form builds from no records, when it builds one: a table whose lines the
    form fixes (钢铁, 水泥, …; 合计) keeps them in the blank, their labels printed and their figures empty,
    instead of ``rows`` empty rows."""
    if not 1 <= rows <= 100_000:
        raise ValueError(f"a blank has 1 to 100000 rows in each table, not {rows}")
    given = dict(fields or {})
    names = {
        name
        for sheet in layout.sheets
        for block in sheet.blocks
        if isinstance(block, Title)
        for name in title_fields(block.template)
    }
    shown = {name: given.get(name, UNFILLED) for name in names}
    tables: dict[FieldPath, tuple[Any, ...]] = {}
    for sheet in layout.sheets:
        for block in sheet.tables():
            path = tuple(block.rows.split("."))
            lines = _fixed_lines(fixed, path)
            tables[path] = tuple(_Labels(line) for line in lines) if lines else (_EMPTY_ROW,) * rows
    plans = [
        plan_sheet(sheet, {table.rows: len(tables[tuple(table.rows.split("."))]) for table in sheet.tables()})
        for sheet in layout.sheets
    ]
    inner = frozenset(
        cell.path[:depth]
        for plan in plans
        for cell in plan.fixed
        if cell.path is not None
        for depth in range(1, len(cell.path))
    )
    report = _Unfilled(shown, tables, inner)
    final = Path(target)
    with atomic_target(final) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        try:
            formats = _Formats(workbook)
            for sheet_layout, plan in zip(layout.sheets, plans, strict=True):
                writer = _SheetWriter(workbook, formats, sheet_layout, plan, report, {}, {}, False)
                writer.write()
                _validate_cells(writer.sheet, plan, report_type, _notes(sheet_layout.blocks))
        finally:
            workbook.close()
    return final


def _notes(blocks: Sequence[Any]) -> dict[str, str]:
    """The 填报说明 lines by their marker (``"2"`` → ``"[2]开展清洁生产培训情况：…"``)."""
    found: dict[str, str] = {}
    for block in blocks:
        if isinstance(block, Notes):
            for line in block.lines:
                match = _NOTE_MARK.match(line.strip())
                if match is not None:
                    found[match.group(1)] = line.strip()
    return found


def _validate_cells(sheet: Any, plan: SheetPlan, report_type: type, notes: Mapping[str, str]) -> None:
    sections = [cell for cell in plan.fixed if cell.style == "section" and cell.text]
    for cell in plan.fixed:
        if cell.path is None or (cell.value is not None and (cell.value.labels or cell.value.template)):
            continue
        section = next((s for s in sections if s.row <= cell.row < s.row + s.rowspan), None)
        note = _note_of(section.text if section is not None else None, notes)
        shape = tuple(0 if isinstance(key, int) else key for key in cell.path)
        rule = _rule(report_type, shape, note, cell.blank)
        if rule is not None:
            sheet.data_validation(cell.row, cell.col, cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1, rule)
    for table in plan.tables:
        if table.count == 0:
            continue
        for (col, column), field in zip(table.columns, table.fields, strict=True):
            if field is None:
                continue
            rule = _rule(report_type, (*table.rows_path, 0, *field), None, column.blank)
            if rule is not None:
                last = table.first_row + table.count - 1
                sheet.data_validation(table.first_row, col, last, col + column.span - 1, rule)


def _note_of(section: str | None, notes: Mapping[str, str]) -> str | None:
    if section is None:
        return None
    match = _NOTE_MARK.search(section)
    return notes.get(match.group(1)) if match is not None else None


#: What the input message says of a cell left empty, by the cell's rule (:data:`~cpsdk.workbook.Blank`).
_BLANK_SAID = {"zero": "留空即为 0", "refuse": "不能留空，没有请填 0", "empty": None}


def _rule(report_type: type, path: FieldPath, note: str | None, blank: str = "empty") -> dict[str, Any] | None:
    """The data validation of the field at ``path``: by its type, with its name, what it means and what an
    empty cell means there (``blank``) as input message."""
    try:
        tp, _, unit = type_unit_at(report_type, path)
    except (KeyError, TypeError, IndexError, AttributeError):
        return None
    title, about = _about(report_type, path)
    unit_text = f"（{unit.symbol}）" if unit is not None else ""
    rule: dict[str, Any]
    if tp is int:
        rule = {"validate": "integer", "criteria": ">=", "value": 0}
        wanted = "请填写不小于 0 的整数"
    elif tp is Decimal:
        rule = {"validate": "decimal", "criteria": ">=", "value": 0}
        wanted = f"请填写不小于 0 的数值{unit_text}，小数照实填写"
    elif tp is datetime.date:
        rule = {
            "validate": "date",
            "criteria": "between",
            "minimum": datetime.date(1990, 1, 1),
            "maximum": datetime.date(2100, 12, 31),
        }
        wanted = "请填写日期，如 2018-12-31"
    elif tp is bool:
        rule = {"validate": "list", "source": ["是", "否"]}
        wanted = "请选择“是”或“否”"
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        labels = [str(getattr(member, "zh", member.value)) for member in tp]
        if sum(len(label) + 1 for label in labels) > _MESSAGE_LIMIT:
            return None
        rule = {"validate": "list", "source": labels}
        wanted = "请从下拉列表中选择"
    else:
        return None
    said = _BLANK_SAID.get(blank) if tp in (int, Decimal) else ("不能留空" if blank == "refuse" else None)
    message = "\n".join(part for part in (wanted, said, about, note) if part)
    rule.update(
        {
            "input_title": title[:_TITLE_LIMIT],
            "input_message": message[:_MESSAGE_LIMIT],
            "error_title": "取值无效",
            "error_message": f"{title}：{wanted}"[:_MESSAGE_LIMIT],
            "error_type": "stop",
        }
    )
    return rule


def _about(report_type: type, path: FieldPath) -> tuple[str, str | None]:
    """The field's Chinese name (with its parent's, ``政府管理人员（人次） 本年``) and what it means."""
    titles: list[str] = []
    about: str | None = None
    for index, key in enumerate(path):
        if not isinstance(key, str):
            continue
        owner, _ = type_at(report_type, path[:index]) if index else (report_type, False)
        field = attrs.fields_dict(owner).get(key) if isinstance(owner, type) and attrs.has(owner) else None
        if field is None:
            return " ".join(titles[-2:]) or str(key), about
        titles.append(field_title(field)[0])
        about = field.metadata.get("about_zh") or about
    return " ".join(titles[-2:]) or str(path[-1]), about
