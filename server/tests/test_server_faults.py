"""Faults: the server killed (SIGKILL) while uploads and submissions are under way, then restarted — nothing
half-stored, nothing submitted lost, every stored file matching its hash."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from server_helpers import FORM, PASSWORD, YEAR, Books
from sqlalchemy import select

from cpsdk_server.config import load_settings
from cpsdk_server.db import Database
from cpsdk_server.models import Submission, Upload
from cpsdk_server.storage import FileStore


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(data: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cpsdk_server", "--data", str(data), "--port", str(port), "--workers", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not start")


def _clerk(base: str, books: Books, submitted: list[int], stop: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        try:
            token = client.get("/api/session").json()["csrf_token"]
            client.post(
                "/api/login", json={"name": "luohu-clerk", "password": PASSWORD}, headers={"X-CSRF-Token": token}
            )
            token = client.get("/api/session").json()["csrf_token"]
            while not stop.is_set():
                with books.good["440303"].open("rb") as handle:
                    found = client.post(
                        "/api/uploads",
                        data={"form": FORM, "year": str(YEAR)},
                        files={"file": ("a.xlsx", handle)},
                        headers={"X-CSRF-Token": token},
                    )
                entry = client.post(f"/api/uploads/{found.json()['id']}/submit", headers={"X-CSRF-Token": token})
                if entry.status_code == 200:
                    submitted.append(entry.json()["id"])
        except (httpx.HTTPError, ValueError, KeyError):
            return  # the server died under us


def test_killed_during_uploads_and_restarted(tmp_path: Path, books: Books) -> None:
    data = tmp_path / "data"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cpsdk_server",
            "--data",
            str(data),
            "users",
            "add",
            "luohu-clerk",
            "--role",
            "county-clerk",
            "--region",
            "440303",
            "--password-stdin",
        ],
        input=PASSWORD.encode(),
        check=True,
        capture_output=True,
    )
    port = _port()
    base = f"http://127.0.0.1:{port}"
    submitted: list[int] = []
    for kill_after in (2.5, 1.7):
        server = _start(data, port)
        stop = threading.Event()
        clerks = [threading.Thread(target=_clerk, args=(base, books, submitted, stop)) for _ in range(3)]
        for clerk in clerks:
            clerk.start()
        time.sleep(kill_after)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        stop.set()
        for clerk in clerks:
            clerk.join(30)
    server = _start(data, port)  # restarts cleanly after the kill
    try:
        assert httpx.get(f"{base}/login").status_code == 200
    finally:
        server.terminate()
        server.wait(30)
    settings = load_settings(data)
    store = FileStore(settings.files_dir)
    database = Database(settings.url())
    with database.sessions() as db:
        stored = {entry.id: entry for entry in db.scalars(select(Submission))}
        uploads = list(db.scalars(select(Upload)))
    database.dispose()
    assert submitted and set(submitted) <= set(stored)  # every submission acknowledged is there
    for entry in stored.values():
        assert store.verify(entry.sha256)
    for row in uploads:
        assert store.verify(row.sha256)
    assert not list(store.root.glob(".incoming-*")) and not list(store.root.glob(".upload-*"))
