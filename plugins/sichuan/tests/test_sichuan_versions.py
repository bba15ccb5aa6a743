"""附件2's two layouts: chosen by the plan year, detected when reading, migrated between."""

from __future__ import annotations

from pathlib import Path

import pytest

import cpsdk
from cpsdk.cli import main
from cpsdk_sichuan.retrofit_plan import RetrofitPlan, RetrofitPlan2021, migrate

FORM = "sichuan.retrofit-plan"


@pytest.fixture(scope="module")
def dataset_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("versions") / "dataset.json"
    path.write_text(cpsdk.dumps(cpsdk.example_dataset(seed=11, enterprises=40)), encoding="utf-8")
    return path


def test_the_layout_in_force_is_chosen_by_the_year() -> None:
    assert cpsdk.get_form(FORM, year=2020).layout_year == 2016
    assert cpsdk.get_form(FORM, year=2021).layout_year == 2021
    assert cpsdk.get_form(FORM).layout_year == 2021


def test_the_2021_layout_adds_the_credit_code_and_the_support() -> None:
    data = cpsdk.example_dataset(seed=11, enterprises=40)
    report = cpsdk.get_form(FORM, layout_year=2021).build(data, year=2018)
    assert isinstance(report, RetrofitPlan2021) and report.rows
    by_name = {e.name: e.uscc for e in data.enterprises}
    assert all(row.uscc == by_name[row.name] for row in report.rows)
    supported = [row for row in report.rows if row.support is not None]
    assert supported and all(row.support > 0 for row in supported)


@pytest.mark.parametrize(("year", "layout"), [(2019, 2016), (2021, 2021)])
def test_emit_picks_the_layout_and_read_detects_it(year: int, layout: int, dataset_file: Path, tmp_path: Path) -> None:
    book = tmp_path / "plan.xlsx"
    assert main(["emit", FORM, str(dataset_file), "--year", str(year), "-o", str(book)]) == 0
    assert cpsdk.form_of_workbook(FORM, book).layout_year == layout
    assert main(["read", FORM, str(book), "-o", str(tmp_path / "plan.json")]) == 0
    report = cpsdk.form_of_workbook(FORM, book).read(book)
    assert isinstance(report, RetrofitPlan2021 if layout == 2021 else RetrofitPlan)


def test_a_workbook_is_not_read_with_another_layout(dataset_file: Path, tmp_path: Path) -> None:
    old = cpsdk.get_form(FORM, layout_year=2016)
    path = old.write(old.build(cpsdk.load(dataset_file), year=2019), tmp_path / "old.xlsx")
    with pytest.raises(cpsdk.WrongFormError) as caught:
        cpsdk.get_form(FORM, layout_year=2021).read(path)
    assert [issue.code for issue in caught.value.issues] == ["workbook.wrong-layout"]


def test_migration_leaves_new_columns_empty_and_comes_back_unchanged(dataset_file: Path) -> None:
    old = cpsdk.get_form(FORM, layout_year=2016).build(cpsdk.load(dataset_file), year=2019)
    assert isinstance(old, RetrofitPlan) and old.rows
    new, notes = migrate(old)
    assert isinstance(new, RetrofitPlan2021)
    assert all(row.uscc is None and row.support is None for row in new.rows)  # never invented
    assert {note.code for note in notes} == {"sichuan.retrofit.migrated-empty"}
    back, lost = migrate(new)
    assert back == old and lost == []


def test_migrating_back_says_what_is_dropped(dataset_file: Path) -> None:
    new = cpsdk.get_form(FORM, layout_year=2021).build(cpsdk.load(dataset_file), year=2019)
    old, notes = migrate(new)
    assert isinstance(old, RetrofitPlan) and len(old.rows) == len(new.rows)
    assert "sichuan.retrofit.migrated-dropped" in {note.code for note in notes}
    assert sum(1 for row in new.rows if row.support) > 0
