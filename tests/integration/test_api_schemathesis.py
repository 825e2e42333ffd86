"""Schemathesis 4 over the served OpenAPI document (issue: the documents tell the truth).

Every operation of ``/api/v1/openapi.json`` is fuzzed in process (schemathesis' ASGI transport),
with every check schemathesis has, in all its phases (examples, coverage, fuzzing, stateful), on
a real library scanned into SQLite, once with the server's saved browse mode set to each mode.
The seed is fixed and generation derandomized, so a run is the same every time; a handful of
examples per operation keeps it within a minute or so. It must find nothing: a failure means the
document promises something the server does not do, or the server does something the document
does not say.

Nothing is excluded by this test (schemathesis itself leaves out the GET that served it the
document, see below). Two things are told to schemathesis because a parameter schema cannot say
them, and each is what the document says in words:

- ``/library/series`` and ``/library/issues`` answer 400 to some schema-valid requests: in
  filesystem mode (``mode=filesystem``, or the saved mode) without ``publisher``, or with a folder
  part holding a ``..`` segment or an absolute path outside the libraries (``invalid_path``); in
  metadata mode a filter holding a NUL character. Which mode applies is a server setting or
  another parameter, so ``required`` cannot express it; the parameter descriptions and the 400
  response of both operations state it. For those two operations only, 400 is an expected
  answer to a schema-valid request (``positive_data_acceptance``); every other check applies.
- ``POST /readlists`` takes a file, a CBL reading list, which a schema can only call a string
  of bytes: a body that is not a CBL list (not XML, another root element, a DTD) is a 400
  ``invalid_reading_list``, as its description and 400 response say. For that operation only,
  400 is an expected answer to a schema-valid request; the example body, a real list, is
  imported (201).
- ``cursor`` of ``/progress/since`` is opaque: only a value the server handed out is valid (a
  made-up one is 400, as documented). The run is given a real one, as a client has one from a
  previous page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from litestar import Litestar
from litestar.testing import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from bagboard.config import load_settings
from bagboard.library import ComicLibrary
from tests.archive_factory import comicinfo_xml, jpeg, write_cb7, write_cbt
from tests.browse_support import auth, index_collection, write_collection

OPENAPI = "/api/v1/openapi.json"
SEED = 20261206
EXAMPLES_PER_OPERATION = 25
# See the module docstring: the two browse operations whose 400 depends on the browse mode.
MODE_DEPENDENT = "^/api/v1/library/(series|issues)$"
# See the module docstring: the body is a file, which only the server can tell is a CBL list.
LIST_FILE = "/api/v1/readlists"
ACCEPTED_WITH_400 = ["2xx", "3xx", 400, 401, 403, 404, 409, 429, "5xx"]


@dataclass
class Served:
    library: ComicLibrary
    app: Litestar
    owner: str
    archives: Path  # the folder of the CB7 and the CBT


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Both libraries of the browse tests (CBZ with and without ComicInfo, a real CBR, a
    multi-volume series), plus a CB7 and a CBT so downloads answer every comic media type."""
    base = tmp_path_factory.mktemp("schemathesis")
    root_a, root_b = write_collection(base, datetime.now(UTC))
    page = jpeg((40, 90, 200))
    info = comicinfo_xml({"Publisher": "Formats", "Series": "Archives", "Number": "1"})
    archives = root_a / "Formats" / "Archives"
    archives.mkdir(parents=True)
    write_cb7(archives / "Archives 1.cb7", {"p1.jpg": page})
    write_cbt(archives / "Archives 2.cbt", {"p1.jpg": page, "ComicInfo.xml": info})
    library = ComicLibrary.from_settings(
        load_settings(data_dir=str(base / "data"), database_url=f"sqlite:///{base / 'db'}"),
        workers=0,
    )
    try:
        index_collection(library, root_a, root_b)
        owner = library.accounts.create_token().secret
        yield Served(library, library.create_app(), owner, archives)
    finally:
        library.close()


def real_cursor(served: Served) -> str:
    with TestClient(served.app) as client:
        response = client.get("/api/v1/progress/since", headers=auth(served.owner))
    assert response.status_code == 200, response.text
    cursor: str = response.json()["next_cursor"]
    return cursor


def config(served: Served) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "headers": auth(served.owner),
            "generation": {
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "database": "none",
            },
            "checks": {"enabled": True},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True},
            },
            "operations": [
                {
                    "include-path-regex": MODE_DEPENDENT,
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": ACCEPTED_WITH_400}
                    },
                },
                {
                    "include-path": LIST_FILE,
                    "include-method": "POST",
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": ACCEPTED_WITH_400}
                    },
                },
                {
                    "include-path": "/api/v1/progress/since",
                    "parameters": {"cursor": real_cursor(served)},
                },
            ],
        }
    )


@dataclass(frozen=True)
class Found:
    operation: str
    check: str
    title: str
    request: str
    detail: str

    def __str__(self) -> str:
        return f"{self.operation} [{self.check}] {self.title}\n  {self.request}\n  {self.detail}"


def run(served: Served) -> tuple[list[Found], set[str], int, list[str]]:
    """The failures, the operations tested in the fuzzing phase, how many checks ran, and
    any error the engine met (an operation it could not test counts as one). Each run has an
    app of its own: schemathesis keeps an app's lifespan running until the process ends, and
    the other tests use ``served.app`` through Litestar's test client."""
    app = served.library.create_app()
    schema = schemathesis.openapi.from_asgi(OPENAPI, app, config=config(served))
    found: list[Found] = []
    fuzzed: set[str] = set()
    checks = 0
    errors: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            if event.phase.name == "FUZZING":
                fuzzed.add(event.recorder.label)
            found += failures(event)
            checks += sum(len(nodes) for nodes in event.recorder.checks.values())
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            errors.append(repr(event.exception))
    return found, fuzzed, checks, errors


def failures(event: events.ScenarioFinished) -> list[Found]:
    recorder = event.recorder
    out: list[Found] = []
    for case_id, nodes in recorder.checks.items():
        for node in nodes:
            if node.failure_info is None:
                continue
            case: Any = recorder.cases[case_id].value
            request = f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}"
            failure = node.failure_info.failure
            message = getattr(failure, "message", "")
            out.append(Found(recorder.label, node.name, failure.title, request, message))
    return out


def documented_operations(served: Served) -> set[str]:
    with TestClient(served.app) as client:
        document = client.get(OPENAPI).json()
    methods = {"get", "head", "put", "post", "delete", "patch", "options"}
    return {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in methods
    }


@pytest.mark.parametrize("mode", ["metadata", "filesystem"])
def test_schemathesis_finds_nothing_in_either_browse_mode(served: Served, mode: str) -> None:
    served.library.settings.set_browse_mode(mode)
    found, fuzzed, checks, errors = run(served)
    assert not errors, errors
    assert not found, "\n".join(str(item) for item in found)
    # Every documented operation was fuzzed, and the checks really ran. Schemathesis never
    # fuzzes the GET it loaded the document from (its HEAD twin is fuzzed); that document is
    # checked by tests/unit/test_http_docs.py (valid OpenAPI 3.1, every served route).
    assert fuzzed == documented_operations(served) - {f"GET {OPENAPI}"}
    assert checks > 20 * len(fuzzed)


def test_the_cb7_and_cbt_files_are_served_with_their_documented_types(served: Served) -> None:
    """The download types the document lists are the ones the fuzzed library serves."""
    with TestClient(served.app) as client:
        document = client.get(OPENAPI).json()
        download = document["paths"]["/api/v1/issue/{issue_id}/download"]["get"]
        documented = set(download["responses"]["200"]["content"])
        seen = set()
        index = served.library.container.library_index()
        for name in ("Archives 1.cb7", "Archives 2.cbt"):
            comic = index.comic_at(str(served.archives / name))
            assert comic is not None
            response = client.get(f"/api/v1/issue/{comic.id}/download", headers=auth(served.owner))
            assert response.status_code == 200
            seen.add(response.headers["content-type"].split(";")[0])
    assert seen == {"application/x-cb7", "application/x-cbt"}
    assert seen <= documented
