"""Values kept while the state they were read from stands, and answers kept the same way.

``VersionedCache`` keeps the last values by key, each with the version it was read at: a value
is returned only while the version asked with is the same (any hashable version: the index
generation, the change feed's numbers). Read the version *before* the value it guards, so that
a write committed while the value is read moves the version on after the value was kept.

``KeptAnswers`` keeps what the services answer to the read-only requests that reader apps
repeat most (a series' issues, the recent comics, an issue's page): an answer is a function of
the stored state and of its arguments alone, so it stands while no kind of change has been
committed since it was read (the change feed's versions of every kind, numbers in memory).
Services hand back the very object kept, so an adapter can encode it once per object
(``adapters/http/encoded.py``). Nothing is kept while the feed cannot tell every change as it
happens (``ChangeFeed.following``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from threading import Lock
from typing import Concatenate, Generic, ParamSpec, Protocol, TypeVar, cast

from bagboard.domain.model import User
from bagboard.ports.change_feed import ChangeFeed

__all__ = ["UNKEPT", "Keeping", "KeptAnswers", "VersionedCache", "kept_answer"]

V = TypeVar("V")
T = TypeVar("T")

# Answers kept in all: a page of fifty issues with their readings is some tens of kilobytes.
ANSWERS_KEPT = 512


class VersionedCache(Generic[V]):
    """The last ``size`` values by key, each valid for the version it was read at."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[Hashable, V]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, version: Hashable | None) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or version is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, version: Hashable | None, value: V) -> None:
        """Keep ``value``, read at ``version`` (read before the value was); None keeps
        nothing."""
        if version is None:
            return
        with self._lock:
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def kept(self, key: Hashable, version: Hashable | None, read: Callable[[], V]) -> V:
        """The value kept for ``key`` at ``version`` (read before the value is), else
        ``read()``, then kept. ``version`` None keeps nothing."""
        found = self.get(key, version)
        if found is None:
            found = read()
            self.put(key, version, found)
        return found


def _nothing(user_id: int) -> None:
    return None


class KeptAnswers:
    """Answers by (user, key), kept while the feed shows no change of any kind.

    ``settle`` runs first for the user asked about: the page tracker writes the user's noted
    pages there (``services/page_tracking.py``), and a write moves the version on, so an
    answer never hides a page the reader has fetched.
    """

    def __init__(
        self,
        changes: ChangeFeed | None,
        settle: Callable[[int], None] = _nothing,
        size: int = ANSWERS_KEPT,
    ) -> None:
        self._changes = changes
        self._settle = settle
        self._kept: VersionedCache[object] = VersionedCache(size)

    def get(self, user_id: int, key: Hashable, read: Callable[[], T]) -> T:
        """The answer kept for ``key`` of this user, else ``read()``, then kept. ``key`` must
        name the question whole: the method and every argument but the user."""
        self._settle(user_id)
        found = self._kept.kept((user_id, key), self._version(), read)
        return cast("T", found)  # kept by a ``read`` of the same key

    def _version(self) -> tuple[int, ...] | None:
        changes = self._changes
        if changes is None or not changes.following():
            return None
        return changes.versions()


UNKEPT = KeptAnswers(None)


class Keeping(Protocol):
    """A service whose answers ``kept_answer`` keeps."""

    kept_answers: KeptAnswers


S = TypeVar("S", bound=Keeping)
P = ParamSpec("P")


def kept_answer(
    method: Callable[Concatenate[S, User, P], T],
) -> Callable[Concatenate[S, User, P], T]:
    """Keep a read-only method's answers (``KeptAnswers``) by its name and arguments, for the
    user it is called for. Only for a method whose answer depends on nothing but the stored
    state and its arguments (not on the clock), and whose arguments are all hashable."""
    name = method.__qualname__

    @wraps(method)
    def keeping(self: S, user: User, /, *args: P.args, **kwargs: P.kwargs) -> T:
        key = (name, args, tuple(sorted(kwargs.items())))
        return self.kept_answers.get(user.id, key, lambda: method(self, user, *args, **kwargs))

    return keeping
