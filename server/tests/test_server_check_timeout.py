"""The time limit of a check: a check that runs longer has its process killed and replaced, the upload is stored
as refused (``server.check-timeout``), nothing half-written is left, and the server serves others meanwhile; on
threads (``--workers 0``) the request is answered at the limit though the thread runs on."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import server_slow
from fastapi.testclient import TestClient
from server_helpers import FORM, YEAR, Books, login, make_server
from sqlalchemy import select

from cpsdk_server import cli, workflow
from cpsdk_server.checking import Checker
from cpsdk_server.config import CHECK_SECONDS
from cpsdk_server.models import AuditEntry, Submission, Upload
from cpsdk_server.storage import FileStore

LIMIT = 1.5


def _upload(client: TestClient, token: str, path: Path) -> httpx.Response:
    with path.open("rb") as handle:
        return client.post(
            "/api/uploads",
            data={"form": FORM, "year": str(YEAR)},
            files={"file": (path.name, handle)},
            headers={"X-CSRF-Token": token},
        )


def _ok(client: TestClient, token: str, path: Path) -> dict[str, Any]:
    answer = _upload(client, token, path)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    assert found["status"] == "ok", found["issues"]
    return found


def _leftovers(store: FileStore) -> list[str]:
    return sorted(path.name for path in store.root.iterdir() if path.name.startswith("."))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_check_over_the_limit_is_killed_and_refused(
    tmp_path: Path, books: Books, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workflow, "check_upload", server_slow.slow_check)  # a dataset is checked for ever
    with make_server(tmp_path / "data", database_url, workers=2, check_timeout=LIMIT) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        checker: Checker = services.checker
        store: FileStore = services.store
        token = login(client, "luohu-clerk")
        _ok(client, token, books.good["440303"])  # both processes started (and warm)
        _ok(client, token, books.good["440303"])
        before = checker.pids()
        assert len(before) == 2

        other = TestClient(client.app, raise_server_exceptions=False)
        other_token = login(other, "futian-clerk")
        answers: list[httpx.Response] = []
        began = time.monotonic()
        slow = threading.Thread(target=lambda: answers.append(_upload(client, token, books.dataset)))
        slow.start()
        deadline = time.monotonic() + 30
        while not any(name.startswith(".scratch-") for name in _leftovers(store)):  # the slow check is under way
            assert time.monotonic() < deadline and slow.is_alive()
            time.sleep(0.05)
        # meanwhile another clerk uploads (on the other process) and the pages answer
        _ok(other, other_token, books.good["440304"])
        assert other.get("/api/uploads").status_code == 200 and other.get("/").status_code == 200
        assert slow.is_alive()
        slow.join(60)
        elapsed = time.monotonic() - began
        assert not slow.is_alive() and LIMIT <= elapsed < LIMIT + 20

        # the upload is stored, refused, saying why
        assert answers[0].status_code == 200, answers[0].text
        refused = answers[0].json()
        assert refused["status"] == "refused" and refused["kind"] == "dataset" and refused["errors"] == 1
        (issue,) = refused["issues"]
        assert issue["code"] == "server.check-timeout"
        assert issue["message_zh"] == "检查超时（超过 1.5 秒），请拆分文件或联系管理员"
        assert "longer than 1.5 s" in issue["message_en"]
        page = client.get(f"/uploads/{refused['id']}")
        assert page.status_code == 200 and "检查超时（超过 1.5 秒）" in page.text
        assert client.post(f"/api/uploads/{refused['id']}/submit", headers={"X-CSRF-Token": token}).status_code == 400

        # its process was killed and replaced; what it left half-written is gone
        after = checker.pids()
        assert len(after) == 2
        (killed,) = set(before) - set(after)
        assert not _alive(killed)
        assert _leftovers(store) == []

        # the replaced process checks the next uploads (the queue gives each process one of the two)
        for _ in range(2):
            found = _ok(client, token, books.good["440303"])
        assert client.post(f"/api/uploads/{found['id']}/submit", headers={"X-CSRF-Token": token}).status_code == 200

        # nothing half-stored: the refused row points at no workbook or draft; every stored file has its hash
        with client.app.state.database.sessions() as db:  # type: ignore[attr-defined]
            row = db.get(Upload, refused["id"])
            assert row is not None
            assert row.workbook_sha256 is None and row.draft_sha256 is None and row.grid_json == "[]"
            uploads = list(db.scalars(select(Upload).order_by(Upload.id)))
            assert [item.status for item in uploads] == ["ok", "ok", "ok", "refused", "ok", "ok"]
            for item in uploads:
                for sha in (item.sha256, item.workbook_sha256, item.draft_sha256):
                    assert sha is None or store.verify(sha)
            assert len(list(db.scalars(select(Submission)))) == 1
            logged = [entry.detail for entry in db.scalars(select(AuditEntry).where(AuditEntry.action == "upload"))]
            assert f"{FORM} {YEAR} refused" in logged


def test_a_rollup_over_the_limit_is_refused(
    tmp_path: Path, books: Books, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with make_server(tmp_path / "data", database_url, workers=1, check_timeout=LIMIT) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        token = login(client, "luohu-clerk")
        found = _ok(client, token, books.good["440303"])
        entry = client.post(f"/api/uploads/{found['id']}/submit", headers={"X-CSRF-Token": token}).json()
        token = login(client, "sz-reviewer")
        assert client.post(f"/api/submissions/{entry['id']}/accept", headers={"X-CSRF-Token": token}).status_code == 200
        (before,) = services.checker.pids()
        monkeypatch.setattr(workflow, "build_rollup", server_slow.slow_rollup)
        answer = client.get("/api/rollup", params={"form": FORM, "year": YEAR})
        assert answer.status_code == 422
        assert answer.json() == {"error": "生成汇总超时（超过 1.5 秒），请联系管理员"}
        (after,) = services.checker.pids()
        assert after != before and not _alive(before)
        assert _leftovers(services.store) == []
        monkeypatch.undo()
        assert client.get("/api/rollup", params={"form": FORM, "year": YEAR}).status_code == 200


def test_on_threads_the_request_is_answered_at_the_limit(
    tmp_path: Path, books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def slow_check(*args: Any) -> Any:
        if args[1] == "dataset":
            release.wait(30)  # a thread cannot be stopped: the test lets it go once the request is answered
        return server_slow.check_upload(*args)

    monkeypatch.setattr(workflow, "check_upload", slow_check)
    with make_server(tmp_path / "data", "", workers=0, check_timeout=LIMIT) as client:
        token = login(client, "luohu-clerk")
        began = time.monotonic()
        answer = _upload(client, token, books.dataset)
        assert LIMIT <= time.monotonic() - began < LIMIT + 10
        assert answer.status_code == 200 and answer.json()["status"] == "refused"
        assert answer.json()["issues"][0]["code"] == "server.check-timeout"
        _ok(client, token, books.good["440303"])  # on the other thread, while the first still holds its own
        release.set()
        _ok(client, token, books.good["440303"])


def test_the_limit_is_a_server_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CPSDK_SERVE_CHECK_TIMEOUT", raising=False)
    assert cli.build_parser().parse_args([]).check_timeout == CHECK_SECONDS == 120
    assert cli.build_parser().parse_args(["--check-timeout", "2.5"]).check_timeout == 2.5
    assert cli.build_parser().parse_args(["--check-timeout", "0"]).check_timeout == 0  # no limit
    monkeypatch.setenv("CPSDK_SERVE_CHECK_TIMEOUT", "300")
    assert cli.build_parser().parse_args([]).check_timeout == 300
    for wrong in ("-1", "nan", "inf", "soon"):
        with pytest.raises(SystemExit):
            cli.build_parser().parse_args(["--check-timeout", wrong])
