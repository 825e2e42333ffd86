"""The administration services refuse anyone but an owner, and do what they say for one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bagboard.adapters.filesystem.server_folders import LocalServerFolders
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.domain.errors import Forbidden, InvalidPath, LibraryNotFound
from bagboard.domain.model import BrowseMode, Role, User
from bagboard.library import open_library
from bagboard.services.libraries import LibraryService
from bagboard.services.settings import SettingsService
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz

OWNER = User(1, "owner", Role.OWNER)
READER = User(2, "kid", Role.READER)


def test_library_changes_are_for_owners() -> None:
    store = MemoryLibraryStore()
    service = LibraryService(store, folders=LocalServerFolders())
    store.add("a", "/lib/a")
    for attempt in (
        lambda: service.add_for(READER, "/lib/b"),
        lambda: service.by_id_for(READER, 1),
        lambda: service.set_enabled_for(READER, 1, False),
        lambda: service.remove_for(READER, 1),
        lambda: service.choose_folder_for(READER, "/"),
    ):
        with pytest.raises(Forbidden):
            attempt()
    assert [(lib.root, lib.enabled) for lib in store.list()] == [("/lib/a", True)]
    assert service.add_for(OWNER, "/lib/b", "B").name == "B"
    assert not service.set_enabled_for(OWNER, 1, False).enabled
    assert service.remove_for(OWNER, 2).library.root == "/lib/b"
    with pytest.raises(LibraryNotFound):
        service.by_id_for(OWNER, 2)
    with pytest.raises(InvalidPath):
        LibraryService(store).choose_folder_for(OWNER, "/")  # no folder lister wired


def test_settings_changes_are_for_owners() -> None:
    service = SettingsService(MemorySettingsStore())
    with pytest.raises(Forbidden):
        service.set_browse_mode_for(READER, "filesystem")
    with pytest.raises(Forbidden):
        service.current_for(READER)
    assert service.current().browse_mode is BrowseMode.METADATA
    assert service.set_browse_mode_for(OWNER, "filesystem").browse_mode is BrowseMode.FILESYSTEM
    assert service.current_for(OWNER).browse_mode is BrowseMode.FILESYSTEM


def test_the_status_counts_what_the_index_holds(tmp_path: Path) -> None:
    root = tmp_path / "comics"
    (root / "Orbit").mkdir(parents=True)
    for n, series in ((1, "Night Owls"), (2, "Night Owls"), (1, "Day Larks")):
        info = {"Publisher": "Orbit", "Series": series, "Number": str(n)}
        write_cbz(
            root / "Orbit" / f"{series} {n}.cbz",
            {"p1.jpg": jpeg((1, 2, 3)), "ComicInfo.xml": comicinfo_xml(info)},
        )
    (root / "Orbit" / "broken.cbz").write_bytes(b"not a zip")
    with open_library(tmp_path / "data", memory=True) as library:
        library.scan(root)
        library.add_folder(tmp_path / "empty")
        owner = library.accounts.owner()
        library.accounts.add_user("kid")
        library.accounts.create_token()
        status = library.container.server_status()
        with pytest.raises(Forbidden):
            status.status_for(library.user("kid"))
        facts = status.status_for(owner)
        # Three series, as browsing lists them: the unreadable file under its own name.
        assert (facts.comics, facts.series, facts.users, facts.tokens) == (3, 3, 2, 1)
        assert facts.database.kind == "memory" and facts.database.size_bytes is None
        assert [(v.comics, v.unreadable) for v in facts.libraries] == [(3, 1), (0, 0)]
        assert facts.libraries[0].last_scan_at is not None
        assert facts.libraries[1].last_scan_at is None
