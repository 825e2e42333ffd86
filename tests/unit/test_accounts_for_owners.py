"""``AccountService`` for a signed-in person: owners only, the same rules as the plain
methods, and the change hook a server uses to drop its cached tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.domain.errors import Forbidden, InvalidInput, TokenNotFound, UserNotFound
from bagboard.domain.model import Role, User
from bagboard.services.accounts import AccountService


class World:
    def __init__(self) -> None:
        self.changes = 0
        self.libraries = MemoryLibraryStore()
        self.comics = self.libraries.add("Comics", "/comics")
        self.manga = self.libraries.add("Manga", "/manga")
        self.accounts = AccountService(
            MemoryUserStore(),
            MemoryTokenStore(),
            ManualClock(),
            libraries=self.libraries,
            on_change=self.count,
        )
        self.owner = self.accounts.add_user("ann", Role.OWNER)
        self.reader = self.accounts.add_user("kid", Role.READER, [self.comics.id])

    def count(self) -> None:
        self.changes += 1


@pytest.fixture
def world() -> World:
    return World()


def test_an_owner_manages_users(world: World) -> None:
    accounts, ann = world.accounts, world.owner
    assert [u.name for u in accounts.list_users_for(ann)] == ["ann", "kid"]
    assert accounts.libraries_for(ann) == [world.comics, world.manga]
    bob = accounts.add_user_as(ann, "bob", Role.READER, [world.manga.id])
    assert bob.library_ids == {world.manga.id}
    assert accounts.update_user_as(ann, "bob", Role.OWNER, None).library_ids is None
    assert accounts.user("bob").role is Role.OWNER
    assert accounts.update_user_as(ann, "bob", Role.READER, []).library_ids == frozenset()
    assert accounts.user_for(ann, "bob").name == "bob"
    accounts.remove_user_as(ann, "bob")
    with pytest.raises(UserNotFound):
        accounts.user_for(ann, "bob")
    assert world.changes == 4  # add, two updates, remove


def test_the_account_rules_still_hold(world: World) -> None:
    accounts, ann = world.accounts, world.owner
    with pytest.raises(InvalidInput, match="last owner"):
        accounts.update_user_as(ann, "ann", Role.READER, None)
    with pytest.raises(InvalidInput, match="last owner"):
        accounts.remove_user_as(ann, "ann")
    with pytest.raises(InvalidInput, match="at most 100"):
        accounts.add_user_as(ann, "b" * 101, Role.READER, None)
    with pytest.raises(InvalidInput, match="no library with id 99"):
        accounts.add_user_as(ann, "bob", Role.READER, [world.comics.id, 99])
    with pytest.raises(InvalidInput, match="no library with id 99"):
        accounts.update_user_as(ann, "kid", Role.READER, [99])
    assert accounts.user("kid").library_ids == {world.comics.id}
    assert world.changes == 0


def test_an_owner_manages_tokens(world: World) -> None:
    accounts, ann = world.accounts, world.owner
    issued = accounts.create_token_as(ann, "kid", "  phone ")
    assert issued.token.user_id == world.reader.id and issued.token.name == "phone"
    assert issued.secret not in repr(accounts.list_tokens_for(ann))
    assert accounts.revoke_token_as(ann, issued.token.id).revoked_at is not None
    assert world.changes == 1
    with pytest.raises(InvalidInput):
        accounts.create_token_as(ann, " ", "x")
    with pytest.raises(InvalidInput, match="at most 100"):
        accounts.create_token_as(ann, "kid", "x" * 101)
    with pytest.raises(UserNotFound):
        accounts.create_token_as(ann, "nobody", "x")
    for token_id in (0, -1, 2**63, 10**30, 12345):
        with pytest.raises(TokenNotFound):
            accounts.revoke_token_as(ann, token_id)


def _calls(world: World) -> list[Callable[[User], object]]:
    a = world.accounts
    return [
        a.list_users_for,
        a.libraries_for,
        lambda u: a.user_for(u, "ann"),
        lambda u: a.add_user_as(u, "sneaky", Role.OWNER, None),
        lambda u: a.update_user_as(u, "kid", Role.OWNER, None),
        lambda u: a.remove_user_as(u, "ann"),
        a.list_tokens_for,
        lambda u: a.create_token_as(u, "kid", "mine"),
        lambda u: a.revoke_token_as(u, 1),
    ]


def test_a_reader_may_do_none_of_it(world: World) -> None:
    world.accounts.create_token_as(world.owner, "ann", "first")
    for call in _calls(world):
        with pytest.raises(Forbidden):
            call(world.reader)
    accounts = world.accounts
    assert [(u.name, u.role) for u in accounts.list_users()] == [
        ("ann", Role.OWNER),
        ("kid", Role.READER),
    ]
    assert [t.is_active for t in accounts.list_tokens()] == [True]
    assert world.changes == 0
