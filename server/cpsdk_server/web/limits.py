"""ASGI middleware: request bodies bounded before the application reads them, and security headers."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: What a request may carry beyond the file itself (the form's other fields, the multipart framing).
SLACK = 64 * 1024

HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


def size_text(size: int) -> str:
    """A byte count as a clerk reads it: 32 MB, 195 KB."""
    return f"{size / 1024**2:g} MB" if size >= 1024**2 else f"{max(size // 1024, 1)} KB"


class BodyLimit:
    """Refuse (413) a request declaring more than ``limit`` bytes, and cut one sending more than it declared."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            message = f"文件过大：上传的文件不能超过 {size_text(self.limit - SLACK)}"
            if scope.get("path", "").startswith("/api/"):
                await _refuse(send, 413, message)
            else:  # a clerk's browser: a page saying so, with the way back to the upload form
                await _refuse_page(send, 413, message, _back(scope, headers))
            return
        received = 0

        async def bounded() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    return {"type": "http.disconnect"}
            return message

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, bounded, secured)


def _back(scope: Scope, headers: dict[bytes, bytes]) -> str:
    """The page a refused request came from (its Referer, when it is this site's), else the home page."""
    referer = headers.get(b"referer", b"").decode("latin-1")
    host = headers.get(b"host", b"").decode("latin-1")
    origin = f"{scope.get('scheme', 'http')}://{host}"
    path = referer[len(origin) :] if host and referer.startswith(origin + "/") else "/"
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


async def _refuse_page(send: Send, status: int, message: str, back: str) -> None:
    from cpsdk_server.web.templating import environment

    body = environment.get_template("error.html").render(user=None, csrf="", message=message, back=back)
    headers: list[Any] = [(b"content-type", b"text/html; charset=utf-8"), *HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body.encode()})


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode()
    headers: list[Any] = [(b"content-type", b"application/json; charset=utf-8"), *HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
