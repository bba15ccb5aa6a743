"""The ASGI application: FastAPI with the pages, the API and the public disclosure."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from cpsdk_server import __version__
from cpsdk_server.checking import Checker
from cpsdk_server.config import SESSION_SECONDS, Settings
from cpsdk_server.db import Database
from cpsdk_server.migrate import upgrade
from cpsdk_server.models import User
from cpsdk_server.storage import FileStore
from cpsdk_server.web import errors
from cpsdk_server.web.api import api, api_actions
from cpsdk_server.web.deps import optional_user
from cpsdk_server.web.limits import SLACK, BodyLimit
from cpsdk_server.web.pages import actions, pages
from cpsdk_server.web.public import public
from cpsdk_server.web.templating import render
from cpsdk_server.workflow import Services

STATIC = Path(__file__).parent / "static"
#: Every router of the application: the pages, their actions (CSRF-checked), the public pages, the API.
ROUTERS = (pages, actions, public, api, api_actions)


def create_app(settings: Settings, *, migrate: bool = True) -> FastAPI:
    """The application for ``settings``; the database is brought to the newest schema first (``migrate``)."""
    database = Database(settings.url())
    if migrate:
        upgrade(database.engine)
    store = FileStore(settings.files_dir)
    store.clean()  # what an interrupted upload left; its database row was never committed
    checker = Checker(settings.check_workers, settings.check_timeout or None, on_kill=store.clean_after)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        checker.close()
        database.dispose()

    app = FastAPI(
        title="cpsdk serve 清洁生产审核报送系统 API",
        version=__version__,
        description=(
            "县 → 市 → 省 的清洁生产报表报送。会话以 Cookie 保持：先 `GET /api/session` 取得 CSRF 令牌，"
            "`POST /api/login` 登录，之后每个 POST 请求在 `X-CSRF-Token` 头中带上令牌。"
            "每个账户只能看到并操作本地区及下级地区的对象；省级管理员通过 `/api/users` 管理本省账户。"
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.services = Services(settings, store, checker)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret,
        session_cookie="cpsdk_session",
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes + SLACK)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request, user: User | None = Depends(optional_user)) -> Response:
        """The API described from its OpenAPI document, readable without any script from elsewhere."""
        spec: dict[str, Any] = app.openapi()
        return render(request, "api_docs.html", user=user, spec=spec)

    return app
