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


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """Every method some route accepts at the request's path (a path's GET and POST are two
    routes, and Starlette's 405 names only the first one's)."""
    methods: set[str] = set()
    for route in iter_route_contexts(app.routes):
        match, _ = route.matches(scope)
        if match is not Match.NONE and route.methods:
            methods |= route.methods
    return sorted(methods)
