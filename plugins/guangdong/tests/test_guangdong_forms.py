"""Guangdong's forms: tracks and deadlines, summaries that add up level by level, disclosure, both scripts."""

from __future__ import annotations

import datetime
import zipfile
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as uscc_code

import cpsdk
from cpsdk import AuditKind, AuditTrack, Basis, CostClass, Metric, Outcome, ProposalStatus, Script
from cpsdk.cli import main
from cpsdk_guangdong.disclosure import PUBLIC_FIELDS, PublicRow
from cpsdk_guangdong.filing import Filing
from cpsdk_guangdong.summary import Summary

D = datetime.date
GD_CITIES = ("4401", "4403", "4406", "4413", "4419")


def uscc(n: int, region: str) -> str:
    body = f"91{region}{n:09d}"
    return body + uscc_code.calc_check_digit(body)


def enterprise(n: int, region: str, **fields: object) -> cpsdk.Enterprise:
    fields.setdefault("industry", "3360")
    return cpsdk.Enterprise(
        uscc=uscc(n, region), name=f"企业{n}", region=region, above_scale=True, contact_person="王秘密",
        contact_phone="020-99998888", address="保密路1号", **fields,
    )  # fmt: skip


E1 = enterprise(1, "440305", basin="茅洲河", park="深圳电镀园区")  # 电镀
E2 = enterprise(2, "440305", basin="石馬河", park="深圳電鍍園區", industry="2222")  # traditional input
E3 = enterprise(3, "441302", industry="4411", park="惠州化工园区")
E4 = enterprise(4, "441302", park="惠州化工园区")


def audit(audit_id: str, ent: cpsdk.Enterprise, track: AuditTrack, **fields: object) -> cpsdk.Audit:
    return cpsdk.Audit(id=audit_id, enterprise=ent.uscc, kind=AuditKind.MANDATORY, track=track, **fields)


DATA = cpsdk.Dataset(
    enterprises=(E1, E2, E3, E4),
    audits=(
        audit(
            "s1",
            E1,
            AuditTrack.STANDARD,
            planned_year=2018,
            confirmed_on=D(2018, 2, 1),
            deadline=D(2018, 12, 31),
            report_filed_on=D(2018, 11, 1),
        ),
        audit(
            "p1",
            E2,
            AuditTrack.PROVINCIAL_TITLE,
            planned_year=2018,
            confirmed_on=D(2018, 3, 1),
            deadline=D(2018, 10, 1),
            accepted_on=D(2018, 12, 1),
            acceptance=Outcome.PASSED,
        ),
        audit(
            "c1", E3, AuditTrack.CITY_ACCEPTANCE, planned_year=2018, confirmed_on=D(2018, 4, 1), deadline=D(2018, 6, 30)
        ),
    ),
    proposals=(
        cpsdk.Proposal(
            id="z1",
            enterprise=E1.uscc,
            audit="s1",
            name="无氰电镀",
            cost_class=CostClass.MID_HIGH,
            investment=Decimal("88.8"),
            status=ProposalStatus.COMPLETED,
            completed_on=D(2018, 12, 15),
        ),
        cpsdk.Proposal(
            id="w1",
            enterprise=E1.uscc,
            audit="s1",
            name="节水",
            cost_class=CostClass.NO_LOW,
            investment=Decimal("1.2"),
            status=ProposalStatus.COMPLETED,
            completed_on=D(2018, 6, 1),
        ),
    ),
    effects=(
        cpsdk.Effect(id="f1", proposal="z1", metric=Metric.COD, basis=Basis.GENERATION, amount=Decimal("3.5")),
        cpsdk.Effect(id="f2", proposal="w1", metric=Metric.WATER, amount=Decimal("1200")),
        cpsdk.Effect(id="f3", proposal="z1", metric=Metric.ENERGY, amount=Decimal("150")),
    ),
    agencies=(cpsdk.Agency(id="ag", name="秘密咨询公司", region="440300"),),
)


def test_a_standard_filing_before_its_retrofits_is_an_error() -> None:
    form = cpsdk.get_form("guangdong.filing")
    report = form.build(DATA, audit="s1")
    assert isinstance(report, Filing)
    assert report.track == "规范审核" and report.mid_high_before_filing == 0  # z1 was completed after filing
    assert report.key_industries == "电镀" and report.key_basin == "茅洲河"
    assert report.status == "按期完成"
    issue = next(i for i in form.check(report) if i.code == "guangdong.filing.standard-before-retrofit")
    assert issue.cell is not None and "实施差别化审核制度" in (issue.source or "")
    later = attrs.evolve(DATA, audits=(attrs.evolve(DATA.audits[0], report_filed_on=D(2018, 12, 20)), *DATA.audits[1:]))
    assert form.build(later, audit="s1").mid_high_before_filing == 1


def test_a_provincial_title_needs_the_citys_recommendation_and_lateness_is_flagged() -> None:
    form = cpsdk.get_form("guangdong.filing")
    report = form.build(DATA, audit="p1")
    assert report.key_basin == "石马河"  # matched from 石馬河 in traditional input
    assert report.park == "深圳電鍍園區"  # kept as given for printing
    codes = {i.code for i in form.check(report)}
    assert {"guangdong.filing.not-recommended", "guangdong.filing.overdue"} <= codes
    assert report.status == "逾期完成"
    recommended = attrs.evolve(DATA.audits[1], recommended_on=D(2018, 11, 1))
    fixed = attrs.evolve(DATA, audits=(DATA.audits[0], recommended, DATA.audits[2]))
    assert "guangdong.filing.not-recommended" not in {i.code for i in form.check(form.build(fixed, audit="p1"))}


def test_the_batch_lists_the_audits_filed_in_the_year_with_statuses() -> None:
    report = cpsdk.get_form("guangdong.filings").build(DATA, region="44", year=2018, as_of="2018-12-31")
    assert [(row.enterprise, row.status) for row in report.rows] == [("企业1", "按期完成")]  # only s1 filed a report


def test_a_report_filed_in_a_later_year_than_planned_is_listed_in_the_year_it_was_filed() -> None:
    filed_2020 = attrs.evolve(DATA.audits[0], planned_year=2019, report_filed_on=D(2020, 3, 2))
    data = attrs.evolve(DATA, audits=(filed_2020, *DATA.audits[1:]))
    filings = cpsdk.get_form("guangdong.filings")
    assert [row.enterprise for row in filings.build(data, year=2020).rows] == ["企业1"]
    assert filings.build(data, year=2019).rows == ()
    disclosed = cpsdk.get_form("guangdong.disclosure").build(data, year=2020)
    assert [row.enterprise for row in disclosed.rows] == ["企业1"]


def _summary(region: str, year: int = 2018, **params: object) -> Summary:
    return cpsdk.get_form("guangdong.city-summary").build(DATA, region=region, year=year, **params)


def test_the_city_summary_counts_tracks_industries_basins_and_parks() -> None:
    shenzhen = _summary("4403", share="20", park_enterprises="深圳电镀园区=2")
    assert [(line.label, line.count) for line in shenzhen.tracks] == [
        ("合计", 2), ("其中：简化审核", 0), ("其中：规范审核", 1), ("其中：市级验收", 0), ("其中：省级清洁生产企业", 1),
    ]  # fmt: skip
    assert dict((line.label, line.count) for line in shenzhen.basins) == {
        "淡水河": 0, "石马河": 1, "广佛跨界河": 0, "茅洲河": 1, "练江": 0, "小东江": 0,
    }  # fmt: skip
    [park] = shenzhen.parks  # 深圳电镀园区 and 深圳電鍍園區 are one park
    assert (park.enterprises, park.audited, park.rate, park.met) == (2, 2, Decimal("100.00"), True)
    water = next(line for line in shenzhen.results if line.label == "节水")
    assert (water.amount, water.unit) == (1200, "吨")
    audits = shenzhen.targets[0]
    assert (audits.share, audits.target, audits.achieved, audits.progress) == (20, 2000, 2, Decimal("0.10"))
    huizhou = _summary("4413", park_enterprises="惠州化工园区=4")  # c1 was never accepted: nothing completed
    [park] = huizhou.parks
    assert (park.audited, park.rate, park.met) == (0, Decimal("0.00"), False)
    issues = cpsdk.get_form("guangdong.city-summary").check(huizhou)
    assert [i.code for i in issues] == ["guangdong.summary.park-below-80"] and "80%" in (issues[0].source or "")


@given(seed=st.integers(0, 10_000), year=st.integers(2016, 2021))
def test_the_province_is_the_sum_of_its_cities(seed: int, year: int) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=24, proposals_per_audit=3)
    city_form = cpsdk.get_form("guangdong.city-summary")
    province_form = cpsdk.get_form("guangdong.province-summary")
    assert isinstance(province_form, cpsdk.MergeableForm)
    cities = [city_form.build(data, region=code, year=year) for code in GD_CITIES]
    merged = province_form.merge(cities)
    built = province_form.build(data, year=year)
    assert merged == built


@given(seed=st.integers(0, 10_000))
def test_a_city_is_the_sum_of_its_counties(seed: int) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=48, proposals_per_audit=2)
    form = cpsdk.get_form("guangdong.city-summary")
    assert isinstance(form, cpsdk.MergeableForm)
    counties = sorted({e.region for e in data.enterprises if e.region.startswith("4403")})
    merged = form.merge([form.build(data, region=county, year=2018) for county in counties])
    assert merged == form.build(data, region="4403", year=2018)


def test_summaries_that_overlap_or_differ_in_year_are_refused() -> None:
    form = cpsdk.get_form("guangdong.province-summary")
    assert isinstance(form, cpsdk.MergeableForm)
    with pytest.raises(cpsdk.ReportError) as overlap:
        form.merge([_summary("4403"), _summary("440305")])
    assert "guangdong.merge.overlap" in {i.code for i in overlap.value.issues}
    with pytest.raises(cpsdk.ReportError) as years:
        form.merge([_summary("4403"), _summary("4413", year=2017)])
    assert "guangdong.merge.years" in {i.code for i in years.value.issues}


def test_cli_merges_city_workbooks_into_the_province(tmp_path: Path) -> None:
    data = cpsdk.example_dataset(seed=4, enterprises=30)
    dataset = tmp_path / "dataset.json"
    dataset.write_text(cpsdk.dumps(data), encoding="utf-8")
    books = []
    for city in GD_CITIES:
        book = tmp_path / f"{city}.xlsx"
        args = ["emit", "guangdong.city-summary", str(dataset), "--region", city, "--year", "2018", "-o", str(book)]
        assert main(args) == 0
        books.append(str(book))
    out = tmp_path / "province.xlsx"
    assert main(["merge", "guangdong.province-summary", *books, "-o", str(out)]) == 0
    province = cpsdk.get_form("guangdong.province-summary")
    assert province.read(out) == province.build(cpsdk.load(dataset), year=2018)


def _strings(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/") and name.endswith(".xml")
        )


def test_the_disclosure_carries_public_fields_only(tmp_path: Path) -> None:
    assert tuple(f.name for f in attrs.fields(PublicRow)) == PUBLIC_FIELDS
    form = cpsdk.get_form("guangdong.disclosure")
    report = form.build(DATA, year=2018)
    assert [row.enterprise for row in report.rows] == ["企业1", "企业2"]  # 企业3 was not accepted
    text = _strings(form.write(report, tmp_path / "public.xlsx"))
    for secret in ("王秘密", "020-99998888", "保密路1号", E1.uscc, "秘密咨询公司", "88.8", "无氰电镀"):
        assert secret not in text


def test_any_form_in_traditional_script_reads_back_and_prints_hong_kong_spelling(tmp_path: Path) -> None:
    form = cpsdk.get_form("guangdong.filing")
    report = form.build(DATA, audit="s1", script="hant")
    assert report.script is Script.HANT and report.track == "規範審核" and report.location.startswith("廣東省")
    path = form.write(report, tmp_path / "hant.xlsx", draft=True)
    text = _strings(path)
    assert "清潔生產審核備案及驗收登記表" in text and "審覈" not in text and "备案" not in text
    assert form.read(path) == report
    summary = cpsdk.get_form("guangdong.city-summary")
    hant = summary.build(DATA, region="4403", year=2018, script="繁體")
    assert hant.region_name == "廣東省深圳市"
    assert summary.read(summary.write(hant, tmp_path / "s.xlsx")) == hant


@pytest.mark.parametrize(
    "form_id",
    [
        "guangdong.filing",
        "guangdong.filings",
        "guangdong.city-summary",
        "guangdong.province-summary",
        "guangdong.disclosure",
    ],
)
@pytest.mark.parametrize("script", ["hans", "hant"])
def test_demo_builds_checks_writes_and_reads_back(form_id: str, script: str, tmp_path: Path) -> None:
    form = cpsdk.get_form(form_id)
    report = form.build(cpsdk.example_dataset(seed=2016), year=2019, script=script)
    assert not cpsdk.has_errors(form.check(report)) or form_id == "guangdong.filing"
    assert form.read(form.write(report, tmp_path / "out.xlsx", draft=True)) == report


def test_a_tampered_script_on_the_identity_sheet_reads_as_simplified(tmp_path: Path) -> None:
    import openpyxl

    form = cpsdk.get_form("guangdong.filings")
    report = form.build(DATA, year=2018)
    path = form.write(report, tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(path)
    for row in book["_cpsdk"].iter_rows():
        if row[0].value == "params":
            row[1].value = "script=klingon"
    book.save(path)
    assert form.read(path) == report


def test_in_traditional_script_names_stay_as_given_and_the_footer_is_converted(tmp_path: Path) -> None:
    """Issue 23 item 2: an enterprise's legal name is printed as registered (东方制药 is not 東方製藥); the
    form's own words, and the page footer, are in traditional script."""
    named = attrs.evolve(DATA.enterprises[0], name="东方制药有限公司")
    data = attrs.evolve(DATA, enterprises=(named, *DATA.enterprises[1:]))
    form = cpsdk.get_form("guangdong.filing")
    report = form.build(data, audit="s1", script="hant")
    assert report.enterprise == "东方制药有限公司"
    path = form.write(report, tmp_path / "hant.xlsx", draft=True)
    text = _strings(path)
    assert "东方制药有限公司" in text and "東方製藥" not in text
    assert "第 &amp;P 頁，共 &amp;N 頁" in text and "第 &amp;P 页" not in text
    assert form.read(path) == report
