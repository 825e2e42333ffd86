"""``schema_shapes``: how generated list components and one-member unions are reshaped, on
small documents written here."""

from __future__ import annotations

from typing import Any

from bagboard.adapters.http.docs.schema_shapes import shape_components

REF = "#/components/schemas/"
PAGING = {
    "total": {"type": "integer"},
    "page": {"type": "integer"},
    "page_size": {"type": "integer"},
    "total_pages": {"type": "integer"},
    "has_more": {"type": "boolean"},
}


def list_body(name: str, *items: str) -> dict[str, Any]:
    refs = [{"$ref": REF + item} for item in items]
    member = refs[0] if len(refs) == 1 else {"oneOf": refs}
    return {
        "title": name,
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": member},
            **PAGING,
            "mode": {"oneOf": [{"type": "string"}]},
            "scope": {"oneOf": [{"type": "string"}]},
        },
        "required": ["items", *PAGING],
    }


def document(schemas: dict[str, Any], answer: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": REF + answer}}}
    return {
        "paths": {"/x": {"get": {"responses": {"200": {"content": content}}}}},
        "components": {"schemas": schemas},
    }


def test_a_one_member_union_becomes_its_member_keeping_its_own_keys() -> None:
    doc = {
        "paths": {},
        "components": {
            "schemas": {
                "A": {
                    "properties": {
                        "x": {"oneOf": [{"type": "integer"}], "description": "x"},
                        "y": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    }
                }
            }
        },
    }
    properties = shape_components(doc)["components"]["schemas"]["A"]["properties"]
    assert properties["x"] == {"type": "integer", "description": "x"}
    assert properties["y"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}


def test_a_list_by_mode_becomes_a_union_discriminated_by_mode() -> None:
    generated = "ListBody_m.FolderJson_m.PublisherFacetJson_"
    schemas = {
        generated: list_body(
            "ListBody[UnionType[FolderJson, PublisherFacetJson]]",
            "FolderJson",
            "PublisherFacetJson",
        ),
        "FolderJson": {"type": "object", "properties": {}},
        "PublisherFacetJson": {"type": "object", "properties": {}},
    }
    doc = shape_components(document(schemas, generated))
    shaped = doc["components"]["schemas"]
    assert generated not in shaped
    answer = doc["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"] == {"$ref": REF + "PublisherList"}
    union = shaped["PublisherList"]
    assert union["discriminator"] == {
        "propertyName": "mode",
        "mapping": {
            "filesystem": REF + "FilesystemPublisherList",
            "metadata": REF + "MetadataPublisherList",
        },
    }
    folders = shaped["FilesystemPublisherList"]
    assert folders["properties"]["items"]["items"] == {"$ref": REF + "FolderJson"}
    assert folders["properties"]["mode"] == {"type": "string", "const": "filesystem"}
    assert "mode" in folders["required"] and "scope" not in folders["properties"]
    assert folders["examples"][0]["mode"] == "filesystem"


def test_a_list_with_a_scope_says_its_values() -> None:
    generated = "ListBody_m.ShelfJson_"
    schemas = {
        generated: list_body("ListBody[ShelfJson]", "ShelfJson"),
        "ShelfJson": {"type": "object", "properties": {}},
    }
    shaped = shape_components(document(schemas, generated))["components"]["schemas"]
    shelf = shaped["ShelfList"]
    assert shelf["properties"]["scope"] == {"type": "string", "enum": ["favorites", "to_read"]}
    assert "scope" in shelf["required"] and "mode" not in shelf["properties"]


def test_an_unknown_list_gets_a_plain_name_and_neither_key() -> None:
    generated = "ListBody_m.ThingJson_"
    schemas = {
        generated: list_body("ListBody[ThingJson]", "ThingJson"),
        "ThingJson": {"type": "object", "properties": {}},
    }
    shaped = shape_components(document(schemas, generated))["components"]["schemas"]
    assert set(shaped) == {"ThingJson", "ThingJsonList"}
    assert set(shaped["ThingJsonList"]["properties"]) == {"items", *PAGING}
