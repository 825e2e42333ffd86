"""Check results and the report a run prints: one line per check, then a summary.

Every check belongs to exactly one of three kinds:

- *core*: what the reference document promises and the reference server does (where the two
  disagree, either answer passes). Every ``/api/v1`` server owes it to the clients; a core
  failure fails the run.
- *reference deviation*: where the reference server departs from its own document
  (``deviations.py``). The check holds a server to the document; a failure is reported, with
  the deviation's id, and never fails the run: the reference itself fails it.
- *extension*: bagboard's **better** behaviours. Reported apart; a failure fails the run only
  with ``--strict``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bagboard.conformance.client import BadReply
from bagboard.conformance.deviations import KNOWN_DEVIATIONS, Deviation

__all__ = ["HEADINGS", "MAX_SHOWN", "Kind", "Outcome", "Report", "Result", "show"]

# Enough to see what a server sent without flooding the terminal with a page of JSON.
MAX_SHOWN: Final = 240


class Outcome(StrEnum):
    PASS = "PASS"  # noqa: S105 - an outcome, not a password
    FAIL = "FAIL"
    SKIP = "SKIP"


class Kind(StrEnum):
    CORE = "core"
    DEVIATION = "reference_deviation"
    EXTENSION = "extension"


# The summary's heading of each kind, in the order the summary shows them.
HEADINGS: Final = {
    Kind.CORE: "core (compat)",
    Kind.DEVIATION: "reference deviations (where the reference departs from its own document; "
    "reported, never counted)",
    Kind.EXTENSION: "extensions (bagboard's better behaviours, {counted})",
}


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    outcome: Outcome
    detail: str = ""
    kind: Kind = Kind.CORE
    # The id of the known deviation a DEVIATION check holds the server to.
    deviation: str | None = None

    @property
    def extension(self) -> bool:
        return self.kind is Kind.EXTENSION

    def line(self) -> str:
        name = self.name
        if self.kind is Kind.EXTENSION:
            name += " [extension]"
        elif self.kind is Kind.DEVIATION:
            name += f" [deviation: {self.deviation}]"
        if self.outcome is Outcome.PASS:
            return f"PASS {name}"
        return f"{self.outcome} {name}: {self.detail}"

    def as_json(self) -> dict[str, str]:
        shown = {"name": self.name, "outcome": str(self.outcome)}
        if self.detail:
            shown["detail"] = self.detail
        if self.deviation is not None:
            shown["deviation"] = self.deviation
        return shown


def _kind(extension: bool) -> Kind:
    return Kind.EXTENSION if extension else Kind.CORE


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
        self.record(Result(name, Outcome.PASS, kind=_kind(extension)))
        return True

    def failed(
        self, name: str, observed: object, expected: object, *, extension: bool = False
    ) -> bool:
        detail = f"observed {show(observed)}, expected {show(expected)}"
        self.record(Result(name, Outcome.FAIL, detail, _kind(extension)))
        return False

    def skipped(self, name: str, why: str, *, extension: bool = False) -> None:
        self.record(Result(name, Outcome.SKIP, why, _kind(extension)))

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

    def departs(
        self, deviation: Deviation, name: str, ok: bool, observed: object, expected: object
    ) -> bool:
        """A check that holds the server to the reference document where the reference server
        departs from it: PASS when ``ok``, else FAIL tagged with the deviation's id."""
        if ok:
            self.record(Result(name, Outcome.PASS, kind=Kind.DEVIATION, deviation=deviation.id))
            return True
        detail = f"observed {show(observed)}, expected {show(expected)}"
        self.record(Result(name, Outcome.FAIL, detail, Kind.DEVIATION, deviation.id))
        return False

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

    def of_kind(self, kind: Kind) -> list[Result]:
        return [result for result in self.results if result.kind is kind]

    def counts(self, kind: Kind) -> dict[Outcome, int]:
        tally = dict.fromkeys(Outcome, 0)
        for result in self.of_kind(kind):
            tally[result.outcome] += 1
        return tally

    def failures(self, *, strict: bool) -> int:
        """What fails the run: core failures, and extension failures with ``--strict``.
        Reference deviations never count."""
        core = self.counts(Kind.CORE)[Outcome.FAIL]
        return core + (self.counts(Kind.EXTENSION)[Outcome.FAIL] if strict else 0)

    def exit_status(self, *, strict: bool) -> int:
        return 1 if self.failures(strict=strict) else 0

    def deviations_seen(self) -> dict[str, list[str]]:
        """Deviation id → the checks that found the server departing from the document, in
        the order of ``KNOWN_DEVIATIONS``."""
        seen: dict[str, list[str]] = {}
        for known in KNOWN_DEVIATIONS:
            names = [
                result.name
                for result in self.of_kind(Kind.DEVIATION)
                if result.deviation == known.id and result.outcome is Outcome.FAIL
            ]
            if names:
                seen[known.id] = names
        return seen

    def summary(self, *, strict: bool) -> list[str]:
        counted = "counted: --strict" if strict else "not counted without --strict"
        verdict = "FAILED" if self.failures(strict=strict) else "OK"
        lines = [
            f"{HEADINGS[Kind.CORE]}: {_tally(self.counts(Kind.CORE))}",
            f"{HEADINGS[Kind.DEVIATION]}: {_tally(self.counts(Kind.DEVIATION))}",
        ]
        lines += [
            f"  departs: {known} ({', '.join(names)})"
            for known, names in self.deviations_seen().items()
        ]
        heading = HEADINGS[Kind.EXTENSION].format(counted=counted)
        lines.append(f"{heading}: {_tally(self.counts(Kind.EXTENSION))}")
        return [*lines, f"conformance: {verdict}"]

    def as_json(self, *, strict: bool) -> dict[str, object]:
        """The whole report as one JSON object: the three sections with their counts and
        results, the deviations seen, and the verdict."""
        sections: dict[str, object] = {}
        for kind in Kind:
            tally = self.counts(kind)
            sections[str(kind)] = {
                "passed": tally[Outcome.PASS],
                "failed": tally[Outcome.FAIL],
                "skipped": tally[Outcome.SKIP],
                "counted": kind is Kind.CORE or (kind is Kind.EXTENSION and strict),
                "results": [result.as_json() for result in self.of_kind(kind)],
            }
        known = {deviation.id: deviation for deviation in KNOWN_DEVIATIONS}
        sections["deviations_seen"] = {
            key: {
                "document": known[key].document,
                "reference": known[key].reference,
                "checks": names,
            }
            for key, names in self.deviations_seen().items()
        }
        failed = self.failures(strict=strict)
        return {
            **sections,
            "strict": strict,
            "exit_status": 1 if failed else 0,
            "verdict": "FAILED" if failed else "OK",
        }


def _tally(counts: dict[Outcome, int]) -> str:
    return (
        f"{counts[Outcome.PASS]} passed, {counts[Outcome.FAIL]} failed, "
        f"{counts[Outcome.SKIP]} skipped"
    )
