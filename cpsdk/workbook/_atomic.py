"""Atomic file output: write to a temporary file beside the target, then rename it into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_target(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``.

    On any failure the temporary file is removed and whatever was at ``target``
    before is left untouched. A crash in between leaves at most a stray
    ``.<name>.*.tmp`` file, never a partial target.
    """
    final = Path(target)
    folder = final.parent if str(final.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    with contextlib.suppress(OSError):
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text to ``target`` atomically."""
    with atomic_target(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
