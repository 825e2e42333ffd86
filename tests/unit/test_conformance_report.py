"""The report: one line per check, a summary, and an exit status that --strict tightens."""

from __future__ import annotations

from bagboard.conformance.client import BadReply
from bagboard.conformance.report import MAX_SHOWN, Outcome, Report, show


def test_lines_name_the_check_and_for_a_failure_what_was_seen_and_due() -> None:
    lines: list[str] = []
    report = Report(lines.append)
    report.passed("auth.ping")
    report.failed("list.series.walk", "total_pages=3", "total_pages=2")
    report.skipped("writes", "a read-only run")
    report.expect("auth.x-api-key", 401, 200, extension=True)
    assert lines == [
        "PASS auth.ping",
        "FAIL list.series.walk: observed total_pages=3, expected total_pages=2",
        "SKIP writes: a read-only run",
        "FAIL auth.x-api-key [extension]: observed 401, expected 200",
    ]


def test_values_other_than_text_are_shown_as_json_and_long_ones_are_cut() -> None:
    assert show("as is") == "as is"
    assert show({"b": True, "a": None}) == '{"a": null, "b": true}'
    long = show("x" * 1000)
    assert len(long) == MAX_SHOWN and long.endswith("…")


def test_problems_pass_when_there_are_none() -> None:
    lines: list[str] = []
    report = Report(lines.append)
    assert report.problems("list.x.items", []) is True
    assert report.problems("list.x.items", ["a", "b"]) is False
    assert lines[-1] == "FAIL list.x.items: observed a; b, expected none of these"


def test_a_malformed_answer_inside_a_guard_is_one_failure() -> None:
    report = Report()
    with report.guard("issue.detail"):
        raise BadReply("502 text/html <html>", "a JSON body")
    assert [r.outcome for r in report.results] == [Outcome.FAIL]
    assert report.results[0].line() == (
        "FAIL issue.detail: observed 502 text/html <html>, expected a JSON body"
    )


def test_extension_failures_count_only_when_strict() -> None:
    report = Report()
    report.passed("auth.ping")
    report.failed("auth.x-api-key", 401, 200, extension=True)
    report.skipped("writes", "read-only")
    assert report.exit_status(strict=False) == 0
    assert report.exit_status(strict=True) == 1
    assert report.summary(strict=False) == [
        "core (compat): 1 passed, 0 failed, 1 skipped",
        "extensions (bagboard's better behaviours, not counted without --strict): "
        "0 passed, 1 failed, 0 skipped",
        "conformance: OK",
    ]
    assert report.summary(strict=True)[-1] == "conformance: FAILED"


def test_a_core_failure_always_counts() -> None:
    report = Report()
    report.failed("list.recent.items", "missing key id", "none of these")
    assert report.exit_status(strict=False) == 1
