"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browse_support import BACKENDS, World, browse_world


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The browse world (an index scanned from real comics, served by the app), once per
    module and backend. Modules that need another world define their own ``world``."""
    with browse_world(request.param, tmp_path_factory) as built:
        yield built
