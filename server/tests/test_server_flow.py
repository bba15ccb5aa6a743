"""The whole collection through the pages and the API: upload, check, submit, review, roll up, publish."""

from __future__ import annotations

import re
from pathlib import Path

import cpsdk
import pytest
from fastapi.testclient import TestClient
from server_helpers import FORM, YEAR, Books, csrf_of, login, upload
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cpsdk_server.migrate import upgrade


def test_county_to_city_to_province(server: TestClient, books: Books, tmp_path: Path) -> None:
    token = login(server, "luohu-clerk")
    broken = upload(server, token, books.broken)
    page = server.get(f"/uploads/{broken}")
    assert page.status_code == 200
    assert "1 个错误" in page.text and 'class="mark-error"' in page.text
    assert "应等于本年度完成审核合计（99）" in page.text
    assert 'id="cell-汇总表-F42"' in page.text
    draft = server.get(f"/uploads/{broken}/draft")
    assert draft.status_code == 200 and draft.content.startswith(b"PK")
    refused = server.post(f"/uploads/{broken}/submit", data={"csrf_token": token})
    assert refused.status_code == 400 and "有错误的上传不能报送" in refused.text

    fixed = upload(server, token, books.good["440303"])
    assert "检查通过" in server.get(f"/uploads/{fixed}").text
    assert (
        server.post(f"/uploads/{fixed}/submit", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    )

    token = login(server, "futian-clerk")
    futian = upload(server, token, books.good["440304"])
    assert server.post(f"/uploads/{futian}/submit", data={"csrf_token": token}).status_code == 200

    # the city reviewer: returns 罗湖, accepts 福田 — through the API this time
    login(server, "sz-reviewer")
    token = csrf_of(server)
    statuses = {item["region"]: item for item in server.get("/api/status", params={"form": FORM, "year": YEAR}).json()}
    assert statuses["440303"]["status"] == "submitted" and statuses["440305"]["status"] == "missing"
    luohu, futian_sub = statuses["440303"]["submission"]["id"], statuses["440304"]["submission"]["id"]
    headers = {"X-CSRF-Token": token}
    answer = server.post(f"/api/submissions/{luohu}/return", json={"comment": "请核对合计"}, headers=headers)
    assert answer.status_code == 200 and answer.json()["decision"] == "returned"
    assert server.post(f"/api/submissions/{futian_sub}/accept", headers=headers).json()["decision"] == "accepted"
    page = server.get("/review", params={"form": FORM, "year": YEAR})
    assert "已退回" in page.text and "请核对合计" in page.text and "已通过" in page.text

    rollup = server.get("/rollup", params={"form": FORM, "year": YEAR})
    assert rollup.status_code == 200, rollup.text
    merged = tmp_path / "merged.xlsx"
    merged.write_bytes(rollup.content)
    report, issues = cpsdk.read_report(cpsdk.get_form(FORM), merged)
    assert report is not None and not cpsdk.has_errors(issues) and report.region == "4403"
    up = server.post("/api/rollup/submit", json={"form": FORM, "year": YEAR}, headers=headers)
    assert up.status_code == 200 and up.json()["parent_region"] == "44"

    # resubmission supersedes, history kept
    token = login(server, "luohu-clerk")
    again = upload(server, token, books.good["440303"])
    server.post(f"/uploads/{again}/submit", data={"csrf_token": token})
    history = server.get("/api/submissions").json()
    assert [entry["supersedes"] for entry in history if entry["region"] == "440303"] == [luohu, None]

    # the province: which cities are missing, and the audit log
    login(server, "gd-admin")
    page = server.get("/review", params={"form": FORM, "year": YEAR})
    assert "未报送" in page.text and "广州市" in page.text
    cities = {
        item["region"]: item["status"] for item in server.get("/api/status", params={"form": FORM, "year": YEAR}).json()
    }
    assert cities["4403"] == "submitted" and cities["4401"] == "missing"
    actions = [entry["action"] for entry in server.get("/api/audit").json()]
    for action in ("upload", "submit", "return", "accept", "download", "rollup-submit", "account-add"):
        assert action in actions
    assert "审计日志" in server.get("/audit").text


def test_dataset_upload_and_disclosure(server: TestClient, books: Books) -> None:
    token = login(server, "futian-clerk")
    checked = upload(server, token, books.dataset)
    detail = server.get(f"/api/uploads/{checked}").json()
    assert detail["kind"] == "dataset" and detail["status"] == "ok", detail["issues"][:3]
    assert "工作表「汇总表」" in server.get(f"/uploads/{checked}").text

    token = login(server, "gd-admin")
    published = upload(server, token, books.disclosure, form="guangdong.disclosure")
    assert 'id="publish"' in server.get(f"/uploads/{published}").text
    answer = server.post(f"/uploads/{published}/publish", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    server.cookies.clear()
    page = server.get(answer.headers["location"])
    assert page.status_code == 200 and "清洁生产审核企业名单及成效公示" in page.text
    assert "企业名称" in page.text and "统一社会信用代码" not in page.text
    assert server.get("/api/public").json()[0]["form"] == "guangdong.disclosure"


def test_api_documented(server: TestClient) -> None:
    spec = server.get("/api/openapi.json").json()
    assert "/api/uploads" in spec["paths"] and "/api/status" in spec["paths"]
    assert not any(path.startswith(("/uploads", "/review")) for path in spec["paths"])
    page = server.get("/api/docs")
    assert page.status_code == 200 and "/api/rollup/submit" in page.text


def test_login_throttled(server: TestClient) -> None:
    server.cookies.clear()
    token = csrf_of(server)
    for _ in range(5):
        answer = server.post("/login", data={"name": "gd-admin", "password": "wrong-password", "csrf_token": token})
        assert answer.status_code == 401
    answer = server.post("/login", data={"name": "gd-admin", "password": "correct-horse-9", "csrf_token": token})
    assert answer.status_code == 429 and "15 分钟" in answer.text
    assert re.search(r"HttpOnly", server.get("/login").headers.get("set-cookie", "HttpOnly"), re.I)


def test_records_are_append_only_in_the_database(server: TestClient) -> None:
    database = server.app.state.database  # type: ignore[attr-defined]
    for statement in ("UPDATE audit_log SET detail = 'edited'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), database.engine.begin() as connection:
            connection.execute(text(statement))
    with database.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM audit_log WHERE detail = 'edited'")) == 0
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0002"
    upgrade(database.engine)  # again: nothing to do
