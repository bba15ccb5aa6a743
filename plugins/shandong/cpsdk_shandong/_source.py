"""The documents Shandong's forms come from, for citing them in issues."""

from __future__ import annotations

#: 山东省环境保护厅清洁生产工作交流材料: the statistics since the 清洁生产促进法 came into force.
STATISTICS = "山东省环境保护厅 清洁生产工作交流材料（审核统计）"
#: The performance certificate and its evaluation standard.
CERTIFICATE = "《山东省清洁生产审核绩效证书管理办法（试行）》《山东省清洁生产审核绩效证书评估标准》"
#: The enterprise environmental report, local standard in force 2009-01-01.
ENVIRONMENTAL_REPORT = "DB37/T 1086-2008《山东省企业环境报告书编制指南》"
#: The 12th-FYP plan and its "12345" action plan.
PLAN = "《山东省清洁生产“十二五”推行规划》“12345”行动计划"
