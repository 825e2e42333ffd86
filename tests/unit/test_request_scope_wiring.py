"""The request scope as wired: on PostgreSQL a request's reads share one connection; on
SQLite nothing is entered around a request."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bagboard.adapters.storage import shared_reads
from bagboard.config import load_settings
from bagboard.library import ComicLibrary
from bagboard.web import http_services


def test_postgresql_requests_share_their_reads_and_sqlite_ones_enter_nothing(
    tmp_path: Path,
) -> None:
    with ComicLibrary.from_settings(
        load_settings(data_dir=str(tmp_path)), memory=True, workers=0
    ) as app:
        assert http_services(app.container, app.config).request_scope is None
        # Only the URL decides; nothing connects to it here.
        postgresql = replace(app.config, database_url="postgresql+psycopg://bagboard@db/bagboard")
        assert http_services(app.container, postgresql).request_scope is shared_reads
