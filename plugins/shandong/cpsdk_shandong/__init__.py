"""Shandong's cleaner-production forms for cpsdk.

- ``shandong.statistics`` — 清洁生产审核工作统计表 in Shandong's units (:mod:`cpsdk_shandong.statistics`)
- ``shandong.certificate`` — 清洁生产审核绩效证书评估表 (:mod:`cpsdk_shandong.certificate`)
- ``shandong.environmental-report`` — DB37/T 1086-2008 审核前后污染物排放情况表
  (:mod:`cpsdk_shandong.environmental_report`)
- ``shandong.plan-progress`` — “12345”行动计划完成情况 (:mod:`cpsdk_shandong.plan_progress`)

Shandong's document describes its system rather than printing forms; these are designed
from it, and use only cpsdk's public API.
"""

from importlib.metadata import PackageNotFoundError, version

from cpsdk_shandong.certificate import Certificate, CertificateForm, Criteria
from cpsdk_shandong.environmental_report import EnvironmentalReport, EnvironmentalReportForm
from cpsdk_shandong.plan_progress import PlanProgress, PlanProgressForm
from cpsdk_shandong.statistics import Statistics, StatisticsForm

try:
    __version__ = version("cpsdk-shandong")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Certificate",
    "CertificateForm",
    "Criteria",
    "EnvironmentalReport",
    "EnvironmentalReportForm",
    "PlanProgress",
    "PlanProgressForm",
    "Statistics",
    "StatisticsForm",
    "__version__",
]
