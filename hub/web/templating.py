"""The templates environment: autoescaped Jinja2 with the hub's few filters and globals."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
STATIC_URL = "/static/web"
SWAGGER_URL = "/static/swagger-ui"

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(static=lambda path: f"{STATIC_URL}/{path}", swagger_static=lambda path: f"{SWAGGER_URL}/{path}")
templates.env.filters["thousands"] = lambda number: f"{number:,}"
templates.env.filters["day"] = lambda moment: f"{moment:%Y-%m-%d}" if moment else ""
templates.env.filters["minute"] = lambda moment: f"{moment:%Y-%m-%d %H:%M} UTC" if moment else ""


def page(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    """A rendered page; ``user`` and ``csrf_token`` come from the request's web session, if any."""
    web = getattr(request.state, "web", None)
    context.setdefault("user", web.user if web else None)
    context.setdefault("csrf_token", web.csrf_token if web else None)
    return templates.TemplateResponse(request, template, context, status_code=status_code)
