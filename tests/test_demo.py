"""``cpsdk demo`` shows every form at work (issue 23 items 9, 10): a year in which its layout is in force and
its report shows something, and a summary saying what was written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import cpsdk
from cpsdk._demo import _at_work, _data_years, report_is_empty, write_demo

FORMS = cpsdk.list_forms()


@pytest.fixture(scope="module")
def dataset() -> cpsdk.Dataset:
    return cpsdk.example_dataset()


@pytest.mark.parametrize("form", FORMS, ids=lambda form: f"{form.id}.{form.layout_year}")
def test_each_form_is_shown_at_work_in_a_year_its_layout_is_in_force(form: cpsdk.Form, dataset: cpsdk.Dataset) -> None:
    params, report, _ = _at_work(form, FORMS, dataset, _data_years(dataset))
    assert not report_is_empty(report), f"{form.id} ({form.layout_year} layout) shows nothing in the demo"
    if "year" in params:
        later = [f.layout_year for f in FORMS if f.id == form.id and f.layout_year > form.layout_year]
        assert form.layout_year <= params["year"] < min(later, default=10_000)


def test_the_twelfth_plan_table_is_shown_over_its_own_plan_period(dataset: cpsdk.Dataset) -> None:
    form = cpsdk.get_form("national.indicators")
    params, report, _ = _at_work(form, FORMS, dataset, _data_years(dataset))
    assert params["year"] == 2015 and report.span.startswith("2011")


@attrs.frozen
class _Row:
    name: str
    amount: Decimal | None = None


@attrs.frozen
class _Report:
    region: str
    year: int
    rows: tuple[_Row, ...] = ()
    total: Decimal = Decimal(0)


def test_a_report_of_labels_and_zeros_shows_nothing_and_a_listed_record_or_a_figure_does() -> None:
    assert report_is_empty(_Report(region="51", year=2020))
    assert report_is_empty(_Report(region="51", year=2020, rows=(_Row("钢铁", Decimal(0)),)))
    assert not report_is_empty(_Report(region="51", year=2020, rows=(_Row("钢铁", Decimal(2)),)))
    assert not report_is_empty(_Report(region="51", year=2020, total=Decimal("0.5")))
    assert not report_is_empty(_Report(region="51", year=2020, rows=(_Row("宏达水泥有限公司"),)))


def test_the_demo_says_what_it_wrote_and_where_to_look(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    steps: list[str] = []

    class Bar:
        def __init__(self, total: int) -> None:
            self.total = total

        def step(self, message: str) -> None:
            steps.append(message)

    assert write_demo(tmp_path, 2016, steps.append, Bar)
    said = capsys.readouterr().out
    for form in FORMS:
        line = next(line for line in said.splitlines() if line.strip().startswith(form.id))
        assert form.title in line and ("row(s)" in line or "figures only" in line)
    assert "tools/render-workbook" in said and "Look first at" in said


def test_a_city_s_form_is_shown_for_a_city(dataset: cpsdk.Dataset) -> None:
    city = cpsdk.get_form("guangdong.city-summary")
    province = cpsdk.get_form("guangdong.province-summary")
    _, city_report, _ = _at_work(city, FORMS, dataset, _data_years(dataset))
    _, province_report, _ = _at_work(province, FORMS, dataset, _data_years(dataset))
    assert city_report.region == "4403" and province_report.region == "44"
    assert city_report != attrs.evolve(province_report, region=city_report.region)
