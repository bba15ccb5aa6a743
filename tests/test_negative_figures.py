"""A figure a form prints is never below zero: a count typed as −3 by hand is an error on its cell."""

from __future__ import annotations

from pathlib import Path

import attrs
import openpyxl

import cpsdk


def test_a_negative_count_typed_by_hand_is_an_error_on_its_cell(tmp_path: Path) -> None:
    data = cpsdk.example_dataset(seed=3, enterprises=60, proposals_per_audit=4)
    form = cpsdk.get_form("guangdong.city-summary")
    report = form.build(data, region="4403", year=2018)
    assert not [issue for issue in form.check(report) if issue.code == "form.negative"]
    written = form.write(report, tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(written)
    sheet = book.worksheets[0]
    sheet["F4"] = -3  # 其中：简化审核
    book.save(tmp_path / "typed.xlsx")
    _, issues = cpsdk.read_report(form, tmp_path / "typed.xlsx")
    [negative] = [issue for issue in issues if issue.code == "form.negative"]
    assert negative.is_error and negative.cell == "F4" and "-3" in negative.message_zh


def test_signed_fields_may_be_negative() -> None:
    class Signed(type(cpsdk.get_form("national.summary"))):  # type: ignore[misc]
        signed_fields = frozenset({"value"})

    form = cpsdk.get_form("national.summary")
    data = cpsdk.example_dataset(seed=3, enterprises=20, proposals_per_audit=3)
    report = form.build(data, year=2018)
    first = attrs.evolve(report.rows[0], value=report.rows[0].value - 10**6)
    negative = attrs.evolve(report, rows=(first, *report.rows[1:]))
    assert any(i.code in ("form.negative", "summary.negative") or "负数" in i.message_zh for i in form.check(negative))
    assert not any(i.code == "form.negative" for i in Signed().check(negative))
