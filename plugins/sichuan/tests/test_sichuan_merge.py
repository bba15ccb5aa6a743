"""Merging the cities' 附件3 into the province's: additive figures equal the province built from records."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpsdk
from cpsdk.cli import main
from cpsdk_sichuan.annual.report import AnnualReport

#: The 市（州） of Sichuan the example dataset spreads enterprises over.
CITIES = ("5101", "5103", "5104", "5105", "5106", "5107")
ADDITIVE = (
    "training",
    "audits",
    "accepted",
    "retrofits",
    "effects",
    "industries",
    "documents",
    "demonstrations",
    "capacity",
    "agreements",
)


def city_records(seed: int) -> cpsdk.Dataset:
    """An example dataset whose records all belong to cities (no province-level documents)."""
    data = cpsdk.example_dataset(seed=seed, enterprises=30, proposals_per_audit=3)
    return attrs.evolve(data, documents=tuple(d for d in data.documents if not d.region.endswith("0000")))


def form() -> cpsdk.MergeableForm:
    found = cpsdk.get_form("sichuan.annual-report")
    assert isinstance(found, cpsdk.MergeableForm)
    return found


@given(seed=st.integers(0, 10_000), year=st.integers(2016, 2021), cities=st.sets(st.sampled_from(CITIES), min_size=1))
def test_merging_cities_equals_building_from_their_records(seed: int, year: int, cities: set[str]) -> None:
    data = city_records(seed)
    annual = form()
    merged = annual.merge([annual.build(data, region=city, year=year) for city in sorted(cities)])
    union = cpsdk.Dataset(
        **{kind: tuple(r for r in getattr(data, kind) if _in_cities(data, r, cities)) for kind in cpsdk.RECORD_KINDS}
    )
    built = annual.build(union, region="51", year=year)
    for section in ADDITIVE:
        assert getattr(merged, section) == getattr(built, section), section
    _same_byproduct_totals(merged, built)
    assert (merged.region, merged.region_name, merged.year) == ("51", "四川省", year)


def _in_cities(data: cpsdk.Dataset, record: object, cities: set[str]) -> bool:
    """Whether a record belongs to one of ``cities`` (by its own region, or its enterprise's, proposal's, audit's)."""
    region = getattr(record, "region", None)
    if isinstance(record, cpsdk.Effect):
        proposal = data.proposal_by_id.get(record.proposal)
        return proposal is not None and _in_cities(data, proposal, cities)
    if isinstance(record, cpsdk.Discharge):
        audit = data.audit_by_id.get(record.audit)
        return audit is not None and _in_cities(data, audit, cities)
    if region is None:
        enterprise = data.enterprise_by_uscc.get(getattr(record, "enterprise", ""))
        region = enterprise.region if enterprise else ""
    return str(region)[:4] in cities


def _same_byproduct_totals(merged: AnnualReport, built: AnnualReport) -> None:
    for name in ("fly_ash", "coal_gangue", "phosphogypsum"):
        assert getattr(merged.byproducts, name) == getattr(built.byproducts, name)

    def rest(report: AnnualReport) -> tuple[object, object]:
        b = report.byproducts
        total = b.kind1 + b.kind2 + b.kind3 + b.other
        return total.year, total.cumulative

    assert rest(merged) == rest(built)


def test_names_beyond_three_are_re_ranked_into_other() -> None:
    from cpsdk_sichuan.annual.merge import merge_byproducts
    from cpsdk_sichuan.annual.report import Byproducts, Quantity

    def q(n: int) -> Quantity:
        return Quantity(year=n, cumulative=n)  # type: ignore[arg-type]

    a = Byproducts(
        kind1_name="钢渣", kind1=q(10), kind2_name="赤泥", kind2=q(5), kind3_name="锰渣", kind3=q(1), other=q(2)
    )
    b = Byproducts(kind1_name="赤泥", kind1=q(20), kind2_name="电石渣", kind2=q(7))
    merged = merge_byproducts([a, b])
    assert (merged.kind1_name, merged.kind2_name, merged.kind3_name) == ("赤泥", "钢渣", "电石渣")
    assert (merged.kind1, merged.kind2, merged.kind3, merged.other) == (q(25), q(10), q(7), q(3))


def test_free_text_is_kept_per_city_and_the_pool_is_any() -> None:
    data = city_records(3)
    annual = form()
    chengdu = attrs.evolve(annual.build(data, region="5101", year=2018), problems="资金不足")
    zigong = attrs.evolve(annual.build(data, region="5103", year=2018), problems="人员不足")
    merged = annual.merge([zigong, chengdu], filled_by="省经信委")
    assert merged.problems == "成都市：资金不足\n自贡市：人员不足"
    assert merged.filled_by == "省经信委"
    assert merged.capacity.expert_pool is (chengdu.capacity.expert_pool or zigong.capacity.expert_pool)


@pytest.mark.parametrize(
    ("regions_years", "code"),
    [
        ((("5101", 2018), ("5101", 2018)), "sichuan.merge.duplicate"),
        ((("5101", 2018), ("5103", 2017)), "sichuan.merge.years"),
        ((("5101", 2018), ("51", 2018)), "sichuan.merge.not-city"),
    ],
)
def test_reports_that_do_not_fit_are_refused(regions_years: tuple[tuple[str, int], ...], code: str) -> None:
    data = city_records(5)
    annual = form()
    reports = [annual.build(data, region=region, year=year) for region, year in regions_years]
    with pytest.raises(cpsdk.ReportError) as caught:
        annual.merge(reports)
    assert code in {issue.code for issue in caught.value.issues}


def _emit(dataset: Path, region: str, year: int, out: Path) -> Path:
    args = ["emit", "sichuan.annual-report", str(dataset), "--region", region, "--year", str(year), "-o", str(out)]
    assert main(args) == 0
    return out


def test_cli_merge_writes_the_province_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = tmp_path / "dataset.json"
    dataset.write_text(cpsdk.dumps(city_records(11)), encoding="utf-8")
    books = [_emit(dataset, city, 2019, tmp_path / f"{city}.xlsx") for city in ("5101", "5104", "5107")]
    out = tmp_path / "province.xlsx"
    assert main(["merge", "sichuan.annual-report", *map(str, books), "-o", str(out), "--param", "filled_by=张三"]) == 0
    annual = form()
    province = annual.read(out)
    expected = annual.merge([annual.read(book) for book in books], filled_by="张三")
    assert province == expected
    assert province.filled_by == "张三" and province.region_name == "四川省"


def test_cli_merge_refuses_the_same_city_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = tmp_path / "dataset.json"
    dataset.write_text(cpsdk.dumps(city_records(11)), encoding="utf-8")
    book = _emit(dataset, "5101", 2019, tmp_path / "a.xlsx")
    copy = tmp_path / "b.xlsx"
    copy.write_bytes(book.read_bytes())
    out = tmp_path / "province.xlsx"
    assert main(["merge", "sichuan.annual-report", str(book), str(copy), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "sichuan.merge.duplicate" in captured.out and not out.exists()


def test_cli_merge_names_the_file_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = tmp_path / "dataset.json"
    dataset.write_text(cpsdk.dumps(city_records(11)), encoding="utf-8")
    book = _emit(dataset, "5101", 2019, tmp_path / "a.xlsx")
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    assert main(["merge", "sichuan.annual-report", str(book), str(junk), "-o", str(tmp_path / "p.xlsx")]) == 1
    assert "junk.xlsx" in capsys.readouterr().out


def test_an_aggregate_form_without_merge_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "a.xlsx"
    junk.write_text("x", encoding="utf-8")
    assert main(["merge", "sichuan.audit-plan", str(junk), "-o", str(tmp_path / "p.xlsx")]) == 2
    assert "cannot be merged" in capsys.readouterr().err
