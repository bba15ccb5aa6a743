"""What every route depends on: the database session, the logged-in user, the CSRF check."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from cpsdk_server.db import Database
from cpsdk_server.models import User
from cpsdk_server.workflow import Services

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(Exception):
    """No one is logged in (a page redirects to the login page; the API answers 401)."""


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token."""


def services(request: Request) -> Services:
    """The server's services."""
    found: Services = request.app.state.services
    return found


def database(request: Request) -> Iterator[Session]:
    """A session for this request, rolled back unless the route committed it."""
    db: Database = request.app.state.database
    with db.sessions() as session:
        try:
            yield session
        finally:
            session.rollback()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing request unless it carries the session's token, in the header or the form."""
    expected = request.session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("multipart/form-data", "application/x-www-form-urlencoded")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
        raise CsrfRefused


def optional_user(request: Request, db: Session = Depends(database)) -> User | None:
    """The logged-in user, or None."""
    user_id = request.session.get("user")
    if not isinstance(user_id, int):
        return None
    user = db.get(User, user_id)
    # End the read: the connection goes back to the pool until the route itself uses the database. A request
    # waiting for a thread (or reading its upload) then holds none: under a province's collection at once,
    # more requests are in flight than the pool has connections.
    db.commit()
    if user is None or not user.active or request.session.get("pw") != user.password_hash[-16:]:
        return None
    return user


def current_user(user: User | None = Depends(optional_user)) -> User:
    """The logged-in user; :class:`LoginRequired` otherwise."""
    if user is None:
        raise LoginRequired
    return user
