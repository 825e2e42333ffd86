"""The ``operationId`` of each operation: what a generated client names its function after."""

from __future__ import annotations

import re
from typing import Any

from litestar.handlers.http_handlers import HTTPRouteHandler
from litestar.types.internal_types import PathParameterDefinition

__all__ = ["operation_id"]

_WORD = re.compile(r"[^0-9A-Za-z]+")


def operation_id(
    handler: HTTPRouteHandler, method: Any, path: list[str | PathParameterDefinition]
) -> str:
    """``getIssueByIssueIdPages`` for ``GET /api/v1/issue/{issue_id}/pages``: the method and
    the path below ``/api/v1``, a path parameter as ``By<Name>`` (Litestar's default repeats
    the prefix and the handler's name: ``ApiV1AuthPingGetPing``)."""
    del handler
    words = [str(getattr(method, "value", method)).lower()]
    parameters = {part.name for part in path if isinstance(part, PathParameterDefinition)}
    names = [part.name if isinstance(part, PathParameterDefinition) else part for part in path]
    names = [name for name in names if name]
    if names[:2] == ["api", "v1"]:
        names = names[2:]
    for name in names:
        prefix = "By" if name in parameters else ""
        words.append(prefix + "".join(word.title() for word in _WORD.split(name)))
    return "".join(words)
