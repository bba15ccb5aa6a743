"""The hooks Sichuan implements: its three forms.

cpsdk records the distribution's name and version on each form when it registers it.
"""

from __future__ import annotations

from collections.abc import Iterable

from cpsdk import Form, hookimpl
from cpsdk_sichuan.annual import AnnualReportForm
from cpsdk_sichuan.audit_plan import AuditPlanForm
from cpsdk_sichuan.retrofit_plan import RetrofitPlan2021Form, RetrofitPlanForm


@hookimpl
def cpsdk_register_forms() -> Iterable[Form]:
    """附件1, 附件2 (its 2016 and 2021 layouts) and 附件3 of 川经信环资〔2016〕153号."""
    return [AuditPlanForm(), RetrofitPlanForm(), RetrofitPlan2021Form(), AnnualReportForm()]
