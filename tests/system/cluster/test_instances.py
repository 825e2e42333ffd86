"""Several servers on one database: changes reach all at once, one of them scans.

Each test runs two ``bagboard serve`` processes on one SQLite file, or three on one PostgreSQL
database, all on one library folder (``conftest.cluster``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from tests.system.cluster.conftest import Cluster, Instance, comic, wait_for

# A file added while a scanner watches is indexed within this (watch debounce + scan).
INDEXED_WITHIN = 30.0
# When the scanning process dies, another takes over within this.
TAKEOVER_WITHIN = 30.0


def _token_id(cluster: Cluster, name: str) -> str:
    for line in cluster.site.run("token", "list").splitlines():
        fields = line.split("\t")
        if len(fields) > 2 and fields[2] == name:
            return fields[0]
    raise AssertionError(f"no token named {name}")


def _shows(instance: Instance, token: str, series: str) -> bool:
    """Whether the instance lists issue 1 of ``series`` among the recent comics."""
    answer = instance.get("/api/v1/library/recent?page_size=100", token)
    assert answer.status_code == 200, answer.text
    return f'"name":"{series} 001.cbz"' in answer.text


def _new_counts(instance: Instance) -> int:
    """How many comics this process's scans indexed as new."""
    return sum(int(r.get("new", 0)) for r in instance.records() if "scanned" in r["message"])


def _scanner(cluster: Cluster) -> Instance:
    """The live process that scans the libraries (it says so in its log)."""
    scanning = [i for i in cluster.live() if _leads(i)]
    assert len(scanning) == 1, [i.logged()[-2000:] for i in cluster.live()]
    return scanning[0]


def _leads(instance: Instance) -> bool:
    """Whether the process's last word on scanning is that it scans."""
    said = [
        r["message"]
        for r in instance.records()
        if r["message"].startswith(
            ("this process scans", "another process scans", "this process lost")
        )
    ]
    return bool(said) and said[-1].startswith("this process scans")


def test_a_revoked_token_is_refused_by_every_process_on_the_next_request(
    cluster: Cluster,
) -> None:
    doomed = cluster.site.run("token", "create", "--name", "doomed").strip()
    doomed_id = _token_id(cluster, "doomed")
    for instance in cluster.instances:
        assert instance.get("/api/v1/auth/ping", doomed).status_code == 200

    # Every process keeps checking the token while the command revokes it, so each has it
    # freshly remembered when the command returns.
    with _asking(cluster.instances, doomed):
        cluster.site.run("token", "revoke", doomed_id)

    answers = [i.get("/api/v1/auth/ping", doomed).status_code for i in cluster.instances]
    assert answers == [401] * len(cluster.instances)
    # The other token goes on working everywhere.
    kept = [i.get("/api/v1/auth/ping", cluster.token).status_code for i in cluster.instances]
    assert kept == [200] * len(cluster.instances)


@contextmanager
def _asking(instances: list[Instance], token: str) -> Iterator[None]:
    """Ping every instance with ``token`` in a loop, in the background, until the block ends."""
    done = threading.Event()

    def ask() -> None:
        while not done.is_set():
            for instance in instances:
                instance.get("/api/v1/auth/ping", token)
            time.sleep(0.02)

    asker = threading.Thread(target=ask, daemon=True)
    asker.start()
    try:
        yield
    finally:
        done.set()
        asker.join(timeout=30)


def test_a_disabled_library_is_hidden_by_every_process_on_the_next_request(
    cluster: Cluster,
) -> None:
    wait_for(
        lambda: all(_shows(i, cluster.token, "Alpha") for i in cluster.instances),
        INDEXED_WITHIN,
        "the first comic indexed and shown everywhere",
        cluster.logs,
    )
    cluster.site.run("library", "disable", str(cluster.library))

    assert not any(_shows(i, cluster.token, "Alpha") for i in cluster.instances)


def test_one_process_scans_and_a_survivor_takes_over_when_it_dies(cluster: Cluster) -> None:
    wait_for(
        lambda: all(_shows(i, cluster.token, "Alpha") for i in cluster.instances),
        INDEXED_WITHIN,
        "the first comic indexed and shown everywhere",
        cluster.logs,
    )
    scanner = _scanner(cluster)

    comic(cluster.library / "Indie" / "Beta" / "Beta 001.cbz", "Beta", 1)
    wait_for(
        lambda: all(_shows(i, cluster.token, "Beta") for i in cluster.instances),
        INDEXED_WITHIN,
        "a file added to the library shown by every process",
        cluster.logs,
    )

    scanner.kill()
    wait_for(
        lambda: any(_leads(i) for i in cluster.live()),
        TAKEOVER_WITHIN,
        "a new scanner",
        cluster.logs,
    )
    successor = _scanner(cluster)
    assert successor is not scanner

    comic(cluster.library / "Indie" / "Gamma" / "Gamma 001.cbz", "Gamma", 1)
    wait_for(
        lambda: all(_shows(i, cluster.token, "Gamma") for i in cluster.live()),
        INDEXED_WITHIN,
        "a file added after the scanner died, shown by every survivor",
        cluster.logs,
    )

    # Nothing indexed twice: three files, three comics, each counted new by one scan only.
    paths = _indexed_paths(cluster)
    assert sorted(Path(p).name for p in paths) == [
        "Alpha 001.cbz",
        "Beta 001.cbz",
        "Gamma 001.cbz",
    ]
    assert sum(_new_counts(i) for i in cluster.instances) == 3


def _indexed_paths(cluster: Cluster) -> list[str]:
    engine = cluster.site.engine()
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(text("select path from comics"))]
    finally:
        engine.dispose()
