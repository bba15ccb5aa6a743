"""Fixtures of the Sichuan plugin's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import cpsdk


@pytest.fixture(autouse=True)
def fresh_plugins() -> Iterator[None]:
    """Each test starts with plugins loaded anew."""
    cpsdk.reset_plugins()
    yield
    cpsdk.reset_plugins()
