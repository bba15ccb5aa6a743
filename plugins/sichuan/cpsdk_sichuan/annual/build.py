"""How each figure of 附件3 follows from the records.

The region's records are those of its enterprises (audits, proposals, effects,
agreements follow their enterprise) and the programme records registered to it
(trainings, demonstration titles, agencies, experts, documents, by-product use).

Two rules hold throughout:

- **年 and 累计** (note [1]): a record counts in 年 when the date that places it falls in
  the reporting year, and in 累计 when it falls between 2016-01-01 and the end of the
  reporting year. 累计 is always computed from the records, never by adding up the
  figures of earlier years' reports.
- **Enterprises are counted once** in each figure that counts enterprises, however
  many records they have.

Each section's function below says which records count, by which date, citing the
note of 填报说明 it follows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from operator import and_, or_
from typing import Any

from cpsdk import (
    ENERGY_METRICS,
    Audience,
    AuditKind,
    Basis,
    ByproductKind,
    ByproductUse,
    CostClass,
    Dataset,
    DemonstrationKind,
    Issue,
    Level,
    Metric,
    Outcome,
    Proposal,
    ProposalStatus,
    Records,
    Unit,
    energy_saved_by,
    to_unit,
    warning,
)
from cpsdk_sichuan._scope import Window
from cpsdk_sichuan._source import cite
from cpsdk_sichuan.annual.report import (
    Agreements,
    AnnualReport,
    ByKind,
    Byproducts,
    Capacity,
    Count,
    Demonstrations,
    DocumentRow,
    Effects,
    Industries,
    Money,
    Quantity,
    Retrofits,
    Training,
)
from cpsdk_sichuan.industries import OTHER, IndustryColumn, match

Dated = tuple[Hashable, datetime.date | None]


def _same(value: Any) -> Any:
    return value


class DistinctKeys:
    """Distinct keys whose date falls in the year, and since 2016-01-01, gathered one event at a time."""

    def __init__(self, window: Window) -> None:
        self._window = window
        self._year: set[Hashable] = set()
        self._cumulative: set[Hashable] = set()

    def add(self, key: Hashable, date: datetime.date | None) -> None:
        """Count ``key`` if its ``date`` falls in the span."""
        if self._window.in_cumulative(date):
            self._cumulative.add(key)
            if self._window.in_year(date):
                self._year.add(key)

    def add_records(
        self, records: Records[Any], key: str, date: str, date_of: Callable[[Any], datetime.date | None] = _same
    ) -> None:
        """Count field ``key`` of each of ``records`` whose date falls in the span: :meth:`add` of each, found from
        their columns. The date is ``date_of`` field ``date`` (the field itself by default; ``date_of`` may be
        called with any value the field's column holds, as :meth:`cpsdk.Records.where` tests them)."""
        window = self._window
        span = records.where(date, lambda value: window.in_cumulative(date_of(value)))
        self._cumulative.update(span.column(key))
        self._year.update(span.where(date, lambda value: window.in_year(date_of(value))).column(key))

    def count(self) -> Count:
        """How many distinct keys in the year and since 2016-01-01."""
        return Count(year=len(self._year), cumulative=len(self._cumulative))


class Sums:
    """Amounts whose date falls in the year, and since 2016-01-01, summed exactly as they come."""

    def __init__(self, window: Window) -> None:
        self._window = window
        self.year: Decimal = Decimal(0)
        self.cumulative: Decimal = Decimal(0)

    def add(self, amount: Decimal | int | None, date: datetime.date | None) -> None:
        """Add ``amount`` if its ``date`` falls in the span."""
        if amount and self._window.in_cumulative(date):
            self.add_placed(amount, in_year=self._window.in_year(date))

    def add_placed(self, amount: Decimal | int, *, in_year: bool) -> None:
        """Add ``amount`` to 累计, and to 年 when ``in_year``: an amount whose date is already known to fall in the
        span."""
        if amount:
            self.cumulative += amount
            if in_year:
                self.year += amount

    def add_sum(self, total: Decimal, *, in_year: bool) -> None:
        """Add ``total``, the sum of several amounts none of which is zero, to 累计 (and to 年 when ``in_year``):
        added even when it is zero, as adding its amounts one by one would have added their places."""
        self.cumulative += total
        if in_year:
            self.year += total

    def add_records(self, records: Records[Any], amount: str, date: str) -> None:
        """Add field ``amount`` of each of ``records`` placed by its field ``date``: :meth:`add` of each, summed
        from their columns (by where their dates fall, then each sum added)."""
        window = self._window

        def place(date: datetime.date | None) -> tuple[bool, bool]:
            return window.in_cumulative(date), window.in_year(date)

        for (in_span, in_year), total in records.sums(amount, (date, place), zeros=False).items():
            if in_span:
                self.add_sum(total, in_year=in_year)

    def money(self) -> Money:
        """The sums as 万元."""
        return Money(year=self.year, cumulative=self.cumulative)


def distinct(events: Iterable[Dated], window: Window) -> Count:
    """Distinct keys whose date falls in the year, and since 2016-01-01."""
    keys = DistinctKeys(window)
    for key, date in events:
        keys.add(key, date)
    return keys.count()


def summed(amounts: Iterable[tuple[Decimal | int | None, datetime.date | None]], window: Window) -> tuple[Any, Any]:
    """The amounts whose date falls in the year, and since 2016-01-01, summed exactly."""
    sums = Sums(window)
    for amount, date in amounts:
        sums.add(amount, date)
    return sums.year, sums.cumulative


def person_times(amounts: Iterable[tuple[int, datetime.date]], window: Window) -> Count:
    """Person-times summed for the year and since 2016-01-01."""
    year, cumulative = summed(amounts, window)
    return Count(year=int(year), cumulative=int(cumulative))


def training(data: Dataset, above_scale: Mapping[str, bool], window: Window) -> Training:
    """Section 1, note [2], placed by the training date.

    - 政府管理人员: person-times of trainings for government staff.
    - 企业数: distinct above-scale enterprises that held a training inside the enterprise
      or whose head attended one (a training naming no enterprise cannot say which).
    - 企业参加培训人数 / 企业负责人参加培训人数: person-times of enterprise trainings, and
      of enterprise heads in them; a training of an enterprise known not to be above
      scale is not counted (the columns are under 规模以上工业企业).

    ``above_scale`` tells each known enterprise's 规模以上 flag by 统一社会信用代码.
    """
    fields = ("audience", "enterprise", "internal", "person_times", "head_person_times", "held_on")
    government: list[tuple[int, datetime.date]] = []
    ours: list[tuple[str | None, bool, int, int, datetime.date]] = []
    for audience, enterprise, internal, times, heads, held_on in data.records("trainings").columns(*fields):
        if audience is Audience.GOVERNMENT:
            government.append((times, held_on))
        elif audience is Audience.ENTERPRISE and (enterprise is None or above_scale.get(enterprise, True)):
            ours.append((enterprise, internal, times, heads, held_on))
    trained = [
        (enterprise, held_on)
        for enterprise, internal, _, heads, held_on in ours
        if enterprise is not None and enterprise in above_scale and (internal or heads > 0)
    ]
    return Training(
        government=person_times(government, window),
        enterprises=distinct(trained, window),
        employees=person_times(((times, held_on) for _, _, times, _, held_on in ours), window),
        heads=person_times(((heads, held_on) for _, _, _, heads, held_on in ours), window),
    )


def above_scale_of(dataset: Dataset) -> dict[str, bool]:
    """Each enterprise's 规模以上 flag by 统一社会信用代码, read from the enterprises' columns (the first wins on a
    duplicate code, as in :attr:`cpsdk.Dataset.enterprise_by_uscc`)."""
    flags: dict[str, bool] = {}
    for uscc, flag in dataset.records("enterprises").columns("uscc", "above_scale"):
        flags.setdefault(uscc, flag)
    return flags


def by_kind(events: Iterable[tuple[str, AuditKind, datetime.date | None]], window: Window) -> ByKind:
    """Distinct enterprises split by audit kind, so that 合计 = 自愿性 + 强制性 (sections 2, 3).

    An enterprise with audits of both kinds in a span is counted once, under the kind
    of its latest audit in that span (强制性 on the same day).
    """

    def split(inside: Callable[[datetime.date | None], bool]) -> dict[AuditKind, int]:
        latest: dict[str, tuple[datetime.date, bool]] = {}
        for uscc, kind, date in events_list:
            if date is not None and inside(date):
                key = (date, kind is AuditKind.MANDATORY)
                if uscc not in latest or key > latest[uscc]:
                    latest[uscc] = key
        mandatory = sum(1 for _, is_mandatory in latest.values() if is_mandatory)
        return {AuditKind.MANDATORY: mandatory, AuditKind.VOLUNTARY: len(latest) - mandatory}

    events_list = list(events)
    year, cumulative = split(window.in_year), split(window.in_cumulative)

    def count(kind: AuditKind | None) -> Count:
        if kind is None:
            return Count(year=sum(year.values()), cumulative=sum(cumulative.values()))
        return Count(year=year[kind], cumulative=cumulative[kind])

    return ByKind(voluntary=count(AuditKind.VOLUNTARY), mandatory=count(AuditKind.MANDATORY), total=count(None))


def audited(data: Dataset, window: Window) -> ByKind:
    """Section 2, note [3]: enterprises with an audit confirmed by the authority, by confirmation date."""
    return by_kind(data.records("audits").columns("enterprise", "kind", "confirmed_on"), window)


def accepted(data: Dataset, window: Window) -> ByKind:
    """Section 3, note [4]: enterprises whose audit passed the effect evaluation (验收), by its date (an
    acceptance passed with no date is none: :attr:`cpsdk.Audit.accepted`)."""
    fields = ("enterprise", "kind", "accepted_on", "acceptance")
    events = data.records("audits").columns(*fields)
    return by_kind(((uscc, kind, on) for uscc, kind, on, outcome in events if outcome is Outcome.PASSED), window)


def is_retrofit_project(proposal: Proposal, evaluated: Mapping[str, datetime.date | None]) -> bool:
    """A 清洁生产技术改造项目 of note [5]: a mid/high-cost proposal of an audit whose report passed
    evaluation (``evaluated``: those audits' ids), or a retrofit adopting a catalogue technology."""
    from_audit = proposal.audit in evaluated and proposal.cost_class is CostClass.MID_HIGH
    return from_audit or proposal.from_catalogue


def evaluated_audits(data: Dataset) -> dict[str, datetime.date | None]:
    """The audits whose report passed evaluation, by id, with the evaluation date."""
    fields = ("id", "evaluated_on", "evaluation")
    return {
        audit: on
        for audit, on, outcome in data.records("audits").columns(*fields)
        if outcome is Outcome.PASSED and on is not None
    }


def counts_as_implemented(proposal: Proposal) -> bool:
    """Whether 附件3 counts a retrofit as implemented (已实施): completed and accepted by the competent
    department (填报说明[5]: “指实施完成并通过有关部门组织的清洁生产实施效果评估验收的项目数”). This is
    Sichuan's definition; the core records only the facts (status, completed_on, accepted_on)."""
    return proposal.status is ProposalStatus.COMPLETED and proposal.accepted_on is not None


def retrofits(data: Dataset, window: Window) -> Retrofits:
    """Section 4, note [5].

    - 提出: mid/high-cost proposals of audits whose report passed evaluation, placed by
      the evaluation date; plus retrofits adopting a technology of a national catalogue
      directly, placed by their start date (a proposal that is both counts once).
    - 已实施: those projects completed **and** accepted (the authority's effect
      evaluation), placed by the acceptance date; 投资额 and 财政资金 (省级, 地方) are
      theirs, by the same date. Central funds are not a column of the form.
    """
    evaluated = evaluated_audits(data)
    # Gathered from the proposals' columns, never as lists of projects nor as objects: a province's records are
    # hundreds of thousands. The projects found by an evaluated audit, and the catalogue retrofits that are not.
    proposals = data.proposals
    from_audit = proposals.where("audit", evaluated.__contains__).where("cost_class", _mid_high)
    catalogue = proposals.where("from_catalogue", bool)
    catalogue = catalogue.take(catalogue.positions(_not_from_audit(evaluated), "audit", "cost_class"))
    proposed, implemented = DistinctKeys(window), DistinctKeys(window)
    proposed.add_records(from_audit, "id", "audit", evaluated.get)  # by the audit's evaluation
    proposed.add_records(catalogue, "id", "started_on")  # a catalogue retrofit: by its start
    investment, provincial, local = Sums(window), Sums(window), Sums(window)
    for projects in (from_audit, catalogue):
        done = projects.where("status", _completed).where("accepted_on", _given)  # counts_as_implemented
        implemented.add_records(done, "id", "accepted_on")
        investment.add_records(done, "investment", "accepted_on")
        provincial.add_records(done, "support_provincial", "accepted_on")
        local.add_records(done, "support_local", "accepted_on")
    return Retrofits(
        proposed=proposed.count(),
        implemented=implemented.count(),
        investment=investment.money(),
        support_provincial=provincial.money(),
        support_local=local.money(),
    )


#: Section 5 columns: the metrics each sums, and the unit the column prints.
EFFECT_COLUMNS: dict[str, tuple[tuple[Metric, ...], Unit]] = {
    "cod": ((Metric.COD,), Unit.TONNE),
    "ammonia_nitrogen": ((Metric.AMMONIA_NITROGEN,), Unit.TONNE),
    "total_phosphorus": ((Metric.TOTAL_PHOSPHORUS,), Unit.TONNE),
    "so2": ((Metric.SO2,), Unit.TONNE),
    "nox": ((Metric.NOX,), Unit.TONNE),
    # 烟（粉）尘: the notice names smoke and dust together; the form has one column.
    "dust": ((Metric.DUST, Metric.SMOKE_DUST), Unit.TONNE),
    "vocs": ((Metric.VOCS,), Unit.TONNE),
    "mercury": ((Metric.MERCURY,), Unit.TONNE),
    "chromium": ((Metric.CHROMIUM,), Unit.TONNE),
    "lead": ((Metric.LEAD,), Unit.TONNE),
    "cadmium": ((Metric.CADMIUM,), Unit.TONNE),
    "arsenic": ((Metric.ARSENIC,), Unit.TONNE),
    # 节能: energy recorded, else electricity and coal converted to standard coal — counted once (cpsdk.energy_saved)
    "energy": ((Metric.ENERGY, Metric.ELECTRICITY, Metric.COAL), Unit.TEN_THOUSAND_TCE),
    "water": ((Metric.WATER,), Unit.TEN_THOUSAND_TONNES),
    "benefit": ((Metric.BENEFIT,), Unit.TEN_THOUSAND_YUAN),
}
_COLUMN_OF_METRIC = {metric: key for key, (metrics, _) in EFFECT_COLUMNS.items() for metric in metrics}


def effects(data: Dataset, window: Window, whole: Dataset, notes: list[Issue]) -> Effects:
    """Section 5 环境效果, note [6].

    The yearly effects of proposals of either cost class that were completed, placed by
    the completion date; 累计 sums the yearly capacity of everything completed since
    2016 (it is not multiplied by years). Pollutant reductions count only on the
    **generation** basis: an effect on the discharge basis, or with no basis, is left
    out with a warning. Water is printed in 万吨, converted exactly.

    - 节能（万吨标煤）: each proposal's energy saved counted once (:func:`cpsdk.energy_saved`):
      the 节能 it records, else its electricity and raw coal saved converted to standard coal
      (GB/T 2589-2008 附录A: 0.1229 kgce/kWh, 0.7143 kgce/kg).
    - 获得经济效益（万元）: “实施清洁生产技术改造项目后产生的经济效益” (note [6]) — the benefit of
      the retrofit projects of note [5] only (mid/high-cost proposals of evaluated audits, or
      catalogue-technology retrofits); a no/low-cost proposal's benefit is not counted.

    Metrics without a column (CO₂, raw materials, …) are not on the form.
    """
    evaluated = evaluated_audits(data)
    totals = {key: Sums(window) for key in EFFECT_COLUMNS}
    # The proposals completed by the end of the year, picked by their columns; where each is placed (completed in
    # the year, a retrofit project) by id; then their effects summed from the effects' columns (a province's records
    # are millions: neither the proposals nor the effects are made into objects, nor indexed).
    done = data.proposals.where("status", _completed).where("completed_on", window.in_cumulative)
    retrofit = map(
        or_,
        done.translated("from_catalogue", bool),
        map(and_, done.translated("audit", evaluated.__contains__), done.translated("cost_class", _mid_high)),
    )
    places = {(in_year, retrofit): (in_year, retrofit) for in_year in (False, True) for retrofit in (False, True)}
    where = map(places.__getitem__, zip(done.translated("completed_on", window.in_year), retrofit, strict=True))
    ids = list(done.column("id"))
    placed = dict(zip(reversed(ids), reversed(list(where)), strict=True))  # (of equal ids, the first's)
    chosen = data.effects_naming(placed)  # only their amounts are read
    # Their effects summed by (completed in the year, retrofit project), metric and basis, from the columns.
    # (A zero adds nothing, not even its places: 0.000 leaves a sum of 235.1518 as it is.)
    summed = chosen.sums("amount", ("proposal", placed.__getitem__), "metric", "basis", zeros=False)
    for ((in_year, retrofit), metric, basis), amount in summed.items():
        key = _COLUMN_OF_METRIC.get(metric)
        if key is None or metric in ENERGY_METRICS or (metric.pollutant and basis is not Basis.GENERATION):
            continue  # (not on the form; counted once below; left out with a warning below)
        if key == "benefit" and not retrofit:
            continue  # note [6]: the benefit of retrofit projects only
        totals[key].add_placed(to_unit(amount, metric.unit, EFFECT_COLUMNS[key][1]), in_year=in_year)
    energy = {True: Decimal(0), False: Decimal(0)}
    counted = {True: False, False: False}
    for proposal_id, saved in energy_saved_by(chosen).items():
        if saved:  # (a zero adds nothing, not even its places)
            in_year = placed[proposal_id][0]
            energy[in_year] += saved
            counted[in_year] = True
    for in_year, saved in energy.items():
        if counted[in_year]:  # all of one kind's energy in tce, made 万吨标煤 at once (exact: each has places)
            totals["energy"].add_sum(to_unit(saved, Unit.TCE, Unit.TEN_THOUSAND_TCE), in_year=in_year)
    not_counted = chosen.positions(_not_counted, "metric", "basis")
    if not_counted:
        first = dict(zip(reversed(ids), range(len(ids) - 1, -1, -1), strict=True))
        left_out = [(first[chosen.value(at, "proposal")], at, chosen.value(at, "basis")) for at in not_counted]
        for _, at, basis in sorted(left_out):  # in the order of their proposals, as the records list them
            notes.append(_not_generation(basis, whole.pointer_from(chosen, "effects", at)))
    values: dict[str, Any] = {
        key: (Money if key == "benefit" else Quantity)(year=sums.year, cumulative=sums.cumulative)
        for key, sums in totals.items()
    }
    return Effects(**values)


def _given(value: Any) -> bool:
    return value is not None


def _not_from_audit(evaluated: Mapping[str, Any]) -> Callable[[str | None, CostClass | None], bool]:
    """Whether a proposal of ``audit`` and ``cost_class`` is not a project found by an evaluated audit."""

    def test(audit: str | None, cost_class: CostClass | None) -> bool:
        return not (audit in evaluated and cost_class is CostClass.MID_HIGH)

    return test


def _completed(status: ProposalStatus) -> bool:
    return status is ProposalStatus.COMPLETED


def _mid_high(cost_class: CostClass | None) -> bool:
    return cost_class is CostClass.MID_HIGH


def _not_counted(metric: Metric, basis: Basis | None) -> bool:
    """A reduction of a pollutant that 附件3 does not count: not on the generation basis."""
    return metric.pollutant and metric in _COLUMN_OF_METRIC and basis is not Basis.GENERATION


def _not_generation(basis: Basis | None, pointer: str | None) -> Issue:
    if basis is Basis.DISCHARGE:
        return warning(
            "sichuan.annual.discharge-basis",
            "该削减量为排放量口径，附件3只统计产生量的削减，未计入",
            "the reduction is of discharge; 附件3 counts reductions of generation only, so it is not counted",
            pointer=pointer,
            source=cite(3, 6),
        )
    return warning(
        "sichuan.annual.no-basis",
        "该削减量未注明产生量或排放量口径，未计入",
        "the reduction does not say whether it is of generation or of discharge, so it is not counted",
        pointer=pointer,
        source=cite(3, 6),
    )


def byproducts(data: Dataset, window: Window) -> Byproducts:
    """Section 5 资源综合利用: tonnes used, by the year each record is reported for.

    粉煤灰, 煤矸石 and 磷石膏 have their columns. Named other kinds fill 种类1-3, the three
    with the most tonnes since 2016 (then by name); the rest, and unnamed ones, are 其他.
    """
    dated = [(use, datetime.date(use.year, 12, 31)) for use in data.byproducts]

    def quantity(select: Callable[[ByproductUse], bool]) -> Quantity:
        year, cumulative = summed(((u.amount, d) for u, d in dated if select(u)), window)
        return Quantity(year=year, cumulative=cumulative)

    def named_kind(name: str | None) -> Quantity:
        return quantity(lambda u: u.kind is ByproductKind.OTHER and name is not None and u.name == name)

    named: dict[str, Decimal] = {}
    for use, date in dated:
        if use.kind is ByproductKind.OTHER and use.name and window.in_cumulative(date):
            named[use.name] = named.get(use.name, Decimal(0)) + use.amount
    top = sorted(named, key=lambda name: (-named[name], name))[:3]
    names: list[str | None] = [*top, None, None, None][:3]
    kinds = {f"kind{n}": named_kind(name) for n, name in enumerate(names, start=1)}
    return Byproducts(
        fly_ash=quantity(lambda u: u.kind is ByproductKind.FLY_ASH),
        coal_gangue=quantity(lambda u: u.kind is ByproductKind.COAL_GANGUE),
        phosphogypsum=quantity(lambda u: u.kind is ByproductKind.PHOSPHOGYPSUM),
        kind1_name=names[0],
        kind2_name=names[1],
        kind3_name=names[2],
        other=quantity(lambda u: u.kind is ByproductKind.OTHER and u.name not in top),
        **kinds,
    )


def industries(
    data: Dataset, window: Window, columns: Sequence[IndustryColumn], whole: Dataset, notes: list[Issue]
) -> Industries:
    """Section 6, note [7]: enterprises with an audit confirmed (as in section 2), by industry column.

    Which column an enterprise counts in is decided by :mod:`cpsdk_sichuan.industries`;
    a 其中 column's enterprise also counts in its sector's 总计/合计. One that no column
    takes counts in 其它, with a warning.
    """
    events: dict[str, list[Dated]] = {column.key: [] for column in columns}
    kinds: dict[str, tuple[str, tuple[str, ...]]] = {}  # all that decides an enterprise's columns, by its code
    for uscc, industry, key_industries in data.records("enterprises").columns("uscc", "industry", "key_industries"):
        kinds.setdefault(uscc, (industry, key_industries))
    matched: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
    for uscc, confirmed_on in data.records("audits").columns("enterprise", "confirmed_on"):
        kind = kinds.get(uscc)
        if kind is None or not window.in_cumulative(confirmed_on):
            continue
        if kind not in matched:
            matched[kind] = match(data.enterprise_by_uscc[uscc], columns)
        keys = matched[kind]
        if not keys:
            keys = (OTHER,)
            enterprise = data.enterprise_by_uscc[uscc]
            notes.append(
                warning(
                    "sichuan.annual.other-industry",
                    f"{enterprise.name}（行业 {enterprise.industry}）不属于附件3第六项所列行业，计入“其它”",
                    f"{enterprise.name} (industry {enterprise.industry}) fits no column of section 6; counted in 其它",
                    pointer=whole.pointer("enterprises", enterprise),
                    source=cite(3, 7),
                )
            )
        for key in keys:
            events[key].append((uscc, confirmed_on))
    return Industries(**{key: distinct(items, window) for key, items in events.items()})


def documents(data: Dataset, window: Window) -> tuple[DocumentRow, ...]:
    """Section 7: documents of the region issued from 2016-01-01 to the end of the year, by date."""
    rows = [
        DocumentRow(title=d.title, number=d.number, issued_on=d.issued_on)
        for d in data.documents
        if window.in_cumulative(d.issued_on)
    ]
    return tuple(sorted(rows, key=lambda row: (row.issued_on or datetime.date.min, row.title)))


def demonstrations(data: Dataset, window: Window) -> Demonstrations:
    """Section 8: titles granted, by kind and level, placed by the grant date.

    An enterprise holding a title is counted once per level; parks and projects are
    counted by title. Municipal titles are not columns of the form.
    """

    def count(kind: DemonstrationKind, level: Level) -> Count:
        return distinct(
            (
                (d.enterprise or d.id if kind is DemonstrationKind.ENTERPRISE else d.id, d.granted_on)
                for d in data.demonstrations
                if d.kind is kind and d.level is level
            ),
            window,
        )

    return Demonstrations(
        enterprises_national=count(DemonstrationKind.ENTERPRISE, Level.NATIONAL),
        enterprises_provincial=count(DemonstrationKind.ENTERPRISE, Level.PROVINCIAL),
        parks_national=count(DemonstrationKind.PARK, Level.NATIONAL),
        parks_provincial=count(DemonstrationKind.PARK, Level.PROVINCIAL),
        projects_national=count(DemonstrationKind.PROJECT, Level.NATIONAL),
        projects_provincial=count(DemonstrationKind.PROJECT, Level.PROVINCIAL),
    )


def _active(start: datetime.date | None, end: datetime.date | None, on: datetime.date) -> bool:
    return (start is None or start <= on) and (end is None or end > on)


def capacity(data: Dataset, window: Window) -> Capacity:
    """Section 9: agencies registered and not withdrawn at the end of the year, their staff, the expert pool."""
    agencies = [a for a in data.agencies if _active(a.registered_on, a.withdrawn_on, window.end)]
    experts = [x for x in data.experts if _active(x.joined_on, x.left_on, window.end)]
    return Capacity(
        agencies=len(agencies),
        agency_staff=sum(a.staff for a in agencies),
        expert_pool=bool(experts),
        experts=len(experts),
    )


def agreements(data: Dataset, window: Window) -> Agreements:
    """Section 10: distinct enterprises signing an agreement (signing date), and rewarded for one (reward date)."""
    return Agreements(
        signed=distinct(((a.enterprise, a.signed_on) for a in data.agreements), window),
        rewarded=distinct(((a.enterprise, a.rewarded_on) for a in data.agreements), window),
    )


def build_annual(
    dataset: Dataset,
    *,
    region: str,
    region_name: str,
    year: int,
    columns: Sequence[IndustryColumn],
    header: Mapping[str, str | None],
) -> tuple[AnnualReport, list[Issue]]:
    """附件3 of ``region`` for ``year`` from ``dataset``, and the notes on records left out."""
    data = dataset.in_region(region)
    window = Window(year)
    notes: list[Issue] = []
    report = AnnualReport(
        region=region,
        region_name=region_name,
        year=year,
        compiled_by=header.get("compiled_by"),
        filled_by=header.get("filled_by"),
        contact=header.get("contact"),
        training=training(data, above_scale_of(dataset), window),
        audits=audited(data, window),
        accepted=accepted(data, window),
        retrofits=retrofits(data, window),
        effects=effects(data, window, dataset, notes),
        byproducts=byproducts(data, window),
        industries=industries(data, window, columns, dataset, notes),
        documents=documents(data, window),
        demonstrations=demonstrations(data, window),
        capacity=capacity(data, window),
        agreements=agreements(data, window),
        other_work=header.get("other_work"),
        problems=header.get("problems"),
    )
    return report, notes
