"""How any folder layout maps onto filesystem-mode publishers, series and volumes (contract §4).

The reference reaches only ``Root/Publisher/Series(/volume)/issue``. Three more rules make
every folder that holds comics reachable, and leave that layout exactly as it was:

- **A publisher holds comics itself.** A library root holding comics directly is a publisher
  (named by its folder), and a publisher folder (depth 1) holding comics directly is also its
  own first series (``Library/Series/issue``, as Komga and Kavita libraries are laid out). Such
  a *self entry* counts the comics directly inside it: its subfolders are listed beside it.
- **A series folder holds comics and subfolders** (a *mixed* series, depth 2): every folder
  below it that holds comics directly is listed as a series of its own, named by its path
  below the publisher (``Watchmen/Extras``), right after the series folder.
- **A series folder with no comic of its own** is a multi-volume series whose ``volumes`` are
  every folder below it holding comics directly, named by path below the series folder
  (``v1985``, or ``Arc 1/v2`` when deeper). In the reference's layout these are its subfolders.

Rows keep the index's values; only the display ``name`` of a nested series changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from bagboard.domain.browse import FolderRow
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest

__all__ = [
    "PUBLISHER_DEPTH",
    "children_window",
    "has_own_series",
    "lists_children",
    "merge_series",
    "nested_key",
    "nested_series",
    "path_parts",
    "row_key",
]

PUBLISHER_DEPTH = 1


def has_own_series(folder: FolderRow) -> bool:
    """Whether ``folder``, holding comics directly, is listed as its own series: a root or a
    publisher folder is (a deeper folder is already a series or a volume)."""
    return folder.depth <= PUBLISHER_DEPTH


def lists_children(folder: FolderRow) -> bool:
    """Whether the series of ``folder`` include its subfolders: a root's subfolders are
    publishers, not series."""
    return folder.depth >= PUBLISHER_DEPTH


def row_key(row: FolderRow) -> tuple[str, str, int]:
    """The folder browser's order: natural name, the raw name, then the id (the SQL order of
    ``name_sort``, the name compared by code point, and the id)."""
    return (natural_sort_text(row.name), row.name, row.id)


def path_parts(relative: str) -> list[str]:
    """The names along a relative path such as ``Arc 1/v2`` (empty and ``.`` parts dropped;
    ``..`` is refused before this by ``check_path_part``). Only ``/`` separates: a backslash
    may be part of a folder's name."""
    return [part for part in relative.split("/") if part not in ("", ".")]


def nested_key(relative: str, row_id: int) -> tuple[tuple[tuple[str, str], ...], int]:
    """Order of the nested series of one series folder: natural order name by name along
    their path below it (a folder's own nested folders follow it), then the id."""
    return (tuple((natural_sort_text(part), part) for part in relative.split("/")), row_id)


def nested_series(top: FolderRow, below: Sequence[FolderRow]) -> list[FolderRow]:
    """The folders ``below`` a mixed series folder ``top`` (those holding comics directly) as
    series entries: named ``<top>/<path below top>``, in ``nested_key`` order."""
    base = top.path.rstrip("/") + "/"
    relative = [(row.path[len(base) :], row) for row in below if row.path.startswith(base)]
    relative.sort(key=lambda item: nested_key(item[0], item[1].id))
    return [replace(row, name=f"{top.name}/{rel}") for rel, row in relative]


def children_window(own: int, nested: int, page: PageRequest) -> tuple[int, int]:
    """Which children (offset, limit) hold the entries of ``page``, when ``own`` self entries
    come first and ``nested`` entries follow some of the children: a child's place in the
    merged list is its own index plus the self entries plus at most every nested entry."""
    end = page.offset + page.limit - own
    start = max(0, page.offset - own - nested)
    return start, max(1, end - start)


def merge_series(
    own: Sequence[FolderRow],
    nested: Mapping[int, tuple[FolderRow, Sequence[FolderRow]]],
    start: int,
    window: Sequence[FolderRow],
    children_total: int,
    page: PageRequest,
) -> Page[FolderRow]:
    """One page of series entries: the self entries, then each child followed by its nested
    series. ``window`` holds the children from index ``start`` on (``children_window``);
    ``nested`` maps the id of a mixed series folder to that folder and its nested series
    (``nested_series``)."""
    first, last = page.offset, page.offset + page.limit
    items = list(own[first:last])
    if window:
        # The nested series of children before the window shift it right.
        head = row_key(window[0])
        place = len(own) + start
        place += sum(len(rows) for top, rows in nested.values() if row_key(top) < head)
        for child in window:
            _top, rows = nested.get(child.id, (child, ()))
            for row in (child, *rows):
                if first <= place < last:
                    items.append(row)
                place += 1
    total = len(own) + children_total + sum(len(rows) for _top, rows in nested.values())
    return Page(items, total, page)
