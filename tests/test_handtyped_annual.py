"""附件3 of 川经信环资〔2016〕153号 typed by hand (工业清洁生产工作情况报送表) read with cpsdk (recognition).

The books (``tests/handtyped/annual.py``) are built with openpyxl as a city clerk types the notice's
printed table: no hidden identity sheet, the notice's section names in column A, every 年/累计 pair as
two cells of its own, section 七 as a small table, the 填报说明 under the grid, and the habits clerks
have. Each reads to the report it holds, every figure exactly (amounts as Decimal); every value
adjusted on the way is an issue pinned to the cell typed, and a value that cannot be money is refused
naming its cell. Four cities' books merge into the province's, by the API and by ``cpsdk merge``.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import typing
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from openpyxl.utils.cell import range_boundaries

import cpsdk
import cpsdk.cli
from cpsdk_sichuan.annual.report import AnnualReport, Count, DocumentRow, Money, Quantity
from tests.handtyped.annual import (
    CHENGDU,
    CITIES,
    FORM_ID,
    HABITS,
    SECTION_NAMES,
    Book,
    City,
    Habit,
    cities,
    clean_book,
    combine,
    habit,
    habits,
    save,
)
from tests.handtyped.sheet import issues_at, pinned, saved_cells

#: The province the cities merge into.
PROVINCE = ("51", "四川省")
#: The habits of each city's clerk in the merge (成都市 types the table as printed).
CITY_HABITS = {
    "成都市": (),
    "绵阳市": ("rows-above-title", "leading-column", "counts-with-units", "years-with-du"),
    "德阳市": ("double-width", "blank-rows-between-sections", "sections-without-markers", "labels-half-width"),
    "宜宾市": ("money-unit-yi", "field-line-inline", "expert-pool-word", "sheet-attachment"),
}


# -- what a book holds -----------------------------------------------------------------------------


def _build(cls: type, figures: dict[str, Any], prefix: str = "") -> Any:
    """An instance of the attrs class ``cls`` from the figures under ``prefix`` (each one used once)."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for each in attrs.fields(cls):
        path = f"{prefix}{each.name}"
        if attrs.has(hints[each.name]):
            values[each.name] = _build(hints[each.name], figures, f"{path}.")
        elif path in figures:
            values[each.name] = figures.pop(path)
    return cls(**values)


def report_of(
    region: str,
    region_name: str,
    year: int,
    figures: dict[str, Any],
    documents: Iterable[dict[str, Any]],
    **texts: str | None,
) -> AnnualReport:
    """The report of the figures (every one of them used), built with the report's own classes."""
    left = dict(figures)
    sections = {
        each.name: _build(typing.get_type_hints(AnnualReport)[each.name], left, f"{each.name}.")
        for each in attrs.fields(AnnualReport)
        if attrs.has(typing.get_type_hints(AnnualReport)[each.name])
    }
    assert not left, f"figures the report has no place for: {sorted(left)}"
    return AnnualReport(
        region=region,
        region_name=region_name,
        year=year,
        documents=tuple(DocumentRow(**document) for document in documents),
        **sections,
        **texts,
    )


def expected_report(city: City) -> AnnualReport:
    """The report a city's book holds, from the same figures it was typed from."""
    return report_of(
        city.region,
        city.name,
        city.year,
        dict(city.figures),
        (dict(document) for document in city.documents),
        compiled_by=city.compiled_by,
        filled_by=city.filled_by,
        contact=city.contact,
        other_work=city.other_work,
        problems=city.problems,
    )


def flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A report as ``{dotted path: value}`` (documents as ``documents.0.title``)."""
    if attrs.has(type(value)):
        out: dict[str, Any] = {}
        for each in attrs.fields(type(value)):
            out.update(flat(getattr(value, each.name), f"{prefix}{each.name}."))
        return out
    if isinstance(value, tuple):
        out = {f"{prefix}count": len(value)}
        for index, item in enumerate(value):
            out.update(flat(item, f"{prefix}{index}."))
        return out
    return {prefix.removesuffix("."): value}


def _pair_kinds(report: AnnualReport) -> dict[str, type]:
    """Each 年/累计 figure's path → the type it must have (int for counts, Decimal for amounts)."""
    kinds: dict[str, type] = {}

    def walk(value: Any, prefix: str) -> None:
        if isinstance(value, Count):
            kinds.update({f"{prefix}year": int, f"{prefix}cumulative": int})
        elif isinstance(value, (Money, Quantity)):
            kinds.update({f"{prefix}year": Decimal, f"{prefix}cumulative": Decimal})
        elif attrs.has(type(value)):
            for each in attrs.fields(type(value)):
                walk(getattr(value, each.name), f"{prefix}{each.name}.")

    walk(report, "")
    return kinds


def differences(expected: AnnualReport, got: AnnualReport, book: Book | None = None) -> list[str]:
    """Every figure read otherwise than it was typed (and its cell), and every amount that is not a Decimal."""
    want, have = flat(expected), flat(got)
    lines = []
    for path in sorted(set(want) | set(have)):
        if want.get(path) != have.get(path):
            where = ""
            if book is not None and path in book.where:
                row, col = book.where[path]
                where = f" (typed {book.sheet}!{book.ref(row, col)} = {book.cells.get((row, col))!r})"
            lines.append(f"{path}{where}: expected {want.get(path)!r}, got {have.get(path)!r}")
    for path, kind in _pair_kinds(got).items():
        if type(have[path]) is not kind:
            lines.append(f"{path}: read as {type(have[path]).__name__} {have[path]!r}, not {kind.__name__}")
    return lines


# -- reading ---------------------------------------------------------------------------------------


def read(book: Book, folder: Path, *, detect: bool = True) -> tuple[AnnualReport | None, list[cpsdk.Issue]]:
    """Save the book and read it as a user does: the form (and layout) the workbook shows, then its report."""
    path = save(book, folder / f"{book.city.name}.xlsx")
    form = cpsdk.form_of_workbook(FORM_ID, path) if detect else cpsdk.get_form(FORM_ID)
    assert form.id == FORM_ID
    try:
        report, issues = form.read_with_issues(path)
    except cpsdk.WrongFormError as exc:
        raise AssertionError(f"{book!r} was not recognised as {FORM_ID} at all:\n{render(exc.issues)}") from exc
    return report, list(issues)


def render(issues: Sequence[cpsdk.Issue], book: Book | None = None) -> str:
    """The issues, each with what the book holds at the cell it names (a figure, or nothing)."""
    lines = []
    for issue in issues:
        line = issue.render()
        if book is not None and issue.cell and issue.sheet == book.sheet:
            min_col, min_row, _, _ = range_boundaries(issue.cell.replace("$", ""))
            if min_col is not None and min_row is not None:
                pos = (min_row - 1, min_col - 1)
                paths = [path for path, at in book.where.items() if at == pos]
                line += f"   [the book holds {book.cells.get(pos)!r} there: {', '.join(paths) or 'no figure'}]"
        lines.append(line)
    return "\n".join(lines) or "(no issues)"


def assert_reads_as_typed(book: Book, report: AnnualReport | None, issues: Sequence[cpsdk.Issue]) -> None:
    """No error, and exactly the report the book holds (amounts as Decimal)."""
    errors = [issue for issue in issues if issue.is_error]
    assert not errors, f"{len(errors)} error(s) reading {book!r}:\n{render(errors, book)}"
    assert report is not None, render(issues, book)
    expected = expected_report(book.city)
    found = differences(expected, report, book)
    assert not found, f"{len(found)} figure(s) of {book!r} read otherwise than typed:\n" + "\n".join(found)
    assert report == expected


def assert_marks_reported(book: Book, issues: Sequence[cpsdk.Issue]) -> None:
    """Every cell the book marks has an issue pinned to it (an error where the mark asks for one)."""
    missing = [mark for mark in book.marks if not issues_at(issues, book, mark)]
    assert not missing, (
        "nothing said at "
        + ", ".join(f"{book.sheet}!{book.ref(mark.row, mark.col)} ({mark.why})" for mark in missing)
        + f"; issues:\n{render(issues, book)}"
    )


# -- the books themselves (no cpsdk) ----------------------------------------------------------------


def test_the_clean_book_is_typed_as_the_notice_prints_it(tmp_path: Path) -> None:
    book = clean_book()
    path = save(book, tmp_path / "clean.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["Sheet1"]  # no hidden identity sheet
    cells = saved_cells(path, "Sheet1")
    assert cells[(0, 0)] == "成都市2018年度工业清洁生产工作情况报送表"
    assert [cells[(1, col)] for col in (0, 5, 8)] == ["填报单位（章）：", "填表人：", "联系方式："]
    assert (cells[(2, 0)], cells[(2, 1)]) == ("指标名称", "具体信息")
    sections = [value for (row, col), value in sorted(cells.items()) if col == 0 and row > 2]
    names = [value for value in sections if value in SECTION_NAMES.values()]
    assert names == list(SECTION_NAMES.values())  # 一 … 十二, in order, in column A
    assert sections[len(names)] == "填报说明"
    # 一: the pairs' labels, each in a cell of its own, over the figures
    assert [cells[(5, col)] for col in range(1, 9)] == ["2018年", "累计"] * 4
    assert [cells[(6, col)] for col in range(1, 9)] == [
        CHENGDU.figures[f"training.{key}.{part}"]
        for key in ("government", "enterprises", "employees", "heads")
        for part in ("year", "cumulative")
    ]
    # 五 and 六: 2018年 and 累计 rows
    effects = book.where["effects.cod.year"]
    assert (cells[(effects[0], 1)], cells[(effects[0] + 1, 1)]) == ("2018年", "累计")
    assert max(col for _, col in cells) == 11  # A to L


def _numeric_shown(value: Any) -> Decimal | None:
    return Decimal(repr(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@pytest.mark.parametrize("each", HABITS, ids=lambda h: h.name)
def test_each_habit_keeps_the_books_own_bookkeeping(each: Habit, tmp_path: Path) -> None:
    """Where a book says its values, sections and marks are is where openpyxl finds them (so that a failure
    below is cpsdk's)."""
    book = each(clean_book())
    path = save(book, tmp_path / "book.xlsx")
    cells = saved_cells(path, book.sheet)
    assert CHENGDU.name in str(cells[(book.title_row, book.first_col)])
    for number, (row, col) in book.sections.items():
        core = re.split(r"[\[（]", SECTION_NAMES[number].split("、", 1)[1])[0]
        assert core in str(cells[(row, col)]), number
    for name, (row, col) in book.where.items():
        value, shown = book.value(name), cells.get((row, col))
        if value is None or (value == 0 and not isinstance(value, bool)):
            continue
        assert shown is not None, f"{name} is not at {book.ref(row, col)}"
        number = _numeric_shown(shown)
        if number is not None and book.kinds[name] != "date":
            assert number == value, name
        elif isinstance(value, str):
            assert value in str(shown), name
    for mark in book.marks:
        assert (mark.row, mark.col) in cells, mark
    assert all(col >= book.first_col for _, col in cells)


# -- reading one city's book ------------------------------------------------------------------------


def test_the_clean_book_reads_to_the_report_it_holds(tmp_path: Path) -> None:
    book = clean_book()
    report, issues = read(book, tmp_path)
    assert_reads_as_typed(book, report, issues)


def test_the_command_line_reads_the_clean_book_to_the_report_it_holds(tmp_path: Path) -> None:
    book = clean_book()
    path = save(book, tmp_path / "clean.xlsx")
    out = tmp_path / "report.json"
    assert cpsdk.cli.main(["read", FORM_ID, str(path), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    typed = flat(expected_report(book.city))
    for name, value in typed.items():
        if name.endswith("count"):
            continue
        shown: Any = data
        for key in name.split("."):  # the JSON leaves out a value at its default (a zero count)
            if shown is None:
                break
            shown = shown.get(key) if isinstance(shown, dict) else shown[int(key)]
        if shown is None:
            assert value in (None, 0, False), name
            continue
        if isinstance(value, Decimal):
            assert Decimal(str(shown)) == value, name  # exact: the JSON holds the amount as text
        elif isinstance(value, datetime.date):
            assert datetime.date.fromisoformat(shown) == value, name
        else:
            assert shown == value, name


@pytest.mark.parametrize("each", habits(same_report=True), ids=lambda h: h.name)
def test_each_habit_alone_reads_to_the_same_report_and_says_what_it_adjusted(each: Habit, tmp_path: Path) -> None:
    book = each(clean_book())
    report, issues = read(book, tmp_path, detect=False)
    assert_reads_as_typed(book, report, issues)
    assert_marks_reported(book, issues)


def test_money_in_another_dimension_is_refused_naming_its_cell(tmp_path: Path) -> None:
    book = habit("wrong-dimension")(clean_book())
    (mark,) = book.marks
    assert mark.severity == "error"
    report, issues = read(book, tmp_path)
    assert_marks_reported(book, issues)
    assert report is None or cpsdk.has_errors(issues)


def test_a_rule_broken_is_pinned_to_the_cell_as_typed(tmp_path: Path) -> None:
    """合计 ≠ 自愿性 + 强制性 (section 二) names the 合计 cell the clerk typed, wherever the clerk typed it."""
    figures = dict(CHENGDU.figures)
    figures["audits.total.year"] += 1
    book = combine(
        clean_book(dataclasses.replace(CHENGDU, figures=figures)),
        ["rows-above-title", "leading-column", "blank-rows-between-sections"],
    )
    report, issues = read(book, tmp_path)
    assert report is not None, render(issues, book)
    row, col = book.where["audits.total.year"]
    rule = [issue for issue in issues if issue.code == "sichuan.annual.total"]
    assert rule, render(issues, book)
    assert any(pinned(issue, book.sheet, row, col) for issue in rule), (
        f"the rule is not at {book.cell_of('audits.total.year')}:\n{render(rule, book)}"
    )


# -- four cities into the province ------------------------------------------------------------------


def city_books() -> list[Book]:
    """The four cities' books, each typed by a clerk with habits of their own."""
    return [combine(clean_book(each), CITY_HABITS[each.name]) for each in cities()]


def merged_expected(reports: Sequence[City], **header: str) -> AnnualReport:
    """The province's report, computed from the cities' figures as typed (not with cpsdk): every 年/累计
    pair summed; the 种类 the cities named ranked by their 累计 (then name) into 种类1-3, the rest into 其他;
    section 九 summed (a pool when any city has one); the documents once each, by date; 十一 and 十二 each
    city's text after its name, in the order of the region codes."""
    ordered = sorted(reports, key=lambda each: each.region)
    figures: dict[str, Any] = {}
    named: dict[str, list[Decimal]] = {}
    other = [Decimal(0), Decimal(0)]
    for each in ordered:
        for path, value in each.figures.items():
            if path.startswith(("byproducts.kind", "byproducts.other.")):
                continue  # re-ranked below
            if path == "capacity.expert_pool":
                figures[path] = figures.get(path, False) or value
            else:
                figures[path] = figures.get(path, 0) + value
        for part, index in (("year", 0), ("cumulative", 1)):
            other[index] += each.figures[f"byproducts.other.{part}"]
        for number in (1, 2, 3):
            name = each.figures[f"byproducts.kind{number}_name"]
            amounts = [each.figures[f"byproducts.kind{number}.{part}"] for part in ("year", "cumulative")]
            if name:
                total = named.setdefault(name, [Decimal(0), Decimal(0)])
                total[0], total[1] = total[0] + amounts[0], total[1] + amounts[1]
            else:
                other = [other[0] + amounts[0], other[1] + amounts[1]]
    ranked = sorted(named, key=lambda name: (-named[name][1], name))
    for name in ranked[3:]:
        other = [other[0] + named[name][0], other[1] + named[name][1]]
    for number in (1, 2, 3):
        name = ranked[number - 1] if number <= len(ranked) else None
        figures[f"byproducts.kind{number}_name"] = name
        pair = named[name] if name else [Decimal(0), Decimal(0)]
        figures[f"byproducts.kind{number}.year"], figures[f"byproducts.kind{number}.cumulative"] = pair
    figures["byproducts.other.year"], figures["byproducts.other.cumulative"] = other
    documents: dict[tuple[Any, ...], dict[str, Any]] = {}
    for each in ordered:
        for document in each.documents:
            documents.setdefault(tuple(sorted(document.items())), dict(document))
    listed = sorted(documents.values(), key=lambda document: (document["issued_on"], document["title"]))

    def texts(name: str) -> str | None:
        lines = [f"{each.name}：{getattr(each, name)}" for each in ordered if getattr(each, name)]
        return "\n".join(lines) or None

    return report_of(
        *PROVINCE,
        ordered[0].year,
        figures,
        listed,
        compiled_by=header.get("compiled_by"),
        filled_by=header.get("filled_by"),
        contact=header.get("contact"),
        other_work=texts("other_work"),
        problems=texts("problems"),
    )


def test_the_forms_merge_of_the_reports_as_typed_is_the_sums() -> None:
    """The form's own merge of the four reports the books hold (no workbook read): the sums computed here."""
    reports = [expected_report(each) for each in cities()]
    merged = cpsdk.get_form(FORM_ID).merge(reports, region=PROVINCE[0], year=2018)
    expected = merged_expected(cities())
    assert not differences(expected, merged), "\n".join(differences(expected, merged))
    assert len({name for each in cities() for n in (1, 2, 3) if (name := each.figures[f"byproducts.kind{n}_name"])}) > 3
    assert merged == expected


def test_the_four_cities_read_to_what_their_clerks_typed(tmp_path: Path) -> None:
    """Each city's book alone, with its clerk's habits (so that a failure of the merge below is the merge's)."""
    failures = []
    for book in city_books():
        folder = tmp_path / book.city.region
        folder.mkdir()
        report, issues = read(book, folder)
        try:
            assert_reads_as_typed(book, report, issues)
            assert_marks_reported(book, issues)
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n\n".join(failures)


def _saved_cities(folder: Path) -> list[Path]:
    paths = []
    for book in city_books():
        (folder / book.city.region).mkdir()
        paths.append(save(book, folder / book.city.region / f"{book.city.name}附件3.xlsx"))
    return paths


def test_the_four_cities_merge_into_the_provinces_report(tmp_path: Path) -> None:
    assert [(each.region, each.name) for each in cities()] == [
        (cpsdk.codes.region_by_name(name).code, name)  # type: ignore[union-attr]
        for _, name in CITIES
    ]
    paths = _saved_cities(tmp_path)
    merged, issues = cpsdk.merge_workbooks(FORM_ID, paths, region=PROVINCE[0], year=2018)
    errors = [issue for issue in issues if issue.is_error]
    assert not errors, render(errors)
    assert merged is not None, render(issues)
    expected = merged_expected(cities())
    found = differences(expected, merged)
    assert not found, "the province's figures are not the sums of the cities':\n" + "\n".join(found)
    assert merged == expected


def test_the_command_line_merges_the_four_cities(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = _saved_cities(tmp_path)
    out = tmp_path / "四川省附件3.xlsx"
    compiled_by = "四川省经济和信息化委员会"
    code = cpsdk.cli.main(
        [
            "merge",
            FORM_ID,
            *map(str, paths),
            "-o",
            str(out),
            "--region",
            PROVINCE[0],
            "--param",
            f"compiled_by={compiled_by}",
            "--format",
            "json",
        ]
    )
    said = capsys.readouterr()
    assert code == 0, said.out + said.err
    merged, issues = cpsdk.get_form(FORM_ID).read_with_issues(out)
    assert merged is not None, render(issues)
    # what reading the cities' books adjusted is listed in the province's workbook, naming each file
    adjusted = [item for item in json.loads(said.out) if item["code"] == "read.adjusted"]
    assert adjusted, said.out
    listed = [(row[1].value, row[2].value) for row in openpyxl.load_workbook(out)["读取说明"].iter_rows(min_row=2)]
    assert {(item["code"], f"{item['file']}:{item['sheet']}!{item['cell']}") for item in adjusted} <= set(listed)
    assert {where.split(":")[0] for _, where in listed} <= {path.name for path in paths}
    expected = merged_expected(cities(), compiled_by=compiled_by)
    found = differences(expected, merged)
    assert not found, "the province's workbook does not hold the sums of the cities':\n" + "\n".join(found)
    assert merged == expected


# -- any combination ---------------------------------------------------------------------------------


@st.composite
def habit_names(draw: st.DrawFn) -> tuple[str, ...]:
    """At most one habit of each group, by name."""
    groups: dict[str, list[str]] = {}
    for each in HABITS:
        groups.setdefault(each.group, []).append(each.name)
    return tuple(pick for names in groups.values() if (pick := draw(st.sampled_from([None, *names]))))


@given(number=st.sampled_from(range(len(CITIES))), names=habit_names())
def test_any_combination_of_habits_reads_to_the_same_report_or_names_a_cell(
    number: int, names: tuple[str, ...], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Habits that each read alone read together; a book holding a value that is not money is refused with an
    error at that cell; every error names a cell."""
    book = combine(clean_book(cities()[number]), names)
    note(f"{book!r}")
    report, issues = read(book, tmp_path_factory.mktemp("annual"), detect=False)
    errors = [issue for issue in issues if issue.is_error]
    unplaced = [issue for issue in errors if not (issue.sheet and issue.cell)]
    assert not unplaced, render(unplaced)
    refused = [mark for mark in book.marks if mark.severity == "error"]
    if refused:
        assert errors, f"accepted:\n{render(issues, book)}"
        assert_marks_reported(book, issues)
        return
    assert_reads_as_typed(book, report, issues)
    assert_marks_reported(book, issues)


# -- which form a book is ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "output"),
    [((), "text"), (("rows-above-title", "leading-column", "blank-rows-between-sections", "sheet-attachment"), "json")],
    ids=["clean", "habits"],
)
def test_cpsdk_identify_names_the_annual_report(
    names: tuple[str, ...], output: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = combine(clean_book(), names)
    path = save(book, tmp_path / "book.xlsx")
    assert cpsdk.cli.main(["identify", str(path), "--format", output]) == 0
    said = capsys.readouterr().out
    if output == "text":
        first = said.splitlines()[0]
        assert first.startswith(f"{FORM_ID}@"), said
    else:
        found = json.loads(said)
        assert (found[0]["form"], found[0]["by"]) == (FORM_ID, "labels"), found
