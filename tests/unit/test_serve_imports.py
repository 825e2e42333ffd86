"""What a server keeps loaded: nothing it has not used (each of these takes megabytes a
process, for good, once imported)."""

from __future__ import annotations

from pathlib import Path

from tests.archive_factory import jpeg, write_cbz
from tests.python_runs import python_output

# Imported only by what needs it: another database, another container format, another
# command, or an index that is not at the newest migration yet.
UNUSED = ("alembic", "bagboard.conformance", "httpx", "psycopg", "py7zr", "pypdfium2")

# What ``bagboard serve`` does before its first request, in a fresh interpreter: the command
# line parsed (every command's module loaded), the storage prepared, the formats listed, the
# app built, the library scanned; then which of UNUSED it loaded.
SERVE = f"""
import sys
from bagboard.cli import build_parser
from bagboard.config import load_settings
from bagboard.library import ComicLibrary

build_parser()
app = ComicLibrary.from_settings(load_settings(data_dir=sys.argv[1]), workers=0)
app.prepare_storage()
app.formats()
app.create_app()
app.scan(sys.argv[2])
app.close()
print(" ".join(name for name in {UNUSED!r} if name in sys.modules))
"""


def _serve(data: Path, library: Path) -> str:
    return python_output("-c", SERVE, str(data), str(library)).strip()


def test_a_server_of_cbz_comics_on_sqlite_loads_nothing_it_does_not_use(tmp_path: Path) -> None:
    library = tmp_path / "comics"
    library.mkdir()
    write_cbz(library / "Ember 001.cbz", {"01.jpg": jpeg((200, 40, 40))})
    # The first start creates the database through Alembic; the next finds it up to date.
    assert "alembic" in _serve(tmp_path / "data", library)
    assert _serve(tmp_path / "data", library) == ""
