"""Issue 23 item 5: the lines a submitting unit signs, and the 公示's publisher, period and contact.

Each form a unit hands in (the filing record, the list of filings, the city and province summaries) ends
with 填报单位（盖章）, 填表人, 联系电话 and 填报日期, filled from the build's parameters; the 公示 prints who
publishes it, the notice period and whom to tell of an objection. Every value is read back from the cell
beside its label, and a workbook without the lines reads as well.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

import cpsdk
from cpsdk.cli import main

D = datetime.date
SUBMITTED = {"unit": "深圳市工业和信息化局", "filled_by": "李四", "phone": "0755-88112233", "filed_on": "2019-01-15"}
EXPECTED = cpsdk.Submission(
    unit="深圳市工业和信息化局", filled_by="李四", phone="0755-88112233", filed_on=D(2019, 1, 15)
)
LABELS = {"填报单位（盖章）：": "unit", "填表人：": "filled_by", "联系电话：": "phone", "填报日期：": "filed_on"}
SUBMITTING = {
    "guangdong.filing": {},
    "guangdong.filings": {"year": 2017},
    "guangdong.city-summary": {"region": "4403", "year": 2018},
    "guangdong.province-summary": {"year": 2018},
}
NOTICE = {
    "publisher": "深圳市工业和信息化局",
    "period_from": "2019-03-01",
    "period_to": "2019-03-10",
    "objection_contact": "王五",
    "objection_phone": "0755-88776655",
}


@pytest.fixture(scope="module")
def dataset() -> cpsdk.Dataset:
    return cpsdk.example_dataset(seed=2016)


def beside(path: Path, label: str) -> Any:
    """The value of the cell right of the one showing ``label`` on the form's sheet (past the cells a merged
    label covers); KeyError without the label."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    for row in sheet.iter_rows():
        for index, cell in enumerate(row):
            if cell.value == label:
                value = next(c.value for c in row[index + 1 :] if not isinstance(c, MergedCell))
                return value.date() if isinstance(value, datetime.datetime) else value
    raise KeyError(label)


def write(form: cpsdk.Form, report: Any, path: Path) -> Path:
    return form.write(report, path, draft=cpsdk.has_errors(form.check(report)))


@pytest.mark.parametrize("form_id", sorted(SUBMITTING))
def test_each_submitted_form_prints_the_four_lines_beside_their_labels_and_reads_them_back(
    form_id: str, dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = cpsdk.get_form(form_id)
    assert set(cpsdk.SUBMISSION_PARAMETERS) <= set(form.parameters)
    report = form.build(dataset, **SUBMITTING[form_id], **SUBMITTED)
    assert report.submission == EXPECTED
    path = write(form, report, tmp_path / "out.xlsx")
    for label, field in LABELS.items():
        assert beside(path, label) == getattr(EXPECTED, field)
    assert form.read(path) == report


@pytest.mark.parametrize("form_id", sorted(SUBMITTING))
def test_the_lines_are_optional_and_print_empty_under_their_labels(
    form_id: str, dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = cpsdk.get_form(form_id)
    report = form.build(dataset, **SUBMITTING[form_id])
    assert report.submission == cpsdk.Submission()
    path = write(form, report, tmp_path / "out.xlsx")
    assert [beside(path, label) for label in LABELS] == [None] * 4  # the labels are there, the values blank
    assert form.read(path) == report


@pytest.mark.parametrize("form_id", sorted(SUBMITTING))
def test_a_filing_date_that_is_not_a_date_is_refused_naming_the_parameter(form_id: str, dataset: cpsdk.Dataset) -> None:
    with pytest.raises(ValueError, match="filed_on"):
        cpsdk.get_form(form_id).build(dataset, **SUBMITTING[form_id], filed_on="2019-13-01")


def test_the_command_line_refuses_a_bad_filing_date(
    dataset: cpsdk.Dataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "dataset.json"
    cpsdk.save(dataset, source)
    args = ["emit", "guangdong.filing", str(source), "--param", "filed_on=15/01/2019", "-o", str(tmp_path / "x.xlsx")]
    assert main(args) == 2
    assert "filed_on must be a date as YYYY-MM-DD" in capsys.readouterr().err


def test_a_workbook_typed_without_the_lines_reads_with_none(dataset: cpsdk.Dataset, tmp_path: Path) -> None:
    """A clerk's workbook (no identity sheet) that stops at the notes still reads, the lines empty."""
    form = cpsdk.get_form("guangdong.city-summary")
    report = form.build(dataset, **SUBMITTING["guangdong.city-summary"], **SUBMITTED)
    path = write(form, report, tmp_path / "typed.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    rows = [row[0].row for row in sheet.iter_rows() if row[0].value in ("填报单位（盖章）：", "填表人：")]
    assert len(rows) == 2
    for merged in [m for m in sheet.merged_cells.ranges if m.min_row >= rows[0]]:
        sheet.unmerge_cells(str(merged))
    sheet.delete_rows(rows[0], 2)
    del book["_cpsdk"]
    book.save(path)
    assert form.read(path) == attrs.evolve(report, submission=cpsdk.Submission())


def test_the_merged_summary_is_the_merging_units_not_a_citys(dataset: cpsdk.Dataset, tmp_path: Path) -> None:
    city = cpsdk.get_form("guangdong.city-summary")
    province = cpsdk.get_form("guangdong.province-summary")
    assert isinstance(province, cpsdk.MergeableForm)
    cities = [city.build(dataset, region=code, year=2018, **SUBMITTED) for code in ("4401", "4403", "4406")]
    assert province.merge(cities).submission == cpsdk.Submission()
    merged = province.merge(cities, unit="广东省工业和信息化厅", filled_by="赵六", filed_on="2019-02-01")
    assert merged.submission == cpsdk.Submission(unit="广东省工业和信息化厅", filled_by="赵六", filed_on=D(2019, 2, 1))
    books = []
    for report in cities:
        books.append(str(city.write(report, tmp_path / f"{report.region}.xlsx", draft=True)))
    out = tmp_path / "province.xlsx"
    params = ["--param", "unit=广东省工业和信息化厅", "--param", "phone=020-83133333", "--param", "filed_on=2019-02-01"]
    assert main(["merge", "guangdong.province-summary", *books, *params, "-o", str(out)]) in (0, 1)
    read = province.read(out)
    assert read.submission == cpsdk.Submission(
        unit="广东省工业和信息化厅", phone="020-83133333", filed_on=D(2019, 2, 1)
    )
    assert beside(out, "填报单位（盖章）：") == "广东省工业和信息化厅"


def test_in_traditional_script_the_labels_are_converted_and_the_names_printed_as_given(
    dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = cpsdk.get_form("guangdong.filing")
    report = form.build(dataset, script="hant", unit="东方制药有限公司", filled_by="张丽华", phone="020-1")
    assert report.submission.unit == "东方制药有限公司" and report.submission.filled_by == "张丽华"
    path = write(form, report, tmp_path / "hant.xlsx")
    assert beside(path, "填報單位（蓋章）：") == "东方制药有限公司"
    assert form.read(path) == report


def test_the_disclosure_prints_its_publisher_period_and_objection_contact(
    dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = cpsdk.get_form("guangdong.disclosure")
    assert set(NOTICE) <= set(form.parameters)
    report = form.build(dataset, year=2018, **NOTICE)
    assert (report.publisher, report.period_from, report.period_to) == (
        "深圳市工业和信息化局",
        D(2019, 3, 1),
        D(2019, 3, 10),
    )
    assert (report.objection_contact, report.objection_phone) == ("王五", "0755-88776655")
    path = write(form, report, tmp_path / "public.xlsx")
    assert beside(path, "公示单位：") == "深圳市工业和信息化局"
    assert beside(path, "公示期：") == D(2019, 3, 1)
    assert beside(path, "至") == D(2019, 3, 10)
    assert beside(path, "异议联系人：") == "王五"
    assert beside(path, "联系电话：") == "0755-88776655"
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert any("如有异议" in str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
    assert form.read(path) == report
    hant = form.build(dataset, year=2018, script="hant", **NOTICE)
    assert hant.publisher == "深圳市工业和信息化局"  # a name, printed as given
    assert form.read(write(form, hant, tmp_path / "hant.xlsx")) == hant


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"period_from": "2019-3-1"}, "period_from must be a date"),
        ({"period_to": "明天"}, "period_to must be a date"),
        ({"period_from": "2019-03-10", "period_to": "2019-03-01"}, "ends .* before it starts"),
    ],
)
def test_a_notice_period_that_is_not_two_dates_in_order_is_refused(
    given: dict[str, str], message: str, dataset: cpsdk.Dataset
) -> None:
    with pytest.raises(ValueError, match=message):
        cpsdk.get_form("guangdong.disclosure").build(dataset, year=2018, **given)


def test_a_notice_period_typed_backwards_is_an_error_on_its_cell(dataset: cpsdk.Dataset) -> None:
    form = cpsdk.get_form("guangdong.disclosure")
    report = attrs.evolve(form.build(dataset, year=2018), period_from=D(2019, 3, 10), period_to=D(2019, 3, 1))
    [issue] = [i for i in form.check(report) if i.code == "guangdong.disclosure.period"]
    assert issue.severity == "error" and issue.cell is not None and "信息公开" in (issue.source or "")


def test_the_notice_comes_from_the_parameters_never_the_dataset(dataset: cpsdk.Dataset) -> None:
    report = cpsdk.get_form("guangdong.disclosure").build(dataset, year=2018)
    assert (report.publisher, report.period_from, report.objection_contact, report.objection_phone) == (None,) * 4
