"""The facet tables on every SQL backend: after any sequence of index writes, and after the
migration that creates them, they hold exactly what grouping the comics from scratch gives."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, delete, func, select

from bagboard.adapters.storage import (
    SqlLibraryIndex,
    SqlLibraryStore,
    SqlMetadataBrowser,
    upgrade,
)
from bagboard.adapters.storage.browse.series_search import matching_series
from bagboard.adapters.storage.db.facet_tables import (
    SEARCH_SEPARATOR,
    UNKNOWN_YEAR,
    all_publisher_series_facets,
    all_series_facets,
    facet_sources,
    publisher_facets,
    publisher_series_facets,
    search_id,
    series_facets,
)
from bagboard.adapters.storage.db.migrate import alembic_config
from bagboard.adapters.storage.db.tables import comics, libraries
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import Sort, display_name, grouping_key
from bagboard.domain.catalog import ComicEntry, ComicMove, FolderEntry, IndexChanges
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import PageRequest

AT = datetime(2026, 3, 1, tzinfo=UTC)
SERIES = ["Saga", "SAGA", "saga", "Batman", "batman", "Batman 2", "Batman 10", "Astérix", ""]
PUBLISHERS = ["Image", "IMAGE", "DC", "dc", "Marvel", ""]
YEARS = ["", "1990", "2001", "c. 2000"]
TITLES = ["", "One", "Two", "L'ÉTÉ", "Un/deux"]


def _facet(members: list[Any], publisher_members: list[Any]) -> tuple[Any, ...]:
    years = [row.year_int for row in members if row.year_int is not None]
    year = min(years) if years else None
    return (
        display_name(Counter(row.series for row in members).items()),
        display_name(Counter(row.publisher for row in publisher_members).items()),
        len(members),
        year,
        max(row.added_at for row in members),
        natural_sort_text(members[0].series_key),
        -len(members),
        UNKNOWN_YEAR if year is None else year,
    )


def _texts(members: list[Any]) -> str:
    found = {row.title.lower() for row in members if row.title}
    return SEARCH_SEPARATOR.join(sorted(found | {row.name.lower() for row in members}))


def _series(
    rows: list[Any], scope: Callable[[Any], tuple[Any, ...]], search: bool
) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """Whole series and series split by publisher key, keyed by ``scope`` of a comic."""
    split: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for row in rows:
        if row.series_key:
            split[*scope(row), row.series_key, row.publisher_key].append(row)
    whole: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for key, members in split.items():
        whole[key[:-1]].extend(members)

    def largest_publisher(key: tuple[Any, ...]) -> list[Any]:
        named = [(k[-1], m) for k, m in split.items() if k[:-1] == key and k[-1]]
        return min(named, key=lambda item: (-len(item[1]), item[0]))[1] if named else []

    return (
        {(*key, *_facet(members, largest_publisher(key))) for key, members in whole.items()},
        {
            (*key, *_facet(members, members), *([_texts(members)] if search else []))
            for key, members in split.items()
        },
    )


def _expected(engine: Engine) -> dict[str, set[tuple[Any, ...]]]:
    """The facet tables, grouped from the comics in the plainest way; the rows over every
    library only while two libraries or more hold series (``_sources_are_complete``)."""
    c = comics.c
    columns = (c.library_id, c.publisher_key, c.series_key, c.series, c.publisher)
    with engine.connect() as conn:
        rows = conn.execute(select(*columns, c.title, c.name, c.year_int, c.added_at)).all()
        sources = conn.execute(select(func.count()).select_from(facet_sources)).scalar_one()
    publishers = Counter(
        (row.library_id, row.publisher_key, row.publisher) for row in rows if row.publisher_key
    )
    whole, split = _series(rows, lambda row: (row.library_id,), search=True)
    all_whole, all_split = _series(rows, lambda row: (), search=False)
    if sources < 2:
        all_whole, all_split = set(), set()
    return {
        "publisher_facets": {(*key, n, natural_sort_text(key[1])) for key, n in publishers.items()},
        "series_facets": whole,
        "publisher_series_facets": split,
        "all_series_facets": all_whole,
        "all_publisher_series_facets": all_split,
    }


def _sources_are_complete(engine: Engine) -> bool:
    """Every library the rows over every library count is listed, and no other library."""
    with engine.connect() as conn:
        sources = set(conn.execute(select(facet_sources.c.library_id)).scalars())
        known = set(conn.execute(select(libraries.c.id)).scalars())
        counted = conn.execute(
            select(comics.c.library_id).where(comics.c.series_key != "").distinct()
        )
        return set(counted.scalars()) <= sources <= known


def _stored(engine: Engine) -> dict[str, set[tuple[Any, ...]]]:
    tables = (
        publisher_facets,
        series_facets,
        publisher_series_facets,
        all_series_facets,
        all_publisher_series_facets,
    )
    stored = {}
    with engine.connect() as conn:
        for table in tables:
            # Keys first, then the values in table order, search_text last; search_id apart.
            keys = [column for column in table.primary_key.columns]
            rest = [
                column
                for column in table.c
                if column not in keys and column.name not in ("search_text", "search_id")
            ]
            last = [table.c.search_text] if "search_text" in table.c else []
            stored[table.name] = {tuple(row) for row in conn.execute(select(*keys, *rest, *last))}
        ids = conn.execute(
            select(
                publisher_series_facets.c.library_id,
                publisher_series_facets.c.publisher_key,
                publisher_series_facets.c.series_key,
                publisher_series_facets.c.search_id,
            )
        ).all()
    assert all(row[3] == search_id(*row[:3]) for row in ids)
    return stored


def _search_finds_what_the_rows_hold(engine: Engine, rng: random.Random) -> None:
    """The search index (``SERIES_SEARCH``) agrees with the rows as they are now: a query
    finds exactly the series whose key or text holds it."""
    facets = publisher_series_facets.c
    with engine.connect() as conn:
        rows = conn.execute(select(facets.library_id, facets.series_key, facets.search_text)).all()
        library_ids = sorted({row.library_id for row in rows})
        texts = [row.series_key for row in rows] + [row.search_text for row in rows]
        queries = ["zzzq", "Ba"]
        for text in rng.sample(texts, min(6, len(texts))):
            start = rng.randrange(max(1, len(text) - 3))
            piece = text[start : start + rng.randint(3, 8)]
            if SEARCH_SEPARATOR not in piece:
                queries.append(piece.upper())
        for query in queries:
            found = set(conn.execute(matching_series(conn.dialect.name, library_ids, None, query)))
            expected = {
                row.series_key
                for row in rows
                if grouping_key(query) in row.series_key or query.lower() in row.search_text
            }
            assert {key for (key,) in found} == expected, query


class Shelf:
    """Random batches for one library, remembering which comics it holds."""

    def __init__(self, engine: Engine, name: str, rng: random.Random) -> None:
        self.library_id = SqlLibraryStore(engine).add(name, f"/srv/{name}").id
        self.root = f"/srv/{name}"
        self.index = SqlLibraryIndex(engine)
        self.rng = rng
        self.made = 0
        folders = [FolderEntry(self.root, 0, 1), FolderEntry(f"{self.root}/x", 1, 1)]
        self.index.apply(self.library_id, IndexChanges(folders=folders), AT)

    def _entry(self, path: str | None = None, info: ComicInfo | None = None) -> ComicEntry:
        self.made += 1
        rng = self.rng
        if path is None:
            folder = rng.choice([self.root, f"{self.root}/x"])
            path = f"{folder}/{rng.choice(['Issue', 'ISSUE', 'Tome'])} {self.made}.cbz"
        if info is None and rng.random() < 0.9:
            info = ComicInfo(
                series=rng.choice(SERIES),
                number=str(self.made),
                publisher=rng.choice(PUBLISHERS),
                year=rng.choice(YEARS),
                title=rng.choice(TITLES),
            )
        return ComicEntry(path, 1, 1, f"{self.library_id}:{self.made}", ArchiveFormat.ZIP, 1, info)

    def batch(self) -> None:
        rng = self.rng
        held = self.index.snapshot(self.library_id).comics
        ids = [comic.id for comic in held.values()]
        rng.shuffle(ids)
        removed, changed, moved = ids[:2], ids[2:5], ids[5:7]
        paths = {comic.id: path for path, comic in held.items()}
        moves = []
        for comic_id in moved:
            current = self.index.comic(comic_id)
            assert current is not None
            moves.append(ComicMove(comic_id, self._entry(info=current.comic_info)))
        added_at = AT - timedelta(days=rng.randint(0, 900))
        changes = IndexChanges(
            added=[(self._entry(), added_at) for _ in range(rng.randint(0, 12))],
            changed=[(comic_id, self._entry(paths[comic_id])) for comic_id in changed],
            moved=moves,
            removed_comics=removed,
        )
        self.index.apply(self.library_id, changes, AT)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facets_follow_every_batch(sql_engine: Engine, seed: int) -> None:
    rng = random.Random(seed)
    shelves = [Shelf(sql_engine, name, rng) for name in ("comics", "manga")]
    for _ in range(15):
        rng.choice(shelves).batch()
        assert _stored(sql_engine) == _expected(sql_engine)
        assert _sources_are_complete(sql_engine)
        _search_finds_what_the_rows_hold(sql_engine, rng)
    assert _expected(sql_engine)["series_facets"]  # the batches did build groups


def test_the_migration_fills_facets_from_the_comics_already_indexed(sql_engine: Engine) -> None:
    rng = random.Random(7)
    shelves = [Shelf(sql_engine, name, rng) for name in ("comics", "manga")]
    for _ in range(8):
        rng.choice(shelves).batch()
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004")
    upgrade(sql_engine)
    assert _stored(sql_engine) == _expected(sql_engine)
    _search_finds_what_the_rows_hold(sql_engine, rng)
    assert _sources_are_complete(sql_engine)


def test_a_deleted_library_leaves_the_lists_and_the_next_write_heals_the_rest(
    sql_engine: Engine,
) -> None:
    rng = random.Random(11)
    shelves = [Shelf(sql_engine, name, rng) for name in ("comics", "manga", "bd")]
    for shelf in shelves:
        shelf.batch()
        shelf.batch()
    with sql_engine.begin() as conn:
        conn.execute(delete(libraries).where(libraries.c.id == shelves[0].library_id))
    expected = _expected(sql_engine)
    stored = _stored(sql_engine)
    for table in ("publisher_facets", "series_facets", "publisher_series_facets"):
        assert stored[table] == expected[table]  # cascaded
    # The rows over every library still count the deleted one: the lists must not use them.
    left = [shelf.library_id for shelf in shelves[1:]]
    browser = SqlMetadataBrowser(sql_engine)
    listed = browser.series(left, None, None, Sort.ALPHA, PageRequest(1, 200))
    counts = {row[0]: row[3] for row in expected["all_series_facets"]}
    assert {facet.key: facet.count for facet in listed.items} == counts
    shelves[1].batch()
    assert _stored(sql_engine) == _expected(sql_engine)
    assert _sources_are_complete(sql_engine)
    # One library left with series: the rows over every library go, its own rows serve.
    with sql_engine.begin() as conn:
        conn.execute(delete(libraries).where(libraries.c.id == shelves[2].library_id))
    shelves[1].batch()
    assert _stored(sql_engine) == _expected(sql_engine)
    assert not _stored(sql_engine)["all_series_facets"]
    listed = browser.series(left, None, None, Sort.ALPHA, PageRequest(1, 200))
    assert {facet.key for facet in listed.items} == {
        row[1] for row in _stored(sql_engine)["series_facets"]
    }
