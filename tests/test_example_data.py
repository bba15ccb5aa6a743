"""The example dataset looks like the documents' world (issue 23 item 8), for any province (issue 24 item 2)."""

from __future__ import annotations

import collections
import datetime
import functools
import random
import re
from decimal import Decimal

import pytest
from stdnum.cn import uscc as uscc_code

import cpsdk
from cpsdk import CostClass, Metric
from cpsdk.datasets._example import CITIES, CO2_PER_TCE, generate
from cpsdk.datasets._example_industries import GENERAL_MID_HIGH, GENERAL_NO_LOW, INDUSTRIES, SCALE, ExampleIndustry
from cpsdk.datasets._example_people import AREA_CODES, area_code, enterprise_name, short_place

#: What a pollutant metric is called in an enterprise's main pollutants.
_NAMED_AS = {
    Metric.COD: "COD",
    Metric.AMMONIA_NITROGEN: "氨氮",
    Metric.TOTAL_PHOSPHORUS: "总磷",
    Metric.SO2: "SO₂",
    Metric.NOX: "NOₓ",
    Metric.DUST: "粉尘",
    Metric.SMOKE_DUST: "烟尘",
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
#: The main stream's figures at seed 2016 without the history (test_the_main_random_stream_is_pinned).
PINNED_COUNTS = (60, 66, 753)
PINNED_USCC = "91510104722826399X"
PINNED_NAME = "成都华茂铅锌股份有限公司"
PINNED_INVESTMENT = Decimal("138929.58")
PINNED_EFFECTS = Decimal("82400335.287")
#: Industries that emit SO₂ (cement, paper with its boiler, lead-zinc, chromium salt, steel, coke, glass, power).
_EMITTING = {"3011", "2221", "3212", "2613", "3120", "2521", "3041", "4411"}


@functools.cache
def demo(seed: int = 2016) -> cpsdk.Dataset:
    return generate(seed=seed)


def industry_of(data: cpsdk.Dataset) -> dict[str, ExampleIndustry]:
    """Each enterprise's industry (by 统一社会信用代码)."""
    by_code = {industry.code: industry for industry in INDUSTRIES}
    return {e.uscc: by_code[e.industry] for e in data.enterprises}


def test_the_industries_are_gbt4754_classes_named_as_what_they_are() -> None:
    # The generator draws an industry by its index: the count is part of the random stream.
    assert len(INDUSTRIES) == 21
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
    assert {"3011", "3120", "4411", "2521"} & by_metric[Metric.COAL]  # cement, steel, power and coke burn coal
    assert by_metric[Metric.TOTAL_PHOSPHORUS] <= {"2621", "2221", "1713", "1512", "3670", "2631", "1340"}
    assert by_metric[Metric.MERCURY_USE] <= {"2651", "3871"}


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


def test_the_main_random_stream_is_pinned() -> None:
    # Figures of the main stream (seed 2016, without the history): a change of the generator shows here first.
    data = generate(history=False)
    assert (len(data.enterprises), len(data.audits), len(data.proposals)) == PINNED_COUNTS
    assert data.enterprises[0].uscc == PINNED_USCC and data.enterprises[0].name == PINNED_NAME
    assert sum(p.investment or 0 for p in data.proposals) == PINNED_INVESTMENT
    assert sum(e.amount for e in data.effects) == PINNED_EFFECTS


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


# Issue 23 item 8, the receiving office's review of the demo: figures a clerk would believe.


def amounts_by_proposal(data: cpsdk.Dataset) -> dict[str, dict[Metric, Decimal]]:
    found: dict[str, dict[Metric, Decimal]] = {}
    for effect in data.effects:
        metrics = found.setdefault(effect.proposal, {})
        metrics[effect.metric] = metrics.get(effect.metric, Decimal(0)) + effect.amount
    return found


def output_of(data: cpsdk.Dataset) -> dict[str, Decimal]:
    return {e.uscc: e.output_values[0].amount for e in data.enterprises}


@pytest.mark.parametrize("seed", [2016, 3])
def test_names_are_unique_and_carry_no_numbers(seed: int) -> None:
    data = demo(seed)
    names = [e.name for e in data.enterprises]
    assert len(set(names)) == len(names)
    for e in data.enterprises:
        assert not re.search(r"[0-9]", e.name), e.name
        assert re.search(r"(股份)?有限公司(第[一二]分公司|[二三]厂|分厂)?$", e.name), e.name
        assert e.name.startswith((short_place(e.region), short_place(e.region[:4]))), (e.name, e.region)
        assert e.contact_person and re.fullmatch(r"[\u4e00-\u9fff]{2,3}", e.contact_person), e.contact_person
    people = [x.name for x in data.experts] + [a.name for a in data.agencies]
    assert all(not re.search(r"[0-9]", name) for name in people), people
    assert len({a.name for a in data.agencies}) == len(data.agencies)
    assert all(name not in {"专家", "联系人"} for name in people)


def test_names_stay_unique_in_a_large_dataset() -> None:
    data = generate(seed=7, enterprises=300, cities=["5101"])
    names = [e.name for e in data.enterprises]
    assert len(set(names)) == len(names) and not any(re.search(r"[0-9]", n) for n in names)


def test_a_county_never_runs_out_of_names() -> None:
    # National-size datasets put more enterprises of one trade in a county than its single trade names give.
    taken: set[str] = set()
    rng = random.Random(5)
    names = [enterprise_name(rng, "510184", "化工", taken, joint_stock=False) for _ in range(2_600)]
    assert len(set(names)) == len(names) == len(taken)
    assert not any(re.search(r"[0-9]", n) for n in names)
    assert all(n.startswith(("崇州", "成都")) and "化工有限公司" in n for n in names), names[-3:]
    assert any(re.search("第[一二三四五六七八九十]+分公司$", n) for n in names[-300:]), names[-3:]


@pytest.mark.parametrize(("cities", "seed"), [(None, 2016), ("14", 4)])
def test_phones_carry_the_prefectures_area_code(cities: str | None, seed: int) -> None:
    data = generate(seed=seed, cities=cities)
    mobiles = 0
    for e in data.enterprises:
        assert e.contact_phone
        if re.fullmatch(r"1[358][0-9]{9}", e.contact_phone):
            mobiles += 1
            continue
        code, digits = area_code(e.region[:4])
        assert re.fullmatch(rf"{code}-[2-8][0-9]{{{digits - 1}}}", e.contact_phone), (e.region, e.contact_phone)
    assert 0 < mobiles < len(data.enterprises) / 2
    assert AREA_CODES["5101"] == ("028", 8) and AREA_CODES["5107"][0] == "0816" and AREA_CODES["4403"][0] == "0755"
    assert AREA_CODES["3701"][0] == "0531" and AREA_CODES["3702"][0] == "0532" and AREA_CODES["4401"][0] == "020"
    assert area_code("1401") == ("0351", 7)


@pytest.mark.parametrize("seed", [2016, 3])
def test_co2_follows_the_energy_saved(seed: int) -> None:
    data = demo(seed)
    saving = 0
    for metrics in amounts_by_proposal(data).values():
        energy = cpsdk.energy_saved(metrics)
        if not energy:
            assert Metric.CO2 not in metrics
            continue
        saving += 1
        if energy >= 1:  # smaller ones are rounded to 0.01 t
            assert Decimal("2.6") <= metrics[Metric.CO2] / energy <= Decimal("2.7"), metrics
    assert saving > 100
    for year in (2017, 2019, 2020):
        summary = cpsdk.get_form("guangdong.province-summary").build(data, year=year)
        line = {line.label: line.amount for line in summary.results}
        if line["节能"] >= 10:
            assert Decimal("2.6") <= line["减排二氧化碳"] / line["节能"] <= Decimal("2.7"), (year, line)
    assert Decimal("2.66") == CO2_PER_TCE


@pytest.mark.parametrize("seed", [2016, 3])
def test_investments_and_savings_scale_with_the_enterprise(seed: int) -> None:
    data = demo(seed)
    output = output_of(data)
    industry = {e.uscc: e.industry for e in data.enterprises}
    amounts = amounts_by_proposal(data)
    mid_high = [p for p in data.proposals if p.cost_class is CostClass.MID_HIGH and not p.from_catalogue]
    for p in mid_high:
        assert p.investment is not None and 50 <= p.investment <= output[p.enterprise] * Decimal("0.15"), p.id
        if p.name in {"电机变频节能改造", "空压机系统节能改造"}:
            assert p.investment <= 300, p
        if "余热发电" in p.name:
            assert industry[p.enterprise] in {"3011", "3120", "3041"}
    for p in data.proposals:
        if p.cost_class is CostClass.NO_LOW:
            assert p.investment is not None and p.investment <= 10
        energy = cpsdk.energy_saved(amounts.get(p.id, {})) or 0
        intensity = Decimal(str(SCALE[industry[p.enterprise]][1]))
        assert energy <= output[p.enterprise] * intensity * Decimal("0.05") + 1, (p.id, energy)
    benefits = [(amounts[p.id][Metric.BENEFIT], p.investment or 0) for p in mid_high if p.id in amounts]
    assert benefits and sum(b < i for b, i in benefits) >= 0.9 * len(benefits)
    for benefit, investment in benefits:
        assert investment / 6 - 1 <= benefit <= investment / Decimal("1.5") + 1  # payback 1.5-6 years
    small = [amounts[p.id] for p in data.proposals if p.id in amounts and industry[p.enterprise] in {"3982", "3670"}]
    assert all((cpsdk.energy_saved(a) or 0) < 2000 for a in small)


def completed_reductions(data: cpsdk.Dataset, metric: Metric) -> dict[tuple[str, int], Decimal]:
    """Reductions of ``metric`` on the generation basis by province and year of completion."""
    province = {e.uscc: e.region[:2] for e in data.enterprises}
    proposal = {p.id: p for p in data.proposals}
    found: dict[tuple[str, int], Decimal] = collections.defaultdict(Decimal)
    for effect in data.effects:
        p = proposal[effect.proposal]
        if effect.metric is metric and effect.basis is cpsdk.Basis.GENERATION and p.completed_on:
            found[province[p.enterprise], p.completed_on.year] += effect.amount
    return found


@pytest.mark.parametrize(("seed", "years"), [(2016, 5), (3, 5)])
def test_so2_and_nox_are_reduced_in_every_province_most_years(seed: int, years: int) -> None:
    data = demo(seed)
    for metric, least in ((Metric.SO2, years), (Metric.NOX, years - 1)):
        reduced = completed_reductions(data, metric)
        for code in ("51", "44", "37"):
            assert sum(reduced[code, year] > 0 for year in range(2016, 2021)) >= least, (metric, code)
    # Every SO₂ reduction is of an enterprise that emits it, and those enterprises are in every province.
    industry = {e.uscc: e.industry for e in data.enterprises}
    assert {e.region[:2] for e in data.enterprises if e.industry in _EMITTING} == {"51", "44", "37"}
    proposal = {p.id: p for p in data.proposals}
    assert all(industry[proposal[e.proposal].enterprise] in _EMITTING for e in data.effects if e.metric is Metric.SO2)


def test_the_forms_show_so2_in_every_year() -> None:
    data = demo()
    for year in range(2016, 2021):
        annual = cpsdk.get_form("sichuan.annual-report").build(data, region="51", year=year)
        assert annual.effects.so2.year > 0 and annual.effects.so2.cumulative > 0, year
    guangdong = [
        {line.label: line.amount for line in cpsdk.get_form("guangdong.province-summary").build(data, year=y).results}
        for y in range(2016, 2021)
    ]
    assert sum(line["削减二氧化硫"] > 0 for line in guangdong) >= 4
    assert sum(line["削减氮氧化物"] > 0 for line in guangdong) >= 3


@pytest.mark.parametrize("seed", [2016, 3])
def test_enterprise_trainings_are_spread_over_enterprises(seed: int) -> None:
    data = demo(seed)
    for year in range(2016, 2021):
        training = cpsdk.get_form("sichuan.annual-report").build(data, region="51", year=year).training
        if training.enterprises.year:
            assert 5 <= training.employees.year / training.enterprises.year <= 60, (year, training)
            assert training.heads.year <= 3 * training.enterprises.year
        else:
            assert training.employees.year == 0
    assert all(t.enterprise for t in data.trainings if t.audience is cpsdk.Audience.ENTERPRISE)


@pytest.mark.parametrize("seed", [2016, 3])
def test_audits_are_completed_in_every_year_in_every_province(seed: int) -> None:
    data = demo(seed)
    province = {e.uscc: e.region[:2] for e in data.enterprises}
    evaluated = collections.Counter(
        (province[a.enterprise], a.evaluated_on.year) for a in data.audits if a.evaluated_on is not None
    )
    for code in ("51", "44", "37"):
        per_year = [evaluated[code, year] for year in range(2016, 2021)]
        assert min(per_year) >= 2 and max(per_year) <= 4 * min(per_year) + 2, (code, per_year)


@pytest.mark.parametrize("seed", [2016, 3])
def test_discharges_cover_the_main_pollutants_with_heavy_metals(seed: int) -> None:
    data = demo(seed)
    industries = industry_of(data)
    by_audit: dict[str, set[Metric]] = {}
    for d in data.discharges:
        by_audit.setdefault(d.audit, set()).add(d.pollutant)
        assert d.after <= d.before * Decimal("1.04")
    audits = [a for a in data.audits if a.kind is cpsdk.AuditKind.MANDATORY]
    assert audits
    for audit in audits:
        industry = industries[audit.enterprise]
        covered = by_audit[audit.id]
        assert 1 <= len(covered) <= 3
        assert all(_NAMED_AS[m] in industry.pollutants for m in covered), (industry.code, covered)
        if {"铅", "汞", "铬", "镉", "砷"} & set(industry.pollutants):
            assert covered & _HEAVY_METALS, (industry.code, covered)
        else:
            assert len(covered) == min(3, len([p for p in industry.pollutants if p in _NAMED_AS.values()]))
    smelters = [a for a in audits if industries[a.enterprise].code == "3212"]
    assert all(by_audit[a.id] == {Metric.LEAD, Metric.SO2, Metric.DUST} for a in smelters)
