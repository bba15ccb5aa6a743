"""A form's blank: filled in by hand in Excel or WPS, it reads back; nothing typed is hidden."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import cpsdk
from cpsdk.cli import main
from cpsdk.workbook import IDENTITY_SHEET

LAYOUT_FORMS = [form for form in cpsdk.list_forms() if isinstance(form, cpsdk.LayoutForm)]


@pytest.mark.parametrize("form", LAYOUT_FORMS, ids=lambda form: f"{form.id}@{form.layout_year}")
def test_every_forms_blank_is_recognised_and_hides_no_typed_decimal(form: Any, tmp_path: Path) -> None:
    path = form.write_blank(tmp_path / "blank.xlsx", rows=5, year=2018)
    book = openpyxl.load_workbook(path)
    assert IDENTITY_SHEET not in book.sheetnames  # a blank is read by its labels, as any typed workbook
    validated = 0
    for sheet in book.worksheets:
        for rule in sheet.data_validations.dataValidation:
            validated += 1
            assert rule.promptTitle and rule.prompt and rule.showInputMessage
            for cells in rule.sqref.ranges:
                for row in sheet.iter_rows(
                    min_row=cells.min_row, max_row=cells.max_row, min_col=cells.min_col, max_col=cells.max_col
                ):
                    for cell in row:
                        if rule.type == "decimal":  # an amount: what is typed shows with all its places
                            assert cell.number_format == "General", (sheet.title, cell.coordinate)
    assert validated > 0
    found = cpsdk.form_of_workbook(form.id, path)
    assert (found.id, found.layout_year) == (form.id, form.layout_year)
    report, issues = found.read_with_issues(path)  # empty: a report, or issues — never an exception
    assert report is not None or issues


def test_a_filled_retrofit_plan_blank_reads_exactly_what_was_typed(tmp_path: Path) -> None:
    form = cpsdk.get_form("sichuan.retrofit-plan", layout_year=2016)
    path = tmp_path / "blank.xlsx"
    assert main(["blank", form.id, "-o", str(path), "--year", "2018", "--region", "5101", "--layout-year", "2016"]) == 0
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "成都市2018年度工业清洁生产改造计划"
    rules = {rule.type: str(rule.sqref) for rule in sheet.data_validations.dataValidation}
    assert rules == {"decimal": "F3:F52", "date": "G3:G52", "list": "H3:H52"}
    typed = [
        [
            "成都甲化工有限公司",
            "武侯区",
            "化学原料和化学制品制造业",
            "余热回收",
            125.6,
            datetime.datetime(2018, 12, 31),
            "是",
            "在建",
        ],
        ["成都乙制药有限公司", "青羊区", "医药制造业", "废水回用", 0.002, 2018.11, "否", "完成"],
    ]
    for offset, values in ((0, typed[0]), (2, typed[1])):  # a blank row left between them
        for column, value in enumerate(values, start=2):
            sheet.cell(row=3 + offset, column=column, value=value)
    book.save(path)
    report, issues = form.read_with_issues(path)
    assert [(row.name, row.investment, row.planned_completion) for row in report.rows] == [
        ("成都甲化工有限公司", Decimal("125.6"), datetime.date(2018, 12, 31)),
        ("成都乙制药有限公司", Decimal("0.002"), datetime.date(2018, 11, 1)),
    ]
    assert (report.region, report.year) == ("5101", 2018)
    codes = {(issue.code, issue.cell) for issue in issues}
    assert ("read.blank-row", "A4") in codes
    assert ("read.adjusted", "G5") in codes


def test_a_filled_annual_report_blank_reads_its_grid(tmp_path: Path) -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    path = form.write_blank(tmp_path / "blank.xlsx", year=2018, region="5101")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    prompts = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    government = prompts["B7"]  # 一、政府管理人员（人次） 本年
    assert government.type == "whole" and "[2]" in government.prompt
    sheet["B7"] = 187
    sheet["C7"] = 707
    book.save(path)
    report, issues = form.read_with_issues(path)
    assert report is None or report.training.government.year == 187
    typed = {issue.cell for issue in issues if issue.code == "workbook.cell"}
    assert "B7" not in typed and "C7" not in typed


def test_a_blank_refuses_a_silly_number_of_rows(tmp_path: Path) -> None:
    assert main(["blank", "sichuan.audit-plan", "-o", str(tmp_path / "b.xlsx"), "--rows", "0"]) == 2
    assert main(["blank", "national.summary", "-o", str(tmp_path / "b.xlsx"), "--region", "99"]) == 2


def test_a_blank_prints_the_lines_its_form_fixes_and_reads_what_is_typed_beside_them(tmp_path: Path) -> None:
    """钢铁, 水泥 … of Guangdong's summary are printed in its blank, with their figures empty to fill in, and
    not 50 rows without labels; a figure typed beside a label reads back on that line."""
    form = cpsdk.get_form("guangdong.city-summary")
    path = form.write_blank(tmp_path / "blank.xlsx", year=2018)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    labels = {cell.value: cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert {"钢铁", "水泥", "合计", "其中：简化审核"} <= labels.keys()
    steel = labels["钢铁"]
    spans = [r for r in sheet.merged_cells.ranges if steel.coordinate in r]
    after = spans[0].max_col if spans else steel.column  # the figure's cell begins past the label's
    figure = sheet.cell(row=steel.row, column=after + 1)
    figure.value = 3
    book.save(path)
    _, issues = form.read_with_issues(path)  # the rest is left empty: each empty figure is said, at its cell
    empty = {issue.cell for issue in issues if issue.code == "workbook.cell"}
    cement = sheet.cell(row=labels["水泥"].row, column=after + 1).coordinate
    assert cement in empty and figure.coordinate not in empty
