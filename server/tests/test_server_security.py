"""Security: scopes on every route for every role, CSRF, escaping, upload limits, hostile files, no tracebacks;
on each database (SQLite, and PostgreSQL when CPSDK_TEST_DATABASE_URL names one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from server_helpers import FORM, YEAR, Books, csrf_of, login, make_server, upload
from server_hostile import corpus
from sqlalchemy import func, select

from cpsdk_server.app import ROUTERS
from cpsdk_server.models import Review, Submission, User

OUTSIDERS = ["yuexiu-clerk", "gz-reviewer", "sc-admin", "futian-clerk"]


def _luohu_objects(client: TestClient, books: Books) -> tuple[int, int]:
    """An upload and a submission of 罗湖区 (440303), submitted to 深圳市."""
    token = login(client, "luohu-clerk")
    upload_id = upload(client, token, books.good["440303"])
    answer = client.post(f"/api/uploads/{upload_id}/submit", headers={"X-CSRF-Token": token})
    assert answer.status_code == 200
    return upload_id, answer.json()["id"]


def _routes() -> list[APIRoute]:
    """Every route of the application's routers."""
    return [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]


def _object_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every route that names an upload, a submission or an account."""
    routes = []
    for route in _routes():
        if isinstance(route, APIRoute) and any(
            key in route.path for key in ("{upload_id}", "{submission_id}", "{user_id}")
        ):
            routes.extend((method, route.path) for method in sorted(route.methods))
    return routes


def _call(client: TestClient, method: str, path: str, token: str) -> int:
    headers = {"X-CSRF-Token": token}
    if method == "GET":
        return client.get(path, headers=headers, follow_redirects=False).status_code
    data = {"comment": "x", "password": "outsider-password-1"}  # a valid body for every route that takes one
    if path.startswith("/api/"):
        return client.post(path, json=data, headers=headers, follow_redirects=False).status_code
    return client.post(path, data=data, headers=headers, follow_redirects=False).status_code


def test_every_route_refuses_every_role_of_another_region(server: TestClient, books: Books) -> None:
    upload_id, submission_id = _luohu_objects(server, books)
    routes = _object_routes(server)
    assert len(routes) >= 18  # pages and API, each object route
    for path in ("/users/{user_id}/disable", "/api/users/{user_id}/disable", "/api/users/{user_id}/password"):
        assert ("POST", path) in routes
    db = server.app.state.database  # type: ignore[attr-defined]
    with db.sessions() as session:
        luohu = session.scalar(select(User.id).where(User.name == "luohu-clerk"))
    for name in OUTSIDERS:
        token = login(server, name)
        for method, path in routes:
            url = path.replace("{upload_id}", str(upload_id)).replace("{submission_id}", str(submission_id))
            url = url.replace("{user_id}", str(luohu))
            assert _call(server, method, url, token) in (403, 404), (name, method, url)
        statuses = server.get("/api/status", params={"form": FORM, "year": YEAR})
        assert statuses.status_code in (200, 404)
        if statuses.status_code == 200:
            assert "440303" not in statuses.text
        assert str(upload_id) not in {str(item["id"]) for item in server.get("/api/uploads").json()}
        assert all(item["region"] != "440303" for item in server.get("/api/submissions").json())
        accounts = server.get("/api/users")  # the list of accounts: the province administrator's own only
        assert accounts.status_code == 200 if name == "sc-admin" else accounts.status_code == 403
        if accounts.status_code == 200:
            assert all(item["region"].startswith("51") for item in accounts.json())
        added = server.post(
            "/api/users",
            json={"name": "intruder", "role": "county-clerk", "region": "440303", "password": "outsider-password-1"},
            headers={"X-CSRF-Token": token},
        )
        assert added.status_code in (403, 404), (name, added.status_code)
    # a clerk cannot review its own submission either
    token = login(server, "luohu-clerk")
    assert _call(server, "POST", f"/api/submissions/{submission_id}/accept", token) == 404
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 0
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
        assert session.scalar(select(User.active).where(User.id == luohu)) is True
        assert session.scalar(select(func.count()).select_from(User).where(User.name == "intruder")) == 0
    login(server, "luohu-clerk")  # its password is unchanged


def test_the_audit_log_is_for_the_province_administrator_only(server: TestClient) -> None:
    for name in ("luohu-clerk", "sz-reviewer"):
        login(server, name)
        assert server.get("/api/audit").status_code == 403
        assert server.get("/audit").status_code == 403
    login(server, "sc-admin")
    assert all(entry["region"].startswith("51") for entry in server.get("/api/audit").json())


def test_every_state_changing_route_needs_the_csrf_token(server: TestClient) -> None:
    login(server, "luohu-clerk")
    posts = [route.path for route in _routes() if "POST" in route.methods]
    assert "/login" in posts and "/api/uploads" in posts and len(posts) >= 16
    for path in posts:
        url = path.replace("{upload_id}", "1").replace("{submission_id}", "1").replace("{user_id}", "1")
        assert server.post(url, data={"comment": "x"}).status_code == 403, url
        assert server.post(url, data={"csrf_token": "forged"}).status_code == 403, url
        assert server.post(url, json={}, headers={"X-CSRF-Token": "forged"}).status_code == 403, url


def test_session_cookie_is_signed_httponly_and_samesite(server: TestClient) -> None:
    login(server, "luohu-clerk")
    server.cookies.clear()
    page = server.get("/login")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    server.cookies.set("cpsdk_session", "eyJ1c2VyIjogMX0=.forged.signature")
    assert server.get("/api/uploads").status_code == 401


def test_stored_markup_is_shown_escaped(server: TestClient, books: Books, tmp_path: Path) -> None:
    token = login(server, "luohu-clerk")
    upload_id = upload(server, token, books.good["440303"], name='<b onmouseover="alert(1)">名单.xlsx')
    submitted = server.post(f"/api/uploads/{upload_id}/submit", headers={"X-CSRF-Token": token}).json()["id"]
    token = login(server, "sz-reviewer")
    markup = '<img src=x onerror="alert(2)">'
    server.post(f"/api/submissions/{submitted}/return", json={"comment": markup}, headers={"X-CSRF-Token": token})
    pages = [
        server.get(f"/uploads/{upload_id}").text,
        server.get("/").text,
        server.get("/review", params={"form": FORM, "year": YEAR}).text,
        server.get("/history").text,
    ]
    login(server, "gd-admin")
    pages.append(server.get("/audit").text)
    for text in pages:
        assert "<b onmouseover" not in text and "<img src=x" not in text
    assert "&lt;b onmouseover=%22alert(1)%22&gt;名单.xlsx" in pages[0]  # the client sends quotes as %22
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in pages[2]


def test_upload_size_is_limited(tmp_path: Path, books: Books, database_url: str) -> None:
    with make_server(tmp_path / "data", database_url, max_upload_bytes=200_000) as client:
        token = login(client, "luohu-clerk")
        big = b"PK\x03\x04" + b"\0" * 400_000
        answer = client.post(
            "/uploads", data={"form": FORM, "year": str(YEAR), "csrf_token": token}, files={"file": ("big.xlsx", big)}
        )
        assert answer.status_code == 413
        # over the file limit but within the request's slack: refused while copying
        answer = client.post(
            "/api/uploads",
            data={"form": FORM, "year": str(YEAR)},
            files={"file": ("big.xlsx", big[:230_000])},
            headers={"X-CSRF-Token": token},
        )
        assert answer.status_code == 413 and "上限" in answer.json()["error"]


def test_hostile_uploads_are_refused_cleanly(tmp_path: Path, books: Books, database_url: str) -> None:
    cases = corpus(books.good["440303"], tmp_path)
    with make_server(tmp_path / "data", database_url, workers=1) as client:
        token = login(client, "luohu-clerk")
        for name, path in cases.items():
            with path.open("rb") as handle:
                answer = client.post(
                    "/api/uploads",
                    data={"form": FORM, "year": str(YEAR)},
                    files={"file": (name, handle)},
                    headers={"X-CSRF-Token": token},
                )
            assert answer.status_code in (200, 400, 415, 422), (name, answer.status_code, answer.text[:200])
            assert "Traceback" not in answer.text and 'File "' not in answer.text
            if answer.status_code == 200:
                found = answer.json()
                assert found["status"] in ("refused", "errors"), name
                page = client.get(f"/uploads/{found['id']}")
                assert page.status_code == 200 and "Traceback" not in page.text
        assert client.get("/").status_code == 200


def test_no_traceback_reaches_a_client(server: TestClient, books: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_args: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr("cpsdk_server.workflow.sniff", crash)
    token = login(server, "luohu-clerk")
    with books.good["440303"].open("rb") as handle:
        page = server.post(
            "/uploads", data={"form": FORM, "year": str(YEAR), "csrf_token": token}, files={"file": ("a.xlsx", handle)}
        )
        handle.seek(0)
        api = server.post(
            "/api/uploads",
            data={"form": FORM, "year": str(YEAR)},
            files={"file": ("a.xlsx", handle)},
            headers={"X-CSRF-Token": token},
        )
    for answer in (page, api):
        assert answer.status_code == 500
        assert "secret internals" not in answer.text and "Traceback" not in answer.text
    assert "服务器内部错误" in page.text and api.json() == {"error": "服务器内部错误，已记录，请稍后重试"}
    assert server.get("/api/uploads/999999").status_code == 404
    assert server.get("/uploads/not-a-number").status_code == 422
    assert "Traceback" not in server.get("/no/such/page").text


def test_forms_are_scoped_to_the_province(server: TestClient) -> None:
    login(server, "luohu-clerk")
    ids = {form["id"] for form in server.get("/api/forms").json()}
    assert "guangdong.city-summary" in ids and "national.summary" in ids
    assert not any(item.startswith(("sichuan.", "shandong.")) for item in ids)
    token = csrf_of(server)
    answer = server.post(
        "/api/uploads",
        data={"form": "sichuan.annual-report", "year": "2018"},
        files={"file": ("a.json", b"{}")},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code == 404
