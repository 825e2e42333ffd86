"""The Jinja environment of the web pages, and the one way a handler answers with a page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from jinja2 import Environment, PackageLoader, select_autoescape
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template import TemplateConfig

from bagboard.adapters.http.web.assets import static_prefix
from bagboard.adapters.http.web.views import query

__all__ = ["PAGE_CACHE_CONTROL", "page", "template_config"]

# Every page shows one user's reading: kept by nobody else, revalidated by the browser.
PAGE_CACHE_CONTROL: Final = "private, no-cache"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bagboard.adapters.http.web", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static"] = static_prefix()
    env.globals["query"] = query
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(_environment()))


def page(
    name: str,
    request: Request[Any, Any, Any],
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Template:
    """The page ``name`` with the signed-in user (if any) and their CSRF token."""
    session = request.scope.get("auth")
    values = {
        "user": getattr(session, "user", None),
        "csrf_token": getattr(session, "csrf_token", ""),
        "path": request.url.path,
        **(context or {}),
    }
    return Template(
        template_name=name,
        context=values,
        status_code=status_code,
        headers={"Cache-Control": PAGE_CACHE_CONTROL, **(headers or {})},
    )
