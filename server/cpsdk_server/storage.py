"""Stored files, named by their SHA-256: written once (temporary file, fsync, rename), never changed."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

CHUNK = 1024 * 1024


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
        descriptor, temporary = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
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

    def clean(self) -> int:
        """Remove the temporary files a crash left behind (never a stored file); how many there were."""
        left = [path for pattern in (".incoming-*", ".upload-*") for path in self.root.glob(pattern)]
        for path in left:
            path.unlink(missing_ok=True)
        return len(left)

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


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
