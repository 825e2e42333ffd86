"""Measured page lists, one row per comic (migration 0007).

A list is always read whole (``/issue/<id>/pages``), so it is kept as one JSON value rather
than a row per page. It belongs to one version of the file (``file_size``, ``file_mtime_ns``)
and goes with its comic.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, Table, Text

from bagboard.adapters.storage.db.columns import metadata

__all__ = ["page_lists"]

page_lists = Table(
    "page_lists",
    metadata,
    Column("comic_id", Integer, ForeignKey("comics.id", ondelete="CASCADE"), primary_key=True),
    Column("file_size", BigInteger, nullable=False),
    Column("file_mtime_ns", BigInteger, nullable=False),
    # [[name, width, height, size, media_type], ...] in reading order.
    Column("pages_json", Text, nullable=False),
)
