"""The caches that take per-request reads off a running server's hot path: a value stands while
the change feed shows no change of its kind, and for a bounded lifetime."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bagboard.adapters.memory.changes import MemoryChangeFeed
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.password_hasher import QuickHasher
from bagboard.adapters.memory.passwords import MemoryPasswordStore
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.domain.errors import Unauthorized
from bagboard.domain.model import BrowseMode, Role, ServerSettings
from bagboard.ports.change_feed import Change
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator
from bagboard.services.cached_stores import CachedLibraryStore, CachedSettingsStore
from bagboard.services.passwords import PasswordCheck
from bagboard.services.recent_cache import (
    FOLLOWING_LIFETIME,
    UNCACHED,
    UNFOLLOWED_LIFETIME,
    Freshness,
    RecentCache,
)
from bagboard.services.sign_in_limits import SignInLimiter


def test_a_value_stands_until_its_kind_changes() -> None:
    clock, changes = ManualClock(), MemoryChangeFeed(following=True)
    cache: RecentCache[str, int] = RecentCache(clock, Freshness(changes), Change.SETTINGS)
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert cache.get("k", load) == 1
    clock.advance(FOLLOWING_LIFETIME - timedelta(seconds=1))
    changes.noted(Change.ACCESS)  # another kind: no matter
    assert cache.get("k", load) == 1
    changes.noted(Change.SETTINGS)
    assert cache.get("k", load) == 2
    cache.forget("k")
    assert cache.get("k", load) == 3


def test_a_write_of_this_process_moves_its_kind_on_at_once() -> None:
    # What else is kept under the kind (the kept answers) must not wait for the notification
    # PostgreSQL sends other processes a little after the commit.
    changes = MemoryChangeFeed(following=True)
    settings = CachedSettingsStore(MemorySettingsStore(), ManualClock(), Freshness(changes))
    before = {kind: changes.version(kind) for kind in Change}
    settings.save(ServerSettings(browse_mode=BrowseMode.FILESYSTEM))
    after = {kind: changes.version(kind) for kind in Change}
    assert [kind for kind in Change if after[kind] != before[kind]] == [Change.SETTINGS]


def test_a_value_lives_long_while_followed_and_briefly_otherwise() -> None:
    clock = ManualClock()
    followed: RecentCache[str, int] = RecentCache(
        clock, Freshness(MemoryChangeFeed(following=True)), Change.INDEX
    )
    unfollowed: RecentCache[str, int] = RecentCache(
        clock, Freshness(MemoryChangeFeed(following=False)), Change.INDEX
    )
    followed.get("k", lambda: 1)
    unfollowed.get("k", lambda: 1)
    clock.advance(UNFOLLOWED_LIFETIME)
    assert followed.get("k", lambda: 2) == 1
    assert unfollowed.get("k", lambda: 2) == 2
    clock.advance(FOLLOWING_LIFETIME)
    assert followed.get("k", lambda: 3) == 3


class _CountingClock(ManualClock):
    reads = 0

    def now(self) -> datetime:
        self.reads += 1
        return super().now()


def test_an_untimed_value_stands_while_followed_with_no_clock_read() -> None:
    clock, changes = _CountingClock(), MemoryChangeFeed(following=True)
    cache: RecentCache[str, int] = RecentCache(
        clock, Freshness(changes), Change.SETTINGS, untimed=True
    )
    assert cache.get("k", lambda: 1) == 1
    reads = clock.reads
    clock.advance(FOLLOWING_LIFETIME * 10)
    assert cache.get("k", lambda: 2) == 1
    assert clock.reads == reads
    changes.noted(Change.SETTINGS)
    assert cache.get("k", lambda: 3) == 3
    # While the feed cannot tell every change, the short bound holds as for any cache.
    changes._following = False
    assert cache.get("k", lambda: 4) == 3
    clock.advance(UNFOLLOWED_LIFETIME)
    assert cache.get("k", lambda: 5) == 5


def test_the_saved_settings_are_kept_while_followed_whatever_the_time() -> None:
    clock, changes = _CountingClock(), MemoryChangeFeed(following=True)
    inner = MemorySettingsStore()
    settings = CachedSettingsStore(inner, clock, Freshness(changes))
    assert settings.load().browse_mode is BrowseMode.METADATA
    inner.save(ServerSettings(browse_mode=BrowseMode.FILESYSTEM))  # as another process
    clock.advance(FOLLOWING_LIFETIME * 2)
    reads = clock.reads
    assert settings.load().browse_mode is BrowseMode.METADATA
    assert clock.reads == reads
    changes.noted(Change.SETTINGS)
    assert settings.load().browse_mode is BrowseMode.FILESYSTEM


def test_uncached_keeps_nothing() -> None:
    cache: RecentCache[str, int] = RecentCache(ManualClock(), UNCACHED, Change.ACCESS)
    assert cache.get("k", lambda: 1) == 1
    assert cache.get("k", lambda: 2) == 2


def test_the_version_is_read_before_the_value() -> None:
    """A change committed while a value is read leaves that value for the next call."""
    changes = MemoryChangeFeed(following=True)
    cache: RecentCache[str, str] = RecentCache(ManualClock(), Freshness(changes), Change.ACCESS)

    def load_while_another_process_writes() -> str:
        changes.noted(Change.ACCESS)
        return "read during the change"

    cache.get("k", load_while_another_process_writes)
    assert cache.get("k", lambda: "read after") == "read after"


def test_recent_cache_stays_bounded() -> None:
    freshness = Freshness(MemoryChangeFeed(following=True))
    cache: RecentCache[int, int] = RecentCache(
        ManualClock(), freshness, Change.INDEX, max_entries=10
    )
    for key in range(25):
        cache.get(key, lambda key=key: key)
    assert len(cache._entries) <= 10


def test_library_store_writes_apply_at_once_and_outside_writes_with_the_feed() -> None:
    changes = MemoryChangeFeed(following=True)
    inner = MemoryLibraryStore()
    cached = CachedLibraryStore(inner, ManualClock(), Freshness(changes))
    first = cached.add("a", "/a")
    assert [lib.root for lib in cached.list(enabled_only=True)] == ["/a"]
    cached.set_enabled(first.id, False)
    assert cached.list(enabled_only=True) == []  # through the wrapper: at once
    inner.set_enabled(first.id, True)  # another process...
    assert cached.list(enabled_only=True) == []
    changes.noted(Change.LIBRARIES)  # ...whose commit the feed tells
    assert [lib.root for lib in cached.list(enabled_only=True)] == ["/a"]


def test_settings_store_save_applies_at_once_and_outside_saves_with_the_feed() -> None:
    changes = MemoryChangeFeed(following=True)
    inner = MemorySettingsStore()
    cached = CachedSettingsStore(inner, ManualClock(), Freshness(changes))
    cached.save(ServerSettings(BrowseMode.FILESYSTEM))
    assert cached.load().browse_mode is BrowseMode.FILESYSTEM
    inner.save(ServerSettings(BrowseMode.METADATA))
    assert cached.load().browse_mode is BrowseMode.FILESYSTEM
    changes.noted(Change.SETTINGS)
    assert cached.load().browse_mode is BrowseMode.METADATA


def test_a_token_revoked_elsewhere_is_refused_once_the_feed_tells() -> None:
    clock, users, tokens = ManualClock(), MemoryUserStore(), MemoryTokenStore()
    changes = MemoryChangeFeed(following=True)
    accounts = AccountService(users, tokens, clock)
    auth = Authenticator(users, tokens, clock, freshness=Freshness(changes))
    issued = accounts.create_token()
    header = f"Bearer {issued.secret}"
    assert auth.authenticate(header).id == issued.token.user_id
    tokens.revoke(issued.token.id, clock.now())  # as the CLI would, in its own process
    assert auth.authenticate(header).id == issued.token.user_id  # not told yet
    changes.noted(Change.ACCESS)
    with pytest.raises(Unauthorized):
        auth.authenticate(header)


def test_cached_tokens_still_record_use_once_a_minute() -> None:
    clock, users, tokens = ManualClock(), MemoryUserStore(), MemoryTokenStore()
    issued = AccountService(users, tokens, clock).create_token()
    freshness = Freshness(MemoryChangeFeed(following=True), following=timedelta(hours=1))
    auth = Authenticator(users, tokens, clock, freshness=freshness)
    header = f"Bearer {issued.secret}"
    auth.authenticate(header)
    first = tokens.list()[0].last_used_at
    clock.advance(timedelta(seconds=30))
    auth.authenticate(header)
    assert tokens.list()[0].last_used_at == first
    clock.advance(timedelta(seconds=31))
    auth.authenticate(header)
    assert tokens.list()[0].last_used_at == clock.now()


def test_a_remembered_password_is_checked_again_once_accounts_change() -> None:
    clock, changes = ManualClock(), MemoryChangeFeed(following=True)
    users = MemoryUserStore()
    passwords = MemoryPasswordStore(users)
    hasher = QuickHasher()
    check = PasswordCheck(
        users, passwords, hasher, SignInLimiter(clock), clock, freshness=Freshness(changes)
    )
    alice = users.add("alice", Role.OWNER)
    check.set(alice, "correct horse battery")
    assert check.verify("alice", "correct horse battery").id == alice.id
    # Another process changes the password: the memo stands until the feed tells.
    passwords.set_password_hash(alice.id, hasher.hash("another password entirely"))
    assert check.verify("alice", "correct horse battery").id == alice.id
    changes.noted(Change.ACCESS)
    with pytest.raises(Unauthorized):
        check.verify("alice", "correct horse battery")
