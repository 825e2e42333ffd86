"""The targets of bench/clu.py's rows: a multiple of CLU's figure, a fraction of another row
measured in the same pass (the one-route Litestar floor, the same content another way, or for
the sequential writes the storage's sync floor), a p99 ceiling; and the targets of what is not
a wrk row."""

from __future__ import annotations

from dataclasses import dataclass

from floor_apps import KINDS
from http_targets import PSE_LABEL, PSE_TRACKED_LABEL, PUT_LABEL, REFERENCE
from sync_floor import FDATASYNC_FLOOR, SYNC_FLOOR

TIMES = "\u00d7"  # the multiplication sign
AT_LEAST = "\u2265"
AT_MOST = "\u2264"
CLU = "CLU"
FLOOR_BARE = KINDS["bare"]
FLOOR = KINDS["litestar"]
WRITE_FLOOR = KINDS["write"]
# What the machine allows rather than what bagboard does: never profiled, never judged.
FLOORS = (FLOOR_BARE, FLOOR, WRITE_FLOOR, SYNC_FLOOR, FDATASYNC_FLOOR)
ISSUES_MD = "issues, metadata"


@dataclass(frozen=True)
class Goal:
    """req/s at least ``factor`` times ``of`` (CLU's reference, or another row's median)."""

    factor: float
    of: str

    def text(self) -> str:
        name = _NAMES.get(self.of, self.of)
        return f"{AT_LEAST} {self.factor:g}{TIMES} {name}"

    def wanted(self, label: str, rps: dict[str, float]) -> float | None:
        """The req/s this goal asks of ``label``; None when its base was not measured."""
        if self.of == CLU:
            reference = REFERENCE.get(label)
            return self.factor * reference[0] if reference else None
        base = rps.get(self.of)
        return None if base is None else self.factor * base


_NAMES = {FLOOR: "the Litestar floor", SYNC_FLOOR: "the sync floor"}
_TEN_CLU = Goal(10, CLU)
_LIST = [_TEN_CLU, Goal(0.33, FLOOR)]
_THIRD_FLOOR = [Goal(0.33, FLOOR)]
GOALS: dict[str, list[Goal]] = {
    "auth/ping": [Goal(0.67, FLOOR)],
    "publishers, metadata": _LIST,
    "publishers, filesystem": _LIST,
    "series, filesystem": _LIST,
    "series, metadata": _LIST,
    "issues, filesystem": _THIRD_FLOOR,
    ISSUES_MD: _THIRD_FLOOR,
    "recent": _THIRD_FLOOR,
    "progress/since": _THIRD_FLOOR,
    "issue detail": _THIRD_FLOOR,
    "download (~140 KB file)": [_TEN_CLU],
    # Each answered write waits for a durable commit (an fdatasync of SQLite's WAL, or
    # PostgreSQL's WAL flush) and the client waits for each answer: ``put_share`` states the
    # row against the write floor (a bare ASGI app making one such commit per PUT, driven by
    # the same client) and the sync floor, both measured in the same pass.
    PUT_LABEL: [_TEN_CLU],
    "OPDS 1.2 issues of a series": [Goal(0.67, ISSUES_MD)],
    "OPDS 2.0 issues of a series": [Goal(0.67, ISSUES_MD)],
    PSE_TRACKED_LABEL: [Goal(0.67, PSE_LABEL)],
}
P99_MS: dict[str, float] = {PSE_TRACKED_LABEL: 20.0}

IMPORT_TIMES_CLU = 10.0  # comics/s imported, times CLU's
RESCAN_RATE = 100_000.0  # files/s, an unchanged rescan
RSS_MB = {20_000: 150.0}  # peak memory of `bagboard serve`, MB, up to that many comics
RSS_MB_MORE = 300.0


def checks(label: str, rps: dict[str, float], p99: float) -> list[tuple[str, str | None]]:
    """Each target of ``label``: its text, and how it is missed (None when met), given every
    row's median req/s and the row's own median p99; a target whose base was not measured
    is left out."""
    found: list[tuple[str, str | None]] = []
    mine = rps[label]
    for goal in GOALS.get(label, []):
        wanted = goal.wanted(label, rps)
        if wanted is not None:
            unit = "writes/s" if label == PUT_LABEL else "req/s"
            miss = f"{mine:,.0f} {unit}, {goal.text()} is {wanted:,.0f}"
            found.append((goal.text(), miss if mine < wanted else None))
    if label in P99_MS:
        text = f"p99 {AT_MOST} {P99_MS[label]:g} ms"
        found.append((text, f"p99 {p99:.1f} ms, {text}" if p99 > P99_MS[label] else None))
    return found


def goal_cell(label: str, rps: dict[str, float], p99: float) -> str:
    """The row's targets as the table prints them, each marked met or missed."""
    return ", ".join(
        ("\u2717 " if miss else "\u2713 ") + text for text, miss in checks(label, rps, p99)
    )


def row_misses(label: str, rps: dict[str, float], p99: float) -> list[str]:
    """What ``label`` misses, one line each."""
    return [miss for _, miss in checks(label, rps, p99) if miss]


def rss_limit_mb(comics: int) -> float:
    return next((mb for upto, mb in sorted(RSS_MB.items()) if comics <= upto), RSS_MB_MORE)
