"""A stand-in for the reference server (CLU 6.3.1), written from what it was seen to answer.

``bagboard conformance`` was run, read-only, against CLU 6.3.1 as its Dockerfile runs it. This
WSGI app answers the way CLU did there, and otherwise as CLU's reference document
(``api-v1-reference.txt``) describes, over a tiny in-memory catalog:

- every error body is ``{"error": <code or sentence>}``, with no ``message``;
- ``invalid_path`` bodies carry ``data_dir`` and ``received_…`` keys (so they echo the library
  root);
- ``has_comicinfo`` is the integer ``1`` or ``0`` in issue lists and issue detail;
- a non-integer issue id gets the web framework's HTML 404 page, and so does any unknown route;
- ``?size=abc`` on a cover is ignored: 200 with the default size;
- filesystem issues are sorted by the bytes of their names (``10`` before ``2``), there are no
  ETags, no ``X-API-Key``, no OpenAPI document, and ``progress/since`` has neither
  ``next_cursor`` nor ``server_time``.

It is written from those observations and the documents, not from CLU's code.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import msgspec

from tests.archive_factory import jpeg

__all__ = ["ROOT", "TOKEN", "Reference", "serving"]

TOKEN = "recorded-reference-token-0123456789abcdefghijklmnop"
ROOT = "/data"
SAVED_MODE = "filesystem"
DEFAULT_COVER = 400
COVER_EDGES = (600, 900)  # a portrait first page: the long edge is the height

# The sentences CLU answers for missing parameters, as the contract records them.
MISSING_PUBLISHER = "Missing 'publisher' parameter"
MISSING_PUBLISHER_OR_SERIES = "Missing 'publisher' or 'series' parameter"
MISSING_SERIES = "Missing 'series' parameter"
MISSING_PATH = "Missing 'path' parameter"
BAD_TS = "ts must be an integer unix timestamp"

METADATA_FIELDS = (
    "title", "series", "number", "count", "volume", "year", "writer", "penciller", "inker",
    "colorist", "letterer", "coverartist", "publisher", "genre", "characters",
)  # fmt: skip
FLASK_404 = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    b"<p>The requested URL was not found on the server.</p>\n"
)
DOCS_PAGE = (
    "<html><body><h1>/api/v1 Reference</h1><p>Authorization: Bearer &lt;token&gt;</p>"
    "<pre>{items, total, page, page_size, total_pages, has_more}</pre></body></html>"
)


@dataclass(frozen=True)
class Comic:
    id: int
    publisher: str
    series: str
    volume: str | None
    number: int
    year: int
    size: int
    added_at: int

    @property
    def folder(self) -> str:
        parts = [ROOT, self.publisher, self.series] + ([self.volume] if self.volume else [])
        return "/".join(parts)

    @property
    def name(self) -> str:
        return f"{self.series} {self.number}.cbz"

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}"

    def content(self) -> bytes:
        return bytes((self.id * 31 + i) % 256 for i in range(self.size))


def _stamp(unix: int) -> str:
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _catalog() -> list[Comic]:
    layout = [
        ("Acme", "Anvils", None, (1, 2, 10), 2001),
        ("Acme", "Rockets", None, (1, 2), 2003),
        ("Bolt Press", "Thunder", "v1990", (1, 2), 1990),
        ("Bolt Press", "Thunder", "v2001", (1,), 2001),
    ]
    comics: list[Comic] = []
    for publisher, series, volume, numbers, year in layout:
        for number in numbers:
            ident = len(comics) + 1
            added = 1_780_000_000 + ident * 3600
            comics.append(
                Comic(ident, publisher, series, volume, number, year + number % 2,
                      200 + ident * 17, added)
            )  # fmt: skip
    return comics


@dataclass
class Catalog:
    comics: list[Comic] = field(default_factory=_catalog)
    # path → (page_number, total_pages, time_spent, updated_at unix)
    progress: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        first, second = self.comics[0], self.comics[3]
        self.progress[first.path] = (2, 24, 60, 1_780_100_000)
        self.progress[second.path] = (5, 32, 300, 1_780_200_000)

    def by_id(self, ident: int) -> Comic | None:
        return next((comic for comic in self.comics if comic.id == ident), None)


class Refused(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body)
        self.status = status
        self.body = body


Answer = tuple[int, dict[str, str], bytes]


def _json(body: object, status: int = 200) -> Answer:
    return status, {"Content-Type": "application/json"}, msgspec.json.encode(body)


def _error(status: int, code: str, **extra: str) -> Refused:
    return Refused(status, {"error": code, **extra})


def _html_404() -> Answer:
    return 404, {"Content-Type": "text/html; charset=utf-8"}, FLASK_404


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


def _envelope(query: Mapping[str, str], items: list[Any], **extra: Any) -> dict[str, Any]:
    page = max(1, _int(query.get("page"), 1))
    size = min(200, max(1, _int(query.get("page_size"), 50)))
    total = len(items)
    pages = math.ceil(total / size)
    shown = items[(page - 1) * size : page * size]
    return {
        "items": shown, "total": total, "page": page, "page_size": size,
        "total_pages": pages, "has_more": page < pages, **extra,
    }  # fmt: skip


def _natural(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


class Reference:
    """The WSGI app: routes under ``/api/v1`` answered as the reference answered them."""

    def __init__(self, has_comicinfo: object = None) -> None:
        # What issues say for has_comicinfo: None for the reference's 1 or 0, or a value to
        # send for every comic.
        self.has_comicinfo = has_comicinfo
        self.catalog = Catalog()
        self.routes: list[tuple[re.Pattern[str], Callable[..., Answer]]] = [
            (re.compile(r"/auth/ping"), self.ping),
            (re.compile(r"/library/publishers"), self.publishers),
            (re.compile(r"/library/series"), self.series),
            (re.compile(r"/library/issues"), self.issues),
            (re.compile(r"/library/recent"), self.recent),
            (re.compile(r"/library/favorites"), self.favorites),
            (re.compile(r"/library/to-read"), self.to_read),
            (re.compile(r"/issue/(\d+)"), self.detail),
            (re.compile(r"/issue/(\d+)/cover"), self.cover),
            (re.compile(r"/issue/(\d+)/download"), self.download),
            (re.compile(r"/progress"), self.position),
            (re.compile(r"/progress/since"), self.since),
        ]

    # --- WSGI ------------------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        status, headers, body = self.answer(method, environ)
        headers.setdefault("Content-Length", str(len(body)))
        reason = {200: "OK", 206: "Partial Content", 400: "Bad Request", 401: "Unauthorized",
                  404: "Not Found", 405: "Method Not Allowed",
                  416: "Range Not Satisfiable"}[status]  # fmt: skip
        start_response(f"{status} {reason}", list(headers.items()))
        return [] if method == "HEAD" else [body]

    def answer(self, method: str, environ: dict[str, Any]) -> Answer:
        path: str = environ.get("PATH_INFO", "")
        if not path.startswith("/api/v1/"):
            return _html_404()
        route = path.removeprefix("/api/v1")
        if route == "/docs":
            return 200, {"Content-Type": "text/html; charset=utf-8"}, DOCS_PAGE.encode()
        query = {key: values[0] for key, values in parse_qs(
            environ.get("QUERY_STRING", ""), keep_blank_values=True
        ).items()}  # fmt: skip
        try:
            self.authorise(environ.get("HTTP_AUTHORIZATION"))
            for pattern, handler in self.routes:
                match = pattern.fullmatch(route)
                if match:
                    if method not in ("GET", "HEAD"):
                        return 405, {"Content-Type": "text/html"}, b"<h1>Method Not Allowed</h1>"
                    return handler(query, environ, *match.groups())
            return _html_404()
        except Refused as refused:
            return _json(refused.body, refused.status)

    @staticmethod
    def authorise(header: str | None) -> None:
        if header is None or not header.startswith("Bearer "):
            raise _error(401, "unauthorized")
        if header.removeprefix("Bearer ").strip() != TOKEN:
            raise _error(401, "unauthorized")

    # --- browse ----------------------------------------------------------------------------

    @staticmethod
    def mode(query: Mapping[str, str]) -> str:
        mode = query.get("mode", "").strip().lower() or SAVED_MODE
        if mode not in ("metadata", "filesystem"):
            raise _error(400, "invalid_mode")
        return mode

    @staticmethod
    def part(query: Mapping[str, str], key: str, under: str) -> str:
        """A folder name given by name or by absolute path, refused with CLU's extra keys when
        it climbs out or leaves the library."""
        raw = query[key]
        if ".." in raw.replace("\\", "/").split("/"):
            raise _error(400, "invalid_path", data_dir=ROOT, **{f"received_{key}": raw})
        if raw.startswith("/"):
            if not raw.startswith(under + "/"):
                raise _error(400, "invalid_path", data_dir=ROOT, **{f"received_{key}": raw})
            return raw.removeprefix(under + "/").split("/")[0]
        return raw

    def ping(self, query: Mapping[str, str], environ: Any) -> Answer:
        return _json({"ok": True, "version": "6.3.1", "browse_mode": SAVED_MODE})

    def _folder(self, name: str, path: str, comics: list[Comic]) -> dict[str, Any]:
        item: dict[str, Any] = {"value": name, "name": name, "path": path,
                                "has_thumbnail": False, "count": len(comics)}  # fmt: skip
        volumes = sorted({c.volume for c in comics if c.volume}, key=_natural)
        if volumes and path.count("/") == 3:  # /data/publisher/series
            item["volumes"] = volumes
        return item

    def _facets(self, comics: list[Comic], key: Callable[[Comic], str]) -> dict[str, list[Comic]]:
        grouped: dict[str, list[Comic]] = {}
        for comic in comics:
            grouped.setdefault(key(comic), []).append(comic)
        return grouped

    def publishers(self, query: Mapping[str, str], environ: Any) -> Answer:
        mode, comics = self.mode(query), self.catalog.comics
        grouped = self._facets(comics, lambda c: c.publisher)
        if mode == "filesystem":
            names = sorted(grouped, key=_natural)
            items = [self._folder(name, f"{ROOT}/{name}", grouped[name]) for name in names]
        else:
            items = [{"value": n, "name": n, "count": len(found)} for n, found in grouped.items()]
            items.sort(key=lambda item: item["value"].lower())
            if query.get("sort") == "count":
                items.sort(key=lambda item: -item["count"])
        return _json(_envelope(query, items, mode=mode))

    def series(self, query: Mapping[str, str], environ: Any) -> Answer:
        mode, comics = self.mode(query), self.catalog.comics
        if mode == "filesystem":
            if not query.get("publisher"):
                raise _error(400, MISSING_PUBLISHER)
            publisher = self.part(query, "publisher", ROOT)
            mine = [c for c in comics if c.publisher == publisher]
            grouped = self._facets(mine, lambda c: c.series)
            items = [
                self._folder(name, f"{ROOT}/{publisher}/{name}", found)
                for name, found in sorted(grouped.items())
            ]
            return _json(_envelope(query, items, mode=mode))
        if query.get("publisher"):
            comics = [c for c in comics if c.publisher == query["publisher"]]
        needle = query.get("q", "").lower()
        grouped = self._facets(comics, lambda c: c.series)
        items = [
            {"value": name, "name": name, "publisher": found[0].publisher, "count": len(found),
             "year": min(c.year for c in found)}
            for name, found in sorted(grouped.items())
            if needle in name.lower()
        ]  # fmt: skip
        if query.get("sort") == "count":
            items.sort(key=lambda item: -item["count"])
        elif query.get("sort") == "year":
            items.sort(key=lambda item: item["year"])
        return _json(_envelope(query, items, mode=mode))

    def flag(self, comic: Comic) -> object:
        """``has_comicinfo`` as the reference sends it: an integer (``10`` has no ComicInfo)."""
        if self.has_comicinfo is not None:
            return self.has_comicinfo
        return 0 if comic.number == 10 else 1

    def _issue(self, comic: Comic, metadata: bool) -> dict[str, Any]:
        saved = self.catalog.progress.get(comic.path)
        item: dict[str, Any] = {
            "id": comic.id, "name": comic.name, "path": comic.path, "size": comic.size,
            "has_comicinfo": self.flag(comic), "has_progress": saved is not None,
            "last_page": saved[0] if saved else None,
        }  # fmt: skip
        if metadata:
            item |= {"title": "", "series": comic.series, "number": str(comic.number),
                     "year": str(comic.year), "publisher": comic.publisher}  # fmt: skip
        return item

    def issues(self, query: Mapping[str, str], environ: Any) -> Answer:
        mode, comics = self.mode(query), self.catalog.comics
        if mode == "filesystem":
            if not query.get("publisher") or not query.get("series"):
                raise _error(400, MISSING_PUBLISHER_OR_SERIES)
            publisher = self.part(query, "publisher", ROOT)
            series = self.part(query, "series", f"{ROOT}/{publisher}")
            volume = self.part(query, "volume", "/") if query.get("volume") else None
            folder = "/".join([ROOT, publisher, series] + ([volume] if volume else []))
            mine = sorted((c for c in comics if c.folder == folder), key=lambda c: c.name)
            items = [self._issue(c, metadata=False) for c in mine]
            return _json(_envelope(query, items, mode=mode))
        if not query.get("series"):
            raise _error(400, MISSING_SERIES)
        mine = [c for c in comics if c.series == query["series"]]
        if query.get("publisher"):
            mine = [c for c in mine if c.publisher == query["publisher"]]
        mine.sort(key=lambda c: (c.year, c.number) if query.get("sort") == "year" else c.number)
        return _json(_envelope(query, [self._issue(c, metadata=True) for c in mine], mode=mode))

    # --- shelves and recent ----------------------------------------------------------------

    def recent(self, query: Mapping[str, str], environ: Any) -> Answer:
        newest = sorted(self.catalog.comics, key=lambda c: -c.added_at)
        items = []
        for comic in newest:
            item = self._issue(comic, metadata=False)
            del item["has_comicinfo"]
            items.append({**item, "value": comic.name, "added_at": _stamp(comic.added_at),
                          "type": "file"})  # fmt: skip
        return _json(_envelope(query, items, scope="recent"))

    def favorites(self, query: Mapping[str, str], environ: Any) -> Answer:
        item = {"value": "Acme", "name": "Acme", "path": f"{ROOT}/Acme", "type": "publisher",
                "created_at": _stamp(1_780_300_000)}  # fmt: skip
        return _json(_envelope(query, [item], scope="favorites"))

    def to_read(self, query: Mapping[str, str], environ: Any) -> Answer:
        comic = self.catalog.comics[0]
        saved = self.catalog.progress.get(comic.path)
        thunder = f"{ROOT}/Bolt Press/Thunder"
        items = [
            {"value": comic.name, "name": comic.name, "path": comic.path, "type": "file",
             "created_at": _stamp(1_780_400_300), "id": comic.id,
             "has_progress": saved is not None, "last_page": saved[0] if saved else None},
            {"value": "Thunder v1990", "name": "Thunder v1990", "path": f"{thunder}/v1990",
             "type": "folder", "created_at": _stamp(1_780_400_200), "series": "Thunder",
             "volume": "v1990"},
            {"value": "Thunder", "name": "Thunder", "path": thunder, "type": "folder",
             "created_at": _stamp(1_780_400_100), "volumes": ["v1990", "v2001"]},
        ]  # fmt: skip
        return _json(_envelope(query, items, scope="to_read"))

    # --- issues ----------------------------------------------------------------------------

    def comic(self, raw: str) -> Comic:
        comic = self.catalog.by_id(int(raw))
        if comic is None:
            raise _error(404, "not_found")
        return comic

    def _position(self, path: str) -> dict[str, Any] | None:
        saved = self.catalog.progress.get(path)
        if saved is None:
            return None
        page, total, spent, unix = saved
        return {"page_number": page, "total_pages": total, "time_spent": spent,
                "updated_at": _stamp(unix)}  # fmt: skip

    def detail(self, query: Mapping[str, str], environ: Any, raw: str) -> Answer:
        comic = self.comic(raw)
        metadata = dict.fromkeys(METADATA_FIELDS, "")
        metadata |= {"series": comic.series, "number": str(comic.number),
                     "year": str(comic.year), "publisher": comic.publisher}  # fmt: skip
        return _json({
            "id": comic.id, "name": comic.name, "path": comic.path, "size": comic.size,
            "modified_at": comic.added_at, "has_comicinfo": self.flag(comic),
            "metadata": metadata,
            "progress": self._position(comic.path),
        })  # fmt: skip

    def cover(self, query: Mapping[str, str], environ: Any, raw: str) -> Answer:
        self.comic(raw)
        asked = query.get("size", "").strip()
        size = int(asked) if asked.isdigit() else DEFAULT_COVER  # not an int: ignored
        edge = max(64, min(2000, size))
        scale = min(1.0, edge / max(COVER_EDGES))
        width, height = (max(1, int(side * scale)) for side in COVER_EDGES)
        return 200, {"Content-Type": "image/jpeg"}, jpeg((200, 40, 40), (width, height))

    def download(self, query: Mapping[str, str], environ: Any, raw: str) -> Answer:
        comic = self.comic(raw)
        body = comic.content()
        headers = {
            "Content-Type": "application/zip",
            "Accept-Ranges": "bytes",
            "Content-Disposition": f'attachment; filename="{comic.name}"',
        }
        wanted = re.fullmatch(r"bytes=(\d*)-(\d*)", environ.get("HTTP_RANGE", ""))
        if wanted is None or wanted.groups() == ("", ""):
            return 200, headers, body
        first, last = wanted.groups()
        if first:
            start, end = int(first), min(int(last) if last else len(body) - 1, len(body) - 1)
        else:
            start, end = max(0, len(body) - int(last)), len(body) - 1
        if start >= len(body):
            return 416, {"Content-Range": f"bytes */{len(body)}"}, b""
        headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
        return 206, headers, body[start : end + 1]

    # --- progress --------------------------------------------------------------------------

    def position(self, query: Mapping[str, str], environ: Any) -> Answer:
        if not query.get("path"):
            raise _error(400, MISSING_PATH)
        return _json(self._position(query["path"]))

    def since(self, query: Mapping[str, str], environ: Any) -> Answer:
        raw = query.get("ts", "0")
        if not raw.lstrip("-").isdigit():
            raise _error(400, BAD_TS)
        rows = sorted(
            (unix, path, page, total, spent)
            for path, (page, total, spent, unix) in self.catalog.progress.items()
            if unix >= int(raw)
        )
        items = [
            {"comic_path": path, "page_number": page, "total_pages": total, "time_spent": spent,
             "updated_at": _stamp(unix), "updated_at_unix": unix}
            for unix, path, page, total, spent in rows
        ]  # fmt: skip
        body = _envelope(query, items)
        return _json({**body, "count": len(body["items"])})


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(app: Reference | None = None) -> Iterator[str]:
    """The recorded reference (or ``app``) on a free local port; yields its base URL."""
    server: WSGIServer = make_server("127.0.0.1", 0, app or Reference(), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
