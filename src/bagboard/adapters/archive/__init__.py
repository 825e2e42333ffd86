"""Comic archives on disk: CBZ (zip), CBR (rar), CB7 (7z), CBT (tar), PDF, and ComicInfo.xml."""

from __future__ import annotations

from bagboard.adapters.archive.comicinfo import parse_comicinfo
from bagboard.adapters.archive.reader import FileArchiveReader

__all__ = ["FileArchiveReader", "parse_comicinfo"]
