"""Sichuan's cleaner-production forms for cpsdk (川经信环资〔2016〕153号).

- ``sichuan.audit-plan`` — 附件1 “十三五”清洁生产审核计划 (:mod:`cpsdk_sichuan.audit_plan`)
- ``sichuan.retrofit-plan`` — 附件2 年度工业清洁生产改造计划 (:mod:`cpsdk_sichuan.retrofit_plan`)
- ``sichuan.annual-report`` — 附件3 年度工业清洁生产工作情况报送表 (:mod:`cpsdk_sichuan.annual`)

The plugin registers them through the ``cpsdk`` entry point (:mod:`cpsdk_sichuan.plugin`)
and uses only cpsdk's public API.
"""

from importlib.metadata import PackageNotFoundError, version

from cpsdk_sichuan.annual import AnnualReport, AnnualReportForm
from cpsdk_sichuan.audit_plan import AuditPlan, AuditPlanForm
from cpsdk_sichuan.industries import COLUMNS, IndustryColumn, columns_from_csv
from cpsdk_sichuan.retrofit_plan import RetrofitPlan, RetrofitPlanForm

try:
    __version__ = version("cpsdk-sichuan")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "COLUMNS",
    "AnnualReport",
    "AnnualReportForm",
    "AuditPlan",
    "AuditPlanForm",
    "IndustryColumn",
    "RetrofitPlan",
    "RetrofitPlanForm",
    "__version__",
    "columns_from_csv",
]
