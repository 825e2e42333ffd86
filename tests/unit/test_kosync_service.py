"""``KosyncService`` on the memory adapters: KOReader's sign-in both ways, and its positions
in the one progress store (research note §4.3 to §4.5)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.documents import MemoryComicDocuments
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.kosync import MemoryKosyncOrphans
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.password_hasher import QuickHasher
from bagboard.adapters.memory.passwords import MemoryKosyncKeys, MemoryPasswordStore
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.errors import TooManyAttempts, Unauthorized
from bagboard.domain.kosync import KosyncPosition, PageMap, name_md5
from bagboard.domain.model import Library, Role, User
from bagboard.domain.progress import Device, ProgressChange
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator
from bagboard.services.kosync import KosyncService
from bagboard.services.passwords import PasswordCheck
from bagboard.services.progress import ProgressService
from bagboard.services.sign_in_limits import SignInLimiter
from tests.contract.test_library_index import add, entry

PASSWORD = "correct horse battery"
KEY = hashlib.md5(PASSWORD.encode()).hexdigest()
HOME = "192.0.2.10"
DOC = "0123456789abcdef0123456789abcdef"
COPY_DOC = "feedfacefeedfacefeedfacefeedface"
NAME_DOC = name_md5("Saga 001.cbz")
UNKNOWN = "99999999999999999999999999999999"
KOBO = "Kobo Libra 2"
KOBO_ID = "a1b2c3d4"


@dataclass
class World:
    clock: ManualClock
    users: MemoryUserStore
    accounts: AccountService
    index: MemoryLibraryIndex
    libraries: MemoryLibraryStore
    comics: Library
    manga: Library
    orphans: MemoryKosyncOrphans
    progress: ProgressService
    web_check: PasswordCheck
    key_check: PasswordCheck
    service: KosyncService
    alice: User
    bob: User  # sees the comics library only

    def comic(
        self,
        library: Library,
        relative: str,
        pages: int = 60,
        kind: ArchiveFormat = ArchiveFormat.ZIP,
        digest: str | None = None,
        page_map: PageMap | None = None,
    ) -> int:
        """Index a comic as a scan would, with KOReader's id of its content."""
        path = f"{library.root}/{relative}"
        made = replace(
            entry(path), page_count=pages, format=kind, kosync_md5=digest, kosync_pages=page_map
        )
        return add(self.index, library, made)[path]


@pytest.fixture
def world() -> World:
    clock = ManualClock()
    tokens = MemoryTokenStore()
    users = MemoryUserStore(tokens)
    hasher = QuickHasher()
    limiter = SignInLimiter(clock)
    web_check = PasswordCheck(users, MemoryPasswordStore(users), hasher, limiter, clock)
    key_check = PasswordCheck(users, MemoryKosyncKeys(users), hasher, limiter, clock)
    index = MemoryLibraryIndex()
    libraries = MemoryLibraryStore()
    comics = libraries.add("Comics", "/srv/comics")
    manga = libraries.add("Manga", "/srv/manga")
    progress = ProgressService(MemoryProgressStore(index), index, libraries, clock)
    orphans = MemoryKosyncOrphans(users)
    service = KosyncService(
        users,
        Authenticator(users, tokens, clock),
        key_check,
        MemoryComicDocuments(index),
        orphans,
        index,
        libraries,
        progress,
        clock,
    )
    accounts = AccountService(users, tokens, clock)
    alice = users.add("alice", Role.OWNER)
    bob = users.add("bob", Role.READER, [comics.id])
    key_check.set(alice, KEY)
    web_check.set(alice, PASSWORD)
    return World(
        clock, users, accounts, index, libraries, comics, manga, orphans, progress,
        web_check, key_check, service, alice, bob,
    )  # fmt: skip


# --- sign-in ---------------------------------------------------------------------------------


def test_a_user_signs_in_with_the_md5_of_their_password(world: World) -> None:
    assert world.service.sign_in("alice", KEY, HOME) == world.alice
    assert world.service.sign_in(" alice ", KEY.upper(), HOME) == world.alice
    for wrong in (PASSWORD, hashlib.md5(b"other").hexdigest(), "", None):
        with pytest.raises(Unauthorized):
            world.service.sign_in("alice", wrong, HOME)
    with pytest.raises(Unauthorized):
        world.service.sign_in("bob", KEY, HOME)  # bob has no KOReader key
    with pytest.raises(Unauthorized):
        world.service.sign_in(None, KEY, HOME)


def test_a_live_token_in_the_user_name_field_signs_its_user_in(world: World) -> None:
    issued = world.accounts.create_token("bob", "KOReader on Kobo")
    assert world.service.sign_in(issued.secret, "anything", HOME) == world.bob
    world.accounts.revoke_token(issued.token.id)
    with pytest.raises(Unauthorized):
        world.service.sign_in(issued.secret, "anything", HOME)


def test_failed_kosync_and_web_sign_ins_are_throttled_together(world: World) -> None:
    for _ in range(3):
        with pytest.raises(Unauthorized):
            world.web_check.verify("alice", "wrong", HOME)
    for _ in range(2):
        with pytest.raises(Unauthorized):
            world.service.sign_in("alice", "0" * 32, HOME)
    with pytest.raises(TooManyAttempts):
        world.service.sign_in("alice", KEY, HOME)  # even the right key, for now
    world.clock.advance(timedelta(hours=1))
    assert world.service.sign_in("alice", KEY, HOME) == world.alice


# --- writes ----------------------------------------------------------------------------------


def test_a_page_write_becomes_the_position_every_protocol_reads(world: World) -> None:
    comic_id = world.comic(world.comics, "Saga 001.cbz", digest=DOC)
    stamp = world.service.push(world.alice, DOC, "56", 0.9333, KOBO, KOBO_ID)
    assert stamp == int(world.clock.now().timestamp())
    saved = world.progress.position_of(world.alice, comic_id)
    assert saved is not None
    assert (saved.page_number, saved.total_pages) == (56, 60)
    assert saved.device == Device(KOBO_ID, KOBO)
    assert not world.progress.readings(world.alice, [comic_id])[comic_id].is_read
    assert world.orphans.documents() == []


def test_an_old_client_sending_a_number_or_no_device_id_is_understood(world: World) -> None:
    comic_id = world.comic(world.comics, "a.cbz", digest=DOC)
    world.service.push(world.alice, DOC, 12, 0.2, KOBO)
    saved = world.progress.position_of(world.alice, comic_id)
    assert saved is not None and saved.page_number == 12
    assert saved.device == Device(f"koreader-{KOBO}", KOBO)
    world.service.push(world.alice, DOC, "/body/DocFragment[3]", 0.5, KOBO)
    saved = world.progress.position_of(world.alice, comic_id)
    assert saved is not None and saved.page_number == 30  # from the percentage


def test_the_last_page_marks_read_and_a_stale_replay_never_unmarks(world: World) -> None:
    comic_id = world.comic(world.comics, "a.cbz", digest=DOC)
    world.service.push(world.alice, DOC, "60", 1.0, KOBO, KOBO_ID)
    reading = world.progress.readings(world.alice, [comic_id])[comic_id]
    assert reading.is_read and reading.last_page == 60
    world.clock.advance(timedelta(minutes=5))
    world.service.push(world.alice, DOC, "20", 0.3333, KOBO, KOBO_ID)  # a queued replay
    reading = world.progress.readings(world.alice, [comic_id])[comic_id]
    assert reading.is_read and reading.last_page == 20


def test_a_write_of_the_stored_page_writes_nothing(world: World) -> None:
    comic_id = world.comic(world.comics, "a.cbz", digest=DOC)
    stamp = world.service.push(world.alice, DOC, "7", 0.1166, KOBO, KOBO_ID)
    first = world.progress.position_of(world.alice, comic_id)
    world.clock.advance(timedelta(minutes=5))
    again = world.service.push(world.alice, DOC, "7", 0.1166, "Other device", "other")
    assert again == stamp  # the stored position's time, not a new one
    assert world.progress.position_of(world.alice, comic_id) == first
    assert world.progress.since(world.alice).page.total == 1


def test_byte_identical_copies_are_all_written(world: World) -> None:
    one = world.comic(world.comics, "a.cbz", digest=COPY_DOC)
    two = world.comic(world.comics, "copy/a.cbz", digest=COPY_DOC)
    world.service.push(world.alice, COPY_DOC, "3", 0.05, KOBO, KOBO_ID)
    positions = world.progress.positions(world.alice, [one, two])
    assert {comic_id: p.page_number for comic_id, p in positions.items()} == {one: 3, two: 3}


def test_a_name_match_counts_only_when_it_names_one_comic(world: World) -> None:
    one = world.comic(world.comics, "x/Saga 001.cbz")
    world.service.push(world.alice, NAME_DOC, "4", 0.06, KOBO, KOBO_ID)
    assert world.progress.positions(world.alice, [one])[one].page_number == 4
    world.comic(world.comics, "y/Saga 001.cbz")  # the same name in another folder
    world.service.push(world.alice, NAME_DOC, "9", 0.15, KOBO, KOBO_ID)
    assert world.progress.positions(world.alice, [one])[one].page_number == 4
    kept = world.orphans.get(world.alice.id, NAME_DOC)
    assert kept is not None and kept.progress == "9"


def test_comics_out_of_sight_or_not_synced_by_page_are_no_match(world: World) -> None:
    hidden = world.comic(world.manga, "m.cbz", digest=DOC)
    seven = world.comic(world.comics, "b.cb7", kind=ArchiveFormat.SEVEN_ZIP, digest=COPY_DOC)
    world.service.push(world.bob, DOC, "5", 0.08, KOBO, KOBO_ID)
    world.service.push(world.bob, COPY_DOC, "5", 0.08, KOBO, KOBO_ID)
    assert world.progress.positions(world.bob, [hidden, seven]) == {}
    assert world.orphans.documents() == sorted([DOC, COPY_DOC])
    pulled = world.service.pull(world.bob, DOC)
    assert pulled is not None and (pulled.progress, pulled.device_id) == ("5", KOBO_ID)


def test_pages_are_translated_where_koreader_orders_them_otherwise(world: World) -> None:
    # KOReader shows four pages: its 1st is a file we do not show, its 2nd..4th are our 3, 1, 2.
    comic_id = world.comic(world.comics, "a.cbz", pages=3, digest=DOC, page_map=(0, 3, 1, 2))
    world.service.push(world.alice, DOC, "3", 0.75, KOBO, KOBO_ID)
    assert world.progress.positions(world.alice, [comic_id])[comic_id].page_number == 1
    pulled = world.service.pull(world.alice, DOC)
    assert pulled is not None and (pulled.progress, pulled.percentage) == ("3", 0.75)


# --- reads -----------------------------------------------------------------------------------


def test_a_pull_reports_any_protocol_s_position_in_koreader_s_terms(world: World) -> None:
    comic_id = world.comic(world.comics, "a.cbz", pages=3, digest=DOC)
    assert world.service.pull(world.alice, DOC) is None
    saved = world.progress.save_comic(world.alice, comic_id, ProgressChange(1, 3))
    pulled = world.service.pull(world.alice, DOC)
    assert pulled == KosyncPosition(DOC, "1", 0.3333, "bagboard", "bagboard", saved.updated_at)
    tablet = Device("urn:bagboard:token:7", "Komelia")
    world.progress.save_comic(world.alice, comic_id, ProgressChange(2, 3, device=tablet))
    pulled = world.service.pull(world.alice, DOC)
    assert pulled is not None
    assert (pulled.progress, pulled.device, pulled.device_id) == ("2", "Komelia", tablet.id)


def test_a_bare_read_mark_pulls_as_the_last_page(world: World) -> None:
    comic_id = world.comic(world.comics, "a.cbz", pages=3, digest=DOC)
    comic = world.index.comic(comic_id)
    assert comic is not None
    world.progress.set_read_in(world.alice, comic, True)
    pulled = world.service.pull(world.alice, DOC)
    assert pulled is not None
    assert (pulled.progress, pulled.percentage, pulled.device_id) == ("3", 1.0, "bagboard")


def test_an_unmatched_document_is_kept_and_answered_back(world: World) -> None:
    assert world.service.pull(world.alice, UNKNOWN) is None
    world.service.push(world.alice, UNKNOWN, "/body/DocFragment[20].0", 0.42, KOBO, KOBO_ID)
    pulled = world.service.pull(world.alice, UNKNOWN)
    assert pulled == KosyncPosition(
        UNKNOWN, "/body/DocFragment[20].0", 0.42, KOBO, KOBO_ID, world.clock.now()
    )
    assert world.service.pull(world.bob, UNKNOWN) is None  # each user their own


# --- after a scan ----------------------------------------------------------------------------


def test_orphans_attach_when_a_scan_finds_their_comic(world: World) -> None:
    world.service.push(world.alice, DOC, "30", 0.5, KOBO, KOBO_ID)
    world.service.push(world.bob, DOC, "10", 0.1666, KOBO, KOBO_ID)
    assert world.service.attach_orphans() == 0  # nothing names it yet
    comic_id = world.comic(world.manga, "later.cbz", digest=DOC)  # alice sees it, bob not
    assert world.service.attach_orphans() == 1
    assert world.progress.positions(world.alice, [comic_id])[comic_id].page_number == 30
    assert world.orphans.get(world.alice.id, DOC) is None
    kept = world.orphans.get(world.bob.id, DOC)
    assert kept is not None and kept.progress == "10"


def test_an_orphan_older_than_the_stored_position_is_dropped_unwritten(world: World) -> None:
    world.service.push(world.alice, DOC, "30", 0.5, KOBO, KOBO_ID)
    comic_id = world.comic(world.comics, "a.cbz", digest=DOC)
    world.clock.advance(timedelta(minutes=1))
    world.progress.save_comic(world.alice, comic_id, ProgressChange(44, 60))
    assert world.service.attach_orphans() == 0
    assert world.progress.positions(world.alice, [comic_id])[comic_id].page_number == 44
    assert world.orphans.documents() == []


def test_an_orphan_at_the_last_page_attaches_as_read(world: World) -> None:
    world.service.push(world.alice, DOC, "60", 1.0, KOBO, KOBO_ID)
    comic_id = world.comic(world.comics, "a.cbz", digest=DOC)
    assert world.service.attach_orphans() == 1
    reading = world.progress.readings(world.alice, [comic_id])[comic_id]
    assert reading.is_read and reading.last_page == 60
    assert reading.position is not None and reading.position.device == Device(KOBO_ID, KOBO)
