"""The statements behind the filesystem layouts beyond the reference's (``domain.folder_layout``):
publishers that hold comics themselves, and the folders deeper than a series.

Deeper folders are found by one recursive walk down ``parent_id`` (indexed), entering only
folders that hold comics somewhere below (``comic_count > 0``), so it reads the comic-bearing
part of the subtrees it starts from and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import ColumnElement, Select, bindparam, case, exists, func, or_, select

from bagboard.adapters.storage.db.lean import LeanConnection, Prepared
from bagboard.adapters.storage.db.tables import comics, folders
from bagboard.domain.browse import SERIES_DEPTH, FolderRow
from bagboard.domain.folder_layout import nested_series, row_key

__all__ = ["FOLDER_COLUMNS", "Layout", "LayoutStatements", "direct_count", "holds_comics"]

# A publisher's own series (self entries), and its mixed series folders by id, each with its
# nested series (see ``domain.folder_layout``).
Layout = tuple[list[FolderRow], dict[int, tuple[FolderRow, list[FolderRow]]]]

FOLDER_COLUMNS = (
    folders.c.id,
    folders.c.library_id,
    folders.c.parent_id,
    folders.c.path,
    folders.c.name,
    folders.c.depth,
    folders.c.has_thumbnail,
)


def direct_count(folder_id: ColumnElement[int]) -> ColumnElement[int]:
    return select(func.count()).where(comics.c.folder_id == folder_id).scalar_subquery()


def holds_comics(folder_id: ColumnElement[int]) -> ColumnElement[bool]:
    return exists().where(comics.c.folder_id == folder_id)


def _below() -> Select[tuple[int, int]]:
    """(id, top) of every comic-bearing folder below the folders ``tops`` (a list parameter)
    names, ``top`` being the one it descends from."""
    first = folders.alias("first")
    anchor = select(first.c.id.label("id"), first.c.parent_id.label("top")).where(
        first.c.parent_id.in_(bindparam("tops", expanding=True)), first.c.comic_count > 0
    )
    tree = anchor.cte("tree", recursive=True)
    down = folders.alias("down")
    tree = tree.union_all(
        select(down.c.id, tree.c.top).where(down.c.parent_id == tree.c.id, down.c.comic_count > 0)
    )
    return select(tree.c.id, tree.c.top)


class LayoutStatements:
    """Built once per browser; each runs on the lean path."""

    def __init__(self) -> None:
        # Publishers: the depth-1 folders, and the roots that hold comics directly (counting
        # only those: their subfolders are publishers of their own).
        own_count = case(
            (folders.c.depth == 0, direct_count(folders.c.id)), else_=folders.c.comic_count
        ).label("comic_count")
        self.publisher_columns = select(*FOLDER_COLUMNS, own_count)
        self.is_publisher = (
            folders.c.depth <= 1,
            or_(folders.c.depth == 1, holds_comics(folders.c.id)),
        )
        # The given roots and publisher folders that hold comics directly: their own series.
        self.own = Prepared(
            select(*FOLDER_COLUMNS, direct_count(folders.c.id).label("comic_count")).where(
                folders.c.id.in_(bindparam("ids", expanding=True)), holds_comics(folders.c.id)
            )
        )
        # Mixed series folders: children of the given publishers holding comics directly and
        # a comic-bearing subfolder.
        sub = folders.alias("sub")
        self.mixed = Prepared(
            select(*FOLDER_COLUMNS, folders.c.comic_count).where(
                folders.c.parent_id.in_(bindparam("parents", expanding=True)),
                holds_comics(folders.c.id),
                exists().where(sub.c.parent_id == folders.c.id, sub.c.comic_count > 0),
            )
        )
        # Folders holding comics directly anywhere below the given folders, with the one each
        # was reached from.
        walk = _below().subquery("walk")
        self.holding_below = Prepared(
            select(*FOLDER_COLUMNS, folders.c.comic_count, walk.c.top)
            .join_from(folders, walk, folders.c.id == walk.c.id)
            .where(holds_comics(folders.c.id))
        )

    def own_and_nested(
        self, conn: LeanConnection, own_ids: Sequence[int], tops: Sequence[int]
    ) -> Layout:
        """The self entries among ``own_ids``, and the mixed series folders below ``tops``
        (publisher folders) with their nested series."""
        own = [FolderRow(*row) for row in conn.all(self.own, ids=own_ids)] if own_ids else []
        own.sort(key=row_key)
        mixed = [FolderRow(*row) for row in conn.all(self.mixed, parents=tops)] if tops else []
        below: dict[int, list[FolderRow]] = {}
        if mixed:
            for *row, top in conn.all(self.holding_below, tops=[m.id for m in mixed]):
                below.setdefault(top, []).append(FolderRow(*row))
        return own, {m.id: (m, nested_series(m, below.get(m.id, []))) for m in mixed}

    def deeper(
        self,
        conn: LeanConnection,
        shaped: Sequence[tuple[int, str, int, int]],
        deep: Mapping[int, int],
    ) -> dict[str, list[str]]:
        """For the series folders among ``shaped`` (id, path, depth, direct count) that hold
        no comic directly, the paths below them of the folders holding comics two or more
        levels down; ``deep`` maps each subfolder with comics below it to its parent."""
        series = {
            folder_id: path
            for folder_id, path, depth, direct in shaped
            if depth == SERIES_DEPTH and not direct
        }
        starts = {child: series[parent] for child, parent in deep.items() if parent in series}
        found: dict[str, list[str]] = {}
        if starts:
            for *row, top in conn.all(self.holding_below, tops=list(starts)):
                base = starts[top]
                found.setdefault(base, []).append(FolderRow(*row).path[len(base) + 1 :])
        return found
