"""Reading a filled intake workbook into the dataset's JSON form, remembering where each value was.

The reader goes by the field keys of row 2, so columns may be moved or left out; rows
that are entirely empty are skipped. Each cell is turned into the JSON value the dataset
schema expects (labels of closed vocabularies into their values, dates into ISO text,
amounts into exact decimal text); a cell that cannot be read is an issue at its cell,
and the field is left out so the schema says what is then missing. :class:`Locator`
turns any JSON pointer into the dataset back into ``sheet!cell``.
"""

from __future__ import annotations

import datetime
import enum
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from cpsdk.base._errors import CellValueError, WorkbookError
from cpsdk.base._issues import Issue, error
from cpsdk.intake._columns import FIRST_ROW, IntakeColumn, IntakeSheet, intake_sheets
from cpsdk.model._quantity import format_decimal
from cpsdk.model._vocabulary import member_by_label
from cpsdk.workbook._layout import a1
from cpsdk.workbook._reader import open_workbook, sheet_rows
from cpsdk.workbook._values import LIST_SEPARATORS, from_cell, is_blank

_YEAR_AMOUNT = re.compile(r"^\s*(\d{4})\s*[=:：]\s*(\S+)\s*$")


@attrs.frozen
class Locator:
    """Where each record and field of a dataset read from an intake workbook was."""

    rows: Mapping[str, tuple[int, ...]]
    sheets: Mapping[str, IntakeSheet]
    columns: Mapping[str, Mapping[str, int]]

    def locate(self, issue: Issue) -> Issue:
        """The issue pinned to the sheet and cell its pointer names (unchanged when it names none)."""
        if not issue.pointer or issue.sheet is not None:
            return issue
        parts = issue.pointer.lstrip("/").split("/")
        kind = parts[0]
        if kind not in self.sheets or len(parts) < 2 or not parts[1].isdigit():
            return issue
        rows = self.rows.get(kind, ())
        index = int(parts[1])
        if index >= len(rows):
            return issue
        col = self.columns.get(kind, {}).get(parts[2], 0) if len(parts) > 2 else 0
        return issue.at(sheet=self.sheets[kind].name, cell=a1(rows[index], col))


def _json(raw: Any, column: IntakeColumn) -> Any:
    """A cell as the JSON value of its field; CellValueError("中文", "English") when it cannot be read."""
    if column.kind == "year-amounts":
        items = []
        for part in re.split(r"[；;\n]", str(raw)):
            if not part.strip():
                continue
            match = _YEAR_AMOUNT.match(part)
            if match is None:
                raise CellValueError(f"应为“年份=数值”：{part[:40]}", f"expected YEAR=AMOUNT, got {part[:40]!r}")
            items.append({"year": int(match.group(1)), "amount": match.group(2)})
        return items
    if column.kind in ("list", "enum-list"):
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
        if "\n" in text:  # one item per line, kept exactly
            values = [part for part in text.split("\n") if part.strip()]
        else:
            values = [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]
        if column.kind == "enum-list":
            member = typing_item(column)
            return [_enum_value(value, member) for value in values]
        return values
    value = from_cell(raw, column.python_type, column.optional)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def typing_item(column: IntakeColumn) -> type[enum.Enum]:
    """The enum of a list-of-enum column."""
    import typing

    item: type[enum.Enum] = typing.get_args(column.python_type)[0]
    return item


def _enum_value(text: str, cls: type[enum.Enum]) -> str:
    return str(member_by_label(cls, text).value)


def read_intake(path: str | os.PathLike[str]) -> tuple[dict[str, Any], list[Issue], Locator]:
    """The dataset's JSON form from an intake workbook, the issues of its cells, and where each value was.

    Raises :class:`cpsdk.WorkbookError` when the file is not a readable workbook.
    """
    sheets = intake_sheets()
    book = open_workbook(path)
    if not any(layout.name in book.sheet_names for layout in sheets):
        book.close()
        raise _not_intake(path, sheets)
    data: dict[str, Any] = {"version": "1.0"}
    issues: list[Issue] = []
    rows_of: dict[str, tuple[int, ...]] = {}
    columns_of: dict[str, dict[str, int]] = {}
    try:
        for layout in sheets:
            if layout.name not in book.sheet_names:
                continue
            rows = sheet_rows(book, layout.name)
            keys = [str(k).strip() if k is not None else "" for k in (rows[1] if len(rows) > 1 else [])]
            where = {key: index for index, key in enumerate(keys) if key and layout.column(key) is not None}
            columns_of[layout.kind] = where
            if not where and len(rows) > FIRST_ROW:
                issues.append(
                    error(
                        "intake.header",
                        f"工作表“{layout.name}”第 2 行没有可识别的字段名，其内容未读取",
                        f"sheet {layout.name!r} has no field names cpsdk knows in row 2; its rows were not read",
                    ).at(sheet=layout.name, cell="A2")
                )
            records: list[dict[str, Any]] = []
            record_rows: list[int] = []
            for row_number in range(FIRST_ROW, len(rows)):
                row = rows[row_number]
                cells = {key: row[col] if col < len(row) else None for key, col in where.items()}
                if all(is_blank(value) for value in cells.values()):
                    continue
                record: dict[str, Any] = {}
                for key, raw in cells.items():
                    column = layout.columns[layout.column(key) or 0]
                    if is_blank(raw):
                        continue
                    try:
                        record[key] = _json(raw, column)
                    except ValueError as exc:
                        zh, en = (exc.zh, exc.en) if isinstance(exc, CellValueError) else (str(exc), str(exc))
                        issues.append(
                            error("intake.cell", zh, en).at(sheet=layout.name, cell=a1(row_number, where[key]))
                        )
                records.append(record)
                record_rows.append(row_number)
            data[layout.kind] = records
            rows_of[layout.kind] = tuple(record_rows)
    finally:
        book.close()
    locator = Locator(rows=rows_of, sheets={s.kind: s for s in sheets}, columns=columns_of)
    return data, issues, locator


def _not_intake(path: str | os.PathLike[str], sheets: tuple[IntakeSheet, ...] | list[IntakeSheet]) -> WorkbookError:
    """Why a workbook without any intake sheet is refused, saying what it is when it says so itself."""
    from cpsdk.workbook import workbook_identity

    identity = workbook_identity(path)
    if identity is not None:
        zh = f"这是表单 {identity.form} 的工作簿，不是填报模板；请用 cpsdk read {identity.form} 读取"
        en = (
            f"this is a workbook of the form {identity.form}, not an intake workbook; "
            f"read it with `cpsdk read {identity.form}`"
        )
    else:
        names = "、".join(layout.name for layout in sheets)
        zh = f"工作簿中没有填报模板的工作表（{names}），不是填报模板"
        en = f"the workbook has none of the intake sheets ({names}); it is not an intake workbook"
    return WorkbookError(en, [error("workbook.not-intake", zh, en)])
