"""The QR code a phone app scans after a token is created, drawn on the server as inline SVG.

What it encodes is ``phone_payload``: the token's secret alone. Reader apps that scan a code
do so into one field (the token, or the password of their server form), so the code holds
exactly what goes in that field; the server's address is printed beside it, short enough to
type. Nothing is loaded from another host and no script draws it.
"""

from __future__ import annotations

from typing import Final

import segno

__all__ = ["QR_ERROR_LEVEL", "phone_payload", "qr_svg"]

# Medium: survives a smudged screen or some glare, and keeps the code small enough for a
# phone camera at arm's length.
QR_ERROR_LEVEL: Final = "m"


def phone_payload(secret: str) -> str:
    """The text the QR code carries for a phone app: the API token."""
    return secret


def qr_svg(text: str, *, title: str) -> str:
    """``text`` as a QR code: an ``<svg>`` element to put in the page as it is, scaled by
    CSS, with ``title`` as its accessible name."""
    code = segno.make_qr(text, error=QR_ERROR_LEVEL)
    return str(
        code.svg_inline(
            scale=1,
            border=4,
            omitsize=True,
            title=title,
            dark="#000",
            light="#fff",
            svgclass="qr",
            lineclass=None,
        )
    )
