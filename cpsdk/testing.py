"""Test support for cpsdk and its plugins (needs the ``test`` extra: pytest, hypothesis).

:func:`load_hypothesis_profile` registers the profiles every cpsdk test suite uses and
loads one: ``ci`` when the ``CI`` environment variable is set (derandomized, bounded,
no deadline), ``dev`` otherwise, or the one named by ``HYPOTHESIS_PROFILE``
(``thorough`` for a long local run). Call it from a ``conftest.py``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILES = ("ci", "dev", "thorough")


def load_hypothesis_profile() -> str:
    """Register the ``ci``, ``dev`` and ``thorough`` profiles and load the one this run asks for."""
    settings.register_profile(
        "ci",
        max_examples=40,
        derandomize=True,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.register_profile("dev", max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile(
        "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    name = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    settings.load_profile(name)
    return name
