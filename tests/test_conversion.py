"""Converting record-level forms into each other: a loss report, and A → B → A gives A back where B carries it."""

from __future__ import annotations

import datetime
import itertools
import json
from pathlib import Path

import attrs
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


# -- what a conversion does not carry, or fills in, is said --------------------------------------------------------


@cpsdk.titled("强制审核企业", "Enterprise under mandatory audit")
@attrs.frozen(kw_only=True)
class Listed:
    name: str = cpsdk.describe("企业名称", "Enterprise name")
    basis: str | None = cpsdk.describe("列入依据", "Basis for listing", default=None)
    audited: bool = cpsdk.describe("已审核", "Audited", default=False)


@cpsdk.titled("强制性清洁生产审核企业名单", "Enterprises under mandatory audit")
@attrs.frozen(kw_only=True)
class ListedReport:
    region_name: str = cpsdk.describe("地区", "Region")
    rows: tuple[Listed, ...] = cpsdk.describe("企业", "Enterprises", factory=tuple)


class ListedForm(cpsdk.LayoutForm):
    """A province's list of enterprises whose 列入依据 no concept names."""

    id = "testprov.mandatory"
    title = "强制性清洁生产审核企业名单"
    layout_year = 2016
    period = cpsdk.Period.YEAR
    scope = cpsdk.Scope.PROVINCE
    report_type = ListedReport
    source = "《山西省清洁生产“十二五”推行规划》 四、（一）1"
    record_level = True
    record_fields = {"name": "enterprise.name"}

    def build(self, dataset: cpsdk.Dataset, **params: object) -> ListedReport:
        return ListedReport(region_name="山西省")

    def layout(self) -> cpsdk.workbook.WorkbookLayout:
        raise NotImplementedError


def test_a_row_field_no_concept_names_is_said_lost_once_with_its_count() -> None:
    form = ListedForm()
    rows = (
        Listed(name="甲", basis="超标排放"),
        Listed(name="乙", basis="使用有毒有害原料", audited=True),
        Listed(name="丙"),
    )
    report = ListedReport(region_name="山西省", rows=rows)
    converted, losses = cpsdk.convert_report(form, report, form)
    assert [row.name for row in converted.rows] == ["甲", "乙", "丙"]
    lost = [loss for loss in losses if loss.code == "conversion.not-convertible"]
    assert len(lost) == 2  # 列入依据 in two rows, 已审核 in one (False is its default, not a value)
    basis = next(loss for loss in lost if "列入依据" in loss.message_zh)
    assert (
        "2 条记录" in basis.message_zh and "Basis for listing" in basis.message_en and "2 record(s)" in basis.message_en
    )
    assert "1 条记录" in next(loss for loss in lost if "已审核" in loss.message_zh).message_zh
    assert not loss_codes(
        cpsdk.convert_report(form, ListedReport(region_name="山西省", rows=(Listed(name="丁"),)), form)
    )


def loss_codes(result: tuple[object, list[cpsdk.Issue]]) -> list[str]:
    return [loss.code for loss in result[1] if loss.code == "conversion.not-convertible"]


def test_forms_lists_the_row_fields_that_do_not_convert(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = cpsdk.FormRegistry()
    registry.add(ListedForm())
    monkeypatch.setattr(cpsdk.plugins(), "forms", lambda: registry)
    assert main(["forms", "testprov.mandatory"]) == 0
    out = capsys.readouterr().out
    assert "name                   enterprise.name" in out
    assert "basis                  not converted: 列入依据 Basis for listing" in out
    assert "audited                not converted: 已审核 Audited" in out


@needs_plugins
def test_a_year_the_source_does_not_give_is_said_with_the_value_used() -> None:
    plan = cpsdk.get_form("sichuan.audit-plan")
    retrofit = cpsdk.get_form("sichuan.retrofit-plan")
    report = plan.build(cpsdk.example_dataset(seed=2, enterprises=30), region="5103")
    converted, losses = cpsdk.convert_report(plan, report, retrofit)
    [defaulted] = [loss for loss in losses if loss.code == "conversion.header-defaulted"]
    assert converted.year == datetime.date.today().year
    assert f"“{converted.year}”" in defaulted.message_zh and "计划年度" in defaulted.message_zh
    assert "--year" in defaulted.message_en and repr(str(converted.year)) in defaulted.message_en
    assert converted.region == "5103"  # the region the source gives is carried, and nothing said of it
    _, given = cpsdk.convert_report(plan, report, retrofit, year=2018)
    assert not [loss for loss in given if loss.code == "conversion.header-defaulted"]


@needs_plugins
def test_a_region_the_destination_does_not_take_is_said_with_the_default_used() -> None:
    plan = cpsdk.get_form("sichuan.audit-plan")
    filings = cpsdk.get_form("guangdong.filings")
    report = plan.build(cpsdk.example_dataset(seed=2, enterprises=30), region="5103")
    converted, losses = cpsdk.convert_report(plan, report, filings, year=2018)
    region = next(loss for loss in losses if loss.code == "conversion.header-defaulted" and "5103" in loss.message_zh)
    assert converted.region == "44" and "“44”" in region.message_zh and "--region" in region.message_zh
    assert converted.year == 2018  # given: only the region fell back
    assert not [loss for loss in losses if loss.code == "conversion.header-changed" and "5103" in loss.message_zh]
