"""Atomic file output: write to a temporary file beside the target, then rename it into place.

A target that is a symlink is written through: the file it points to is replaced (atomically,
beside it), and the link stays, as ``cp`` and shell redirection do. A target that is, or
points to, anything but a regular file (a device, a pipe, a socket, a directory) is refused
with :class:`~cpsdk.OutputError` before anything is written: replacing ``/dev/null`` or a pipe
another program reads with a regular file would break that program.
"""

from __future__ import annotations

import contextlib
import os
import stat
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
    final = output_target(target)
    folder = final.parent
    handle, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as stream:
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); the result gets the permissions of the file it replaces,
        # or those any newly created file would get.
        os.chmod(temporary, _mode_of(final))
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


def output_target(target: str | os.PathLike[str]) -> Path:
    """The file a write to ``target`` replaces: ``target`` itself, or the file its symlinks lead to.

    Raises :class:`~cpsdk.OutputError` when that is not a regular file (nor a file yet to be made in
    a folder that exists): a device, a pipe (``/dev/stdout`` on a pipe among them), a socket, a
    directory, or a loop of symlinks.
    """
    from cpsdk.base._errors import OutputError

    try:
        mode = os.stat(target).st_mode  # through every symlink, as the write would go
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a loop of symlinks, a name too long, a folder that cannot be searched
        raise OutputError(f"{target} cannot be written: {exc.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{target} is a directory; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"{target} is not a regular file (a device, pipe or socket); nothing is written to it")
    final = Path(os.path.realpath(target))
    if mode is None and not final.parent.is_dir():
        raise OutputError(f"{target} cannot be written: its folder {final.parent} does not exist")
    return final


def _mode_of(target: Path) -> int:
    """The permission bits ``target`` has, or those a new file gets under the process's umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux says it without changing it (os.umask can only be read by setting it, for every thread)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text to ``target`` atomically."""
    with atomic_target(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
