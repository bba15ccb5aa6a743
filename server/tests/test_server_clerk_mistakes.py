"""What clerks do wrong, and what the pages then say: found by walking a year's collection in a browser.

A file over the limit, a session that ended while a form was open, another tab's login, a submit sent twice
(double click, back button), a refused account form, an error page's way back; and what the pages tell a
clerk or reviewer to do next (errors listed first, who is not in a roll-up, forms rolled up only from datasets).
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from server_helpers import FORM, YEAR, Books, csrf_of, login, make_server, post_upload, upload


def test_a_file_over_the_limit_is_refused_with_a_page(tmp_path: Path, database_url: str) -> None:
    with make_server(tmp_path / "data", database_url, max_upload_bytes=200_000) as client:
        token = login(client, "luohu-clerk")
        big = b"PK\x03\x04" + b"\0" * 400_000
        referer = {"Referer": f"{client.base_url}/uploads/new"}
        page = client.post(
            "/uploads",
            data={"form": FORM, "year": str(YEAR), "csrf_token": token},
            files={"file": ("big.xlsx", big)},
            headers=referer,
        )
        assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
        assert "文件过大：上传的文件不能超过 195 KB" in page.text and 'href="/uploads/new"' in page.text
        assert "content-security-policy" in page.headers
        api = client.post("/api/uploads", data={"form": FORM, "year": str(YEAR)}, files={"file": ("big.xlsx", big)})
        assert api.status_code == 413 and "文件过大" in api.json()["error"]


def test_an_ended_session_asks_to_log_in_again(server: TestClient, books: Books) -> None:
    token = login(server, "luohu-clerk")
    server.cookies.clear()  # the session expired while the upload form was open
    answer = post_upload(server, token, books.good["440303"])
    assert answer.status_code == 303 and answer.headers["location"] == "/login?expired=1"
    assert "登录已过期" in server.get("/login?expired=1").text
    # the API still answers 403 without its token
    assert server.post("/api/uploads/1/submit").status_code == 403


def test_another_tabs_login_refuses_the_old_page(server: TestClient) -> None:
    old = login(server, "luohu-clerk")
    login(server, "futian-clerk")  # the same browser, another tab
    answer = server.post("/uploads/1/submit", data={"csrf_token": old})
    assert answer.status_code == 403 and "页面已过期" in answer.text and "futian-clerk" in answer.text


def test_error_pages_show_who_is_logged_in_and_lead_back(server: TestClient) -> None:
    login(server, "luohu-clerk")
    page = server.get("/uploads/99999", headers={"Referer": f"{server.base_url}/history"})
    assert page.status_code == 404
    assert "luohu-clerk" in page.text and "退出" in page.text  # not a visitor's header
    assert 'id="back">返回' in page.text and 'href="/history"' in page.text
    assert "javascript:" not in page.text  # the Content-Security-Policy would not run it
    elsewhere = server.get("/uploads/99999", headers={"Referer": "https://example.org/x"})
    assert 'href="/" id="back"' in elsewhere.text


def test_a_submit_sent_twice_is_stored_once(server: TestClient, books: Books) -> None:
    token = login(server, "luohu-clerk")
    fixed = upload(server, token, books.good["440303"])
    first = server.post(f"/uploads/{fixed}/submit", data={"csrf_token": token}, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/history?submitted=")
    shown = server.get(first.headers["location"]).text
    assert "已报送 #" in shown and "至广东省深圳市，等待审核" in shown
    again = server.post(f"/uploads/{fixed}/submit", data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/history?already=")
    assert "没有重复报送" in server.get(again.headers["location"]).text
    assert len(server.get("/api/submissions").json()) == 1
    # returned, the same upload may be sent again (the reviewer may have returned it by mistake)
    login(server, "sz-reviewer")
    submission = server.get("/api/submissions").json()[0]["id"]
    server.post(f"/api/submissions/{submission}/return", json={"comment": "请核对"}, headers=_csrf(server))
    token = login(server, "luohu-clerk")
    resent = server.post(f"/uploads/{fixed}/submit", data={"csrf_token": token}, follow_redirects=False)
    assert resent.headers["location"].startswith("/history?submitted=")
    assert len(server.get("/api/submissions").json()) == 2


def _csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_of(client)}


def test_a_refused_account_keeps_what_was_typed(server: TestClient) -> None:
    token = login(server, "gd-admin")
    form = {"name": "tianhe-clerk", "role": "city-reviewer", "region": "440106", "password": "long-enough-1"}
    page = server.post("/users", data={**form, "csrf_token": token})
    assert page.status_code == 400 and "地市审核员的地区应为 4 位代码" in page.text
    assert 'value="tianhe-clerk"' in page.text and 'value="440106"' in page.text
    assert 'value="city-reviewer" selected' in page.text and "long-enough-1" not in page.text
    other = server.post("/users", data={**form, "role": "county-clerk", "region": "510104", "csrf_token": token})
    assert other.status_code == 404 and "不在本省" in other.text
    assert "区县填报员填 6 位区县代码" in server.get("/users").text
    # any other role: refused, and no account of the province is shown
    token = login(server, "sz-reviewer")
    refused = server.post("/users", data={**form, "csrf_token": token})
    assert refused.status_code == 403 and "luohu-clerk" not in refused.text


def test_errors_are_listed_first_and_the_grid_numbered_alike(server: TestClient, books: Books) -> None:
    token = login(server, "luohu-clerk")
    page = server.get(f"/uploads/{upload(server, token, books.broken)}").text
    rows = re.findall(r'<tr class="(error|warning)">\s*<td data-label="#">(\d+)</td>', page)
    severities = [severity for severity, _ in rows]
    assert severities == sorted(severities, key=lambda severity: severity != "error") and "warning" in severities
    assert [int(number) for _, number in rows] == list(range(1, len(rows) + 1))
    # the error (number 1) is the one marked on F42's cell
    assert re.search(r'id="cell-汇总表-F42"[^>]*>[^<]*<sup class="n">\[1\]</sup>', page)
    assert "地级以上市清洁生产工作汇总表" in page and "有错误的文件不能报送" in page


def test_the_review_page_says_who_the_rollup_leaves_out(server: TestClient, books: Books) -> None:
    for county in ("440303", "440304"):
        token = login(server, "luohu-clerk" if county == "440303" else "futian-clerk")
        server.post(f"/uploads/{upload(server, token, books.good[county])}/submit", data={"csrf_token": token})
    login(server, "sz-reviewer")
    entries = {item["region"]: item["id"] for item in server.get("/api/submissions").json()}
    server.post(f"/api/submissions/{entries['440304']}/accept", headers=_csrf(server))
    page = server.get("/review", params={"form": FORM, "year": YEAR}).text
    assert "已通过 1，待审核 1，已退回 0，未报送 <strong>7</strong>" in page
    assert "罗湖区（已报送待审核）" in page and "汇总只包含已通过的 1 个地区" in page
    assert "未报送：南山区、" in page  # the city's own name is not repeated before each county
    aggregate = server.get("/review", params={"form": "national.summary", "year": YEAR}).text
    assert 'id="needs-datasets"' in aggregate and 'id="needs-datasets"' not in page


def test_a_failed_rollup_leads_back_to_the_review(server: TestClient, books: Books, tmp_path: Path) -> None:
    import cpsdk

    form = cpsdk.get_form("national.summary")
    dataset = cpsdk.example_dataset(seed=2016, cities=["4403"])
    report, _notes = cpsdk.build_report(form, dataset, region="440303", year=YEAR)
    book = tmp_path / "summary.xlsx"
    form.write(report, book)
    token = login(server, "luohu-clerk")
    entry = server.post(
        f"/api/uploads/{upload(server, token, book, form='national.summary')}/submit", headers=_csrf(server)
    ).json()
    login(server, "sz-reviewer")
    server.post(f"/api/submissions/{entry['id']}/accept", headers=_csrf(server))
    page = server.get("/rollup", params={"form": "national.summary", "year": YEAR})
    assert page.status_code == 422 and "无法汇总：清洁生产审核工作汇总表 · 2018 年度" in page.text
    assert 'href="/review?form=national.summary&amp;year=2018" id="back"' in page.text


def test_the_audit_log_reads_in_chinese(server: TestClient, books: Books) -> None:
    token = login(server, "luohu-clerk")
    upload(server, token, books.good["440303"])
    login(server, "gd-admin")
    page = server.get("/audit").text
    assert "上传 1" in page and "广东省深圳市罗湖区" in page and "upload 1" not in page
