"""A realistic example dataset, deterministic by seed (for ``cpsdk demo``, tests and benchmarks).

Enterprises are spread over real prefectures and counties of Sichuan, Guangdong and
Shandong (or of the prefectures asked for) and over real GB/T 4754-2017 classes (key
industries among them, with tags where a code cannot tell); each has audits from
2016-2020 with proposals of both cost classes that fit its industry, their effects on
the pollutants that industry discharges (heavy metals, 总磷, coal and CO₂ where they
belong), and the programme records the forms ask for. A third more enterprises, mostly of
key industries and mandatory, reach the years of the other plans: a first audit round in
2011-2015 (十二五, with its trainings and demonstration titles) and a second evaluated in
2021 whose retrofits are planned for 2021 and 2022 (十四五). The figures are invented; their
shapes follow the seeds (about 27 proposals per audit in Guangdong's 12th FYP, 1 in 8
of them mid/high cost).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from decimal import Decimal

import attrs

from cpsdk.codes import example_uscc, key_industries_of, region, region_children, region_name
from cpsdk.datasets._example_industries import CONVENTIONAL, GENERAL_MID_HIGH, GENERAL_NO_LOW, ExampleIndustry, Measure
from cpsdk.datasets._example_industries import INDUSTRIES as INDUSTRIES
from cpsdk.model._entities import (
    Agency,
    Agreement,
    Audit,
    ByproductUse,
    Dataset,
    Demonstration,
    Discharge,
    Document,
    Effect,
    Enterprise,
    EnvironmentalReport,
    Expert,
    Proposal,
    Training,
    YearAmount,
)
from cpsdk.model._vocabulary import (
    Audience,
    AuditKind,
    AuditTrack,
    Basis,
    ByproductKind,
    CleanerProductionLevel,
    CostClass,
    DemonstrationKind,
    Level,
    MandatoryGround,
    Metric,
    Outcome,
    ProposalStatus,
)

#: Prefectures the demo spreads enterprises over.
CITIES = (
    "5101",
    "5103",
    "5104",
    "5105",
    "5106",
    "5107",
    "4401",
    "4403",
    "4406",
    "4413",
    "4419",
    "3701",
    "3702",
    "3703",
    "3706",
    "3708",
)

#: Guangdong's key basins (广东省全面推进清洁生产工作构建绿色制造体系的意见) by prefecture.
_BASINS = {"4403": "茅洲河", "4413": "淡水河", "4401": "广佛跨界河", "4406": "广佛跨界河", "4419": "石马河"}
_WORDS = (
    "华兴",
    "宏达",
    "恒信",
    "金川",
    "天府",
    "南粤",
    "齐鲁",
    "长江",
    "蜀源",
    "新元",
    "鑫盛",
    "永泰",
    "润丰",
    "东方",
    "嘉和",
    "瑞丰",
)
#: Pollutants the main stream draws for a proposal's main reduction; an industry that does not discharge the one
#: drawn reports one of its own instead (:func:`_main_pollutant`).
_POLLUTANTS = (Metric.COD, Metric.COD, Metric.AMMONIA_NITROGEN, Metric.SO2, Metric.NOX, Metric.DUST, Metric.VOCS)
#: How many proposal names the main stream has always drawn from (per cost class); of these slots the first
#: :data:`_GENERAL_SLOTS` take a general measure, the others one of the industry's own.
_NAME_SLOTS = 6
_GENERAL_SLOTS = 2
#: Yearly amounts of the extra effects (heavy metals, 总磷, coal, CO₂, …): randrange bounds and divisor, in the
#: metric's unit, for a mid/high-cost measure; a no/low-cost one achieves a tenth.
_EXTRA_AMOUNTS: dict[Metric, tuple[int, int, int]] = {
    Metric.TOTAL_PHOSPHORUS: (1, 500, 100),
    Metric.MERCURY: (1, 500, 1000),
    Metric.CHROMIUM: (1, 500, 1000),
    Metric.LEAD: (1, 500, 1000),
    Metric.CADMIUM: (1, 500, 1000),
    Metric.ARSENIC: (1, 500, 1000),
    Metric.MERCURY_USE: (1, 200, 100),
    Metric.CHROMIUM_RESIDUE: (10, 5_000, 1),
    Metric.LEAD_DUST: (10, 2_000, 100),
    Metric.COAL: (100, 20_000, 1),
}
#: The same for a second conventional pollutant a measure cuts (as the main reduction's amounts).
_CONVENTIONAL_AMOUNT = (1, 5000, 100)
#: t CO₂ per t of raw coal: IPCC 2006 default 94.6 t/TJ (bituminous coal) at GB/T 2589's 20,908 kJ/kg.
_CO2_PER_COAL = Decimal("1.98")
#: t CO₂ per kWh: 全国电网平均排放因子 0.5810 tCO₂/MWh (生态环境部, 2022).
_CO2_PER_KWH = Decimal("0.000581")


def _date(rng: random.Random, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max(days, 1)))


def _uscc(rng: random.Random, county: str) -> str:
    return example_uscc(county, int("".join(rng.choice("0123456789") for _ in range(9))))


def _prefectures(cities: str | Sequence[str]) -> tuple[str, ...]:
    """The prefectures ``cities`` names, in order and once each: a province code stands for all of its own."""
    found: dict[str, None] = {}
    for code in (cities,) if isinstance(cities, str) else cities:
        division = region(code)
        if division is None or division.level == "county":
            raise ValueError(f"not a province or prefecture code of GB/T 2260: {code[:20]!r}")
        if division.level == "province":
            found.update(dict.fromkeys(child.code for child in region_children(division.code)))
        else:
            found[division.code] = None
    if not found:
        raise ValueError("cities names no prefecture")
    return tuple(found)


def _measure(industry: ExampleIndustry, mid_high: bool, slot: int, aux: random.Random) -> Measure:
    """The measure a proposal takes: a general one for the first slots, else one of the industry's own."""
    if slot < _GENERAL_SLOTS:
        return aux.choice(GENERAL_MID_HIGH if mid_high else GENERAL_NO_LOW)
    return aux.choice(industry.mid_high if mid_high else industry.no_low)


def _main_pollutant(industry: ExampleIndustry, measure: Measure, drawn: Metric) -> Metric:
    """The pollutant a proposal's main effect reduces: the measure's own, else the one drawn if the industry
    discharges it, else one of the industry's (picked by the drawn one, so no randomness is spent)."""
    own = [metric for metric in measure.cuts if metric in CONVENTIONAL]
    if own:
        return own[0]
    if drawn in industry.reduces:
        return drawn
    return industry.reduces[_POLLUTANTS.index(drawn) % len(industry.reduces)]


def _extra_effects(
    proposal: Proposal, measure: Measure, main: Metric, kwh: Decimal, aux: random.Random, verified: bool
) -> list[Effect]:
    """The effects of ``measure`` beyond its main pollutant, electricity (``kwh``), energy or water and benefit.

    CO₂ is not drawn: it follows from the coal the measure saves, else from its electricity.
    """
    effects: list[Effect] = []
    amounts: dict[Metric, Decimal] = {}
    for metric in measure.cuts:
        if metric is main:
            continue
        if metric is Metric.CO2:
            coal = amounts.get(Metric.COAL)
            amount = (coal * _CO2_PER_COAL if coal is not None else kwh * _CO2_PER_KWH).quantize(Decimal("0.01"))
        else:
            low, high, divisor = _EXTRA_AMOUNTS.get(metric, _CONVENTIONAL_AMOUNT)
            amount = Decimal(aux.randrange(low, high)) / divisor
            if proposal.cost_class is CostClass.NO_LOW:
                amount /= 10
        amounts[metric] = amount
        effects.append(
            Effect(
                id=f"E{proposal.id}-{5 + len(effects)}",
                proposal=proposal.id,
                metric=metric,
                basis=Basis.GENERATION if metric.pollutant else None,
                amount=amount,
                verified=verified,
            )
        )
    return effects


def _counties(city: str) -> list[str]:
    return [division.code for division in region_children(city) if len(division.code) == 6]


def _name(code: str) -> str:
    """The name of a prefecture the generator took from the table (it is there); a municipality's 市辖区 is
    named by the municipality."""
    name = region_name(code)
    assert name is not None
    return (region_name(code[:2]) or name) if name == "市辖区" else name


def _follow_track(audit: Audit, proposals: list[Proposal]) -> Audit:
    """Guangdong's tracks as practised: 规范审核 files after its retrofits; a provincial title is recommended first."""
    if audit.track is AuditTrack.STANDARD and audit.report_filed_on:
        done = [
            p.completed_on
            for p in proposals
            if p.audit == audit.id and p.cost_class is CostClass.MID_HIGH and p.completed_on is not None
        ]
        if done:
            return attrs.evolve(audit, report_filed_on=max(done) + datetime.timedelta(days=15))
    if audit.track is AuditTrack.PROVINCIAL_TITLE and audit.accepted_on:
        return attrs.evolve(audit, recommended_on=audit.accepted_on - datetime.timedelta(days=45))
    return audit


#: 规模以上工业企业: 主营业务收入 2000 万元 and more (国家统计局, since 2011); the example's output stands for it.
_ABOVE_SCALE_OUTPUT = Decimal(2000)


def _output(drawn: Decimal, above_scale: bool) -> Decimal:
    """An output (万元) that fits the enterprise's scale: 2000 万元 or more for an above-scale one, less for
    the others."""
    if above_scale:
        return drawn if drawn >= _ABOVE_SCALE_OUTPUT else drawn + _ABOVE_SCALE_OUTPUT
    return drawn if drawn < _ABOVE_SCALE_OUTPUT else drawn % (_ABOVE_SCALE_OUTPUT - 100) + 100


@attrs.define
class _History:
    """The records added from the history stream, to go after the main ones."""

    enterprises: list[Enterprise] = attrs.Factory(list)
    audits: list[Audit] = attrs.Factory(list)
    proposals: list[Proposal] = attrs.Factory(list)
    effects: list[Effect] = attrs.Factory(list)
    discharges: list[Discharge] = attrs.Factory(list)
    trainings: list[Training] = attrs.Factory(list)
    demonstrations: list[Demonstration] = attrs.Factory(list)


#: The last day of the 十二五 period: the first-round history ends by it.
_PLAN_END = datetime.date(2015, 12, 31)


def _history(
    seed: int,
    first: int,
    count: int,
    prefectures: Sequence[str],
    counties: dict[str, list[str]],
    agencies: Sequence[Agency],
    proposals_per_audit: int,
    taken: set[str],
) -> _History:
    """``count`` enterprises numbered from ``first`` with a first audit round in 2011-2015 (十二五) and a second
    one evaluated in 2021 (十四五) whose retrofits are planned for 2021 and 2022.

    Everything is drawn from a stream of its own (``f"{seed}-history"``), so the main stream, the industry stream
    and every record they make stay as they were; the new records' ids follow the enterprise numbers after
    ``first`` and cannot collide with the main ones. Key industries come first and every industry is taken once
    before any twice, so that the 十二五 table's reductions (mercury, chromium slag, lead dust, …) all occur; the
    first two mid/high-cost proposals of a first round take the industry's first two measures (mostly those of the
    十二五 plan). Round one is mostly mandatory; its trainings name the enterprise and count its head.
    """
    rng = random.Random(f"{seed}-history")
    found = _History()
    keys = [industry for industry in INDUSTRIES if key_industries_of(industry.code, industry.tags)]
    others = [industry for industry in INDUSTRIES if industry not in keys]
    rng.shuffle(keys)
    rng.shuffle(others)
    order = keys + others
    accepted_first: list[tuple[Enterprise, Audit]] = []
    for i in range(count):
        n = first + i
        city = prefectures[i % len(prefectures)]
        county = rng.choice(counties[city])
        industry = order[i % len(order)]
        uscc = _uscc(rng, county)
        while uscc in taken:
            uscc = _uscc(rng, county)
        taken.add(uscc)
        above_scale = rng.random() < 0.9
        enterprise = Enterprise(
            uscc=uscc,
            name=f"{rng.choice(_WORDS)}{industry.trade}{'股份' if n % 5 == 0 else ''}有限公司{n + 1}",
            region=county,
            industry=industry.code,
            key_industries=industry.tags,
            above_scale=above_scale,
            key_monitored=rng.random() < 0.6,
            basin=_BASINS.get(city),
            park=f"{_name(city)}经济技术开发区" if rng.random() < 0.5 else None,
            contact_person=f"联系人{n + 1}",
            contact_phone=f"0{rng.randrange(10, 99)}-{rng.randrange(10_000_000, 99_999_999)}",
            main_products=industry.products,
            main_pollutants=industry.pollutants,
            output_values=(
                YearAmount(year=2015, amount=_output(Decimal(rng.randrange(500_00, 5_000_000)) / 100, above_scale)),
            ),
        )
        found.enterprises.append(enterprise)
        agency = agencies[list(prefectures).index(city)]
        # Round one: started 2011 to mid-2013, so that its report, acceptance and retrofits are done by 2015.
        started = _date(rng, datetime.date(2011, 1, 10), 900)
        audit = _history_audit(rng, enterprise, n, 1, city, started, agency)
        found.audits.append(audit)
        _history_proposals(rng, found, industry, audit, proposals_per_audit, late=False)
        if audit.accepted:
            accepted_first.append((enterprise, audit))
        if rng.random() < 0.75:
            held = min(started + datetime.timedelta(days=rng.randrange(20, 400)), _PLAN_END)
            found.trainings.append(
                Training(
                    id=f"TH{i:03d}",
                    region=county,
                    held_on=held,
                    audience=Audience.ENTERPRISE,
                    enterprise=uscc,
                    internal=True,
                    person_times=rng.randrange(10, 80),
                    head_person_times=rng.randrange(1, 4),
                    title="企业内部清洁生产培训",
                )
            )
        # Round two (十四五): listed and started in 2021, evaluated the same year.
        started = _date(rng, datetime.date(2021, 3, 1), 60)
        audit = _history_audit(rng, enterprise, n, 2, city, started, agency)
        found.audits.append(audit)
        _history_proposals(rng, found, industry, audit, proposals_per_audit, late=True)
    found.trainings += [
        Training(
            id=f"TR{n:03d}",
            region=city + "00",
            held_on=_date(rng, datetime.date(2012, 1, 1), 1400),
            audience=Audience.GOVERNMENT if n % 2 else Audience.ENTERPRISE,
            person_times=rng.randrange(20, 200),
            head_person_times=0 if n % 2 else rng.randrange(1, 20),
            title="清洁生产审核培训班",
        )
        for n, city in enumerate(prefectures)
    ]
    found.demonstrations += [
        Demonstration(
            id=f"MHP{n:03d}",
            kind=DemonstrationKind.PARK,
            level=Level.PROVINCIAL,
            name=f"{_name(city)}清洁生产示范园区",
            region=city + "00",
            granted_on=_date(rng, datetime.date(2013, 1, 1), 1000),
        )
        for n, city in enumerate(prefectures[1::4])
    ]
    found.demonstrations += [
        Demonstration(
            id=f"MH{n:03d}",
            kind=DemonstrationKind.ENTERPRISE,
            level=Level.PROVINCIAL if n % 3 else Level.NATIONAL,
            name=enterprise.name,
            region=enterprise.region,
            enterprise=enterprise.uscc,
            granted_on=min(audit.accepted_on + datetime.timedelta(days=rng.randrange(30, 200)), _PLAN_END),
        )
        for n, (enterprise, audit) in enumerate(accepted_first[::3])
        if audit.accepted_on is not None
    ]
    found.audits = [_follow_track(audit, found.proposals) for audit in found.audits]
    return found


def _history_audit(
    rng: random.Random, enterprise: Enterprise, n: int, round_no: int, city: str, started: datetime.date, agency: Agency
) -> Audit:
    """An audit of the history stream (round one in 2011-2015, round two in 2021) and its dates."""
    mandatory = rng.random() < 0.8
    confirmed = started + datetime.timedelta(days=rng.randrange(10, 40 if round_no > 1 else 60))
    evaluated: datetime.date | None = confirmed + datetime.timedelta(
        days=rng.randrange(120, 200 if round_no > 1 else 300)
    )
    if round_no == 1 and rng.random() < 0.1:
        evaluated = None
    accepted = (
        evaluated + datetime.timedelta(days=rng.randrange(180, 400)) if evaluated and rng.random() < 0.8 else None
    )
    return Audit(
        id=f"A{n + 1:05d}-{round_no}",
        enterprise=enterprise.uscc,
        kind=AuditKind.MANDATORY if mandatory else AuditKind.VOLUNTARY,
        grounds=(rng.choice(list(MandatoryGround)[:3]),) if mandatory else (),
        round=round_no,
        track=rng.choice(list(AuditTrack)) if city.startswith("44") else None,
        planned_year=started.year,
        listed_on=started - datetime.timedelta(days=rng.randrange(20, 55)),
        deadline=started + datetime.timedelta(days=540),
        started_on=started,
        confirmed_on=confirmed,
        report_filed_on=evaluated - datetime.timedelta(days=20) if evaluated else None,
        evaluated_on=evaluated,
        evaluation=Outcome.PASSED if evaluated else None,
        accepted_on=accepted,
        acceptance=Outcome.PASSED if accepted else None,
        level=rng.choice(list(CleanerProductionLevel)) if accepted else None,
        # The prefecture's agency, if it was registered by then.
        agency=agency.id if agency.registered_on is None or agency.registered_on <= started else None,
    )


def _history_proposals(
    rng: random.Random,
    found: _History,
    industry: ExampleIndustry,
    audit: Audit,
    proposals_per_audit: int,
    *,
    late: bool,
) -> None:
    """The proposals of a history audit with their effects, and its discharges if it is mandatory.

    A first round's (``late`` false) are done by 2015; a second round's mid/high-cost ones are planned for the
    year of evaluation and the next (2021 and 2022), and the later ones are still under way.
    """
    if audit.kind is AuditKind.MANDATORY:
        for pollutant in (industry.reduces[0], rng.choice(industry.reduces)):
            key = f"D{audit.id}-{pollutant.value}"
            if any(d.id == key for d in found.discharges):
                continue
            before = Decimal(rng.randrange(1000, 90000)) / 100
            found.discharges.append(
                Discharge(
                    id=key,
                    audit=audit.id,
                    pollutant=pollutant,
                    before=before,
                    after=(before * Decimal(rng.randrange(55, 100)) / 100).quantize(Decimal("0.01")),
                )
            )
    base = audit.evaluated_on or audit.confirmed_on or audit.started_on
    assert base is not None
    mid_highs = 0
    for k in range(max(4, int(rng.gauss(proposals_per_audit, 3)))):
        mid_high = k < 2 or rng.random() < 0.125
        if mid_high:
            own = industry.mid_high
            measure = own[mid_highs % len(own)] if mid_highs < 2 else rng.choice((*own, *GENERAL_MID_HIGH))
            mid_highs += 1
        else:
            measure = rng.choice((*industry.no_low, *GENERAL_NO_LOW))
        code = f"{'ZG' if mid_high else 'WD'}{k + 1}"
        proposal_id = f"{audit.id}-{code}"
        planned_year = base.year + (1 if late and mid_high and mid_highs % 2 == 0 else 0)
        started = max(base, datetime.date(planned_year, 1, 1)) + datetime.timedelta(days=10)
        if late and mid_high:
            done = planned_year == base.year and rng.random() < 0.5
            completed = started + datetime.timedelta(days=rng.randrange(40, 300)) if done else None
        else:
            done = rng.random() < 0.9
            completed = base + datetime.timedelta(days=rng.randrange(30, 400)) if done else None
        accepted = audit.accepted_on if audit.accepted_on and completed and audit.accepted_on >= completed else None
        drawn = Decimal(rng.randrange(5_000, 900_000 if mid_high else 20_000)) / 100
        investment = drawn if mid_high else (drawn / 20).quantize(Decimal("0.01"))
        proposal = Proposal(
            id=proposal_id,
            enterprise=audit.enterprise,
            audit=audit.id,
            code=code,
            name=measure.name,
            cost_class=CostClass.MID_HIGH if mid_high else CostClass.NO_LOW,
            investment=investment,
            support_provincial=(investment / 10).quantize(Decimal("0.01")) if mid_high and rng.random() < 0.4 else None,
            support_local=(investment / 20).quantize(Decimal("0.01")) if mid_high and rng.random() < 0.3 else None,
            status=ProposalStatus.COMPLETED if done else ProposalStatus.IN_PROGRESS,
            planned_year=planned_year,
            planned_completion=datetime.date(planned_year, 12, 31) if late else base + datetime.timedelta(days=365),
            progress="已完成" if done else "实施中",
            started_on=started,
            completed_on=completed,
            accepted_on=accepted,
        )
        found.proposals.append(proposal)
        if not done:
            continue
        verified = accepted is not None
        pollutant = _main_pollutant(industry, measure, rng.choice(_POLLUTANTS))
        # 十二五 set its SO₂ target on discharge: half the SO₂ reductions are reported so.
        discharge = pollutant is Metric.SO2 and rng.random() < 0.5
        found.effects.append(
            Effect(
                id=f"E{proposal_id}-1",
                proposal=proposal_id,
                metric=pollutant,
                basis=Basis.DISCHARGE if discharge else Basis.GENERATION,
                amount=Decimal(rng.randrange(1, 5000)) / 100,
                verified=verified,
            )
        )
        if mid_high:
            found.effects.append(
                Effect(
                    id=f"E{proposal_id}-4",
                    proposal=proposal_id,
                    metric=rng.choice((Metric.ENERGY, Metric.WATER)),
                    amount=Decimal(rng.randrange(10, 20_000)),
                )
            )
        kwh = Decimal(rng.randrange(1000, 500_000))
        found.effects.append(
            Effect(
                id=f"E{proposal_id}-2", proposal=proposal_id, metric=Metric.ELECTRICITY, amount=kwh, verified=verified
            )
        )
        found.effects.append(
            Effect(
                id=f"E{proposal_id}-3",
                proposal=proposal_id,
                metric=Metric.BENEFIT,
                amount=Decimal(rng.randrange(100, 100_000)) / 100,
                verified=verified,
            )
        )
        found.effects += _extra_effects(proposal, measure, pollutant, kwh, rng, verified)


def generate(
    seed: int = 2016,
    enterprises: int = 60,
    proposals_per_audit: int = 12,
    *,
    cities: str | Sequence[str] | None = None,
    history: bool = True,
) -> Dataset:
    """A dataset of ``enterprises`` enterprises with audits 2016-2020, and a third as many more with audits in
    2011-2015 and 2021, deterministic by ``seed``.

    The first ``enterprises`` are the main ones: one or two audit rounds started 2016-2019 (evaluated, accepted
    and carried out up to 2021). After them (``history``, on by default) come ``enterprises // 3`` enterprises,
    mostly of key industries and audited as mandatory, with a first round in 2011-2015 (evaluated, accepted and
    carried out by 2015, with trainings that count their heads and demonstration titles) and a second one listed,
    started and evaluated in 2021, whose mid/high-cost proposals are planned for 2021 and 2022; and a training
    in each prefecture in 2012-2015. They are drawn from a stream of their own and nothing of theirs is dated
    2016-2020: the main records are the same with ``history=False``, and so is every figure of a span within
    2016-2020 (a figure counted from before 2016, such as 表1's cumulative rates, counts the history too).

    Each audit has about ``proposals_per_audit`` proposals (normally distributed around it, at least
    one), named and with effects as the enterprise's industry has them. Enterprises go in turn to the
    prefectures of :data:`CITIES` (Sichuan, Guangdong and Shandong), or of ``cities``: prefecture
    codes (``"1401"``) or province codes (``"14"``: all of its prefectures), one code or several. Each
    enterprise is placed in a county of its prefecture (GB/T 2260, :mod:`cpsdk.codes`), and the
    agencies, trainings, demonstrations, experts, documents and by-products follow the same
    prefectures; what only one province has stays with it (Guangdong's basins and audit tracks,
    Shandong's environmental reports, the provincial notices of Sichuan and Guangdong).
    ``cities=CITIES`` gives the same dataset as leaving it out. Raises :class:`ValueError` for a code
    that is not a province or prefecture.
    """
    prefectures = CITIES if cities is None else _prefectures(cities)
    rng = random.Random(seed)
    # Everything drawn since the industries got their own proposals and effects comes from a stream of its own,
    # so that the main stream, and every figure drawn from it, stays as it always was.
    aux = random.Random(f"{seed}-industry")
    ents: list[Enterprise] = []
    audits: list[Audit] = []
    proposals: list[Proposal] = []
    effects: list[Effect] = []
    discharges: list[Discharge] = []
    counties = {city: _counties(city) or [city + "00"] for city in prefectures}
    agencies = [
        Agency(
            id=f"AG{n:03d}",
            name=f"{rng.choice(_WORDS)}清洁生产技术咨询有限公司",
            region=city + "00",
            staff=rng.randrange(8, 40),
            registered_on=datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randrange(1200)),
        )
        for n, city in enumerate(prefectures, start=1)
    ]
    for n in range(enterprises):
        city = prefectures[n % len(prefectures)]
        county = rng.choice(counties[city])
        industry = INDUSTRIES[rng.randrange(len(INDUSTRIES))]
        uscc = _uscc(rng, county)
        name = f"{rng.choice(_WORDS)}{industry.trade}{'股份' if n % 5 == 0 else ''}有限公司{n + 1}"
        above_scale = rng.random() < 0.85  # drawn in the order they always were: the same seed, the same data
        ents.append(
            Enterprise(
                uscc=uscc,
                name=name,
                region=county,
                industry=industry.code,
                key_industries=industry.tags,
                above_scale=above_scale,
                key_monitored=rng.random() < 0.4,
                basin=_BASINS.get(city),
                park=f"{_name(city)}经济技术开发区" if rng.random() < 0.5 else None,
                contact_person=f"联系人{n + 1}",
                contact_phone=f"0{rng.randrange(10, 99)}-{rng.randrange(10_000_000, 99_999_999)}",
                main_products=industry.products,
                main_pollutants=industry.pollutants,
                output_values=(
                    YearAmount(year=2015, amount=_output(Decimal(rng.randrange(500_00, 5_000_000)) / 100, above_scale)),
                ),
            )
        )
        for round_no in range(1, 1 + (1 if rng.random() < 0.7 else 2)):
            mandatory = rng.random() < 0.6
            started = _date(rng, datetime.date(2016 + 2 * (round_no - 1), 1, 10), 700)
            confirmed = started + datetime.timedelta(days=rng.randrange(10, 60))
            evaluated = confirmed + datetime.timedelta(days=rng.randrange(120, 300)) if rng.random() < 0.85 else None
            accepted = (
                evaluated + datetime.timedelta(days=rng.randrange(180, 400))
                if evaluated and rng.random() < 0.75
                else None
            )
            audit_id = f"A{n + 1:05d}-{round_no}"
            audits.append(
                Audit(
                    id=audit_id,
                    enterprise=uscc,
                    kind=AuditKind.MANDATORY if mandatory else AuditKind.VOLUNTARY,
                    grounds=(rng.choice(list(MandatoryGround)[:3]),) if mandatory else (),
                    round=round_no,
                    track=rng.choice(list(AuditTrack)) if city.startswith("44") else None,
                    planned_year=started.year,
                    listed_on=started - datetime.timedelta(days=rng.randrange(20, 90)),
                    deadline=started + datetime.timedelta(days=540),
                    started_on=started,
                    confirmed_on=confirmed,
                    report_filed_on=evaluated - datetime.timedelta(days=20) if evaluated else None,
                    evaluated_on=evaluated,
                    evaluation=Outcome.PASSED if evaluated else None,
                    accepted_on=accepted,
                    acceptance=Outcome.PASSED if accepted else None,
                    level=rng.choice(list(CleanerProductionLevel)) if accepted else None,
                    agency=agencies[prefectures.index(city)].id,
                )
            )
            if mandatory:
                for pollutant in (Metric.COD, rng.choice((Metric.SO2, Metric.NOX, Metric.AMMONIA_NITROGEN))):
                    before = Decimal(rng.randrange(1000, 90000)) / 100
                    ratio = Decimal(rng.randrange(55, 104)) / 100  # now and then a discharge that grew
                    discharges.append(
                        Discharge(
                            id=f"D{audit_id}-{pollutant.value}",
                            audit=audit_id,
                            pollutant=pollutant,
                            before=before,
                            after=(before * ratio).quantize(Decimal("0.01")),
                        )
                    )
            for k in range(max(1, int(rng.gauss(proposals_per_audit, 3)))):
                mid_high = rng.random() < 0.125
                base = evaluated or confirmed
                done = rng.random() < 0.85
                completed = base + datetime.timedelta(days=rng.randrange(30, 400)) if done else None
                accepted_p = (accepted if accepted and completed and accepted >= completed else None) if done else None
                proposal_id = f"{audit_id}-{'ZG' if mid_high else 'WD'}{k + 1}"
                drawn = Decimal(rng.randrange(5_000, 900_000 if mid_high else 20_000)) / 100
                # 无/低费 proposals cost up to 10 万元 (the seeds average 5.7 万元 over all proposals in Chongqing);
                # 中/高费 ones 50 to 9,000 万元
                investment = drawn if mid_high else (drawn / 20).quantize(Decimal("0.01"))
                # randrange(6) spends what the old rng.choice among six names did
                measure = _measure(industry, mid_high, rng.randrange(_NAME_SLOTS), aux)
                proposal = Proposal(
                    id=proposal_id,
                    enterprise=uscc,
                    audit=audit_id,
                    code=f"{'ZG' if mid_high else 'WD'}{k + 1}",
                    name=measure.name,
                    cost_class=CostClass.MID_HIGH if mid_high else CostClass.NO_LOW,
                    investment=investment,
                    support_provincial=(investment / 10).quantize(Decimal("0.01"))
                    if mid_high and rng.random() < 0.3
                    else None,
                    support_local=(investment / 20).quantize(Decimal("0.01"))
                    if mid_high and rng.random() < 0.3
                    else None,
                    status=ProposalStatus.COMPLETED if done else ProposalStatus.IN_PROGRESS,
                    planned_year=base.year,
                    planned_completion=base + datetime.timedelta(days=365),
                    progress="已完成" if done else "实施中",
                    started_on=base + datetime.timedelta(days=10),
                    completed_on=completed,
                    accepted_on=accepted_p,
                )
                proposals.append(proposal)
                if done:
                    pollutant = _main_pollutant(industry, measure, rng.choice(_POLLUTANTS))
                    effects.append(
                        Effect(
                            id=f"E{proposal_id}-1",
                            proposal=proposal_id,
                            metric=pollutant,
                            # Now and then a reduction reported on the discharge basis.
                            basis=Basis.DISCHARGE if rng.random() < 0.03 else Basis.GENERATION,
                            amount=Decimal(rng.randrange(1, 5000)) / 100,
                            verified=accepted_p is not None,
                        )
                    )
                    if mid_high:
                        effects.append(
                            Effect(
                                id=f"E{proposal_id}-4",
                                proposal=proposal_id,
                                metric=rng.choice((Metric.ENERGY, Metric.WATER)),
                                amount=Decimal(rng.randrange(10, 20_000)),
                            )
                        )
                    kwh = Decimal(rng.randrange(1000, 500_000))
                    effects.append(
                        Effect(
                            id=f"E{proposal_id}-2",
                            proposal=proposal_id,
                            metric=Metric.ELECTRICITY,
                            amount=kwh,
                            verified=accepted_p is not None,
                        )
                    )
                    effects.append(
                        Effect(
                            id=f"E{proposal_id}-3",
                            proposal=proposal_id,
                            metric=Metric.BENEFIT,
                            amount=Decimal(rng.randrange(100, 100_000)) / 100,
                            verified=accepted_p is not None,
                        )
                    )
                    effects += _extra_effects(proposal, measure, pollutant, kwh, aux, accepted_p is not None)
    audits = [_follow_track(audit, proposals) for audit in audits]
    # A catalogue technology adopted outside any audit.
    if ents:
        proposals.append(
            Proposal(
                id="CAT-1",
                enterprise=ents[0].uscc,
                name="采用国家鼓励的工业节水工艺",
                cost_class=CostClass.MID_HIGH,
                from_catalogue=True,
                catalogue="国家鼓励的工业节水工艺、技术和装备目录",
                investment=Decimal("320.00"),
                status=ProposalStatus.COMPLETED,
                started_on=datetime.date(2017, 3, 1),
                completed_on=datetime.date(2017, 11, 30),
                accepted_on=datetime.date(2018, 1, 15),
            )
        )
    trainings = [
        Training(
            id=f"T{n:03d}",
            region=city + "00",
            held_on=_date(rng, datetime.date(2016, 1, 1), 1800),
            audience=Audience.GOVERNMENT if n % 2 else Audience.ENTERPRISE,
            person_times=rng.randrange(20, 200),
            head_person_times=0 if n % 2 else rng.randrange(1, 20),
            title="清洁生产审核培训班",
        )
        for n, city in enumerate(prefectures * 2)
    ]
    # Trainings held inside enterprises.
    trainings += [
        Training(
            id=f"TE{n:03d}",
            region=e.region,
            held_on=_date(rng, datetime.date(2016, 3, 1), 1700),
            audience=Audience.ENTERPRISE,
            enterprise=e.uscc,
            internal=True,
            person_times=rng.randrange(10, 80),
            head_person_times=rng.randrange(0, 3),
            title="企业内部清洁生产培训",
        )
        for n, e in enumerate(ents[::4])
    ]
    demonstrations = [
        Demonstration(
            id=f"M{n:03d}",
            kind=DemonstrationKind.ENTERPRISE,
            level=Level.PROVINCIAL if n % 3 else Level.NATIONAL,
            name=e.name,
            region=e.region,
            enterprise=e.uscc,
            granted_on=_date(rng, datetime.date(2017, 1, 1), 1400),
        )
        for n, e in enumerate(ents[::9])
    ]
    demonstrations += [
        Demonstration(
            id=f"MP{n:03d}",
            kind=DemonstrationKind.PARK if n % 2 else DemonstrationKind.PROJECT,
            level=Level.PROVINCIAL,
            name=f"{_name(city)}清洁生产示范{'园区' if n % 2 else '项目'}",
            region=city + "00",
            granted_on=_date(rng, datetime.date(2017, 1, 1), 1400),
        )
        for n, city in enumerate(prefectures[::2])
    ]
    experts = [
        Expert(
            id=f"X{n:03d}",
            name=f"专家{n}",
            region=city + "00",
            specialties=("清洁生产审核",),
            joined_on=datetime.date(2016, 5, 1),
        )
        for n, city in enumerate(prefectures)
    ]
    agreements: list[Agreement] = []
    for n, e in enumerate(ents[::11]):
        signed = _date(rng, datetime.date(2016, 3, 1), 1500)
        rewarded = n % 2 == 1
        agreements.append(
            Agreement(
                id=f"V{n:03d}",
                enterprise=e.uscc,
                signed_on=signed,
                rewarded_on=signed + datetime.timedelta(days=200) if rewarded else None,
                reward="省级清洁生产专项资金支持" if rewarded else None,
            )
        )
    provinces = {city[:2] for city in prefectures}
    documents: list[Document] = []
    if "51" in provinces:
        documents.append(
            Document(
                id="D1",
                title="关于进一步做好工业清洁生产工作的通知",
                number="川经信环资〔2016〕153号",
                issued_on=datetime.date(2016, 6, 1),
                region="510000",
                issuer="四川省经济和信息化委员会",
            )
        )
    documents += [
        Document(
            id=f"DC{city}",
            title=f"{_name(city)}工业清洁生产审核实施方案",
            number=f"{_name(city)[:2]}经信〔{2016 + n % 4}〕{10 + n}号",
            issued_on=datetime.date(2016 + n % 4, 3 + n % 8, 10),
            region=city + "00",
            issuer=f"{_name(city)}经济和信息化委员会",
        )
        for n, city in enumerate(prefectures)
    ]
    if "44" in provinces:
        documents.append(
            Document(
                id="D2",
                title="广东省全面推进清洁生产工作构建绿色制造体系的意见",
                number=None,
                issued_on=datetime.date(2016, 8, 1),
                region="440000",
                issuer="广东省经济和信息化委员会",
            )
        )
    byproducts = [
        ByproductUse(
            id=f"B{n:03d}",
            region=city + "00",
            year=2016 + n % 5,
            kind=list(ByproductKind)[n % 4],
            name="钢渣" if n % 4 == 3 else None,
            amount=Decimal(rng.randrange(100, 90000)),
        )
        for n, city in enumerate(prefectures)
    ]
    # Shandong's pilot of enterprise environmental reports (DB37/T 1086-2008, in force 2009-01-01): every
    # fifth Shandong enterprise compiles one, two in three complete and publish it (57 and 38 in the seed).
    shandong = [e for e in ents if e.region.startswith("37")][::5]
    environmental_reports = [
        EnvironmentalReport(
            id=f"R{n:03d}",
            enterprise=e.uscc,
            year=2009 + n % 3,
            pilot=n % 4 != 3,
            started_on=datetime.date(2009 + n % 3, 3, 1) + datetime.timedelta(days=7 * n),
            completed_on=datetime.date(2009 + n % 3, 11, 1) + datetime.timedelta(days=7 * n) if n % 3 else None,
            published_on=datetime.date(2009 + n % 3, 12, 1) + datetime.timedelta(days=7 * n) if n % 3 else None,
        )
        for n, e in enumerate(shandong)
    ]
    if history:
        # A third more enterprises with the 十二五 and 十四五 rounds, after all the others and from their own stream.
        added = _history(
            seed,
            enterprises,
            enterprises // 3,
            prefectures,
            counties,
            agencies,
            proposals_per_audit,
            {e.uscc for e in ents},
        )
        ents += added.enterprises
        audits += added.audits
        proposals += added.proposals
        effects += added.effects
        discharges += added.discharges
        trainings += added.trainings
        demonstrations += added.demonstrations
    return Dataset(
        enterprises=tuple(ents),
        audits=tuple(audits),
        proposals=tuple(proposals),
        effects=tuple(effects),
        discharges=tuple(discharges),
        trainings=tuple(trainings),
        demonstrations=tuple(demonstrations),
        agencies=tuple(agencies),
        experts=tuple(experts),
        agreements=tuple(agreements),
        documents=tuple(documents),
        byproducts=tuple(byproducts),
        environmental_reports=tuple(environmental_reports),
    )
