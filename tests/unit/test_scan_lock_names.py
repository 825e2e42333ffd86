"""How a process is named to the others, and the lock connection that carries the name."""

from __future__ import annotations

import os
import re

from bagboard.adapters.storage.locks import FileScanLocks, lock_folder, scan_locks_for
from bagboard.adapters.storage.locks.postgres import PgScanLocks, connection_arguments
from bagboard.process_names import describe_process


def test_a_process_is_named_by_what_it_is_its_pid_and_its_host() -> None:
    name = describe_process("bagboard serve")
    assert re.fullmatch(r"bagboard serve \(pid \d+ on host [^ ./]+\)", name)
    assert f"pid {os.getpid()} " in name
    assert describe_process().startswith("bagboard (pid ")


def test_the_lock_connection_is_named_after_its_holder_and_keeps_the_url_settings() -> None:
    url = (
        "postgresql+psycopg://bag:s3cret@db.example:6543/comics?sslmode=require&options=-c%20x%3D1"
    )
    arguments = connection_arguments(url, "bagboard serve (pid 1 on host nas)" + "x" * 80)
    assert arguments["application_name"] == ("bagboard serve (pid 1 on host nas)" + "x" * 80)[:63]
    assert (arguments["host"], arguments["port"], arguments["dbname"]) == (
        "db.example",
        6543,
        "comics",
    )
    assert (arguments["user"], arguments["password"], arguments["sslmode"]) == (
        "bag",
        "s3cret",
        "require",
    )
    assert arguments["options"].startswith("-c x=1 -c tcp_keepalives_idle=")
    assert arguments["autocommit"] is True


def test_each_database_gets_its_kind_of_lock() -> None:
    assert isinstance(scan_locks_for("postgresql+psycopg://u@h/db", "x"), PgScanLocks)
    assert isinstance(scan_locks_for("sqlite:////srv/bagboard/bagboard.db", "x"), FileScanLocks)
    assert lock_folder("/srv/bagboard/bagboard.db").as_posix() == "/srv/bagboard/bagboard.db.locks"
    assert scan_locks_for("sqlite://", "x") is None
    assert scan_locks_for("sqlite:///:memory:", "x") is None
