"""What a comic's file name says: series, issue number, volume, year, title and issue count.

A scan reads this for every comic without a ComicInfo.xml (and to fill what one leaves out),
so it is pure, never raises, and compiles its patterns once. The rules, in order:

1. **Extension.** A known comic extension (``.cbz .cbr .cb7 .cbt .pdf .zip .rar .7z .tar``,
   any case) is stripped; any other last suffix only when it is 2-4 letters or digits and not
   only digits, so ``Series 001.5`` keeps its ``.5``.
2. **Separators.** Underscores are spaces. In a name without spaces, dots are spaces too
   (``Saga.001.2012``), except a decimal point: a dot between digits with one digit after it.
3. **Brackets.** ``(...)``, ``[...]`` and ``{...}`` groups (scan group, ``Digital``, ``c2c``,
   publisher...) leave the series and the title. A group that is a year or a date (``(2012)``,
   ``[2012]``, ``(May 2012)``, ``(2012-05)``) gives the year, the first such group winning; a
   group ``(of 12)`` or ``(1 of 12)`` gives the count; a group ``(v01)`` gives the volume.
4. **Markers.** ``v2``, ``Vol. 2``, ``Volume 2``, ``Tome 2`` and ``Book 2`` are the volume (the
   first one wins). ``#5``, ``Issue 5``, ``No. 5``, ``Ch. 5``, ``Chapter 5``, ``c005``, ``ch5.5``
   mark the issue number; after ``#`` or a keyword the number may be negative (``#-1``), a
   fraction (``#½``, ``#1/2``) or carry a suffix (``#1.MU``, ``#1AU``). ``N of M`` gives the
   count M. A year right after ``Annual`` or ``Special`` is the year, not an issue number
   (``Series Annual 2021``), and stays out of the series name.
5. **The issue number**, when no marker names it: the name is cut into parts at free-standing
   dashes (``" - "``). A part that is one bare number is the issue (``Series - 001 - Title``);
   otherwise the first part holding a number gives its LAST number, so numbers inside a series
   name stay there (``2000 AD 1234``, ``Spider-Man 2099 001``, ``Y - The Last Man 001``). A
   plausible year (1900-2099) straight after the issue number, marked or not, is the year
   (``Saga 001 2012``, ``Series #1 2012``); a lone bare year is an issue (``Batman 1989``).
   A number opening the name and followed by a word is part of the series (``100 Bullets``,
   ``2000 AD``) unless zero-padded (``01 Title`` is issue 1 titled "Title").
6. **Series and title.** The series is the text before the first number or marker; the title
   is the text after the issue number (or, with none, after the last marker), dashes and ``#``
   trimmed from both ends. A name with neither a number nor a marker is all series: without
   one, nothing tells where a title would start (``Y - The Last Man``), so
   ``Hellboy - Seed of Destruction TPB (1994)`` is series "Hellboy - Seed of Destruction TPB".
   An empty series means the name held nothing but numbers and markers (``Vol. 03 Ch. 021``):
   the caller falls back on the folder name.

Numbers lose their leading zeros (``001`` -> ``1``, ``001.5`` -> ``1.5``, ``000`` -> ``0``).
"""

from __future__ import annotations

from dataclasses import dataclass

from bagboard.domain.filename_tokens import Item, Kind, clean_name, is_year, label_words

__all__ = ["NameParts", "parse_file_name"]

# Trimmed from both ends of the series and the title. Dots stay: "S.H.I.E.L.D." ends in one.
_EDGE = " -_#,:;\u2013\u2014~"
_MARKERS = frozenset((Kind.ISSUE, Kind.VOLUME, Kind.COUNT, Kind.YEAR))
_WORDS = frozenset((Kind.TEXT, Kind.NUMBER, Kind.DASH))


@dataclass(frozen=True, slots=True)
class NameParts:
    """The parts of a comic's file name; an empty string is a part the name does not give."""

    series: str = ""
    number: str = ""
    volume: str = ""
    year: str = ""
    title: str = ""
    count: str = ""


def _parts(items: list[Item]) -> list[list[int]]:
    """Indexes of the items between free-standing dashes."""
    parts: list[list[int]] = [[]]
    for index, item in enumerate(items):
        if item.kind is Kind.DASH:
            parts.append([])
        else:
            parts[-1].append(index)
    return parts


def _implicit_issue(items: list[Item]) -> int | None:
    """Which bare number is the issue, when no marker names one (rule 5)."""
    parts = _parts(items)
    for part in parts:
        if len(part) == 1 and items[part[0]].kind is Kind.NUMBER:
            return part[0]
    for part in parts:
        numbers = [index for index in part if items[index].kind is Kind.NUMBER]
        if not numbers:
            continue
        last = numbers[-1]
        if is_year(items[last].raw) and last - 1 in numbers:
            return last - 1
        if (
            last == 0
            and len(items) > 1
            and items[1].kind is Kind.TEXT
            and not items[0].raw.lstrip("-").startswith("0")
        ):
            continue
        return last
    return None


def _issue(items: list[Item]) -> int | None:
    for index, item in enumerate(items):
        if item.kind is Kind.ISSUE:
            return index
    return _implicit_issue(items)


def _text(items: list[Item]) -> str:
    return " ".join(item.raw for item in items if item.kind in _WORDS).strip(_EDGE)


def _first(items: list[Item], kind: Kind) -> str:
    return next((item.value for item in items if item.kind is kind), "")


def parse_file_name(name: str) -> NameParts:
    """Read series, number, volume, year, title and count from a base name with extension."""
    cleaned = clean_name(name)
    items = label_words(cleaned.words)
    issue = _issue(items)
    number = ""
    if issue is not None:
        number = items[issue].value
        items[issue] = items[issue]._replace(kind=Kind.ISSUE)
        after = issue + 1
        if after < len(items) and items[after].kind is Kind.COUNT:
            after += 1
        if after < len(items) and items[after].kind is Kind.NUMBER and is_year(items[after].raw):
            items[after] = items[after]._replace(kind=Kind.YEAR, value=items[after].raw)
            after += 1
        title = _text(items[after:])
    marks = [index for index, item in enumerate(items) if item.kind in _MARKERS]
    if issue is None:
        title = _text(items[marks[-1] + 1 :]) if marks else ""
    series = _text(items[: marks[0]]) if marks else _text(items)
    return NameParts(
        series=series,
        number=number,
        volume=cleaned.volume or _first(items, Kind.VOLUME),
        year=cleaned.year or _first(items, Kind.YEAR),
        title=title,
        count=cleaned.count or _first(items, Kind.COUNT),
    )
