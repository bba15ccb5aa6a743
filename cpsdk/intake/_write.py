"""Writing the intake workbook: empty (``cpsdk template``) or filled from a dataset.

Closed vocabularies get drop-down lists of their Chinese labels (regions and industries
from a hidden code sheet), dates a date validation, amounts and counts a non-negative
one. Text is written as text, as everywhere in cpsdk, and reads back exactly whatever it
holds (:mod:`cpsdk.workbook._text_cells`); a text no cell can hold — longer than Excel's
32,767 characters, or holding U+FFFE, U+FFFF or a lone surrogate — is refused with
:class:`~cpsdk.ExcelLimitError` naming the record and field, never cut. A date before
1 March 1900 (which Excel cannot hold as a date) is written as its ``YYYY-MM-DD`` text,
which reads back as the date. The write is atomic.
"""

from __future__ import annotations

import datetime
import enum
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from cpsdk.base._errors import ExcelLimitError
from cpsdk.base._version import sdk_version
from cpsdk.codes import all_industries, all_regions
from cpsdk.intake._columns import CODES_SHEET, FIRST_ROW, INSTRUCTIONS_SHEET, IntakeColumn, IntakeSheet, intake_sheets
from cpsdk.model._entities import Dataset, YearAmount
from cpsdk.model._quantity import format_decimal
from cpsdk.workbook._atomic import atomic_target
from cpsdk.workbook._identity import IDENTITY_SHEET, WorkbookIdentity
from cpsdk.workbook._styles import STYLES
from cpsdk.workbook._text_cells import TextCells
from cpsdk.workbook._values import EXCEL_DIGITS, LIST_SEPARATORS
from cpsdk.workbook._writer import early_date_text, looks_active

#: The form id the intake workbook's identity sheet names.
INTAKE_FORM = "cpsdk.intake"
#: Rows given drop-downs and validation beyond the data (room to fill in).
ROOM = 1000


def cell_text(value: Any) -> str | None:
    """A list or year amounts as the intake prints them (None for an empty list)."""
    if isinstance(value, tuple):
        if not value:
            return None
        if all(isinstance(item, YearAmount) for item in value):
            return "；".join(f"{item.year}={format_decimal(item.amount)}" for item in value)
        texts = [str(getattr(item, "zh", item)) for item in value]
        if any("\n" in text or not text.strip() for text in texts):
            # Items are kept apart by line breaks at most: one holding a line break, or blank, would not read back.
            raise ExcelLimitError("a list item that holds a line break, or is blank, cannot be kept apart in one cell")
        # One per line when an item holds a separator or edge spaces, so that reading gives it back the same.
        odd = any(LIST_SEPARATORS.search(text) for text in texts) or any(t != t.strip() for t in texts)
        if odd:  # a lone item still ends with a newline, so reading knows to take lines as they are
            return "\n".join(texts) + ("\n" if len(texts) == 1 else "")
        return "、".join(texts)
    return None


def _instructions(sheet: Worksheet, sheets: Sequence[IntakeSheet], bold: Any, text: Any) -> None:
    cells = TextCells(sheet)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90)
    lines = [
        ("清洁生产数据填报表", ""),
        (
            "用途",
            "企业或市县填报清洁生产审核及相关工作记录；填好后可用 cpsdk validate 检查、用 cpsdk emit 生成各省报表。",
        ),
        ("填法", "每类记录一张工作表，每行一条记录；第1行为中文表头（含单位），第2行为字段代码，请勿修改第2行。"),
        ("代码", "统一社会信用代码18位；地区为GB/T 2260六位代码，行业为GB/T 4754-2017代码，均可从下拉列表选取。"),
        ("金额与数量", "按表头所注单位填写数值，不要填写单位；效果数量按所选指标的单位（见方案效果表）。"),
        ("日期", "填写为日期（如2018-06-30）。"),
        ("多项", "多个产品、污染物等以“、”分隔；工业产值填“年份=万元”，多个以“；”分隔。"),
        ("关联", "审核、方案、协议以统一社会信用代码关联企业；方案以审核编号关联审核；效果以方案编号关联方案。"),
    ]
    for intake in sheets:
        _, english, *_ = getattr(intake.record_type, "__cpsdk_title__", (intake.name, intake.kind))
        required = "、".join(c.header for c in intake.columns if c.required)
        lines.append((intake.name, f"每行一条{intake.name}记录（{english}）；必填：{required}。"))
    for row, (label, body) in enumerate(lines):
        cells.write(row, 0, label, bold)
        cells.write(row, 1, body, text)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _codes(workbook: xlsxwriter.Workbook) -> tuple[int, int]:
    sheet = workbook.add_worksheet(CODES_SHEET)
    cells = TextCells(sheet)
    regions = sorted(region.code.ljust(6, "0") for region in all_regions())
    industries = sorted(industry.code for industry in all_industries())
    cells.write(0, 0, "地区代码")
    cells.write(0, 1, "行业代码")
    for row, code in enumerate(regions, start=1):
        cells.write(row, 0, code)
    for row, code in enumerate(industries, start=1):
        cells.write(row, 1, code)
    sheet.hide()
    return len(regions), len(industries)


def _validate(sheet: Worksheet, col: int, column: IntakeColumn, last: int, counts: tuple[int, int]) -> None:
    rule: dict[str, Any] | None = None
    if column.kind == "enum":
        rule = {"validate": "list", "source": [str(getattr(m, "zh", m.value)) for m in column.python_type]}
    elif column.key == "region":
        rule = {"validate": "list", "source": f"={CODES_SHEET}!$A$2:$A${counts[0] + 1}", "error_type": "warning"}
    elif column.key == "industry":
        rule = {"validate": "list", "source": f"={CODES_SHEET}!$B$2:$B${counts[1] + 1}", "error_type": "warning"}
    elif column.kind == "bool":
        rule = {"validate": "list", "source": ["是", "否"]}
    elif column.kind == "date":
        rule = {
            "validate": "date",
            "criteria": "between",
            "minimum": datetime.date(1990, 1, 1),
            "maximum": datetime.date(2100, 12, 31),
        }
    elif column.kind in ("decimal", "int"):
        rule = {"validate": "decimal" if column.kind == "decimal" else "integer", "criteria": ">=", "value": 0}
    if rule is not None:
        rule.setdefault("error_type", "stop")
        sheet.data_validation(FIRST_ROW, col, last, col, rule)


def _put(cells: TextCells, row: int, col: int, value: Any, formats: dict[str, Any]) -> None:
    """Write a record's field; ExcelLimitError for a text no cell can hold."""
    sheet = cells.sheet
    if value is None or value == ():
        return
    if isinstance(value, bool):
        cells.write(row, col, "是" if value else "否", formats["text"])
    elif isinstance(value, int):
        sheet.write_number(row, col, value, formats["int"])
    elif isinstance(value, Decimal):
        if len(value.normalize().as_tuple().digits) > EXCEL_DIGITS:
            cells.write(row, col, format_decimal(value), formats["text"])  # kept exact as text
        else:
            sheet.write_number(row, col, float(value), formats["amount"])
    elif isinstance(value, datetime.date):
        early = early_date_text(value)  # before March 1900: no Excel date; its text reads back as the date
        if early is not None:
            cells.write(row, col, early, formats["date"])
        else:
            sheet.write_datetime(row, col, datetime.datetime.combine(value, datetime.time()), formats["date"])
    else:
        text = cell_text(value) if isinstance(value, tuple) else str(getattr(value, "zh", value))
        if isinstance(value, enum.Enum):
            text = str(getattr(value, "zh", value.value))
        if text is not None:
            cells.write(row, col, text, formats["quoted" if looks_active(text) else "text"])


def _where(layout: IntakeSheet, offset: int, record: Any, column: IntakeColumn) -> str:
    """The record and field a cell holds, as an error names them: ``/proposals/3/progress (方案 P-1, 项目进度)``."""
    key = getattr(record, "id", None) or getattr(record, "uscc", None) or ""
    label = f"{layout.name} {key}".rstrip()
    return f"/{layout.kind}/{offset}/{column.key} ({label}, {column.header})"


def write_intake(path: str | os.PathLike[str], dataset: Dataset | None = None) -> Path:
    """Write the intake workbook to ``path`` atomically: empty, or filled with ``dataset``."""
    sheets = intake_sheets()
    target = Path(path)
    with atomic_target(target) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        try:
            formats = {
                name: workbook.add_format({**STYLES[style], **extra})
                for name, style, extra in (
                    ("header", "header", {}),
                    ("key", "label", {"font_color": "#808080", "font_size": 8}),
                    ("text", "text", {}),
                    ("quoted", "text", {"quote_prefix": True}),
                    ("int", "int", {}),
                    ("amount", "amount", {"num_format": "General"}),
                    ("date", "date", {}),
                    ("bold", "notes_title", {}),
                    ("note", "note", {}),
                )
            }
            _instructions(workbook.add_worksheet(INSTRUCTIONS_SHEET), sheets, formats["bold"], formats["note"])
            worksheets = [(workbook.add_worksheet(s.name), s) for s in sheets]
            counts = _codes(workbook)
            for sheet, layout in worksheets:
                cells = TextCells(sheet)
                records = getattr(dataset, layout.kind) if dataset is not None else ()
                last = FIRST_ROW + len(records) + ROOM
                for col, column in enumerate(layout.columns):
                    cells.write(0, col, column.header, formats["header"])
                    cells.write(1, col, column.key, formats["key"])
                    wide = column.kind in ("text", "list", "year-amounts") and column.key not in ("id", "uscc")
                    sheet.set_column(col, col, 24 if wide else max(10, min(30, len(column.header) * 2)))
                    _validate(sheet, col, column, last, counts)
                for offset, record in enumerate(records):
                    for col, column in enumerate(layout.columns):
                        try:
                            _put(cells, FIRST_ROW + offset, col, getattr(record, column.key), formats)
                        except ExcelLimitError as exc:  # never cut or changed in silence: say whose field
                            raise ExcelLimitError(f"{_where(layout, offset, record, column)}: {exc}") from None
                sheet.freeze_panes(FIRST_ROW, 0)
                sheet.set_landscape()
                sheet.set_paper(9)
                sheet.repeat_rows(0, FIRST_ROW - 1)
            identity = WorkbookIdentity(
                form=INTAKE_FORM,
                layout_year=2016,
                sdk_version=sdk_version(),
                plugin="cpsdk",
                plugin_version=sdk_version(),
                written_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                report_sha256="",
            )
            ident = workbook.add_worksheet(IDENTITY_SHEET)
            ident_cells = TextCells(ident)
            for row, (key, value) in enumerate(identity.rows()):
                ident_cells.write(row, 0, key)
                ident_cells.write(row, 1, value)
            ident.hide()
        finally:
            workbook.close()
    return target
