"""OPDS catalogs for the reader apps that speak it: 1.2 (Atom + page streaming) and 2.0 (JSON +
DiViNa + progression), two renderings of one catalog (``catalog.py``) over the same services
and the same progress store as ``/api/v1``."""

__all__: list[str] = []
