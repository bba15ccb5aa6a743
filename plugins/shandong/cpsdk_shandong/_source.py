"""The documents Shandong's forms come from, for citing them in issues.

Seed 002 is the Shandong Environmental Protection Department's exchange material at the
ministry's training for key enterprises (part one) and the news of the 12th-FYP plan
(part five); clauses are cited by the material's own headings.
"""

from __future__ import annotations

#: The exchange material itself (seed 002, part one).
MATERIAL = "山东省环保厅《重点企业清洁生产培训班交流材料》"
#: Its totals since the law: “自《清洁生产促进法》颁布以来，我省共有778家企业开展了清洁生产审核工作……”.
STATISTICS = f"{MATERIAL} 一、基本情况"
#: Its pilot of enterprise environmental reports: “共有57家试点企业开展报告书编制……38家企业完成编制工作，并向社会发布”.
ENVIRONMENTAL_REPORTS = f"{MATERIAL} 二、（五）"
#: Its evaluation and acceptance: the certificate documents and 鲁环函〔2009〕14号 (“严把清洁生产审核评估验收关”).
ACCEPTANCE = f"{MATERIAL} 二、（四）；鲁环函〔2009〕14号"
#: The performance certificate and its evaluation standard, named in 二、（四）.
CERTIFICATE = "《山东省清洁生产审核绩效证书管理办法（试行）》《山东省清洁生产审核绩效证书评估标准》"
#: The enterprise environmental report, local standard in force 2009-01-01.
ENVIRONMENTAL_REPORT = "DB37/T 1086-2008《山东省企业环境报告书编制指南》"
#: The 12th-FYP plan and its "12345" action plan (seed 002, part five).
PLAN = "《山东省清洁生产“十二五”推行规划》“12345”行动计划"
