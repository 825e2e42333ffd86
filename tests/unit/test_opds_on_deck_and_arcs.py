"""OPDS 1.2 and 2.0 "on deck" (the next comic of what a user is reading) and story arcs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest
from dependency_injector import providers
from litestar.testing import TestClient

from bagboard.adapters.memory.clock import ManualClock
from bagboard.domain.browse import ComicRow
from bagboard.domain.model import Role
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.story_arcs import StoryArc
from bagboard.ports.story_arcs import StoryArcs
from tests.browse_support import BACKENDS
from tests.opds2_support import link
from tests.unit.http_support import issue_app
from tests.unit.issue_wiring import IssueWiring
from tests.unit.opds_lists_support import (
    ATOM_NS,
    CW1,
    CW2,
    SECRET,
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


@dataclass(frozen=True)
class ArcsOf:
    """A ``StoryArcs`` holding the given arcs, each its comics in reading order: the port as
    the index keeps it, over comics of the scanned libraries."""

    parts: dict[int, tuple[str, tuple[ComicRow, ...]]]

    def _seen(self, arc_id: int, library_ids: Sequence[int]) -> list[ComicRow]:
        return [row for row in self.parts[arc_id][1] if row.library_id in library_ids]

    def _arc(self, arc_id: int, library_ids: Sequence[int]) -> StoryArc | None:
        rows = self._seen(arc_id, library_ids) if arc_id in self.parts else []
        return StoryArc(arc_id, self.parts[arc_id][0], len(rows), rows[0].id) if rows else None

    def arcs(self, library_ids: Sequence[int], page: PageRequest) -> Page[StoryArc]:
        found = [arc for i in sorted(self.parts) if (arc := self._arc(i, library_ids))]
        return Page(found[page.offset : page.offset + page.limit], len(found), page)

    def get(self, arc_id: int, library_ids: Sequence[int]) -> StoryArc | None:
        return self._arc(arc_id, library_ids)

    def comics(self, arc_id: int, library_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        rows = self._seen(arc_id, library_ids) if arc_id in self.parts else []
        return Page(rows[page.offset : page.offset + page.limit], len(rows), page)

    def arcs_of(self, comic_id: int, library_ids: Sequence[int]) -> list[StoryArc]:
        return [
            arc
            for i, (_, rows) in sorted(self.parts.items())
            if any(row.id == comic_id for row in rows) and (arc := self._arc(i, library_ids))
        ]


def test_an_arc_opens_as_its_comics_in_reading_order_in_both_catalogs(world: ListsWorld) -> None:
    index = world.app.container.library_index()
    rows = {}
    for name, comic_id in (
        ("cw1", world.marvel(CW1)),
        ("cw2", world.marvel(CW2)),
        ("secret", world.secret(SECRET)),
    ):
        comic = index.comic(comic_id)
        assert comic is not None
        rows[name] = comic.as_row()
    arcs: StoryArcs = ArcsOf({7: ("Civil War", (rows["cw2"], rows["secret"], rows["cw1"]))})
    world.app.container.story_arcs.override(providers.Object(arcs))
    try:
        owner_order = [f"urn:bagboard:issue:{rows[n].id}" for n in ("cw2", "secret", "cw1")]
        kid_order = [owner_order[0], owner_order[2]]
        arcs_feed = world.atom(f"{V1}/arcs")
        [entry] = arcs_feed.findall("a:entry", ATOM_NS)
        assert entry.findtext("a:id", "", ATOM_NS) == "urn:bagboard:arc:7"
        assert entry.findtext("a:content", "", ATOM_NS) == "3 comics"
        hrefs = {found.get("rel"): found.get("href") for found in entry.findall("a:link", ATOM_NS)}
        assert hrefs["subsection"] == f"{V1}/arcs/7"
        assert hrefs["http://opds-spec.org/image/thumbnail"] == (
            f"http://testserver/api/v1/issue/{rows['cw2'].id}/cover?size=300"
        )
        v2_arcs = world.feed(f"{V2}/arcs", world.kid)
        assert [(item["title"], item["properties"]) for item in v2_arcs["navigation"]] == [
            ("Civil War", {"numberOfItems": 2})
        ]
        assert atom_ids(world.atom(f"{V1}/arcs/7")) == owner_order
        assert atom_ids(world.atom(f"{V1}/arcs/7", world.kid)) == kid_order
        arc = world.feed(f"{V2}/arcs/7")
        assert opds2_ids(arc) == owner_order and arc["metadata"]["title"] == "Civil War"
        assert link(arc, "up")["href"] == f"{V2}/arcs"
        assert opds2_ids(world.feed(f"{V2}/arcs/7", world.kid)) == kid_order
        for prefix in (V1, V2):
            assert world.get(f"{prefix}/arcs/8").status_code == 404
            assert world.get(f"{prefix}/readlists/arc-7").status_code == 404
    finally:
        world.app.container.story_arcs.reset_override()
