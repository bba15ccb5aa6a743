"""Accounts: added from the command line or by a province administrator, every change logged."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from cpsdk_server import audit
from cpsdk_server.models import User, now
from cpsdk_server.passwords import hash_password, password_problem
from cpsdk_server.scopes import Role, ScopeError, region_problem, require_scope

_NAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,64}$")


class AccountError(Exception):
    """An account that cannot be made or changed as asked; the message (Chinese) says why, ``status`` is the HTTP
    status (400, or 403 for an account that does not manage accounts)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def require_admin(actor: User) -> None:
    """Refuse (403) unless ``actor`` is a province administrator: only they manage accounts."""
    if actor.role != Role.PROVINCE_ADMIN:
        raise AccountError("只有省级管理员可以管理账户", 403)


def managed(db: Session, actor: User, user_id: int) -> User:
    """The account ``user_id``, which ``actor`` manages: 403 for any role but a province administrator, 404
    (:class:`ScopeError`) when there is no such account or it lies outside the administrator's region."""
    require_admin(actor)
    found = db.get(User, user_id)
    if found is None:
        raise ScopeError(str(user_id))
    require_scope(actor.region, found.region)
    return found


def add_user(db: Session, actor: User | None, name: str, role: str, region: str, password: str) -> User:
    """Add an account; ``actor`` None is the command line (the first administrator is made this way), otherwise
    a province administrator adding one within its region."""
    if actor is not None:
        require_admin(actor)
    if not _NAME.match(name):
        raise AccountError("用户名应为 2—64 个字母、数字、汉字或 _.-")
    try:
        chosen = Role(role)
    except ValueError:
        raise AccountError(f"角色应为 {', '.join(item.value for item in Role)}") from None
    problem = region_problem(chosen, region) or password_problem(password)
    if problem:
        raise AccountError(problem)
    if actor is not None:
        require_scope(actor.region, region)  # another province's region: 404, as any object
    if db.scalars(select(User).where(User.name == name)).first() is not None:
        raise AccountError(f"用户名 {name} 已存在")
    user = User(
        name=name,
        password_hash=hash_password(password),
        role=chosen.value,
        region=region,
        active=True,
        created_at=now(),
    )
    db.add(user)
    db.flush()
    audit.append(db, actor, "account-add", "user", user.id, region, "", f"{name} {chosen.value} {region}")
    return user


def _may_manage(actor: User | None, user: User) -> None:
    """Refuse unless ``actor`` (None: the command line) administers ``user``'s region; never one's own access."""
    if actor is None:
        return
    require_scope(actor.region, user.region)  # another region's account: 404, as any object
    require_admin(actor)


def set_active(db: Session, actor: User | None, user: User, active: bool) -> None:
    """Enable or disable an account; a disabled account's sessions end at their next request."""
    _may_manage(actor, user)
    if actor is not None and actor.id == user.id and not active:
        raise AccountError("不能停用自己的账户")
    user.active = active
    action = "account-enable" if active else "account-disable"
    audit.append(db, actor, action, "user", user.id, user.region, "", f"{user.name} active={active}")


def set_password(db: Session, actor: User | None, user: User, password: str) -> None:
    """Give ``user`` a new password; every session of the account ends (a session is bound to the hash)."""
    _may_manage(actor, user)
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    audit.append(db, actor, "account-password", "user", user.id, user.region, "", f"{user.name} password reset")


def find_user(db: Session, name: str) -> User:
    """The account named ``name``; :class:`AccountError` if there is none."""
    user = db.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise AccountError(f"没有名为 {name} 的账户")
    return user


def users_in(db: Session, region: str) -> list[User]:
    """The accounts of a region's subtree."""
    return list(db.scalars(select(User).where(User.region.startswith(region)).order_by(User.region, User.name)))
