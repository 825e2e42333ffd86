"""OPDS 1.2 and 2.0 story arcs over comics whose ComicInfo names them (``StoryArc``,
``StoryArcNumber``): the arcs feed lists each with its count and cover, an arc opens as its
comics in arc order across series and libraries, limited to what the user may see."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bagboard.domain.pagination import PageRequest
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import BACKENDS
from tests.opds2_support import Opds2World, link
from tests.scanned_world import scanned_world
from tests.unit.opds_lists_support import ATOM_NS, V1, V2, atom_ids, opds2_ids

THUMBNAIL = "http://opds-spec.org/image/thumbnail"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
# (library, path, series, number, arc number): the arc reads across series and libraries.
PARTS = (
    ("a", "Civil War/Civil War 001.cbz", "Civil War", "1", "2"),
    ("a", "Spider-Man/ASM 532.cbz", "Amazing Spider-Man", "532", "1"),
    ("a", "Civil War/Civil War 002.cbz", "Civil War", "2", "3"),
    ("b", "Secret/Front Line 001.cbz", "Front Line", "1", "4"),
)


def _write(base: Path) -> tuple[Path, Path]:
    roots = {"a": (base / "a").resolve(), "b": (base / "b").resolve()}
    for library, relative, series, number, part in PARTS:
        fields = {"Series": series, "Number": number, "StoryArc": "Civil War"}
        fields["StoryArcNumber"] = part
        path = roots[library] / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, {"ComicInfo.xml": comicinfo_xml(fields), "001.jpg": jpeg((9, 9, 9))})
    return roots["a"], roots["b"]


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opds2World]:
    with scanned_world(Opds2World, request.param, tmp_path_factory, _write) as built:
        yield built


def urns(world: Opds2World, *indexes: int) -> list[str]:
    ids = []
    for index in indexes:
        library, relative = PARTS[index][:2]
        ids.append(world.id_of(relative, world.root_a if library == "a" else world.root_b))
    return [f"urn:bagboard:issue:{comic_id}" for comic_id in ids]


def test_an_arc_reads_in_arc_order_across_series_and_libraries(world: Opds2World) -> None:
    owner = world.app.accounts.owner()
    [arc] = world.app.reading_orders.story_arcs(owner, PageRequest(1, 50)).items
    feed = world.get(f"{V1}/arcs")
    assert feed.status_code == 200
    atom = ElementTree.fromstring(feed.content)
    [entry] = atom.findall("a:entry", ATOM_NS)
    assert entry.findtext("a:title", "", ATOM_NS) == "Civil War"
    assert entry.findtext("a:content", "", ATOM_NS) == "4 comics"
    links = {found.get("rel"): found for found in entry.findall("a:link", ATOM_NS)}
    assert links["subsection"].get("href") == f"{V1}/arcs/{arc.id}"
    assert links["subsection"].get("type") == ACQUISITION
    first = urns(world, 1)[0].rsplit(":", 1)[1]
    assert links[THUMBNAIL].get("href") == f"http://testserver/api/v1/issue/{first}/cover?size=300"
    order = urns(world, 1, 0, 2, 3)
    arc_atom = ElementTree.fromstring(world.get(f"{V1}/arcs/{arc.id}").content)
    assert atom_ids(arc_atom) == order
    assert arc_atom.findtext("a:title", "", ATOM_NS) == "Civil War"
    v2 = world.feed(f"{V2}/arcs/{arc.id}")
    assert opds2_ids(v2) == order and v2["metadata"]["numberOfItems"] == 4
    assert link(v2, "up")["href"] == f"{V2}/arcs"
    kid_nav = world.feed(f"{V2}/arcs", world.kid)["navigation"]
    assert [(item["title"], item["properties"]) for item in kid_nav] == [
        ("Civil War", {"numberOfItems": 3})
    ]
    assert opds2_ids(world.feed(f"{V2}/arcs/{arc.id}", world.kid)) == order[:3]
    kid_atom = ElementTree.fromstring(world.get(f"{V1}/arcs/{arc.id}", world.kid).content)
    assert atom_ids(kid_atom) == order[:3]
    for prefix in (V1, V2):
        assert world.get(f"{prefix}/arcs/{arc.id + 1000}").status_code == 404
