"""OPDS 1.2 routes (placeholder until the Atom catalog lands)."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

OPDS_V1_HANDLERS: tuple[ControllerRouterHandler, ...] = ()
