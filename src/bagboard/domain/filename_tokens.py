"""The lexical half of file-name parsing: cleaning a base name and labelling its words.

``filenames.parse_file_name`` decides which number is the issue; this module only prepares
the material. It strips the extension, lifts bracketed groups out (keeping a year, a volume
or an "of N" count they hold), turns separators into spaces and labels each word as text, a
number, an explicit issue (``#5``, ``Ch. 5``), a volume (``v2``, ``Vol. 2``), a count (``of 12``)
or a year (after "Annual"). Every pattern is compiled once, at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

__all__ = [
    "Cleaned",
    "Item",
    "Kind",
    "clean_name",
    "is_year",
    "label_words",
    "strip_zeros",
]

_KNOWN_EXTENSIONS = frozenset(
    ("cbz", "cbr", "cb7", "cbt", "pdf", "zip", "rar", "7z", "tar"),
)
_UNKNOWN_EXTENSION = re.compile(r"(?![0-9]+$)[A-Za-z0-9]{2,4}")

# Digits are ASCII only: other Unicode digits are part of words, never numbers.
_PLAIN = r"[0-9]+(?:\.[0-9]+)?"
_VALUE = rf"-?(?:[0-9]+/[0-9]+|[0-9]*[½¼¾]|{_PLAIN})"
_NUMBER = re.compile(_VALUE)
# An explicit issue may carry a suffix: "1.MU", "1AU", "12b".
_ISSUE_VALUE = re.compile(rf"{_VALUE}(?:\.?[A-Za-z][A-Za-z0-9]*)?")
_DIGITS = re.compile(r"[0-9]+")
_NUMERAL = re.compile(r"[0-9½¼¾]")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")

_BRACKETED = re.compile(r"[(\[{]([^()\[\]{}]*)[)\]}]")
_BRACKET = re.compile(r"[()\[\]{}]")
# A dot becomes a space unless it is a decimal point: a digit on each side, one digit after.
_DOT = re.compile(r"(?<![0-9])\.|\.(?![0-9](?![0-9]))")
# "#" joins the number after it and leaves the word before it: "Series#1", "# 1" -> " #1".
# (No leading \s*: the split that follows drops extra spaces, and it would rescan runs of them.)
_HASH = re.compile(r"#\s*(?=-?[0-9½¼¾])")

_GROUP_YEAR = re.compile(
    r"(?:[A-Za-z]{3,9}\.?,?\s+)?((?:19|20)[0-9]{2})"
    r"(?:[-./ ][0-9]{1,2}){0,2}(?:\s*-\s*(?:[0-9]{2,4}|present)?)?",
    re.IGNORECASE,
)
_GROUP_COUNT = re.compile(r"(?:[0-9]+\s+)?of\s+([0-9]+)", re.IGNORECASE)
_GROUP_VOLUME = re.compile(r"(?:v|vol|volume)\.?\s*([0-9]+)", re.IGNORECASE)

# Hyphen, en dash, em dash, tilde.
_DASH = re.compile("[-\u2013\u2014~]+")
_VOLUME_GLUED = re.compile(r"(?:v|vol|volume|tome|book)\.?([0-9]+)", re.IGNORECASE)
_CHAPTER_GLUED = re.compile(rf"(?:c|ch|chap|chapter|ep|episode)\.?({_PLAIN})", re.IGNORECASE)
_ISSUE_GLUED = re.compile(r"(?:#|n°|no\.|nr\.)", re.IGNORECASE)

_VOLUME_WORDS = frozenset(("v", "v.", "vol", "vol.", "volume", "tome", "book", "bk", "bk."))
_ISSUE_WORDS = frozenset(
    (
        *("issue", "no", "no.", "nr", "nr.", "n°", "num", "num."),
        *("ch", "ch.", "chap", "chap.", "chapter", "ep", "ep.", "episode"),
    )
)
_YEAR_NAMED = frozenset(("annual", "special"))


class Kind(Enum):
    TEXT = "text"  # a word or a number that stays in the series or the title
    DASH = "dash"  # a free-standing dash: a separator between series and title
    NUMBER = "number"  # a bare number, perhaps the issue
    ISSUE = "issue"  # a number marked as the issue: "#5", "Issue 5", "Ch. 5", "c005"
    VOLUME = "volume"
    COUNT = "count"
    YEAR = "year"


class Item(NamedTuple):
    kind: Kind
    raw: str  # the words as written, for the series and the title
    value: str = ""  # the number it carries


@dataclass(slots=True)
class Cleaned:
    """A base name reduced to plain words, with what its brackets held."""

    words: list[str] = field(default_factory=list)
    year: str = ""
    volume: str = ""
    count: str = ""


def is_year(text: str) -> bool:
    return _YEAR.fullmatch(text) is not None


def strip_zeros(value: str) -> str:
    """``"001"`` -> ``"1"``, ``"000"`` -> ``"0"``, ``"-001.5"`` -> ``"-1.5"``; suffixes stay."""
    sign = "-" if value.startswith("-") else ""
    body = value[len(sign) :]
    digits = len(body) - len(body.lstrip("0123456789"))
    if digits == 0:
        return value
    return sign + (body[:digits].lstrip("0") or "0") + body[digits:]


def _strip_extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    if dot and (
        extension.casefold() in _KNOWN_EXTENSIONS or _UNKNOWN_EXTENSION.fullmatch(extension)
    ):
        return stem
    return name


def clean_name(name: str) -> Cleaned:
    """Strip the extension and the bracketed groups; split what is left into words."""
    text = _strip_extension(name).replace("_", " ")
    if " " not in text.strip():
        text = _DOT.sub(" ", text)
    cleaned = Cleaned()

    def lift(match: re.Match[str]) -> str:
        content = match[1].strip()
        if found := _GROUP_YEAR.fullmatch(content):
            cleaned.year = cleaned.year or found[1]
        elif found := _GROUP_COUNT.fullmatch(content):
            cleaned.count = cleaned.count or strip_zeros(found[1])
        elif found := _GROUP_VOLUME.fullmatch(content):
            cleaned.volume = cleaned.volume or strip_zeros(found[1])
        return " "

    text = _BRACKET.sub(" ", _BRACKETED.sub(lift, text))
    cleaned.words = _HASH.sub(" #", text).split()
    return cleaned


def _labelled(word: str, following: str) -> tuple[Item, int] | None:
    """The item a word starts, with how many words it takes, or None for plain text."""
    if _NUMERAL.search(word) is None:
        # Most words: only a dash or a keyword taking the next word is more than text.
        if _DASH.fullmatch(word):
            return Item(Kind.DASH, word), 1
        folded = word.casefold()
        if folded in _VOLUME_WORDS and _DIGITS.fullmatch(following):
            return Item(Kind.VOLUME, word, strip_zeros(following)), 2
        if folded in _ISSUE_WORDS and (
            value := _ISSUE_VALUE.fullmatch(following.removeprefix("#"))
        ):
            return Item(Kind.ISSUE, word, strip_zeros(value[0])), 2
        return None
    if _NUMBER.fullmatch(word):
        return Item(Kind.NUMBER, word, strip_zeros(word)), 1
    if found := _VOLUME_GLUED.fullmatch(word):
        return Item(Kind.VOLUME, word, strip_zeros(found[1])), 1
    if found := _CHAPTER_GLUED.fullmatch(word):
        return Item(Kind.ISSUE, word, strip_zeros(found[1])), 1
    if (found := _ISSUE_GLUED.match(word)) and (value := _ISSUE_VALUE.match(word, found.end())):
        return Item(Kind.ISSUE, word, strip_zeros(value[0])), 1
    return None


def label_words(words: list[str]) -> list[Item]:
    """Label each word; a marker and the number after it ("Vol. 3", "of 12") make one item."""
    items: list[Item] = []
    index, end = 0, len(words)
    while index < end:
        word = words[index]
        following = words[index + 1] if index + 1 < end else ""
        labelled = _labelled(word, following)
        if labelled is None:
            items.append(Item(Kind.TEXT, word))
            index += 1
            if word.casefold() in _YEAR_NAMED and is_year(following):
                items.append(Item(Kind.YEAR, following, following))
                index += 1
            continue
        item, taken = labelled
        items.append(item)
        index += taken
        if (
            item.kind in (Kind.NUMBER, Kind.ISSUE)
            and index + 1 < end
            and words[index].casefold() == "of"
            and _DIGITS.fullmatch(words[index + 1])
        ):
            items.append(Item(Kind.COUNT, words[index + 1], strip_zeros(words[index + 1])))
            index += 2
    return items
