"""``PageTracker``: tracked page fetches noted per (user, comic) and written shortly after,
the highest page once per flush, through the store's forward-only write; and
``TrackedProgressStore``, which writes a user's noted pages before anything reads or writes
that user's progress. A fake timer decides what is due; nothing here waits on the clock."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.domain.errors import ComicNotFound, StorageUnavailable
from bagboard.domain.model import Library
from bagboard.domain.pagination import FIRST_PAGE
from bagboard.domain.progress import ComicKey, Device, ProgressChange, ReadingProgress
from bagboard.domain.progress_feed import FeedCursor
from bagboard.services.page_tracking import ATTEMPTS, PageTracker
from bagboard.services.tracked_progress import TrackedProgressStore
from tests.contract.test_library_index import add, entry

LIBRARY = Library(id=1, name="Comics", root="/srv/comics")
DEVICE = Device("urn:bagboard:opds-pse", "OPDS page streaming")
DELAY = 0.5
ALICE, BOB = 1, 2
TRACKED_FIRST = ProgressChange(1, forward_only=True)


class FakeTimer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingStore(MemoryProgressStore):
    """The memory store, counting its writes; ``failures`` are raised by the next writes."""

    def __init__(self, index: MemoryLibraryIndex) -> None:
        super().__init__(index)
        self.saves: list[tuple[int, ComicKey, int | None]] = []
        self.failures: list[Exception] = []
        self.saved = threading.Event()

    def save(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress:
        if self.failures:
            raise self.failures.pop(0)
        self.saves.append((user_id, key, change.page_number))
        saved = super().save(user_id, key, change, now)
        self.saved.set()
        return saved


class World:
    def __init__(self) -> None:
        self.index = MemoryLibraryIndex()
        ids = add(self.index, LIBRARY, *(entry(f"{LIBRARY.root}/{n}.cbz") for n in "abc"))
        self.keys = [ComicKey(path, comic_id) for path, comic_id in sorted(ids.items())]
        self.store = CountingStore(self.index)
        self.clock = ManualClock(datetime(2026, 4, 1, 9, 0, tzinfo=UTC))
        self.timer = FakeTimer()
        self.tracker = PageTracker(
            self.store, self.clock, delay=DELAY, timer=self.timer, background=False
        )
        self.tracked = TrackedProgressStore(self.store, self.tracker)

    def fetch(self, user_id: int, key: ComicKey, number: int) -> None:
        """What a tracked fetch of 0-based page ``number`` notes."""
        change = ProgressChange(number + 1, 10, device=DEVICE, forward_only=True)
        self.tracker.track(user_id, key, change)

    def page(self, user_id: int, key: ComicKey) -> int | None:
        found = self.store.position(user_id, key)  # the store itself: no flush
        return None if found is None else found.page_number

    def later(self, seconds: float) -> None:
        self.timer.now += seconds


@pytest.fixture
def world() -> World:
    return World()


def test_the_highest_page_noted_is_written_once_when_due(world: World) -> None:
    key = world.keys[0]
    for number in (3, 5, 4):
        world.fetch(ALICE, key, number)
    # Nothing touches the store while the pages are answered...
    assert world.store.saves == []
    assert world.tracker.pending() == 1
    assert world.tracker.due_in() == DELAY
    world.later(DELAY / 2)
    assert world.tracker.flush_due() == 0
    assert world.page(ALICE, key) is None
    # ...then one write, of the highest page (fetched page 5 is page 6, counted from 1).
    world.later(DELAY / 2)
    assert world.tracker.flush_due() == 1
    assert world.store.saves == [(ALICE, key, 6)]
    assert world.page(ALICE, key) == 6
    assert world.store.position(ALICE, key).device == DEVICE  # type: ignore[union-attr]
    assert world.tracker.pending() == 0
    assert world.tracker.due_in() is None
    assert world.tracker.flush_due() == 0
    assert len(world.store.saves) == 1


def test_one_write_per_user_and_comic_per_flush(world: World) -> None:
    a, b, _ = world.keys
    for number in range(8):
        world.fetch(ALICE, a, number)
        world.fetch(ALICE, b, 7 - number)
        world.fetch(BOB, a, number // 2)
    world.later(DELAY)
    assert world.tracker.flush_due() == 3
    assert sorted(world.store.saves, key=str) == sorted(
        [(ALICE, a, 8), (ALICE, b, 8), (BOB, a, 4)], key=str
    )
    assert (world.page(ALICE, a), world.page(ALICE, b), world.page(BOB, a)) == (8, 8, 4)


def test_a_reader_paging_on_is_written_every_delay_not_postponed(world: World) -> None:
    key = world.keys[0]
    world.fetch(ALICE, key, 0)
    world.later(DELAY * 0.9)
    world.fetch(ALICE, key, 1)  # a later, higher page keeps the first fetch's due time
    world.later(DELAY * 0.1)
    assert world.tracker.flush_due() == 1
    assert world.page(ALICE, key) == 2
    world.fetch(ALICE, key, 2)  # noted again after the write: due a delay later
    assert world.tracker.flush_due() == 0
    world.later(DELAY)
    assert world.tracker.flush_due() == 1
    assert world.page(ALICE, key) == 3


def test_a_position_written_meanwhile_is_never_moved_back(world: World) -> None:
    a, b, _ = world.keys
    world.fetch(ALICE, a, 3)
    world.fetch(ALICE, b, 3)
    # Another device (or server process) moves the position on past the noted page, and
    # sets the other comic back by its own clock: neither is overtaken by the noted page...
    world.store.save(ALICE, a, ProgressChange(9, client_time=100), world.clock.now())
    world.store.save(ALICE, b, ProgressChange(2, client_time=100), world.clock.now())
    world.later(DELAY)
    world.tracker.flush_due()
    assert world.page(ALICE, a) == 9
    # ...except by the store's forward-only rule: page 4 is ahead of page 2.
    assert world.page(ALICE, b) == 4


def test_a_read_or_write_of_the_user_comes_after_their_noted_pages(world: World) -> None:
    a, b, _ = world.keys
    world.fetch(ALICE, a, 4)
    world.fetch(BOB, a, 2)
    # Alice asks where she is, before anything was due: she sees page 5.
    found = world.tracked.position(ALICE, a)
    assert found is not None
    assert found.page_number == 5
    assert world.store.saves == [(ALICE, a, 5)]
    # Bob's page waits for its flush (or for Bob).
    assert world.page(BOB, a) is None
    assert world.tracker.pending() == 1
    assert world.tracked.readings(BOB, [a.comic_id or 0])[a.comic_id or 0].last_page == 3
    # A clear after a fetch is not undone by the fetch's noted page.
    world.fetch(ALICE, b, 6)
    assert world.tracked.clear(ALICE, b, world.clock.now())
    world.later(DELAY)
    assert world.tracker.flush_due() == 0
    assert world.tracked.position(ALICE, b).cleared  # type: ignore[union-attr]


def test_a_save_at_once_is_refused_while_the_user_has_noted_pages(world: World) -> None:
    a, b, _ = world.keys
    world.fetch(ALICE, a, 4)
    change = ProgressChange(2, 10)
    # Writing the noted page first would wait: the caller saves the usual way instead.
    assert world.tracked.save_at_once(ALICE, b, change, world.clock.now()) is None
    assert world.store.saves == []
    assert world.tracked.save_at_once(BOB, b, change, world.clock.now()) is not None
    world.tracked.position(ALICE, a)  # writes the noted page
    saved = world.tracked.save_at_once(ALICE, b, change, world.clock.now())
    assert saved is not None and world.page(ALICE, b) == 2


@pytest.mark.parametrize(
    "read",
    [
        lambda w, key: w.tracked.touched(ALICE, [LIBRARY.id]),
        lambda w, key: w.tracked.keep_reading(ALICE, [LIBRARY.id], FIRST_PAGE),
        lambda w, key: w.tracked.changes(ALICE, FeedCursor.since_unix(0), FIRST_PAGE),
        lambda w, key: w.tracked.set_read(ALICE, key, False, w.clock.now()),
        lambda w, key: w.tracked.save(ALICE, key, TRACKED_FIRST, w.clock.now()),
    ],
    ids=["touched", "keep_reading", "changes", "set_read", "save"],
)
def test_every_store_call_writes_the_noted_pages_first(
    world: World, read: Callable[[World, ComicKey], object]
) -> None:
    key = world.keys[0]
    world.fetch(ALICE, key, 4)
    read(world, key)
    assert world.page(ALICE, key) == 5


def test_stopping_writes_everything_noted(world: World) -> None:
    a, b, _ = world.keys
    world.fetch(ALICE, a, 1)
    world.fetch(BOB, b, 2)
    assert world.tracker.stop() == 2
    assert (world.page(ALICE, a), world.page(BOB, b)) == (2, 3)
    assert world.tracker.pending() == 0


def test_a_busy_database_is_tried_again_then_given_up(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    key = world.keys[0]
    world.fetch(ALICE, key, 4)
    world.store.failures = [StorageUnavailable() for _ in range(ATTEMPTS)]
    world.later(DELAY)
    assert world.tracker.flush_due() == 0
    assert world.tracker.pending() == 1  # noted again
    world.fetch(ALICE, key, 6)  # a higher page meanwhile takes its place
    for _ in range(ATTEMPTS - 1):
        world.later(DELAY)
        assert world.tracker.flush_due() == 0
    # Given up after ATTEMPTS tries, with a line that names ids only.
    assert world.tracker.pending() == 0
    assert world.page(ALICE, key) is None
    assert "was not saved" in caplog.text
    assert "tried again" in caplog.text
    assert key.path not in caplog.text
    # A fetch after that is written as usual.
    world.fetch(ALICE, key, 6)
    world.later(DELAY)
    assert world.tracker.flush_due() == 1
    assert world.page(ALICE, key) == 7


def test_a_busy_database_then_a_write(world: World) -> None:
    key = world.keys[0]
    world.fetch(ALICE, key, 4)
    world.store.failures = [StorageUnavailable()]
    world.later(DELAY)
    assert world.tracker.flush_due() == 0
    world.later(DELAY)
    assert world.tracker.flush_due() == 1
    assert world.page(ALICE, key) == 5


def test_any_other_failure_drops_that_position_only_and_is_logged_without_the_path(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    a, b, _ = world.keys
    world.fetch(ALICE, a, 1)
    world.fetch(ALICE, b, 2)
    world.store.failures = [ComicNotFound(f"gone: {a.path}")]
    world.later(DELAY)
    with caplog.at_level(logging.WARNING, "bagboard.services.page_tracking"):
        assert world.tracker.flush_due() == 1  # the other comic is written
    assert world.tracker.pending() == 0
    assert [world.page(ALICE, a), world.page(ALICE, b)] in ([None, 3], [2, None])
    (record,) = caplog.records
    assert "ComicNotFound" in record.getMessage()
    assert a.path not in record.getMessage()
    assert b.path not in record.getMessage()


def test_a_failure_while_a_reader_asks_does_not_fail_the_read(world: World) -> None:
    key = world.keys[0]
    world.fetch(ALICE, key, 4)
    world.store.failures = [RuntimeError("driver trouble at /srv/comics/a.cbz")]
    assert world.tracked.position(ALICE, key) is None
    assert world.tracker.pending() == 0


def test_only_forward_only_changes_are_noted(world: World) -> None:
    with pytest.raises(ValueError, match="forward-only"):
        world.tracker.track(ALICE, world.keys[0], ProgressChange(3))


def test_the_writer_thread_writes_what_falls_due_and_stops(world: World) -> None:
    tracker = PageTracker(world.store, world.clock, delay=0)
    key = world.keys[0]
    tracker.track(ALICE, key, ProgressChange(4, forward_only=True))
    # No timing: the thread writes without being asked, whenever it gets to it.
    assert world.store.saved.wait(timeout=60)
    assert world.page(ALICE, key) == 4
    assert tracker.stop() == 0
    # Noting again after a stop starts the writer again.
    world.store.saved.clear()
    tracker.track(ALICE, key, ProgressChange(5, forward_only=True))
    assert world.store.saved.wait(timeout=60)
    assert tracker.stop() == 0
    assert world.page(ALICE, key) == 5
