"""What the docs page reads out of the OpenAPI document: schema names and examples, the
operations in order, their request bodies, success answers and cURL lines.

Plain functions over the document as a mapping, so the page (``page.py``) and the tests that
check every shown example against its schema read the document the same way.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Mapping
from typing import Any, Final
from urllib.parse import quote, urlencode

import msgspec

__all__ = [
    "Document",
    "body_schema",
    "curl",
    "example",
    "file_body",
    "is_public",
    "operations",
    "parameter_example",
    "resolve",
    "shown_answer",
    "shown_answers",
    "shown_body",
    "success",
    "type_name",
]

_METHODS: Final = ("get", "head", "post", "put", "patch", "delete")
_MAX_DEPTH: Final = 6

Document = Mapping[str, Any]


def resolve(document: Document, schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema a ``$ref`` points to inside the document (an empty one when it points
    nowhere); any other schema as it is."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    node: Any = document
    for part in ref[2:].split("/"):
        node = node.get(part, {}) if isinstance(node, Mapping) else {}
    return node if isinstance(node, Mapping) else {}


def type_name(document: Document, schema: Mapping[str, Any]) -> str:
    """A short human name for a schema: ``integer``, ``string | null``, ``array of X``."""
    if "$ref" in schema:
        target = resolve(document, schema)
        return str(target.get("title") or schema["$ref"].rsplit("/", 1)[-1])
    options = schema.get("oneOf") or schema.get("anyOf")
    if options:
        return " | ".join(type_name(document, option) for option in options)
    kind = schema.get("type")
    if kind == "array":
        return "array of " + type_name(document, schema.get("items", {}))
    if isinstance(kind, list):
        return " | ".join(str(k) for k in kind)
    if "enum" in schema and kind is None:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    return str(kind or "any")


def example(document: Document, schema: Mapping[str, Any], depth: int = 0) -> Any:
    """An example value for a schema: its own example or default, else one built from its
    type with every property present (optional ones included)."""
    schema = resolve(document, schema)
    for key in ("examples",):
        if isinstance(schema.get(key), list) and schema[key]:
            return schema[key][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    if depth > _MAX_DEPTH:
        return None
    options = [o for o in schema.get("oneOf") or schema.get("anyOf") or [] if o != {"type": "null"}]
    if options:
        return example(document, options[0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: example(document, sub, depth + 1) for name, sub in properties.items()}
    if kind == "array":
        return [example(document, schema.get("items", {}), depth + 1)]
    return {"string": "string", "integer": 1, "number": 1.5, "boolean": True}.get(str(kind))


def operations(document: Document) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """``(METHOD, path, operation)`` for every operation, HEAD included, in document order."""
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def is_public(operation: Mapping[str, Any]) -> bool:
    return operation.get("security") == [{}]


def curl(
    document: Document, base_url: str, method: str, path: str, operation: Mapping[str, Any]
) -> str:
    """A cURL line for the operation, with example values for its path parameters, its
    required query parameters and those the document gives an example of."""
    url = path
    query: list[tuple[str, str]] = []
    for parameter in operation.get("parameters", []):
        value = parameter_example(document, parameter)
        if parameter.get("in") == "path":
            url = url.replace("{" + parameter["name"] + "}", str(value))
        elif parameter.get("in") == "query" and (
            parameter.get("required") or _declared_example(parameter) is not None
        ):
            query.append((parameter["name"], str(value)))
    if query:
        url += "?" + urlencode(query, quote_via=quote)
    words = ["curl"]
    if method == "HEAD":
        words.append("-I")
    elif method != "GET":
        words += ["-X", method]
    if not is_public(operation):
        words += ["-H", '"Authorization: Bearer $TOKEN"']
    body = shown_body(document, operation)
    if body is not None:
        data = msgspec.json.encode(body).decode()
        words += ["-H", shlex.quote("Content-Type: application/json"), "-d", shlex.quote(data)]
    sent_file = file_body(operation)
    if sent_file is not None:
        words += ["-H", shlex.quote(f"Content-Type: {sent_file[0]}"), "--data-binary", "@FILE"]
    words.append(shlex.quote(base_url + url))
    return " ".join(words)


def _declared_example(parameter: Mapping[str, Any]) -> Any:
    for holder in (parameter, parameter.get("schema", {})):
        if isinstance(holder.get("examples"), list) and holder["examples"]:
            return holder["examples"][0]
        if "example" in holder:
            return holder["example"]
    return None


def parameter_example(document: Document, parameter: Mapping[str, Any]) -> Any:
    """The value the page sends for a parameter: its declared example, else one made from its
    schema."""
    declared = _declared_example(parameter)
    if declared is not None:
        return declared
    return example(document, parameter.get("schema", {}))


def body_schema(operation: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The schema of the JSON request body, if the operation takes one."""
    media = _body_media(operation)
    return None if media is None else media.get("schema", {})


def _body_media(operation: Mapping[str, Any]) -> Mapping[str, Any] | None:
    media = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return media if isinstance(media, Mapping) else None


def file_body(operation: Mapping[str, Any]) -> tuple[str, Any] | None:
    """The media type and example of a request body that is a file, not JSON (a CBL list),
    if the operation takes one."""
    content = operation.get("requestBody", {}).get("content", {})
    for media_type, media in content.items():
        if media_type != "application/json" and isinstance(media, Mapping):
            shown = [e.get("value") for e in (media.get("examples") or {}).values()]
            return media_type, next(iter(shown), None)
    return None


def shown_body(document: Document, operation: Mapping[str, Any]) -> Any:
    """The example request body the page shows (and sends in the cURL line)."""
    media = _body_media(operation)
    return None if media is None else shown_answer(document, media)


def success(
    document: Document, operation: Mapping[str, Any]
) -> tuple[str, str, Mapping[str, Any] | None]:
    """The success status, its media type and its media object (None: no body)."""
    for status, response in operation.get("responses", {}).items():
        if status.startswith("2"):
            response = resolve(document, response)
            for media_type, media in (response.get("content") or {}).items():
                return status, media_type, media
            return status, "", None
    return "", "", None


def shown_answer(document: Document, media: Mapping[str, Any]) -> Any:
    """The example answer the page shows: the one declared with the handler, else one made
    from the schema."""
    for declared in (media.get("examples") or {}).values():
        if "value" in declared:
            return declared["value"]
    return example(document, media.get("schema", {}))


def shown_answers(document: Document, media: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The example answers the page shows, each with a label: one per member of an answer
    that is a discriminated union whose members carry examples (``mode: filesystem``), else
    the one of ``shown_answer`` with an empty label."""
    schema = resolve(document, media.get("schema", {}))
    discriminator = schema.get("discriminator")
    if isinstance(discriminator, Mapping):
        key = discriminator.get("propertyName")
        shown = []
        for value, ref in (discriminator.get("mapping") or {}).items():
            member_examples = resolve(document, {"$ref": ref}).get("examples") or []
            if member_examples:
                shown.append((f"{key}: {value}", member_examples[0]))
        if shown:
            return shown
    return [("", shown_answer(document, media))]
