"""Reading lists and story arcs for the tests that call every documented operation of
``/api/v1`` on the browse tests' collection (``browse_support``): a list to read, remove and
export, a CBL file to import, and the arc to call the arc operations with, when there is one."""

from __future__ import annotations

from typing import Any, Final

from tests.browse_support import World
from tests.readlist_support import cbl

__all__ = ["ARC_OPERATIONS", "ReadingCalls", "reading_calls"]

API: Final = "/api/v1"
_SPIDEY: Final = "Amazing Spider-Man"
LIST_FILE: Final = cbl(
    "Docs: the first issues",
    [(_SPIDEY, "1", "", "1963"), (_SPIDEY, "2", "", "1963"), ("Nobody's Series", "9", "", "")],
)
# The operations that need an arc: a collection whose comics name none answers them 404.
ARC_OPERATIONS: Final = frozenset(
    {("GET", f"{API}/arcs/{{arc_id}}"), ("GET", f"{API}/arcs/{{arc_id}}/issues")}
)

Call = tuple[str, str, dict[str, Any]]


class ReadingCalls:
    """One real request per reading-list, arc and reading-next operation, for ``token``'s
    user: the list it reads is imported first (``prepare``), and removed last."""

    def __init__(self, world: World, token: str) -> None:
        self.world = world
        self.token = token
        self.list_id = 0
        self.arc_id: int | None = None

    def prepare(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        body = LIST_FILE.replace(b"Docs:", b"Read:")
        made = self.world.client.post(f"{API}/readlists", content=body, headers=headers)
        assert made.status_code == 201, made.text
        self.list_id = made.json()["list"]["id"]
        arcs = self.world.client.get(f"{API}/arcs", headers=headers).json()["items"]
        self.arc_id = arcs[0]["id"] if arcs else None

    def reads(self, comic_id: int) -> list[Call]:
        """GETs that answer JSON and take ``If-None-Match``."""
        lists = f"{API}/readlists"
        one = f"{lists}/{self.list_id}"
        calls: list[Call] = [
            ("GET", lists, {"url": lists}),
            ("GET", f"{lists}/{{list_id}}", {"url": one}),
            ("GET", f"{lists}/{{list_id}}/issues", {"url": f"{one}/issues"}),
            ("GET", f"{API}/arcs", {"url": f"{API}/arcs"}),
            ("GET", f"{API}/library/on-deck", {"url": f"{API}/library/on-deck"}),
            ("GET", f"{API}/library/continue-reading", {"url": f"{API}/library/continue-reading"}),
            ("GET", f"{API}/issue/{{issue_id}}/lists", {"url": f"{API}/issue/{comic_id}/lists"}),
        ]
        if self.arc_id is not None:
            arc = f"{API}/arcs/{self.arc_id}"
            calls += [
                ("GET", f"{API}/arcs/{{arc_id}}", {"url": arc}),
                ("GET", f"{API}/arcs/{{arc_id}}/issues", {"url": f"{arc}/issues"}),
            ]
        return calls

    def all(self, comic_id: int) -> list[Call]:
        """Every operation: the import, the reads, the export, and the removal last."""
        lists = f"{API}/readlists"
        one = f"{lists}/{self.list_id}"
        return [
            ("POST", lists, {"url": lists, "content": LIST_FILE}),
            *self.reads(comic_id),
            ("GET", f"{lists}/{{list_id}}/cbl", {"url": f"{one}/cbl"}),
            ("DELETE", f"{lists}/{{list_id}}", {"url": one}),
        ]

    def uncalled(self) -> frozenset[tuple[str, str]]:
        """The operations left out: those of arcs while the collection has none (each checked
        to answer 404 instead)."""
        if self.arc_id is not None:
            return frozenset()
        headers = {"Authorization": f"Bearer {self.token}"}
        for url in (f"{API}/arcs/1", f"{API}/arcs/1/issues"):
            assert self.world.client.get(url, headers=headers).status_code == 404, url
        return ARC_OPERATIONS


def reading_calls(world: World, token: str) -> ReadingCalls:
    calls = ReadingCalls(world, token)
    calls.prepare()
    return calls
