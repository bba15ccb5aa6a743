"""The hooks Shandong implements: its four forms."""

from __future__ import annotations

from collections.abc import Iterable

from cpsdk import Form, hookimpl
from cpsdk_shandong.certificate import CertificateForm
from cpsdk_shandong.environmental_report import EnvironmentalReportForm
from cpsdk_shandong.plan_progress import PlanProgressForm
from cpsdk_shandong.statistics import StatisticsForm


@hookimpl
def cpsdk_register_forms() -> Iterable[Form]:
    """Statistics, performance certificate, environmental report and “12345” progress."""
    return [StatisticsForm(), CertificateForm(), EnvironmentalReportForm(), PlanProgressForm()]
