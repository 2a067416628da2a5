"""The hub's log: one JSON object per line, and nothing in it that a request carried.

Production settings (``HUB_ENVIRONMENT=production``) keep out of every line, at every level:
tracebacks (their frames hold arguments, and database errors hold query parameters: a
PostgreSQL message repeats the value that broke a constraint), SQL, and the debug lines of
libraries that print what they were sent (Authlib names client ids). A line says what happened
with fixed words and the names of exception types, never an exception's message.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from hub.config import Settings

# Libraries whose lines below WARNING can carry SQL, parameters, client ids or URLs with a query.
CHATTY_LOGGERS = ("sqlalchemy", "authlib", "httpx", "httpcore", "uvicorn.access", "multipart")
# Attributes every LogRecord has; anything else on a record was passed as ``extra`` and is logged.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message and the ``extra`` fields."""

    def __init__(self, *, production: bool):
        super().__init__()
        self.production = production

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: value for name, value in vars(record).items() if name not in _RECORD_ATTRIBUTES})
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
            if not self.production:
                line["traceback"] = self.formatException(record.exc_info)
        if record.stack_info and not self.production:
            line["stack"] = record.stack_info
        return json.dumps(line, default=str)


def configure_logging(settings: Settings) -> None:
    """Send every logger's lines through one JSON handler on the root logger, at ``log_level``."""
    production = settings.environment == "production"
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(production=production))
    root = logging.getLogger()
    for existing in [h for h in root.handlers if isinstance(h.formatter, JsonFormatter)]:
        root.removeHandler(existing)  # create_app may run more than once in one process (tests)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
