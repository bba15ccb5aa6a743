"""Pausing Python's cyclic garbage collector while large structures of records are built.

Records hold no reference cycles, so the collector never frees one; but it is triggered
by every few hundred new containers and, every so often, walks every object alive. With
a province's or the country's records loaded (a million objects and more), building an
index or a report makes it walk them again and again: at the province size a third of
the time of building the national indicators went to it (writing a workbook with them
loaded, a few percent). Loading, building, and writing and reading workbooks run paused.
Paused, nothing is lost: a collection runs as usual once the collector is enabled again.

The switch is process-wide: another thread's work runs paused too while a build does,
and overlapping builds in several threads restore the collector when the first to have
paused it ends. Either way only the timing of collections changes, never what is freed.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block (or the decorated function) with the cyclic collector off, then restore it."""
    if not gc.isenabled():
        yield  # nested, or paused by the caller: leave it as it is
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
