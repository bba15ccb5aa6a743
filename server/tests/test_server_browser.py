"""The collection in a real browser: headless Chromium (Debian's package) driven by Playwright.

Skipped, saying why, where /usr/bin/chromium is missing — unless CPSDK_REQUIRE_BROWSER=1, which fails instead.
Screenshots go to $CPSDK_SCREENSHOTS (default: the test's temporary folder).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from server_helpers import ACCOUNTS, FORM, PASSWORD, YEAR, Books

from cpsdk_server.accounts import add_user
from cpsdk_server.app import create_app
from cpsdk_server.config import load_settings
from cpsdk_server.db import Database
from cpsdk_server.migrate import upgrade

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _need_browser() -> Any:
    reason = ""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            reason = "playwright is not installed (pip install -e 'server[test]')"
        else:
            return sync_playwright
    if os.environ.get("CPSDK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CPSDK_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"BROWSER TESTS NOT RUN: {reason}; set CPSDK_REQUIRE_BROWSER=1 to make this a failure")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def live(tmp_path: Path) -> Iterator[str]:
    """The server on a loopback port, in a thread of this process."""
    settings = load_settings(tmp_path / "data", os.environ.get("CPSDK_BROWSER_DATABASE_URL", ""), check_workers=1)
    database = Database(settings.url())
    upgrade(database.engine)
    with database.session() as db:
        for name, (role, region) in ACCOUNTS.items():
            add_user(db, None, name, role, region, PASSWORD)
    database.dispose()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the screenshots go."""
    folder = Path(os.environ.get("CPSDK_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _login(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _upload(page: Any, base: str, path: Path, form: str = FORM) -> None:
    page.goto(f"{base}/uploads/new")
    page.select_option("#form", form)
    page.fill("#year", str(YEAR))
    page.set_input_files("#file", str(path))
    page.click("form[action='/uploads'] button[type=submit]")
    page.wait_for_url(f"{base}/uploads/*")


def test_a_year_collected_in_a_browser(live: str, books: Books, shots: Path, tmp_path: Path) -> None:
    sync_playwright = _need_browser()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            _walk(browser, live, books, shots, tmp_path)
        finally:
            browser.close()


def _walk(browser: Any, base: str, books: Books, shots: Path, tmp_path: Path) -> None:
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = desk.new_page()
    # 罗湖区's clerk: a workbook with an error, its cell marked; then the fixed one, submitted
    _login(page, base, "luohu-clerk")
    page.screenshot(path=str(shots / "01-clerk-home.png"), full_page=True)
    _upload(page, base, books.broken)
    assert "1 个错误" in page.inner_text("#summary")
    assert "有错误的文件不能报送" in page.inner_text("#next")  # what to do next
    assert "错误" in page.inner_text("#issues tbody tr:first-child")  # errors are listed before warnings
    marked = page.locator("td.mark-error")
    assert marked.count() >= 1 and marked.first.is_visible()
    page.click("#issues a[href^='#cell-']")
    marked.first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "02-upload-with-errors.png"), full_page=False)
    page.screenshot(path=str(shots / "02b-upload-with-errors-full.png"), full_page=True)
    with page.expect_download() as draft:
        page.click("#draft")
    assert draft.value.suggested_filename.endswith(".xlsx")
    _upload(page, base, books.good["440303"])
    assert "检查通过" in page.inner_text("#summary")
    page.click("#submit")
    page.wait_for_url(f"{base}/history?submitted=*")
    assert "等待审核" in page.inner_text("#done")
    page.screenshot(path=str(shots / "03-submitted.png"), full_page=True)
    page.go_back()  # the back button, and submit again: nothing new is stored
    page.click("#submit")
    page.wait_for_url(f"{base}/history?already=*")
    assert page.locator("#history tbody tr").count() == 1
    # an error page's 返回 works under the Content-Security-Policy (a link, not a script)
    page.goto(f"{base}/uploads/999999", referer=page.url)
    assert "luohu-clerk" in page.inner_text("header")
    page.click("#back")
    page.wait_for_url(f"{base}/history?already=*")
    page.click("header form button")  # 退出

    _login(page, base, "futian-clerk")
    _upload(page, base, books.good["440304"])
    page.click("#submit")
    page.wait_for_url(f"{base}/history?submitted=*")
    page.click("header form button")

    # 深圳市's reviewer: returns 罗湖, accepts 福田, downloads the roll-up
    _login(page, base, "sz-reviewer")
    page.goto(f"{base}/review?form={FORM}&year={YEAR}")
    page.fill("#region-440303 textarea[name=comment]", "合计与分项不符，请核对后重报")
    page.click("#region-440303 button.return")
    page.wait_for_load_state()
    page.click("#region-440304 button.accept")
    page.wait_for_load_state()
    assert "已退回" in page.inner_text("#region-440303") and "已通过" in page.inner_text("#region-440304")
    page.screenshot(path=str(shots / "04-review.png"), full_page=True)
    with page.expect_download() as rolled:
        page.click("#rollup")
    merged = tmp_path / "rollup.xlsx"
    rolled.value.save_as(merged)
    read = subprocess.run(
        [str(Path(sys.executable).with_name("cpsdk")), "read", FORM, str(merged), "-o", str(tmp_path / "r.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert read.returncode == 0, read.stdout + read.stderr
    assert '"region": "4403"' in (tmp_path / "r.json").read_text()
    page.click("header form button")

    # the province publishes the disclosure; a visitor reads it without logging in
    _login(page, base, "gd-admin")
    _upload(page, base, books.disclosure, form="guangdong.disclosure")
    page.click("#publish")
    page.wait_for_url(f"{base}/public/*")
    page.goto(f"{base}/review?form={FORM}&year={YEAR}")
    assert "未报送" in page.inner_text("#missing")
    page.screenshot(path=str(shots / "05-province-missing.png"), full_page=True)
    desk.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    visitor = phone.new_page()
    visitor.goto(f"{base}/public")
    visitor.click("#publications a")
    visitor.wait_for_url(f"{base}/public/*")
    text = visitor.inner_text("main")
    assert "清洁生产审核企业名单及成效公示" in text
    assert visitor.locator("td[data-label='企业名称']").count() >= 1  # on a phone, each cell is labelled
    html = visitor.content()
    assert "统一社会信用代码" not in html and "投资" not in html
    visitor.screenshot(path=str(shots / "06-public-phone.png"), full_page=False)
    visitor.goto(f"{base}/login")
    visitor.screenshot(path=str(shots / "07-login-phone.png"), full_page=False)
    # a clerk's home on a phone: every cell of a list says what it is (no bare “：”)
    _login(visitor, base, "futian-clerk")
    labels = visitor.eval_on_selector_all(
        "table.list td", "cells => cells.map(cell => getComputedStyle(cell, '::before').content)"
    )
    assert labels and '"："' not in labels
    visitor.screenshot(path=str(shots / "08-clerk-home-phone.png"), full_page=True)
    phone.close()
