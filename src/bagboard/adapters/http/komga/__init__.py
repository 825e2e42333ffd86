"""``/komga``: a Komga-compatible API for Mihon, Komelia, KMReader, Aidoku and Paperback."""

from bagboard.adapters.http.komga.router import komga_router

__all__ = ["komga_router"]
