"""The hub's FastAPI application class: what every exchange passes through, outside Starlette's
own error layer, so that it applies to every answer, a 500 included."""

from __future__ import annotations

import functools

from fastapi import FastAPI
from starlette.types import ASGIApp

from hub.config import get_settings
from hub.edge.contain import ContainUnhandled
from hub.edge.headers import SecurityHeaders
from hub.edge.request_log import RequestLog
from hub.edge.routes import route_template


class HubApplication(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # From the outside in: the request's log line (it sees the final status), the security
        # headers, the containment of unhandled errors, then FastAPI's own layers.
        contained = ContainUnhandled(super().build_middleware_stack())
        headed = SecurityHeaders(contained, public_url_is_https=get_settings().issuer.startswith("https://"))
        return RequestLog(headed, route_of=functools.partial(route_template, self))
