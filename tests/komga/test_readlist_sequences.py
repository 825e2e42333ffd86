"""The whole call sequences of Mihon's extension and tracker and of Komelia (``seq_mihon``,
``seq_komelia``) against a world with reading lists: each takes its read-list steps (the
extension's chapters and cover, the tracker's list sync, Komelia's read-list screen)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browse_support import BACKENDS
from tests.komga.readlist_world import ListWorld, list_world
from tests.komga.sequences import extension, komelia, tracker


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ListWorld]:
    base = tmp_path_factory.mktemp(f"komga-list-sequences-{request.param}")
    with list_world(request.param, base) as built:
        yield built


def _paths(transcript: list[dict[str, object]]) -> list[str]:
    return [f"{step['method']} {step['path']}" for step in transcript]


def test_mihon_and_komelia_sequences_walk_a_read_list(world: ListWorld) -> None:
    owner, token = world.owner.name, world.tokens["owner"]
    event = world.lists["Civil War Event"]
    # Mihon's extension and tracker share one cookie jar; Komelia has its own.
    http = world.app_client()
    ext, found = extension(http, owner, token)
    assert found["readlist_id"] == event
    trk = tracker(http, found["series_id"], found["book_number_sort"], event)
    assert f"GET api/v1/readlists/{event}/thumbnail" in _paths(ext)
    assert f"PUT api/v1/readlists/{event}/read-progress/tachiyomi" in _paths(trk)
    first = world.json(f"/api/v1/readlists/{event}")["bookIds"][0]
    assert world.json(f"/api/v1/books/{first}")["readProgress"]["completed"] is True
    kom = komelia(world.app_client(), owner, token)
    assert f"GET api/v1/readlists/{event}/books/{first}/next" in _paths(kom)
