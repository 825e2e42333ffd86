"""``bagboard problems``: the files the scans could not read, and why."""

from __future__ import annotations

import argparse
import json
from datetime import UTC
from typing import Any

from bagboard.cli.common import Commands, Leaf, out, when
from bagboard.domain.pagination import MAX_PAGE_SIZE, PageRequest
from bagboard.library import ComicLibrary
from bagboard.services.problems import ProblemView

__all__ = ["add_problems_command", "cmd_problems"]


def _all(app: ComicLibrary) -> list[ProblemView]:
    found: list[ProblemView] = []
    page = 1
    while True:
        listing = app.problems.list(PageRequest(page, MAX_PAGE_SIZE))
        found.extend(listing.items)
        if not listing.has_more:
            return found
        page += 1


def _json(view: ProblemView) -> dict[str, Any]:
    problem = view.problem
    return {
        "id": problem.comic_id,
        "library": view.library.name,
        "root": view.library.root,
        "path": view.relative_path,
        "error": problem.error,
        "tried_at": problem.tried_at.astimezone(UTC).isoformat(timespec="seconds"),
    }


def cmd_problems(app: ComicLibrary, args: argparse.Namespace) -> int:
    problems = _all(app)
    if args.json:
        out(json.dumps([_json(view) for view in problems], ensure_ascii=False, indent=2))
        return 0
    if problems:
        out("library\tpath\ttried (UTC)\treason")
    for view in problems:
        reason = " ".join(view.problem.error.split())  # one line, whatever the reader said
        out(f"{view.library.name}\t{view.relative_path}\t{when(view.problem.tried_at)}\t{reason}")
    count = len(problems)
    out(f"{count} file{'' if count == 1 else 's'} could not be read")
    return 0


def add_problems_command(commands: Commands, leaf: Leaf) -> None:
    problems = leaf(
        commands,
        "problems",
        cmd_problems,
        "list the files the scans could not read (paths relative to their library)",
    )
    problems.add_argument("--json", action="store_true", help="print a JSON array instead")
