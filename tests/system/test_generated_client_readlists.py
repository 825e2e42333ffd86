"""The generated client of ``test_generated_client`` on the reading-list, story-arc and
reading-next operations, against a real ``bagboard serve``: a CBL file imported as the
generated function sends it, every answer decoded into its models."""

from __future__ import annotations

import importlib
import io
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from bagboard.adapters.readlists.cbl import read_cbl
from tests.readlist_support import cbl, comic
from tests.system.conftest import bagboard, serving
from tests.system.test_generated_client import PACKAGE, Generated, generate

LIST_FILE = cbl(
    "Civil War",
    [("Civil War", "1", "2006", "2006"), ("Nobody", "3", "", ""), ("Civil War", "2", "2006", "")],
    "The event",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("generated-lists")
    comics, data_dir = root / "comics", root / "data"
    for number in ("1", "2"):
        comic(comics, f"Civil War/Civil War 00{number}.cbz", "Civil War", number, "2006", "2006")
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    with serving("--library", str(comics), data_dir=data_dir, log=root / "serve.log") as base:
        headers = {"Authorization": f"Bearer {token}"}
        query = {"mode": "metadata", "series": "Civil War"}
        deadline = time.monotonic() + 30
        while (
            httpx.get(f"{base}/api/v1/library/issues", params=query, headers=headers).json()[
                "total"
            ]
            < 2
        ):
            assert time.monotonic() < deadline, "the library was never indexed"
            time.sleep(0.3)
        document = httpx.get(f"{base}/api/v1/openapi.json").json()
        out = generate(document, root)
        sys.path.insert(0, str(out))
        try:
            package = importlib.import_module(PACKAGE)
            client = package.AuthenticatedClient(
                base_url=base, token=token, raise_on_unexpected_status=True
            )
            with client:
                yield Generated(base, data_dir, comics, document, package, client)
        finally:
            sys.path.remove(str(out))
            for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
                del sys.modules[name]


def file_of(generated: Generated, data: bytes) -> object:
    types = importlib.import_module(f"{PACKAGE}.types")
    return types.File(payload=io.BytesIO(data), file_name="list.cbl")


def test_import_read_export_and_remove_a_list(generated: Generated) -> None:
    made = generated.call("POST", "/api/v1/readlists", body=file_of(generated, LIST_FILE))
    assert made.status_code == 201
    report = made.parsed
    assert isinstance(report, generated.model("ImportReportJson"))
    assert (report.list_.name, report.list_.summary, report.list_.entries) == (
        "Civil War",
        "The event",
        3,
    )
    assert [(b.position, b.number) for b in report.matched] == [(1, "1"), (3, "2")]
    assert [(b.position, b.series, b.issue_id) for b in report.missing] == [(2, "Nobody", None)]
    assert report.ambiguous == []
    list_id = report.list_.id

    lists = generated.call("GET", "/api/v1/readlists").parsed
    assert isinstance(lists, generated.model("ComicListList"))
    assert [(item.id, item.kind.value, item.comics) for item in lists.items] == [
        (list_id, "list", 2)
    ]

    shown = generated.call("GET", "/api/v1/readlists/{list_id}", list_id=list_id).parsed
    assert isinstance(shown, generated.model("ReadingListPageJson"))
    assert [(e.position, e.series, e.issue is None) for e in shown.items] == [
        (1, "Civil War", False),
        (2, "Nobody", True),
        (3, "Civil War", False),
    ]
    first = shown.items[0].issue
    assert isinstance(first, generated.model("ListIssueJson"))
    assert (first.series, first.number, first.is_read) == ("Civil War", "1", False)

    issues = generated.call("GET", "/api/v1/readlists/{list_id}/issues", list_id=list_id).parsed
    assert isinstance(issues, generated.model("MetadataIssueList"))
    assert [i.number for i in issues.items] == ["1", "2"]

    exported = generated.call("GET", "/api/v1/readlists/{list_id}/cbl", list_id=list_id)
    assert exported.status_code == 200
    parsed = read_cbl(io.BytesIO(exported.content))
    assert [(b.series, b.number) for b in parsed.books] == [
        ("Civil War", "1"),
        ("Nobody", "3"),
        ("Civil War", "2"),
    ]

    removed = generated.call("DELETE", "/api/v1/readlists/{list_id}", list_id=list_id).parsed
    assert isinstance(removed, generated.model("OkBody")) and removed.ok
    gone = generated.call("GET", "/api/v1/readlists/{list_id}", list_id=list_id)
    assert gone.status_code == 404
    assert isinstance(gone.parsed, generated.model("ErrorBody"))
    assert gone.parsed.error == "not_found"


def test_a_file_that_is_not_a_list_is_a_documented_400(generated: Generated) -> None:
    answer = generated.call("POST", "/api/v1/readlists", body=file_of(generated, b"<nope/>"))
    assert answer.status_code == 400
    assert isinstance(answer.parsed, generated.model("ErrorBody"))
    assert answer.parsed.error == "invalid_reading_list"


def test_reading_next_and_arcs(generated: Generated) -> None:
    path = str(generated.comics / "Civil War" / "Civil War 001.cbz")
    mark = generated.body("POST", "/api/v1/issues/read", path=path)
    assert generated.call("POST", "/api/v1/issues/read", body=mark).parsed.ok
    deck = generated.call("GET", "/api/v1/library/on-deck").parsed
    assert isinstance(deck, generated.model("MetadataIssueList"))
    assert [(i.series, i.number) for i in deck.items] == [("Civil War", "2")]
    started = generated.call("GET", "/api/v1/library/continue-reading").parsed
    assert isinstance(started, generated.model("MetadataIssueList"))
    assert started.items == []

    arcs = generated.call("GET", "/api/v1/arcs").parsed
    assert isinstance(arcs, generated.model("ComicListList"))
    unknown = generated.call("GET", "/api/v1/arcs/{arc_id}", arc_id=999)
    assert unknown.status_code == 404
    assert isinstance(unknown.parsed, generated.model("ErrorBody"))


def test_the_lists_holding_an_issue(generated: Generated) -> None:
    made = generated.call("POST", "/api/v1/readlists", body=file_of(generated, LIST_FILE))
    list_id = made.parsed.list_.id
    second = made.parsed.matched[1].issue_id
    holding = generated.call("GET", "/api/v1/issue/{issue_id}/lists", issue_id=second).parsed
    assert isinstance(holding, generated.model("ComicListList"))
    assert [(item.kind.value, item.id) for item in holding.items] == [("list", list_id)]


def test_the_import_body_is_documented_as_the_file_itself(generated: Generated) -> None:
    """A binary string: the generated function takes a ``File`` and sends its bytes as they
    are (the import above is one)."""
    operation = generated.document["paths"]["/api/v1/readlists"]["post"]
    [(media_type, media)] = operation["requestBody"]["content"].items()
    assert media_type == "application/xml"
    assert media["schema"] == {"type": "string", "format": "binary"}
