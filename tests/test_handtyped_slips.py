"""Slips a clerk makes that no habit of the corpora names, each read as typed or said at its cell.

Found by an independent attack on reading typed workbooks: a misreading must never pass with no issue.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import cpsdk
from tests.handtyped.annual import clean_book
from tests.handtyped.annual import save as save_annual

HEADERS = [
    "序号",
    "企业名称",
    "所在地",
    "所属行业",
    "项目名称",
    "总投资（万元）",
    "计划完成时间",
    "是否为审核提出的中高费方案",
    "项目进度",
]


def _plan(folder: Path, title: str, *, tail: tuple[Any, ...] = ("联系人：张三",), progress: Any = "在建") -> Path:
    """附件2 with one project, as a clerk types it: the title, the header, the row, a 联系人 line."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = title
    for col, header in enumerate(HEADERS, start=1):
        sheet.cell(2, col, header)
    for col, value in enumerate([1, "某公司", "武侯区", "化工", "改造", 100, "2018-06-01", "是", progress], start=1):
        sheet.cell(3, col, value)
    for offset, line in enumerate(tail):
        sheet.cell(5 + offset, 1, line)
    path = folder / "plan.xlsx"
    book.save(path)
    return path


def _read(path: Path) -> tuple[Any, list[cpsdk.Issue]]:
    report, issues = cpsdk.get_form("sichuan.retrofit-plan", layout_year=2016).read_with_issues(path)
    return report, list(issues)


def test_the_attachments_number_before_the_title_is_not_part_of_the_region(tmp_path: Path) -> None:
    report, issues = _read(_plan(tmp_path, "附件2：成都市2018年度工业清洁生产改造计划"))
    assert (report.region, report.region_name) == ("5101", "成都市"), [i.render() for i in issues]


@pytest.mark.parametrize(
    ("typed", "code"), [("阿坝州", "5132"), ("凉山州", "5134"), ("绵阳", "5107"), ("攀枝花", "5104")]
)
def test_a_region_typed_short_reads_as_the_one_it_names_and_says_so(typed: str, code: str, tmp_path: Path) -> None:
    report, issues = _read(_plan(tmp_path, f"{typed}2018年度工业清洁生产改造计划"))
    assert report.region == code
    said = [i for i in issues if i.code == "read.adjusted" and typed in i.message_zh]
    assert said and said[0].cell == "A1"


@pytest.mark.parametrize("typed", ["成都市经信委", "重庆市", "____市（州）"])
def test_a_title_naming_no_region_of_the_province_is_an_error_at_the_title(typed: str, tmp_path: Path) -> None:
    report, issues = _read(_plan(tmp_path, f"{typed}2018年度工业清洁生产改造计划"))
    errors = [i for i in issues if i.code == "read.region"]
    assert report is None and errors and errors[0].cell == "A1", [i.render() for i in issues]


def test_a_title_without_its_region_is_never_read_as_region_2_year_18(tmp_path: Path) -> None:
    report, issues = _read(_plan(tmp_path, "2018年度工业清洁生产改造计划"))
    assert report is None or report.year == 2018
    titled = [i for i in issues if i.code in ("read.title-missing", "workbook.title")]
    assert titled and all("{" not in i.message_zh for i in titled)
    assert any("［" in i.message_zh for i in titled)  # the title to type, its fields named


def test_a_percentage_in_a_text_column_is_said(tmp_path: Path) -> None:
    path = _plan(tmp_path, "成都市2018年度工业清洁生产改造计划", progress=0.5)  # 50% as Excel stores it
    report, issues = _read(path)
    assert report.rows[0].progress == "0.5"
    assert any(i.code == "read.adjusted" and i.cell == "I3" for i in issues)


@pytest.mark.parametrize(
    ("line", "said"),
    [("填表人：李四  联系人：张三", False), ("联系人及电话：张三", True), ("联系人：张三", False)],
)
def test_a_contact_typed_with_other_labels_in_its_cell_is_read(line: str, said: bool, tmp_path: Path) -> None:
    report, issues = _read(_plan(tmp_path, "成都市2018年度工业清洁生产改造计划", tail=(line,)))
    assert report.contact_person == "张三"
    assert any(i.code == "read.adjusted" and i.cell == "A5" for i in issues) is said


def test_a_contact_typed_under_its_label_is_said_not_lost(tmp_path: Path) -> None:
    report, issues = _read(_plan(tmp_path, "成都市2018年度工业清洁生产改造计划", tail=("联系人：", "张三")))
    assert report.contact_person is None
    assert [i.cell for i in issues if i.code == "read.not-found"] == ["A6"]


def test_year_headings_of_another_year_than_the_titles_are_an_error(tmp_path: Path) -> None:
    book = clean_book()  # 成都市 2018
    year = "2018"
    headings = [pos for pos, value in book.cells.items() if value == f"{year}年"]
    assert headings
    for pos in headings:
        book.cells[pos] = f"{int(year) - 1}年"
    report, issues = cpsdk.get_form("sichuan.annual-report").read_with_issues(save_annual(book, tmp_path / "a.xlsx"))
    assert report is None
    assert len([i for i in issues if i.code == "read.year-mismatch"]) == len(headings)


def test_a_figure_typed_where_the_grid_has_no_value_is_said_not_lost(tmp_path: Path) -> None:
    """A figure typed right of the grid's last column, in a row of values: under no heading, not read, said."""
    book = clean_book()
    row, _ = book.where["training.heads.year"]
    free = (row, book.last_col + 1)
    book.cells[free] = 12345
    _, issues = cpsdk.get_form("sichuan.annual-report").read_with_issues(save_annual(book, tmp_path / "a.xlsx"))
    assert f"{openpyxl.utils.get_column_letter(free[1] + 1)}{free[0] + 1}" in {
        i.cell for i in issues if i.code == "read.unread"
    }


def _plan_with_subtotals(folder: Path, first_subtotal: int) -> Path:
    """Two groups of projects, each with its 小计, and a 合计 of all."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["成都市2018年度工业清洁生产改造计划"])
    sheet.append(HEADERS)
    for number, amount in ((1, 100), (2, 400)):
        sheet.append([number, f"企业{number}", "武侯区", "化工", "改造", amount, "2018-06-01", "是", "在建"])
    sheet.append(["小计", None, None, None, None, first_subtotal])
    for number, amount in ((3, 1000), (4, 1000)):
        sheet.append([number, f"企业{number}", "武侯区", "化工", "改造", amount, "2018-06-01", "是", "在建"])
    sheet.append(["小计", None, None, None, None, 2000])
    sheet.append(["合计", None, None, None, None, 2500])
    path = folder / "subtotals.xlsx"
    book.save(path)
    return path


def test_a_subtotal_is_checked_against_its_own_rows_and_the_total_against_all(tmp_path: Path) -> None:
    report, issues = _read(_plan_with_subtotals(tmp_path, 500))
    assert len(report.rows) == 4
    assert [i for i in issues if i.code == "read.total-differs"] == []
    assert len([i for i in issues if i.code == "read.total-row"]) == 3
    _, issues = _read(_plan_with_subtotals(tmp_path, 600))
    assert [i.cell for i in issues if i.code == "read.total-differs"] == ["F5"]


def test_converting_keeps_the_sources_region_and_says_what_the_header_loses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 成都市 plan converted without --region stays 成都市's; its 联系人, which the target has no place
    for, is said; and the errors that make the output a draft are printed."""
    import cpsdk.cli

    source = _plan(tmp_path, "成都市2018年度工业清洁生产改造计划")
    out = tmp_path / "converted.xlsx"
    args = ["convert", "sichuan.retrofit-plan", str(source), "sichuan.audit-plan", "-o", str(out), "--year", "2018"]
    assert cpsdk.cli.main([*args, "--format", "json"]) == 0
    said = capsys.readouterr()
    title = openpyxl.load_workbook(out).worksheets[0]["A1"].value
    assert title.startswith("成都市")
    codes = {item["code"] for item in json.loads(said.out)}
    assert "conversion.header-changed" in codes  # 联系人 张三 → nothing
    if "is a draft" in said.err:
        assert any(code.startswith("sichuan.") for code in codes)  # why it is a draft


def test_a_second_copy_of_the_form_on_another_sheet_is_said(tmp_path: Path) -> None:
    path = _plan(tmp_path, "成都市2018年度工业清洁生产改造计划")
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book.worksheets[0])
    copy.title = "修改后"
    copy["F3"] = 150
    book.save(path)
    report, issues = _read(path)
    assert report.rows[0].investment == 100  # the first sheet
    [said] = [i for i in issues if i.code == "read.other-sheet"]
    assert "修改后" in said.message_zh
