"""Bodies built once per answer the services kept.

A service that keeps its answers (``services/kept_answers.py``) hands back the very same
object while nothing it shows has changed. What a protocol builds from it (a JSON list, an
OPDS feed) is then the same too: ``ByIdentity`` keeps it by the object's identity (and what
else the building depends on: the base URL, the rendering), so a list asked again costs a
look-up, not fifty issues built and encoded again. An entry holds the object itself, so its
identity is never another object's while the entry stands. A new answer (nothing kept, or a
change since) is a new object, built as any response is.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, Final, Generic, TypeVar

import msgspec
from litestar import Response

from bagboard.adapters.http.etag import tagged_json, weak_etag

__all__ = ["ENCODED", "ByIdentity", "Tagged", "json_answer", "tagged"]

T = TypeVar("T")
R = TypeVar("R")

# Bodies kept in all, by their size (a page of fifty issues is about 18 KB), and by number:
# each holds the answer it was built from.
KEPT_BYTES: Final = 8 * 1024 * 1024
KEPT_ENTRIES: Final = 512

Tagged = tuple[bytes, str]  # a body and its weak ETag

_encoder = msgspec.json.Encoder()


def _one(value: object) -> int:
    return 1


class ByIdentity(Generic[R]):
    """What was built from a value, by the value's identity and ``extra``: least recently used
    first out once there are more than ``max_entries``, or their ``weight`` is more than
    ``max_weight``."""

    def __init__(
        self,
        max_entries: int = KEPT_ENTRIES,
        max_weight: int = KEPT_BYTES,
        weight: Callable[[R], int] = _one,
    ) -> None:
        self._max_entries = max_entries
        self._max_weight = max_weight
        self._weight = weight
        self._entries: OrderedDict[tuple[int, Hashable], tuple[object, R, int]] = OrderedDict()
        self._total = 0
        self._lock = Lock()

    def get(self, value: object, extra: Hashable, build: Callable[[], R]) -> R:
        """What ``build`` made of ``value`` (with ``extra``), kept, else built now."""
        key = (id(value), extra)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is value:
                self._entries.move_to_end(key)
                return entry[1]
        built = build()
        weight = self._weight(built)
        with self._lock:
            replaced = self._entries.pop(key, None)
            if replaced is not None:
                self._total -= replaced[2]
            self._entries[key] = (value, built, weight)
            self._total += weight
            while self._entries and (
                self._total > self._max_weight or len(self._entries) > self._max_entries
            ):
                _, dropped = self._entries.popitem(last=False)
                self._total -= dropped[2]
        return built


def _body_size(found: Tagged) -> int:
    return len(found[0])


ENCODED: ByIdentity[Tagged] = ByIdentity(weight=_body_size)


def tagged(body: bytes) -> Tagged:
    return body, weak_etag(body)


def json_answer(value: T, wire: Callable[[T], Any], if_none_match: str | None) -> Response[bytes]:
    """``cached_json(wire(value))``, encoded once for as long as the services keep ``value``."""
    body, etag = ENCODED.get(value, wire, lambda: tagged(_encoder.encode(wire(value))))
    return tagged_json(body, etag, if_none_match)
