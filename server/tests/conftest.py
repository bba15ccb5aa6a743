"""Fixtures of the server's tests (defined in :mod:`server_helpers`, importable by the test modules)."""

from server_helpers import books, database_url, lite, server

__all__ = ["books", "database_url", "lite", "server"]
