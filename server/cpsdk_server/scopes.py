"""Roles and regions: who may see and do what. Every route asks :func:`require_scope` (or a helper built on
it) before touching an object, so pages and API are refused alike.

A region is a GB/T 2260 code of 2 (province), 4 (prefecture, 市) or 6 (county, 县) digits; a user's subtree
is every code starting with its own.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import cpsdk
from cpsdk.codes import region, region_children, region_full_name, region_parent


class Role(str, enum.Enum):
    """What an account may do, from the bottom up."""

    COUNTY_CLERK = "county-clerk"
    CITY_REVIEWER = "city-reviewer"
    PROVINCE_ADMIN = "province-admin"

    @property
    def label(self) -> str:
        """The role's name in Chinese."""
        return {"county-clerk": "区县填报员", "city-reviewer": "地市审核员", "province-admin": "省级管理员"}[self.value]


#: The region level each role belongs to (digits of its code).
ROLE_LEVEL = {Role.COUNTY_CLERK: 6, Role.CITY_REVIEWER: 4, Role.PROVINCE_ADMIN: 2}


class ScopeError(Exception):
    """An action outside the user's region or role: refused (404 for objects, 403 for actions)."""


def valid_region(code: str) -> bool:
    """Whether ``code`` is a current GB/T 2260 region code."""
    return code.isascii() and code.isdigit() and len(code) in (2, 4, 6) and region(code) is not None


def region_problem(role: Role, code: str) -> str | None:
    """Why ``code`` cannot be the region of an account of ``role``, in Chinese, or None."""
    if not valid_region(code):
        return f"{code!r} 不是现行的 GB/T 2260 行政区划代码"
    if len(code) != ROLE_LEVEL[role] and not (role is Role.COUNTY_CLERK and len(code) == 4):
        return f"{role.label}的地区应为 {ROLE_LEVEL[role]} 位代码"
    return None


def in_scope(user_region: str, object_region: str) -> bool:
    """Whether ``object_region`` lies in the subtree of ``user_region``."""
    return bool(object_region) and object_region.startswith(user_region)


def require_scope(user_region: str, object_region: str) -> None:
    """Refuse (:class:`ScopeError`) an object outside the user's subtree: the one check every route makes."""
    if not in_scope(user_region, object_region):
        raise ScopeError(object_region)


def can_review(role: str, user_region: str, parent_region: str) -> bool:
    """Whether a user reviews what is submitted to ``parent_region``: reviewers and admins, of that region."""
    return role in (Role.CITY_REVIEWER, Role.PROVINCE_ADMIN) and parent_region == user_region


def parent_of(code: str) -> str | None:
    """The region a submission of ``code`` goes to, or None for a province."""
    parent = region_parent(code)
    return parent.code if parent is not None else None


def children_of(code: str) -> list[str]:
    """The regions that submit to ``code``: a province's prefectures, a prefecture's counties."""
    return [child.code for child in region_children(code)]


def region_label(code: str) -> str:
    """The full Chinese name of a region, or its code when unknown."""
    return region_full_name(code) or code


def _province_of_plugins(forms: Iterable[cpsdk.Form]) -> dict[str, str]:
    """Each plugin's province code, from the forms of it that name one (``region_within``)."""
    found: dict[str, str] = {}
    for form in forms:
        within = getattr(form, "region_within", None)
        if isinstance(within, str) and len(within) >= 2:
            found.setdefault(form.id.split(".", 1)[0], within[:2])
    return found


def forms_for(user_region: str) -> list[cpsdk.Form]:
    """The forms a user of ``user_region`` files: its province's and the national ones (newest layouts)."""
    forms = cpsdk.list_forms()
    provinces = _province_of_plugins(forms)
    newest: dict[str, cpsdk.Form] = {}
    for form in forms:
        prefix = form.id.split(".", 1)[0]
        ours = prefix == "national" or provinces.get(prefix) == user_region[:2]
        if ours and (form.id not in newest or form.layout_year > newest[form.id].layout_year):
            newest[form.id] = form
    return sorted(newest.values(), key=lambda form: form.id)


def form_for(user_region: str, form_id: str) -> cpsdk.Form:
    """The form ``form_id`` if the user's province files it; :class:`ScopeError` otherwise."""
    for form in forms_for(user_region):
        if form.id == form_id:
            return form
    raise ScopeError(form_id)


def is_public_form(form: cpsdk.Form) -> bool:
    """Whether a form is published to everyone: marked ``public`` by its plugin, or a disclosure (公示)."""
    return bool(getattr(form, "public", False)) or form.id.endswith(".disclosure")
