"""One URL of the app called in-process, without a server, HTTP or wrk: time and profile.

    .venv/bin/python bench/asgi_profile.py URL [URL ...] [--data DIR] [--requests 200]
        [--rounds 5] [--clock wall|cpu] [--profile tottime|cumulative] [--top 30]

Builds the app on an existing data folder (by default the one ``bench/api.py`` indexed at
100,000 comics on SQLite), makes a token and a web session (giving the owner a new
password), and calls the ASGI app directly, the way a server
would for one request. Prints each URL's status, body size and the median milliseconds per
request over ``--rounds`` rounds of ``--requests`` (the machines are shared: a median of
rounds is steadier than one long loop; ``--clock cpu`` counts the process's CPU time rather
than the wall clock's, steadier still while other work shares the cores). ``--profile``
adds a cProfile of 100 more requests, sorted by that column. What this measures is the
application's own work: routing, authentication, the queries and the rendering, none of the
socket and HTTP parsing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import secrets
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bagboard.config import load_settings
from bagboard.library import ComicLibrary

DEFAULT_DATA = Path("/tmp/bagboard-bench-api/data-100000-sqlite")

Message = dict[str, Any]


def _scope(url: str, token: str, session: str = "") -> Message:
    parts = urlsplit(url)
    # A browser's session cookie beside the token: the web pages read the one, the APIs the
    # other.
    cookie = f"bagboard_session={session}".encode()
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"cookie", cookie),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _request(app: Any, scope: Message) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(dict(scope), receive, send)
    return sent


async def _measure(app: Any, url: str, token: str, session: str, args: argparse.Namespace) -> None:
    scope = _scope(url, token, session)
    sent = await _request(app, scope)
    size = sum(len(message.get("body", b"")) for message in sent[1:])
    for _ in range(20):  # warm caches and the interpreter's specialisations
        await _request(app, scope)
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    rounds = []
    for _ in range(args.rounds):
        started = clock()
        for _ in range(args.requests):
            await _request(app, scope)
        rounds.append((clock() - started) / args.requests * 1000)
    print(
        f"{url}: {sent[0]['status']}, {size:,} bytes, {statistics.median(rounds):.2f} ms/request "
        f"(median of {args.rounds}; {min(rounds):.2f} to {max(rounds):.2f})"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(100):
            await _request(app, scope)
        profile.disable()
        pstats.Stats(profile).sort_stats(args.profile).print_stats(args.top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", help="path and query, e.g. /opds/v1.2/catalog")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    parser.add_argument("--profile", choices=("tottime", "cumulative"), default=None)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"{args.data} does not exist: run bench/api.py first")
    bagboard = ComicLibrary.from_settings(load_settings(data_dir=str(args.data)), workers=0)
    try:
        token = bagboard.accounts.create_token(token_name="asgi-profile").secret
        owner = bagboard.accounts.owner().name
        password = "asgi-profile-" + secrets.token_hex(8)
        bagboard.web_sessions.set_password(owner, password)
        session, _ = bagboard.web_sessions.sign_in(owner, password, "127.0.0.1")
        app = bagboard.create_app()
        for url in args.urls:
            asyncio.run(_measure(app, url, token, session, args))
    finally:
        bagboard.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
