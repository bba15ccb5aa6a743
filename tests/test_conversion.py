"""Converting record-level forms into each other: a loss report, and A → B → A gives A back where B carries it."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cpsdk
from cpsdk.cli import main
from cpsdk.forms._translate import record_fields


def _record_level() -> list[tuple[str, int]]:
    keys = []
    for form in cpsdk.list_forms():
        try:
            record_fields(form)
        except cpsdk.FormError:
            continue
        keys.append((form.id, form.layout_year))
    return keys


PAIRS = list(itertools.permutations(_record_level(), 2))


@pytest.mark.skipif(not PAIRS, reason="needs two record-level forms (the repository's plugins)")
@settings(max_examples=max(10, settings().max_examples // 2))
@given(pair=st.sampled_from(PAIRS or [(("", 0), ("", 0))]), seed=st.integers(0, 10_000), year=st.integers(2016, 2021))
def test_a_to_b_to_a_gives_back_what_b_can_carry(
    pair: tuple[tuple[str, int], tuple[str, int]], seed: int, year: int
) -> None:
    (a_id, a_year), (b_id, b_year) = pair
    a, b = cpsdk.get_form(a_id, layout_year=a_year), cpsdk.get_form(b_id, layout_year=b_year)
    report = a.build(cpsdk.example_dataset(seed=seed, enterprises=24, proposals_per_audit=3), year=year)
    there, losses = cpsdk.convert_report(a, report, b, year=year)
    back, _ = cpsdk.convert_report(b, there, a, year=year)
    shared = set(record_fields(a).values()) & set(record_fields(b).values())
    before = [{k: v for k, v in r.items() if k in shared} for r in cpsdk.to_records(a, report)]
    after = [{k: v for k, v in r.items() if k in shared} for r in cpsdk.to_records(a, back)]
    assert after == before
    assert not [loss for loss in losses if loss.code == "conversion.changed"]
    lost = {
        loss.message_en.split(" has no column for ")[-1].split(";")[0]
        for loss in losses
        if loss.code == "conversion.not-carried"
    }
    assert all(cpsdk.CONCEPTS[c][1] not in lost for c in shared)


def _plan_workbook(tmp_path: Path) -> Path:
    form = cpsdk.get_form("sichuan.audit-plan")
    return form.write(form.build(cpsdk.example_dataset(seed=2, enterprises=30), region="51"), tmp_path / "plan.xlsx")


needs_plugins = pytest.mark.skipif(len(PAIRS) < 2, reason="needs the repository's plugins")


@needs_plugins
def test_cli_convert_writes_the_loss_report_as_text_json_and_a_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _plan_workbook(tmp_path)
    out = tmp_path / "filings.xlsx"
    assert (
        main(["convert", "sichuan.audit-plan", str(source), "guangdong.filings", "-o", str(out), "--year", "2018"]) == 0
    )
    text = capsys.readouterr().out
    assert "conversion.not-carried" in text and "conversion.missing" in text
    book = openpyxl.load_workbook(out)
    assert "转换损失报告" in book.sheetnames
    assert book["转换损失报告"]["B2"].value.startswith("conversion.")
    assert (
        main(["convert", "sichuan.audit-plan", str(source), "guangdong.filings", "-o", str(out), "--format", "json"])
        == 0
    )
    assert {item["code"] for item in json.loads(capsys.readouterr().out)} >= {"conversion.missing"}


@needs_plugins
def test_strict_refuses_to_lose_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _plan_workbook(tmp_path)
    out = tmp_path / "retrofit.xlsx"
    code = main(["convert", "sichuan.audit-plan", str(source), "sichuan.retrofit-plan", "-o", str(out), "--strict"])
    assert code == 1 and not out.exists()
    assert "--strict" in capsys.readouterr().err


def test_an_aggregate_form_is_refused_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = cpsdk.get_form("national.summary")
    path = form.write(form.build(cpsdk.example_dataset(seed=1, enterprises=8), year=2019), tmp_path / "s.xlsx")
    target = "sichuan.audit-plan" if PAIRS else "national.indicators"
    assert main(["convert", "national.summary", str(path), target, "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "aggregate" in capsys.readouterr().err
