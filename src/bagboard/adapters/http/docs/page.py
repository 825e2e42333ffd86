"""``GET /api/v1/docs``: the OpenAPI document (``openapi.py``) rendered as one HTML page; what
it shows of each operation is read by ``operations.py``.

Self-contained on purpose: no script, font, stylesheet or image is fetched, so the page reads the
same on a machine without internet. Every text taken from the document is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any, Final

import msgspec

from bagboard.adapters.http.docs.operations import (
    Document,
    body_schema,
    curl,
    file_body,
    operations,
    resolve,
    shown_answers,
    shown_body,
    success,
    type_name,
)

__all__ = ["GATE_RESPONSES", "render"]

_CODE: Final = re.compile(r"``?([^`]+)``?")
_STYLE: Final = """
body{font:15px/1.5 system-ui,sans-serif;max-width:62rem;margin:0 auto;padding:1rem 1.5rem;
color:#1d1d1f;background:#fff}
h1{font-size:1.7rem}h2{border-bottom:2px solid #ddd;margin-top:2.5rem}
h3{font-size:1.05rem;margin:0}code,pre{font:13px/1.4 ui-monospace,monospace}
pre{background:#f4f4f6;padding:.6rem .8rem;overflow-x:auto;border-radius:4px}
table{border-collapse:collapse;margin:.4rem 0 .8rem}td,th{border:1px solid #ddd;
padding:.2rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f6}
.endpoint{border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
.method{display:inline-block;min-width:3.5rem;font-weight:bold;color:#0b5cad}
.required{color:#a4161a;font-weight:bold}
"""

# The gate's answers, as openapi.py names them in components.responses.
GATE_RESPONSES: Final = (("401", "Unauthorized"), ("503", "ApiDisabled"))


def _text(value: Any) -> str:
    """Escape, then show `backquoted` words as code."""
    return _CODE.sub(r"<code>\1</code>", html.escape(str(value)))


def _pretty(value: Any) -> str:
    return msgspec.json.format(msgspec.json.encode(value), indent=2).decode()


def _parameters(document: Document, operation: Mapping[str, Any]) -> str:
    rows = []
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        default = schema.get("default")
        required = '<span class="required">required</span>' if parameter.get("required") else ""
        rows.append(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td>{}</td></tr>".format(
                html.escape(parameter["name"]),
                required,
                html.escape(parameter.get("in", "")),
                html.escape(type_name(document, schema)),
                "" if default is None else f"<code>{html.escape(str(default))}</code>",
                _text(parameter.get("description") or schema.get("description") or ""),
            )
        )
    if not rows:
        return "<p>No parameters.</p>"
    head = "<tr><th>name</th><th></th><th>in</th><th>type</th><th>default</th><th>meaning</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def _fields(document: Document, schema: Mapping[str, Any]) -> str:
    target = resolve(document, schema)
    required = set(target.get("required", []))
    rows = [
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>".format(
            html.escape(name),
            html.escape(type_name(document, sub)),
            "required" if name in required else "optional",
        )
        for name, sub in target.get("properties", {}).items()
    ]
    return f"<table><tr><th>field</th><th>type</th><th></th></tr>{''.join(rows)}</table>"


def _responses(document: Document, operation: Mapping[str, Any]) -> str:
    items = []
    for status, response in operation.get("responses", {}).items():
        text = resolve(document, response).get("description", "")
        items.append(f"<li><code>{html.escape(status)}</code> {_text(text)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _example_responses(document: Document, operation: Mapping[str, Any]) -> list[str]:
    """The success answer: its JSON (one per mode where the answer differs by mode), or for an
    image, a file or a page, its status line and headers with the body described."""
    status, media_type, media = success(document, operation)
    if media is not None and media_type == "application/json":
        parts = []
        for label, value in shown_answers(document, media):
            suffix = f", {label}" if label else ""
            parts += [
                f"<h4>Example response ({html.escape(status + suffix)})</h4>",
                f"<pre>{html.escape(_pretty(value))}</pre>",
            ]
        return parts
    response = resolve(document, operation.get("responses", {}).get(status, {}))
    lines = [f"HTTP/1.1 {status}"]
    if media_type:
        lines.append(f"Content-Type: {media_type}")
    lines += [f"{name}: …" for name in response.get("headers", {})]
    if media_type:
        text = response.get("description") or "body"
        lines += ["", f"<{text}: the {media_type} bytes>"]
    return [
        f"<h4>Example response ({html.escape(status)})</h4>",
        f"<pre>{html.escape(chr(10).join(lines))}</pre>",
    ]


def _endpoint(
    document: Document, base_url: str, methods: list[str], path: str, op: Mapping[str, Any]
) -> str:
    parts = [
        f'<section class="endpoint" id="{html.escape(methods[0] + path)}">',
        "<h3>"
        + " ".join(f'<span class="method">{m}</span>' for m in methods)
        + f" <code>{html.escape(path)}</code></h3>",
        f"<p>{_text(op.get('description') or op.get('summary') or '')}</p>",
        "<h4>Parameters</h4>",
        _parameters(document, op),
    ]
    body = body_schema(op)
    if body is not None:
        parts += [
            "<h4>Request body (JSON)</h4>",
            _fields(document, body),
            f"<pre>{html.escape(_pretty(shown_body(document, op)))}</pre>",
        ]
    sent_file = file_body(op)
    if sent_file is not None:
        media_type, shown = sent_file
        parts.append(f"<h4>Request body (a file, {html.escape(media_type)})</h4>")
        if shown is not None:
            parts.append(f"<pre>{html.escape(str(shown))}</pre>")
    parts += ["<h4>Responses</h4>", _responses(document, op)]
    parts += _example_responses(document, op)
    line = curl(document, base_url, methods[0], path, op)
    parts += ["<h4>cURL</h4>", f"<pre>{html.escape(line)}</pre>", "</section>"]
    return "\n".join(parts)


def _grouped(document: Document) -> dict[str, list[tuple[list[str], str, Mapping[str, Any]]]]:
    """Operations by tag; a HEAD that mirrors a GET is shown with it."""
    groups: dict[str, list[tuple[list[str], str, Mapping[str, Any]]]] = {}
    seen: dict[tuple[str, str], list[str]] = {}
    for method, path, operation in operations(document):
        key = (path, str(operation.get("description")))
        if method == "HEAD" and key in seen:
            seen[key].append(method)
            continue
        methods = [method]
        seen[key] = methods
        tag = (operation.get("tags") or ["other"])[0]
        groups.setdefault(tag, []).append((methods, path, operation))
    return groups


def _intro(document: Document) -> str:
    schemes = document.get("components", {}).get("securitySchemes", {})
    responses = document.get("components", {}).get("responses", {})
    auth = [f"<li>{_text(s.get('description', ''))}</li>" for s in schemes.values()]
    for status, name in GATE_RESPONSES:
        text = _text(responses.get(name, {}).get("description", ""))
        auth.append(f"<li><code>{status}</code> {text}</li>")
    return "\n".join(
        [
            '<h2 id="authentication">Authentication</h2>',
            "<p>Every endpoint except this page and the OpenAPI document needs a token:</p>",
            f"<ul>{''.join(auth)}</ul>",
            '<h2 id="pagination">Pagination</h2>',
            "<p>Every list takes <code>page</code> (from 1, default 1) and "
            "<code>page_size</code> (default 50, clamped to 1..200) and answers the envelope "
            "<code>{items, total, page, page_size, total_pages, has_more}</code>: "
            "<code>total_pages</code> is <code>ceil(total / page_size)</code> (0 when there is "
            "nothing), <code>has_more</code> is <code>page &lt; total_pages</code>; a page past "
            "the end has no items and <code>has_more: false</code>.</p>",
            '<h2 id="errors">Errors</h2>',
            "<p>Every error, unknown routes and wrong methods included, is a JSON object "
            '<code>{"error": "&lt;code&gt;", "message": "&lt;text&gt;"}</code>.</p>',
        ]
    )


def _opds(base_url: str) -> str:
    """How reader apps that speak OPDS reach the same library (README "Reading with OPDS")."""
    base = html.escape(base_url)
    return "\n".join(
        [
            '<h2 id="opds">OPDS catalogs</h2>',
            "<p>Reader apps that speak OPDS use the same tokens, libraries and reading "
            "progress:</p>",
            "<table><tr><th>catalog</th><th>address</th><th>readers</th></tr>",
            f"<tr><td>OPDS 1.2 (Atom, page streaming)</td><td><code>{base}/opds/v1.2/catalog"
            "</code></td><td>Panels, Chunky, KOReader, Moon+ Reader, Librera, KyBook</td></tr>",
            f"<tr><td>OPDS 2.0 (JSON, DiViNa, progression)</td><td><code>{base}/opds/v2.0/"
            "catalog</code></td><td>ComicCatcher, Cantook, Readest</td></tr></table>",
            "<p>Log in with <strong>any user name</strong> and <strong>the token as the "
            "password</strong>; <code>Authorization: Bearer</code> and <code>X-API-Key</code> "
            "work too. Without a login every OPDS address answers 401 with "
            "<code>WWW-Authenticate: Basic</code> and the authentication document "
            f"(<code>{base}/opds/v2.0/auth</code>, public).</p>",
            "<ul><li>OPDS 1.2 page streaming is 0-based and always JPEG; the advertised "
            "address ends in <code>&amp;track=1</code>, so streaming a page moves your "
            "position forward, never back. <code>pse:lastRead</code> counts from 1.</li>"
            "<li>OPDS 2.0 publications link a DiViNa manifest "
            "(<code>/opds/v2.0/issue/&lt;id&gt;/manifest</code>) whose pages are "
            "<code>/api/v1/issue/&lt;id&gt;/page/&lt;n&gt;</code>, and a progression document "
            "(<code>/opds/v2.0/issue/&lt;id&gt;/progression</code>, GET and PUT; an older "
            "<code>modified</code> than the stored one is refused with 409).</li>"
            "<li>A position written through <code>/api/v1/progress</code>, OPDS 2 progression "
            "or page streaming is one stored position, seen by all three.</li></ul>",
        ]
    )


def render(document: Document, base_url: str) -> str:
    """The whole page. ``base_url`` (scheme and host) starts every cURL line."""
    info = document.get("info", {})
    title = html.escape(str(info.get("title", "API")))
    groups = _grouped(document)
    tags = {t["name"]: t.get("description", "") for t in document.get("tags", [])}
    toc = []
    body = []
    for tag, entries in groups.items():
        body.append(f'<h2 id="tag-{html.escape(tag)}">{html.escape(tag)}</h2>')
        body.append(f"<p>{_text(tags.get(tag, ''))}</p>")
        for methods, path, operation in entries:
            anchor = html.escape(methods[0] + path)
            toc.append(f'<li><a href="#{anchor}">{methods[0]} {html.escape(path)}</a></li>')
            body.append(_endpoint(document, base_url, methods, path, operation))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title><style>{_STYLE}</style></head><body>",
            f"<h1>{title} <small>{html.escape(str(info.get('version', '')))}</small></h1>",
            f"<p>{_text(info.get('description', ''))}</p>",
            '<p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>',
            '<ul><li><a href="#authentication">Authentication</a></li>'
            '<li><a href="#pagination">Pagination</a></li>'
            '<li><a href="#errors">Errors</a></li>'
            '<li><a href="#opds">OPDS catalogs</a></li></ul>',
            f"<ul>{''.join(toc)}</ul>",
            _intro(document),
            _opds(base_url),
            *body,
            "</body></html>",
        ]
    )
