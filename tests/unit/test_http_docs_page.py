"""``GET /api/v1/docs``: every operation marks its required parameters and shows a real example
request (a cURL line with every required value filled in) and a real example answer."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import msgspec
import pytest
from openapi_schema_validator import OAS31Validator

from bagboard.adapters.http.docs import operations as docs_operations
from tests.unit.http_support import Api, running_api

DOCS = "/api/v1/docs"
OPENAPI = "/api/v1/openapi.json"


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
    """The document, and the page's section of each operation by its anchor."""
    api: Api
    with running_api() as api:
        document = api.client.get(OPENAPI).json()
        text = api.client.get(DOCS).text
    sections = {
        html.unescape(anchor): body
        for anchor, body in re.findall(
            r'<section class="endpoint" id="([^"]+)">(.*?)</section>', text, re.S
        )
    }
    yield document, sections


def shown(
    served: tuple[dict[str, Any], dict[str, str]],
) -> Iterator[tuple[str, str, Mapping[str, Any], str]]:
    """(METHOD, path, operation, section) for each operation the page shows in its own section
    (a HEAD is shown with its GET); the test app's own routes left out."""
    document, sections = served
    for method, path, operation in docs_operations.operations(document):
        if "/_test/" in path or method + path not in sections:
            continue
        yield method, path, operation, sections[method + path]


def strict(schema: Any) -> Any:
    if isinstance(schema, dict):
        out = {key: strict(value) for key, value in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


def check(document: Mapping[str, Any], schema: Mapping[str, Any], value: Any) -> None:
    OAS31Validator(strict({**schema, "components": document["components"]})).validate(value)


def test_required_parameters_are_marked(served: tuple[dict[str, Any], dict[str, str]]) -> None:
    marked = 0
    for method, path, operation, section in shown(served):
        for parameter in operation.get("parameters", []):
            name = re.escape(html.escape(parameter["name"]))
            row = re.search(rf"<tr><td><code>{name}</code></td><td>(.*?)</td>", section)
            assert row is not None, (method, path, parameter["name"])
            assert ("required" in row.group(1)) is bool(parameter.get("required")), (
                method,
                path,
                parameter["name"],
            )
            marked += "required" in row.group(1)
    assert marked >= 4  # the path parameters of the issue endpoints at least


def test_every_curl_line_fills_every_required_parameter(
    served: tuple[dict[str, Any], dict[str, str]],
) -> None:
    for method, path, operation, section in shown(served):
        line = html.unescape(re.findall(r"<pre>(curl .*?)</pre>", section, re.S)[-1])
        url = line.split()[-1].strip("'")
        assert "{" not in url, (method, path, url)
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and parameter.get("required"):
                assert re.search(rf"[?&]{re.escape(parameter['name'])}=[^&]", url), (path, url)


def test_every_operation_shows_an_example_answer(
    served: tuple[dict[str, Any], dict[str, str]],
) -> None:
    document, _ = served
    for method, path, operation, section in shown(served):
        status, media_type, media = docs_operations.success(document, operation)
        assert f"<h4>Example response ({status}" in section, (method, path)
        blocks = re.findall(r"<h4>Example response \(.*?\)</h4>\s*<pre>(.*?)</pre>", section, re.S)
        assert blocks, (method, path)
        if media_type == "application/json":
            assert media is not None
            for block in blocks:
                value = json.loads(html.unescape(block))
                assert value not in ({}, [], None), (method, path)
                check(document, media["schema"], value)
        else:
            assert f"Content-Type: {media_type}" in html.unescape(blocks[0]), (method, path)


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/api/v1/library/publishers", "PublisherList"),
        ("/api/v1/library/series", "SeriesList"),
        ("/api/v1/library/issues", "IssueList"),
    ],
)
def test_lists_that_differ_by_mode_show_an_answer_per_mode(
    served: tuple[dict[str, Any], dict[str, str]], path: str, schema: str
) -> None:
    document, sections = served
    section = sections["GET" + path]
    for mode in ("filesystem", "metadata"):
        block = re.search(
            rf"<h4>Example response \(200, mode: {mode}\)</h4>\s*<pre>(.*?)</pre>", section, re.S
        )
        assert block is not None, (path, mode)
        value = json.loads(html.unescape(block.group(1)))
        assert value["mode"] == mode and value["items"]
        check(document, {"$ref": f"#/components/schemas/{mode.capitalize()}{schema}"}, value)


def test_request_bodies_are_shown_and_valid(
    served: tuple[dict[str, Any], dict[str, str]],
) -> None:
    document, _ = served
    bodies = 0
    for method, path, operation, section in shown(served):
        schema = docs_operations.body_schema(operation)
        if schema is None:
            continue
        body = docs_operations.shown_body(document, operation)
        check(document, schema, body)
        assert "Request body (JSON)" in section, (method, path)
        assert msgspec.json.encode(body).decode() in html.unescape(section), (method, path)
        bodies += 1
    assert bodies >= 4
