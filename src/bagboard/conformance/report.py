"""Check results and the report a run prints: one line per check, then a summary.

A check is *core* when the contract marks its behaviour **compat** (every ``/api/v1`` server
owes it to the clients) and an *extension* when only bagboard's **better** behaviours satisfy
it. Extension failures are reported apart and, unless ``--strict``, do not fail the run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bagboard.conformance.client import BadReply

__all__ = ["MAX_SHOWN", "Outcome", "Report", "Result", "show"]

# Enough to see what a server sent without flooding the terminal with a page of JSON.
MAX_SHOWN: Final = 240


class Outcome(StrEnum):
    PASS = "PASS"  # noqa: S105 - an outcome, not a password
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    outcome: Outcome
    detail: str = ""
    extension: bool = False

    def line(self) -> str:
        name = f"{self.name} [extension]" if self.extension else self.name
        if self.outcome is Outcome.PASS:
            return f"PASS {name}"
        return f"{self.outcome} {name}: {self.detail}"


def show(value: object) -> str:
    """A value as a failure line shows it: text verbatim, anything else as JSON."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=repr)
        except ValueError:  # a circular structure: no server sends one, but never crash on it
            text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


class Report:
    """Collects results in order and hands each line to ``out`` as it is recorded."""

    def __init__(self, out: Callable[[str], None] = lambda line: None) -> None:
        self._out = out
        self.results: list[Result] = []

    def record(self, result: Result) -> Result:
        self.results.append(result)
        self._out(result.line())
        return result

    def passed(self, name: str, *, extension: bool = False) -> bool:
        self.record(Result(name, Outcome.PASS, extension=extension))
        return True

    def failed(
        self, name: str, observed: object, expected: object, *, extension: bool = False
    ) -> bool:
        detail = f"observed {show(observed)}, expected {show(expected)}"
        self.record(Result(name, Outcome.FAIL, detail, extension))
        return False

    def skipped(self, name: str, why: str, *, extension: bool = False) -> None:
        self.record(Result(name, Outcome.SKIP, why, extension))

    def expect(
        self, name: str, observed: object, expected: object, *, extension: bool = False
    ) -> bool:
        """PASS when ``observed == expected``, else FAIL showing both."""
        if observed == expected:
            return self.passed(name, extension=extension)
        return self.failed(name, observed, expected, extension=extension)

    def that(
        self, name: str, ok: bool, observed: object, expected: object, *, extension: bool = False
    ) -> bool:
        """PASS when ``ok``, else FAIL with ``observed`` and a description of what was due."""
        if ok:
            return self.passed(name, extension=extension)
        return self.failed(name, observed, expected, extension=extension)

    def problems(self, name: str, found: list[str], *, extension: bool = False) -> bool:
        """PASS when a validation found nothing, else FAIL listing what it found."""
        if not found:
            return self.passed(name, extension=extension)
        return self.failed(name, "; ".join(found), "none of these", extension=extension)

    @contextmanager
    def guard(self, name: str, *, extension: bool = False) -> Iterator[None]:
        """Turn a malformed answer inside a block of checks into one FAIL instead of a crash.

        An unreachable server is not caught: it ends the run, since every later check would
        fail the same way."""
        try:
            yield
        except BadReply as exc:
            self.failed(name, exc.observed, exc.expected, extension=extension)

    # --- the summary ----------------------------------------------------------------------

    def counts(self, *, extension: bool) -> dict[Outcome, int]:
        tally = dict.fromkeys(Outcome, 0)
        for result in self.results:
            if result.extension is extension:
                tally[result.outcome] += 1
        return tally

    def failures(self, *, strict: bool) -> int:
        core = self.counts(extension=False)[Outcome.FAIL]
        return core + (self.counts(extension=True)[Outcome.FAIL] if strict else 0)

    def exit_status(self, *, strict: bool) -> int:
        return 1 if self.failures(strict=strict) else 0

    def summary(self, *, strict: bool) -> list[str]:
        core, ext = self.counts(extension=False), self.counts(extension=True)
        counted = "counted: --strict" if strict else "not counted without --strict"
        verdict = "FAILED" if self.failures(strict=strict) else "OK"
        return [
            f"core (compat): {_tally(core)}",
            f"extensions (bagboard's better behaviours, {counted}): {_tally(ext)}",
            f"conformance: {verdict}",
        ]


def _tally(counts: dict[Outcome, int]) -> str:
    return (
        f"{counts[Outcome.PASS]} passed, {counts[Outcome.FAIL]} failed, "
        f"{counts[Outcome.SKIP]} skipped"
    )
