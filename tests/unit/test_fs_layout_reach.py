"""Every comic of any folder layout is reachable in filesystem mode (contract §4, "better").

Random layouts (comics at the root, one to five folders deep, mixed folders, volume-like
names, spaces and non-ASCII names) are written as real CBZ files, scanned by the real scanner,
and walked as a client walks them: publishers, then their series, then each series' volumes
when it has some, then the issues, every list a page at a time, each step sending back a value
the previous answer gave. The comics reached must be exactly the comics indexed, and following
``path``es no comic is reached twice.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bagboard.config import load_settings
from bagboard.domain.model import Role, User
from bagboard.domain.pagination import Page, PageRequest
from bagboard.library import ComicLibrary
from bagboard.services.browse import FolderItem
from tests.browse_support import BACKENDS, database_url
from tests.unit.scan_support import write_cbz

T = TypeVar("T")
FS = "filesystem"
PAGE_SIZE = 3  # small, so every list takes several pages

NAMES = [
    "Saga",
    "saga",
    "v1985",
    "v2012",
    "Vol 2",
    "Vol 10",
    "Émile Zola",
    "東京",
    "Extras",
    "A  B",
]
# A folder (its names below the root; () is the root itself) and how many comics it holds.
FOLDERS = st.lists(st.sampled_from(NAMES), max_size=5).map(tuple)
LAYOUTS = st.lists(st.tuples(FOLDERS, st.integers(0, 3)), min_size=1, max_size=10)


@dataclass
class Bench:
    app: ComicLibrary
    base: Path
    count: Iterator[int]


@pytest.fixture(scope="module", params=["memory", *BACKENDS])
def bench(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bench]:
    kind: str = request.param
    base = tmp_path_factory.mktemp(f"reach-{kind}")
    if kind == "memory":
        app = ComicLibrary.from_settings(
            load_settings(data_dir=str(base / "data")), memory=True, workers=0
        )
        yield Bench(app, base, itertools.count(1))
        app.close()
        return
    with database_url(kind, base) as url:
        app = ComicLibrary.from_settings(
            load_settings(data_dir=str(base / "data"), database_url=url), workers=0
        )
        try:
            yield Bench(app, base, itertools.count(1))
        finally:
            app.close()


def write_layout(root: Path, layout: list[tuple[tuple[str, ...], int]]) -> list[Path]:
    files = []
    number = itertools.count(1)
    for folder, comics in layout:
        where = root.joinpath(*folder)
        where.mkdir(parents=True, exist_ok=True)
        for _ in range(comics):
            path = where / f"Issue {next(number)}.cbz"
            files.append(write_cbz(path, pages=1, salt=str(path)))
    return files


def every_page(fetch: Callable[[PageRequest], Page[T]]) -> list[T]:
    items: list[T] = []
    for number in itertools.count(1):
        page = fetch(PageRequest(number, PAGE_SIZE))
        items += page.items
        assert len(items) <= page.total
        if not page.has_more:
            assert len(items) == page.total
            return items
    raise AssertionError("unreachable")


def walk(app: ComicLibrary, user: User, *, by_path: bool) -> list[int]:
    """The ids of the comics a client reaches, sending back ``path``s or ``value``s."""
    browse = app.browse

    def part(item: FolderItem) -> str:
        return item.folder.path if by_path else item.folder.name

    reached: list[int] = []
    publishers = every_page(lambda p: browse.publishers(user, mode=FS, page=p).page)
    for publisher in publishers:
        assert isinstance(publisher, FolderItem)
        series = every_page(
            lambda p, pub=publisher: browse.series(user, mode=FS, publisher=part(pub), page=p).page
        )
        for entry in series:
            assert isinstance(entry, FolderItem)
            assert entry.volumes != ()  # the key is left out, never []
            for volume in entry.volumes or (None,):
                issues = every_page(
                    lambda p, s=entry, v=volume, pub=publisher: (
                        browse.issues(
                            user, mode=FS, publisher=part(pub), series=part(s), volume=v, page=p
                        ).page
                    )
                )
                reached += [issue.comic.id for issue in issues]
    return reached


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(layout=LAYOUTS)
def test_every_comic_is_reached_once_through_publishers_series_and_volumes(
    bench: Bench, layout: list[tuple[tuple[str, ...], int]]
) -> None:
    n = next(bench.count)
    root = bench.base / f"layout-{n}" / "comics"
    root.mkdir(parents=True)
    files = write_layout(root, layout)
    app = bench.app
    library = app.libraries.add(str(root))
    app.scanner().scan(library)
    user = app.accounts.add_user(f"walker{n}", Role.READER, [library.id])
    index = app.container.library_index()
    indexed = []
    for path in files:
        comic = index.comic_at(str(path))
        assert comic is not None, path
        indexed.append(comic.id)

    by_path = walk(app, user, by_path=True)
    assert sorted(by_path) == sorted(indexed)  # each comic once
    # Values name entries less precisely (a publisher's own series and a subfolder may share
    # one), so a comic may come twice, but every one is reached and nothing else is.
    assert set(walk(app, user, by_path=False)) == set(indexed)
    # A root counts its own comics and a publisher folder everything below it.
    publishers = every_page(lambda p: app.browse.publishers(user, mode=FS, page=p).page)
    assert sum(
        item.folder.comic_count for item in publishers if isinstance(item, FolderItem)
    ) == len(indexed)
