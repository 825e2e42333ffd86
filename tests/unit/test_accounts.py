from __future__ import annotations

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.domain.errors import (
    AlreadyExists,
    InvalidInput,
    InvalidMode,
    LibraryNotFound,
    TokenNotFound,
    UserNotFound,
)
from bagboard.domain.model import BrowseMode, Role
from bagboard.domain.tokens import hash_secret
from bagboard.services.accounts import AccountService
from bagboard.services.libraries import LibraryService
from bagboard.services.settings import SettingsService


@pytest.fixture
def accounts() -> AccountService:
    return AccountService(MemoryUserStore(), MemoryTokenStore(), ManualClock())


def test_create_token_without_user_creates_the_first_owner(accounts: AccountService) -> None:
    issued = accounts.create_token()
    users = accounts.list_users()
    assert [(u.name, u.role) for u in users] == [("owner", Role.OWNER)]
    assert issued.token.user_id == users[0].id
    assert issued.token.token_hash == hash_secret(issued.secret)
    assert issued.secret not in issued.token.token_hash
    again = accounts.create_token(token_name="tablet")
    assert again.token.user_id == users[0].id and again.token.name == "tablet"
    assert len(accounts.list_users()) == 1


def test_owner_name_is_not_stolen_from_a_reader(accounts: AccountService) -> None:
    accounts.add_user("owner", Role.READER)
    issued = accounts.create_token()
    owner = next(u for u in accounts.list_users() if u.id == issued.token.user_id)
    assert owner.role is Role.OWNER and owner.name == "owner2"


def test_add_user_rejects_duplicates_and_empty_names(accounts: AccountService) -> None:
    accounts.add_user("Ann")
    with pytest.raises(AlreadyExists):
        accounts.add_user("ann")
    with pytest.raises(InvalidInput):
        accounts.add_user("   ")


def test_tokens_for_unknown_user_and_unknown_revoke(accounts: AccountService) -> None:
    with pytest.raises(UserNotFound):
        accounts.create_token("ghost")
    with pytest.raises(TokenNotFound):
        accounts.revoke_token(99)


def test_list_tokens_per_user(accounts: AccountService) -> None:
    accounts.add_user("bob")
    accounts.create_token()
    accounts.create_token("bob")
    accounts.create_token("bob")
    assert len(accounts.list_tokens()) == 3
    assert len(accounts.list_tokens("bob")) == 2


def test_library_service_normalises_and_toggles() -> None:
    service = LibraryService(MemoryLibraryStore())
    lib = service.add("/data/comics/", None)
    assert (lib.root, lib.name, lib.enabled) == ("/data/comics", "comics", True)
    with pytest.raises(AlreadyExists):
        service.add("/data//comics")
    assert service.ensure("/data/comics").id == lib.id
    assert service.ensure("/data/manga", "Manga").name == "Manga"
    assert not service.set_enabled("/data/comics", False).enabled
    assert [x.root for x in service.list(enabled_only=True)] == ["/data/manga"]
    with pytest.raises(LibraryNotFound):
        service.set_enabled("/nowhere", True)
    with pytest.raises(InvalidInput):
        service.add("relative/path")


def test_settings_service_saves_browse_mode() -> None:
    service = SettingsService(MemorySettingsStore())
    assert service.current().browse_mode is BrowseMode.METADATA
    service.set_browse_mode("FileSystem")
    assert service.current().browse_mode is BrowseMode.FILESYSTEM
    with pytest.raises(InvalidMode):
        service.set_browse_mode("tree")
    with pytest.raises(InvalidMode):
        service.set_browse_mode("")
    assert service.current().browse_mode is BrowseMode.FILESYSTEM
