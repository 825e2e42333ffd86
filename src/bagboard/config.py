"""Settings, read once from the command line and the environment into one typed object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bagboard.domain.errors import InvalidInput

__all__ = [
    "AUTO_MEMORY_PER_WORKER",
    "DEFAULT_COVER_CACHE_MB",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_WORKERS",
    "LEGACY_DATA_DIR",
    "MAX_AUTO_WORKERS",
    "Settings",
    "available_cpus",
    "available_memory",
    "check_database_url",
    "check_public_url",
    "default_data_dir",
    "demo_data_dir",
    "load_settings",
    "mask_url",
    "parse_workers",
]

# The data folder of versions before the per-user default: ``./bagboard-data`` under the
# folder the command ran in. One found there is still used, with a notice.
LEGACY_DATA_DIR = "bagboard-data"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_COVER_CACHE_MB = 1024
# ``serve``'s HTTP worker processes, ``auto`` by default: one per CPU this process may run on
# and per ``AUTO_MEMORY_PER_WORKER`` of its memory, at most ``MAX_AUTO_WORKERS``. Each worker
# holds its own app and caches (about 130 MB, and the server process as much again), and past
# a few the database's writes, serialised, are the limit. What the workers must agree on goes
# through the database or the data folder: the change feed, the scan board, the attempt log.
DEFAULT_WORKERS = "auto"
MAX_AUTO_WORKERS = 4
AUTO_MEMORY_PER_WORKER = 1 << 30
# A container's memory limit, as cgroup v2 and v1 tell it ("max", or a huge number, when none).
_CGROUP_MEMORY_LIMITS = (
    Path("/sys/fs/cgroup/memory.max"),
    Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    # The on-disk cache of rendered covers and resized pages, in megabytes.
    cover_cache_mb: int = DEFAULT_COVER_CACHE_MB
    # The address readers reach the server at (``https://comics.example.org/bagboard``), used
    # for the absolute links of OPDS documents; None builds them from each request.
    public_url: str | None = None
    # Addresses of reverse proxies whose ``X-Forwarded-*`` headers are believed.
    trusted_proxies: tuple[str, ...] = ()
    # How the server and its worker processes log (``logs.configure``), and whether each
    # request gets a line. Worker processes receive these with the rest of this object.
    log_level: str = "info"
    log_format: str = "text"
    access_log: bool = False
    # True when the data folder is an older version's ``./bagboard-data``, found in the
    # current folder because no folder was named (the command line says how to move it).
    legacy_data_dir: bool = False
    # Where rendered covers and resized pages are kept; None: ``renditions`` in the data folder.
    # Servers of one database may share one folder (each rendition is written whole, then
    # renamed into place).
    cache_dir: Path | None = None
    # How many processes ``serve`` answers requests from (``parse_workers``).
    http_workers: int = 1

    @property
    def rendition_dir(self) -> Path:
        return self.cache_dir if self.cache_dir is not None else self.data_dir / "renditions"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(
    *,
    data_dir: str | None = None,
    database_url: str | None = None,
    host: str | None = None,
    port: int | None = None,
    public_url: str | None = None,
    trusted_proxies: tuple[str, ...] | None = None,
    log_level: str | None = None,
    log_format: str | None = None,
    access_log: bool | None = None,
    cache_dir: str | None = None,
    http_workers: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Command-line values win over ``BAGBOARD_*`` variables, which win over defaults."""
    env = os.environ if environ is None else environ
    named = data_dir or env.get("BAGBOARD_DATA_DIR")
    legacy = Path(LEGACY_DATA_DIR).absolute()
    legacy_used = not named and legacy.is_dir()
    if named:
        folder = Path(named).expanduser().absolute()
    else:
        folder = legacy if legacy_used else default_data_dir()
    given_url = database_url or env.get("BAGBOARD_DATABASE_URL")
    url = check_database_url(given_url) if given_url else f"sqlite:///{folder / 'bagboard.db'}"
    if port is None:
        raw_port = env.get("BAGBOARD_PORT") or str(DEFAULT_PORT)
        if not raw_port.isdigit():
            raise InvalidInput(f"BAGBOARD_PORT must be a port number, not {raw_port!r}")
        port = int(raw_port)
    if not 0 < port < 65536:
        raise InvalidInput(f"port must be between 1 and 65535, not {port}")
    raw_cache = env.get("BAGBOARD_COVER_CACHE_MB") or str(DEFAULT_COVER_CACHE_MB)
    if not raw_cache.isdigit() or not int(raw_cache):
        raise InvalidInput(
            f"BAGBOARD_COVER_CACHE_MB must be a number of megabytes, not {raw_cache!r}"
        )
    return Settings(
        data_dir=folder,
        database_url=url,
        host=host or env.get("BAGBOARD_HOST") or DEFAULT_HOST,
        port=port,
        cover_cache_mb=int(raw_cache),
        public_url=check_public_url(public_url or env.get("BAGBOARD_PUBLIC_URL") or None),
        trusted_proxies=(
            trusted_proxies
            if trusted_proxies is not None
            else tuple(
                p.strip() for p in env.get("BAGBOARD_TRUSTED_PROXIES", "").split(",") if p.strip()
            )
        ),
        log_level=log_level or env.get("BAGBOARD_LOG_LEVEL") or "info",
        log_format=log_format or env.get("BAGBOARD_LOG_FORMAT") or "text",
        access_log=bool(env.get("BAGBOARD_ACCESS_LOG")) if access_log is None else access_log,
        legacy_data_dir=legacy_used,
        cache_dir=_folder(cache_dir or env.get("BAGBOARD_CACHE_DIR")),
        http_workers=parse_workers(
            http_workers or env.get("BAGBOARD_WORKERS") or DEFAULT_WORKERS,
            "--workers" if http_workers else "BAGBOARD_WORKERS",
        ),
    )


def available_cpus() -> int:
    """The CPUs this process may run on: its affinity where the system tells it (a container
    limited with ``--cpuset-cpus``, ``taskset``), else every CPU of the machine."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # macOS and Windows have no affinity to ask
        return os.cpu_count() or 1


def available_memory() -> int | None:
    """Bytes of memory this process may use: the machine's, or its container's limit
    (cgroup v2 or v1) when lower; None when the system does not say."""
    try:
        found: int | None = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # Windows
        found = None
    for limit_file in _CGROUP_MEMORY_LIMITS:
        try:
            limit = limit_file.read_text().strip()
        except OSError:
            continue
        if limit.isdigit() and (found is None or int(limit) < found):
            found = int(limit)
    return found


def parse_workers(
    raw: str, name: str = "--workers", *, cpus: int | None = None, memory: int | None = None
) -> int:
    """A number of worker processes, 1 or more, or ``auto``: one per available CPU and per
    ``AUTO_MEMORY_PER_WORKER`` of available memory (``cpus`` and ``memory`` in bytes, asked
    when not given), at most ``MAX_AUTO_WORKERS``. ``InvalidInput`` names ``name``."""
    value = raw.strip().lower()
    if value == "auto":
        by_cpu = available_cpus() if cpus is None else cpus
        room = available_memory() if memory is None else memory
        by_memory = by_cpu if room is None else room // AUTO_MEMORY_PER_WORKER
        return max(1, min(by_cpu, by_memory, MAX_AUTO_WORKERS))
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise InvalidInput(
            f"{name} must be a number of processes (1 or more) or 'auto', not {raw!r}"
        )
    return int(value)


def _folder(raw: str | None) -> Path | None:
    return Path(raw).expanduser().absolute() if raw else None


def default_data_dir() -> Path:
    """This user's data folder for bagboard, wherever the platform keeps them
    (``~/.local/share/bagboard`` on Linux, ``~/Library/Application Support/bagboard`` on
    macOS, ``%LOCALAPPDATA%\\bagboard`` on Windows), so that every command finds the same
    database whatever folder it runs in."""
    import platformdirs  # imported here: only a command that names no folder needs it

    return Path(platformdirs.user_data_dir("bagboard", appauthor=False)).absolute()


def demo_data_dir() -> Path:
    """Where ``bagboard demo`` keeps its database and library unless told otherwise: a
    folder of its own, so that demo comics never mix with a real library."""
    return default_data_dir() / "demo"


def mask_url(url: str) -> str:
    """``url`` with the password of its user part, if any, replaced by ``***``: fit to print."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, path = rest.partition("/")
    user, at, host = authority.rpartition("@")
    if not at or ":" not in user:
        return url
    return f"{scheme}://{user.split(':', 1)[0]}:***@{host}{slash}{path}"


# The SQLAlchemy dialects and drivers bagboard installs; ``postgresql://`` and ``postgres://``
# name the one PostgreSQL driver it has.
_SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
_POSTGRES_SCHEMES = ("postgresql+psycopg", "postgresql", "postgres")


def check_database_url(raw: str) -> str:
    """A SQLite or PostgreSQL URL bagboard can open; ``InvalidInput`` (with any password
    masked) for anything else."""
    url = raw.strip()
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or not scheme:
        raise InvalidInput(
            f"not a database URL: {mask_url(url)!r} "
            "(use sqlite:///PATH or postgresql+psycopg://USER@HOST/DATABASE)"
        )
    if scheme in _POSTGRES_SCHEMES:
        if not rest.partition("/")[2]:
            raise InvalidInput(f"the database URL names no database: {mask_url(url)!r}")
        return f"postgresql+psycopg://{rest}"
    if scheme not in _SQLITE_SCHEMES:
        raise InvalidInput(
            f"bagboard stores its index in SQLite or PostgreSQL, not {scheme!r}: "
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DATABASE"
        )
    return url


def check_public_url(raw: str | None) -> str | None:
    """``http(s)://host[:port][/prefix]`` without a trailing slash, query or fragment."""
    if raw is None or not raw.strip():
        return None
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InvalidInput(
            f"the public URL must look like https://host[:port][/prefix], not {raw!r}"
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
