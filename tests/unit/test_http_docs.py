"""``GET /api/v1/docs`` and ``/api/v1/openapi.json`` (contract §7): public, complete, valid, and
true to what the endpoints really answer."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from bagboard.adapters.http.api.schemas import API_PREFIX
from bagboard.adapters.http.docs import operations as docs_operations
from bagboard.adapters.http.docs import page as docs_page
from tests.browse_support import World, auth, browse_world
from tests.readlist_api_support import ReadingCalls, reading_calls
from tests.unit.http_support import Api, running_api

DOCS = "/api/v1/docs"
OPENAPI = "/api/v1/openapi.json"


@pytest.fixture
def api() -> Iterator[Api]:
    with running_api() as api:
        yield api


def served_operations(app: Litestar) -> set[tuple[str, str]]:
    """(METHOD, path) of every route the app serves under /api/v1, from its router."""
    return {
        (method, route.path_format)
        for route in app.routes
        if isinstance(route, HTTPRoute) and route.path.startswith(API_PREFIX)
        for method in route.methods
        if method != "OPTIONS"
    }


def app_of(api: Api) -> Litestar:
    app = api.client.app
    assert isinstance(app, Litestar)
    return app


# --- public ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DOCS, OPENAPI])
@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer nonsense"}, {"X-API-Key": "nonsense"}]
)
def test_docs_are_public_before_any_token_exists(
    api: Api, url: str, headers: dict[str, str]
) -> None:
    assert api.client.get(url, headers=headers).status_code == 200
    api.token()
    assert api.client.get(url, headers=headers).status_code == 200
    head = api.client.head(url, headers=headers)
    assert (head.status_code, head.content) == (200, b"")


def test_the_gate_still_guards_everything_else(api: Api) -> None:
    assert api.client.get("/api/v1/auth/ping").status_code == 503
    api.token()
    assert api.client.get("/api/v1/auth/ping").status_code == 401


def test_no_framework_schema_routes_are_served(api: Api) -> None:
    for url in ("/schema", "/schema/openapi.json", "/api/v1/schema", "/api/v1/docs/x"):
        response = api.client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"] == "not_found"


# --- the OpenAPI document ----------------------------------------------------------------------


def test_openapi_document_is_valid_openapi_3_1(api: Api) -> None:
    response = api.client.get(OPENAPI)
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_openapi_document_has_every_served_route(api: Api) -> None:
    document = api.client.get(OPENAPI).json()
    documented = {(method, path) for method, path, _ in docs_operations.operations(document)}
    assert documented == served_operations(app_of(api))


def test_openapi_document_says_who_needs_a_token(api: Api) -> None:
    document = api.client.get(OPENAPI).json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearer"]["description"],
    }
    assert schemes["apiKey"]["name"] == "X-API-Key"
    for method, path, operation in docs_operations.operations(document):
        public = path in (DOCS, OPENAPI)
        assert (operation.get("security") == [{}]) is public, (method, path)
        assert ("401" in operation["responses"]) is not public, (method, path)
        assert ("503" in operation["responses"]) is not public, (method, path)


def test_openapi_documents_paging_parameters_and_json_bodies(api: Api) -> None:
    document = api.client.get(OPENAPI).json()
    issues = document["paths"]["/api/v1/library/issues"]["get"]
    parameters = {p["name"]: p["schema"] for p in issues["parameters"]}
    # The server clamps both and takes any text, so the document sets no bound to violate.
    assert parameters["page"] == {
        "type": ["integer", "string"],
        "default": 1,
        "description": parameters["page"]["description"],
    }
    assert parameters["page_size"]["default"] == 50
    assert "maximum" not in parameters["page_size"]
    assert "clamped to 1..200" in parameters["page_size"]["description"]
    progress_write = document["paths"]["/api/v1/progress"]["put"]["requestBody"]
    body = progress_write["content"]["application/json"]["schema"]
    schema = docs_operations.resolve(document, body)
    assert set(schema["required"]) == {"path", "page_number"}
    assert "409" in document["paths"]["/api/v1/progress"]["put"]["responses"]


# --- the page ----------------------------------------------------------------------------------


class Sections(HTMLParser):
    """The endpoint sections of the page: their methods, path and text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, Any]] = []
        self._in: list[str] = []
        self._current: dict[str, Any] | None = None
        self.urls: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        self.urls += [v or "" for k, v in attrs if k in ("href", "src", "action")]
        if tag == "section" and values.get("class") == "endpoint":
            self._current = {"methods": [], "path": None, "text": ""}
            self.found.append(self._current)
        self._in.append(f"{tag}.{values.get('class', '')}")

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()
        if tag == "section":
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is None:
            return
        self._current["text"] += data
        if self._in and self._in[-1] == "span.method":
            self._current["methods"].append(data)
        elif self._in[-2:] == ["h3.", "code."] and self._current["path"] is None:
            self._current["path"] = data


def page(api: Api) -> tuple[str, Sections]:
    response = api.client.get(DOCS)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    parser = Sections()
    parser.feed(response.text)
    return response.text, parser


def test_the_page_shows_every_served_route(api: Api) -> None:
    _, parsed = page(api)
    shown = {(m, s["path"]) for s in parsed.found for m in s["methods"]}
    assert shown == served_operations(app_of(api))


def test_every_endpoint_has_purpose_parameters_responses_and_curl(api: Api) -> None:
    _, parsed = page(api)
    document = api.client.get(OPENAPI).json()
    operations = {(m, p): op for m, p, op in docs_operations.operations(document)}
    for section in parsed.found:
        method, path, text = section["methods"][0], section["path"], section["text"]
        operation = operations[(method, path)]
        purpose = operation.get("description") or operation["summary"]
        assert purpose.split("`")[0][:30] in text, path
        for parameter in operation.get("parameters", []):
            assert parameter["name"] in text, (path, parameter["name"])
        assert "Responses" in text
        assert re.search(r"curl .*" + re.escape(path.split("{")[0]), text), path
        _, media_type, _ = docs_operations.success(document, operation)
        if media_type == "application/json":
            assert "Example response" in text, path
        if docs_operations.body_schema(operation) is not None:
            assert "Request body" in text and "-d '{" in text, path
        elif "requestBody" in operation:
            # A file (a CBL reading list), sent as it is.
            assert "Request body (a file" in text and "--data-binary @FILE" in text, path


def test_the_page_explains_authentication_and_paging(api: Api) -> None:
    text, _ = page(api)
    for word in ("Bearer", "X-API-Key", "401", "503", "api_disabled", "bagboard token create"):
        assert word in text
    for word in ("total_pages", "has_more", "page_size"):
        assert word in text


def test_the_page_renders_without_network(api: Api) -> None:
    text, parsed = page(api)
    assert not parsed.tags & {"script", "link", "img", "iframe", "object", "embed", "font"}
    # Only links within the page, and to the OpenAPI document beside it.
    assert all(url.startswith("#") or url == "openapi.json" for url in parsed.urls), parsed.urls
    style = re.search(r"<style>(.*?)</style>", text, re.S)
    assert style is not None
    assert "url(" not in style.group(1) and "@import" not in style.group(1)


def test_the_page_escapes_everything_it_shows() -> None:
    hostile = "<script>alert(1)</script>"
    document = {
        "info": {"title": hostile, "version": hostile, "description": hostile},
        "tags": [{"name": hostile, "description": hostile}],
        "paths": {
            "/api/v1/x" + hostile: {
                "get": {
                    "tags": [hostile],
                    "description": hostile,
                    "parameters": [
                        {"name": hostile, "in": "query", "schema": {"default": hostile}}
                    ],
                    "responses": {
                        "200": {
                            "description": hostile,
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {hostile: {}}}
                                }
                            },
                        }
                    },
                }
            }
        },
    }
    html = docs_page.render(document, "http://host'\"" + hostile)
    assert "<script" not in html
    assert "&lt;script&gt;" in html


# --- the examples and schemas against real answers ------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with browse_world("sqlite", tmp_path_factory) as built:
        yield built


def strict(schema: Any) -> Any:
    """The schema with no undeclared keys allowed anywhere, so a key the server sends and the
    documentation does not show fails validation."""
    if isinstance(schema, dict):
        out = {key: strict(value) for key, value in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


def check(document: Mapping[str, Any], schema: Mapping[str, Any], value: Any) -> None:
    rooted = strict({**schema, "components": document["components"]})
    OAS31Validator(rooted).validate(value)


def same_shape(shown: Any, real: Any) -> bool:
    """Objects with the same keys all the way down (each real list item like some shown one);
    a null on either side matches any value, a free-form mapping (``metadata``) any keys."""
    if shown is None or real is None:
        return True
    if isinstance(shown, dict) and isinstance(real, dict):
        if set(shown) != set(real):
            return False
        return all(same_shape(shown[key], real[key]) for key in shown)
    if isinstance(shown, list) and isinstance(real, list):
        if not shown or not real:
            return True
        return all(any(same_shape(s, r) for s in shown) for r in real)
    return type(shown) is type(real) or {type(shown), type(real)} <= {int, float}


def real_calls(world: World, reading: ReadingCalls) -> list[tuple[str, str, dict[str, Any]]]:
    """One real request per documented operation: (METHOD, documented path, httpx kwargs)."""
    a = world.a
    batman = f"{a}/DC Comics/Batman/Batman 001.cbz"
    spidey = f"{a}/Marvel/Amazing Spider-Man/Amazing Spider-Man #1.cbz"
    issue = f"/api/v1/issue/{world.comic_id(batman)}"
    lib = "/api/v1/library"
    return [
        ("GET", "/api/v1/auth/ping", {"url": "/api/v1/auth/ping"}),
        ("GET", DOCS, {"url": DOCS}),
        ("GET", OPENAPI, {"url": OPENAPI}),
        ("GET", f"{lib}/publishers", {"url": f"{lib}/publishers?mode=metadata"}),
        ("GET", f"{lib}/publishers", {"url": f"{lib}/publishers?mode=filesystem"}),
        ("GET", f"{lib}/series", {"url": f"{lib}/series?mode=metadata&publisher=Marvel"}),
        ("GET", f"{lib}/series", {"url": f"{lib}/series?mode=filesystem&publisher=DC Comics"}),
        (
            "GET",
            f"{lib}/issues",
            {"url": f"{lib}/issues?mode=metadata&publisher=Marvel&series=Amazing Spider-Man"},
        ),
        (
            "GET",
            f"{lib}/issues",
            {"url": f"{lib}/issues?mode=filesystem&publisher=DC Comics&series=Batman"},
        ),
        ("GET", f"{lib}/recent", {"url": f"{lib}/recent"}),
        ("PUT", f"{lib}/favorites", {"url": f"{lib}/favorites", "json": {"path": f"{a}/Marvel"}}),
        ("GET", f"{lib}/favorites", {"url": f"{lib}/favorites"}),
        ("POST", f"{lib}/to-read", {"url": f"{lib}/to-read", "json": {"path": spidey}}),
        (
            "POST",
            f"{lib}/to-read",
            {
                "url": f"{lib}/to-read",
                "json": {"path": f"{a}/DC Comics/Swamp Thing", "type": "folder"},
            },
        ),
        ("GET", f"{lib}/to-read", {"url": f"{lib}/to-read"}),
        (
            "PUT",
            "/api/v1/progress",
            {
                "url": "/api/v1/progress",
                "json": {
                    "path": batman,
                    "page_number": 2,
                    "total_pages": 2,
                    "time_spent": 30,
                    "updated_at": 1_700_000_000,
                },
            },
        ),
        ("GET", "/api/v1/progress", {"url": "/api/v1/progress", "params": {"path": batman}}),
        (
            "POST",
            "/api/v1/issues/read",
            {
                "url": "/api/v1/issues/read",
                "json": {"path": spidey, "page_count": 2, "time_spent": 5},
            },
        ),
        ("GET", "/api/v1/progress/since", {"url": "/api/v1/progress/since?ts=0"}),
        ("GET", "/api/v1/issue/{issue_id}", {"url": issue}),
        ("GET", "/api/v1/issue/{issue_id}/pages", {"url": f"{issue}/pages"}),
        ("GET", "/api/v1/issue/{issue_id}/cover", {"url": f"{issue}/cover"}),
        ("GET", "/api/v1/issue/{issue_id}/page/{number}", {"url": f"{issue}/page/1?size=100"}),
        ("GET", "/api/v1/issue/{issue_id}/download", {"url": f"{issue}/download"}),
        (
            "DELETE",
            "/api/v1/issues/read",
            {"url": "/api/v1/issues/read", "params": {"path": spidey}},
        ),
        ("DELETE", "/api/v1/progress", {"url": "/api/v1/progress", "params": {"path": batman}}),
        (
            "DELETE",
            f"{lib}/favorites",
            {"url": f"{lib}/favorites", "params": {"path": f"{a}/Marvel"}},
        ),
        ("DELETE", f"{lib}/to-read", {"url": f"{lib}/to-read", "params": {"path": spidey}}),
        ("GET", PROBLEMS, {"url": PROBLEMS}),
        *reading.all(world.comic_id(spidey)),
    ]


# Operations only an owner may call; the others are called as a reader.
PROBLEMS = "/api/v1/problems"
OWNERS_ONLY = {PROBLEMS}
# Operations that answer 201, not 200.
CREATED = {("POST", "/api/v1/readlists"): 201}


def test_real_answers_match_the_documented_schemas_and_examples(world: World) -> None:
    document = world.client.get(OPENAPI).json()
    operations = {(m, p): op for m, p, op in docs_operations.operations(document)}
    token = world.new_reader()
    reading = reading_calls(world, token)
    called: set[tuple[str, str]] = set()
    for method, path, request in real_calls(world, reading):
        caller = world.owner if path in OWNERS_ONLY else token
        response = world.client.request(method, headers=auth(caller), **request)
        expected = CREATED.get((method, path), 200)
        assert response.status_code == expected, (method, request["url"], response.text)
        operation = operations[(method, path)]
        status, media_type, media = docs_operations.success(document, operation)
        assert status == str(expected), (method, path)
        assert response.headers["content-type"].split(";")[0] == media_type, (method, path)
        if media_type == "application/json" and path != OPENAPI:
            assert media is not None
            schema, body = media["schema"], response.json()
            check(document, schema, body)
            # The example answer the page shows passes the same schema, and has the same keys.
            shown = docs_operations.shown_answer(document, media)
            check(document, schema, shown)
            # The page's examples show metadata mode.
            if "mode=filesystem" not in request["url"]:
                assert same_shape(shown, body), (method, path, shown, body)
        body_schema = docs_operations.body_schema(operation)
        if body_schema is not None and "json" in request:
            check(document, body_schema, request["json"])
            check(document, body_schema, docs_operations.shown_body(document, operation))
        called.add((method, path))
    # Every documented operation (HEAD mirrors GET) was called for real.
    documented = {(m, p) for m, p in operations if m != "HEAD"}
    assert called == documented - reading.uncalled()


def test_request_body_examples_shown_are_accepted_by_the_server(world: World) -> None:
    """The body in each cURL line is sent as shown (with a real path in place of the
    placeholder) and accepted."""
    document = world.client.get(OPENAPI).json()
    token = world.new_reader()
    comic = f"{world.a}/DC Comics/Batman/Batman 001.cbz"
    folder = f"{world.a}/Marvel"
    for method, path, operation in docs_operations.operations(document):
        shown = docs_operations.shown_body(document, operation)
        if shown is None:
            continue
        assert isinstance(shown, dict) and "path" in shown
        sent = {**shown, "path": folder if path.endswith("favorites") else comic}
        response = world.client.request(method, path, json=sent, headers=auth(token))
        assert response.status_code == 200, (method, path, sent, response.text)


def test_the_page_answers_with_the_server_address_in_curl_lines(api: Api) -> None:
    text = api.client.get(DOCS).text
    assert "curl -H &quot;Authorization: Bearer $TOKEN&quot; http://testserver.local/api/v1" in text
    assert "curl http://testserver.local/api/v1/docs" in text


def test_the_page_tells_how_opds_readers_connect(api: Api) -> None:
    text, _ = page(api)
    assert 'id="opds"' in text
    for address in ("/opds/v1.2/catalog", "/opds/v2.0/catalog", "/opds/v2.0/auth"):
        assert f"http://testserver.local{address}" in text
    assert "the token as the password" in text
