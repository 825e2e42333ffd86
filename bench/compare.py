"""Compare two runs recorded by ``bench/clu.py --record``: each row's change, and a non-zero
exit when any row is more than ``--tolerance`` percent worse.

    .venv/bin/python bench/compare.py OLD.json NEW.json [--tolerance 10] [--against-floor]

Direction-aware: a rate (req/s, writes/s, comics/s, files/s) is worse when it falls, memory
when it grows. A row in one file only is listed, never judged. ``--against-floor`` judges each
req/s row (wrk's, not the one-connection writes) by its fraction of the one-route Litestar floor
measured in the same run instead of its absolute figure, which takes out what a steadily busier
or quieter machine moves for every row alike, and the sequential writes by their fraction of
the sync floor (one client's durable commits, ``sync_floor.py``) when both runs measured it
(the floor rows themselves are then not judged); a load that changes within a run still moves
rows apart.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

FLOOR = "floor: one-route Litestar"
SYNC_FLOOR = "floor: durable commits, one client"  # as sync_floor.py names them
WRITE_FLOOR = "floor: bare ASGI + durable commit, one client"  # as floor_apps.py names it
FLOORS = ("floor: bare ASGI", FLOOR, WRITE_FLOOR, SYNC_FLOOR, "floor: write + fdatasync")
PUT_LABEL = "PUT progress, sequential"


def _load(path: Path) -> dict[str, Any]:
    try:
        doc: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SystemExit(f"cannot read {path}: {exc}") from None
    if not isinstance(doc.get("rows"), dict):
        raise SystemExit(f"{path} is not a run recorded by bench/clu.py --record")
    return doc


def _floor(doc: dict[str, Any], label: str = FLOOR) -> float | None:
    row = doc["rows"].get(label)
    return float(row["value"]) if row else None


def change(old: float, new: float, better: str) -> float:
    """The change in percent, positive when better."""
    if old == 0:
        return 0.0
    moved = 100.0 * (new - old) / old
    return (moved if better == "higher" else -moved) + 0.0  # no -0.0


def _describe(doc: dict[str, Any]) -> str:
    machine = doc.get("machine", {})
    return (
        f"{doc.get('commit', '?')} on {doc.get('date', '?')}: {machine.get('cpu', '?')}, "
        f"{machine.get('cores', '?')} cores, Python {machine.get('python', '?')}, "
        f"{machine.get('database', '?')}"
    )


def _floor_of(label: str, row: dict[str, Any]) -> str | None:
    """The floor ``--against-floor`` takes ``label`` as a fraction of: the Litestar floor for
    wrk's req/s rows (the sequential writes run on one connection, that floor on many), the
    sync floor for the sequential writes; None for the floors and what is not a rate."""
    if label in FLOORS:
        return None
    if label == PUT_LABEL:
        return SYNC_FLOOR
    return FLOOR if row["unit"] == "req/s" else None


def _value(row: dict[str, Any] | None) -> str:
    return "-" if row is None else f"{float(row['value']):,.1f}"


def compare(
    old: dict[str, Any], new: dict[str, Any], tolerance: float, against_floor: bool
) -> tuple[list[str], list[str]]:
    """The table's lines, and the rows worse by more than ``tolerance`` percent."""
    old_floor, new_floor = _floor(old), _floor(new)
    relative = against_floor and old_floor is not None and new_floor is not None
    lines = [
        "| row | unit | old | new | change (+ is better) | "
        + ("change of its share of the floor | " if relative else "") + "|",
        "|---|---|---:|---:|---:|" + ("---:|" if relative else "") + "---|",
    ]  # fmt: skip
    worse = []
    for label in [*old["rows"], *(k for k in new["rows"] if k not in old["rows"])]:
        before, after = old["rows"].get(label), new["rows"].get(label)
        cells = [label, (after or before or {}).get("unit", "?"), _value(before), _value(after)]
        if before is None or after is None:
            cells += ["new" if before is None else "gone"] + [""] * (1 + relative)
            lines.append("| " + " | ".join(cells) + " |")
            continue
        better = after.get("better", "higher")
        moved = change(float(before["value"]), float(after["value"]), better)
        cells.append(f"{moved:+.1f} %")
        judged: float | None = moved
        if relative:
            judged = None if label in FLOORS else moved
            floor = _floor_of(label, after)
            bases = (_floor(old, floor), _floor(new, floor)) if floor else (None, None)
            if bases[0] and bases[1]:
                share = (before["value"] / bases[0], after["value"] / bases[1])
                judged = change(*share, better)
                cells.append(f"{judged:+.1f} %")
            else:
                cells.append("")
        verdict = ""
        if judged is not None and judged < -tolerance:
            verdict = "worse"
            worse.append(f"{label}: {judged:+.1f} %")
        lines.append("| " + " | ".join([*cells, verdict]) + " |")
    return lines, worse


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--tolerance", type=float, default=10.0, help="percent (default 10)")
    parser.add_argument(
        "--against-floor", action="store_true", help="judge req/s rows by their share of the floor"
    )
    args = parser.parse_args()
    old, new = _load(args.old), _load(args.new)
    print(f"old: {_describe(old)}\nnew: {_describe(new)}")
    if old.get("machine") != new.get("machine"):
        print("warning: the two runs were not made on the same machine and database")
    if args.against_floor and (_floor(old) is None or _floor(new) is None):
        print(f"warning: no {FLOOR!r} row in both files, judging absolute figures")
    print()
    lines, worse = compare(old, new, args.tolerance, args.against_floor)
    print("\n".join(lines))
    if worse:
        print(f"\nworse by more than {args.tolerance:g} %:")
        print("\n".join(f"- {line}" for line in worse))
        return 1
    print(f"\nno row worse by more than {args.tolerance:g} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
