"""The UserStore contract, run against every adapter."""

from __future__ import annotations

import pytest

from bagboard.domain.errors import AlreadyExists
from bagboard.domain.model import Library, Role, User
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.user_store import UserStore


@pytest.fixture
def comics(library_store: LibraryStore) -> Library:
    return library_store.add("Comics", "/srv/comics")


@pytest.fixture
def manga(library_store: LibraryStore) -> Library:
    return library_store.add("Manga", "/srv/manga")


def test_add_returns_the_user_and_get_finds_it(user_store: UserStore) -> None:
    user = user_store.add("alice", Role.READER)
    assert (user.name, user.role, user.library_ids) == ("alice", Role.READER, None)
    assert user_store.get(user.id) == user


def test_unknown_users_are_none(user_store: UserStore) -> None:
    user_store.add("alice", Role.READER)
    assert user_store.get(999_999) is None
    assert user_store.get_by_name("bob") is None


def test_get_by_name_ignores_case_and_keeps_the_stored_spelling(user_store: UserStore) -> None:
    user = user_store.add("Alice", Role.OWNER)
    assert user_store.get_by_name("aLICE") == user
    assert user_store.get_by_name("alice") == user
    found = user_store.get_by_name("ALICE")
    assert found is not None and found.name == "Alice"


def test_names_compare_by_full_case_folding(user_store: UserStore) -> None:
    user = user_store.add("Straße", Role.READER)
    assert user_store.get_by_name("STRASSE") == user
    with pytest.raises(AlreadyExists):
        user_store.add("strasse", Role.READER)


def test_a_duplicate_name_in_any_case_is_refused_and_leaves_nothing(
    user_store: UserStore,
) -> None:
    first = user_store.add("alice", Role.READER)
    with pytest.raises(AlreadyExists):
        user_store.add("ALICE", Role.OWNER)
    assert user_store.list() == [first]


def test_list_is_in_creation_order(user_store: UserStore) -> None:
    added = [user_store.add(name, Role.READER) for name in ("carol", "alice", "bob")]
    assert user_store.list() == added
    assert len({user.id for user in added}) == 3


def test_list_is_empty_without_users(user_store: UserStore) -> None:
    assert user_store.list() == []


def test_first_owner_is_the_earliest_owner(user_store: UserStore) -> None:
    assert user_store.first_owner() is None
    user_store.add("reader", Role.READER)
    assert user_store.first_owner() is None
    first = user_store.add("zed", Role.OWNER)
    user_store.add("abe", Role.OWNER)
    assert user_store.first_owner() == first


def test_no_restriction_is_kept_apart_from_an_empty_one(
    user_store: UserStore, comics: Library
) -> None:
    everything = user_store.add("everything", Role.READER, None)
    nothing = user_store.add("nothing", Role.READER, [])
    assert everything.library_ids is None
    assert nothing.library_ids == frozenset()
    assert user_store.get(everything.id) == everything
    assert user_store.get(nothing.id) == nothing
    stored_everything, stored_nothing = user_store.list()
    assert stored_everything.may_see(comics.id)
    assert not stored_nothing.may_see(comics.id)


def test_a_restriction_round_trips_through_every_lookup(
    user_store: UserStore, comics: Library, manga: Library
) -> None:
    user = user_store.add("kid", Role.READER, (lib.id for lib in [manga, manga]))
    assert user.library_ids == frozenset({manga.id})
    assert user_store.get(user.id) == user
    assert user_store.get_by_name("KID") == user
    assert user_store.list() == [user]
    assert user.may_see(manga.id) and not user.may_see(comics.id)


def test_restrictions_belong_to_their_own_user(
    user_store: UserStore, comics: Library, manga: Library
) -> None:
    owner = user_store.add("owner", Role.OWNER, [comics.id, manga.id])
    reader = user_store.add("reader", Role.READER, [manga.id])
    other = user_store.add("other", Role.READER)
    assert user_store.list() == [
        User(owner.id, "owner", Role.OWNER, frozenset({comics.id, manga.id})),
        User(reader.id, "reader", Role.READER, frozenset({manga.id})),
        User(other.id, "other", Role.READER, None),
    ]
    assert user_store.first_owner() == owner


def test_update_sets_the_role_and_replaces_the_allowance(
    user_store: UserStore, comics: Library, manga: Library
) -> None:
    user = user_store.add("kid", Role.READER, [comics.id])
    other = user_store.add("other", Role.READER, [comics.id])
    updated = user_store.update(user.id, Role.OWNER, [manga.id])
    assert updated == User(user.id, "kid", Role.OWNER, frozenset({manga.id}))
    assert user_store.get(user.id) == updated
    assert user_store.get_by_name("KID") == updated
    assert user_store.first_owner() == updated
    assert user_store.get(other.id) == other  # only that user changed


def test_update_lifts_or_empties_the_allowance(user_store: UserStore, comics: Library) -> None:
    user = user_store.add("kid", Role.READER, [comics.id])
    lifted = user_store.update(user.id, Role.READER, None)
    assert lifted is not None and lifted.library_ids is None
    assert user_store.get(user.id) == lifted
    emptied = user_store.update(user.id, Role.READER, [])
    assert emptied is not None and emptied.library_ids == frozenset()
    assert user_store.list() == [emptied]


def test_update_of_an_unknown_user_is_none_and_changes_nothing(user_store: UserStore) -> None:
    user = user_store.add("kid", Role.READER)
    assert user_store.update(999_999, Role.OWNER, None) is None
    assert user_store.list() == [user]


def test_remove_returns_the_user_and_forgets_it(user_store: UserStore, comics: Library) -> None:
    kid = user_store.add("kid", Role.READER, [comics.id])
    other = user_store.add("other", Role.OWNER)
    assert user_store.remove(kid.id) == kid
    assert user_store.get(kid.id) is None
    assert user_store.get_by_name("kid") is None
    assert user_store.list() == [other]
    assert user_store.remove(kid.id) is None
    assert user_store.remove(999_999) is None


def test_a_removed_users_name_is_free_again(user_store: UserStore) -> None:
    first = user_store.add("a", Role.READER)
    second = user_store.add("b", Role.READER)
    user_store.remove(first.id)
    again = user_store.add("A", Role.READER)
    assert again.id != second.id
    assert user_store.get_by_name("a") == again
    assert user_store.list() == sorted([second, again], key=lambda user: user.id)
