"""Browsing computed from a ``MemoryLibraryIndex``'s current contents: the folder browser
(``folder_browser.py``) and the metadata browser (``metadata_browser.py``), named here together
as the memory twins of the SQL browsers.

Each call takes one consistent view of the index and works on it in Python. The orders, keys
and search rules are those of the SQL adapters (the contract suite runs both): natural order is
``natural_sort_text`` of the name, then the raw name, then the id; groups are keyed by
``grouping_key`` and listed in natural order of their key, then by the key itself.
"""

from __future__ import annotations

from bagboard.adapters.memory.browse_rows import comic_row
from bagboard.adapters.memory.folder_browser import MemoryFolderBrowser
from bagboard.adapters.memory.metadata_browser import MemoryMetadataBrowser

__all__ = ["MemoryFolderBrowser", "MemoryMetadataBrowser", "comic_row"]
