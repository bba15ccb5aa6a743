"""Reading the type hints of cpsdk's attrs classes: one answer to "what is inside ``X | None``"."""

from __future__ import annotations

import types
import typing
from typing import Any


def optional_inner(hint: Any) -> Any:
    """``X`` for ``X | None`` (one type ``X``), None for any other hint."""
    if typing.get_origin(hint) not in (typing.Union, types.UnionType):
        return None
    args = typing.get_args(hint)
    if len(args) != 2 or type(None) not in args:
        return None
    return args[0] if args[1] is type(None) else args[1]


def is_union(hint: Any) -> bool:
    """True for a union hint (``X | Y``, ``Optional[X]``)."""
    return typing.get_origin(hint) in (typing.Union, types.UnionType)
