"""Load-test every browse endpoint of a real ``bagboard serve`` at library scale.

    .venv/bin/python bench/api.py [--comics 100000] [--work DIR] [--database-url URL]
        [--duration 10] [--connections 8] [--threads 2] [--workers 1] [--only TEXT ...]

``--only`` keeps the rows whose label contains one of the texts (e.g. ``--only "issues,
metadata" "issues of a series"`` for the API list and both OPDS issue feeds of one series), so
rows to be compared run in the same minute of a shared machine.

Writes (or reuses) a synthetic library, indexes it with ``bagboard scan``, starts ``bagboard
serve --no-watch`` on 127.0.0.1 (``--workers`` processes, one by default) and drives each URL
with wrk (Debian package ``wrk``) for a fixed time from ``--connections`` connections, then
prints req/s and p50/p95/p99 latency per endpoint as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from http_targets import RECENT_COMICS, date_recent

from bagboard.demo import make_library

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d %f\\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.duration / 1e6))
end
"""


def _bagboard(*args: str, data: Path, url: str | None, given: str | None = None) -> str:
    command = [sys.executable, "-m", "bagboard.cli", *args, "--data-dir", str(data)]
    if url:
        command += ["--database-url", url]
    done = subprocess.run(command, check=True, capture_output=True, text=True, input=given)
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The web pages' session (``bagboard_session`` cookie), made once the server is up.
_WEB_SESSION: dict[str, str] = {}
_WEB_PATHS = ("/browse", "/issue/", "/read/", "/search")


def _auth(token: str, path: str) -> tuple[str, str]:
    """The header a client sends: Komga clients send ``X-API-Key``, a browser its session
    cookie, the rest a bearer token."""
    if path.startswith("/komga/"):
        return "X-API-Key", token
    if path == "/" or path.startswith(_WEB_PATHS):
        return "Cookie", f"bagboard_session={_WEB_SESSION['secret']}"
    return "Authorization", f"Bearer {token}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _sign_in(base: str, token: str, data: Path, url: str | None) -> None:
    """Give the token's user a password and sign in to the web app with it, as a browser."""
    name = str(_get(base, token, "/komga/api/v2/users/me")["email"])
    password = "bench-password-" + os.urandom(6).hex()
    _bagboard("user", "password", name, data=data, url=url, given=password + "\n")
    form = urllib.parse.urlencode({"name": name, "password": password}).encode()
    request = urllib.request.Request(
        f"{base}/login", data=form, method="POST", headers={"Origin": base}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        answer = opener.open(request, timeout=30)
        headers = answer.headers
    except urllib.error.HTTPError as redirected:  # the 303 to the home page
        headers = redirected.headers
    cookie = next(c for c in headers.get_all("Set-Cookie") or [] if "bagboard_session=" in c)
    _WEB_SESSION["secret"] = cookie.split("bagboard_session=", 1)[1].split(";", 1)[0]


def _web_targets(base: str, token: str, publisher: str, series: str) -> list[tuple[str, str]]:
    """The pages a browser opens, over the same publisher and series as the API rows."""
    q = urllib.parse.urlencode
    issues = _get(base, token, "/api/v1/library/issues", mode="metadata", series=series)
    comic_id = issues["items"][0]["id"]  # type: ignore[index]
    word = max(series.split(), key=len).lower()
    return [
        ("web home", "/"),
        ("web publishers", "/browse?mode=metadata"),
        (
            "web series of a publisher",
            "/browse/series?" + q({"mode": "metadata", "publisher": publisher}),
        ),
        ("web issues of a series", "/browse/issues?" + q({"mode": "metadata", "series": series})),
        ("web issue", f"/issue/{comic_id}"),
        ("web reader", f"/read/{comic_id}"),
        ("web search", "/search?" + q({"q": word})),
    ]


def _get(base: str, token: str, path: str, **params: str) -> Any:
    query = urllib.parse.urlencode(params)
    header, value = _auth(token, path)
    request = urllib.request.Request(f"{base}{path}?{query}", headers={header: value})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def _targets(base: str, token: str) -> list[tuple[str, str]]:
    """(label, path+query) for every list endpoint, with names discovered from the server."""

    def first(path: str, key: str, **params: str) -> str:
        items = _get(base, token, path, **params)["items"]
        assert isinstance(items, list) and items, f"{path} returned nothing"
        return str(items[0][key])

    q = urllib.parse.urlencode
    fs_pub = first("/api/v1/library/publishers", "value", mode="filesystem")
    fs_series = first("/api/v1/library/series", "value", mode="filesystem", publisher=fs_pub)
    meta_pub = first("/api/v1/library/publishers", "value", mode="metadata")
    meta_series = first("/api/v1/library/series", "value", mode="metadata", publisher=meta_pub)
    # A word a reader might type: the longest word of a series name.
    word = max(meta_series.split(), key=len).lower()
    return [
        ("auth/ping", "/api/v1/auth/ping"),
        ("publishers, filesystem", "/api/v1/library/publishers?mode=filesystem"),
        ("publishers, metadata", "/api/v1/library/publishers?mode=metadata"),
        ("publishers, metadata by count", "/api/v1/library/publishers?mode=metadata&sort=count"),
        (
            "series, filesystem",
            "/api/v1/library/series?" + q({"mode": "filesystem", "publisher": fs_pub}),
        ),
        (
            "series, filesystem, deep page",
            "/api/v1/library/series?"
            + q({"mode": "filesystem", "publisher": fs_pub, "page": "5", "page_size": "100"}),
        ),
        ("series, metadata", "/api/v1/library/series?mode=metadata"),
        (
            "series, metadata, deep page",
            "/api/v1/library/series?mode=metadata&page=20&page_size=200",
        ),
        (
            f"series, metadata, search '{word}'",
            "/api/v1/library/series?" + q({"mode": "metadata", "q": word}),
        ),
        (
            "series, metadata, search 'the' (most series match)",
            "/api/v1/library/series?mode=metadata&q=the",
        ),
        ("series, metadata, recent", "/api/v1/library/series?mode=metadata&sort=recent"),
        (
            "issues, filesystem",
            "/api/v1/library/issues?"
            + q({"mode": "filesystem", "publisher": fs_pub, "series": fs_series}),
        ),
        (
            "issues, metadata",
            "/api/v1/library/issues?" + q({"mode": "metadata", "series": meta_series}),
        ),
        ("recent", "/api/v1/library/recent"),
        ("recent, deep page", "/api/v1/library/recent?page=50&page_size=200"),
        ("favorites", "/api/v1/library/favorites"),
        ("to-read", "/api/v1/library/to-read"),
        *_opds_targets(base, token, meta_pub, meta_series),
        *_komga_targets(base, token),
        *_web_targets(base, token, meta_pub, meta_series),
    ]


def _opds_targets(base: str, token: str, publisher: str, series: str) -> list[tuple[str, str]]:
    """The OPDS feeds a reader walks, over the same publisher and series as the API rows."""
    q = urllib.parse.urlencode
    issues = _get(base, token, "/api/v1/library/issues", mode="metadata", series=series)
    comic_id = issues["items"][0]["id"]  # type: ignore[index]
    return [
        ("OPDS 1.2 root", "/opds/v1.2/catalog"),
        ("OPDS 1.2 publishers", "/opds/v1.2/publishers"),
        ("OPDS 1.2 series of a publisher", "/opds/v1.2/series?" + q({"publisher": publisher})),
        ("OPDS 1.2 issues of a series", "/opds/v1.2/issues?" + q({"series": series})),
        ("OPDS 1.2 recent", "/opds/v1.2/recent"),
        ("OPDS 1.2 page stream, width 800", f"/opds/v1.2/issue/{comic_id}/pse/0?width=800"),
        ("OPDS 2.0 start (with groups)", "/opds/v2.0/catalog"),
        ("OPDS 2.0 issues of a series", "/opds/v2.0/issues?" + q({"series": series})),
        ("OPDS 2.0 DiViNa manifest", f"/opds/v2.0/issue/{comic_id}/manifest"),
        ("OPDS 2.0 progression", f"/opds/v2.0/issue/{comic_id}/progression"),
    ]


def _komga_targets(base: str, token: str) -> list[tuple[str, str]]:
    """The Komga lists a client opens first: a library's series (Komga's default page of 20)
    and the books of a series, to be read against "series, metadata" and "issues, metadata".

    The series is the library's with the most books, like the biggest series a reader opens;
    its name is also asked through ``/api/v1`` ("issues, metadata, Komga's series") so the two
    lists show the same comics.
    """
    libraries = _get(base, token, "/komga/api/v1/libraries")
    library = str(libraries[0]["id"])
    biggest = _get(
        base, token, "/komga/api/v1/series", library_id=library, sort="booksCount,desc", size="1"
    )["content"][0]
    q = urllib.parse.urlencode
    return [
        ("Komga series of a library", "/komga/api/v1/series?" + q({"library_id": library})),
        ("Komga books of a series", f"/komga/api/v1/series/{biggest['id']}/books"),
        ("Komga one series", f"/komga/api/v1/series/{biggest['id']}"),
        (
            "issues, metadata, Komga's series",
            "/api/v1/library/issues?" + q({"mode": "metadata", "series": biggest["name"]}),
        ),
    ]


# A request function for wrk asking a different search each time (each wrk thread from its
# own point of the list), so no answer comes from the server's memory of earlier searches.
LUA_SEARCHES = """
local queries = {%s}
local i = 0
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
request = function()
  i = i + 1
  local n = (i + (tid or 0) * math.floor(#queries / 2)) %% #queries + 1
  return wrk.format(nil, "/api/v1/library/series?mode=metadata&q=" .. queries[n])
end
"""


def _searches(base: str, token: str) -> list[str]:
    """Distinct pieces (3 to 6 letters) of the library's series names, URL-encoded."""
    found: set[str] = set()
    for page in range(1, 6):
        body = _get(base, token, "/api/v1/library/series", mode="metadata", page=str(page),
                    page_size="200")  # fmt: skip
        for item in body["items"]:  # type: ignore[attr-defined]
            name = str(item["name"]).lower()
            for size in range(3, 7):
                found.update(name[i : i + size] for i in range(len(name) - size + 1))
    pieces = sorted(piece for piece in found if piece.strip() == piece)
    return [urllib.parse.quote(piece) for piece in pieces]


def _wrk(url: str, token: str, args: argparse.Namespace, script: str) -> dict[str, float]:
    done = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "-s",
            script,
            "-H",
            "{}: {}".format(*_auth(token, urllib.parse.urlsplit(url).path)),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    requests, non2xx, socket_errors, p50, p95, p99, seconds = line.split()[1:]
    return {
        "rps": int(requests) / float(seconds),
        "p50": int(p50) / 1000,
        "p95": int(p95) / 1000,
        "p99": int(p99) / 1000,
        "errors": int(non2xx) + int(socket_errors),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comics", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bagboard-bench-api"))
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--only", nargs="*", default=[], help="rows whose label contains one")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    library = args.work / f"library-{args.comics}"
    summary = make_library(library, args.comics, seed=1)
    print(summary.describe(), file=sys.stderr)
    backend = "postgresql" if args.database_url else "sqlite"
    data = args.work / f"data-{args.comics}-{backend}"
    if not data.exists():
        # The first scan dates each comic by its file, all 2012-2024: without some files of
        # the last 30 days the "recent" rows would measure an empty list. A later scan keeps
        # the dates it has, so this works for a fresh data folder only.
        date_recent(library)
        print(f"{RECENT_COMICS} comics dated within the last 30 days", file=sys.stderr)
    started = time.perf_counter()
    _bagboard("scan", "--library", str(library), data=data, url=args.database_url)
    print(f"indexed in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    token = _bagboard("token", "create", "--name", "bench", data=data, url=args.database_url)
    token = token.strip()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "bagboard.cli", "serve", "--no-watch", "--port", str(port),
        "--data-dir", str(data), "--workers", str(args.workers),
    ]  # fmt: skip
    if args.database_url:
        command += ["--database-url", args.database_url]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                _get(base, token, "/api/v1/auth/ping")
                break
            except OSError:
                time.sleep(0.1)
        for path in ("/api/v1/library/favorites", "/api/v1/library/to-read"):
            # A few shelf entries, so those lists have something to serialise.
            publishers = _get(base, token, "/api/v1/library/publishers", mode="filesystem")
            for item in list(publishers["items"])[:5]:  # type: ignore[call-overload]
                body = json.dumps({"path": item["path"]}).encode()
                method = "PUT" if path.endswith("favorites") else "POST"
                request = urllib.request.Request(
                    base + path,
                    data=body,
                    method=method,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                )
                urllib.request.urlopen(request, timeout=30).close()
        _sign_in(base, token, data, args.database_url)
        targets = _targets(base, token)
        rows = []
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(LUA)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as varied:
            queries = ", ".join(f'"{q}"' for q in _searches(base, token))
            varied.write(LUA_SEARCHES % queries + LUA)
        searches = "series, metadata, search, a new word each time"
        targets.insert(
            next(i for i, (label, _) in enumerate(targets) if "search 'the'" in label) + 1,
            (searches, ""),
        )
        if args.only:
            targets = [t for t in targets if any(text in t[0] for text in args.only)]
        try:
            for label, path in targets:
                script = varied.name if label == searches else lua.name
                result = _wrk(base + path, token, args, script)
                rows.append((label, result))
                print(
                    f"{label}: {result['rps']:.0f} req/s, p95 {result['p95']:.1f} ms",
                    file=sys.stderr,
                )
        finally:
            Path(lua.name).unlink()
            Path(varied.name).unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"\nbagboard serve ({args.workers} process{'es' if args.workers > 1 else ''}) on "
        f"{backend}, {args.comics:,} comics, wrk {args.threads} threads / "
        f"{args.connections} connections / {args.duration}s per URL, {os.cpu_count()} CPUs\n"
    )
    print("| endpoint | req/s | p50 (ms) | p95 (ms) | p99 (ms) | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in rows:
        print(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} "
            f"| {int(r['errors'])} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
