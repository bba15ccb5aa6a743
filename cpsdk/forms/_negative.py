"""Figures a form prints that are below zero: a count of enterprises or a sum of investment never is.

Every number of a report (an ``int`` or a ``Decimal`` anywhere in its attrs tree, rows included; not a ``bool``)
is a figure; a form names the fields that may be signed (:attr:`LayoutForm.signed_fields`, e.g. a change from
last year) and those are left alone. A report read from a workbook typed by hand (a clerk's −3 in 简化审核) or
built from records with a negative amount gets one error per negative figure, pinned to its cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs

from cpsdk.base._issues import Issue, error
from cpsdk.workbook import path_pointer

#: Fields that are never figures: years and the like, which a negative value would break elsewhere first.
_NOT_FIGURES = frozenset({"year", "start_year", "end_year", "layout_year"})


def negative_figures(report: Any, signed: frozenset[str] = frozenset()) -> Iterator[Issue]:
    """An error for each negative number of ``report``, unless its field's name is in ``signed``."""
    for path, value in _numbers(report, ()):
        if value < 0 and not any(part in signed for part in path if isinstance(part, str)):
            yield error(
                "form.negative",
                f"数值不能为负数：{value}",
                f"a figure cannot be negative: {value}",
                pointer=path_pointer(path),
            )


def _numbers(node: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], int | Decimal]]:
    if isinstance(node, bool):
        return
    if isinstance(node, (int, Decimal)):
        if not (isinstance(node, Decimal) and not node.is_finite()):
            yield path, node
        return
    if attrs.has(type(node)):
        for field in attrs.fields(type(node)):
            if field.name not in _NOT_FIGURES:
                yield from _numbers(getattr(node, field.name), (*path, field.name))
    elif isinstance(node, (tuple, list)):
        for position, item in enumerate(node):
            yield from _numbers(item, (*path, position))
