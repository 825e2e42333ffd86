"""How a book a reading list names finds its comic in the index.

1. **Series.** Names compare as browsing groups them (``grouping_key``). A year in brackets
   is a volume: a list naming "Batman" with Volume 2016 also finds a series indexed as
   "Batman (2016)", and one naming "Batman (2016)" finds "Batman" whose volume is 2016.
   ``series_keys`` gives the keys to look comics up by; ``match_book`` checks them again.
2. **Issue number**, by value and label (``issue_key``): ``1``, ``01``, ``#1`` and ``1.0`` are
   one issue; ``1.5`` another; ``½``, ``1/2`` and ``0.5`` one value; ``Annual 1``,
   ``1 Annual`` and ``Annual #01`` are one issue, distinct from ``1``. Numbers the rule cannot
   read (``1-2``, none at all) compare as their words.
3. **Volume, then year**, when the list gives them, narrow what is left. A comic stating a
   different value is dropped; among the rest, those stating the list's value win, then (for
   the year only) those a year off, since cover dates and release dates straddle New Year;
   comics stating nothing are kept only when no comic states a value that fits. A volume
   number (``2``) and a start year (``2016``) do not contradict each other, but a comic dated
   before the year its volume started cannot belong to that volume.

What is left is one comic (matched), several (ambiguous: two copies of an issue, or metadata
too thin to tell) or none (missing). ``<Database>`` ids are not used: the index keeps none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from fractions import Fraction
from functools import lru_cache

from bagboard.domain.browse import grouping_key
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.readlists import ListBook

__all__ = [
    "IssueKey",
    "ListCandidate",
    "Match",
    "MatchStatus",
    "issue_key",
    "match_book",
    "series_keys",
]

# (label, value): the words around the number, sorted; the number, or None when unreadable.
IssueKey = tuple[str, Fraction | None]

# One number in an issue's name. A minus sign counts only where a number starts ("-1",
# "#-1"; not "X-1"); digit runs are bounded, so a hostile number is compared as text.
_NUMBER = re.compile(
    r"""(?P<sign>(?<![^\s#])-)?(?<![\d.])
    (?: (?P<numerator>\d{1,9})/(?P<denominator>[1-9]\d{0,8})(?![\d.])
      | (?P<whole>\d{1,30})?\s?(?P<vulgar>[¼½¾])
      | (?P<decimal>\d{1,30}(?:\.\d{1,30})?)(?!\d)
    )""",
    re.VERBOSE,
)
_VULGAR = {"¼": Fraction(1, 4), "½": Fraction(1, 2), "¾": Fraction(3, 4)}
_WORD = re.compile(r"[^\W_]+")
# Words that only announce the number: "No. 5" is issue 5.
_NOISE = frozenset(("no", "nr", "issue"))
# Longer "numbers" are noise (or hostile); they compare as their first characters.
_MAX_NUMBER = 100
_YEAR_SUFFIX = re.compile(r"^(?P<base>.*\S)\s*\((?P<year>[12][0-9]{3})\)$")
_VOLUME_PREFIX = re.compile(r"^(?:v|vol|volume)\.?\s*(?=[0-9])")
_YEAR_LIKE = re.compile(r"[12][0-9]{3}")
_YEAR_TEXT = re.compile(r"\s*([0-9]{1,4})\s*")


@dataclass(frozen=True, slots=True)
class ListCandidate:
    """What matching needs to know of an indexed comic (its ComicInfo, blanks filled from its
    file name); ``year`` None when the comic states none."""

    id: int
    series: str
    number: str
    volume: str = ""
    year: int | None = None

    @classmethod
    def from_comic_info(cls, comic_id: int, info: ComicInfo) -> ListCandidate:
        return cls(comic_id, info.series, info.number, info.volume, _year(info.year))


class MatchStatus(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome for one book: the ids left after every narrowing, in id order."""

    status: MatchStatus
    comic_ids: tuple[int, ...] = ()

    @property
    def comic_id(self) -> int | None:
        """The comic the book matched; None when ambiguous or missing."""
        return self.comic_ids[0] if self.status is MatchStatus.MATCHED else None


# A list compares each book with every issue of its series: the same few numbers again and again.
@lru_cache(maxsize=4096)
def issue_key(number: str) -> IssueKey:
    """What two issue numbers must share to be the same issue (module docstring, rule 2)."""
    text = " ".join(number.split()).casefold()[:_MAX_NUMBER]
    found = list(_NUMBER.finditer(text))
    if len(found) != 1:
        return (_label(text), None)
    (match,) = found
    return (_label(f"{text[: match.start()]} {text[match.end() :]}"), _value(match))


def series_keys(book: ListBook) -> tuple[str, ...]:
    """The series keys (``grouping_key``) the book's comics may be indexed under, the list's
    own spelling first: what to look candidates up by."""
    name = grouping_key(book.series)
    suffixed = _YEAR_SUFFIX.match(name)
    if suffixed is not None:
        return (name, suffixed["base"])
    volume = _volume(book.volume)
    if volume is not None and _YEAR_LIKE.fullmatch(volume):
        return (name, f"{name} ({volume})")
    return (name,)


def match_book(book: ListBook, candidates: Iterable[ListCandidate]) -> Match:
    """Match one list book against comics of its series (module docstring); comics of other
    series may be passed and are ignored."""
    keys = series_keys(book)
    wanted = issue_key(book.number)
    pool = [
        candidate
        for candidate in candidates
        if grouping_key(candidate.series) in keys and issue_key(candidate.number) == wanted
    ]
    volume = _volume(book.volume) or _series_year(book.series)
    if volume is not None:
        pool = _narrow(pool, lambda candidate: _volume_fit(volume, candidate))
    if book.year is not None:
        year = book.year
        pool = _narrow(pool, lambda candidate: _year_fit(year, candidate.year))
    ids = tuple(sorted({candidate.id for candidate in pool}))
    if not ids:
        return Match(MatchStatus.MISSING)
    return Match(MatchStatus.MATCHED if len(ids) == 1 else MatchStatus.AMBIGUOUS, ids)


class _Fit(Enum):
    """How a comic's stated value fits the list's, best first."""

    SAME = 0
    NEAR = 1
    UNSTATED = 2
    CONFLICT = 3


def _narrow(
    pool: Sequence[ListCandidate], fit: Callable[[ListCandidate], _Fit]
) -> list[ListCandidate]:
    by_fit: dict[_Fit, list[ListCandidate]] = {}
    for candidate in pool:
        by_fit.setdefault(fit(candidate), []).append(candidate)
    for level in (_Fit.SAME, _Fit.NEAR, _Fit.UNSTATED):
        if level in by_fit:
            return by_fit[level]
    return []


def _volume_fit(wanted: str, candidate: ListCandidate) -> _Fit:
    stated = _volume(candidate.volume) or _series_year(candidate.series)
    wanted_year = int(wanted) if _YEAR_LIKE.fullmatch(wanted) else None
    if stated is None or (wanted_year is None) != (_YEAR_LIKE.fullmatch(stated) is None):
        # Nothing stated, or a volume number against a start year: only the comic's own
        # date can rule it out (a year off allowed: cover dates run ahead).
        if wanted_year is not None and candidate.year is not None:
            return _Fit.CONFLICT if candidate.year < wanted_year - 1 else _Fit.UNSTATED
        return _Fit.UNSTATED
    return _Fit.SAME if stated == wanted else _Fit.CONFLICT


def _year_fit(wanted: int, stated: int | None) -> _Fit:
    if stated is None:
        return _Fit.UNSTATED
    if stated == wanted:
        return _Fit.SAME
    return _Fit.NEAR if abs(stated - wanted) == 1 else _Fit.CONFLICT


def _volume(text: str | None) -> str | None:
    """A volume as compared: ``"v02"``, ``"Vol. 2"`` and ``"2"`` are ``"2"``; None if blank."""
    if text is None:
        return None
    cleaned = _VOLUME_PREFIX.sub("", grouping_key(text))
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 9:
        return str(int(cleaned))
    return cleaned or None


def _series_year(series: str) -> str | None:
    suffixed = _YEAR_SUFFIX.match(grouping_key(series))
    return None if suffixed is None else suffixed["year"]


def _year(text: str) -> int | None:
    found = _YEAR_TEXT.fullmatch(text)
    return int(found[1]) if found is not None and int(found[1]) > 0 else None


def _label(text: str) -> str:
    return " ".join(sorted(word for word in _WORD.findall(text) if word not in _NOISE))


def _value(match: re.Match[str]) -> Fraction:
    if match["denominator"] is not None:
        value = Fraction(int(match["numerator"]), int(match["denominator"]))
    elif match["vulgar"] is not None:
        value = int(match["whole"] or 0) + _VULGAR[match["vulgar"]]
    else:
        value = Fraction(match["decimal"])
    return -value if match["sign"] else value
