"""A past year's 备案汇总表 judges its statuses at that year's end, not at the latest date of the records."""

from __future__ import annotations

import datetime

import cpsdk


def test_a_past_year_s_table_is_judged_at_its_year_end() -> None:
    data = cpsdk.example_dataset()
    form = cpsdk.get_form("guangdong.filings")
    assert form.build(data, year=2017).as_of == datetime.date(2017, 12, 31)
    assert form.build(data, year=2017, as_of="2019-06-30").as_of == datetime.date(2019, 6, 30)
    latest = form.build(data).as_of
    assert latest.year > 2017 and form.build(data, year=latest.year).as_of == latest
