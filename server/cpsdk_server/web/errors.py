"""How refusals and failures reach a client: a Chinese page or a JSON body, never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from cpsdk_server.accounts import AccountError
from cpsdk_server.checking import CheckTimeout, WorkerLost
from cpsdk_server.models import User
from cpsdk_server.scopes import ScopeError
from cpsdk_server.web.deps import CsrfRefused, LoginRequired, optional_user
from cpsdk_server.web.templating import render
from cpsdk_server.workflow import Refused

log = logging.getLogger("cpsdk_server")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _user(request: Request) -> User | None:
    """The logged-in user of a refused request, for the page's header (None when it cannot be told)."""
    try:
        with request.app.state.database.sessions() as db:
            return optional_user(request, db)
    except (SQLAlchemyError, AttributeError):  # the refusal is shown all the same, as to a visitor
        return None


def back_link(request: Request) -> str:
    """Where the error page's 返回 leads: the page the request came from, when it is one of this site's pages
    (the Referer; a link, as the Content-Security-Policy runs no script), otherwise the home page."""
    referer = request.headers.get("referer", "")
    origin = f"{request.url.scheme}://{request.url.netloc}"
    if referer.startswith(origin + "/"):
        path = referer[len(origin) :]
        if not path.startswith("//") and "\\" not in path:
            return path
    return "/"


def answer(request: Request, status: int, message: str) -> Response:
    """The refusal ``message`` with ``status``: JSON for the API, a page otherwise (with the user's own header
    and a link back to the page the request came from)."""
    if _is_api(request):
        return JSONResponse({"error": message}, status_code=status)
    return render(
        request,
        "error.html",
        status=status,
        message=message,
        status_code=status,
        user=_user(request),
        back=back_link(request),
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"error": "请先登录"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _exc: CsrfRefused) -> Response:
        if not _is_api(request) and not isinstance(request.session.get("user"), int):
            # the session has ended (expired, or logged out in another tab) while the page was open: nothing
            # is done, and the clerk is told to log in again rather than about a token
            return RedirectResponse("/login?expired=1", status_code=303)
        return answer(request, 403, "页面已过期（可能在另一个标签页重新登录或退出过），请刷新页面后重试")

    @app.exception_handler(ScopeError)
    async def _scope(request: Request, _exc: ScopeError) -> Response:
        return answer(request, 404, "未找到，或不在本账户的地区范围内")

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        return answer(request, exc.status, exc.message)

    @app.exception_handler(AccountError)
    async def _account(request: Request, exc: AccountError) -> Response:
        return answer(request, exc.status, str(exc))

    @app.exception_handler(WorkerLost)
    async def _worker(request: Request, _exc: WorkerLost) -> Response:
        return answer(request, 422, "检查该文件时处理进程异常退出，文件被拒绝")

    @app.exception_handler(CheckTimeout)
    async def _timeout(request: Request, exc: CheckTimeout) -> Response:
        return answer(request, 422, f"处理超时（超过 {exc.seconds:g} 秒），请联系管理员")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = sorted({".".join(str(part) for part in error.get("loc", ())[1:]) for error in exc.errors()})
        return answer(request, 422, "请求参数无效：" + "、".join(fields))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        messages = {404: "页面不存在", 405: "不支持该请求方法", 400: "请求无效", 413: "文件过大"}
        return answer(request, exc.status_code, messages.get(exc.status_code, "请求无法处理"))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return answer(request, 500, "服务器内部错误，已记录，请稍后重试")
