"""Helpers of the server's tests: a server on a fresh database (SQLite, or PostgreSQL when
CPSDK_TEST_DATABASE_URL names one), its accounts, and workbooks of Guangdong's city summary for
counties of Shenzhen and Guangzhou, one of them broken."""

from __future__ import annotations

import os
import re
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cpsdk
import httpx
import openpyxl
import pytest
import sqlalchemy

with warnings.catch_warnings():  # starlette 1.x asks for httpx2; httpx is what FastAPI documents
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient

from cpsdk_server.accounts import add_user
from cpsdk_server.app import create_app
from cpsdk_server.config import load_settings
from cpsdk_server.db import Database
from cpsdk_server.migrate import upgrade

FORM = "guangdong.city-summary"
YEAR = 2018
PASSWORD = "correct-horse-9"
#: name → (role, region)
ACCOUNTS = {
    "gd-admin": ("province-admin", "44"),
    "sz-reviewer": ("city-reviewer", "4403"),
    "luohu-clerk": ("county-clerk", "440303"),
    "futian-clerk": ("county-clerk", "440304"),
    "gz-reviewer": ("city-reviewer", "4401"),
    "yuexiu-clerk": ("county-clerk", "440104"),
    "sc-admin": ("province-admin", "51"),
}


@dataclass
class Books:
    """Test workbooks."""

    good: dict[str, Path]  # by county
    broken: Path  # 罗湖区, with 合计 changed so that a rule fails
    unreadable: Path  # 罗湖区, with text in a number cell
    dataset: Path
    disclosure: Path


@pytest.fixture(scope="session")
def books(tmp_path_factory: pytest.TempPathFactory) -> Books:
    """Workbooks written the way `cpsdk demo` writes them, and broken copies."""
    folder = tmp_path_factory.mktemp("books")
    dataset = cpsdk.example_dataset(seed=2016, cities=["4403", "4401"])
    form = cpsdk.get_form(FORM)
    good = {}
    for county in ("440303", "440304", "440104"):
        report, _notes = cpsdk.build_report(form, dataset, region=county, year=YEAR)
        good[county] = folder / f"{county}.xlsx"
        form.write(report, good[county])
    broken = folder / "broken.xlsx"
    book = openpyxl.load_workbook(good["440303"])
    book["汇总表"]["F3"] = 99
    book.save(broken)
    unreadable = folder / "unreadable.xlsx"
    book = openpyxl.load_workbook(good["440303"])
    book["汇总表"]["F3"] = "四家"
    book.save(unreadable)
    data = folder / "dataset.json"
    cpsdk.save(dataset, data)
    disclosure_form = cpsdk.get_form("guangdong.disclosure")
    report, _notes = cpsdk.build_report(disclosure_form, dataset, region="44", year=YEAR)
    disclosure = folder / "disclosure.xlsx"
    disclosure_form.write(report, disclosure)
    return Books(good, broken, unreadable, data, disclosure)


def _postgres_database(url: str) -> Iterator[str]:
    """A database of its own on the server at ``url``, dropped afterwards."""
    name = f"cpsdk_test_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """'' (SQLite in the data folder) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield ""
        return
    url = os.environ.get("CPSDK_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL not tested: set CPSDK_TEST_DATABASE_URL=postgresql+psycopg://… to test it")
    yield from _postgres_database(url)


def make_server(data: Path, url: str, workers: int = 0, **options: object) -> TestClient:
    """A server on ``data`` and ``url`` with every account of :data:`ACCOUNTS`."""
    settings = load_settings(data, url, check_workers=workers, **options)
    database = Database(settings.url())
    upgrade(database.engine)
    with database.session() as db:
        for name, (role, region) in ACCOUNTS.items():
            add_user(db, None, name, role, region, PASSWORD)
    database.dispose()
    return TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    """A server with its accounts, on each database."""
    with make_server(tmp_path / "data", database_url) as client:
        yield client


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token."""
    token: str = client.get("/api/session").json()["csrf_token"]
    return token


def login(client: TestClient, name: str) -> str:
    """Log ``name`` in through the page; returns the new session's CSRF token."""
    client.cookies.clear()
    page = client.get("/login")
    token = _CSRF.search(page.text)
    assert token is not None
    answer = client.post(
        "/login", data={"name": name, "password": PASSWORD, "csrf_token": token[1]}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return csrf_of(client)


def post_upload(
    client: TestClient, token: str, path: Path, form: str = FORM, year: int = YEAR, name: str | None = None
) -> httpx.Response:
    """Send ``path`` through the upload page (as the file ``name``, by default its own); the answer, unfollowed."""
    with path.open("rb") as handle:
        return client.post(
            "/uploads",
            data={"form": form, "year": str(year), "csrf_token": token},
            files={"file": (name or path.name, handle, "application/octet-stream")},
            follow_redirects=False,
        )


def upload(
    client: TestClient, token: str, path: Path, form: str = FORM, year: int = YEAR, name: str | None = None
) -> int:
    """Upload through the page; the new upload's id."""
    answer = post_upload(client, token, path, form, year, name)
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].rsplit("/", 1)[1])
