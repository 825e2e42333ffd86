"""Which books a Komga book list keeps: its search body's condition, or its query parameters.

The body is read by key, whatever its ``type`` tags say, so komga-client's type-tagged
conditions and Aidoku's plain ones read alike: ``allOf``/``anyOf`` groups, and leaves named
``seriesId``, ``libraryId``, ``readStatus``, ``deleted``, ``oneShot``, ``mediaStatus``,
``releaseDate``, ``title``, ``tag``, ``author``, ``readListId`` (the books of a read list, which
the caller reads first: ``mentioned``). A leaf it does not know matches every book (a filter
bagboard cannot apply hides nothing), as does an empty group.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bagboard.adapters.http.komga.paging import first_value, values
from bagboard.adapters.http.komga.series_json import authors_of, release_date
from bagboard.services.komga_books import listed
from bagboard.services.series_views import BookView, SeriesView

__all__ = [
    "Predicate",
    "book_status",
    "condition",
    "mentioned",
    "narrowed",
    "parameters",
    "searched",
    "title_of",
]

Predicate = Callable[[BookView, SeriesView], bool]
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)


def _everything(book: BookView, series: SeriesView) -> bool:
    return True


def book_status(book: BookView) -> str:
    if book.reading.is_read:
        return "READ"
    return "IN_PROGRESS" if book.reading.has_progress else "UNREAD"


def title_of(book: BookView) -> str:
    info = book.comic.comic_info
    return info.title if info is not None and info.title else book.comic.name.rsplit(".", 1)[0]


def searched(book: BookView, folded: str) -> bool:
    """Whether a full-text search (already casefolded; empty finds all) finds the book: a
    substring of its title or its file name."""
    return not folded or folded in title_of(book).casefold() or folded in book.comic.name.casefold()


def _tags(book: BookView) -> list[str]:
    info = book.comic.comic_info
    return [tag.casefold() for tag in listed(info.tags)] if info is not None else []


def _duration(text: str) -> timedelta | None:
    found = _DURATION.match(text.strip())
    if found is None or not any(found.groupdict().values()):
        return None
    parts = {k: float(v) if v else 0.0 for k, v in found.groupdict().items()}
    return timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"])


def _moment(raw: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _release(leaf: Mapping[str, Any], operator: str) -> Predicate:
    def released(book: BookView) -> date | None:
        return release_date(book.comic.comic_info)

    if operator == "isnull":
        return lambda book, _: released(book) is None
    if operator == "isnotnull":
        return lambda book, _: released(book) is not None
    if operator == "isinthelast":
        span = _duration(str(leaf.get("duration", "")))
        if span is None:
            return _everything
        since = (datetime.now(UTC) - span).date()
        return lambda book, _: (found := released(book)) is not None and found >= since
    limit = _moment(leaf.get("dateTime"))
    if limit is None or operator not in ("after", "before"):
        return _everything
    if operator == "after":
        return lambda book, _: (found := released(book)) is not None and found > limit
    return lambda book, _: (found := released(book)) is not None and found < limit


def _text(operator: str, wanted: str, text: Callable[[BookView], str]) -> Predicate:
    folded = wanted.casefold()
    tests: dict[str, Callable[[str], bool]] = {
        "is": lambda value: value == folded,
        "isnot": lambda value: value != folded,
        "contains": lambda value: folded in value,
        "doesnotcontain": lambda value: folded not in value,
        "beginswith": lambda value: value.startswith(folded),
        "doesnotbeginwith": lambda value: not value.startswith(folded),
        "endswith": lambda value: value.endswith(folded),
        "doesnotendwith": lambda value: not value.endswith(folded),
    }
    test = tests.get(operator)
    if test is None:
        return _everything
    return lambda book, _: test(text(book).casefold())


def _equal(operator: str, matches: Callable[[BookView, SeriesView], bool]) -> Predicate:
    if operator == "is":
        return matches
    if operator == "isnot":
        return lambda book, series: not matches(book, series)
    return _everything


def _author(value: Any) -> Callable[[BookView, SeriesView], bool]:
    name = str(value.get("name") or "").casefold() if isinstance(value, dict) else ""
    role = str(value.get("role") or "").casefold() if isinstance(value, dict) else ""
    return lambda book, _: any(
        (not name or a.name.casefold() == name) and (not role or a.role == role)
        for a in authors_of(book.comic.comic_info)
    )


def _leaf(key: str, leaf: Mapping[str, Any], lists: Mapping[str, frozenset[int]]) -> Predicate:
    operator = str(leaf.get("operator", "")).lower()
    value = leaf.get("value")
    wanted = "" if value is None or isinstance(value, dict) else str(value).strip()
    if key == "readListId":
        members = lists.get(wanted, frozenset())
        return _equal(operator, lambda book, _: book.comic.id in members)
    if key in ("deleted", "oneShot"):
        # Nothing is deleted and nothing is a one-shot.
        return (lambda book, series: False) if operator == "istrue" else _everything
    if key == "releaseDate":
        return _release(leaf, operator)
    if key == "title":
        return _text(operator, wanted, title_of)
    if key == "author":
        return _equal(operator, _author(value))
    simple: dict[str, Callable[[BookView, SeriesView], bool]] = {
        "seriesId": lambda book, series: str(series.id) == wanted,
        "libraryId": lambda book, series: str(book.comic.library_id) == wanted,
        "readStatus": lambda book, series: book_status(book) == wanted.upper(),
        "mediaStatus": lambda book, series: _media(book) == wanted.upper(),
        "tag": lambda book, series: wanted.casefold() in _tags(book),
    }
    return _equal(operator, simple[key]) if key in simple else _everything


def condition(node: Any, lists: Mapping[str, frozenset[int]] | None = None) -> Predicate:
    """The predicate of one condition node; anything unreadable matches every book.
    ``lists``: the comic ids of each read list a ``readListId`` leaf names (none: empty)."""
    if not isinstance(node, dict):
        return _everything
    for group, combine in (("allOf", all), ("anyOf", any)):
        children = node.get(group)
        if isinstance(children, list):
            if not children:
                return _everything
            parts = [condition(child, lists) for child in children]
            return lambda book, series: combine(part(book, series) for part in parts)
    for key, leaf in node.items():
        if key != "type" and isinstance(leaf, dict):
            return _leaf(key, leaf, lists or {})
    return _everything


def mentioned(node: Any, key: str) -> set[str]:
    """Every value a leaf ``key`` anywhere in ``node`` compares with, whatever its operator."""
    if not isinstance(node, dict):
        return set()
    found: set[str] = set()
    for name, child in node.items():
        if name in ("allOf", "anyOf") and isinstance(child, list):
            found.update(value for item in child for value in mentioned(item, key))
        elif name == key and isinstance(child, dict) and child.get("value") is not None:
            found.add(str(child["value"]).strip())
    return found


def narrowed(node: Any, key: str) -> set[str] | None:
    """The only values of leaf ``key`` (``is``) a book matching ``node`` can have, or None
    when the node does not pin them down: lets a series' chapter list read that series only."""
    if not isinstance(node, dict):
        return None
    if isinstance(node.get("allOf"), list):
        found = [narrowed(child, key) for child in node["allOf"]]
        pinned = [values for values in found if values is not None]
        return set.intersection(*pinned) if pinned else None
    if isinstance(node.get("anyOf"), list):
        found = [narrowed(child, key) for child in node["anyOf"]]
        if not found or any(values is None for values in found):
            return None
        return set().union(*(values for values in found if values is not None))
    leaf = node.get(key)
    if isinstance(leaf, dict) and str(leaf.get("operator", "")).lower() == "is":
        return {str(leaf.get("value", "")).strip()}
    return None


def _media(book: BookView) -> str:
    return "ERROR" if book.comic.error else "READY"


def _authors(raw: Sequence[str]) -> list[tuple[str, str]]:
    # ``author=<name>,<role>`` repeats; a name may hold commas, so split at the last one.
    found = []
    for value in raw:
        name, comma, role = value.rpartition(",")
        if not comma:
            name, role = role, ""
        if name.strip():
            found.append((name.strip().casefold(), role.strip().casefold()))
    return found


def _by_any(book: BookView, wanted: list[tuple[str, str]]) -> bool:
    return any(
        a.name.casefold() == name and (not role or a.role == role)
        for a in authors_of(book.comic.comic_info)
        for name, role in wanted
    )


def parameters(query: Mapping[str, Sequence[str]]) -> Predicate:
    """The filters of ``GET /api/v1/books`` and ``GET /api/v1/series/{id}/books``: OR within
    a parameter, AND across."""
    search = (first_value(query, "search") or "").strip().casefold()
    media = {v.upper() for v in values(query, "media_status")}
    status = {v.upper() for v in values(query, "read_status")}
    tags = {v.casefold() for v in values(query, "tag")}
    after = _moment(first_value(query, "released_after") or "")
    deleted = (first_value(query, "deleted") or "").strip().lower() == "true"
    authors = _authors(query.get("author", ()))

    def keep(book: BookView, series: SeriesView) -> bool:
        released = release_date(book.comic.comic_info)
        return (
            not deleted
            and searched(book, search)
            and (not media or _media(book) in media)
            and (not status or book_status(book) in status)
            and (not tags or bool(tags.intersection(_tags(book))))
            and (after is None or (released is not None and released > after))
            and (not authors or _by_any(book, authors))
        )

    return keep
