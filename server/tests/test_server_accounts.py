"""Accounts: the province administrator's page (add, disable, enable, reset a password within its region's
subtree) and ``cpsdk-serve users``; every change in the audit log, sessions ended by a disable or a new password."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_helpers import PASSWORD, login
from sqlalchemy import select

from cpsdk_server import cli
from cpsdk_server.models import AuditEntry, User

NEW_PASSWORD = "battery-staple-7"


def _id(client: TestClient, name: str) -> int:
    with client.app.state.database.sessions() as db:  # type: ignore[attr-defined]
        found = db.scalars(select(User.id).where(User.name == name)).first()
    assert found is not None
    return int(found)


def _actions(client: TestClient) -> list[tuple[str, str]]:
    with client.app.state.database.sessions() as db:  # type: ignore[attr-defined]
        return [(row.action, row.user_name) for row in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _other(client: TestClient, name: str) -> TestClient:
    """A second browser on the same server, logged in as ``name``."""
    other = TestClient(client.app, raise_server_exceptions=False)
    login(other, name)
    assert other.get("/api/uploads").status_code == 200
    return other


def test_the_administrator_manages_accounts_of_its_province(server: TestClient) -> None:
    clerk = _other(server, "luohu-clerk")
    token = login(server, "gd-admin")
    page = server.get("/users")
    assert page.status_code == 200 and "luohu-clerk" in page.text and "sc-admin" not in page.text
    luohu = _id(server, "luohu-clerk")
    assert f'action="/users/{luohu}/disable"' in page.text

    # add, within the province only
    added = server.post(
        "/users",
        data={
            "name": "nanshan-clerk",
            "role": "county-clerk",
            "region": "440305",
            "password": PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    outside = server.post(
        "/users",
        data={
            "name": "cd-clerk",
            "role": "county-clerk",
            "region": "510104",
            "password": PASSWORD,
            "csrf_token": token,
        },
    )
    assert outside.status_code == 404
    _other(server, "nanshan-clerk")

    # disable: the clerk's session ends at once, and it cannot log in again
    answer = server.post(f"/users/{luohu}/disable", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    assert clerk.get("/api/uploads").status_code == 401
    assert (
        clerk.post(
            "/api/login",
            json={"name": "luohu-clerk", "password": PASSWORD},
            headers={"X-CSRF-Token": clerk.get("/api/session").json()["csrf_token"]},
        ).status_code
        == 401
    )
    assert "停用" in server.get("/users").text
    assert server.post(f"/users/{luohu}/enable", data={"csrf_token": token}).status_code == 200
    clerk = _other(server, "luohu-clerk")

    # reset: the old password and the sessions made with it stop working
    short = server.post(f"/users/{luohu}/password", data={"password": "short", "csrf_token": token})
    assert short.status_code == 400 and "至少 10 个字符" in short.text
    assert clerk.get("/api/uploads").status_code == 200
    answer = server.post(
        f"/users/{luohu}/password", data={"password": NEW_PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert clerk.get("/api/uploads").status_code == 401
    clerk.cookies.clear()
    session_token = clerk.get("/api/session").json()["csrf_token"]
    headers = {"X-CSRF-Token": session_token}
    assert (
        clerk.post("/api/login", json={"name": "luohu-clerk", "password": PASSWORD}, headers=headers).status_code == 401
    )
    assert (
        clerk.post("/api/login", json={"name": "luohu-clerk", "password": NEW_PASSWORD}, headers=headers).status_code
        == 200
    )

    # the administrator's own password: its own session stays; it cannot disable itself
    admin = _id(server, "gd-admin")
    assert (
        server.post(
            f"/users/{admin}/password", data={"password": NEW_PASSWORD, "csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )
    assert server.get("/users").status_code == 200
    refused = server.post(f"/users/{admin}/disable", data={"csrf_token": token})
    assert refused.status_code == 400 and "不能停用自己的账户" in refused.text

    logged = _actions(server)
    assert ("account-add", "gd-admin") in logged
    assert ("account-disable", "gd-admin") in logged and ("account-enable", "gd-admin") in logged
    assert logged.count(("account-password", "gd-admin")) == 2
    page = server.get("/audit").text
    assert "停用账户" in page and "重置密码" in page and NEW_PASSWORD not in page


@pytest.mark.parametrize("name", ["sc-admin", "sz-reviewer", "luohu-clerk", "gz-reviewer"])
def test_no_one_else_manages_an_account(server: TestClient, name: str) -> None:
    futian = _id(server, "futian-clerk")
    token = login(server, name)
    for path, data in (("disable", {}), ("enable", {}), ("password", {"password": NEW_PASSWORD})):
        answer = server.post(f"/users/{futian}/{path}", data={**data, "csrf_token": token})
        assert answer.status_code in (403, 404), (name, path, answer.status_code)
    if name != "sc-admin":
        assert server.get("/users").status_code == 403
    assert server.post("/users/999999/disable", data={"csrf_token": token}).status_code in (403, 404)
    # no token, no change: the CSRF check comes first
    assert server.post(f"/users/{futian}/disable", data={}).status_code == 403
    assert not any(action.startswith("account-") and action != "account-add" for action, _ in _actions(server))
    _other(server, "futian-clerk")


def _run(monkeypatch: pytest.MonkeyPatch, data: Path, url: str, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["--data", str(data), *(["--db", url] if url else []), "users", *argv])


def test_users_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str
) -> None:
    data = tmp_path / "data"
    assert (
        _run(
            monkeypatch,
            data,
            database_url,
            "add",
            "gd-admin",
            "--role",
            "province-admin",
            "--region",
            "44",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        == 0
    )
    assert (
        _run(
            monkeypatch,
            data,
            database_url,
            "add",
            "luohu-clerk",
            "--role",
            "county-clerk",
            "--region",
            "440303",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        == 0
    )
    capsys.readouterr()
    assert _run(monkeypatch, data, database_url, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["gd-admin\tprovince-admin\t44\tactive", "luohu-clerk\tcounty-clerk\t440303\tactive"]
    assert _run(monkeypatch, data, database_url, "disable", "luohu-clerk") == 0
    assert _run(monkeypatch, data, database_url, "list", "--region", "4403") == 0
    assert capsys.readouterr().out.splitlines() == ["luohu-clerk\tcounty-clerk\t440303\tdisabled"]
    assert _run(monkeypatch, data, database_url, "enable", "luohu-clerk") == 0
    assert _run(monkeypatch, data, database_url, "passwd", "luohu-clerk", "--password-stdin", stdin="short\n") == 2
    assert "至少 10 个字符" in capsys.readouterr().err
    assert (
        _run(monkeypatch, data, database_url, "passwd", "luohu-clerk", "--password-stdin", stdin=NEW_PASSWORD + "\n")
        == 0
    )
    assert _run(monkeypatch, data, database_url, "disable", "nobody") == 2
    assert "没有名为 nobody 的账户" in capsys.readouterr().err

    from cpsdk_server.config import load_settings
    from cpsdk_server.db import Database
    from cpsdk_server.passwords import verify_password

    database = Database(load_settings(data, database_url).url())
    try:
        with database.sessions() as db:
            user = db.scalars(select(User).where(User.name == "luohu-clerk")).one()
            assert user.active and verify_password(user.password_hash, NEW_PASSWORD)
            logged = [(row.action, row.user_name, row.detail) for row in db.scalars(select(AuditEntry))]
    finally:
        database.dispose()
    assert [action for action, _, _ in logged] == [
        "account-add",
        "account-add",
        "account-disable",
        "account-enable",
        "account-password",
    ]
    assert all(name == "(命令行)" and NEW_PASSWORD not in detail for _, name, detail in logged)
    assert re.fullmatch(r"luohu-clerk password reset", logged[-1][2])
