"""Workbooks typed by hand from 川经信环资〔2016〕153号 附件1 and 附件2 read with cpsdk (recognition).

The books (``tests/handtyped/books.py``) are built with openpyxl as a city clerk types the
notice's printed tables: no hidden identity sheet, the notice's own header labels, and the
habits clerks have. Each reads to the report it holds; every value adjusted on the way (a
unit converted, a month given a day, a 合计 row or a blank row left out) is an issue pinned to
its cell, and a value that cannot be money is refused naming its cell. Nothing is silent.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import cpsdk
import cpsdk.cli
from tests.handtyped.books import (
    HABITS,
    RETROFIT_PLAN,
    SPECS,
    Book,
    FormSpec,
    Habit,
    Mark,
    clean_book,
    combine,
    habit,
    habits_for,
    save,
)
from tests.handtyped.sheet import issues_at, saved_cells


def _spec_id(spec: FormSpec) -> str:
    return spec.attachment


SPEC_HABITS = [
    pytest.param(spec, each, id=f"{spec.attachment}-{each.name}")
    for spec in SPECS
    for each in habits_for(spec, same_report=True)
]


# -- reading and comparing -------------------------------------------------------------------------


def read(book: Book, folder: Path, form: Any | None = None) -> tuple[Any, list[cpsdk.Issue]]:
    """Save the book and read it with the form (by default the form's id alone, as a user calls it)."""
    path = save(book, folder / f"{book.spec.attachment}.xlsx")
    reader: Any = form or cpsdk.get_form(book.spec.form_id)
    report, issues = reader.read_with_issues(path)
    return report, list(issues)


def _plain_value(value: Any, precision_to_month: bool) -> Any:
    if precision_to_month and isinstance(value, datetime.date):
        return (value.year, value.month)
    if isinstance(value, Decimal):
        return value.normalize()  # the same number, shown the same way in a diff (12000.0 is 12000)
    return value


def plain_report(report: Any, book: Book) -> dict[str, Any]:
    """A report as a dict whatever its layout: its fields but empty ones, rows as dicts; the dates typed to the
    month only compared to the month."""
    fields = {f.name: getattr(report, f.name) for f in attrs.fields(type(report))}
    rows = [
        {
            f.name: _plain_value(getattr(row, f.name), (index, f.name) in book.month_only)
            for f in attrs.fields(type(row))
            if getattr(row, f.name) is not None
        }
        for index, row in enumerate(fields.pop("rows"))
    ]
    return {**{key: value for key, value in fields.items() if value is not None}, "rows": rows}


def plain_expected(book: Book) -> dict[str, Any]:
    """What the book holds, as :func:`plain_report` gives a report."""
    fields: dict[str, Any] = {
        "region": book.spec.region,
        "region_name": book.spec.region_name,
        "contact_person": book.contact,
    }
    if book.spec.year is not None:
        fields["year"] = book.spec.year
    rows = [
        {
            name: _plain_value(value, (index, name) in book.month_only)
            for name, value in row.items()
            if value is not None
        }
        for index, row in enumerate(book.rows)
    ]
    return {**fields, "rows": rows}


def render(issues: Sequence[cpsdk.Issue]) -> str:
    return "\n".join(issue.render() for issue in issues) or "(no issues)"


def assert_amounts_exact(report: Any, spec: FormSpec) -> None:
    """Amounts come back as Decimal, never as float."""
    for row in report.rows:
        for name in spec.fields("amount"):
            value = getattr(row, name)
            assert value is None or type(value) is Decimal, f"{name} is {value!r}"


def assert_reads_as_clean(book: Book, report: Any, issues: Sequence[cpsdk.Issue]) -> None:
    """No error, and the report the clean book holds (amounts exact, month-only dates to the month)."""
    errors = [issue for issue in issues if issue.is_error]
    assert not errors, render(errors)
    assert report is not None, render(issues)
    assert_amounts_exact(report, book.spec)
    assert plain_report(report, book) == plain_expected(book)


def assert_marks_reported(book: Book, issues: Sequence[cpsdk.Issue]) -> None:
    """Every cell the book marks has an issue pinned to it (an error where the mark asks for one)."""
    for mark in book.marks:
        where = book.ref(mark.row, mark.col if mark.col is not None else book.first_col)
        scope = "cell" if mark.col is not None else "row"
        assert issues_at(issues, book, mark), (
            f"nothing said at {book.sheet}!{where} ({scope}: {mark.why}); issues:\n{render(issues)}"
        )


# -- the books themselves ------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=_spec_id)
def test_the_clean_book_is_typed_as_the_notice_prints_it(spec: FormSpec, tmp_path: Path) -> None:
    book = clean_book(spec)
    path = save(book, tmp_path / "clean.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Sheet1"]  # no hidden identity sheet: cpsdk did not write it
    cells = saved_cells(path, "Sheet1")
    assert cells[(0, 0)] == spec.title_text()
    assert [cells[(1, col)] for col in range(len(spec.columns))] == [col.header for col in spec.columns]
    for number, row in enumerate(spec.rows):
        typed = [cells.get((2 + number, col)) for col in range(len(spec.columns))]
        assert typed[0] == number + 1
        for value, col in zip(typed[1:], spec.columns[1:], strict=True):
            expected = row[col.field or ""]
            if col.kind == "date":
                assert value == datetime.datetime(expected.year, expected.month, expected.day)
            elif col.kind == "bool":
                assert value == ("是" if expected else "否")
            elif col.kind == "amount":
                assert Decimal(repr(value)) == expected
            else:
                assert value == expected
    assert cells[(2 + len(spec.rows), 0)] == f"{spec.contact_label}张三"
    assert max(row for row, _ in cells) == 2 + len(spec.rows)


@pytest.mark.parametrize(
    ("spec", "each"), [pytest.param(s, h, id=f"{s.attachment}-{h.name}") for s in SPECS for h in habits_for(s)]
)
def test_each_habit_keeps_the_books_own_bookkeeping(spec: FormSpec, each: Habit, tmp_path: Path) -> None:
    """Where a book says its parts are is where openpyxl finds them (so a failure below is cpsdk's)."""
    book = each(clean_book(spec))
    path = save(book, tmp_path / "book.xlsx")
    assert book.sheet in openpyxl.load_workbook(path).sheetnames
    cells = saved_cells(path, book.sheet)
    assert str(cells[(book.title_row, book.first_col)]).strip().startswith(spec.region_name)
    for index, row in enumerate(book.rows):
        name = cells.get(book.data_cell(index, "name"))
        assert isinstance(name, str) and name.strip() == row["name"]
    for header in book.header_rows[:1]:
        assert all((header, col) in cells for col in range(book.first_col, book.last_col + 1))
    assert str(cells[(book.contact_row, book.first_col)]).startswith("联系人")
    for mark in book.marks:
        if mark.col is not None:
            assert (mark.row, mark.col) in cells, mark
    before_table = [pos for pos in cells if pos[1] < book.first_col]
    assert before_table == []


# -- reading the clean book ------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=_spec_id)
def test_the_clean_book_reads_to_the_report_it_holds(spec: FormSpec, tmp_path: Path) -> None:
    book = clean_book(spec)
    form = cpsdk.get_form(spec.form_id)
    report, issues = read(book, tmp_path, form)
    assert_reads_as_clean(book, report, issues)
    # The same report as one structured from the rows, in the report's own type.
    assert report == cpsdk.make_converter().structure(book.report_data(), type(report))


def test_the_layout_in_force_for_the_year_reads_the_clean_retrofit_plan(tmp_path: Path) -> None:
    book = clean_book(RETROFIT_PLAN)
    form = cpsdk.get_form(RETROFIT_PLAN.form_id, year=RETROFIT_PLAN.year)
    report, issues = read(book, tmp_path, form)
    assert_reads_as_clean(book, report, issues)
    assert report == cpsdk.make_converter().structure(book.report_data(), form.report_type)


@pytest.mark.parametrize("spec", SPECS, ids=_spec_id)
def test_the_command_line_reads_the_clean_book_to_the_report_it_holds(spec: FormSpec, tmp_path: Path) -> None:
    book = clean_book(spec)
    path = save(book, tmp_path / "clean.xlsx")
    out = tmp_path / "report.json"
    assert cpsdk.cli.main(["read", spec.form_id, str(path), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    for key in ("region", "region_name", "year", "contact_person"):
        assert data.get(key) == book.report_data().get(key), key
    assert len(data["rows"]) == len(book.rows)
    for typed, row in zip(data["rows"], book.rows, strict=True):
        for name, value in row.items():
            if isinstance(value, Decimal):
                assert Decimal(typed[name]) == value, name  # exact: the JSON holds the amount as text
            elif isinstance(value, datetime.date):
                assert datetime.date.fromisoformat(typed[name]) == value, name
            else:
                assert typed[name] == value, name


# -- each habit alone --------------------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "each"), SPEC_HABITS)
def test_each_habit_alone_reads_to_the_clean_report_and_says_what_it_adjusted(
    spec: FormSpec, each: Habit, tmp_path: Path
) -> None:
    book = each(clean_book(spec))
    report, issues = read(book, tmp_path)
    assert_reads_as_clean(book, report, issues)
    assert_marks_reported(book, issues)


def test_the_habits_cover_what_clerks_do() -> None:
    groups = {each.group for each in HABITS}
    assert {"amounts", "dates", "bools", "labels", "total", "blank", "trailing", "notes", "sheet"} <= groups
    assert {each.name for each in habits_for(RETROFIT_PLAN, same_report=False)} == {
        "wrong-dimension",
        "total-row-differs",
    }


@pytest.mark.parametrize("spec", SPECS, ids=_spec_id)
def test_a_total_that_differs_from_the_sum_is_an_issue_at_the_total_row(spec: FormSpec, tmp_path: Path) -> None:
    """Beyond what a right 合计 row gets (it is left out, saying so), a wrong one says it is not the sum."""
    right = habit("total-row")(clean_book(spec))
    wrong = habit("total-row-differs")(clean_book(spec))
    assert right.total_row is not None and right.total_row == wrong.total_row
    (tmp_path / "right").mkdir()
    (tmp_path / "wrong").mkdir()
    _, right_issues = read(right, tmp_path / "right")
    _, wrong_issues = read(wrong, tmp_path / "wrong")
    row = Mark(right.total_row, None, "issue", "合计")
    at_right = {issue.code for issue in issues_at(right_issues, right, row)}
    at_wrong = issues_at(wrong_issues, wrong, row)
    assert at_wrong, render(wrong_issues)
    assert {issue.code for issue in at_wrong} - at_right, (
        f"a 合计 that is not the sum says no more than a right one:\n{render(at_wrong)}"
    )


def test_a_sum_formula_total_is_checked_by_the_value_excel_saved_with_it(tmp_path: Path) -> None:
    """A 合计 of =SUM() formulas is read by the value saved with each (as Excel and WPS save it): left out
    as a record, and a value that is not the rows' sum (a range that missed a row) is said at its cell."""
    book = habit("total-row-formulas")(clean_book(RETROFIT_PLAN))
    assert book.total_row is not None
    cell = (book.total_row, book.col("investment"))
    report, issues = read(book, tmp_path)
    assert report is not None and len(report.rows) == len(book.rows), render(issues)
    assert not [i for i in issues if i.code == "read.total-differs"], render(issues)
    summed = book.cells[cell]
    book.cells[cell] = type(summed)(summed.value - 100)  # the range left out a row of 100 万元
    (tmp_path / "short").mkdir()
    _, issues = read(book, tmp_path / "short")
    assert [i.code for i in issues_at(issues, book, Mark(*cell, "issue", "合计"))] == ["read.total-differs"]


def test_a_total_that_is_not_a_number_is_said_to_be_unchecked(tmp_path: Path) -> None:
    book = habit("total-row")(clean_book(RETROFIT_PLAN))
    assert book.total_row is not None
    cell = (book.total_row, book.col("investment"))
    book.cells[cell] = "约五千"
    report, issues = read(book, tmp_path)
    assert report is not None and len(report.rows) == len(book.rows), render(issues)
    assert [i.code for i in issues_at(issues, book, Mark(*cell, "issue", "合计"))] == ["read.total-unchecked"]


@pytest.mark.parametrize("spec", SPECS, ids=_spec_id)
def test_an_amount_in_another_dimension_is_refused_naming_its_cell(spec: FormSpec, tmp_path: Path) -> None:
    book = habit("wrong-dimension")(clean_book(spec))
    assert [mark.severity for mark in book.marks] == ["error"] * len(spec.fields("amount"))
    _, issues = read(book, tmp_path)
    assert_marks_reported(book, issues)


def test_the_command_line_refuses_an_amount_in_another_dimension_naming_its_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = habit("wrong-dimension")(clean_book(RETROFIT_PLAN))
    path = save(book, tmp_path / "wrong.xlsx")
    assert cpsdk.cli.main(["read", RETROFIT_PLAN.form_id, str(path), "--format", "json"]) == 1
    issues = json.loads(capsys.readouterr().out)
    (mark,) = book.marks
    cell = book.ref(mark.row, mark.col or 0)
    assert any(i["severity"] == "error" and (i["sheet"], i["cell"]) == (book.sheet, cell) for i in issues), issues


@pytest.mark.parametrize(
    "name", ["dates-number", "dates-month-text", "dates-month-dash", "dates-excel-month", "dates-slash"]
)
def test_a_date_typed_any_way_is_read_in_the_month_typed(name: str, tmp_path: Path) -> None:
    book = habit(name)(clean_book(RETROFIT_PLAN))
    report, issues = read(book, tmp_path)
    assert report is not None, render(issues)
    for row, expected in zip(report.rows, book.rows, strict=True):
        typed: datetime.date = expected["planned_completion"]
        assert (row.planned_completion.year, row.planned_completion.month) == (typed.year, typed.month)


def test_a_month_typed_as_a_number_is_never_read_as_an_excel_day(tmp_path: Path) -> None:
    """2018.12 typed in 计划完成时间 is December 2018, not day 2018 of Excel's calendar (1905-07-10)."""
    book = habit("dates-number")(clean_book(RETROFIT_PLAN))
    assert book.cells[book.data_cell(0, "planned_completion")] == 2018.12
    report, issues = read(book, tmp_path)
    assert report is not None, render(issues)
    read_dates = [row.planned_completion for row in report.rows]
    assert datetime.date(1905, 7, 10) not in read_dates
    assert all(date.year >= 2018 for date in read_dates), read_dates
    assert (read_dates[0].year, read_dates[0].month) == (2018, 12)
    cell = book.data_cell(0, "planned_completion")
    assert issues_at(issues, book, Mark(*cell, "issue", "2018.12")), render(issues)


def test_converting_a_typed_book_lists_what_reading_adjusted_in_text_json_and_a_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The converted workbook carries a 读取说明 sheet: each value read otherwise than shown, at its cell."""
    book = habit("dates-number")(clean_book(RETROFIT_PLAN))
    source = save(book, tmp_path / "附件2.xlsx")
    row, col = book.data_cell(0, "planned_completion")
    typed_at = f"{book.sheet}!{openpyxl.utils.get_column_letter(col + 1)}{row + 1}"
    out = tmp_path / "converted.xlsx"
    args = ["convert", RETROFIT_PLAN.form_id, str(source), "sichuan.audit-plan", "-o", str(out), "--year", "2018"]
    assert cpsdk.cli.main(args) == 0
    said = capsys.readouterr().out
    assert "read.adjusted" in said and typed_at in said
    sheet = openpyxl.load_workbook(out)["读取说明"]
    listed = [(r[1].value, r[2].value, r[3].value) for r in sheet.iter_rows(min_row=2)]
    assert ("read.adjusted", typed_at) in {(code, where) for code, where, _ in listed}, listed
    assert any("2018年12月" in str(text) for _, where, text in listed if where == typed_at), listed
    assert cpsdk.cli.main([*args, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert any(item["code"] == "read.adjusted" and item["cell"] == typed_at.split("!")[1] for item in found), found


def test_converting_a_book_as_cpsdk_wrote_it_adds_no_reading_sheet(tmp_path: Path) -> None:
    form = cpsdk.get_form(RETROFIT_PLAN.form_id)
    report = form.build(cpsdk.example_dataset(seed=3, enterprises=12), year=2018)
    source = form.write(report, tmp_path / "own.xlsx", draft=True)
    out = tmp_path / "converted.xlsx"
    args = ["convert", RETROFIT_PLAN.form_id, str(source), "sichuan.audit-plan", "-o", str(out), "--year", "2018"]
    assert cpsdk.cli.main(args) == 0
    assert "读取说明" not in openpyxl.load_workbook(out).sheetnames


def test_a_month_typed_as_2018_1_is_never_read_in_silence(tmp_path: Path) -> None:
    """Excel keeps 2018.10 as 2018.1, the same number as January typed 2018.1: either month, never in silence."""
    book = clean_book(RETROFIT_PLAN)
    book.retype(0, "planned_completion", 2018.1, mark=("issue", "2018.1 is January or October"), month_only=True)
    report, issues = read(book, tmp_path)
    assert_marks_reported(book, issues)
    if report is not None and not cpsdk.has_errors(issues):
        date = report.rows[0].planned_completion
        assert (date.year, date.month) in {(2018, 1), (2018, 10)}, date


#: A value each form's rules question, in the second row: 实施年度 after 十三五, a completion before the plan year.
RULE_BREAKERS = {"sichuan.audit-plan": ("year", 2021), "sichuan.retrofit-plan": ("planned_completion", "2017-06-30")}


@pytest.mark.parametrize("spec", SPECS, ids=_spec_id)
@pytest.mark.parametrize("names", [(), ("rows-above-title", "leading-column", "blank-row-inside", "sheet-attachment")])
def test_the_forms_rules_are_pinned_to_the_cells_as_typed(
    spec: FormSpec, names: tuple[str, ...], tmp_path: Path
) -> None:
    """The form's own rules name the cell of the book as the clerk typed it, not of the layout cpsdk writes."""
    field, value = RULE_BREAKERS[spec.form_id]
    if field == "planned_completion":
        value = datetime.date.fromisoformat(str(value))
    rows = [dict(row) for row in spec.rows]
    rows[1][field] = value
    book = clean_book(spec, rows)
    book.marks.append(Mark(*book.data_cell(1, field), "issue", f"the rule on {field}"))
    book = combine(book, names)
    report, issues = read(book, tmp_path)
    assert report is not None, render(issues)
    assert plain_report(report, book) == plain_expected(book)
    assert_marks_reported(book, issues)


# -- any combination ---------------------------------------------------------------------------------


@st.composite
def books_with_habits(draw: st.DrawFn) -> Book:
    """A clean book of either form with at most one habit of each group."""
    spec = draw(st.sampled_from(SPECS))
    groups: dict[str, list[Habit]] = {}
    for each in habits_for(spec):
        groups.setdefault(each.group, []).append(each)
    chosen = [pick for options in groups.values() if (pick := draw(st.sampled_from([None, *options])))]
    return combine(clean_book(spec), chosen)


@given(book=books_with_habits())
def test_any_combination_of_habits_reads_to_the_clean_report_or_names_a_cell(
    book: Book, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Habits that each read alone read together. A book holding a value that is not money is refused with an
    error at that cell, and a 合计 that is not the sum may be; every error names its cell."""
    note(f"habits: {book.habits}")
    report, issues = read(book, tmp_path_factory.mktemp("handtyped"))
    errors = [issue for issue in issues if issue.is_error]
    unplaced = [issue for issue in errors if not (issue.sheet and issue.cell)]
    assert not unplaced, render(unplaced)
    refused = [mark for mark in book.marks if mark.severity == "error"]
    if refused:
        assert errors, f"accepted:\n{render(issues)}"
        for mark in refused:
            assert issues_at(errors, book, mark), f"no error at {book.ref(mark.row, mark.col or 0)}:\n{render(errors)}"
        return
    if errors and not all(habit(name).same_report for name in book.habits):
        return  # a 合计 that is not the sum, refused (its errors name their cells)
    assert_reads_as_clean(book, report, issues)
    assert_marks_reported(book, issues)


@pytest.mark.parametrize("spec", SPECS, ids=_spec_id)
def test_a_book_with_one_habit_of_every_kind_reads_to_the_clean_report(spec: FormSpec, tmp_path: Path) -> None:
    chosen: dict[str, Habit] = {}
    for each in habits_for(spec, same_report=True):
        chosen.setdefault(each.group, each)
    book = combine(clean_book(spec), chosen.values())
    report, issues = read(book, tmp_path)
    assert_reads_as_clean(book, report, issues)
    assert_marks_reported(book, issues)


def test_an_amount_typed_with_another_unit_than_its_headers_is_read_as_typed_and_said(tmp_path: Path) -> None:
    """Found by the dev profile: 12580.5万元 typed under 2015年产值（亿元） is 12580.5 万元, and said."""
    book = combine(clean_book(SPECS[0]), ["header-unit-yi", "amounts-unit-wan"])
    report, issues = read(book, tmp_path)
    assert report == cpsdk.make_converter().structure(book.report_data(), type(report))
    assert_marks_reported(book, issues)
