"""``shandong.plan-progress`` — 清洁生产“十二五”推行规划“12345”行动计划 完成情况.

The plan's seven targets (seed 002, part five: “‘十二五’期间，该省将实施清洁生产‘12345’行动计划”),
each with the figure achieved and the percent of the target. The targets are for the 12th
FYP, 2011–2015: the span is 2011–2015 by default, may end earlier (progress to date) and
never runs past 2015 — a later ``year`` counts to 2015, with a note. How each is achieved
from the records of the region:

- 制定行业清洁生产地方标准 (10个) and 推广清洁生产重点技术 (300项): not in the records;
  given by the user (``standards=``, ``technologies=``); otherwise the cell is left empty, with a
  warning on it.
- 建设清洁生产示范园区 (20个): demonstration titles granted to parks in the span (any level).
- 培育清洁生产专业咨询服务机构 (20家): consultancy agencies of the region registered by the
  end of the span and not withdrawn.
- 培育清洁生产先进单位 (400家): distinct enterprises whose audit was accepted in the span at
  level II or better (国内清洁生产先进水平, the national plan's 先进企业 level).
- 清洁生产审核并通过评估验收企事业单位 (5000家): distinct enterprises whose audit was accepted
  in the span.
- 培训清洁生产管理及审核人员 (5000人次): person-times of the trainings in the span for
  清洁生产管理人员 and 审核人员 (audiences 政府管理人员 and 清洁生产审核人员). Trainings of
  enterprise staff are not of 管理及审核人员 and are left out, with a note of their person-times.

Percent = achieved ÷ target × 100, rounded half-up to two decimals.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from cpsdk import (
    Audience,
    CleanerProductionLevel,
    Dataset,
    DemonstrationKind,
    Issue,
    LayoutForm,
    Period,
    Scope,
    decimal_parameter,
    describe,
    error,
    titled,
    warning,
)
from cpsdk.workbook import Column, Notes, SheetLayout, Table, Title, WorkbookLayout
from cpsdk_shandong._scope import NamedRegion, percent, shandong_region, span
from cpsdk_shandong._source import PLAN

USER = "用户提供"
RECORDS = "据记录统计"
#: The 12th FYP, the period of the “12345” targets.
PLAN_FIRST, PLAN_LAST = 2011, 2015


@titled("目标完成情况", "Progress on one target")
@attrs.frozen(kw_only=True)
class Target:
    """One target of the “12345” plan."""

    target: str = describe("目标", "Target")
    unit: str = describe("单位", "Unit")
    planned: int = describe("规划目标", "Planned")
    achieved: Decimal | None = describe("完成值", "Achieved", default=None)
    percent: Decimal | None = describe("完成比例（%）", "Percent of the target", default=None)
    how: str = describe("数据来源", "Where the figure comes from")


@titled("“12345”行动计划完成情况", "Progress of the 12345 action plan")
@attrs.frozen(kw_only=True)
class PlanProgress:
    """The seven targets for a region of Shandong over a span."""

    region: str = describe("地区代码", "Region code", schema={"pattern": "^37([0-9]{2}){0,2}$"})
    region_name: str = describe("地区", "Region")
    start_year: int = describe("起始年度", "First year")
    end_year: int = describe("截止年度", "Last year")
    targets: tuple[Target, ...] = describe("目标", "Targets", factory=tuple)


Counter = Callable[[Dataset, datetime.date, datetime.date], int]


def _parks(data: Dataset, start: datetime.date, end: datetime.date) -> int:
    return len({d.id for d in data.demonstrations if d.kind is DemonstrationKind.PARK and start <= d.granted_on <= end})


def _agencies(data: Dataset, start: datetime.date, end: datetime.date) -> int:
    return sum(
        1
        for a in data.agencies
        if (a.registered_on is None or a.registered_on <= end) and (a.withdrawn_on is None or a.withdrawn_on > end)
    )


def _accepted(levels: tuple[CleanerProductionLevel, ...] | None) -> Counter:
    def count(data: Dataset, start: datetime.date, end: datetime.date) -> int:
        return len(
            {
                a.enterprise
                for a in data.audits
                if a.accepted
                and a.accepted_on is not None
                and start <= a.accepted_on <= end
                and (levels is None or a.level in levels)
            }
        )

    return count


#: Who “清洁生产管理及审核人员” are: managers (政府管理人员) and auditors (清洁生产审核人员).
MANAGERS_AND_AUDITORS = frozenset({Audience.GOVERNMENT, Audience.AUDITOR})


def _trained(data: Dataset, start: datetime.date, end: datetime.date) -> int:
    """Person-times of the trainings of 清洁生产管理及审核人员 (managers and auditors) in the span."""
    return sum(
        t.person_times for t in data.trainings if t.audience in MANAGERS_AND_AUDITORS and start <= t.held_on <= end
    )


def _others_trained(data: Dataset, start: datetime.date, end: datetime.date) -> int:
    """Person-times of the other trainings in the span (enterprise staff), which the target does not count."""
    return sum(
        t.person_times for t in data.trainings if t.audience not in MANAGERS_AND_AUDITORS and start <= t.held_on <= end
    )


#: (target, unit, planned, user parameter or None, counter from the records)
TARGETS: tuple[tuple[str, str, int, str | None, Counter | None], ...] = (
    ("制定行业清洁生产地方标准", "个", 10, "standards", None),
    ("建设清洁生产示范园区", "个", 20, None, _parks),
    ("培育清洁生产专业咨询服务机构", "家", 20, None, _agencies),
    ("推广清洁生产重点技术", "项", 300, "technologies", None),
    ("培育清洁生产先进单位", "家", 400, None, _accepted((CleanerProductionLevel.I, CleanerProductionLevel.II))),
    ("清洁生产审核并通过评估验收企事业单位", "家", 5000, None, _accepted(None)),
    ("培训清洁生产管理及审核人员", "人次", 5000, None, _trained),
)


class PlanProgressForm(NamedRegion, LayoutForm):
    """“12345”行动计划完成情况表."""

    id = "shandong.plan-progress"
    title = "清洁生产“12345”行动计划完成情况"
    layout_year = 2011
    period = Period.PLAN_PERIOD
    scope = Scope.REGION
    report_type = PlanProgress
    source = PLAN
    parameters = {
        "year": "截止年度 last year, 2011 to 2015 (default 2015; a later year counts to 2015)",
        "start_year": "起始年度 first year, 2011 to 2015 (default 2011)",
        "region": "地区代码 region of Shandong (default 37)",
        "standards": "已制定的行业清洁生产地方标准数 standards issued (not in the records)",
        "technologies": "已推广的清洁生产重点技术数 key technologies promoted (not in the records)",
    }
    #: The demo shows the plan over its own years.
    example_params: ClassVar[Mapping[str, Any]] = {"year": PLAN_LAST}

    def build(self, dataset: Dataset, **params: Any) -> PlanProgress:
        """The seven targets of ``region`` over ``start_year`` … ``year``."""
        return self.build_with_issues(dataset, **params)[0]

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[PlanProgress, list[Issue]]:
        """The progress, and a warning for each target whose figure the user did not give."""
        code, name = shandong_region(params.get("region"))
        notes: list[Issue] = []
        asked = int(params.get("year") or PLAN_LAST)
        if asked > PLAN_LAST:
            notes.append(
                warning(
                    "shandong.plan.after-plan",
                    f"“12345”行动计划为“十二五”（{PLAN_FIRST}—{PLAN_LAST}年）目标，统计截至{PLAN_LAST}年，"
                    f"未计入{PLAN_LAST + 1}—{asked}年",
                    f"the 12345 targets are for {PLAN_FIRST}-{PLAN_LAST}: counted to {PLAN_LAST}, "
                    f"not {PLAN_LAST + 1}-{asked}",
                    pointer="/end_year",
                    source=PLAN,
                )
            )
        start_year, end_year = span({**params, "year": min(asked, PLAN_LAST)}, PLAN_FIRST, PLAN_LAST)
        if start_year < PLAN_FIRST:
            raise ValueError(f"the 12345 targets are for {PLAN_FIRST}-{PLAN_LAST}: start_year {start_year} is before")
        data = dataset.in_region(code)
        start, end = datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31)
        targets: list[Target] = []
        left_out = _others_trained(data, start, end)
        if left_out:
            notes.append(
                warning(
                    "shandong.plan.training-left-out",
                    f"企业人员培训 {left_out} 人次不属于清洁生产管理及审核人员，未计入",
                    f"{left_out} person-times of enterprise staff trained are not 管理及审核人员 "
                    "(management and audit staff) and are not counted",
                    pointer=f"/targets/{len(TARGETS) - 1}/achieved",
                    source=PLAN,
                )
            )
        for index, (target, unit, planned, parameter, counter) in enumerate(TARGETS):
            achieved: Decimal | None
            if counter is not None:
                achieved, how = Decimal(counter(data, start, end)), RECORDS
            elif params.get(parameter or "") not in (None, ""):
                achieved, how = decimal_parameter(params[parameter or ""], parameter or "", minimum=0), USER
            else:
                achieved, how = None, USER
                notes.append(
                    warning(
                        "shandong.plan.not-given",
                        f"“{target}”无法从记录统计，未提供完成值，单元格留空；请以参数 {parameter} 提供",
                        f"{target!r} cannot be counted from the records and was not given, so its cell is empty; "
                        f"give it as the parameter {parameter}",
                        pointer=f"/targets/{index}/achieved",
                        source=PLAN,
                    )
                )
            share = percent(achieved, Decimal(planned)) if achieved is not None else None
            targets.append(Target(target=target, unit=unit, planned=planned, achieved=achieved, percent=share, how=how))
        report = PlanProgress(
            region=code, region_name=name, start_year=start_year, end_year=end_year, targets=tuple(targets)
        )
        return report, notes

    def layout(self) -> WorkbookLayout:
        """One line per target: planned, achieved, percent and where the figure comes from."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="12345完成情况",
                    columns=(8, 36, 8, 12, 14, 14, 16),
                    landscape=True,
                    blocks=(
                        Title(template="{region_name}清洁生产“12345”行动计划完成情况（{start_year}—{end_year}年）"),
                        Table(
                            rows="targets",
                            columns=(
                                Column(header=("序号",), field="#"),
                                Column(header=("目标",), field="target", style="text"),
                                Column(header=("单位",), field="unit", style="center"),
                                Column(header=("规划目标",), field="planned"),
                                Column(header=("完成值",), field="achieved", decimals=-1),
                                Column(header=("完成比例（%）",), field="percent", decimals=-1),
                                Column(header=("数据来源",), field="how", style="center"),
                            ),
                        ),
                        Notes(
                            title="说明：",
                            lines=(
                                "1. 目标依据《山东省清洁生产“十二五”推行规划》“12345”行动计划。",
                                "2. 完成比例 = 完成值 ÷ 规划目标 × 100%，四舍五入保留两位小数。",
                                "3. 先进单位指评估验收达到国内清洁生产先进水平（II级）及以上的企业。",
                                "4. 培训人次只计清洁生产管理及审核人员（政府管理人员、清洁生产审核人员），"
                                "企业一般人员培训不计入。",
                                "5. 完成值无法从记录统计、又无用户数据的，单元格留空。",
                            ),
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: PlanProgress) -> Iterable[Issue]:
        """The span is within the plan's 2011-2015; percent follows from achieved and planned; nothing is negative."""
        if not PLAN_FIRST <= report.start_year <= report.end_year <= PLAN_LAST:
            yield error(
                "shandong.plan.period",
                f"“12345”行动计划为“十二五”（{PLAN_FIRST}—{PLAN_LAST}年）目标，统计期间应在其内",
                f"the 12345 targets are for {PLAN_FIRST}-{PLAN_LAST}: the span must lie within it",
                pointer=self.pointer("end_year"),
                source=PLAN,
            )
        for index, target in enumerate(report.targets):
            expected = percent(target.achieved, Decimal(target.planned)) if target.achieved is not None else None
            if target.percent != expected:
                yield error(
                    "shandong.plan.percent",
                    f"“{target.target}”完成比例应为 {expected}%",
                    f"{target.target!r}: the percent must be {expected}",
                    pointer=self.pointer("targets", index, "percent"),
                    source=PLAN,
                )
            if target.achieved is not None and target.achieved < 0:
                yield error(
                    "shandong.plan.negative",
                    "完成值不能为负数",
                    "the achieved figure must not be negative",
                    pointer=self.pointer("targets", index, "achieved"),
                    source=PLAN,
                )
