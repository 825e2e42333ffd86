"""The schema as SQLAlchemy Core tables, kept identical to what the migrations build.

A contract test compares the migrated database with this metadata, so a column added here
without a migration (or the reverse) fails the build.
"""

from __future__ import annotations

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
)

# The facet and page-list tables live in their own modules; importing them here registers them
# on ``metadata`` for whatever reads the schema from this module (Alembic, the schema test).
from bagboard.adapters.storage.db import facet_tables as facet_tables
from bagboard.adapters.storage.db import page_tables as page_tables
from bagboard.adapters.storage.db.columns import (
    BYTEWISE_TEXT,
    UtcDateTime,
    created_at,
    library_fk,
    sort_key,
    user_fk,
)
from bagboard.adapters.storage.db.columns import metadata as metadata
from bagboard.domain.comicinfo import TEXT_FIELDS

__all__ = [
    "COMICINFO_TEXT_COLUMNS",
    "api_tokens",
    "change_counters",
    "comic_document_aliases",
    "comic_removals",
    "comic_story_arcs",
    "comics",
    "folders",
    "index_generation",
    "komga_series",
    "kosync_orphans",
    "libraries",
    "library_scans",
    "metadata",
    "read_marks",
    "reading_list_entries",
    "reading_lists",
    "reading_progress",
    "settings",
    "shelf_entries",
    "story_arcs",
    "user_libraries",
    "users",
    "web_sessions",
]

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    # Names are unique case-insensitively; a casefolded copy gives every database the same
    # rule (collations differ) and an index to look names up by.
    Column("name_key", Text, nullable=False),
    Column("role", String(16), nullable=False),
    # False means "only the libraries listed in user_libraries", possibly none at all.
    Column("all_libraries", Boolean, nullable=False),
    created_at(),
    # A self-describing argon2id hash (ports/password_hasher.py); NULL: no password set.
    Column("password_hash", Text, nullable=True),
    # The same kind of hash of md5(password) as lowercase hex, which is what KOReader sends
    # as its key (never the md5 itself: that hex string is the credential on the wire).
    Column("kosync_key_hash", Text, nullable=True),
    Index("ix_users_name_key", "name_key", unique=True),
)

libraries = Table(
    "libraries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("root", Text, nullable=False),
    Column("enabled", Boolean, nullable=False),
    created_at(),
    Index("ix_libraries_root", "root", unique=True),
)

# Persistent ids of metadata series per library, for the Komga API (ports/series_ids.py).
komga_series = Table(
    "komga_series",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("library_id", Integer, ForeignKey("libraries.id", ondelete="CASCADE"), nullable=False),
    Column("series_key", Text, nullable=False),
    Index("ix_komga_series_key", "library_id", "series_key", unique=True),
)

user_libraries = Table(
    "user_libraries",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    library_fk(primary_key=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    user_fk(),
    Column("name", Text, nullable=False),
    Column("token_hash", CHAR(64), nullable=False),  # hex SHA-256
    created_at(),
    Column("last_used_at", UtcDateTime(), nullable=True),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Index("ix_api_tokens_token_hash", "token_hash", unique=True),
    Index("ix_api_tokens_user_id", "user_id"),
)

# Signed-in browsers (ports/web_session_store.py): the cookie secret's hash, never the secret.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    user_fk(),
    Column("secret_hash", CHAR(64), nullable=False),  # hex SHA-256
    Column("csrf_token", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Index("ix_web_sessions_secret_hash", "secret_hash", unique=True),
    Index("ix_web_sessions_user_id", "user_id"),
    Index("ix_web_sessions_expires_at", "expires_at"),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


# --- The library index -------------------------------------------------------------------

# ComicInfo's text fields, one column each, named as in ``ComicInfo``.
COMICINFO_TEXT_COLUMNS = (
    *TEXT_FIELDS,
    "summary",
    "manga",
    "language_iso",
    "tags",
    "story_arc",
    "story_arc_number",
)


def _info_text(name: str) -> Column[str]:
    return Column(name, Text, nullable=False, server_default="")


# Folders below a library root, the root included (depth 0, no parent).
folders = Table(
    "folders",
    metadata,
    Column("id", Integer, primary_key=True),
    library_fk(),
    # No ON DELETE action: a folder is removed only after its children, and the check runs at
    # the end of the statement so deleting a whole library still cascades cleanly.
    Column("parent_id", Integer, ForeignKey("folders.id"), nullable=True),
    Column("path", Text, nullable=False),
    Column("name", Text, nullable=False),
    sort_key("name_sort"),
    Column("depth", Integer, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("has_thumbnail", Boolean, nullable=False),
    Column("comic_count", Integer, nullable=False),  # recursive
    Column("indexed_at", UtcDateTime(), nullable=False),
    Index("ix_folders_path", "path", unique=True),
    Index("ix_folders_library_id_depth_name_sort", "library_id", "depth", "name_sort"),
    Index("ix_folders_parent_id_name_sort", "parent_id", "name_sort"),
)

comics = Table(
    "comics",
    metadata,
    Column("id", Integer, primary_key=True),
    library_fk(),
    # NO ACTION rather than RESTRICT: both refuse to drop a folder that still holds comics,
    # but RESTRICT checks before the library's cascade has removed those comics.
    Column("folder_id", Integer, ForeignKey("folders.id"), nullable=False),
    Column("path", Text, nullable=False),
    Column("name", Text, nullable=False),
    sort_key("name_sort"),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("format", Text, nullable=True),
    Column("added_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("page_count", Integer, nullable=False),
    Column("has_comicinfo", Boolean, nullable=False),
    Column("error", Text, nullable=True),
    # Which ComicInfo fields were filled from the comic's names on disk, and from where, as a
    # JSON object (``{"series": "folder"}``); "" when ComicInfo gave everything, NULL for a
    # comic indexed before names filled metadata (migration 0013), until a scan fills it.
    Column("metadata_sources", Text, nullable=True),
    # Derived keys for metadata browsing, computed on write so queries can use indexes.
    # Compared bytewise like the sort keys (migration 0004), so PostgreSQL can list groups
    # in key order straight from an index.
    Column("publisher_key", BYTEWISE_TEXT, nullable=False, server_default=""),
    Column("series_key", BYTEWISE_TEXT, nullable=False, server_default=""),
    sort_key("number_sort"),
    Column("year_int", Integer, nullable=True),
    *(_info_text(name) for name in COMICINFO_TEXT_COLUMNS if name != "summary"),
    Column("info_page_count", Integer, nullable=True),
    Column("front_cover", Integer, nullable=True),
    # The long values last: SQLite spills the end of a large row to overflow pages, and
    # nothing but the comic's own page reads these two.
    _info_text("summary"),
    # The <Pages> list as JSON (see index/rows.py): only covers and readers use it.
    Column("pages_json", Text, nullable=False, server_default="[]"),
    # KOReader's document ids (domain/kosync.py): the partial MD5 of the file's content and
    # the MD5 of its name; NULL for a comic indexed before migration 0016, until a scan
    # fills them. ``kosync_pages`` maps KOReader's page order to ours as a JSON list (the
    # page of ours each of its pages shows, 0 for none), NULL when the two orders agree.
    Column("kosync_md5", CHAR(32), nullable=True),
    Column("name_md5", CHAR(32), nullable=True),
    Column("kosync_pages", Text, nullable=True),
    Index("ix_comics_path", "path", unique=True),
    Index("ix_comics_folder_id_name_sort", "folder_id", "name_sort"),
    # Covering indexes for metadata browsing (migration 0004): grouping all visible comics by
    # publisher or series reads only these entries, never the rows.
    Index(
        "ix_comics_publisher_browse",
        "library_id",
        "publisher_key",
        "publisher",
        "series_key",
        "year_int",
        "added_at",
    ),
    Index(
        "ix_comics_series_browse",
        "library_id",
        "series_key",
        "year_int",
        "added_at",
        "title",
        "name",
    ),
    Index("ix_comics_series_key_number_sort", "series_key", "number_sort"),
    Index("ix_comics_library_id_added_at", "library_id", "added_at"),
    Index("ix_comics_fingerprint", "fingerprint"),
    Index("ix_comics_kosync_md5", "kosync_md5"),
    Index("ix_comics_name_md5", "name_md5"),
    # Ids are never handed out again once a comic is removed (clients keep them in progress
    # and sync state); PostgreSQL sequences already behave so, SQLite needs AUTOINCREMENT.
    sqlite_autoincrement=True,
)

# Comics indexed before names filled their metadata (migration 0013): empty once every library
# has been scanned since, so a scan's snapshot finds them for nothing.
Index(
    "ix_comics_unnamed",
    comics.c.library_id,
    sqlite_where=comics.c.metadata_sources.is_(None),
    postgresql_where=comics.c.metadata_sources.is_(None),
)

# Comics indexed before KOReader's ids were stored (migration 0016): empty once every library
# has been scanned since, so a scan's snapshot finds them for nothing.
Index(
    "ix_comics_undigested",
    comics.c.library_id,
    sqlite_where=comics.c.kosync_md5.is_(None),
    postgresql_where=comics.c.kosync_md5.is_(None),
)

# Partial MD5s a comic had before its file changed (a ComicInfo rewrite, say). KOReader keeps
# the id it computed when it first opened a book, so a device may name a comic by any of them.
comic_document_aliases = Table(
    "comic_document_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("comic_id", Integer, ForeignKey("comics.id", ondelete="CASCADE"), nullable=False),
    Column("digest", CHAR(32), nullable=False),
    Index("ix_comic_document_aliases_comic_id_digest", "comic_id", "digest", unique=True),
    Index("ix_comic_document_aliases_digest", "digest"),
)

# Story arcs (domain/story_arcs.py): one row per grouping key ever seen, so an arc's id stays
# the same for its key; rows are never removed, and SQLite's AUTOINCREMENT keeps ids from being
# handed to another key. ``arc_sort`` is the key's natural sort key, the order arcs list in.
story_arcs = Table(
    "story_arcs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("arc_key", BYTEWISE_TEXT, nullable=False),
    sort_key("arc_sort"),
    Index("ix_story_arcs_arc_key", "arc_key", unique=True),
    Index("ix_story_arcs_arc_sort", "arc_sort", "id"),
    sqlite_autoincrement=True,
)

# A comic's place in each of its arcs, rewritten with the comic by every index write. The
# comic's library, year and issue sort key are copied here (a comic keeps them when it merely
# moves), so an arc reads in order and per library from this table's indexes alone.
comic_story_arcs = Table(
    "comic_story_arcs",
    metadata,
    Column(
        "comic_id",
        Integer,
        ForeignKey("comics.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "arc_id",
        Integer,
        ForeignKey("story_arcs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    library_fk(),
    Column("name", Text, nullable=False),  # as tagged
    Column("number", Text, nullable=False),  # as tagged, "" when none
    Column("number_sort", Float, nullable=True),  # NULL: unnumbered
    Column("year_int", Integer, nullable=True),
    sort_key("issue_sort"),  # the comic's number_sort
    # Which arcs some libraries hold, and how many comics each has there.
    Index("ix_comic_story_arcs_library_id_arc_id", "library_id", "arc_id"),
    # One arc's comics in reading order.
    Index(
        "ix_comic_story_arcs_reading_order",
        "arc_id",
        "number_sort",
        "year_int",
        "issue_sort",
        "comic_id",
    ),
)

# A comic's removal, for a sync feed to report; no foreign key since the comic is gone.
comic_removals = Table(
    "comic_removals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("comic_id", Integer, nullable=False),
    Column("library_id", Integer, nullable=False),
    Column("path", Text, nullable=False),
    Column("removed_at", UtcDateTime(), nullable=False),
    Index("ix_comic_removals_removed_at", "removed_at"),
)

library_scans = Table(
    "library_scans",
    metadata,
    library_fk(primary_key=True),
    Column("last_scan_at", UtcDateTime(), nullable=False),
)

# One row whose value every index write raises (``index/write.py``), so any process can tell
# whether what it derived from the index (remembered search results) is still current,
# whichever process wrote.
index_generation = Table(
    "index_generation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)

# One row per kind of change (``ports/change_feed.py``), raised by database triggers on every
# write of the tables behind it, whichever process writes (migration 0020). Nothing in the
# code writes it; the change feeds read it.
change_counters = Table(
    "change_counters",
    metadata,
    Column("kind", Text, primary_key=True),
    Column("value", BigInteger, nullable=False),
)


# --- Shelves, reading progress and read marks --------------------------------------------


# Favorites and want-to-read. ``path`` is where the item was when added; a file entry also
# points at its comic, whose current path is what a listing shows, and leaves the shelf with it.
shelf_entries = Table(
    "shelf_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    user_fk(),
    Column("shelf", String(16), nullable=False),  # Shelf: favorites, to_read
    Column("kind", String(16), nullable=False),  # ShelfKind: file, folder
    Column("path", Text, nullable=False),
    library_fk(),
    Column("comic_id", Integer, ForeignKey("comics.id", ondelete="CASCADE"), nullable=True),
    sort_key("name_sort"),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_shelf_entries_user_id_shelf_path", "user_id", "shelf", "path", unique=True),
    Index("ix_shelf_entries_user_id_shelf_name_sort", "user_id", "shelf", "name_sort", "id"),
    Index("ix_shelf_entries_user_id_shelf_created_at", "user_id", "shelf", "created_at", "id"),
)
# A comic is on a shelf once, whatever path it was added under.
Index(
    "ix_shelf_entries_user_id_shelf_comic_id",
    shelf_entries.c.user_id,
    shelf_entries.c.shelf,
    shelf_entries.c.comic_id,
    unique=True,
    sqlite_where=shelf_entries.c.comic_id.is_not(None),
    postgresql_where=shelf_entries.c.comic_id.is_not(None),
)

# A user's position in a comic. Rows are found by comic id while the comic is indexed, so the
# position follows it through moves; ``comic_path`` is where it was first read (or the path a
# client sent for a file the index does not know). When the comic leaves the index the row
# stays, keyed by that path, and a comic indexed there again takes it over: positions survive
# rebuilds. Both keys are unique, so neither lookup can find two rows, and SET NULL on a
# removal never collides (it only clears ``comic_id``). A cleared position stays as a
# tombstone (``deleted``) so the sync feed can report it.
reading_progress = Table(
    "reading_progress",
    metadata,
    Column("id", Integer, primary_key=True),
    user_fk(),
    Column("comic_id", Integer, ForeignKey("comics.id", ondelete="SET NULL"), nullable=True),
    Column("comic_path", Text, nullable=False),
    Column("page_number", Integer, nullable=False),
    Column("total_pages", Integer, nullable=True),
    Column("time_spent", Integer, nullable=False, server_default="0"),  # seconds
    Column("updated_at", UtcDateTime(), nullable=False),  # server time: the feed's order
    Column("client_updated_at", BigInteger, nullable=True),  # unix seconds, the client's clock
    Column("deleted", Boolean, nullable=False, server_default=false()),
    # The device that wrote last (OPDS clients name theirs); NULL for /api/v1 writes.
    Column("device_id", Text, nullable=True),
    Column("device_name", Text, nullable=True),
    # Whether client_updated_at is the server's time (the write carried no client clock): a
    # client's time may then lag it by progress.CLOCK_TOLERANCE and still apply.
    Column("server_stamped", Boolean, nullable=False, server_default=false()),
    Index("ix_reading_progress_user_id_comic_path", "user_id", "comic_path", unique=True),
    # The sync feed's order: a user's changes since a time, ties by id.
    Index("ix_reading_progress_user_id_updated_at", "user_id", "updated_at", "id"),
)
Index(
    "ix_reading_progress_user_id_comic_id",
    reading_progress.c.user_id,
    reading_progress.c.comic_id,
    unique=True,
    sqlite_where=reading_progress.c.comic_id.is_not(None),
    postgresql_where=reading_progress.c.comic_id.is_not(None),
)

# Rows kept by path alone, for the index to link when a comic appears at their path.
Index(
    "ix_reading_progress_unlinked_path",
    reading_progress.c.comic_path,
    sqlite_where=reading_progress.c.comic_id.is_(None),
    postgresql_where=reading_progress.c.comic_id.is_(None),
)

# What a KOReader sent for a document no indexed comic matches (a book read from the device's
# own storage, or a comic not scanned yet), kept per user as sent and answered back, and
# written to the comic's position when a scan finds it.
kosync_orphans = Table(
    "kosync_orphans",
    metadata,
    Column("id", Integer, primary_key=True),
    user_fk(),
    Column("document", Text, nullable=False),
    Column("progress", Text, nullable=False),
    Column("percentage", Float, nullable=False),
    Column("device", Text, nullable=False),
    Column("device_id", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),  # server time
    Index("ix_kosync_orphans_user_id_document", "user_id", "document", unique=True),
    Index("ix_kosync_orphans_document", "document"),
)

# "I have read this": keyed like reading_progress, and following moves the same way. An unmark
# stays as a tombstone (``deleted``) so the sync feed can report it.
read_marks = Table(
    "read_marks",
    metadata,
    Column("id", Integer, primary_key=True),
    user_fk(),
    Column("comic_id", Integer, ForeignKey("comics.id", ondelete="SET NULL"), nullable=True),
    Column("comic_path", Text, nullable=False),
    Column("page_count", Integer, nullable=True),
    Column("time_spent", Integer, nullable=False, server_default="0"),  # seconds
    Column("read_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),  # server time: the feed's order
    Column("deleted", Boolean, nullable=False, server_default=false()),  # unmarked
    Index("ix_read_marks_user_id_comic_path", "user_id", "comic_path", unique=True),
    Index("ix_read_marks_user_id_updated_at", "user_id", "updated_at", "id"),
)
Index(
    "ix_read_marks_user_id_comic_id",
    read_marks.c.user_id,
    read_marks.c.comic_id,
    unique=True,
    sqlite_where=read_marks.c.comic_id.is_not(None),
    postgresql_where=read_marks.c.comic_id.is_not(None),
)
Index(
    "ix_read_marks_unlinked_path",
    read_marks.c.comic_path,
    sqlite_where=read_marks.c.comic_id.is_(None),
    postgresql_where=read_marks.c.comic_id.is_(None),
)


# --- Reading lists -----------------------------------------------------------------------

# Ordered lists of comics (domain/readlists.py), owned by a user or shared (``owner_id`` NULL).
# A re-import finds its list by owner and ``name_key`` (``readlists.list_key``), compared
# bytewise so both databases list them in the same order as the memory store.
reading_lists = Table(
    "reading_lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("name", Text, nullable=False),
    Column("name_key", BYTEWISE_TEXT, nullable=False),
    Column("summary", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # NULLs are distinct in a unique index, so this holds owned lists only; shared lists
    # have their own partial index below.
    Index("ix_reading_lists_owner_id_name_key", "owner_id", "name_key", unique=True),
)
Index(
    "ix_reading_lists_shared_name_key",
    reading_lists.c.name_key,
    unique=True,
    sqlite_where=reading_lists.c.owner_id.is_(None),
    postgresql_where=reading_lists.c.owner_id.is_(None),
)

# A list's books in order, as the list names them, each pointing at the comic it matched.
# A comic leaving the index clears the link (the entry is unresolved again); comics keep
# their ids when they move, so a moved comic stays linked.
reading_list_entries = Table(
    "reading_list_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", Integer, ForeignKey("reading_lists.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),  # 1-based
    Column("series", Text, nullable=False),
    Column("number", Text, nullable=False),
    Column("volume", Text, nullable=True),
    Column("year", Integer, nullable=True),
    # [[database name, series id, issue id], ...] as a CBL's <Database> elements give them.
    Column("database_ids", Text, nullable=False),
    Column("comic_id", Integer, ForeignKey("comics.id", ondelete="SET NULL"), nullable=True),
    Index("ix_reading_list_entries_list_id_position", "list_id", "position", unique=True),
    # What a comic's removal looks up to clear its links.
    Index("ix_reading_list_entries_comic_id", "comic_id"),
)
# What a scan reads to match again: only the unresolved entries, in list order.
Index(
    "ix_reading_list_entries_unresolved",
    reading_list_entries.c.list_id,
    reading_list_entries.c.position,
    sqlite_where=reading_list_entries.c.comic_id.is_(None),
    postgresql_where=reading_list_entries.c.comic_id.is_(None),
)
