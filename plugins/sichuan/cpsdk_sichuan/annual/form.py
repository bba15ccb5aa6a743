"""``sichuan.annual-report`` — 附件3 ____市（州）201x年度工业清洁生产工作情况报送表."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from cpsdk import Dataset, Issue, LayoutForm, Period, Scope
from cpsdk.workbook import WorkbookLayout
from cpsdk_sichuan._scope import EXAMPLE_FILING, FiledByRegion, filing_region
from cpsdk_sichuan._source import cite
from cpsdk_sichuan.annual.build import build_annual
from cpsdk_sichuan.annual.layout import annual_layout
from cpsdk_sichuan.annual.merge import merge_annual
from cpsdk_sichuan.annual.report import AnnualReport
from cpsdk_sichuan.annual.rules import check_annual
from cpsdk_sichuan.industries import resolve_columns

#: Parameters that fill the header fields and the free-text sections.
TEXT_PARAMETERS = ("compiled_by", "filled_by", "contact", "other_work", "problems")


class AnnualReportForm(FiledByRegion, LayoutForm):
    """附件3 年度工业清洁生产工作情况报送表, built from records, checked, written, read and merged."""

    id = "sichuan.annual-report"
    title = "年度工业清洁生产工作情况报送表"
    layout_year = 2016
    period = Period.YEAR
    scope = Scope.CITY
    report_type = AnnualReport
    source = cite(3)
    example_params: ClassVar[Mapping[str, Any]] = EXAMPLE_FILING
    parameters = {
        "year": "报告年度 reporting year (default: the last year with an audit confirmed)",
        "region": "市（州）代码，或 51 全省 city or prefecture code, or 51 for the province (default 51)",
        "compiled_by": "填报单位 filing body",
        "filled_by": "填表人 filled in by",
        "contact": "联系方式 contact details",
        "other_work": "十一、其他相关工作 other related work (text)",
        "problems": "十二、存在的问题和建议 problems and suggestions (text)",
        "industry_columns": "第六项行业对照表 CSV (key,codes,tags) overriding the industry columns",
    }

    def build(self, dataset: Dataset, **params: Any) -> AnnualReport:
        """附件3 of ``region`` for ``year`` (see :mod:`cpsdk_sichuan.annual.build` for every figure)."""
        return self.build_with_issues(dataset, **params)[0]

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[AnnualReport, list[Issue]]:
        """The report and the warnings about records left out (discharge-basis effects, unknown industries)."""
        code, name = filing_region(params.get("region"))
        year = int(params.get("year") or _latest_year(dataset))
        header = {key: str(params[key]) for key in TEXT_PARAMETERS if params.get(key)}
        columns = resolve_columns(params.get("industry_columns"))
        return build_annual(dataset, region=code, region_name=name, year=year, columns=columns, header=header)

    def layout(self) -> WorkbookLayout:
        """The sheet as the attachment prints it (see :mod:`cpsdk_sichuan.annual.layout`)."""
        return annual_layout()

    def rules(self, report: AnnualReport) -> Iterable[Issue]:
        """The consistency rules (see :mod:`cpsdk_sichuan.annual.rules`)."""
        return check_annual(report)

    def merge(self, reports: Sequence[AnnualReport], **params: Any) -> AnnualReport:
        """The province's report from its cities' (see :mod:`cpsdk_sichuan.annual.merge`)."""
        header = {key: params[key] for key in TEXT_PARAMETERS if params.get(key)}
        return merge_annual(reports, region=params.get("region"), **header)


def _latest_year(dataset: Dataset) -> int:
    years = [audit.confirmed_on.year for audit in dataset.audits if audit.confirmed_on]
    return max(years, default=datetime.date.today().year - 1)
