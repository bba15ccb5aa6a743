"""The document Guangdong's forms come from, for citing it in issues."""

from __future__ import annotations

#: 广东省经济和信息化委员会等《关于全面推进清洁生产工作构建绿色制造体系的意见》(2016).
DOCUMENT = "广东省关于全面推进绿色清洁生产工作的意见（2016）"


def cite(part: str) -> str:
    """The citation of a part of the document: ``…意见（2016） 实施差别化审核制度``."""
    return f"{DOCUMENT} {part}"


TRACKS = cite("实施差别化审核制度")
REWARDS = cite("实施差异化奖惩")
PARKS = cite("园区清洁生产审核率80%以上")
TARGETS = cite("“十三五”目标")
DISCLOSURE = cite("信息公开")
SYSTEM = cite("清洁生产信息管理系统（县—市—省逐级上报）")
