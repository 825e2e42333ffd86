"""The sign-in throttle of ``serve --workers N``: the workers share their failures through an
attempt log in the data folder, so N workers allow no more guesses than one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bagboard.adapters.filesystem import attempt_log
from bagboard.adapters.filesystem.attempt_log import KEEP, FileAttemptLog
from bagboard.adapters.memory.clock import ManualClock
from bagboard.config import load_settings
from bagboard.domain.attempts import ADDRESS_LIMIT, USER_LIMIT
from bagboard.domain.errors import TooManyAttempts
from bagboard.library import ComicLibrary
from bagboard.services.sign_in_limits import SignInLimiter


def workers(folder: Path, clock: ManualClock, count: int = 3) -> list[SignInLimiter]:
    return [SignInLimiter(clock, shared=FileAttemptLog(folder)) for _ in range(count)]


def test_failures_seen_by_different_workers_add_up(tmp_path: Path) -> None:
    clock = ManualClock()
    limiters = workers(tmp_path / "log", clock)
    for n in range(USER_LIMIT.limit):  # spread over the workers, as the kernel spreads them
        limiters[n % 3].check("Alice", f"10.0.0.{n}")
        limiters[n % 3].failed("Alice", f"10.0.0.{n}")
    for limiter in limiters:
        with pytest.raises(TooManyAttempts) as refused:
            limiter.check("alice", "10.0.0.99")
        assert refused.value.retry_after is not None and refused.value.retry_after > 0
    clock.advance(USER_LIMIT.window + timedelta(seconds=1))
    for limiter in limiters:
        limiter.check("alice", "10.0.0.99")  # the window has passed


def test_a_correct_password_clears_the_name_for_every_worker(tmp_path: Path) -> None:
    clock = ManualClock()
    first, second, third = workers(tmp_path / "log", clock)
    for _ in range(USER_LIMIT.limit - 1):
        first.failed("bob", None)
    second.succeeded("bob")
    third.failed("bob", None)
    third.check("bob", None)  # one failure since, not five


def test_an_address_is_limited_across_workers(tmp_path: Path) -> None:
    clock = ManualClock()
    limiters = workers(tmp_path / "log", clock, count=2)
    for n in range(ADDRESS_LIMIT.limit):
        limiters[n % 2].failed(f"name{n}", "192.168.1.7")
    for limiter in limiters:
        with pytest.raises(TooManyAttempts):
            limiter.check("somebody", "192.168.1.7")
        limiter.check("somebody", "192.168.1.8")


def test_the_log_stays_small_and_keeps_no_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = ManualClock()
    log = FileAttemptLog(tmp_path / "log")
    for _ in range(5 * KEEP):
        log.add("user alice", clock.now())
    assert len(log.times("user alice")) >= KEEP
    files = list((tmp_path / "log").iterdir())
    assert len(files) == 1 and files[0].stat().st_size < 4 * KEEP * 18
    assert "alice" not in files[0].name and "alice" not in files[0].read_text()
    files[0].write_text("garbage\n1e400\n")  # unreadable lines count as nothing
    assert log.times("user alice") == []
    # Keys nobody failed for a while are swept away.
    monkeypatch.setattr(attempt_log, "STALE_SECONDS", -1)
    monkeypatch.setattr(attempt_log, "SWEEP_EVERY", 1)
    log.add("address 10.1.1.1", clock.now())
    assert list((tmp_path / "log").iterdir()) == []


def test_workers_of_a_server_share_one_log_and_one_process_keeps_memory(tmp_path: Path) -> None:
    def limiter(workers: str) -> SignInLimiter:
        settings = load_settings(data_dir=str(tmp_path), http_workers=workers, environ={})
        with ComicLibrary.from_settings(settings, workers=0) as app:
            found: SignInLimiter = app.container.sign_in_limiter()
            return found

    one, other = limiter("2"), limiter("2")
    for _ in range(USER_LIMIT.limit):
        one.failed("carol", None)
    with pytest.raises(TooManyAttempts):
        other.check("carol", None)
    single = limiter("1")
    single.check("carol", None)  # its own counts, in memory
