"""统一社会信用代码 (GB 32100-2015) checks, through python-stdnum."""

from __future__ import annotations

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from cpsdk.codes._regions import region_status

#: The nine places of the 主体标识码 take serials below this.
_SERIALS = 10**9


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


def example_uscc(region: str, serial: int) -> str:
    """A made-up but valid 统一社会信用代码 of an enterprise registered in ``region``, for test data.

    The 18 characters are ``91`` (registered by 市场监管 as an enterprise), ``region`` as six digits (a
    2- or 4-digit code padded with zeros: ``"14"`` → ``140000``), ``serial`` as the nine digits of the
    主体标识码, and the GB 32100 check character. Different serials give different codes; no register is
    consulted, so a code may belong to a real enterprise by chance. Raises :class:`ValueError` for a
    region code GB/T 2260 never had (retired codes are accepted) or a serial outside 0-999,999,999.
    """
    if region_status(region) == "unknown":
        raise ValueError(f"not a GB/T 2260 region code: {region[:20]!r}")
    if not 0 <= serial < _SERIALS:
        raise ValueError(f"the serial must be 0 to {_SERIALS - 1:,}, got {serial}")
    body = f"91{region.ljust(6, '0')}{serial:09d}"
    return body + uscc.calc_check_digit(body)
