"""The short-lived caches that take per-request reads off a running server's hot path."""

from __future__ import annotations

from datetime import timedelta

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.domain.errors import Unauthorized
from bagboard.domain.model import BrowseMode, ServerSettings
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator
from bagboard.services.cached_stores import CachedLibraryStore, CachedSettingsStore
from bagboard.services.recent_cache import RecentCache

TTL = timedelta(seconds=2)


def test_recent_cache_remembers_until_the_ttl_passes() -> None:
    clock = ManualClock()
    cache: RecentCache[str, int] = RecentCache(clock, TTL)
    loads = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert cache.get("k", load) == 1
    clock.advance(timedelta(seconds=1.9))
    assert cache.get("k", load) == 1
    clock.advance(timedelta(seconds=0.2))
    assert cache.get("k", load) == 2
    cache.forget("k")
    assert cache.get("k", load) == 3


def test_recent_cache_stays_bounded() -> None:
    cache: RecentCache[int, int] = RecentCache(ManualClock(), TTL, max_entries=10)
    for key in range(25):
        cache.get(key, lambda key=key: key)
    assert len(cache._entries) <= 10


def test_library_store_writes_apply_at_once_and_outside_writes_within_the_ttl() -> None:
    clock = ManualClock()
    inner = MemoryLibraryStore()
    cached = CachedLibraryStore(inner, clock, TTL)
    first = cached.add("a", "/a")
    assert [lib.root for lib in cached.list(enabled_only=True)] == ["/a"]
    cached.set_enabled(first.id, False)
    assert cached.list(enabled_only=True) == []  # through the wrapper: at once
    inner.set_enabled(first.id, True)  # another process
    assert cached.list(enabled_only=True) == []
    clock.advance(TTL)
    assert [lib.root for lib in cached.list(enabled_only=True)] == ["/a"]


def test_settings_store_save_applies_at_once_and_outside_saves_within_the_ttl() -> None:
    clock = ManualClock()
    inner = MemorySettingsStore()
    cached = CachedSettingsStore(inner, clock, TTL)
    cached.save(ServerSettings(BrowseMode.FILESYSTEM))
    assert cached.load().browse_mode is BrowseMode.FILESYSTEM
    inner.save(ServerSettings(BrowseMode.METADATA))
    assert cached.load().browse_mode is BrowseMode.FILESYSTEM
    clock.advance(TTL)
    assert cached.load().browse_mode is BrowseMode.METADATA


def test_a_token_revoked_elsewhere_is_refused_within_the_ttl() -> None:
    clock, users, tokens = ManualClock(), MemoryUserStore(), MemoryTokenStore()
    accounts = AccountService(users, tokens, clock)
    auth = Authenticator(users, tokens, clock, cache_ttl=TTL)
    issued = accounts.create_token()
    header = f"Bearer {issued.secret}"
    assert auth.authenticate(header).id == issued.token.user_id
    tokens.revoke(issued.token.id, clock.now())  # as the CLI would, in its own process
    assert auth.authenticate(header).id == issued.token.user_id  # still remembered
    clock.advance(TTL)
    try:
        auth.authenticate(header)
    except Unauthorized:
        pass
    else:
        raise AssertionError("the revoked token still authenticates after the ttl")


def test_cached_tokens_still_record_use_once_a_minute() -> None:
    clock, users, tokens = ManualClock(), MemoryUserStore(), MemoryTokenStore()
    issued = AccountService(users, tokens, clock).create_token()
    auth = Authenticator(users, tokens, clock, cache_ttl=timedelta(hours=1))
    header = f"Bearer {issued.secret}"
    auth.authenticate(header)
    first = tokens.list()[0].last_used_at
    clock.advance(timedelta(seconds=30))
    auth.authenticate(header)
    assert tokens.list()[0].last_used_at == first
    clock.advance(timedelta(seconds=31))
    auth.authenticate(header)
    assert tokens.list()[0].last_used_at == clock.now()
