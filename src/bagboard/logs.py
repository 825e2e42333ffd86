"""How a bagboard process logs: one line per event, as text or as JSON.

``configure`` sets up the root logger once per process (the server, its worker processes,
``bagboard scan``); uvicorn's own loggers go through it too. A record's ``extra`` fields
(``logging.info("...", extra={...})``) become keys of the JSON object, and ``key=value`` pairs
after the message in text.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

__all__ = ["FORMATS", "LEVELS", "JsonFormatter", "TextFormatter", "configure", "extra_fields"]

LEVELS = ("debug", "info", "warning", "error")
FORMATS = ("text", "json")

# What every LogRecord carries; anything else on a record came in ``extra``.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            # Which process said it: with ``serve --workers N``, which worker answered.
            "pid": record.process,
            **extra_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = extra_fields(record)
        if fields:
            line += " " + " ".join(f"{key}={value}" for key, value in fields.items())
        return line


def configure(level: str = "info", fmt: str = "text", stream: IO[str] | None = None) -> None:
    """Send every logger's records at ``level`` and above to ``stream`` (stderr) in ``fmt``."""
    if level not in LEVELS or fmt not in FORMATS:
        raise ValueError(f"log level must be one of {LEVELS} and format one of {FORMATS}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        server = logging.getLogger(name)
        server.handlers.clear()
        server.propagate = True
    # Requests are logged by bagboard's own access log (``--access-log``), never by uvicorn's,
    # whether this runs before uvicorn configures itself (one process) or after (a worker).
    logging.getLogger("uvicorn.access").propagate = False
