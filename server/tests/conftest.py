"""Fixtures of the server's tests (defined in :mod:`server_helpers`, importable by the test modules)."""

import pytest
from server_helpers import books, database_url, server

__all__ = ["books", "database_url", "server"]


def pytest_configure(config: pytest.Config) -> None:
    """The server's marker (registered here, so that both the server's and the repository's pytest know it)."""
    config.addinivalue_line("markers", "load_smoke: a quick run of benchmarks/server_load.py (-m 'not load_smoke')")
