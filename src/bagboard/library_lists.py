"""What the ``ComicLibrary`` facade does after a scan, and its reading lists: kept apart so
the facade stays small."""

from __future__ import annotations

from collections.abc import Iterable

from bagboard.bootstrap import Container
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.scan.scanner import ScanReport
from bagboard.services.scan_jobs import indexed_new_comics

__all__ = ["AfterScanSteps"]


class AfterScanSteps:
    """Gives ``ComicLibrary`` its ``reading_lists`` service and ``after_scan``."""

    _container: Container

    @property
    def reading_lists(self) -> ReadingListService:
        """Reading lists: import a parsed CBL file, list, show, remove, export."""
        service: ReadingListService = self._container.reading_list_service()
        return service

    def after_scan(self, reports: Iterable[ScanReport]) -> None:
        """Attach waiting KOReader positions to comics a ``scanner()`` scan found, and resolve
        the reading-list entries waiting for them."""
        if any(indexed_new_comics(report) for report in reports):
            self._container.kosync_service().attach_orphans()
            self.reading_lists.resolve_pending()
