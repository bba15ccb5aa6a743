"""Stored files, named by their SHA-256: written once (temporary file, fsync, rename), never changed.

Temporary files and folders in the store are named after the process making them (``.incoming-PID-…``,
``.scratch-PID-…``), so that what a checking process killed mid-work leaves behind is removed when it is killed
(:meth:`FileStore.clean_after`), and what a killed server leaves at its next start (:meth:`FileStore.clean`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

CHUNK = 1024 * 1024
#: Prefixes of the store's temporary files and folders (never a stored file's name, which is its SHA-256).
TEMPORARY_PREFIXES = (".incoming-", ".upload-", ".scratch-")


class FileStore:
    """A folder of files named by content hash, two levels deep."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the file of ``sha256`` is (or would be)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / sha256

    def put_file(self, source: Path) -> str:
        """Store a copy of ``source``; returns its SHA-256. Storing the same content again is a no-op."""
        digest = hashlib.sha256()
        self.root.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.root, prefix=f".incoming-{os.getpid()}-")
        try:
            with os.fdopen(descriptor, "wb") as out, source.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path(sha)
            target.parent.mkdir(exist_ok=True)
            if target.exists() and self.verify(sha):
                os.unlink(temporary)
            else:
                os.replace(temporary, target)
                _fsync_dir(target.parent)
            return sha
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def scratch(self) -> tempfile.TemporaryDirectory[str]:
        """A temporary folder in the store (so that a file written there is renamed into it), named after this
        process: removed on leaving the ``with`` block, or by :meth:`clean_after` when the process is killed."""
        return tempfile.TemporaryDirectory(dir=self.root, prefix=f".scratch-{os.getpid()}-")

    def clean(self) -> int:
        """Remove the temporary files a crash left behind (never a stored file); how many there were.

        Only at start, before any upload: it removes every process's temporaries."""
        return _remove([path for prefix in TEMPORARY_PREFIXES for path in self.root.glob(f"{prefix}*")])

    def clean_after(self, pid: int) -> int:
        """Remove what the process ``pid`` (a checking process just killed) left half-written; how many."""
        prefixes = (f".incoming-{pid}-", f".scratch-{pid}-")
        return _remove([path for prefix in prefixes for path in self.root.glob(f"{prefix}*")])

    def verify(self, sha256: str) -> bool:
        """Whether the stored file of ``sha256`` is there and still has that hash."""
        path = self.path(sha256)
        if not path.is_file():
            return False
        return sha256_of(path) == sha256


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _remove(paths: list[Path]) -> int:
    """Remove temporary files and folders; how many there were."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return len(paths)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
