"""Deterministic generator of a synthetic comic library, for benchmarks and ``bagboard demo``.

``make_library(root, comics, seed=...)`` writes publisher folders, series folders (a fifth of them
split into ``v1971``-style volume folders) and issue files named like
``Series Name 001 (1999).cbz``. The same seed and arguments give the same tree, bytes and
modification times, so benchmark runs compare like with like, and a re-run skips the files that
already exist and so finishes a partial library.

Mostly CBZ (stored JPEG pages and a ComicInfo.xml), plus about 2% CB7, 2% CBR, 0.2% corrupt files
and the oddities real libraries have: non-ASCII and ``#``/``&`` series names, comics without
ComicInfo, publishers spelled in another case, pages in a sub-folder, ``folder.jpg`` images.

RAR cannot be written with free tools, so every CBR is a byte copy of
``demo/data/template-stored.cbr`` (three stored pages); its ComicInfo says Series "Fixture Series"
whatever its file name says.

Page images are rendered once per run into a small pool and reused, so the run is I/O-bound; each
copy gets a JPEG comment naming its comic, which keeps page bytes unique without re-encoding.
"""

from __future__ import annotations

from bagboard.demo.library import LibrarySummary, make_library
from bagboard.demo.mix import PLAIN, VARIED, Mix
from bagboard.demo.model import LIBRARY_END, LIBRARY_START

__all__ = [
    "LIBRARY_END",
    "LIBRARY_START",
    "PLAIN",
    "VARIED",
    "LibrarySummary",
    "Mix",
    "make_library",
]
