"""national.summary: its span as titled, proposals put forward beside those implemented, and the rule between them.

Every expected figure is computed here from the records, by the definitions the form's docstring states
(not by calling the form's code).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

import cpsdk
from cpsdk import AuditKind, CostClass, Metric, Outcome, ProposalStatus
from tests.test_national import DATASET, E1, E2

D = datetime.date
FORM = "national.summary"
PUT_FORWARD = {
    None: "提出清洁生产方案数",
    CostClass.NO_LOW: "其中：无/低费方案",
    CostClass.MID_HIGH: "其中：中/高费方案",
}
IMPLEMENTED = {
    None: "实施清洁生产方案数",
    CostClass.NO_LOW: "其中：实施无/低费方案",
    CostClass.MID_HIGH: "其中：实施中/高费方案",
}


def first_date(data: cpsdk.Dataset, proposal: cpsdk.Proposal) -> datetime.date | None:
    """The first date recorded for a proposal: its audit's report (filed, else evaluated), its start, its completion."""
    audit = next((a for a in data.audits if a.id == proposal.audit), None)
    report = (audit.report_filed_on or audit.evaluated_on) if audit else None
    return min((d for d in (report, proposal.started_on, proposal.completed_on) if d), default=None)


def put_forward(data: cpsdk.Dataset, start: datetime.date, end: datetime.date) -> dict[CostClass, int]:
    counts = dict.fromkeys(CostClass, 0)
    for proposal in data.proposals:
        first = first_date(data, proposal)
        if first is not None and start <= first <= end:
            counts[proposal.cost_class] += 1
    return counts


def implemented(data: cpsdk.Dataset, start: datetime.date, end: datetime.date) -> dict[CostClass, int]:
    counts = dict.fromkeys(CostClass, 0)
    for proposal in data.proposals:
        done = proposal.completed_on
        if proposal.status is ProposalStatus.COMPLETED and done is not None and start <= done <= end:
            counts[proposal.cost_class] += 1
    return counts


def energy(data: cpsdk.Dataset, start: datetime.date, end: datetime.date) -> Decimal:
    """tce saved by the proposals completed in the span: a proposal's recorded energy, else its electricity
    (0.1229 kgce/kWh) and raw coal (0.7143 kgce/kg) converted to 1 kgce — each saving once."""
    total = Decimal(0)
    for proposal in data.proposals:
        done = proposal.completed_on
        if not (proposal.status is ProposalStatus.COMPLETED and done is not None and start <= done <= end):
            continue
        own = [e for e in data.effects if e.proposal == proposal.id]
        recorded = [e.amount for e in own if e.metric is Metric.ENERGY]
        if recorded:
            total += sum(recorded, Decimal(0))
        elif any(e.metric in (Metric.ELECTRICITY, Metric.COAL) for e in own):
            converted = sum(
                (e.amount * Decimal("0.1229") / 1000 for e in own if e.metric is Metric.ELECTRICITY), Decimal(0)
            )
            converted += sum((e.amount * Decimal("0.7143") for e in own if e.metric is Metric.COAL), Decimal(0))
            total += converted.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)  # to 1 kgce, per proposal
    return total


def title(path: Path) -> object:
    return openpyxl.load_workbook(path).worksheets[0]["A1"].value


@pytest.mark.parametrize(("start_year", "year", "span"), [(None, 2020, "2020年"), (2016, 2020, "2016—2020年")])
def test_the_title_prints_one_year_as_that_year_and_a_span_as_its_ends(
    start_year: int | None, year: int, span: str, tmp_path: Path
) -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(cpsdk.example_dataset(seed=1), year=year, start_year=start_year)
    assert (report.span, report.end_year) == (span, year)
    path = form.write(report, tmp_path / "s.xlsx", draft=cpsdk.has_errors(form.check(report)))
    assert str(title(path)).startswith(f"全国清洁生产审核工作汇总表（{span}）")
    assert form.read(path) == report


def test_a_span_that_is_not_its_years_is_an_error() -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(DATASET, year=2015, start_year=2011)
    [issue] = form.check(attrs.evolve(report, span="2011—2020年"))
    assert issue.code == "summary.span"


# A proposal put forward in 2019 (its audit's report filed then) and implemented in 2020.
LATE = attrs.evolve(
    DATASET,
    audits=(
        cpsdk.Audit(
            id="b1", enterprise=E1.uscc, kind=AuditKind.VOLUNTARY, confirmed_on=D(2019, 1, 5),
            report_filed_on=D(2019, 6, 1), evaluated_on=D(2019, 9, 1), evaluation=Outcome.PASSED,
        ),
        cpsdk.Audit(id="b2", enterprise=E2.uscc, kind=AuditKind.VOLUNTARY, confirmed_on=D(2019, 2, 1)),
    ),
    proposals=(
        cpsdk.Proposal(
            id="q1", enterprise=E1.uscc, audit="b1", name="余热", cost_class=CostClass.MID_HIGH,
            status=ProposalStatus.COMPLETED, completed_on=D(2020, 3, 1),
        ),
        # put forward by an audit whose report was never evaluated: put forward all the same
        cpsdk.Proposal(id="q2", enterprise=E2.uscc, audit="b2", name="照明", cost_class=CostClass.NO_LOW,
                       started_on=D(2019, 4, 1)),
    ),
    effects=(),
    trainings=(),
    demonstrations=(),
)  # fmt: skip


def test_one_year_may_implement_what_was_put_forward_before_and_that_is_no_error() -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(LATE, year=2020)
    assert report.cumulative is False
    assert (report.value(PUT_FORWARD[CostClass.MID_HIGH]), report.value(IMPLEMENTED[CostClass.MID_HIGH])) == (0, 1)
    assert not [issue for issue in form.check(report) if issue.severity == "error"]


def test_the_cumulative_span_counts_every_proposal_put_forward_whatever_became_of_its_audit() -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(LATE, year=2020, start_year=2019)
    assert report.cumulative is True
    assert report.value(PUT_FORWARD[None]) == 2  # q2's audit never passed evaluation
    assert report.value(IMPLEMENTED[None]) == 1
    assert not form.check(report)


def test_over_a_cumulative_span_implementing_more_than_was_put_forward_is_an_error_on_its_cell() -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(LATE, year=2020, start_year=2019)
    zeroed = {PUT_FORWARD[None]: Decimal(1), PUT_FORWARD[CostClass.MID_HIGH]: Decimal(0)}  # q1 put forward nowhere
    rows = tuple(attrs.evolve(row, value=zeroed.get(row.indicator, row.value)) for row in report.rows)
    issues = form.check(attrs.evolve(report, rows=rows))
    [issue] = [issue for issue in issues if issue.code == "summary.implemented-exceeds-put-forward"]
    assert issue.severity == "error" and issue.cell is not None and issue.source
    assert issue.pointer == f"/rows/{[row.indicator for row in rows].index(IMPLEMENTED[CostClass.MID_HIGH])}/value"
    # the same figures over a span that is not cumulative are no error
    assert not form.check(attrs.evolve(report, rows=rows, cumulative=False))


@given(
    seed=st.integers(0, 10_000),
    first=st.integers(2014, 2021),
    length=st.integers(0, 5),
    region=st.sampled_from(["", "51", "4401"]),
)
def test_put_forward_implemented_and_energy_are_as_defined_and_the_rule_holds_where_it_is_a_law(
    seed: int, first: int, length: int, region: str
) -> None:
    data = cpsdk.example_dataset(seed=seed, enterprises=12, proposals_per_audit=3)
    scoped = data.in_region(region) if region else data
    form = cpsdk.get_form(FORM)
    report = form.build(data, start_year=first, year=first + length, region=region)
    start, end = D(first, 1, 1), D(first + length, 12, 31)
    put, done = put_forward(scoped, start, end), implemented(scoped, start, end)
    for cost_class in CostClass:
        assert report.value(PUT_FORWARD[cost_class]) == put[cost_class]
        assert report.value(IMPLEMENTED[cost_class]) == done[cost_class]
    assert report.value(PUT_FORWARD[None]) == sum(put.values())
    assert report.value("节能量") == energy(scoped, start, end)
    firsts = [d for p in scoped.proposals if (d := first_date(scoped, p))]
    assert report.cumulative == (not firsts or start <= min(firsts))
    if report.cumulative:  # a law: every proposal implemented in the span was put forward in it
        assert all(done[c] <= put[c] for c in CostClass)
    assert not cpsdk.has_errors(form.check(report))


# Issue 23 item 5: the lines of the unit that hands the summary in.
SUBMITTED = {"unit": "山东省生态环境厅", "filled_by": "李四", "phone": "0531-86106111", "filed_on": "2021-01-20"}
LINES = {"填报单位（盖章）：": "unit", "填表人：": "filled_by", "联系电话：": "phone", "填报日期：": "filed_on"}


def beside(path: Path, label: str) -> object:
    """The value of the cell right of the one showing ``label`` (past the cells a merged label covers)."""
    for row in openpyxl.load_workbook(path).worksheets[0].iter_rows():
        for index, cell in enumerate(row):
            if cell.value == label:
                value = next(c.value for c in row[index + 1 :] if not isinstance(c, MergedCell))
                return value.date() if isinstance(value, datetime.datetime) else value
    raise KeyError(label)


def test_the_submitting_units_lines_print_beside_their_labels_and_read_back(tmp_path: Path) -> None:
    form = cpsdk.get_form(FORM)
    assert set(cpsdk.SUBMISSION_PARAMETERS) <= set(form.parameters)
    report = form.build(cpsdk.example_dataset(seed=1), year=2020, **SUBMITTED)
    expected = cpsdk.Submission(
        unit="山东省生态环境厅", filled_by="李四", phone="0531-86106111", filed_on=D(2021, 1, 20)
    )
    assert report.submission == expected
    path = form.write(report, tmp_path / "s.xlsx", draft=cpsdk.has_errors(form.check(report)))
    for label, field in LINES.items():
        assert beside(path, label) == getattr(expected, field)
    assert form.read(path) == report
    blank = form.build(cpsdk.example_dataset(seed=1), year=2020)
    assert blank.submission == cpsdk.Submission()
    path = form.write(blank, tmp_path / "blank.xlsx", draft=cpsdk.has_errors(form.check(blank)))
    assert [beside(path, label) for label in LINES] == [None] * 4
    assert form.read(path) == blank


def test_a_summary_typed_without_the_lines_reads_with_none(tmp_path: Path) -> None:
    form = cpsdk.get_form(FORM)
    report = form.build(cpsdk.example_dataset(seed=1), year=2020, **SUBMITTED)
    path = form.write(report, tmp_path / "typed.xlsx", draft=cpsdk.has_errors(form.check(report)))
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    first = next(row[0].row for row in sheet.iter_rows() if row[0].value == "填报单位（盖章）：")
    for merged in [m for m in sheet.merged_cells.ranges if m.min_row >= first]:
        sheet.unmerge_cells(str(merged))
    sheet.delete_rows(first, 2)
    del book["_cpsdk"]
    book.save(path)
    assert form.read(path) == attrs.evolve(report, submission=cpsdk.Submission())


def test_a_filing_date_that_is_not_a_date_is_refused_naming_the_parameter() -> None:
    with pytest.raises(ValueError, match="filed_on must be a date as YYYY-MM-DD"):
        cpsdk.get_form(FORM).build(DATASET, filed_on="2021-02-30")


def _converting(count: int, kwh: str) -> cpsdk.Dataset:
    """``count`` completed proposals of one audit, each saving ``kwh`` of electricity and no energy recorded."""
    proposals = tuple(
        cpsdk.Proposal(
            id=f"e{n}", enterprise=E1.uscc, audit="b1", name="电机", cost_class=CostClass.NO_LOW,
            status=ProposalStatus.COMPLETED, completed_on=D(2020, 3, 1),
        )
        for n in range(count)
    )  # fmt: skip
    effects = tuple(
        cpsdk.Effect(id=f"f{n}", proposal=f"e{n}", metric=Metric.ELECTRICITY, amount=Decimal(kwh)) for n in range(count)
    )
    return attrs.evolve(LATE, proposals=proposals, effects=effects)


def test_a_country_of_converted_energy_fits_a_cell_and_reads_back(tmp_path: Path) -> None:
    """Electricity converted at 0.1229 kgce/kWh carries seven more places than the kWh: summed over many proposals
    the exact sum has more significant digits than a spreadsheet keeps (the national emit was refused for it).
    Each proposal's converted energy is given to 1 kgce, so the sum prints exactly and reads back the same."""
    data = _converting(3000, "987654321.987")
    form = cpsdk.get_form(FORM)
    report = form.build(data, year=2020)
    [row] = [row for row in report.rows if row.indicator.startswith("节能")]
    per_proposal = (Decimal("987654321.987") * Decimal("0.0001229")).quantize(Decimal("0.001"), ROUND_HALF_UP)
    assert row.value == 3000 * per_proposal
    form.write(report, tmp_path / "s.xlsx")
    back = form.read(tmp_path / "s.xlsx")
    assert [r.value for r in back.rows if r.indicator.startswith("节能")] == [row.value]


def test_converted_energy_is_rounded_half_up_to_one_kgce_and_recorded_energy_kept() -> None:
    assert cpsdk.energy_saved({Metric.ELECTRICITY: Decimal(5)}) == Decimal("0.001")  # 0.6145 kgce
    assert cpsdk.energy_saved({Metric.ELECTRICITY: Decimal(4)}) == Decimal("0.000")  # 0.4916 kgce
    assert cpsdk.energy_saved({Metric.COAL: Decimal("0.0007")}) == Decimal("0.001")  # 0.50001 kgce
    assert cpsdk.energy_saved({Metric.ENERGY: Decimal("1.23456"), Metric.ELECTRICITY: Decimal(5)}) == Decimal("1.23456")
    huge = cpsdk.energy_saved({Metric.ELECTRICITY: Decimal("1E+30")})  # no error: kept as it is
    assert huge == Decimal("1.229E+26")
