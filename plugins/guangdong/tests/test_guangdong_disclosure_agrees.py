"""The 公示 of a year and the year's 汇总表 count the same audits' results the same way."""

from __future__ import annotations

from decimal import Decimal

import cpsdk


def test_the_disclosure_s_results_sum_to_the_summary_s() -> None:
    data = cpsdk.example_dataset(enterprises=120)
    for year in (2017, 2018, 2019):
        disclosure = cpsdk.get_form("guangdong.disclosure").build(data, year=year)
        summary = cpsdk.get_form("guangdong.province-summary").build(data, year=year)
        results = {line.label: line.amount for line in summary.results}
        cod = sum((row.cod or Decimal(0) for row in disclosure.rows), Decimal(0))
        assert cod == results["削减COD"], year
