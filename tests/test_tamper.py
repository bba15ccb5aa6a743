"""A workbook edited after cpsdk wrote it says so, naming the cells; one read back untouched says nothing.

Every form of the demo is written, edited as a clerk would (a number changed, a text changed, a value deleted,
a row removed or added, with openpyxl) and read back; the identity sheet is edited by hand too (hostile layout
years, keys renamed, the draft flag turned off), which never gives a traceback.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest

import cpsdk
from cpsdk._demo import demo_file_name
from cpsdk.cli import main
from cpsdk.forms._form import LayoutForm
from cpsdk.forms._registry import plugins
from cpsdk.workbook import IDENTITY_SHEET, ISSUES_SHEET, WorkbookIdentity, a1, plan_workbook
from cpsdk.workbook._digest import (
    canonical_converter,
    changes,
    fingerprint,
    legacy_sha256,
    parse_digests,
    report_sha256,
)
from cpsdk.workbook._identity import CHUNK, InvalidIdentity, layout_year_of
from cpsdk.workbook._values import resolve, type_at
from tests.plugins.cpsdk_testform import EnterpriseList, Listing, Row

MODIFIED = {"workbook.modified", "workbook.identity-modified"}
TEST_FORM = EnterpriseList()
ROW = Row(name="甲企业", uscc="91110000600037341L", region="510107", above_scale=True, output=Decimal("12.50"))


def _forms() -> list[Any]:
    cpsdk.reset_plugins()
    return list(plugins().forms().all())


FORM_KEYS = [f"{form.id}@{form.layout_year}" for form in _forms()]


def _form(key: str) -> Any:
    form_id, _, year = key.partition("@")
    return _get(form_id, layout_year=int(year))


def _get(form_id: str, **kwargs: Any) -> Any:
    """A registered form (typed loosely: the tests use what a :class:`LayoutForm` adds to a form)."""
    return cpsdk.get_form(form_id, **kwargs)


def _reader(form_id: str, path: Path) -> Any:
    """The form that reads the workbook at ``path`` (by its identity)."""
    return cpsdk.form_of_workbook(form_id, path)


def _modified(issues: list[cpsdk.Issue]) -> list[cpsdk.Issue]:
    return [issue for issue in issues if issue.code in MODIFIED]


def _places(issues: list[cpsdk.Issue]) -> set[tuple[str | None, str | None]]:
    return {(issue.sheet, issue.cell) for issue in _modified(issues)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``cpsdk demo``: the example dataset and every form's workbook."""
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def demo_dataset(demo: Path) -> cpsdk.Dataset:
    return cpsdk.load(demo / "dataset.json")


def _demo_path(demo: Path, key: str) -> Path:
    forms = _forms()
    form = next(f for f in forms if f"{f.id}@{f.layout_year}" == key)
    return demo / demo_file_name(form, forms)


def _build(form: Any, dataset: cpsdk.Dataset, **params: Any) -> Any:
    years = [a.confirmed_on.year for a in dataset.audits if a.confirmed_on]
    report, _ = cpsdk.build_report(form, dataset, year=max(years), **params)
    return report


def _edit(source: Path, target: Path, edit: Any) -> Path:
    book = openpyxl.load_workbook(source)
    edit(book)
    book.save(target)
    return target


# ---- untouched workbooks say nothing -----------------------------------------------------------------


@pytest.mark.parametrize("key", FORM_KEYS)
def test_every_demo_workbook_read_back_untouched_gives_no_warning(key: str, demo: Path) -> None:
    path = _demo_path(demo, key)
    form = _reader(key.partition("@")[0], path)
    report, issues = form.read_with_issues(path)
    assert report is not None
    assert _modified(issues) == []


@pytest.mark.parametrize("key", FORM_KEYS)
def test_drafts_official_and_traditional_workbooks_read_back_without_warning(
    key: str, demo_dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    form = _form(key)
    variants: list[dict[str, Any]] = [{}]
    if "script" in form.parameters:
        variants.append({"script": "hant"})
    for seed in (3, 11):
        dataset = cpsdk.example_dataset(seed=seed, enterprises=30, proposals_per_audit=3)
        for params in variants:
            try:
                report = _build(form, dataset, **params)
            except cpsdk.NoRecordsError:
                continue
            for draft in (True, False):
                if not draft and cpsdk.has_errors(form.check(report)):
                    continue
                path = form.write(report, tmp_path / f"{seed}-{draft}.xlsx", draft=draft)
                read, issues = form.read_with_issues(path)
                assert read == report
                assert _modified(issues) == [], (params, draft)


def test_the_draft_of_the_demo_dataset_in_traditional_script_reads_back_without_warning(
    demo_dataset: cpsdk.Dataset, tmp_path: Path
) -> None:
    for form in (_get("guangdong.filings"), _get("guangdong.city-summary")):
        report = _build(form, demo_dataset, script="hant")
        path = form.write(report, tmp_path / f"{form.id}.xlsx", draft=True)
        assert _modified(form.read_with_issues(path)[1]) == []


def test_converted_workbooks_read_back_without_warning(demo: Path, tmp_path: Path) -> None:
    source = _demo_path(demo, "sichuan.retrofit-plan@2021")
    for target in ("guangdong.filings", "sichuan.audit-plan", "guangdong.disclosure"):
        out = tmp_path / f"{target}.xlsx"
        assert main(["convert", "sichuan.retrofit-plan", str(source), target, "-o", str(out)]) == 0
        form = _reader(target, out)
        report, issues = form.read_with_issues(out)
        assert report is not None and _modified(issues) == []


def test_amounts_with_trailing_zeros_read_back_without_warning(tmp_path: Path) -> None:
    report = Listing(region_name="测试省", year=2017, rows=(ROW, attrs.evolve(ROW, output=Decimal("1.000"))))
    path = TEST_FORM.write(report, tmp_path / "x.xlsx")
    read, issues = TEST_FORM.read_with_issues(path)
    assert read == report and _modified(issues) == []


# ---- the canonical hash ------------------------------------------------------------------------------


def test_the_hash_is_of_the_canonical_json_with_amounts_normalised(demo: Path) -> None:
    import hashlib

    for key in FORM_KEYS:
        path = _demo_path(demo, key)
        report = _reader(key.partition("@")[0], path).read(path)
        text = json.dumps(
            canonical_converter().unstructure(report), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        assert report_sha256(report) == hashlib.sha256(text.encode("utf-8")).hexdigest() == cpsdk.report_hash(report)
    one = Listing(region_name="测试省", year=2017, rows=(attrs.evolve(ROW, output=Decimal("1.50")),))
    other = Listing(region_name="测试省", year=2017, rows=(attrs.evolve(ROW, output=Decimal("1.5")),))
    negative_zero = Listing(region_name="测试省", year=2017, rows=(attrs.evolve(ROW, output=Decimal("-0.00")),))
    zero = Listing(region_name="测试省", year=2017, rows=(attrs.evolve(ROW, output=Decimal(0)),))
    assert report_sha256(one) == report_sha256(other) and legacy_sha256(one) != legacy_sha256(other)
    assert report_sha256(negative_zero) == report_sha256(zero)


def test_digests_locate_a_row_and_a_column_and_align_rows() -> None:
    rows = tuple(attrs.evolve(ROW, name=f"企业{i}") for i in range(6))
    written = fingerprint(Listing(region_name="测试省", year=2017, rows=rows))
    edited = fingerprint(
        Listing(region_name="测试省", year=2017, rows=(*rows[:2], attrs.evolve(rows[2], uscc="X"), *rows[3:]))
    )
    assert [(c.kind, c.first, c.last, c.columns) for c in changes(written, edited)] == [("cells", 2, 2, ("uscc",))]
    removed = fingerprint(Listing(region_name="测试省", year=2017, rows=(*rows[:1], *rows[2:])))
    assert [(c.kind, c.first, c.last) for c in changes(written, removed)] == [("missing", 1, 1)]
    added = fingerprint(Listing(region_name="测试省", year=2018, rows=(*rows, ROW, ROW)))
    assert [(c.kind, c.path, c.first, c.last) for c in changes(written, added)] == [
        ("field", ("year",), 0, 0),
        ("added", ("rows",), 6, 7),
    ]
    assert parse_digests(written.text()) == attrs.evolve(written, sha256="")
    empty = fingerprint(Listing(region_name="测试省", year=2017))
    assert [(c.kind, c.first, c.last) for c in changes(empty, written)] == [("added", 0, 5)]
    assert [(c.kind, c.first, c.last) for c in changes(written, empty)] == [("missing", 0, 5)]


def test_rows_that_repeat_are_aligned_in_linear_time() -> None:
    import time

    from cpsdk.workbook._digest import _align

    rows = ["aaaaaaaa"] * 20_000
    started = time.perf_counter()
    assert _align(rows, ["aaaaaaaa", "bbbbbbbb"] * 10_000) == [(i, i + 1, i, i + 1) for i in range(1, 20_000, 2)]
    assert _align(rows, [*rows[:7], "bbbbbbbb", *rows[7:]]) == [(7, 7, 7, 8)]
    distinct = [f"{i:08x}" for i in range(20_000)]
    assert _align(distinct, [*distinct[:3], *distinct[4:-5], "zzzzzzzz", *distinct[-4:]]) == [
        (3, 4, 3, 3),
        (19_995, 19_996, 19_994, 19_995),
    ]
    assert time.perf_counter() - started < 5


# ---- a clerk's edits are named by cell ---------------------------------------------------------------


def _value_cells(form: LayoutForm, report: Any) -> Iterator[tuple[str, str, tuple[Any, ...], Any, Any, bool]]:
    """Every cell bound to a value: sheet, cell, path, value, type and whether it may be empty."""
    for plan in plan_workbook(form.layout_for(report), report):
        for cell in plan.fixed:
            if cell.path is None or (cell.value is not None and (cell.value.template or cell.value.labels)):
                continue
            yield (
                plan.layout.name,
                a1(cell.row, cell.col),
                cell.path,
                resolve(report, cell.path),
                *_type(form, cell.path),
            )
        for table in plan.tables:
            for offset in range(table.count):
                for index, field in enumerate(table.fields):
                    if field is None:
                        continue
                    placed = table.cell(offset, index)
                    assert placed.path is not None
                    value = resolve(report, placed.path)
                    yield (plan.layout.name, a1(placed.row, placed.col), placed.path, value, *_type(form, placed.path))


def _type(form: LayoutForm, path: tuple[Any, ...]) -> tuple[Any, bool]:
    return type_at(form.report_type, tuple(0 if isinstance(key, int) else key for key in path))


def _number(value: Any, tp: Any) -> Any:
    """A number changed (a date is a number in a sheet: the next day)."""
    if tp is int and isinstance(value, int) and not isinstance(value, bool):
        return value + 1
    if tp is Decimal and isinstance(value, Decimal):
        return float(value + 1)
    if tp is datetime.date and isinstance(value, datetime.date):
        return datetime.datetime.combine(value + datetime.timedelta(days=1), datetime.time())
    return None


def _text(value: Any, tp: Any) -> Any:
    return f"{value}改" if tp is str and isinstance(value, str) and value and not value.startswith(("=", "+")) else None


def _deleted(value: Any, tp: Any, optional: bool) -> Any:
    return "" if optional and value is not None and value != "" and tp in (str, Decimal, int) else None


EDITS = {
    "number": lambda value, tp, optional: _number(value, tp),
    "text": lambda value, tp, optional: _text(value, tp),
    "deleted": _deleted,
}


def _sources(key: str, demo: Path, folder: Path) -> Iterator[tuple[Any, Path, Any]]:
    """The demo's workbook of the form, then one written from a larger example (the demo's year may leave a
    table empty): the form that reads it, its path and its report."""
    path = _demo_path(demo, key)
    form = _reader(key.partition("@")[0], path)
    yield form, path, form.read(path)
    form = _form(key)
    try:
        report = _build(form, cpsdk.example_dataset(seed=3, enterprises=40, proposals_per_audit=3))
    except cpsdk.NoRecordsError:
        return
    path = form.write(report, folder / "example.xlsx", draft=True)
    yield form, path, report


@pytest.mark.parametrize("kind", sorted(EDITS))
@pytest.mark.parametrize("key", FORM_KEYS)
def test_a_clerk_s_edit_is_named_by_its_cell(key: str, kind: str, demo: Path, tmp_path: Path) -> None:
    tried = 0
    for form, source, report in _sources(key, demo, tmp_path):
        for sheet, cell, path, value, tp, optional in _value_cells(form, report):
            new = EDITS[kind](value, tp, optional)
            if new is None:
                continue

            def edit(book: openpyxl.Workbook, sheet: str = sheet, cell: str = cell, new: Any = new) -> None:
                book[sheet][cell].value = None if new == "" else new

            edited = _edit(source, tmp_path / f"{kind}.xlsx", edit)
            read, issues = form.read_with_issues(edited)
            if read is None:  # the edit made the workbook unreadable (a required cell): errors say so already
                assert cpsdk.has_errors(issues)
                continue
            if read == report:  # an edit that changes nothing the report holds
                continue
            assert _places(issues) == {(sheet, cell)}, (path, value, new, _modified(issues))
            assert all(issue.severity is cpsdk.Severity.WARNING for issue in _modified(issues))
            tried += 1
            if tried == 3:
                return
        if tried:
            return
    if kind != "number" and tried == 0:
        pytest.skip(f"{key}: no {kind} value its workbooks show can be edited")
    assert tried, f"{key}: no cell could be edited as a {kind}"


def _table_form_report(demo: Path) -> tuple[Any, Path, Any]:
    source = _demo_path(demo, "sichuan.retrofit-plan@2021")
    form = _reader("sichuan.retrofit-plan", source)
    return form, source, form.read(source)


def test_a_row_deleted_by_hand_is_named(demo: Path, tmp_path: Path) -> None:
    form, source, report = _table_form_report(demo)
    assert len(report.rows) >= 3
    plan = plan_workbook(form.layout_for(report), report)[0]
    table = plan.tables[0]
    edited = _edit(source, tmp_path / "x.xlsx", lambda b: b[plan.layout.name].delete_rows(table.first_row + 2))
    read, issues = form.read_with_issues(edited)
    assert read is not None and len(read.rows) == len(report.rows) - 1
    (issue,) = _modified(issues)
    assert issue.sheet == plan.layout.name and issue.cell is not None
    assert issue.cell.split(":")[0] == a1(table.first_row + 1, table.columns[0][0])
    assert "row 2" in issue.message_en and "第 2 行" in issue.message_zh


def test_a_row_added_by_hand_is_named(demo: Path, tmp_path: Path) -> None:
    form, source, report = _table_form_report(demo)
    plan = plan_workbook(form.layout_for(report), report)[0]
    table = plan.tables[0]

    def add(book: openpyxl.Workbook) -> None:
        sheet = book[plan.layout.name]
        for col in range(1, 12):  # the row above, copied into the blank row under the table
            sheet.cell(table.blank_row + 1, col).value = sheet.cell(table.blank_row, col).value

    read, issues = form.read_with_issues(_edit(source, tmp_path / "x.xlsx", add))
    assert read is not None and len(read.rows) == len(report.rows) + 1
    (issue,) = _modified(issues)
    assert issue.cell is not None and issue.cell.startswith(a1(table.blank_row, table.columns[0][0]) + ":")
    assert "added" in issue.message_en


def test_several_cells_changed_in_a_table_are_each_named(tmp_path: Path) -> None:
    rows = tuple(attrs.evolve(ROW, name=f"企业{i}", output=Decimal(i)) for i in range(20))
    path = TEST_FORM.write(Listing(region_name="测试省", year=2017, rows=rows), tmp_path / "x.xlsx")

    def edit(book: openpyxl.Workbook) -> None:
        book["企业名录"]["F8"] = 99  # the 5th row's output
        book["企业名录"]["G8"] = "水泥"  # and its products
        book["企业名录"]["B2"] = "单位"  # a header: not the report's, so not named

    _, issues = TEST_FORM.read_with_issues(_edit(path, tmp_path / "y.xlsx", edit))
    assert _places(issues) == {("企业名录", "F8"), ("企业名录", "G8")}


def test_a_title_field_edited_is_named_at_the_title(tmp_path: Path) -> None:
    path = TEST_FORM.write(Listing(region_name="测试省", year=2017, rows=(ROW,)), tmp_path / "x.xlsx")
    edited = _edit(path, tmp_path / "y.xlsx", lambda b: setattr(b["企业名录"]["A1"], "value", "测试省2018年企业名录"))
    _, issues = TEST_FORM.read_with_issues(edited)
    assert _places(issues) == {("企业名录", "A1")}
    assert _modified(issues)[0].pointer == "/year"


def test_a_long_table_s_digests_take_several_identity_rows_and_still_locate(tmp_path: Path) -> None:
    rows = tuple(attrs.evolve(ROW, name=f"企业{i}", output=Decimal(i)) for i in range(4_500))
    path = TEST_FORM.write(Listing(region_name="测试省", year=2017, rows=rows), tmp_path / "x.xlsx")
    book = openpyxl.load_workbook(path)
    identity = {row[0]: row[1] for row in book[IDENTITY_SHEET].iter_rows(values_only=True)}
    assert "report_digests.2" in identity
    assert all(len(str(value)) <= 32_767 for value in identity.values())
    book["企业名录"]["F4003"] = 7
    book.save(tmp_path / "y.xlsx")
    _, issues = TEST_FORM.read_with_issues(tmp_path / "y.xlsx")
    assert _places(issues) == {("企业名录", "F4003")}


def test_many_changes_are_listed_up_to_a_bound(tmp_path: Path) -> None:
    rows = tuple(attrs.evolve(ROW, name=f"企业{i}", output=Decimal(i)) for i in range(2_000))
    path = TEST_FORM.write(Listing(region_name="测试省", year=2017, rows=rows), tmp_path / "x.xlsx")

    def edit(book: openpyxl.Workbook) -> None:
        for row in range(4, 2_004):
            book["企业名录"][f"F{row}"] = 10_000 + row
            book["企业名录"][f"G{row}"] = "钢材"

    _, issues = TEST_FORM.read_with_issues(_edit(path, tmp_path / "y.xlsx", edit))
    modified = _modified(issues)
    assert len(modified) == 101 and "3900 more" in modified[-1].message_en
    assert {i.cell for i in modified[:4]} == {"F4", "G4", "F5", "G5"}


def test_a_merge_names_the_file_and_the_cell_edited(demo_dataset: cpsdk.Dataset, tmp_path: Path) -> None:
    form = _get("sichuan.annual-report")
    year = max(a.confirmed_on.year for a in demo_dataset.audits if a.confirmed_on)
    paths = []
    for city in ("5101", "5103"):
        report = form.build(demo_dataset, region=city, year=year)
        draft = cpsdk.has_errors(form.check(report))
        paths.append(form.write(report, tmp_path / f"{city}.xlsx", draft=draft))
    report = form.read(paths[1])
    sheet, cell, *_ = next(c for c in _value_cells(form, report) if _text(c[3], c[4]) is not None)
    edited = _edit(paths[1], tmp_path / "edited.xlsx", lambda b: setattr(b[sheet][cell], "value", "某某"))
    merged, issues = cpsdk.merge_workbooks(form, [paths[0], edited])
    assert merged is not None, [i.render() for i in issues if i.is_error]  # a warning does not stop the merge
    assert {(i.file, i.sheet, i.cell) for i in _modified(issues)} == {("edited.xlsx", sheet, cell)}


def test_a_form_that_reads_without_issues_is_verified_when_merged(demo: Path, tmp_path: Path) -> None:
    class Plain(cpsdk.Form):  # a form that only reads and checks: the protocol's default read_with_issues
        id = "sichuan.retrofit-plan"

        def __init__(self, form: Any) -> None:
            self.read, self.check = form.read, form.check

    source = _demo_path(demo, "sichuan.retrofit-plan@2021")
    form = _reader("sichuan.retrofit-plan", source)
    assert _modified(cpsdk.read_report(Plain(form), source)[1]) == []  # type: ignore[arg-type]
    report = form.read(source)
    sheet, cell, *_ = next(c for c in _value_cells(form, report) if _text(c[3], c[4]) is not None)
    edited = _edit(source, tmp_path / "e.xlsx", lambda b: setattr(b[sheet][cell], "value", "某某"))
    (issue,) = _modified(cpsdk.read_report(Plain(form), edited)[1])  # type: ignore[arg-type]
    assert issue.file == "e.xlsx" and issue.pointer is not None and issue.pointer.startswith("/rows/")


# ---- older workbooks ---------------------------------------------------------------------------------


def _older(form: LayoutForm, monkeypatch: pytest.MonkeyPatch) -> None:
    """Write as cpsdk did before the digests: the hash of amounts as stored, no digests, no seal."""
    real = LayoutForm.identity

    def identity(self: LayoutForm, report: Any, **kwargs: Any) -> WorkbookIdentity:
        made = real(self, report, **kwargs)
        return attrs.evolve(made, report_sha256=legacy_sha256(report), report_digests="", seal="")

    monkeypatch.setattr(LayoutForm, "identity", identity)


def test_an_older_workbook_is_checked_by_its_hash_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _older(TEST_FORM, monkeypatch)
    row = attrs.evolve(ROW, output=Decimal("12.5"))
    path = TEST_FORM.write(Listing(region_name="测试省", year=2017, rows=(row, row)), tmp_path / "x.xlsx")
    trailing = TEST_FORM.write(Listing(region_name="测试省", year=2017, rows=(ROW,)), tmp_path / "t.xlsx")
    monkeypatch.undo()
    book = openpyxl.load_workbook(path)
    assert {row[0] for row in book[IDENTITY_SHEET].iter_rows(values_only=True)}.isdisjoint({"seal", "report_digests"})
    # Without a seal the identity cannot be trusted (its seal may have been removed to hide a draft flag
    # turned off): said once, and nothing of the cells while the hash matches.
    (unsealed,) = _modified(TEST_FORM.read_with_issues(path)[1])
    assert unsealed.code == "workbook.identity-modified" and "no seal" in unsealed.message_en
    book["企业名录"]["F4"] = 3
    book.save(tmp_path / "y.xlsx")
    unsealed, issue = _modified(TEST_FORM.read_with_issues(tmp_path / "y.xlsx")[1])
    assert issue.code == "workbook.modified" and issue.sheet == "企业名录" and issue.cell is None
    assert "older cpsdk" in issue.message_en
    # An older cpsdk hashed 12.50 with its places, which the sheet does not keep: the warning says it may be that.
    unsealed, issue = _modified(TEST_FORM.read_with_issues(trailing)[1])
    assert "trailing zeros" in issue.message_en


def test_an_identity_stripped_of_its_seal_and_hash_says_so(tmp_path: Path) -> None:
    path = TEST_FORM.write(Listing(region_name="测试省", year=2017, rows=(ROW,)), tmp_path / "x.xlsx", draft=True)

    def strip(book: openpyxl.Workbook) -> None:
        for key in ("seal", "report_digests", "report_sha256"):
            _set_identity(book, key, None)
        _set_identity(book, "draft", "false")
        book["企业名录"]["F4"] = 3

    stripped = _edit(path, tmp_path / "stripped.xlsx", strip)
    codes = [issue.code for issue in _modified(TEST_FORM.read_with_issues(stripped)[1])]
    assert codes == ["workbook.identity-modified", "workbook.modified"]


def test_a_digest_pointer_that_is_no_index_is_a_name_not_a_crash(tmp_path: Path) -> None:
    path = TEST_FORM.write(Listing(region_name="测试省", year=2017, rows=(ROW,)), tmp_path / "x.xlsx")
    book = openpyxl.load_workbook(path)
    text = next(row[1].value for row in book[IDENTITY_SHEET].iter_rows() if row[0].value == "report_digests")
    for index in ("²", "①", "9" * 5000):

        def hostile(book: openpyxl.Workbook, index: str = index) -> None:
            _set_identity(book, "report_digests", text.replace('"/rows"', f'"/rows/{index}"', 1))
            book["企业名录"]["F4"] = 3

        edited = _edit(path, tmp_path / "hostile.xlsx", hostile)
        report, issues = TEST_FORM.read_with_issues(edited)
        assert report is not None and "workbook.modified" in {issue.code for issue in issues}


# ---- the identity sheet edited by hand ---------------------------------------------------------------


def _set_identity(book: openpyxl.Workbook, key: str, value: Any, *, rename: str | None = None) -> None:
    sheet = book[IDENTITY_SHEET]
    for row in sheet.iter_rows():
        if row[0].value == key:
            if rename is not None:
                row[0].value = rename
            else:
                row[1].value = value
            return
    raise AssertionError(key)


def _listing(tmp_path: Path, *, draft: bool = False) -> Path:
    return TEST_FORM.write(
        Listing(region_name="测试省", year=2017, rows=(ROW, attrs.evolve(ROW, output=Decimal(-1) if draft else None))),
        tmp_path / "x.xlsx",
        draft=draft,
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("draft", "true"),
        ("report_sha256", "0" * 64),
        ("report_digests", '{"v":1}'),
        ("report_digests", "not json"),
        ("report_digests", "[" * 10_000),
        ("seal", "0123456789abcdef"),
        ("seal", "封印"),
        ("report_digests", 3.5),
        ("params", "script=hant"),
        ("input_sha256", 42),
    ],
)
def test_an_identity_value_edited_by_hand_is_a_warning(key: str, value: Any, tmp_path: Path) -> None:
    path = _edit(_listing(tmp_path), tmp_path / "y.xlsx", lambda b: _set_identity(b, key, value))
    report, issues = TEST_FORM.read_with_issues(path)
    assert report is not None
    assert [(i.code, i.sheet) for i in _modified(issues)] == [("workbook.identity-modified", IDENTITY_SHEET)]


@pytest.mark.parametrize("key", ["seal", "report_digests", "report_sha256", "params", "written_at"])
def test_an_identity_key_renamed_or_removed_is_a_warning(key: str, tmp_path: Path) -> None:
    path = _edit(_listing(tmp_path), tmp_path / "y.xlsx", lambda b: _set_identity(b, key, None, rename=f"{key}x"))
    report, issues = TEST_FORM.read_with_issues(path)
    assert report is not None
    assert "workbook.identity-modified" in {i.code for i in issues}


def test_a_draft_without_its_issues_sheet_reads(tmp_path: Path) -> None:
    path = _edit(_listing(tmp_path, draft=True), tmp_path / "y.xlsx", lambda b: b.remove(b[ISSUES_SHEET]))
    report, issues = TEST_FORM.read_with_issues(path)
    assert report is not None and _modified(issues) == []
    assert "test.negative-output" in {i.code for i in issues}


def test_a_draft_passed_off_as_official_is_a_warning(tmp_path: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        book.remove(book[ISSUES_SHEET])
        _set_identity(book, "draft", "false")

    _, issues = TEST_FORM.read_with_issues(_edit(_listing(tmp_path, draft=True), tmp_path / "y.xlsx", edit))
    assert {i.code for i in _modified(issues)} == {"workbook.identity-modified"}


HOSTILE_YEARS: list[Any] = [
    "inf",
    "nan",
    "-inf",
    "-1",
    "1e400",
    "9" * 5_000,
    "",
    "２０１６",
    "2016年",
    -1,
    1e308,
    2016.5,
    True,
    1979,
    2101,
    datetime.datetime(2016, 1, 1),
]


@pytest.mark.parametrize("value", HOSTILE_YEARS, ids=[repr(v)[:12] for v in HOSTILE_YEARS])
def test_a_hostile_layout_year_is_refused_cleanly(value: Any, tmp_path: Path) -> None:
    path = _edit(_listing(tmp_path), tmp_path / "y.xlsx", lambda b: _set_identity(b, "layout_year", value))
    with pytest.raises(cpsdk.WorkbookError) as raised:
        TEST_FORM.read_with_issues(path)
    assert raised.value.issues
    try:  # not a valid identity: none, or a clean error saying why
        assert cpsdk.workbook.workbook_identity(path) is None
    except cpsdk.WorkbookError as exc:
        assert exc.issues


@pytest.mark.parametrize("value", [2016, 2016.0, "2016", " 2016 ", "2016.0"])
def test_a_layout_year_as_a_clerk_may_retype_it_is_read(value: Any) -> None:
    assert layout_year_of(value) == 2016


MORE_HOSTILE_YEARS: list[Any] = [*HOSTILE_YEARS, float("inf"), float("nan"), 10**5000, Decimal("1e400"), None]


@pytest.mark.parametrize(
    "value", MORE_HOSTILE_YEARS, ids=[f"{type(v).__name__}{i}" for i, v in enumerate(MORE_HOSTILE_YEARS)]
)
def test_layout_year_of_raises_only_invalid_identity(value: Any) -> None:
    with pytest.raises(InvalidIdentity) as raised:
        layout_year_of(value)
    assert raised.value.message_zh and raised.value.message_en


def test_identity_from_rows_takes_any_values_without_an_unexpected_exception() -> None:
    good = TEST_FORM.identity(Listing(region_name="测试省", year=2017, rows=(ROW,)), draft=False)
    rows: dict[str, Any] = dict(good.rows())
    assert WorkbookIdentity.from_rows(rows) == good and good.seal_ok()
    for key in rows:
        for value in (None, 1e308, float("nan"), True, datetime.date(2020, 1, 1), "x" * 40_000, 10**5000):
            try:
                identity = WorkbookIdentity.from_rows({**rows, key: value})
            except InvalidIdentity:
                continue
            assert isinstance(identity, WorkbookIdentity)


def test_long_digests_are_cut_into_cells_and_joined_back() -> None:
    identity = WorkbookIdentity(
        form="a.b",
        layout_year=2016,
        sdk_version="1",
        plugin="p",
        plugin_version="1",
        written_at="now",
        report_sha256="0" * 64,
        report_digests="x" * (2 * CHUNK + 5),
    ).sealed()
    rows = identity.rows()
    digests = [value for key, value in rows if key.startswith("report_digests")]
    assert [len(value) for value in digests] == [CHUNK, CHUNK, 5]
    assert all(len(value) <= 32_767 for _, value in rows)
    back = WorkbookIdentity.from_rows(dict(rows))
    assert back == identity and back.seal_ok()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cpsdk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CPSDK_DEBUG": ""},
    )


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "1e400", "9" * 5_000])
def test_cpsdk_read_and_merge_of_a_hostile_identity_exit_cleanly(value: str, demo: Path, tmp_path: Path) -> None:
    source = _demo_path(demo, "sichuan.annual-report@2016")
    path = _edit(source, tmp_path / "y.xlsx", lambda b: _set_identity(b, "layout_year", value))
    for args in (
        ("read", "sichuan.annual-report", str(path), "-o", str(tmp_path / "r.json")),
        ("merge", "sichuan.annual-report", str(source), str(path), "-o", str(tmp_path / "m.xlsx")),
    ):
        result = _run(*args)
        assert result.returncode not in (0, 3), result.stderr[-2000:]
        assert "Traceback" not in result.stderr + result.stdout
        assert "internal error" not in result.stderr


def test_cpsdk_read_prints_the_edited_cell(demo: Path, tmp_path: Path) -> None:
    source = _demo_path(demo, "sichuan.retrofit-plan@2021")
    form = _reader("sichuan.retrofit-plan", source)
    report = form.read(source)
    sheet, cell, *_ = next(c for c in _value_cells(form, report) if isinstance(c[3], Decimal))
    path = _edit(source, tmp_path / "y.xlsx", lambda b: setattr(b[sheet][cell], "value", 1.25))
    result = _run("read", "sichuan.retrofit-plan", str(path), "--format", "json")
    assert result.returncode in (0, 1), result.stderr[-2000:]
    issues = json.loads(result.stdout)
    assert [(i["code"], i["severity"], i["sheet"], i["cell"]) for i in issues if i["code"] in MODIFIED] == [
        ("workbook.modified", "warning", sheet, cell)
    ]


def test_convert_says_when_its_source_was_edited(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _demo_path(demo, "sichuan.retrofit-plan@2021")
    out = tmp_path / "filings.xlsx"
    assert main(["convert", "sichuan.retrofit-plan", str(source), "guangdong.filings", "-o", str(out)]) == 0
    assert "workbook.modified" not in capsys.readouterr().out

    def change(book: openpyxl.Workbook) -> None:
        sheet = book.worksheets[0]
        cell = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "公司" in c.value)
        cell.value = cell.value + "（改）"

    edited = _edit(source, tmp_path / "edited.xlsx", change)
    assert main(["convert", "sichuan.retrofit-plan", str(edited), "guangdong.filings", "-o", str(out)]) == 0
    assert "workbook.modified" in capsys.readouterr().out


def test_an_identity_naming_no_form_is_refused_without_echoing_it(tmp_path: Path) -> None:
    path = TEST_FORM.write(Listing(region_name="测试省", year=2017, rows=(ROW,)), tmp_path / "x.xlsx")
    edited = _edit(path, tmp_path / "form.xlsx", lambda book: _set_identity(book, "form", "长" * 32_000))
    with pytest.raises(cpsdk.WorkbookError) as caught:
        TEST_FORM.read(edited)
    assert [issue.code for issue in caught.value.issues] == ["workbook.identity"]
    assert len(caught.value.issues[0].message_en) < 300
