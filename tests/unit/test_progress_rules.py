"""The conflict rule and the feed order, as pure functions (``domain/progress*.py``)."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bagboard.domain.errors import InvalidInput
from bagboard.domain.progress import (
    CLOCK_TOLERANCE,
    MAX_CLOCK_AHEAD,
    MAX_DEVICE_TEXT,
    TICK,
    Device,
    ProgressChange,
    ReadingProgress,
    StaleProgress,
    apply_change,
    change_stamp,
    clear,
    holds,
    is_stale,
    next_change_time,
    read_position,
    stamped_by_server,
    trusted_time,
)
from bagboard.domain.progress_feed import FeedCursor, Source

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
NOW_UNIX = int(NOW.timestamp())
PATH = "/comics/a.cbz"


def stored(client_time: int | None = 200, *, cleared: bool = False) -> ReadingProgress:
    return ReadingProgress(PATH, 12, 40, 300, NOW - timedelta(hours=1), client_time, cleared)


# --- is_stale: every combination --------------------------------------------------------


@pytest.mark.parametrize(
    ("change_time", "stored_time", "stale"),
    [
        (None, None, False),  # neither side timed
        (None, 200, False),  # an untimed write always applies (the reference's behaviour)
        (100, None, False),  # nothing timed stored: the timed write applies
        (199, 200, True),  # older: refused
        (200, 200, False),  # the same time: a replay of itself, applies
        (201, 200, False),  # newer: applies
        (0, 1, True),
    ],
)
def test_is_stale(change_time: int | None, stored_time: int | None, stale: bool) -> None:
    assert is_stale(change_time, stored_time) is stale


@pytest.mark.parametrize(
    ("change_time", "stored_time", "stale"),
    [
        (None, 200, False),
        (100, None, False),
        (200 - CLOCK_TOLERANCE - 1, 200, True),  # further behind than any clock lags
        (200 - CLOCK_TOLERANCE, 200, False),  # a device clock a minute behind the server's
        (199, 200, False),
        (201, 200, False),
    ],
)
def test_is_stale_against_a_time_the_server_stamped(
    change_time: int | None, stored_time: int | None, stale: bool
) -> None:
    assert is_stale(change_time, stored_time, server_stamped=True) is stale


@pytest.mark.parametrize(
    ("change_time", "stored_time", "stored_by_server", "expected"),
    [
        (150, 200, True, False),  # a timed change stores a device's time
        (150, None, False, False),
        (None, None, False, True),  # untimed: the server's time now
        (None, 100, False, True),
        (None, NOW_UNIX + 999, False, False),  # a device's time still ahead is kept, as it was
        (None, NOW_UNIX + 999, True, True),
    ],
)
def test_stamped_by_server(
    change_time: int | None, stored_time: int | None, stored_by_server: bool, expected: bool
) -> None:
    assert stamped_by_server(change_time, stored_time, stored_by_server, NOW) is expected


@pytest.mark.parametrize(
    ("change_time", "stored_time", "expected"),
    [
        (150, 200, 150),  # only reached when allowed; the device's own time is kept
        (300, 200, 300),
        (300, None, 300),
        (None, None, NOW_UNIX),  # untimed: counts as made now
        (None, 100, NOW_UNIX),
        (None, NOW_UNIX + 999, NOW_UNIX + 999),  # never earlier than what it replaced
    ],
)
def test_change_stamp(change_time: int | None, stored_time: int | None, expected: int) -> None:
    assert change_stamp(change_time, stored_time, NOW) == expected


# --- apply_change ------------------------------------------------------------------------


def test_a_first_write_needs_a_page_and_starts_other_fields_empty() -> None:
    saved = apply_change(None, ProgressChange(page_number=3), PATH, NOW)
    assert saved == ReadingProgress(PATH, 3, None, 0, NOW, NOW_UNIX, server_stamped=True)
    with pytest.raises(InvalidInput):
        apply_change(None, ProgressChange(total_pages=5), PATH, NOW)


def test_fields_left_out_keep_the_stored_values() -> None:
    saved = apply_change(stored(), ProgressChange(client_time=250), PATH, NOW)
    assert (saved.page_number, saved.total_pages, saved.time_spent) == (12, 40, 300)
    assert (saved.updated_at, saved.client_updated_at) == (NOW, 250)
    saved = apply_change(stored(), ProgressChange(13, 41, 301, 250), "/moved.cbz", NOW)
    assert saved == ReadingProgress("/moved.cbz", 13, 41, 301, NOW, 250)


def test_an_older_write_raises_with_the_stored_position_and_a_cleared_one_with_none() -> None:
    with pytest.raises(StaleProgress) as refused:
        apply_change(stored(200), ProgressChange(30, client_time=100), PATH, NOW)
    assert refused.value.current == stored(200)
    assert refused.value.code == "stale"
    with pytest.raises(StaleProgress) as refused:
        apply_change(stored(200, cleared=True), ProgressChange(30, client_time=100), PATH, NOW)
    assert refused.value.current is None


def test_a_write_after_a_clear_starts_afresh() -> None:
    saved = apply_change(stored(200, cleared=True), ProgressChange(2, client_time=300), PATH, NOW)
    assert saved == ReadingProgress(PATH, 2, None, 0, NOW, 300)


def test_clearing_stamps_now_so_older_replays_lose() -> None:
    tombstone = clear(stored(100), NOW)
    assert tombstone.cleared and tombstone.updated_at == NOW
    assert tombstone.client_updated_at == NOW_UNIX
    assert tombstone.server_stamped
    assert is_stale(NOW_UNIX - CLOCK_TOLERANCE - 1, NOW_UNIX, server_stamped=True)


def test_a_timed_write_a_little_behind_an_untimed_one_applies_and_keeps_its_time() -> None:
    untimed = apply_change(stored(), ProgressChange(page_number=14), PATH, NOW)
    assert (untimed.client_updated_at, untimed.server_stamped) == (NOW_UNIX, True)
    later = NOW + timedelta(seconds=5)
    lagging = ProgressChange(page_number=15, client_time=NOW_UNIX - 30)
    saved = apply_change(untimed, lagging, PATH, later)
    assert (saved.page_number, saved.client_updated_at, saved.server_stamped) == (
        15,
        NOW_UNIX - 30,
        False,
    )
    with pytest.raises(StaleProgress):
        apply_change(untimed, ProgressChange(16, client_time=NOW_UNIX - 90), PATH, later)
    # Against the timed time it stored, comparisons are exact again.
    with pytest.raises(StaleProgress):
        apply_change(saved, ProgressChange(16, client_time=NOW_UNIX - 31), PATH, later)


def test_a_timed_write_behind_a_timed_one_is_refused_however_close() -> None:
    timed = apply_change(stored(), ProgressChange(14, client_time=NOW_UNIX), PATH, NOW)
    assert not timed.server_stamped
    with pytest.raises(StaleProgress):
        apply_change(timed, ProgressChange(15, client_time=NOW_UNIX - 1), PATH, NOW)


# --- the position a read mark writes ----------------------------------------------------


def test_a_read_mark_moves_the_position_on_to_the_last_page_and_never_back() -> None:
    change = read_position(40, TABLET)
    assert change == ProgressChange(40, 40, device=TABLET, forward_only=True)
    moved = apply_change(stored(), change, PATH, NOW)
    assert (moved.page_number, moved.total_pages, moved.device) == (40, 40, TABLET)
    assert apply_change(moved, change, PATH, NOW) is moved  # already there: nothing written
    past = replace(stored(), page_number=45)
    assert apply_change(past, change, PATH, NOW) is past
    assert apply_change(None, change, PATH, NOW).page_number == 40
    assert apply_change(stored(cleared=True), change, PATH, NOW).page_number == 40


def test_a_read_mark_of_no_pages_or_an_unknown_count_writes_no_position() -> None:
    assert read_position(0) is None
    assert read_position(None) is None


def test_negative_numbers_are_refused() -> None:
    for field in ("page_number", "total_pages", "time_spent", "client_time"):
        with pytest.raises(InvalidInput):
            ProgressChange(**{field: -1})


# --- devices and forward-only changes ----------------------------------------------------

TABLET = Device("tablet-1", "Kobo")


def test_a_device_is_named_within_limits() -> None:
    longest = "x" * MAX_DEVICE_TEXT
    assert Device(longest, longest) == Device(longest, longest)
    assert Device("id", "").name == ""
    for device_id, name in [
        ("", "Kobo"),  # no id
        ("x" * (MAX_DEVICE_TEXT + 1), "Kobo"),
        ("id", "x" * (MAX_DEVICE_TEXT + 1)),
        ("a\x00b", "Kobo"),
        ("id", "Ko\x00bo"),
        ("id", "\ud800"),  # a lone surrogate is no storable text
    ]:
        with pytest.raises(InvalidInput):
            Device(device_id, name)


def test_an_applied_change_records_its_device_and_one_without_clears_it() -> None:
    saved = apply_change(stored(), ProgressChange(13, device=TABLET), PATH, NOW)
    assert saved.device == TABLET
    again = apply_change(saved, ProgressChange(14), PATH, NOW)
    assert again.device is None


def test_clearing_forgets_the_device() -> None:
    tombstone = clear(replace(stored(), device=TABLET), NOW)
    assert tombstone.cleared and tombstone.device is None


def test_a_forward_only_change_is_untimed_and_names_a_page() -> None:
    with pytest.raises(InvalidInput):
        ProgressChange(5, client_time=100, forward_only=True)
    with pytest.raises(InvalidInput):
        ProgressChange(total_pages=5, forward_only=True)
    assert ProgressChange(5, forward_only=True).forward_only


@pytest.mark.parametrize(
    ("current", "page", "stands"),
    [
        (None, 0, False),  # nothing stored
        (stored(), 11, True),  # behind the stored page 12
        (stored(), 12, True),  # at it
        (stored(), 13, False),  # on from it
        (stored(cleared=True), 1, False),  # a cleared position counts as none
    ],
)
def test_holds(current: ReadingProgress | None, page: int, stands: bool) -> None:
    assert holds(current, ProgressChange(page, forward_only=True)) is stands
    assert holds(current, ProgressChange(page)) is False  # only forward-only changes hold


def test_a_held_forward_only_change_returns_the_stored_position_itself() -> None:
    current = stored(NOW_UNIX + 999)  # even a stored device time ahead of the server
    assert apply_change(current, ProgressChange(3, forward_only=True), PATH, NOW) is current


def test_a_forward_only_change_past_the_stored_page_applies_like_an_untimed_one() -> None:
    # A stored device time ahead of the server's, yet within the trusted margin, is kept.
    current = stored(NOW_UNIX + MAX_CLOCK_AHEAD - 1)
    change = ProgressChange(20, device=TABLET, forward_only=True)
    saved = apply_change(current, change, PATH, NOW)
    untimed = apply_change(current, ProgressChange(20, device=TABLET), PATH, NOW)
    assert saved == untimed
    assert (saved.page_number, saved.total_pages, saved.client_updated_at) == (
        20,
        40,
        NOW_UNIX + MAX_CLOCK_AHEAD - 1,
    )
    after_clear = apply_change(
        stored(cleared=True), ProgressChange(1, forward_only=True), PATH, NOW
    )
    assert (after_clear.page_number, after_clear.cleared) == (1, False)


@given(st.lists(st.integers(0, 500), min_size=1, max_size=40))
def test_forward_only_changes_in_any_order_end_on_the_furthest_page(pages: list[int]) -> None:
    state: ReadingProgress | None = None
    for n, page in enumerate(pages):
        before = None if state is None else state.page_number
        state = apply_change(state, ProgressChange(page, forward_only=True), PATH, NOW + n * TICK)
        assert before is None or state.page_number >= before
    assert state is not None and state.page_number == max(pages)


# --- server times and cursors ---------------------------------------------------------------


def test_change_times_always_move_forward() -> None:
    assert next_change_time(NOW, None) == NOW
    assert next_change_time(NOW, NOW - TICK) == NOW
    assert next_change_time(NOW, NOW) == NOW + TICK
    assert next_change_time(NOW - timedelta(hours=1), NOW) == NOW + TICK


def test_cursor_round_trip_and_order() -> None:
    cursor = FeedCursor(NOW + timedelta(microseconds=7), Source.MARK, 42)
    assert FeedCursor.decode(cursor.encode()) == cursor
    start = FeedCursor.since_unix(NOW_UNIX)
    assert start == FeedCursor.start(NOW)
    assert start < FeedCursor(NOW, Source.POSITION, 1) < FeedCursor(NOW, Source.MARK, 1)
    assert FeedCursor(NOW, Source.MARK, 1) < FeedCursor(NOW + TICK, Source.POSITION, 0)


def test_times_past_year_9999_are_clamped_or_refused() -> None:
    assert FeedCursor.since_unix(10**20).at.year == 9999
    far = FeedCursor(datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC), Source.MARK, 1)
    assert FeedCursor.decode(far.encode()) == far
    with pytest.raises(InvalidInput):
        FeedCursor.decode(base64.urlsafe_b64encode(b"253402300800000000.0.1").decode())


@pytest.mark.parametrize("garbage", ["", "x", "bm90IGEgY3Vyc29y", "MS4yLjM0LjU", "LTEuMC4w"])
def test_a_forged_cursor_is_invalid_input(garbage: str) -> None:
    with pytest.raises(InvalidInput):
        FeedCursor.decode(garbage)


# --- properties ------------------------------------------------------------------------------

# A write: (device, client time, page). Times are unique: "the newest write" is then defined.
writes = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.integers(0, 500)),
    min_size=1,
    max_size=30,
    unique_by=lambda w: w[1],
)


def replay(order: list[tuple[int, int, int]]) -> ReadingProgress | None:
    state: ReadingProgress | None = None
    for n, (_device, client_time, page) in enumerate(order):
        at = NOW + timedelta(seconds=n)
        try:
            state = apply_change(state, ProgressChange(page, client_time=client_time), PATH, at)
        except StaleProgress as refused:
            assert refused.current == state
    return state


@given(st.data(), writes)
def test_any_replay_order_ends_in_the_newest_write(
    data: st.DataObject, batch: list[tuple[int, int, int]]
) -> None:
    order = data.draw(st.permutations(batch))
    final = replay(order)
    newest = max(batch, key=lambda w: w[1])
    assert final is not None
    assert (final.page_number, final.client_updated_at) == (newest[2], newest[1])


@given(st.data(), writes)
def test_devices_replaying_their_own_queues_in_any_interleaving_agree(
    data: st.DataObject, batch: list[tuple[int, int, int]]
) -> None:
    # Each device sends its own writes in its own order (offline queues), interleaved at random.
    queues = {device: [w for w in batch if w[0] == device] for device in range(4)}
    for device, queue in queues.items():
        queues[device] = data.draw(st.permutations(queue))
    interleaved: list[tuple[int, int, int]] = []
    while any(queues.values()):
        device = data.draw(st.sampled_from([d for d, q in queues.items() if q]))
        interleaved.append(queues[device].pop(0))
    final = replay(interleaved)
    newest = max(batch, key=lambda w: w[1])
    assert final is not None
    assert (final.page_number, final.client_updated_at) == (newest[2], newest[1])


@given(writes)
def test_the_stored_client_time_never_goes_back(batch: list[tuple[int, int, int]]) -> None:
    state: ReadingProgress | None = None
    for client_time, page in ((w[1], w[2]) for w in batch):
        before = None if state is None else state.client_updated_at
        try:
            state = apply_change(state, ProgressChange(page, client_time=client_time), PATH, NOW)
        except StaleProgress:
            continue
        assert before is None or (state.client_updated_at or 0) >= before


# --- a device with a wrong clock (contract §6) ----------------------------------------------


def test_a_device_time_far_ahead_of_the_server_is_stored_as_the_server_time() -> None:
    year_2100 = int(datetime(2100, 1, 1, tzinfo=UTC).timestamp())
    saved = apply_change(None, ProgressChange(5, client_time=year_2100), PATH, NOW)
    assert saved.client_updated_at == NOW_UNIX
    # ...so a correct device writing a minute later is not refused as older.
    later = NOW + timedelta(minutes=1)
    fixed = apply_change(saved, ProgressChange(6, client_time=NOW_UNIX + 60), PATH, later)
    assert (fixed.page_number, fixed.client_updated_at) == (6, NOW_UNIX + 60)


def test_a_device_time_within_the_margin_is_trusted_as_sent() -> None:
    ahead = NOW_UNIX + MAX_CLOCK_AHEAD
    saved = apply_change(None, ProgressChange(5, client_time=ahead), PATH, NOW)
    assert saved.client_updated_at == ahead
    with pytest.raises(StaleProgress):
        apply_change(saved, ProgressChange(6, client_time=ahead - 1), PATH, NOW)


def test_a_stored_time_far_in_the_future_no_longer_refuses_correct_writes() -> None:
    frozen = stored(NOW_UNIX + 10 * 365 * 86400)  # written before the rule existed
    saved = apply_change(frozen, ProgressChange(9, client_time=NOW_UNIX - 30), PATH, NOW)
    assert (saved.page_number, saved.client_updated_at) == (9, NOW_UNIX - 30)
    assert clear(frozen, NOW).client_updated_at == NOW_UNIX


@pytest.mark.parametrize(
    ("sent", "taken"),
    [
        (None, None),
        (0, 0),
        (NOW_UNIX, NOW_UNIX),
        (NOW_UNIX + 300, NOW_UNIX + 300),
        (NOW_UNIX + 301, NOW_UNIX),
    ],
)
def test_trusted_time(sent: int | None, taken: int | None) -> None:
    assert trusted_time(sent, NOW) == taken
