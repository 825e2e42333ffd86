"""KOReader's sync protocol (kosync) under ``/koreader`` (research note: koreader-sync.md)."""

from bagboard.adapters.http.koreader.errors import koreader_aware
from bagboard.adapters.http.koreader.router import koreader_router

__all__ = ["koreader_aware", "koreader_router"]
