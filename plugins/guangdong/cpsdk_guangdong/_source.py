"""The document Guangdong's forms come from, and the clauses they cite.

Each clause is named as the seed prints it (in simplified script): the heading, then the
item number within it, so that a reader finds it in 《广东省关于全面推进绿色清洁生产工作的意见》.
"""

from __future__ import annotations

#: 广东省经济和信息化委员会、环境保护厅《广东省关于全面推进绿色清洁生产工作的意见》(2016).
DOCUMENT = "广东省关于全面推进绿色清洁生产工作的意见（2016）"


def cite(part: str) -> str:
    """The citation of a part of the document: ``…意见（2016） 实施差别化审核制度``."""
    return f"{DOCUMENT} {part}"


TRACKS = cite("实施差别化审核制度")
#: 第1、2项: the report of a 简化/规范审核 is filed (备案) with the city.
FILED = cite("实施差别化审核制度 第1、2项")
#: 第3、4项: 市级验收 and the provincial title are accepted (验收).
ACCEPTED = cite("实施差别化审核制度 第3、4项")
REWARDS = cite("完善差异化奖惩机制 第1、2项")
PARKS = cite("推动企业实施清洁生产 第7项（园区内企业清洁生产审核率务求超过80%）")
TARGETS = cite("工作目标")
#: The 12th-FYP results: audits counted as completed (“共有6,979家次企业完成清洁生产审核工作”) and
#: the proposals, investment, benefit and savings of those enterprises.
RESULTS = cite("“十二五”期间（共有6,979家次企业完成清洁生产审核工作…这些企业…每年可节能368万吨标煤）")
DISCLOSURE = cite("完善清洁生产信息公开制度 第2项")
SYSTEM = cite("清洁生产审核信息化管理 第1项（省、市、县三级统一平台，逐级上报、分类统计）")
#: Where a form a unit submits is stamped: the enterprise registers and files online, and each level reports
#: to the one above (逐级上报) — the submitting unit, who filled the form in, a telephone and the date.
SUBMITTED = cite("清洁生产审核信息化管理 第1项（企业网上注册申报……逐级上报）")
