"""The intake workbook: a template to fill in, read back as a dataset, with issues on their cells."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import assume, given

import cpsdk
from cpsdk.cli import main
from cpsdk.intake import intake_sheets, write_intake
from tests.strategies import datasets


def _blank_text(value: Any) -> bool:
    """True when the dumped dataset holds a text that is only spaces (a cell a filer would leave empty)."""
    if isinstance(value, str):
        return value != "" and value.strip() == ""
    if isinstance(value, dict):
        return any(_blank_text(v) for v in value.values())
    if isinstance(value, list):
        return any(_blank_text(v) for v in value)
    return False


@given(dataset=datasets())
def test_a_filled_intake_reads_back_to_the_same_dataset(
    dataset: cpsdk.Dataset, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assume(not _blank_text(cpsdk.dump(dataset)))
    path = write_intake(tmp_path_factory.mktemp("intake") / "intake.xlsx", dataset)
    loaded = cpsdk.parse(path)
    assert [issue for issue in loaded.issues if issue.is_error] == []
    assert loaded.dataset == dataset


def test_the_template_has_instructions_first_and_drop_downs(tmp_path: Path) -> None:
    assert main(["template", "-o", str(tmp_path / "intake.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "intake.xlsx")
    names = [sheet.name for sheet in intake_sheets()]
    assert book.sheetnames[0] == "填表说明" and book.sheetnames[1 : 1 + len(names)] == names
    assert book["代码表"].sheet_state == "hidden"
    enterprises = book["企业"]
    assert enterprises["A1"].value == "统一社会信用代码" and enterprises["A2"].value == "uscc"
    with zipfile.ZipFile(tmp_path / "intake.xlsx") as archive:
        audits = archive.read("xl/worksheets/sheet3.xml").decode("utf-8")
        proposals = archive.read("xl/worksheets/sheet4.xml").decode("utf-8")
    assert re.search(r'<dataValidation type="list"[^>]*>.*?自愿性,强制性', audits)
    assert 'type="date"' in audits
    assert re.search(r'<dataValidation type="decimal"[^>]*operator="greaterThanOrEqual"', proposals)
    assert cpsdk.parse(tmp_path / "intake.xlsx").dataset == cpsdk.Dataset()


def _example_intake(tmp_path: Path) -> Path:
    return write_intake(tmp_path / "intake.xlsx", cpsdk.example_dataset(seed=9, enterprises=16))


def test_every_issue_points_to_its_sheet_and_cell(tmp_path: Path) -> None:
    path = _example_intake(tmp_path)
    book = openpyxl.load_workbook(path)
    book["企业"]["A3"] = "91510100MA6123456X"  # a wrong check digit
    book["清洁生产审核"]["C4"] = "半自愿"  # not a kind of audit
    book["清洁生产方案"]["A5"] = None  # a required id left out
    book.save(path)
    issues = {(issue.code, issue.where) for issue in cpsdk.validate(path)}
    assert ("code.uscc", "企业!A3") in issues
    assert ("intake.cell", "清洁生产审核!C4") in issues
    assert any(where.startswith("清洁生产方案!") and where.endswith("5") for _, where in issues)


def test_every_command_that_takes_a_dataset_takes_an_intake(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _example_intake(tmp_path)
    assert main(["validate", str(path), "--format", "json"]) == 0
    out = tmp_path / "summary.xlsx"
    assert main(["emit", "national.summary", str(path), "--year", "2019", "-o", str(out)]) == 0
    refilled = tmp_path / "again.xlsx"
    assert main(["template", "--from", str(path), "-o", str(refilled)]) == 0
    assert cpsdk.load(refilled) == cpsdk.load(path)


def test_a_file_that_is_not_a_workbook_is_one_issue(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    issues = cpsdk.validate(fake)
    assert [issue.code for issue in issues] == ["workbook.corrupt"]
