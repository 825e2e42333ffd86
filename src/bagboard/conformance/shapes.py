"""The keys and types of every JSON shape, taken from the msgspec wire structs the server encodes.

A shape names a server struct and which of its keys are bagboard's additions (contract
**better**). The *documented* keys are the ones the struct always emits minus those additions,
plus any the list owes beyond the struct's defaults (metadata-mode issue keys). The core check
wants every documented key, each key present holding the struct's type; the extension check
wants every key the struct emits. Unknown keys are allowed: a server may always add keys.

Where the reference server departs from its own document about a key's type (``lenient``),
the core check accepts both types, and ``deviation_problems`` holds the item to the type the
document shows, for a check reported as a reference deviation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType
from msgspec.structs import fields

from bagboard.conformance.deviations import Deviation

__all__ = ["Shape", "emitted_keys", "first_problems", "type_problems"]


def emitted_keys(struct: type[msgspec.Struct]) -> frozenset[str]:
    """The keys an encoded ``struct`` always holds: all but those defaulting to ``UNSET``."""
    return frozenset(f.encode_name for f in fields(struct) if f.default is not UNSET)


@cache
def _types_only(
    struct: type[msgspec.Struct],
    loose: frozenset[str],
    widened: tuple[tuple[str, Any], ...] = (),
) -> type[msgspec.Struct]:
    """``struct`` with every key optional (missing keys are reported from the key sets, once),
    the ``loose`` keys, which a nested shape checks instead, of any type, and the ``widened``
    keys of the type given with them."""
    wider = dict(widened)

    def typed(name: str, declared: Any) -> Any:
        return Any if name in loose else wider.get(name, declared)

    specs = [
        (f.encode_name, typed(f.encode_name, f.type) | UnsetType, UNSET) for f in fields(struct)
    ]
    return msgspec.defstruct(f"Typed{struct.__name__}", specs, kw_only=True)


def type_problems(item: object, struct: type[msgspec.Struct]) -> list[str]:
    try:
        msgspec.convert(item, struct, strict=True)
    except msgspec.ValidationError as exc:
        return [str(exc)]
    return []


@dataclass(frozen=True)
class Shape:
    """One JSON object shape of the contract, checked against the server's struct."""

    label: str
    struct: type[msgspec.Struct]
    extension_keys: frozenset[str] = frozenset()
    also_required: frozenset[str] = frozenset()
    nested: Mapping[str, Shape] = field(default_factory=dict)
    # key → (the type the core check accepts, the deviation the struct's own type marks).
    lenient: Mapping[str, tuple[Any, Deviation]] = field(default_factory=dict)

    @property
    def documented(self) -> frozenset[str]:
        return (emitted_keys(self.struct) - self.extension_keys) | self.also_required

    @property
    def complete(self) -> frozenset[str]:
        return emitted_keys(self.struct) | self.also_required

    def compat_problems(self, item: object) -> list[str]:
        """What keeps ``item`` from being this shape as the contract documents it."""
        if not isinstance(item, dict):
            return [f"{self.label}: not a JSON object: {item!r:.60}"]
        problems = _missing(self.label, self.documented, item)
        widened = tuple((key, accepted) for key, (accepted, _) in self.lenient.items())
        typed = _types_only(self.struct, frozenset(self.nested), widened)
        problems += [f"{self.label}: {p}" for p in type_problems(item, typed)]
        for key, shape in self.nested.items():
            if item.get(key) is not None:
                problems += shape.compat_problems(item[key])
        return problems

    def deviation_problems(self, item: object) -> dict[Deviation, list[str]]:
        """For each lenient key, the item's departures from the type the document shows
        (the struct's); a key that is absent or of no accepted type is left to the core check."""
        found: dict[Deviation, list[str]] = {}
        if not isinstance(item, dict):
            return found
        declared = {f.encode_name: f.type for f in fields(self.struct)}
        for key, (_, deviation) in self.lenient.items():
            if key not in item:
                continue
            try:
                msgspec.convert(item[key], declared[key], strict=True)
            except msgspec.ValidationError:
                shown = msgspec.json.encode(item[key]).decode()
                found.setdefault(deviation, []).append(f"{self.label}: {key} is {shown}")
        return found

    def extension_problems(self, item: object) -> list[str]:
        """Which of bagboard's additions ``item`` lacks (the core check already judged the type
        of every key present, additions included)."""
        if not isinstance(item, dict):
            return [f"{self.label}: not a JSON object: {item!r:.60}"]
        problems = _missing(self.label, self.complete, item)
        for key, shape in self.nested.items():
            if item.get(key) is not None:
                problems += shape.extension_problems(item[key])
        return problems


def _missing(label: str, wanted: frozenset[str], item: Mapping[str, Any]) -> list[str]:
    absent = sorted(wanted - item.keys())
    return [f"{label}: missing key {', '.join(absent)}"] if absent else []


def first_problems(items: list[Any], check: Any, limit: int = 3) -> list[str]:
    """The problems of the first few faulty items of a list, each prefixed by its index."""
    found: list[str] = []
    for index, item in enumerate(items):
        problems = check(item)
        if problems:
            found.append(f"items[{index}]: " + "; ".join(problems))
            if len(found) >= limit:
                break
    return found
