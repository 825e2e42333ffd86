"""Answers kept while the change feed shows no change (``services/kept_answers.py``), and their
bodies encoded once per kept answer (``adapters/http/encoded.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bagboard.adapters.http.encoded import ByIdentity, json_answer
from bagboard.adapters.memory.changes import MemoryChangeFeed
from bagboard.domain.model import Role, User
from bagboard.ports.change_feed import Change
from bagboard.services.kept_answers import KeptAnswers, VersionedCache, kept_answer

ALICE = User(id=1, name="alice", role=Role.OWNER)
BOB = User(id=2, name="bob", role=Role.READER)


@dataclass
class Counting:
    """A service answering from a value that changes behind its back, as storage would."""

    kept_answers: KeptAnswers
    stored: dict[str, int] = field(default_factory=dict)
    reads: int = 0

    @kept_answer
    def answer(self, user: User, name: str, *, page: int = 1) -> tuple[str, int, int, int]:
        self.reads += 1
        if name == "missing":
            raise LookupError(name)
        return (name, page, user.id, self.stored.get(name, 0))


def service(*, following: bool = True) -> tuple[Counting, MemoryChangeFeed, list[int]]:
    changes = MemoryChangeFeed(following=following)
    settled: list[int] = []
    return Counting(KeptAnswers(changes, settled.append)), changes, settled


def test_an_answer_is_kept_until_any_kind_of_change() -> None:
    counting, changes, _ = service()
    first = counting.answer(ALICE, "x")
    assert counting.answer(ALICE, "x") is first
    assert counting.reads == 1
    for kind in Change:
        counting.stored["x"] = counting.stored.get("x", 0) + 1
        changes.noted(kind)
        again = counting.answer(ALICE, "x")
        assert again is not first and again[3] == counting.stored["x"], kind
        first = again
    assert counting.reads == 1 + len(Change)


def test_answers_are_kept_per_user_and_per_argument() -> None:
    counting, _, _ = service()
    answers = {
        counting.answer(ALICE, "x"),
        counting.answer(BOB, "x"),
        counting.answer(ALICE, "y"),
        counting.answer(ALICE, "x", page=2),
    }
    assert len(answers) == 4 and counting.reads == 4
    assert counting.answer(BOB, "x") == ("x", 1, BOB.id, 0)
    assert counting.reads == 4


def test_the_user_is_settled_before_every_answer() -> None:
    counting, _, settled = service()
    counting.answer(ALICE, "x")
    counting.answer(ALICE, "x")
    counting.answer(BOB, "x")
    assert settled == [ALICE.id, ALICE.id, BOB.id]


def test_nothing_is_kept_while_the_feed_does_not_follow_changes() -> None:
    counting, _, _ = service(following=False)
    counting.answer(ALICE, "x")
    counting.answer(ALICE, "x")
    assert counting.reads == 2


def test_a_failed_read_is_not_kept() -> None:
    counting, _, _ = service()
    for _ in range(2):
        with pytest.raises(LookupError):
            counting.answer(ALICE, "missing")
    assert counting.reads == 2


def test_the_oldest_answers_go_first() -> None:
    changes = MemoryChangeFeed(following=True)
    counting = Counting(KeptAnswers(changes, size=2))
    counting.answer(ALICE, "a")
    counting.answer(ALICE, "b")
    counting.answer(ALICE, "a")  # used: b is now the oldest
    counting.answer(ALICE, "c")
    assert counting.reads == 3
    counting.answer(ALICE, "a")
    assert counting.reads == 3
    counting.answer(ALICE, "b")
    assert counting.reads == 4


def test_a_versioned_value_stands_for_its_version_only() -> None:
    cache: VersionedCache[str] = VersionedCache(4)
    cache.put("k", 1, "one")
    assert cache.get("k", 1) == "one"
    assert cache.get("k", 2) is None
    assert cache.get("k", None) is None
    cache.put("k", None, "never")
    assert cache.get("k", 1) == "one"


def test_a_body_is_built_once_per_object() -> None:
    encoded: ByIdentity[bytes] = ByIdentity()
    built: list[object] = []

    def build(value: list[int], extra: str) -> bytes:
        built.append(value)
        return f"{extra}{value}".encode()

    kept = [1, 2, 3]
    first = encoded.get(kept, "a", lambda: build(kept, "a"))
    assert encoded.get(kept, "a", lambda: build(kept, "a")) == first == b"a[1, 2, 3]"
    assert built == [kept]
    assert encoded.get(kept, "b", lambda: build(kept, "b")) == b"b[1, 2, 3]"
    equal_but_new = [1, 2, 3]
    assert encoded.get(equal_but_new, "a", lambda: build(equal_but_new, "a")) == first
    assert len(built) == 3


def test_bodies_beyond_the_bounds_go_oldest_first() -> None:
    encoded: ByIdentity[bytes] = ByIdentity(max_weight=40, weight=len)
    built: list[object] = []

    def get(value: str) -> bytes:
        return encoded.get(value, None, lambda: built.append(value) or value.encode())

    a, b = "a" * 15, "b" * 15
    get(a)
    get(b)
    get(a)  # kept; b is now the oldest
    get("c" * 15)  # 45 bytes in all: b goes
    get(a)
    assert built.count(a) == 1
    get(b)
    assert built.count(b) == 2
    counted: ByIdentity[bytes] = ByIdentity(max_entries=1)
    counted.get(a, None, a.encode)
    counted.get(b, None, b.encode)
    assert counted.get(a, None, lambda: b"again") == b"again"


def test_a_kept_answer_revalidates_to_not_modified() -> None:
    value = {"items": []}
    ok = json_answer(value, dict, None)
    etag = ok.headers["ETag"]
    again = json_answer(value, dict, etag)
    assert (ok.status_code, again.status_code) == (200, 304)
    assert again.headers["ETag"] == etag
