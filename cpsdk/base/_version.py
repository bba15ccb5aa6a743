"""The installed version of cpsdk, read lazily from package metadata."""

from __future__ import annotations

import functools
from importlib import metadata


@functools.cache
def sdk_version() -> str:
    """cpsdk's version, or ``0+unknown`` when run from a tree that is not installed."""
    try:
        return metadata.version("cpsdk")
    except metadata.PackageNotFoundError:
        return "0+unknown"
