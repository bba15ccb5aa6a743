"""GB/T 4754-2017 国民经济行业分类: sections (门类), divisions (大类), groups (中类), classes (小类).

The table has no row for a 中类 with a single 小类 (e.g. 019 appears only as 0190):
such groups are derived from their class and take its name.
"""

from __future__ import annotations

import functools

import attrs

from cpsdk.codes._tables import read_table


@attrs.frozen
class Industry:
    """One node of the classification."""

    code: str
    name: str
    section: str
    level: int


@functools.cache
def _industries() -> dict[str, Industry]:
    table: dict[str, Industry] = {}
    for row in read_table("gbt4754-2017.csv"):
        table[row["code"]] = Industry(row["code"], row["name"], row["section"], int(row["level"]))
    for code, node in list(table.items()):
        if node.level == 4 and code[:3] not in table:
            table[code[:3]] = Industry(code[:3], node.name, node.section, 3)
    return table


def all_industries() -> tuple[Industry, ...]:
    """Every node of GB/T 4754-2017 (sections, 大类, 中类, 小类), by code."""
    return tuple(sorted(_industries().values(), key=lambda i: i.code))


def industry(code: str) -> Industry | None:
    """The node with this code (a section letter or 2-4 digits), or None."""
    return _industries().get(code)


def is_industry(code: str) -> bool:
    """True when ``code`` is a numeric GB/T 4754-2017 code (2, 3 or 4 digits)."""
    return code.isdigit() and code in _industries()


def industry_name(code: str) -> str | None:
    """The node's name, e.g. ``水泥制造`` for ``3011``."""
    node = industry(code)
    return node.name if node else None


def industry_ancestors(code: str) -> tuple[Industry, ...]:
    """The section and the broader codes above ``code``, outermost first (not ``code`` itself)."""
    node = industry(code)
    if node is None or not code.isdigit():
        return ()
    table = _industries()
    chain = [table[node.section]]
    chain.extend(table[code[:n]] for n in (2, 3) if n < len(code) and code[:n] in table)
    return tuple(chain)
