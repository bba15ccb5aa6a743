"""The server's own checks of a workbook's region against the account's."""

from __future__ import annotations

from types import SimpleNamespace

from cpsdk_server.checking import _server_checks


def _codes(region: str, account: str) -> list[str]:
    return [issue.code for issue in _server_checks(SimpleNamespace(year=2018, region=region), 2018, account)]


def test_a_prefecture_without_counties_files_under_its_county_level_code() -> None:
    assert _codes("4419", "441900") == []  # 东莞: cpsdk writes 441900's workbook as 4419
    assert _codes("440303", "440303") == [] and _codes("440303", "4403") == []
    assert _codes("4403", "440303") == ["server.region-outside"]
    assert _codes("4401", "441900") == ["server.region-outside"]
