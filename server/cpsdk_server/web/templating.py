"""Jinja2 templates, autoescaped, with the helpers every page uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from cpsdk_server.audit import ACTIONS
from cpsdk_server.scopes import Role, region_label

TEMPLATES = Path(__file__).parent.parent / "templates"

#: Times are stored in UTC and shown in China Standard Time.
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


def beijing(value: dt.datetime) -> dt.datetime:
    """``value`` (UTC; SQLite gives it back without its zone) in China Standard Time."""
    return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).astimezone(CHINA)


environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)


def within(name: str, region: str) -> str:
    """A region's full name without the name of ``region`` it lies in (广东省深圳市罗湖区 within 4403: 罗湖区)."""
    outer = region_label(region)
    return name[len(outer) :] if name.startswith(outer) and len(name) > len(outer) else name


environment.globals.update(
    region_label=region_label,
    ACTIONS=ACTIONS,
    OBJECTS={"upload": "上传", "submission": "报送", "rollup": "汇总", "publication": "公示", "user": "账户"},
    error_marks=lambda issues: {index for index, issue in enumerate(issues) if issue.get("severity") == "error"},
)
environment.filters["within"] = within
environment.filters["role_title"] = lambda value: Role(value).label
environment.filters["when"] = lambda value: beijing(value).strftime("%Y-%m-%d %H:%M") if value else ""
environment.filters["short"] = lambda value: (value or "")[:12]


def render(request: Request, template: str, /, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; ``user`` and ``csrf`` are always defined (None and the session's token)."""
    from cpsdk_server.web.deps import csrf_token

    context.setdefault("user", None)
    context["csrf"] = csrf_token(request)
    context["request"] = request
    return HTMLResponse(environment.get_template(template).render(**context), status_code=status)
