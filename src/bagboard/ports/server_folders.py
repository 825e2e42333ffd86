from __future__ import annotations

from typing import Protocol

from bagboard.domain.server_status import FolderChoice

__all__ = ["ServerFolders"]


class ServerFolders(Protocol):
    """The server's folders, as an owner picks one to make a library of.

    Only folder names are read, never a file's content or name.
    """

    def choose(self, path: str) -> FolderChoice:
        """The folder at ``path`` (absolute), symbolic links resolved, with its subfolders
        (hidden ones and ones it cannot enter left out, at most ``MAX_SUBFOLDERS``, then
        ``truncated``). Raises ``InvalidPath`` when ``path`` is not absolute, is missing, is not
        a folder or cannot be listed; the message never names the path."""
        ...
