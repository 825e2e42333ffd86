"""The collector pause used by scans: nested and concurrent pauses, and the state it restores."""

from __future__ import annotations

import gc
import posixpath
import threading
from collections.abc import Iterator

import pytest

from bagboard.domain.files import parent_folder
from bagboard.services.scan.gc_pause import collector_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_resumes_collection() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_overlapping_pauses_resume_when_the_last_one_ends() -> None:
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second pause is still running
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_pauses_in_many_threads_leave_the_collector_on() -> None:
    start = threading.Barrier(8)

    def scan() -> None:
        start.wait()
        for _ in range(200):
            with collector_paused():
                pass

    threads = [threading.Thread(target=scan) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()


@pytest.mark.parametrize(
    "path", ["/", "/comics", "/comics/Marvel", "/comics/Marvel/X-Men (1991)/X-Men 001.cbz"]
)
def test_parent_folder_is_dirname_for_normalised_paths(path: str) -> None:
    assert parent_folder(path) == posixpath.dirname(path)
