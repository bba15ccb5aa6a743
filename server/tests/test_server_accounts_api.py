"""Accounts through the JSON API (``/api/users``): the province administrator lists, adds, disables, enables and
resets the password of the accounts of its province, as on its page; no one else does; every change is in the
audit log; the routes are in the OpenAPI document. On each database."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from server_helpers import PASSWORD
from sqlalchemy import select

from cpsdk_server.models import AuditEntry, User

NEW_PASSWORD = "battery-staple-7"


def _log_in(client: TestClient, name: str, password: str = PASSWORD) -> dict[str, str]:
    """Log ``name`` in through the API; the headers of its POST requests."""
    client.cookies.clear()
    token = client.get("/api/session").json()["csrf_token"]
    answer = client.post("/api/login", json={"name": name, "password": password}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200, answer.text
    return {"X-CSRF-Token": answer.json()["csrf_token"]}


def _browser(client: TestClient, name: str) -> TestClient:
    """A second client on the same server, logged in as ``name``."""
    other = TestClient(client.app, raise_server_exceptions=False)
    _log_in(other, name)
    assert other.get("/api/uploads").status_code == 200
    return other


def _id(client: TestClient, name: str) -> int:
    with client.app.state.database.sessions() as db:  # type: ignore[attr-defined]
        found = db.scalars(select(User.id).where(User.name == name)).first()
    assert found is not None
    return int(found)


def _account_lines(client: TestClient) -> list[tuple[str, str, str]]:
    """(action, by whom, detail) of every account change logged after the test's accounts were made."""
    with client.app.state.database.sessions() as db:  # type: ignore[attr-defined]
        rows = db.scalars(select(AuditEntry).where(AuditEntry.user_name != "(命令行)").order_by(AuditEntry.id))
        return [(row.action, row.user_name, row.detail) for row in rows if row.action.startswith("account-")]


def test_the_administrator_manages_accounts_through_the_api(server: TestClient) -> None:
    clerk = _browser(server, "luohu-clerk")
    headers = _log_in(server, "gd-admin")

    listed = server.get("/api/users")
    assert listed.status_code == 200
    names = {item["name"]: item for item in listed.json()}
    assert {"gd-admin", "sz-reviewer", "luohu-clerk", "futian-clerk", "gz-reviewer", "yuexiu-clerk"} == set(names)
    luohu = names["luohu-clerk"]
    assert luohu["role"] == "county-clerk" and luohu["region"] == "440303" and luohu["active"] is True
    assert luohu["region_name"].endswith("罗湖区") and "password" not in str(listed.json())

    # add, within the province only, with the page's rules
    body = {"name": "nanshan-clerk", "role": "county-clerk", "region": "440305", "password": PASSWORD}
    added = server.post("/api/users", json=body, headers=headers)
    assert added.status_code == 200, added.text
    assert added.json()["name"] == "nanshan-clerk" and added.json()["active"] is True
    _browser(server, "nanshan-clerk")
    refusals: list[tuple[dict[str, Any], int, str]] = [
        (body, 400, "已存在"),
        ({**body, "name": "n2", "password": "short"}, 400, "至少 10 个字符"),
        ({**body, "name": "n3", "role": "city-reviewer"}, 400, "4 位代码"),
        ({**body, "name": "n4", "role": "root"}, 400, "角色应为"),
        ({**body, "name": "<script>"}, 400, "用户名应为"),
        ({**body, "name": "cd-clerk", "region": "510104"}, 404, "不在本账户的地区范围内"),
    ]
    for wrong, status, reason in refusals:
        answer = server.post("/api/users", json=wrong, headers=headers)
        assert answer.status_code == status and reason in answer.json()["error"], (wrong, answer.text)
    assert server.post("/api/users", json={"name": "n5"}, headers=headers).status_code == 422

    # disable: the clerk's session ends at once; enable
    answer = server.post(f"/api/users/{luohu['id']}/disable", headers=headers)
    assert answer.status_code == 200 and answer.json()["active"] is False
    assert clerk.get("/api/uploads").status_code == 401
    assert not next(item for item in server.get("/api/users").json() if item["name"] == "luohu-clerk")["active"]
    answer = server.post(f"/api/users/{luohu['id']}/enable", headers=headers)
    assert answer.status_code == 200 and answer.json()["active"] is True
    clerk = _browser(server, "luohu-clerk")

    # a new password: refused when short; otherwise the account's sessions end and the old password fails
    short = server.post(f"/api/users/{luohu['id']}/password", json={"password": "short"}, headers=headers)
    assert short.status_code == 400 and "至少 10 个字符" in short.json()["error"]
    assert clerk.get("/api/uploads").status_code == 200
    answer = server.post(f"/api/users/{luohu['id']}/password", json={"password": NEW_PASSWORD}, headers=headers)
    assert answer.status_code == 200 and answer.json()["name"] == "luohu-clerk"
    assert clerk.get("/api/uploads").status_code == 401
    clerk.cookies.clear()
    token = {"X-CSRF-Token": clerk.get("/api/session").json()["csrf_token"]}
    old = clerk.post("/api/login", json={"name": "luohu-clerk", "password": PASSWORD}, headers=token)
    assert old.status_code == 401
    _log_in(clerk, "luohu-clerk", NEW_PASSWORD)

    # its own account: a new password keeps this session; never disabled
    admin = _id(server, "gd-admin")
    own = server.post(f"/api/users/{admin}/password", json={"password": NEW_PASSWORD}, headers=headers)
    assert own.status_code == 200 and server.get("/api/users").status_code == 200
    refused = server.post(f"/api/users/{admin}/disable", headers=headers)
    assert refused.status_code == 400 and refused.json() == {"error": "不能停用自己的账户"}
    assert server.get("/api/session").json()["user"]["name"] == "gd-admin"

    # every change in the audit log, by the administrator, never a password
    assert [(action, by) for action, by, _ in _account_lines(server)] == [
        ("account-add", "gd-admin"),
        ("account-disable", "gd-admin"),
        ("account-enable", "gd-admin"),
        ("account-password", "gd-admin"),
        ("account-password", "gd-admin"),
    ]
    logged = server.get("/api/audit").json()
    assert {"account-add", "account-disable", "account-enable", "account-password"} <= {
        entry["action"] for entry in logged
    }
    assert NEW_PASSWORD not in str(logged) and PASSWORD not in str(logged)


@pytest.mark.parametrize("name", ["sz-reviewer", "luohu-clerk", "futian-clerk", "sc-admin", None])
def test_no_one_else_manages_accounts_through_the_api(server: TestClient, name: str | None) -> None:
    futian = _id(server, "futian-clerk")
    if name is None:  # not logged in, with a valid CSRF token of its anonymous session
        headers = {"X-CSRF-Token": server.get("/api/session").json()["csrf_token"]}
    else:
        headers = _log_in(server, name)
    expected = {None: (401,), "sc-admin": (404,)}.get(name, (403,))

    listed = server.get("/api/users")
    if name == "sc-admin":  # its own province's accounts only
        assert listed.status_code == 200 and [item["name"] for item in listed.json()] == ["sc-admin"]
    else:
        assert listed.status_code == expected[0]
    body = {"name": "intruder", "role": "county-clerk", "region": "440304", "password": NEW_PASSWORD}
    assert server.post("/api/users", json=body, headers=headers).status_code in expected
    for path, data in (("disable", None), ("enable", None), ("password", {"password": NEW_PASSWORD})):
        answer = server.post(f"/api/users/{futian}/{path}", json=data, headers=headers)
        assert answer.status_code in expected, (name, path, answer.status_code)
        if name is not None:
            assert server.post(f"/api/users/999999/{path}", json=data, headers=headers).status_code in (403, 404)
    # no token, no change: the CSRF check comes first
    assert server.post(f"/api/users/{futian}/disable").status_code == 403
    assert server.post("/api/users", json=body).status_code == 403

    assert _account_lines(server) == []
    with server.app.state.database.sessions() as db:  # type: ignore[attr-defined]
        assert db.scalars(select(User).where(User.name == "intruder")).first() is None
    _browser(server, "futian-clerk")  # still active, its password unchanged


def test_the_accounts_api_is_documented(server: TestClient) -> None:
    spec = server.get("/api/openapi.json").json()
    assert set(spec["paths"]["/api/users"]) == {"get", "post"}
    for path in ("/api/users/{user_id}/disable", "/api/users/{user_id}/enable", "/api/users/{user_id}/password"):
        assert "post" in spec["paths"][path]
    schemas = spec["components"]["schemas"]
    assert {"AccountOut", "AccountIn", "PasswordIn"} <= set(schemas)
    assert "password" not in schemas["AccountOut"]["properties"]
    page = server.get("/api/docs").text
    assert "/api/users/{user_id}/password" in page and "重置密码" in page
