"""The public Python API: what ``import bagboard`` offers, and the README example that uses it."""

from __future__ import annotations

import dataclasses
import enum
import inspect
import re
import secrets
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

import bagboard
from bagboard import PageRequest, ProgressChange, Shelf, StaleProgress
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.contract.conftest import POSTGRES_URL, SQL_BACKENDS
from tests.python_runs import python_output

README = Path(__file__).resolve().parents[2] / "README.md"


def _isort_key(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 keeps: CONSTANTS, then Classes, then the rest.
    if name.isupper() or re.fullmatch(r"[A-Z0-9_]+", name):
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert bagboard.__all__ == sorted(bagboard.__all__, key=_isort_key)
    assert len(set(bagboard.__all__)) == len(bagboard.__all__)
    for name in bagboard.__all__:
        assert hasattr(bagboard, name), name


def test_the_package_ships_type_information() -> None:
    assert (Path(bagboard.__file__).parent / "py.typed").is_file()


def _bagboard_types(annotation: object) -> typing.Iterator[type]:
    """Every bagboard class named in an annotation, through generics and unions."""
    if isinstance(annotation, type) and annotation.__module__.startswith("bagboard."):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _bagboard_types(argument)
    origin = typing.get_origin(annotation)
    if origin is not None:
        yield from _bagboard_types(origin)


def _reachable(start: type) -> set[type]:
    """Classes a caller of ``start`` meets: in the parameters and results of its public methods
    and properties, and in the fields of what those return, transitively."""
    seen: set[type] = set()
    todo = [start]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        if issubclass(cls, enum.Enum | BaseException):
            continue
        hints: list[object] = []
        if dataclasses.is_dataclass(cls):
            hints += typing.get_type_hints(cls).values()
        for name, member in inspect.getmembers(cls):
            if name.startswith("_"):
                continue
            if isinstance(member, property) and member.fget is not None:
                hints += typing.get_type_hints(member.fget).values()
            elif inspect.isfunction(member):
                hints += typing.get_type_hints(member).values()
        for hint in hints:
            todo.extend(found for found in _bagboard_types(hint) if found not in seen)
    return seen


def test_every_type_the_services_take_or_return_is_exported() -> None:
    exported = {getattr(bagboard, name) for name in bagboard.__all__}
    missing = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _reachable(bagboard.ComicLibrary)
        if cls not in exported
    )
    assert missing == []


def test_every_error_the_domain_raises_is_exported() -> None:
    from bagboard.domain import errors

    raised = {
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.DomainError)
    }
    # Raised only inside the server's request handling, never by the library's services.
    server_only = {errors.ApiDisabled, errors.Unauthorized, errors.TokenNotFound}
    exported = {getattr(bagboard, name) for name in bagboard.__all__}
    assert sorted(cls.__name__ for cls in raised - server_only - exported) == []


# --- the README example --------------------------------------------------------------------


def _readme_example() -> tuple[str, str]:
    """The first Python block of "Use as a library" and the output block after it."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Use as a library\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    output = re.search(r"```text\n(.*?)```", section, re.DOTALL)
    assert code is not None and output is not None
    return code.group(1), output.group(1)


def _comic(root: Path, path: str, pages: int, **fields: str) -> None:
    members: dict[str, bytes] = {
        f"{n:03d}.jpg": jpeg((40 * n, 80, 120), (600, 900)) for n in range(1, pages + 1)
    }
    members["ComicInfo.xml"] = comicinfo_xml(fields)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    write_cbz(root / path, members)


def _make_comics(root: Path) -> None:
    press = {"Publisher": "Bagboard Press"}
    owls = {"Series": "Night Owls", "Writer": "Ada Quill", **press}
    _comic(root, "Bagboard Press/Night Owls/Night Owls 001.cbz", 3, Number="1",
           Title="First Watch", **owls)  # fmt: skip
    _comic(root, "Bagboard Press/Night Owls/Night Owls 002.cbz", 3, Number="2",
           Title="Moonrise", **owls)  # fmt: skip
    _comic(root, "Bagboard Press/Paper Moons/Paper Moons 001.cbz", 2, Series="Paper Moons",
           Number="1", Title="Cut Out", **press)  # fmt: skip
    _comic(root, "Lantern/Ember/Ember 001.cbz", 2, Series="Ember", Number="1", Title="Spark",
           Publisher="Lantern Comics")  # fmt: skip


def test_the_readme_example_runs_as_printed_without_the_web_framework(tmp_path: Path) -> None:
    code, expected = _readme_example()
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    _make_comics(tmp_path / "my-comics")
    # Run as a script would be, then check what it loaded.
    runner = (
        "import runpy, sys\n"
        "runpy.run_path('example.py', run_name='__main__')\n"
        "loaded = sorted(m for m in ('litestar', 'uvicorn', 'httptools') if m in sys.modules)\n"
        "print('web framework loaded:', loaded) if loaded else None\n"
    )
    for run in (1, 2):  # a second run finds the index and progress already there
        assert python_output("-c", runner, cwd=tmp_path) == expected, f"run {run}"
    assert (tmp_path / "bagboard-data" / "bagboard.db").is_file()


# --- the same flow on every store ----------------------------------------------------------


@pytest.fixture
def postgres_url() -> typing.Iterator[str]:
    """A throwaway PostgreSQL database, dropped afterwards."""
    name = f"bagboard_lib_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["memory", *SQL_BACKENDS])
def opened(
    request: pytest.FixtureRequest, tmp_path: Path
) -> typing.Iterator[bagboard.ComicLibrary]:
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        library = bagboard.open_library(tmp_path / "data", database_url=url)
    else:
        library = bagboard.open_library(tmp_path / "data", memory=request.param == "memory")
    with library:
        yield library


def test_a_library_scans_browses_and_keeps_progress(
    opened: bagboard.ComicLibrary, tmp_path: Path
) -> None:
    root = tmp_path / "comics"
    _make_comics(root)
    [report] = opened.scan(root)
    assert (report.new, report.unreadable) == (4, 0)
    [again] = opened.scan()  # every enabled library: the same one, now unchanged
    assert (again.new, again.unchanged) == (0, 4)

    ann = opened.user("ann")
    assert opened.user("ann") == ann  # found, not created twice
    series = opened.browse.series(ann, mode="metadata", page=PageRequest(1, 2))
    assert series.mode is bagboard.BrowseMode.METADATA
    assert [facet.name for facet in series.page.items] == ["Ember", "Night Owls"]
    assert (series.page.total, series.page.total_pages, series.page.has_more) == (3, 2, True)

    issues = opened.browse.issues(ann, mode="filesystem", publisher="Lantern", series="Ember")
    [ember] = issues.page.items
    assert ember.comic.title == "Spark"
    page = opened.issues.page_image(ann, ember.comic.id, 2)
    assert page.media_type == "image/jpeg" and page.data[:2] == b"\xff\xd8"
    with pytest.raises(bagboard.NotFound):
        opened.issues.page_image(ann, ember.comic.id, 3)
    with pytest.raises(bagboard.ComicNotFound):
        opened.issues.detail(ann, 999_999)

    opened.progress.save(ann, ember.comic.path, ProgressChange(page_number=2, client_time=200))
    with pytest.raises(StaleProgress):
        opened.progress.save(ann, ember.comic.path, ProgressChange(page_number=1, client_time=100))
    position = opened.progress.position(ann, ember.comic.path)
    assert position is not None and position.page_number == 2
    assert opened.progress.position(opened.user(), ember.comic.path) is None  # per user

    opened.shelves.add(ann, Shelf.TO_READ, ember.comic.path)
    shelf = opened.shelves.shelf(ann, Shelf.TO_READ)
    assert [view.name for view in shelf.items] == ["Ember 001.cbz"]
    assert shelf.items[0].reading is not None and shelf.items[0].reading.last_page == 2


def test_every_public_name_is_loaded_from_where_it_lives() -> None:
    where = bagboard._WHERE  # the lazy table (PEP 562 ``__getattr__``)
    assert sorted(where) == sorted(bagboard.__all__)
    for name, module in where.items():
        assert getattr(bagboard, name) is getattr(sys.modules[module], name), name
    with pytest.raises(AttributeError):
        _ = bagboard.NoSuchName  # type: ignore[attr-defined]


def test_a_scan_worker_imports_its_modules_without_the_whole_package() -> None:
    modules = (
        "bagboard.services.scan.reading",
        "bagboard.adapters.archive.reader",
        "bagboard.adapters.filesystem.tree",
    )
    code = f"import sys, {', '.join(modules)}; print('bagboard.bootstrap' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
