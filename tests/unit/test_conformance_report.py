"""The report: one line per check, a summary in three sections (core, reference deviations,
extensions), its JSON form, and an exit status that --strict tightens."""

from __future__ import annotations

from bagboard.conformance.client import BadReply
from bagboard.conformance.deviations import (
    COVER_SIZE_IGNORED,
    HAS_COMICINFO_INTEGER,
    KNOWN_DEVIATIONS,
    NON_INTEGER_ID_HTML,
)
from bagboard.conformance.report import MAX_SHOWN, Kind, Outcome, Report, show


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
        "reference deviations (where the reference departs from its own document; reported, "
        "never counted): 0 passed, 0 failed, 0 skipped",
        "extensions (bagboard's better behaviours, not counted without --strict): "
        "0 passed, 1 failed, 0 skipped",
        "conformance: OK",
    ]
    assert report.summary(strict=True)[-1] == "conformance: FAILED"


def test_a_core_failure_always_counts() -> None:
    report = Report()
    report.failed("list.recent.items", "missing key id", "none of these")
    assert report.exit_status(strict=False) == 1


def deviating_report() -> Report:
    report = Report()
    report.passed("issue.not-an-integer")
    report.departs(NON_INTEGER_ID_HTML, "issue.not-an-integer.json-error", False, "404 html", "x")
    report.departs(HAS_COMICINFO_INTEGER, "list.a.has-comicinfo-boolean", False, "1", "true")
    report.departs(HAS_COMICINFO_INTEGER, "issue.detail.has-comicinfo-boolean", False, "1", "t")
    report.departs(COVER_SIZE_IGNORED, "issue.cover.size-not-an-integer.refused", True, "", "")
    return report


def test_a_deviation_is_tagged_with_its_id_and_never_counts() -> None:
    lines: list[str] = []
    report = Report(lines.append)
    report.departs(HAS_COMICINFO_INTEGER, "list.x.has-comicinfo-boolean", False, "1", "true")
    assert lines == [
        "FAIL list.x.has-comicinfo-boolean [deviation: has-comicinfo-integer]: "
        "observed 1, expected true"
    ]
    assert report.results[0].kind is Kind.DEVIATION
    assert report.exit_status(strict=False) == 0
    assert report.exit_status(strict=True) == 0


def test_the_summary_lists_the_deviations_seen_by_id_with_their_checks() -> None:
    summary = deviating_report().summary(strict=True)
    assert summary[1].endswith(": 1 passed, 3 failed, 0 skipped")
    assert summary[2:4] == [
        "  departs: has-comicinfo-integer "
        "(list.a.has-comicinfo-boolean, issue.detail.has-comicinfo-boolean)",
        "  departs: non-integer-id-html (issue.not-an-integer.json-error)",
    ]
    assert summary[-1] == "conformance: OK"


def test_the_json_report_has_the_three_sections_with_counts() -> None:
    report = deviating_report()
    report.failed("auth.x-api-key", 401, 200, extension=True)
    data = report.as_json(strict=False)
    assert data["verdict"] == "OK" and data["exit_status"] == 0 and data["strict"] is False
    core, deviations, extensions = (data[kind] for kind in ("core", "reference_deviation",
                                                              "extension"))  # fmt: skip
    assert core == {
        "passed": 1, "failed": 0, "skipped": 0, "counted": True,
        "results": [{"name": "issue.not-an-integer", "outcome": "PASS"}],
    }  # fmt: skip
    assert (deviations["passed"], deviations["failed"], deviations["counted"]) == (1, 3, False)
    assert deviations["results"][0] == {
        "name": "issue.not-an-integer.json-error",
        "outcome": "FAIL",
        "detail": "observed 404 html, expected x",
        "deviation": "non-integer-id-html",
    }
    assert (extensions["failed"], extensions["counted"]) == (1, False)
    assert list(data["deviations_seen"]) == ["has-comicinfo-integer", "non-integer-id-html"]
    assert data["deviations_seen"]["non-integer-id-html"] == {
        "document": NON_INTEGER_ID_HTML.document,
        "reference": NON_INTEGER_ID_HTML.reference,
        "checks": ["issue.not-an-integer.json-error"],
    }
    strict = report.as_json(strict=True)
    assert strict["verdict"] == "FAILED" and strict["extension"]["counted"] is True


def test_every_known_deviation_has_its_own_id() -> None:
    ids = [deviation.id for deviation in KNOWN_DEVIATIONS]
    assert len(set(ids)) == len(ids) == 3
