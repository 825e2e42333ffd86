"""The rules an OPDS document must follow, as checks: OPDS 2.0 (JSON) and OPDS 1.2 (Atom).

The official schemas cannot be shipped with the project (their repositories carry no licence),
so what they require is written here in our own words, each rule with the schema file and the
property it comes from:

- OPDS 2.0 JSON schemas, opds-community/drafts ``schema/``: ``feed.schema.json``,
  ``feed-metadata.schema.json``, ``publication.schema.json``, ``link.schema.json``,
  ``authentication.schema.json``, ``progression.schema.json``;
- the Readium Web Publication Manifest schemas, readium/webpub-manifest ``schema/``:
  ``publication.schema.json``, ``metadata.schema.json``, ``link.schema.json``,
  ``contributor-object.schema.json``;
- OPDS 1.2: the RELAX NG schema (opds-community/specs ``schema/1.2/opds.rnc``, which includes
  RFC 4287's Atom schema and its Schematron assertions), the text of ``opds-1.2.md``,
  OpenSearch 1.1 and the PSE 1.2 text (anansi-project/opds-pse ``v1.2.md``).

Every check returns the broken rules as ``"<rule id> at <where>: <what>"``; an empty list
means the document keeps every rule checked. The rule id names the family (``link.href``,
``feed.self``, ``atom.entry.id``...), so that a test can say which rule a document broke.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Final
from xml.etree import ElementTree

__all__ = [
    "ATOM_ACQUISITION",
    "ATOM_NAVIGATION",
    "check_atom_feed",
    "check_authentication",
    "check_divina_manifest",
    "check_opds2_feed",
    "check_opds2_publication",
    "check_opensearch",
    "check_progression",
    "is_date",
    "is_date_time",
    "is_uri",
]

Problems = list[str]

ATOM_NAVIGATION: Final = "application/atom+xml;profile=opds-catalog;kind=navigation"
ATOM_ACQUISITION: Final = "application/atom+xml;profile=opds-catalog;kind=acquisition"

# --- formats (JSON Schema's ``format`` keywords, as RFC 3339 / RFC 3986 / RFC 6570 define them)

# RFC 3339 §5.6 ``date-time``: full-date "T" full-time, the offset required.
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
# RFC 3339 §5.6 ``full-date``.
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# RFC 3986 §3.1: a URI starts with a scheme; no character outside the URI set may appear.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_URI_REFERENCE = re.compile(r"^[^\s<>\"{}|\\^`]*$")
# RFC 6570: literals as a URI reference's, expressions ``{[op]var[,var]...}``.
_TEMPLATE_EXPRESSION = re.compile(
    r"\{[+#./;?&]?[A-Za-z0-9_%.]+(\*|:\d+)?(,[A-Za-z0-9_%.]+(\*|:\d+)?)*\}"
)
# BCP 47, the Readium metadata's ``language`` pattern in short: primary subtag, then subtags.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
# A media type (RFC 6838): type "/" subtype, parameters allowed (Atom's ``atomMediaType``).
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?$")


def is_date_time(value: object) -> bool:
    match = _DATE_TIME.match(value) if isinstance(value, str) else None
    if match is None:
        return False
    try:
        datetime.fromisoformat(f"{match[1]}-{match[2]}-{match[3]}T{match[4]}:{match[5]}:{match[6]}")
    except ValueError:
        return False
    return True


def is_date(value: object) -> bool:
    match = _DATE.match(value) if isinstance(value, str) else None
    if match is None:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def is_uri(value: object) -> bool:
    return isinstance(value, str) and _URI.match(value) is not None


def _is_uri_reference(value: object) -> bool:
    return isinstance(value, str) and _URI_REFERENCE.match(value) is not None


def _is_uri_template(value: object) -> bool:
    if not isinstance(value, str):
        return False
    literal = _TEMPLATE_EXPRESSION.sub("", value)
    return "{" not in literal and "}" not in literal and _is_uri_reference(literal)


# --- OPDS 2.0 / Readium ----------------------------------------------------------------------

_ACQUISITION_RELS: Final = frozenset(
    {
        "preview",
        "http://opds-spec.org/acquisition",
        "http://opds-spec.org/acquisition/buy",
        "http://opds-spec.org/acquisition/open-access",
        "http://opds-spec.org/acquisition/borrow",
        "http://opds-spec.org/acquisition/sample",
        "http://opds-spec.org/acquisition/subscribe",
    }
)
_COVER_TYPES: Final = frozenset({"image/jpeg", "image/png", "image/gif"})


def _rels(link: dict[str, Any]) -> set[str]:
    rel = link.get("rel")
    if isinstance(rel, str):
        return {rel}
    if isinstance(rel, list):
        return {item for item in rel if isinstance(item, str)}
    return set()


def _has_rel(links: object, rel: str) -> bool:
    return isinstance(links, list) and any(
        isinstance(link, dict) and rel in _rels(link) for link in links
    )


def _link(link: object, where: str, out: Problems) -> None:
    """A Link Object (OPDS ``link.schema.json`` and Readium ``link.schema.json``)."""
    if not isinstance(link, dict):
        out.append(f"link.object at {where}: not an object")
        return
    # link.schema.json ``required: [href]``, ``href`` a string.
    href = link.get("href")
    if not isinstance(href, str):
        out.append(f"link.href at {where}: href missing or not a string")
    # Readium link.schema.json ``if templated is false/absent then href format uri-reference,
    # else uri-template``; OPDS link.schema.json ``dependencies.templated``: templated is true.
    elif link.get("templated") is True:
        if not _is_uri_template(href):
            out.append(f"link.href at {where}: {href!r} is not a URI template")
    elif not _is_uri_reference(href):
        out.append(f"link.href at {where}: {href!r} is not a URI reference")
    # ``templated``: a boolean.
    if "templated" in link and not isinstance(link["templated"], bool):
        out.append(f"link.templated at {where}: not a boolean")
    # ``type``: a string (a media type).
    if "type" in link and not (
        isinstance(link["type"], str) and _MEDIA_TYPE.match(link["type"]) is not None
    ):
        out.append(f"link.type at {where}: {link['type']!r} is not a media type")
    # ``title``: a string.
    if "title" in link and not isinstance(link["title"], str):
        out.append(f"link.title at {where}: not a string")
    # ``rel``: a string or an array of strings.
    rel = link.get("rel")
    if rel is not None and not (
        isinstance(rel, str)
        or (isinstance(rel, list) and all(isinstance(item, str) for item in rel))
    ):
        out.append(f"link.rel at {where}: neither a string nor an array of strings")
    # ``height``, ``width``: integers above 0 (``exclusiveMinimum: 0``).
    for key in ("height", "width"):
        if key in link and not (
            isinstance(link[key], int) and not isinstance(link[key], bool) and link[key] > 0
        ):
            out.append(f"link.{key} at {where}: not an integer above 0")
    # ``properties``: an object (properties.schema.json); its ``numberOfItems`` (OPDS
    # properties.schema.json) an integer of at least 0.
    if "properties" in link:
        properties = link["properties"]
        if not isinstance(properties, dict):
            out.append(f"link.properties at {where}: not an object")
        elif "numberOfItems" in properties and not _count(properties["numberOfItems"], 0):
            out.append(f"link.properties at {where}: numberOfItems not an integer >= 0")
    # Readium link.schema.json ``alternate``/``children``: arrays of Link Objects.
    for key in ("alternate", "children"):
        if key in link:
            _links(link[key], f"{where}.{key}", out)


def _links(links: object, where: str, out: Problems, *, required_type: bool = False) -> None:
    if not isinstance(links, list):
        out.append(f"links.array at {where}: not an array")
        return
    for index, link in enumerate(links):
        _link(link, f"{where}[{index}]", out)
        # Readium publication.schema.json ``allOf``: reading order items carry a media type.
        if required_type and isinstance(link, dict) and not isinstance(link.get("type"), str):
            out.append(f"link.type at {where}[{index}]: a media type is required here")


def _count(value: object, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _feed_metadata(metadata: object, where: str, out: Problems) -> None:
    """OPDS ``feed-metadata.schema.json``."""
    if not isinstance(metadata, dict):
        out.append(f"metadata.object at {where}: not an object")
        return
    # ``required: [title]``; title a string, array or object.
    if not isinstance(metadata.get("title"), str | list | dict):
        out.append(f"metadata.title at {where}: title missing")
    # ``identifier``, ``@type``: ``format: uri``.
    for key in ("identifier", "@type"):
        if key in metadata and not is_uri(metadata[key]):
            out.append(f"metadata.uri at {where}.{key}: not a URI")
    # ``modified``: ``format: date-time``.
    if "modified" in metadata and not is_date_time(metadata["modified"]):
        out.append(f"metadata.modified at {where}: {metadata['modified']!r} is not a date-time")
    # ``itemsPerPage``, ``currentPage``: integers above 0; ``numberOfItems``: at least 0.
    for key, minimum in (("itemsPerPage", 1), ("currentPage", 1), ("numberOfItems", 0)):
        if key in metadata and not _count(metadata[key], minimum):
            out.append(f"metadata.{key} at {where}: not an integer >= {minimum}")
    if "description" in metadata and not isinstance(metadata["description"], str):
        out.append(f"metadata.description at {where}: not a string")


def _contributors(value: object, where: str, out: Problems) -> None:
    """Readium ``contributor.schema.json``: a string, a contributor object, or an array of
    either; ``contributor-object.schema.json`` requires ``name``."""
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        if isinstance(item, str):
            continue
        if not isinstance(item, dict) or not isinstance(item.get("name"), str | dict):
            out.append(f"metadata.contributor at {where}[{index}]: needs a name")
            continue
        # ``position``: a number (series and collections).
        if "position" in item and not isinstance(item["position"], int | float):
            out.append(f"metadata.contributor at {where}[{index}].position: not a number")


def _publication_metadata(metadata: object, where: str, out: Problems) -> None:
    """Readium ``metadata.schema.json``."""
    if not isinstance(metadata, dict):
        out.append(f"metadata.object at {where}: not an object")
        return
    # ``required: [title]``: a string or a language map.
    if not isinstance(metadata.get("title"), str | dict):
        out.append(f"metadata.title at {where}: title missing")
    # ``identifier``, ``@type``: ``format: uri``.
    for key in ("identifier", "@type"):
        if key in metadata and not is_uri(metadata[key]):
            out.append(f"metadata.uri at {where}.{key}: not a URI")
    # ``modified``: ``format: date-time``.
    if "modified" in metadata and not is_date_time(metadata["modified"]):
        out.append(f"metadata.modified at {where}: {metadata['modified']!r} is not a date-time")
    # ``published``: a string of ``format: date`` or ``format: date-time`` (a bare year is not).
    if "published" in metadata and not (
        is_date(metadata["published"]) or is_date_time(metadata["published"])
    ):
        out.append(
            f"metadata.published at {where}: {metadata['published']!r} is neither a date nor "
            "a date-time"
        )
    # ``language``: a BCP 47 tag or an array of them.
    if "language" in metadata:
        language = metadata["language"]
        tags = language if isinstance(language, list) else [language]
        if not tags or not all(isinstance(t, str) and _LANGUAGE.match(t) for t in tags):
            out.append(f"metadata.language at {where}: {language!r} is not BCP 47")
    # ``numberOfPages``: an integer above 0.
    if "numberOfPages" in metadata and not _count(metadata["numberOfPages"], 1):
        out.append(f"metadata.numberOfPages at {where}: not an integer above 0")
    # ``readingProgression``: rtl, ltr or auto.
    if metadata.get("readingProgression", "auto") not in ("rtl", "ltr", "auto"):
        out.append(f"metadata.readingProgression at {where}: not rtl, ltr or auto")
    # ``description``: a string.
    if "description" in metadata and not isinstance(metadata["description"], str):
        out.append(f"metadata.description at {where}: not a string")
    # Contributor roles: ``contributor.schema.json``.
    for role in ("author", "artist", "publisher", "penciler", "colorist", "inker", "letterer"):
        if role in metadata:
            _contributors(metadata[role], f"{where}.{role}", out)
    # ``belongsTo``: an object whose ``series``/``collection`` are contributors.
    if "belongsTo" in metadata:
        belongs = metadata["belongsTo"]
        if not isinstance(belongs, dict):
            out.append(f"metadata.belongsTo at {where}: not an object")
        else:
            for key in ("series", "collection"):
                if key in belongs:
                    _contributors(belongs[key], f"{where}.belongsTo.{key}", out)


def check_opds2_publication(publication: object, where: str = "publication") -> Problems:
    """OPDS ``publication.schema.json`` (with Readium metadata)."""
    out: Problems = []
    if not isinstance(publication, dict):
        return [f"publication.object at {where}: not an object"]
    # ``required: [metadata, links, images]``.
    for key in ("metadata", "links", "images"):
        if key not in publication:
            out.append(f"publication.required at {where}: {key} missing")
    _publication_metadata(publication.get("metadata"), f"{where}.metadata", out)
    links = publication.get("links")
    if links is not None:
        _links(links, f"{where}.links", out)
        # ``links.allOf``: a publication contains a ``self`` link.
        if not _has_rel(links, "self"):
            out.append(f"publication.self at {where}: no self link")
        # top ``allOf``: at least one acquisition link (or ``preview``).
        if not any(
            isinstance(link, dict) and _rels(link) & _ACQUISITION_RELS
            for link in (links if isinstance(links, list) else [])
        ):
            out.append(f"publication.acquisition at {where}: no acquisition link")
    images = publication.get("images")
    if images is not None:
        _links(images, f"{where}.images", out)
        # ``images.minItems: 1`` and ``contains`` one JPEG, PNG or GIF.
        if not isinstance(images, list) or not images:
            out.append(f"publication.images at {where}: at least one image is required")
        elif not any(isinstance(i, dict) and i.get("type") in _COVER_TYPES for i in images):
            out.append(f"publication.images at {where}: none is a JPEG, PNG or GIF")
    return out


def check_opds2_feed(feed: object) -> Problems:
    """OPDS ``feed.schema.json``."""
    if not isinstance(feed, dict):
        return ["feed.object at feed: not an object"]
    out: Problems = []
    # ``required: [metadata, links]``.
    for key in ("metadata", "links"):
        if key not in feed:
            out.append(f"feed.required at feed: {key} missing")
    _feed_metadata(feed.get("metadata"), "feed.metadata", out)
    if "links" in feed:
        _links(feed["links"], "feed.links", out)
        # ``links.allOf``: a feed contains a ``self`` link.
        if not _has_rel(feed["links"], "self"):
            out.append("feed.self at feed.links: no self link")
    # ``anyOf``: publications, navigation or groups.
    if not any(key in feed for key in ("publications", "navigation", "groups")):
        out.append("feed.collection at feed: no publications, navigation nor groups")
    _navigation(feed, "feed", out)
    _publications(feed, "feed", out)
    # ``facets``: objects of feed metadata and links.
    if "facets" in feed:
        facets = feed["facets"]
        if not isinstance(facets, list):
            out.append("feed.facets at feed.facets: not an array")
        else:
            for index, facet in enumerate(facets):
                where = f"feed.facets[{index}]"
                if not isinstance(facet, dict):
                    out.append(f"feed.facets at {where}: not an object")
                    continue
                _feed_metadata(facet.get("metadata", {"title": ""}), f"{where}.metadata", out)
                _links(facet.get("links", []), f"{where}.links", out)
    # ``groups``: objects of feed metadata, links, publications, navigation.
    if "groups" in feed:
        groups = feed["groups"]
        if not isinstance(groups, list):
            out.append("feed.groups at feed.groups: not an array")
        else:
            for index, group in enumerate(groups):
                where = f"feed.groups[{index}]"
                if not isinstance(group, dict):
                    out.append(f"feed.groups at {where}: not an object")
                    continue
                # opds-2.0.md (groups): a group carries metadata with a title, and
                # publications or navigation (not both).
                _feed_metadata(group.get("metadata"), f"{where}.metadata", out)
                if "links" in group:
                    _links(group["links"], f"{where}.links", out)
                if ("publications" in group) == ("navigation" in group):
                    out.append(f"feed.groups at {where}: needs publications or navigation")
                _navigation(group, where, out)
                _publications(group, where, out)
    return out


def _navigation(holder: dict[str, Any], where: str, out: Problems) -> None:
    if "navigation" not in holder:
        return
    navigation = holder["navigation"]
    _links(navigation, f"{where}.navigation", out)
    # ``navigation.allOf``: every navigation link has a title.
    for index, link in enumerate(navigation if isinstance(navigation, list) else []):
        if isinstance(link, dict) and not isinstance(link.get("title"), str):
            out.append(f"feed.navigation at {where}.navigation[{index}]: no title")


def _publications(holder: dict[str, Any], where: str, out: Problems) -> None:
    if "publications" not in holder:
        return
    publications = holder["publications"]
    if not isinstance(publications, list):
        out.append(f"feed.publications at {where}.publications: not an array")
        return
    for index, publication in enumerate(publications):
        out.extend(check_opds2_publication(publication, f"{where}.publications[{index}]"))


def check_divina_manifest(manifest: object) -> Problems:
    """Readium ``publication.schema.json`` (a Web Publication Manifest, DiViNa profile)."""
    if not isinstance(manifest, dict):
        return ["manifest.object at manifest: not an object"]
    out: Problems = []
    # ``required: [metadata, links, readingOrder]``.
    for key in ("metadata", "links", "readingOrder"):
        if key not in manifest:
            out.append(f"manifest.required at manifest: {key} missing")
    # ``@context``: a string or an array of unique strings.
    context = manifest.get("@context")
    if context is not None and not (
        isinstance(context, str)
        or (
            isinstance(context, list)
            and all(isinstance(item, str) for item in context)
            and len(set(context)) == len(context)
        )
    ):
        out.append("manifest.context at manifest.@context: not a string or unique strings")
    _publication_metadata(manifest.get("metadata"), "manifest.metadata", out)
    links = manifest.get("links")
    if links is not None:
        _links(links, "manifest.links", out)
        # ``links.contains``: a link with rel ``self``.
        if not _has_rel(links, "self"):
            out.append("manifest.self at manifest.links: no self link")
        _unique(links, "manifest.links", out)
    order = manifest.get("readingOrder")
    if order is not None:
        # ``readingOrder``: Link Objects, unique, each with a ``type`` (``allOf``).
        _links(order, "manifest.readingOrder", out, required_type=True)
        _unique(order, "manifest.readingOrder", out)
        # divina profile (webpub-manifest ``profiles/divina.md``): images in the reading order.
        for index, item in enumerate(order if isinstance(order, list) else []):
            if isinstance(item, dict) and not str(item.get("type", "")).startswith("image/"):
                out.append(f"manifest.divina at manifest.readingOrder[{index}]: not an image")
    return out


def _unique(items: object, where: str, out: Problems) -> None:
    # ``uniqueItems: true``.
    if isinstance(items, list):
        seen = [
            repr(sorted(item.items())) if isinstance(item, dict) else repr(item) for item in items
        ]
        if len(set(seen)) != len(seen):
            out.append(f"links.unique at {where}: the same item twice")


def check_authentication(document: object) -> Problems:
    """OPDS ``authentication.schema.json``."""
    if not isinstance(document, dict):
        return ["auth.object at auth: not an object"]
    out: Problems = []
    # ``required: [authentication, title, id]``.
    for key in ("authentication", "title", "id"):
        if key not in document:
            out.append(f"auth.required at auth: {key} missing")
    # ``title``, ``description``: strings; ``id``: ``format: uri``.
    for key in ("title", "description"):
        if key in document and not isinstance(document[key], str):
            out.append(f"auth.{key} at auth.{key}: not a string")
    if "id" in document and not is_uri(document["id"]):
        out.append("auth.id at auth.id: not a URI")
    # ``links``: unique Link Objects.
    if "links" in document:
        _links(document["links"], "auth.links", out)
        _unique(document["links"], "auth.links", out)
    flows = document.get("authentication")
    if flows is not None:
        if not isinstance(flows, list):
            out.append("auth.authentication at auth.authentication: not an array")
            flows = []
        for index, flow in enumerate(flows):
            where = f"auth.authentication[{index}]"
            # items ``required: [type]``, ``type`` ``format: uri``.
            if not isinstance(flow, dict) or not is_uri(flow.get("type")):
                out.append(f"auth.flow at {where}: a flow needs a type URI")
                continue
            if "links" in flow:
                _links(flow["links"], f"{where}.links", out)
            # ``labels``: an object of string ``login``/``password``.
            labels = flow.get("labels", {})
            if not isinstance(labels, dict) or not all(
                isinstance(labels.get(key, ""), str) for key in ("login", "password")
            ):
                out.append(f"auth.labels at {where}.labels: login/password must be strings")
    return out


def check_progression(document: object) -> Problems:
    """OPDS ``progression.schema.json`` (the Progression draft's flat document)."""
    if not isinstance(document, dict):
        return ["progression.object at progression: not an object"]
    out: Problems = []
    # ``required: [modified, device, progression]``.
    for key in ("modified", "device", "progression"):
        if key not in document:
            out.append(f"progression.required at progression: {key} missing")
    # ``modified``: ``format: date-time``.
    if "modified" in document and not is_date_time(document["modified"]):
        out.append("progression.modified at progression.modified: not a date-time")
    # ``device``: ``required: [id, name]``, ``id`` a URI, ``name`` ``minLength: 1``.
    device = document.get("device")
    if device is not None:
        if not isinstance(device, dict):
            out.append("progression.device at progression.device: not an object")
        else:
            if not is_uri(device.get("id")):
                out.append("progression.device at progression.device.id: not a URI")
            name = device.get("name")
            if not (isinstance(name, str) and name):
                out.append("progression.device at progression.device.name: empty or missing")
    # ``progression``: a number from 0 to 1.
    value = document.get("progression")
    if value is not None and not (
        isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1
    ):
        out.append("progression.value at progression.progression: not a number in 0..1")
    return out


# --- OPDS 1.2 (Atom) -------------------------------------------------------------------------

ATOM: Final = "http://www.w3.org/2005/Atom"
OPENSEARCH: Final = "http://a9.com/-/spec/opensearch/1.1/"
PSE: Final = "http://vaemendis.net/opds-pse/ns"
DCTERMS: Final = "http://purl.org/dc/terms/"
_A: Final = f"{{{ATOM}}}"
_ACQUISITION_PREFIX: Final = "http://opds-spec.org/acquisition"
_IMAGE_RELS: Final = frozenset(
    {"http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"}
)
_PSE_STREAM: Final = "http://vaemendis.net/opds-pse/stream"
# opds.rnc ``opdsCatalogMediaType``-style: what a link to a catalog feed says.
_CATALOG_TYPE = re.compile(
    r"^application/atom\+xml;\s*profile=opds-catalog(;\s*kind=(navigation|acquisition))?$"
)


def _parse(xml: bytes, out: Problems) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        out.append(f"xml.wellformed at document: {exc}")
        return None


def _atom_text(
    parent: ElementTree.Element, name: str, family: str, where: str, out: Problems
) -> str | None:
    """RFC 4287 ``atomTextConstruct``/``atomUri``/``atomDateConstruct`` elements that the RNC
    names exactly once (``atomId``, ``atomTitle``, ``atomUpdated``)."""
    found = parent.findall(f"{_A}{name}")
    if len(found) != 1:
        out.append(f"atom.{family}.{name} at {where}: {len(found)} atom:{name} (exactly one)")
        return None
    return found[0].text or ""


def _atom_link(link: ElementTree.Element, where: str, out: Problems) -> None:
    # opds.rnc / RFC 4287 ``atomLink``: ``attribute href { atomUri }`` required.
    href = link.get("href")
    if href is None or not _is_uri_reference(href.replace("{", "").replace("}", "")):
        out.append(f"atom.link.href at {where}: href missing or not a URI")
    # ``attribute type { atomMediaType }?``: a media type when present.
    media_type = link.get("type")
    if media_type is not None and _MEDIA_TYPE.match(media_type) is None:
        out.append(f"atom.link.type at {where}: {media_type!r} is not a media type")
    # ``attribute length { text }?``: RFC 4287 §4.2.7.6, an octet count.
    length = link.get("length")
    if length is not None and not length.isdigit():
        out.append(f"atom.link.length at {where}: not a number of octets")


def check_atom_feed(xml: bytes) -> Problems:
    """An OPDS 1.2 catalog feed: ``opds.rnc`` (with RFC 4287's Atom schema), the OPDS 1.2 text,
    OpenSearch 1.1's response elements and PSE."""
    out: Problems = []
    feed = _parse(xml, out)
    if feed is None:
        return out
    # RFC 4287 ``start = atomFeed | atomEntry``: the root is atom:feed.
    if feed.tag != f"{_A}feed":
        return [f"atom.feed at document: the root is {feed.tag}, not atom:feed"]
    # ``atomFeed``: atom:id, atom:title and atom:updated exactly once each.
    feed_id = _atom_text(feed, "id", "feed", "feed", out)
    if feed_id is not None and not is_uri(feed_id):
        out.append(f"atom.feed.id at feed: {feed_id!r} is not an IRI")
    _atom_text(feed, "title", "feed", "feed", out)
    updated = _atom_text(feed, "updated", "feed", "feed", out)
    # ``atomDateConstruct``: ``xsd:dateTime`` with the RFC 3339 restrictions.
    if updated is not None and not is_date_time(updated):
        out.append(f"atom.feed.updated at feed: {updated!r} is not a date-time")
    entries = feed.findall(f"{_A}entry")
    # RFC 4287 §4.1.1 (a Schematron assertion of the RNC): a feed has an atom:author unless
    # every entry has one; atom:author has an atom:name (``atomPersonConstruct``).
    authors = feed.findall(f"{_A}author")
    if not authors and not all(entry.find(f"{_A}author") is not None for entry in entries):
        out.append("atom.feed.author at feed: no atom:author, and not every entry has one")
    for index, person in enumerate(authors):
        if person.find(f"{_A}name") is None:
            out.append(f"atom.feed.author at feed.author[{index}]: no atom:name")
    links = feed.findall(f"{_A}link")
    for index, link in enumerate(links):
        _atom_link(link, f"feed.link[{index}]", out)
    by_rel = {link.get("rel"): link for link in links}
    # opds-1.2.md §2 (Catalog Feed Documents): every feed SHOULD carry ``self`` and ``start``,
    # both typed as catalog feeds (opds.rnc lets ``type`` be any media type; the spec names them).
    for rel in ("self", "start"):
        named = by_rel.get(rel)
        if named is None:
            out.append(f"atom.feed.{rel} at feed: no {rel} link")
        elif _CATALOG_TYPE.match(named.get("type", "")) is None:
            out.append(f"atom.feed.{rel} at feed: {named.get('type')!r} is not a catalog type")
    # OpenSearch 1.1 "response elements": totalResults, itemsPerPage, startIndex are
    # non-negative integers (itemsPerPage above 0), each at most once.
    for name, minimum in (("totalResults", 0), ("itemsPerPage", 1), ("startIndex", 1)):
        found = feed.findall(f"{{{OPENSEARCH}}}{name}")
        if len(found) > 1:
            out.append(f"opensearch.{name} at feed: more than one")
        for element in found:
            text = (element.text or "").strip()
            if not text.isdigit() or int(text) < minimum:
                out.append(f"opensearch.{name} at feed: {text!r} is not an integer >= {minimum}")
    # OpenSearch 1.1: its response elements live in its namespace; one of those names in any
    # other namespace (or none) is not an OpenSearch element, and readers will not find it.
    for element in feed.iter():
        namespace, _, local = element.tag.rpartition("}")
        if (
            local in ("totalResults", "itemsPerPage", "startIndex")
            and namespace != "{" + OPENSEARCH
        ):
            out.append(f"opensearch.namespace at feed: {element.tag} is not in OpenSearch 1.1's")
    # PSE 1.2 ("Namespace"): a feed using PSE declares it, and under the literal prefix ``pse``
    # (readers such as older KOReader look attributes up by that name).
    if PSE.encode() in xml and f'xmlns:pse="{PSE}"'.encode() not in xml:
        out.append("pse.namespace at feed: the PSE namespace is not declared as xmlns:pse")
    kind = _kind(by_rel.get("self"))
    for index, entry in enumerate(entries):
        _atom_entry(entry, f"entry[{index}]", kind, out)
    return out


def _kind(link: ElementTree.Element | None) -> str | None:
    match = _CATALOG_TYPE.match(link.get("type", "")) if link is not None else None
    return match[2] if match is not None else None


def _atom_entry(entry: ElementTree.Element, where: str, kind: str | None, out: Problems) -> None:
    # ``atomEntry``: atom:id, atom:title, atom:updated exactly once each.
    entry_id = _atom_text(entry, "id", "entry", where, out)
    if entry_id is not None and not is_uri(entry_id):
        out.append(f"atom.entry.id at {where}: {entry_id!r} is not an IRI")
    _atom_text(entry, "title", "entry", where, out)
    updated = _atom_text(entry, "updated", "entry", where, out)
    if updated is not None and not is_date_time(updated):
        out.append(f"atom.entry.updated at {where}: {updated!r} is not a date-time")
    # ``atomPublished``: a date-time when present.
    published = entry.find(f"{_A}published")
    if published is not None and not is_date_time(published.text or ""):
        out.append(f"atom.entry.published at {where}: not a date-time")
    # opds.rnc leaves ``dcterms:issued`` as text (Dublin Core suggests W3CDTF, which allows a
    # bare year); bagboard sends the OPDS 2 ``published`` value there, so this check holds it
    # to the Readium ``format: date``/``date-time`` (stricter than the RNC, on purpose).
    issued = entry.find(f"{{{DCTERMS}}}issued")
    if issued is not None and not (is_date(issued.text or "") or is_date_time(issued.text or "")):
        out.append(f"atom.entry.issued at {where}: {issued.text!r} is not a date")
    links = entry.findall(f"{_A}link")
    for index, link in enumerate(links):
        _atom_link(link, f"{where}.link[{index}]", out)
    # RFC 4287 §4.1.2 (Schematron): an entry without atom:content has an ``alternate`` link.
    if entry.find(f"{_A}content") is None and not any(
        link.get("rel", "alternate") == "alternate" for link in links
    ):
        out.append(f"atom.entry.content at {where}: neither atom:content nor an alternate link")
    for person in entry.findall(f"{_A}author"):
        if person.find(f"{_A}name") is None:
            out.append(f"atom.entry.author at {where}: atom:author without atom:name")
    acquisitions = [link for link in links if link.get("rel", "").startswith(_ACQUISITION_PREFIX)]
    # opds-1.2.md §5.1 / opds.rnc ``opdsAcquisitionLink``: an acquisition link carries the
    # media type of what it delivers.
    for link in acquisitions:
        if not link.get("type"):
            out.append(f"opds.acquisition.type at {where}: acquisition link without a type")
    # opds-1.2.md §2.1: a navigation feed holds no OPDS Catalog Entries (no acquisitions).
    if kind == "navigation" and acquisitions:
        out.append(f"opds.navigation at {where}: a publication in a navigation feed")
    # opds-1.2.md §6.1: image and thumbnail links are GIF, JPEG or PNG.
    for link in links:
        if link.get("rel") in _IMAGE_RELS and link.get("type") not in _COVER_TYPES:
            out.append(f"opds.image at {where}: cover of type {link.get('type')!r}")
    for link in links:
        if link.get("rel") == _PSE_STREAM:
            _pse(link, where, out)


def _pse(link: ElementTree.Element, where: str, out: Problems) -> None:
    """PSE 1.2 (anansi-project/opds-pse ``v1.2.md``)."""
    href = link.get("href", "")
    # The href MUST contain ``{pageNumber}``.
    if "{pageNumber}" not in href:
        out.append(f"pse.href at {where}: no {{pageNumber}} in the stream link")
    # ``type`` MUST be image/jpeg, image/gif or image/png.
    if link.get("type") not in _COVER_TYPES:
        out.append(f"pse.type at {where}: {link.get('type')!r} is not JPEG, GIF or PNG")
    # ``pse:count`` MUST be present: the number of pages.
    count = link.get(f"{{{PSE}}}count", "")
    if not count.isdigit() or int(count) < 1:
        out.append(f"pse.count at {where}: {count!r} is not a page count")
        return
    # ``pse:lastRead`` (1.1): a page number from 1 to the count.
    last = link.get(f"{{{PSE}}}lastRead")
    if last is not None and not (last.isdigit() and 1 <= int(last) <= int(count)):
        out.append(f"pse.lastRead at {where}: {last!r} is not in 1..{count}")
    # ``pse:lastReadDate`` (1.2): an Atom date, only with lastRead.
    read_date = link.get(f"{{{PSE}}}lastReadDate")
    if read_date is not None and (last is None or not is_date_time(read_date)):
        out.append(f"pse.lastReadDate at {where}: {read_date!r} without lastRead or not a date")


def check_opensearch(xml: bytes) -> Problems:
    """An OpenSearch 1.1 description document (``OpenSearchDescription``)."""
    out: Problems = []
    root = _parse(xml, out)
    if root is None:
        return out
    if root.tag != f"{{{OPENSEARCH}}}OpenSearchDescription":
        return [f"opensearch.root at document: {root.tag} is not OpenSearchDescription"]
    # ``ShortName`` (at most 16 characters) and ``Description`` (at most 1024): required.
    for name, limit in (("ShortName", 16), ("Description", 1024)):
        element = root.find(f"{{{OPENSEARCH}}}{name}")
        text = element.text or "" if element is not None else ""
        if not text or len(text) > limit:
            out.append(f"opensearch.{name} at document: missing, empty or over {limit} chars")
    urls = root.findall(f"{{{OPENSEARCH}}}Url")
    # ``Url``: one or more, each with ``type`` and ``template``.
    if not urls:
        out.append("opensearch.url at document: no Url")
    for index, url in enumerate(urls):
        template = url.get("template")
        if not url.get("type") or not template or "{searchTerms}" not in template:
            out.append(f"opensearch.url at Url[{index}]: type or {{searchTerms}} template missing")
        # opds-1.2.md §3 (Search): an OPDS search template returns a catalog feed.
        elif _CATALOG_TYPE.match(url.get("type", "")) is None:
            out.append(f"opensearch.url at Url[{index}]: {url.get('type')!r} is not a catalog feed")
    return out


# --- every checker, by the media type it reads ---------------------------------------------

JSON_CHECKS: Final[dict[str, Callable[[Any], Problems]]] = {
    "application/opds+json": check_opds2_feed,
    "application/opds-publication+json": check_opds2_publication,
    "application/divina+json": check_divina_manifest,
    "application/opds-authentication+json": check_authentication,
    "application/opds-progression+json": check_progression,
}


def problems_in(items: Iterable[Problems]) -> Problems:
    return [problem for problems in items for problem in problems]
