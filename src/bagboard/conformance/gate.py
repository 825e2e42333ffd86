"""The auth gate, the transport rules and the public docs (contract §1, §2, §7)."""

from __future__ import annotations

import secrets
from typing import Final

from bagboard.adapters.http.errors import HTTP_ERROR_CODES
from bagboard.conformance.answers import describe, expect_error, expect_shape
from bagboard.conformance.discovery import Context
from bagboard.conformance.wire import PING
from bagboard.domain.errors import NotFound, Unauthorized

__all__ = ["DOCS_WORDS", "PING_PATH", "check_gate"]

PING_PATH: Final = "/auth/ping"
# §7: words the docs page must mention.
DOCS_WORDS: Final = ("Bearer", "total_pages", "has_more", "page_size")


def _refused_headers(token: str) -> dict[str, dict[str, str] | None]:
    """Ways of asking without a valid token, each owed a 401 ``unauthorized`` (§2)."""
    return {
        "missing-header": None,
        "wrong-token": {"Authorization": f"Bearer {token}x"},
        "unknown-token": {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"},
        # HTTP strips a header value's trailing space, so an empty token is the bare scheme.
        "empty-token": {"Authorization": "Bearer"},
        "scheme-basic": {"Authorization": f"Basic {token}"},
        # ``bearer <token>`` is left out: the reference refuses it, bagboard accepts it (RFC
        # 9110 §11.1, contract §2), and the contract requires neither answer.
        "no-scheme": {"Authorization": token},
    }


def check_gate(ctx: Context) -> None:
    client, report = ctx.client, ctx.report
    with report.guard("auth.ping"):
        ping = expect_shape(ctx, "auth.ping", client.get(PING_PATH), PING)
        if ping is not None:
            report.expect("auth.ping.ok", ping.get("ok"), True)
    for label, headers in _refused_headers(client.token).items():
        reply = client.get(PING_PATH, headers=headers, auth=False)
        expect_error(ctx, f"auth.{label}", reply, 401, Unauthorized.code)
    reply = client.get("/library/publishers", auth=False)
    expect_error(ctx, "auth.missing-header.list", reply, 401, Unauthorized.code)
    padded = client.get(PING_PATH, headers={"Authorization": f"Bearer \t {client.token}"})
    report.that("auth.token-trimmed", padded.status == 200, describe(padded), "200")

    docs = client.get("/docs", auth=False)
    text = docs.body.decode("utf-8", "replace")
    missing = [word for word in DOCS_WORDS if word not in text]
    report.that(
        "docs.public",
        docs.status == 200 and not missing,
        f"{docs.status}, missing {missing}" if missing else describe(docs),
        f"200 without a token, mentioning {', '.join(DOCS_WORDS)}",
    )
    for path in (PING_PATH, "/library/publishers"):
        head = client.head(path)
        report.that(
            f"transport.head{path.replace('/', '.')}",
            head.status == 200 and not head.body,
            f"{head.status} with {len(head.body)} bytes",
            "200 with no body, as GET answers 200",
        )
    _check_extensions(ctx)


def _check_extensions(ctx: Context) -> None:
    client, report = ctx.client, ctx.report
    keyed = client.get(PING_PATH, headers={"X-API-Key": client.token}, auth=False)
    report.that(
        "auth.x-api-key", keyed.status == 200, describe(keyed), "200 for X-API-Key", extension=True
    )
    unknown = client.get(f"/no-such-route-{secrets.token_hex(4)}")
    expect_error(ctx, "errors.unknown-route", unknown, 404, NotFound.code, extension=True)
    document = client.get("/openapi.json", auth=False)
    ok = document.status == 200 and document.body.lstrip().startswith(b"{")
    ok = ok and b'"openapi"' in document.body
    report.that(
        "docs.openapi", ok, describe(document), "200 with an OpenAPI document", extension=True
    )
    if not ctx.allow_writes:
        report.skipped(
            "errors.wrong-method",
            "needs a request other than GET/HEAD (--allow-writes)",
            extension=True,
        )
        return
    wrong = client.request("POST", PING_PATH, json={})
    if expect_error(ctx, "errors.wrong-method", wrong, 405, HTTP_ERROR_CODES[405], extension=True):
        report.that(
            "errors.wrong-method.allow",
            "GET" in wrong.headers.get("allow", ""),
            f"Allow: {wrong.headers.get('allow')!r}",
            "an Allow header naming GET",
            extension=True,
        )
