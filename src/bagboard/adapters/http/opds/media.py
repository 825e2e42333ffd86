"""Media types and link relations the OPDS documents use. Comic file types are
``issue_json.COMIC_MEDIA_TYPES``, shared with ``/api/v1``."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ATOM_ACQUISITION",
    "ATOM_NAVIGATION",
    "AUTH_BASIC",
    "AUTH_DOCUMENT",
    "AUTH_PATH",
    "DIVINA",
    "JPEG",
    "OPDS2_FEED",
    "OPDS2_PUBLICATION",
    "OPDS_PREFIX",
    "OPENSEARCH",
    "PNG",
    "PROGRESSION",
    "READIUM_PROGRESSION",
    "REL_ACQUISITION",
    "REL_AUTH_DOCUMENT",
    "REL_IMAGE",
    "REL_PROGRESSION",
    "REL_PSE_STREAM",
    "REL_READIUM_PROGRESSION",
    "REL_THUMBNAIL",
    "UNREADABLE_COVER_PATH",
    "V1_PREFIX",
    "V2_PREFIX",
]


ATOM_NAVIGATION: Final = "application/atom+xml;profile=opds-catalog;kind=navigation"
ATOM_ACQUISITION: Final = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH: Final = "application/opensearchdescription+xml"
OPDS2_FEED: Final = "application/opds+json"
OPDS2_PUBLICATION: Final = "application/opds-publication+json"
DIVINA: Final = "application/divina+json"
AUTH_DOCUMENT: Final = "application/opds-authentication+json"
PROGRESSION: Final = "application/opds-progression+json"
READIUM_PROGRESSION: Final = "application/vnd.readium.progression+json"
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"

REL_ACQUISITION: Final = "http://opds-spec.org/acquisition"
REL_IMAGE: Final = "http://opds-spec.org/image"
REL_THUMBNAIL: Final = "http://opds-spec.org/image/thumbnail"
REL_PSE_STREAM: Final = "http://vaemendis.net/opds-pse/stream"
REL_AUTH_DOCUMENT: Final = "http://opds-spec.org/auth/document"
REL_PROGRESSION: Final = "http://opds-spec.org/progression"
# The older Readium locator progression, as Cantook and Komga name it.
REL_READIUM_PROGRESSION: Final = "http://www.cantook.com/api/progression"
AUTH_BASIC: Final = "http://opds-spec.org/auth/basic"

# Where the versions live, below the server root (and any public prefix).
OPDS_PREFIX: Final = "/opds"
V1_PREFIX: Final = "/opds/v1.2"
V2_PREFIX: Final = "/opds/v2.0"
AUTH_PATH: Final = "/opds/v2.0/auth"
# The image an OPDS 2 publication whose archive cannot be read shows (the schema wants one).
UNREADABLE_COVER_PATH: Final = "/opds/unreadable.png"
