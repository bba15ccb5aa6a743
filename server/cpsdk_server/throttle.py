"""Login throttling: after :data:`MAX_FAILURES` failures of one account from one address within
:data:`WINDOW`, that account is refused from that address until the window has passed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cpsdk_server.models import LoginFailure, now

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


def is_locked(db: Session, name: str, address: str) -> bool:
    """Whether logging in as ``name`` from ``address`` is refused for now."""
    since = now() - WINDOW
    count = db.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.name == name[:64], LoginFailure.address == address[:64], LoginFailure.at >= since)
    )
    return (count or 0) >= MAX_FAILURES


def record_failure(db: Session, name: str, address: str) -> None:
    """Count one failed login."""
    db.add(LoginFailure(name=name[:64], address=address[:64], at=now()))


def clear_failures(db: Session, name: str, address: str) -> None:
    """Forget the failures of ``name`` from ``address`` after a successful login."""
    db.execute(delete(LoginFailure).where(LoginFailure.name == name[:64], LoginFailure.address == address[:64]))
