"""Where the server keeps its data and the limits it works within."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

#: The largest upload accepted, in bytes: a province's five years as a workbook is a few megabytes.
MAX_UPLOAD_BYTES = 32 * 1024**2
#: How long a session lasts without logging in again, in seconds.
SESSION_SECONDS = 8 * 3600
#: How long one check (or roll-up) may run in a checking process before the process is killed, in seconds.
CHECK_SECONDS = 120.0
DATABASE_FILE = "cpsdk.sqlite3"
SECRET_FILE = "session.key"


@dataclass(frozen=True)
class Settings:
    """What one server instance runs with.

    ``data_dir`` holds the stored files (``files/``), the session secret and, unless ``database_url``
    names another database, the SQLite database.
    """

    data_dir: Path
    database_url: str = ""
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    #: Processes checking uploads; 0 checks on threads of this process (tests, small installations).
    check_workers: int = 2
    #: The time limit of one check or roll-up, in seconds (0: none); see :class:`cpsdk_server.checking.Checker`.
    check_timeout: float = CHECK_SECONDS
    #: Mark the session cookie Secure (behind HTTPS).
    secure_cookies: bool = False
    secret: str = field(default="", repr=False)

    @property
    def files_dir(self) -> Path:
        """Where uploaded and produced workbooks are stored, by SHA-256."""
        return self.data_dir / "files"

    def url(self) -> str:
        """The database URL: the one given, or the SQLite file in the data folder."""
        return self.database_url or f"sqlite:///{(self.data_dir / DATABASE_FILE).resolve()}"


def load_settings(data_dir: str | os.PathLike[str], database_url: str = "", **options: object) -> Settings:
    """Settings for ``data_dir``, creating it and its session secret on first start."""
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "files").mkdir(exist_ok=True)
    return Settings(data_dir=folder, database_url=database_url, secret=session_secret(folder), **options)  # type: ignore[arg-type]


def session_secret(folder: Path) -> str:
    """The key signing session cookies, made once and kept readable by the owner only."""
    path = folder / SECRET_FILE
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
