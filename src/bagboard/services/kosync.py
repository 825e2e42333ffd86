"""KOReader sync (kosync): sign-in, and positions in the one progress store.

A KOReader names a book by a document id (``domain/kosync.py``), never by path. A write for
an id that names comics the user may see becomes the user's position there, as any other
protocol writes it, so Komga, OPDS and ``/api/v1`` read what KOReader wrote and the reverse.
A write for an id that names nothing (a book KOReader has from elsewhere, a comic not scanned
yet) is kept per user as sent and answered back, as the reference server would, and written
to its comic once a scan finds it (``attach_orphans``).

Writes carry no device clock: they count as made at server time, the last one wins. One rule
keeps a stale write from undoing much: kosync never clears a read mark (KOReader replays
queued writes days later, and they look fresh).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import ApiDisabled, Unauthorized
from bagboard.domain.kosync import (
    KOSYNC_FORMATS,
    KosyncPosition,
    is_valid_document,
    kosync_page,
    kosync_percentage,
    last_shown_page,
    our_page,
    page_from_progress,
)
from bagboard.domain.model import User
from bagboard.domain.progress import MAX_DEVICE_TEXT, ComicReading, Device, ProgressChange
from bagboard.ports.clock import Clock
from bagboard.ports.comic_documents import ComicDocuments
from bagboard.ports.kosync_orphans import KosyncOrphans
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.user_store import UserStore
from bagboard.services.auth import Authenticator
from bagboard.services.passwords import WRONG_CREDENTIALS, PasswordCheck
from bagboard.services.progress import ProgressService
from bagboard.services.scope import visible_scope

__all__ = ["BAGBOARD_DEVICE", "KOREADER_DEVICE_PREFIX", "KosyncService", "kosync_device"]

# What a pull names as the writer of a position no device named (an /api/v1 write, a read
# mark): never a KOReader install id, or KOReader would take the position for its own.
BAGBOARD_DEVICE = "bagboard"
# The device id of a KOReader write that came without one (``device_id`` is optional).
KOREADER_DEVICE_PREFIX = "koreader-"


def kosync_device(device: str, device_id: str | None) -> Device:
    """The stored writer of a KOReader write: its install id (else one made of its name),
    both cut to what a store keeps."""
    name = device[:MAX_DEVICE_TEXT]
    identity = (device_id or f"{KOREADER_DEVICE_PREFIX}{device}")[:MAX_DEVICE_TEXT]
    return Device(identity, name)


class KosyncService:
    """One user's KOReader positions, over ``ProgressService`` and the unmatched documents.

    ``keys`` is a ``PasswordCheck`` over the users' KOReader key hashes (``KosyncKeyStore``)
    sharing the web's ``SignInLimiter``: failed KOReader sign-ins and failed web sign-ins
    count together, per user name and per client address.
    """

    def __init__(
        self,
        users: UserStore,
        authenticator: Authenticator,
        keys: PasswordCheck,
        documents: ComicDocuments,
        orphans: KosyncOrphans,
        index: LibraryIndex,
        libraries: LibraryStore,
        progress: ProgressService,
        clock: Clock,
    ) -> None:
        self._users = users
        self._authenticator = authenticator
        self._keys = keys
        self._documents = documents
        self._orphans = orphans
        self._index = index
        self._libraries = libraries
        self._progress = progress
        self._clock = clock

    # --- sign-in -----------------------------------------------------------------------------

    def sign_in(self, user_name: str | None, key: str | None, address: str | None = None) -> User:
        """The user a KOReader's ``x-auth-user`` and ``x-auth-key`` name: a live API token
        in the user-name field (any key), else a user name and md5(password) as lowercase
        hex. ``Unauthorized`` when neither holds; ``TooManyAttempts`` when the name or the
        address has too many recent failures."""
        name = (user_name or "").strip()
        if not name:
            raise Unauthorized(WRONG_CREDENTIALS)
        try:
            return self._authenticator.credential(None, name).user
        except (Unauthorized, ApiDisabled):
            pass  # not a token: a user name
        return self._keys.verify(name, _normalised_key(key or ""), address)

    # --- positions ---------------------------------------------------------------------------

    def push(
        self,
        user: User,
        document: str,
        progress: str | int | float,
        percentage: float,
        device: str,
        device_id: str | None = None,
    ) -> int:
        """Store a KOReader position; returns the server time it counts as made (Unix
        seconds; the stored position's when it changes nothing). Written to every comic
        ``document`` names for ``user`` (byte-identical copies), else kept as the user's
        unmatched position for ``document``."""
        now = self._clock.now()
        writer = kosync_device(device, device_id)
        comics = self._resolve(user, document)
        if not comics:
            kept = KosyncPosition(
                document, _progress_text(progress), percentage, writer.name, writer.id, now
            )
            self._orphans.put(user.id, kept)
            return int(now.timestamp())
        readings = self._progress.readings(user, [comic.id for comic in comics])
        # The time a pull reports next: the stored position's, when the write changed nothing.
        changed = [
            self._write(user, comic, readings.get(comic.id), progress, percentage, writer)
            for comic in comics
        ]
        return int(max(changed).timestamp())

    def pull(self, user: User, document: str) -> KosyncPosition | None:
        """The position KOReader should see for ``document``: the one stored for the comic
        it names (whoever wrote it; the last page when only a read mark is stored), else
        the user's unmatched position for it, else None."""
        comics = self._resolve(user, document)
        if comics:
            readings = self._progress.readings(user, [comic.id for comic in comics])
            found = _latest(comics, readings)
            if found is not None:
                return self._position(document, *found)
        return self._orphans.get(user.id, document) if is_valid_document(document) else None

    def attach_orphans(self) -> int:
        """Write each unmatched position whose document now names a comic (a scan found it)
        to that comic, when newer than the user's position there, and drop it; returns how
        many were written. A document that still names nothing the user may see stays."""
        attached = 0
        for document in self._orphans.documents():
            found = self._documents.find(document)
            if not found.by_content and not found.by_name:
                continue
            for user_id, kept in self._orphans.take(document):
                user = self._users.get(user_id)
                if user is None:
                    continue  # the user is gone; so is what they sent
                comics = self._resolve(user, document)
                if not comics:
                    self._orphans.put(user_id, kept)
                    continue
                attached += self._attach(user, comics, kept)
        return attached

    # --- helpers -----------------------------------------------------------------------------

    def _attach(self, user: User, comics: Sequence[IndexedComic], kept: KosyncPosition) -> int:
        readings = self._progress.readings(user, [comic.id for comic in comics])
        writer = kosync_device(kept.device, kept.device_id)
        written = 0
        for comic in comics:
            reading = readings.get(comic.id)
            stored = None if reading is None else reading.position
            if stored is not None and stored.updated_at >= kept.updated_at:
                continue
            self._write(user, comic, reading, kept.progress, kept.percentage, writer)
            written += 1
        return written

    def _write(
        self,
        user: User,
        comic: IndexedComic,
        reading: ComicReading | None,
        progress: str | int | float,
        percentage: float,
        writer: Device,
    ) -> datetime:
        """Write the position (and the read mark at the last page); returns the position's
        server time, which is the stored one when nothing changes."""
        page_map = comic.kosync_pages
        pages = len(page_map) if page_map is not None else comic.page_count
        theirs = page_from_progress(progress, percentage, pages)
        page = our_page(theirs, page_map, comic.page_count)
        # Finished in KOReader's order, not ours: its last page may be a page of ours from
        # the middle (a credits page sorted otherwise), and its first our last.
        finished = theirs >= last_shown_page(page_map) if page_map is not None else page >= pages
        was_read = reading is not None and reading.is_read
        stored = None if reading is None else reading.position
        if stored is not None and stored.page_number == page and (was_read or not finished):
            return stored.updated_at  # nothing changes: no new time, no feed entry
        change = ProgressChange(page_number=page, total_pages=comic.page_count, device=writer)
        if finished and not was_read:
            # The position and the mark in one write, as Komga's "completed" is.
            marked = self._progress.save_read_in(user, comic, change, True)
            return self._clock.now() if marked is None else marked.updated_at
        return self._progress.save_in(user, comic, change).updated_at

    def _position(
        self, document: str, comic: IndexedComic, reading: ComicReading
    ) -> KosyncPosition:
        stored = reading.position
        ours = comic.page_count if stored is None else stored.page_number
        page, pages = kosync_page(ours, comic.kosync_pages, comic.page_count)
        device = None if stored is None else stored.device
        # Only a read mark: the comic's indexing time, a time the mark is surely after, so
        # a device that read since does not take the mark for news.
        changed = comic.added_at if stored is None else stored.updated_at
        return KosyncPosition(
            document=document,
            progress=str(page),
            percentage=kosync_percentage(page, pages),
            device=(device.name if device is not None else "") or BAGBOARD_DEVICE,
            device_id=device.id if device is not None else BAGBOARD_DEVICE,
            updated_at=changed,
        )

    def _resolve(self, user: User, document: str) -> list[IndexedComic]:
        """The comics ``document`` names that ``user`` may see and KOReader syncs by page:
        every copy with that content, else the one comic with that name (several comics of
        one name are ambiguous, and name none)."""
        if not is_valid_document(document):
            return []
        found = self._documents.find(document)
        by_content = self._syncable(user, found.by_content)
        if by_content:
            return by_content
        by_name = self._syncable(user, found.by_name)
        return by_name if len(by_name) == 1 else []

    def _syncable(self, user: User, ids: Sequence[int]) -> list[IndexedComic]:
        if not ids:
            return []
        visible = set(visible_scope(self._libraries, user).library_ids)
        comics = self._index.comics(ids)
        return [
            comic
            for comic_id in sorted(set(ids))
            if (comic := comics.get(comic_id)) is not None
            and comic.library_id in visible
            and comic.format is not None
            and comic.format.value in KOSYNC_FORMATS
            and comic.page_count > 0
        ]


def _latest(
    comics: Sequence[IndexedComic], readings: dict[int, ComicReading]
) -> tuple[IndexedComic, ComicReading] | None:
    """The copy read most recently (a position before a bare read mark; ties: the first)."""
    best: tuple[IndexedComic, ComicReading] | None = None
    for comic in comics:
        reading = readings.get(comic.id)
        if reading is None or (reading.position is None and not reading.is_read):
            continue
        if best is None or _newer(reading, best[1]):
            best = (comic, reading)
    return best


def _newer(reading: ComicReading, than: ComicReading) -> bool:
    if reading.position is None:
        return False
    return than.position is None or reading.position.updated_at > than.position.updated_at


def _progress_text(progress: str | int | float) -> str:
    if isinstance(progress, float) and progress.is_integer():
        return str(int(progress))
    return progress if isinstance(progress, str) else str(progress)


def _normalised_key(key: str) -> str:
    # KOReader sends md5 as lowercase hex; another client may send it upper-cased.
    stripped = key.strip()
    if len(stripped) == 32 and all(c in "0123456789abcdefABCDEF" for c in stripped):
        return stripped.lower()
    return key
