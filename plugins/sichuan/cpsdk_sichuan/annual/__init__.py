"""附件3 年度工业清洁生产工作情况报送表: report, figures, layout, rules and merge."""

from cpsdk_sichuan.annual.form import AnnualReportForm
from cpsdk_sichuan.annual.report import AnnualReport

__all__ = ["AnnualReport", "AnnualReportForm"]
