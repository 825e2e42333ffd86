"""How the scanner fans archive reads out: inline, over threads, or over a process pool."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

__all__ = ["InspectMap"]

_A = TypeVar("_A")
_R = TypeVar("_R")


class InspectMap(Protocol):
    """``map`` semantics, as the builtin and ``Executor.map`` offer.

    The scanner hands it a module-level function and the paths of one batch; an implementation
    may run the calls anywhere (a process pool pickles ``fn`` and each item), but must yield
    one result per item, in input order, and must let an exception raised by ``fn`` or by the
    machinery (a broken pool) propagate from the iterator rather than drop the item.
    """

    def __call__(self, fn: Callable[[_A], _R], items: Iterable[_A], /) -> Iterator[_R]:
        """Yield ``fn(item)`` for every item of ``items``, in the order given."""
        ...
