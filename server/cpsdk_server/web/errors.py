"""How refusals and failures reach a client: a Chinese page or a JSON body, never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from cpsdk_server.accounts import AccountError
from cpsdk_server.checking import CheckTimeout, WorkerLost
from cpsdk_server.scopes import ScopeError
from cpsdk_server.web.deps import CsrfRefused, LoginRequired
from cpsdk_server.web.templating import render
from cpsdk_server.workflow import Refused

log = logging.getLogger("cpsdk_server")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def answer(request: Request, status: int, message: str) -> Response:
    """The refusal ``message`` with ``status``: JSON for the API, a page otherwise."""
    if _is_api(request):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, "error.html", status=status, message=message, status_code=status)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"error": "请先登录"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _exc: CsrfRefused) -> Response:
        return answer(request, 403, "请求缺少有效的表单令牌（CSRF），请刷新页面后重试")

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
