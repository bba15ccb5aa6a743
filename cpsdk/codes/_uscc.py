"""统一社会信用代码 (GB 32100-2015) checks, through python-stdnum."""

from __future__ import annotations

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


def uscc_problem(code: str) -> tuple[str, str] | None:
    """None for a valid code; otherwise what is wrong, in Chinese and English."""
    if uscc.compact(code) != code:
        return "含空格或小写字母", "contains spaces, separators or lower-case letters"
    try:
        uscc.validate(code)
    except InvalidLength:
        return "长度应为18位", "must be 18 characters long"
    except InvalidChecksum:
        return "校验码错误", "the check character is wrong"
    except (InvalidFormat, InvalidComponent):
        return "格式错误", "is not well formed"
    return None
