"""Security: scopes on every route for every role, CSRF, escaping, upload limits, hostile files, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from server_helpers import FORM, YEAR, Books, csrf_of, login, make_server, upload
from server_hostile import corpus
from sqlalchemy import func, select

from cpsdk_server.app import ROUTERS
from cpsdk_server.models import Review, Submission

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
    """(method, path) of every route that names an upload or a submission."""
    routes = []
    for route in _routes():
        if isinstance(route, APIRoute) and ("{upload_id}" in route.path or "{submission_id}" in route.path):
            routes.extend((method, route.path) for method in sorted(route.methods))
    return routes


def _call(client: TestClient, method: str, path: str, token: str) -> int:
    headers = {"X-CSRF-Token": token}
    if method == "GET":
        return client.get(path, headers=headers, follow_redirects=False).status_code
    if path.startswith("/api/"):
        return client.post(path, json={"comment": "x"}, headers=headers, follow_redirects=False).status_code
    return client.post(path, data={"comment": "x"}, headers=headers, follow_redirects=False).status_code


def test_every_route_refuses_every_role_of_another_region(lite: TestClient, books: Books) -> None:
    upload_id, submission_id = _luohu_objects(lite, books)
    routes = _object_routes(lite)
    assert len(routes) >= 12  # pages and API, each object route
    db = lite.app.state.database  # type: ignore[attr-defined]
    for name in OUTSIDERS:
        token = login(lite, name)
        for method, path in routes:
            url = path.replace("{upload_id}", str(upload_id)).replace("{submission_id}", str(submission_id))
            assert _call(lite, method, url, token) in (403, 404), (name, method, url)
        statuses = lite.get("/api/status", params={"form": FORM, "year": YEAR})
        assert statuses.status_code in (200, 404)
        if statuses.status_code == 200:
            assert "440303" not in statuses.text
        assert str(upload_id) not in {str(item["id"]) for item in lite.get("/api/uploads").json()}
        assert all(item["region"] != "440303" for item in lite.get("/api/submissions").json())
    # a clerk cannot review its own submission either
    token = login(lite, "luohu-clerk")
    assert _call(lite, "POST", f"/api/submissions/{submission_id}/accept", token) == 404
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 0
        assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_the_audit_log_is_for_the_province_administrator_only(lite: TestClient) -> None:
    for name in ("luohu-clerk", "sz-reviewer"):
        login(lite, name)
        assert lite.get("/api/audit").status_code == 403
        assert lite.get("/audit").status_code == 403
    login(lite, "sc-admin")
    assert all(entry["region"].startswith("51") for entry in lite.get("/api/audit").json())


def test_every_state_changing_route_needs_the_csrf_token(lite: TestClient) -> None:
    login(lite, "luohu-clerk")
    posts = [route.path for route in _routes() if "POST" in route.methods]
    assert "/login" in posts and "/api/uploads" in posts and len(posts) >= 16
    for path in posts:
        url = path.replace("{upload_id}", "1").replace("{submission_id}", "1")
        assert lite.post(url, data={"comment": "x"}).status_code == 403, url
        assert lite.post(url, data={"csrf_token": "forged"}).status_code == 403, url
        assert lite.post(url, json={}, headers={"X-CSRF-Token": "forged"}).status_code == 403, url


def test_session_cookie_is_signed_httponly_and_samesite(lite: TestClient) -> None:
    login(lite, "luohu-clerk")
    lite.cookies.clear()
    page = lite.get("/login")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    lite.cookies.set("cpsdk_session", "eyJ1c2VyIjogMX0=.forged.signature")
    assert lite.get("/api/uploads").status_code == 401


def test_stored_markup_is_shown_escaped(lite: TestClient, books: Books, tmp_path: Path) -> None:
    token = login(lite, "luohu-clerk")
    with books.good["440303"].open("rb") as handle:
        answer = lite.post(
            "/uploads",
            data={"form": FORM, "year": str(YEAR), "csrf_token": token},
            files={"file": ('<b onmouseover="alert(1)">名单.xlsx', handle)},
            follow_redirects=False,
        )
    upload_id = int(answer.headers["location"].rsplit("/", 1)[1])
    submitted = lite.post(f"/api/uploads/{upload_id}/submit", headers={"X-CSRF-Token": token}).json()["id"]
    token = login(lite, "sz-reviewer")
    markup = '<img src=x onerror="alert(2)">'
    lite.post(f"/api/submissions/{submitted}/return", json={"comment": markup}, headers={"X-CSRF-Token": token})
    pages = [
        lite.get(f"/uploads/{upload_id}").text,
        lite.get("/").text,
        lite.get("/review", params={"form": FORM, "year": YEAR}).text,
        lite.get("/history").text,
    ]
    login(lite, "gd-admin")
    pages.append(lite.get("/audit").text)
    for text in pages:
        assert "<b onmouseover" not in text and "<img src=x" not in text
    assert "&lt;b onmouseover=%22alert(1)%22&gt;名单.xlsx" in pages[0]  # the client sends quotes as %22
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in pages[2]


def test_upload_size_is_limited(tmp_path: Path, books: Books) -> None:
    with make_server(tmp_path / "data", "", max_upload_bytes=200_000) as client:
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


def test_hostile_uploads_are_refused_cleanly(tmp_path: Path, books: Books) -> None:
    cases = corpus(books.good["440303"], tmp_path)
    with make_server(tmp_path / "data", "", workers=1) as client:
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


def test_no_traceback_reaches_a_client(lite: TestClient, books: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_args: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr("cpsdk_server.workflow.sniff", crash)
    token = login(lite, "luohu-clerk")
    with books.good["440303"].open("rb") as handle:
        page = lite.post(
            "/uploads", data={"form": FORM, "year": str(YEAR), "csrf_token": token}, files={"file": ("a.xlsx", handle)}
        )
        handle.seek(0)
        api = lite.post(
            "/api/uploads",
            data={"form": FORM, "year": str(YEAR)},
            files={"file": ("a.xlsx", handle)},
            headers={"X-CSRF-Token": token},
        )
    for answer in (page, api):
        assert answer.status_code == 500
        assert "secret internals" not in answer.text and "Traceback" not in answer.text
    assert "服务器内部错误" in page.text and api.json() == {"error": "服务器内部错误，已记录，请稍后重试"}
    assert lite.get("/api/uploads/999999").status_code == 404
    assert lite.get("/uploads/not-a-number").status_code == 422
    assert "Traceback" not in lite.get("/no/such/page").text


def test_forms_are_scoped_to_the_province(lite: TestClient) -> None:
    login(lite, "luohu-clerk")
    ids = {form["id"] for form in lite.get("/api/forms").json()}
    assert "guangdong.city-summary" in ids and "national.summary" in ids
    assert not any(item.startswith(("sichuan.", "shandong.")) for item in ids)
    token = csrf_of(lite)
    answer = lite.post(
        "/api/uploads",
        data={"form": "sichuan.annual-report", "year": "2018"},
        files={"file": ("a.json", b"{}")},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code == 404
