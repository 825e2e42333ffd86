"""What ``serve`` and ``demo`` say when they start: where the server can be reached, and the
addresses to give a browser or a reader app. Listening on every address (``0.0.0.0``, ``::``)
lists this machine's addresses on the local network, never an address no client can use.

On the first run (no owner has a password yet) it adds a one-time link to set the owner's
password: usable once, for ten minutes, only by a browser at the address it names. That is
this machine unless ``serve --setup-from ADDRESS`` names another (a headless server set up
from a laptop): a browser on the server itself connects from loopback, or from the address
the server listens on when that is a single one."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading

from bagboard.config import Settings
from bagboard.console import describe_storage
from bagboard.domain.web_sessions import SETUP_LINK_LIFETIME
from bagboard.services.web_sessions import WebSessionService
from bagboard.version import __version__

__all__ = [
    "WILDCARD_HOSTS",
    "banner",
    "lan_addresses",
    "server_urls",
    "setup_address",
    "setup_notice",
    "start_pages",
]

WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (names, not a bind)
# The pages a newcomer wants first, by label: the API's docs and each OPDS catalogue's start.
START_PAGES = (
    ("API docs", "/api/v1/docs"),
    ("OPDS 1.2", "/opds/v1.2/catalog"),
    ("OPDS 2.0", "/opds/v2.0/catalog"),
)
# Addresses a reader app asks for rather than a page: KOReader's "custom sync server".
SYNC_ADDRESSES = (("KOReader", "/koreader", "custom sync server"),)
# Asking the system for this machine's addresses may wait on a resolver; never longer than this.
LOOKUP_SECONDS = 1.0
# A private address to "connect" a UDP socket to: nothing is sent, but the system picks the
# interface (and so the address) it would route through.
_PROBE = ("10.255.255.255", 9)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, the one of its default route first.
    Never raises, and gives up (with what it found) after ``LOOKUP_SECONDS``."""
    found: list[str] = []

    def look() -> None:
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(_PROBE)
            found.append(s.getsockname()[0])
        with contextlib.suppress(OSError, UnicodeError):
            infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
            found.extend(str(info[4][0]) for info in infos)

    worker = threading.Thread(target=look, name="lan-addresses", daemon=True)
    worker.start()
    worker.join(LOOKUP_SECONDS)
    usable: list[str] = []
    for raw in list(found):
        try:
            address = ipaddress.ip_address(raw)
        except ValueError:
            continue
        if address.is_loopback or address.is_unspecified or address.is_link_local:
            continue
        if raw not in usable:
            usable.append(raw)
    return usable


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def server_urls(settings: Settings, lan: list[str] | None = None) -> list[str]:
    """Where a client reaches the server: this machine first, then, when listening on every
    address, each of the machine's network addresses (``lan``, looked up when not given)."""
    if settings.host not in WILDCARD_HOSTS:
        return [_url(settings.host, settings.port)]
    others = lan_addresses() if lan is None else lan
    return [_url("127.0.0.1", settings.port)] + [_url(a, settings.port) for a in others]


def start_pages(base: str) -> list[tuple[str, str]]:
    """The start pages under ``base`` (``http://host:port`` or a public URL), labelled."""
    return [(label, base.rstrip("/") + path) for label, path in START_PAGES]


def banner(settings: Settings, lan: list[str] | None = None, *, workers: int = 1) -> list[str]:
    """The start-up lines: version and storage, addresses, and the web app, the start pages
    and KOReader's sync address at the address a browser or a reader app should use (the
    public URL, else a network address, else this machine), and how many ``workers``
    processes answer requests."""
    urls = server_urls(settings, lan)
    lines = [f"bagboard {__version__}: {describe_storage(settings)}"]
    lines.append(f"listening on {urls[0]}" + (" (this machine)" if len(urls) > 1 else ""))
    lines.append(
        f"answering from {workers} worker processes" if workers > 1 else "answering from 1 process"
    )
    lines += [f"  on the local network: {url}" for url in urls[1:]]
    if settings.public_url:
        lines.append(f"readers reach it at {settings.public_url}")
    base = settings.public_url or urls[-1]
    lines.append(f"{'Web app:':10}{base.rstrip('/')}/")
    lines += [f"{label + ':':10}{url}" for label, url in start_pages(base)]
    lines += [
        f"{label + ':':10}{base.rstrip('/')}{path} ({what})" for label, path, what in SYNC_ADDRESSES
    ]
    return lines


def setup_address(settings: Settings, setup_from: str | None = None) -> str:
    """The client address the setup link is for: ``setup_from`` when given, else this
    machine as it reaches the server (loopback, or the one address the server listens on)."""
    if setup_from:
        return setup_from.strip()
    if settings.host in WILDCARD_HOSTS or _is_loopback(settings.host):
        return "127.0.0.1"
    return settings.host


def setup_notice(
    sessions: WebSessionService,
    settings: Settings,
    setup_from: str | None = None,
    *,
    lan: list[str] | None = None,
) -> list[str]:
    """The first-run lines: nothing once an owner has a password; else a fresh one-time link
    (``WebSessionService.issue_setup_link``) at an address the allowed client can reach.
    ``serve --workers N`` hands the link to its workers (``WebSessionService.setup_link``)."""
    if not sessions.setup_needed():
        return []
    allowed = setup_address(settings, setup_from)
    secret = sessions.issue_setup_link(allowed)
    if _is_loopback(allowed):
        host = "127.0.0.1" if settings.host in WILDCARD_HOSTS else settings.host
        base = _url(host, settings.port)
    else:
        base = settings.public_url or server_urls(settings, lan)[-1]
    minutes = int(SETUP_LINK_LIFETIME.total_seconds() // 60)
    return [
        "first run: no owner has a password yet; set one at",
        f"  {base.rstrip('/')}/setup/{secret}",
        f"  (works once, for {minutes} minutes, only from {allowed}; or run "
        "`bagboard user password NAME`)",
    ]


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"
