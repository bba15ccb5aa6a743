"""附件3: every figure from a small dataset whose answer is known, and the rules."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from records import D, audit, effect, enterprise, proposal

import cpsdk
from cpsdk import AuditKind, Basis, CostClass, Metric
from cpsdk_sichuan.annual.report import AnnualReport, Count, Money, Quantity

E1 = enterprise(1, "510107", "3011")  # 水泥
E2 = enterprise(2, "510107", "2613", key_industries=("chromium_salt",))  # 铬盐 (by tag only)
E3 = enterprise(3, "510112", "4411")  # 电力: no column of section 6
E4 = enterprise(4, "510302", "3011")  # 自贡: another city
E5 = enterprise(5, "510107", "3212", above_scale=False)


def dataset() -> cpsdk.Dataset:
    return cpsdk.Dataset(
        enterprises=(E1, E2, E3, E4, E5),
        audits=(
            audit("a1", E1, confirmed=D(2017, 5, 1), evaluated=D(2017, 10, 1), accepted=D(2018, 6, 1)),
            audit("a2", E1, AuditKind.MANDATORY, confirmed=D(2018, 3, 1), round=2),
            audit("a3", E2, AuditKind.MANDATORY, confirmed=D(2015, 12, 20), accepted=D(2018, 2, 1)),
            audit("a4", E3, confirmed=D(2018, 7, 1)),
            audit("a5", E4, confirmed=D(2018, 1, 1)),
        ),
        proposals=(
            proposal(
                "p1",
                E1,
                "a1",
                investment=Decimal("100.50"),
                support_provincial=Decimal("10"),
                support_local=Decimal("5.25"),
                completed_on=D(2018, 3, 1),
                accepted_on=D(2018, 4, 1),
            ),
            proposal("p2", E1, "a1", CostClass.NO_LOW, completed_on=D(2018, 2, 1), accepted_on=D(2018, 4, 1)),
            proposal("p3", E2, None, from_catalogue=True, started_on=D(2018, 5, 1), completed_on=D(2018, 9, 1)),
            proposal("p4", E1, "a2"),
            proposal("p5", E4, None, from_catalogue=True, started_on=D(2018, 5, 1)),
        ),
        effects=(
            effect("f1", "p1", Metric.COD, "12.5", Basis.GENERATION),
            effect("f2", "p2", Metric.COD, "0.25", Basis.GENERATION),
            effect("f3", "p2", Metric.SO2, "3", Basis.DISCHARGE),
            effect("f4", "p1", Metric.ENERGY, "1234"),
            effect("f5", "p3", Metric.WATER, "5000"),
            effect("f6", "p1", Metric.BENEFIT, "88.8"),
            effect("f7", "p1", Metric.NOX, "1"),
            effect("f8", "p2", Metric.BENEFIT, "7"),  # a no/low-cost proposal's benefit: not note [6]'s
            effect("f9", "p3", Metric.BENEFIT, "3.3"),  # a catalogue retrofit's: counted
            effect("f10", "p1", Metric.ELECTRICITY, "100000"),  # p1 records its energy: not added again
            effect("f11", "p3", Metric.ELECTRICITY, "1000000"),  # p3 records none: converted
            effect("f12", "p3", Metric.COAL, "10"),
        ),
        trainings=(
            cpsdk.Training(
                id="t1", region="510100", held_on=D(2018, 4, 1), audience=cpsdk.Audience.GOVERNMENT, person_times=30
            ),
            cpsdk.Training(
                id="t2", region="510100", held_on=D(2016, 4, 1), audience=cpsdk.Audience.GOVERNMENT, person_times=20
            ),
            cpsdk.Training(
                id="t3",
                region="510107",
                held_on=D(2018, 5, 1),
                audience=cpsdk.Audience.ENTERPRISE,
                enterprise=E1.uscc,
                internal=True,
                person_times=40,
                head_person_times=2,
            ),
            cpsdk.Training(
                id="t4",
                region="510107",
                held_on=D(2018, 5, 1),
                audience=cpsdk.Audience.ENTERPRISE,
                enterprise=E5.uscc,
                internal=True,
                person_times=15,
            ),
            cpsdk.Training(
                id="t5",
                region="510100",
                held_on=D(2017, 5, 1),
                audience=cpsdk.Audience.ENTERPRISE,
                person_times=25,
                head_person_times=5,
            ),
        ),
        byproducts=(
            cpsdk.ByproductUse(
                id="b1", region="510100", year=2018, kind=cpsdk.ByproductKind.FLY_ASH, amount=Decimal(100)
            ),
            cpsdk.ByproductUse(
                id="b2", region="510100", year=2017, kind=cpsdk.ByproductKind.OTHER, name="钢渣", amount=Decimal(50)
            ),
            cpsdk.ByproductUse(
                id="b3", region="510100", year=2018, kind=cpsdk.ByproductKind.OTHER, name="赤泥", amount=Decimal(70)
            ),
            cpsdk.ByproductUse(id="b4", region="510100", year=2018, kind=cpsdk.ByproductKind.OTHER, amount=Decimal(5)),
        ),
        documents=(
            cpsdk.Document(
                id="d1",
                title="成都市清洁生产实施方案",
                number="成经信〔2017〕1号",
                issued_on=D(2017, 3, 1),
                region="510100",
            ),
            cpsdk.Document(id="d2", title="下一年的文件", issued_on=D(2019, 1, 1), region="510100"),
            cpsdk.Document(id="d3", title="省里的文件", issued_on=D(2017, 1, 1), region="510000"),
        ),
        demonstrations=(
            cpsdk.Demonstration(
                id="m1",
                kind=cpsdk.DemonstrationKind.ENTERPRISE,
                level=cpsdk.Level.NATIONAL,
                name=E1.name,
                region="510107",
                enterprise=E1.uscc,
                granted_on=D(2018, 1, 1),
            ),
            cpsdk.Demonstration(
                id="m2",
                kind=cpsdk.DemonstrationKind.PARK,
                level=cpsdk.Level.PROVINCIAL,
                name="园区",
                region="510100",
                granted_on=D(2017, 1, 1),
            ),
            cpsdk.Demonstration(
                id="m3",
                kind=cpsdk.DemonstrationKind.PROJECT,
                level=cpsdk.Level.MUNICIPAL,
                name="项目",
                region="510100",
                granted_on=D(2018, 1, 1),
            ),
        ),
        agencies=(
            cpsdk.Agency(id="ag1", name="机构一", region="510100", staff=12, registered_on=D(2015, 1, 1)),
            cpsdk.Agency(id="ag2", name="机构二", region="510100", staff=8, withdrawn_on=D(2018, 6, 1)),
        ),
        experts=(
            cpsdk.Expert(id="x1", name="专家一", region="510100", joined_on=D(2016, 1, 1)),
            cpsdk.Expert(id="x2", name="专家二", region="510100", joined_on=D(2016, 1, 1), left_on=D(2017, 1, 1)),
        ),
        agreements=(
            cpsdk.Agreement(id="v1", enterprise=E1.uscc, signed_on=D(2018, 2, 1), rewarded_on=D(2018, 10, 1)),
            cpsdk.Agreement(id="v2", enterprise=E3.uscc, signed_on=D(2017, 1, 1)),
        ),
    )


@pytest.fixture
def built() -> tuple[AnnualReport, list[cpsdk.Issue]]:
    form = cpsdk.get_form("sichuan.annual-report")
    report, notes = cpsdk.build_report(form, dataset(), region="5101", year=2018)
    return report, notes


def count(year: int, cumulative: int) -> Count:
    return Count(year=year, cumulative=cumulative)


def test_header(built: tuple[AnnualReport, list[cpsdk.Issue]]) -> None:
    report, _ = built
    assert (report.region, report.region_name, report.year) == ("5101", "成都市", 2018)


def test_training_counts_person_times_and_distinct_above_scale_enterprises(
    built: tuple[AnnualReport, list[cpsdk.Issue]],
) -> None:
    training = built[0].training
    assert training.government == count(30, 50)
    assert training.enterprises == count(1, 1)  # E5 is not above scale; t5 names no enterprise
    assert training.employees == count(40, 65)
    assert training.heads == count(2, 7)


def test_audits_count_distinct_enterprises_by_confirmation_under_their_latest_kind(
    built: tuple[AnnualReport, list[cpsdk.Issue]],
) -> None:
    audits = built[0].audits
    # E1, audited in 2017 (voluntary) and 2018 (mandatory), counts once, as mandatory;
    # E2's 2015 audit is before 累计; E4 is in 自贡.
    assert audits.voluntary == count(1, 1)
    assert audits.mandatory == count(1, 1)
    assert audits.total == count(2, 2)


def test_acceptance_counts_by_acceptance_date(built: tuple[AnnualReport, list[cpsdk.Issue]]) -> None:
    accepted = built[0].accepted
    assert (accepted.voluntary, accepted.mandatory, accepted.total) == (count(1, 1), count(1, 1), count(2, 2))


def test_a_failed_evaluation_or_acceptance_counts_nowhere_though_dated() -> None:
    data = dataset()
    failed = audit("a6", E3, confirmed=D(2017, 1, 5), round=2)
    failed = attrs.evolve(
        failed,
        evaluated_on=D(2017, 6, 1),
        evaluation=cpsdk.Outcome.FAILED,
        accepted_on=D(2018, 3, 1),
        acceptance=cpsdk.Outcome.FAILED,
    )
    data = attrs.evolve(
        data,
        audits=(*data.audits, failed),
        proposals=(*data.proposals, proposal("p6", E3, "a6", started_on=D(2018, 1, 1))),
    )
    report, _ = cpsdk.build_report(cpsdk.get_form("sichuan.annual-report"), data, region="5101", year=2018)
    assert report.accepted.total == count(2, 2)  # a1 and a3, as without a6
    assert report.retrofits.proposed == count(1, 2)  # not p6: a6's report did not pass


def test_retrofits_follow_note_5(built: tuple[AnnualReport, list[cpsdk.Issue]]) -> None:
    retrofits = built[0].retrofits
    # p1 (mid/high of an audit evaluated in 2017) and p3 (catalogue, started 2018);
    # not p2 (no/low) nor p4 (its audit was not evaluated).
    assert retrofits.proposed == count(1, 2)
    assert retrofits.implemented == count(1, 1)  # p3 is completed but not accepted
    assert retrofits.investment == Money(year=Decimal("100.50"), cumulative=Decimal("100.50"))
    assert retrofits.support_provincial == Money(year=Decimal(10), cumulative=Decimal(10))
    assert retrofits.support_local == Money(year=Decimal("5.25"), cumulative=Decimal("5.25"))


def test_effects_count_generation_only_with_exact_units(built: tuple[AnnualReport, list[cpsdk.Issue]]) -> None:
    report, notes = built
    assert report.effects.cod == Quantity(year=Decimal("12.75"), cumulative=Decimal("12.75"))
    assert report.effects.so2 == Quantity()  # discharge basis: not counted
    assert report.effects.nox == Quantity()  # no basis: not counted
    # p1's 1234 tce as recorded; p3's 1,000,000 kWh at 0.1229 kgce/kWh and 10 t of raw coal at 0.7143 kgce/kg
    p3_tce = Decimal(1000000) * Decimal("0.1229") / 1000 + Decimal(10) * Decimal("0.7143")
    assert p3_tce == Decimal("130.043")
    assert report.effects.energy.year == (Decimal(1234) + p3_tce) / 10000  # in 万吨标煤
    assert report.effects.water.cumulative == Decimal("0.5")  # 5000 t in 万吨
    # note [6]: p1's (mid/high, evaluated audit) and p3's (catalogue) benefit; not p2's (no/low cost)
    assert report.effects.benefit == Money(year=Decimal("92.1"), cumulative=Decimal("92.1"))
    codes = {(issue.code, issue.pointer) for issue in notes}
    assert ("sichuan.annual.discharge-basis", "/effects/2") in codes
    assert ("sichuan.annual.no-basis", "/effects/6") in codes
    assert all(issue.source and "填报说明[6]" in issue.source for issue in notes if "basis" in issue.code)


def test_byproducts_name_the_largest_other_kinds(built: tuple[AnnualReport, list[cpsdk.Issue]]) -> None:
    byproducts = built[0].byproducts
    assert byproducts.fly_ash == Quantity(year=Decimal(100), cumulative=Decimal(100))
    assert (byproducts.kind1_name, byproducts.kind2_name, byproducts.kind3_name) == ("赤泥", "钢渣", None)
    assert byproducts.kind1 == Quantity(year=Decimal(70), cumulative=Decimal(70))
    assert byproducts.kind2 == Quantity(year=Decimal(0), cumulative=Decimal(50))
    assert byproducts.other == Quantity(year=Decimal(5), cumulative=Decimal(5))


def test_industries_by_code_and_tag_and_other_with_warning(built: tuple[AnnualReport, list[cpsdk.Issue]]) -> None:
    report, notes = built
    industries = report.industries
    assert industries.building_materials == count(1, 1)
    assert industries.cement == count(1, 1)
    assert industries.other == count(1, 1)
    assert industries.chemicals == count(0, 0)  # E2's only audit was confirmed in 2015
    other = [issue for issue in notes if issue.code == "sichuan.annual.other-industry"]
    assert [issue.pointer for issue in other] == ["/enterprises/2"]


def test_chromium_salt_only_by_tag() -> None:
    from cpsdk_sichuan.industries import match

    assert match(E2) == ("chemicals", "chromium_salt")
    assert match(enterprise(9, industry="2613")) == ("chemicals",)
    assert match(enterprise(9, industry="2222")) == ("light", "paper")
    assert match(enterprise(9, industry="3841")) == ("light", "batteries")
    assert match(enterprise(9, industry="3140", key_industries=("electrolytic_manganese",))) == (
        "electrolytic_manganese",
    )
    assert match(enterprise(9, industry="3360")) == ("machinery", "electroplating")
    assert match(E3) == ()


def test_documents_demonstrations_capacity_agreements(built: tuple[AnnualReport, list[cpsdk.Issue]]) -> None:
    report = built[0]
    assert [row.title for row in report.documents] == ["成都市清洁生产实施方案"]
    assert report.demonstrations.enterprises_national == count(1, 1)
    assert report.demonstrations.parks_provincial == count(0, 1)
    assert report.demonstrations.projects_national == count(0, 0)  # municipal titles are not on the form
    assert (report.capacity.agencies, report.capacity.agency_staff) == (1, 12)
    assert (report.capacity.expert_pool, report.capacity.experts) == (True, 1)
    assert report.agreements.signed == count(1, 2)
    assert report.agreements.rewarded == count(1, 1)


def test_cumulative_is_never_the_sum_of_yearly_reports() -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    data = dataset()
    by_year = {year: form.build(data, region="5101", year=year) for year in (2016, 2017, 2018)}
    # E1 is audited in 2017 and 2018: two yearly counts, one enterprise since 2016.
    assert sum(by_year[y].audits.total.year for y in by_year) == 3
    assert by_year[2018].audits.total.cumulative == 2


def test_built_report_has_no_errors(built: tuple[AnnualReport, list[cpsdk.Issue]]) -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    assert not cpsdk.has_errors(form.check(built[0]))


def test_the_province_report_includes_every_city() -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    province = form.build(dataset(), region="51", year=2018)
    assert province.region_name == "四川省"
    assert province.audits.total == count(3, 3)  # E4 of 自贡 too


@pytest.mark.parametrize("region", ["44", "5101071", "510107", "9999"])
def test_a_region_that_does_not_file_is_refused(region: str) -> None:
    form = cpsdk.get_form("sichuan.annual-report")
    with pytest.raises(ValueError, match=r"Sichuan|county"):
        form.build(dataset(), region=region, year=2018)
