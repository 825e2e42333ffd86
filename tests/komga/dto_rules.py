"""Decode a `/komga` response the way one client app would, and list everything that breaks it.

Each client's DTO table (``dto_kotlin``, ``dto_apple``) maps a DTO name to its fields, each field
written as ``"<presence> <type>"``:

- presence ``R`` the key must be there and not null; ``N`` the key must be there, null allowed
  (komga-client runs kotlinx with ``explicitNulls`` on, so an absent nullable key fails);
  ``D`` may be absent (the client has a default) but if present must not be null; ``O`` may be
  absent or null (Mihon's ``explicitNulls = false``, Swift optionals, JavaScript reads).
- type ``str``, ``int`` (a JSON integer: kotlinx refuses ``3.0`` for an Int), ``num`` (integer or
  decimal), ``bool``, ``datetime`` / ``date`` (a string in a format that client parses), ``any``,
  ``[T]`` (a list of T), ``@Name`` (a nested DTO of the same client), ``{A|B|}`` (one of these
  strings; an empty alternative allows ``""``).

A DTO name given to :func:`check` may also be ``Page<Name>`` (the client's Spring page wrapper
with every item decoded as ``Name``) or ``[Name]`` (a JSON array of ``Name``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from tests.komga import dto_apple, dto_kotlin

__all__ = ["CLIENTS", "DATE_FORMATS", "RULES", "check", "check_every_client", "dto_names"]

Table = Mapping[str, Mapping[str, str]]

RULES: dict[str, Table] = {**dto_kotlin.TABLES, **dto_apple.TABLES}
CLIENTS = tuple(RULES)

_KOMGA_DATETIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
_DATE = r"\d{4}-\d\d-\d\d"
_ISO_OFFSET = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)"

# (datetime, date) patterns, matched with re.fullmatch, of what each client turns into the right
# value. EXT reads the first 19 characters (anything after is ignored, a failure gives 0);
# TRK never parses a date; KC uses kotlinx-datetime Instant and LocalDate; KMR takes ISO 8601
# with or without a fraction, with or without a zone; AID takes exactly Komga's format or a bare
# date (anything else silently becomes "distant past"); PB hands the string to JavaScript's Date.
DATE_FORMATS: dict[str, tuple[str, str]] = {
    "EXT": (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*", _DATE + r".*"),
    "TRK": (r".*", r".*"),
    "KC": (_ISO_OFFSET, _DATE),
    "KMR": (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", _DATE),
    "AID": (f"{_KOMGA_DATETIME}|{_DATE}", f"{_KOMGA_DATETIME}|{_DATE}"),
    "PB": (_ISO_OFFSET + "?", _DATE),
}

_PRESENCES = frozenset("RNDO")


def dto_names(client: str) -> list[str]:
    """The DTOs a client's table knows (for the tests of the tables themselves)."""
    return sorted(RULES[client])


def check(client: str, dto_name: str, payload: Any) -> list[str]:
    """Every violation of ``client``'s decoding rules in ``payload`` read as ``dto_name``;
    an empty list means the client decodes it. Messages name the JSON path."""
    if client not in RULES:
        raise KeyError(f"unknown client {client!r}; known: {', '.join(CLIENTS)}")
    problems: list[str] = []
    _check_type(client, _as_type(dto_name), payload, "$", problems)
    return problems


def check_every_client(dto_name: str, payload: Any) -> dict[str, list[str]]:
    """``check`` for every client whose table has ``dto_name`` (its base name for Page/list)."""
    needed = {re.sub(r"^Page<|>$|^\[|\]$", "", dto_name)}
    if dto_name.startswith("Page<"):
        needed.add("Page")
    return {c: check(c, dto_name, payload) for c in CLIENTS if needed <= RULES[c].keys()}


def _as_type(name: str) -> str:
    """``Series`` -> ``@Series``, ``[Library]`` -> ``[@Library]``; types stay as they are."""
    if name.startswith("[") and name.endswith("]"):
        return f"[{_as_type(name[1:-1])}]"
    if name.startswith(("@", "{")) or name in _SCALARS or name in ("datetime", "date"):
        return name
    return "@" + name


def _check_dto(client: str, name: str, payload: Any, path: str, out: list[str]) -> None:
    page = re.fullmatch(r"Page<(.+)>", name)
    if page:
        _check_dto(client, "Page", payload, path, out)
        if isinstance(payload, dict) and isinstance(payload.get("content"), list):
            for i, item in enumerate(payload["content"]):
                _check_type(client, "@" + page.group(1), item, f"{path}.content[{i}]", out)
        return
    table = RULES[client]
    if name not in table:
        raise KeyError(f"{client} has no rules for DTO {name!r}")
    if not isinstance(payload, dict):
        out.append(f"{path}: {client} {name} must be a JSON object, got {_kind(payload)}")
        return
    for key, spec in table[name].items():
        presence, _, type_ = spec.partition(" ")
        assert presence in _PRESENCES, f"bad rule {client}.{name}.{key}: {spec!r}"
        where = f"{path}.{key}"
        if key not in payload:
            if presence in "RN":
                out.append(f"{where}: missing ({client} {name} requires it)")
            continue
        value = payload[key]
        if value is None:
            if presence in "RD":
                out.append(f"{where}: null, but {client} {name} needs a value")
            continue
        _check_type(client, type_, value, where, out)


def _check_type(client: str, type_: str, value: Any, path: str, out: list[str]) -> None:
    if type_.startswith("@"):
        _check_dto(client, type_[1:], value, path, out)
    elif type_.startswith("["):
        if not isinstance(value, list):
            out.append(f"{path}: expected a JSON array, got {_kind(value)}")
            return
        for i, item in enumerate(value):
            if item is None:
                out.append(f"{path}[{i}]: null item in a list")
            else:
                _check_type(client, type_[1:-1], item, f"{path}[{i}]", out)
    elif type_.startswith("{"):
        allowed = type_[1:-1].split("|")
        if not isinstance(value, str) or value not in allowed:
            out.append(f"{path}: {value!r} is not one of {allowed} ({client})")
    elif type_ in ("datetime", "date"):
        pattern = DATE_FORMATS[client][0 if type_ == "datetime" else 1]
        if not isinstance(value, str):
            out.append(f"{path}: expected a {type_} string, got {_kind(value)}")
        elif not re.fullmatch(pattern, value):
            out.append(f"{path}: {value!r} is not a {type_} {client} parses")
    else:
        test = _SCALARS.get(type_)
        if test is None:
            raise ValueError(f"unknown type {type_!r} at {path}")
        if not test(value):
            out.append(f"{path}: expected {type_}, got {_kind(value)} {value!r}"[:200])


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


_SCALARS: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "num": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "any": lambda v: True,
}
