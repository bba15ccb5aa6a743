"""Each Guangdong definition computed here from the records, independently of the forms' code.

The definitions are those the README states with the clause of the seed
(《广东省关于全面推进绿色清洁生产工作的意见》, 2016) each comes from.
"""

from __future__ import annotations

import datetime
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as uscc_code

import cpsdk
from cpsdk import AuditKind, AuditTrack, CostClass, Metric, Outcome, ProposalStatus, to_unit
from cpsdk.cli import main
from cpsdk_guangdong._results import Results, results
from cpsdk_guangdong._scope import PERIOD_START
from cpsdk_guangdong.summary import RESULT_EFFECTS, TARGET_TABLE, CountLine, _in_unit

D = datetime.date
CITIES = ("4401", "4403", "4406", "4413", "4419")
REGIONS = ("44", *CITIES)
FILED_TRACKS = (None, AuditTrack.SIMPLIFIED, AuditTrack.STANDARD)
#: GB/T 2589-2008 附录A, written here from the standard: kgce per kWh (当量值) and per kg of raw coal.
KGCE_PER_KWH = Decimal("0.1229")
KGCE_PER_KG_RAW_COAL = Decimal("0.7143")


def completed(audit: cpsdk.Audit) -> datetime.date | None:
    """实施差别化审核制度 第1、2项: the report filed; 第3、4项: the acceptance passed."""
    if audit.track in FILED_TRACKS:
        return audit.report_filed_on
    passed = audit.acceptance is Outcome.PASSED and audit.accepted_on is not None
    return audit.accepted_on if passed else None


def region_of(data: cpsdk.Dataset, audit: cpsdk.Audit) -> str:
    return next(e.region for e in data.enterprises if e.uscc == audit.enterprise)


def completed_audits(data: cpsdk.Dataset, region: str, start: datetime.date, end: datetime.date) -> list[cpsdk.Audit]:
    return [
        a
        for a in data.audits
        if region_of(data, a).startswith(region) and (done := completed(a)) is not None and start <= done <= end
    ]


def energy_once(effects: list[tuple[Metric, Decimal]]) -> Decimal:
    """A proposal's 节能 in tce: what it records as energy, else kWh and raw coal (t) converted to 1 kgce; once."""
    recorded = [amount for metric, amount in effects if metric is Metric.ENERGY]
    if recorded:
        return sum(recorded, Decimal(0))
    kwh = sum((amount for metric, amount in effects if metric is Metric.ELECTRICITY), Decimal(0))
    coal = sum((amount for metric, amount in effects if metric is Metric.COAL), Decimal(0))
    converted = kwh * KGCE_PER_KWH / 1000 + coal * 1000 * KGCE_PER_KG_RAW_COAL / 1000
    return converted.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)  # to 1 kgce, half up


def _count(lines: tuple[CountLine, ...], label: str) -> int:
    return next(line.count for line in lines if line.label == label)


@given(seed=st.integers(0, 10_000), year=st.integers(2016, 2021), region=st.sampled_from(REGIONS))
def test_every_count_of_a_summary_is_of_the_audits_completed_in_the_year(seed: int, year: int, region: str) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=30, proposals_per_audit=2)
    start, end = D(year, 1, 1), D(year, 12, 31)
    done = completed_audits(data, region, start, end)
    summary = cpsdk.get_form("guangdong.city-summary").build(data, region=region, year=year)
    assert _count(summary.tracks, "合计") == len(done)
    for track in AuditTrack:
        assert _count(summary.tracks, f"其中：{track.zh}") == sum(1 for a in done if a.track is track)
    statuses = {"按期完成": 0, "逾期完成": 0, "未设期限": 0}
    for a in done:
        day = completed(a)
        assert day is not None
        statuses["未设期限" if a.deadline is None else "按期完成" if day <= a.deadline else "逾期完成"] += 1
    assert {line.label: line.count for line in summary.timeliness} == statuses
    assert sum(statuses.values()) == len(done)  # 五 adds up to 一's 合计: one population
    titles = {"市级清洁生产企业": AuditTrack.CITY_ACCEPTANCE, "省级清洁生产企业": AuditTrack.PROVINCIAL_TITLE}
    for label, track in titles.items():
        assert _count(summary.titles, label) == sum(1 for a in done if a.track is track)
    ids = {a.id for a in done}
    ours = [p for p in data.proposals if p.audit in ids]
    implemented = [
        p for p in ours if p.status is ProposalStatus.COMPLETED and (p.completed_on is None or p.completed_on <= end)
    ]
    assert [line.amount for line in summary.results[:6]] == [
        len(ours),
        *(sum(1 for p in ours if p.cost_class is c) for c in CostClass),
        len(implemented),
        *(sum(1 for p in implemented if p.cost_class is c) for c in CostClass),
    ]
    assert not any(i.code.endswith("exceeds-proposed") for i in cpsdk.get_form("guangdong.city-summary").check(summary))
    disclosed = cpsdk.get_form("guangdong.disclosure").build(data, region=region, year=year)
    assert len(disclosed.rows) == len(done)  # the year's public list is the same audits


@pytest.mark.parametrize(("seed", "year"), [(3, 2015), (3, 2016), (5, 2018), (8, 2020)])
def test_the_years_results_and_the_targets_progress_are_those_of_their_own_audits(seed: int, year: int) -> None:
    # The summary reads the proposals once for the year's audits and those since 2016: each part is what reading
    # them for its own audits alone gives.
    data = cpsdk.example_dataset(seed=seed, enterprises=120, proposals_per_audit=4, cities="44")
    end = D(year, 12, 31)
    summary = cpsdk.get_form("guangdong.province-summary").build(data, year=year)
    done = dict.fromkeys((a.id for a in completed_audits(data, "44", D(year, 1, 1), end)), 0)
    since = dict.fromkeys((a.id for a in completed_audits(data, "44", PERIOD_START, end)), 0)
    yearly = results(data, done, by=end).get(0, Results())
    period = results(data, since, by=end).get(0, Results())
    assert [line.amount for line in summary.results[3:]] == [
        sum(yearly.implemented.values()),
        *yearly.implemented.values(),
        sum(yearly.investment.values(), Decimal(0)),
        *(to_unit(yearly.effect(metric), metric.unit, unit) for _, metric, unit in RESULT_EFFECTS),
    ]
    achieved = {line.indicator: line.achieved for line in summary.targets}
    for indicator, unit, _, metric in TARGET_TABLE:
        expected = Decimal(len(since)) if metric is None else _in_unit(period.effect(metric), metric, unit)
        assert achieved[indicator] == expected, indicator
    assert (year < 2016) == (not since)


@given(seed=st.integers(0, 10_000), year=st.integers(2016, 2021), region=st.sampled_from(REGIONS))
def test_the_filing_list_is_the_audits_whose_report_was_filed_in_the_year(seed: int, year: int, region: str) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=30)
    filed = sorted(
        (a.enterprise, a.round)
        for a in data.audits
        if region_of(data, a).startswith(region) and a.report_filed_on is not None and a.report_filed_on.year == year
    )
    report = cpsdk.get_form("guangdong.filings").build(data, region=region, year=year)
    assert sorted((row.uscc, row.round) for row in report.rows) == filed


def _parks(data: cpsdk.Dataset, region: str) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for e in data.enterprises:
        if e.region.startswith(region) and e.park:
            members.setdefault(cpsdk.simplified(e.park).strip(), []).append(e.uscc)
    return members


@given(
    seed=st.integers(0, 10_000),
    year=st.integers(2016, 2021),
    region=st.sampled_from(REGIONS),
    extra=st.lists(st.integers(0, 40), min_size=8, max_size=8),
)
def test_a_park_rate_is_its_audited_enterprises_over_the_total_given(
    seed: int, year: int, region: str, extra: list[int]
) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=30)
    since = {a.enterprise for a in completed_audits(data, region, D(2016, 1, 1), D(year, 12, 31))}
    members = _parks(data, region)
    audited = {park: sum(1 for u in usccs if u in since) for park, usccs in members.items()}
    totals = {park: max(len(usccs), 1) + extra[i % len(extra)] for i, (park, usccs) in enumerate(members.items())}
    given_text = ";".join(f"{park}={total}" for park, total in totals.items())
    summary = cpsdk.get_form("guangdong.city-summary").build(
        data, region=region, year=year, park_enterprises=given_text
    )
    assert {line.park: line.enterprises for line in summary.parks} == totals
    for line in summary.parks:
        expected = (Decimal(100) * audited[line.park] / totals[line.park]).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert (line.audited, line.rate, line.met) == (audited[line.park], expected, expected > 80)
    bare = cpsdk.get_form("guangdong.city-summary").build(data, region=region, year=year)
    assert all((line.enterprises, line.rate, line.met) == (None, None, None) for line in bare.parks)
    missing = [i for i in cpsdk.get_form("guangdong.city-summary").check(bare) if i.code.endswith("park-total-missing")]
    assert len(missing) == len(bare.parks) and all(i.severity == "warning" for i in missing)


@given(seed=st.integers(0, 10_000), year=st.integers(2016, 2021))
def test_the_province_with_park_totals_is_the_sum_of_its_cities(seed: int, year: int) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=24)
    totals = {park: len(usccs) + 3 for park, usccs in _parks(data, "44").items()}
    city_form = cpsdk.get_form("guangdong.city-summary")
    province_form = cpsdk.get_form("guangdong.province-summary")
    assert isinstance(province_form, cpsdk.MergeableForm)
    cities = [city_form.build(data, region=code, year=year, park_enterprises=totals) for code in CITIES]
    assert province_form.merge(cities) == province_form.build(data, year=year, park_enterprises=totals)


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("深圳电镀园区=abc", "takes a number"),
        ("深圳电镀园区=0", "at least 1"),
        ("深圳电镀园区=1.5", "whole number"),
        ("深圳电镀园区", "园区=家数"),
        ("=12", "name is missing"),
        ("深圳电镀园区=3;深圳電鍍園區=4", "given twice"),
    ],
)
def test_park_totals_are_validated_like_the_other_parameters(given: str, says: str, tmp_path: Path) -> None:
    form = cpsdk.get_form("guangdong.city-summary")
    with pytest.raises(ValueError, match=says):
        form.build(cpsdk.example_dataset(seed=1), region="4403", year=2018, park_enterprises=given)
    dataset = tmp_path / "d.json"
    dataset.write_text(cpsdk.dumps(cpsdk.example_dataset(seed=1)), encoding="utf-8")
    args = ["emit", form.id, str(dataset), "--region", "4403", "--year", "2018", "-o", str(tmp_path / "o.xlsx")]
    assert main([*args, "--param", f"park_enterprises={given}"]) == 2
    ok = "深圳市经济技术开发区=5，深圳电镀园区：3"  # full-width separators, and a park with no enterprise here
    assert main([*args, "--param", f"park_enterprises={ok}"]) == 0


def test_a_park_total_given_for_no_enterprise_of_the_region_is_noted_not_listed() -> None:
    data = cpsdk.example_dataset(seed=1)
    report, notes = cpsdk.build_report(
        cpsdk.get_form("guangdong.city-summary"), data, region="4403", year=2018, park_enterprises="不存在园区=9"
    )
    assert "不存在园区" not in {line.park for line in report.parks}
    assert [n.code for n in notes if "park" in n.code] == ["guangdong.summary.park-not-in-region"]


# 节能: one audit completed in 2018 whose proposals record energy, electricity and coal in any combination.
EFFECT = st.tuples(
    st.sampled_from([Metric.ENERGY, Metric.ELECTRICITY, Metric.COAL, Metric.WATER]),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
)
PROPOSAL = st.tuples(st.booleans(), st.lists(EFFECT, max_size=4))


def _energy_dataset(proposals: list[tuple[bool, list[tuple[Metric, Decimal]]]]) -> cpsdk.Dataset:
    body = "91440305000000001"
    firm = cpsdk.Enterprise(
        uscc=body + uscc_code.calc_check_digit(body), name="节能企业", region="440305", industry="3360"
    )
    audit = cpsdk.Audit(
        id="a",
        enterprise=firm.uscc,
        kind=AuditKind.MANDATORY,
        track=AuditTrack.SIMPLIFIED,
        deadline=D(2018, 12, 31),
        report_filed_on=D(2018, 6, 1),
    )
    made, effects = [], []
    for n, (done, recorded) in enumerate(proposals):
        made.append(
            cpsdk.Proposal(
                id=f"p{n}",
                enterprise=firm.uscc,
                audit="a",
                name=f"方案{n}",
                cost_class=CostClass.NO_LOW,
                status=ProposalStatus.COMPLETED if done else ProposalStatus.IN_PROGRESS,
                completed_on=D(2018, 5, 1) if done else None,
            )
        )
        effects += [
            cpsdk.Effect(id=f"e{n}-{k}", proposal=f"p{n}", metric=metric, amount=amount)
            for k, (metric, amount) in enumerate(recorded)
        ]
    return cpsdk.Dataset(enterprises=(firm,), audits=(audit,), proposals=tuple(made), effects=tuple(effects))


def _printed_energy(data: cpsdk.Dataset) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    summary = cpsdk.get_form("guangdong.city-summary").build(data, region="4403", year=2018)
    filing = cpsdk.get_form("guangdong.filing").build(data, audit="a")
    [row] = cpsdk.get_form("guangdong.disclosure").build(data, year=2018).rows
    assert row.energy is not None
    return (
        next(line.amount for line in summary.results if line.label == "节能"),
        next(line.amount for line in filing.performance if line.item == "节能"),
        row.energy,
        next(line.achieved for line in summary.targets if line.indicator == "节约标准煤") * 10_000,
    )


def test_a_proposal_recording_both_energy_and_electricity_is_counted_once() -> None:
    data = _energy_dataset(
        [
            (True, [(Metric.ENERGY, Decimal(100)), (Metric.ELECTRICITY, Decimal(1_000_000))]),  # 100 tce, not 222.9
            (True, [(Metric.ELECTRICITY, Decimal(10_000)), (Metric.COAL, Decimal(2))]),  # 1.229 + 1.4286 → 2.658 tce
            (False, [(Metric.ENERGY, Decimal(50))]),  # not implemented
        ]
    )
    assert _printed_energy(data) == (Decimal("102.658"),) * 4  # converted energy to 1 kgce, half up


@given(proposals=st.lists(PROPOSAL, max_size=6))
def test_energy_is_each_implemented_proposals_energy_counted_once(
    proposals: list[tuple[bool, list[tuple[Metric, Decimal]]]],
) -> None:
    expected = sum((energy_once(effects) for done, effects in proposals if done), Decimal(0))
    assert _printed_energy(_energy_dataset(proposals)) == (expected,) * 4


def _strings(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize("form_id", ["guangdong.city-summary", "guangdong.filing", "guangdong.disclosure"])
def test_forms_printing_energy_say_the_factors_and_their_source(form_id: str, tmp_path: Path) -> None:
    form = cpsdk.get_form(form_id)
    report = form.build(cpsdk.example_dataset(seed=2016), year=2019)
    text = _strings(form.write(report, tmp_path / "e.xlsx", draft=True))
    for words in ("GB/T 2589-2008", "0.1229 kgce/kWh", "0.7143 kgce/kg", "只计一次"):
        assert words in text


#: 工作目标, as the seed words it: “开展清洁生产审核企业超过10,000家次，节约400万吨标准煤和二亿吨水，减少排放
#: 1,000万吨二氧化碳，削减10万吨COD产生量、10万吨二氧化硫产生量、0.6万吨氨氮产生量、八万吨氮氧化物产生量”.
DOCUMENT_TARGETS = [
    ("开展清洁生产审核企业（超过）", "家次", Decimal(10000)),
    ("节约标准煤", "万吨标准煤", Decimal(400)),
    ("节约水", "亿吨", Decimal(2)),
    ("减少排放二氧化碳", "万吨", Decimal(1000)),
    ("削减COD产生量", "万吨", Decimal(10)),
    ("削减二氧化硫产生量", "万吨", Decimal(10)),
    ("削减氨氮产生量", "万吨", Decimal("0.6")),
    ("削减氮氧化物产生量", "万吨", Decimal(8)),
]


def test_the_targets_are_printed_as_the_document_words_them() -> None:
    summary = cpsdk.get_form("guangdong.province-summary").build(cpsdk.example_dataset(seed=7), year=2020)
    assert [(t.indicator, t.unit, t.province_target) for t in summary.targets] == DOCUMENT_TARGETS
    assert not any("未分类" in line.label for line in summary.tracks)


def test_an_audit_without_a_track_counts_in_the_total_only_and_is_said() -> None:
    data = _energy_dataset([(True, [])])
    untracked = attrs.evolve(data, audits=(attrs.evolve(data.audits[0], track=None),))
    form = cpsdk.get_form("guangdong.city-summary")
    summary = form.build(untracked, region="4403", year=2018)
    assert [line.count for line in summary.tracks] == [1, 0, 0, 0, 0]
    issues = form.check(summary)
    assert [i.code for i in issues if i.code.startswith("guangdong.summary.track")] == [
        "guangdong.summary.track-missing"
    ]
    assert not cpsdk.has_errors(issues)
