"""Checks made slow on purpose, for the time limit's tests: module-level functions, so that a checking process
(started by ``spawn``, with the tests' ``sys.path``) imports them by name as it does the real ones."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from cpsdk_server.checking import CheckResult, check_upload
from cpsdk_server.sniff import DATASET
from cpsdk_server.storage import FileStore

#: Longer than any limit the tests set: only the limit ends a slow check.
SLOW_SECONDS = 60.0
#: The scratch folders of slow checks, kept from the garbage collector (which would remove them).
_KEPT: list[tempfile.TemporaryDirectory[str]] = []


def _half_written(files: str) -> None:
    """Leave what a check killed mid-work leaves: a scratch folder with a partial workbook, and a partial file
    being stored."""
    store = FileStore(Path(files))
    scratch = store.scratch()
    _KEPT.append(scratch)  # never cleaned up by this process: it is killed first
    (Path(scratch.name) / "out.xlsx").write_bytes(b"PK\x03\x04 half a workbook")
    (store.root / f".incoming-{os.getpid()}-partial").write_bytes(b"half a file")


def slow_check(path: str, kind: str, form_id: str, year: int, region: str, files: str) -> CheckResult:
    """:func:`check_upload`, but a dataset (JSON) is checked for ever: it leaves half-written files and sleeps."""
    if kind == DATASET:
        _half_written(files)
        time.sleep(SLOW_SECONDS)
    return check_upload(path, kind, form_id, year, region, files)


def slow_rollup(form_id: str, paths: list[str], files: str) -> tuple[str | None, list[dict[str, Any]]]:
    """A roll-up that never ends."""
    _half_written(files)
    time.sleep(SLOW_SECONDS)
    return None, []
