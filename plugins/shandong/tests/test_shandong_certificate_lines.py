"""Issue 23 item 5: the certificate sheet ends with the assessor's lines, not a bare “评估人：”.

The sheet is the assessing authority's (the department organises 评估验收 and issues the certificate), so
its lines are 评估单位（盖章）, 评估人, 联系电话 and 填表日期, filled from the build's parameters, read back
from the cells beside their labels, and optional.
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
from cpsdk_shandong.certificate import SIGNATURE_LABELS

D = datetime.date
FORM = "shandong.certificate"
ASSESSED = {"unit": "山东省清洁生产中心", "filled_by": "张三", "phone": "0531-86001234", "filed_on": "2021-06-30"}
EXPECTED = cpsdk.Submission(unit="山东省清洁生产中心", filled_by="张三", phone="0531-86001234", filed_on=D(2021, 6, 30))


@pytest.fixture(scope="module")
def dataset() -> cpsdk.Dataset:
    return cpsdk.example_dataset(seed=2016)


def cells(path: Path) -> list[list[Any]]:
    return [list(row) for row in openpyxl.load_workbook(path).worksheets[0].iter_rows()]


def beside(path: Path, label: str) -> Any:
    """The value of the cell right of the one showing ``label`` (past the cells a merged label covers)."""
    for row in cells(path):
        for index, cell in enumerate(row):
            if cell.value == label:
                value = next(c.value for c in row[index + 1 :] if not isinstance(c, MergedCell))
                return value.date() if isinstance(value, datetime.datetime) else value
    raise KeyError(label)


def write(form: cpsdk.Form, report: Any, path: Path) -> Path:
    return form.write(report, path, draft=cpsdk.has_errors(form.check(report)))


def test_the_assessors_lines_print_beside_their_labels_and_read_back(dataset: cpsdk.Dataset, tmp_path: Path) -> None:
    form = cpsdk.get_form(FORM)
    assert set(cpsdk.SUBMISSION_PARAMETERS) <= set(form.parameters)
    report = form.build(dataset, **ASSESSED)
    assert report.submission == EXPECTED
    path = write(form, report, tmp_path / "c.xlsx")
    assert SIGNATURE_LABELS == ("评估单位（盖章）：", "评估人：", "联系电话：", "填表日期：")
    for label, field in zip(SIGNATURE_LABELS, ("unit", "filled_by", "phone", "filed_on"), strict=True):
        assert beside(path, label) == getattr(EXPECTED, field)
    texts = [cell.value for row in cells(path) for cell in row if isinstance(cell.value, str)]
    assert texts.count("评估人：") == 1 and "填报单位（盖章）：" not in texts
    assert form.read(path) == report


def test_without_parameters_the_lines_are_blank_and_the_sheet_reads_back(
    dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(dataset)
    assert report.submission == cpsdk.Submission()
    path = write(form, report, tmp_path / "c.xlsx")
    assert [beside(path, label) for label in SIGNATURE_LABELS] == [None] * 4
    assert form.read(path) == report


def test_a_sheet_typed_without_the_lines_reads_with_none(dataset: cpsdk.Dataset, tmp_path: Path) -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(dataset, **ASSESSED)
    path = write(form, report, tmp_path / "typed.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    first = next(row[0].row for row in sheet.iter_rows() if row[0].value == SIGNATURE_LABELS[0])
    for merged in [m for m in sheet.merged_cells.ranges if m.min_row >= first]:
        sheet.unmerge_cells(str(merged))
    sheet.delete_rows(first, 2)
    del book["_cpsdk"]
    book.save(path)
    assert form.read(path) == attrs.evolve(report, submission=cpsdk.Submission())


@pytest.mark.parametrize("day", ["2021-06-31", "30/06/2021", "下周"])
def test_a_date_that_is_not_one_is_refused_naming_the_parameter(day: str, dataset: cpsdk.Dataset) -> None:
    with pytest.raises(ValueError, match="filed_on must be a date as YYYY-MM-DD"):
        cpsdk.get_form(FORM).build(dataset, filed_on=day)
