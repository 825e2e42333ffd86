"""Checks a command makes before it opens anything: can the data folder be written, does the
database answer. Each failure becomes one ``InvalidInput`` line that says what and where,
rather than a driver's traceback halfway through a migration."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bagboard.config import Settings, mask_url
from bagboard.domain.errors import InvalidInput

__all__ = ["check_data_dir", "check_database", "check_storage"]

# Long enough for a server across a network, short enough that a typo fails fast.
CONNECT_TIMEOUT_SECONDS = 5


def check_storage(settings: Settings) -> None:
    """The data folder exists (created if need be) and takes files; a PostgreSQL database
    exists and accepts this user."""
    check_data_dir(settings.data_dir)
    if not settings.is_sqlite:
        check_database(settings.database_url)
        return
    database = settings.database_url.partition(":///")[2]
    if database and Path(database).parent != settings.data_dir:  # a file elsewhere
        check_data_dir(Path(database).parent, what="the database's folder")


def check_data_dir(folder: Path, *, what: str = "the data folder") -> None:
    """``folder`` and its parents created if missing, and a file written to it and removed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(prefix=".bagboard-write-check-", dir=folder)
        os.close(descriptor)
        Path(probe).unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InvalidInput(
            f"cannot write to {what} {folder}: {reason.lower()} "
            "(choose another with --data-dir, --database-url or their BAGBOARD_ variables)"
        ) from None


def check_database(url: str) -> None:
    """Connect once to the PostgreSQL database ``url`` names; ``InvalidInput`` saying why not."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    engine = create_engine(
        url, poolclass=NullPool, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    )
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        raise InvalidInput(_reason(exc, where, url, parsed.password)) from None
    finally:
        engine.dispose()


def _reason(exc: BaseException, where: str, url: str, password: str | None) -> str:
    """The driver's reason in one line: ``database "x" does not exist on host:5432``."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0].strip()
    text = text.removeprefix("connection failed:").strip()
    if "failed:" in text:  # 'connection to server at "h", port p failed: <reason>'
        text = text.rsplit("failed:", 1)[1].strip()
    if password:
        text = text.replace(password, "***")
    if text.startswith("FATAL:"):
        return f"{text.removeprefix('FATAL:').strip()} on {where}"
    return f"cannot connect to the database on {where} ({mask_url(url)}): {text or 'no answer'}"
