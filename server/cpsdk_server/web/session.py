"""Logging in and out: throttled, the session renewed at each login."""

from __future__ import annotations

import secrets

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from cpsdk_server.models import User
from cpsdk_server.passwords import verify_password
from cpsdk_server.throttle import clear_failures, is_locked, record_failure
from cpsdk_server.workflow import Refused


def client_address(request: Request) -> str:
    """The address a request comes from (the peer; no proxy header is trusted)."""
    return request.client.host if request.client else "unknown"


def log_in(request: Request, db: Session, name: str, password: str) -> User:
    """Check the name and password and start a new session; :class:`Refused` with a reason otherwise."""
    name = name.strip()[:64]
    address = client_address(request)
    if is_locked(db, name, address):
        raise Refused("登录失败次数过多，请 15 分钟后再试", 429)
    user = db.scalars(select(User).where(User.name == name)).first()
    db.commit()  # nothing written yet: the connection goes back to the pool while Argon2 works
    if not verify_password(user.password_hash if user is not None else None, password[:1024]) or (
        user is not None and not user.active
    ):
        record_failure(db, name, address)
        db.commit()
        raise Refused("用户名或密码错误", 401)
    assert user is not None
    clear_failures(db, name, address)
    db.commit()
    request.session.clear()
    request.session.update({"user": user.id, "pw": user.password_hash[-16:], "csrf": secrets.token_urlsafe(32)})
    return user


def log_out(request: Request) -> None:
    """End the session."""
    request.session.clear()


def keep_own_session(request: Request, actor: User, target: User) -> None:
    """After ``actor`` gave ``target`` a new password: every session of ``target`` has ended, but this one when
    the account is the actor's own (it is bound to the new hash)."""
    if target.id == actor.id:
        request.session["pw"] = target.password_hash[-16:]
