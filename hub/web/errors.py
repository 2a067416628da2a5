"""Errors of the people's pages, answered as pages (or a redirect to sign in), never as JSON."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response


class PageError(Exception):
    """A page that cannot be shown: its status and a sentence for the reader."""

    def __init__(self, status_code: int, message: str):
        super().__init__(message)
        self.status_code = status_code
        self.message = message


class SignInRequired(PageError):
    def __init__(self):
        super().__init__(401, "please sign in to see this page")


def _back_after_sign_in(request: Request) -> str:
    """Where to return after signing in: the page asked for, or, for a page of one thing (its path
    holds an id), the list it belongs to, so that no answer repeats a value sent in a path."""
    route = request.scope.get("route")
    template = getattr(route, "path", request.url.path)
    return template.split("/{")[0] if "{" in template else request.url.path


def page_error_handler(request: Request, exc: PageError) -> Response:
    if isinstance(exc, SignInRequired):
        return RedirectResponse(f"/signin?next={quote(_back_after_sign_in(request))}", status_code=303)
    from hub.web.templating import page

    return page(request, "error.html", status_code=exc.status_code, error_status=exc.status_code, message=exc.message)
