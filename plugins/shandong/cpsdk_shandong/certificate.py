"""``shandong.certificate`` — 清洁生产审核绩效证书评估表 of one enterprise's audit.

Shandong certifies audited enterprises under 《山东省清洁生产审核绩效证书管理办法（试行）》 and
《山东省清洁生产审核绩效证书评估标准》, issued with the procedure and standard of evaluation
and acceptance (鲁环函〔2009〕14号) to “严把清洁生产审核评估验收关” (seed 002, 二、（四）). The
text of the certificate's standard is not in our documents, so the form applies by default
only what the documents say, each criterion printed with the clause it comes from:

1. 审核报告通过评估 — the audit report passed the department's evaluation (二、（四）;
   鲁环函〔2009〕14号; “405家企业通过了省环保厅组织的评估验收”, 一、基本情况);
2. 实施效果通过验收 — the implementation effect passed acceptance (the same clauses).

A user holding the 评估标准 may add its thresholds (``min_no_low_rate``, ``min_mid_high_rate``:
implementation rates in percent; ``require_verified_effect``): such a criterion is printed as
set by the user, with the parameter, never as a document's. No implementation-rate threshold
is applied by default: no document gives one for the certificate.

The sheet shows the audit (type, evaluation and acceptance dates and results), its
proposals by cost class (put forward, implemented, investment), the verified reductions and
savings (an effect not verified by the authority is left out, with a note), the economic
benefit, each criterion with its source and result, and whether the certificate is granted,
with the unmet criteria as the reason when it is not.

The sheet is the assessing authority's, not the enterprise's: the department organises the evaluation and
acceptance (二、（四）: “省环保厅组织的评估验收”) and issues the certificate. So it ends, under its notes, with the
assessor's lines — 评估单位（盖章）, 评估人, 联系电话, 填表日期 (:data:`SIGNATURE_LABELS`; 填表日期, not a
second 评估日期, which the sheet already prints for the audit report's evaluation) — filled from the parameters
``unit``, ``filled_by``, ``phone`` and ``filed_on`` (:data:`SIGNATURE_PARAMETERS`) into ``submission``, all
optional.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from cpsdk import (
    CostClass,
    Dataset,
    Issue,
    LayoutForm,
    Metric,
    Outcome,
    Period,
    Proposal,
    ProposalStatus,
    Scope,
    Submission,
    Unit,
    decimal_parameter,
    describe,
    error,
    flag_parameter,
    submission_from,
    submission_lines,
    titled,
    warning,
)
from cpsdk.codes import industry_name, region_full_name
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout, labelled
from cpsdk_shandong._scope import chosen_audit, percent
from cpsdk_shandong._source import ACCEPTANCE, CERTIFICATE, STATISTICS

MET, NOT_MET = "达到", "未达到"
#: How a criterion a user set, rather than a document, is cited.
USER_SET = "用户设定"
#: The assessor's lines at the foot of the sheet, in the order of :class:`cpsdk.Submission`'s fields.
SIGNATURE_LABELS = ("评估单位（盖章）：", "评估人：", "联系电话：", "填表日期：")
#: The parameters that fill them (those of :data:`cpsdk.SUBMISSION_PARAMETERS`, meaning the assessor).
SIGNATURE_PARAMETERS = {
    "unit": "评估单位 the assessing unit (its stamp goes beside the name)",
    "filled_by": "评估人 the assessor",
    "phone": "联系电话 telephone",
    "filed_on": "填表日期 date the sheet is signed (YYYY-MM-DD)",
}


@attrs.frozen(kw_only=True)
class Criteria:
    """What a certificate requires; every field can be changed by a ``build`` parameter of the same name."""

    #: 审核报告通过评估 (seed 002, 二、（四）; 鲁环函〔2009〕14号).
    require_evaluation: bool = True
    #: 实施效果通过验收 (the same clauses).
    require_acceptance: bool = True
    #: A user's threshold for the no/low-cost implementation rate (%); none by default: no document gives one.
    min_no_low_rate: Decimal | None = None
    #: A user's threshold for the mid/high-cost implementation rate (%); none by default.
    min_mid_high_rate: Decimal | None = None
    #: A user's requirement of at least one verified reduction or saving; off by default.
    require_verified_effect: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Criteria:
        """The defaults with the parameters given (``min_mid_high_rate=50``, ``require_acceptance=false``)."""
        values: dict[str, Any] = {}
        for field in attrs.fields(cls):
            if params.get(field.name) is None:
                continue
            raw = params[field.name]
            if field.type in (bool, "bool"):
                values[field.name] = flag_parameter(raw, field.name)
            else:  # a rate, in percent
                values[field.name] = decimal_parameter(raw, field.name, minimum=0, maximum=100)
        return cls(**values)


@titled("方案实施情况", "Proposals by cost class")
@attrs.frozen(kw_only=True)
class ProposalLine:
    """Proposals of one cost class (or 合计)."""

    cost_class: str = describe("方案类别", "Cost class")
    proposed: int = describe("提出方案数（个）", "Put forward")
    implemented: int = describe("实施方案数（个）", "Implemented")
    investment: Decimal = describe("实施投资（万元）", "Investment of those implemented", unit=Unit.TEN_THOUSAND_YUAN)


@titled("经核实的绩效", "Verified performance")
@attrs.frozen(kw_only=True)
class PerformanceLine:
    """A verified reduction or saving, summed over the implemented proposals."""

    item: str = describe("项目", "Item")
    basis: str | None = describe("口径", "Basis (产生量/排放量) of a pollutant", default=None)
    amount: Decimal = describe("数量", "Amount")
    unit: str = describe("单位", "Unit")


@titled("评估条件", "Criterion")
@attrs.frozen(kw_only=True)
class CriterionLine:
    """One criterion of the certificate, what it requires, what the audit shows, and the result."""

    criterion: str = describe("评估条件", "Criterion")
    requirement: str = describe("要求", "Requirement")
    actual: str = describe("实际", "Actual")
    met: bool = describe("是否达到", "Met")
    source: str = describe("依据", "The clause the criterion comes from, or the parameter a user set it with")


@titled("清洁生产审核绩效证书评估表", "Performance-certificate evaluation sheet")
@attrs.frozen(kw_only=True)
class Certificate:
    """The evaluation of one enterprise's audit for the performance certificate."""

    enterprise: str = describe("企业名称", "Enterprise name")
    uscc: str = describe("统一社会信用代码", "Unified social credit code")
    location: str = describe("所在地", "Where it is")
    industry: str = describe("所属行业", "Industry")
    audit: str = describe("审核编号", "Audit id")
    kind: str = describe("审核类型", "Voluntary or mandatory")
    round: int = describe("审核轮次", "Round")
    evaluated_on: datetime.date | None = describe("评估日期", "Date evaluated", default=None)
    evaluation: str | None = describe("评估结果", "Evaluation result", default=None)
    accepted_on: datetime.date | None = describe("验收日期", "Date accepted", default=None)
    acceptance: str | None = describe("验收结果", "Acceptance result", default=None)
    proposals: tuple[ProposalLine, ...] = describe("方案实施情况", "Proposals", factory=tuple)
    performance: tuple[PerformanceLine, ...] = describe("经核实的绩效", "Verified performance", factory=tuple)
    benefit: Decimal = describe("经济效益（万元）", "Economic benefit", default=Decimal(0), unit=Unit.TEN_THOUSAND_YUAN)
    criteria: tuple[CriterionLine, ...] = describe("评估条件", "Criteria", factory=tuple)
    granted: bool = describe("是否授予绩效证书", "Certificate granted")
    reason: str | None = describe("未授予原因", "Why it is not granted", default=None)
    submission: Submission = describe(
        "评估单位", "Who assessed the audit (unit, assessor, telephone) and the date of the sheet", factory=Submission
    )


def _implemented(proposal: Proposal) -> bool:
    return proposal.status is ProposalStatus.COMPLETED


def _rate(implemented: int, proposed: int) -> Decimal | None:
    return percent(Decimal(implemented), Decimal(proposed))


class CertificateForm(LayoutForm):
    """清洁生产审核绩效证书评估表 of one audit."""

    id = "shandong.certificate"
    title = "清洁生产审核绩效证书评估表"
    layout_year = 2009
    period = Period.NONE
    scope = Scope.ENTERPRISE
    report_type = Certificate
    source = CERTIFICATE
    parameters = {
        "audit": "审核编号 the audit (default: the latest accepted audit of the region)",
        "enterprise": "统一社会信用代码 an enterprise: its latest audit",
        "region": "地区代码 region of Shandong to choose from (default 37)",
        "require_evaluation": "评估条件：审核报告通过评估 (default true; 鲁环函〔2009〕14号)",
        "require_acceptance": "评估条件：实施效果通过验收 (default true; 鲁环函〔2009〕14号)",
        "min_no_low_rate": "用户设定：无/低费方案实施率下限 % (default none: no document gives one)",
        "min_mid_high_rate": "用户设定：中/高费方案实施率下限 % (default none: no document gives one)",
        "require_verified_effect": "用户设定：须有经核实的削减量或节约量 (default false)",
        **SIGNATURE_PARAMETERS,
    }

    def build(self, dataset: Dataset, **params: Any) -> Certificate:
        """The sheet of the audit asked for (see :func:`cpsdk_shandong._scope.chosen_audit`)."""
        return self.build_with_issues(dataset, **params)[0]

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[Certificate, list[Issue]]:
        """The sheet, and a note for each effect left out because it was not verified; ValueError for a
        ``filed_on`` that is not a date."""
        submission = submission_from(params)
        audit, enterprise = chosen_audit(dataset, params)
        criteria = Criteria.from_params(params)
        proposals = dataset.records("proposals").where("audit", lambda value: value == audit.id)
        lines = [_proposal_line(cost.zh, [p for p in proposals if p.cost_class is cost]) for cost in CostClass]
        lines.append(_proposal_line("合计", proposals))
        notes: list[Issue] = []
        totals: dict[tuple[Metric, str | None], Decimal] = {}
        for proposal in filter(_implemented, proposals):
            for effect in dataset.effects_by_proposal.get(proposal.id, ()):
                if not effect.verified:
                    notes.append(
                        warning(
                            "shandong.certificate.unverified",
                            "该效果未经核实，不计入绩效",
                            "the effect is not verified by the authority, so it is not counted",
                            pointer=dataset.pointer("effects", effect),
                            source=CERTIFICATE,
                        )
                    )
                    continue
                key = (effect.metric, effect.basis.zh if effect.metric.pollutant and effect.basis else None)
                totals[key] = totals.get(key, Decimal(0)) + effect.amount
        benefit = totals.pop((Metric.BENEFIT, None), Decimal(0))
        performance = tuple(
            PerformanceLine(item=metric.zh, basis=basis, amount=amount, unit=metric.unit.symbol)
            for (metric, basis), amount in sorted(totals.items(), key=lambda item: list(Metric).index(item[0][0]))
        )
        checks = list(_criteria(criteria, audit.evaluation, audit.acceptance, lines, bool(performance or benefit)))
        unmet = [line.criterion for line in checks if not line.met]
        report = Certificate(
            enterprise=enterprise.name,
            uscc=enterprise.uscc,
            location=region_full_name(enterprise.region) or enterprise.region,
            industry=industry_name(enterprise.industry) or enterprise.industry,
            audit=audit.id,
            kind=audit.kind.zh,
            round=audit.round,
            evaluated_on=audit.evaluated_on,
            evaluation=audit.evaluation.zh if audit.evaluation else None,
            accepted_on=audit.accepted_on,
            acceptance=audit.acceptance.zh if audit.acceptance else None,
            proposals=tuple(lines),
            performance=performance,
            benefit=benefit,
            criteria=tuple(checks),
            granted=not unmet,
            reason=("未达到：" + "；".join(unmet)) if unmet else None,
            submission=submission,
        )
        return report, notes

    def layout(self) -> WorkbookLayout:
        """Audit details, then three tables (proposals, performance, criteria), then the decision, the notes
        and the assessor's lines."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="绩效证书评估表",
                    columns=(22, 20, 16, 14, 14, 28),
                    blocks=(
                        Title(template="清洁生产审核绩效证书评估表"),
                        Grid(
                            rows=(
                                (
                                    *labelled("企业名称", "enterprise", 3, "text"),
                                    *labelled("统一社会信用代码", "uscc"),
                                ),
                                (
                                    *labelled("所在地", "location", 3, "text"),
                                    *labelled("所属行业", "industry"),
                                ),
                                (
                                    *labelled("审核编号", "audit"),
                                    *labelled("审核类型", "kind"),
                                    *labelled("审核轮次", "round"),
                                ),
                                (
                                    *labelled("评估日期", "evaluated_on"),
                                    *labelled("评估结果", "evaluation"),
                                    Text(text="", colspan=2),
                                ),
                                (
                                    *labelled("验收日期", "accepted_on"),
                                    *labelled("验收结果", "acceptance"),
                                    Text(text="", colspan=2),
                                ),
                            )
                        ),
                        Table(
                            rows="proposals",
                            totals_are_records=True,  # its 合计 line is one of the report's lines
                            lead=Text(text="一、方案实施情况", style="section"),
                            columns=(
                                Column(header=("方案类别",), field="cost_class", style="center"),
                                Column(header=("提出方案数（个）",), field="proposed"),
                                Column(header=("实施方案数（个）",), field="implemented"),
                                Column(header=("实施投资（万元）",), field="investment", decimals=-1, span=2),
                            ),
                        ),
                        Table(
                            rows="performance",
                            lead=Text(text="二、经核实的年削减量和节约量", style="section"),
                            columns=(
                                Column(header=("项目",), field="item", style="center"),
                                Column(header=("口径",), field="basis", style="center"),
                                Column(header=("数量",), field="amount", decimals=-1, span=2),
                                Column(header=("单位",), field="unit", style="center"),
                            ),
                        ),
                        Grid(
                            rows=(
                                (
                                    Text(text="经济效益（万元/年）", style="section"),
                                    Value(path="benefit", colspan=5, decimals=-1),
                                ),
                            )
                        ),
                        Table(
                            rows="criteria",
                            lead=Text(text="三、评估条件", style="section"),
                            columns=(
                                Column(header=("评估条件",), field="criterion", style="text"),
                                Column(header=("要求",), field="requirement", style="center"),
                                Column(header=("实际",), field="actual", style="center"),
                                Column(header=("是否达到",), field="met"),
                                Column(header=("依据",), field="source", style="text"),
                            ),
                        ),
                        Grid(
                            rows=(
                                (
                                    Text(text="评估结论：是否授予绩效证书", style="section"),
                                    Value(path="granted", style="center"),
                                    *labelled("未授予原因", "reason", 3, "text"),
                                ),
                            )
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 依据《山东省清洁生产审核绩效证书管理办法（试行）》"
                                "及《山东省清洁生产审核绩效证书评估标准》。",
                                "2. 实施方案以完成为准；削减量和节约量只计经主管部门核实的效果，"
                                "污染物按产生量、排放量分列。",
                                "3. 评估条件各注依据；文件未规定的门槛不作默认条件，"
                                "用户按评估标准设定的条件注明“用户设定”及参数。",
                            ),
                        ),
                        submission_lines(6, labels=SIGNATURE_LABELS),
                    ),
                ),
            )
        )

    def rules(self, report: Certificate) -> Iterable[Issue]:
        """合计 is the sum of the cost classes; the decision follows the criteria; a refusal says why."""
        by_class = {line.cost_class: (index, line) for index, line in enumerate(report.proposals)}
        if "合计" in by_class:
            index, total = by_class["合计"]
            parts = [line for name, (_, line) in by_class.items() if name != "合计"]
            for field in ("proposed", "implemented", "investment"):
                if getattr(total, field) != sum((getattr(line, field) for line in parts), 0):
                    yield error(
                        "shandong.certificate.total",
                        "合计应等于无/低费与中/高费之和",
                        "the total must equal the no/low-cost plus mid/high-cost lines",
                        pointer=self.pointer("proposals", index, field),
                        source=CERTIFICATE,
                    )
        for index, line in enumerate(report.proposals):
            # A proposal implemented is one of the audit's proposals put forward: a law, per cost class.
            if line.implemented > line.proposed:
                yield error(
                    "shandong.certificate.implemented-exceeds-proposed",
                    f"{line.cost_class}：实施方案数（{line.implemented}）不能大于提出方案数（{line.proposed}）",
                    f"{line.cost_class}: more proposals implemented ({line.implemented}) "
                    f"than put forward ({line.proposed})",
                    pointer=self.pointer("proposals", index, "implemented"),
                    source=STATISTICS,
                )
        for index, criterion in enumerate(report.criteria):
            if not criterion.source.strip():
                yield error(
                    "shandong.certificate.criterion-source",
                    f"评估条件“{criterion.criterion}”未注明依据",
                    f"the criterion {criterion.criterion!r} cites no source",
                    pointer=self.pointer("criteria", index, "source"),
                    source=CERTIFICATE,
                )
        all_met = all(line.met for line in report.criteria)
        if report.granted != all_met:
            yield error(
                "shandong.certificate.decision",
                "评估结论与评估条件不符：全部条件达到方可授予证书",
                "the decision does not follow the criteria: the certificate is granted when all are met",
                pointer=self.pointer("granted"),
                source=CERTIFICATE,
            )
        if not report.granted and not report.reason:
            yield error(
                "shandong.certificate.no-reason",
                "未授予证书时应写明原因",
                "a refused certificate must say why",
                pointer=self.pointer("reason"),
                source=CERTIFICATE,
            )


def _proposal_line(name: str, proposals: Sequence[Proposal]) -> ProposalLine:
    done = [p for p in proposals if _implemented(p)]
    return ProposalLine(
        cost_class=name,
        proposed=len(proposals),
        implemented=len(done),
        investment=sum((p.investment or Decimal(0) for p in done), Decimal(0)),
    )


def _criteria(
    criteria: Criteria,
    evaluation: Outcome | None,
    acceptance: Outcome | None,
    lines: list[ProposalLine],
    has_effect: bool,
) -> Iterator[CriterionLine]:
    def shown(outcome: Outcome | None) -> str:
        return outcome.zh if outcome else "无记录"

    if criteria.require_evaluation:
        yield CriterionLine(
            criterion="审核报告通过评估",
            requirement="通过",
            actual=shown(evaluation),
            met=evaluation is Outcome.PASSED,
            source=ACCEPTANCE,
        )
    if criteria.require_acceptance:
        yield CriterionLine(
            criterion="实施效果通过验收",
            requirement="通过",
            actual=shown(acceptance),
            met=acceptance is Outcome.PASSED,
            source=ACCEPTANCE,
        )
    rates = (("min_no_low_rate", criteria.min_no_low_rate), ("min_mid_high_rate", criteria.min_mid_high_rate))
    for line, (parameter, minimum) in zip(lines[:2], rates, strict=True):
        if minimum is None:
            continue
        rate = _rate(line.implemented, line.proposed)
        yield CriterionLine(
            criterion=f"{line.cost_class}方案实施率",
            requirement=f"≥{minimum}%",
            actual="无此类方案" if rate is None else f"{rate}%",
            met=rate is None or rate >= minimum,
            source=f"{USER_SET}（{parameter}={minimum}）",
        )
    if criteria.require_verified_effect:
        yield CriterionLine(
            criterion="有经核实的削减量或节约量",
            requirement="有",
            actual="有" if has_effect else "无",
            met=has_effect,
            source=f"{USER_SET}（require_verified_effect=true）",
        )
