"""Every form of every plugin is recognised from its labels, wherever a clerk's sheet puts them.

The workbooks are cpsdk's own with the identity sheet taken away, then moved about as a
clerk's copy would be (rows above the title, a column to the left, another sheet name,
merges undone): each must read to the report it holds, with nothing left out in silence.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.cell import range_boundaries

import cpsdk
from cpsdk._demo import demo_file_name
from cpsdk.cli import main
from cpsdk.workbook import IDENTITY_SHEET

YEAR = 2019
FORMS = [(form.id, form.layout_year) for form in cpsdk.list_forms()]


@pytest.fixture(scope="module")
def dataset() -> cpsdk.Dataset:
    return cpsdk.example_dataset(seed=11, enterprises=40)


def _written(form: Any, dataset: cpsdk.Dataset, folder: Path) -> tuple[Any, Path]:
    report, _ = cpsdk.build_report(form, dataset, year=YEAR)
    path = folder / demo_file_name(form, cpsdk.list_forms())
    form.write(report, path, draft=True)
    return report, path


def _typed_copy(
    source: Path,
    target: Path,
    *,
    down: int = 0,
    right: int = 0,
    sheet_name: str | None = None,
    unmerge: bool = False,
    retype: Callable[[Any], Any] | None = None,
) -> Path:
    """``source`` without its identity sheet, each sheet's cells moved ``down`` rows and ``right`` columns
    (and each value typed as ``retype`` types it)."""
    book = openpyxl.load_workbook(source)
    del book[IDENTITY_SHEET]
    moved = openpyxl.Workbook()
    moved.remove(moved.active)
    for sheet in book.worksheets:
        copy = moved.create_sheet(sheet_name if sheet_name and len(book.worksheets) == 1 else sheet.title)
        if down:
            copy.cell(row=1, column=1 + right, value="附件")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and type(cell).__name__ != "MergedCell":
                    value = retype(cell.value) if retype is not None else cell.value
                    copy.cell(row=cell.row + down, column=cell.column + right, value=value)
        if not unmerge:
            for merged in sheet.merged_cells.ranges:
                low_col, low_row, high_col, high_row = range_boundaries(str(merged))
                copy.merge_cells(
                    start_row=low_row + down,
                    start_column=low_col + right,
                    end_row=high_row + down,
                    end_column=high_col + right,
                )
    moved.save(target)
    return target


@pytest.mark.parametrize(("form_id", "layout_year"), FORMS, ids=[f"{i}@{y}" for i, y in FORMS])
@pytest.mark.parametrize(
    "moved",
    [{}, {"down": 3, "right": 1, "sheet_name": "Sheet1"}, {"unmerge": True}],
    ids=["as-written", "moved", "unmerged"],
)
def test_a_forms_workbook_without_its_identity_reads_to_its_report(
    form_id: str, layout_year: int, moved: dict[str, Any], dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = cpsdk.get_form(form_id, layout_year=layout_year)
    report, path = _written(form, dataset, tmp_path)
    typed = _typed_copy(path, tmp_path / "typed.xlsx", **moved)
    reader = cpsdk.form_of_workbook(form_id, typed)
    assert (reader.id, reader.layout_year) == (form_id, layout_year)
    read, issues = reader.read_with_issues(typed)
    assert read == report
    left_out = [issue for issue in issues if issue.code.startswith("read.")]
    assert left_out == []  # nothing adjusted: the values are cpsdk's own
    assert all(issue.sheet in (None, *openpyxl.load_workbook(typed).sheetnames) for issue in issues)


_FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def _number_text(value: Any, *, separators: bool = False, full_width: bool = False) -> Any:
    """A number as a clerk types it into a text cell (``12,580.5``, ``１２５８０．５``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    text = format(Decimal(repr(value)), "," if separators else "")
    return text.translate(_FULL_WIDTH) if full_width else text


def _padded(value: Any) -> Any:
    """Text typed with spaces around it, as a pasted cell keeps them."""
    return f"  {value} " if isinstance(value, str) and value.strip() and not value.startswith("=") else value


#: Ways a clerk types values that change how they are written, not which values they are: each form
#: must read them to the same report, with no error.
RETYPED: dict[str, Callable[[Any], Any]] = {
    "numbers-as-text": _number_text,
    "thousands-separators": lambda v: _number_text(v, separators=True),
    "full-width-digits": lambda v: _number_text(v, full_width=True),
    "padded-text": _padded,
}


@pytest.mark.parametrize(("form_id", "layout_year"), FORMS, ids=[f"{i}@{y}" for i, y in FORMS])
@pytest.mark.parametrize("habit", list(RETYPED))
def test_values_typed_as_clerks_type_them_read_to_the_same_report_in_every_form(
    form_id: str, layout_year: int, habit: str, dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = cpsdk.get_form(form_id, layout_year=layout_year)
    report, path = _written(form, dataset, tmp_path)
    typed = _typed_copy(path, tmp_path / "typed.xlsx", retype=RETYPED[habit])
    read, issues = cpsdk.form_of_workbook(form_id, typed).read_with_issues(typed)
    errors = [issue.render() for issue in issues if issue.is_error and issue.code.startswith(("read.", "workbook."))]
    assert errors == []
    assert read == report


@given(
    form=st.sampled_from(FORMS),
    habits=st.sets(st.sampled_from(sorted(RETYPED))),
    down=st.integers(0, 4),
    right=st.integers(0, 2),
    unmerge=st.booleans(),
)
def test_any_combination_of_typing_habits_reads_to_the_same_report(
    form: tuple[str, int],
    habits: set[str],
    down: int,
    right: int,
    unmerge: bool,
    dataset: cpsdk.Dataset,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    chosen = [RETYPED[name] for name in sorted(habits)]  # a number takes the first number habit only

    def retype(value: Any) -> Any:
        for each in chosen:
            value = each(value)
        return value

    folder = tmp_path_factory.mktemp("combined")
    the_form = cpsdk.get_form(form[0], layout_year=form[1])
    report, path = _written(the_form, dataset, folder)
    typed = _typed_copy(path, folder / "typed.xlsx", down=down, right=right, unmerge=unmerge, retype=retype)
    read, issues = cpsdk.form_of_workbook(form[0], typed).read_with_issues(typed)
    errors = [issue.render() for issue in issues if issue.is_error and issue.code.startswith(("read.", "workbook."))]
    assert errors == []
    assert read == report


def test_identify_names_the_form_and_why(dataset: cpsdk.Dataset, tmp_path: Path, capsys: Any) -> None:
    form = cpsdk.get_form("sichuan.audit-plan")
    _, path = _written(form, dataset, tmp_path)
    typed = _typed_copy(path, tmp_path / "typed.xlsx", down=2, right=1)
    assert main(["identify", str(typed)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sichuan.audit-plan@2016")
    assert "标题" in out and "表头" in out
    assert main(["identify", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["by"] == "identity"


def test_a_workbook_showing_no_forms_labels_is_refused_with_a_message(tmp_path: Path, capsys: Any) -> None:
    book = openpyxl.Workbook()
    book.active.append(["工资表", "姓名", "金额"])
    book.save(tmp_path / "other.xlsx")
    assert main(["identify", str(tmp_path / "other.xlsx")]) == 1
    assert main(["read", "sichuan.audit-plan", str(tmp_path / "other.xlsx")]) == 2
    assert "未能按 sichuan.audit-plan 的标题和表头识别出表格" in capsys.readouterr().err


def test_rows_typed_after_a_blank_row_in_cpsdks_own_workbook_are_read_and_said(
    dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    """Filling cpsdk's workbook, a clerk leaves a blank row and goes on: no row is lost in silence."""
    form = cpsdk.get_form("sichuan.audit-plan")
    report, path = _written(form, dataset, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    first = 3  # title, header, then the rows
    last = first + len(report.rows) - 1
    sheet.insert_rows(last + 1, amount=1)  # a blank row, then one more enterprise
    sheet.insert_rows(last + 2, amount=1)
    values = [len(report.rows) + 1, "新增企业", "武侯区", "化学原料和化学制品制造业", 12.5, "化肥", "COD", 2019]
    for column, value in enumerate(values, start=1):
        sheet.cell(row=last + 2, column=column, value=value)
    book.save(path)
    read, issues = form.read_with_issues(path)
    assert read is not None
    assert [row.name for row in read.rows][-1] == "新增企业"
    assert len(read.rows) == len(report.rows) + 1
    assert any(issue.code == "read.blank-row" for issue in issues)


def test_a_month_typed_as_a_number_in_cpsdks_own_workbook_is_read_as_that_month(
    dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = cpsdk.get_form("sichuan.retrofit-plan", layout_year=2016)
    report, path = _written(form, dataset, tmp_path)
    assert report.rows
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = next(row for row in sheet.iter_rows() if any(cell.value == "计划完成时间" for cell in row))
    column = next(cell.column for cell in header if cell.value == "计划完成时间")
    sheet.cell(row=header[0].row + 1, column=column, value=2018.12)
    book.save(path)
    read, issues = form.read_with_issues(path)
    assert read.rows[0].planned_completion == datetime.date(2018, 12, 1)
    assert any(issue.code == "read.adjusted" and "2018年12月" in issue.message_zh for issue in issues)


def test_a_workbook_typed_in_traditional_script_reads_as_one(dataset: cpsdk.Dataset, tmp_path: Path) -> None:
    """Its labels are compared in simplified script; the report says the script it was typed in."""
    form = cpsdk.get_form("guangdong.city-summary")
    report, _ = cpsdk.build_report(form, dataset, year=YEAR, script="hant")
    path = tmp_path / "summary.xlsx"
    form.write(report, path, draft=True)
    typed = _typed_copy(path, tmp_path / "typed.xlsx", down=1)
    read, issues = cpsdk.form_of_workbook(form.id, typed).read_with_issues(typed)
    assert read == report
    assert read.script is cpsdk.Script.HANT
    assert [issue for issue in issues if issue.code.startswith("read.")] == []
