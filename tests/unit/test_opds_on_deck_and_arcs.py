"""OPDS 1.2 and 2.0 "on deck" (the next comic of what a user is reading) and story arcs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from bagboard.adapters.memory.clock import ManualClock
from bagboard.domain.model import Role
from tests.browse_support import BACKENDS
from tests.opds2_support import link
from tests.unit.http_support import issue_app
from tests.unit.issue_wiring import IssueWiring
from tests.unit.opds_lists_support import (
    ATOM_NS,
    CW1,
    CW2,
    V1,
    V2,
    ListsWorld,
    atom_ids,
    lists_world,
    opds2_ids,
)


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ListsWorld]:
    with lists_world(request.param, tmp_path_factory) as built:
        yield built


def test_on_deck_after_reading_number_1_is_number_2_in_both_catalogs(world: ListsWorld) -> None:
    world.app.accounts.add_user("decker", Role.READER, None)
    token = world.app.accounts.create_token("decker").secret
    for prefix in (V1, V2):
        assert world.get(f"{prefix}/on-deck", token).status_code == 200
    assert atom_ids(world.atom(f"{V1}/on-deck", token)) == []
    assert opds2_ids(world.feed(f"{V2}/on-deck", token)) == []
    comic = world.app.container.library_index().comic(world.marvel(CW1))
    assert comic is not None
    world.app.progress.set_read_in(world.user("decker"), comic, True)
    second = f"urn:bagboard:issue:{world.marvel(CW2)}"
    atom = world.atom(f"{V1}/on-deck", token)
    assert atom.findtext("a:id", "", ATOM_NS) == "urn:bagboard:on-deck"
    assert atom_ids(atom) == [second]
    assert atom.findtext("os:totalResults", "", ATOM_NS) == "1"
    v2 = world.feed(f"{V2}/on-deck", token)
    assert v2["metadata"]["title"] == "On deck"
    assert opds2_ids(v2) == [second]
    assert link(v2, "self")["href"] == f"{V2}/on-deck"
    # Another reader's deck is their own.
    assert opds2_ids(world.feed(f"{V2}/on-deck", world.new_reader())) == []


def test_the_arcs_feed_is_a_navigation_feed_and_unknown_arcs_are_a_404(
    world: ListsWorld,
) -> None:
    arcs = world.atom(f"{V1}/arcs")
    assert arcs.findtext("a:id", "", ATOM_NS) == "urn:bagboard:arcs"
    assert arcs.findtext("a:title", "", ATOM_NS) == "Story arcs"
    v2 = world.feed(f"{V2}/arcs")
    assert v2["metadata"]["title"] == "Story arcs"
    assert link(v2, "up")["href"] == f"{V2}/catalog"
    for prefix in (V1, V2):
        for raw in ("1", "999999999", "arc-1", "abc", str(world.event)):
            assert world.get(f"{prefix}/arcs/{raw}").status_code == 404, (prefix, raw)
            assert world.get(f"{prefix}/arcs/{raw}", world.kid).status_code == 404


def test_an_app_made_without_reading_orders_has_no_such_feeds() -> None:
    app, headers = issue_app(IssueWiring(), ManualClock())
    with TestClient(app) as client:
        assert client.get("/opds/v1.2/catalog", headers=headers).status_code == 200
        for route in ("readlists", "readlists/1", "arcs", "arcs/1", "on-deck"):
            for prefix in ("/opds/v1.2", "/opds/v2.0"):
                assert client.get(f"{prefix}/{route}", headers=headers).status_code == 404
