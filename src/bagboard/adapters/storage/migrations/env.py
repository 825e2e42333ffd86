"""Alembic environment: runs migrations on the connection handed over by ``migrate.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bagboard.adapters.storage.db.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "bagboard migrations run through bagboard.adapters.storage.db.migrate.upgrade()"
        )
    _run(connection)


_main()
