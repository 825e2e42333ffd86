"""The folder picker's view of the local disk: folder names only."""

from __future__ import annotations

import os
import posixpath
from typing import Final

from bagboard.domain.errors import InvalidPath
from bagboard.domain.server_status import FolderChoice
from bagboard.ports.server_folders import ServerFolders

__all__ = ["MAX_SUBFOLDERS", "LocalServerFolders"]

MAX_SUBFOLDERS: Final = 1000


class LocalServerFolders(ServerFolders):
    def choose(self, path: str) -> FolderChoice:
        if not path or "\x00" in path or not posixpath.isabs(path):
            raise InvalidPath("give an absolute folder path")
        # realpath resolves every link and every ``..``: what is listed is where they lead.
        real = os.path.realpath(path)
        names: list[str] = []
        truncated = False
        try:
            with os.scandir(real) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        if not entry.is_dir(follow_symlinks=True):
                            continue
                    except OSError:
                        continue
                    if len(names) == MAX_SUBFOLDERS:
                        truncated = True
                        break
                    names.append(entry.name)
        except NotADirectoryError:
            raise InvalidPath("that is not a folder") from None
        except FileNotFoundError:
            raise InvalidPath("no folder there") from None
        except OSError:
            raise InvalidPath("the server cannot open that folder") from None
        parent = posixpath.dirname(real) if real != "/" else None
        return FolderChoice(real, parent, tuple(sorted(names, key=str.casefold)), truncated)
