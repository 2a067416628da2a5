"""Which route a request goes to, seen from a middleware (before the router has run)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import Match
from starlette.types import Scope

UNMATCHED = "(no route)"


def matched_route(app: FastAPI, scope: Scope) -> RouteContext | None:
    """The route that matches the request's path and method, or None (a 404 or a 405)."""
    for route in iter_route_contexts(app.routes):
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route
    return None


def route_template(app: FastAPI, scope: Scope) -> str:
    """The matched route's path template, which holds no submitted value (the path itself may)."""
    route = matched_route(app, scope)
    return route.path if route is not None else UNMATCHED
