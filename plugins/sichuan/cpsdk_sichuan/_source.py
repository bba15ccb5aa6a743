"""The document the forms come from, for citing it in issues."""

from __future__ import annotations

#: 四川省经济和信息化委员会《关于进一步做好工业清洁生产工作的通知》, 2016-06-01.
DOCUMENT = "川经信环资〔2016〕153号"


def cite(attachment: int, note: int | None = None) -> str:
    """The citation of an attachment, or of one of its 填报说明 notes: ``川经信环资〔2016〕153号 附件3 填报说明[3]``."""
    text = f"{DOCUMENT} 附件{attachment}"
    return f"{text} 填报说明[{note}]" if note is not None else text
