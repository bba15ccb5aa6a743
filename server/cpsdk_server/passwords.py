"""Password hashing with Argon2id (argon2-cffi), memory-hard."""

from __future__ import annotations

import os
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
#: Verified against when the account does not exist, so that a wrong name takes as long as a wrong password.
_DUMMY = _HASHER.hash("cpsdk-no-such-account")
MIN_LENGTH = 10
#: Argon2id takes 64 MiB per hash: at most this many run at once (a burst of logins waits instead of taking
#: 64 MiB for each of the server's threads), which costs no throughput, the work being bound by the CPUs anyway.
_AT_ONCE = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``."""
    with _AT_ONCE:
        return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the hash ``stored`` (None: no account; always False, after the same work)."""
    try:
        with _AT_ONCE:
            return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be used, in Chinese, or None."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 个字符"
    if len(password) > 1024:
        return "密码过长"
    return None
