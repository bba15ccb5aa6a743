"""The example dataset looks like the documents' world (issue 23 item 8), for any province (issue 24 item 2)."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

import pytest
from stdnum.cn import uscc as uscc_code

import cpsdk
from cpsdk import CostClass, Metric
from cpsdk.datasets._example import CITIES, generate
from cpsdk.datasets._example_industries import GENERAL_MID_HIGH, GENERAL_NO_LOW, INDUSTRIES, ExampleIndustry

#: What a pollutant metric is called in an enterprise's main pollutants.
_NAMED_AS = {
    Metric.COD: "COD",
    Metric.AMMONIA_NITROGEN: "氨氮",
    Metric.TOTAL_PHOSPHORUS: "总磷",
    Metric.SO2: "SO₂",
    Metric.NOX: "NOₓ",
    Metric.DUST: "粉尘",
    Metric.VOCS: "VOCs",
    Metric.MERCURY: "汞",
    Metric.CHROMIUM: "铬",
    Metric.CHROMIUM_RESIDUE: "铬",
    Metric.LEAD: "铅",
    Metric.LEAD_DUST: "铅",
    Metric.CADMIUM: "镉",
    Metric.ARSENIC: "砷",
}
_HEAVY_METALS = {Metric.MERCURY, Metric.CHROMIUM, Metric.LEAD, Metric.CADMIUM, Metric.ARSENIC}


@functools.cache
def demo(seed: int = 2016) -> cpsdk.Dataset:
    return generate(seed=seed)


def industry_of(data: cpsdk.Dataset) -> dict[str, ExampleIndustry]:
    """Each enterprise's industry (by 统一社会信用代码)."""
    by_code = {industry.code: industry for industry in INDUSTRIES}
    return {e.uscc: by_code[e.industry] for e in data.enterprises}


def test_the_industries_are_gbt4754_classes_named_as_what_they_are() -> None:
    # The generator draws an industry by its index: the count is part of the random stream.
    assert len(INDUSTRIES) == 18
    tags = {key.tag for key in cpsdk.codes.MIIT_KEY_INDUSTRIES}
    for industry in INDUSTRIES:
        node = cpsdk.codes.industry(industry.code)
        assert node is not None and len(industry.code) == 4, industry.code
        assert set(industry.tags) <= tags
        assert industry.no_low and industry.mid_high and industry.reduces
        assert set(industry.reduces) <= industry.plausible
    battery = next(i for i in INDUSTRIES if i.code == "3841")
    assert cpsdk.codes.industry_name("3841") == "锂离子电池制造"
    assert "铅" not in battery.pollutants and Metric.LEAD not in battery.plausible


@pytest.mark.parametrize("seed", [2016, 3])
def test_every_proposal_is_one_its_industry_or_every_industry_has(seed: int) -> None:
    data = demo(seed)
    industries = industry_of(data)
    for proposal in data.proposals:
        if proposal.from_catalogue:
            continue
        industry = industries[proposal.enterprise]
        if proposal.cost_class is CostClass.MID_HIGH:
            names = {m.name for m in (*industry.mid_high, *GENERAL_MID_HIGH)}
        else:
            names = {m.name for m in (*industry.no_low, *GENERAL_NO_LOW)}
        assert proposal.name in names, (industry.code, proposal.name)


def test_cyanide_free_plating_is_only_proposed_in_plating() -> None:
    data = generate(seed=7, enterprises=200)
    industry = {e.uscc: e.industry for e in data.enterprises}
    plating = [p for p in data.proposals if "无氰电镀" in p.name]
    assert plating, "the plating industry's own measure is drawn"
    assert {industry[p.enterprise] for p in plating} == {"3360"}


@pytest.mark.parametrize("seed", [2016, 3])
def test_every_reduction_is_of_a_pollutant_the_enterprise_discharges(seed: int) -> None:
    data = demo(seed)
    enterprise = {e.uscc: e for e in data.enterprises}
    proposal = {p.id: p for p in data.proposals}
    industries = industry_of(data)
    for effect in data.effects:
        if not effect.metric.pollutant:
            continue
        owner = enterprise[proposal[effect.proposal].enterprise]
        assert effect.metric in industries[owner.uscc].plausible, (owner.industry, effect.metric)
        assert _NAMED_AS[effect.metric] in "、".join(owner.main_pollutants), (owner.main_pollutants, effect.metric)


def test_heavy_metals_phosphorus_coal_and_co2_are_reduced_where_they_belong() -> None:
    data = demo()
    industries = industry_of(data)
    owner = {p.id: industries[p.enterprise].code for p in data.proposals}
    by_metric: dict[Metric, set[str]] = {}
    for effect in data.effects:
        by_metric.setdefault(effect.metric, set()).add(owner[effect.proposal])
    for metric in (Metric.CO2, Metric.COAL, Metric.TOTAL_PHOSPHORUS, Metric.MERCURY_USE, Metric.CHROMIUM_RESIDUE):
        assert by_metric.get(metric), metric
    assert _HEAVY_METALS & by_metric.keys()
    assert {"3011", "3120"} & by_metric[Metric.COAL]  # cement and steel burn coal
    assert by_metric[Metric.TOTAL_PHOSPHORUS] <= {"2621", "2222", "1713", "1512", "3670", "2631", "1340"}
    assert by_metric[Metric.MERCURY_USE] <= {"2651", "3871"}
    saved: dict[str, dict[Metric, Decimal]] = {}
    for effect in data.effects:
        saved.setdefault(effect.proposal, {})[effect.metric] = effect.amount
    burning = [amounts for amounts in saved.values() if Metric.COAL in amounts]
    assert burning and all(
        a[Metric.CO2] == (a[Metric.COAL] * Decimal("1.98")).quantize(Decimal("0.01")) for a in burning
    )


def test_the_new_reductions_show_in_the_forms() -> None:
    data = demo()
    annual = cpsdk.get_form("sichuan.annual-report").build(data, region="51", year=2019)
    assert annual.effects.total_phosphorus.cumulative > 0
    assert annual.effects.chromium.cumulative > 0 or annual.effects.mercury.cumulative > 0
    indicators = cpsdk.get_form("national.indicators").build(data, year=2020)
    assert indicators.mercury.achieved > 0 and indicators.chromium.achieved > 0 and indicators.lead_dust.achieved > 0
    summary = cpsdk.get_form("national.summary").build(data, year=2019, start_year=2016)
    assert (summary.value("节煤量") or 0) > 0
    statistics = cpsdk.get_form("shandong.statistics").build(data)
    assert (statistics.value("节煤") or 0) > 0
    guangdong = cpsdk.get_form("guangdong.province-summary").build(data, year=2019)
    assert next(line.amount for line in guangdong.results if line.label == "减排二氧化碳") > 0


def test_the_main_random_stream_is_the_one_it_always_was() -> None:
    # Figures drawn from the main stream before industries had their own proposals and effects (and before the
    # history stream added the 十二五 and 十四五 rounds after them).
    data = generate(history=False)
    assert (len(data.enterprises), len(data.audits), len(data.proposals)) == (60, 79, 888)
    assert data.enterprises[0].uscc == "91510118240990978G" and data.enterprises[0].name == "天府照明股份有限公司1"
    assert sum(p.investment or 0 for p in data.proposals) == Decimal("514683.14")
    drawn = [e for e in data.effects if e.id.rsplit("-", 1)[1] in {"1", "2", "3", "4"}]
    assert sum(e.amount for e in drawn) == Decimal("188903441.31")


#: The kinds of records of a dataset.
_KINDS = (
    "enterprises",
    "audits",
    "proposals",
    "effects",
    "discharges",
    "trainings",
    "demonstrations",
    "agencies",
    "experts",
    "agreements",
    "documents",
    "byproducts",
    "environmental_reports",
)


@pytest.mark.parametrize(("seed", "cities"), [(2016, None), (3, None), (4, "14")])
def test_the_history_only_adds_records_after_the_ones_there_were(seed: int, cities: str | None) -> None:
    with_history = generate(seed=seed, cities=cities)
    without = generate(seed=seed, cities=cities, history=False)
    for kind in _KINDS:
        before, after = getattr(without, kind), getattr(with_history, kind)
        assert after[: len(before)] == before, kind
    assert len(with_history.enterprises) == len(without.enterprises) + len(without.enterprises) // 3
    ids = [record.id for kind in _KINDS if kind != "enterprises" for record in getattr(with_history, kind)]
    assert len(ids) == len(set(ids))
    assert len({e.uscc for e in with_history.enterprises}) == len(with_history.enterprises)
    assert not cpsdk.has_errors(cpsdk.validate(with_history))


def test_the_history_leaves_2016_to_2020_as_it_was() -> None:
    # The added rounds fall in 2011-2015 and from 2021: every figure of a year 2016-2020 stays as it was.
    data, main = demo(), generate(history=False)
    old = {kind: {getattr(r, "id", None) or getattr(r, "uscc", None) for r in getattr(main, kind)} for kind in _KINDS}
    dates = (
        "listed_on",
        "started_on",
        "confirmed_on",
        "report_filed_on",
        "evaluated_on",
        "accepted_on",
        "completed_on",
        "held_on",
        "granted_on",
    )
    for kind in ("audits", "proposals", "trainings", "demonstrations"):
        added = [r for r in getattr(data, kind) if r.id not in old[kind]]
        assert added, kind
        for record in added:
            for name in dates:
                day = getattr(record, name, None)
                assert day is None or not 2016 <= day.year <= 2020, (record.id, name, day)
            planned = getattr(record, "planned_year", None)
            assert planned is None or not 2016 <= planned <= 2020, record.id
    first = {a.enterprise: a.started_on for a in data.audits if a.round == 1}
    new = [e for e in data.enterprises if e.uscc not in old["enterprises"]]
    assert new and all((first[e.uscc] or datetime.date.max).year <= 2013 for e in new)


def test_the_twelfth_plan_table_has_figures_for_2011_to_2015() -> None:
    table = cpsdk.get_form("national.indicators").build(demo(), year=2015)
    assert (table.start_year, table.end_year) == (2011, 2015)
    for rate in (table.trained, table.audited, table.retrofits, table.advanced):
        assert rate.numerator > 0
    for total in (
        table.cod,
        table.so2,
        table.ammonia,
        table.nox,
        table.mercury,
        table.chromium,
        table.lead_dust,
        table.demonstrations,
    ):
        assert total.achieved > 0
    assert table.retrofits.achieved is not None and table.retrofits.achieved > 60


def test_the_2021_retrofit_plan_has_projects_in_every_province() -> None:
    data = demo()
    plan = cpsdk.get_form("sichuan.retrofit-plan", layout_year=2021)
    assert plan.layout_year == 2021
    for year in (2021, 2022):
        report = plan.build(data, year=year)
        assert report.rows and all(row.uscc and row.from_audit for row in report.rows), year
    assert any(row.support for row in plan.build(data, year=2021).rows)
    evaluated = {a.id: a.evaluated_on for a in data.audits}
    province = {e.uscc: e.region[:2] for e in data.enterprises}
    planned = {
        (province[p.enterprise], p.planned_year)
        for p in data.proposals
        if p.cost_class is CostClass.MID_HIGH and p.audit and (evaluated[p.audit] or datetime.date.min).year == 2021
    }
    assert planned >= {(code, year) for code in ("51", "44", "37") for year in (2021, 2022)}


def test_the_same_seed_gives_the_same_dataset() -> None:
    assert generate(seed=5, enterprises=10) == generate(seed=5, enterprises=10)
    assert generate(seed=5, enterprises=10) != generate(seed=6, enterprises=10)
    assert generate(seed=5, enterprises=10, cities="14") == generate(seed=5, enterprises=10, cities="14")


def test_the_default_prefectures_are_the_default() -> None:
    assert generate(seed=9, enterprises=20, cities=CITIES) == generate(seed=9, enterprises=20)


def test_given_prefectures_hold_everything_and_validate() -> None:
    data = generate(seed=4, enterprises=20, cities=["1401", "1402"])
    assert {e.region[:4] for e in data.enterprises} == {"1401", "1402"}
    places = [
        *(r.region for r in data.agencies),
        *(r.region for r in data.trainings),
        *(r.region for r in data.demonstrations),
        *(r.region for r in data.experts),
        *(r.region for r in data.documents),
        *(r.region for r in data.byproducts),
    ]
    assert places and all(place[:4] in {"1401", "1402"} for place in places)
    assert all(e.basin is None for e in data.enterprises) and all(a.track is None for a in data.audits)
    assert not data.environmental_reports
    assert all(cpsdk.codes.uscc_problem(e.uscc) is None for e in data.enterprises)
    assert not cpsdk.has_errors(cpsdk.validate(data))


def test_a_province_code_stands_for_all_its_prefectures() -> None:
    prefectures = {r.code for r in cpsdk.codes.region_children("14")}
    data = generate(seed=4, enterprises=2 * len(prefectures), cities="14")
    assert {e.region[:4] for e in data.enterprises} == prefectures
    assert not cpsdk.has_errors(cpsdk.validate(data))


def test_guangdong_prefectures_keep_their_basins_and_tracks() -> None:
    data = generate(seed=4, enterprises=6, cities=["4403"])
    assert {e.basin for e in data.enterprises} == {"茅洲河"} and all(a.track for a in data.audits)


@pytest.mark.parametrize("cities", ["140105", "99", ["1401", "x"], []])
def test_a_code_that_is_no_province_or_prefecture_is_refused(cities: str | list[str]) -> None:
    with pytest.raises(ValueError, match="prefecture"):
        generate(enterprises=2, cities=cities)


@pytest.mark.parametrize(("region", "serial"), [("140105", 12), ("14", 0), ("5101", 999_999_999), ("371200", 5)])
def test_example_uscc_is_valid_and_registered_in_its_region(region: str, serial: int) -> None:
    code = cpsdk.codes.example_uscc(region, serial)
    assert uscc_code.is_valid(code) and cpsdk.codes.uscc_problem(code) is None
    assert code[:8] == "91" + region.ljust(6, "0") and code[8:17] == f"{serial:09d}"


@pytest.mark.parametrize(("region", "serial"), [("999999", 1), ("14x", 1), ("14", -1), ("14", 10**9)])
def test_example_uscc_refuses_an_unknown_region_or_a_serial_out_of_range(region: str, serial: int) -> None:
    with pytest.raises(ValueError):
        cpsdk.codes.example_uscc(region, serial)


def test_the_example_enterprises_codes_carry_their_county() -> None:
    assert all(e.uscc[2:8] == e.region for e in demo().enterprises)
