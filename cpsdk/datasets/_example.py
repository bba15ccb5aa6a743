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

The figures are sized as a receiving office would believe them (issue 23 item 8): names as
registered (place, trade name, trade, 有限公司; :mod:`cpsdk.datasets._example_people`) with
people's names and the prefecture's area code; an output in the industry's range; a mid/high-cost
measure costing 1-15 % of it within the measure's own range (50 万元 at least) and paying back in
1.5-6 years; what a measure saves (electricity, coal, heat or water) from its benefit at market
prices, within a share of the enterprise's energy; the CO₂ of every tce saved
(:data:`CO2_PER_TCE`); reductions and discharges in proportion to the output, SO₂ and NOₓ where
the industry emits them; audits completed in every year 2016-2020 in every province; trainings
that name the enterprises trained.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Sequence
from decimal import Decimal

import attrs

from cpsdk.codes import example_uscc, key_industries_of, region, region_children, region_name
from cpsdk.datasets._example_industries import (
    COAL,
    CONVENTIONAL,
    ELECTRICITY,
    GENERAL_MID_HIGH,
    GENERAL_NO_LOW,
    HEAT,
    SCALE,
    WATER,
    ExampleIndustry,
    Measure,
    investment_range,
    saves,
)
from cpsdk.datasets._example_industries import INDUSTRIES as INDUSTRIES
from cpsdk.datasets._example_people import agency_name, enterprise_name, person, phone
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
#: Yearly amounts of the extra effects (heavy metals, 总磷, …): randrange bounds and divisor, in the metric's unit,
#: for a mid/high-cost measure of an enterprise with the reference output; scaled by output (:func:`_scale`), a
#: no/low-cost one achieves a tenth.
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
}
#: Industries audited more often than the others (the main stream takes them twice in its turn): cement, paper,
#: thermal power and steel, the bulk of the 双超双有高耗能 lists.
_COMMON = frozenset(("3011", "2221", "4411", "3120"))
#: The output (万元) the extra amounts are drawn for.
_REFERENCE_OUTPUT = 50_000
#: t CO₂ per tce saved: 2.66, the default emission factor of standard coal (国家发展改革委能源研究所《中国可持续
#: 发展能源暨碳排放情景分析》, as the provincial 节能量 notices use it; IPCC 2006 gives 2.64-2.77 for coals). Every
#: proposal that saves energy reports the CO₂ of the energy it saves (:func:`cpsdk.energy_saved`), so a form's
#: CO₂ follows its 节能.
CO2_PER_TCE = Decimal("2.66")
#: Prices that turn a measure's benefit into what it saves: 元 per kWh (industrial tariff), per t of raw coal,
#: per tce of heat, per t of water (with its wastewater charge).
_PRICE_KWH = 0.65
_PRICE_COAL = 800.0
_PRICE_HEAT = 1000.0
_PRICE_WATER = 4.0
#: What one kWh and one t of raw coal are in tce (GB/T 2589-2008, as :data:`cpsdk.STANDARD_COAL_FACTORS`).
_TCE_PER_KWH = Decimal("0.0001229")
_TCE_PER_COAL = Decimal("0.7143")
#: The largest share of its output an enterprise puts into one mid/high-cost measure.
_MAX_INVESTMENT_SHARE = 0.15
#: The least a mid/high-cost measure costs (万元).
_MIN_MID_HIGH = 50
#: The largest share of its yearly energy one measure saves (mid/high, no/low).
_MAX_ENERGY_SHARE = (0.05, 0.005)
#: What an enterprise's main pollutants are called as metrics (metals without a metric are left out).
_POLLUTANT_METRICS = {
    "COD": Metric.COD,
    "氨氮": Metric.AMMONIA_NITROGEN,
    "总磷": Metric.TOTAL_PHOSPHORUS,
    "SO₂": Metric.SO2,
    "NOₓ": Metric.NOX,
    "粉尘": Metric.DUST,
    "烟尘": Metric.SMOKE_DUST,
    "VOCs": Metric.VOCS,
    "汞": Metric.MERCURY,
    "铬": Metric.CHROMIUM,
    "铅": Metric.LEAD,
    "镉": Metric.CADMIUM,
    "砷": Metric.ARSENIC,
}
HEAVY_METALS = frozenset((Metric.MERCURY, Metric.CHROMIUM, Metric.LEAD, Metric.CADMIUM, Metric.ARSENIC))


@attrs.frozen
class _Firm:
    """What an enterprise's amounts scale with: its industry, yearly output (万元) and energy use (tce)."""

    industry: ExampleIndustry
    output: float
    energy: float
    prefecture: str


def _firm_output(rng: random.Random, industry: ExampleIndustry, above_scale: bool) -> Decimal:
    """An output (万元) in the industry's range (log-uniform) for an above-scale enterprise, 400-2,000 万元 else."""
    (low, high), _ = SCALE[industry.code]
    if not above_scale:
        return _money(rng.uniform(400, 1_990))
    drawn = math.exp(rng.uniform(math.log(max(low, 2_000)), math.log(high)))
    return _money(drawn)


def _is_above_scale(rng: random.Random, industry: ExampleIndustry, share: float) -> bool:
    """Heavy industries (their range starts at 10,000 万元) are all above scale; the others at ``share``."""
    return SCALE[industry.code][0][0] >= 10_000 or rng.random() < share


def _firm(industry: ExampleIndustry, output: Decimal, prefecture: str) -> _Firm:
    return _Firm(industry, float(output), float(output) * SCALE[industry.code][1], prefecture)


def _scale(firm: _Firm) -> float:
    return min(max(firm.output / _REFERENCE_OUTPUT, 0.02), 4.0)


def _pick_measure(rng: random.Random, firm: _Firm, mid_high: bool, general_share: float = 0.3) -> Measure:
    """A measure of the enterprise's industry, or a general one; a mid/high-cost one it can afford."""
    industry = firm.industry
    if mid_high:
        own = [m for m in industry.mid_high if investment_range(m)[0] <= firm.output * _MAX_INVESTMENT_SHARE]
        if own and rng.random() >= general_share:
            return rng.choice(own)
        return rng.choice(GENERAL_MID_HIGH)
    return rng.choice(GENERAL_NO_LOW if rng.random() < general_share else industry.no_low)


def _money(amount: float) -> Decimal:
    return Decimal(round(amount, 2)).quantize(Decimal("0.01"))


def _investment(rng: random.Random, firm: _Firm, measure: Measure, mid_high: bool) -> Decimal:
    """What the proposal costs (万元): a mid/high-cost one 1-15 % of the output within the measure's range (50
    万元 at least); a no/low-cost one up to 10 万元 (a small enterprise's less), a training up to 2."""
    if mid_high:
        low, high = investment_range(measure)
        cap = max(firm.output * _MAX_INVESTMENT_SHARE, _MIN_MID_HIGH)
        share = firm.output * rng.uniform(0.01, _MAX_INVESTMENT_SHARE)
        return _money(min(max(share, low, _MIN_MID_HIGH), high, cap))
    top = 2.0 if "培训" in measure.name else min(10.0, max(1.0, firm.output * 0.002))
    return _money(rng.uniform(0.05, top))


def _benefit(rng: random.Random, investment: Decimal, measure: Measure, mid_high: bool) -> Decimal:
    """经济效益 (万元/年): a mid/high-cost measure pays back in 1.5-5 years (an end-of-pipe one in 3-6); a
    no/low-cost one earns half to four times its small cost."""
    if mid_high:
        payback = rng.uniform(1.5, 5.0) if saves(measure) else rng.uniform(3.0, 6.0)
        return _money(float(investment) / payback)
    return _money(max(float(investment) * rng.uniform(0.5, 4.0), 0.1))


def _tonnes(firm: _Firm, rng: random.Random, mid_high: bool) -> Decimal:
    """A reduction of a conventional pollutant (t/a): 0.02-0.4 % of the output in tonnes for a mid/high-cost
    measure (a 5 亿元 cement works: 10-200 t), a tenth for a no/low-cost one."""
    amount = firm.output * rng.uniform(0.0002, 0.004) * (1 if mid_high else 0.1)
    return max(Decimal(round(amount, 2)), Decimal("0.01")).quantize(Decimal("0.01"))


def _main_pollutant(rng: random.Random, industry: ExampleIndustry, measure: Measure) -> Metric:
    """The pollutant a proposal's main effect reduces: the measure's own, else one the industry reduces."""
    own = [metric for metric in measure.cuts if metric in CONVENTIONAL]
    return own[0] if own else rng.choice(industry.reduces)


def _effects(
    rng: random.Random,
    proposal: Proposal,
    firm: _Firm,
    measure: Measure,
    main: Metric,
    verified: bool,
    discharge_basis: bool,
) -> list[Effect]:
    """A completed proposal's yearly effects: its main pollutant, what it saves (electricity, coal, heat or
    water, from its benefit at market prices and within a share of the enterprise's energy), its benefit, the
    other pollutants it cuts, and the CO₂ of the energy it saves (:data:`CO2_PER_TCE`)."""
    mid_high = proposal.cost_class is CostClass.MID_HIGH
    benefit = _benefit(rng, proposal.investment or Decimal(0), measure, mid_high)
    pid = proposal.id
    effects = [
        Effect(
            id=f"E{pid}-1",
            proposal=pid,
            metric=main,
            basis=Basis.DISCHARGE if discharge_basis else Basis.GENERATION,
            amount=_tonnes(firm, rng, mid_high),
            verified=verified,
        )
    ]
    kind = saves(measure)
    if kind is None and rng.random() < 0.4:
        kind = ELECTRICITY  # an end-of-pipe or housekeeping measure that also saves some power
        share = rng.uniform(0.05, 0.3)
    else:
        share = rng.uniform(0.5, 0.95)
    cap = firm.energy * _MAX_ENERGY_SHARE[0 if mid_high else 1]
    money = float(benefit) * 10_000 * share  # 元 a year
    tce = Decimal(0)
    if kind == ELECTRICITY:
        kwh = Decimal(round(min(money / _PRICE_KWH, cap / float(_TCE_PER_KWH)))).quantize(Decimal(1))
        effects.append(Effect(id=f"E{pid}-2", proposal=pid, metric=Metric.ELECTRICITY, amount=kwh, verified=verified))
        tce = kwh * _TCE_PER_KWH
    elif kind == COAL:
        coal = Decimal(round(min(money / _PRICE_COAL, cap / float(_TCE_PER_COAL)), 1)).quantize(Decimal("0.1"))
        effects.append(Effect(id=f"E{pid}-2", proposal=pid, metric=Metric.COAL, amount=coal, verified=verified))
        tce = coal * _TCE_PER_COAL
    elif kind == HEAT:
        tce = Decimal(round(min(money / _PRICE_HEAT, cap), 1)).quantize(Decimal("0.1"))
        effects.append(Effect(id=f"E{pid}-2", proposal=pid, metric=Metric.ENERGY, amount=tce, verified=verified))
    effects.append(Effect(id=f"E{pid}-3", proposal=pid, metric=Metric.BENEFIT, amount=benefit, verified=verified))
    if kind == WATER or (mid_high and rng.random() < 0.3):
        water = Decimal(round(float(benefit) * 10_000 * rng.uniform(0.2, 0.6) / _PRICE_WATER)).quantize(Decimal(1))
        effects.append(Effect(id=f"E{pid}-4", proposal=pid, metric=Metric.WATER, amount=water, verified=verified))
    extra: list[tuple[Metric, Decimal]] = []
    for metric in measure.cuts:
        if metric is main or metric in (Metric.COAL, Metric.CO2):
            continue
        if metric in CONVENTIONAL:
            amount = _tonnes(firm, rng, mid_high)
        else:
            low, high, divisor = _EXTRA_AMOUNTS[metric]
            drawn = rng.randrange(low, high) / divisor * _scale(firm) * (1 if mid_high else 0.1)
            amount = max(Decimal(round(drawn, 3)), Decimal("0.001")).quantize(Decimal("0.001"))
        extra.append((metric, amount))
    if tce > 0:
        extra.append((Metric.CO2, (tce * CO2_PER_TCE).quantize(Decimal("0.01"))))
    for n, (metric, amount) in enumerate(extra, start=5):
        effects.append(
            Effect(
                id=f"E{pid}-{n}",
                proposal=pid,
                metric=metric,
                basis=Basis.GENERATION if metric.pollutant else None,
                amount=amount,
                verified=verified,
            )
        )
    return effects


def _discharge_metrics(industry: ExampleIndustry) -> list[Metric]:
    """The pollutants an audit's discharges cover: up to three of the enterprise's main pollutants, the first
    heavy metal it has among them."""
    metrics = [_POLLUTANT_METRICS[p] for p in industry.pollutants if p in _POLLUTANT_METRICS]
    metals = [m for m in metrics if m in HEAVY_METALS]
    others = [m for m in metrics if m not in HEAVY_METALS]
    return (metals[:1] + others[:2]) if metals else others[:3]


def _discharges(rng: random.Random, audit_id: str, firm: _Firm, grew: float) -> list[Discharge]:
    """A mandatory audit's yearly discharges before and after (t/a), scaled by output; ``grew`` is the top of
    the after/before ratio (above 1: now and then a discharge that grew)."""
    found = []
    for metric in _discharge_metrics(firm.industry):
        if metric in HEAVY_METALS:
            before = Decimal(round(firm.output * rng.uniform(2e-6, 2e-5), 3)).quantize(Decimal("0.001"))
            before = max(before, Decimal("0.001"))
        else:
            before = Decimal(round(firm.output * rng.uniform(0.0005, 0.01), 2)).quantize(Decimal("0.01"))
            before = max(before, Decimal("0.1"))
        ratio = Decimal(str(round(rng.uniform(0.55, grew), 2)))
        places = Decimal("0.001") if metric in HEAVY_METALS else Decimal("0.01")
        found.append(
            Discharge(
                id=f"D{audit_id}-{metric.value}",
                audit=audit_id,
                pollutant=metric,
                before=before,
                after=(before * ratio).quantize(places),
            )
        )
    return found


def _enterprise(
    rng: random.Random,
    n: int,
    county: str,
    city: str,
    industry: ExampleIndustry,
    uscc: str,
    names: set[str],
    above_scale: bool,
    monitored: float,
) -> Enterprise:
    return Enterprise(
        uscc=uscc,
        name=enterprise_name(rng, county, industry.trade, names, joint_stock=n % 5 == 0),
        region=county,
        industry=industry.code,
        key_industries=industry.tags,
        above_scale=above_scale,
        key_monitored=rng.random() < monitored,
        basin=_BASINS.get(city),
        park=f"{_name(city)}经济技术开发区" if rng.random() < 0.5 else None,
        contact_person=person(rng),
        contact_phone=phone(rng, city),
        main_products=industry.products,
        main_pollutants=industry.pollutants,
        output_values=(YearAmount(year=2015, amount=_firm_output(rng, industry, above_scale)),),
    )


def _firm_of(enterprise: Enterprise, industry: ExampleIndustry, city: str) -> _Firm:
    return _firm(industry, enterprise.output_values[0].amount, city)


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
    names: set[str],
) -> _History:
    """``count`` enterprises numbered from ``first`` with a first audit round in 2011-2015 (十二五) and a second
    one evaluated in 2021 (十四五) whose retrofits are planned for 2021 and 2022.

    Everything is drawn from a stream of its own (``f"{seed}-history"``), so the main stream and every record
    it makes stay as they were (``names`` only learns the names taken); the new records' ids follow the
    enterprise numbers after ``first`` and cannot collide with the main ones. Key industries come first and
    every industry is taken once before any twice, so that the 十二五 table's reductions (mercury, chromium
    slag, lead dust, …) all occur; the first two mid/high-cost proposals of a first round take the first two
    measures of the industry it can afford (mostly those of the
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
        above_scale = _is_above_scale(rng, industry, 0.9)
        enterprise = _enterprise(rng, n, county, city, industry, uscc, names, above_scale, 0.6)
        firm = _firm_of(enterprise, industry, city)
        found.enterprises.append(enterprise)
        agency = agencies[list(prefectures).index(city)]
        # Round one: started 2011 to mid-2013, so that its report, acceptance and retrofits are done by 2015.
        started = _date(rng, datetime.date(2011, 1, 10), 900)
        audit = _history_audit(rng, enterprise, n, 1, city, started, agency)
        found.audits.append(audit)
        _history_proposals(rng, found, firm, audit, proposals_per_audit, late=False)
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
                    person_times=rng.randrange(15, 60),
                    head_person_times=rng.randrange(1, 4),
                    title="企业内部清洁生产培训",
                )
            )
        # Round two (十四五): listed and started in 2021, evaluated the same year.
        started = _date(rng, datetime.date(2021, 3, 1), 60)
        audit = _history_audit(rng, enterprise, n, 2, city, started, agency)
        found.audits.append(audit)
        _history_proposals(rng, found, firm, audit, proposals_per_audit, late=True)
    found.trainings += [
        Training(
            id=f"TR{n:03d}",
            region=city + "00",
            held_on=_date(rng, datetime.date(2012, 1, 1), 1400),
            audience=Audience.GOVERNMENT,
            person_times=rng.randrange(20, 80),
            title="清洁生产管理人员培训班",
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
    dates = (started, confirmed, evaluated, accepted)
    # The prefecture's agency, if it was registered by then.
    registered = agency.registered_on is None or agency.registered_on <= started
    return _audit(
        rng,
        f"A{n + 1:05d}-{round_no}",
        enterprise.uscc,
        mandatory,
        round_no,
        city,
        dates,
        55,
        agency.id if registered else None,
    )


def _audit(
    rng: random.Random,
    audit_id: str,
    uscc: str,
    mandatory: bool,
    round_no: int,
    city: str,
    dates: tuple[datetime.date, datetime.date, datetime.date | None, datetime.date | None],
    listed_within: int,
    agency: str | None,
) -> Audit:
    """An audit started, confirmed, evaluated and accepted on ``dates``, listed up to ``listed_within`` days
    before its start; its grounds, track, listing and level drawn in that order."""
    started, confirmed, evaluated, accepted = dates
    return Audit(
        id=audit_id,
        enterprise=uscc,
        kind=AuditKind.MANDATORY if mandatory else AuditKind.VOLUNTARY,
        grounds=(rng.choice(list(MandatoryGround)[:3]),) if mandatory else (),
        round=round_no,
        track=rng.choice(list(AuditTrack)) if city.startswith("44") else None,
        planned_year=started.year,
        listed_on=started - datetime.timedelta(days=rng.randrange(20, listed_within)),
        deadline=started + datetime.timedelta(days=540),
        started_on=started,
        confirmed_on=confirmed,
        report_filed_on=evaluated - datetime.timedelta(days=20) if evaluated else None,
        evaluated_on=evaluated,
        evaluation=Outcome.PASSED if evaluated else None,
        accepted_on=accepted,
        acceptance=Outcome.PASSED if accepted else None,
        level=rng.choice(list(CleanerProductionLevel)) if accepted else None,
        agency=agency,
    )


def _history_proposals(
    rng: random.Random,
    found: _History,
    firm: _Firm,
    audit: Audit,
    proposals_per_audit: int,
    *,
    late: bool,
) -> None:
    """The proposals of a history audit with their effects, and its discharges if it is mandatory.

    A first round's (``late`` false) are done by 2015; a second round's mid/high-cost ones are planned for the
    year of evaluation and the next (2021 and 2022), and the later ones are still under way.
    """
    industry = firm.industry
    if audit.kind is AuditKind.MANDATORY:
        found.discharges += _discharges(rng, audit.id, firm, 1.0)
    base = audit.evaluated_on or audit.confirmed_on or audit.started_on
    assert base is not None
    mid_highs = 0
    affordable = [m for m in industry.mid_high if investment_range(m)[0] <= firm.output * _MAX_INVESTMENT_SHARE]
    for k in range(max(4, int(rng.gauss(proposals_per_audit, 3)))):
        mid_high = k < 2 or rng.random() < 0.125
        if mid_high:
            if mid_highs < 2 and affordable:
                measure = affordable[mid_highs % len(affordable)]
            else:
                measure = _pick_measure(rng, firm, True)
            mid_highs += 1
        else:
            measure = _pick_measure(rng, firm, False)
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
        investment = _investment(rng, firm, measure, mid_high)
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
        pollutant = _main_pollutant(rng, industry, measure)
        # 十二五 set its SO₂ target on discharge: half the SO₂ reductions are reported so.
        discharge = pollutant is Metric.SO2 and rng.random() < 0.5
        found.effects += _effects(rng, proposal, firm, measure, pollutant, accepted is not None, discharge)


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

    The first ``enterprises`` are the main ones: a first audit round listed from mid-2015 to 2020, each
    province's enterprises taking the years in turn (those of the industries that emit SO₂ or NOₓ in a turn of
    their own), and for some a second round two or three years later (evaluated, accepted and carried out up to
    2021; no/low-cost proposals during the audit, mid/high-cost ones after it). After them (``history``, on by
    default) come ``enterprises // 3`` enterprises,
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
    ents: list[Enterprise] = []
    audits: list[Audit] = []
    proposals: list[Proposal] = []
    effects: list[Effect] = []
    discharges: list[Discharge] = []
    trainings: list[Training] = []
    names: set[str] = set()
    counties = {city: _counties(city) or [city + "00"] for city in prefectures}
    agency_names: set[str] = set()
    agencies = [
        Agency(
            id=f"AG{n:03d}",
            name=agency_name(rng, city, agency_names),
            region=city + "00",
            staff=rng.randrange(8, 40),
            registered_on=datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randrange(1200)),
        )
        for n, city in enumerate(prefectures, start=1)
    ]
    # Each province takes the industries in a shuffled order of its own, and its enterprises' first audits start
    # in turn in 2016-2020, those of the industries that emit SO₂ or NOₓ in a turn of their own: every province
    # has enterprises of those industries, and audits completed and SO₂ and NOₓ reduced in every year 2016-2020.
    order = [*INDUSTRIES, *(industry for industry in INDUSTRIES if industry.code in _COMMON)]
    rng.shuffle(order)
    provinces = sorted({city[:2] for city in prefectures})
    offsets = {province: rng.randrange(len(order)) for province in provinces}
    turns: dict[str, int] = {}
    slots = {(province, emits): rng.randrange(5) for province in provinces for emits in (False, True)}
    classes: dict[tuple[str, int], datetime.date] = {}
    for n in range(enterprises):
        city = prefectures[n % len(prefectures)]
        county = rng.choice(counties[city])
        turn = turns.get(city[:2], 0)
        turns[city[:2]] = turn + 1
        industry = order[(turn + offsets[city[:2]]) % len(order)]
        emits = bool({Metric.SO2, Metric.NOX} & set(industry.reduces))
        slot = slots[city[:2], emits]
        slots[city[:2], emits] = slot + 1
        uscc = _uscc(rng, county)
        above_scale = _is_above_scale(rng, industry, 0.85)
        enterprise = _enterprise(rng, n, county, city, industry, uscc, names, above_scale, 0.4)
        firm = _firm_of(enterprise, industry, city)
        ents.append(enterprise)
        # Listed from mid-2015 (to be done in 2016) to 2020, a year's turn starting within about ten months.
        first_start = datetime.date(2015, 7, 1) + datetime.timedelta(days=365 * (slot % 5) + rng.randrange(300))
        starts = [first_start]
        if rng.random() < 0.3:
            second = first_start + datetime.timedelta(days=rng.randrange(700, 1100))
            if second <= datetime.date(2020, 3, 31):
                starts.append(second)
        for round_no, started in enumerate(starts, start=1):
            mandatory = rng.random() < 0.6
            confirmed = started + datetime.timedelta(days=rng.randrange(10, 60))
            evaluated = confirmed + datetime.timedelta(days=rng.randrange(100, 240)) if rng.random() < 0.92 else None
            accepted = (
                evaluated + datetime.timedelta(days=rng.randrange(120, 360))
                if evaluated and rng.random() < 0.85
                else None
            )
            audit_id = f"A{n + 1:05d}-{round_no}"
            dates = (started, confirmed, evaluated, accepted)
            agency = agencies[prefectures.index(city)].id
            audits.append(_audit(rng, audit_id, uscc, mandatory, round_no, city, dates, 90, agency))
            if mandatory:
                discharges += _discharges(rng, audit_id, firm, 1.03)  # now and then a discharge that grew
            # The audit's trainings: one inside the enterprise as it starts, and the prefecture's class of the
            # year, which its staff and head attend (each enterprise's attendance is a record of its own).
            if rng.random() < 0.75:
                trainings.append(
                    Training(
                        id=f"TE{audit_id}",
                        region=county,
                        held_on=started + datetime.timedelta(days=rng.randrange(15, 90)),
                        audience=Audience.ENTERPRISE,
                        enterprise=uscc,
                        internal=True,
                        person_times=rng.randrange(15, 60),
                        head_person_times=rng.randrange(0, 3),
                        title="企业内部清洁生产培训",
                    )
                )
            if rng.random() < 0.6:
                held = classes.setdefault(
                    (city, started.year),
                    datetime.date(started.year, 1, 1) + datetime.timedelta(days=rng.randrange(60, 330)),
                )
                trainings.append(
                    Training(
                        id=f"TC{audit_id}",
                        region=county,
                        held_on=held,
                        audience=Audience.ENTERPRISE,
                        enterprise=uscc,
                        person_times=rng.randrange(2, 8),
                        head_person_times=1,
                        title=f"{_name(city)}清洁生产审核培训班",
                    )
                )
            affordable = [m for m in industry.mid_high if investment_range(m)[0] <= firm.output * _MAX_INVESTMENT_SHARE]
            for k in range(max(1, int(rng.gauss(proposals_per_audit, 3)))):
                # The first proposal of a mandatory audit is a mid/high-cost one of the industry's own.
                mid_high = (k == 0 and mandatory and bool(affordable)) or rng.random() < 0.125
                # No/low-cost proposals are carried out during the audit (边审核边实施), mid/high-cost ones after it.
                base = evaluated or confirmed
                during = max((base - confirmed).days, 30)
                begun = base + datetime.timedelta(days=10) if mid_high else confirmed + datetime.timedelta(days=5)
                done = rng.random() < 0.85
                completed = (
                    begun + datetime.timedelta(days=rng.randrange(30, 400) if mid_high else rng.randrange(10, during))
                    if done
                    else None
                )
                accepted_p = (accepted if accepted and completed and accepted >= completed else None) if done else None
                code = f"{'ZG' if mid_high else 'WD'}{k + 1}"
                proposal_id = f"{audit_id}-{code}"
                if k == 0 and mid_high and affordable:
                    measure = rng.choice(affordable)
                else:
                    measure = _pick_measure(rng, firm, mid_high)
                investment = _investment(rng, firm, measure, mid_high)
                proposal = Proposal(
                    id=proposal_id,
                    enterprise=uscc,
                    audit=audit_id,
                    code=code,
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
                    planned_year=begun.year,
                    planned_completion=begun + datetime.timedelta(days=365 if mid_high else during),
                    progress="已完成" if done else "实施中",
                    started_on=begun,
                    completed_on=completed,
                    accepted_on=accepted_p,
                )
                proposals.append(proposal)
                if done:
                    pollutant = _main_pollutant(rng, industry, measure)
                    # Now and then a reduction reported on the discharge basis.
                    discharge = rng.random() < 0.03
                    effects += _effects(rng, proposal, firm, measure, pollutant, accepted_p is not None, discharge)
    audits = [_follow_track(audit, proposals) for audit in audits]
    # A catalogue technology adopted outside any audit.
    if ents:
        output = ents[0].output_values[0].amount
        proposals.append(
            Proposal(
                id="CAT-1",
                enterprise=ents[0].uscc,
                name="采用国家鼓励的工业节水工艺",
                cost_class=CostClass.MID_HIGH,
                from_catalogue=True,
                catalogue="国家鼓励的工业节水工艺、技术和装备目录",
                investment=min(max(output / 20, Decimal(50)), Decimal(320)).quantize(Decimal("0.01")),
                status=ProposalStatus.COMPLETED,
                started_on=datetime.date(2017, 3, 1),
                completed_on=datetime.date(2017, 11, 30),
                accepted_on=datetime.date(2018, 1, 15),
            )
        )
    # Trainings of government staff, twice in each prefecture.
    trainings += [
        Training(
            id=f"T{n:03d}",
            region=city + "00",
            held_on=_date(rng, datetime.date(2016, 1, 1), 1800),
            audience=Audience.GOVERNMENT,
            person_times=rng.randrange(20, 80),
            title="清洁生产管理人员培训班",
        )
        for n, city in enumerate(prefectures * 2)
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
            name=person(rng),
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
    provinces = sorted({city[:2] for city in prefectures})
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
            names,
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
