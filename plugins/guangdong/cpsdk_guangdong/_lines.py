"""The submission lines of Guangdong's forms, placed under the form (see :func:`cpsdk.submission_lines`).

Every form a unit hands in upwards carries 填报单位（盖章）, 填表人, 联系电话 and 填报日期: the
enterprise files its audit (实施差别化审核制度 第1、2项: the report is filed with the 地级以上市) and each
level reports to the one above (清洁生产审核信息化管理 第1项: 企业网上注册申报……逐级上报,
:data:`cpsdk_guangdong._source.SUBMITTED`). The document prints no form, so the lines go where a receiving
office looks for the stamp: at the foot of the sheet, under the notes.
"""

from __future__ import annotations

from cpsdk import submission_lines
from cpsdk.workbook import Grid


def signed(width: int, indent: int = 0) -> Grid:
    """The two submission lines across a sheet ``width`` columns wide, starting ``indent`` columns in (past a
    narrow 序号 column, so that each label has the room to print unwrapped)."""
    return submission_lines(width, indent=indent)
