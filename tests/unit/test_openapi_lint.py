"""Lint of the served OpenAPI document: the rules of redocly's recommended set that matter to a
client author, checked in Python.

- every operation has a unique ``operationId``, a ``summary`` and a 2xx answer with a schema
  (redocly ``operation-operationId``, ``operation-operationId-unique``, ``operation-summary``,
  ``operation-2xx-response``);
- every component is used (``no-unused-components``);
- no ``oneOf``/``anyOf`` of a single member, and every union of two or more objects has a
  discriminator that each member carries as a required literal (what lets a generated client
  tell them apart; openapi-python-client tries members in order);
- every example validates against its schema (``no-invalid-media-type-examples``,
  ``no-invalid-parameter-examples``, ``no-invalid-schema-examples``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator

from bagboard.adapters.http.docs import operations as docs_operations
from tests.browse_support import World, browse_world

OPENAPI = "/api/v1/openapi.json"
_REF = "#/components/"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    world: World
    with browse_world("sqlite", tmp_path_factory) as world:
        yield world.client.get(OPENAPI).json()


def walk(value: Any, where: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every mapping in the document, with where it is."""
    if isinstance(value, Mapping):
        yield where, value
        for key, item in value.items():
            yield from walk(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{where}/{index}")


def validator(document: Mapping[str, Any], schema: Mapping[str, Any]) -> OAS31Validator:
    return OAS31Validator({**schema, "components": document["components"]})


def test_every_operation_has_an_id_a_summary_and_a_2xx_with_a_schema(
    document: dict[str, Any],
) -> None:
    ids = []
    for method, path, operation in docs_operations.operations(document):
        assert operation.get("operationId"), (method, path)
        assert operation.get("summary"), (method, path)
        ids.append(operation["operationId"])
        # Named for the method and the path below /api/v1 (a generated client's function
        # names): ``getIssueByIssueIdPages``, never the prefix or the handler's name again.
        assert operation["operationId"].startswith(method.lower()), (method, path)
        assert "ApiV1" not in operation["operationId"], (method, path)
        successes = [
            docs_operations.resolve(document, response)
            for status, response in operation["responses"].items()
            if status.startswith("2")
        ]
        assert successes, (method, path)
        assert all(
            media.get("schema") for r in successes for media in r.get("content", {}).values()
        ), (method, path)
        if method.upper() == "HEAD":
            # An answer to HEAD has no body: a client must not wait for one to decode.
            answers = [
                docs_operations.resolve(document, r) for r in operation["responses"].values()
            ]
            assert not any(r.get("content") for r in answers), (method, path)
        else:
            assert any(r.get("content") for r in successes), (method, path)
    assert len(ids) == len(set(ids))
    assert "getIssueByIssueIdPages" in ids and "headAuthPing" in ids


def test_no_component_is_unused_and_every_reference_resolves(document: dict[str, Any]) -> None:
    components = document["components"]
    declared = {
        f"{_REF}{kind}/{name}"
        for kind in ("schemas", "responses")
        for name in components.get(kind, {})
    }
    # Reachable from the paths, following references through the components.
    seen: set[str] = set()
    todo = [node["$ref"] for _, node in walk(document["paths"]) if "$ref" in node]
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        assert ref in declared, f"{ref} points nowhere"
        target = docs_operations.resolve(document, {"$ref": ref})
        todo += [node["$ref"] for _, node in walk(target) if "$ref" in node]
    assert declared - seen == set()


def test_component_names_are_plain(document: dict[str, Any]) -> None:
    """Names a generator turns into class names: no module paths, no generic brackets."""
    for name in document["components"]["schemas"]:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name), name


def test_no_union_of_one_member(document: dict[str, Any]) -> None:
    single = [
        where
        for where, node in walk(document)
        for keyword in ("oneOf", "anyOf")
        if isinstance(node.get(keyword), list) and len(node[keyword]) == 1
    ]
    assert single == []


def is_object(document: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    target = docs_operations.resolve(document, schema)
    return target.get("type") == "object" or "properties" in target


def test_every_union_of_objects_is_discriminated(document: dict[str, Any]) -> None:
    unions = 0
    for where, node in walk(document):
        for keyword in ("oneOf", "anyOf"):
            members = [m for m in node.get(keyword) or [] if is_object(document, m)]
            if len(members) < 2:
                continue
            unions += 1
            discriminator = node.get("discriminator")
            assert discriminator, where
            key, mapping = discriminator["propertyName"], discriminator["mapping"]
            assert sorted(mapping.values()) == sorted(m["$ref"] for m in members), where
            for value, ref in mapping.items():
                member = docs_operations.resolve(document, {"$ref": ref})
                assert key in member["required"], (where, ref)
                literal = member["properties"][key]
                assert literal.get("const", (literal.get("enum") or [None])[0]) == value
                assert len(literal.get("enum", [value])) == 1, (where, ref)
    # The publisher and series lists, whose items differ by mode.
    assert unions >= 2


def examples_with_schemas(
    document: Mapping[str, Any],
) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    """(where, schema, example) for every example in the document."""
    for where, node in walk(document["paths"]):
        schema = node.get("schema")
        if not isinstance(schema, Mapping):
            continue
        for name, example in (node.get("examples") or {}).items():
            if isinstance(example, Mapping) and "value" in example:
                yield f"{where}/examples/{name}", schema, example["value"]
        if "example" in node:
            yield f"{where}/example", schema, node["example"]
    for where, node in walk(document):
        if isinstance(node.get("examples"), list) and "$ref" not in node:
            for index, example in enumerate(node["examples"]):
                yield f"{where}/examples/{index}", node, example


def test_every_example_validates_against_its_schema(document: dict[str, Any]) -> None:
    checked = 0
    for where, schema, example in examples_with_schemas(document):
        bare = {key: value for key, value in schema.items() if key != "examples"}
        errors = [error.message for error in validator(document, bare).iter_errors(example)]
        assert errors == [], (where, example)
        checked += 1
    media = [
        node
        for _, node in walk(document["paths"])
        if "schema" in node and isinstance(node.get("examples"), Mapping)
    ]
    assert media and checked > len(media)


def test_the_openapi_document_example_is_a_document(document: dict[str, Any]) -> None:
    from openapi_spec_validator import validate

    operation = document["paths"][OPENAPI]["get"]
    [shown] = operation["responses"]["200"]["content"]["application/json"]["examples"].values()
    assert shown["value"]["paths"]
    validate(shown["value"])
