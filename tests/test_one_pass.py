"""``cpsdk emit`` does each piece of work once: one read of the input, one check, one plan."""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

import cpsdk
import cpsdk.intake
from cpsdk.cli import main
from cpsdk.forms import _form
from cpsdk.workbook import _writer, workbook_identity
from tests.test_dataset import VALID

EMIT = ["--year", "2017", "--param", "start_year=2016"]


@pytest.fixture
def dataset_file(tmp_path: Path) -> Path:
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(VALID, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_emit_opens_the_input_once_and_records_its_hash(
    dataset_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = builtins.open

    def counting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, Path)) and Path(file) == dataset_file:
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    out = tmp_path / "s.xlsx"
    assert main(["emit", "national.summary", str(dataset_file), "-o", str(out), *EMIT]) == 0
    monkeypatch.undo()
    assert len(opened) == 1
    identity = workbook_identity(out)
    assert identity is not None
    assert identity.input_sha256 == hashlib.sha256(dataset_file.read_bytes()).hexdigest()


def test_parse_hashes_what_it_reads(dataset_file: Path, tmp_path: Path) -> None:
    data = dataset_file.read_bytes()
    assert cpsdk.parse(dataset_file, digest=True).sha256 == hashlib.sha256(data).hexdigest()
    assert cpsdk.parse(data, digest=True).sha256 == hashlib.sha256(data).hexdigest()
    assert cpsdk.parse(dataset_file).sha256 == ""  # validation needs no digest: not computed
    intake = tmp_path / "intake.xlsx"
    cpsdk.intake.write_intake(intake, cpsdk.load(dataset_file))
    assert cpsdk.parse(intake, digest=True).sha256 == hashlib.sha256(intake.read_bytes()).hexdigest()
    assert cpsdk.parse(VALID, digest=True).sha256 == ""


def test_emit_checks_the_report_once_and_plans_the_workbook_once(
    dataset_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = cpsdk.get_form("national.summary")
    calls = {"rules": 0, "plan": 0}

    def rules(report: Any) -> Iterable[cpsdk.Issue]:
        calls["rules"] += 1
        yield cpsdk.error("test.cell", "需要定位到单元格", "needs a cell", pointer="/rows/0/value")

    real_plan = _writer.plan_workbook

    def plan(*args: Any, **kwargs: Any) -> Any:
        calls["plan"] += 1
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(form, "rules", rules)
    monkeypatch.setattr(_form, "plan_workbook", plan)
    monkeypatch.setattr(_writer, "plan_workbook", plan)
    out = tmp_path / "draft.xlsx"
    assert main(["emit", "national.summary", str(dataset_file), "-o", str(out), "--draft", *EMIT]) == 0
    assert calls == {"rules": 1, "plan": 1}
    assert form._last_plans is None  # written: the plans are let go


def test_write_checks_when_it_is_not_given_issues(dataset_file: Path, tmp_path: Path) -> None:
    form = cpsdk.get_form("national.summary")
    report = form.build(cpsdk.load(dataset_file), year=2017, start_year=2016)
    error = cpsdk.error("test.rule", "错误", "an error", pointer="/rows/0/value")
    with pytest.raises(cpsdk.ReportError):
        form.write(report, tmp_path / "refused.xlsx", issues=[error])
    assert form.write(report, tmp_path / "written.xlsx").exists()
