"""Component schemas shaped so that generated clients decode every answer as what it is.

Litestar writes one ``ListBody_<module.Item>_`` component per list, with ``mode`` and ``scope``
optional everywhere, and a ``oneOf`` of one member for each field a struct may leave out. A
client generator reads these literally: a metadata-mode publisher decodes as a folder (a
``oneOf`` of two objects is tried in order, and a facet has every key a folder needs), and each
one-member ``oneOf`` becomes a needless union type. So, once the document is generated:

- every list gets a plain name (``PublisherList``) and says which of ``mode`` and ``scope`` it
  always sends, and with which values;
- a list whose items differ by browse mode (publishers, series, issues) is a ``oneOf`` of one
  envelope per mode, discriminated by the ``mode`` the envelope carries: that is the one key
  on the wire that tells them apart, and a client that checks it picks the right one;
- a ``oneOf`` or ``anyOf`` of one member is replaced by that member.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from bagboard.adapters.http.api.browse_json import (
    ISSUE_METADATA_FIELDS,
    RECENT_SCOPE,
    FolderJson,
    IssueJson,
    PublisherFacetJson,
    RecentJson,
    SeriesFacetJson,
)
from bagboard.adapters.http.api.shelves_json import ShelfJson
from bagboard.adapters.http.docs import examples
from bagboard.domain.model import BrowseMode
from bagboard.domain.shelves import Shelf

__all__ = ["LISTS", "ListShape", "shape_components"]

_PREFIX: Final = "#/components/schemas/"
_FILESYSTEM: Final = BrowseMode.FILESYSTEM.value
_METADATA: Final = BrowseMode.METADATA.value
_MODES: Final = (_FILESYSTEM, _METADATA)
_METADATA_ISSUE: Final = "MetadataIssueJson"
# The envelope's own keys, taken from Litestar's schema of ``ListBody``.
_PAGING: Final = ("total", "page", "page_size", "total_pages", "has_more")


@dataclass(frozen=True)
class ListShape:
    """How one list is documented: its name, the key it always sends besides the paging keys
    (``mode`` or ``scope``) and that key's values; for a list whose items differ by mode, the
    item schema of each mode and an example of each."""

    name: str
    key: str | None = None
    values: tuple[str, ...] = ()
    items_by_value: Mapping[str, str] = field(default_factory=dict)
    examples_by_value: Mapping[str, Any] = field(default_factory=dict)


# By the item schemas of the generated ``ListBody`` (a union's members in order).
LISTS: Final[Mapping[tuple[str, ...], ListShape]] = {
    (FolderJson.__name__, PublisherFacetJson.__name__): ListShape(
        "PublisherList",
        "mode",
        _MODES,
        {_FILESYSTEM: FolderJson.__name__, _METADATA: PublisherFacetJson.__name__},
        {_FILESYSTEM: examples.PUBLISHER_FOLDERS, _METADATA: examples.PUBLISHERS},
    ),
    (FolderJson.__name__, SeriesFacetJson.__name__): ListShape(
        "SeriesList",
        "mode",
        _MODES,
        {_FILESYSTEM: FolderJson.__name__, _METADATA: SeriesFacetJson.__name__},
        {_FILESYSTEM: examples.SERIES_FOLDERS, _METADATA: examples.SERIES},
    ),
    (IssueJson.__name__,): ListShape(
        "IssueList",
        "mode",
        _MODES,
        {_FILESYSTEM: IssueJson.__name__, _METADATA: _METADATA_ISSUE},
        {_FILESYSTEM: examples.ISSUE_FILES, _METADATA: examples.ISSUES},
    ),
    (RecentJson.__name__,): ListShape("RecentList", "scope", (RECENT_SCOPE,)),
    (ShelfJson.__name__,): ListShape("ShelfList", "scope", tuple(s.value for s in Shelf)),
    # problems.py imports this package's openapi.py, so its struct is named, not imported.
    ("ProblemJson",): ListShape("ProblemList"),
    # Reading lists and story arcs (``api/readlists_json.py``), named for the same reason.
    ("ComicListJson",): ListShape("ComicListList"),
}


def shape_components(document: dict[str, Any]) -> dict[str, Any]:
    """The finished document, reshaped in place (see the module's docstring)."""
    document.update(_without_single_unions(document))
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    _split_issue(schemas)
    renamed: dict[str, str] = {}
    for name, schema in list(schemas.items()):
        items = _list_items(schema)
        if items is None:
            continue
        shape = LISTS.get(items) or ListShape("".join(items) + "List")
        del schemas[name]
        schemas.update(_list_schemas(shape, schema))
        renamed[_PREFIX + name] = _PREFIX + shape.name
    document.update(_with_refs(document, renamed))
    return document


def _split_issue(schemas: dict[str, Any]) -> None:
    """An issue of a metadata-mode list always has its ComicInfo keys, one of a filesystem-mode
    list never: ``IssueJson`` keeps the keys both have, ``MetadataIssueJson`` requires the
    others too."""
    issue = schemas.get(IssueJson.__name__)
    if issue is None:
        return
    properties = issue.get("properties", {})
    schemas[_METADATA_ISSUE] = {
        **issue,
        "title": _METADATA_ISSUE,
        "required": sorted({*issue.get("required", []), *ISSUE_METADATA_FIELDS}),
    }
    issue["properties"] = {
        key: value for key, value in properties.items() if key not in ISSUE_METADATA_FIELDS
    }


def _without_single_unions(value: Any) -> Any:
    if isinstance(value, list):
        return [_without_single_unions(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _without_single_unions(item) for key, item in value.items()}
    for keyword in ("oneOf", "anyOf"):
        members = out.get(keyword)
        if isinstance(members, list) and len(members) == 1:
            del out[keyword]
            out = {**members[0], **out}
    return out


def _with_refs(value: Any, renamed: Mapping[str, str]) -> Any:
    if isinstance(value, list):
        return [_with_refs(item, renamed) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _with_refs(item, renamed) for key, item in value.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref in renamed:
        out["$ref"] = renamed[ref]
    return out


def _ref_name(schema: Mapping[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.removeprefix(_PREFIX) if isinstance(ref, str) else None


def _list_items(schema: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The item schema names of a generated ``ListBody`` component; None for anything else."""
    if not str(schema.get("title", "")).startswith("ListBody["):
        return None
    items = schema.get("properties", {}).get("items", {}).get("items", {})
    members = items.get("oneOf") or items.get("anyOf") or [items]
    names = tuple(_ref_name(member) for member in members)
    return None if None in names else names  # type: ignore[return-value]


def _value_schema(values: tuple[str, ...]) -> dict[str, Any]:
    if len(values) == 1:
        return {"type": "string", "const": values[0]}
    return {"type": "string", "enum": list(values)}


def _envelope(
    name: str, generated: Mapping[str, Any], items: Mapping[str, Any], extra: dict[str, Any]
) -> dict[str, Any]:
    properties = generated.get("properties", {})
    shaped = {"items": {"type": "array", "items": dict(items)}}
    shaped |= {key: properties[key] for key in _PAGING}
    shaped |= extra
    return {
        "title": name,
        "type": "object",
        "properties": shaped,
        "required": ["items", *_PAGING, *extra],
    }


def _list_schemas(shape: ListShape, generated: Mapping[str, Any]) -> dict[str, Any]:
    """The component(s) that replace one generated ``ListBody``."""
    if not shape.items_by_value:
        items = generated.get("properties", {}).get("items", {}).get("items", {})
        extra = {} if shape.key is None else {shape.key: _value_schema(shape.values)}
        return {shape.name: _envelope(shape.name, generated, items, extra)}
    assert shape.key is not None, shape
    out: dict[str, Any] = {}
    mapping: dict[str, str] = {}
    for value, item in shape.items_by_value.items():
        name = value.capitalize() + shape.name
        member = _envelope(
            name, generated, {"$ref": _PREFIX + item}, {shape.key: _value_schema((value,))}
        )
        if value in shape.examples_by_value:
            member["examples"] = [shape.examples_by_value[value]]
        out[name] = member
        mapping[value] = _PREFIX + name
    out[shape.name] = {
        "title": shape.name,
        "description": f"One envelope per `{shape.key}`, which tells which items it holds.",
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": shape.key, "mapping": mapping},
    }
    return out
