"""What the ``ComicLibrary`` facade does after a scan, and its reading lists: kept apart so
the facade stays small."""

from __future__ import annotations

from collections.abc import Iterable

from bagboard.bootstrap import Container
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.scan.scanner import ScanReport
from bagboard.services.scan_jobs import indexed_new_comics

__all__ = ["AfterScanSteps"]


class AfterScanSteps:
    """Gives ``ComicLibrary`` its ``reading_lists`` and ``reading_orders`` services and
    ``after_scan``."""

    _container: Container

    @property
    def reading_lists(self) -> ReadingListService:
        """Reading lists: import a parsed CBL file, list, show, remove, export."""
        service: ReadingListService = self._container.reading_list_service()
        return service

    @property
    def reading_orders(self) -> ReadingOrderService:
        """Reading lists and story arcs as readers see them, on deck, continue reading."""
        service: ReadingOrderService = self._container.reading_order_service()
        return service

    def after_scan(self, reports: Iterable[ScanReport]) -> None:
        """Run the container's ``after_scan`` steps (waiting KOReader positions, waiting
        reading-list entries) when a ``scanner()`` scan found new comics."""
        if any(indexed_new_comics(report) for report in reports):
            for step in self._container.after_scan():
                step()
