"""The web tests' collection, scanned once per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.web.support import WebWorld, web_world


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebWorld]:
    with web_world(tmp_path_factory.mktemp("web")) as world:
        yield world
