"""Reading-list files: CBL (ComicBookReadingList XML), read and written."""

from __future__ import annotations

from bagboard.adapters.readlists.cbl import parse_cbl, read_cbl, write_cbl

__all__ = ["parse_cbl", "read_cbl", "write_cbl"]
